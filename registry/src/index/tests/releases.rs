//! Releases: insert idempotency, semver ordering, latest, deprecation, downloads, rebuild.

use super::*;

#[test]
fn versions_are_listed_in_semver_order_with_pre_releases_below_their_release() {
    let (_dir, index) = open();
    let shuffled = [
        "1.10.0",
        "1.0.0",
        "1.0.0-rc.1",
        "1.0.0-beta.11",
        "1.0.0-beta.2",
        "1.0.0-alpha.beta",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.2.0",
        "1.2.0+build.5",
        "10.0.0",
        "2.0.0",
    ];
    for version in shuffled {
        assert_eq!(
            publish(&index, "platform/vpc/aws", version),
            InsertOutcome::Inserted
        );
    }
    let expected = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.2.0",
        "1.2.0+build.5",
        "1.10.0",
        "2.0.0",
        "10.0.0",
    ];
    assert_eq!(version_list(&index, "platform/vpc/aws"), expected);
}

#[test]
fn a_release_row_says_whether_its_manifest_names_a_content_addressed_tarball() {
    let (_dir, index) = open();
    let legacy = manifest("platform/vpc/aws", "1.0.0", "");
    let mut named = manifest("platform/vpc/aws", "1.1.0", "");
    named.archive = Some("modules/platform/vpc/aws/sha256/….tar.gz".to_owned());
    for m in [&legacy, &named] {
        index.insert_release(m, &json(m)).unwrap();
    }
    let rows = index.versions(&addr("platform/vpc/aws")).unwrap();
    let flags: Vec<bool> = rows.iter().map(|r| r.content_addressed).collect();
    assert_eq!(flags, [false, true]);
}

#[test]
fn inserting_the_same_version_again_reports_the_stored_sha256_and_changes_nothing() {
    let (_dir, index) = open();
    let first = manifest("platform/vpc/aws", "1.0.0", "");
    assert_eq!(
        index.insert_release(&first, &json(&first)).unwrap(),
        InsertOutcome::Inserted
    );
    let mut other = first.clone();
    other.sha256 = "different".to_owned();
    assert_eq!(
        index.insert_release(&other, &json(&other)).unwrap(),
        InsertOutcome::Exists {
            sha256: first.sha256.clone()
        }
    );
    let stored = index
        .release(&first.address, &first.version)
        .unwrap()
        .unwrap();
    assert_eq!(stored.sha256, first.sha256);
    assert_eq!(
        index.manifest_json(&first.address, &first.version).unwrap(),
        Some(json(&first))
    );
}

#[test]
fn a_release_row_carries_what_the_download_route_needs() {
    let (_dir, index) = open();
    publish(&index, "platform/vpc/aws", "1.2.3");
    let row = index
        .release(&addr("platform/vpc/aws"), &v("1.2.3"))
        .unwrap()
        .unwrap();
    assert_eq!(
        row,
        ReleaseRow {
            version: v("1.2.3"),
            sha256: "sha-of-platform/vpc/aws-1.2.3".to_owned(),
            size: 42,
            published_at: "2026-01-01T00:00:00Z/1.2.3".to_owned(),
            publisher: "ci".to_owned(),
            deprecation: None,
            downloads: 0,
            content_addressed: false,
        }
    );
    assert_eq!(
        index
            .release(&addr("platform/vpc/aws"), &v("9.9.9"))
            .unwrap(),
        None
    );
    assert_eq!(
        index
            .manifest_json(&addr("platform/x/aws"), &v("1.2.3"))
            .unwrap(),
        None
    );
    assert!(index.versions(&addr("platform/x/aws")).unwrap().is_empty());
}

#[test]
fn latest_skips_pre_releases_unless_asked() {
    let (_dir, index) = open();
    for version in ["1.0.0", "1.1.0", "2.0.0-rc.1", "1.1.1-beta"] {
        publish(&index, "platform/vpc/aws", version);
    }
    let vpc = addr("platform/vpc/aws");
    assert_eq!(
        index.latest(&vpc, false).unwrap().unwrap().version,
        v("1.1.0")
    );
    assert_eq!(
        index.latest(&vpc, true).unwrap().unwrap().version,
        v("2.0.0-rc.1")
    );
    assert_eq!(
        index.latest(&addr("platform/none/aws"), true).unwrap(),
        None
    );
}

#[test]
fn latest_of_a_module_with_only_pre_releases_is_none_unless_asked() {
    let (_dir, index) = open();
    publish(&index, "platform/eks/aws", "0.1.0-alpha");
    let eks = addr("platform/eks/aws");
    assert_eq!(index.latest(&eks, false).unwrap(), None);
    assert_eq!(
        index.latest(&eks, true).unwrap().unwrap().version,
        v("0.1.0-alpha")
    );
}

