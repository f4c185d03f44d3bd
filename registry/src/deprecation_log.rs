//! A release's deprecation state in the blob store, as create-only generations:
//! `….deprecation` first, then `….deprecation.1`, `.2`, …, each holding the whole state
//! (deprecated, with its record, or cleared); the highest generation wins.
//!
//! Nothing is replaced or deleted, so the registry's role needs no `s3:DeleteObject` for it,
//! and two writers racing for one generation cannot both win: the loser takes the next. A
//! release never deprecated costs one `GetObject` to read (the first generation is missing),
//! as before generations existed; records written by older versions are generation 0.

use bytes::Bytes;
use semver::Version;
use serde::{Deserialize, Serialize};

use crate::address::ModuleAddress;
use crate::manifest::Deprecation;
use crate::publish::now_rfc3339;
use crate::storage::{BlobKey, BlobStore, PutOutcome, StorageError};

/// Writers that keep losing the race for a generation give up after this many tries.
const MAX_TRIES: u32 = 8;

/// One generation's content.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Generation {
    Cleared { cleared_at: String, by: String },
    Deprecated(Deprecation),
}

#[derive(Debug, thiserror::Error)]
pub enum DeprecationLogError {
    #[error("the blob store failed")]
    Storage(#[from] StorageError),
    #[error(
        "deprecation record `{key}` is unreadable: {message}; restore it from bucket versioning"
    )]
    BadRecord { key: String, message: String },
    #[error(
        "`{key}` and the generations after it were all taken by concurrent writers; try again"
    )]
    Contended { key: String },
}

/// The release's deprecation state now, and the generation the next change takes.
pub async fn read(
    store: &dyn BlobStore,
    addr: &ModuleAddress,
    version: &Version,
) -> Result<(Option<Deprecation>, u32), DeprecationLogError> {
    let mut state = None;
    let mut generation = 0;
    loop {
        let key = BlobKey::deprecation(addr, version, generation);
        let Some(bytes) = store.get(&key).await? else {
            return Ok((state, generation));
        };
        state = match serde_json::from_slice::<Generation>(&bytes) {
            Ok(Generation::Deprecated(d)) => Some(d),
            Ok(Generation::Cleared { .. }) => None,
            Err(e) => {
                return Err(DeprecationLogError::BadRecord {
                    key: key.to_string(),
                    message: e.to_string(),
                })
            }
        };
        generation += 1;
    }
}

/// Records `deprecation` (or, for `None`, that the release is no longer deprecated) as the
/// release's next generation.
pub async fn write(
    store: &dyn BlobStore,
    addr: &ModuleAddress,
    version: &Version,
    deprecation: Option<&Deprecation>,
    by: &str,
) -> Result<(), DeprecationLogError> {
    let body = match deprecation {
        Some(d) => serde_json::to_vec_pretty(d),
        None => serde_json::to_vec_pretty(&Generation::Cleared {
            cleared_at: now_rfc3339(),
            by: by.to_owned(),
        }),
    }
    .expect("a deprecation record serializes");
    let (_, mut generation) = read(store, addr, version).await?;
    for _ in 0..MAX_TRIES {
        let key = BlobKey::deprecation(addr, version, generation);
        if store.put_new(&key, Bytes::from(body.clone())).await? == PutOutcome::Created {
            return Ok(());
        }
        generation += 1;
    }
    Err(DeprecationLogError::Contended {
        key: BlobKey::deprecation(addr, version, generation).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::storage::MemoryStore;

    fn record(reason: &str) -> Deprecation {
        Deprecation {
            reason: reason.into(),
            replacement: None,
            at: "2026-12-01T00:00:00Z".into(),
            by: "test".into(),
        }
    }

    /// A store that refuses deletes, as the deployed role does.
    struct NoDeletes(MemoryStore);

    #[async_trait::async_trait]
    impl BlobStore for NoDeletes {
        async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
            self.0.put_new(key, bytes).await
        }
        async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
            self.0.get(key).await
        }
        async fn open(
            &self,
            key: &BlobKey,
        ) -> Result<Option<crate::storage::BlobStream>, StorageError> {
            self.0.open(key).await
        }
        async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
            self.0.list_manifests().await
        }
        async fn list_after(
            &self,
            prefix: crate::storage::BlobPrefix,
            start_after: Option<&BlobKey>,
        ) -> Result<Vec<BlobKey>, StorageError> {
            self.0.list_after(prefix, start_after).await
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
            "a store without deletes".into()
        }
    }

    #[tokio::test]
    async fn deprecating_again_and_clearing_need_no_delete_and_the_latest_generation_wins() {
        let store = NoDeletes(MemoryStore::new());
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let v = Version::new(1, 0, 0);
        assert_eq!(read(&store, &addr, &v).await.unwrap(), (None, 0));
        write(&store, &addr, &v, Some(&record("first")), "a")
            .await
            .unwrap();
        write(&store, &addr, &v, Some(&record("second")), "a")
            .await
            .unwrap();
        assert_eq!(
            read(&store, &addr, &v).await.unwrap(),
            (Some(record("second")), 2)
        );
        write(&store, &addr, &v, None, "a").await.unwrap();
        assert_eq!(read(&store, &addr, &v).await.unwrap(), (None, 3));
        write(&store, &addr, &v, Some(&record("again")), "a")
            .await
            .unwrap();
        assert_eq!(
            read(&store, &addr, &v).await.unwrap().0,
            Some(record("again"))
        );
    }

    #[tokio::test]
    async fn concurrent_writers_each_take_their_own_generation() {
        let store = Arc::new(MemoryStore::new());
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let v = Version::new(1, 0, 0);
        let writers: Vec<_> = (0..4)
            .map(|i| {
                let (store, addr, v) = (store.clone(), addr.clone(), v.clone());
                tokio::spawn(async move {
                    let d = record(&format!("writer {i}"));
                    write(store.as_ref(), &addr, &v, Some(&d), "w")
                        .await
                        .unwrap();
                })
            })
            .collect();
        for w in writers {
            w.await.unwrap();
        }
        let (state, next) = read(store.as_ref(), &addr, &v).await.unwrap();
        assert_eq!(next, 4, "a write was lost or overwritten");
        assert!(state.unwrap().reason.starts_with("writer "));
    }
}
