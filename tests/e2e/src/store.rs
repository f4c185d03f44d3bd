//! What a blob store holds, read as a test sees it: every release must be whole (its manifest
//! names a tarball that exists and has the manifest's sha256) or absent.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file under a local store's root (`<data_dir>/blobs`) by key, temp files left out.
pub fn local_objects(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                let key = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                all.push((key, std::fs::read(&path).unwrap()));
            }
        }
    }
    all
}

/// The releases in `objects` as `namespace/name/system version` → sha256, panicking on any
/// manifest whose tarball is missing or has other bytes.
pub fn whole_releases(objects: &[(String, Vec<u8>)]) -> BTreeMap<String, String> {
    let by_key: BTreeMap<&str, &[u8]> = objects
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_slice()))
        .collect();
    let mut releases = BTreeMap::new();
    for (key, bytes) in &by_key {
        let Some(stem) = key.strip_suffix(".json").filter(|_| is_manifest(key)) else {
            continue;
        };
        let manifest: serde_json::Value = serde_json::from_slice(bytes)
            .unwrap_or_else(|e| panic!("manifest {key} is not JSON: {e}"));
        let sha256 = manifest["sha256"].as_str().unwrap().to_owned();
        let tarball = match manifest["archive"].as_str() {
            Some(archive) => archive.to_owned(),
            None => format!("{stem}.tar.gz"),
        };
        let Some(blob) = by_key.get(tarball.as_str()) else {
            panic!("manifest {key} names {tarball}, which is not in the store");
        };
        assert_eq!(
            registry::archive::sha256_hex(blob),
            sha256,
            "manifest {key} and its tarball {tarball} disagree"
        );
        let release = format!(
            "{}/{}/{} {}",
            manifest["namespace"].as_str().unwrap(),
            manifest["name"].as_str().unwrap(),
            manifest["system"].as_str().unwrap(),
            manifest["version"].as_str().unwrap()
        );
        releases.insert(release, sha256);
    }
    releases
}

/// A release manifest's key: a `.json` under `modules/` (the store also holds tokens, the change
/// log and audit events as JSON beside it).
fn is_manifest(key: &str) -> bool {
    key.ends_with(".json") && key.split('/').any(|part| part == "modules")
}

/// Tarballs no manifest names: what failed or lost publishes leave (harmless garbage).
pub fn unreferenced_tarballs(objects: &[(String, Vec<u8>)]) -> usize {
    let named: Vec<String> = objects
        .iter()
        .filter(|(k, _)| is_manifest(k))
        .filter_map(|(_, v)| serde_json::from_slice::<serde_json::Value>(v).ok())
        .filter_map(|m| m["archive"].as_str().map(str::to_owned))
        .collect();
    objects
        .iter()
        .filter(|(k, _)| k.contains("/sha256/") && !named.contains(k))
        .count()
}
