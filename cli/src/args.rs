//! The command line, as clap derive types; the doc comments are the help text.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use registry::settings::{EnvValue as _, StorageKind};

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
    /// Publish a module directory, a git release tag, or every unpublished release tag.
    Publish(PublishArgs),
    /// List the release tags of a git repository, and the tags skipped with the reason.
    Tags(TagsArgs),
    /// Deprecate a release (it stays installable), or take a deprecation back with --undo.
    Deprecate(DeprecateArgs),
    /// The interface diff between two releases and the semver verdict the publish gate gives.
    Diff(DiffArgs),
    /// Create, list and revoke API tokens (works on the data directory directly).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rebuild the index from the blob store.
    Reindex(ServerSettingsArgs),
    /// Write (or check) the generated inputs/outputs section of module READMEs.
    Docs(DocsArgs),
    /// Check module calls against the registry's published interfaces, before `init`.
    ///
    /// Exit 0 clean, 1 findings at or above --deny, 2 could not run.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Root module directories to check [default: .].
    pub dirs: Vec<PathBuf>,
    /// How to write the findings.
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::commands::validate::output::Format,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value = "error")]
    pub deny: crate::commands::validate::diagnostic::Severity,
    /// Use only the interface cache; report the calls it cannot check (MR011).
    #[arg(long)]
    pub offline: bool,
    /// Registry token for every host [default: TF_TOKEN_<host>, then the Terraform CLI
    /// config's `credentials` blocks].
    #[arg(long)]
    pub token: Option<String>,
    /// Interface cache [default: $XDG_CACHE_HOME/modreg or ~/.cache/modreg].
    #[arg(long, env = "MODREG_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Policy file [default: modreg.toml or .modreg.toml found upward from each DIR].
    #[arg(long)]
    pub policy: Option<PathBuf>,
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
    #[command(flatten)]
    pub storage: StorageArgs,
}

/// Where blobs and manifests live; AWS credentials come from the standard AWS chain.
#[derive(Debug, Args, Default, Clone)]
pub struct StorageArgs {
    /// `local` (files under --data-dir) or `s3` [default: local].
    #[arg(long, value_name = "KIND", value_parser = parse_storage_kind)]
    pub storage: Option<StorageKind>,
    /// S3 bucket (with --storage s3).
    #[arg(long, value_name = "NAME")]
    pub s3_bucket: Option<String>,
    /// Key prefix inside the bucket, e.g. `modreg/`.
    #[arg(long)]
    pub s3_prefix: Option<String>,
    /// AWS region of the bucket [default: from the AWS chain, e.g. AWS_REGION].
    #[arg(long)]
    pub s3_region: Option<String>,
    /// S3 API endpoint URL, for S3-compatible stores [default: AWS, or AWS_ENDPOINT_URL].
    #[arg(long, value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// Path-style addressing (`host/bucket/key`), for S3-compatible stores.
    #[arg(long)]
    pub s3_path_style: bool,
    /// KMS key (id, ARN or alias) for SSE-KMS [default: SSE-S3].
    #[arg(long, value_name = "KEY")]
    pub s3_kms_key_id: Option<String>,
}

