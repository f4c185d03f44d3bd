//! The archive location a download hands out (`X-Terraform-Get`), cached per release per
//! expiry step: the registry's own signed archive route by default, or with
//! `s3_presigned_downloads` a presigned S3 `GET` URL, so the bytes never pass the registry.
//!
//! Either way the link carries `checksum=sha256:…`: go-getter verifies it against the file
//! before unpacking and strips it (and `archive`) from the query before the request, so
//! neither signature covers it. The object key ends in `.tar.gz`, which is how go-getter
//! knows it is an archive (otherwise it would add `terraform-get=1` and break the signature).

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use super::error::ApiError;
use super::AppState;
use crate::address::ModuleAddress;
use crate::catalog::{ArchiveLink, CachedRelease};
use crate::signing::{encode_signature_into, now_unix, UrlSigner};
use crate::storage::{BlobStore, StorageError};

/// The link to `release`'s tarball for this deployment, valid at least `archive_url_ttl_secs`.
pub async fn location(
    state: &AppState,
    addr: &ModuleAddress,
    release: &CachedRelease,
) -> Result<String, ApiError> {
    let now = now_unix();
    if state.settings.s3_presigned_downloads {
        Ok(presigned(state.store.as_ref(), &state.signer, addr, release, now).await?)
    } else {
        Ok(signed(&state.signer, addr, release, now))
    }
}

/// The registry's archive route, signed. The signature is reused while signing now would
/// give the same one, so a busy release is signed once per expiry step, not per request; the
/// link is written into one buffer of the right size (this runs for every download).
fn signed(signer: &UrlSigner, addr: &ModuleAddress, release: &CachedRelease, now: u64) -> String {
    use std::fmt::Write as _;
    let mut link = String::with_capacity(200);
    let _ = write!(link, "/v1/archives/{addr}/{}.tar.gz", release.version);
    let path_len = link.len();
    let expires = signer.expiry(now);
    let (expires, tag) = {
        let mut cached = release.link.lock().expect("link lock");
        match &*cached {
            Some((at, ArchiveLink::Signed(tag))) if *at == expires => (*at, *tag),
            _ => {
                let (at, tag) = signer.sign_raw(&link[..path_len], now);
                *cached = Some((at, ArchiveLink::Signed(tag)));
                (at, tag)
            }
        }
    };
    let _ = write!(link, "?expires={expires}&signature=");
    encode_signature_into(&tag, &mut link);
    link.push_str("&checksum=sha256:");
    link.push_str(&release.sha256);
    link
}

/// A presigned `GetObject` URL of the release's tarball that expires when the registry's own
/// link signed now would (the same expiry step), so within a step every download of the
/// release gets the same URL and it is presigned once.
async fn presigned(
    store: &dyn BlobStore,
    signer: &UrlSigner,
    addr: &ModuleAddress,
    release: &CachedRelease,
    now: u64,
) -> Result<String, StorageError> {
    let expires = signer.expiry(now);
    if let Some((at, ArchiveLink::Presigned(url))) = &*release.link.lock().expect("link lock") {
        if *at == expires {
            return Ok(url.to_string());
        }
    }
    let key = release
        .archive_key(addr)
        .ok_or_else(|| StorageError::Backend {
            op: "presign",
            key: format!("{addr} {}", release.version),
            source: format!("the indexed sha256 `{}` is not a digest", release.sha256).into(),
        })?;
    let signed_at = UNIX_EPOCH + Duration::from_secs(now);
    let url = store
        .presigned_get(&key, signed_at, Duration::from_secs(expires - now))
        .await?
        .ok_or_else(|| StorageError::Backend {
            op: "presign",
            key: key.to_string(),
            source: format!("{} has no presigned URLs", store.describe()).into(),
        })?;
    let location: Arc<str> = format!("{url}&checksum=sha256:{}", release.sha256).into();
    *release.link.lock().expect("link lock") =
        Some((expires, ArchiveLink::Presigned(location.clone())));
    Ok(location.to_string())
}

