//! What a finding is: its code, severity, message, place and help; and the table of rules
//! (one per code) that the docs, the SARIF rule metadata and the human output share.

use serde::Serialize;

use super::files::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One diagnostic code.
pub struct Rule {
    pub code: &'static str,
    /// kebab-case name (SARIF `name`).
    pub name: &'static str,
    pub severity: Severity,
    /// One sentence: what the rule finds.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($code:literal $name:literal $sev:ident $summary:literal;)*) => {
        pub const RULES: &[Rule] = &[$(Rule { code: $code, name: $name, severity: Severity::$sev, summary: $summary }),*];
    };
}

rules! {
    "MR001" "unknown-argument" Error "A module call sets an argument the module has no input for.";
    "MR002" "missing-required-input" Error "A module call does not set an input the module requires.";
    "MR003" "type-mismatch" Error "A literal value cannot be converted to the input's type.";
    "MR004" "unknown-output" Error "A reference names a module output that does not exist.";
    "MR005" "deprecated-input-or-output" Warning "A call sets a deprecated input, or a reference reads a deprecated output.";
    "MR006" "deprecated-release" Warning "The selected release is deprecated in the registry.";
    "MR007" "missing-subdirectory" Error "The `//subdir` of a source is not a module directory of the release.";
    "MR008" "unresolvable-version" Error "No published version satisfies the version constraint.";
    "MR009" "module-not-found" Error "The registry has no module at the source address.";
    "MR010" "invalid-version-constraint" Error "The version argument is not a valid constraint.";
    "MR011" "not-checked-offline" Note "The call could not be checked offline: its interface is not cached.";
    "MR020" "missing-version" Error "A registry module call has no version constraint.";
    "MR021" "unbounded-version" Warning "The version constraint has no upper bound.";
    "MR022" "forbidden-source" Error "A module source is not a registry address and policy does not allow it.";
    "MR023" "missing-finops-tags" Error "A module that accepts tags is called without the required tag keys.";
    "MR024" "environment-not-allowed" Error "The environment tag has a value policy does not allow.";
    "MR025" "suppression-without-reason" Warning "A modreg:ignore comment gives no reason, so it silences nothing.";
}

pub fn rule(code: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every code used has a rule")
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding at its rule's default severity.
    pub fn new(code: &'static str, message: impl Into<String>, span: Option<Span>) -> Self {
        Diagnostic {
            code,
            severity: rule(code).severity,
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The closest of `candidates` to `word`, when close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        let inputs = ["cidr_block", "azs", "private_subnets"];
        assert_eq!(did_you_mean("cidr_blok", inputs), Some("cidr_block"));
        assert_eq!(
            did_you_mean("privat_subnets", inputs),
            Some("private_subnets")
        );
        assert_eq!(did_you_mean("region", inputs), None);
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
    }
}
