//! Blob storage: the one trait with several implementations (local directory, memory; S3 later).
//!
//! The blob store is the source of truth for releases. It holds, per release, the tarball and
//! its manifest under keys that only [`BlobKey`] builds, from validated addresses, so a `..` or
//! `/` can never reach a path or an object key. Writes are create-only: a published release can
//! never be overwritten, whichever process or replica tries.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use semver::Version;

use crate::address::ModuleAddress;

mod local;
mod memory;

#[cfg(test)]
mod contract_tests;

pub use local::LocalStore;
pub use memory::MemoryStore;

/// Every release lives under this prefix, so the store can share a bucket or directory.
const MODULES_PREFIX: &str = "modules";
const ARCHIVE_SUFFIX: &str = ".tar.gz";
const MANIFEST_SUFFIX: &str = ".json";
/// Not `.deprecation.json`: `1.0.0-rc.1.deprecation` is itself a valid version, so that key
/// would read back as the manifest of a release that does not exist.
const DEPRECATION_SUFFIX: &str = ".deprecation";

/// A storage key; only constructible from validated addresses, so `..` or `/` can never reach
/// a path.
///
/// Layout: `modules/{namespace}/{name}/{system}/{version}.tar.gz`, `….json` (the manifest) and,
/// for a deprecated release, `….deprecation` (JSON). Versions are canonical semver (no leading
/// `v`), whose characters (`0-9A-Za-z.-+`) are path-safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    /// The release tarball.
    pub fn archive(addr: &ModuleAddress, version: &Version) -> Self {
        Self::release_file(addr, version, ARCHIVE_SUFFIX)
    }

    /// The release manifest; written last, so a release exists in storage iff this key does.
    pub fn manifest(addr: &ModuleAddress, version: &Version) -> Self {
        Self::release_file(addr, version, MANIFEST_SUFFIX)
    }

    /// The release's deprecation record, present only while it is deprecated. Unlike the
    /// tarball and manifest it changes: it is replaced by delete + create-only write.
    pub fn deprecation(addr: &ModuleAddress, version: &Version) -> Self {
        Self::release_file(addr, version, DEPRECATION_SUFFIX)
    }

    fn release_file(addr: &ModuleAddress, version: &Version, suffix: &str) -> Self {
        Self(format!(
            "{MODULES_PREFIX}/{}/{}/{}/{version}{suffix}",
            addr.namespace, addr.name, addr.system
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads a manifest key back into its release, as found in a listing. Only keys exactly as
    /// [`BlobKey::manifest`] writes them are accepted: anything else in the store (temp files,
    /// uppercase names, stray objects) is not a release.
    pub fn parse_manifest_key(s: &str) -> Option<(ModuleAddress, Version)> {
        let rest = s.strip_prefix(MODULES_PREFIX)?.strip_prefix('/')?;
        let mut parts = rest.split('/');
        let (namespace, name, system, file) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let version = Version::parse(file.strip_suffix(MANIFEST_SUFFIX)?).ok()?;
        let addr = ModuleAddress::parse(namespace, name, system).ok()?;
        // Reject non-canonical spellings (`Platform`, `01.2.0`) so the key we return is the
        // key we read: a reindex must fetch exactly the object that it listed.
        (Self::manifest(&addr, &version).as_str() == s).then_some((addr, version))
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a create-only write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The key did not exist; it now holds the given bytes.
    Created,
    /// The key already existed; its bytes were left untouched (they may differ from ours).
    AlreadyExists,
}

/// A storage failure. The message names the operation and key; the cause is in `source`.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage {op} of `{key}` failed")]
    Io {
        op: &'static str,
        key: String,
        #[source]
        source: std::io::Error,
    },
    /// The blocking task running the operation panicked or was cancelled at shutdown.
    #[error("storage {op} of `{key}` did not complete")]
    Interrupted {
        op: &'static str,
        key: String,
        #[source]
        source: tokio::task::JoinError,
    },
    /// A remote backend (S3) refused or failed; `source` carries the backend's own error.
    #[error("storage {op} of `{key}` failed in the backend")]
    Backend {
        op: &'static str,
        key: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Where release blobs live. Implementations must make `put_new` create-only and atomic:
/// after it returns `Created`, every reader sees the whole value; a concurrent second writer
/// of the same key gets `AlreadyExists`; a crash never leaves a partial value under the key.
/// (On S3 that is one `PutObject` with `If-None-Match: *`, whose `412` means `AlreadyExists`;
/// objects are never partially visible. The contract tests in `contract_tests.rs` apply.)
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `bytes` under `key` unless the key already exists. Never overwrites.
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError>;

    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError>;

    /// Removes `key`; removing a missing key is not an error. Used only to roll back a publish
    /// whose later steps failed and to replace or clear a deprecation record, never on a
    /// visible release's tarball or manifest.
    async fn delete(&self, key: &BlobKey) -> Result<(), StorageError>;

    /// Every release manifest key, sorted, for rebuilding the index. Not a read path.
    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError>;

    /// A human description for logs and `/readyz`, e.g. `local directory /var/lib/modreg`.
    fn describe(&self) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr() -> ModuleAddress {
        ModuleAddress::parse("platform", "vpc", "aws").unwrap()
    }

    #[test]
    fn keys_follow_the_documented_layout() {
        let v = Version::parse("1.3.0-rc.1+build.5").unwrap();
        assert_eq!(
            BlobKey::archive(&addr(), &v).as_str(),
            "modules/platform/vpc/aws/1.3.0-rc.1+build.5.tar.gz"
        );
        assert_eq!(
            BlobKey::manifest(&addr(), &v).as_str(),
            "modules/platform/vpc/aws/1.3.0-rc.1+build.5.json"
        );
        assert_eq!(
            BlobKey::deprecation(&addr(), &v).as_str(),
            "modules/platform/vpc/aws/1.3.0-rc.1+build.5.deprecation"
        );
    }

    #[test]
    fn a_manifest_key_parses_back_into_its_release() {
        let v = Version::parse("2.0.0").unwrap();
        let key = BlobKey::manifest(&addr(), &v);
        assert_eq!(BlobKey::parse_manifest_key(key.as_str()), Some((addr(), v)));
    }

    proptest::proptest! {
        #[test]
        fn every_manifest_key_parses_back_into_its_release(
            namespace in "[a-z0-9]([a-z0-9_-]{0,10}[a-z0-9])?",
            name in "[a-z0-9]([a-z0-9_-]{0,10}[a-z0-9])?",
            system in "[a-z0-9]{1,8}",
            (major, minor, patch) in (0u64..1000, 0u64..1000, 0u64..1000),
            pre in "(-(rc|alpha|beta)\\.[1-9][0-9]{0,2})?",
            build in "(\\+[0-9A-Za-z-]{1,8})?",
        ) {
            let addr = ModuleAddress::parse(&namespace, &name, &system).unwrap();
            let version = Version::parse(&format!("{major}.{minor}.{patch}{pre}{build}")).unwrap();
            let key = BlobKey::manifest(&addr, &version);
            proptest::prop_assert!(!key.as_str().contains(".."));
            proptest::prop_assert_eq!(
                BlobKey::parse_manifest_key(key.as_str()),
                Some((addr, version))
            );
        }
    }

    #[test]
    fn only_canonical_manifest_keys_parse() {
        for bad in [
            "modules/platform/vpc/aws/1.0.0.tar.gz",
            "modules/Platform/vpc/aws/1.0.0.json",
            "modules/platform/vpc/aws/v1.0.0.json",
            "modules/platform/vpc/aws/1.0.json",
            "modules/platform/vpc/aws/x/1.0.0.json",
            "modules/platform/vpc/1.0.0.json",
            "modules/../vpc/aws/1.0.0.json",
            "other/platform/vpc/aws/1.0.0.json",
            "modules/platform/vpc/aws/.1.0.0.json.tmp-1-2",
            "modules/platform/vpc/aws/1.0.0-rc.1.deprecation",
        ] {
            assert_eq!(BlobKey::parse_manifest_key(bad), None, "{bad} accepted");
        }
    }
}
