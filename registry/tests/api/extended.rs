//! The extended API: list, search, latest and details, shaped like the public registry's.

use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn details_include_the_extracted_interface() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app
        .get("/v1/modules/platform/greeter/aws/1.0.0", Some(&app.read))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["id"], "platform/greeter/aws/1.0.0");
    assert_eq!(body["provider"], "aws");
    assert_eq!(body["root"]["inputs"][0]["name"], "name");
    assert_eq!(body["root"]["inputs"][0]["required"], true);
    assert_eq!(body["root"]["outputs"][0]["name"], "greeting");
    assert_eq!(body["description"], "Says hello.");
    assert_eq!(body["versions"], serde_json::json!(["1.0.0"]));
}

#[tokio::test]
async fn list_pages_and_filters_by_namespace_and_system() {
    let app = spawn_app().await;
    for name in ["a", "b", "c"] {
        app.seed(&format!("platform/{name}/aws"), "1.0.0").await;
    }
    let r = app.get("/v1/modules?limit=2", Some(&app.read)).await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"].as_array().unwrap().len(), 2);
    assert_eq!(body["meta"]["next_offset"], 2);
    let r = app
        .get("/v1/modules?offset=2&limit=2", Some(&app.read))
        .await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"][0]["name"], "c");
    let r = app
        .get("/v1/modules?provider=google", Some(&app.read))
        .await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"].as_array().unwrap().len(), 0);
    let r = app.get("/v1/modules/platform", Some(&app.read)).await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn search_finds_by_name_and_requires_a_query() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/other/aws", "1.0.0").await;
    let r = app.get("/v1/modules/search?q=greet", Some(&app.read)).await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"].as_array().unwrap().len(), 1);
    assert_eq!(body["modules"][0]["id"], "platform/greeter/aws/1.0.0");
    let r = app.get("/v1/modules/search", Some(&app.read)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn latest_for_a_name_and_for_an_address() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/greeter/aws", "1.1.0").await;
    let r = app
        .get("/v1/modules/platform/greeter", Some(&app.read))
        .await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["modules"][0]["version"], "1.1.0");
    let r = app
        .get("/v1/modules/platform/greeter/aws", Some(&app.read))
        .await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["version"], "1.1.0");
}

#[tokio::test]
async fn unknown_query_parameters_are_rejected_by_name() {
    let app = spawn_app().await;
    let r = app.get("/v1/modules?limt=5", Some(&app.read)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(crate::helpers::error_of(r).await.contains("limt"));
}

#[tokio::test]
async fn provenance_headers_land_in_the_details() {
    let app = spawn_app().await;
    let r = app
        .client
        .put(app.url("/v1/modules/platform/greeter/aws/1.0.0"))
        .bearer_auth(&app.publisher)
        .header(
            "x-modreg-source-repo",
            "https://git.internal/platform/modules",
        )
        .header("x-modreg-source-tag", "greeter/v1.0.0")
        .header(
            "x-modreg-source-commit",
            "0123456789abcdef0123456789abcdef01234567",
        )
        .body(crate::helpers::tarball("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: serde_json::Value = app
        .get("/v1/modules/platform/greeter/aws/1.0.0", Some(&app.read))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["source"], "https://git.internal/platform/modules");
    assert_eq!(body["tag"], "greeter/v1.0.0");
    assert_eq!(body["commit"], "0123456789abcdef0123456789abcdef01234567");

    let partial = app
        .client
        .put(app.url("/v1/modules/platform/greeter/aws/1.0.1"))
        .bearer_auth(&app.publisher)
        .header("x-modreg-source-tag", "greeter/v1.0.1")
        .body(crate::helpers::tarball("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_details_body_matches_its_snapshot() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let body: serde_json::Value = app
        .get("/v1/modules/platform/greeter/aws/1.0.0", Some(&app.read))
        .await
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!(body, {
        ".published_at" => "[published_at]",
        ".sha256" => "[sha256]",
        ".size" => "[size]",
    });
}

#[tokio::test]
async fn error_bodies_match_their_snapshots() {
    let app = spawn_app().await;
    let mut bodies = serde_json::Map::new();
    for (case, path, token) in [
        ("no token", "/v1/modules/platform/x/aws/versions", None),
        (
            "unknown module",
            "/v1/modules/platform/x/aws/versions",
            Some(app.read.as_str()),
        ),
        (
            "bad system",
            "/v1/modules/platform/x/AWS-1/versions",
            Some(app.read.as_str()),
        ),
        (
            "bad version",
            "/v1/modules/platform/x/aws/1.0/download",
            Some(app.read.as_str()),
        ),
        (
            "bad limit",
            "/v1/modules?limit=1000",
            Some(app.read.as_str()),
        ),
    ] {
        let r = app.get(path, token).await;
        let status = r.status().as_u16();
        // The port differs per run.
        let host = app.base.trim_start_matches("http://");
        let text = r.text().await.unwrap().replace(host, "[host]");
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        bodies.insert(
            case.to_owned(),
            serde_json::json!({ "status": status, "body": body }),
        );
    }
    insta::assert_json_snapshot!(serde_json::Value::Object(bodies));
}
