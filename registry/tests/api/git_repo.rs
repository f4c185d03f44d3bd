//! Real git repositories for the watcher tests, built with the git CLI the way users do, and
//! a way to wait for the watcher.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use registry::git_watch::GitSource;
use registry::settings::{GitSettings, Layer};
use tempfile::TempDir;

pub struct GitRepo {
    pub dir: TempDir,
}

impl GitRepo {
    pub fn new() -> Self {
        let repo = Self {
            dir: TempDir::new().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository and returns its stdout, asserting success.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .output()
            .expect("git is installed");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// Writes `modules/{module}/main.tf` with these inputs and commits; returns the commit.
    pub fn commit_module(&self, module: &str, inputs: &[&str], marker: &str) -> String {
        let dir = self.path().join("modules").join(module);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.tf"), module_tf(inputs, marker)).unwrap();
        self.git(&["add", "-A"]);
        self.git(&["commit", "-qm", &format!("{module}: {marker}")]);
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn tag(&self, tag: &str) {
        self.git(&["tag", tag]);
    }
}

/// A provider-free module with `inputs` (all required strings) and an output naming `marker`.
pub fn module_tf(inputs: &[&str], marker: &str) -> String {
    let mut tf = String::new();
    for input in inputs {
        tf.push_str(&format!(
            "variable \"{input}\" {{\n  type        = string\n  description = \"The {input}.\"\n}}\n\n"
        ));
    }
    tf.push_str(&format!(
        "output \"marker\" {{\n  description = \"Which release this is.\"\n  value       = \"{marker}\"\n}}\n"
    ));
    tf
}

/// A source watching `url` into namespace `platform`, webhook secret `secret` (in a file in
/// `secrets`), polling off.
pub fn source(name: &str, url: &str, secrets: &Path) -> GitSource {
    let secret_file = secrets.join(format!("{name}.secret"));
    std::fs::write(&secret_file, "secret\n").unwrap();
    toml::from_str(&format!(
        "name = \"{name}\"\nurl = '{url}'\nnamespace = \"platform\"\npoll_secs = 0\nwebhook_secret_file = '{}'\n",
        secret_file.display()
    ))
    .unwrap()
}

pub fn with_sources(sources: Vec<GitSource>) -> Layer {
    Layer {
        git: Some(GitSettings { sources }),
        ..Layer::default()
    }
}

pub fn path_of(dir: &Path) -> String {
    PathBuf::from(dir).display().to_string()
}

/// Polls `check` until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
