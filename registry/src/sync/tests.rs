//! Two replicas on one store, each with its own index: what one writes, the other's follower
//! applies. Run against memory, a local directory and a real S3 API (moto).

use std::sync::Arc;

use bytes::Bytes;
use semver::Version;

use super::*;
use crate::address::ModuleAddress;
use crate::archive::{pack_files, Limits};
use crate::auth::hash_token;
use crate::catalog::Catalog;
use crate::publish::{DeprecationRequest, NewRelease, Publisher};
use crate::storage::moto::{Moto, BUCKET};
use crate::storage::{sdk_config, Journaled, LocalStore, MemoryStore, S3Location, S3Store};

fn addr() -> ModuleAddress {
    ModuleAddress::parse("platform", "vpc", "aws").unwrap()
}

fn module(version: &str) -> NewRelease {
    let main_tf = format!("output \"v\" {{\n  description = \"v\"\n  value = \"{version}\"\n}}\n");
    NewRelease {
        address: addr(),
        version: Version::parse(version).unwrap(),
        tarball: Bytes::from(pack_files(vec![("main.tf".into(), main_tf.into_bytes())])),
        publisher: "test".into(),
        source: None,
    }
}

fn publisher(index: &Index, store: Arc<dyn BlobStore>) -> Publisher {
    let catalog = Arc::new(Catalog::new(index.clone()));
    Publisher::new(
        index.clone(),
        store,
        Limits::default(),
        catalog,
        Arc::default(),
    )
}

/// Publish, deprecate, withdraw it, create a token and revoke it through replica A; replica B
/// sees each after one round of its follower, and a quiet round applies nothing.
async fn replica_b_follows_what_replica_a_writes(backend: Arc<dyn BlobStore>) {
    let store: Arc<dyn BlobStore> = Arc::new(Journaled::new(backend));
    let dir = tempfile::tempdir().unwrap();
    let a = Index::open(&dir.path().join("a.sqlite3")).unwrap();
    let b = Index::open(&dir.path().join("b.sqlite3")).unwrap();
    let mut follower = Follower::resume(store.clone(), b.clone(), dir.path().join("b-cursor"));
    let on_a = publisher(&a, store.clone());
    let v1 = Version::new(1, 0, 0);

    on_a.publish(module("1.0.0")).await.unwrap();
    let round = follower.round().await.unwrap();
    assert_eq!(round.applied, 1);
    assert!(round.lag.is_some());
    assert!(
        b.release(&addr(), &v1).unwrap().is_some(),
        "B lacks the release"
    );

    on_a.deprecate(DeprecationRequest {
        address: addr(),
        version: v1.clone(),
        reason: "use 2.x".into(),
        replacement: None,
        by: "test".into(),
    })
    .await
    .unwrap();
    follower.round().await.unwrap();
    let row = b.release(&addr(), &v1).unwrap().unwrap();
    assert_eq!(row.deprecation.unwrap().reason, "use 2.x");
    on_a.undeprecate(&addr(), &v1, "test").await.unwrap();
    follower.round().await.unwrap();
    assert!(b
        .release(&addr(), &v1)
        .unwrap()
        .unwrap()
        .deprecation
        .is_none());

    let (id, secret) = auth_store::create_token(store.as_ref(), Some(&a), ["read"], "ci", "test")
        .await
        .unwrap();
    follower.round().await.unwrap();
    let token = b
        .token_by_hash(&hash_token(&secret))
        .unwrap()
        .expect("B lacks the token");
    assert_eq!(
        (token.scopes, token.revoked_at),
        (vec!["read".to_owned()], None)
    );
    auth_store::revoke_token(store.as_ref(), None, id.as_str(), "test")
        .await
        .unwrap();
    follower.round().await.unwrap();
    let token = b.token_by_hash(&hash_token(&secret)).unwrap().unwrap();
    assert!(
        token.revoked_at.is_some(),
        "B still accepts the revoked token"
    );

    assert_eq!(follower.round().await.unwrap(), Round::default());
}

