//! The Terraform Module Registry Protocol: discovery, versions, download, and the signed
//! archive route the download points at.

use std::sync::Arc;

use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentType};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::archive_link;
use super::auth::require_read;
use super::error::ApiError;
use super::AppState;
use crate::address::{parse_version, ModuleAddress};
use crate::api_model::Discovery;
use crate::catalog::ModuleEntry;
use crate::signing::{now_unix, SignatureError};

/// `{namespace}/{name}/{system}` from the path, checked.
pub fn address(path: &(String, String, String)) -> Result<ModuleAddress, ApiError> {
    ModuleAddress::parse(&path.0, &path.1, &path.2)
        .map_err(|e| ApiError::bad_request(e.to_string()))
}

pub fn version(raw: &str) -> Result<semver::Version, ApiError> {
    parse_version(raw).map_err(|e| ApiError::bad_request(e.to_string()))
}

pub async fn discovery() -> HttpResponse {
    HttpResponse::Ok().json(Discovery {
        modules_v1: Some("/v1/modules/".to_owned()),
    })
}

pub async fn versions(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (_, entry) = readable_module(&req, &state, &path).await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(entry.versions_body.clone()))
}

/// The checked address and the cached releases of a module the caller may read: the opening
/// of every per-module read route.
pub async fn readable_module(
    req: &HttpRequest,
    state: &AppState,
    path: &(String, String, String),
) -> Result<(ModuleAddress, Arc<ModuleEntry>), ApiError> {
    let addr = address(path)?;
    require_read(req, state).await?;
    let entry = state
        .catalog
        .module(&addr)
        .await?
        .ok_or_else(|| not_found(&addr))?;
    Ok((addr, entry))
}

pub fn not_found(addr: &ModuleAddress) -> ApiError {
    ApiError::not_found(format!(
        "module `{addr}` does not exist in this registry: check the namespace, name and system in `source`"
    ))
}

pub async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, raw_version) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let version = version(&raw_version)?;
    require_read(&req, &state).await?;
    let entry = state.catalog.module(&addr).await?;
    let Some((entry, release)) = entry.as_ref().and_then(|e| Some((e, e.release(&version)?)))
    else {
        state
            .metrics
            .count_download(&addr.to_string().into(), "not_found");
        return Err(match entry {
            None => not_found(&addr),
            Some(_) => ApiError::not_found(format!(
                "module `{addr}` has no version `{version}`: list versions at /v1/modules/{addr}/versions"
            )),
        });
    };
    if !state.readiness.storage().is_available() {
        // The archive could not be served: say so now rather than at the archive link.
        return Err(ApiError::storage_unavailable(format!(
            "download of {addr} {version} refused while the blob store is unavailable"
        )));
    }
    let location = archive_link::location(&state, &addr, release).await?;
    entry.count_redirect(&state.metrics);
    release
        .unflushed_downloads
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(HttpResponse::NoContent()
        .insert_header(("X-Terraform-Get", location))
        .finish())
}

pub async fn download_latest(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (addr, entry) = readable_module(&req, &state, &path).await?;
    let latest = entry.latest().ok_or_else(|| not_found(&addr))?;
    Ok(HttpResponse::Found()
        .insert_header((
            header::LOCATION,
            format!("/v1/modules/{addr}/{}/download", latest.version),
        ))
        .finish())
}

#[derive(Deserialize)]
pub struct Signed {
    expires: Option<u64>,
    signature: Option<String>,
}

/// Serves a tarball to whoever holds a valid, unexpired signed link (no token: Terraform does
/// not send one here), streamed from the store in chunks.
pub async fn archive(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
    query: web::Query<Signed>,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, file) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let raw_version = file
        .strip_suffix(".tar.gz")
        .ok_or_else(|| ApiError::not_found("archive names end in `.tar.gz`"))?;
    let version = version(raw_version)?;
    let (Some(expires), Some(signature)) = (query.expires, query.signature.as_deref()) else {
        return Err(ApiError::forbidden(
            "archive links must be signed: get one from the module's /download endpoint",
        ));
    };
    state
        .signer
        .verify(req.path(), expires, signature, now_unix())
        .map_err(|e| match e {
            SignatureError::Expired | SignatureError::Invalid => ApiError::forbidden(e.to_string()),
        })?;
    let no_version = || ApiError::not_found(format!("module `{addr}` has no version `{version}`"));
    let entry = state.catalog.module(&addr).await?;
    let release = entry
        .as_ref()
        .and_then(|e| e.release(&version))
        .ok_or_else(no_version)?;
    let key = release.archive_key(&addr).ok_or_else(|| {
        ApiError::internal(format!(
            "the index row of {addr} {version} has sha256 `{}`, not a digest",
            release.sha256
        ))
    })?;
    let blob = state
        .store
        .open(&key)
        .await
        .inspect_err(|_| {
            state
                .metrics
                .storage_errors
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        })?
        .ok_or_else(no_version)?;
    state
        .metrics
        .count_download(&addr.to_string().into(), "served");
    Ok(HttpResponse::Ok()
        .content_type("application/gzip")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(SizedStream::new(blob.len, blob.chunks)))
}
