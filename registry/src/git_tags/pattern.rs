//! Tag patterns: which tags are releases, and which directory each one publishes.

use semver::Version;

use super::GitError;
use crate::address::Name;

const MODULE: &str = "{module}";
const VERSION: &str = "{version}";

/// The monorepo convention: `vpc/v1.2.0` releases `modules/vpc` at 1.2.0.
pub const DEFAULT_TAG_PATTERN: &str = "{module}/v{version}";
/// Where a module named by the tag lives, for patterns with `{module}`.
pub const DEFAULT_SUBDIR_PATTERN: &str = "modules/{module}";

/// A tag pattern such as `{module}/v{version}` (monorepo) or `v{version}` (one module at the
/// repository root), plus the subdirectory each matching tag publishes.
///
/// `v{version}` must appear exactly once and `{module}` at most once, before the version; any
/// other text is matched literally. A tag is a *candidate* when the literal parts match and the
/// version text starts with a digit; a candidate whose module name or version is invalid is
/// reported as skipped, never dropped silently. Tags that are not candidates (`latest`,
/// `docs/vnext`) are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPattern {
    pattern: String,
    /// Literal text before `{module}` (or before the version when there is no module).
    prefix: String,
    /// Literal text between `{module}` and `{version}`; `None` without `{module}`.
    middle: Option<String>,
    suffix: String,
    subdir: String,
}

/// What a tag says once matched against a pattern.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TagMatch {
    /// Not a release tag under this pattern.
    NotCandidate,
    Release {
        module: Option<String>,
        version: Version,
    },
    /// Looks like a release tag but cannot be one.
    Invalid(String),
}

impl TagPattern {
    /// Parses a tag pattern, with the default subdirectory: `modules/{module}` when the pattern
    /// names a module, the repository root otherwise.
    pub fn parse(pattern: &str) -> Result<Self, GitError> {
        let bad = |reason: &str| GitError::Pattern {
            pattern: pattern.to_owned(),
            reason: reason.to_owned(),
        };
        let template = format!("v{VERSION}");
        let [before, suffix] = split_once_exactly(pattern, &template)
            .ok_or_else(|| bad("it must contain `v{version}` exactly once"))?;
        if suffix.contains('{') || suffix.contains('}') {
            return Err(bad(
                "text after `v{version}` must be literal (no placeholders)",
            ));
        }
        let (prefix, middle) = match before.matches(MODULE).count() {
            0 => (before.to_owned(), None),
            1 => {
                let (prefix, middle) = before.split_once(MODULE).unwrap_or_default();
                if middle.is_empty() {
                    return Err(bad(
                        "`{module}` and `v{version}` must be separated, e.g. by `/`",
                    ));
                }
                (prefix.to_owned(), Some(format!("{middle}v")))
            }
            _ => return Err(bad("`{module}` may appear at most once")),
        };
        let literal_before_version = match &middle {
            Some(m) => m.as_str(),
            None => prefix.as_str(),
        };
        if prefix.contains(['{', '}']) || literal_before_version.contains(['{', '}']) {
            return Err(bad(
                "only `{module}` and `{version}` placeholders are supported",
            ));
        }
        let prefix = if middle.is_some() {
            prefix
        } else {
            format!("{prefix}v")
        };
        let subdir = if middle.is_some() {
            DEFAULT_SUBDIR_PATTERN.to_owned()
        } else {
            String::new()
        };
        Ok(Self {
            pattern: pattern.to_owned(),
            prefix,
            middle,
            suffix: suffix.to_owned(),
            subdir,
        })
    }

    /// Sets the subdirectory template (`modules/{module}`, `terraform/{module}`, `.` for the
    /// repository root). `{module}` is allowed only if the tag pattern has it.
    pub fn with_subdir(mut self, template: &str) -> Result<Self, GitError> {
        let bad = |reason: &str| GitError::SubdirPattern {
            pattern: template.to_owned(),
            reason: reason.to_owned(),
        };
        let trimmed = template.trim_matches('/');
        let trimmed = if trimmed == "." { "" } else { trimmed };
        if template.starts_with('/') {
            return Err(bad("it must be relative to the repository root"));
        }
        let without_module = trimmed.replace(MODULE, "m");
        if without_module.contains(['{', '}']) {
            return Err(bad("only the `{module}` placeholder is supported"));
        }
        if trimmed.contains(MODULE) && self.middle.is_none() {
            return Err(bad(&format!(
                "it uses `{{module}}` but the tag pattern `{}` has none",
                self.pattern
            )));
        }
        if !without_module.is_empty()
            && without_module
                .split('/')
                .any(|c| c.is_empty() || c == "." || c == "..")
        {
            return Err(bad("it must not contain empty, `.` or `..` path segments"));
        }
        self.subdir = trimmed.to_owned();
        Ok(self)
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether tags under this pattern name a module.
    pub fn has_module(&self) -> bool {
        self.middle.is_some()
    }

    /// The tag this pattern gives a module version (`vpc`, 1.2.0 → `vpc/v1.2.0`).
    pub fn tag_for(&self, module: Option<&str>, version: &Version) -> String {
        match (&self.middle, module) {
            (Some(middle), Some(module)) => {
                format!("{}{module}{middle}{version}{}", self.prefix, self.suffix)
            }
            _ => format!("{}{version}{}", self.prefix, self.suffix),
        }
    }

    /// The directory (relative to the repository root, `""` for the root) a release publishes.
    pub fn subdir_for(&self, module: Option<&str>) -> String {
        self.subdir.replace(MODULE, module.unwrap_or_default())
    }

    pub(crate) fn classify(&self, tag: &str) -> TagMatch {
        let Some(rest) = tag
            .strip_prefix(self.prefix.as_str())
            .and_then(|r| r.strip_suffix(self.suffix.as_str()))
        else {
            return TagMatch::NotCandidate;
        };
        let Some(middle) = &self.middle else {
            return check(None, rest).unwrap_or(TagMatch::NotCandidate);
        };
        // The separator may also occur inside a module name (`a-v`) or a pre-release (`-vnext`),
        // so try each split, left to right, and take the first that is a valid release.
        let mut first_invalid = None;
        for (at, _) in rest.match_indices(middle.as_str()) {
            match check(Some(&rest[..at]), &rest[at + middle.len()..]) {
                Some(release @ TagMatch::Release { .. }) => return release,
                Some(invalid) => {
                    first_invalid.get_or_insert(invalid);
                }
                None => {}
            }
        }
        first_invalid.unwrap_or(TagMatch::NotCandidate)
    }
}

/// `None` when `version` does not even start like one (not a candidate); otherwise whether
/// `module` and `version` make a release.
fn check(module: Option<&str>, version: &str) -> Option<TagMatch> {
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Some(module) = module {
        if Name::parse(module).is_err() {
            return Some(TagMatch::Invalid(format!(
                "module `{module}` is not a valid module name (1–64 letters, digits, `-` or `_`)"
            )));
        }
    }
    Some(match Version::parse(version) {
        // `Version` prints canonically; anything else was not written canonically.
        Ok(parsed) if parsed.to_string() == version => TagMatch::Release {
            module: module.map(str::to_owned),
            version: parsed,
        },
        _ => TagMatch::Invalid(format!(
            "`{version}` is not a canonical semantic version such as `1.2.0` or `1.3.0-rc.1`"
        )),
    })
}

/// `Some([before, after])` when `needle` occurs exactly once in `haystack`.
fn split_once_exactly<'a>(haystack: &'a str, needle: &str) -> Option<[&'a str; 2]> {
    let (before, after) = haystack.split_once(needle)?;
    (!after.contains(needle)).then_some([before, after])
}
