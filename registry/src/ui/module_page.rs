//! `/ui/{namespace}/{name}/{system}[/{version}]`: one release of a module, read from the
//! index (version list, stored manifest): README, usage, interface, versions, provenance.

use std::sync::Arc;

use actix_web::{web, HttpRequest};
use maud::{html, Markup, PreEscaped};
use semver::Version;

use super::access::{viewer, Viewer};
use super::error::UiError;
use super::{layout, markdown, module_path, tables, usage, UiResult};
use crate::address::{parse_version, ModuleAddress};
use crate::catalog::ModuleEntry;
use crate::http::error::ApiError;
use crate::http::AppState;
use crate::index::{describe_readme, Index, ReleaseRow};
use crate::interface::ModuleDoc;
use crate::manifest::Manifest;
use crate::telemetry::blocking;

pub fn address(ns: &str, name: &str, system: &str) -> Result<ModuleAddress, UiError> {
    ModuleAddress::parse(ns, name, system).map_err(|e| UiError::bad_request(e.to_string()))
}

pub fn version(raw: &str) -> Result<Version, UiError> {
    parse_version(raw).map_err(|e| UiError::bad_request(e.to_string()))
}

/// The module's cached releases, or the not-found page.
pub async fn module(state: &AppState, addr: &ModuleAddress) -> Result<Arc<ModuleEntry>, UiError> {
    state.catalog.module(addr).await?.ok_or_else(|| {
        UiError::not_found(format!(
            "module `{addr}` does not exist in this registry: search for it on the home page"
        ))
    })
}

/// The stored manifest of one release (blocking: call inside `blocking`).
pub fn manifest(
    index: &Index,
    addr: &ModuleAddress,
    version: &Version,
) -> Result<Manifest, UiError> {
    let json = index
        .manifest_json(addr, version)?
        .ok_or_else(|| UiError::not_found(format!("module `{addr}` has no version `{version}`")))?;
    serde_json::from_str(&json)
        .map_err(|e| ApiError::internal(format!("manifest of {addr} {version}: {e}")).into())
}

pub async fn latest_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> UiResult {
    let (ns, name, system) = path.into_inner();
    let addr = address(&ns, &name, &system)?;
    let viewer = viewer(&req, &state).await?;
    let entry = module(&state, &addr).await?;
    let latest = latest_of(&entry, &addr)?;
    show(&req, &state, viewer, addr, &entry, latest).await
}

pub async fn version_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, String)>,
) -> UiResult {
    let (ns, name, system, raw) = path.into_inner();
    let addr = address(&ns, &name, &system)?;
    let version = version(&raw)?;
    let viewer = viewer(&req, &state).await?;
    let entry = module(&state, &addr).await?;
    show(&req, &state, viewer, addr, &entry, version).await
}

/// The version a module's page shows by default (the catalogue's "latest").
pub fn latest_of(entry: &ModuleEntry, addr: &ModuleAddress) -> Result<Version, UiError> {
    entry
        .latest()
        .map(|r| r.version.clone())
        .ok_or_else(|| UiError::not_found(format!("module `{addr}` has no releases")))
}

/// Everything one module page shows.
struct View {
    viewer: Viewer,
    addr: ModuleAddress,
    /// Newest first.
    releases: Vec<ReleaseRow>,
    latest: Version,
    manifest: Manifest,
    readme_html: String,
    /// The release's section of its CHANGELOG.md, rendered.
    notes_html: Option<String>,
    host: String,
}

async fn show(
    req: &HttpRequest,
    state: &AppState,
    viewer: Viewer,
    addr: ModuleAddress,
    entry: &ModuleEntry,
    version: Version,
) -> UiResult {
    let latest = latest_of(entry, &addr)?;
    let index = state.catalog.index().clone();
    let key = addr.clone();
    let (mut releases, manifest, readme_html, notes_html) = blocking(move || {
        let releases = index.versions(&key)?;
        let manifest = manifest(&index, &key, &version)?;
        let readme_html = markdown::render(&manifest.interface.root.readme);
        let notes_html = manifest.changelog.as_deref().map(markdown::render);
        Ok::<_, UiError>((releases, manifest, readme_html, notes_html))
    })
    .await?;
    releases.reverse();
    let view = View {
        viewer,
        host: usage::registry_host(&state.settings, req.connection_info().host()),
        addr,
        releases,
        latest,
        manifest,
        readme_html,
        notes_html,
    };
    Ok(super::html(render(&view)))
}

