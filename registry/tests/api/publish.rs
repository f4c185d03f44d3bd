//! The publish API: gates, immutability, and what lands in storage.

use registry::archive::pack_files;
use reqwest::StatusCode;

use crate::helpers::{error_of, spawn_app, tarball};

#[tokio::test]
async fn publishing_the_same_bytes_twice_is_a_no_op() {
    let app = spawn_app().await;
    let first = app
        .publish("platform/greeter/aws", "1.0.0", tarball("x"))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = app
        .publish("platform/greeter/aws", "1.0.0", tarball("x"))
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    let body: serde_json::Value = again.json().await.unwrap();
    assert_eq!(body["outcome"], "unchanged");
}

#[tokio::test]
async fn different_bytes_for_an_existing_version_are_409() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let r = app
        .publish("platform/greeter/aws", "1.0.0", tarball("changed"))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(error_of(r).await.contains("never change"));
}

#[tokio::test]
async fn a_release_lands_as_tarball_and_manifest() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let dir = app.dir.path().join("blobs/modules/platform/greeter/aws");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("1.0.0.json")).unwrap()).unwrap();
    let tarball = std::fs::read(dir.join("1.0.0.tar.gz")).unwrap();
    assert_eq!(manifest["sha256"], registry::archive::sha256_hex(&tarball));
    assert_eq!(manifest["interface"]["root"]["inputs"][0]["name"], "name");
    assert_eq!(manifest["publisher"], "publish:platform");
}

#[tokio::test]
async fn each_archive_gate_answers_a_clear_4xx() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "not gzip",
            b"plain text".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "gzip",
        ),
        (
            "no root .tf",
            pack_files([("README.md".to_owned(), b"# x".to_vec())]),
            StatusCode::UNPROCESSABLE_ENTITY,
            ".tf",
        ),
        (
            "bad HCL",
            pack_files([(
                "main.tf".to_owned(),
                b"variable \"x\" {\n  type = \n".to_vec(),
            )]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "main.tf",
        ),
    ];
    for (case, body, status, needle) in cases {
        let r = app.publish("platform/gates/aws", "1.0.0", body).await;
        assert_eq!(r.status(), status, "{case}");
        let message = error_of(r).await;
        assert!(message.contains(needle), "{case}: {message}");
    }
    let versions = app.versions("platform/gates/aws").await;
    assert_eq!(
        versions.status(),
        StatusCode::NOT_FOUND,
        "a refused upload leaves nothing behind"
    );
}

#[tokio::test]
async fn an_upload_over_the_size_limit_is_413() {
    let app = crate::helpers::spawn_with(registry::settings::Layer {
        max_upload_bytes: Some(1024),
        ..Default::default()
    })
    .await;
    let r = app
        .publish("platform/big/aws", "1.0.0", vec![0u8; 4096])
        .await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_of(r).await.contains("max_upload_bytes"));
}

#[tokio::test]
async fn a_breaking_change_in_a_minor_release_is_refused() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let without_input = pack_files([(
        "main.tf".to_owned(),
        b"output \"greeting\" {\n  description = \"Hello\"\n  value = \"hi\"\n}\n".to_vec(),
    )]);
    let r = app
        .publish("platform/greeter/aws", "1.1.0", without_input.clone())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(r).await.contains("name"));
    let major = app
        .publish("platform/greeter/aws", "2.0.0", without_input)
        .await;
    assert_eq!(major.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn the_index_can_be_rebuilt_from_the_blob_store() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.seed("platform/greeter/aws", "1.1.0").await;
    let fresh = registry::index::Index::open(&app.dir.path().join("rebuilt.sqlite3")).unwrap();
    let store = registry::storage::LocalStore::new(app.dir.path().join("blobs"));
    let n = registry::reindex::rebuild(&store, &fresh).await.unwrap();
    assert_eq!(n, 2);
    let addr = registry::address::ModuleAddress::parse("platform", "greeter", "aws").unwrap();
    let versions: Vec<String> = fresh
        .versions(&addr)
        .unwrap()
        .iter()
        .map(|r| r.version.to_string())
        .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0"]);
}

#[tokio::test]
async fn downloads_are_counted_and_reach_the_listing() {
    let app = crate::helpers::spawn_with(registry::settings::Layer {
        download_flush_secs: Some(1),
        ..Default::default()
    })
    .await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    app.download("platform/greeter/aws", "1.0.0").await;
    app.download("platform/greeter/aws", "1.0.0").await;
    let mut downloads = serde_json::Value::Null;
    for _ in 0..50 {
        let r = app.get("/v1/modules/platform", Some(&app.read)).await;
        let body: serde_json::Value = r.json().await.unwrap();
        downloads = body["modules"][0]["downloads"].clone();
        if downloads == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(downloads, 2);
}

#[tokio::test]
async fn the_changelog_section_of_the_version_is_stored_and_served() {
    let app = spawn_app().await;
    let mut files = crate::helpers::module_files("x");
    files.push((
        "CHANGELOG.md".into(),
        b"# Changelog\n\n## [1.1.0] - 2026-02-01\n\n### Added\n\n- `x` input.\n\n## [1.0.0]\n\nFirst.\n"
            .to_vec(),
    ));
    let r = app
        .publish("platform/greeter/aws", "1.1.0", pack_files(files))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let details: serde_json::Value = app
        .get("/v1/modules/platform/greeter/aws/1.1.0", Some(&app.read))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["changelog"], "### Added\n\n- `x` input.");
}
