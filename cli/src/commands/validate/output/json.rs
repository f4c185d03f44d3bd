//! `--format json`: the findings with their locations, and the release each registry call
//! resolved to.

use serde::Serialize;

use super::{locate, Files, Location, ResolvedCall};
use crate::commands::validate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Vec<Finding<'a>>,
    modules: &'a [ResolvedCall],
}

pub fn json(diagnostics: &[Diagnostic], files: &Files, modules: &[ResolvedCall]) -> String {
    let report = Report {
        diagnostics: diagnostics
            .iter()
            .map(|d| Finding {
                code: d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                location: locate(d, files),
                help: d.help.as_deref(),
            })
            .collect(),
        modules,
    };
    serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"
}
