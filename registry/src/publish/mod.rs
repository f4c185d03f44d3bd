//! The publish use case: gates → blob → manifest → index row, then everything that follows a
//! publish (outcome metrics, cache invalidation, audit, the log line; see `outcome.rs`).
//!
//! A release becomes visible only when all three exist, written in that order. The tarball
//! goes to a key named by its sha256, create-only, so a writer that finds the key taken has
//! found the same bytes and nothing is ever compared, replaced or deleted. The manifest, also
//! create-only, names that key: its write is the one commit point, which at most one writer of
//! a version wins, in any number of processes or replicas, with no lock service. A crash or a
//! lost race leaves at most an unreferenced tarball (harmless; see docs/storage.md), never a
//! manifest without its tarball; the index row is what readers see, and a retry or the
//! start-up catch-up completes it.
//!
//! Every caller (the HTTP route, the demo, the git watcher) goes through [`Publisher::publish`],
//! so none can forget a step.

use std::sync::Arc;

use bytes::Bytes;
use semver::Version;

use crate::address::ModuleAddress;
use crate::archive::{self, ArchiveError, Limits};
use crate::catalog::Catalog;
use crate::changelog;
use crate::index::{Index, IndexError, InsertOutcome};
use crate::interface::{self, InterfaceError, SemverViolation};
use crate::manifest::{Manifest, ReleaseSource, StoredManifestError, MANIFEST_SCHEMA};
use crate::metrics::Metrics;
use crate::storage::{BlobKey, BlobStore, PutOutcome, StorageError};
use crate::telemetry::blocking;

mod deprecation;
mod outcome;

pub use deprecation::{DeprecationError, DeprecationRequest};

/// One publish request, already authorised.
pub struct NewRelease {
    pub address: ModuleAddress,
    pub version: Version,
    pub tarball: Bytes,
    /// Who publishes (token description, `demo`, `git-watch`).
    pub publisher: String,
    pub source: Option<ReleaseSource>,
}

