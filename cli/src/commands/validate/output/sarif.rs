//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it: one run, every rule with
//! its metadata and help URI, results with repository-relative paths.

use serde_json::{json, Value};

use super::{locate, Files};
use crate::commands::validate::diagnostic::{Diagnostic, Severity, RULES};

/// Where each code is explained.
pub const HELP_BASE: &str = "https://git.internal/platform/modreg/blob/main/docs/validate.md";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub fn sarif(diagnostics: &[Diagnostic], files: &Files) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let help = format!("{HELP_BASE}#{}", r.code.to_lowercase());
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.summary },
                "helpUri": help,
                "help": { "text": format!("{} See {help}", r.summary) },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
            let text = match &d.help {
                Some(help) => format!("{} ({help})", d.message),
                None => d.message.clone(),
            };
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": text },
            });
            if let Some(loc) = locate(d, files) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": loc.file, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": loc.line,
                            "startColumn": loc.column,
                            "endLine": loc.end_line,
                            "endColumn": loc.end_column.max(loc.column + 1),
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "modreg",
                "informationUri": HELP_BASE,
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).expect("SARIF serializes") + "\n"
}
