//! Interface diff between two releases, and the semver verdict it implies.
//!
//! What counts as breaking is what makes an existing caller's `terraform plan` fail after a
//! version bump it accepted under `~>`: a missing input or output, a new mandatory input, a
//! type it no longer satisfies, or an output that turned sensitive.

use std::collections::BTreeMap;
use std::fmt;

use semver::Version;
use serde::Serialize;

use super::extract::canonical_type;
use super::{Input, ModuleDoc, ModuleInterface, Output};

#[cfg(test)]
mod tests;

/// Whether a change can break an existing caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Breaking,
    Compatible,
}

/// One difference between two interfaces, worded for the publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub severity: Severity,
    pub message: String,
}

/// The smallest version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

/// Every change from one release's interface to the next: breaking ones first, then within
/// each group the root module before submodules (by path), inputs before outputs, by name. Examples are not compared: callers cannot depend on them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InterfaceDiff {
    pub changes: Vec<Change>,
}

impl InterfaceDiff {
    /// Breaking → major, any other change → minor, nothing → patch.
    pub fn required_bump(&self) -> Bump {
        if self.breaking().next().is_some() {
            Bump::Major
        } else if self.changes.is_empty() {
            Bump::Patch
        } else {
            Bump::Minor
        }
    }

    /// The breaking changes only.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn push(&mut self, severity: Severity, scope: &str, message: String) {
        let message = if scope.is_empty() {
            message
        } else {
            format!("`{scope}`: {message}")
        };
        self.changes.push(Change { severity, message });
    }
}

/// Compares `old` to `new`: the root module and each submodule (matched by path).
pub fn diff(old: &ModuleInterface, new: &ModuleInterface) -> InterfaceDiff {
    let mut out = InterfaceDiff::default();
    diff_module(&mut out, &old.root, &new.root);
    let old_subs: BTreeMap<_, _> = old.submodules.iter().map(|m| (&m.path, m)).collect();
    let new_subs: BTreeMap<_, _> = new.submodules.iter().map(|m| (&m.path, m)).collect();
    for (path, old_sub) in &old_subs {
        match new_subs.get(path) {
            Some(new_sub) => diff_module(&mut out, old_sub, new_sub),
            None => out.push(
                Severity::Breaking,
                "",
                format!("submodule `{path}` was removed"),
            ),
        }
    }
    for path in new_subs.keys().filter(|p| !old_subs.contains_key(*p)) {
        out.push(Severity::Compatible, "", format!("new submodule `{path}`"));
    }
    // Breaking changes first: they are what a publisher must read. The sort is stable, so
    // each group keeps the module → inputs → outputs → name order.
    out.changes.sort_by_key(|c| c.severity);
    out
}

fn diff_module(out: &mut InterfaceDiff, old: &ModuleDoc, new: &ModuleDoc) {
    let scope = new.path.as_str();
    let old_inputs: BTreeMap<_, _> = old.inputs.iter().map(|i| (&i.name, i)).collect();
    let new_inputs: BTreeMap<_, _> = new.inputs.iter().map(|i| (&i.name, i)).collect();
    for (name, old_input) in &old_inputs {
        match new_inputs.get(name) {
            Some(new_input) => diff_input(out, scope, old_input, new_input),
            None => out.push(
                Severity::Breaking,
                scope,
                format!("input `{name}` was removed (callers that set it will fail)"),
            ),
        }
    }
    for (name, input) in new_inputs
        .iter()
        .filter(|(n, _)| !old_inputs.contains_key(*n))
    {
        if input.required {
            out.push(
                Severity::Breaking,
                scope,
                format!("new input `{name}` is required (existing callers do not set it)"),
            );
        } else {
            out.push(
                Severity::Compatible,
                scope,
                format!("new optional input `{name}`"),
            );
        }
    }

    let old_outputs: BTreeMap<_, _> = old.outputs.iter().map(|o| (&o.name, o)).collect();
    let new_outputs: BTreeMap<_, _> = new.outputs.iter().map(|o| (&o.name, o)).collect();
    for (name, old_output) in &old_outputs {
        match new_outputs.get(name) {
            Some(new_output) => diff_output(out, scope, old_output, new_output),
            None => out.push(
                Severity::Breaking,
                scope,
                format!("output `{name}` was removed (callers that read it will fail)"),
            ),
        }
    }
    for name in new_outputs.keys().filter(|n| !old_outputs.contains_key(*n)) {
        out.push(Severity::Compatible, scope, format!("new output `{name}`"));
    }
}

