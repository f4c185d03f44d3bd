//! The extended registry API, shaped like registry.terraform.io's: list, search, latest, and
//! module details with the interface extracted at publish time.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::require_read;
use super::error::ApiError;
use super::protocol::{address, not_found, readable_module, version};
use super::AppState;
use crate::address::{ModuleAddress, Namespace, System};
use crate::api_model::{
    Deprecation, ModuleDetailsBody, ModuleListBody, ModuleSummaryBody, PageMeta,
};
use crate::index::{ModuleQuery, ModuleSummary};
use crate::manifest::Manifest;
use crate::telemetry::blocking;

const DEFAULT_LIMIT: u32 = 15;
const MAX_LIMIT: u32 = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    offset: Option<u32>,
    limit: Option<u32>,
    /// The public registry calls the system `provider`.
    provider: Option<String>,
    namespace: Option<String>,
    q: Option<String>,
    verified: Option<bool>,
}

fn summary_body(m: &ModuleSummary) -> ModuleSummaryBody {
    let a = &m.address;
    ModuleSummaryBody {
        id: format!("{a}/{}", m.latest_version),
        owner: String::new(),
        namespace: a.namespace.to_string(),
        name: a.name.to_string(),
        version: m.latest_version.to_string(),
        provider: a.system.to_string(),
        description: m.description.clone(),
        published_at: m.published_at.clone(),
        downloads: m.downloads,
        verified: false,
        deprecation: m.deprecation.as_ref().map(deprecation_body),
    }
}

fn meta(limit: u64, offset: u64) -> PageMeta {
    PageMeta {
        limit,
        current_offset: offset,
        next_offset: None,
        next_url: None,
        prev_offset: None,
        total: None,
    }
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    params: ListParams,
    forced_namespace: Option<Namespace>,
    require_q: bool,
) -> Result<HttpResponse, ApiError> {
    require_read(req, state).await?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let offset = params.offset.unwrap_or(0);
    let namespace = match (forced_namespace, params.namespace.as_deref()) {
        (Some(ns), _) => Some(ns),
        (None, Some(raw)) => {
            Some(Namespace::parse(raw).map_err(|e| ApiError::bad_request(e.to_string()))?)
        }
        (None, None) => None,
    };
    let system = params
        .provider
        .as_deref()
        .map(System::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let text = params
        .q
        .map(|q| q.trim().to_owned())
        .filter(|q| !q.is_empty());
    if require_q && text.is_none() {
        return Err(ApiError::bad_request(
            "search needs a query: /v1/modules/search?q=<words>",
        ));
    }
    // Nothing is verified in a private registry.
    if params.verified == Some(true) {
        return Ok(HttpResponse::Ok().json(ModuleListBody {
            meta: meta(limit.into(), offset.into()),
            modules: Vec::new(),
        }));
    }
    let query = ModuleQuery {
        namespace,
        name: None,
        system,
        text,
        offset,
        limit,
    };
    let index = state.catalog.index().clone();
    let page = blocking(move || index.list_modules(&query)).await?;
    let next = u64::from(offset) + u64::from(limit);
    let mut meta = meta(limit.into(), offset.into());
    if next < page.total {
        meta.next_offset = Some(next);
        let mut url = url_without_paging(req);
        url.push_str(&format!("offset={next}&limit={limit}"));
        meta.next_url = Some(url);
    }
    if offset > 0 {
        meta.prev_offset = Some(offset.saturating_sub(limit).into());
    }
    meta.total = Some(page.total);
    Ok(HttpResponse::Ok().json(ModuleListBody {
        meta,
        modules: page.modules.iter().map(summary_body).collect(),
    }))
}

fn url_without_paging(req: &HttpRequest) -> String {
    let kept: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("offset=") && !kv.starts_with("limit="))
        .collect();
    let mut url = format!("{}?", req.path());
    for kv in kept {
        url.push_str(kv);
        url.push('&');
    }
    url
}

fn params(q: Result<web::Query<ListParams>, actix_web::Error>) -> Result<ListParams, ApiError> {
    q.map(web::Query::into_inner).map_err(|e| {
        ApiError::bad_request(format!(
            "invalid query ({e}): known parameters are offset, limit, provider, namespace, q, verified"
        ))
    })
}

pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: Result<web::Query<ListParams>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    page(&req, &state, params(q)?, None, false).await
}

pub async fn search(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: Result<web::Query<ListParams>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    page(&req, &state, params(q)?, None, true).await
}

pub async fn list_namespace(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    q: Result<web::Query<ListParams>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let ns = Namespace::parse(&path).map_err(|e| ApiError::bad_request(e.to_string()))?;
    page(&req, &state, params(q)?, Some(ns), false).await
}

/// `/v1/modules/{namespace}/{name}`: the latest version for each system.
pub async fn latest_for_name(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    require_read(&req, &state).await?;
    let (ns, name) = path.into_inner();
    let namespace = Namespace::parse(&ns).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let name_lc =
        crate::address::Name::parse(&name).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let query = ModuleQuery {
        namespace: Some(namespace),
        name: Some(name_lc),
        limit: u32::MAX,
        ..ModuleQuery::default()
    };
    let index = state.catalog.index().clone();
    let page = blocking(move || index.list_modules(&query)).await?;
    let modules: Vec<ModuleSummaryBody> = page.modules.iter().map(summary_body).collect();
    if modules.is_empty() {
        return Err(ApiError::not_found(format!(
            "no module named `{ns}/{name}` exists in this registry"
        )));
    }
    Ok(HttpResponse::Ok().json(ModuleListBody {
        meta: meta(modules.len() as u64, 0),
        modules,
    }))
}

pub async fn latest_details(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (addr, entry) = readable_module(&req, &state, &path).await?;
    let latest = entry
        .latest()
        .ok_or_else(|| not_found(&addr))?
        .version
        .clone();
    details_of(&state, addr, latest).await
}

pub async fn details(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (ns, name, system, raw) = path.into_inner();
    let addr = address(&(ns, name, system))?;
    let version = version(&raw)?;
    require_read(&req, &state).await?;
    details_of(&state, addr, version).await
}

async fn details_of(
    state: &AppState,
    addr: ModuleAddress,
    version: semver::Version,
) -> Result<HttpResponse, ApiError> {
    let entry = state
        .catalog
        .module(&addr)
        .await?
        .ok_or_else(|| not_found(&addr))?;
    let release = entry.release(&version).ok_or_else(|| {
        ApiError::not_found(format!("module `{addr}` has no version `{version}`"))
    })?;
    let index = state.catalog.index().clone();
    let (a, v) = (addr.clone(), version.clone());
    let json = blocking(move || index.manifest_json(&a, &v))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("module `{addr}` has no version `{version}`"))
        })?;
    let manifest: Manifest = serde_json::from_str(&json).map_err(ApiError::internal)?;
    let iface = manifest.interface;
    let mut providers: Vec<String> = iface
        .root
        .provider_dependencies
        .iter()
        .map(|p| p.name.clone())
        .collect();
    providers.sort_unstable();
    providers.dedup();
    let source = manifest.source.unwrap_or_default();
    Ok(HttpResponse::Ok().json(ModuleDetailsBody {
        id: format!("{addr}/{version}"),
        owner: String::new(),
        namespace: addr.namespace.to_string(),
        name: addr.name.to_string(),
        version: version.to_string(),
        provider: addr.system.to_string(),
        description: crate::index::describe_readme(&iface.root.readme),
        source: source.repo,
        tag: source.tag,
        commit: source.commit,
        published_at: manifest.published_at,
        publisher: manifest.publisher,
        sha256: manifest.sha256,
        size: manifest.size,
        deprecation: release.deprecation.as_deref().map(deprecation_body),
        deprecated: None,
        changelog: manifest.changelog,
        verified: false,
        root: iface.root,
        submodules: iface.submodules,
        examples: iface.examples,
        providers,
        versions: entry
            .releases
            .iter()
            .map(|r| r.version.to_string())
            .collect(),
    }))
}

/// A release's deprecation record as the API shows it.
fn deprecation_body(d: &crate::manifest::Deprecation) -> Deprecation {
    Deprecation {
        reason: Some(d.reason.clone()),
        replacement: d.replacement.as_ref().map(ToString::to_string),
        at: Some(d.at.clone()),
        by: Some(d.by.clone()),
    }
}
