//! Releases: idempotent insert, version listings, latest, deprecation and downloads.

use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use semver::Version;

use super::describe::description;
use super::version_key::SortKey;
use super::{Index, IndexError};
use crate::address::ModuleAddress;
use crate::manifest::{Deprecation, Manifest};

/// What `insert_release` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    Inserted,
    /// The version was already indexed, with this tarball sha256; nothing was changed. The
    /// caller compares it to decide between "same bytes, no-op" and "409 Conflict".
    Exists {
        sha256: String,
    },
}

/// One release as the version listing and download routes need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    pub version: Version,
    pub sha256: String,
    pub size: u64,
    pub published_at: String,
    pub publisher: String,
    /// `Some` while the release is deprecated.
    pub deprecation: Option<Deprecation>,
    pub downloads: u64,
    /// Whether the manifest names a content-addressed tarball (`archive`); when not, the
    /// tarball is at the legacy key (see `Manifest::archive_key`).
    pub content_addressed: bool,
}

const ROW_COLUMNS: &str = "r.version, r.sha256, r.size, r.published_at, r.publisher, \
     r.deprecated, r.downloads, json_extract(r.manifest_json, '$.archive') IS NOT NULL";

/// Joins releases to their module, with the address as `?1, ?2, ?3`.
const OF_MODULE: &str = "FROM releases r JOIN modules m ON m.id = r.module_id
     WHERE m.namespace = ?1 AND m.name = ?2 AND m.system = ?3";

/// Semver precedence, lowest first (see `version_key`).
const ASCENDING: &str = "r.major, r.minor, r.patch, r.is_release, r.pre_key, r.build";
const DESCENDING: &str = "r.major DESC, r.minor DESC, r.patch DESC, r.is_release DESC, \
                          r.pre_key DESC, r.build DESC";

/// Release state besides the manifest: the download count (which lives only in the index and
/// survives a rebuild for releases that remain) and the deprecation record as JSON (mirrored
/// from the blob store).
#[derive(Debug, Default)]
pub(super) struct Carried {
    pub downloads: i64,
    pub deprecated: Option<String>,
}

impl Index {
    /// Indexes a release unless its version is already there (then reports the stored sha256).
    pub fn insert_release(
        &self,
        manifest: &Manifest,
        manifest_json: &str,
    ) -> Result<InsertOutcome, IndexError> {
        self.write("insert_release", |tx| {
            insert(tx, manifest, manifest_json, Carried::default())
        })
    }

    /// Every version of a module, ascending by semver precedence; empty for an unknown module.
    pub fn versions(&self, addr: &ModuleAddress) -> Result<Vec<ReleaseRow>, IndexError> {
        self.read("versions", |conn| {
            let sql = format!("SELECT {ROW_COLUMNS} {OF_MODULE} ORDER BY {ASCENDING}");
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt
                .query_map(address_params(addr), release_row)?
                .collect::<Result<Vec<_>, _>>()?;
            // SQL already ordered by precedence; this settles build-metadata ties exactly as
            // `semver` does, and is linear on sorted input.
            rows.sort_by(|a, b| a.version.cmp(&b.version));
            Ok(rows)
        })
    }

    /// One release, or `None` when that version is not indexed.
    pub fn release(
        &self,
        addr: &ModuleAddress,
        version: &Version,
    ) -> Result<Option<ReleaseRow>, IndexError> {
        self.read("release", |conn| {
            let sql = format!("SELECT {ROW_COLUMNS} {OF_MODULE} AND r.version = ?4");
            let [ns, name, system] = address_params(addr);
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![ns, name, system, version.to_string()], release_row)
                .optional()?;
            Ok(row)
        })
    }

    /// The manifest JSON exactly as published, for the module details route.
    pub fn manifest_json(
        &self,
        addr: &ModuleAddress,
        version: &Version,
    ) -> Result<Option<String>, IndexError> {
        self.read("manifest_json", |conn| {
            let sql = format!("SELECT r.manifest_json {OF_MODULE} AND r.version = ?4");
            let [ns, name, system] = address_params(addr);
            let json = conn
                .prepare_cached(&sql)?
                .query_row(params![ns, name, system, version.to_string()], |row| {
                    row.get(0)
                })
                .optional()?;
            Ok(json)
        })
    }

    /// The highest version, considering pre-releases only when asked to.
    pub fn latest(
        &self,
        addr: &ModuleAddress,
        include_prerelease: bool,
    ) -> Result<Option<ReleaseRow>, IndexError> {
        self.read("latest", |conn| {
            let sql = format!(
                "SELECT {ROW_COLUMNS} {OF_MODULE} AND (?4 OR r.is_release = 1)
                 ORDER BY {DESCENDING} LIMIT 1"
            );
            let [ns, name, system] = address_params(addr);
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![ns, name, system, include_prerelease], release_row)
                .optional()?;
            Ok(row)
        })
    }

    /// Counts one download of a release; unknown releases are ignored.
    pub fn record_download(
        &self,
        addr: &ModuleAddress,
        version: &Version,
    ) -> Result<(), IndexError> {
        self.add_downloads(&[(addr.clone(), version.clone(), 1)])
    }

    /// Adds batched download counts in one transaction (the HTTP layer counts in memory and
    /// flushes periodically, so a download never waits for a write). Unknown releases are
    /// ignored.
    pub fn add_downloads(
        &self,
        counts: &[(ModuleAddress, Version, u64)],
    ) -> Result<(), IndexError> {
        let mut per_module: std::collections::HashMap<&ModuleAddress, u64> = Default::default();
        self.write("add_downloads", |tx| {
            for (addr, version, n) in counts {
                let [ns, name, system] = address_params(addr);
                let counted = tx
                    .prepare_cached(
                        "UPDATE releases SET downloads = downloads + ?5
                     WHERE version = ?4 AND module_id =
                         (SELECT id FROM modules WHERE namespace = ?1 AND name = ?2 AND system = ?3)",
                    )?
                    .execute(params![ns, name, system, version.to_string(), n])?;
                if counted > 0 {
                    *per_module.entry(addr).or_default() += n;
                }
            }
            // One module-total update per module, not per release.
            for (addr, n) in &per_module {
                let [ns, name, system] = address_params(addr);
                tx.prepare_cached(
                    "UPDATE modules SET downloads = downloads + ?4
                     WHERE namespace = ?1 AND name = ?2 AND system = ?3",
                )?
                .execute(params![ns, name, system, n])?;
            }
            Ok(())
        })
    }

    /// Records (`Some`) or clears (`None`) a release's deprecation. Returns false when the
    /// release is not indexed.
    pub fn set_deprecation(
        &self,
        addr: &ModuleAddress,
        version: &Version,
        deprecation: Option<&Deprecation>,
    ) -> Result<bool, IndexError> {
        let json = deprecation.map(deprecation_json);
        self.write("set_deprecation", |tx| {
            let [ns, name, system] = address_params(addr);
            let changed = tx
                .prepare_cached(
                    "UPDATE releases SET deprecated = ?5
                     WHERE version = ?4 AND module_id = (SELECT id FROM modules
                         WHERE namespace = ?1 AND name = ?2 AND system = ?3)",
                )?
                .execute(params![ns, name, system, version.to_string(), json])?;
            Ok(changed > 0)
        })
    }
}

