//! The registry API calls of `publish`, `deprecate`, `diff` and `tags`: one small client that
//! turns `{"errors": […]}` bodies into messages. (A shared typed client is planned in
//! `cli/src/client.rs`; these commands move to it when it lands.)

use anyhow::Context as _;
use registry::address::ModuleAddress;
use reqwest::{RequestBuilder, StatusCode};
use semver::Version;
use serde_json::Value;

pub struct Registry {
    base: String,
    token: Option<String>,
    client: reqwest::Client,
}

/// A refusal the registry answered with a 4xx: the request was understood and said no.
#[derive(Debug, thiserror::Error)]
#[error("the registry refused it ({status}): {message}")]
pub struct Refused {
    pub status: StatusCode,
    pub message: String,
}

/// What a registry says about one release tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagState {
    /// The version is not published.
    New,
    /// Published from this commit (or without git provenance).
    Published,
    /// Published from this tag at another commit: the tag was moved afterwards.
    Moved { published_commit: String },
}

impl Registry {
    pub fn new(url: &str, token: Option<String>) -> Self {
        Self {
            base: url.trim_end_matches('/').to_owned(),
            token,
            client: reqwest::Client::new(),
        }
    }

    pub fn url(&self) -> &str {
        &self.base
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `request`; a 2xx body as JSON, a 4xx as [`Refused`], anything else as an error.
    pub async fn send(&self, request: RequestBuilder) -> anyhow::Result<Value> {
        let response = request
            .send()
            .await
            .with_context(|| format!("cannot reach the registry at {}", self.base))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or_default();
        if status.is_success() {
            return Ok(body);
        }
        let message = error_message(&body);
        if status.is_client_error() {
            return Err(Refused { status, message }.into());
        }
        anyhow::bail!("the registry at {} failed ({status}): {message}", self.base)
    }

    /// The details of a release; `None` when it is not published.
    pub async fn details(
        &self,
        address: &ModuleAddress,
        version: &Version,
    ) -> anyhow::Result<Option<Value>> {
        let path = format!("/v1/modules/{address}/{version}");
        match self.send(self.request(reqwest::Method::GET, &path)).await {
            Ok(body) => Ok(Some(body)),
            Err(e) => match e.downcast_ref::<Refused>() {
                Some(r) if r.status == StatusCode::NOT_FOUND => Ok(None),
                _ => Err(e),
            },
        }
    }

    /// Whether `tag` (pointing at `commit`) is published as `address` `version`, and from where.
    pub async fn tag_state(
        &self,
        address: &ModuleAddress,
        version: &Version,
        tag: &str,
        commit: &str,
    ) -> anyhow::Result<TagState> {
        let Some(details) = self.details(address, version).await? else {
            return Ok(TagState::New);
        };
        let published_commit = details["commit"].as_str().unwrap_or_default();
        let same_tag = details["tag"].as_str() == Some(tag);
        Ok(
            if same_tag && !published_commit.eq_ignore_ascii_case(commit) {
                TagState::Moved {
                    published_commit: published_commit.to_owned(),
                }
            } else {
                TagState::Published
            },
        )
    }
}

fn error_message(body: &Value) -> String {
    body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_else(|| "no error message".into())
}
