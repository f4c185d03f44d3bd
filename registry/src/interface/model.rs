//! The module interface as stored in each release's manifest and served by the details API.
//!
//! Field names follow the public registry's module-details response (`root`, `submodules`,
//! `inputs`, `outputs`, `resources`, `dependencies`, `provider_dependencies`), so UIs and
//! updaters written for registry.terraform.io read ours unchanged.

use serde::{Deserialize, Serialize};

/// Everything a consumer can learn about a release without downloading it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModuleInterface {
    /// The module at the archive root.
    pub root: ModuleDoc,
    /// `modules/<name>/` directories, sorted by path.
    #[serde(default)]
    pub submodules: Vec<ModuleDoc>,
    /// `examples/<name>/` directories, sorted by path.
    #[serde(default)]
    pub examples: Vec<ModuleDoc>,
}

/// One Terraform module directory inside a release.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModuleDoc {
    /// Path relative to the archive root; empty for the root module.
    pub path: String,
    /// The directory's README.md, or empty.
    #[serde(default)]
    pub readme: String,
    /// True when the directory holds no `.tf` file.
    #[serde(default)]
    pub empty: bool,
    #[serde(default)]
    pub inputs: Vec<Input>,
    #[serde(default)]
    pub outputs: Vec<Output>,
    /// Module calls (`module "x" { source = … }`).
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    /// Entries of `terraform { required_providers { … } }`.
    #[serde(default)]
    pub provider_dependencies: Vec<ProviderDependency>,
    /// Managed resources (`resource "type" "name"`); data sources are not listed.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// `terraform { required_version = … }`, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_version: Option<String>,
}

/// A `variable` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub name: String,
    /// The type expression as written (`map(string)`), or `None` when the block has no type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_expr: Option<String>,
    #[serde(default)]
    pub description: String,
    /// The default as JSON when it is a literal, or the expression text as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// No default: the caller must set it.
    pub required: bool,
    #[serde(default)]
    pub sensitive: bool,
    /// Terraform's default is `true`.
    #[serde(default = "yes")]
    pub nullable: bool,
    /// Terraform 1.15's `deprecated = "…"`: callers that set it get this message as a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

fn yes() -> bool {
    true
}

/// An `output` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sensitive: bool,
    /// Terraform 1.15's `deprecated = "…"`: callers that refer to it get this message as a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
}

/// A `module` call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub version: String,
}

/// A `required_providers` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderDependency {
    /// Local name (`aws`).
    pub name: String,
    /// Registry namespace of the source (`hashicorp`), empty when unknown.
    #[serde(default)]
    pub namespace: String,
    /// Full source address as written (`hashicorp/aws`), empty when not given.
    #[serde(default)]
    pub source: String,
    /// Version constraint as written.
    #[serde(default)]
    pub version: String,
}

/// A managed resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: String,
}
