//! Rebuilding the SQLite index from the blob store, the source of truth: used by
//! `modreg reindex`, by a new replica joining, and after restoring a backup.

use crate::index::Index;
use crate::manifest::{Deprecation, Manifest, MANIFEST_SCHEMA};
use crate::storage::{BlobKey, BlobStore, StorageError};
use crate::telemetry::blocking;

#[derive(Debug, thiserror::Error)]
pub enum ReindexError {
    #[error("cannot list or read the blob store")]
    Storage(#[from] StorageError),
    #[error("manifest `{key}` is unreadable: {message}; restore it from backup or delete the release's blobs")]
    BadManifest { key: String, message: String },
    #[error("cannot write the index")]
    Index(#[from] crate::index::IndexError),
}

/// Replaces every release row with what the store's manifests and deprecation records say;
/// returns the release count.
pub async fn rebuild(store: &dyn BlobStore, index: &Index) -> Result<usize, ReindexError> {
    let mut releases = Vec::new();
    for key in store.list_manifests().await? {
        let Some(bytes) = store.get(&key).await? else {
            continue; // deleted while listing
        };
        let bad = |message: String| ReindexError::BadManifest {
            key: key.as_str().to_owned(),
            message,
        };
        let manifest: Manifest = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        if manifest.schema > MANIFEST_SCHEMA {
            return Err(bad(format!(
                "schema {} is newer than this modreg understands ({MANIFEST_SCHEMA}): upgrade modreg",
                manifest.schema
            )));
        }
        if BlobKey::manifest(&manifest.address, &manifest.version).as_str() != key.as_str() {
            return Err(bad(
                "its address and version do not match its location".into()
            ));
        }
        let json = String::from_utf8_lossy(&bytes).into_owned();
        let deprecation_key = BlobKey::deprecation(&manifest.address, &manifest.version);
        let deprecation = match store.get(&deprecation_key).await? {
            Some(bytes) => Some(serde_json::from_slice::<Deprecation>(&bytes).map_err(|e| {
                ReindexError::BadManifest {
                    key: deprecation_key.as_str().to_owned(),
                    message: e.to_string(),
                }
            })?),
            None => None,
        };
        releases.push((manifest, json, deprecation));
    }
    let index = index.clone();
    Ok(blocking(move || index.replace_all_releases(releases)).await?)
}
