//! What only the S3 store does, against a real S3 API (moto): create-only writes on a store
//! that ignores `If-None-Match`, multipart uploads, server-side encryption, bounded failures.

use std::time::{Duration, Instant};

use aws_sdk_s3::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_s3::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_s3::error::BoxError;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use bytes::Bytes;
use semver::Version;

use super::moto::{Moto, BUCKET};
use super::s3::{sdk_config, MULTIPART_THRESHOLD};
use super::{BlobKey, BlobStore, PutOutcome, S3Endpoint, S3Location, S3Store};
use crate::address::ModuleAddress;

fn key(version: &str) -> BlobKey {
    let addr = ModuleAddress::parse("platform", "vpc", "aws").unwrap();
    BlobKey::legacy_archive(&addr, &Version::parse(version).unwrap())
}

fn location(prefix: &str, kms_key_id: Option<&str>) -> S3Location {
    S3Location {
        bucket: BUCKET.into(),
        prefix: prefix.into(),
        kms_key_id: kms_key_id.map(str::to_owned),
    }
}

/// Makes moto behave like a store that ignores conditional writes, by removing the header
/// after signing (moto does not check signatures).
#[derive(Debug)]
struct DropIfNoneMatch;

impl Intercept for DropIfNoneMatch {
    fn name(&self) -> &'static str {
        "DropIfNoneMatch"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        context.request_mut().headers_mut().remove("if-none-match");
        Ok(())
    }
}

#[tokio::test]
async fn on_a_store_that_ignores_if_none_match_an_existing_key_is_still_never_overwritten() {
    let moto = Moto::start().await;
    let config = sdk_config(&moto.s3_endpoint()).await.unwrap();
    let client = moto.client(config.interceptor(DropIfNoneMatch));
    let key = key("1.0.0");
    // The simulated store really ignores the header: a bare conditional put overwrites.
    let object = format!("probe/{key}");
    for body in ["a", "b"] {
        client
            .put_object()
            .bucket(BUCKET)
            .key(&object)
            .if_none_match("*")
            .body(ByteStream::from_static(body.as_bytes()))
            .send()
            .await
            .expect("a store ignoring If-None-Match accepts the overwrite");
    }
    let store = S3Store::new(client, location("ignoring", None));
    let first = Bytes::from_static(b"first");
    assert_eq!(
        store.put_new(&key, first.clone()).await.unwrap(),
        PutOutcome::Created
    );
    let second = store.put_new(&key, Bytes::from_static(b"second")).await;
    assert_eq!(second.unwrap(), PutOutcome::AlreadyExists);
    assert_eq!(store.get(&key).await.unwrap(), Some(first));
}

#[tokio::test]
async fn a_blob_above_the_threshold_goes_up_in_parts_and_reads_back_whole_and_create_only() {
    let moto = Moto::start().await;
    let client = moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap());
    let store = S3Store::new(client.clone(), location("multipart", None));
    let big: Bytes = (0..MULTIPART_THRESHOLD + 3 * 1024 * 1024)
        .map(|i| (i % 253) as u8)
        .collect();
    let key = key("2.0.0");
    assert_eq!(
        store.put_new(&key, big.clone()).await.unwrap(),
        PutOutcome::Created
    );
    let head = client
        .head_object()
        .bucket(BUCKET)
        .key(format!("multipart/{key}"))
        .send()
        .await
        .unwrap();
    // A multipart object's ETag ends in `-<parts>`.
    assert!(
        head.e_tag().unwrap().ends_with("-2\""),
        "{:?}",
        head.e_tag()
    );
    assert_eq!(store.get(&key).await.unwrap(), Some(big.clone()));
    let again = store.put_new(&key, Bytes::from_static(b"small")).await;
    assert_eq!(again.unwrap(), PutOutcome::AlreadyExists);
    assert_eq!(
        store.get(&key).await.unwrap().map(|b| b.len()),
        Some(big.len())
    );
}

#[tokio::test]
async fn objects_are_encrypted_with_the_configured_kms_key_and_with_sse_s3_otherwise() {
    let moto = Moto::start().await;
    let client = moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap());
    for (prefix, kms, expected) in [
        ("kms", Some("alias/modreg"), ServerSideEncryption::AwsKms),
        ("sse-s3", None, ServerSideEncryption::Aes256),
    ] {
        let store = S3Store::new(client.clone(), location(prefix, kms));
        store
            .put_new(&key("1.0.0"), Bytes::from_static(b"tgz"))
            .await
            .unwrap();
        let head = client
            .head_object()
            .bucket(BUCKET)
            .key(format!("{prefix}/{}", key("1.0.0")))
            .send()
            .await
            .unwrap();
        assert_eq!(head.server_side_encryption(), Some(&expected), "{prefix}");
        assert_eq!(head.ssekms_key_id(), kms, "{prefix}");
    }
}

#[tokio::test]
async fn an_unreachable_store_fails_within_the_retry_bound_and_names_the_operation() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let moto_like = S3Endpoint {
        region: Some("us-east-1".into()),
        endpoint: Some(endpoint),
        path_style: true,
    };
    let config = sdk_config(&moto_like).await.unwrap().credentials_provider(
        aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "test"),
    );
    let store = S3Store::new(
        aws_sdk_s3::Client::from_conf(config.build()),
        location("", None),
    );
    let started = Instant::now();
    let err = store.get(&key("1.0.0")).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string()
            .starts_with("storage read of `modules/platform/vpc/aws/1.0.0.tar.gz` failed"),
        "{err}"
    );
    assert!(store.check().await.is_err());
    assert_eq!(store.describe(), "S3 bucket s3://modreg-test/");
}
