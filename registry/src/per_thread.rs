//! Per-thread shards of hot shared state, so the counters and caches every request touches
//! stay in the cache of the core serving it instead of bouncing between cores.
//!
//! Each thread is given a shard index once (round robin); with more threads than shards,
//! threads share a shard, which is still correct, only slower. Readers of the whole (metrics
//! rendering) visit every shard.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Shards per value: more than the HTTP workers and blocking threads of a usual deployment.
const SHARDS: usize = 16;

/// One shard on its own cache lines (two, for CPUs that fetch line pairs).
#[repr(align(128))]
#[derive(Default)]
struct Padded<T>(T);

/// `T` once per shard.
pub struct PerThread<T> {
    shards: Box<[Padded<T>]>,
}

fn shard_index() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Relaxed) % SHARDS;
    }
    INDEX.try_with(|i| *i).unwrap_or(0)
}

impl<T: Default> Default for PerThread<T> {
    fn default() -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Padded::default()).collect(),
        }
    }
}

impl<T> PerThread<T> {
    /// This thread's shard.
    pub fn local(&self) -> &T {
        &self.shards[shard_index()].0
    }

    /// Every shard, for readers of the whole.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().map(|s| &s.0)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicU64;

    use super::*;

    #[test]
    fn threads_write_their_own_shard_and_the_whole_sees_every_write() {
        let counter: PerThread<AtomicU64> = PerThread::default();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        counter.local().fetch_add(1, Relaxed);
                    }
                });
            }
        });
        let total: u64 = counter.all().map(|c| c.load(Relaxed)).sum();
        assert_eq!(total, 4000);
        let used = counter.all().filter(|c| c.load(Relaxed) > 0).count();
        assert!(used >= 2, "four threads wrote to {used} shard(s)");
    }

    #[test]
    fn a_thread_keeps_its_shard() {
        let counter: PerThread<AtomicU64> = PerThread::default();
        let first = counter.local() as *const AtomicU64;
        assert_eq!(first, counter.local() as *const AtomicU64);
    }
}
