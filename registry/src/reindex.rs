//! Building the SQLite index from the blob store, the source of truth: the full rebuild behind
//! `modreg reindex` (and after restoring a backup), and the catch-up every process runs at
//! start, which is how a replica with an empty data dir joins.

use futures_util::{StreamExt as _, TryStreamExt as _};

use crate::deprecation_log::{self, DeprecationLogError};
use crate::index::{Index, IndexError, StoredRelease};
use crate::manifest::Manifest;
use crate::storage::{BlobKey, BlobStore, StorageError};
use crate::telemetry::blocking;

/// Manifests read at once: enough to hide a remote store's latency, few enough to stay polite.
const READ_CONCURRENCY: usize = 16;

#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error("cannot list or read the blob store")]
    Storage(#[from] StorageError),
    #[error("manifest `{key}` is unreadable: {message}; restore it from backup or delete the release's blobs")]
    BadManifest { key: String, message: String },
    #[error("cannot write the index")]
    Index(#[from] IndexError),
}

/// Replaces every release row with what the store's manifests and deprecation records say;
/// returns the release count.
pub async fn rebuild(store: &dyn BlobStore, index: &Index) -> Result<usize, ReindexError> {
    let releases = read_manifests(store, store.list_manifests().await?).await?;
    let index = index.clone();
    Ok(blocking(move || index.replace_all_releases(releases)).await?)
}

/// Indexes the releases whose manifests the store holds and the index lacks, reading only
/// those; returns how many were added. Rows already indexed are left as they are.
pub async fn catch_up(store: &dyn BlobStore, index: &Index) -> Result<usize, ReindexError> {
    let listed = store.list_manifests().await?;
    let lookup = index.clone();
    let missing = blocking(move || -> Result<Vec<BlobKey>, IndexError> {
        let mut missing = Vec::new();
        for key in listed {
            let Some((addr, version)) = BlobKey::parse_manifest_key(key.as_str()) else {
                continue; // not a manifest key: `list_manifests` never returns one
            };
            if lookup.release(&addr, &version)?.is_none() {
                missing.push(key);
            }
        }
        Ok(missing)
    })
    .await?;
    if missing.is_empty() {
        return Ok(0);
    }
    let releases = read_manifests(store, missing).await?;
    let index = index.clone();
    Ok(blocking(move || index.add_releases(releases)).await?)
}

/// The releases whose manifests are under `keys` (manifest, its JSON, its deprecation record),
/// in order, skipping keys deleted meanwhile.
async fn read_manifests(
    store: &dyn BlobStore,
    keys: Vec<BlobKey>,
) -> Result<Vec<StoredRelease>, ReindexError> {
    futures_util::stream::iter(keys)
        .map(|key| read_manifest(store, key))
        .buffered(READ_CONCURRENCY)
        .try_filter_map(|release| async move { Ok(release) })
        .try_collect()
        .await
}

/// The release whose manifest is under `key`, with its JSON and deprecation record; `None`
/// when the store has no such manifest (deleted while listing, or not written yet).
pub(crate) async fn read_manifest(
    store: &dyn BlobStore,
    key: BlobKey,
) -> Result<Option<StoredRelease>, ReindexError> {
    let Some(bytes) = store.get(&key).await? else {
        return Ok(None); // deleted while listing
    };
    let manifest = Manifest::parse_stored(&bytes, &key).map_err(|e| ReindexError::BadManifest {
        key: key.as_str().to_owned(),
        message: e.to_string(),
    })?;
    let json = String::from_utf8_lossy(&bytes).into_owned();
    let (deprecation, _) = deprecation_log::read(store, &manifest.address, &manifest.version)
        .await
        .map_err(|e| match e {
            DeprecationLogError::Storage(e) => ReindexError::Storage(e),
            DeprecationLogError::BadRecord { key, message } => {
                ReindexError::BadManifest { key, message }
            }
            DeprecationLogError::Contended { key } => ReindexError::BadManifest {
                key,
                message: "written while being read".into(),
            },
        })?;
    Ok(Some((manifest, json, deprecation)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;
    use semver::Version;

    use super::*;
    use crate::address::ModuleAddress;
    use crate::archive::{pack_files, Limits};
    use crate::catalog::Catalog;
    use crate::publish::{NewRelease, Publisher};
    use crate::storage::MemoryStore;

    fn module(version: &str) -> NewRelease {
        let main_tf =
            format!("output \"v\" {{\n  description = \"v\"\n  value = \"{version}\"\n}}\n");
        NewRelease {
            address: ModuleAddress::parse("platform", "vpc", "aws").unwrap(),
            version: Version::parse(version).unwrap(),
            tarball: Bytes::from(pack_files(vec![("main.tf".into(), main_tf.into_bytes())])),
            publisher: "test".into(),
            source: None,
        }
    }

    #[tokio::test]
    async fn catch_up_indexes_only_the_releases_the_index_lacks() {
        let dir = tempfile::tempdir().unwrap();
        let store = MemoryStore::new();
        let index = Index::open(&dir.path().join("first.sqlite3")).unwrap();
        let publisher = Publisher::new(
            index.clone(),
            Arc::new(store.clone()),
            Limits::default(),
            Arc::new(Catalog::new(index)),
            Arc::default(),
        );
        publisher.publish(module("1.0.0")).await.unwrap();
        let joining = Index::open(&dir.path().join("joining.sqlite3")).unwrap();
        assert_eq!(catch_up(&store, &joining).await.unwrap(), 1);

        publisher.publish(module("1.1.0")).await.unwrap();
        assert_eq!(catch_up(&store, &joining).await.unwrap(), 1);
        assert_eq!(catch_up(&store, &joining).await.unwrap(), 0);
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let versions: Vec<String> = joining
            .versions(&addr)
            .unwrap()
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        assert_eq!(versions, ["1.0.0", "1.1.0"]);
    }
}
