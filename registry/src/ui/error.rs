//! The UI's error pages: the API's errors (same status, same message, 5xx opaque and logged
//! once) rendered as HTML; the way to the login form for a page that needs a token.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use maud::html;

use super::{access, encode_query, layout};
use crate::http::error::ApiError;
use crate::index::IndexError;

#[derive(Debug)]
pub enum UiError {
    /// No token and anonymous read is off: a redirect to the login form, which comes back to
    /// `next` (a `/ui/` path) after logging in.
    LoginRequired {
        next: String,
        /// The session cookie named a revoked token.
        session_ended: bool,
    },
    /// The login form was posted with a token that cannot read: the form again, saying why.
    LoginFailed {
        next: String,
        problem: &'static str,
    },
    Page(ApiError),
}

impl UiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::Page(ApiError::bad_request(message))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::Page(ApiError::not_found(message))
    }
}

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> Self {
        Self::Page(e)
    }
}

impl From<IndexError> for UiError {
    fn from(e: IndexError) -> Self {
        Self::Page(e.into())
    }
}

impl std::fmt::Display for UiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LoginRequired { .. } => f.write_str("this registry requires a token"),
            Self::LoginFailed { problem, .. } => f.write_str(problem),
            Self::Page(e) => e.fmt(f),
        }
    }
}

impl ResponseError for UiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::LoginRequired { .. } => StatusCode::SEE_OTHER,
            Self::LoginFailed { .. } => StatusCode::UNAUTHORIZED,
            Self::Page(e) => e.status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("text/html; charset=utf-8");
        match self {
            Self::LoginRequired {
                next,
                session_ended,
            } => {
                let mut location = format!("/ui/login?next={}", encode_query(next));
                if *session_ended {
                    location.push_str("&ended=1");
                }
                response
                    .insert_header((header::LOCATION, location))
                    .finish()
            }
            Self::LoginFailed { next, problem } => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"modreg\""));
                response.body(access::login_form(next, Some(problem)).into_string())
            }
            Self::Page(e) => {
                if let Some(cause) = &e.cause {
                    tracing::error!(status = e.status.as_u16(), cause = %cause, "page failed");
                }
                response.body(error_page(e.status, &e.message).into_string())
            }
        }
    }
}

fn error_page(status: StatusCode, message: &str) -> maud::Markup {
    let title = status.canonical_reason().unwrap_or("Error");
    layout::page(
        title,
        None,
        html! {
            h1 { (status.as_u16()) " " (title) }
            p.error-message { (message) }
            p { a href="/ui/" { "Back to all modules" } }
        },
    )
}

pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, UiError> {
    Err(UiError::not_found(format!(
        "there is no page at {}: modules live at /ui/<namespace>/<name>/<system>",
        req.path()
    )))
}

pub async fn method_not_allowed(req: HttpRequest) -> Result<HttpResponse, UiError> {
    Err(UiError::Page(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} is not supported on {}: pages answer GET and HEAD, the login and logout forms POST",
            req.method(),
            req.path()
        ),
    )))
}