fn deprecation(reason: &str, replacement: Option<&str>) -> Deprecation {
    Deprecation {
        reason: reason.to_owned(),
        replacement: replacement.map(v),
        at: "2026-03-01T00:00:00Z".to_owned(),
        by: "publish:platform".to_owned(),
    }
}

#[test]
fn a_deprecation_is_recorded_replaced_and_cleared_and_the_listing_shows_it() {
    let (_dir, index) = open();
    publish(&index, "platform/vpc/aws", "1.0.0");
    let vpc = addr("platform/vpc/aws");
    let deprecated = |version: &str| {
        index
            .release(&vpc, &v(version))
            .unwrap()
            .unwrap()
            .deprecation
    };
    let first = deprecation("CVE-2026-1", Some("2.0.0"));
    assert!(index
        .set_deprecation(&vpc, &v("1.0.0"), Some(&first))
        .unwrap());
    assert_eq!(deprecated("1.0.0"), Some(first));
    let second = deprecation("superseded", None);
    assert!(index
        .set_deprecation(&vpc, &v("1.0.0"), Some(&second))
        .unwrap());
    assert_eq!(deprecated("1.0.0"), Some(second.clone()));
    let listed = index
        .list_modules(&ModuleQuery {
            limit: 10,
            ..ModuleQuery::default()
        })
        .unwrap();
    assert_eq!(listed.modules[0].deprecation, Some(second));
    assert!(index.set_deprecation(&vpc, &v("1.0.0"), None).unwrap());
    assert_eq!(deprecated("1.0.0"), None);
    assert!(!index.set_deprecation(&vpc, &v("2.0.0"), None).unwrap());
}

#[test]
fn downloads_are_counted_per_release_and_ignored_for_unknown_releases() {
    let (_dir, index) = open();
    publish(&index, "platform/vpc/aws", "1.0.0");
    let vpc = addr("platform/vpc/aws");
    index.record_download(&vpc, &v("1.0.0")).unwrap();
    index.record_download(&vpc, &v("1.0.0")).unwrap();
    index.record_download(&vpc, &v("3.0.0")).unwrap();
    let row = index.release(&vpc, &v("1.0.0")).unwrap().unwrap();
    assert_eq!(row.downloads, 2);
}

#[test]
fn replace_all_rebuilds_releases_keeps_downloads_and_tokens_and_takes_the_stores_deprecations() {
    let (_dir, index) = open();
    for version in ["1.0.0", "1.1.0"] {
        publish(&index, "platform/vpc/aws", version);
    }
    publish(&index, "platform/gone/aws", "1.0.0");
    let vpc = addr("platform/vpc/aws");
    index.record_download(&vpc, &v("1.0.0")).unwrap();
    let stale = deprecation("only in the index", None);
    index
        .set_deprecation(&vpc, &v("1.1.0"), Some(&stale))
        .unwrap();
    index
        .insert_token(&super::tokens_audit::token("t1", "h1"))
        .unwrap();

    let stored = deprecation("old", Some("1.2.0"));
    let rebuilt = ["1.0.0", "1.1.0", "1.2.0", "1.2.0"].map(|version| {
        let m = manifest("platform/vpc/aws", version, "");
        let j = json(&m);
        let d = (version == "1.0.0").then(|| stored.clone());
        (m, j, d)
    });
    assert_eq!(index.replace_all_releases(rebuilt).unwrap(), 3);

    assert_eq!(
        version_list(&index, "platform/vpc/aws"),
        ["1.0.0", "1.1.0", "1.2.0"]
    );
    let unmarked = index.release(&vpc, &v("1.1.0")).unwrap().unwrap();
    assert_eq!(unmarked.deprecation, None);
    assert!(version_list(&index, "platform/gone/aws").is_empty());
    let kept = index.release(&vpc, &v("1.0.0")).unwrap().unwrap();
    assert_eq!((kept.downloads, kept.deprecation), (1, Some(stored)));
    assert_eq!(
        index.stats().unwrap(),
        IndexStats {
            modules: 1,
            releases: 3
        }
    );
    assert_eq!(index.list_tokens().unwrap().len(), 1);
    let page = index.list_modules(&ModuleQuery {
        limit: 10,
        ..ModuleQuery::default()
    });
    assert_eq!(page.unwrap().modules[0].downloads, 1);
}

#[test]
fn a_version_number_too_large_for_sqlite_is_refused_with_a_clear_error() {
    let (_dir, index) = open();
    let mut m = manifest("platform/vpc/aws", "1.0.0", "");
    m.version = Version::new(1 << 63, 0, 0);
    let err = index.insert_release(&m, &json(&m)).unwrap_err();
    assert!(matches!(err, IndexError::VersionTooLarge { .. }), "{err:?}");
}
