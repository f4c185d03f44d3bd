//! The publish use case: gates → blob → manifest → index row, then everything that follows a
//! publish (outcome metrics, cache invalidation, audit, the log line; see `outcome.rs`).
//!
//! A release becomes visible only when all three exist, written in that order; the manifest is
//! the store's marker that a release is whole, and the index row is what readers see. A crash
//! at any point leaves either nothing visible or a whole release, and a retry completes it.
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
use crate::manifest::{Manifest, ReleaseSource, MANIFEST_SCHEMA};
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
    #[error("a stored manifest could not be read")]
    Manifest(#[source] serde_json::Error),
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
    /// Publishes run one at a time per process: they are rare, and it makes the debris
    /// replacement in `put_blob` safe against a concurrent publish of the same version.
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

        let manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            address: address.clone(),
            version: version.clone(),
            sha256: sha256.clone(),
            size: tarball.len() as u64,
            source,
            publisher: publisher.clone(),
            published_at: now_rfc3339(),
            interface: iface,
            changelog,
        };
        let manifest_json =
            serde_json::to_string_pretty(&manifest).map_err(PublishError::Manifest)?;

        self.put_blob(&BlobKey::archive(&address, &version), tarball, &sha256)
            .await?;
        let manifest_key = BlobKey::manifest(&address, &version);
        let (manifest, stored_json) = match self
            .store
            .put_new(&manifest_key, Bytes::from(manifest_json.clone()))
            .await?
        {
            PutOutcome::Created => (manifest, manifest_json),
            // A manifest without an index row: an earlier publish stopped just before the
            // index. The stored manifest wins; it is complete by construction.
            PutOutcome::AlreadyExists => {
                let stored = self.read_manifest(&manifest_key).await?;
                if stored.sha256 != sha256 {
                    return Err(PublishError::Conflict {
                        release: format!("{address} {version}"),
                        existing: stored.sha256,
                    });
                }
                let json = serde_json::to_string_pretty(&stored).map_err(PublishError::Manifest)?;
                (stored, json)
            }
        };

        let index = self.index.clone();
        let row = manifest.clone();
        let outcome = blocking(move || index.insert_release(&row, &stored_json)).await?;
        match outcome {
            InsertOutcome::Inserted => Ok(Published::Created(Box::new(manifest))),
            InsertOutcome::Exists { sha256: existing } if existing == sha256 => {
                Ok(Published::Unchanged(Box::new(manifest)))
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

    /// Create-only write of the tarball. A blob with no manifest is debris from an interrupted
    /// publish (the release never existed), so it is replaced.
    async fn put_blob(
        &self,
        key: &BlobKey,
        bytes: Bytes,
        sha256: &str,
    ) -> Result<(), PublishError> {
        if let PutOutcome::AlreadyExists = self.store.put_new(key, bytes.clone()).await? {
            let stored = self.store.get(key).await?;
            let same = stored.is_some_and(|b| archive::sha256_hex(&b) == sha256);
            if !same {
                self.store.delete(key).await?;
                self.store.put_new(key, bytes).await?;
            }
        }
        Ok(())
    }

    async fn read_manifest(&self, key: &BlobKey) -> Result<Manifest, PublishError> {
        let bytes = self.store.get(key).await?.unwrap_or_default();
        serde_json::from_slice(&bytes).map_err(PublishError::Manifest)
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
