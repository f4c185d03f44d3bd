//! A panic while answering a request becomes an opaque `500`, and the worker keeps serving.
//!
//! The panic hook installed by `telemetry::init` logs the cause once, inside the request's
//! span; a panic in a blocking job reaches here because `telemetry::blocking` resumes it in
//! the awaiting handler.

use std::panic::AssertUnwindSafe;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures_util::FutureExt as _;

use super::error::ApiError;

/// Catches a panic in the rest of the chain (routing, handlers, inner middleware). The request
/// itself is gone with the unwound handler, so the answer travels as an error, which actix
/// turns into the `ApiError`'s opaque 500 body.
pub async fn catch(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(res) => res,
        Err(_) => Err(ApiError::panicked().into()),
    }
}

/// Routes that panic on demand, so tests can prove the above; compiled only with the
/// `panic-routes` feature, which only the test crate's dev-dependency enables.
#[cfg(feature = "panic-routes")]
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::{web, HttpResponse};

    async fn in_handler() -> HttpResponse {
        panic!("panic requested by a test (handler)")
    }

    async fn in_blocking_job() -> HttpResponse {
        crate::telemetry::blocking(|| -> () { panic!("panic requested by a test (blocking job)") })
            .await;
        HttpResponse::Ok().finish()
    }

    cfg.route("/test/panic/handler", web::get().to(in_handler))
        .route("/test/panic/blocking", web::get().to(in_blocking_job));
}
