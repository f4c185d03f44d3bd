//! Interfaces on disk, keyed by (registry host, address, version, archive sha256), and the
//! last versions listing of each module for `--offline`. Releases are immutable, so a cached
//! interface whose sha256 matches the registry's listing is the one the registry would serve.
//!
//! Layout: `<cache>/modules/<host>/<namespace>/<name>/<system>/versions.json` and
//! `…/<version>/<sha256>.json` (a `ModuleDetailsBody`).

use std::path::{Path, PathBuf};

use registry::api_model::{ModuleDetailsBody, VersionsBody};

pub struct Cache {
    root: PathBuf,
}

impl Cache {
    /// `dir`, else `$XDG_CACHE_HOME/modreg`, else `~/.cache/modreg`.
    pub fn new(dir: Option<PathBuf>) -> Cache {
        let root = dir
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("modreg")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/modreg")))
            .unwrap_or_else(|| PathBuf::from(".modreg-cache"));
        Cache { root }
    }

    fn module_dir(&self, key: &str) -> PathBuf {
        // `host:port` is a valid file name on Unix but not on every filesystem.
        self.root.join("modules").join(key.replace(':', "_"))
    }

    pub fn versions(&self, key: &str) -> Option<VersionsBody> {
        read(&self.module_dir(key).join("versions.json"))
    }

    pub fn store_versions(&self, key: &str, body: &VersionsBody) {
        write(&self.module_dir(key).join("versions.json"), body);
    }

    /// The cached interface of `version`: exactly the archive `sha256` when the registry
    /// listed one, else whichever was cached.
    pub fn details(
        &self,
        key: &str,
        version: &str,
        sha256: Option<&str>,
    ) -> Option<ModuleDetailsBody> {
        let dir = self.module_dir(key).join(version);
        if let Some(sha) = sha256 {
            return read(&dir.join(format!("{sha}.json")));
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        entries.sort();
        entries.first().and_then(|p| read(p))
    }

    pub fn store_details(&self, key: &str, body: &ModuleDetailsBody) {
        if body.sha256.is_empty() || !body.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return;
        }
        let path = self
            .module_dir(key)
            .join(&body.version)
            .join(format!("{}.json", body.sha256));
        write(&path, body);
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Writes through a temporary file and a rename, so a concurrent run never reads half a file.
/// A cache that cannot be written only costs the next run a round trip, so errors are dropped.
fn write<T: serde::Serialize>(path: &Path, value: &T) {
    let Some(dir) = path.parent() else { return };
    let Ok(bytes) = serde_json::to_vec(value) else {
        return;
    };
    let tmp = dir.join(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&tmp, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(version: &str, sha: &str) -> ModuleDetailsBody {
        serde_json::from_value(serde_json::json!({
            "id": "p/v/aws/1", "namespace": "p", "name": "v", "provider": "aws",
            "version": version, "sha256": sha, "root": { "path": "" }
        }))
        .unwrap()
    }

    #[test]
    fn an_interface_is_found_by_version_and_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().to_owned()));
        let key = "r.example.com:8443/p/v/aws";
        cache.store_details(key, &details("1.0.0", "ab12"));
        assert!(cache.details(key, "1.0.0", Some("ab12")).is_some());
        assert!(
            cache.details(key, "1.0.0", Some("cd34")).is_none(),
            "another archive"
        );
        assert!(cache.details(key, "1.0.0", None).is_some());
        assert!(cache.details(key, "2.0.0", None).is_none());
    }
}
