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
    let sha256 = manifest["sha256"].as_str().unwrap();
    let key = format!("modules/platform/greeter/aws/sha256/{sha256}.tar.gz");
    assert_eq!(
        manifest["archive"],
        key.as_str(),
        "the manifest names its tarball"
    );
    let tarball = std::fs::read(app.dir.path().join("blobs").join(&key)).unwrap();
    assert_eq!(sha256, registry::archive::sha256_hex(&tarball));
    assert!(!dir.join("1.0.0.tar.gz").exists(), "no tarball by version");
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

#[tokio::test]
async fn a_release_stored_before_content_addressed_keys_is_indexed_and_served_from_its_old_key() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    // What an older modreg wrote for 1.1.0: schema 1, no `archive`, the tarball by version.
    let dir = app.dir.path().join("blobs/modules/platform/greeter/aws");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("1.0.0.json")).unwrap()).unwrap();
    let old = pack_files(crate::helpers::module_files("stored by an older modreg"));
    manifest["schema"] = 1.into();
    manifest["version"] = "1.1.0".into();
    manifest["sha256"] = registry::archive::sha256_hex(&old).into();
    manifest["size"] = old.len().into();
    manifest.as_object_mut().unwrap().remove("archive");
    std::fs::write(dir.join("1.1.0.tar.gz"), &old).unwrap();
    std::fs::write(dir.join("1.1.0.json"), manifest.to_string()).unwrap();

    let index = registry::index::Index::open(&app.dir.path().join("index.sqlite3")).unwrap();
    let store = registry::storage::LocalStore::new(app.dir.path().join("blobs"));
    assert_eq!(
        registry::reindex::catch_up(&store, &index).await.unwrap(),
        1
    );
    let mut download = app.download("platform/greeter/aws", "1.1.0").await;
    for _ in 0..50 {
        if download.status() == StatusCode::NO_CONTENT {
            break;
        }
        // The running app notices the other writer's change within its refresh interval.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        download = app.download("platform/greeter/aws", "1.1.0").await;
    }
    assert_eq!(download.status(), StatusCode::NO_CONTENT);
    let location = download.headers()["x-terraform-get"].to_str().unwrap();
    let served = app.get(location, None).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().as_ref(), old.as_slice());
}

#[tokio::test]
async fn a_stored_manifest_naming_another_tarball_is_refused_by_reindex() {
    let app = spawn_app().await;
    app.seed("platform/greeter/aws", "1.0.0").await;
    let path = app
        .dir
        .path()
        .join("blobs/modules/platform/greeter/aws/1.0.0.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["archive"] = "modules/platform/other/aws/sha256/x.tar.gz".into();
    std::fs::write(&path, manifest.to_string()).unwrap();
    let fresh = registry::index::Index::open(&app.dir.path().join("rebuilt.sqlite3")).unwrap();
    let store = registry::storage::LocalStore::new(app.dir.path().join("blobs"));
    let err = registry::reindex::rebuild(&store, &fresh)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("`archive` is not the content key"),
        "{err}"
    );
}
