//! Who is reading a page: the API's bearer token, or the UI's session cookie holding one.
//!
//! The cookie stores the token itself (HttpOnly, Secure, SameSite=Strict, path `/ui`, no
//! expiry: it ends with the browser session or at logout), so a page check is the API's
//! check: one cached digest lookup, revocation ends the session within a catalogue refresh,
//! and replicas share no session state. The login and logout forms refuse cross-site posts.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde::Deserialize;

use super::error::UiError;
use super::{layout, UiResult};
use crate::auth::{read_access, token_digest, ReadAccess};
use crate::http::error::ApiError;
use crate::http::AppState;

pub const SESSION_COOKIE: &str = "modreg_session";

/// How the reader of a page got in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Anonymous read is on.
    Anonymous,
    /// An `Authorization: Bearer` header (scripts).
    Bearer,
    /// The session cookie set by the login form.
    Session,
}

impl Viewer {
    /// Whether the page offers a logout button.
    pub fn has_session(self) -> bool {
        self == Viewer::Session
    }
}

/// The token in the session cookie, if any.
fn session_token(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
}

/// Lets the caller read pages, or sends them to the login form (no credentials, or a revoked
/// session) or an error page (a bad bearer token, a token without the read scope).
pub async fn viewer(req: &HttpRequest, state: &AppState) -> Result<Viewer, UiError> {
    let (principal, viewer) = if req.headers().contains_key(header::AUTHORIZATION) {
        (
            crate::http::auth::principal(req, state).await?,
            Viewer::Bearer,
        )
    } else if let Some(token) = session_token(req) {
        match state.catalog.principal(token_digest(&token)).await? {
            Some(principal) => (Some(principal), Viewer::Session),
            // A revoked token's cookie reads as no cookie where anyone may read.
            None if state.settings.anonymous_read => (None, Viewer::Anonymous),
            None => return Err(login_required(req, true)),
        }
    } else {
        (None, Viewer::Anonymous)
    };
    match read_access(principal.as_deref(), state.settings.anonymous_read) {
        ReadAccess::Allowed => Ok(viewer),
        ReadAccess::NoReadScope => {
            Err(ApiError::forbidden("this token has no `read` scope").into())
        }
        ReadAccess::TokenRequired => Err(login_required(req, false)),
    }
}

fn login_required(req: &HttpRequest, session_ended: bool) -> UiError {
    let next = req.uri().path_and_query().map_or("/ui/", |pq| pq.as_str());
    UiError::LoginRequired {
        next: safe_next(next).to_owned(),
        session_ended,
    }
}

/// Only paths of this UI are followed after login, so the form cannot redirect elsewhere.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with("/ui/") && !next.contains("//") && !next.contains('\\');
    if local && next != "/ui/login" {
        next
    } else {
        "/ui/"
    }
}

/// The login form; `problem` says why the last attempt failed.
pub fn login_form(next: &str, problem: Option<&str>) -> Markup {
    layout::page(
        "Log in",
        None,
        html! {
            h1 { "Log in" }
            p { "This registry needs a token to read modules. Paste a token with the "
                code { "read" } " scope (" code { "modreg token create --scope read" } ")." }
            @if let Some(problem) = problem {
                p.error-message role="alert" { (problem) }
            }
            form.login method="post" action="/ui/login" {
                input type="hidden" name="next" value=(next);
                label for="token" { "Token" }
                input #token type="password" name="token" required autocomplete="off"
                    spellcheck="false" placeholder="modreg_…";
                button type="submit" { "Log in" }
            }
        },
    )
}

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    /// Set when a revoked session sent the reader here.
    #[serde(default)]
    ended: Option<u8>,
}

const SESSION_ENDED: &str =
    "your session ended because its token was revoked: log in with a current token";

pub async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: Option<web::Query<LoginQuery>>,
) -> UiResult {
    let (next, ended) = query.map_or(("/ui/".to_owned(), false), |q| {
        (safe_next(&q.next).to_owned(), q.ended.is_some())
    });
    // A reader who already may read has nothing to log in to.
    match viewer(&req, &state).await {
        Ok(Viewer::Anonymous | Viewer::Session) => Ok(see_other(&next)),
        _ => Ok(super::html(login_form(
            &next,
            ended.then_some(SESSION_ENDED),
        ))),
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Result<web::Form<LoginForm>, actix_web::Error>,
) -> UiResult {
    refuse_cross_site(&req)?;
    let LoginForm { token, next } = form
        .map_err(|e| {
            UiError::bad_request(format!("the login form is incomplete ({e}): send `token`"))
        })?
        .into_inner();
    let token = token.trim();
    let next = safe_next(&next);
    let retry = |problem| UiError::LoginFailed {
        next: next.to_owned(),
        problem,
    };
    // Tokens are `modreg_` + base64url; anything else cannot be one, and must not reach a
    // cookie header.
    if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(retry(
            "that is not a modreg token: tokens look like `modreg_…`",
        ));
    }
    let principal = state.catalog.principal(token_digest(token)).await?;
    match read_access(principal.as_deref(), false) {
        ReadAccess::Allowed => {}
        ReadAccess::NoReadScope => return Err(retry("that token has no `read` scope")),
        ReadAccess::TokenRequired => {
            return Err(retry(
                "that token is not recognised or was revoked: create one with `modreg token create --scope read`",
            ))
        }
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next))
        .insert_header((
            header::SET_COOKIE,
            format!("{SESSION_COOKIE}={token}; Path=/ui; HttpOnly; Secure; SameSite=Strict"),
        ))
        .finish())
}

pub async fn logout(req: HttpRequest) -> UiResult {
    refuse_cross_site(&req)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/ui/"))
        .insert_header((
            header::SET_COOKIE,
            format!("{SESSION_COOKIE}=; Path=/ui; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
        ))
        .finish())
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A form posted from another site (login CSRF, forced logout) is refused. Browsers name the
/// initiator in `Sec-Fetch-Site`; scripts and old browsers send no such header.
fn refuse_cross_site(req: &HttpRequest) -> Result<(), UiError> {
    match req.headers().get("sec-fetch-site").map(|v| v.as_bytes()) {
        None | Some(b"same-origin" | b"none") => Ok(()),
        Some(_) => Err(ApiError::forbidden(
            "this form may only be posted from the registry's own pages",
        )
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_ui_paths_are_followed_after_login() {
        assert_eq!(
            safe_next("/ui/platform/vpc/aws?x=1"),
            "/ui/platform/vpc/aws?x=1"
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/ui/",
            "/ui//evil",
            "/v1/modules",
            "/ui\\..",
            "/ui/login",
            "",
        ] {
            assert_eq!(safe_next(bad), "/ui/", "{bad}");
        }
    }
}
