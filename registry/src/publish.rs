//! The publish use case: gates → blob → manifest → index row.
//!
//! A release becomes visible only when all three exist, written in that order; the manifest is
//! the store's marker that a release is whole, and the index row is what readers see. A crash
//! at any point leaves either nothing visible or a whole release, and a retry completes it.

use std::sync::Arc;

use bytes::Bytes;
use semver::Version;

use crate::address::ModuleAddress;
use crate::archive::{self, ArchiveError, Limits};
use crate::index::{AuditEvent, Index, IndexError, InsertOutcome};
use crate::interface::{self, InterfaceError, SemverViolation};
use crate::manifest::{Manifest, ReleaseSource, MANIFEST_SCHEMA};
use crate::storage::{BlobKey, BlobStore, PutOutcome, StorageError};
use crate::telemetry::blocking;

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
}

/// Everything the publish use case needs.
#[derive(Clone)]
pub struct Publisher {
    pub index: Index,
    pub store: Arc<dyn BlobStore>,
    pub limits: Limits,
    /// Publishes run one at a time per process: they are rare, and it makes the debris
    /// replacement in `put_blob` safe against a concurrent publish of the same version.
    pub lock: Arc<tokio::sync::Mutex<()>>,
}

impl Publisher {
    pub async fn publish(&self, release: NewRelease) -> Result<Published, PublishError> {
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

        if let Some(existing) = self.existing(&address, &version).await? {
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
        let iface = blocking(move || -> Result<_, PublishError> {
            let contents = archive::inspect(&bytes, &limits)?;
            Ok(interface::extract(&contents)?)
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
            InsertOutcome::Inserted => {
                self.audit("publish", &publisher, &manifest).await;
                Ok(Published::Created(Box::new(manifest)))
            }
            InsertOutcome::Exists { sha256: existing } if existing == sha256 => {
                Ok(Published::Unchanged(Box::new(manifest)))
            }
            InsertOutcome::Exists { sha256: existing } => Err(PublishError::Conflict {
                release: format!("{address} {version}"),
                existing,
            }),
        }
    }

    async fn existing(
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
        let Some(prev) = self.existing(address, &previous.version).await? else {
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

    async fn audit(&self, action: &str, actor: &str, manifest: &Manifest) {
        let event = AuditEvent {
            action: action.to_owned(),
            actor: actor.to_owned(),
            subject: format!("{}/{}", manifest.address, manifest.version),
            detail: serde_json::json!({ "sha256": manifest.sha256, "size": manifest.size }),
        };
        let index = self.index.clone();
        if let Err(e) = blocking(move || index.append_audit(&event)).await {
            tracing::error!(error = %e, "could not write the audit record of a publish");
        }
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
