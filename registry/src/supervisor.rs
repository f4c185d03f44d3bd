//! The one owner of the registry's background tasks (git watchers, the index watcher and
//! download-count flush): starts them, tells them to stop on shutdown, and waits for them.
//!
//! A task receives a [`Shutdown`] and should return soon after it fires (finishing what must
//! not be cut short, such as a last flush). Tasks still running after the grace period are
//! aborted; a panicking task is logged and does not take the others down.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::{Id, JoinSet};

/// Fires once, when the supervisor shuts down.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Completes when shutdown is requested (at once if it already was).
    pub async fn requested(&mut self) {
        // An error means the supervisor is gone, which is a shutdown too.
        let _ = self.0.wait_for(|stop| *stop).await;
    }

    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }
}

#[derive(Default)]
struct Tasks {
    set: JoinSet<()>,
    names: HashMap<Id, String>,
}

pub struct Supervisor {
    stop: watch::Sender<bool>,
    tasks: Mutex<Tasks>,
}

impl Default for Supervisor {
    fn default() -> Self {
        Self {
            stop: watch::channel(false).0,
            tasks: Mutex::default(),
        }
    }
}

impl Supervisor {
    /// Runs `task` in the background until it returns or shutdown aborts it.
    pub fn spawn<F, Fut>(&self, name: impl Into<String>, task: F)
    where
        F: FnOnce(Shutdown) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let future = task(Shutdown(self.stop.subscribe()));
        let mut tasks = self.tasks.lock().expect("supervisor lock");
        let id = tasks.set.spawn(future).id();
        tasks.names.insert(id, name.into());
    }

    /// Signals every task to stop and waits up to `grace` for them; aborts the rest.
    pub async fn shutdown(&self, grace: Duration) {
        self.stop.send_replace(true);
        let Tasks { mut set, mut names } =
            std::mem::take(&mut *self.tasks.lock().expect("supervisor lock"));
        let drained = tokio::time::timeout(grace, async {
            while let Some(done) = set.join_next_with_id().await {
                match done {
                    Ok((id, ())) => {
                        names.remove(&id);
                    }
                    Err(e) => {
                        let name = names.remove(&e.id()).unwrap_or_default();
                        if e.is_panic() {
                            tracing::error!(task = name, "background task panicked");
                        }
                    }
                }
            }
        })
        .await;
        if drained.is_err() {
            let mut left: Vec<_> = names.into_values().collect();
            left.sort();
            tracing::warn!(tasks = ?left, grace_secs = grace.as_secs(), "background tasks did not stop in time; aborted");
            set.abort_all();
            while set.join_next().await.is_some() {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Instant;

    use super::*;

    #[tokio::test]
    async fn shutdown_lets_cooperative_tasks_finish_and_aborts_the_rest_after_the_grace() {
        let supervisor = Supervisor::default();
        let finished = Arc::new(AtomicBool::new(false));
        let flag = finished.clone();
        supervisor.spawn("cooperative", move |mut shutdown| async move {
            shutdown.requested().await;
            // Work that must not be cut short, such as a last flush.
            tokio::time::sleep(Duration::from_millis(50)).await;
            flag.store(true, Ordering::SeqCst);
        });
        let stubborn_dropped = Arc::new(AtomicBool::new(false));
        struct OnDrop(Arc<AtomicBool>);
        impl Drop for OnDrop {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let guard = OnDrop(stubborn_dropped.clone());
        supervisor.spawn("stubborn", move |_shutdown| async move {
            let _guard = guard;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        let started = Instant::now();
        supervisor.shutdown(Duration::from_millis(500)).await;
        assert!(
            finished.load(Ordering::SeqCst),
            "the cooperative task was cut short"
        );
        assert!(
            stubborn_dropped.load(Ordering::SeqCst),
            "the stubborn task still runs"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_panicking_task_does_not_keep_the_others_from_stopping() {
        let supervisor = Supervisor::default();
        supervisor.spawn("panicky", |_| async { panic!("a background task failed") });
        let (tx, rx) = tokio::sync::oneshot::channel();
        supervisor.spawn("cooperative", move |mut shutdown| async move {
            shutdown.requested().await;
            let _ = tx.send(());
        });
        // Generous: printing the panic's backtrace can take a while on a loaded machine.
        supervisor.shutdown(Duration::from_secs(60)).await;
        rx.await.expect("the cooperative task ran to its end");
    }

    #[tokio::test]
    async fn a_task_spawned_after_shutdown_sees_it_at_once() {
        let supervisor = Supervisor::default();
        supervisor.shutdown(Duration::from_millis(10)).await;
        let (tx, rx) = tokio::sync::oneshot::channel();
        supervisor.spawn("late", move |shutdown| async move {
            let _ = tx.send(shutdown.is_requested());
        });
        assert!(rx.await.unwrap());
    }
}
