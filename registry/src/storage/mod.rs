//! Blob storage: the one trait with several implementations (local directory, S3, memory).
//!
//! The blob store is the source of truth for releases. It holds, per release, the tarball and
//! its manifest under keys that only [`BlobKey`] builds, from validated addresses, so a `..` or
//! `/` can never reach a path or an object key. Writes are create-only: a published release can
//! never be overwritten, whichever process or replica tries.

use std::fmt;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use semver::Version;

use crate::address::ModuleAddress;

mod health;
mod local;
mod memory;
mod open;
mod s3;

#[cfg(test)]
mod contract_tests;
#[cfg(test)]
pub(crate) mod moto;
#[cfg(test)]
mod s3_tests;

pub use health::{probe, StorageHealth, Watched};
pub use local::LocalStore;
pub use memory::MemoryStore;
pub use open::open;
pub use s3::{sdk_config, S3ConfigError, S3Endpoint, S3Location, S3Store};

/// Every release lives under this prefix, so the store can share a bucket or directory.
const MODULES_PREFIX: &str = "modules";
const ARCHIVE_SUFFIX: &str = ".tar.gz";
const MANIFEST_SUFFIX: &str = ".json";
/// Not `.deprecation.json`: `1.0.0-rc.1.deprecation` is itself a valid version, so that key
/// would read back as the manifest of a release that does not exist.
const DEPRECATION_SUFFIX: &str = ".deprecation";

/// Tarballs are named by their content under this directory of their module.
const CONTENT_DIR: &str = "sha256";

/// A storage key; only constructible from validated addresses and digests, so `..` or `/` can
/// never reach a path.
///
/// Layout, under `modules/{namespace}/{name}/{system}/`: `sha256/{hex}.tar.gz` (a tarball, named
/// by its content), `{version}.json` (the manifest, which names its tarball), for a deprecated
/// release `{version}.deprecation` (JSON), and for releases published before tarballs were
/// content-addressed `{version}.tar.gz`. Versions are canonical semver (no leading `v`), whose
/// characters (`0-9A-Za-z.-+`) are path-safe; a digest is 64 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    /// A tarball of `addr` by its content: the same bytes always get the same key, so a
    /// create-only write that finds the key taken has found these very bytes. `None` unless
    /// `sha256` is 64 lowercase hex digits.
    pub fn content_archive(addr: &ModuleAddress, sha256: &str) -> Option<Self> {
        let is_digest = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        is_digest.then(|| {
            Self(format!(
                "{MODULES_PREFIX}/{}/{}/{}/{CONTENT_DIR}/{sha256}{ARCHIVE_SUFFIX}",
                addr.namespace, addr.name, addr.system
            ))
        })
    }

    /// The tarball of a release published before content-addressed keys (its manifest has no
    /// `archive`): still read, never written.
    pub fn legacy_archive(addr: &ModuleAddress, version: &Version) -> Self {
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

/// A blob read in chunks, so serving a tarball never holds it whole in memory.
pub struct BlobStream {
    /// The blob's size in bytes (sent as `Content-Length`).
    pub len: u64,
    pub chunks: BoxStream<'static, Result<Bytes, std::io::Error>>,
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
/// (On S3 that is a `HEAD`, then a `PutObject` or multipart completion with `If-None-Match: *`,
/// whose `412` means `AlreadyExists`; objects are never partially visible. The contract tests
/// in `contract_tests.rs` apply to every implementation.)
#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `bytes` under `key` unless the key already exists. Never overwrites.
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError>;

    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError>;

    /// The bytes under `key` as a stream of chunks, or `None` when there are none. A failure
    /// after the first chunk ends the stream with an error (the client sees a cut response).
    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError>;

    /// Removes `key`; removing a missing key is not an error. Used only to roll back a publish
    /// whose later steps failed and to replace or clear a deprecation record, never on a
    /// visible release's tarball or manifest.
    async fn delete(&self, key: &BlobKey) -> Result<(), StorageError>;

    /// Every release manifest key, sorted, for rebuilding the index. Not a read path.
    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError>;

    /// Whether the store answers now, cheaply and without side effects: for `/readyz` and
    /// the recovery probe.
    async fn check(&self) -> Result<(), StorageError>;

    /// A URL that lets whoever holds it `GET` the object under `key` straight from the store
    /// until `signed_at + expires_in`, signed with this process's credentials (no request is
    /// made to the store); `None` for a store without such URLs (a local directory).
    async fn presigned_get(
        &self,
        key: &BlobKey,
        signed_at: SystemTime,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError> {
        let _ = (key, signed_at, expires_in);
        Ok(None)
    }

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
        let digest = "0123456789abcdef".repeat(4);
        assert_eq!(
            BlobKey::content_archive(&addr(), &digest).unwrap().as_str(),
            format!("modules/platform/vpc/aws/sha256/{digest}.tar.gz")
        );
        assert_eq!(
            BlobKey::legacy_archive(&addr(), &v).as_str(),
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
    fn a_content_key_needs_a_sha256_digest() {
        let digest = "ab".repeat(32);
        assert!(BlobKey::content_archive(&addr(), &digest).is_some());
        for bad in [
            "ab".repeat(31),
            "AB".repeat(32),
            format!("{}/x", "ab".repeat(31)),
            format!("../{}", "ab".repeat(31)),
            "g".repeat(64),
        ] {
            assert_eq!(BlobKey::content_archive(&addr(), &bad), None, "{bad}");
        }
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
            "modules/platform/vpc/aws/sha256/1.0.0.json",
        ] {
            assert_eq!(BlobKey::parse_manifest_key(bad), None, "{bad} accepted");
        }
    }
}
