//! The hot read path: per-module version lists and token lookups, cached in memory in front of
//! the SQLite index.
//!
//! Entries are filled from the index on first use and all dropped whenever the index changes
//! (a publish here, or another process such as `modreg token revoke` committing: see
//! `Index::data_version`, polled by `startup`). So the index stays the only source of answers,
//! and a revoked token stops working within one poll interval.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use semver::Version;

use crate::address::ModuleAddress;
use crate::auth::{parse_scopes, Principal};
use crate::index::{Index, IndexError, ReleaseRow};
use crate::telemetry::blocking;

/// Past this many cached modules or tokens the cache starts over, so requests for random
/// unknown names cannot grow memory without bound.
const MAX_ENTRIES: usize = 100_000;

/// What the protocol endpoints need to know about one module.
#[derive(Debug)]
pub struct ModuleEntry {
    /// The `versions` response body, prebuilt.
    pub versions_body: Bytes,
    /// Releases by version, ascending.
    pub releases: Vec<ReleaseRow>,
}

impl ModuleEntry {
    fn new(releases: Vec<ReleaseRow>) -> Self {
        let versions: Vec<_> = releases
            .iter()
            .map(|r| serde_json::json!({ "version": r.version.to_string() }))
            .collect();
        let body = serde_json::json!({ "modules": [{ "versions": versions }] });
        Self {
            versions_body: Bytes::from(body.to_string()),
            releases,
        }
    }

    pub fn release(&self, version: &Version) -> Option<&ReleaseRow> {
        self.releases.iter().find(|r| &r.version == version)
    }

    /// Highest release, preferring stable ones (the public registry's "latest").
    pub fn latest(&self) -> Option<&ReleaseRow> {
        self.releases
            .iter()
            .rev()
            .find(|r| r.version.pre.is_empty())
            .or_else(|| self.releases.last())
    }
}

type Cache<K, V> = RwLock<HashMap<K, V>>;

/// Cached views of the index.
pub struct Catalog {
    index: Index,
    modules: Cache<ModuleAddress, Option<Arc<ModuleEntry>>>,
    tokens: Cache<String, Option<Arc<Principal>>>,
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
        let entry = (!releases.is_empty()).then(|| Arc::new(ModuleEntry::new(releases)));
        put(&self.modules, addr.clone(), entry.clone());
        Ok(entry)
    }

    /// The live (not revoked) token with this hash, if any.
    pub async fn principal(&self, token_hash: &str) -> Result<Option<Arc<Principal>>, IndexError> {
        if let Some(hit) = get(&self.tokens, &token_hash.to_owned()) {
            return Ok(hit);
        }
        let index = self.index.clone();
        let hash = token_hash.to_owned();
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
        put(&self.tokens, token_hash.to_owned(), principal.clone());
        Ok(principal)
    }

    /// Drops every cached answer; the next request reads the index again.
    pub fn invalidate(&self) {
        self.modules.write().expect("catalog lock").clear();
        self.tokens.write().expect("catalog lock").clear();
    }

    pub fn index(&self) -> &Index {
        &self.index
    }
}
