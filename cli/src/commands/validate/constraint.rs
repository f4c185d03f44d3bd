//! Version constraints and release selection exactly as Terraform 1.15 picks a module version:
//! hashicorp/go-version semantics (`~>`, comma = AND, three padded segments, metadata ignored),
//! newest match wins, and a pre-release is selectable only by a bare exact version
//! (`1.2.0-rc1`; `= 1.2.0-rc1` does not select it, hashicorp/terraform#32356).

use std::cmp::Ordering;
use std::fmt;

/// A version as go-version reads it: up to three numeric segments (padded), optional
/// pre-release, build metadata dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub segments: [u64; 3],
    /// How many segments were written (`~>` depends on it).
    pub specified: usize,
    pub pre: String,
    /// The text as written.
    pub original: String,
}

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let original = text.trim();
        let rest = original.strip_prefix('v').unwrap_or(original);
        let rest = rest.split_once('+').map_or(rest, |(v, _)| v);
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) if !pre.is_empty() && pre.split('.').all(valid_ident) => (core, pre),
            Some(_) => return None,
            None => (rest, ""),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut segments = [0; 3];
        for (slot, part) in segments.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        Some(Version {
            segments,
            specified: parts.len(),
            pre: pre.to_owned(),
            original: original.to_owned(),
        })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// Precedence: segments, then a pre-release sorts before its release, then pre-release
    /// identifiers compared numerically or lexically (semver rules).
    pub fn compare(&self, other: &Version) -> Ordering {
        self.segments.cmp(&other.segments).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(&self.pre, &other.pre),
            }
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.segments;
        write!(f, "{a}.{b}.{c}")?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        Ok(())
    }
}

fn valid_ident(part: &str) -> bool {
    !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(x), Ok(y)) => x.cmp(&y),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Written without an operator.
    Bare,
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    pub op: Op,
    pub version: Version,
}

/// A parsed `version` argument: every constraint must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraints(pub Vec<Constraint>);

impl Constraints {
    /// Parses `"~> 1.2, != 1.2.3"`; the error names the part that is not a constraint.
    pub fn parse(text: &str) -> Result<Constraints, String> {
        let mut out = Vec::new();
        for part in text.split(',') {
            let part = part.trim();
            let (op, rest) = [
                ("~>", Op::Pessimistic),
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                (">", Op::Gt),
                ("<", Op::Lt),
                ("=", Op::Eq),
            ]
            .iter()
            .find_map(|(token, op)| part.strip_prefix(token).map(|rest| (*op, rest)))
            .unwrap_or((Op::Bare, part));
            let version = Version::parse(rest)
                .filter(|_| !rest.trim().is_empty())
                .ok_or_else(|| format!("`{part}` is not a version constraint"))?;
            out.push(Constraint { op, version });
        }
        Ok(Constraints(out))
    }

    /// go-version's `Check` of one version against all constraints.
    fn check(&self, v: &Version) -> bool {
        self.0.iter().all(|c| c.check(v))
    }

    /// True when Terraform would consider this pre-release at all: the constraint is one bare
    /// exact version.
    fn admits_prerelease(&self, v: &Version) -> bool {
        matches!(self.0.as_slice(), [Constraint { op: Op::Bare, version }] if version.compare(v) == Ordering::Equal)
    }

    /// True when no constraint limits how new a version may be.
    pub fn is_unbounded(&self) -> bool {
        !self.0.iter().any(|c| match c.op {
            Op::Bare | Op::Eq | Op::Lt | Op::Le => true,
            Op::Pessimistic => c.version.specified >= 2,
            Op::Gt | Op::Ge | Op::Ne => false,
        })
    }

