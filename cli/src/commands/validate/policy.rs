//! The organisation's rules for module calls, from the `[validate]` table of the first
//! `modreg.toml` or `.modreg.toml` found upward from the checked directory, with defaults:
//! versions pinned and bounded (MR020, MR021), only registry sources (MR022), the FinOps tag
//! keys on every call whose module takes `tags` (MR023), allowed environments (MR024).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

use super::config::ModuleCall;
use super::constraint::Constraints;
use super::diagnostic::Diagnostic;
use super::value::{Lit, Val};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Every registry module call has a `version`.
    pub require_version: bool,
    /// No constraint without an upper bound (`>= 1.0`).
    pub forbid_unbounded: bool,
    /// Non-registry sources allowed anyway, as prefixes (`git::https://github.com/acme/`).
    pub allowed_sources: Vec<String>,
    /// Tag keys every call whose module accepts `tags` must set (or `default_tags` supply).
    pub required_tags: Vec<String>,
    /// Values the `environment` tag may take; empty allows any.
    pub allowed_environments: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            require_version: true,
            forbid_unbounded: true,
            allowed_sources: Vec::new(),
            required_tags: ["cost_center", "environment", "application", "owner"]
                .map(str::to_owned)
                .to_vec(),
            allowed_environments: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    validate: Policy,
}

impl Policy {
    /// The policy of the first `modreg.toml`/`.modreg.toml` at or above `dir`, and its path;
    /// the defaults when there is none.
    pub fn find(dir: &Path) -> anyhow::Result<(Policy, Option<PathBuf>)> {
        let start = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
        for ancestor in start.ancestors() {
            for name in ["modreg.toml", ".modreg.toml"] {
                let path = ancestor.join(name);
                if path.is_file() {
                    return Ok((Policy::load(&path)?, Some(path)));
                }
            }
        }
        Ok((Policy::default(), None))
    }

    pub fn load(path: &Path) -> anyhow::Result<Policy> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the policy `{}`", path.display()))?;
        let file: File = toml::from_str(&text).with_context(|| {
            format!(
                "`{}` is not a valid policy: see docs/validate.md for the `[validate]` keys",
                path.display()
            )
        })?;
        Ok(file.validate)
    }

    /// MR020 and MR021 for a registry module call.
    pub fn check_version(
        &self,
        call: &ModuleCall,
        constraints: Option<&Constraints>,
        out: &mut Vec<Diagnostic>,
    ) {
        match (&call.version, constraints) {
            (None, _) if self.require_version => out.push(
                Diagnostic::new(
                    "MR020",
                    format!("module `{}` has no version constraint", call.name),
                    Some(call.span.clone()),
                )
                .help("add `version = \"~> X.Y\"`: without one, every `init` may install a new major version"),
            ),
            (Some((text, span)), Some(c)) if self.forbid_unbounded && c.is_unbounded() => out.push(
                Diagnostic::new(
                    "MR021",
                    format!("version constraint `{text}` of module `{}` has no upper bound", call.name),
                    Some(span.clone()),
                )
                .help("bound it, e.g. `~> X.Y` or `>= X.Y, < NEXT_MAJOR.0`, so a breaking release is not picked up unreviewed"),
            ),
            _ => {}
        }
    }

    /// MR022 for a source that is not a registry address; `outside` says whether a local
    /// path leaves the repository.
    pub fn check_source(
        &self,
        call: &ModuleCall,
        source: &str,
        outside: bool,
        out: &mut Vec<Diagnostic>,
    ) {
        if self
            .allowed_sources
            .iter()
            .any(|p| source.starts_with(p.as_str()))
        {
            return;
        }
        let what = if outside {
            "a local path outside the repository"
        } else {
            "not a registry address"
        };
        let span = call.source.as_ref().map(|(_, s)| s.clone());
        out.push(
            Diagnostic::new("MR022", format!("source `{source}` of module `{}` is {what}", call.name), span)
                .help("publish the module to the registry and call it by `host/namespace/name/system`, or list the source under `allowed_sources` in modreg.toml"),
        );
    }

    /// MR023 and MR024 for a call whose module accepts `tags`.
    pub fn check_tags(
        &self,
        call: &ModuleCall,
        default_tags: Option<&Val>,
        out: &mut Vec<Diagnostic>,
    ) {
        let tags = call.args.iter().find(|a| a.name == "tags");
        let given = tags.map(|t| &t.value);
        // A value that is not known (a function call, a module output) is not guessed at.
        if given.is_some_and(|v| !matches!(v.lit, Lit::Object(_))) {
            return;
        }
        let defaults_known = default_tags.is_none_or(|d| matches!(d.lit, Lit::Object(_)));
        if !defaults_known {
            return;
        }
        let has = |key: &str| {
            given.and_then(|v| v.attr(key)).is_some()
                || default_tags.and_then(|d| d.attr(key)).is_some()
        };
        let missing: Vec<&str> = self
            .required_tags
            .iter()
            .map(String::as_str)
            .filter(|k| !has(k))
            .collect();
        if !missing.is_empty() {
            let span = tags.map_or(call.span.clone(), |t| t.key_span.clone());
            let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            out.push(
                Diagnostic::new(
                    "MR023",
                    format!(
                        "module `{}` is called without the tag keys {}",
                        call.name,
                        keys.join(", ")
                    ),
                    Some(span),
                )
                .help(format!(
                    "set them in `tags`, or in the AWS provider's `default_tags`: {}",
                    missing
                        .iter()
                        .map(|k| format!("{k} = \"…\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        if self.allowed_environments.is_empty() {
            return;
        }
        let environment = given
            .and_then(|v| v.attr("environment"))
            .or_else(|| default_tags.and_then(|d| d.attr("environment")));
        if let Some(Val {
            lit: Lit::Str(Some(value)),
            span,
        }) = environment
        {
            if !self.allowed_environments.contains(value) {
                out.push(
                    Diagnostic::new(
                        "MR024",
                        format!(
                            "environment `{value}` of module `{}` is not an allowed environment",
                            call.name
                        ),
                        span.clone().or_else(|| Some(call.span.clone())),
                    )
                    .help(format!(
                        "use one of: {}",
                        self.allowed_environments.join(", ")
                    )),
                );
            }
        }
    }
}
