//! In-place suppression: `# modreg:ignore MR023 shared account, tagged by SCP` on the line of
//! a finding or the line above silences that code there. A reason is required; a comment
//! without one silences nothing and is itself reported (MR025).

use super::diagnostic::Diagnostic;
use super::files::{Files, Span};

const MARKER: &str = "modreg:ignore";

/// `(codes, reason)` of a suppression comment on `line`.
fn parse(line: &str) -> Option<(Vec<&str>, &str)> {
    let at = line.find(MARKER)?;
    let before = line[..at].trim_end();
    if !(before.ends_with('#') || before.ends_with("//") || before.ends_with("/*")) {
        return None;
    }
    let rest = line[at + MARKER.len()..].trim_start();
    let (codes, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let codes = codes.split(',').filter(|c| !c.is_empty()).collect();
    Some((codes, reason.trim().trim_end_matches("*/").trim()))
}

/// Drops the findings a comment silences; adds MR025 for comments without a reason.
pub fn apply(diagnostics: Vec<Diagnostic>, files: &Files) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut unreasoned: Vec<Span> = Vec::new();
    for d in diagnostics {
        let Some(span) = &d.span else {
            out.push(d);
            continue;
        };
        let file = files.get(span.file);
        let line = file.position(span.range.start).line;
        let mut silenced = false;
        for l in [line, line.saturating_sub(1)]
            .into_iter()
            .filter(|&l| l > 0)
        {
            let Some((codes, reason)) = parse(file.line(l)) else {
                continue;
            };
            if !codes.contains(&d.code) {
                continue;
            }
            if reason.is_empty() {
                let start = file.line_start(l) + file.line(l).find(MARKER).unwrap_or(0);
                let span = Span {
                    file: span.file,
                    range: start..start + MARKER.len(),
                };
                if !unreasoned.contains(&span) {
                    unreasoned.push(span);
                }
            } else {
                silenced = true;
            }
        }
        if !silenced {
            out.push(d);
        }
    }
    out.extend(unreasoned.into_iter().map(|span| {
        Diagnostic::new(
            "MR025",
            "this modreg:ignore comment gives no reason, so it silences nothing",
            Some(span),
        )
        .help("say why after the codes: `# modreg:ignore MR023 tags come from the account's SCP`")
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_name_codes_and_a_reason() {
        assert_eq!(
            parse("  # modreg:ignore MR023,MR024 shared account"),
            Some((vec!["MR023", "MR024"], "shared account"))
        );
        assert_eq!(
            parse("x = 1 // modreg:ignore MR001"),
            Some((vec!["MR001"], ""))
        );
        assert_eq!(parse("name = \"modreg:ignore MR001 not a comment\""), None);
    }
}
