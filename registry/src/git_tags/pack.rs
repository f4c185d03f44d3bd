//! Packing a release from the git objects of its tagged commit, never from the working tree.

use std::path::Path;

use git2::{ErrorCode, ObjectType, Oid, Repository, Tree};

use super::{open, short_commit, GitError, ReleaseTag};
use crate::archive;

/// Git's file mode for a symbolic link (the blob holds the link target).
const MODE_LINK: i32 = 0o120_000;
const MODE_EXEC: i32 = 0o100_755;

/// Packs `tag.subdir` of the commit `tag.commit` into a reproducible `.tar.gz`
/// (via [`archive::pack_files_with_modes`]: sorted entries, fixed mtime/owner, 0644 or 0755 as
/// in git).
///
/// The commit recorded in `tag` is packed, not whatever the tag points at now, so the bytes
/// always match the provenance the caller records.
///
/// Only regular files are packed. Symbolic links and submodules (gitlinks) are refused with an
/// error rather than skipped: dropping them would publish a module that differs from the one in
/// the repository, and following them could reach outside it. As with `archive::pack_dir`,
/// local state that must never ship is left out: `.terraform/`, `*.tfstate*` and
/// `.terraform.lock.hcl`.
pub fn pack_tag(repo: &Path, tag: &ReleaseTag) -> Result<Vec<u8>, GitError> {
    let git = open(repo)?;
    let missing_commit = |source| GitError::MissingCommit {
        repo: repo.to_owned(),
        tag: tag.tag.clone(),
        commit: tag.commit.clone(),
        source,
    };
    let commit = Oid::from_str(&tag.commit)
        .and_then(|oid| git.find_commit(oid))
        .map_err(missing_commit)?;
    let packer = Packer {
        repo,
        git: &git,
        tag,
    };
    // Errors before the subdirectory is reached name the subdirectory: that is what was asked for.
    let root = commit.tree().map_err(|e| packer.read_error("", e))?;
    let tree = if tag.subdir.is_empty() {
        root
    } else {
        let missing_subdir = || GitError::MissingSubdir {
            tag: tag.tag.clone(),
            commit: short_commit(&tag.commit).to_owned(),
            subdir: tag.subdir.clone(),
        };
        let entry = match root.get_path(Path::new(&tag.subdir)) {
            Ok(entry) => entry,
            Err(e) if e.code() == ErrorCode::NotFound => return Err(missing_subdir()),
            Err(e) => return Err(packer.read_error("", e)),
        };
        if entry.kind() != Some(ObjectType::Tree) {
            return Err(missing_subdir());
        }
        git.find_tree(entry.id())
            .map_err(|e| packer.read_error("", e))?
    };
    let mut files = Vec::new();
    packer.collect(&tree, "", &mut files)?;
    Ok(archive::pack_files_with_modes(files))
}

struct Packer<'a> {
    repo: &'a Path,
    git: &'a Repository,
    tag: &'a ReleaseTag,
}

impl Packer<'_> {
    /// Adds every file under `tree` to `files`, with paths relative to the release root.
    fn collect(
        &self,
        tree: &Tree<'_>,
        prefix: &str,
        files: &mut Vec<(String, Vec<u8>, bool)>,
    ) -> Result<(), GitError> {
        for entry in tree.iter() {
            let raw_name = String::from_utf8_lossy(entry.name_bytes());
            let join = |name: &str| {
                if prefix.is_empty() {
                    name.to_owned()
                } else {
                    format!("{prefix}/{name}")
                }
            };
            // git refuses such names itself, but a crafted repository can still contain them.
            let name = entry
                .name()
                .filter(|n| !n.is_empty() && *n != "." && *n != ".." && !n.contains(['/', '\\']))
                .ok_or_else(|| GitError::BadPath {
                    tag: self.tag.tag.clone(),
                    path: join(&raw_name),
                })?;
            let path = join(name);
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    if archive::is_local_state(name, true) {
                        continue;
                    }
                    let subtree = self
                        .git
                        .find_tree(entry.id())
                        .map_err(|e| self.read_error(&path, e))?;
                    self.collect(&subtree, &path, files)?;
                }
                Some(ObjectType::Blob) if entry.filemode() == MODE_LINK => {
                    return Err(self.unsupported(path, "symbolic link"));
                }
                Some(ObjectType::Blob) => {
                    if archive::is_local_state(name, false) {
                        continue;
                    }
                    let blob = self
                        .git
                        .find_blob(entry.id())
                        .map_err(|e| self.read_error(&path, e))?;
                    files.push((path, blob.content().to_vec(), entry.filemode() == MODE_EXEC));
                }
                Some(ObjectType::Commit) => return Err(self.unsupported(path, "submodule")),
                _ => return Err(self.unsupported(path, "tree entry of unknown kind")),
            }
        }
        Ok(())
    }

    fn unsupported(&self, path: String, kind: &'static str) -> GitError {
        GitError::Unsupported {
            tag: self.tag.tag.clone(),
            path: self.full_path(&path),
            kind,
        }
    }

    fn read_error(&self, path: &str, source: git2::Error) -> GitError {
        GitError::ReadObject {
            repo: self.repo.to_owned(),
            tag: self.tag.tag.clone(),
            commit: short_commit(&self.tag.commit).to_owned(),
            path: self.full_path(path),
            source,
        }
    }

    /// A path as users see it in the repository, for messages.
    fn full_path(&self, path: &str) -> String {
        match (self.tag.subdir.as_str(), path) {
            ("", "") => ".".to_owned(),
            ("", p) => p.to_owned(),
            (s, "") => s.to_owned(),
            (s, p) => format!("{s}/{p}"),
        }
    }
}
