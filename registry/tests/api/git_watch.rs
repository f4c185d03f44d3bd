//! The git watcher and its webhook: release tags of a real repository become releases through
//! the publish pipeline; moved tags and gate refusals are reported, never published.

use std::time::Duration;

use registry::git_watch::webhook::sign;
use reqwest::StatusCode;
use serde_json::Value;

use crate::git_repo::{eventually, path_of, source, with_sources, GitRepo};
use crate::helpers::{spawn_with, TestApp};

const WAIT: Duration = Duration::from_secs(30);

async fn versions_of(app: &TestApp, module: &str) -> Vec<String> {
    let r = app.versions(module).await;
    if r.status() != StatusCode::OK {
        return Vec::new();
    }
    let body: Value = r.json().await.unwrap();
    body["modules"][0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_details(app: &TestApp, version: &str) -> Value {
    app.get(
        &format!("/v1/modules/platform/a/aws/{version}"),
        Some(&app.read),
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn wait_for_versions(app: &TestApp, module: &str, expected: &[&str]) {
    eventually(&format!("{module} at {expected:?}"), WAIT, || async {
        (versions_of(app, module).await == expected).then_some(())
    })
    .await;
}

/// The `/readyz` entry of source `name`, once it has finished at least `rounds` rounds.
async fn source_status(app: &TestApp, name: &str, rounds: u64) -> Value {
    eventually(
        &format!("{rounds} round(s) of source {name}"),
        WAIT,
        || async {
            let body: Value = app.get("/readyz", None).await.json().await.unwrap();
            body["git"]
                .as_array()?
                .iter()
                .find(|s| s["name"] == name && s["rounds"].as_u64() >= Some(rounds))
                .cloned()
        },
    )
    .await
}

async fn hook(
    app: &TestApp,
    name: &str,
    event: &str,
    body: &str,
    signature: Option<String>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(app.url(&format!("/v1/hooks/git/{name}")))
        .header("x-github-event", event)
        .body(body.to_owned());
    if let Some(sig) = signature {
        req = req.header("x-hub-signature-256", sig);
    }
    req.send().await.unwrap()
}

async fn push_hook(app: &TestApp, name: &str, tag: &str) -> reqwest::Response {
    let body = format!(r#"{{"ref":"refs/tags/{tag}"}}"#);
    hook(
        app,
        name,
        "push",
        &body,
        Some(sign(b"secret", body.as_bytes())),
    )
    .await
}

/// A registry watching `repo` as source `infra`; the secrets directory lives as long as it.
async fn watching(repo: &GitRepo) -> (tempfile::TempDir, TestApp) {
    let secrets = tempfile::tempdir().unwrap();
    let sources = vec![source("infra", &path_of(repo.path()), secrets.path())];
    (secrets, spawn_with(with_sources(sources)).await)
}

fn monorepo() -> GitRepo {
    let repo = GitRepo::new();
    repo.commit_module("a", &["name"], "a 1.0.0");
    repo.tag("a/v1.0.0");
    repo.commit_module("b", &["name"], "b 0.1.0");
    repo.tag("b/v0.1.0");
    repo.commit_module("a", &["name"], "a 1.1.0");
    repo.tag("a/v1.1.0");
    repo.tag("a/v1.2");
    repo
}

#[tokio::test]
async fn release_tags_are_published_at_start_and_bad_tags_are_listed_with_the_reason() {
    let repo = monorepo();
    let (_secrets, app) = watching(&repo).await;
    wait_for_versions(&app, "platform/a/aws", &["1.0.0", "1.1.0"]).await;
    wait_for_versions(&app, "platform/b/aws", &["0.1.0"]).await;

    let details = a_details(&app, "1.1.0").await;
    assert_eq!(details["publisher"], "git-watch");
    assert_eq!(details["tag"], "a/v1.1.0");
    assert_eq!(
        details["commit"],
        repo.git(&["rev-list", "-n1", "a/v1.1.0"])
    );
    let status = source_status(&app, "infra", 1).await;
    assert_eq!(status["state"], "ok", "{status}");
    assert_eq!(status["skipped"][0]["tag"], "a/v1.2", "{status}");
    assert!(status["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("canonical"));
}

#[tokio::test]
async fn a_signed_webhook_publishes_a_new_tag_and_unsigned_or_unknown_deliveries_are_refused() {
    let repo = monorepo();
    let (_secrets, app) = watching(&repo).await;
    wait_for_versions(&app, "platform/a/aws", &["1.0.0", "1.1.0"]).await;

    repo.commit_module("a", &["name"], "a 1.2.0");
    repo.tag("a/v1.2.0");
    let body = r#"{"ref":"refs/tags/a/v1.2.0"}"#;
    let forged = hook(
        &app,
        "infra",
        "push",
        body,
        Some(sign(b"guess", body.as_bytes())),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let unsigned = hook(&app, "infra", "push", body, None).await;
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let unknown = push_hook(&app, "nope", "a/v1.2.0").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let ping = hook(&app, "infra", "ping", "{}", Some(sign(b"secret", b"{}"))).await;
    assert_eq!(ping.status(), StatusCode::OK);

    let queued = push_hook(&app, "infra", "a/v1.2.0").await;
    assert_eq!(queued.status(), StatusCode::ACCEPTED);
    wait_for_versions(&app, "platform/a/aws", &["1.0.0", "1.1.0", "1.2.0"]).await;
}

#[tokio::test]
async fn a_moved_tag_is_reported_and_the_release_keeps_its_bytes() {
    let repo = monorepo();
    let (_secrets, app) = watching(&repo).await;
    wait_for_versions(&app, "platform/a/aws", &["1.0.0", "1.1.0"]).await;
    let before = a_details(&app, "1.1.0").await;
    let rounds = source_status(&app, "infra", 1).await["rounds"]
        .as_u64()
        .unwrap();

    let published_commit = repo.git(&["rev-list", "-n1", "a/v1.1.0"]);
    let moved_to = repo.commit_module("a", &["name"], "a 1.1.0, rewritten");
    repo.git(&["tag", "-f", "a/v1.1.0"]);
    assert_eq!(
        push_hook(&app, "infra", "a/v1.1.0").await.status(),
        StatusCode::ACCEPTED
    );
    let status = source_status(&app, "infra", rounds + 1).await;
    assert_eq!(
        status["moved"][0],
        serde_json::json!({ "tag": "a/v1.1.0", "published_commit": published_commit, "tag_commit": moved_to }),
        "{status}"
    );
    let after = a_details(&app, "1.1.0").await;
    assert_eq!(after["sha256"], before["sha256"]);
    assert_eq!(after["commit"], published_commit);
    let metrics = app
        .get("/metrics", Some(&app.read))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("modreg_git_moved_tags_total{source=\"infra\"} 1"),
        "{metrics}"
    );
    let audit = app.state.catalog.index().list_audit(10).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "git.tag_moved" && e.subject == "platform/a/aws/1.1.0"));
}

#[tokio::test]
async fn a_breaking_change_tagged_as_a_minor_is_refused_and_the_reason_is_shown() {
    let repo = GitRepo::new();
    repo.commit_module("a", &["name", "owner"], "a 1.0.0");
    repo.tag("a/v1.0.0");
    repo.commit_module("a", &["name"], "a 1.1.0 drops owner");
    repo.tag("a/v1.1.0");
    let (_secrets, app) = watching(&repo).await;
    let status = source_status(&app, "infra", 1).await;
    assert_eq!(versions_of(&app, "platform/a/aws").await, ["1.0.0"]);
    let refused = &status["refused"][0];
    assert_eq!(refused["tag"], "a/v1.1.0", "{status}");
    let reason = refused["reason"].as_str().unwrap();
    assert!(reason.contains("input `owner` was removed"), "{reason}");
}

#[tokio::test]
async fn a_failing_source_backs_off_and_is_reported_without_stopping_the_others() {
    let repo = monorepo();
    let secrets = tempfile::tempdir().unwrap();
    let missing = secrets.path().join("no-such-repo");
    let app = spawn_with(with_sources(vec![
        source("broken", &path_of(&missing), secrets.path()),
        source("infra", &path_of(repo.path()), secrets.path()),
    ]))
    .await;
    wait_for_versions(&app, "platform/b/aws", &["0.1.0"]).await;
    let broken = source_status(&app, "broken", 1).await;
    assert_eq!(broken["state"], "failing", "{broken}");
    let error = broken["last_error"].as_str().unwrap();
    assert!(
        error.starts_with("git source `broken`: fetching"),
        "{error}"
    );
    assert!(broken["retry_in_secs"].as_u64().unwrap() >= 5);
    let ready = app.get("/readyz", None).await;
    assert_eq!(
        ready.status(),
        StatusCode::OK,
        "a failing source must not make the registry unready"
    );
    let metrics = app
        .get("/metrics", Some(&app.read))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("modreg_git_source_up{source=\"broken\"} 0"),
        "{metrics}"
    );
    assert!(
        metrics.contains("modreg_git_source_up{source=\"infra\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_rescan_with_nothing_new_publishes_nothing_and_writes_nothing() {
    let repo = monorepo();
    let (_secrets, app) = watching(&repo).await;
    wait_for_versions(&app, "platform/a/aws", &["1.0.0", "1.1.0"]).await;
    let rounds = source_status(&app, "infra", 1).await["rounds"]
        .as_u64()
        .unwrap();
    let index = app.state.catalog.index().clone();
    let before = index.data_version().unwrap();
    assert_eq!(
        push_hook(&app, "infra", "a/v1.1.0").await.status(),
        StatusCode::ACCEPTED
    );
    let status = source_status(&app, "infra", rounds + 1).await;
    assert_eq!(status["state"], "ok");
    assert_eq!(
        index.data_version().unwrap(),
        before,
        "an empty round wrote to the index"
    );
}
