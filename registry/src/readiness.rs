//! What `/readyz` reports: whether this replica's index has caught up with the blob store, and
//! whether the blob store answers, each with a reason.
//!
//! A failing blob store does not make a replica unready: every replica shares the store, and
//! versions, search and details are still answered from the index, so taking replicas out of
//! the load balancer would turn a partial outage (downloads, publishing) into a whole one.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{json, Value};

use crate::storage::StorageHealth;

/// The readiness of one registry process.
pub struct Readiness {
    storage: Arc<StorageHealth>,
    backend: String,
    index_loaded: AtomicBool,
    index_error: Mutex<Option<String>>,
}

impl Readiness {
    /// Not ready until [`Readiness::index_loaded`]; `backend` names the store for operators.
    pub fn new(storage: Arc<StorageHealth>, backend: String) -> Self {
        Self {
            storage,
            backend,
            index_loaded: AtomicBool::new(false),
            index_error: Mutex::new(None),
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
            json!({ "ready": ready, "index": index, "storage": storage }),
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
}
