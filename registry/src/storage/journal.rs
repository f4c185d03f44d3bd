//! The change log: every write that other processes must see (a manifest, a deprecation set or
//! cleared, a token or its revocation) also appends a small `changes/<utc time>-<random>.json`
//! object naming the key it changed, so replicas follow the log instead of listing the store.
//!
//! It is a [`BlobStore`] decorator rather than a call in each use case because every writer
//! (HTTP publish, git watcher, demo, `modreg token`) already goes through the one store that
//! `storage::open` builds: none can forget to journal, and the publish code does not change.
//!
//! Every followed write is a create-only commit (a manifest, a deprecation generation, a token,
//! a revocation), journaled *before* the write, so a crash between the two can never hide a
//! committed object from other replicas; an entry whose object never appears is retried by
//! readers for a while, then dropped.

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;
use semver::Version;
use serde::{Deserialize, Serialize};

use super::{BlobKey, BlobPrefix, BlobStore, BlobStream, PutOutcome, StorageError, TokenId};
use crate::address::ModuleAddress;

/// The body of one change-log object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEntry {
    /// The key that changed, e.g. `modules/platform/vpc/aws/1.2.0.json`.
    pub key: String,
}

/// What a change-log entry says changed, read back from the key it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A release's manifest was (about to be) created.
    Release(ModuleAddress, Version),
    /// A release's deprecation state took this generation (set or cleared): read the state.
    Deprecation(ModuleAddress, Version, u32),
    /// A token was (about to be) created or revoked: read both of its objects.
    Token(TokenId),
}

impl Change {
    /// The change `key` stands for; `None` for keys no replica needs to follow.
    pub fn of(key: &str) -> Option<Change> {
        if let Some((addr, version)) = BlobKey::parse_manifest_key(key) {
            return Some(Change::Release(addr, version));
        }
        if let Some((addr, version, generation)) = BlobKey::parse_deprecation_key(key) {
            return Some(Change::Deprecation(addr, version, generation));
        }
        BlobKey::parse_token_key(key).map(Change::Token)
    }
}

/// A store whose followed writes append to the change log (see the module docs).
pub struct Journaled {
    inner: Arc<dyn BlobStore>,
}

impl Journaled {
    pub fn new(inner: Arc<dyn BlobStore>) -> Self {
        Self { inner }
    }

    async fn journal(&self, changed: &BlobKey) -> Result<(), StorageError> {
        let body = serde_json::to_vec(&ChangeEntry {
            key: changed.as_str().to_owned(),
        })
        .expect("a change entry serializes");
        // Keys carry 64 random bits, so a second attempt only ever follows a collision.
        for _ in 0..3 {
            let entry = BlobKey::new_change(time::OffsetDateTime::now_utc());
            if self
                .inner
                .put_new(&entry, Bytes::from(body.clone()))
                .await?
                == PutOutcome::Created
            {
                return Ok(());
            }
        }
        Err(StorageError::Io {
            op: "change-log write",
            key: changed.as_str().to_owned(),
            source: std::io::Error::other("three random change-log keys already existed"),
        })
    }
}

#[async_trait]
impl BlobStore for Journaled {
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
        if Change::of(key.as_str()).is_some() {
            self.journal(key).await?;
        }
        self.inner.put_new(key, bytes).await
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
        self.inner.get(key).await
    }

    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
        self.inner.open(key).await
    }

    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
        self.inner.list_manifests().await
    }

    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError> {
        self.inner.list_after(prefix, start_after).await
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.inner.check().await
    }

    async fn presigned_get(
        &self,
        key: &BlobKey,
        signed_at: std::time::SystemTime,
        expires_in: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        self.inner.presigned_get(key, signed_at, expires_in).await
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    async fn entries(store: &MemoryStore) -> Vec<String> {
        let mut named = Vec::new();
        for key in store.list_after(BlobPrefix::CHANGES, None).await.unwrap() {
            let body = store.get(&key).await.unwrap().unwrap();
            named.push(serde_json::from_slice::<ChangeEntry>(&body).unwrap().key);
        }
        named
    }

    #[tokio::test]
    async fn followed_writes_are_journaled_and_tarballs_and_audit_events_are_not() {
        let memory = MemoryStore::new();
        let store = Journaled::new(Arc::new(memory.clone()));
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let v = Version::new(1, 0, 0);
        let token = TokenId::parse("tok_1").unwrap();
        let body = || Bytes::from_static(b"{}");
        store
            .put_new(
                &BlobKey::content_archive(&addr, &"ab".repeat(32)).unwrap(),
                body(),
            )
            .await
            .unwrap();
        store
            .put_new(&BlobKey::manifest(&addr, &v), body())
            .await
            .unwrap();
        store
            .put_new(&BlobKey::deprecation(&addr, &v, 0), body())
            .await
            .unwrap();
        store
            .put_new(&BlobKey::deprecation(&addr, &v, 1), body())
            .await
            .unwrap();
        store
            .put_new(&BlobKey::token(&token), body())
            .await
            .unwrap();
        store
            .put_new(&BlobKey::revocation(&token), body())
            .await
            .unwrap();
        let audit = BlobKey::new_audit(time::OffsetDateTime::now_utc());
        store.put_new(&audit, body()).await.unwrap();
        let mut named = entries(&memory).await;
        named.sort();
        assert_eq!(
            named,
            [
                "auth/revocations/tok_1.json",
                "auth/tokens/tok_1.json",
                "modules/platform/vpc/aws/1.0.0.deprecation",
                "modules/platform/vpc/aws/1.0.0.deprecation.1",
                "modules/platform/vpc/aws/1.0.0.json",
            ]
        );
    }

    #[tokio::test]
    async fn a_manifest_is_journaled_before_its_write_even_when_another_writer_won_the_key() {
        let memory = MemoryStore::new();
        let store = Journaled::new(Arc::new(memory.clone()));
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let key = BlobKey::manifest(&addr, &Version::new(1, 0, 0));
        memory
            .put_new(&key, Bytes::from_static(b"{}"))
            .await
            .unwrap();
        // Another writer won: the entry is there anyway and harmless (readers find the release
        // indexed or index it).
        assert_eq!(
            store
                .put_new(&key, Bytes::from_static(b"{}"))
                .await
                .unwrap(),
            PutOutcome::AlreadyExists
        );
        assert_eq!(entries(&memory).await, [key.as_str()]);
    }
}
