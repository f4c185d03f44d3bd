//! Module listing and search for the extended registry API, and catalogue statistics.
//!
//! Both read the `modules` table, which keeps each module's latest-release summary current,
//! so a page costs one indexed range scan however many versions the modules have.

use rusqlite::types::{Type, Value};
use rusqlite::Row;
use semver::Version;

use super::releases::parse_deprecation;
use super::{Index, IndexError};
use crate::address::{ModuleAddress, Name, Namespace, System};
use crate::manifest::Deprecation;

/// Filters and page of a module listing. `text` matches namespace, name or description,
/// case-insensitively; an empty text matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleQuery {
    pub namespace: Option<Namespace>,
    /// Exact module name (all systems of `namespace/name`).
    pub name: Option<Name>,
    pub system: Option<System>,
    pub text: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

/// One page of modules and the number of modules matching the query across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModulePage {
    pub modules: Vec<ModuleSummary>,
    pub total: u64,
}

/// A module as listings show it: its latest release (highest non-pre-release, else highest
/// pre-release) and the downloads of all its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSummary {
    pub address: ModuleAddress,
    pub latest_version: Version,
    pub description: String,
    pub published_at: String,
    pub downloads: u64,
    /// The latest release's deprecation, if it is deprecated.
    pub deprecation: Option<Deprecation>,
}

/// The namespaces and systems that have modules, sorted: the choices of a listing's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub namespaces: Vec<Namespace>,
    pub systems: Vec<System>,
}

/// Sizes of the catalogue, for `/metrics` and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStats {
    pub modules: u64,
    pub releases: u64,
}

impl Index {
    /// A page of modules ordered by namespace, name, system; when searching, modules whose
    /// name equals the text come first.
    pub fn list_modules(&self, query: &ModuleQuery) -> Result<ModulePage, IndexError> {
        let mut clauses = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(namespace) = &query.namespace {
            params.push(Value::Text(namespace.as_str().to_owned()));
            clauses.push(format!("namespace = ?{}", params.len()));
        }
        if let Some(name) = &query.name {
            params.push(Value::Text(name.as_str().to_owned()));
            clauses.push(format!("name = ?{}", params.len()));
        }
        if let Some(system) = &query.system {
            params.push(Value::Text(system.as_str().to_owned()));
            clauses.push(format!("system = ?{}", params.len()));
        }
        let text = query
            .text
            .as_deref()
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty());
        let mut order = String::from("namespace, name, system");
        if let Some(text) = text {
            params.push(Value::Text(text));
            let n = params.len();
            // `instr` rather than LIKE: no wildcard escaping, and addresses are lowercase
            // already, so only the description needs folding.
            clauses.push(format!(
                "(instr(namespace, ?{n}) OR instr(name, ?{n}) OR instr(lower(description), ?{n}))"
            ));
            order = format!("name = ?{n} DESC, {order}");
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        self.read("list_modules", |conn| {
            // One read transaction, so the total and the page come from the same snapshot.
            let conn = conn.unchecked_transaction()?;
            let total: u64 = conn
                .prepare_cached(&format!("SELECT COUNT(*) FROM modules {filter}"))?
                .query_row(rusqlite::params_from_iter(&params), |row| row.get(0))?;
            let mut page_params = params.clone();
            page_params.push(Value::Integer(i64::from(query.limit)));
            page_params.push(Value::Integer(i64::from(query.offset)));
            let (limit, offset) = (page_params.len() - 1, page_params.len());
            let sql = format!(
                "SELECT namespace, name, system, latest_version, description, published_at,
                        downloads,
                        (SELECT r.deprecated FROM releases r
                          WHERE r.module_id = modules.id AND r.version = modules.latest_version)
                 FROM modules {filter} ORDER BY {order} LIMIT ?{limit} OFFSET ?{offset}"
            );
            let modules = conn
                .prepare_cached(&sql)?
                .query_map(rusqlite::params_from_iter(&page_params), summary_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ModulePage { modules, total })
        })
    }

    /// Every namespace and system in the catalogue (each an index-only scan).
    pub fn facets(&self) -> Result<Facets, IndexError> {
        self.read("facets", |conn| {
            let distinct = |sql: &str| -> Result<Vec<String>, IndexError> {
                let mut stmt = conn.prepare_cached(sql)?;
                let values = stmt
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                Ok(values)
            };
            // Stored values were validated on insert; one that no longer parses is skipped
            // rather than failing the page.
            Ok(Facets {
                namespaces: distinct("SELECT DISTINCT namespace FROM modules ORDER BY 1")?
                    .iter()
                    .filter_map(|n| Namespace::parse(n).ok())
                    .collect(),
                systems: distinct("SELECT DISTINCT system FROM modules ORDER BY 1")?
                    .iter()
                    .filter_map(|s| System::parse(s).ok())
                    .collect(),
            })
        })
    }

    /// How many modules and releases are indexed.
    pub fn stats(&self) -> Result<IndexStats, IndexError> {
        self.read("stats", |conn| {
            let stats = conn
                .prepare_cached(
                    "SELECT (SELECT COUNT(*) FROM modules), (SELECT COUNT(*) FROM releases)",
                )?
                .query_row([], |row| {
                    Ok(IndexStats {
                        modules: row.get(0)?,
                        releases: row.get(1)?,
                    })
                })?;
            Ok(stats)
        })
    }
}

fn summary_row(row: &Row<'_>) -> rusqlite::Result<ModuleSummary> {
    let malformed = |column: usize, e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(column, Type::Text, e)
    };
    let address = ModuleAddress::parse(
        &row.get::<_, String>(0)?,
        &row.get::<_, String>(1)?,
        &row.get::<_, String>(2)?,
    )
    .map_err(|e| malformed(0, Box::new(e)))?;
    let latest_version =
        Version::parse(&row.get::<_, String>(3)?).map_err(|e| malformed(3, Box::new(e)))?;
    Ok(ModuleSummary {
        address,
        latest_version,
        description: row.get(4)?,
        published_at: row.get(5)?,
        downloads: row.get(6)?,
        deprecation: parse_deprecation(7, row.get(7)?)?,
    })
}
