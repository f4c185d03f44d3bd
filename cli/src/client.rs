//! The typed registry client the CLI's verbs share: service discovery, versions, module
//! details and publish, reading and writing the bodies of `registry::api_model`. TLS trusts
//! the system store plus the PEM bundle named by `SSL_CERT_FILE`, as Terraform does.

use std::time::Duration;

use registry::api_model::{
    Deprecation, Discovery, ErrorBody, ModuleDetailsBody, PublishedBody, VersionsBody,
};
use reqwest::{StatusCode, Url};

/// Terraform's per-request timeout for registry calls.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a registry call failed; each message names the URL and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the registry at {url}: check the host, the network and the CA (SSL_CERT_FILE)")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("{url} answered {status}: {message}")]
    Status {
        url: String,
        status: StatusCode,
        /// The registry's `errors`, joined, or the body text when it is not an error body.
        message: String,
    },

    #[error("{url} answered with a body that is not the expected JSON: {reason}")]
    Body { url: String, reason: String },

    #[error("`{host}` offers no module registry (its discovery document has no `modules.v1`)")]
    NoModules { host: String },

    #[error("cannot build the HTTPS client: {0}")]
    Setup(String),
}

impl ClientError {
    /// The HTTP status, when the registry answered one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// One registry's module service, found by discovery.
#[derive(Debug, Clone)]
pub struct RegistryClient {
    http: reqwest::Client,
    /// The `modules.v1` base URL, ending in `/`.
    modules: Url,
    token: Option<String>,
}

/// An HTTPS client trusting the system store and `SSL_CERT_FILE`.
pub fn http_client() -> Result<reqwest::Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("modreg/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = std::env::var_os("SSL_CERT_FILE") {
        let pem = std::fs::read(&path).map_err(|e| {
            ClientError::Setup(format!(
                "cannot read SSL_CERT_FILE `{}`: {e}",
                std::path::Path::new(&path).display()
            ))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            ClientError::Setup(format!("SSL_CERT_FILE holds no PEM certificates: {e}"))
        })?;
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder
        .build()
        .map_err(|e| ClientError::Setup(e.to_string()))
}

impl RegistryClient {
    /// Discovers the module service of `base` (`https://host[:port]`), as Terraform does:
    /// `GET /.well-known/terraform.json`, then `modules.v1` resolved against it.
    pub async fn discover(
        http: reqwest::Client,
        base: &str,
        token: Option<String>,
    ) -> Result<Self, ClientError> {
        let base = base.trim_end_matches('/');
        let url = format!("{base}/.well-known/terraform.json");
        let doc: Discovery = get_json(&http, &url, token.as_deref()).await?;
        let host = base.trim_start_matches("https://").to_owned();
        let service = doc.modules_v1.ok_or(ClientError::NoModules { host })?;
        let discovered = Url::parse(&url).map_err(|e| ClientError::Setup(e.to_string()))?;
        let mut modules = discovered.join(&service).map_err(|e| ClientError::Body {
            url: url.clone(),
            reason: format!("`modules.v1` is not a URL: {e}"),
        })?;
        if !modules.path().ends_with('/') {
            modules.set_path(&format!("{}/", modules.path()));
        }
        Ok(RegistryClient {
            http,
            modules,
            token,
        })
    }

    /// A client for a known `modules.v1` URL (a CLI config `host` block), without discovery.
    pub fn with_service(
        http: reqwest::Client,
        modules_v1: &str,
        token: Option<String>,
    ) -> Result<Self, ClientError> {
        let mut modules = Url::parse(modules_v1).map_err(|e| {
            ClientError::Setup(format!("`{modules_v1}` is not a modules.v1 URL: {e}"))
        })?;
        if !modules.path().ends_with('/') {
            modules.set_path(&format!("{}/", modules.path()));
        }
        Ok(RegistryClient {
            http,
            modules,
            token,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.modules)
    }

    /// `GET <modules.v1><address>/versions`; `address` is `namespace/name/system`.
    pub async fn versions(&self, address: &str) -> Result<VersionsBody, ClientError> {
        get_json(
            &self.http,
            &self.url(&format!("{address}/versions")),
            self.token.as_deref(),
        )
        .await
    }

    /// `GET <modules.v1><address>/<version>`: the release with its interface.
    pub async fn details(
        &self,
        address: &str,
        version: &str,
    ) -> Result<ModuleDetailsBody, ClientError> {
        get_json(
            &self.http,
            &self.url(&format!("{address}/{version}")),
            self.token.as_deref(),
        )
        .await
    }

    /// `PUT <modules.v1><address>/<version>` with the tarball and provenance headers.
    pub async fn publish(
        &self,
        address: &str,
        version: &str,
        tarball: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Result<PublishedBody, ClientError> {
        let url = self.url(&format!("{address}/{version}"));
        let mut request = self
            .http
            .put(&url)
            .header("content-type", "application/gzip")
            .body(tarball);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        decode(request.send().await, &url).await
    }
}

impl RegistryClient {
    /// `PUT <modules.v1><address>/<version>/deprecation`: deprecates the release.
    pub async fn deprecate(
        &self,
        address: &str,
        version: &str,
        reason: &str,
        replacement: Option<&str>,
    ) -> Result<Deprecation, ClientError> {
        #[derive(serde::Deserialize)]
        struct Answer {
            deprecation: Deprecation,
        }
        let url = self.url(&format!("{address}/{version}/deprecation"));
        let body = serde_json::json!({ "reason": reason, "replacement": replacement });
        let request = self.authorised(self.http.put(&url).json(&body));
        let answer: Answer = decode(request.send().await, &url).await?;
        Ok(answer.deprecation)
    }

    /// `DELETE <modules.v1><address>/<version>/deprecation`; whether it was deprecated.
    pub async fn undeprecate(&self, address: &str, version: &str) -> Result<bool, ClientError> {
        #[derive(serde::Deserialize)]
        struct Answer {
            was_deprecated: bool,
        }
        let url = self.url(&format!("{address}/{version}/deprecation"));
        let request = self.authorised(self.http.delete(&url));
        let answer: Answer = decode(request.send().await, &url).await?;
        Ok(answer.was_deprecated)
    }

    fn authorised(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
) -> Result<T, ClientError> {
    let mut request = http.get(url).header("accept", "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    decode(request.send().await, url).await
}

/// A 2xx body as `T`; anything else as `ClientError::Status` with the registry's own message.
async fn decode<T: serde::de::DeserializeOwned>(
    sent: Result<reqwest::Response, reqwest::Error>,
    url: &str,
) -> Result<T, ClientError> {
    let response = sent.map_err(|source| ClientError::Unreachable {
        url: url.to_owned(),
        source,
    })?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|source| ClientError::Unreachable {
            url: url.to_owned(),
            source,
        })?;
    if !status.is_success() {
        let message = match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => body.message(),
            Err(_) => String::from_utf8_lossy(&bytes).chars().take(200).collect(),
        };
        return Err(ClientError::Status {
            url: url.to_owned(),
            status,
            message,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| ClientError::Body {
        url: url.to_owned(),
        reason: e.to_string(),
    })
}
