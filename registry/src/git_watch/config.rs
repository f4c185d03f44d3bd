//! `[[git.sources]]`: one watched repository, as written in the config file, and its checks.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Deserialize;

use crate::address::{Name, Namespace, System};
use crate::git_tags::{TagPattern, DEFAULT_TAG_PATTERN};

/// One watched repository. Secrets are read from files, never from the config itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitSource {
    /// Unique; used in the webhook URL (`/v1/hooks/git/{name}`), metrics and logs.
    pub name: String,
    /// A local path, `file://`, `https://`, `ssh://` or scp-style `git@host:org/repo.git`.
    pub url: String,
    /// The namespace releases are published into.
    pub namespace: String,
    #[serde(default = "default_system")]
    pub system: String,
    #[serde(default = "default_tag_pattern")]
    pub tag_pattern: String,
    /// Default `modules/{module}`, or the repository root when `tag_pattern` names no module.
    #[serde(default)]
    pub subdir_pattern: Option<String>,
    /// The module name when `tag_pattern` has no `{module}`; defaults to `name`.
    #[serde(default)]
    pub module: Option<String>,
    /// Seconds between fetches; 0 = only at start and on a webhook.
    #[serde(default = "default_poll_secs")]
    pub poll_secs: u64,
    /// File holding the GitHub webhook secret; without it the webhook route refuses deliveries.
    #[serde(default)]
    pub webhook_secret_file: Option<PathBuf>,
    /// File holding an HTTPS access token (sent as HTTP basic auth, user `x-access-token`).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// Private key file for `ssh://` and scp-style URLs.
    #[serde(default)]
    pub ssh_key_file: Option<PathBuf>,
}

fn default_system() -> String {
    "aws".into()
}

fn default_tag_pattern() -> String {
    DEFAULT_TAG_PATTERN.into()
}

fn default_poll_secs() -> u64 {
    300
}

/// How a URL is fetched, which decides the credentials that make sense for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Local,
    Https,
    Ssh,
}

/// The transport a URL uses.
pub(super) fn transport_of(url: &str) -> Transport {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Transport::Https
    } else if lower.starts_with("ssh://") || is_scp_like(url) {
        Transport::Ssh
    } else {
        Transport::Local
    }
}

impl GitSource {
    pub fn transport(&self) -> Transport {
        transport_of(&self.url)
    }

    /// The tag pattern with its subdirectory template.
    pub fn pattern(&self) -> Result<TagPattern, String> {
        let pattern = TagPattern::parse(&self.tag_pattern).map_err(|e| e.to_string())?;
        match &self.subdir_pattern {
            Some(subdir) => pattern.with_subdir(subdir).map_err(|e| e.to_string()),
            None => Ok(pattern),
        }
    }
}

/// `user@host:path` (git's scp-like syntax): a colon before any slash, and not a drive letter.
fn is_scp_like(url: &str) -> bool {
    if url.contains("://") {
        return false;
    }
    match (url.find(':'), url.find('/')) {
        (Some(colon), slash) => colon > 1 && slash.is_none_or(|s| colon < s),
        (None, _) => false,
    }
}

/// Checks every source on its own and that names are unique; the message names the source.
pub fn check_sources(sources: &[GitSource]) -> Result<(), String> {
    let mut names = HashSet::new();
    for source in sources {
        let bad = |what: String| format!("[[git.sources]] `{}`: {what}", source.name);
        Name::parse(&source.name).map_err(|e| {
            format!(
                "[[git.sources]] name `{}` is invalid ({e}): it appears in the webhook URL",
                source.name
            )
        })?;
        if !names.insert(source.name.as_str()) {
            return Err(format!(
                "[[git.sources]] `{}` is configured twice: names must be unique",
                source.name
            ));
        }
        if source.url.trim().is_empty() {
            return Err(bad("`url` is empty".into()));
        }
        Namespace::parse(&source.namespace).map_err(|e| bad(format!("`namespace`: {e}")))?;
        System::parse(&source.system).map_err(|e| bad(format!("`system`: {e}")))?;
        let pattern = source.pattern().map_err(bad)?;
        if !pattern.has_module() {
            let module = source.module.as_deref().unwrap_or(&source.name);
            Name::parse(module).map_err(|e| bad(format!("`module`: {e}")))?;
        } else if source.module.is_some() {
            return Err(bad(format!(
                "`module` applies only when `tag_pattern` names no module, and `{}` does",
                source.tag_pattern
            )));
        }
        match (source.transport(), &source.token_file, &source.ssh_key_file) {
            (_, Some(_), Some(_)) => {
                return Err(bad("give `token_file` or `ssh_key_file`, not both".into()))
            }
            (Transport::Https, _, Some(_)) => {
                return Err(bad("`ssh_key_file` needs an ssh:// or scp-style url".into()))
            }
            (Transport::Ssh | Transport::Local, Some(_), _) => {
                return Err(bad("`token_file` needs an https:// url".into()))
            }
            (Transport::Local, _, Some(_)) => {
                return Err(bad("`ssh_key_file` needs an ssh:// or scp-style url".into()))
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(url: &str) -> GitSource {
        toml::from_str(&format!(
            "name = \"infra\"\nurl = \"{url}\"\nnamespace = \"platform\"\n"
        ))
        .unwrap()
    }

    #[test]
    fn urls_are_classified_by_transport() {
        for (url, transport) in [
            ("https://github.com/org/infra.git", Transport::Https),
            ("ssh://git@github.com/org/infra.git", Transport::Ssh),
            ("git@github.com:org/infra.git", Transport::Ssh),
            ("/srv/git/infra.git", Transport::Local),
            ("file:///srv/git/infra.git", Transport::Local),
            ("../infra", Transport::Local),
        ] {
            assert_eq!(source(url).transport(), transport, "{url}");
        }
    }

    #[test]
    fn credentials_must_fit_the_transport() {
        let mut s = source("/srv/git/infra.git");
        s.token_file = Some("t".into());
        let err = check_sources(&[s]).unwrap_err();
        assert_eq!(
            err,
            "[[git.sources]] `infra`: `token_file` needs an https:// url"
        );
        let mut s = source("https://git.example/infra.git");
        s.ssh_key_file = Some("k".into());
        assert!(check_sources(&[s])
            .unwrap_err()
            .contains("`ssh_key_file` needs an ssh://"));
    }

    #[test]
    fn a_bad_pattern_or_namespace_names_the_source() {
        let mut s = source("/x");
        s.tag_pattern = "{module}/{version}".into();
        assert!(check_sources(&[s])
            .unwrap_err()
            .starts_with("[[git.sources]] `infra`: invalid tag pattern"));
        let mut s = source("/x");
        s.namespace = "Not Valid".into();
        assert!(check_sources(&[s]).unwrap_err().contains("`namespace`"));
    }
}