/// What happened to a publish that succeeded.
#[derive(Debug)]
pub enum Published {
    /// A new release.
    Created(Box<Manifest>),
    /// The same bytes were already published under this version: nothing changed.
    Unchanged(Box<Manifest>),
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("`{release}` already exists with different content (sha256 {existing}); published releases never change: publish a new version")]
    Conflict {
        /// `namespace/name/system version`
        release: String,
        existing: String,
    },
    #[error("the archive was refused: {0}")]
    Archive(#[from] ArchiveError),
    #[error("the module does not parse: {0}")]
    Interface(#[from] InterfaceError),
    #[error(transparent)]
    Semver(#[from] SemverViolation),
    #[error("the blob store failed")]
    Storage(#[from] StorageError),
    #[error("the index failed")]
    Index(#[from] IndexError),
    #[error("a manifest could not be read or written as JSON")]
    Manifest(#[source] serde_json::Error),
    #[error("the stored manifest `{key}` was refused")]
    StoredManifest {
        key: String,
        #[source]
        source: StoredManifestError,
    },
    #[error("the upload is larger than the {limit}-byte limit (max_upload_bytes): trim the module or raise the limit")]
    TooLarge { limit: u64 },
    #[error("the request body is empty: send the module's .tar.gz as the body")]
    EmptyUpload,
}

/// Everything the publish use case needs.
#[derive(Clone)]
pub struct Publisher {
    index: Index,
    store: Arc<dyn BlobStore>,
    limits: Limits,
    /// Dropped after every change readers can see.
    catalog: Arc<Catalog>,
    metrics: Arc<Metrics>,
    /// Publishes run one at a time per process: they are rare, and then the semver gate of
    /// one always sees the release another publish on this replica just made. Safety against
    /// concurrent publishes does not rest on it (other replicas do not share it).
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl Publisher {
    pub fn new(
        index: Index,
        store: Arc<dyn BlobStore>,
        limits: Limits,
        catalog: Arc<Catalog>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            index,
            store,
            limits,
            catalog,
            metrics,
            lock: Arc::default(),
        }
    }

    /// The archive limits every upload is checked against.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Runs the gates and stores the release, then records the outcome (metrics, cache
    /// invalidation, audit, log line) whatever it was.
    pub async fn publish(&self, release: NewRelease) -> Result<Published, PublishError> {
        let what = outcome::Attempt::of(&release);
        let result = self.store_release(release).await;
        self.record(&what, result.as_ref()).await;
        result
    }

    /// Records a publish refused before it reached [`Publisher::publish`] (an upload over
    /// the size limit, an empty body) exactly as the pipeline records its own refusals, and
    /// hands the error back.
    pub async fn refuse(
        &self,
        address: &ModuleAddress,
        version: &Version,
        publisher: &str,
        error: PublishError,
    ) -> PublishError {
        let what = outcome::Attempt {
            address: address.clone(),
            version: version.clone(),
            publisher: publisher.to_owned(),
            source: None,
        };
        self.record(&what, Err(&error)).await;
        error
    }

    async fn store_release(&self, release: NewRelease) -> Result<Published, PublishError> {
        let NewRelease {
            address,
            version,
            tarball,
            publisher,
            source,
        } = release;
        let _one_at_a_time = self.lock.lock().await;
        let bytes = tarball.clone();
        let sha256 = blocking(move || archive::sha256_hex(&bytes)).await;

        if let Some(existing) = self.release_manifest(&address, &version).await? {
            return if existing.sha256 == sha256 {
                Ok(Published::Unchanged(Box::new(existing)))
            } else {
                Err(PublishError::Conflict {
                    release: format!("{address} {version}"),
                    existing: existing.sha256,
                })
            };
        }

        let limits = self.limits.clone();
        let bytes = tarball.clone();
        let v = version.clone();
        let (iface, changelog) = blocking(move || -> Result<_, PublishError> {
            let contents = archive::inspect(&bytes, &limits)?;
            let changelog = contents
                .get("CHANGELOG.md")
                .and_then(|md| changelog::section(&String::from_utf8_lossy(md), &v));
            Ok((interface::extract(&contents)?, changelog))
        })
        .await?;
        self.check_semver(&address, &version, &iface).await?;

        let archive_key = BlobKey::content_archive(&address, &sha256)
            .expect("sha256_hex gives 64 lowercase hex digits");
        let manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            address: address.clone(),
            version: version.clone(),
            sha256: sha256.clone(),
            size: tarball.len() as u64,
            archive: Some(archive_key.as_str().to_owned()),
            source,
            publisher: publisher.clone(),
            published_at: now_rfc3339(),
            interface: iface,
            changelog,
        };
        let manifest_json =
            serde_json::to_string_pretty(&manifest).map_err(PublishError::Manifest)?;

        // `AlreadyExists` here means these very bytes are stored (the key is their digest,
        // and create-only writes are whole or absent), whoever wrote them.
        self.store.put_new(&archive_key, tarball).await?;
        let manifest_key = BlobKey::manifest(&address, &version);
        let committed = self
            .store
            .put_new(&manifest_key, Bytes::from(manifest_json.clone()))
            .await?;
        let (manifest, stored_json) = match committed {
            PutOutcome::Created => (manifest, manifest_json),
            // Another writer committed this version first (another replica, or an earlier
            // publish that stopped before the index). Its manifest is the release.
            PutOutcome::AlreadyExists => {
                let stored = self.read_manifest(&manifest_key).await?;
                if stored.sha256 != sha256 {
                    return Err(PublishError::Conflict {
                        release: format!("{address} {version}"),
                        existing: stored.sha256,
                    });
                }
                let json = serde_json::to_string_pretty(&stored).map_err(PublishError::Manifest)?;
                let index = self.index.clone();
                let row = stored.clone();
                let indexed = blocking(move || index.insert_release(&row, &json)).await?;
                return match indexed {
                    InsertOutcome::Exists { sha256: existing } if existing != sha256 => {
                        Err(PublishError::Conflict {
                            release: format!("{address} {version}"),
                            existing,
                        })
                    }
                    _ => Ok(Published::Unchanged(Box::new(stored))),
                };
            }
        };

        let index = self.index.clone();
        let row = manifest.clone();
        let outcome = blocking(move || index.insert_release(&row, &stored_json)).await?;
        match outcome {
            // Our manifest write was the commit, so this publish created the release, also when
            // a process sharing this index, which found our manifest, indexed it first.
            InsertOutcome::Inserted => Ok(Published::Created(Box::new(manifest))),
            InsertOutcome::Exists { sha256: existing } if existing == sha256 => {
                Ok(Published::Created(Box::new(manifest)))
            }
            InsertOutcome::Exists { sha256: existing } => Err(PublishError::Conflict {
                release: format!("{address} {version}"),
                existing,
            }),
        }
    }

    /// The manifest of a published release, `None` when that version is not published.
    pub async fn release_manifest(
        &self,
        address: &ModuleAddress,
        version: &Version,
    ) -> Result<Option<Manifest>, PublishError> {
        let index = self.index.clone();
        let (a, v) = (address.clone(), version.clone());
        let json = blocking(move || index.manifest_json(&a, &v)).await?;
        json.map(|j| serde_json::from_str(&j).map_err(PublishError::Manifest))
            .transpose()
    }

    /// The interface diff against the closest lower release must respect semver.
    async fn check_semver(
        &self,
        address: &ModuleAddress,
        version: &Version,
        iface: &interface::ModuleInterface,
    ) -> Result<(), PublishError> {
        let index = self.index.clone();
        let a = address.clone();
        let releases = blocking(move || index.versions(&a)).await?;
        let Some(previous) = releases
            .into_iter()
            .rfind(|r| r.version < *version && r.version.pre.is_empty())
        else {
            return Ok(());
        };
        let Some(prev) = self.release_manifest(address, &previous.version).await? else {
            return Ok(());
        };
        let diff = interface::diff(&prev.interface, iface);
        interface::check_semver(&previous.version, version, &diff)?;
        Ok(())
    }

    async fn read_manifest(&self, key: &BlobKey) -> Result<Manifest, PublishError> {
        let bytes = self.store.get(key).await?.unwrap_or_default();
        Manifest::parse_stored(&bytes, key).map_err(|source| PublishError::StoredManifest {
            key: key.to_string(),
            source,
        })
    }
}

/// Current UTC time as RFC 3339 with second precision.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod race_tests;