fn date(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

fn render(view: &View) -> Markup {
    let m = &view.manifest;
    let root = &m.interface.root;
    let addr = &view.addr;
    let this = view.releases.iter().find(|r| r.version == m.version);
    let deprecation = this.and_then(|r| r.deprecation.as_ref());
    let description = describe_readme(&root.readme);
    layout::page(
        &format!("{addr} {}", m.version),
        Some(view.viewer),
        html! {
            nav.breadcrumb aria-label="Breadcrumb" {
                ol {
                    li { a href="/ui/" { "Modules" } }
                    li { a href={ "/ui/?namespace=" (addr.namespace) } { (addr.namespace) } }
                    li { a href=(module_path(addr, None)) aria-current="page" { (addr.name) } }
                }
            }
            header.module-head {
                h1 {
                    (addr.name)
                    " " span.version { (m.version) }
                    @if m.version == view.latest { " " span.badge.latest { "latest" } }
                    @if !m.version.pre.is_empty() { " " span.badge.pre { "pre-release" } }
                    @if deprecation.is_some() { " " span.badge.deprecated { "deprecated" } }
                }
                p.address { code { (addr) } " · system " (addr.system) }
                @if !description.is_empty() { p.description { (description) } }
            }
            @if let Some(d) = deprecation {
                div.notice.deprecated role="note" {
                    strong { "Version " (m.version) " is deprecated" }
                    @if !d.reason.is_empty() { ": " (d.reason.trim_end_matches('.')) }
                    "."
                    @if let Some(next) = &d.replacement {
                        " Use " a href=(module_path(addr, Some(next))) { (next) } " instead."
                    }
                    " Pins to it keep working; choose another version for new code."
                }
            }
            @if m.version != view.latest {
                div.notice role="note" {
                    "You are viewing " (m.version) ". The latest version is "
                    a href=(module_path(addr, Some(&view.latest))) { (view.latest) } "."
                }
            }
            div.module-layout {
                div.module-main {
                    (usage_section("usage", &view.host, addr, &m.version, root))
                    nav.toc aria-label="On this page" {
                        @if view.notes_html.is_some() { a href="#release-notes" { "Release notes" } }
                        a href="#readme" { "README" }
                        a href="#inputs" { "Inputs (" (root.inputs.len()) ")" }
                        a href="#outputs" { "Outputs (" (root.outputs.len()) ")" }
                        a href="#resources" { "Resources (" (root.resources.len()) ")" }
                        a href="#providers" { "Providers" }
                        a href="#submodules" { "Submodules (" (m.interface.submodules.len()) ")" }
                        a href="#examples" { "Examples (" (m.interface.examples.len()) ")" }
                    }
                    @if let Some(notes) = &view.notes_html {
                        section #release-notes aria-labelledby="notes-h" {
                            h2 #notes-h { "Release notes for " (m.version) }
                            div.readme { (PreEscaped(notes)) }
                        }
                    }
                    section #readme aria-labelledby="readme-h" {
                        h2 #readme-h { "README" }
                        @if view.readme_html.is_empty() {
                            p.none { "This release has no README." }
                        } @else {
                            div.readme { (PreEscaped(&view.readme_html)) }
                        }
                    }
                    section #inputs aria-labelledby="inputs-h" {
                        h2 #inputs-h { "Inputs" }
                        (tables::inputs(root, "Inputs"))
                    }
                    section #outputs aria-labelledby="outputs-h" {
                        h2 #outputs-h { "Outputs" }
                        (tables::outputs(root, "Outputs"))
                    }
                    section #resources aria-labelledby="resources-h" {
                        h2 #resources-h { "Resources" }
                        (tables::resources(root))
                    }
                    section #providers aria-labelledby="providers-h" {
                        h2 #providers-h { "Providers" }
                        (tables::providers(root))
                    }
                    section #submodules aria-labelledby="submodules-h" {
                        h2 #submodules-h { "Submodules" }
                        @if m.interface.submodules.is_empty() { p.none { "No submodules." } }
                        @for (i, sub) in m.interface.submodules.iter().enumerate() {
                            (nested(view, sub, &format!("submodule-{i}"), true))
                        }
                    }
                    section #examples aria-labelledby="examples-h" {
                        h2 #examples-h { "Examples" }
                        @if m.interface.examples.is_empty() { p.none { "No examples." } }
                        @for (i, example) in m.interface.examples.iter().enumerate() {
                            (nested(view, example, &format!("example-{i}"), false))
                        }
                    }
                }
                aside.module-side {
                    (versions_section(view))
                    (provenance_section(m))
                }
            }
        },
    )
}

