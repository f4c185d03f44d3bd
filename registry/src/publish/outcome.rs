//! What follows every publish attempt, whoever made it: the outcome metric, the cache
//! invalidation, the audit record and the log line.

use semver::Version;

use super::{NewRelease, PublishError, Published, Publisher};
use crate::address::ModuleAddress;
use crate::index::AuditEvent;
use crate::manifest::ReleaseSource;
use crate::metrics::PublishOutcome;

/// The identity of one publish attempt, kept for recording its outcome.
pub(super) struct Attempt {
    pub address: ModuleAddress,
    pub version: Version,
    pub publisher: String,
    pub source: Option<ReleaseSource>,
}

impl Attempt {
    pub fn of(release: &NewRelease) -> Self {
        Self {
            address: release.address.clone(),
            version: release.version.clone(),
            publisher: release.publisher.clone(),
            source: release.source.clone(),
        }
    }
}

impl PublishError {
    /// The `modreg_publishes_total` outcome of this error. Exhaustive on purpose: a new
    /// variant must be classified here, never filed silently under one bucket.
    pub fn outcome(&self) -> PublishOutcome {
        match self {
            Self::Conflict { .. } => PublishOutcome::Conflict,
            Self::Archive(_)
            | Self::Interface(_)
            | Self::Semver(_)
            | Self::TooLarge { .. }
            | Self::EmptyUpload => PublishOutcome::Rejected,
            Self::Storage(_) | Self::Index(_) | Self::Manifest(_) | Self::StoredManifest { .. } => {
                PublishOutcome::Error
            }
        }
    }
}

impl Published {
    pub fn outcome(&self) -> PublishOutcome {
        match self {
            Self::Created(_) => PublishOutcome::Created,
            Self::Unchanged(_) => PublishOutcome::Unchanged,
        }
    }
}

impl Publisher {
    pub(super) async fn record(&self, what: &Attempt, result: Result<&Published, &PublishError>) {
        let outcome = match result {
            Ok(published) => published.outcome(),
            Err(e) => e.outcome(),
        };
        self.metrics.count_publish(outcome);
        let (module, version, publisher) = (&what.address, &what.version, &what.publisher);
        let tag = what.source.as_ref().map(|s| s.tag.as_str());
        match result {
            Ok(Published::Created(manifest)) => {
                self.catalog.invalidate();
                tracing::info!(%module, %version, sha256 = %manifest.sha256, publisher, tag, "published");
                self.audit(AuditEvent {
                    action: "publish".into(),
                    actor: publisher.clone(),
                    subject: format!("{module}/{version}"),
                    detail: serde_json::json!({
                        "sha256": manifest.sha256,
                        "size": manifest.size,
                        "source": manifest.source,
                    }),
                })
                .await;
            }
            Ok(Published::Unchanged(_)) => {
                tracing::debug!(%module, %version, publisher, tag, "already published with the same bytes");
            }
            Err(e) => {
                if matches!(e, PublishError::Storage(_)) {
                    self.metrics
                        .storage_errors
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let error = crate::telemetry::error_chain(e);
                match outcome {
                    PublishOutcome::Error => {
                        tracing::error!(%module, %version, publisher, tag, error, "publish failed")
                    }
                    _ => {
                        tracing::warn!(%module, %version, publisher, tag, outcome = outcome.as_str(), error, "publish refused")
                    }
                }
            }
        }
    }

    /// Appends to the audit log in the store and the index; a failure is logged, never fails
    /// the change it records.
    pub(crate) async fn audit(&self, event: AuditEvent) {
        crate::auth_store::record_audit(self.store.as_ref(), Some(&self.index), event).await;
    }
}
