//! One round for one source: fetch, find the tags that are new or moved since the last round,
//! and settle each of them (publish, report as moved, or record why it was refused).
//!
//! Incremental: the tag refs of the mirror are compared with the ones settled in earlier
//! rounds, so a fetch that brings nothing new costs one ref listing: no tag scan, no packing,
//! no index write. A tag whose publish failed for a passing reason (storage, index) is not
//! settled and is tried again next round.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{fetch, Context, WatchedSource};
use crate::address::ModuleAddress;
use crate::git_tags::{self, GitError, ReleaseTag};
use crate::index::AuditEvent;
use crate::manifest::ReleaseSource;
use crate::metrics::PublishOutcome;
use crate::publish::{NewRelease, Published};
use crate::supervisor::Shutdown;
use crate::telemetry::blocking;

/// The actor of every publish and audit record the watcher makes.
pub const PUBLISHER: &str = "git-watch";

/// Tag name → the object its ref points at, for the tags settled so far.
pub(super) type Settled = HashMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub(super) enum RoundError {
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    #[error("git source `{source_name}`: {cause}")]
    Git {
        source_name: String,
        #[source]
        cause: GitError,
    },
}

/// What one round did, for the status and the log.
#[derive(Debug, Default)]
pub(super) struct RoundReport {
    pub changed: usize,
    pub published: usize,
}

enum Verdict {
    /// Done with this tag until it moves.
    Settled,
    /// A passing failure: try again next round.
    Retry,
}

pub(super) async fn round(
    source: &WatchedSource,
    ctx: &Context,
    settled: &mut Settled,
    shutdown: &Shutdown,
) -> Result<RoundReport, RoundError> {
    let mut stop = shutdown.clone();
    tokio::select! {
        fetched = fetch::fetch(&source.config, &source.mirror) => fetched?,
        () = stop.requested() => return Ok(RoundReport::default()),
    }
    let git_error = |cause| RoundError::Git {
        source_name: source.config.name.clone(),
        cause,
    };
    let mirror = source.mirror.clone();
    let refs = blocking(move || tag_refs(&mirror))
        .await
        .map_err(git_error)?;
    settled.retain(|tag, _| refs.contains_key(tag));
    let changed: HashSet<&String> = refs
        .iter()
        .filter(|(tag, target)| settled.get(*tag) != Some(*target))
        .map(|(tag, _)| tag)
        .collect();
    let mut report = RoundReport {
        changed: changed.len(),
        ..RoundReport::default()
    };
    if changed.is_empty() {
        return Ok(report);
    }
    fetch::pack_refs(&source.config, &source.mirror).await?;

    let (mirror, pattern) = (source.mirror.clone(), source.pattern.clone());
    let scan = blocking(move || git_tags::list_release_tags(&mirror, &pattern))
        .await
        .map_err(git_error)?;
    for (tag, reason) in scan.skipped.iter().filter(|(t, _)| changed.contains(t)) {
        tracing::warn!(
            source = source.config.name,
            tag,
            reason,
            "tag looks like a release but is not one"
        );
        source.update(|s| s.skipped(tag, reason));
    }
    let releases: Vec<&ReleaseTag> = scan
        .releases
        .iter()
        .filter(|r| changed.contains(&r.tag))
        .collect();
    let mut retry = HashSet::new();
    for release in releases {
        if shutdown.is_requested() {
            retry.insert(&release.tag);
            continue;
        }
        match settle(source, ctx, release, &mut report).await {
            Verdict::Settled => {}
            Verdict::Retry => {
                retry.insert(&release.tag);
            }
        }
    }
    // Tags that are not releases at all (`latest`, `docs/x`) are settled too.
    for tag in changed.iter().filter(|t| !retry.contains(*t)) {
        settled.insert((*tag).clone(), refs[*tag].clone());
    }
    Ok(report)
}

