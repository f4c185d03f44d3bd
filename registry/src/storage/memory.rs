//! Blobs in a map in memory, for tests of the layers above storage.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use bytes::Bytes;

use super::{BlobKey, BlobPrefix, BlobStore, BlobStream, PutOutcome, StorageError};

/// A [`BlobStore`] in memory. Clones share the same contents, so a test can keep a handle to
/// inspect what the code under test stored.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    blobs: Arc<Mutex<BTreeMap<BlobKey, Bytes>>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn blobs(&self) -> std::sync::MutexGuard<'_, BTreeMap<BlobKey, Bytes>> {
        // The map is consistent after every statement, so a panic elsewhere cannot corrupt it.
        self.blobs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl BlobStore for MemoryStore {
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
        Ok(match self.blobs().entry(key.clone()) {
            std::collections::btree_map::Entry::Occupied(_) => PutOutcome::AlreadyExists,
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(bytes);
                PutOutcome::Created
            }
        })
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
        Ok(self.blobs().get(key).cloned())
    }

    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
        Ok(self.blobs().get(key).cloned().map(|bytes| BlobStream {
            len: bytes.len() as u64,
            chunks: Box::pin(futures_util::stream::once(async { Ok(bytes) })),
        }))
    }

    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
        Ok(self
            .blobs()
            .keys()
            .filter(|k| BlobKey::parse_manifest_key(k.as_str()).is_some())
            .cloned()
            .collect())
    }

    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError> {
        Ok(self
            .blobs()
            .keys()
            .filter(|k| prefix.holds(k.as_str()) && start_after.is_none_or(|after| *k > after))
            .cloned()
            .collect())
    }

    async fn check(&self) -> Result<(), StorageError> {
        Ok(())
    }

    /// None: memory has no URLs of its own; downloads go through the archive route.
    async fn presigned_get(
        &self,
        _key: &BlobKey,
        _signed_at: std::time::SystemTime,
        _expires_in: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        Ok(None)
    }

    fn describe(&self) -> String {
        "in-memory store".to_owned()
    }
}
