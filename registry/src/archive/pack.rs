//! Reproducible packing: the same tree always yields the same bytes, hence the same sha256.
//!
//! Everything a tar or gzip header could leak from the packing machine (mtime, owner, umask,
//! file order, gzip timestamp and file name) is pinned, so a release rebuilt from the same git
//! tree on another machine verifies against the stored checksum.

use std::io::Write;
use std::path::Path;

use flate2::{Compression, GzBuilder};
use walkdir::{DirEntry, WalkDir};

use super::ArchiveError;

const FILE_MODE: u32 = 0o644;
const EXEC_MODE: u32 = 0o755;
/// Pinned so that upgrading flate2's default cannot change every checksum.
const LEVEL: u32 = 9;

/// Packs `dir` (recursively) into a reproducible `.tar.gz`.
///
/// Local state that must never ship is skipped: `.terraform/`, `.git/`, `*.tfstate*` and
/// `.terraform.lock.hcl` (the lock file belongs to the root configuration, not to a module).
/// Symbolic links are refused rather than silently dropped or followed.
pub fn pack_dir(dir: &Path) -> Result<Vec<u8>, ArchiveError> {
    let io_err = |path: &Path, source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut entries = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_excluded(e));
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err.path().unwrap_or(dir).to_owned();
            io_err(&path, err.into())
        })?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if kind.is_symlink() {
            return Err(ArchiveError::LocalSymlink { path: name });
        }
        let contents = std::fs::read(entry.path()).map_err(|e| io_err(entry.path(), e))?;
        let metadata = entry
            .metadata()
            .map_err(|e| io_err(entry.path(), e.into()))?;
        entries.push((name, contents, mode_of(&metadata)));
    }
    Ok(pack_entries(entries))
}

/// Local state that never ships in a release, by file or directory name: `.terraform/` and
/// `.git/` directories, `*.tfstate*` files and `.terraform.lock.hcl` (the lock file belongs to
/// the root configuration, not to a module). Shared by every way of packing a release.
pub fn is_local_state(name: &str, is_dir: bool) -> bool {
    if is_dir {
        name == ".terraform" || name == ".git"
    } else {
        name.contains(".tfstate") || name == ".terraform.lock.hcl"
    }
}

/// Like [`pack_files`], but keeping the executable bit (`(path, contents, executable)`), so a
/// module packed from a git tree and from a checkout of it gets the same bytes.
pub fn pack_files_with_modes(
    entries: impl IntoIterator<Item = (String, Vec<u8>, bool)>,
) -> Vec<u8> {
    pack_entries(
        entries
            .into_iter()
            .map(|(path, contents, exec)| {
                (path, contents, if exec { EXEC_MODE } else { FILE_MODE })
            })
            .collect(),
    )
}

/// Packs in-memory files (`(relative path, contents)`) into a reproducible `.tar.gz`, all with
/// mode 0644. Input order does not matter.
///
/// # Panics
///
/// If a path is absolute or contains `..`: callers pass paths they built themselves.
pub fn pack_files(entries: impl IntoIterator<Item = (String, Vec<u8>)>) -> Vec<u8> {
    pack_entries(
        entries
            .into_iter()
            .map(|(path, contents)| (path, contents, FILE_MODE))
            .collect(),
    )
}

fn pack_entries(mut entries: Vec<(String, Vec<u8>, u32)>) -> Vec<u8> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let gz = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::new(LEVEL));
    let mut tar = tar::Builder::new(gz);
    for (path, contents, mode) in entries {
        // A fresh GNU header has empty user/group names; every other field is set here.
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_size(contents.len() as u64);
        header.set_mode(mode);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(0);
        tar.append_data(&mut header, &path, contents.as_slice())
            .unwrap_or_else(|err| panic!("cannot pack `{path}`: {err}"));
    }
    let gz = tar
        .into_inner()
        .expect("writing a tar into memory cannot fail");
    let mut bytes = gz.finish().expect("gzip into memory cannot fail");
    bytes.flush().expect("flushing a Vec cannot fail");
    bytes
}

fn is_excluded(entry: &DirEntry) -> bool {
    is_local_state(
        &entry.file_name().to_string_lossy(),
        entry.file_type().is_dir(),
    )
}

#[cfg(unix)]
fn mode_of(metadata: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    if metadata.permissions().mode() & 0o111 != 0 {
        EXEC_MODE
    } else {
        FILE_MODE
    }
}

#[cfg(not(unix))]
fn mode_of(_metadata: &std::fs::Metadata) -> u32 {
    FILE_MODE
}
