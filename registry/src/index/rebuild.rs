//! Whole-catalogue writes: the rebuild behind `modreg reindex`, and synthetic seeding for
//! benchmarks. Both go through the same insert path as a publish.

use std::collections::HashMap;

use rusqlite::Transaction;
use semver::Version;

use super::releases::{address_params, deprecation_json, insert, Carried};
use super::{Index, IndexError, InsertOutcome};
use crate::address::ModuleAddress;
use crate::interface::{ModuleDoc, ModuleInterface};
use crate::manifest::{Deprecation, Manifest, MANIFEST_SCHEMA};

/// One release as the blob store holds it: the manifest (parsed, and as stored) and its
/// deprecation record, if any.
pub type StoredRelease = (Manifest, String, Option<Deprecation>);

impl Index {
    /// Replaces every release with `releases`, in one transaction, for `modreg reindex`.
    /// Tokens and the audit log are kept, and so are the download counts of releases that
    /// remain; deprecations are the store's. Returns how many releases were indexed
    /// (duplicates count once).
    pub fn replace_all_releases(
        &self,
        releases: impl IntoIterator<Item = StoredRelease>,
    ) -> Result<usize, IndexError> {
        self.write("replace_all_releases", |tx| {
            let mut downloads = download_counts(tx)?;
            tx.execute_batch("DELETE FROM releases; DELETE FROM modules;")?;
            let mut inserted = 0;
            for (manifest, json, deprecation) in releases {
                let key = release_key(&manifest.address, &manifest.version.to_string());
                let keep = Carried {
                    downloads: downloads.remove(&key).unwrap_or_default(),
                    deprecated: deprecation.as_ref().map(deprecation_json),
                };
                if insert(tx, &manifest, &json, keep)? == InsertOutcome::Inserted {
                    inserted += 1;
                }
            }
            Ok(inserted)
        })
    }

    /// Indexes those of `releases` whose version is not indexed yet, in one transaction,
    /// leaving every other row as it is: a replica catching up with the blob store. Returns
    /// how many were added.
    pub fn add_releases(
        &self,
        releases: impl IntoIterator<Item = StoredRelease>,
    ) -> Result<usize, IndexError> {
        self.write("add_releases", |tx| {
            let mut added = 0;
            for (manifest, json, deprecation) in releases {
                let keep = Carried {
                    deprecated: deprecation.as_ref().map(deprecation_json),
                    ..Carried::default()
                };
                if insert(tx, &manifest, &json, keep)? == InsertOutcome::Inserted {
                    added += 1;
                }
            }
            Ok(added)
        })
    }

    /// For benchmarks and load tests only: indexes `modules × versions_per_module` synthetic
    /// releases (`bench{n}/module-{i}/aws`, versions `1.{j}.0`) in one transaction, through
    /// the same insert path as real publishes. Returns how many were inserted.
    pub fn seed_synthetic(
        &self,
        modules: u32,
        versions_per_module: u32,
    ) -> Result<usize, IndexError> {
        self.write("seed_synthetic", |tx| {
            let mut inserted = 0;
            for i in 0..modules {
                let address = ModuleAddress::parse(
                    &format!("bench{}", i % 50),
                    &format!("module-{i:06}"),
                    "aws",
                )
                .expect("synthetic addresses are valid");
                for j in 0..versions_per_module {
                    let manifest = synthetic_manifest(&address, i, j);
                    let json =
                        serde_json::to_string(&manifest).expect("a manifest always serializes");
                    if insert(tx, &manifest, &json, Carried::default())? == InsertOutcome::Inserted
                    {
                        inserted += 1;
                    }
                }
            }
            Ok(inserted)
        })
    }
}

fn synthetic_manifest(address: &ModuleAddress, i: u32, j: u32) -> Manifest {
    Manifest {
        schema: MANIFEST_SCHEMA,
        address: address.clone(),
        version: Version::new(1, u64::from(j), 0),
        sha256: format!("{:032x}{:032x}", i, j),
        size: 1024,
        archive: None,
        source: None,
        publisher: "seed".to_owned(),
        published_at: "2026-01-01T00:00:00Z".to_owned(),
        interface: ModuleInterface {
            root: ModuleDoc {
                readme: format!("# Module {i}\n\nSynthetic module {i} for benchmarks."),
                ..ModuleDoc::default()
            },
            ..ModuleInterface::default()
        },
        changelog: None,
    }
}

type ReleaseKey = (String, String, String, String);

fn release_key(addr: &ModuleAddress, version: &str) -> ReleaseKey {
    let [ns, name, system] = address_params(addr);
    (
        ns.to_owned(),
        name.to_owned(),
        system.to_owned(),
        version.to_owned(),
    )
}

/// The download count of every downloaded release, keyed by address and version.
fn download_counts(tx: &Transaction<'_>) -> Result<HashMap<ReleaseKey, i64>, IndexError> {
    let mut stmt = tx.prepare(
        "SELECT m.namespace, m.name, m.system, r.version, r.downloads
         FROM releases r JOIN modules m ON m.id = r.module_id
         WHERE r.downloads > 0",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?),
            row.get(4)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
