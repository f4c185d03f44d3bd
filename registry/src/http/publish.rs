//! `PUT /v1/modules/{namespace}/{name}/{system}/{version}`: the authenticated upload.
//!
//! The body is the release's `.tar.gz`. Optional `X-Modreg-Source-{Repo,Tag,Commit}` headers
//! record where it was built from. 201 = created, 200 = the same bytes were already there.

use crate::api_model::PublishedBody;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::BytesMut;
use futures_util::StreamExt as _;

use super::auth::require_publish;
use super::error::ApiError;
use super::protocol::{address, version};
use super::AppState;
use crate::manifest::ReleaseSource;
use crate::publish::{NewRelease, PublishError, Published};

pub async fn publish(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, raw) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let version = version(&raw)?;
    let principal = require_publish(&req, &state, &addr.namespace).await?;

    let refuse = |error| {
        state
            .publisher
            .refuse(&addr, &version, &principal.description, error)
    };
    let limit = state.settings.max_upload_bytes;
    if let Some(declared) = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if declared > limit {
            return Err(refuse(PublishError::TooLarge { limit }).await.into());
        }
    }
    let mut buf = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("the upload was interrupted: {e}")))?;
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(refuse(PublishError::TooLarge { limit }).await.into());
        }
        buf.extend_from_slice(&chunk);
    }
    if buf.is_empty() {
        return Err(refuse(PublishError::EmptyUpload).await.into());
    }

    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let source = match (
        header("x-modreg-source-repo"),
        header("x-modreg-source-tag"),
        header("x-modreg-source-commit"),
    ) {
        (Some(repo), Some(tag), Some(commit)) => Some(ReleaseSource { repo, tag, commit }),
        (None, None, None) => None,
        _ => {
            return Err(ApiError::bad_request(
                "X-Modreg-Source-Repo, X-Modreg-Source-Tag and X-Modreg-Source-Commit go together: send all three or none",
            ))
        }
    };

    let published = state
        .publisher
        .publish(NewRelease {
            address: addr,
            version,
            tarball: buf.freeze(),
            publisher: principal.description.clone(),
            source,
        })
        .await?;
    let status = match published {
        Published::Created(_) => StatusCode::CREATED,
        Published::Unchanged(_) => StatusCode::OK,
    };
    Ok(HttpResponse::build(status).json(release_json(&published)))
}

fn release_json(published: &Published) -> PublishedBody {
    let (Published::Created(m) | Published::Unchanged(m)) = published;
    PublishedBody {
        id: format!("{}/{}", m.address, m.version),
        outcome: published.outcome().as_str().to_owned(),
        sha256: m.sha256.clone(),
        size: m.size,
        published_at: m.published_at.clone(),
        publisher: m.publisher.clone(),
        inputs: m.interface.root.inputs.len(),
        outputs: m.interface.root.outputs.len(),
        resources: m.interface.root.resources.len(),
    }
}
