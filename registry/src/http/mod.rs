//! The only code that knows actix: the route table, thin handlers, request telemetry.
//!
//! Every GET route also answers HEAD (actix sends the headers without the body).

mod api;
mod auth;
pub mod error;
mod ops;
mod protocol;
mod publish;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Route};
use tracing::Instrument as _;

use crate::catalog::Catalog;
use crate::downloads::DownloadCounter;
use crate::metrics::Metrics;
use crate::publish::Publisher;
use crate::settings::Settings;
use crate::signing::UrlSigner;

/// Shared, immutable-after-start state of the HTTP layer.
pub struct AppState {
    pub settings: Settings,
    pub catalog: Catalog,
    pub publisher: Publisher,
    pub signer: UrlSigner,
    pub metrics: Arc<Metrics>,
    pub downloads: DownloadCounter,
}

/// Registers `handler` for GET and HEAD.
fn get_and_head<F, Args>(handler: F) -> [Route; 2]
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    [web::get().to(handler.clone()), web::head().to(handler)]
}

fn resource<F, Args>(path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    let [get, head] = get_and_head(handler);
    web::resource(path).route(get).route(head)
}

/// The route table. Literal segments come before the parameters they would otherwise match.
pub fn configure(cfg: &mut web::ServiceConfig) {
    const M: &str = "/v1/modules";
    cfg.service(resource("/.well-known/terraform.json", protocol::discovery))
        .service(resource("/healthz", ops::healthz))
        .service(resource("/readyz", ops::readyz))
        .service(resource("/metrics", ops::metrics))
        .service(resource(M, api::list))
        .service(resource(&format!("{M}/"), api::list))
        .service(resource(&format!("{M}/search"), api::search))
        .service(resource(&format!("{M}/{{namespace}}"), api::list_namespace))
        .service(resource(
            &format!("{M}/{{namespace}}/{{name}}"),
            api::latest_for_name,
        ))
        .service(resource(
            &format!("{M}/{{namespace}}/{{name}}/{{system}}"),
            api::latest_details,
        ))
        .service(resource(
            &format!("{M}/{{namespace}}/{{name}}/{{system}}/versions"),
            protocol::versions,
        ))
        .service(resource(
            &format!("{M}/{{namespace}}/{{name}}/{{system}}/download"),
            protocol::download_latest,
        ))
        .service(
            web::resource(format!("{M}/{{namespace}}/{{name}}/{{system}}/{{version}}"))
                .route(web::get().to(api::details))
                .route(web::head().to(api::details))
                .route(web::put().to(publish::publish)),
        )
        .service(resource(
            &format!("{M}/{{namespace}}/{{name}}/{{system}}/{{version}}/download"),
            protocol::download,
        ))
        .service(resource(
            "/v1/archives/{namespace}/{name}/{system}/{file}",
            protocol::archive,
        ));
}

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// Request telemetry: an id (echoed as `x-request-id`), the latency histogram by route
/// template, and one access-log line. Never logs the query string (signed URLs live there).
pub async fn telemetry(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = REQUEST_IDS.fetch_add(1, Ordering::Relaxed);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let span = tracing::info_span!("request", id, %method, route = %route);
    let mut res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(state) = state {
        state
            .metrics
            .observe_request(&route, method.as_str(), status, elapsed);
        if state.settings.access_log {
            tracing::info!(parent: &span, status, latency_us = elapsed.as_micros() as u64, "request");
        }
    }
    res.headers_mut().insert(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from(id),
    );
    Ok(res)
}
