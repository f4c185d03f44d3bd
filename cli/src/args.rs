//! The command line, as clap derive types; the doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// modreg: a private Terraform module registry.
///
/// Exit codes: 0 success, 1 findings (e.g. `docs --check` found drift), 2 error.
#[derive(Debug, Parser)]
#[command(name = "modreg", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the registry.
    Serve(ServeArgs),
    /// Run a ready-to-use local registry: local CA, a read token, this repository's modules.
    Demo(DemoArgs),
    /// Publish a module directory as one release.
    Publish(PublishArgs),
    /// Create, list and revoke API tokens (works on the data directory directly).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rebuild the index from the blob store.
    Reindex(ServerSettingsArgs),
    /// Write (or check) the generated inputs/outputs section of module READMEs.
    Docs(DocsArgs),
}

/// Settings shared by every command that opens the registry's data (same names as the
/// config file keys and the `MODREG_*` variables).
#[derive(Debug, Args, Default, Clone)]
pub struct ServerSettingsArgs {
    /// TOML config file.
    #[arg(long, env = "MODREG_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the index, blobs and keys [default: .modreg].
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: ServerSettingsArgs,
    /// Address to listen on [default: 127.0.0.1:8443].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Base URL clients use (e.g. https://registry.internal).
    #[arg(long)]
    pub public_url: Option<String>,
    /// PEM certificate (chain) for HTTPS.
    #[arg(long)]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS.
    #[arg(long)]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP (only behind a TLS-terminating load balancer).
    #[arg(long)]
    pub plain_http: bool,
    /// Allow reads without a token.
    #[arg(long)]
    pub anonymous_read: bool,
    /// Lifetime of signed archive URLs in seconds [default: 300].
    #[arg(long)]
    pub archive_url_ttl_secs: Option<u64>,
    /// HTTP worker threads [default: one per core].
    #[arg(long)]
    pub workers: Option<usize>,
    /// Write one log line per request [default: true].
    #[arg(long)]
    pub access_log: Option<bool>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for the demo's data, CA and token [default: .modreg/demo].
    #[arg(long, default_value = ".modreg/demo")]
    pub data_dir: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8443")]
    pub listen: SocketAddr,
    /// Module directories to publish as `platform/<dir>/aws`.
    #[arg(long, default_value = "modules")]
    pub modules: PathBuf,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The module directory to pack and upload.
    pub dir: PathBuf,
    /// Module address `namespace/name/system`.
    #[arg(long)]
    pub module: String,
    /// Version to publish (semver, `v` prefix accepted).
    #[arg(long)]
    pub version: String,
    /// Registry base URL.
    #[arg(long, env = "MODREG_URL")]
    pub url: String,
    /// Token with the `publish:<namespace>` scope.
    #[arg(long, env = "MODREG_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Print what would be uploaded (files, size, sha256) without uploading.
    #[arg(long)]
    pub dry_run: bool,
    /// Provenance recorded in the manifest: repository URL (with --source-tag and --source-commit).
    #[arg(long, requires_all = ["source_tag", "source_commit"])]
    pub source_repo: Option<String>,
    /// Provenance: the git tag the release was cut from.
    #[arg(long, requires = "source_repo")]
    pub source_tag: Option<String>,
    /// Provenance: the commit the tag points at.
    #[arg(long, requires = "source_repo")]
    pub source_commit: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; prints only the token on stdout (it is shown once).
    Create {
        #[command(flatten)]
        common: ServerSettingsArgs,
        /// `read`, `publish:<namespace>` or `admin`; repeat for several.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// What the token is for (shown in `token list` and the audit log).
        #[arg(long)]
        description: String,
    },
    /// List tokens (never their secrets).
    List {
        #[command(flatten)]
        common: ServerSettingsArgs,
    },
    /// Revoke a token by id.
    Revoke {
        #[command(flatten)]
        common: ServerSettingsArgs,
        /// The token id shown by `token list` (`tok_…`).
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Module directories whose README.md to update.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Do not write; exit 1 if any README is out of date.
    #[arg(long)]
    pub check: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
