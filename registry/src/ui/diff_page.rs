//! `/ui/{namespace}/{name}/{system}/diff?from=…&to=…`: the interface changes between two
//! releases, with the semver verdict the publish gate computes (`interface::diff`).

use actix_web::{web, HttpRequest};
use maud::{html, Markup};
use semver::Version;
use serde::Deserialize;

use super::access::{viewer, Viewer};
use super::error::UiError;
use super::module_page::{address, latest_of, manifest, module, version};
use super::{layout, module_path, tables::with_code, UiResult};
use crate::address::ModuleAddress;
use crate::http::AppState;
use crate::interface::{check_semver, diff, InterfaceDiff, Severity};
use crate::telemetry::blocking;

#[derive(Deserialize)]
pub struct Pair {
    from: Option<String>,
    to: Option<String>,
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    pair: Result<web::Query<Pair>, actix_web::Error>,
) -> UiResult {
    let (ns, name, system) = path.into_inner();
    let addr = address(&ns, &name, &system)?;
    let viewer = viewer(&req, &state).await?;
    let pair = pair
        .map_err(|e| {
            UiError::bad_request(format!(
                "invalid comparison ({e}): use ?from=<version>&to=<version>"
            ))
        })?
        .into_inner();
    let entry = module(&state, &addr).await?;
    let versions: Vec<Version> = entry.releases.iter().map(|r| r.version.clone()).collect();
    let to = match pair.to.as_deref().filter(|v| !v.is_empty()) {
        Some(raw) => version(raw)?,
        None => latest_of(&entry, &addr)?,
    };
    let from = match pair.from.as_deref().filter(|v| !v.is_empty()) {
        Some(raw) => version(raw)?,
        // The release before `to`, or `to` itself when it is the first.
        None => versions
            .iter()
            .rev()
            .find(|v| **v < to)
            .unwrap_or(&to)
            .clone(),
    };
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let index = state.catalog.index().clone();
    let (key, old, new) = (addr.clone(), from.clone(), to.clone());
    let changes = blocking(move || {
        let old = manifest(&index, &key, &old)?;
        let new = manifest(&index, &key, &new)?;
        Ok::<_, UiError>(diff(&old.interface, &new.interface))
    })
    .await?;
    Ok(super::html(render(
        viewer, &addr, &versions, &from, &to, &changes,
    )))
}

fn render(
    viewer: Viewer,
    addr: &ModuleAddress,
    versions: &[Version],
    from: &Version,
    to: &Version,
    changes: &InterfaceDiff,
) -> Markup {
    let breaking = changes.breaking().count();
    let compatible = changes.changes.len() - breaking;
    let verdict = (from < to).then(|| check_semver(from, to, changes));
    let picker = |name: &str, label: &str, chosen: &Version| {
        html! {
            div.field {
                label for=(name) { (label) }
                select #(name) name=(name) {
                    @for v in versions.iter().rev() {
                        option value=(v) selected[v == chosen] { (v) }
                    }
                }
            }
        }
    };
    layout::page(
        &format!("{addr}: {from} → {to}"),
        Some(viewer),
        html! {
            nav.breadcrumb aria-label="Breadcrumb" {
                ol {
                    li { a href="/ui/" { "Modules" } }
                    li { a href=(module_path(addr, None)) { (addr) } }
                    li aria-current="page" { "Changes" }
                }
            }
            h1 { "Changes in " (addr.name) ": " (from) " → " (to) }
            form.search method="get" action={ (module_path(addr, None)) "/diff" } {
                (picker("from", "From", from))
                (picker("to", "To", to))
                button type="submit" { "Compare" }
            }
            section #verdict aria-label="Summary" {
                @if from == to {
                    p { "Both sides are " (from) ": choose two different versions." }
                } @else {
                    p.summary {
                        strong { (breaking) " breaking" } ", " (compatible) " compatible "
                        @if changes.changes.len() == 1 { "change" } @else { "changes" }
                        ": the smallest bump that allows them is " strong.bump { (changes.required_bump()) } "."
                    }
                    @match &verdict {
                        Some(Ok(())) => p.ok { (to) " respects semantic versioning after " (from) "." },
                        Some(Err(e)) => div.notice.deprecated role="note" { (with_code(&e.to_string())) },
                        None => {},
                    }
                }
            }
            @if !changes.is_empty() {
                ul.changes {
                    @for change in &changes.changes {
                        @let breaking = change.severity == Severity::Breaking;
                        li.breaking[breaking].compatible[!breaking] {
                            span.badge.breaking[breaking] { @if breaking { "breaking" } @else { "compatible" } }
                            " " (with_code(&change.message))
                        }
                    }
                }
            } @else if from != to {
                p.none { "No interface changes: inputs, outputs and submodules are the same." }
            }
            p { a href=(module_path(addr, Some(to))) { "Back to " (addr.name) " " (to) } }
        },
    )
}