async fn settle(
    source: &WatchedSource,
    ctx: &Context,
    release: &ReleaseTag,
    report: &mut RoundReport,
) -> Verdict {
    let name = source.config.name.as_str();
    let module = release
        .module
        .clone()
        .or_else(|| source.config.module.clone())
        .unwrap_or_else(|| source.config.name.clone());
    let address =
        match ModuleAddress::parse(source.namespace.as_str(), &module, source.system.as_str()) {
            Ok(address) => address,
            Err(e) => {
                source.update(|s| s.refused(release, &e.to_string()));
                return Verdict::Settled;
            }
        };
    match ctx
        .publisher
        .release_manifest(&address, &release.version)
        .await
    {
        Err(e) => {
            tracing::warn!(source = name, tag = release.tag, error = %e, "cannot check whether the tag is published; will retry");
            return Verdict::Retry;
        }
        Ok(Some(published)) => {
            if let Some(recorded) = published.source.filter(|s| s.tag == release.tag) {
                if git_tags::moved(&recorded.commit, release) {
                    report_moved(source, ctx, &address, release, &recorded.commit).await;
                }
            }
            return Verdict::Settled;
        }
        Ok(None) => {}
    }
    let (mirror, tag) = (source.mirror.clone(), release.clone());
    let tarball = match blocking(move || git_tags::pack_tag(&mirror, &tag)).await {
        Ok(tarball) => tarball,
        Err(e) => {
            tracing::warn!(source = name, tag = release.tag, error = %e, "release tag cannot be packed");
            source.update(|s| s.refused(release, &e.to_string()));
            return Verdict::Settled;
        }
    };
    let result = ctx
        .publisher
        .publish(NewRelease {
            address,
            version: release.version.clone(),
            tarball: tarball.into(),
            publisher: PUBLISHER.to_owned(),
            source: Some(ReleaseSource {
                repo: source.repo_url.clone(),
                tag: release.tag.clone(),
                commit: release.commit.clone(),
            }),
        })
        .await;
    match result {
        Ok(Published::Created(_)) => {
            report.published += 1;
            source.update(|s| s.forget(&release.tag));
            Verdict::Settled
        }
        Ok(Published::Unchanged(_)) => Verdict::Settled,
        Err(e) if e.outcome() == PublishOutcome::Error => Verdict::Retry,
        Err(e) => {
            source.update(|s| s.refused(release, &e.to_string()));
            Verdict::Settled
        }
    }
}

async fn report_moved(
    source: &WatchedSource,
    ctx: &Context,
    address: &ModuleAddress,
    release: &ReleaseTag,
    published_commit: &str,
) {
    let name = source.config.name.as_str();
    ctx.metrics
        .git_source(name)
        .moved
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(
        source = name,
        tag = release.tag,
        module = %address,
        version = %release.version,
        published_commit,
        tag_commit = release.commit,
        "release tag was moved after publishing; the release keeps its original bytes: tag a new version instead"
    );
    source.update(|s| s.moved(release, published_commit));
    ctx.publisher
        .audit(AuditEvent {
            action: "git.tag_moved".into(),
            actor: PUBLISHER.into(),
            subject: format!("{address}/{}", release.version),
            detail: serde_json::json!({
                "source": name,
                "tag": release.tag,
                "published_commit": published_commit,
                "tag_commit": release.commit,
            }),
        })
        .await;
}

/// Every tag ref of the mirror and the object it points at (not peeled: a moved annotated tag
/// is a new tag object, which is all this needs to notice).
fn tag_refs(mirror: &Path) -> Result<HashMap<String, String>, GitError> {
    let repo = git_tags::open(mirror)?;
    let list_error = |source| GitError::ListTags {
        repo: mirror.to_owned(),
        source,
    };
    let mut refs = HashMap::new();
    for reference in repo.references_glob("refs/tags/*").map_err(list_error)? {
        let reference = reference.map_err(list_error)?;
        if let (Some(name), Some(target)) = (reference.name(), reference.target()) {
            if let Some(tag) = name.strip_prefix("refs/tags/") {
                refs.insert(tag.to_owned(), target.to_string());
            }
        }
    }
    Ok(refs)
}