#[cfg(test)]
mod tests {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};

    use super::*;
    use crate::catalog::{Catalog, ModuleEntry};
    use crate::index::Index;
    use crate::interface::ModuleInterface;
    use crate::manifest::{Manifest, MANIFEST_SCHEMA};
    use crate::storage::{BlobKey, S3Location, S3Store};

    const TTL: u64 = 300;

    /// An S3 store that is never contacted: presigning is local.
    fn store() -> S3Store {
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .endpoint_url("http://s3.test:9000")
            .force_path_style(true)
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .build();
        let location = S3Location {
            bucket: "releases".into(),
            prefix: "modreg/".into(),
            kms_key_id: None,
        };
        S3Store::new(aws_sdk_s3::Client::from_conf(config), location)
    }

    async fn one_release() -> (
        tempfile::TempDir,
        ModuleAddress,
        std::sync::Arc<ModuleEntry>,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let index = Index::open(&dir.path().join("i.sqlite3")).unwrap();
        let address = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
        let sha256 = "ab".repeat(32);
        let manifest = Manifest {
            schema: MANIFEST_SCHEMA,
            address: address.clone(),
            version: semver::Version::new(1, 2, 0),
            archive: BlobKey::content_archive(&address, &sha256).map(|k| k.to_string()),
            sha256,
            size: 10,
            source: None,
            publisher: "test".into(),
            published_at: "2026-01-01T00:00:00Z".into(),
            interface: ModuleInterface::default(),
            changelog: None,
        };
        let json = serde_json::to_string(&manifest).unwrap();
        index.insert_release(&manifest, &json).unwrap();
        let entry = Catalog::new(index).module(&address).await.unwrap().unwrap();
        (dir, address, entry)
    }

    fn query(url: &str, name: &str) -> String {
        let url = reqwest::Url::parse(url).unwrap();
        let value = url.query_pairs().find(|(k, _)| k == name);
        value.map(|(_, v)| v.into_owned()).unwrap_or_default()
    }

    #[tokio::test]
    async fn a_presigned_link_names_the_content_key_on_the_bucket_host_and_lasts_the_ttl() {
        let (_dir, addr, entry) = one_release().await;
        let release = entry.release(&semver::Version::new(1, 2, 0)).unwrap();
        let signer = UrlSigner::new(vec![1; 32], TTL);
        let now = 1_800_000_003;
        let link = presigned(&store(), &signer, &addr, release, now)
            .await
            .unwrap();

        let url = reqwest::Url::parse(&link).unwrap();
        assert_eq!(url.host_str(), Some("s3.test"));
        assert_eq!(url.port(), Some(9000));
        let digest = "ab".repeat(32);
        assert_eq!(
            url.path(),
            format!("/releases/modreg/modules/platform/vpc/aws/sha256/{digest}.tar.gz")
        );
        let expires: u64 = query(&link, "X-Amz-Expires").parse().unwrap();
        assert_eq!(now + expires, signer.expiry(now));
        assert!(expires >= TTL, "{expires}");
        assert_eq!(query(&link, "X-Amz-Date"), "20270115T080003Z");
        assert!(query(&link, "X-Amz-Credential").starts_with("AKIDTEST/20270115/eu-west-1/s3/"));
        assert_eq!(query(&link, "checksum"), format!("sha256:{digest}"));
        assert!(
            link.ends_with(&format!("&checksum=sha256:{digest}")),
            "{link}"
        );
    }

    #[tokio::test]
    async fn a_presigned_link_is_reused_within_an_expiry_step_and_renewed_after_it() {
        let (_dir, addr, entry) = one_release().await;
        let release = entry.release(&semver::Version::new(1, 2, 0)).unwrap();
        let signer = UrlSigner::new(vec![1; 32], TTL);
        let store = store();
        // The step is 30 s (a tenth of the TTL): 1_800_000_001 ..= 1_800_000_030 is one.
        let first = presigned(&store, &signer, &addr, release, 1_800_000_001)
            .await
            .unwrap();
        let later = presigned(&store, &signer, &addr, release, 1_800_000_030)
            .await
            .unwrap();
        assert_eq!(first, later, "one step, one URL");
        let next = presigned(&store, &signer, &addr, release, 1_800_000_031)
            .await
            .unwrap();
        assert_ne!(first, next);
        assert_eq!(query(&next, "X-Amz-Date"), "20270115T080031Z");
        let expires: u64 = query(&next, "X-Amz-Expires").parse().unwrap();
        assert_eq!(1_800_000_031 + expires, signer.expiry(1_800_000_031));
    }

    #[tokio::test]
    async fn a_signed_link_is_reused_within_an_expiry_step() {
        let (_dir, addr, entry) = one_release().await;
        let release = entry.release(&semver::Version::new(1, 2, 0)).unwrap();
        let signer = UrlSigner::new(vec![1; 32], TTL);
        let first = signed(&signer, &addr, release, 1_800_000_001);
        assert_eq!(first, signed(&signer, &addr, release, 1_800_000_030));
        assert_ne!(first, signed(&signer, &addr, release, 1_800_000_031));
        assert!(first.starts_with("/v1/archives/platform/vpc/aws/1.2.0.tar.gz?expires="));
    }
}
