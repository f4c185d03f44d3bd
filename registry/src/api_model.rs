//! The JSON bodies of the module registry protocol and of the extended registry API, as typed
//! structs: the server serializes them, the CLI's client and the UI deserialize the same types,
//! so the two sides cannot drift apart.
//!
//! Field names are the public registry's (registry.terraform.io), so tools written for it read
//! ours unchanged. Fields a reader may not find in another registry's answer are optional.

use serde::{Deserialize, Serialize};

use crate::interface::ModuleDoc;

/// `/.well-known/terraform.json`: where each service lives (relative URLs resolve against the
/// discovery URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    #[serde(
        rename = "modules.v1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub modules_v1: Option<String>,
}

/// `GET <modules.v1><namespace>/<name>/<system>/versions`. Always one element in `modules`,
/// as the protocol asks of third-party registries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionsBody {
    pub modules: Vec<VersionsModule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionsModule {
    pub versions: Vec<VersionEntry>,
}

/// One published version. Terraform reads only `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEntry {
    pub version: String,
    /// modreg's extension: the archive's sha256, so a client can tell whether its cached
    /// interface of this release is still the one the registry serves without fetching it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl VersionsBody {
    /// The versions of the first (only) module, as listed.
    pub fn versions(&self) -> impl Iterator<Item = &VersionEntry> {
        self.modules.iter().take(1).flat_map(|m| m.versions.iter())
    }
}

/// Any 4xx/5xx answer: `{"errors":["…"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub errors: Vec<String>,
}

impl ErrorBody {
    pub fn new(message: impl Into<String>) -> Self {
        ErrorBody {
            errors: vec![message.into()],
        }
    }

    /// The messages joined for one line of output.
    pub fn message(&self) -> String {
        self.errors.join("; ")
    }
}

/// One module in a list or search page (the latest version of each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleSummaryBody {
    /// `namespace/name/system/version`.
    pub id: String,
    #[serde(default)]
    pub owner: String,
    pub namespace: String,
    pub name: String,
    pub version: String,
    /// The public registry's word for the system.
    pub provider: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub published_at: String,
    #[serde(default)]
    pub downloads: u64,
    #[serde(default)]
    pub verified: bool,
    /// The shown (latest) version's deprecation; absent when it is not deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation: Option<Deprecation>,
}

/// Paging of a list or search page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMeta {
    pub limit: u64,
    pub current_offset: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_offset: Option<u64>,
    /// modreg's extension: how many modules match in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// `GET <modules.v1>`, `…/search`, `…/<namespace>`, `…/<namespace>/<name>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleListBody {
    pub meta: PageMeta,
    pub modules: Vec<ModuleSummaryBody>,
}

/// Why a release should no longer be used, when its publisher said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deprecation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to use instead (another module or version), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// When it was deprecated (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Who deprecated it (the token's description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// `GET <modules.v1><namespace>/<name>/<system>[/<version>]`: one release with its interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModuleDetailsBody {
    pub id: String,
    #[serde(default)]
    pub owner: String,
    pub namespace: String,
    pub name: String,
    pub version: String,
    pub provider: String,
    #[serde(default)]
    pub description: String,
    /// Repository the release was cut from, or empty.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub commit: String,
    #[serde(default)]
    pub published_at: String,
    #[serde(default)]
    pub publisher: String,
    /// Hex sha256 of the archive.
    #[serde(default)]
    pub sha256: String,
    #[serde(default)]
    pub size: u64,
    /// The bare deprecation reason older registries sent; this one sends `deprecation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// `{"reason", "replacement", "at", "by"}`; absent when not deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecation: Option<Deprecation>,
    /// The version's section of the module's CHANGELOG.md, `null` when it has none.
    #[serde(default)]
    pub changelog: Option<String>,
    #[serde(default)]
    pub verified: bool,
    pub root: ModuleDoc,
    #[serde(default)]
    pub submodules: Vec<ModuleDoc>,
    #[serde(default)]
    pub examples: Vec<ModuleDoc>,
    /// Systems (providers) the module's root depends on.
    #[serde(default)]
    pub providers: Vec<String>,
    /// Every published version of this module.
    #[serde(default)]
    pub versions: Vec<String>,
}

impl ModuleDetailsBody {
    /// The deprecation, whichever of the two fields the registry filled.
    pub fn deprecation(&self) -> Option<Deprecation> {
        self.deprecation.clone().or_else(|| {
            self.deprecated.as_ref().map(|reason| Deprecation {
                reason: Some(reason.clone()).filter(|r| !r.is_empty()),
                replacement: None,
                at: None,
                by: None,
            })
        })
    }

    /// The module directory at `subdir` (`""` for the root): the root, a submodule or an
    /// example, as a `//subdir` in a module source names it.
    pub fn module_at(&self, subdir: &str) -> Option<&ModuleDoc> {
        let subdir = subdir.trim_matches('/');
        if subdir.is_empty() {
            return Some(&self.root);
        }
        self.submodules
            .iter()
            .chain(&self.examples)
            .find(|doc| doc.path == subdir)
    }
}

/// `PUT <modules.v1><namespace>/<name>/<system>/<version>`: what was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedBody {
    pub id: String,
    /// `created` or `unchanged` (the same bytes were already published).
    pub outcome: String,
    pub sha256: String,
    pub size: u64,
    pub published_at: String,
    pub publisher: String,
    /// Counts of the root module's inputs, outputs and resources.
    pub inputs: usize,
    pub outputs: usize,
    pub resources: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_versions_body_from_another_registry_parses() {
        let body: VersionsBody =
            serde_json::from_str(r#"{"modules":[{"versions":[{"version":"1.0.0"}]}]}"#).unwrap();
        let versions: Vec<_> = body.versions().map(|v| v.version.as_str()).collect();
        assert_eq!(versions, ["1.0.0"]);
        assert_eq!(body.modules[0].versions[0].sha256, None);
    }

    #[test]
    fn deprecation_reads_either_field() {
        let mut body: ModuleDetailsBody = serde_json::from_value(serde_json::json!({
            "id": "a/b/c/1.0.0", "namespace": "a", "name": "b", "version": "1.0.0",
            "provider": "c", "root": { "path": "" }, "deprecated": "CVE-1"
        }))
        .unwrap();
        assert_eq!(body.deprecation().unwrap().reason.as_deref(), Some("CVE-1"));
        body.deprecation = Some(Deprecation {
            reason: Some("moved".into()),
            replacement: Some("a/d/c".into()),
            at: None,
            by: None,
        });
        assert_eq!(
            body.deprecation().unwrap().replacement.as_deref(),
            Some("a/d/c")
        );
        body.deprecated = None;
        body.deprecation = None;
        assert_eq!(body.deprecation(), None);
    }
}
