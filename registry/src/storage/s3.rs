//! Blobs as objects in one S3 bucket (or any S3 API), for deployments on AWS.
//!
//! Writes are create-only twice over: a `HEAD` refuses a key that exists (so even a store that
//! ignores conditional headers never overwrites in sequence), then the `PutObject` (or, above
//! [`MULTIPART_THRESHOLD`], the `CompleteMultipartUpload`) carries `If-None-Match: *`, whose
//! `412` means a concurrent writer won. Objects are encrypted with SSE-KMS when a key is
//! configured, SSE-S3 otherwise. The SDK retries transient failures (5xx, throttling, refused
//! connections) with jittered exponential backoff, within a bounded total time per operation.

use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{BehaviorVersion, IdentityCache, Region};
use aws_sdk_s3::error::{DisplayErrorContext, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart, ServerSideEncryption};
use aws_sdk_s3::Client;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use bytes::Bytes;

use super::{BlobKey, BlobPrefix, BlobStore, BlobStream, PutOutcome, StorageError, MODULES_PREFIX};

/// Uploads larger than this go up in parts (S3's smallest part is 5 MiB).
pub const MULTIPART_THRESHOLD: usize = 8 * 1024 * 1024;
/// Size of each part of a multipart upload but the last.
const PART_BYTES: usize = 8 * 1024 * 1024;

/// Attempts per operation, the first included; backoff doubles from the initial delay.
const MAX_ATTEMPTS: u32 = 4;
const INITIAL_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// One attempt (a 20 MiB part over a slow link included).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// All attempts of one operation together: the bound on how long a request waits for S3.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);
/// Temporary credentials (task or instance role, web identity) are replaced this long before
/// they expire, plus up to half again (the SDK's jitter), instead of the SDK's 10 s, so a
/// presigned URL they signed keeps working at least this long: it dies with its credentials,
/// whatever its `X-Amz-Expires`. ECS and EC2 offer new credentials 5 minutes before expiry;
/// asking earlier than that would fetch the old ones again.
const CREDENTIAL_REFRESH_MARGIN: Duration = Duration::from_secs(180);
/// `409 ConditionalRequestConflict`: another conditional write of the key is in flight.
const CONFLICT_RETRIES: u32 = 3;

/// How the client reaches S3; credentials and anything unset come from the standard AWS chain
/// (environment, profile, web identity, ECS or EC2 role; `AWS_REGION`, `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone, Default)]
pub struct S3Endpoint {
    pub region: Option<String>,
    /// `http://127.0.0.1:9000` for an S3-compatible API; AWS when unset.
    pub endpoint: Option<String>,
    /// `https://host/bucket/key` instead of `https://bucket.host/key`.
    pub path_style: bool,
}

/// Where the blobs live in S3.
#[derive(Debug, Clone)]
pub struct S3Location {
    pub bucket: String,
    /// Key prefix, so one bucket can hold several registries: `modreg/` puts releases under
    /// `modreg/modules/…`. Empty for the bucket root.
    pub prefix: String,
    /// SSE-KMS with this key (id, ARN or alias); SSE-S3 when `None`.
    pub kms_key_id: Option<String>,
}

/// Why the S3 client could not be configured.
#[derive(Debug, thiserror::Error)]
pub enum S3ConfigError {
    #[error("no AWS region for S3: set s3_region (MODREG_S3_REGION, --s3-region) or AWS_REGION")]
    NoRegion,
}

/// The SDK configuration for `endpoint`: the AWS chain, a rustls (ring) HTTPS client, and the
/// retry and timeout bounds above. Callers may add to it before building the client.
pub async fn sdk_config(
    endpoint: &S3Endpoint,
) -> Result<aws_sdk_s3::config::Builder, S3ConfigError> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .identity_cache(
            IdentityCache::lazy()
                .buffer_time(CREDENTIAL_REFRESH_MARGIN)
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(INITIAL_BACKOFF)
                .with_max_backoff(MAX_BACKOFF),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(region) = &endpoint.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &endpoint.endpoint {
        loader = loader.endpoint_url(url);
    }
    let shared = loader.load().await;
    if shared.region().is_none() {
        return Err(S3ConfigError::NoRegion);
    }
    Ok(aws_sdk_s3::config::Builder::from(&shared).force_path_style(endpoint.path_style))
}

/// A [`BlobStore`] in an S3 bucket: the key is `{prefix}{BlobKey}`.
#[derive(Debug, Clone)]
pub struct S3Store {
    client: Client,
    bucket: String,
    prefix: String,
    kms_key_id: Option<String>,
}

