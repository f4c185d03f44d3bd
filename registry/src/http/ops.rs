//! Operations endpoints: liveness, readiness, Prometheus metrics; on the main listener and,
//! with `ops_listen`, on a plain-HTTP listener of their own (see `configure_ops`).

use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::require_read;
use super::error::ApiError;
use super::AppState;
use crate::telemetry::blocking;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the index is loaded from the blob store and answers; the body also reports the
/// blob store's state with a reason (see `readiness`), and watched git sources in `git` (state,
/// last error, refused and moved tags), which do not make the registry unready: it serves what
/// it has while a remote is down.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let index = state.catalog.index().clone();
    let index_ok = blocking(move || index.stats()).await.is_ok();
    let (ready, mut body) = state.readiness.report(index_ok);
    if !state.git.is_empty() {
        body["git"] = serde_json::json!(state.git.status());
    }
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// `/metrics` on the main listener: its labels name every module and count its downloads, so
/// it needs the read access the catalogue needs (a token, unless `anonymous_read`).
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_read(&req, &state).await?;
    Ok(open_metrics(state).await)
}

/// `/metrics` on `ops_listen`, which only the scraper should reach: no token.
pub async fn open_metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
