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
mod journal;
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
pub use journal::{Change, ChangeEntry, Journaled};
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
/// Shared state beside the releases (see `docs/storage.md`, "Bucket layout").
const CHANGES_PREFIX: &str = "changes/";
const TOKENS_PREFIX: &str = "auth/tokens/";
const REVOCATIONS_PREFIX: &str = "auth/revocations/";
const AUDIT_PREFIX: &str = "audit/";
const JSON_SUFFIX: &str = ".json";
/// Change-log and audit keys start with the UTC time they were written, fixed width, so key
/// order is time order and `StartAfter` can skip everything older than a cursor.
const TIME_FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
    "[year][month][day]T[hour][minute][second].[subsecond digits:6]Z"
);

/// Tarballs are named by their content under this directory of their module.
const CONTENT_DIR: &str = "sha256";

/// A storage key; only constructible from validated addresses and digests, so `..` or `/` can
/// never reach a path.
///
/// Layout, under `modules/{namespace}/{name}/{system}/`: `sha256/{hex}.tar.gz` (a tarball, named
/// by its content), `{version}.json` (the manifest, which names its tarball), once a release
/// was ever deprecated `{version}.deprecation`, `….deprecation.1`, … (JSON, one per change of
/// its deprecation state; the highest wins), and for releases published before tarballs were
/// content-addressed `{version}.tar.gz`. Versions are canonical semver (no leading `v`), whose
/// characters (`0-9A-Za-z.-+`) are path-safe; a digest is 64 lowercase hex digits. Shared state
/// (change log, tokens, revocations, audit) lives beside `modules/`: see the `BlobKey`
/// constructors below.
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

    /// Generation `generation` of the release's deprecation state (see `deprecation_log.rs`):
    /// `….deprecation` for the first, `….deprecation.<n>` after it. Each is written once.
    pub fn deprecation(addr: &ModuleAddress, version: &Version, generation: u32) -> Self {
        match generation {
            0 => Self::release_file(addr, version, DEPRECATION_SUFFIX),
            n => Self::release_file(addr, version, &format!("{DEPRECATION_SUFFIX}.{n}")),
        }
    }

    /// A new change-log entry: `changes/<utc time>-<random>.json`. Two writers in the same
    /// microsecond still get distinct keys.
    pub fn new_change(at: time::OffsetDateTime) -> Self {
        Self::timestamped(CHANGES_PREFIX, at)
    }

    /// A new audit event: `audit/<utc time>-<random>.json`.
    pub fn new_audit(at: time::OffsetDateTime) -> Self {
        Self::timestamped(AUDIT_PREFIX, at)
    }

    fn timestamped(prefix: &str, at: time::OffsetDateTime) -> Self {
        let mut nonce = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut nonce);
        Self(format!(
            "{prefix}{}-{}{JSON_SUFFIX}",
            format_time(at),
            hex::encode(nonce)
        ))
    }

    /// Not an object: the `StartAfter` bound that lists every change written at or after `at`.
    pub fn change_cursor(at: time::OffsetDateTime) -> Self {
        Self(format!("{CHANGES_PREFIX}{}", format_time(at)))
    }

    /// When a change-log entry was written (by its writer's clock), from its key.
    pub fn change_time(&self) -> Option<time::OffsetDateTime> {
        let rest = self.0.strip_prefix(CHANGES_PREFIX)?;
        let stamp = rest.get(..TIME_WIDTH)?;
        time::PrimitiveDateTime::parse(stamp, TIME_FORMAT)
            .ok()
            .map(time::PrimitiveDateTime::assume_utc)
    }

    /// A token's record (hash, scopes, description, creation time): `auth/tokens/<id>.json`.
    pub fn token(id: &TokenId) -> Self {
        Self(format!("{TOKENS_PREFIX}{id}{JSON_SUFFIX}"))
    }

    /// A token's revocation, a separate create-only object: revoking never deletes.
    pub fn revocation(id: &TokenId) -> Self {
        Self(format!("{REVOCATIONS_PREFIX}{id}{JSON_SUFFIX}"))
    }

    /// The token a token or revocation key belongs to.
    pub fn parse_token_key(s: &str) -> Option<TokenId> {
        let file = s
            .strip_prefix(TOKENS_PREFIX)
            .or_else(|| s.strip_prefix(REVOCATIONS_PREFIX))?;
        TokenId::parse(file.strip_suffix(JSON_SUFFIX)?).ok()
    }

    /// Reads a deprecation key back into its release and generation, exactly as
    /// [`BlobKey::deprecation`] writes it.
    pub fn parse_deprecation_key(s: &str) -> Option<(ModuleAddress, Version, u32)> {
        let (base, generation) = match s.rsplit_once('.') {
            Some((base, n)) if base.ends_with(DEPRECATION_SUFFIX) => (base, n.parse().ok()?),
            _ => (s, 0),
        };
        let manifest = format!(
            "{}{MANIFEST_SUFFIX}",
            base.strip_suffix(DEPRECATION_SUFFIX)?
        );
        let (addr, version) = Self::parse_manifest_key(&manifest)?;
        (Self::deprecation(&addr, &version, generation).as_str() == s)
            .then_some((addr, version, generation))
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

/// Width of [`TIME_FORMAT`]'s output: `20261201T115415.123456Z`.
const TIME_WIDTH: usize = 23;

fn format_time(at: time::OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(TIME_FORMAT)
        .expect("a UTC time always formats")
}

/// A flat group of keys listed together: the change log, token records, revocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobPrefix(&'static str);

impl BlobPrefix {
    pub const CHANGES: Self = Self(CHANGES_PREFIX);
    pub const TOKENS: Self = Self(TOKENS_PREFIX);
    pub const REVOCATIONS: Self = Self(REVOCATIONS_PREFIX);

    /// `changes/`, with its trailing slash.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Whether `key` is a finished object directly under this prefix: not in a sub-folder,
    /// not a temp file, a `.json` object as modreg writes them.
    fn holds(self, key: &str) -> bool {
        key.strip_prefix(self.0).is_some_and(|name| {
            !name.contains('/') && !name.starts_with('.') && name.ends_with(JSON_SUFFIX)
        })
    }
}

/// A token's id, as generated (`tok_<hex>`) or typed: checked before it names an object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TokenId(String);

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a token id: ids look like `tok_0123456789ab` (see `modreg token list`)")]
pub struct BadTokenId(String);

impl TokenId {
    /// 1 to 64 lowercase letters, digits and `_`: what `generate_token` makes, and nothing that
    /// could leave its folder.
    pub fn parse(s: &str) -> Result<Self, BadTokenId> {
        let ok = (1..=64).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(BadTokenId(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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

    /// Every release manifest key, sorted, for rebuilding the index. Not a read path.
    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError>;

    /// The keys directly under `prefix` that sort after `start_after` (all of them when
    /// `None`), sorted. On S3 that is `ListObjectsV2` with `StartAfter`, so listing the recent
    /// end of the change log costs one request however long the log is.
    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError>;

    /// Whether the store answers now, cheaply and without side effects: for `/readyz` and
    /// the recovery probe.
    async fn check(&self) -> Result<(), StorageError>;

    /// A URL that lets whoever holds it `GET` the object under `key` straight from the store
    /// until `signed_at + expires_in`, signed with this process's credentials (no request is
    /// made to the store); `None` for a store without such URLs (a local directory). No
    /// default: a wrapper that forgot to pass it on would silently turn presigned downloads
    /// into 503s.
    async fn presigned_get(
        &self,
        key: &BlobKey,
        signed_at: SystemTime,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError>;

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
            BlobKey::deprecation(&addr(), &v, 0).as_str(),
            "modules/platform/vpc/aws/1.3.0-rc.1+build.5.deprecation"
        );
        assert_eq!(
            BlobKey::deprecation(&addr(), &v, 2).as_str(),
            "modules/platform/vpc/aws/1.3.0-rc.1+build.5.deprecation.2"
        );
    }

    #[test]
    fn shared_state_keys_follow_the_documented_layout_and_parse_back() {
        let at = time::macros::datetime!(2026-12-01 11:54:15.123456789 UTC);
        let change = BlobKey::new_change(at);
        assert!(
            change
                .as_str()
                .starts_with("changes/20261201T115415.123456Z-"),
            "{change}"
        );
        assert!(BlobPrefix::CHANGES.holds(change.as_str()));
        assert_eq!(
            change.change_time(),
            Some(time::macros::datetime!(2026-12-01 11:54:15.123456 UTC))
        );
        assert!(BlobKey::change_cursor(at) < change);
        assert!(BlobKey::new_audit(at)
            .as_str()
            .starts_with("audit/20261201T115415.123456Z-"));
        let id = TokenId::parse("tok_0123456789ab").unwrap();
        assert_eq!(
            BlobKey::token(&id).as_str(),
            "auth/tokens/tok_0123456789ab.json"
        );
        let revocation = BlobKey::revocation(&id);
        assert_eq!(
            revocation.as_str(),
            "auth/revocations/tok_0123456789ab.json"
        );
        assert_eq!(BlobKey::parse_token_key(revocation.as_str()), Some(id));
        let v = Version::parse("1.0.0-rc.1").unwrap();
        for generation in [0, 1, 12] {
            let deprecation = BlobKey::deprecation(&addr(), &v, generation);
            assert_eq!(
                BlobKey::parse_deprecation_key(deprecation.as_str()),
                Some((addr(), v.clone(), generation))
            );
        }
        for bad in [
            ".deprecation.01",
            ".deprecation.x",
            ".deprecation.0",
            ".deprecation.",
        ] {
            let key = format!("modules/platform/vpc/aws/1.0.0-rc.1{bad}");
            assert_eq!(BlobKey::parse_deprecation_key(&key), None, "{key} accepted");
        }
        for bad in ["", "../x", "tok/1", "TOK_1", "tok 1", &"a".repeat(65)] {
            assert!(TokenId::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(!BlobPrefix::TOKENS.holds("auth/tokens/.tok_1.json.tmp-1-2"));
        assert!(!BlobPrefix::TOKENS.holds("auth/tokens/x/tok_1.json"));
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
