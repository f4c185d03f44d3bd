//! Fetching a watched repository into its bare mirror with the machine's `git` CLI.
//!
//! Why the CLI and not libgit2: git2 is built without its network features here, because its
//! HTTPS and SSH transports need OpenSSL and libssh2 system libraries a fresh machine does not
//! have. The `git` CLI speaks every transport operators already use (HTTPS with proxies and
//! system CAs, SSH with their agent-free key files), and reading objects stays in git2
//! (`git_tags`). The fetch runs as an async child process, so no worker thread waits on it.
//!
//! Secrets never reach argv or the log: a token travels as an `http.extraHeader` set through
//! `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_0`/`GIT_CONFIG_VALUE_0` (environment-supplied config),
//! an SSH key as `GIT_SSH_COMMAND` (with the registry's own `known_hosts` beside the mirrors).
//! Git's own output is scrubbed of any credentials embedded in the URL before it appears in an
//! error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use tokio::process::Command;

use super::config::{GitSource, Transport};
use crate::git_tags::strip_credentials;

/// A fetch that takes longer is abandoned (and retried with backoff).
const FETCH_TIMEOUT: Duration = Duration::from_secs(600);

/// Why a fetch failed; the message names the source and says what to check.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "git source `{source_name}`: cannot run `git` ({cause}): install git on the registry host"
    )]
    NoGit { source_name: String, cause: String },
    #[error("git source `{source_name}`: cannot read {what} `{}`: {cause}", path.display())]
    Secret {
        source_name: String,
        what: &'static str,
        path: PathBuf,
        cause: String,
    },
    #[error("git source `{source_name}`: {url} refused the credentials{hint}: {detail}")]
    Auth {
        source_name: String,
        url: String,
        hint: &'static str,
        detail: String,
    },
    #[error("git source `{source_name}`: fetching {url} failed: {detail}")]
    Failed {
        source_name: String,
        url: String,
        detail: String,
    },
    #[error("git source `{source_name}`: fetching {url} took longer than {}s", FETCH_TIMEOUT.as_secs())]
    Timeout { source_name: String, url: String },
}

/// Brings the bare mirror at `mirror` up to date with the source's tags (moved and deleted
/// tags included: the mirror reflects the remote; the scan decides what that means).
pub async fn fetch(source: &GitSource, mirror: &Path) -> Result<(), FetchError> {
    if !mirror.join("HEAD").exists() {
        run(
            source,
            git().arg("init").arg("--bare").arg("--quiet").arg(mirror),
        )
        .await?;
    }
    let mut cmd = git();
    cmd.arg("--git-dir")
        .arg(mirror)
        .args(["fetch", "--quiet", "--prune", "--no-tags", "--force", "--"])
        .arg(&source.url)
        .arg("+refs/tags/*:refs/tags/*");
    authenticate(source, mirror, &mut cmd)?;
    run(source, &mut cmd).await
}

/// Packs the mirror's refs into one file. A fetch writes each new tag as a loose ref, and with
/// a thousand loose tag refs every later fetch takes about twice as long; called after a
/// round that saw new or moved tags, so a quiet round pays nothing.
pub async fn pack_refs(source: &GitSource, mirror: &Path) -> Result<(), FetchError> {
    let mut cmd = git();
    cmd.arg("--git-dir")
        .arg(mirror)
        .args(["pack-refs", "--all", "--prune"]);
    run(source, &mut cmd).await
}

fn git() -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never")
        // Traces would print the Authorization header.
        .env_remove("GIT_TRACE")
        .env_remove("GIT_TRACE_CURL")
        .env_remove("GIT_CURL_VERBOSE")
        .env("GIT_CONFIG_COUNT", "0")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    cmd
}

/// An SSH source's host keys are remembered in `known_hosts` next to the mirrors (the
/// registry's own file, not the service user's `~/.ssh/known_hosts`).
fn authenticate(source: &GitSource, mirror: &Path, cmd: &mut Command) -> Result<(), FetchError> {
    let secret_error = |what, path: &Path, e: std::io::Error| FetchError::Secret {
        source_name: source.name.clone(),
        what,
        path: path.to_owned(),
        cause: e.to_string(),
    };
    if let Some(path) = &source.token_file {
        let token =
            std::fs::read_to_string(path).map_err(|e| secret_error("token_file", path, e))?;
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("x-access-token:{}", token.trim()));
        cmd.env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "http.extraHeader")
            .env(
                "GIT_CONFIG_VALUE_0",
                format!("Authorization: Basic {basic}"),
            );
    }
    if let Some(path) = &source.ssh_key_file {
        std::fs::metadata(path).map_err(|e| secret_error("ssh_key_file", path, e))?;
        let known_hosts = mirror.with_file_name("known_hosts");
        cmd.env(
            "GIT_SSH_COMMAND",
            format!(
                "ssh -i {} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile={}",
                shell_quote(&path.display().to_string()),
                shell_quote(&known_hosts.display().to_string())
            ),
        );
    }
    Ok(())
}

/// `'…'` with embedded quotes escaped: git runs `GIT_SSH_COMMAND` through the shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

async fn run(source: &GitSource, cmd: &mut Command) -> Result<(), FetchError> {
    let url = strip_credentials(&source.url);
    let output = match tokio::time::timeout(FETCH_TIMEOUT, cmd.output()).await {
        Err(_) => {
            return Err(FetchError::Timeout {
                source_name: source.name.clone(),
                url,
            })
        }
        Ok(Err(e)) => {
            return Err(FetchError::NoGit {
                source_name: source.name.clone(),
                cause: e.to_string(),
            })
        }
        Ok(Ok(output)) => output,
    };
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr).replace(&source.url, &url);
    let detail = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let detail = if detail.is_empty() {
        format!("git exited with {}", output.status)
    } else {
        detail
    };
    let lower = detail.to_ascii_lowercase();
    let refused = [
        "authentication failed",
        "error: 401",
        "error: 403",
        "permission denied",
        "could not read username",
    ]
    .iter()
    .any(|needle| lower.contains(needle));
    if refused {
        let hint = match source.transport() {
            Transport::Https if source.token_file.is_some() => " (check the token in token_file)",
            Transport::Https => " (a private repository needs token_file)",
            Transport::Ssh => " (check ssh_key_file and that its public key has access)",
            Transport::Local => "",
        };
        return Err(FetchError::Auth {
            source_name: source.name.clone(),
            url,
            hint,
            detail,
        });
    }
    Err(FetchError::Failed {
        source_name: source.name.clone(),
        url,
        detail,
    })
}

/// Fails with a clear message when the `git` CLI is missing; called once at startup when any
/// source is configured.
pub async fn check_git_cli() -> Result<(), String> {
    match git().arg("--version").output().await {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!("`git --version` failed: {}", String::from_utf8_lossy(&out.stderr).trim())),
        Err(e) => Err(format!(
            "[[git.sources]] are configured but `git` cannot be run ({e}): install git on the registry host"
        )),
    }
}
