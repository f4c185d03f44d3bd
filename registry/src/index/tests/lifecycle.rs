//! Opening, migrations, change detection, concurrency and scale.

use std::time::{Duration, Instant};

use super::*;
use crate::index::schema::SCHEMA_VERSION;

#[test]
fn reopening_keeps_the_data_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    {
        let index = Index::open(&path).unwrap();
        publish(&index, "platform/vpc/aws", "1.0.0");
    }
    let index = Index::open(&path).unwrap();
    assert_eq!(version_list(&index, "platform/vpc/aws"), ["1.0.0"]);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_modreg_is_refused_with_an_actionable_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    drop(Index::open(&path).unwrap());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(raw);
    let err = Index::open(&path).unwrap_err();
    assert!(matches!(err, IndexError::SchemaTooNew { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("newer"), "{message}");
    assert!(message.contains("modreg reindex"), "{message}");
}

#[test]
fn data_version_moves_when_this_or_another_process_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let server = Index::open(&path).unwrap();
    let before = server.data_version().unwrap();
    assert_eq!(server.data_version().unwrap(), before, "stable while idle");

    publish(&server, "platform/vpc/aws", "1.0.0");
    let after_own = server.data_version().unwrap();
    assert_ne!(after_own, before);

    // A second `Index` on the same file has its own connections, like `modreg token revoke`.
    let cli = Index::open(&path).unwrap();
    cli.insert_token(&super::tokens_audit::token("t1", "h1"))
        .unwrap();
    cli.revoke_token("t1", "2026-01-02T00:00:00Z").unwrap();
    assert_ne!(server.data_version().unwrap(), after_own);
}

#[test]
fn readers_on_several_threads_see_consistent_data_while_a_writer_publishes() {
    let (_dir, index) = open();
    publish(&index, "platform/vpc/aws", "0.0.1");
    let writer = {
        let index = index.clone();
        std::thread::spawn(move || {
            for minor in 0..50 {
                publish(&index, "platform/vpc/aws", &format!("1.{minor}.0"));
            }
        })
    };
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || {
                let vpc = addr("platform/vpc/aws");
                let mut seen = 0;
                for _ in 0..100 {
                    let versions = index.versions(&vpc).unwrap();
                    assert!(versions.len() >= seen, "a reader never goes back in time");
                    assert!(versions.windows(2).all(|w| w[0].version < w[1].version));
                    seen = versions.len();
                    let latest = index.latest(&vpc, false).unwrap().unwrap();
                    assert!(latest.version >= versions.last().unwrap().version);
                }
            })
        })
        .collect();
    writer.join().unwrap();
    for reader in readers {
        reader.join().unwrap();
    }
    assert_eq!(index.versions(&addr("platform/vpc/aws")).unwrap().len(), 51);
}

#[test]
fn opening_a_large_index_and_listing_it_stays_fast() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let seeded = Index::open(&path)
        .unwrap()
        .seed_synthetic(10_000, 10)
        .unwrap();
    assert_eq!(seeded, 100_000);

    let started = Instant::now();
    let index = Index::open(&path).unwrap();
    assert_eq!(index.stats().unwrap().releases, 100_000);
    let opened = started.elapsed();

    let started = Instant::now();
    let page = index
        .list_modules(&ModuleQuery {
            offset: 9_000,
            limit: 50,
            ..ModuleQuery::default()
        })
        .unwrap();
    let searched = index
        .list_modules(&ModuleQuery {
            text: Some("module-004242".to_owned()),
            limit: 50,
            ..ModuleQuery::default()
        })
        .unwrap();
    let listed = started.elapsed();

    assert_eq!((page.total, page.modules.len()), (10_000, 50));
    assert_eq!(searched.total, 1);
    assert_eq!(searched.modules[0].latest_version, v("1.9.0"));
    // Generous bounds for debug builds on a busy CI machine; release builds are ~10x faster.
    assert!(opened < Duration::from_secs(1), "open took {opened:?}");
    assert!(listed < Duration::from_secs(1), "listing took {listed:?}");
}

#[test]
fn an_index_can_be_cloned_and_shared_across_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Index>();
}

#[test]
fn several_processes_opening_a_new_file_at_once_migrate_it_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || Index::open(&path).map(|_| ()))
        })
        .collect();
    for opener in openers {
        opener.join().unwrap().unwrap();
    }
    let index = Index::open(&path).unwrap();
    assert_eq!(
        index.stats().unwrap(),
        IndexStats {
            modules: 0,
            releases: 0
        }
    );
}

#[test]
fn two_processes_writing_at_once_wait_for_each_other_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index.sqlite");
    let writers: Vec<_> = ["platform/vpc/aws", "platform/eks/aws"]
        .into_iter()
        .map(|address| {
            // Each `Index` has its own writer connection, as separate processes would.
            let index = Index::open(&path).unwrap();
            std::thread::spawn(move || {
                for minor in 0..30 {
                    publish(&index, address, &format!("1.{minor}.0"));
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let index = Index::open(&path).unwrap();
    assert_eq!(
        index.stats().unwrap(),
        IndexStats {
            modules: 2,
            releases: 60
        }
    );
}
