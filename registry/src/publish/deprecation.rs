//! The release lifecycle after publishing: deprecating a release and taking that back.
//!
//! A deprecated release stays in `/versions` and stays installable (removing it would break
//! pins); its record (reason, replacement, when, by whom) lives in the blob store beside the
//! manifest (create-only generations: `deprecation_log.rs`), so every replica and every
//! `modreg reindex` keeps it, and is mirrored in the index for readers. Every change is
//! audited.

use semver::Version;

use super::{now_rfc3339, Publisher};
use crate::address::ModuleAddress;
use crate::deprecation_log::{self, DeprecationLogError};
use crate::index::{AuditEvent, IndexError};
use crate::manifest::Deprecation;
use crate::telemetry::blocking;

/// Longest accepted reason, in bytes: a sentence or two, not a changelog.
pub const MAX_REASON_BYTES: usize = 1024;

/// A request to deprecate one release, already authorised.
pub struct DeprecationRequest {
    pub address: ModuleAddress,
    pub version: Version,
    pub reason: String,
    pub replacement: Option<Version>,
    /// The token description of whoever asks.
    pub by: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DeprecationError {
    #[error(
        "module `{address}` has no version `{version}`: only published releases can be deprecated"
    )]
    UnknownRelease {
        address: ModuleAddress,
        version: Version,
    },
    #[error("the replacement `{replacement}` is not a published version of `{address}`: publish it first or leave `replacement` out")]
    UnknownReplacement {
        address: ModuleAddress,
        replacement: Version,
    },
    #[error("a release cannot be its own replacement: name a different version or leave `replacement` out")]
    SelfReplacement,
    #[error("the reason must be 1 to {MAX_REASON_BYTES} bytes of text: say why users should move off this version")]
    BadReason,
    #[error("the deprecation record could not be stored")]
    Storage(#[from] DeprecationLogError),
    #[error("the index failed")]
    Index(#[from] IndexError),
}

impl Publisher {
    /// Deprecates a release (again: the new record replaces the old one).
    pub async fn deprecate(
        &self,
        request: DeprecationRequest,
    ) -> Result<Deprecation, DeprecationError> {
        let DeprecationRequest {
            address,
            version,
            reason,
            replacement,
            by,
        } = request;
        let reason = reason.trim().to_owned();
        if reason.is_empty() || reason.len() > MAX_REASON_BYTES {
            return Err(DeprecationError::BadReason);
        }
        if replacement.as_ref() == Some(&version) {
            return Err(DeprecationError::SelfReplacement);
        }
        let _one_at_a_time = self.lock.lock().await;
        self.require_release(&address, &version).await?;
        if let Some(replacement) = &replacement {
            if let Err(DeprecationError::UnknownRelease { .. }) =
                self.require_release(&address, replacement).await
            {
                return Err(DeprecationError::UnknownReplacement {
                    address,
                    replacement: replacement.clone(),
                });
            }
        }
        let deprecation = Deprecation {
            reason,
            replacement,
            at: now_rfc3339(),
            by: by.clone(),
        };
        deprecation_log::write(
            self.store.as_ref(),
            &address,
            &version,
            Some(&deprecation),
            &by,
        )
        .await?;
        self.mirror(&address, &version, Some(deprecation.clone()))
            .await?;
        tracing::info!(module = %address, %version, reason = %deprecation.reason, by, "deprecated");
        self.audit(AuditEvent {
            action: "deprecate".into(),
            actor: by,
            subject: format!("{address}/{version}"),
            detail: serde_json::json!({
                "reason": deprecation.reason,
                "replacement": deprecation.replacement,
            }),
        })
        .await;
        Ok(deprecation)
    }

    /// Takes a deprecation back; returns whether the release was deprecated.
    pub async fn undeprecate(
        &self,
        address: &ModuleAddress,
        version: &Version,
        by: &str,
    ) -> Result<bool, DeprecationError> {
        let _one_at_a_time = self.lock.lock().await;
        let was = self.require_release(address, version).await?;
        let (stored, _) = deprecation_log::read(self.store.as_ref(), address, version).await?;
        if stored.is_some() {
            deprecation_log::write(self.store.as_ref(), address, version, None, by).await?;
        }
        self.mirror(address, version, None).await?;
        if was {
            tracing::info!(module = %address, %version, by, "deprecation withdrawn");
            self.audit(AuditEvent {
                action: "undeprecate".into(),
                actor: by.to_owned(),
                subject: format!("{address}/{version}"),
                detail: serde_json::json!({}),
            })
            .await;
        }
        Ok(was)
    }

    /// Whether the release is deprecated now; `UnknownRelease` when it is not published.
    async fn require_release(
        &self,
        address: &ModuleAddress,
        version: &Version,
    ) -> Result<bool, DeprecationError> {
        let index = self.index.clone();
        let (a, v) = (address.clone(), version.clone());
        match blocking(move || index.release(&a, &v)).await? {
            Some(row) => Ok(row.deprecation.is_some()),
            None => Err(DeprecationError::UnknownRelease {
                address: address.clone(),
                version: version.clone(),
            }),
        }
    }

    async fn mirror(
        &self,
        address: &ModuleAddress,
        version: &Version,
        deprecation: Option<Deprecation>,
    ) -> Result<(), DeprecationError> {
        let index = self.index.clone();
        let (a, v) = (address.clone(), version.clone());
        blocking(move || index.set_deprecation(&a, &v, deprecation.as_ref())).await?;
        self.catalog.invalidate();
        Ok(())
    }
}