fn parse_storage_kind(raw: &str) -> Result<StorageKind, String> {
    StorageKind::parse_env(raw)
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: ServerSettingsArgs,
    /// Address to listen on [default: 127.0.0.1:8443].
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Plain-HTTP address serving /metrics, /healthz and /readyz without a token (for the
    /// scraper and health checks) [default: none; /metrics on --listen then needs a token].
    #[arg(long)]
    pub ops_listen: Option<SocketAddr>,
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
    /// Point downloads at presigned S3 GET URLs instead of the registry's own archive route
    /// (with --storage s3; consumers must reach the bucket).
    #[arg(long)]
    pub s3_presigned_downloads: bool,
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

/// `modreg publish DIR --module … --version …`, `modreg publish --git-tag TAG` to publish a
/// release tag from the git objects of its commit, or `modreg publish --all-tags` for every
/// release tag not yet in the registry.
///
/// Exit codes: 0 all published (or already there), 1 some tag was refused by a gate or has
/// moved, 2 could not run.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The module directory to pack and upload (not with --git-tag or --all-tags).
    #[arg(required_unless_present_any = ["git_tag", "all_tags"], conflicts_with_all = ["git_tag", "all_tags"])]
    pub dir: Option<PathBuf>,
    /// Module address `namespace/name/system`. With --git-tag/--all-tags and a pattern
    /// containing `{module}` it defaults to `<namespace>/<module>/aws`.
    #[arg(long, required_unless_present_any = ["git_tag", "all_tags"])]
    pub module: Option<String>,
    /// Version to publish (semver, `v` prefix accepted); with --git-tag it comes from the tag.
    #[arg(long, required_unless_present_any = ["git_tag", "all_tags"], conflicts_with_all = ["git_tag", "all_tags"])]
    pub version: Option<String>,
    /// Publish this release tag (e.g. `vpc/v1.2.0`): the tarball is built from the tagged
    /// commit's git objects, and the source repo/tag/commit are recorded from the repository.
    #[arg(long, value_name = "TAG", conflicts_with = "all_tags")]
    pub git_tag: Option<String>,
    /// Publish every release tag of --repo that the registry does not have yet, lowest version
    /// first per module; one line per tag and a summary.
    #[arg(long)]
    pub all_tags: bool,
    /// With --git-tag/--all-tags: the git repository holding the tags.
    // `requires = "git_tag"` would be void here: clap drops a requirement that conflicts with
    // an argument present (DIR), so the git options conflict with DIR instead.
    #[arg(long, value_name = "DIR", default_value = ".", conflicts_with_all = ["dir", "version"])]
    pub repo: PathBuf,
    #[command(flatten)]
    pub pattern: TagPatternArgs,
    /// With --git-tag/--all-tags: the namespace of the default `--module`.
    #[arg(long, default_value = "platform", conflicts_with_all = ["dir", "version", "module"])]
    pub namespace: String,
    /// Registry base URL (not needed with --dry-run).
    #[arg(long, env = "MODREG_URL", required_unless_present = "dry_run")]
    pub url: Option<String>,
    /// Token with the `publish:<namespace>` scope (not needed with --dry-run).
    #[arg(
        long,
        env = "MODREG_TOKEN",
        hide_env_values = true,
        required_unless_present = "dry_run"
    )]
    pub token: Option<String>,
    /// Run the local gates and print the sha256 each release would have (the same on any
    /// clone of the same commit), without contacting the registry.
    #[arg(long)]
    pub dry_run: bool,
    /// Provenance recorded in the manifest: repository URL (with --source-tag and --source-commit).
    /// With --git-tag all three are taken from the repository instead.
    #[arg(long, requires_all = ["source_tag", "source_commit"], conflicts_with_all = ["git_tag", "all_tags"])]
    pub source_repo: Option<String>,
    /// Provenance: the git tag the release was cut from.
    #[arg(long, requires = "source_repo")]
    pub source_tag: Option<String>,
    /// Provenance: the commit the tag points at.
    #[arg(long, requires = "source_repo")]
    pub source_commit: Option<String>,
}