#[tokio::test]
async fn a_replica_follows_another_on_a_memory_store() {
    replica_b_follows_what_replica_a_writes(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn a_replica_follows_another_on_one_local_directory() {
    let dir = tempfile::tempdir().unwrap();
    replica_b_follows_what_replica_a_writes(Arc::new(LocalStore::new(dir.path()))).await;
}

#[tokio::test]
async fn a_replica_follows_another_on_a_real_s3_api() {
    let moto = Moto::start().await;
    let client = moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap());
    let location = S3Location {
        bucket: BUCKET.into(),
        prefix: "sync/".into(),
        kms_key_id: None,
    };
    replica_b_follows_what_replica_a_writes(Arc::new(S3Store::new(client, location))).await;
}

#[tokio::test]
async fn an_entry_written_before_its_commit_is_retried_until_the_object_appears() {
    let memory = MemoryStore::new();
    let dir = tempfile::tempdir().unwrap();
    let b = Index::open(&dir.path().join("b.sqlite3")).unwrap();
    let mut follower = Follower::resume(
        Arc::new(memory.clone()),
        b.clone(),
        dir.path().join("b-cursor"),
    );
    // A manifest made elsewhere, not yet in the shared store.
    let elsewhere = MemoryStore::new();
    let scratch = Index::open(&dir.path().join("scratch.sqlite3")).unwrap();
    publisher(&scratch, Arc::new(elsewhere.clone()))
        .publish(module("1.0.0"))
        .await
        .unwrap();
    let manifest = BlobKey::manifest(&addr(), &Version::new(1, 0, 0));

    let entry = ChangeEntry {
        key: manifest.to_string(),
    };
    let change = BlobKey::new_change(OffsetDateTime::now_utc());
    let body = Bytes::from(serde_json::to_vec(&entry).unwrap());
    memory.put_new(&change, body).await.unwrap();
    assert_eq!(follower.round().await.unwrap().applied, 0);
    assert!(b
        .release(&addr(), &Version::new(1, 0, 0))
        .unwrap()
        .is_none());

    let bytes = elsewhere.get(&manifest).await.unwrap().unwrap();
    memory.put_new(&manifest, bytes).await.unwrap();
    assert_eq!(follower.round().await.unwrap().applied, 1);
    assert!(b
        .release(&addr(), &Version::new(1, 0, 0))
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn an_entry_stamped_by_a_clock_behind_ours_within_the_window_is_still_applied() {
    let memory = MemoryStore::new();
    let store: Arc<dyn BlobStore> = Arc::new(Journaled::new(Arc::new(memory.clone())));
    let dir = tempfile::tempdir().unwrap();
    let b = Index::open(&dir.path().join("b.sqlite3")).unwrap();
    let mut follower = Follower::resume(store.clone(), b.clone(), dir.path().join("b-cursor"));
    assert_eq!(follower.round().await.unwrap(), Round::default());
    // A writer whose clock is a minute behind: its entry sorts before our last round.
    let (id, _) = auth_store::create_token(&memory, None, ["read"], "ci", "test")
        .await
        .unwrap();
    let behind = OffsetDateTime::now_utc() - Duration::from_secs(60);
    let entry = ChangeEntry {
        key: BlobKey::token(&id).to_string(),
    };
    let body = Bytes::from(serde_json::to_vec(&entry).unwrap());
    memory
        .put_new(&BlobKey::new_change(behind), body)
        .await
        .unwrap();
    assert_eq!(follower.round().await.unwrap().applied, 1);
    assert_eq!(b.list_tokens().unwrap().len(), 1);
}

#[tokio::test]
async fn a_replica_restarted_on_its_old_index_applies_what_changed_while_it_was_down() {
    let memory = MemoryStore::new();
    let store: Arc<dyn BlobStore> = Arc::new(Journaled::new(Arc::new(memory.clone())));
    let dir = tempfile::tempdir().unwrap();
    let a = Index::open(&dir.path().join("a.sqlite3")).unwrap();
    let b = Index::open(&dir.path().join("b.sqlite3")).unwrap();
    let cursor = dir.path().join("b-cursor");
    publisher(&a, store.clone())
        .publish(module("1.0.0"))
        .await
        .unwrap();
    Follower::resume(store.clone(), b.clone(), cursor.clone())
        .round()
        .await
        .unwrap();
    // B saved its position an hour ago and went down; half an hour ago 1.0.0 was deprecated.
    let an_hour_ago = OffsetDateTime::now_utc() - Duration::from_secs(3600);
    write_cursor(&cursor, an_hour_ago).unwrap();
    let key = BlobKey::deprecation(&addr(), &Version::new(1, 0, 0), 0);
    let record = crate::manifest::Deprecation {
        reason: "use 2.x".into(),
        replacement: None,
        at: "2026-12-01T00:00:00Z".into(),
        by: "test".into(),
    };
    let json = Bytes::from(serde_json::to_vec(&record).unwrap());
    memory.put_new(&key, json).await.unwrap();
    let entry = serde_json::to_vec(&ChangeEntry {
        key: key.to_string(),
    })
    .unwrap();
    let half_an_hour_ago = OffsetDateTime::now_utc() - Duration::from_secs(1800);
    let change = BlobKey::new_change(half_an_hour_ago);
    memory.put_new(&change, Bytes::from(entry)).await.unwrap();

    // Without its saved position a replica would start from now and never see it.
    let forgetful = dir.path().join("no-cursor");
    Follower::resume(store.clone(), b.clone(), forgetful)
        .round()
        .await
        .unwrap();
    assert!(b
        .release(&addr(), &Version::new(1, 0, 0))
        .unwrap()
        .unwrap()
        .deprecation
        .is_none());

    let mut restarted = Follower::resume(store.clone(), b.clone(), cursor.clone());
    assert_eq!(restarted.since, an_hour_ago);
    // Both entries since the saved position: the publish (already indexed) and the deprecation.
    assert_eq!(restarted.round().await.unwrap().applied, 2);
    let row = b.release(&addr(), &Version::new(1, 0, 0)).unwrap().unwrap();
    assert_eq!(row.deprecation.unwrap().reason, "use 2.x");
    assert!(
        read_cursor(&cursor).unwrap() > an_hour_ago,
        "the new position was not saved"
    );
}
