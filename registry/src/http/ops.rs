//! Operations endpoints: liveness, readiness, Prometheus metrics.

use std::sync::atomic::Ordering::Relaxed;

use actix_web::{web, HttpResponse};

use super::AppState;
use crate::telemetry::blocking;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready when started and the index answers. Watched git sources are reported in `git`
/// (state, last error, refused and moved tags) but do not make the registry unready: it
/// serves what it has while a remote is down.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let index = state.catalog.index().clone();
    let index_ok = blocking(move || index.stats()).await.is_ok();
    let ready = state.metrics.ready.load(Relaxed) && index_ok;
    let mut body =
        serde_json::json!({ "ready": ready, "index": if index_ok { "ok" } else { "failing" } });
    if !state.git.is_empty() {
        body["git"] = serde_json::json!(state.git.status());
    }
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render())
}
