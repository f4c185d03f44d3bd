//! The only code that knows actix: the route table, thin handlers, request telemetry.
//!
//! Every GET route also answers HEAD (actix sends the headers without the body).

mod api;
mod archive_link;
pub(crate) mod auth;
mod deprecation;
pub mod error;
mod hooks;
mod ops;
pub mod panic;
mod protocol;
mod publish;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::catalog::Catalog;
use crate::git_watch::GitWatch;
use crate::metrics::Metrics;
use crate::publish::Publisher;
use crate::readiness::Readiness;
use crate::settings::Settings;
use crate::signing::UrlSigner;
use crate::storage::BlobStore;
use crate::telemetry::request::{self, RequestContext};

/// Shared, immutable-after-start state of the HTTP layer.
pub struct AppState {
    pub settings: Settings,
    pub catalog: Arc<Catalog>,
    pub publisher: Publisher,
    /// Read by the archive route; written only through `publisher`.
    pub store: Arc<dyn BlobStore>,
    pub signer: UrlSigner,
    pub metrics: Arc<Metrics>,
    /// Watched git repositories (empty without `[[git.sources]]`).
    pub git: Arc<GitWatch>,
    /// What `/readyz` reports: the start-up index load and the blob store's health.
    pub readiness: Arc<Readiness>,
}

/// The route template of a resource, for metrics and logs. Set per resource as app data so
/// the telemetry middleware reads it instead of matching the path a second time.
#[derive(Clone, Copy)]
pub struct RouteTemplate(pub &'static str);

/// A resource answering GET and HEAD with `handler`, labelled with its full `template`.
fn resource<F, Args>(template: &'static str, path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .app_data(RouteTemplate(template))
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
        .default_service(web::to(method_not_allowed))
}

async fn method_not_allowed(
    req: actix_web::HttpRequest,
) -> Result<actix_web::HttpResponse, error::ApiError> {
    Err(error::ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not supported on {}: this route answers GET and HEAD (publishing is PUT /v1/modules/{{namespace}}/{{name}}/{{system}}/{{version}})",
            req.method(),
            req.path()
        ),
    ))
}

/// Prefixes a per-module route's path with the module address, for its metrics label.
macro_rules! module_route {
    ($suffix:literal) => {
        concat!("/v1/modules/{namespace}/{name}/{system}", $suffix)
    };
}

/// The route table. Static routes first (matched by string comparison); then `download`,
/// the busiest route, as one pattern; then the per-module scope, where `versions` is a static
/// suffix. So each protocol request costs one or two pattern matches.
pub fn configure(cfg: &mut web::ServiceConfig) {
    #[cfg(feature = "panic-routes")]
    panic::routes(cfg);
    cfg.service(resource(
        "/.well-known/terraform.json",
        "/.well-known/terraform.json",
        protocol::discovery,
    ))
    .service(resource("/healthz", "/healthz", ops::healthz))
    .service(resource("/readyz", "/readyz", ops::readyz))
    .service(resource("/metrics", "/metrics", ops::metrics))
    .service(
        web::resource("/v1/hooks/git/{name}")
            .app_data(RouteTemplate("/v1/hooks/git/{name}"))
            .route(web::post().to(hooks::git)),
    )
    .service(resource("/v1/modules", "/v1/modules", api::list))
    .service(resource("/v1/modules", "/v1/modules/", api::list))
    .service(resource(
        "/v1/modules/search",
        "/v1/modules/search",
        api::search,
    ))
    .service(resource(
        module_route!("/{version}/download"),
        module_route!("/{version}/download"),
        protocol::download,
    ))
    .service(
        web::scope(module_route!(""))
            .service(resource(
                module_route!("/versions"),
                "/versions",
                protocol::versions,
            ))
            .service(resource(
                module_route!("/download"),
                "/download",
                protocol::download_latest,
            ))
            .service(
                resource(module_route!("/{version}"), "/{version}", api::details)
                    .route(web::put().to(publish::publish)),
            )
            .service(
                web::resource("/{version}/deprecation")
                    .app_data(RouteTemplate(module_route!("/{version}/deprecation")))
                    .route(web::put().to(deprecation::deprecate))
                    .route(web::delete().to(deprecation::undeprecate))
                    .default_service(web::to(deprecation::other_method)),
            )
            .service(resource(module_route!(""), "", api::latest_details)),
    )
    .service(resource(
        "/v1/modules/{namespace}/{name}",
        "/v1/modules/{namespace}/{name}",
        api::latest_for_name,
    ))
    .service(resource(
        "/v1/modules/{namespace}",
        "/v1/modules/{namespace}",
        api::list_namespace,
    ))
    .service(resource(
        "/v1/archives/{namespace}/{name}/{system}/{file}",
        "/v1/archives/{namespace}/{name}/{system}/{file}",
        protocol::archive,
    ))
    .configure(crate::ui::configure);
}

/// The route table of the `ops_listen` listener: health, readiness and metrics, no token.
pub fn configure_ops(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz", "/healthz", ops::healthz))
        .service(resource("/readyz", "/readyz", ops::readyz))
        .service(resource("/metrics", "/metrics", ops::open_metrics));
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
    let ctx = RequestContext { id, method };
    let result = request::scope(ctx.clone(), next.call(req)).await;
    // An error here is a panic that `panic::catch` turned into a 500; its request is gone.
    let (route, status) = match &result {
        Ok(res) => (
            res.request()
                .app_data::<RouteTemplate>()
                .map_or("unmatched", |r| r.0),
            res.status().as_u16(),
        ),
        Err(err) => ("panicked", err.as_response_error().status_code().as_u16()),
    };
    let elapsed = started.elapsed();
    if let Some(state) = state {
        state
            .metrics
            .observe_request(route, &ctx.method, status, elapsed);
        if state.settings.access_log {
            let latency_us = elapsed.as_micros() as u64;
            request::sync_scope(ctx, || {
                tracing::info!(route, status, latency_us, "request");
            });
        }
    }
    let mut res = result?;
    res.headers_mut().insert(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from(id),
    );
    Ok(res)
}
