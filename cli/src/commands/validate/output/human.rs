//! Compiler-style output: `error[MR001]: …`, `--> file:line:col`, the source line with a caret
//! under the span, and a help line. Colour only when asked (a terminal without NO_COLOR).

use std::fmt::Write as _;

use super::{locate, Files};
use crate::commands::validate::diagnostic::{Diagnostic, Severity};

/// Nothing at all for a clean run, as a compiler prints nothing.
pub fn human(diagnostics: &[Diagnostic], files: &Files, colour: bool) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    for d in diagnostics {
        let sev = match d.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
            Severity::Note => paint("1;36", "note"),
        };
        let _ = writeln!(
            out,
            "{sev}{}: {}",
            paint("1", &format!("[{}]", d.code)),
            paint("1", &d.message)
        );
        if let Some(loc) = locate(d, files) {
            let gutter = loc.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}{} {}:{}:{}",
                paint("1;34", "-->"),
                loc.file,
                loc.line,
                loc.column
            );
            let _ = writeln!(out, "{pad} {}", paint("1;34", "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                paint("1;34", &loc.line.to_string()),
                paint("1;34", "|"),
                loc.source_line
            );
            let width = if loc.end_line == loc.line {
                loc.end_column.saturating_sub(loc.column).max(1)
            } else {
                loc.source_line
                    .chars()
                    .count()
                    .saturating_sub(loc.column - 1)
                    .max(1)
            };
            // Keep tabs so the caret lines up under tab-indented source.
            let indent: String = loc
                .source_line
                .chars()
                .take(loc.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(
                out,
                "{pad} {} {indent}{}",
                paint("1;34", "|"),
                paint("1;31", &"^".repeat(width))
            );
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{pad} {} help: {help}", paint("1;34", "="));
            }
        } else if let Some(help) = &d.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out.push('\n');
    }
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Note), "note")
    );
    out
}
