//! Blobs as files under one local directory, for the single-machine deployment.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use tokio::io::AsyncReadExt as _;

use super::{
    BlobKey, BlobPrefix, BlobStore, BlobStream, PutOutcome, StorageError, CONTENT_DIR,
    MODULES_PREFIX,
};

/// Bytes read per chunk when streaming a blob.
const CHUNK_BYTES: usize = 64 * 1024;

/// Temp files start with a dot and carry this marker, so listings and humans can tell them
/// from releases; a crash can leave one behind, never a partial final file.
const TEMP_MARKER: &str = ".tmp-";

/// Distinguishes temp files of concurrent writers in this process (the pid covers others).
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A [`BlobStore`] on the local filesystem: the key is the relative path under `root`.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// A store rooted at `root`; directories are created on first write.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Removes temp files left by writes that crashed mid-way: those whose writer is gone (the
    /// pid in the name is not running, or is ours: this runs when the store opens, before this
    /// process writes, and a container restarts as the same pid), and any older than
    /// `older_than` (an hour is safe: no write takes that long; it is the only rule where
    /// `/proc` cannot tell). Returns how many were removed. They are never mistaken for
    /// releases in the meantime.
    pub async fn remove_stale_temp_files(
        &self,
        older_than: Duration,
    ) -> Result<usize, StorageError> {
        let root = self.root.clone();
        let cutoff = SystemTime::now()
            .checked_sub(older_than)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        Self::blocking("temp file cleanup", MODULES_PREFIX, move || {
            remove_temp_files(&root, cutoff)
        })
        .await
    }

    fn path_of(&self, key: &BlobKey) -> PathBuf {
        // Keys are built only from validated segments, so joining them cannot escape `root`.
        key.as_str()
            .split('/')
            .fold(self.root.clone(), |path, part| path.join(part))
    }

    /// Runs filesystem work off the async workers, inside the caller's tracing span, mapping
    /// both failure kinds to one error about `key`.
    async fn blocking<T: Send + 'static>(
        op: &'static str,
        key: &str,
        work: impl FnOnce() -> io::Result<T> + Send + 'static,
    ) -> Result<T, StorageError> {
        let span = tracing::Span::current();
        match tokio::task::spawn_blocking(move || span.in_scope(work)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(source)) => Err(StorageError::Io {
                op,
                key: key.to_string(),
                source,
            }),
            Err(source) => Err(StorageError::Interrupted {
                op,
                key: key.to_string(),
                source,
            }),
        }
    }
}

#[async_trait]
impl BlobStore for LocalStore {
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
        let path = self.path_of(key);
        // Every directory between the root and the file may be new (one per `/` in the key).
        let depth = key.as_str().matches('/').count();
        Self::blocking("write", key.as_str(), move || {
            put_new_file(&path, depth, &bytes)
        })
        .await
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
        let path = self.path_of(key);
        Self::blocking("read", key.as_str(), move || match fs::read(&path) {
            Ok(data) => Ok(Some(Bytes::from(data))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        })
        .await
    }

    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
        let io_error = |source| StorageError::Io {
            op: "read",
            key: key.to_string(),
            source,
        };
        let file = match tokio::fs::File::open(self.path_of(key)).await {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(e)),
        };
        let len = file.metadata().await.map_err(io_error)?.len();
        let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut chunk = BytesMut::with_capacity(CHUNK_BYTES);
            let read = file.read_buf(&mut chunk).await?;
            Ok::<_, io::Error>((read > 0).then(|| (chunk.freeze(), file)))
        });
        Ok(Some(BlobStream {
            len,
            chunks: Box::pin(chunks),
        }))
    }

    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
        let root = self.root.clone();
        Self::blocking("list", MODULES_PREFIX, move || list_manifest_keys(&root)).await
    }

    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError> {
        let dir = self.path_of(&BlobKey(prefix.as_str().trim_end_matches('/').to_owned()));
        let after = start_after.cloned();
        Self::blocking("list", prefix.as_str(), move || {
            let mut keys: Vec<BlobKey> = read_dir_names(&dir)?
                .into_iter()
                .filter(|(_, is_dir)| !is_dir)
                .map(|(name, _)| BlobKey(format!("{}{name}", prefix.as_str())))
                .filter(|k| prefix.holds(k.as_str()) && after.as_ref().is_none_or(|a| k > a))
                .collect();
            keys.sort();
            Ok(keys)
        })
        .await
    }

    async fn check(&self) -> Result<(), StorageError> {
        // A missing root is an empty store (it is created on first write), not a failure.
        let root = self.root.clone();
        Self::blocking("check", MODULES_PREFIX, move || match fs::metadata(&root) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        })
        .await
    }

    /// None: a local directory has no URLs of its own; downloads go through the archive route.
    async fn presigned_get(
        &self,
        _key: &BlobKey,
        _signed_at: std::time::SystemTime,
        _expires_in: std::time::Duration,
    ) -> Result<Option<String>, StorageError> {
        Ok(None)
    }

    fn describe(&self) -> String {
        format!("local directory {}", self.root.display())
    }
}