    /// Some constraint names a pre-release with an operator, which never selects it.
    pub fn names_prerelease_with_operator(&self) -> bool {
        self.0
            .iter()
            .any(|c| c.version.is_prerelease() && c.op != Op::Bare)
            || (self.0.len() > 1 && self.0.iter().any(|c| c.version.is_prerelease()))
    }
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        let c = &self.version;
        let order = v.compare(c);
        match self.op {
            Op::Bare | Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            Op::Gt => prerelease_check(v, c) && order == Ordering::Greater,
            Op::Ge => prerelease_check(v, c) && order != Ordering::Less,
            Op::Lt => prerelease_check(v, c) && order == Ordering::Less,
            Op::Le => prerelease_check(v, c) && order != Ordering::Greater,
            Op::Pessimistic => {
                if !prerelease_check(v, c)
                    || (c.is_prerelease() && !v.is_prerelease())
                    || order == Ordering::Less
                {
                    return false;
                }
                let n = c.specified;
                v.segments[..n.saturating_sub(1)] == c.segments[..n.saturating_sub(1)]
                    && v.segments[n - 1] >= c.segments[n - 1]
            }
        }
    }
}

/// go-version's `prereleaseCheck`.
fn prerelease_check(v: &Version, c: &Version) -> bool {
    match (v.is_prerelease(), c.is_prerelease()) {
        (true, true) => v.segments == c.segments,
        (true, false) => false,
        _ => true,
    }
}

/// What Terraform would install, or why it would not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Selected(Version),
    /// Nothing matches; `newest` is the newest version Terraform considered (pre-releases it
    /// was not asked for exactly are not considered), as its error message reports.
    Unresolvable {
        newest: Option<Version>,
    },
}

