//! Log output that costs little per line: each thread appends its formatted lines to its own
//! buffer, written to stderr in batches, so a busy server makes a few `write(2)` calls per
//! batch instead of one per access-log line.
//!
//! A batch is written when its thread's buffer passes [`BATCH_BYTES`], when a line at WARN or
//! above is logged (a warning is never held back), every [`FLUSH_INTERVAL`] by a flusher
//! thread, and when the [`FlushGuard`] returned by `telemetry::init` drops. Within a thread,
//! lines keep their order; lines of different threads may appear up to one interval apart.
//! A `kill -9` loses at most the last interval's INFO lines.

#[cfg(not(test))]
use std::io::Write as _;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tracing::Level;
use tracing_subscriber::fmt::MakeWriter;

/// A thread's buffer is written once it holds this much.
const BATCH_BYTES: usize = 32 * 1024;
/// How long a line may wait in a buffer.
pub const FLUSH_INTERVAL: Duration = Duration::from_millis(100);

/// One thread's pending lines. Only its own thread appends; the flusher takes them.
type Shard = Mutex<Vec<u8>>;

/// Every thread's shard, for the flusher and the final flush.
fn shards() -> &'static Mutex<Vec<Weak<Shard>>> {
    static SHARDS: OnceLock<Mutex<Vec<Weak<Shard>>>> = OnceLock::new();
    SHARDS.get_or_init(Mutex::default)
}

/// This thread's shard; written out when the thread exits.
struct Local(Arc<Shard>);

impl Drop for Local {
    fn drop(&mut self) {
        write_out(&self.0);
    }
}

thread_local! {
    static LOCAL: Local = {
        let shard = Arc::new(Shard::default());
        let mut all = shards().lock().unwrap_or_else(|e| e.into_inner());
        all.retain(|s| s.strong_count() > 0);
        all.push(Arc::downgrade(&shard));
        Local(shard)
    };
}

/// Writes a shard's pending lines to stderr in one call. A failed write (stderr closed) drops
/// them: there is nowhere left to report it.
fn write_out(shard: &Shard) {
    let mut pending = shard.lock().unwrap_or_else(|e| e.into_inner());
    if !pending.is_empty() {
        emit(&pending);
        pending.clear();
    }
}

fn emit(bytes: &[u8]) {
    #[cfg(test)]
    tests::WRITTEN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend_from_slice(bytes);
    #[cfg(not(test))]
    let _ = std::io::stderr().lock().write_all(bytes);
}

/// Writes every thread's pending lines.
pub fn flush_all() {
    let all: Vec<_> = shards()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter_map(Weak::upgrade)
        .collect();
    for shard in all {
        write_out(&shard);
    }
}

/// Starts the flusher thread (once per process).
pub fn start_flusher() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("modreg-log-flush".into())
            .spawn(|| loop {
                std::thread::sleep(FLUSH_INTERVAL);
                flush_all();
            });
        if let Err(e) = spawned {
            eprintln!("warning: cannot start the log flusher ({e}); log lines are written when a thread's buffer fills or at exit");
        }
    });
}

/// Writes what is pending when dropped: hold it for the life of the command.
#[must_use = "dropping the guard at once writes nothing pending at exit"]
pub struct FlushGuard(());

impl FlushGuard {
    pub(super) fn new() -> Self {
        Self(())
    }
}

impl Drop for FlushGuard {
    fn drop(&mut self) {
        flush_all();
    }
}

/// The `MakeWriter` of the log layer.
#[derive(Clone, Copy, Default)]
pub struct BatchedStderr;

/// One formatted line on its way into the thread's buffer.
pub struct LineWriter {
    urgent: bool,
}

impl std::io::Write for LineWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = LOCAL.try_with(|local| {
            local
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf)
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        let _ = LOCAL.try_with(|local| {
            let full = local.0.lock().unwrap_or_else(|e| e.into_inner()).len() >= BATCH_BYTES;
            if self.urgent || full {
                write_out(&local.0);
            }
        });
    }
}

impl<'a> MakeWriter<'a> for BatchedStderr {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter { urgent: true }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Self::Writer {
        LineWriter {
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// What the tests' lines would have written to stderr. (Lib tests never start the
    /// flusher thread, so a thread's buffer changes only by what the test itself does.)
    pub(super) static WRITTEN: Mutex<Vec<u8>> = Mutex::new(Vec::new());

    fn written_contains(needle: &str) -> bool {
        String::from_utf8_lossy(&WRITTEN.lock().unwrap()).contains(needle)
    }

    fn pending() -> usize {
        LOCAL.with(|l| l.0.lock().unwrap().len())
    }

    #[test]
    fn info_lines_wait_in_the_thread_buffer_and_a_warning_writes_everything_pending() {
        std::thread::spawn(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(BatchedStderr)
                .finish();
            tracing::subscriber::with_default(subscriber, || {
                tracing::info!("an info line from the log_writer test");
                let after_info = pending();
                assert!(after_info > 0, "the info line waits in the buffer");
                assert!(!written_contains("an info line from the log_writer test"));
                tracing::warn!("a warning from the log_writer test");
                assert_eq!(pending(), 0, "a warning writes the batch out");
                assert!(written_contains(
                    "INFO registry::telemetry::log_writer::tests: an info line from the log_writer test\n"
                ));
            });
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_full_buffer_is_written_without_waiting_for_the_flusher() {
        std::thread::spawn(|| {
            let line = vec![b'x'; 1000];
            assert_eq!(pending(), 0);
            for _ in 0..(BATCH_BYTES / line.len()) {
                let mut w = LineWriter { urgent: false };
                w.write_all(&line).unwrap();
            }
            assert!(
                pending() < BATCH_BYTES,
                "written out at {BATCH_BYTES} bytes"
            );
        })
        .join()
        .unwrap();
    }

    #[test]
    fn flush_all_writes_other_threads_pending_lines() {
        let (tx, rx) = std::sync::mpsc::channel();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let worker = std::thread::spawn(move || {
            let mut w = LineWriter { urgent: false };
            w.write_all(b"pending from another thread\n").unwrap();
            drop(w);
            tx.send(LOCAL.with(|l| Arc::downgrade(&l.0))).unwrap();
            done_rx.recv().unwrap();
        });
        let shard = rx.recv().unwrap().upgrade().unwrap();
        assert!(!written_contains("pending from another thread"));
        flush_all();
        assert!(shard.lock().unwrap().is_empty());
        assert!(written_contains("pending from another thread\n"));
        done_tx.send(()).unwrap();
        worker.join().unwrap();
    }
}
