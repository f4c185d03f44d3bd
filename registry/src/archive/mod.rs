//! Hostile-input archive handling: reproducible pack, safe inspect, sha256.
//!
//! Uploaded tarballs come from outside the trust boundary, so `inspect` decodes them in memory
//! under hard limits and never touches the filesystem. `pack_dir`/`pack_files` produce the
//! byte-for-byte reproducible tarballs the registry stores (same tree → same sha256).

mod error;
mod inspect;
mod pack;
mod path;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

pub use error::ArchiveError;
pub use inspect::inspect;
pub use pack::{is_local_state, pack_dir, pack_files, pack_files_with_modes};

/// Ceilings applied while decoding an upload; each one stops a different kind of abuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Size of the `.tar.gz` as uploaded.
    pub max_compressed_bytes: u64,
    /// Bytes inflated from the gzip stream (tar headers included): the gzip-bomb guard.
    pub max_uncompressed_bytes: u64,
    /// Tar entries of any kind, directories and links included.
    pub max_entries: usize,
    /// Size of any single regular file.
    pub max_file_bytes: u64,
}

const MIB: u64 = 1024 * 1024;

impl Default for Limits {
    /// Generous for Terraform modules (mostly a few KiB of HCL), tight enough that one upload
    /// cannot exhaust a replica's memory.
    fn default() -> Self {
        Limits {
            max_compressed_bytes: 20 * MIB,
            max_uncompressed_bytes: 100 * MIB,
            max_entries: 5_000,
            max_file_bytes: 10 * MIB,
        }
    }
}

/// The regular files of an inspected archive, keyed by normalized relative path
/// (`/`-separated, no `./` prefix, no `..`). Directories and in-tree links are not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Archive {
    files: BTreeMap<String, Vec<u8>>,
}

impl Archive {
    /// An archive of files already read and trusted (a module directory on disk), keyed by
    /// normalized relative path.
    pub fn from_files(files: BTreeMap<String, Vec<u8>>) -> Self {
        Archive { files }
    }

    /// All files, sorted by path.
    pub fn files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    /// The contents of the file at `path` (normalized form, e.g. `modules/x/main.tf`).
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Files directly inside `dir` (`""` for the root), as `(file name, contents)`, sorted.
    pub fn dir_files<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, &'a [u8])> + 'a {
        let prefix = dir_prefix(dir);
        self.files
            .range(prefix.clone()..)
            .take_while(move |(path, _)| path.starts_with(&prefix))
            .filter_map({
                let len = dir_prefix(dir).len();
                move |(path, bytes)| {
                    let name = &path[len..];
                    (!name.contains('/')).then_some((name, bytes.as_slice()))
                }
            })
    }

    /// Names of the immediate subdirectories of `dir` that contain at least one file, sorted.
    pub fn subdirs(&self, dir: &str) -> Vec<&str> {
        let prefix = dir_prefix(dir);
        let mut names: Vec<&str> = self
            .files
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .filter_map(|(path, _)| path[prefix.len()..].split_once('/').map(|(d, _)| d))
            .collect();
        names.dedup();
        names
    }

    /// The number of regular files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the archive holds no regular file (never the case after `inspect`).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Gives up the file map.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files
    }
}

fn dir_prefix(dir: &str) -> String {
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// Lower-case hex sha256, the form used in manifests and `checksum=sha256:` query strings.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
