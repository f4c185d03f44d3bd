//! The hot read path: per-module version lists and token lookups, cached in memory in front of
//! the SQLite index.
//!
//! Entries are filled from the index on first use and all dropped whenever the index changes
//! (a publish here, or another process such as `modreg token revoke` committing: see
//! `Index::data_version`, polled by `startup`). So the index stays the only source of answers,
//! and a revoked token stops working within one poll interval.
//!
//! Download counts ride along: each cached release counts its downloads in an atomic, and
//! `flush_downloads` writes them to the index in transactions of a few hundred modules, so a
//! download never waits for a write, counting costs no allocation, and a flush never holds
//! every count of a large catalogue in memory at once. Counts of entries dropped by `invalidate` are
//! kept for the next flush; a process that dies loses at most one flush interval of counts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use bytes::Bytes;
use semver::Version;

use crate::address::ModuleAddress;
use crate::api_model::{VersionEntry, VersionsBody, VersionsModule};
use crate::auth::{parse_scopes, Principal};
use crate::index::{Index, IndexError, ReleaseRow};
use crate::manifest::Deprecation;
use crate::metrics::Metrics;
use crate::storage::BlobKey;
use crate::telemetry::blocking;

/// Past this many cached modules or tokens the cache starts over, so requests for random
/// unknown names cannot grow memory without bound.
const MAX_ENTRIES: usize = 100_000;

/// Modules whose download counts one flush transaction writes.
const FLUSH_CHUNK_MODULES: usize = 500;

/// What the hot path needs of one release; kept small because every module of a large
/// catalogue ends up cached.
#[derive(Debug)]
pub struct CachedRelease {
    pub version: Version,
    pub sha256: Box<str>,
    /// Whether the tarball is at its content key rather than the legacy one (see
    /// [`CachedRelease::archive_key`]).
    content_addressed: bool,
    pub deprecation: Option<Box<Deprecation>>,
    /// Downloads not yet written to the index.
    pub unflushed_downloads: AtomicU64,
    /// The last archive link handed out and its expiry, reused while signing now would give
    /// the same one (see `UrlSigner::expiry` and `http::archive_link`).
    pub link: Mutex<Option<(u64, ArchiveLink)>>,
}

/// A cached archive link of one release; which kind depends on the deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveLink {
    /// The signature of the registry's own archive route. Raw bytes, inline: no allocation
    /// per release.
    Signed([u8; 32]),
    /// The whole `X-Terraform-Get` value: a presigned S3 URL with its `checksum`.
    Presigned(Arc<str>),
}

/// What the protocol endpoints need to know about one module.
#[derive(Debug)]
pub struct ModuleEntry {
    /// `namespace/name/system`, shared with the metrics labels.
    pub label: Arc<str>,
    /// The `versions` response body, prebuilt.
    pub versions_body: Bytes,
    /// Releases by version, ascending.
    pub releases: Box<[CachedRelease]>,
    /// This module's `modreg_downloads_total{outcome="redirected"}`, looked up on its first
    /// download, so later ones count with one atomic add.
    redirects: OnceLock<Arc<AtomicU64>>,
}

impl ModuleEntry {
    fn new(addr: &ModuleAddress, rows: Vec<ReleaseRow>) -> Self {
        let releases: Box<[CachedRelease]> = rows
            .into_iter()
            .map(|r| CachedRelease {
                version: r.version,
                sha256: r.sha256.into(),
                content_addressed: r.content_addressed,
                deprecation: r.deprecation.map(Box::new),
                unflushed_downloads: AtomicU64::new(0),
                link: Mutex::new(None),
            })
            .collect();
        let body = VersionsBody {
            modules: vec![VersionsModule {
                versions: releases
                    .iter()
                    .map(|r| VersionEntry {
                        version: r.version.to_string(),
                        sha256: Some(r.sha256.to_string()),
                    })
                    .collect(),
            }],
        };
        Self {
            label: addr.to_string().into(),
            versions_body: Bytes::from(
                serde_json::to_vec(&body).expect("a versions body serializes"),
            ),
            releases,
            redirects: OnceLock::new(),
        }
    }

    /// Counts a download answered with an archive link, in the metrics.
    pub fn count_redirect(&self, metrics: &Metrics) {
        self.redirects
            .get_or_init(|| metrics.download_counter(&self.label, "redirected"))
            .fetch_add(1, Relaxed);
    }

    pub fn release(&self, version: &Version) -> Option<&CachedRelease> {
        self.releases.iter().find(|r| &r.version == version)
    }

    /// Highest release, preferring stable ones (the public registry's "latest").
    pub fn latest(&self) -> Option<&CachedRelease> {
        self.releases
            .iter()
            .rev()
            .find(|r| r.version.pre.is_empty())
            .or_else(|| self.releases.last())
    }
}

impl CachedRelease {
    /// Where this release of `addr` keeps its tarball, as its manifest says. `None` only for
    /// an index row whose sha256 is not a digest, which no checked manifest produces.
    pub fn archive_key(&self, addr: &ModuleAddress) -> Option<BlobKey> {
        if self.content_addressed {
            BlobKey::content_archive(addr, &self.sha256)
        } else {
            Some(BlobKey::legacy_archive(addr, &self.version))
        }
    }
}

type Cache<K, V> = RwLock<HashMap<K, V>>;

type DownloadCounts = Vec<(ModuleAddress, Version, u64)>;

/// Cached views of the index.
pub struct Catalog {
    index: Index,
    modules: Cache<ModuleAddress, Option<Arc<ModuleEntry>>>,
    tokens: Cache<[u8; 32], Option<Arc<Principal>>>,
    /// Counts taken from dropped entries, waiting for the next flush.
    unflushed: Mutex<DownloadCounts>,
}

