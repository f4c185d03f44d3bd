//! Index tests against real SQLite files in temp directories.

mod lifecycle;
mod listing;
mod releases;
mod tokens_audit;

use semver::Version;
use tempfile::TempDir;

use super::{Index, IndexError, IndexStats, InsertOutcome, ModuleQuery, ReleaseRow};
use crate::address::ModuleAddress;
use crate::interface::{ModuleDoc, ModuleInterface};
use crate::manifest::{Deprecation, Manifest, MANIFEST_SCHEMA};

/// A fresh index in its own directory; keep the directory alive as long as the index.
fn open() -> (TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open(&dir.path().join("index.sqlite")).unwrap();
    (dir, index)
}

/// `"platform/vpc/aws"`.
fn addr(s: &str) -> ModuleAddress {
    let parts: Vec<&str> = s.split('/').collect();
    ModuleAddress::parse(parts[0], parts[1], parts[2]).unwrap()
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

fn manifest(address: &str, version: &str, readme: &str) -> Manifest {
    Manifest {
        schema: MANIFEST_SCHEMA,
        address: addr(address),
        version: v(version),
        sha256: format!("sha-of-{address}-{version}"),
        size: 42,
        archive: None,
        source: None,
        publisher: "ci".to_owned(),
        published_at: format!("2026-01-01T00:00:00Z/{version}"),
        interface: ModuleInterface {
            root: ModuleDoc {
                readme: readme.to_owned(),
                ..ModuleDoc::default()
            },
            ..ModuleInterface::default()
        },
        changelog: None,
    }
}

fn json(m: &Manifest) -> String {
    serde_json::to_string(m).unwrap()
}

/// Publishes `address@version` with a README saying what it is.
fn publish(index: &Index, address: &str, version: &str) -> InsertOutcome {
    let m = manifest(
        address,
        version,
        &format!("# T\n\nModule {address} {version}."),
    );
    index.insert_release(&m, &json(&m)).unwrap()
}

fn version_list(index: &Index, address: &str) -> Vec<String> {
    index
        .versions(&addr(address))
        .unwrap()
        .into_iter()
        .map(|r| r.version.to_string())
        .collect()
}
