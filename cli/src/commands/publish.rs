//! `modreg publish`: pack a module directory or a git release tag (or, with `--all-tags`, every
//! unpublished release tag: `all_tags.rs`) reproducibly and upload it to the publish API.

use std::path::Path;

use anyhow::Context as _;
use registry::address::{parse_version, ModuleAddress};
use registry::archive;
use registry::git_tags::{self, ReleaseTag, TagPattern};

use registry::api_model::PublishedBody;

use super::{all_tags, tags};
use crate::args::PublishArgs;
use crate::client::{self, ClientError, RegistryClient};
use crate::Outcome;

pub fn parse_module(raw: &str) -> anyhow::Result<ModuleAddress> {
    let parts: Vec<&str> = raw.split('/').collect();
    let [ns, name, system] = parts.as_slice() else {
        anyhow::bail!(
            "`{raw}` must be a module address `namespace/name/system`, e.g. `platform/vpc/aws`"
        );
    };
    Ok(ModuleAddress::parse(ns, name, system)?)
}

/// Where the release's bytes and provenance came from.
pub struct Release {
    pub address: ModuleAddress,
    pub version: semver::Version,
    pub tarball: Vec<u8>,
    /// `(repo, tag, commit)` for the manifest's `source`.
    pub source: Option<(String, String, String)>,
}

impl Release {
    /// Runs the registry's own archive and HCL gates locally: the same errors, before any
    /// upload. Returns the packed file names.
    pub fn check(&self) -> anyhow::Result<Vec<String>> {
        let contents = archive::inspect(&self.tarball, &archive::Limits::default())?;
        registry::interface::extract(&contents)?;
        Ok(contents.files().keys().cloned().collect())
    }

    /// Uploads to the publish API; the registry's answer (`outcome`, `sha256`, …).
    pub async fn upload(&self, client: &RegistryClient) -> Result<PublishedBody, ClientError> {
        let provenance: Vec<(&str, &str)> = match &self.source {
            Some((repo, tag, commit)) => vec![
                ("x-modreg-source-repo", repo),
                ("x-modreg-source-tag", tag),
                ("x-modreg-source-commit", commit),
            ],
            None => Vec::new(),
        };
        client
            .publish(
                &self.address.to_string(),
                &self.version.to_string(),
                self.tarball.clone(),
                &provenance,
            )
            .await
    }
}

/// The registry to publish to; clap requires both unless --dry-run.
pub async fn registry_of(args: &PublishArgs) -> anyhow::Result<RegistryClient> {
    let (Some(url), Some(token)) = (&args.url, &args.token) else {
        anyhow::bail!("publishing needs --url and --token (or MODREG_URL and MODREG_TOKEN); --dry-run needs neither");
    };
    Ok(RegistryClient::discover(client::http_client()?, url, Some(token.clone())).await?)
}

pub async fn run(args: PublishArgs) -> anyhow::Result<Outcome> {
    if args.all_tags {
        return all_tags::run(&args).await;
    }
    let release = match &args.git_tag {
        Some(tag) => from_git_tag(&args, tag).await?,
        None => from_dir(&args)?,
    };
    let files = release.check()?;
    let Release {
        address,
        version,
        tarball,
        source,
    } = &release;
    let sha256 = archive::sha256_hex(tarball);
    if args.dry_run {
        for path in files {
            eprintln!("  {path}");
        }
        println!("{sha256}  {address} {version}");
        eprintln!("would publish {address} {version}: {} bytes", tarball.len());
        if let Some((repo, tag, commit)) = source {
            eprintln!("  from {repo} tag {tag} commit {commit}");
        }
        return Ok(Outcome::Ok);
    }
    let client = registry_of(&args).await?;
    let published = release
        .upload(&client)
        .await
        .with_context(|| format!("the registry did not publish {address} {version}"))?;
    println!("{}", serde_json::to_string_pretty(&published)?);
    eprintln!(
        "{address} {version}: {} (sha256 {sha256})",
        published.outcome
    );
    Ok(Outcome::Ok)
}

fn from_dir(args: &PublishArgs) -> anyhow::Result<Release> {
    // clap requires these without --git-tag; the messages cover a caller that bypasses it.
    let (Some(dir), Some(module), Some(version)) = (&args.dir, &args.module, &args.version) else {
        anyhow::bail!(
            "give a module directory with --module and --version, --git-tag TAG or --all-tags"
        );
    };
    if args.pattern.subdir_pattern.is_some()
        || args.pattern.tag_pattern != git_tags::DEFAULT_TAG_PATTERN
    {
        anyhow::bail!("--tag-pattern and --subdir-pattern apply only with --git-tag or --all-tags");
    }
    let tarball =
        archive::pack_dir(dir).with_context(|| format!("cannot pack `{}`", dir.display()))?;
    Ok(Release {
        address: parse_module(module)?,
        version: parse_version(version)?,
        tarball,
        source: match (&args.source_repo, &args.source_tag, &args.source_commit) {
            (Some(repo), Some(tag), Some(commit)) => {
                Some((repo.clone(), tag.clone(), commit.clone()))
            }
            _ => None,
        },
    })
}

async fn from_git_tag(args: &PublishArgs, tag: &str) -> anyhow::Result<Release> {
    let pattern = tags::pattern(&args.pattern)?;
    let address = tags::module_override(args.module.as_deref(), &pattern)?;
    let (repo, tag_name) = (args.repo.clone(), tag.to_owned());
    let (release, tarball, origin) =
        tokio::task::spawn_blocking(move || pack_release_tag(&repo, &pattern, &tag_name))
            .await
            .context("packing the tag did not finish")??;
    let address = tags::address_of(&release, &args.namespace, address.as_ref())?;
    Ok(Release {
        address,
        version: release.version,
        tarball,
        source: Some((origin, release.tag, release.commit)),
    })
}

