//! Fetching a private HTTPS remote: a real smart-HTTP git server (`git http-backend` behind
//! `tests/git/smart_http_server.py`, over TLS, requiring a token) serves the repository. With
//! the right token the watcher publishes its tags; with a wrong one, or none, the source fails
//! with an error that names it and says what to check.
//!
//! Its own test binary with one test, because git has to trust the test CA through the
//! process environment (`GIT_SSL_CAINFO`), which is set before any thread starts.

#[allow(
    dead_code,
    reason = "shared with the api tests; this binary uses a part"
)]
#[path = "api/git_repo.rs"]
mod git_repo;
#[allow(
    dead_code,
    reason = "shared with the api tests; this binary uses a part"
)]
#[path = "api/helpers.rs"]
mod helpers;

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use git_repo::{eventually, with_sources, GitRepo};
use registry::git_watch::GitSource;
use serde_json::Value;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn https_source(name: &str, url: &str, token: Option<&str>, secrets: &Path) -> GitSource {
    let mut toml =
        format!("name = \"{name}\"\nurl = \"{url}\"\nnamespace = \"platform\"\npoll_secs = 0\n");
    if let Some(token) = token {
        let file = secrets.join(format!("{name}.token"));
        std::fs::write(&file, format!("{token}\n")).unwrap();
        toml.push_str(&format!("token_file = '{}'\n", file.display()));
    }
    toml::from_str(&toml).unwrap()
}

#[test]
fn an_https_remote_is_fetched_with_the_token_and_a_wrong_or_missing_token_names_the_source() {
    let work = tempfile::tempdir().unwrap();
    let ca =
        registry::tls::ensure_local_ca(&work.path().join("tls"), &["127.0.0.1".parse().unwrap()])
            .unwrap();
    // Set before the runtime (and so any other thread) starts.
    std::env::set_var("GIT_SSL_CAINFO", &ca.ca_cert);

    let repo = GitRepo::new();
    repo.commit_module("a", &["name"], "a 1.0.0");
    repo.tag("a/v1.0.0");
    let root = work.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    let bare = root.join("infra.git");
    let status = Command::new("git")
        .args(["clone", "-q", "--bare"])
        .arg(repo.path())
        .arg(&bare)
        .status()
        .unwrap();
    assert!(status.success());

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/git/smart_http_server.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .arg(&root)
        .arg("s3cret-token")
        .arg(&ca.server_cert)
        .arg(&ca.server_key)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the test git server");
    let mut port = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let _server = Server(child);
    let url = format!("https://127.0.0.1:{}/infra.git", port.trim());

    let secrets = tempfile::tempdir().unwrap();
    let sources = vec![
        https_source("with-token", &url, Some("s3cret-token"), secrets.path()),
        https_source("wrong-token", &url, Some("not-it"), secrets.path()),
        https_source("no-token", &url, None, secrets.path()),
    ];
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let app = helpers::spawn_with(with_sources(sources)).await;
        let wait = Duration::from_secs(60);
        eventually("a 1.0.0 fetched over HTTPS", wait, || async {
            let r = app.versions("platform/a/aws").await;
            (r.status() == 200).then_some(())
        })
        .await;
        let failing = |name: &'static str| {
            let app = &app;
            async move {
                eventually(&format!("source {name} to fail"), wait, || async {
                    let body: Value = app.get("/readyz", None).await.json().await.unwrap();
                    body["git"]
                        .as_array()?
                        .iter()
                        .find(|s| s["name"] == name && s["state"] == "failing")
                        .map(|s| s["last_error"].as_str().unwrap().to_owned())
                })
                .await
            }
        };
        let wrong = failing("wrong-token").await;
        assert!(
            wrong.starts_with(&format!("git source `wrong-token`: {url} refused the credentials (check the token in token_file)")),
            "{wrong}"
        );
        assert!(!wrong.contains("not-it"), "the token leaked into the error: {wrong}");
        let none = failing("no-token").await;
        assert!(
            none.starts_with("git source `no-token`:") && none.contains("a private repository needs token_file"),
            "{none}"
        );
        let details: Value = app
            .get("/v1/modules/platform/a/aws/1.0.0", Some(&app.read))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(details["source"], url);
    });
}