/// Moves every release's unflushed count out of `modules` into `out`.
fn drain_counts(
    modules: &HashMap<ModuleAddress, Option<Arc<ModuleEntry>>>,
    out: &mut DownloadCounts,
) {
    for (addr, entry) in modules {
        if let Some(entry) = entry {
            drain_entry(addr, entry, out);
        }
    }
}

/// Moves the unflushed counts of one module's releases into `out`.
fn drain_entry(addr: &ModuleAddress, entry: &ModuleEntry, out: &mut DownloadCounts) {
    for release in entry.releases.iter() {
        let n = release.unflushed_downloads.swap(0, Relaxed);
        if n > 0 {
            out.push((addr.clone(), release.version.clone(), n));
        }
    }
}

fn get<K: std::hash::Hash + Eq, V: Clone>(cache: &Cache<K, V>, key: &K) -> Option<V> {
    cache.read().expect("catalog lock").get(key).cloned()
}

fn put<K: std::hash::Hash + Eq, V>(cache: &Cache<K, V>, key: K, value: V) {
    let mut map = cache.write().expect("catalog lock");
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(key, value);
}

impl Catalog {
    pub fn new(index: Index) -> Self {
        Self {
            index,
            modules: RwLock::default(),
            tokens: RwLock::default(),
            unflushed: Mutex::default(),
        }
    }

    /// The module's releases, or `None` when it has none.
    pub async fn module(
        &self,
        addr: &ModuleAddress,
    ) -> Result<Option<Arc<ModuleEntry>>, IndexError> {
        if let Some(hit) = get(&self.modules, addr) {
            return Ok(hit);
        }
        let index = self.index.clone();
        let key = addr.clone();
        let releases = blocking(move || index.versions(&key)).await?;
        let entry = (!releases.is_empty()).then(|| Arc::new(ModuleEntry::new(addr, releases)));
        let mut map = self.modules.write().expect("catalog lock");
        if map.len() >= MAX_ENTRIES {
            self.clear_modules(&mut map);
        }
        map.insert(addr.clone(), entry.clone());
        Ok(entry)
    }

    /// The live (not revoked) token with this sha256 digest, if any.
    pub async fn principal(&self, digest: [u8; 32]) -> Result<Option<Arc<Principal>>, IndexError> {
        if let Some(hit) = get(&self.tokens, &digest) {
            return Ok(hit);
        }
        let index = self.index.clone();
        let hash = hex::encode(digest);
        let row = blocking(move || index.token_by_hash(&hash)).await?;
        let principal = row.filter(|t| t.revoked_at.is_none()).and_then(|t| {
            // A stored scope this binary no longer understands grants nothing.
            let scopes = parse_scopes(t.scopes.iter().map(String::as_str)).ok()?;
            Some(Arc::new(Principal {
                token_id: t.id,
                description: t.description,
                scopes,
            }))
        });
        put(&self.tokens, digest, principal.clone());
        Ok(principal)
    }

    fn clear_modules(&self, map: &mut HashMap<ModuleAddress, Option<Arc<ModuleEntry>>>) {
        drain_counts(map, &mut self.unflushed.lock().expect("catalog lock"));
        map.clear();
    }

    /// Drops every cached answer; the next request reads the index again.
    pub fn invalidate(&self) {
        self.clear_modules(&mut self.modules.write().expect("catalog lock"));
        self.tokens.write().expect("catalog lock").clear();
    }

    /// Writes the downloads counted since the last flush; on failure they wait for the next.
    pub async fn flush_downloads(&self) -> Result<(), IndexError> {
        let leftovers = std::mem::take(&mut *self.unflushed.lock().expect("catalog lock"));
        self.write_counts(leftovers).await?;
        // The live entries a chunk at a time: a catalogue of 100,000 downloaded releases would
        // otherwise hold every count (with a copy of its address) in memory at once.
        let counted: Vec<(ModuleAddress, Arc<ModuleEntry>)> = self
            .modules
            .read()
            .expect("catalog lock")
            .iter()
            .filter_map(|(addr, entry)| Some((addr.clone(), entry.clone()?)))
            .collect();
        for chunk in counted.chunks(FLUSH_CHUNK_MODULES) {
            let mut batch = DownloadCounts::new();
            for (addr, entry) in chunk {
                drain_entry(addr, entry, &mut batch);
            }
            self.write_counts(batch).await?;
        }
        Ok(())
    }

    /// Adds `batch` to the index in one transaction; on failure it waits for the next flush.
    async fn write_counts(&self, batch: DownloadCounts) -> Result<(), IndexError> {
        if batch.is_empty() {
            return Ok(());
        }
        let index = self.index.clone();
        let (result, batch) = blocking(move || (index.add_downloads(&batch), batch)).await;
        if result.is_err() {
            self.unflushed.lock().expect("catalog lock").extend(batch);
        }
        result
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn download_counts_reach_the_index_even_across_an_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(&dir.path().join("i.sqlite3")).unwrap();
        index.seed_synthetic(1, 2).unwrap();
        let addr = ModuleAddress::parse("bench0", "module-000000", "aws").unwrap();
        let v = Version::new(1, 1, 0);
        let catalog = Catalog::new(index.clone());
        for (round, n) in [2, 3].into_iter().enumerate() {
            if round > 0 {
                catalog.invalidate();
            }
            let entry = catalog.module(&addr).await.unwrap().unwrap();
            for _ in 0..n {
                entry
                    .release(&v)
                    .unwrap()
                    .unflushed_downloads
                    .fetch_add(1, Relaxed);
            }
        }
        catalog.flush_downloads().await.unwrap();
        catalog.flush_downloads().await.unwrap();
        assert_eq!(index.release(&addr, &v).unwrap().unwrap().downloads, 5);
    }
}
