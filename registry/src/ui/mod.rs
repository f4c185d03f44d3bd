//! The web UI: server-rendered HTML pages (maud templates, compiled in) over the same index,
//! catalogue and auth as the API, with a small script and stylesheet embedded in the binary.
//!
//! Pages work without JavaScript; `assets/app.js` only adds copy buttons and search as you
//! type. Every response under `/ui` carries the security headers of `headers.rs`, and HTML
//! routes answer errors with an HTML page (`error.rs`), never the API's JSON.

mod access;
mod assets;
mod diff_page;
mod error;
mod headers;
mod home;
mod layout;
mod markdown;
mod module_page;
mod tables;
mod usage;

use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{web, HttpResponse};

use crate::http::RouteTemplate;
use error::UiError;

/// A resource answering GET and HEAD with `handler`, labelled for metrics with `template`.
fn page<F, Args>(template: &'static str, path: &str, handler: F) -> actix_web::Resource
where
    F: actix_web::Handler<Args> + Clone,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::resource(path)
        .app_data(RouteTemplate(template))
        .route(web::get().to(handler.clone()))
        .route(web::head().to(handler))
        .default_service(web::to(error::method_not_allowed))
}

/// The UI's routes: `/` sends browsers to `/ui/`, and everything else lives under `/ui`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/", "/", to_home).wrap(from_fn(headers::security_headers)))
        .service(
            web::scope("/ui")
                .wrap(from_fn(headers::security_headers))
                .service(page("/ui", "", to_home))
                .service(page("/ui/", "/", home::page))
                .service(
                    web::resource("/login")
                        .app_data(RouteTemplate("/ui/login"))
                        .route(web::get().to(access::login_page))
                        .route(web::head().to(access::login_page))
                        .route(web::post().to(access::login))
                        .default_service(web::to(error::method_not_allowed)),
                )
                .service(
                    web::resource("/logout")
                        .app_data(RouteTemplate("/ui/logout"))
                        .route(web::post().to(access::logout))
                        .default_service(web::to(error::method_not_allowed)),
                )
                .service(page("/ui/assets/{file}", "/assets/{file}", assets::serve))
                .service(page(
                    "/ui/{namespace}/{name}/{system}/diff",
                    "/{namespace}/{name}/{system}/diff",
                    diff_page::page,
                ))
                .service(page(
                    "/ui/{namespace}/{name}/{system}/{version}",
                    "/{namespace}/{name}/{system}/{version}",
                    module_page::version_page,
                ))
                .service(page(
                    "/ui/{namespace}/{name}/{system}",
                    "/{namespace}/{name}/{system}",
                    module_page::latest_page,
                ))
                .default_service(web::to(error::not_found)),
        );
}

async fn to_home() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, "/ui/"))
        .finish()
}

/// Percent-encodes a query value (names are already URL-safe; free text is not).
fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page path of a module, and of one of its versions.
fn module_path(addr: &crate::address::ModuleAddress, version: Option<&semver::Version>) -> String {
    match version {
        Some(v) => format!("/ui/{addr}/{v}"),
        None => format!("/ui/{addr}"),
    }
}

type UiResult = Result<HttpResponse, UiError>;

/// A 200 HTML response.
fn html(markup: maud::Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}
