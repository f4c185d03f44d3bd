//! What `/readyz` reports: whether this replica's index has caught up with the blob store,
//! whether the blob store answers, and how replica sync is doing, each with a reason.
//!
//! A failing blob store does not make a replica unready: every replica shares the store, and
//! versions, search and details are still answered from the index, so taking replicas out of
//! the load balancer would turn a partial outage (downloads, publishing) into a whole one.
//! A failing sync does not either, for the same reason: it fails when the store does.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::storage::StorageHealth;

/// The readiness of one registry process.
pub struct Readiness {
    storage: Arc<StorageHealth>,
    backend: String,
    index_loaded: AtomicBool,
    index_error: Mutex<Option<String>>,
    sync: Mutex<SyncState>,
}

#[derive(Default)]
struct SyncState {
    last_success: Option<Instant>,
    /// The delay of the slowest change the last round that applied any applied.
    last_lag: Option<Duration>,
    failure: Option<String>,
}

impl Readiness {
    /// Not ready until [`Readiness::index_loaded`]; `backend` names the store for operators.
    pub fn new(storage: Arc<StorageHealth>, backend: String) -> Self {
        Self {
            storage,
            backend,
            index_loaded: AtomicBool::new(false),
            index_error: Mutex::new(None),
            sync: Mutex::default(),
        }
    }

    pub fn storage(&self) -> &StorageHealth {
        &self.storage
    }

    /// The index holds every release the blob store held at start.
    pub fn index_loaded(&self) {
        *self.index_error() = None;
        self.index_loaded.store(true, Relaxed);
    }

    /// The last attempt to load the index failed; another one follows.
    pub fn index_load_failed(&self, reason: String) {
        *self.index_error() = Some(reason);
    }

    /// A sync round succeeded; `lag` is its slowest change's delay, if it applied any.
    pub fn sync_succeeded(&self, lag: Option<Duration>) {
        let mut sync = self.sync();
        sync.last_success = Some(Instant::now());
        sync.last_lag = lag.or(sync.last_lag);
        sync.failure = None;
    }

    /// A sync round failed; the next one retries.
    pub fn sync_failed(&self, reason: String) {
        self.sync().failure = Some(reason);
    }

    fn sync(&self) -> std::sync::MutexGuard<'_, SyncState> {
        self.sync.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sync_report(&self) -> Value {
        let sync = self.sync();
        let age = sync
            .last_success
            .map(|t| (t.elapsed().as_secs_f64() * 10.0).round() / 10.0);
        let lag = sync
            .last_lag
            .map(|l| (l.as_secs_f64() * 1000.0).round() / 1000.0);
        match (&sync.failure, sync.last_success) {
            (Some(reason), _) => json!({
                "state": "failing",
                "reason": reason,
                "last_success_secs_ago": age,
                "effect": "changes made through other replicas are not seen here until sync recovers; it retries every sync_secs",
            }),
            (None, None) => json!({ "state": "starting" }),
            (None, Some(_)) => json!({
                "state": "ok",
                "last_success_secs_ago": age,
                "last_change_lag_secs": lag,
            }),
        }
    }

    fn index_error(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.index_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the process may take traffic, and the `/readyz` body saying why (not).
    /// `index_answers` is whether the index answered a query just now.
    pub fn report(&self, index_answers: bool) -> (bool, Value) {
        let loaded = self.index_loaded.load(Relaxed);
        let index = match (loaded, self.index_error().clone()) {
            (true, _) if index_answers => "ok".to_owned(),
            (true, _) => "failing: the index does not answer queries".to_owned(),
            (false, None) => format!("loading releases from {}", self.backend),
            (false, Some(reason)) => format!(
                "loading releases from {}; the last attempt failed and is retried: {reason}",
                self.backend
            ),
        };
        let storage = match self.storage.unavailable_reason() {
            None => json!({ "state": "ok", "backend": self.backend }),
            Some(reason) => json!({
                "state": "unavailable",
                "backend": self.backend,
                "reason": reason,
                "effect": "downloads and publishing answer 503 until the store answers again; reads are served from the index",
            }),
        };
        let ready = loaded && index_answers;
        (
            ready,
            json!({ "ready": ready, "index": index, "storage": storage, "sync": self.sync_report() }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_ready_while_loading_and_the_reason_names_the_failed_attempt() {
        let readiness = Readiness::new(Arc::default(), "S3 bucket s3://b/".into());
        let (ready, body) = readiness.report(true);
        assert!(!ready);
        assert_eq!(body["index"], "loading releases from S3 bucket s3://b/");
        readiness.index_load_failed("connection refused".into());
        let (_, body) = readiness.report(true);
        assert!(body["index"]
            .as_str()
            .unwrap()
            .ends_with("retried: connection refused"));
        readiness.index_loaded();
        let (ready, body) = readiness.report(true);
        assert!(ready);
        assert_eq!(body["index"], "ok");
        assert_eq!(body["storage"]["state"], "ok");
        assert!(!readiness.report(false).0);
    }

    #[test]
    fn sync_reports_starting_then_its_last_success_and_a_failure_with_its_reason() {
        let readiness = Readiness::new(Arc::default(), "S3 bucket s3://b/".into());
        readiness.index_loaded();
        assert_eq!(readiness.report(true).1["sync"]["state"], "starting");
        readiness.sync_succeeded(Some(Duration::from_millis(1500)));
        let (_, body) = readiness.report(true);
        assert_eq!(body["sync"]["state"], "ok");
        assert_eq!(body["sync"]["last_change_lag_secs"], 1.5);
        assert!(body["sync"]["last_success_secs_ago"].as_f64().unwrap() < 60.0);
        readiness.sync_failed("storage list of `changes/` failed".into());
        let (ready, body) = readiness.report(true);
        assert!(
            ready,
            "a failing sync must not take the replica out: {body}"
        );
        assert_eq!(body["sync"]["state"], "failing");
        assert_eq!(body["sync"]["reason"], "storage list of `changes/` failed");
        readiness.sync_succeeded(None);
        let (_, body) = readiness.report(true);
        assert_eq!(body["sync"]["state"], "ok");
        assert_eq!(
            body["sync"]["last_change_lag_secs"], 1.5,
            "the last lag is kept"
        );
    }
}
