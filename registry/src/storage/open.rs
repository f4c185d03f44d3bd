//! The one constructor of the blob store from settings, for `serve`, `token`, `reindex` and
//! the demo: the chosen backend behind the change log (`journal.rs`), so every writer
//! journals what other replicas must see.

use std::sync::Arc;
use std::time::Duration;

use super::{BlobStore, Journaled, LocalStore, S3ConfigError, S3Endpoint, S3Location, S3Store};
use crate::settings::{Settings, StorageKind};

/// Temp files older than this are debris whoever wrote them: no write takes an hour.
const STALE_TEMP_AGE: Duration = Duration::from_secs(3600);

/// The store `settings` choose: the local directory under `data_dir`, or the S3 bucket.
pub async fn open(settings: &Settings) -> Result<Arc<dyn BlobStore>, S3ConfigError> {
    let backend: Arc<dyn BlobStore> = match settings.storage {
        StorageKind::Local => {
            let local = LocalStore::new(settings.blobs_dir());
            // A crash (kill -9, power loss) mid-write leaves a temp file beside the releases.
            match local.remove_stale_temp_files(STALE_TEMP_AGE).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(removed = n, "removed temp files left by interrupted writes");
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot sweep temp files of interrupted writes");
                }
            }
            Arc::new(local)
        }
        StorageKind::S3 => {
            let endpoint = S3Endpoint {
                region: settings.s3_region.clone(),
                endpoint: settings.s3_endpoint.clone(),
                path_style: settings.s3_path_style,
            };
            let location = S3Location {
                bucket: settings.s3_bucket.clone().unwrap_or_default(),
                prefix: settings.s3_prefix.clone(),
                kms_key_id: settings.s3_kms_key_id.clone(),
            };
            Arc::new(S3Store::connect(&endpoint, location).await?)
        }
    };
    Ok(Arc::new(Journaled::new(backend)))
}
