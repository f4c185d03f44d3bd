//! Release tags in a local git repository: which tags are releases, and their reproducible tarballs.
//!
//! Everything here is blocking (libgit2): call it from `spawn_blocking` / `web::block`, never on
//! an async worker. Only local repositories are read; fetching is the caller's business.
//!
//! A release's bytes come from the git objects of the tagged commit (see [`pack_tag`]), so a
//! dirty working tree cannot leak into a release and the same tree always has the same sha256.
//!
//! # Moved tags
//!
//! Published releases never change, so a tag that now points somewhere else is reported, never
//! followed. The caller holds the manifest of the published version: if its `source.tag` is the
//! tag being considered and [`moved`]`(&source.commit, &tag)` is true, the tag was moved after
//! publishing. Report it (naming both commits) and do not publish; re-publishing would be a
//! `409 Conflict` anyway when the tree differs, and a silent no-op when only the commit did.

mod pack;
mod pattern;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use git2::Repository;

pub use pack::pack_tag;
use pattern::TagMatch;
pub use pattern::{TagPattern, DEFAULT_SUBDIR_PATTERN, DEFAULT_TAG_PATTERN};

/// A tag that names a release under a [`TagPattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTag {
    /// The tag's name without `refs/tags/` (`vpc/v1.2.0`).
    pub tag: String,
    /// The module the tag names, as written in the tag; `None` for single-module patterns.
    pub module: Option<String>,
    pub version: semver::Version,
    /// Full sha of the commit the tag points at (annotated tags are peeled).
    pub commit: String,
    /// Directory the release is packed from, relative to the repository root; `""` is the root.
    pub subdir: String,
}

impl ReleaseTag {
    /// The first 12 hex digits of the commit, for messages.
    pub fn short_commit(&self) -> &str {
        short_commit(&self.commit)
    }
}

/// The outcome of scanning a repository's tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagScan {
    /// Release tags, sorted by module, then by semver precedence.
    pub releases: Vec<ReleaseTag>,
    /// Tags that look like releases but cannot be one, with the reason; sorted by tag.
    pub skipped: Vec<(String, String)>,
}

/// Why a repository could not be read or a tag could not be packed; each message names the
/// repository or the tag.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("invalid tag pattern `{pattern}`: {reason}")]
    Pattern { pattern: String, reason: String },
    #[error("invalid subdirectory pattern `{pattern}`: {reason}")]
    SubdirPattern { pattern: String, reason: String },
    #[error("cannot open `{}` as a git repository (is it the root of a git checkout?)", repo.display())]
    Open {
        repo: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("cannot list the tags of `{}`", repo.display())]
    ListTags {
        repo: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("tag `{tag}` points at commit {commit}, which is not in `{}` (a shallow clone? fetch the tag's history)", repo.display())]
    MissingCommit {
        repo: PathBuf,
        tag: String,
        commit: String,
        #[source]
        source: git2::Error,
    },
    #[error("tag `{tag}` points at commit {commit}, which has no `{subdir}` directory")]
    MissingSubdir {
        tag: String,
        commit: String,
        subdir: String,
    },
    #[error("tag `{tag}`: `{path}` is a {kind}; modreg packs only regular files stored in the repository, so replace it with the files themselves")]
    Unsupported {
        tag: String,
        path: String,
        kind: &'static str,
    },
    #[error("tag `{tag}`: path `{path}` is not valid UTF-8 or not a plain relative name")]
    BadPath { tag: String, path: String },
    #[error("tag `{tag}`: cannot read `{path}` at commit {commit} from `{}`", repo.display())]
    ReadObject {
        repo: PathBuf,
        tag: String,
        commit: String,
        path: String,
        #[source]
        source: git2::Error,
    },
}

pub(crate) fn open(repo: &Path) -> Result<Repository, GitError> {
    Repository::open(repo).map_err(|source| GitError::Open {
        repo: repo.to_owned(),
        source,
    })
}

pub fn short_commit(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

/// Lists every tag of `repo` that is a release under `pattern`, and every tag that looks like
/// one but is not (invalid semver or module name, or pointing at something other than a commit).
pub fn list_release_tags(repo: &Path, pattern: &TagPattern) -> Result<TagScan, GitError> {
    let git = open(repo)?;
    let list_err = |source| GitError::ListTags {
        repo: repo.to_owned(),
        source,
    };
    let names = git.tag_names(None).map_err(list_err)?;
    let mut scan = TagScan::default();
    // Tag names that are not UTF-8 cannot be typed on a command line or stored; libgit2
    // yields them as `None` and they are not releases.
    for tag in names.iter().flatten() {
        let (module, version) = match pattern.classify(tag) {
            TagMatch::NotCandidate => continue,
            TagMatch::Invalid(reason) => {
                scan.skipped.push((tag.to_owned(), reason));
                continue;
            }
            TagMatch::Release { module, version } => (module, version),
        };
        let commit = match git
            .find_reference(&format!("refs/tags/{tag}"))
            .and_then(|reference| reference.peel_to_commit())
        {
            Ok(commit) => commit.id().to_string(),
            Err(err) => {
                let reason = format!("it does not point at a commit: {}", err.message());
                scan.skipped.push((tag.to_owned(), reason));
                continue;
            }
        };
        let subdir = pattern.subdir_for(module.as_deref());
        scan.releases.push(ReleaseTag {
            tag: tag.to_owned(),
            module,
            version,
            commit,
            subdir,
        });
    }
    // `Version`'s `Ord` also orders build metadata, so the order is total and stable.
    scan.releases
        .sort_by(|a, b| (&a.module, &a.version).cmp(&(&b.module, &b.version)));
    scan.skipped.sort();
    Ok(scan)
}

/// The URL of the `origin` remote, for provenance; `None` without one. Credentials embedded in
/// an `http(s)` URL (`https://user:token@host/…`) are removed so they never reach a manifest.
pub fn remote_url(repo: &Path) -> Option<String> {
    let git = Repository::open(repo).ok()?;
    let remote = git.find_remote("origin").ok()?;
    remote.url().map(strip_credentials)
}

pub(crate) fn strip_credentials(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return url.to_owned();
    }
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Whether `tag` now points at a different commit than the one recorded when its release was
/// published (`source.commit` in the manifest). Comparison ignores hex case.
pub fn moved(recorded_commit: &str, tag: &ReleaseTag) -> bool {
    !recorded_commit.trim().eq_ignore_ascii_case(&tag.commit)
}