/// Create-only, atomic write: the bytes go to a fsynced temp file in the same directory, which
/// is then hard-linked to the final name. `link` fails if the name exists, which makes it the
/// one atomic "create if absent" step; a rename would silently replace a concurrent winner.
fn put_new_file(path: &Path, depth: usize, bytes: &[u8]) -> io::Result<PutOutcome> {
    if path.exists() {
        return Ok(PutOutcome::AlreadyExists);
    }
    let dir = path.parent().expect("a blob path always has a parent");
    create_dir_durably(dir, depth)?;
    let temp = TempFile::create(dir, path)?;
    (&temp.file).write_all(bytes)?;
    temp.file.sync_all()?;
    let outcome = match fs::hard_link(&temp.path, path) {
        Ok(()) => PutOutcome::Created,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => PutOutcome::AlreadyExists,
        Err(e) => return Err(e),
    };
    drop(temp);
    if outcome == PutOutcome::Created {
        // Make the new directory entry durable, so an acknowledged publish survives power loss.
        File::open(dir)?.sync_all()?;
    }
    Ok(outcome)
}

/// Creates `dir` (`modules/{ns}/{name}/{system}`, or its `sha256` directory), `depth` levels
/// below the root, if missing, and syncs the parents that gained an entry, so the first
/// release of a module does not vanish with its directory on power loss.
fn create_dir_durably(dir: &Path, depth: usize) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    for parent in dir.ancestors().skip(1).take(depth) {
        File::open(parent)?.sync_all()?;
    }
    Ok(())
}

/// A temp file that is removed when dropped, whether the write succeeded or not.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn create(dir: &Path, final_path: &Path) -> io::Result<Self> {
        let base = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!(
            ".{base}{TEMP_MARKER}{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Self { path, file })
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Best effort: a leftover temp file wastes space but is never mistaken for a release.
        let _ = fs::remove_file(&self.path);
    }
}

/// Every `modules/{ns}/{name}/{system}` directory, as a key prefix. The layout is fixed, so
/// this walks exactly three levels instead of recursing.
fn release_dirs(root: &Path) -> io::Result<Vec<String>> {
    let mut prefixes = vec![MODULES_PREFIX.to_owned()];
    for _level in 0..3 {
        let mut next = Vec::new();
        for prefix in prefixes {
            for (name, is_dir) in read_dir_names(&root.join(&prefix))? {
                if is_dir {
                    next.push(format!("{prefix}/{name}"));
                }
            }
        }
        prefixes = next;
    }
    Ok(prefixes)
}

fn list_manifest_keys(root: &Path) -> io::Result<Vec<BlobKey>> {
    let mut keys = Vec::new();
    for prefix in release_dirs(root)? {
        for (name, is_dir) in read_dir_names(&root.join(&prefix))? {
            let candidate = format!("{prefix}/{name}");
            if !is_dir && BlobKey::parse_manifest_key(&candidate).is_some() {
                keys.push(BlobKey(candidate));
            }
        }
    }
    keys.sort();
    Ok(keys)
}

