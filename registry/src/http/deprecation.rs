//! `PUT` and `DELETE /v1/modules/{namespace}/{name}/{system}/{version}/deprecation`: mark a
//! release deprecated (`{"reason": "…", "replacement": "2.0.0"}`) or take that back. Needs the
//! `publish:<namespace>` or `admin` scope.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::require_publish;
use super::error::ApiError;
use super::protocol::{address, version as parse_version};
use super::AppState;
use crate::publish::DeprecationRequest;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeprecationBody {
    reason: String,
    replacement: Option<String>,
}

type ReleasePath = web::Path<(String, String, String, String)>;

pub async fn deprecate(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: ReleasePath,
    body: Result<web::Json<DeprecationBody>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, raw) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let version = parse_version(&raw)?;
    let principal = require_publish(&req, &state, &addr.namespace).await?;
    let body = body.map_err(|e| {
        ApiError::bad_request(format!(
            "the body must be JSON `{{\"reason\": \"…\", \"replacement\": \"2.0.0\"}}` (replacement optional): {e}"
        ))
    })?;
    let DeprecationBody {
        reason,
        replacement,
    } = body.into_inner();
    let replacement = replacement.as_deref().map(parse_version).transpose()?;
    let deprecation = state
        .publisher
        .deprecate(DeprecationRequest {
            address: addr,
            version,
            reason,
            replacement,
            by: principal.description.clone(),
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "deprecation": deprecation })))
}

pub async fn undeprecate(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: ReleasePath,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, raw) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let version = parse_version(&raw)?;
    let principal = require_publish(&req, &state, &addr.namespace).await?;
    let was = state
        .publisher
        .undeprecate(&addr, &version, &principal.description)
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "deprecation": null, "was_deprecated": was })))
}

pub async fn other_method(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not supported on {}: this route answers PUT (deprecate) and DELETE (withdraw the deprecation)",
            req.method(),
            req.path()
        ),
    ))
}
