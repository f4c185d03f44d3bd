//! Typed configuration: defaults < TOML file < `MODREG_*` environment < command-line flags.
//!
//! Every setting has one name used everywhere: `data_dir` in the file, `MODREG_DATA_DIR` in the
//! environment, `--data-dir` on the command line. Unknown file keys and unknown `MODREG_*`
//! variables are errors, so a typo never silently falls back to a default.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Variables that start with `MODREG_` but configure the client side or select the file.
const NON_SETTING_VARS: &[&str] = &["MODREG_CONFIG", "MODREG_URL", "MODREG_TOKEN", "MODREG_LOG"];

/// Why the configuration could not be loaded; each message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read config file `{path}`")]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file `{path}` is invalid: {message}")]
    BadFile { path: PathBuf, message: String },
    #[error("environment variable `{var}` is not a known setting; known settings: {known}")]
    UnknownVar { var: String, known: String },
    #[error("environment variable `{var}`=`{value}` is invalid: {message}")]
    BadVar {
        var: String,
        value: String,
        message: String,
    },
    #[error("{0}")]
    Inconsistent(String),
}

/// A value that can be given as one environment variable.
pub trait EnvValue: Sized {
    fn parse_env(raw: &str) -> Result<Self, String>;
}

macro_rules! env_from_str {
    ($($ty:ty),*) => {$(
        impl EnvValue for $ty {
            fn parse_env(raw: &str) -> Result<Self, String> {
                raw.parse().map_err(|e| format!("{e}"))
            }
        }
    )*};
}
env_from_str!(u64, u32, usize, String, PathBuf, SocketAddr);

impl EnvValue for bool {
    fn parse_env(raw: &str) -> Result<Self, String> {
        match raw.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err("expected true or false".into()),
        }
    }
}

impl<T: EnvValue> EnvValue for Option<T> {
    fn parse_env(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            Ok(None)
        } else {
            T::parse_env(raw).map(Some)
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl EnvValue for LogFormat {
    fn parse_env(raw: &str) -> Result<Self, String> {
        match raw {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => Err("expected `text` or `json`".into()),
        }
    }
}

/// Where blobs and manifests live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    /// Files under `data_dir/blobs`, for one machine.
    Local,
    /// Objects in an S3 bucket, the source of truth for replicas.
    S3,
}

impl EnvValue for StorageKind {
    fn parse_env(raw: &str) -> Result<Self, String> {
        match raw {
            "local" => Ok(Self::Local),
            "s3" => Ok(Self::S3),
            _ => Err("expected `local` or `s3`".into()),
        }
    }
}

macro_rules! settings {
    ($( $(#[doc = $doc:literal])* $field:ident : $ty:ty = $default:expr; )*) => {
        /// The resolved configuration of one registry process.
        #[derive(Debug, Clone)]
        pub struct Settings {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        /// One layer of partial settings (file, environment or flags); `None` = not given.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Layer {
            $( pub $field: Option<$ty>, )*
        }

        impl Layer {
            /// `top` wins wherever it sets a value.
            pub fn under(self, top: Layer) -> Layer {
                Layer { $( $field: top.$field.or(self.$field), )* }
            }

            fn from_env(vars: &BTreeMap<String, String>) -> Result<Layer, SettingsError> {
                let mut layer = Layer::default();
                for (var, value) in vars {
                    if !var.starts_with("MODREG_") || NON_SETTING_VARS.contains(&var.as_str()) {
                        continue;
                    }
                    let key = var["MODREG_".len()..].to_ascii_lowercase();
                    match key.as_str() {
                        $( stringify!($field) => {
                            layer.$field = Some(<$ty as EnvValue>::parse_env(value).map_err(|message| {
                                SettingsError::BadVar { var: var.clone(), value: value.clone(), message }
                            })?);
                        } )*
                        _ => return Err(SettingsError::UnknownVar {
                            var: var.clone(),
                            known: Self::KEYS.iter().map(|k| format!("MODREG_{}", k.to_ascii_uppercase())).collect::<Vec<_>>().join(", "),
                        }),
                    }
                }
                Ok(layer)
            }

            const KEYS: &'static [&'static str] = &[$( stringify!($field) ),*];

            fn resolve(self) -> Settings {
                Settings { $( $field: self.$field.unwrap_or_else(|| $default), )* }
            }
        }
    };
}

settings! {
    /// Directory for the SQLite index, local blobs, the signing key and the demo CA.
    data_dir: PathBuf = PathBuf::from(".modreg");
    /// Address to listen on.
    listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8443));
    /// Plain-HTTP address for the scraper and the load balancer's health checks: `/metrics`,
    /// `/healthz` and `/readyz`, no token. Unset: no such listener, and `/metrics` on `listen`
    /// needs read access, like the catalogue whose names and counts it shows.
    ops_listen: Option<SocketAddr> = None;
    /// Base URL clients use to reach this registry (`https://registry.internal`); derived from
    /// `listen` when unset. Used in signed archive URLs and the UI.
    public_url: Option<String> = None;
    /// PEM certificate chain for HTTPS.
    tls_cert: Option<PathBuf> = None;
    /// PEM private key for HTTPS.
    tls_key: Option<PathBuf> = None;
    /// Serve plain HTTP (only behind a TLS-terminating load balancer).
    plain_http: bool = false;
    /// Let requests without a token read modules.
    anonymous_read: bool = false;
    /// Lifetime of signed archive URLs, in seconds.
    archive_url_ttl_secs: u64 = 300;
    /// File holding the archive-URL signing key (generated on first start when missing).
    /// Replicas behind one load balancer must share it.
    signing_key_file: Option<PathBuf> = None;
    /// Largest accepted upload (compressed tarball), in bytes.
    max_upload_bytes: u64 = 20 * 1024 * 1024;
    /// Largest total uncompressed size of an archive, in bytes.
    max_uncompressed_bytes: u64 = 100 * 1024 * 1024;
    /// Most entries in an archive.
    max_archive_entries: usize = 5_000;
    /// HTTP worker threads; 0 = one per core.
    workers: usize = 0;
    /// `text` or `json`.
    log_format: LogFormat = LogFormat::Text;
    /// Write one info line per request.
    access_log: bool = true;
    /// Seconds between writes of the batched download counts to the index (also written on
    /// shutdown); a crash loses at most this much counting.
    download_flush_secs: u64 = 30;
    /// Seconds between rounds of replica sync: changes made through other replicas or
    /// `modreg token` (releases, deprecations, tokens) are served here within this long.
    sync_secs: u64 = 5;
    /// Git repositories the registry watches and publishes release tags from
    /// (`[[git.sources]]` tables; config file only, see `git_watch::GitSource`).
    git: GitSettings = GitSettings::default();