/// Finds `tag` among the release tags of `repo` and packs it; also returns the provenance URL
/// (the origin remote, or the repository path without one).
pub fn pack_release_tag(
    repo: &Path,
    pattern: &TagPattern,
    tag: &str,
) -> anyhow::Result<(ReleaseTag, Vec<u8>, String)> {
    let scan = git_tags::list_release_tags(repo, pattern)?;
    let Some(release) = scan.releases.into_iter().find(|r| r.tag == tag) else {
        if let Some((_, reason)) = scan.skipped.iter().find(|(t, _)| t == tag) {
            anyhow::bail!("tag `{tag}` is not a release: {reason}");
        }
        anyhow::bail!(
            "`{}` has no release tag `{tag}` under the pattern `{}` (`modreg tags --repo {}` lists them)",
            repo.display(),
            pattern.as_str(),
            repo.display()
        );
    };
    let tarball = git_tags::pack_tag(repo, &release)?;
    Ok((release, tarball, origin_of(repo)))
}

/// The provenance URL of a repository: its origin remote, or its path without one.
pub fn origin_of(repo: &Path) -> String {
    git_tags::remote_url(repo).unwrap_or_else(|| {
        std::path::absolute(repo)
            .unwrap_or_else(|_| repo.to_owned())
            .display()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;

    /// Runs `git` (the CLI crate builds repositories the way users do).
    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            // A developer's signing setup must not make the tests prompt or fail.
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git is installed");
        assert!(status.success(), "git {args:?} failed");
    }

    fn repo_with_tags() -> tempfile::TempDir {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path();
        git(path, &["init", "-q"]);
        std::fs::create_dir_all(path.join("modules/vpc")).unwrap();
        std::fs::write(path.join("modules/vpc/main.tf"), "variable \"cidr\" {}\n").unwrap();
        git(path, &["add", "-A"]);
        git(path, &["commit", "-qm", "vpc"]);
        git(path, &["tag", "-a", "-m", "release", "vpc/v1.0.0"]);
        git(path, &["tag", "vpc/v1.0"]);
        dir
    }

    fn monorepo() -> TagPattern {
        TagPattern::parse(git_tags::DEFAULT_TAG_PATTERN).unwrap()
    }

    #[test]
    fn a_release_tag_is_packed_with_the_repository_path_as_provenance_without_an_origin() {
        let dir = repo_with_tags();
        let (release, tarball, origin) =
            pack_release_tag(dir.path(), &monorepo(), "vpc/v1.0.0").unwrap();
        assert_eq!(release.module.as_deref(), Some("vpc"));
        assert_eq!(release.commit.len(), 40);
        assert_eq!(
            origin,
            std::path::absolute(dir.path())
                .unwrap()
                .display()
                .to_string()
        );
        let files = archive::inspect(&tarball, &archive::Limits::default()).unwrap();
        assert_eq!(files.files().keys().collect::<Vec<_>>(), ["main.tf"]);
    }

    #[test]
    fn a_skipped_tag_is_refused_with_its_reason() {
        let dir = repo_with_tags();
        let err = pack_release_tag(dir.path(), &monorepo(), "vpc/v1.0").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("tag `vpc/v1.0` is not a release: `1.0` is not a canonical"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_tag_points_at_modreg_tags() {
        let dir = repo_with_tags();
        let err = pack_release_tag(dir.path(), &monorepo(), "s3/v1.0.0").unwrap_err();
        assert!(
            err.to_string().contains("has no release tag `s3/v1.0.0`"),
            "{err}"
        );
        assert!(err.to_string().contains("`modreg tags --repo"), "{err}");
    }

    fn publish_args(args: &[&str]) -> PublishArgs {
        use clap::Parser as _;
        let argv = [
            "modreg",
            "publish",
            "--url",
            "https://r.example",
            "--token",
            "t",
        ];
        match crate::args::Cli::try_parse_from(argv.iter().chain(args))
            .unwrap()
            .command
        {
            crate::args::Command::Publish(args) => args,
            _ => unreachable!("parsed `publish`"),
        }
    }

    #[tokio::test]
    async fn the_module_address_defaults_to_namespace_module_aws() {
        let dir = repo_with_tags();
        let repo = dir.path().to_str().unwrap();
        let args = publish_args(&[
            "--git-tag",
            "vpc/v1.0.0",
            "--repo",
            repo,
            "--namespace",
            "net",
        ]);
        let release = from_git_tag(&args, "vpc/v1.0.0").await.unwrap();
        assert_eq!(release.address.to_string(), "net/vpc/aws");
        assert_eq!(release.version, semver::Version::new(1, 0, 0));
        let (_, tag, commit) = release.source.unwrap();
        assert_eq!((tag.as_str(), commit.len()), ("vpc/v1.0.0", 40));
    }

    #[tokio::test]
    async fn a_pattern_without_a_module_needs_module() {
        let args = publish_args(&["--git-tag", "v1.0.0", "--tag-pattern", "v{version}"]);
        let Err(err) = from_git_tag(&args, "v1.0.0").await else {
            panic!("published without a module");
        };
        assert_eq!(
            err.to_string(),
            "--module is required: the tag pattern `v{version}` names no module"
        );
    }
}
