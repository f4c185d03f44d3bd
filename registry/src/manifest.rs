//! The release manifest: the JSON document stored beside each tarball. It is the source of
//! truth for a release; the index is rebuilt from manifests.

use serde::{Deserialize, Serialize};

use crate::address::ModuleAddress;
use crate::interface::ModuleInterface;
use crate::storage::BlobKey;

/// Bumped when the manifest shape changes incompatibly; readers refuse newer schemas.
/// 2: the tarball is at the content-addressed key in `archive` (1: at `{version}.tar.gz`).
pub const MANIFEST_SCHEMA: u32 = 2;

/// One immutable release: `(namespace, name, system, version)` → one tarball.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    #[serde(flatten)]
    pub address: ModuleAddress,
    pub version: semver::Version,
    /// Hex sha256 of the tarball bytes.
    pub sha256: String,
    /// Tarball size in bytes.
    pub size: u64,
    /// The tarball's key in the store, `modules/{ns}/{name}/{system}/sha256/{sha256}.tar.gz`.
    /// Absent in manifests written before content-addressed keys, whose tarball is at
    /// [`BlobKey::legacy_archive`]. See [`Manifest::archive_key`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// Where the release came from, when it came from git.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ReleaseSource>,
    /// Description of the token (or `demo`, `git-watch`) that published it.
    pub publisher: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub interface: ModuleInterface,
    /// The release's section of its `CHANGELOG.md`, when it has one (see `changelog`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changelog: Option<String>,
}

impl Manifest {
    /// Where the release's tarball is: the key `archive` names, or the legacy key when it
    /// names none. `None` when `archive` is not the content key of this address and sha256,
    /// so a manifest can only ever point at its own module's tarball of its own digest.
    pub fn archive_key(&self) -> Option<BlobKey> {
        match &self.archive {
            None => Some(BlobKey::legacy_archive(&self.address, &self.version)),
            Some(named) => BlobKey::content_archive(&self.address, &self.sha256)
                .filter(|key| key.as_str() == named),
        }
    }

    /// Reads a manifest as stored under `key`, refusing one this binary must not trust: newer
    /// schema, another release's address or version, or an `archive` that is not its own.
    pub fn parse_stored(bytes: &[u8], key: &BlobKey) -> Result<Manifest, StoredManifestError> {
        let manifest: Manifest = serde_json::from_slice(bytes)?;
        if manifest.schema > MANIFEST_SCHEMA {
            return Err(StoredManifestError::NewerSchema(manifest.schema));
        }
        if BlobKey::manifest(&manifest.address, &manifest.version) != *key {
            return Err(StoredManifestError::Misplaced);
        }
        if manifest.archive_key().is_none() {
            return Err(StoredManifestError::ForeignArchive);
        }
        Ok(manifest)
    }
}

/// Why a stored manifest was refused.
#[derive(Debug, thiserror::Error)]
pub enum StoredManifestError {
    #[error("it is not a manifest: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "schema {0} is newer than this modreg understands ({MANIFEST_SCHEMA}): upgrade modreg"
    )]
    NewerSchema(u32),
    #[error("its address and version do not match its location")]
    Misplaced,
    #[error("its `archive` is not the content key of its address and sha256")]
    ForeignArchive,
}

/// The git origin of a release.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseSource {
    pub repo: String,
    pub tag: String,
    pub commit: String,
}

/// Why a release should no longer be chosen. It stays listed and installable (removing a
/// version breaks pins); clients and `modreg validate` warn. Stored beside the manifest under
/// [`crate::storage::BlobKey::deprecation`], mirrored in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deprecation {
    pub reason: String,
    /// The version to move to instead, when there is one.
    #[serde(default)]
    pub replacement: Option<semver::Version>,
    /// RFC 3339, UTC.
    pub at: String,
    /// Who deprecated it: the token description.
    pub by: String,
}
