//! The run's findings written for people (compiler style), for scripts (`--format json`) and
//! for code scanning (`--format sarif`).

mod human;
mod json;
mod sarif;

use serde::Serialize;

use super::diagnostic::Diagnostic;
use super::files::Files;

pub use human::human;
pub use json::json;
pub use sarif::sarif;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

/// Where a finding is, resolved from its span.
#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub source_line: String,
}

pub fn locate(d: &Diagnostic, files: &Files) -> Option<Location> {
    let span = d.span.as_ref()?;
    let file = files.get(span.file);
    let start = file.position(span.range.start);
    let end = file.position(span.range.end.max(span.range.start));
    Some(Location {
        file: file.display.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        source_line: file.line(start.line).to_owned(),
    })
}

/// A registry module call and the release it resolved to (for `--format json`, and for the
/// tests that compare with what `terraform init` installs).
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedCall {
    pub file: String,
    pub line: usize,
    pub module: String,
    pub source: String,
    pub constraint: Option<String>,
    pub selected: Option<String>,
}
