//! `modreg publish --all-tags`: every release tag of a repository that the registry does not
//! have yet, lowest version first per module (so each passes the semver gate against the one
//! before), one line per tag and a summary.
//!
//! A tag already published from the same commit is `unchanged`; one published from another
//! commit has `moved` and is never re-uploaded. Exit 1 when any tag was refused or moved.

use std::fmt::Write as _;

use anyhow::Context as _;
use registry::archive;
use registry::git_tags::{self, ReleaseTag, TagScan};

use super::publish::{origin_of, registry_of, Release};
use super::tags::{self, TagState};
use crate::args::PublishArgs;
use crate::client::{ClientError, RegistryClient};
use crate::Outcome;

#[derive(Default)]
struct Tally {
    created: usize,
    unchanged: usize,
    refused: usize,
    moved: usize,
}

pub async fn run(args: &PublishArgs) -> anyhow::Result<Outcome> {
    let pattern = tags::pattern(&args.pattern)?;
    let module = tags::module_override(args.module.as_deref(), &pattern)?;
    let repo = args.repo.clone();
    let scan: TagScan =
        tokio::task::spawn_blocking(move || git_tags::list_release_tags(&repo, &pattern))
            .await
            .context("the tag scan did not finish")??;
    let registry = if args.dry_run {
        None
    } else {
        Some(registry_of(args).await?)
    };
    let origin = origin_of(&args.repo);
    let mut tally = Tally::default();
    for release in &scan.releases {
        let address = tags::address_of(release, &args.namespace, module.as_ref())?;
        let line = match &registry {
            Some(registry) => {
                publish_one(registry, release, address, &origin, args, &mut tally).await?
            }
            None => match build(args, release, address, &origin).await {
                Ok(built) => format!(
                    "would publish {}  {} {}  sha256 {}",
                    release.tag,
                    built.address,
                    built.version,
                    archive::sha256_hex(&built.tarball)
                ),
                Err(refusal) => {
                    tally.refused += 1;
                    refusal
                }
            },
        };
        println!("{line}");
    }
    for (tag, reason) in &scan.skipped {
        println!("skipped    {tag}: {reason}");
    }
    let mut summary = String::new();
    let _ = write!(
        summary,
        "{} release tag(s): {} created, {} already published, {} refused, {} moved; {} tag(s) skipped",
        scan.releases.len(),
        tally.created,
        tally.unchanged,
        tally.refused,
        tally.moved,
        scan.skipped.len()
    );
    eprintln!("{summary}");
    Ok(if tally.refused + tally.moved > 0 {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

async fn publish_one(
    registry: &RegistryClient,
    release: &ReleaseTag,
    address: registry::address::ModuleAddress,
    origin: &str,
    args: &PublishArgs,
    tally: &mut Tally,
) -> anyhow::Result<String> {
    let tag = &release.tag;
    match tags::tag_state(registry, &address, release).await? {
        TagState::Published => {
            tally.unchanged += 1;
            return Ok(format!("unchanged  {tag}  {address} {}", release.version));
        }
        TagState::Moved { published_commit } => {
            tally.moved += 1;
            return Ok(format!(
                "moved      {tag}: published from {}, the tag now points at {}; releases never change, so tag a new version",
                git_tags::short_commit(&published_commit),
                release.short_commit()
            ));
        }
        TagState::New => {}
    }
    let built = match build(args, release, address, origin).await {
        Ok(built) => built,
        Err(refusal) => {
            tally.refused += 1;
            return Ok(refusal);
        }
    };
    match built.upload(registry).await {
        Ok(published) => {
            if published.outcome == "created" {
                tally.created += 1;
            } else {
                tally.unchanged += 1;
            }
            Ok(format!(
                "{:<10} {tag}  {} {}  sha256 {}",
                published.outcome, built.address, built.version, published.sha256
            ))
        }
        // A gate said no (409, 413, 422): report it and go on; 401/403 mean nothing can work.
        Err(ClientError::Status {
            status, message, ..
        }) if status.is_client_error() && !matches!(status.as_u16(), 401 | 403) => {
            tally.refused += 1;
            Ok(format!("refused    {tag}: {message}"))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("cannot publish `{tag}`"))),
    }
}

/// Packs the tag and runs the local gates; `Err` is the `refused …` line.
async fn build(
    args: &PublishArgs,
    release: &ReleaseTag,
    address: registry::address::ModuleAddress,
    origin: &str,
) -> Result<Release, String> {
    let refused = |e: &dyn std::fmt::Display| format!("refused    {}: {e}", release.tag);
    let (repo, tag) = (args.repo.clone(), release.clone());
    let tarball = tokio::task::spawn_blocking(move || git_tags::pack_tag(&repo, &tag))
        .await
        .map_err(|e| refused(&e))?
        .map_err(|e| refused(&e))?;
    let built = Release {
        address,
        version: release.version.clone(),
        tarball,
        source: Some((
            origin.to_owned(),
            release.tag.clone(),
            release.commit.clone(),
        )),
    };
    built.check().map_err(|e| refused(&format!("{e:#}")))?;
    Ok(built)
}