    /// Where blobs and manifests live: `local` (under `data_dir`) or `s3`.
    storage: StorageKind = StorageKind::Local;
    /// S3 bucket; required with `storage = "s3"`.
    s3_bucket: Option<String> = None;
    /// Key prefix inside the bucket (`modreg/`), so one bucket can hold several registries.
    s3_prefix: String = String::new();
    /// AWS region of the bucket; from the AWS chain (`AWS_REGION`, profile) when unset.
    s3_region: Option<String> = None;
    /// S3 API endpoint (an S3-compatible store, a VPC endpoint); `AWS_ENDPOINT_URL` also works.
    s3_endpoint: Option<String> = None;
    /// Path-style addressing (`host/bucket/key`), for S3-compatible stores.
    s3_path_style: bool = false;
    /// KMS key (id, ARN or alias) for SSE-KMS; SSE-S3 when unset.
    s3_kms_key_id: Option<String> = None;
    /// Downloads point at presigned S3 GET URLs (valid `archive_url_ttl_secs`) instead of the
    /// registry's own signed archive route; for buckets the consumers can reach.
    s3_presigned_downloads: bool = false;
}

/// The `[git]` table of the config file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GitSettings {
    #[serde(default)]
    pub sources: Vec<crate::git_watch::GitSource>,
}

impl EnvValue for GitSettings {
    fn parse_env(_raw: &str) -> Result<Self, String> {
        Err("git sources are configured as `[[git.sources]]` tables in the config file".into())
    }
}

