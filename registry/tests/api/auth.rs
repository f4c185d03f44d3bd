//! Who may do what: 401 for no or unknown tokens, 403 for a missing scope.

use std::sync::Arc;

use registry::settings::Layer;
use registry::storage::{Journaled, LocalStore};
use reqwest::StatusCode;

use crate::helpers::{error_of, spawn_app, spawn_with, tarball};

#[tokio::test]
async fn reads_without_a_token_are_401_with_a_credentials_hint() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app
        .get("/v1/modules/platform/greeter/aws/versions", None)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"modreg\"");
    assert!(error_of(r).await.contains("credentials \""));
}

#[tokio::test]
async fn an_unknown_token_is_401_even_when_anonymous_read_is_on() {
    let app = spawn_with(Layer {
        anonymous_read: Some(true),
        ..Layer::default()
    })
    .await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let anonymous = app
        .get("/v1/modules/platform/greeter/aws/versions", None)
        .await;
    assert_eq!(anonymous.status(), StatusCode::OK);
    let wrong = app
        .get(
            "/v1/modules/platform/greeter/aws/versions",
            Some("modreg_wrong"),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn discovery_needs_no_token() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/.well-known/terraform.json", None).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn publish_needs_the_namespace_scope() {
    let app = spawn_app().await;
    let no_token = app
        .publish_as("platform/greeter/aws", "1.0.0", tarball("x"), None)
        .await;
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    let reader = app
        .publish_as(
            "platform/greeter/aws",
            "1.0.0",
            tarball("x"),
            Some(&app.read),
        )
        .await;
    assert_eq!(reader.status(), StatusCode::FORBIDDEN);
    assert!(error_of(reader).await.contains("publish:platform"));
    let elsewhere = app
        .publish("other/greeter/aws", "1.0.0", tarball("x"))
        .await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN);
    let admin = app
        .publish_as("other/greeter/aws", "1.0.0", tarball("x"), Some(&app.admin))
        .await;
    assert_eq!(admin.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let index = app.state.catalog.index();
    let store = app.state.store.as_ref();
    let (id, secret) =
        registry::auth_store::create_token(store, Some(index), ["read"], "short-lived", "test")
            .await
            .unwrap();
    let path = "/v1/modules/platform/greeter/aws/versions";
    assert_eq!(app.get(path, Some(&secret)).await.status(), StatusCode::OK);
    // `modreg token revoke` on the same data dir: the store and the shared index.
    let revoked = registry::auth_store::revoke_token(store, Some(index), id.as_str(), "test");
    assert_eq!(revoked.await.unwrap(), registry::auth_store::Revoked::Now);
    // Another process revoking is seen through the index's data version within a poll.
    let mut status = StatusCode::OK;
    for _ in 0..30 {
        status = app.get(path, Some(&secret)).await.status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes() {
    let app = spawn_app().await;
    let db = std::fs::read(app.dir.path().join("index.sqlite3")).unwrap();
    let needle = app.read.as_bytes();
    assert!(!db.windows(needle.len()).any(|w| w == needle));
}

#[tokio::test]
async fn a_token_written_to_the_store_by_another_process_works_after_one_sync_round() {
    let app = spawn_with(Layer {
        sync_secs: Some(1),
        ..Layer::default()
    })
    .await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    // Another replica, or `modreg token` elsewhere: the same store, not this index.
    let store = Journaled::new(Arc::new(LocalStore::new(app.dir.path().join("blobs"))));
    let (_, secret) =
        registry::auth_store::create_token(&store, None, ["read"], "elsewhere", "test")
            .await
            .unwrap();
    let path = "/v1/modules/platform/greeter/aws/versions";
    let mut status = StatusCode::UNAUTHORIZED;
    for _ in 0..50 {
        status = app.get(path, Some(&secret)).await.status();
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status,
        StatusCode::OK,
        "the sync never brought the token in"
    );
    let readyz: serde_json::Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(readyz["sync"]["state"], "ok", "{readyz}");
    let metrics = app.get("/metrics", None).await.text().await.unwrap();
    assert!(
        !metrics.contains("\nmodreg_sync_changes_applied_total 0\n")
            && !metrics.contains("\nmodreg_sync_last_success_timestamp_seconds 0\n"),
        "{metrics}"
    );
}