/// Removes temp files whose writer is gone or that were last modified before `cutoff`; the
/// others may belong to a write in progress in another process, which removing would fail.
fn remove_temp_files(root: &Path, cutoff: SystemTime) -> io::Result<usize> {
    let mut removed = 0;
    let module_dirs = release_dirs(root)?;
    let content_dirs = module_dirs.iter().map(|p| format!("{p}/{CONTENT_DIR}"));
    let flat = [
        BlobPrefix::CHANGES,
        BlobPrefix::TOKENS,
        BlobPrefix::REVOCATIONS,
    ]
    .map(|p| p.as_str().trim_end_matches('/').to_owned());
    for prefix in module_dirs.iter().cloned().chain(content_dirs).chain(flat) {
        let dir = root.join(&prefix);
        for (name, is_dir) in read_dir_names(&dir)? {
            let Some((_, writer)) = name.split_once(TEMP_MARKER) else {
                continue;
            };
            if is_dir || !name.starts_with('.') {
                continue;
            }
            let path = dir.join(&name);
            let modified = match fs::metadata(&path).and_then(|m| m.modified()) {
                Ok(modified) => modified,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            };
            if modified < cutoff || writer_is_gone(writer) {
                match fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(removed)
}

/// `writer` is the `{pid}-{counter}` tail of a temp file's name. Only `/proc` can say that a
/// pid is not running; without it, nothing is presumed gone.
fn writer_is_gone(writer: &str) -> bool {
    let Some(pid) = writer.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    let proc = Path::new("/proc");
    pid == std::process::id()
        || (proc.join("self").exists() && !proc.join(pid.to_string()).exists())
}

/// Entry names (UTF-8 only; others cannot be keys) and whether each is a directory.
fn read_dir_names(dir: &Path) -> io::Result<Vec<(String, bool)>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        if let Ok(name) = entry.file_name().into_string() {
            names.push((name, entry.file_type()?.is_dir()));
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::ModuleAddress;

    fn key() -> BlobKey {
        let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        BlobKey::manifest(&addr, &semver::Version::new(1, 0, 0))
    }

    #[tokio::test]
    async fn a_write_leaves_only_the_final_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::new(dir.path());
        store
            .put_new(&key(), Bytes::from_static(b"{}"))
            .await
            .unwrap();
        store
            .put_new(&key(), Bytes::from_static(b"[]"))
            .await
            .unwrap();
        let release_dir = dir.path().join("modules/platform/vpc/aws");
        let names: Vec<_> = read_dir_names(&release_dir).unwrap();
        assert_eq!(names, vec![("1.0.0.json".to_owned(), false)]);
    }

    #[tokio::test]
    async fn a_temp_file_left_by_a_crash_is_not_listed_or_read_as_a_release() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::new(dir.path());
        let release_dir = dir.path().join("modules/platform/vpc/aws");
        fs::create_dir_all(&release_dir).unwrap();
        fs::write(release_dir.join(".1.0.0.json.tmp-1-0"), b"{\"partial").unwrap();
        assert!(store.list_manifests().await.unwrap().is_empty());
        assert_eq!(store.get(&key()).await.unwrap(), None);
        let outcome = store
            .put_new(&key(), Bytes::from_static(b"{}"))
            .await
            .unwrap();
        assert_eq!(outcome, PutOutcome::Created);
    }

    #[tokio::test]
    async fn stale_temp_files_are_removed_and_fresh_ones_and_releases_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::new(dir.path());
        store
            .put_new(&key(), Bytes::from_static(b"{}"))
            .await
            .unwrap();
        let release_dir = dir.path().join("modules/platform/vpc/aws");
        // pid 1 runs in every pid namespace: a fresh temp file of a live writer.
        fs::write(release_dir.join(".1.0.1.json.tmp-1-7"), b"partial").unwrap();
        let kept = store.remove_stale_temp_files(Duration::from_secs(3600));
        assert_eq!(kept.await.unwrap(), 0);
        let removed = store.remove_stale_temp_files(Duration::ZERO);
        assert_eq!(removed.await.unwrap(), 1);
        let names = read_dir_names(&release_dir).unwrap();
        assert_eq!(names, vec![("1.0.0.json".to_owned(), false)]);
    }

    #[tokio::test]
    async fn fresh_temp_files_of_crashed_writers_are_removed_when_the_store_opens() {
        let dir = tempfile::tempdir().unwrap();
        let release_dir = dir.path().join("modules/platform/vpc/aws");
        let content_dir = release_dir.join(CONTENT_DIR);
        fs::create_dir_all(&content_dir).unwrap();
        // Above Linux's largest pid: that writer is gone. Ours: an earlier process that had
        // our pid (a restarted container) left it, since nothing was written yet.
        let dead = format!(".{}.tar.gz{TEMP_MARKER}4194305-0", "ab".repeat(32));
        let ours = format!(".1.0.0.json{TEMP_MARKER}{}-0", std::process::id());
        fs::write(content_dir.join(&dead), b"partial").unwrap();
        fs::write(release_dir.join(&ours), b"partial").unwrap();
        let store = LocalStore::new(dir.path());
        let removed = store.remove_stale_temp_files(Duration::from_secs(3600));
        assert_eq!(removed.await.unwrap(), 2);
        assert!(read_dir_names(&content_dir).unwrap().is_empty());
        let left = read_dir_names(&release_dir).unwrap();
        assert_eq!(left, vec![(CONTENT_DIR.to_owned(), true)]);
    }

    #[test]
    fn writers_in_separate_stores_on_one_directory_never_both_create_a_key() {
        // Separate `LocalStore`s share nothing in memory, like two processes would.
        let dir = tempfile::tempdir().unwrap();
        for patch in 0..20 {
            let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
            let key = BlobKey::legacy_archive(&addr, &semver::Version::new(1, 0, patch));
            let writers: Vec<_> = (0..4u8)
                .map(|n| {
                    let (root, key) = (dir.path().to_owned(), key.clone());
                    std::thread::spawn(move || {
                        let path = LocalStore::new(root).path_of(&key);
                        put_new_file(&path, 4, &[n; 64]).unwrap()
                    })
                })
                .collect();
            let outcomes: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
            let created = outcomes.iter().filter(|o| **o == PutOutcome::Created);
            assert_eq!(created.count(), 1, "{outcomes:?}");
        }
    }

    #[test]
    fn describe_names_the_directory() {
        assert_eq!(LocalStore::new("/x").describe(), "local directory /x");
    }
}
