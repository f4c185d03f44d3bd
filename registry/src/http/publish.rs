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
use crate::manifest::{Manifest, ReleaseSource};
use crate::metrics::PublishOutcome;
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

    let limit = state.settings.max_upload_bytes;
    let too_large = || {
        state.metrics.count_publish(PublishOutcome::Rejected);
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the upload is larger than the {limit}-byte limit (max_upload_bytes): trim the module or raise the limit"),
        )
    };
    if let Some(declared) = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        if declared > limit {
            return Err(too_large());
        }
    }
    let mut buf = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("the upload was interrupted: {e}")))?;
        if (buf.len() + chunk.len()) as u64 > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    if buf.is_empty() {
        state.metrics.count_publish(PublishOutcome::Rejected);
        return Err(ApiError::bad_request(
            "the request body is empty: send the module's .tar.gz as the body",
        ));
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

    let result = state
        .publisher
        .publish(NewRelease {
            address: addr.clone(),
            version,
            tarball: buf.freeze(),
            publisher: principal.description.clone(),
            source,
        })
        .await;
    let (status, manifest, outcome) = match result {
        Ok(Published::Created(m)) => (StatusCode::CREATED, m, PublishOutcome::Created),
        Ok(Published::Unchanged(m)) => (StatusCode::OK, m, PublishOutcome::Unchanged),
        Err(e) => {
            state.metrics.count_publish(match &e {
                PublishError::Conflict { .. } => PublishOutcome::Conflict,
                PublishError::Storage(_) | PublishError::Index(_) | PublishError::Manifest(_) => {
                    PublishOutcome::Error
                }
                _ => PublishOutcome::Rejected,
            });
            if let PublishError::Storage(_) = e {
                state
                    .metrics
                    .storage_errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            return Err(e.into());
        }
    };
    state.metrics.count_publish(outcome);
    if outcome == PublishOutcome::Created {
        state.catalog.invalidate();
        tracing::info!(module = %addr, version = %manifest.version, sha256 = %manifest.sha256, publisher = %manifest.publisher, "published");
    }
    Ok(HttpResponse::build(status).json(release_json(&manifest, outcome)))
}

fn release_json(m: &Manifest, outcome: PublishOutcome) -> PublishedBody {
    PublishedBody {
        id: format!("{}/{}", m.address, m.version),
        outcome: outcome.as_str().to_owned(),
        sha256: m.sha256.clone(),
        size: m.size,
        published_at: m.published_at.clone(),
        publisher: m.publisher.clone(),
        inputs: m.interface.root.inputs.len(),
        outputs: m.interface.root.outputs.len(),
        resources: m.interface.root.resources.len(),
    }
}