impl S3Store {
    /// A store reached through the standard AWS chain and `endpoint`.
    pub async fn connect(
        endpoint: &S3Endpoint,
        location: S3Location,
    ) -> Result<Self, S3ConfigError> {
        let config = sdk_config(endpoint).await?.build();
        Ok(Self::new(Client::from_conf(config), location))
    }

    /// A store on an already configured client.
    pub fn new(client: Client, location: S3Location) -> Self {
        let prefix = location.prefix.trim_matches('/');
        Self {
            client,
            bucket: location.bucket,
            prefix: if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix}/")
            },
            kms_key_id: location.kms_key_id,
        }
    }

    fn object_key(&self, key: &BlobKey) -> String {
        format!("{}{key}", self.prefix)
    }

    fn encryption(&self) -> ServerSideEncryption {
        match self.kms_key_id {
            Some(_) => ServerSideEncryption::AwsKms,
            None => ServerSideEncryption::Aes256,
        }
    }

    async fn exists(&self, object: &str) -> Result<bool, Failure> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(object)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if status(&e) == Some(404) => Ok(false),
            Err(e) => Err(Failure::of(e)),
        }
    }

    async fn put_single(&self, object: &str, bytes: Bytes) -> Result<(), Failure> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(object)
            .if_none_match("*")
            .server_side_encryption(self.encryption())
            .set_ssekms_key_id(self.kms_key_id.clone())
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map(drop)
            .map_err(Failure::of)
    }

    /// Parts are uploaded in order; only the completion carries `If-None-Match`, so nothing
    /// is visible under the key before the whole object is. A failed upload is aborted.
    async fn put_multipart(&self, object: &str, bytes: Bytes) -> Result<(), Failure> {
        let upload = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(object)
            .server_side_encryption(self.encryption())
            .set_ssekms_key_id(self.kms_key_id.clone())
            .send()
            .await
            .map_err(Failure::of)?;
        let upload_id = upload.upload_id().unwrap_or_default().to_owned();
        let result = self.upload_parts(object, &upload_id, bytes).await;
        if result.is_err() {
            let abort = self
                .client
                .abort_multipart_upload()
                .bucket(&self.bucket)
                .key(object)
                .upload_id(&upload_id)
                .send()
                .await;
            if let Err(e) = abort {
                // A bucket lifecycle rule for incomplete uploads removes what this leaves.
                tracing::warn!(error = %DisplayErrorContext(&e), "cannot abort a failed multipart upload");
            }
        }
        result
    }

    async fn upload_parts(
        &self,
        object: &str,
        upload_id: &str,
        bytes: Bytes,
    ) -> Result<(), Failure> {
        let mut parts = Vec::new();
        for (n, start) in (0..bytes.len()).step_by(PART_BYTES).enumerate() {
            let number = i32::try_from(n + 1).expect("a blob has fewer than 2^31 parts");
            let end = (start + PART_BYTES).min(bytes.len());
            let part = self
                .client
                .upload_part()
                .bucket(&self.bucket)
                .key(object)
                .upload_id(upload_id)
                .part_number(number)
                .body(ByteStream::from(bytes.slice(start..end)))
                .send()
                .await
                .map_err(Failure::of)?;
            parts.push(
                CompletedPart::builder()
                    .part_number(number)
                    .set_e_tag(part.e_tag().map(str::to_owned))
                    .build(),
            );
        }
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(object)
            .upload_id(upload_id)
            .if_none_match("*")
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map(drop)
            .map_err(Failure::of)
    }

    async fn get_object(
        &self,
        key: &BlobKey,
    ) -> Result<Option<aws_sdk_s3::operation::get_object::GetObjectOutput>, StorageError> {
        match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .send()
            .await
        {
            Ok(out) => Ok(Some(out)),
            Err(e) if status(&e) == Some(404) => Ok(None),
            Err(e) => Err(Failure::of(e).at("read", key.as_str())),
        }
    }
}

#[async_trait]
impl BlobStore for S3Store {
    async fn put_new(&self, key: &BlobKey, bytes: Bytes) -> Result<PutOutcome, StorageError> {
        let object = self.object_key(key);
        let fail = |f: Failure| f.at("write", key.as_str());
        for attempt in 0..=CONFLICT_RETRIES {
            if self.exists(&object).await.map_err(fail)? {
                return Ok(PutOutcome::AlreadyExists);
            }
            let written = if bytes.len() > MULTIPART_THRESHOLD {
                self.put_multipart(&object, bytes.clone()).await
            } else {
                self.put_single(&object, bytes.clone()).await
            };
            match written {
                Ok(()) => return Ok(PutOutcome::Created),
                Err(f) if f.status == Some(412) => return Ok(PutOutcome::AlreadyExists),
                Err(f) if f.status == Some(409) && attempt < CONFLICT_RETRIES => {
                    tokio::time::sleep(INITIAL_BACKOFF * (attempt + 1)).await;
                }
                Err(f) => return Err(fail(f)),
            }
        }
        unreachable!("the last attempt returns")
    }

