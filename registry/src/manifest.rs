//! The release manifest: the JSON document stored beside each tarball. It is the source of
//! truth for a release; the index is rebuilt from manifests.

use serde::{Deserialize, Serialize};

use crate::address::ModuleAddress;
use crate::interface::ModuleInterface;

/// Bumped when the manifest shape changes incompatibly; readers refuse newer schemas.
pub const MANIFEST_SCHEMA: u32 = 1;

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