/// `modreg deprecate NS/NAME/SYSTEM VERSION --reason TEXT [--replacement VERSION]`, or
/// `--undo` to take the deprecation back. The version stays installable either way.
#[derive(Debug, Args)]
pub struct DeprecateArgs {
    /// Module address `namespace/name/system`.
    pub module: String,
    /// The release to deprecate.
    pub version: String,
    /// Why users should move off this version (shown by the details API and `modreg validate`).
    #[arg(long, required_unless_present = "undo", conflicts_with = "undo")]
    pub reason: Option<String>,
    /// The version to move to instead; it must be published.
    #[arg(long, conflicts_with = "undo")]
    pub replacement: Option<String>,
    /// Take the deprecation back.
    #[arg(long)]
    pub undo: bool,
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Where the registry is, and the token to use.
#[derive(Debug, Args, Clone)]
pub struct RegistryArgs {
    /// Registry base URL.
    #[arg(long, env = "MODREG_URL")]
    pub url: String,
    /// API token (`publish:<namespace>` or `admin` to change releases, any scope to read).
    #[arg(long, env = "MODREG_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// `modreg diff NS/NAME/SYSTEM V1 V2 --url URL` (two published releases),
/// `modreg diff OLD_DIR NEW_DIR` (two module directories) or
/// `modreg diff --git-tags OLD_TAG NEW_TAG [--repo DIR]` (two release tags).
///
/// Exit codes: 0 compatible, 1 breaking changes, 2 could not run.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// `NS/NAME/SYSTEM V1 V2` with --url; `OLD_DIR NEW_DIR`; or `OLD_TAG NEW_TAG` with --git-tags.
    #[arg(num_args = 2..=3, required = true, value_name = "ARGS")]
    pub args: Vec<String>,
    /// Compare two releases of this registry (token from MODREG_TOKEN or --token).
    #[arg(long, env = "MODREG_URL", conflicts_with = "git_tags")]
    pub url: Option<String>,
    /// Read token for --url.
    #[arg(long, env = "MODREG_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Compare two release tags of --repo, packed from their commits.
    #[arg(long)]
    pub git_tags: bool,
    /// With --git-tags: the git repository holding the tags.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub pattern: TagPatternArgs,
    /// `text` for people, `json` for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Which tags are releases, and which directory each one publishes.
#[derive(Debug, Args, Clone)]
pub struct TagPatternArgs {
    /// Release tag pattern: `v{version}` once, `{module}` at most once; other text is literal.
    #[arg(long, default_value = registry::git_tags::DEFAULT_TAG_PATTERN)]
    pub tag_pattern: String,
    /// Directory a release tag publishes [default: `modules/{module}`, or the repository root
    /// when the tag pattern has no `{module}`].
    #[arg(long)]
    pub subdir_pattern: Option<String>,
}

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// The git repository whose tags to list.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub pattern: TagPatternArgs,
    /// Compare with this registry: a STATE column says `new`, `published` or `moved` (the tag
    /// now points at another commit than its release; both commits shown).
    #[arg(long, env = "MODREG_URL")]
    pub url: Option<String>,
    /// Read token for --url.
    #[arg(long, env = "MODREG_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// With --url: the namespace releases are published into (`<namespace>/<module>/aws`).
    #[arg(long, default_value = "platform")]
    pub namespace: String,
    /// With --url and a pattern without `{module}`: the module address.
    #[arg(long)]
    pub module: Option<String>,
    /// Print JSON (`{"releases": [...], "skipped": [...]}`) instead of a table.
    #[arg(long)]
    pub json: bool,
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
    use clap::error::ErrorKind;
    use clap::{CommandFactory as _, Parser as _};

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    const REGISTRY: [&str; 4] = ["--url", "https://r.example", "--token", "t"];