    async fn get(&self, key: &BlobKey) -> Result<Option<Bytes>, StorageError> {
        let Some(out) = self.get_object(key).await? else {
            return Ok(None);
        };
        let data = out
            .body
            .collect()
            .await
            .map_err(|e| StorageError::Backend {
                op: "read",
                key: key.to_string(),
                source: Box::new(e),
            })?;
        Ok(Some(data.into_bytes()))
    }

    async fn open(&self, key: &BlobKey) -> Result<Option<BlobStream>, StorageError> {
        let Some(out) = self.get_object(key).await? else {
            return Ok(None);
        };
        let len = out
            .content_length()
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0);
        let chunks = futures_util::stream::try_unfold(out.body, |mut body| async move {
            let chunk = body.try_next().await.map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(chunk.map(|chunk| (chunk, body)))
        });
        Ok(Some(BlobStream {
            len,
            chunks: Box::pin(chunks),
        }))
    }

    async fn list_manifests(&self) -> Result<Vec<BlobKey>, StorageError> {
        let listed = format!("{}{MODULES_PREFIX}/", self.prefix);
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&listed)
            .into_paginator()
            .send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| Failure::of(e).at("list", &listed))?;
            for object in page.contents() {
                let relative = object.key().and_then(|k| k.strip_prefix(&self.prefix));
                if let Some(relative) =
                    relative.filter(|k| BlobKey::parse_manifest_key(k).is_some())
                {
                    keys.push(BlobKey(relative.to_owned()));
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    async fn list_after(
        &self,
        prefix: BlobPrefix,
        start_after: Option<&BlobKey>,
    ) -> Result<Vec<BlobKey>, StorageError> {
        let listed = format!("{}{}", self.prefix, prefix.as_str());
        let mut request = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&listed);
        if let Some(after) = start_after {
            request = request.start_after(self.object_key(after));
        }
        let mut pages = request.into_paginator().send();
        let mut keys = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| Failure::of(e).at("list", &listed))?;
            for object in page.contents() {
                let relative = object.key().and_then(|k| k.strip_prefix(&self.prefix));
                if let Some(relative) = relative.filter(|k| prefix.holds(k)) {
                    keys.push(BlobKey(relative.to_owned()));
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    async fn check(&self) -> Result<(), StorageError> {
        self.client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .map(drop)
            .map_err(|e| Failure::of(e).at("check", &self.bucket))
    }

    async fn presigned_get(
        &self,
        key: &BlobKey,
        signed_at: SystemTime,
        expires_in: Duration,
    ) -> Result<Option<String>, StorageError> {
        let fail = |source: Box<dyn std::error::Error + Send + Sync>| StorageError::Backend {
            op: "presign",
            key: key.to_string(),
            source,
        };
        let config = PresigningConfig::builder()
            .start_time(signed_at)
            .expires_in(expires_in)
            .build()
            .map_err(|e| fail(Box::new(e)))?;
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(self.object_key(key))
            .presigned(config)
            .await
            .map_err(|e| fail(Box::new(Failure::of(e))))?;
        Ok(Some(request.uri().to_owned()))
    }

    fn describe(&self) -> String {
        format!("S3 bucket s3://{}/{}", self.bucket, self.prefix)
    }
}

/// The HTTP status S3 answered, when it answered at all.
fn status<E>(e: &SdkError<E, HttpResponse>) -> Option<u16> {
    e.raw_response().map(|r| r.status().as_u16())
}

/// An S3 failure with its status and the SDK's whole error context as text.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct Failure {
    status: Option<u16>,
    message: String,
}

impl Failure {
    fn of<E: std::error::Error + Send + Sync + 'static>(e: SdkError<E, HttpResponse>) -> Self {
        Self {
            status: status(&e),
            message: DisplayErrorContext(&e).to_string(),
        }
    }

    fn at(self, op: &'static str, key: &str) -> StorageError {
        StorageError::Backend {
            op,
            key: key.to_owned(),
            source: Box::new(self),
        }
    }
}
