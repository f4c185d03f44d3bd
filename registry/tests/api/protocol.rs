//! The Terraform Module Registry Protocol as Terraform uses it.

use reqwest::StatusCode;

use registry::settings::Layer;

use crate::helpers::{error_of, spawn_app, spawn_with};

#[tokio::test]
async fn discovery_points_terraform_at_the_modules_api() {
    let app = spawn_app().await;
    let r = app.get("/.well-known/terraform.json", None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"modules.v1": "/v1/modules/"})
    );
}

#[tokio::test]
async fn versions_lists_canonical_versions_including_prereleases() {
    let app = spawn_app().await;
    for v in ["1.0.0", "v1.1.0", "2.0.0-rc.1"] {
        app.seed("platform/greeter/aws", v).await;
    }
    let r = app.versions("platform/greeter/aws").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    let versions: Vec<&str> = body["modules"][0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0", "2.0.0-rc.1"]);
}

#[tokio::test]
async fn each_listed_version_carries_its_archive_sha256_matching_the_details() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let listed: registry::api_model::VersionsBody = app
        .versions("platform/greeter/aws")
        .await
        .json()
        .await
        .unwrap();
    let entry = listed.versions().next().unwrap();
    let details: registry::api_model::ModuleDetailsBody = app
        .get("/v1/modules/platform/greeter/aws/1.0.0", Some(&app.read))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(entry.sha256.as_deref(), Some(details.sha256.as_str()));
    assert_eq!(details.sha256.len(), 64);
}

#[tokio::test]
async fn names_match_case_insensitively() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.versions("Platform/Greeter/AWS").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn versions_of_an_unknown_module_is_404_naming_it() {
    let app = spawn_app().await;
    let r = app.versions("platform/nope/aws").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(error_of(r).await.contains("`platform/nope/aws`"));
}

#[tokio::test]
async fn invalid_names_are_400_with_the_rule() {
    let app = spawn_app().await;
    let r = app.versions("platform/bad.name/aws").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(error_of(r).await.contains("letters, digits"));
}

#[tokio::test]
async fn download_answers_204_with_a_signed_relative_tar_gz_location_and_checksum() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.download("platform/greeter/aws", "1.0.0").await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let location = r.headers()["x-terraform-get"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/v1/archives/platform/greeter/aws/1.0.0.tar.gz?expires="),
        "{location}"
    );
    assert!(location.contains("&signature=") && location.contains("&checksum=sha256:"));

    // The archive is served without a token, to whoever holds the signed link.
    let archive = app.get(&location, None).await;
    assert_eq!(archive.status(), StatusCode::OK);
    let bytes = archive.bytes().await.unwrap();
    let sha = registry::archive::sha256_hex(&bytes);
    assert!(location.ends_with(&format!("checksum=sha256:{sha}")));
}

#[tokio::test]
async fn a_tampered_or_unsigned_archive_link_is_refused() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.download("platform/greeter/aws", "1.0.0").await;
    let location = r.headers()["x-terraform-get"].to_str().unwrap().to_owned();
    let other = location.replace("1.0.0.tar.gz", "1.0.1.tar.gz");
    assert_eq!(app.get(&other, None).await.status(), StatusCode::FORBIDDEN);
    let unsigned = location.split('?').next().unwrap().to_owned();
    let r = app.get(&unsigned, None).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(error_of(r).await.contains("signed"));
}

#[tokio::test]
async fn an_expired_archive_link_is_refused_with_a_way_forward() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let path = "/v1/archives/platform/greeter/aws/1.0.0.tar.gz";
    let (expires, sig) = app.state.signer.sign(path, 1_000);
    let r = app
        .get(&format!("{path}?expires={expires}&signature={sig}"), None)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(error_of(r).await.contains("expired"));
}

#[tokio::test]
async fn download_of_a_missing_version_is_404_and_points_at_versions() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app.download("platform/greeter/aws", "9.9.9").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(error_of(r).await.contains("/versions"));
}

#[tokio::test]
async fn download_latest_redirects_to_the_newest_stable_version() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/greeter/aws", "1.2.0").await;
    app.seed("platform/greeter/aws", "2.0.0-beta.1").await;
    let r = app
        .get("/v1/modules/platform/greeter/aws/download", Some(&app.read))
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(
        r.headers()["location"],
        "/v1/modules/platform/greeter/aws/1.2.0/download"
    );
}

#[tokio::test]
async fn every_get_route_answers_head() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    for path in [
        "/.well-known/terraform.json",
        "/v1/modules/platform/greeter/aws/versions",
        "/v1/modules/platform/greeter/aws/1.0.0",
        "/v1/modules/platform/greeter/aws",
        "/v1/modules?limit=5",
        "/v1/modules/search?q=greet",
        "/healthz",
        "/metrics",
    ] {
        let get = app.get(path, Some(&app.read)).await.status();
        let head = app.head(path, Some(&app.read)).await;
        assert_eq!(head.status(), get, "{path}");
        assert_eq!(head.bytes().await.unwrap().len(), 0, "{path}");
    }
    let r = app
        .head(
            "/v1/modules/platform/greeter/aws/1.0.0/download",
            Some(&app.read),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn unknown_endpoints_answer_json_errors() {
    let app = spawn_app().await;
    let r = app.get("/nope", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(error_of(r).await.contains("/nope"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_downloads_by_module() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.download("platform/greeter/aws", "1.0.0").await;
    let text = app
        .get("/metrics", Some(&app.read))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("route=\"/v1/modules/{namespace}/{name}/{system}/{version}/download\",method=\"GET\",status=\"204\""), "{text}");
    assert!(text.contains(
        "modreg_downloads_total{module=\"platform/greeter/aws\",outcome=\"redirected\"} 1"
    ));
    assert!(text.contains("modreg_publishes_total{outcome=\"created\"} 1"));
    assert!(text.contains("modreg_ready 1"));
}

#[tokio::test]
async fn metrics_on_the_main_listener_need_read_access_and_on_ops_listen_none() {
    let app = spawn_with(Layer {
        ops_listen: Some(Some("127.0.0.1:0".parse().unwrap())),
        ..Layer::default()
    })
    .await;
    let refused = app.get("/metrics", None).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(error_of(refused).await.contains("requires a token"));
    assert_eq!(
        app.get("/metrics", Some(&app.read)).await.status(),
        StatusCode::OK
    );

    let ops = format!(
        "http://127.0.0.1:{}",
        app.ops_port.expect("ops_listen is set")
    );
    let scraped = app
        .client
        .get(format!("{ops}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    assert!(scraped.text().await.unwrap().contains("modreg_ready 1"));
    for path in ["/healthz", "/readyz"] {
        let r = app.client.get(format!("{ops}{path}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
    // Only the ops routes: the catalogue is not reachable without a token through it.
    let r = app
        .client
        .get(format!("{ops}/v1/modules"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(error_of(r)
        .await
        .contains("serves /metrics, /healthz and /readyz"));
}

#[tokio::test]
async fn anonymous_read_opens_metrics_like_the_catalogue() {
    let app = spawn_with(Layer {
        anonymous_read: Some(true),
        ..Layer::default()
    })
    .await;
    assert_eq!(app.get("/metrics", None).await.status(), StatusCode::OK);
    assert_eq!(app.ops_port, None);
}

#[tokio::test]
async fn a_wrong_method_is_405_with_a_json_error() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/v1/modules/platform/greeter/aws/versions"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(error_of(r).await.contains("POST is not supported"));
}
