//! `/ui/`: every module, searched by name and description, filtered by namespace and system,
//! a page at a time. The results live in `#results`, which the script swaps while typing.

use actix_web::{web, HttpRequest};
use maud::{html, Markup};
use serde::Deserialize;

use super::access::{viewer, Viewer};
use super::error::UiError;
use super::{encode_query, layout, module_path, UiResult};
use crate::address::{Namespace, System};
use crate::http::AppState;
use crate::index::{Facets, ModulePage, ModuleQuery};
use crate::telemetry::blocking;

pub const PAGE_SIZE: u32 = 20;

/// The search form's fields; empty fields mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    namespace: String,
    #[serde(default)]
    system: String,
    page: Option<u32>,
}

impl Search {
    fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// This search's URL at `page`, dropping empty fields.
    fn url(&self, page: u32) -> String {
        let mut params = Vec::new();
        for (key, value) in [
            ("q", self.q.trim()),
            ("namespace", &self.namespace),
            ("system", &self.system),
        ] {
            if !value.is_empty() {
                params.push(format!("{key}={}", encode_query(value)));
            }
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        if params.is_empty() {
            "/ui/".to_owned()
        } else {
            format!("/ui/?{}", params.join("&"))
        }
    }

    fn query(&self) -> Result<ModuleQuery, UiError> {
        fn optional(raw: &str) -> Option<&str> {
            (!raw.is_empty()).then_some(raw)
        }
        let namespace = optional(&self.namespace)
            .map(Namespace::parse)
            .transpose()
            .map_err(|e| UiError::bad_request(e.to_string()))?;
        let system = optional(&self.system)
            .map(System::parse)
            .transpose()
            .map_err(|e| UiError::bad_request(e.to_string()))?;
        let offset = (self.page() - 1)
            .checked_mul(PAGE_SIZE)
            .ok_or_else(|| UiError::bad_request("page is out of range"))?;
        Ok(ModuleQuery {
            namespace,
            name: None,
            system,
            text: optional(self.q.trim()).map(str::to_owned),
            offset,
            limit: PAGE_SIZE,
        })
    }
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    search: Result<web::Query<Search>, actix_web::Error>,
) -> UiResult {
    let viewer = viewer(&req, &state).await?;
    let search = search
        .map_err(|e| {
            UiError::bad_request(format!(
                "invalid search ({e}): use q, namespace, system and page"
            ))
        })?
        .into_inner();
    let query = search.query()?;
    let index = state.catalog.index().clone();
    let (results, facets) = blocking(move || {
        Ok::<_, crate::index::IndexError>((index.list_modules(&query)?, index.facets()?))
    })
    .await?;
    Ok(super::html(render(viewer, &search, &results, &facets)))
}

fn render(viewer: Viewer, search: &Search, results: &ModulePage, facets: &Facets) -> Markup {
    let title = if search.q.trim().is_empty() {
        "Modules".to_owned()
    } else {
        format!("Modules matching “{}”", search.q.trim())
    };
    layout::page(
        &title,
        Some(viewer),
        html! {
            h1 { "Modules" }
            form #search.search role="search" method="get" action="/ui/" {
                div.field.grow {
                    label for="q" { "Search" }
                    input #q type="search" name="q" value=(search.q) autocomplete="off"
                        placeholder="name or description";
                }
                (filter("namespace", "Namespace", facets.namespaces.iter().map(|n| n.as_str()), &search.namespace))
                (filter("system", "System", facets.systems.iter().map(|s| s.as_str()), &search.system))
                button type="submit" { "Search" }
            }
            (results_section(search, results))
        },
    )
}

/// A filter select: "All", then each value, with `chosen` selected.
fn filter<'a>(
    name: &str,
    label: &str,
    values: impl Iterator<Item = &'a str>,
    chosen: &str,
) -> Markup {
    html! {
        div.field {
            label for=(name) { (label) }
            select #(name) name=(name) {
                option value="" { "All" }
                @for value in values {
                    option value=(value) selected[value == chosen] { (value) }
                }
            }
        }
    }
}

fn results_section(search: &Search, results: &ModulePage) -> Markup {
    let page = search.page();
    let pages = results.total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    html! {
        section #results aria-labelledby="results-count" {
            p #results-count.count role="status" {
                (results.total) @if results.total == 1 { " module" } @else { " modules" }
                @if pages > 1 { " · page " (page) " of " (pages) }
            }
            @if results.modules.is_empty() {
                p.none { "No module matches. Try fewer words, or clear the filters." }
            } @else {
                ol.modules {
                    @for m in &results.modules {
                        li.module-card {
                            h2 {
                                a href=(module_path(&m.address, None)) {
                                    span.ns { (m.address.namespace) " / " }
                                    (m.address.name)
                                }
                            }
                            @if m.description.is_empty() {
                                p.description.muted { "No description." }
                            } @else {
                                p.description { (m.description) }
                            }
                            dl.facts {
                                div { dt { "Latest" } dd { code { (m.latest_version) } } }
                                div { dt { "System" } dd { (m.address.system) } }
                                div { dt { "Downloads" } dd { (m.downloads) } }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pagination aria-label="Pages" {
                    @if page > 1 {
                        a rel="prev" href=(search.url(page - 1)) { "← Previous" }
                    }
                    span aria-current="page" { "Page " (page) " of " (pages) }
                    @if u64::from(page) < pages {
                        a rel="next" href=(search.url(page + 1)) { "Next →" }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Search;

    #[test]
    fn page_urls_keep_the_filters_and_encode_the_text() {
        let search = Search {
            q: " vpc & subnets ".into(),
            namespace: "platform".into(),
            system: String::new(),
            page: Some(2),
        };
        assert_eq!(
            search.url(3),
            "/ui/?q=vpc+%26+subnets&namespace=platform&page=3"
        );
        assert_eq!(Search::default().url(1), "/ui/");
    }
}