pub(super) fn deprecation_json(deprecation: &Deprecation) -> String {
    serde_json::to_string(deprecation).expect("a deprecation always serializes")
}

/// Reads the `deprecated` column (see `schema.rs`, V3).
pub(super) fn parse_deprecation(
    column: usize,
    json: Option<String>,
) -> rusqlite::Result<Option<Deprecation>> {
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(e)))
    })
    .transpose()
}

/// The shared insert path: module row, release row, then the module's latest-release summary.
pub(super) fn insert(
    tx: &Transaction<'_>,
    manifest: &Manifest,
    json: &str,
    carried: Carried,
) -> Result<InsertOutcome, IndexError> {
    let addr = &manifest.address;
    let version = manifest.version.to_string();
    let key = SortKey::of(&manifest.version)?;
    let [ns, name, system] = address_params(addr);
    let existing: Option<String> = tx
        .prepare_cached(&format!("SELECT r.sha256 {OF_MODULE} AND r.version = ?4"))?
        .query_row(params![ns, name, system, version], |row| row.get(0))
        .optional()?;
    if let Some(sha256) = existing {
        return Ok(InsertOutcome::Exists { sha256 });
    }
    let module_id = module_id(tx, addr)?;
    tx.prepare_cached(
        "INSERT INTO releases (module_id, version, major, minor, patch, is_release, pre_key,
             build, sha256, size, publisher, published_at, description, deprecated,
             manifest_json, downloads)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        module_id,
        version,
        key.major,
        key.minor,
        key.patch,
        key.is_release,
        key.pre_key,
        key.build,
        manifest.sha256,
        // Sizes are bounded far below i64::MAX by the archive limits.
        i64::try_from(manifest.size).unwrap_or(i64::MAX),
        manifest.publisher,
        manifest.published_at,
        description(&manifest.interface.root.readme),
        carried.deprecated,
        json,
        carried.downloads,
    ])?;
    // Latest = highest release, else highest pre-release (pre-releases only when all are).
    tx.prepare_cached(&format!(
        "UPDATE modules SET (latest_version, description, published_at) = (
             SELECT r.version, r.description, r.published_at FROM releases r
             WHERE r.module_id = ?1 ORDER BY r.is_release DESC, {DESCENDING} LIMIT 1),
             downloads = downloads + ?2
         WHERE id = ?1"
    ))?
    .execute(params![module_id, carried.downloads])?;
    Ok(InsertOutcome::Inserted)
}

/// The module's row id, creating the row (its summary is filled in by the caller) if needed.
fn module_id(tx: &Transaction<'_>, addr: &ModuleAddress) -> Result<i64, IndexError> {
    let [ns, name, system] = address_params(addr);
    let found = tx
        .prepare_cached(
            "SELECT id FROM modules WHERE namespace = ?1 AND name = ?2 AND system = ?3",
        )?
        .query_row(params![ns, name, system], |row| row.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO modules (namespace, name, system, latest_version, description, published_at)
         VALUES (?1, ?2, ?3, '', '', '')",
    )?
    .execute(params![ns, name, system])?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn address_params(addr: &ModuleAddress) -> [&str; 3] {
    [
        addr.namespace.as_str(),
        addr.name.as_str(),
        addr.system.as_str(),
    ]
}

/// Reads a row selected with [`ROW_COLUMNS`].
fn release_row(row: &Row<'_>) -> rusqlite::Result<ReleaseRow> {
    let version: String = row.get(0)?;
    let version = Version::parse(&version)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))?;
    Ok(ReleaseRow {
        version,
        sha256: row.get(1)?,
        size: row.get(2)?,
        published_at: row.get(3)?,
        publisher: row.get(4)?,
        deprecation: parse_deprecation(5, row.get(5)?)?,
        downloads: row.get(6)?,
        content_addressed: row.get(7)?,
    })
}