    fn publish(args: &[&str]) -> Result<PublishArgs, clap::Error> {
        let argv = ["modreg", "publish"].iter().chain(args).chain(&REGISTRY);
        match Cli::try_parse_from(argv)?.command {
            Command::Publish(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn publishing_a_directory_needs_module_and_version() {
        let args = publish(&[
            "modules/vpc",
            "--module",
            "platform/vpc/aws",
            "--version",
            "1.0.0",
        ])
        .unwrap();
        assert_eq!(
            args.dir.as_deref(),
            Some(std::path::Path::new("modules/vpc"))
        );
        assert_eq!(args.git_tag, None);
        let err = publish(&["modules/vpc", "--module", "platform/vpc/aws"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingRequiredArgument);
        assert!(err.to_string().contains("--version"), "{err}");
    }

    #[test]
    fn publish_without_a_directory_or_a_git_tag_names_what_is_missing() {
        let err = publish(&[]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingRequiredArgument);
        let message = err.to_string();
        for missing in ["<DIR>", "--module", "--version"] {
            assert!(message.contains(missing), "{message}");
        }
    }

    #[test]
    fn a_git_tag_alone_is_enough_with_defaults_for_everything_else() {
        let args = publish(&["--git-tag", "vpc/v1.2.0"]).unwrap();
        assert_eq!(args.git_tag.as_deref(), Some("vpc/v1.2.0"));
        assert_eq!((args.dir, args.module, args.version), (None, None, None));
        assert_eq!(args.repo, PathBuf::from("."));
        assert_eq!(args.namespace, "platform");
        assert_eq!(args.pattern.tag_pattern, "{module}/v{version}");
        assert_eq!(args.pattern.subdir_pattern, None);
    }

    #[test]
    fn a_git_tag_takes_repo_patterns_and_namespace() {
        let args = publish(&[
            "--git-tag",
            "v2.0.0",
            "--repo",
            "../net",
            "--tag-pattern",
            "v{version}",
            "--subdir-pattern",
            "terraform",
            "--module",
            "net/core/aws",
        ])
        .unwrap();
        assert_eq!(args.repo, PathBuf::from("../net"));
        assert_eq!(args.pattern.subdir_pattern.as_deref(), Some("terraform"));
        assert_eq!(args.module.as_deref(), Some("net/core/aws"));
    }

    #[test]
    fn a_git_tag_conflicts_with_a_directory_a_version_and_manual_provenance() {
        for extra in [
            &["modules/vpc"][..],
            &["--version", "1.0.0"],
            &[
                "--source-repo",
                "r",
                "--source-tag",
                "t",
                "--source-commit",
                "c",
            ],
        ] {
            let mut argv = vec!["--git-tag", "vpc/v1.0.0"];
            argv.extend_from_slice(extra);
            let err = publish(&argv).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ArgumentConflict, "{extra:?}: {err}");
        }
        let err = publish(&[
            "--git-tag",
            "x/v1.0.0",
            "--module",
            "a/b/aws",
            "--namespace",
            "n",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ArgumentConflict);
    }

    #[test]
    fn git_options_without_a_git_tag_are_refused() {
        let dir = [
            "modules/vpc",
            "--module",
            "platform/vpc/aws",
            "--version",
            "1.0.0",
        ];
        for extra in [["--repo", "../net"], ["--namespace", "team"]] {
            let argv: Vec<&str> = dir.iter().chain(&extra).copied().collect();
            let err = publish(&argv).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::ArgumentConflict, "{extra:?}: {err}");
        }
    }

    #[test]
    fn serve_token_and_reindex_take_the_storage_flags() {
        let flags = [
            "--storage",
            "s3",
            "--s3-bucket",
            "releases",
            "--s3-path-style",
        ];
        for verb in [&["serve"][..], &["token", "list"], &["reindex"]] {
            let argv = ["modreg"].iter().chain(verb).chain(&flags);
            let common = match Cli::try_parse_from(argv).unwrap().command {
                Command::Serve(args) => args.common,
                Command::Token(TokenCommand::List { common }) | Command::Reindex(common) => common,
                other => panic!("parsed as {other:?}"),
            };
            assert_eq!(common.storage.storage, Some(StorageKind::S3), "{verb:?}");
            assert_eq!(common.storage.s3_bucket.as_deref(), Some("releases"));
            assert!(common.storage.s3_path_style);
        }
        let err = Cli::try_parse_from(["modreg", "reindex", "--storage", "gcs"]).unwrap_err();
        assert!(
            err.to_string().contains("expected `local` or `s3`"),
            "{err}"
        );
    }

    #[test]
    fn tags_defaults_to_the_current_directory_and_the_monorepo_pattern() {
        let Command::Tags(args) = Cli::try_parse_from(["modreg", "tags"]).unwrap().command else {
            panic!("not `tags`");
        };
        assert_eq!(args.repo, PathBuf::from("."));
        assert_eq!(args.pattern.tag_pattern, "{module}/v{version}");
        assert!(!args.json);
    }
}