fn diff_input(out: &mut InterfaceDiff, scope: &str, old: &Input, new: &Input) {
    let name = &new.name;
    if !old.required && new.required {
        out.push(
            Severity::Breaking,
            scope,
            format!("input `{name}` became required (its default was removed)"),
        );
    } else if old.required && !new.required {
        out.push(
            Severity::Compatible,
            scope,
            format!("input `{name}` became optional"),
        );
    }
    match (&old.type_expr, &new.type_expr) {
        // Without a declared type the input took any value, so a first type is at worst a
        // narrowing the author has chosen to make; other type edits cannot be proven safe
        // from the text alone, so they are treated as breaking.
        (None, Some(new_type)) => out.push(
            Severity::Compatible,
            scope,
            format!("input `{name}` now declares type `{new_type}`"),
        ),
        (Some(old_type), new_type) if !same_type(old_type, new_type.as_deref()) => out.push(
            Severity::Breaking,
            scope,
            format!(
                "input `{name}` changed type from `{old_type}` to `{}`",
                new_type.as_deref().unwrap_or("any")
            ),
        ),
        _ => {}
    }
    if old.nullable && !new.nullable {
        out.push(
            Severity::Breaking,
            scope,
            format!("input `{name}` no longer accepts null (`nullable = false`)"),
        );
    }
    // `default = null` round-trips through manifest JSON as no default at all, so the two
    // are compared as equal; whether a default exists is tracked by `required` above.
    let given = |input: &Input| input.default.clone().filter(|v| !v.is_null());
    if given(old) != given(new) && !old.required && !new.required {
        out.push(
            Severity::Compatible,
            scope,
            format!("default of input `{name}` changed"),
        );
    }
}

fn same_type(old: &str, new: Option<&str>) -> bool {
    new.is_some_and(|new| old == new || canonical_type(old) == canonical_type(new))
}

fn diff_output(out: &mut InterfaceDiff, scope: &str, old: &Output, new: &Output) {
    let name = &new.name;
    if !old.sensitive && new.sensitive {
        // Terraform refuses to use a sensitive value where a plain one is expected
        // (for example in a caller's non-sensitive output), so this breaks plans.
        out.push(
            Severity::Breaking,
            scope,
            format!("output `{name}` became sensitive"),
        );
    } else if old.sensitive && !new.sensitive {
        out.push(
            Severity::Compatible,
            scope,
            format!("output `{name}` is no longer sensitive"),
        );
    }
}

/// A version that does not respect the interface diff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SemverViolation {
    /// Breaking changes without a major bump.
    #[error("{}", breaking_message(.prev, .next, .breaking))]
    BreakingWithoutMajor {
        prev: Version,
        next: Version,
        /// The breaking changes' messages.
        breaking: Vec<String>,
    },
    /// The new version does not come after the one it is compared with.
    #[error(
        "version {next} is not greater than the previous release {prev}: pick a higher version"
    )]
    NotNewer { prev: Version, next: Version },
}

fn breaking_message(prev: &Version, next: &Version, breaking: &[String]) -> String {
    let suggested = smallest_major_bump(prev);
    let mut text = format!(
        "version {next} has breaking changes compared with {prev} but is not a major version \
         bump; release it as {suggested} or restore compatibility:"
    );
    for change in breaking {
        text.push_str("\n  - ");
        text.push_str(change);
    }
    text
}

/// Checks that `next` is allowed to carry `diff` after `prev`.
///
/// A breaking change needs a major bump, where, as in Cargo, `0.x` → `0.(x+1)` counts as major
/// for `0.x` versions and any bump counts as major for `0.0.x`. Changes after a pre-release of
/// the same version are allowed: a pre-release promises nothing.
pub fn check_semver(
    prev: &Version,
    next: &Version,
    diff: &InterfaceDiff,
) -> Result<(), SemverViolation> {
    if next <= prev {
        return Err(SemverViolation::NotNewer {
            prev: prev.clone(),
            next: next.clone(),
        });
    }
    let same_core = (prev.major, prev.minor, prev.patch) == (next.major, next.minor, next.patch);
    if diff.required_bump() < Bump::Major
        || is_major_bump(prev, next)
        || (!prev.pre.is_empty() && same_core)
    {
        return Ok(());
    }
    Err(SemverViolation::BreakingWithoutMajor {
        prev: prev.clone(),
        next: next.clone(),
        breaking: diff.breaking().map(|c| c.message.clone()).collect(),
    })
}

fn is_major_bump(prev: &Version, next: &Version) -> bool {
    if prev.major > 0 {
        next.major > prev.major
    } else if prev.minor > 0 {
        next.major > 0 || next.minor > prev.minor
    } else {
        next.major > 0 || next.minor > 0 || next.patch > prev.patch
    }
}

/// The smallest version that would be accepted with breaking changes.
pub fn smallest_major_bump(prev: &Version) -> Version {
    if prev.major > 0 {
        Version::new(prev.major + 1, 0, 0)
    } else if prev.minor > 0 {
        Version::new(0, prev.minor + 1, 0)
    } else {
        Version::new(0, 0, prev.patch + 1)
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}
