//! Who is calling: the bearer token → `Principal`, and the read/publish checks.
//!
//! 401 means "no token, or one we do not know" (with `WWW-Authenticate`); 403 means "a valid
//! token without the scope for this".

use std::sync::Arc;

use actix_web::http::header;
use actix_web::HttpRequest;

use super::error::ApiError;
use super::AppState;
use crate::address::Namespace;
use crate::auth::{read_access, token_digest, Principal, ReadAccess};

/// The caller's principal, `None` for an anonymous request.
pub async fn principal(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Option<Arc<Principal>>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
        })?;
    match state.catalog.principal(token_digest(token)).await? {
        Some(p) => Ok(Some(p)),
        None => Err(ApiError::unauthorized(
            "the token is not recognised or was revoked: create a new one with `modreg token create`",
        )),
    }
}

/// Allows anyone with a token (any scope), or anyone at all when anonymous read is on.
pub async fn require_read(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    let principal = principal(req, state).await?;
    match read_access(principal.as_deref(), state.settings.anonymous_read) {
        ReadAccess::Allowed => Ok(()),
        ReadAccess::NoReadScope => Err(ApiError::forbidden("this token has no `read` scope")),
        ReadAccess::TokenRequired => Err(ApiError::unauthorized(format!(
            "this registry requires a token: add `credentials \"{}\" {{ token = \"…\" }}` to your Terraform CLI configuration, or set TF_TOKEN_<host>",
            host_of(req)
        ))),
    }
}

/// Requires a token allowed to publish into `namespace`.
pub async fn require_publish(
    req: &HttpRequest,
    state: &AppState,
    namespace: &Namespace,
) -> Result<Arc<Principal>, ApiError> {
    match principal(req, state).await? {
        Some(p) if p.can_publish(namespace) => Ok(p),
        Some(_) => Err(ApiError::forbidden(format!(
            "this token may not publish to namespace `{namespace}`: it needs the `publish:{namespace}` or `admin` scope"
        ))),
        None => Err(ApiError::unauthorized(
            "publishing requires a token with the `publish:<namespace>` scope: pass it as `Authorization: Bearer <token>`",
        )),
    }
}

fn host_of(req: &HttpRequest) -> String {
    req.connection_info().host().to_owned()
}
