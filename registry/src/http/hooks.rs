//! `POST /v1/hooks/git/{name}`: GitHub webhook deliveries for a watched source. No bearer
//! token (GitHub sends none): the `X-Hub-Signature-256` HMAC of the body is the proof.
//!
//! 404 unknown source (or one without `webhook_secret_file`), 413 body over the limit, 401
//! missing or bad signature, 200 for `ping` and ignored events, 202 when a fetch is queued.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::BytesMut;
use futures_util::StreamExt as _;

use super::error::ApiError;
use super::AppState;
use crate::git_watch::webhook::{classify, verify_signature, Delivery, MAX_BODY_BYTES};

pub async fn git(
    req: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let source = state.git.source(&name).ok_or_else(|| {
        ApiError::not_found(format!(
            "no git source named `{name}` is configured: the webhook URL ends in a [[git.sources]] name"
        ))
    })?;
    let secret = source.webhook_secret().ok_or_else(|| {
        ApiError::not_found(format!(
            "git source `{name}` takes no webhooks: give it a webhook_secret_file"
        ))
    })?;
    let mut buf = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::bad_request(format!("the delivery was interrupted: {e}")))?;
        if buf.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("webhook deliveries are limited to {MAX_BODY_BYTES} bytes"),
            ));
        }
        buf.extend_from_slice(&chunk);
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    verify_signature(secret, &buf, header("x-hub-signature-256"))
        .map_err(|e| ApiError::unauthorized(e.to_string()))?;
    Ok(match classify(header("x-github-event"), &buf) {
        Delivery::Ping => HttpResponse::Ok().json(serde_json::json!({
            "source": source.name(), "status": "pong"
        })),
        Delivery::Fetch => {
            source.request_fetch();
            HttpResponse::Accepted().json(serde_json::json!({
                "source": source.name(), "status": "fetch queued"
            }))
        }
        Delivery::Ignored(why) => HttpResponse::Ok().json(serde_json::json!({
            "source": source.name(), "status": "ignored", "reason": why
        })),
    })
}