/// The copyable `module` block, with a copy button the script reveals. `id` is `usage` for
/// the root module's block (an `h2`), else the nested module's id (an `h3` inside it).
fn usage_section(
    id: &str,
    host: &str,
    addr: &ModuleAddress,
    version: &Version,
    module: &ModuleDoc,
) -> Markup {
    let snippet = usage::snippet(host, addr, version, module);
    html! {
        section.usage aria-label="Usage" {
            div.usage-head {
                @if id == "usage" { h2 { "Usage" } } @else { h3 { "Usage" } }
                button.copy type="button" data-copy={ (id) "-code" } data-status={ (id) "-status" } hidden { "Copy" }
            }
            pre { code #{ (id) "-code" } { (snippet) } }
            p.copy-status #{ (id) "-status" } role="status" aria-live="polite" {}
        }
    }
}

/// A submodule or example, folded: its description, and for submodules its usage and
/// interface; examples show their module calls.
fn nested(view: &View, doc: &ModuleDoc, id: &str, submodule: bool) -> Markup {
    let description = describe_readme(&doc.readme);
    html! {
        details.nested #(id) {
            summary {
                code { (doc.path) }
                @if !description.is_empty() { " — " (description) }
            }
            @if submodule {
                (usage_section(id, &view.host, &view.addr, &view.manifest.version, doc))
                (tables::inputs(doc, "Inputs"))
                (tables::outputs(doc, "Outputs"))
                h4 { "Resources" }
                (tables::resources(doc))
            } @else {
                (tables::providers(doc))
            }
        }
    }
}

fn versions_section(view: &View) -> Markup {
    let current = &view.manifest.version;
    html! {
        section #versions aria-labelledby="versions-h" {
            h2 #versions-h { "Versions (" (view.releases.len()) ")" }
            ol.versions {
                @for (i, r) in view.releases.iter().enumerate() {
                    li.version-row.current[&r.version == current] {
                        a href=(module_path(&view.addr, Some(&r.version)))
                            aria-current=[(&r.version == current).then_some("page")] {
                            (r.version)
                        }
                        " " time datetime=(r.published_at) { (date(&r.published_at)) }
                        @if r.version == view.latest { " " span.badge.latest { "latest" } }
                        @if let Some(d) = &r.deprecation {
                            " " span.badge.deprecated { "deprecated" }
                            @if !d.reason.is_empty() { p.reason { (d.reason) } }
                        }
                        @if let Some(older) = view.releases.get(i + 1) {
                            " " a.compare href={ (module_path(&view.addr, None)) "/diff?from=" (older.version) "&to=" (r.version) }
                                aria-label={ "Changes from " (older.version) " to " (r.version) } { "changes" }
                        }
                    }
                }
            }
            p { "Downloads, all versions: " (view.releases.iter().map(|r| r.downloads).sum::<u64>()) }
        }
    }
}

fn provenance_section(m: &Manifest) -> Markup {
    html! {
        section #provenance aria-labelledby="provenance-h" {
            h2 #provenance-h { "Provenance" }
            dl.provenance {
                @if let Some(source) = &m.source {
                    dt { "Repository" } dd { code { (source.repo) } }
                    dt { "Tag" } dd { code { (source.tag) } }
                    dt { "Commit" } dd { code.hash { (source.commit) } }
                } @else {
                    dt { "Source" } dd { "not recorded (published from a directory)" }
                }
                dt { "SHA-256" } dd { code.hash { (m.sha256) } }
                dt { "Size" } dd { (m.size) " bytes" }
                dt { "Published" } dd { time datetime=(m.published_at) { (m.published_at) } }
                dt { "Publisher" } dd { (m.publisher) }
            }
        }
    }
}