impl Settings {
    /// Loads defaults < `config_file` < `env` (`MODREG_*`) < `flags`, then checks consistency.
    pub fn load(
        config_file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: Layer,
    ) -> Result<Settings, SettingsError> {
        let file = match config_file {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| SettingsError::ReadFile {
                        path: path.to_owned(),
                        source,
                    })?;
                toml::from_str::<Layer>(&text).map_err(|e| SettingsError::BadFile {
                    path: path.to_owned(),
                    message: e.message().to_owned(),
                })?
            }
            None => Layer::default(),
        };
        let env: BTreeMap<String, String> = env.into_iter().collect();
        let settings = file.under(Layer::from_env(&env)?).under(flags).resolve();
        settings.check()?;
        Ok(settings)
    }

    /// Serving needs either a certificate and key, or an explicit `plain_http`.
    pub fn check_listener(&self) -> Result<(), SettingsError> {
        match (&self.tls_cert, &self.tls_key, self.plain_http) {
            (Some(_), Some(_), false) | (None, None, true) => {}
            (None, None, false) => {
                return Err(SettingsError::Inconsistent(
                    "HTTPS needs a certificate: pass --tls-cert and --tls-key (PEM files), or \
                     --plain-http when a load balancer terminates TLS in front of the registry"
                        .into(),
                ))
            }
            (_, _, true) => {
                return Err(SettingsError::Inconsistent(
                    "--plain-http cannot be combined with --tls-cert/--tls-key: choose one".into(),
                ))
            }
            _ => {
                return Err(SettingsError::Inconsistent(
                    "--tls-cert and --tls-key must be given together".into(),
                ))
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), SettingsError> {
        self.check_storage()?;
        if self.sync_secs == 0 || self.sync_secs > 3600 {
            return Err(SettingsError::Inconsistent(format!(
                "sync_secs = {} is out of range: use 1..=3600 seconds",
                self.sync_secs
            )));
        }
        if self.download_flush_secs == 0 {
            return Err(SettingsError::Inconsistent(
                "download_flush_secs must be at least 1".into(),
            ));
        }
        if self.archive_url_ttl_secs == 0 || self.archive_url_ttl_secs > 86_400 {
            return Err(SettingsError::Inconsistent(format!(
                "archive_url_ttl_secs = {} is out of range: use 1..=86400 seconds",
                self.archive_url_ttl_secs
            )));
        }
        crate::git_watch::check_sources(&self.git.sources).map_err(SettingsError::Inconsistent)?;
        if let Some(url) = &self.public_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(SettingsError::Inconsistent(format!(
                    "public_url `{url}` must start with https:// (or http:// behind a proxy)"
                )));
            }
        }
        Ok(())
    }

    /// `storage = "s3"` needs a bucket; S3 settings without it are a mistake, not a default.
    fn check_storage(&self) -> Result<(), SettingsError> {
        let s3_keys_set = [
            ("s3_bucket", self.s3_bucket.is_some()),
            ("s3_prefix", !self.s3_prefix.is_empty()),
            ("s3_region", self.s3_region.is_some()),
            ("s3_endpoint", self.s3_endpoint.is_some()),
            ("s3_path_style", self.s3_path_style),
            ("s3_kms_key_id", self.s3_kms_key_id.is_some()),
            ("s3_presigned_downloads", self.s3_presigned_downloads),
        ];
        match self.storage {
            StorageKind::S3 if self.s3_bucket.as_deref().is_none_or(str::is_empty) => {
                Err(SettingsError::Inconsistent(
                    "storage = \"s3\" needs a bucket: set s3_bucket (MODREG_S3_BUCKET, --s3-bucket)"
                        .into(),
                ))
            }
            StorageKind::Local => match s3_keys_set.iter().find(|(_, set)| *set) {
                Some((key, _)) => Err(SettingsError::Inconsistent(format!(
                    "{key} is set but storage = \"local\": set storage = \"s3\" (MODREG_STORAGE, --storage s3) to use the bucket, or remove {key}"
                ))),
                None => Ok(()),
            },
            StorageKind::S3 => Ok(()),
        }
    }

    /// The base URL clients use, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => {
                let scheme = if self.plain_http { "http" } else { "https" };
                format!("{scheme}://{}", self.listen)
            }
        }
    }

    /// The HTTP worker threads the server starts: `workers`, or one per core when it is 0.
    pub fn http_workers(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    pub fn index_path(&self) -> PathBuf {
        self.data_dir.join("index.sqlite3")
    }

    /// Where replica sync keeps its position in the change log across restarts.
    pub fn sync_cursor_path(&self) -> PathBuf {
        self.data_dir.join("sync-cursor")
    }

    pub fn blobs_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }

    /// Where the bare mirrors of watched git repositories live (one per source).
    pub fn git_mirrors_dir(&self) -> PathBuf {
        self.data_dir.join("git")
    }

    pub fn signing_key_path(&self) -> PathBuf {
        self.signing_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("signing.key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn plain() -> Layer {
        Layer {
            plain_http: Some(true),
            ..Layer::default()
        }
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("modreg.toml");
        std::fs::write(
            &file,
            "archive_url_ttl_secs = 10\nanonymous_read = true\nplain_http = true\n",
        )
        .unwrap();
        let flags = Layer {
            archive_url_ttl_secs: Some(30),
            ..Layer::default()
        };
        let s = Settings::load(
            Some(&file),
            env(&[
                ("MODREG_ARCHIVE_URL_TTL_SECS", "20"),
                ("MODREG_ANONYMOUS_READ", "false"),
            ]),
            flags,
        )
        .unwrap();
        assert_eq!(s.archive_url_ttl_secs, 30);
        assert!(!s.anonymous_read);
    }

    #[test]
    fn unknown_file_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("modreg.toml");
        std::fs::write(&file, "data_dri = \"x\"\n").unwrap();
        let err = Settings::load(Some(&file), env(&[]), plain()).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `data_dri`"),
            "{err}"
        );
    }

    #[test]
    fn unknown_modreg_variables_are_errors_naming_the_known_ones() {
        let err = Settings::load(None, env(&[("MODREG_DATADIR", "/x")]), plain()).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("MODREG_DATADIR") && msg.contains("MODREG_DATA_DIR"),
            "{msg}"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Settings::load(None, env(&[("MODREG_LISTEN", "nope")]), plain()).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("environment variable `MODREG_LISTEN`=`nope`"));
    }

    #[test]
    fn sync_secs_defaults_to_five_and_refuses_zero() {
        let s = Settings::load(None, env(&[]), plain()).unwrap();
        assert_eq!(s.sync_secs, 5);
        let s = Settings::load(None, env(&[("MODREG_SYNC_SECS", "1")]), plain()).unwrap();
        assert_eq!(s.sync_secs, 1);
        let err = Settings::load(None, env(&[("MODREG_SYNC_SECS", "0")]), plain()).unwrap_err();
        assert!(
            err.to_string()
                .contains("sync_secs = 0 is out of range: use 1..=3600"),
            "{err}"
        );
    }

    #[test]
    fn https_without_a_certificate_says_how_to_fix_it() {
        let settings = Settings::load(None, env(&[]), Layer::default()).unwrap();
        let err = settings.check_listener().unwrap_err();
        assert!(err.to_string().contains("--tls-cert"), "{err}");
    }

    #[test]
    fn git_sources_take_defaults_and_refuse_duplicate_names() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("modreg.toml");
        let source = "[[git.sources]]\nname = \"infra\"\nurl = \"https://git.example/infra.git\"\nnamespace = \"platform\"\n";
        std::fs::write(&file, source).unwrap();
        let s = Settings::load(Some(&file), env(&[]), plain()).unwrap();
        let infra = &s.git.sources[0];
        assert_eq!(
            (
                infra.system.as_str(),
                infra.tag_pattern.as_str(),
                infra.poll_secs
            ),
            ("aws", "{module}/v{version}", 300)
        );
        assert_eq!(infra.subdir_pattern, None);
        std::fs::write(&file, format!("{source}{source}")).unwrap();
        let err = Settings::load(Some(&file), env(&[]), plain()).unwrap_err();
        assert!(
            err.to_string().contains("`infra` is configured twice"),
            "{err}"
        );
        std::fs::write(&file, source.replace("url", "uri")).unwrap();
        let err = Settings::load(Some(&file), env(&[]), plain()).unwrap_err();
        assert!(err.to_string().contains("unknown field `uri`"), "{err}");
    }

    #[test]
    fn s3_storage_is_configured_from_the_file_and_the_environment() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("modreg.toml");
        std::fs::write(
            &file,
            "storage = \"s3\"\ns3_bucket = \"releases\"\ns3_prefix = \"modreg/\"\n",
        )
        .unwrap();
        let s = Settings::load(
            Some(&file),
            env(&[
                ("MODREG_S3_PATH_STYLE", "true"),
                ("MODREG_S3_KMS_KEY_ID", "alias/modreg"),
                ("MODREG_S3_PRESIGNED_DOWNLOADS", "true"),
            ]),
            plain(),
        )
        .unwrap();
        assert!(s.s3_presigned_downloads);
        assert_eq!(s.storage, StorageKind::S3);
        assert_eq!(s.s3_bucket.as_deref(), Some("releases"));
        assert_eq!(s.s3_prefix, "modreg/");
        assert!(s.s3_path_style);
        assert_eq!(s.s3_kms_key_id.as_deref(), Some("alias/modreg"));
    }

    #[test]
    fn s3_storage_without_a_bucket_or_s3_keys_without_s3_storage_are_errors() {
        let err = Settings::load(None, env(&[("MODREG_STORAGE", "s3")]), plain()).unwrap_err();
        assert!(err.to_string().contains("set s3_bucket"), "{err}");
        let err = Settings::load(None, env(&[("MODREG_S3_BUCKET", "b")]), plain()).unwrap_err();
        assert!(err.to_string().contains("storage = \"s3\""), "{err}");
        let presigned = env(&[("MODREG_S3_PRESIGNED_DOWNLOADS", "true")]);
        let err = Settings::load(None, presigned, plain()).unwrap_err();
        assert!(
            err.to_string()
                .contains("s3_presigned_downloads is set but storage = \"local\""),
            "{err}"
        );
        let err = Settings::load(None, env(&[("MODREG_STORAGE", "S3")]), plain()).unwrap_err();
        assert!(
            err.to_string().contains("expected `local` or `s3`"),
            "{err}"
        );
    }

    #[test]
    fn base_url_follows_scheme_and_listen_address() {
        let s = Settings::load(None, env(&[("MODREG_LISTEN", "127.0.0.1:9000")]), plain()).unwrap();
        assert_eq!(s.base_url(), "http://127.0.0.1:9000");
    }
}