/// Picks the version Terraform 1.15 would install from `available` (as listed by the
/// registry; unparseable ones are skipped, as Terraform skips them). `None` constraints
/// (no `version` argument) accept every release.
pub fn resolve(constraints: Option<&Constraints>, available: &[String]) -> Resolution {
    let mut newest: Option<Version> = None;
    let mut best: Option<Version> = None;
    for v in available.iter().filter_map(|s| Version::parse(s)) {
        if v.is_prerelease() && !constraints.is_some_and(|c| c.admits_prerelease(&v)) {
            continue;
        }
        if newest
            .as_ref()
            .is_none_or(|n| v.compare(n) == Ordering::Greater)
        {
            newest = Some(v.clone());
        }
        let ok = constraints.is_none_or(|c| c.check(&v));
        if ok
            && best
                .as_ref()
                .is_none_or(|b| v.compare(b) == Ordering::Greater)
        {
            best = Some(v);
        }
    }
    match best {
        Some(v) => Resolution::Selected(v),
        None => Resolution::Unresolvable { newest },
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pick(constraint: &str, available: &[&str]) -> Option<String> {
        let c = Constraints::parse(constraint).unwrap();
        let available: Vec<String> = available.iter().map(|s| (*s).to_owned()).collect();
        match resolve(Some(&c), &available) {
            Resolution::Selected(v) => Some(v.to_string()),
            Resolution::Unresolvable { .. } => None,
        }
    }

    const AVAILABLE: &[&str] = &[
        "1.0.0",
        "1.0.4",
        "1.1.0",
        "1.2.0-rc1",
        "1.2.0",
        "2.0.0",
        "2.1.0-beta.1",
    ];

    #[test]
    fn the_newest_match_wins_and_pessimistic_moves_only_the_last_given_segment() {
        assert_eq!(pick("~> 1.0", AVAILABLE).as_deref(), Some("1.2.0"));
        assert_eq!(pick("~> 1.0.0", AVAILABLE).as_deref(), Some("1.0.4"));
        assert_eq!(pick(">= 1.0, < 2.0", AVAILABLE).as_deref(), Some("1.2.0"));
        assert_eq!(
            pick(">= 1.0, != 2.0.0", AVAILABLE).as_deref(),
            Some("1.2.0")
        );
        assert_eq!(pick("1.1", AVAILABLE).as_deref(), Some("1.1.0"));
        assert_eq!(pick("v1.1.0", AVAILABLE).as_deref(), Some("1.1.0"));
    }

    #[test]
    fn a_prerelease_is_selected_only_by_a_bare_exact_version() {
        assert_eq!(pick("1.2.0-rc1", AVAILABLE).as_deref(), Some("1.2.0-rc1"));
        assert_eq!(pick("= 1.2.0-rc1", AVAILABLE), None);
        assert_eq!(pick(">= 2.1.0-beta.1", AVAILABLE), None);
        assert_eq!(pick(">= 1.2.0-rc1", AVAILABLE).as_deref(), Some("2.0.0"));
    }

    #[test]
    fn an_unresolvable_constraint_reports_the_newest_considered_version() {
        let c = Constraints::parse("~> 3.0").unwrap();
        let available: Vec<String> = AVAILABLE.iter().map(|s| (*s).to_owned()).collect();
        let Resolution::Unresolvable { newest } = resolve(Some(&c), &available) else {
            panic!("resolved");
        };
        assert_eq!(newest.unwrap().to_string(), "2.0.0");
    }

    #[test]
    fn unbounded_constraints_are_told_apart() {
        for (text, unbounded) in [
            (">= 1.0", true),
            ("> 1.0, != 1.5.0", true),
            ("~> 1", true),
            ("~> 1.2", false),
            (">= 1.0, < 2.0", false),
            ("1.2.3", false),
        ] {
            assert_eq!(
                Constraints::parse(text).unwrap().is_unbounded(),
                unbounded,
                "{text}"
            );
        }
    }

    #[test]
    fn garbage_is_refused_with_the_offending_part() {
        assert_eq!(
            Constraints::parse("~> 1.0, banana").unwrap_err(),
            "`banana` is not a version constraint"
        );
        assert!(Constraints::parse("").is_err());
        assert!(Constraints::parse(">=").is_err());
        assert!(Constraints::parse("1.2.3.4").is_err());
    }

    fn version() -> impl Strategy<Value = String> {
        (
            0u64..4,
            0u64..4,
            0u64..4,
            prop::option::of("(rc|beta)[0-9]"),
        )
            .prop_map(|(a, b, c, pre)| match pre {
                Some(pre) => format!("{a}.{b}.{c}-{pre}"),
                None => format!("{a}.{b}.{c}"),
            })
    }

    fn constraint() -> impl Strategy<Value = String> {
        let op = prop::sample::select(vec!["", "=", "!=", ">", ">=", "<", "<=", "~>"]);
        prop::collection::vec((op, version(), " ?"), 1..4).prop_map(|parts| {
            parts
                .into_iter()
                .map(|(op, v, space)| format!("{op}{space}{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    proptest! {
        #[test]
        fn every_written_constraint_parses_and_the_selection_satisfies_it(
            text in constraint(),
            available in prop::collection::vec(version(), 0..12),
        ) {
            let c = Constraints::parse(&text).unwrap();
            match resolve(Some(&c), &available) {
                Resolution::Selected(v) => {
                    prop_assert!(c.check(&v));
                    prop_assert!(!v.is_prerelease() || c.admits_prerelease(&v));
                    // No acceptable version is newer.
                    for other in available.iter().filter_map(|s| Version::parse(s)) {
                        let acceptable = c.check(&other) && (!other.is_prerelease() || c.admits_prerelease(&other));
                        prop_assert!(!acceptable || other.compare(&v) != Ordering::Greater);
                    }
                }
                Resolution::Unresolvable { newest } => {
                    for other in available.iter().filter_map(|s| Version::parse(s)) {
                        prop_assert!(!(c.check(&other) && (!other.is_prerelease() || c.admits_prerelease(&other))));
                    }
                    if let Some(n) = newest {
                        prop_assert!(available.iter().any(|s| Version::parse(s).is_some_and(|v| v.compare(&n) == Ordering::Equal)));
                    }
                }
            }
        }

        #[test]
        fn versions_print_back_to_what_they_parse_from(text in version()) {
            prop_assert_eq!(Version::parse(&text).unwrap().to_string(), text);
        }
    }
}
