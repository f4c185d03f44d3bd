//! Deprecation: a deprecated release stays listed and installable, carries its reason in the
//! details and listings, lives in the blob store (so a reindex keeps it) and is audited.

use std::sync::Arc;

use registry::storage::LocalStore;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, TestApp};

const PATH: &str = "/v1/modules/platform/greeter/aws/1.0.0/deprecation";

async fn put(app: &TestApp, path: &str, body: Value, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.put(app.url(path)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn details(app: &TestApp, version: &str) -> Value {
    app.get(
        &format!("/v1/modules/platform/greeter/aws/{version}"),
        Some(&app.read),
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_deprecated_version_stays_listed_and_installable_and_says_why() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/greeter/aws", "2.0.0").await;
    let body = json!({ "reason": "CVE-2026-1234: upgrade", "replacement": "2.0.0" });
    let r = put(&app, PATH, body, Some(&app.publisher)).await;
    assert_eq!(r.status(), StatusCode::OK);

    let deprecation = &details(&app, "1.0.0").await["deprecation"];
    assert_eq!(deprecation["reason"], "CVE-2026-1234: upgrade");
    assert_eq!(deprecation["replacement"], "2.0.0");
    assert_eq!(deprecation["by"], "publish:platform");
    assert!(deprecation["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(details(&app, "2.0.0").await["deprecation"], Value::Null);

    let versions: Value = app
        .versions("platform/greeter/aws")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        versions["modules"][0]["versions"].as_array().unwrap().len(),
        2
    );
    assert_eq!(
        app.download("platform/greeter/aws", "1.0.0").await.status(),
        StatusCode::NO_CONTENT
    );

    let record = app
        .dir
        .path()
        .join("blobs/modules/platform/greeter/aws/1.0.0.deprecation");
    let stored: Value = serde_json::from_slice(&std::fs::read(record).unwrap()).unwrap();
    assert_eq!(stored["reason"], "CVE-2026-1234: upgrade");
    let audit = app.state.catalog.index().list_audit(5).unwrap();
    assert_eq!(audit[0].action, "deprecate");
    assert_eq!(audit[0].subject, "platform/greeter/aws/1.0.0");
}

#[tokio::test]
async fn listings_show_the_deprecation_of_the_latest_version() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = put(&app, PATH, json!({ "reason": "retired" }), Some(&app.admin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    for path in ["/v1/modules", "/v1/modules/search?q=greeter"] {
        let list: Value = app.get(path, Some(&app.read)).await.json().await.unwrap();
        assert_eq!(
            list["modules"][0]["deprecation"]["reason"], "retired",
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_deprecation_survives_a_reindex_and_delete_takes_it_back() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    put(&app, PATH, json!({ "reason": "old" }), Some(&app.publisher)).await;
    let store = Arc::new(LocalStore::new(app.dir.path().join("blobs")));
    let index = app.state.catalog.index().clone();
    registry::reindex::rebuild(store.as_ref(), &index)
        .await
        .unwrap();
    app.state.catalog.invalidate();
    assert_eq!(details(&app, "1.0.0").await["deprecation"]["reason"], "old");

    let r = app
        .client
        .delete(app.url(PATH))
        .bearer_auth(&app.publisher)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(details(&app, "1.0.0").await["deprecation"], Value::Null);
    registry::reindex::rebuild(store.as_ref(), &index)
        .await
        .unwrap();
    app.state.catalog.invalidate();
    assert_eq!(details(&app, "1.0.0").await["deprecation"], Value::Null);
}

#[tokio::test]
async fn deprecating_needs_the_namespace_scope_a_published_release_and_a_real_replacement() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let body = json!({ "reason": "x" });
    assert_eq!(
        put(&app, PATH, body.clone(), None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        put(&app, PATH, body.clone(), Some(&app.read))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let missing = "/v1/modules/platform/greeter/aws/9.9.9/deprecation";
    let r = put(&app, missing, body, Some(&app.publisher)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(error_of(r).await.contains("has no version `9.9.9`"));
    let r = put(
        &app,
        PATH,
        json!({ "reason": "x", "replacement": "3.0.0" }),
        Some(&app.publisher),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(r)
        .await
        .contains("`3.0.0` is not a published version"));
    let r = put(&app, PATH, json!({ "reason": " " }), Some(&app.publisher)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = put(&app, PATH, json!({ "why": "x" }), Some(&app.publisher)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
