//! `inspect`: decode an uploaded `.tar.gz` in memory, under limits, refusing anything unsafe.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};

use flate2::read::GzDecoder;
use tar::EntryType;

use super::path::{link_stays_inside, normalize};
use super::{Archive, ArchiveError, Limits};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decodes `gz_bytes` and returns its regular files, or the first reason to refuse it.
///
/// Nothing is written to disk and nothing is inflated past `limits.max_uncompressed_bytes`,
/// so a gzip bomb costs at most that much work. It is CPU-bound: call it from
/// `web::block`/`spawn_blocking`, never directly on an async worker.
pub fn inspect(gz_bytes: &[u8], limits: &Limits) -> Result<Archive, ArchiveError> {
    let size = gz_bytes.len() as u64;
    if size > limits.max_compressed_bytes {
        return Err(ArchiveError::CompressedTooLarge {
            size,
            limit: limits.max_compressed_bytes,
        });
    }
    if !gz_bytes.starts_with(&GZIP_MAGIC) {
        return Err(ArchiveError::NotGzip);
    }
    let reader = LimitedReader {
        inner: GzDecoder::new(gz_bytes),
        remaining: limits.max_uncompressed_bytes,
        failure: None,
    };
    let mut tar = tar::Archive::new(reader);
    let walked = walk(&mut tar, limits);
    // The reader knows whether a tar-level error was really the gzip layer or our limit;
    // that cause wins over whatever the tar crate made of it.
    match tar.into_inner().failure {
        Some(Failure::Limit) => Err(ArchiveError::UncompressedTooLarge {
            limit: limits.max_uncompressed_bytes,
        }),
        Some(Failure::Gzip(source)) => Err(ArchiveError::CorruptGzip { source }),
        None => walked,
    }
}

fn walk<R: Read>(tar: &mut tar::Archive<R>, limits: &Limits) -> Result<Archive, ArchiveError> {
    let not_tar = |source| ArchiveError::NotTar { source };
    let mut files = BTreeMap::new();
    let mut seen_links = BTreeSet::new();
    let mut count = 0usize;
    for entry in tar.entries().map_err(not_tar)? {
        let mut entry = entry.map_err(not_tar)?;
        count += 1;
        if count > limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                limit: limits.max_entries,
            });
        }
        let kind = entry.header().entry_type();
        // Global pax headers carry archive-wide metadata, not a file; the tar crate already
        // folds per-entry pax and GNU long-name headers into the entry that follows them.
        if kind == EntryType::XGlobalHeader {
            continue;
        }
        let path = normalize(&entry.path_bytes())?;
        match kind {
            EntryType::Regular | EntryType::Continuous => {
                let size = entry.size();
                if size > limits.max_file_bytes {
                    return Err(ArchiveError::FileTooLarge {
                        path,
                        size,
                        limit: limits.max_file_bytes,
                    });
                }
                if path.is_empty() {
                    return Err(ArchiveError::UnsafePath {
                        path: String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
                        reason: "a file has an empty name",
                    });
                }
                // The header's size is not trusted for the allocation, and `take` keeps a
                // lying size field from reading more than was checked.
                let mut contents = Vec::with_capacity(size.min(64 * 1024) as usize);
                entry
                    .by_ref()
                    .take(limits.max_file_bytes)
                    .read_to_end(&mut contents)
                    .map_err(not_tar)?;
                if contents.len() as u64 != size {
                    return Err(not_tar(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("entry `{path}` is truncated"),
                    )));
                }
                if files.contains_key(&path) || seen_links.contains(&path) {
                    return Err(ArchiveError::DuplicatePath { path });
                }
                files.insert(path, contents);
            }
            EntryType::Directory => {}
            EntryType::Symlink | EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                if !link_stays_inside(&path, &target, kind == EntryType::Symlink) {
                    return Err(ArchiveError::LinkEscapes { path, target });
                }
                if files.contains_key(&path) || !seen_links.insert(path.clone()) {
                    return Err(ArchiveError::DuplicatePath { path });
                }
            }
            other => {
                return Err(ArchiveError::SpecialEntry {
                    path,
                    kind: describe(other),
                })
            }
        }
    }
    if files.is_empty() {
        return Err(ArchiveError::Empty);
    }
    // On macOS and Windows file systems these two would overwrite each other when unpacked.
    let mut folded = BTreeMap::new();
    for path in files.keys().chain(&seen_links) {
        if let Some(other) = folded.insert(path.to_lowercase(), path) {
            return Err(ArchiveError::CaseConflict {
                path: path.clone(),
                other: other.clone(),
            });
        }
    }
    // `a` as a file and `a/b.tf` cannot both be unpacked; tools disagree on which one wins.
    for path in files.keys().chain(&seen_links) {
        let mut parent = path.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            if files.contains_key(up) || seen_links.contains(up) {
                return Err(ArchiveError::PathConflict {
                    path: path.clone(),
                    parent: up.to_owned(),
                });
            }
            parent = up;
        }
    }
    let archive = Archive { files };
    if !archive.dir_files("").any(|(name, _)| name.ends_with(".tf")) {
        let found = archive
            .files()
            .keys()
            .find(|p| p.ends_with(".tf"))
            .map(|p| format!(" (the first one is `{p}`)"))
            .unwrap_or_default();
        return Err(ArchiveError::NoRootModule { found });
    }
    Ok(archive)
}

fn describe(kind: EntryType) -> &'static str {
    match kind {
        EntryType::Char => "character device",
        EntryType::Block => "block device",
        EntryType::Fifo => "named pipe (FIFO)",
        EntryType::GNUSparse => "sparse file",
        _ => "special entry of an unsupported type",
    }
}

enum Failure {
    Limit,
    Gzip(io::Error),
}

/// Inflates at most `remaining` bytes, then fails every read, remembering why.
struct LimitedReader<R> {
    inner: R,
    remaining: u64,
    failure: Option<Failure>,
}

impl<R: Read> Read for LimitedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failure.is_some() {
            return Err(io::Error::other("archive reading already failed"));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        // Read one byte past the budget so that an archive of exactly the limit still passes
        // while a larger one is caught without inflating more than a single extra byte.
        let budget = usize::try_from(self.remaining.saturating_add(1)).unwrap_or(usize::MAX);
        let want = buf.len().min(budget);
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(err) => {
                let message = err.to_string();
                self.failure = Some(Failure::Gzip(err));
                return Err(io::Error::other(message));
            }
        };
        if n as u64 > self.remaining {
            self.failure = Some(Failure::Limit);
            return Err(io::Error::other("uncompressed size limit exceeded"));
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}
