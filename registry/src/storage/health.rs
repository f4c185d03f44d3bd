//! Whether the blob store answers, learnt from every operation and from a periodic probe: what
//! `/readyz` reports, and what turns a download into a prompt `503` while the store is down.

use std::error::Error as _;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;

use super::{BlobKey, BlobPrefix, BlobStore, BlobStream, PutOutcome, StorageError};

/// The last known state of the blob store: available, or failing with a reason.
#[derive(Debug)]
pub struct StorageHealth {
    /// Read on every download, so it is an atomic rather than the lock behind the reason.
    available: AtomicBool,
    failure: Mutex<Option<String>>,
}

impl Default for StorageHealth {
    fn default() -> Self {
        Self {
            available: AtomicBool::new(true),
            failure: Mutex::new(None),
        }
    }
}

impl StorageHealth {
    /// Whether the store's last operation succeeded.
    pub fn is_available(&self) -> bool {
        self.available.load(Relaxed)
    }

    /// Why the store is unavailable, or `None` while its last operation succeeded.
    pub fn unavailable_reason(&self) -> Option<String> {
        self.state().clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record<T>(&self, result: &Result<T, StorageError>) {
        let mut state = self.state();
        match result {
            Ok(_) if state.is_some() => {
                tracing::info!("the blob store answers again");
                *state = None;
                self.available.store(true, Relaxed);
            }
            Ok(_) => {}
            Err(e) => {
                if state.is_none() {
                    tracing::warn!(error = %chain(e), "the blob store is unavailable");
                }
                *state = Some(chain(e));
                self.available.store(false, Relaxed);
            }
        }
    }
}

/// `outer: inner: innermost`.
fn chain(e: &StorageError) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        next = cause.source();
    }
    text
}

/// A store whose every outcome is recorded in a [`StorageHealth`].
pub struct Watched {
    inner: Arc<dyn BlobStore>,
    health: Arc<StorageHealth>,
}

impl Watched {
    pub fn new(inner: Arc<dyn BlobStore>, health: Arc<StorageHealth>) -> Self {
        Self { inner, health }
    }

    fn seen<T>(&self, result: Result<T, StorageError>) -> Result<T, StorageError> {
        self.health.record(&result);
        result
    }
}

#[async_trait]
impl BlobStore for Watched {
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
        self.seen(self.inner.put_new(key, bytes).await)
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
        self.seen(self.inner.get(key).await)
    }

    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
        self.seen(self.inner.open(key).await)
    }

    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
        self.seen(self.inner.list_manifests().await)
    }

    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError> {
        self.seen(self.inner.list_after(prefix, start_after).await)
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.seen(self.inner.check().await)
    }

    /// Not recorded: signing a URL reaches no store, so it says nothing of the store's health.
    async fn presigned_get(
        &self,
        key: &BlobKey,
        signed_at: SystemTime,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError> {
        self.inner.presigned_get(key, signed_at, expires_in).await
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// Checks `store` every `every`, for as long as the process runs, so that a store that
/// recovers is seen as available without waiting for a request to try it.
pub async fn probe(store: Arc<dyn BlobStore>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        // The outcome is recorded by `Watched`; nothing else to do with it here.
        let _ = store.check().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    struct Broken;

    #[async_trait]
    impl BlobStore for Broken {
        async fn put_new(&self, key: &BlobKey, _: Bytes) -> Result<PutOutcome, StorageError> {
            Err(io_error("write", key))
        }
        async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
            Err(io_error("read", key))
        }
        async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
            Err(io_error("read", key))
        }
        async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
            Ok(Vec::new())
        }
        async fn list_after(
            &self,
            _: BlobPrefix,
            _: Option<&BlobKey>,
        ) -> Result<Vec<BlobKey>, StorageError> {
            Ok(Vec::new())
        }
        async fn check(&self) -> Result<(), StorageError> {
            Ok(())
        }
        async fn presigned_get(
            &self,
            _key: &BlobKey,
            _signed_at: std::time::SystemTime,
            _expires_in: std::time::Duration,
        ) -> Result<Option<String>, StorageError> {
            Ok(None)
        }
        fn describe(&self) -> String {
            "broken".into()
        }
    }

    fn io_error(op: &'static str, key: &BlobKey) -> StorageError {
        StorageError::Io {
            op,
            key: key.to_string(),
            source: std::io::Error::other("disk on fire"),
        }
    }

    #[tokio::test]
    async fn a_failure_is_reported_with_its_cause_until_an_operation_succeeds() {
        let health = Arc::new(StorageHealth::default());
        let broken = Watched::new(Arc::new(Broken), health.clone());
        let key = BlobKey("modules/platform/vpc/aws/1.0.0.json".into());
        assert!(health.is_available());
        broken.get(&key).await.unwrap_err();
        assert!(!health.is_available());
        assert_eq!(
            health.unavailable_reason().as_deref(),
            Some("storage read of `modules/platform/vpc/aws/1.0.0.json` failed: disk on fire")
        );
        broken.check().await.unwrap();
        assert_eq!(health.unavailable_reason(), None);
        let fine = Watched::new(Arc::new(MemoryStore::new()), health.clone());
        assert_eq!(fine.get(&key).await.unwrap(), None);
        assert_eq!(health.unavailable_reason(), None);
    }
}
