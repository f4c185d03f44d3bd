//! The `BlobStore` contract, written once and run against every implementation.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt as _;
use semver::Version;

use super::moto::{Moto, BUCKET};
use super::s3::sdk_config;
use super::{BlobKey, BlobStore, LocalStore, MemoryStore, PutOutcome, S3Location, S3Store};
use crate::address::ModuleAddress;

fn addr(name: &str) -> ModuleAddress {
    ModuleAddress::parse("platform", name, "aws").unwrap()
}

fn v(s: &str) -> Version {
    Version::parse(s).unwrap()
}

/// Runs every contract check against a fresh, empty store from `make`.
async fn contract<S: BlobStore>(make: impl Fn() -> S) {
    a_missing_key_reads_as_none(make()).await;
    a_new_store_answers_its_check(make()).await;
    put_new_creates_once_and_never_overwrites(make()).await;
    open_streams_the_whole_blob_and_none_for_a_missing_key(make()).await;
    list_manifests_returns_only_manifest_keys_sorted(make()).await;
    list_after_returns_the_flat_keys_after_the_cursor_sorted(make()).await;
    two_concurrent_writers_of_one_key_get_exactly_one_created(make).await;
}

async fn a_missing_key_reads_as_none(store: impl BlobStore) {
    let key = BlobKey::legacy_archive(&addr("vpc"), &v("1.0.0"));
    assert_eq!(store.get(&key).await.unwrap(), None);
}

async fn a_new_store_answers_its_check(store: impl BlobStore) {
    store.check().await.unwrap();
}

async fn open_streams_the_whole_blob_and_none_for_a_missing_key(store: impl BlobStore) {
    let key = BlobKey::legacy_archive(&addr("vpc"), &v("1.0.0"));
    assert!(store.open(&key).await.unwrap().is_none());
    // Larger than one local read chunk, so the stream has several.
    let bytes: Bytes = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    store.put_new(&key, bytes.clone()).await.unwrap();
    let blob = store.open(&key).await.unwrap().expect("the blob exists");
    assert_eq!(blob.len, bytes.len() as u64);
    let chunks: Vec<Bytes> = blob.chunks.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), bytes.to_vec());
}

async fn put_new_creates_once_and_never_overwrites(store: impl BlobStore) {
    let key = BlobKey::legacy_archive(&addr("vpc"), &v("1.0.0"));
    let first = Bytes::from_static(b"first");
    assert_eq!(
        store.put_new(&key, first.clone()).await.unwrap(),
        PutOutcome::Created
    );
    assert_eq!(
        store
            .put_new(&key, Bytes::from_static(b"second"))
            .await
            .unwrap(),
        PutOutcome::AlreadyExists
    );
    assert_eq!(store.get(&key).await.unwrap(), Some(first));
}

async fn list_manifests_returns_only_manifest_keys_sorted(store: impl BlobStore) {
    assert!(store.list_manifests().await.unwrap().is_empty());
    let expected = vec![
        BlobKey::manifest(&addr("eks"), &v("2.0.0")),
        BlobKey::manifest(&addr("vpc"), &v("1.0.0")),
        BlobKey::manifest(&addr("vpc"), &v("1.1.0-rc.1")),
    ];
    for key in expected.iter().rev() {
        store.put_new(key, Bytes::from_static(b"{}")).await.unwrap();
    }
    let archive = BlobKey::legacy_archive(&addr("vpc"), &v("1.0.0"));
    store
        .put_new(&archive, Bytes::from_static(b"tgz"))
        .await
        .unwrap();
    assert_eq!(store.list_manifests().await.unwrap(), expected);
}

async fn list_after_returns_the_flat_keys_after_the_cursor_sorted(store: impl BlobStore) {
    use super::{BlobPrefix, TokenId};
    assert!(store
        .list_after(BlobPrefix::CHANGES, None)
        .await
        .unwrap()
        .is_empty());
    let early = time::macros::datetime!(2026-12-01 10:00:00 UTC);
    let late = time::macros::datetime!(2026-12-01 10:00:05 UTC);
    let (a, b) = (BlobKey::new_change(early), BlobKey::new_change(late));
    let body = || Bytes::from_static(b"{}");
    for key in [&b, &a] {
        store.put_new(key, body()).await.unwrap();
    }
    // Neighbours that are not change-log entries.
    let token = BlobKey::token(&TokenId::parse("tok_1").unwrap());
    store.put_new(&token, body()).await.unwrap();
    store
        .put_new(&BlobKey::manifest(&addr("vpc"), &v("1.0.0")), body())
        .await
        .unwrap();
    let all = store.list_after(BlobPrefix::CHANGES, None).await.unwrap();
    assert_eq!(all, [a.clone(), b.clone()]);
    let cursor = BlobKey::change_cursor(early + time::Duration::SECOND);
    assert_eq!(
        store
            .list_after(BlobPrefix::CHANGES, Some(&cursor))
            .await
            .unwrap(),
        std::slice::from_ref(&b)
    );
    assert_eq!(
        store
            .list_after(BlobPrefix::CHANGES, Some(&b))
            .await
            .unwrap(),
        []
    );
    assert_eq!(
        store.list_after(BlobPrefix::TOKENS, None).await.unwrap(),
        [token]
    );
    assert!(store
        .list_after(BlobPrefix::REVOCATIONS, None)
        .await
        .unwrap()
        .is_empty());
}

async fn two_concurrent_writers_of_one_key_get_exactly_one_created<S: BlobStore>(
    make: impl Fn() -> S,
) {
    for round in 0..20 {
        let store = Arc::new(make());
        let key = BlobKey::legacy_archive(&addr("vpc"), &Version::new(1, 0, round));
        let writers: Vec<_> = [b"aaaa".as_slice(), b"bbbb".as_slice()]
            .into_iter()
            .map(|bytes| {
                let (store, key) = (store.clone(), key.clone());
                let bytes = Bytes::from_static(bytes);
                tokio::spawn(async move { (store.put_new(&key, bytes.clone()).await, bytes) })
            })
            .collect();
        let mut winners = Vec::new();
        for writer in writers {
            let (outcome, bytes) = writer.await.unwrap();
            if outcome.unwrap() == PutOutcome::Created {
                winners.push(bytes);
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        assert_eq!(store.get(&key).await.unwrap(), winners.pop());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_memory_store_meets_the_contract() {
    contract(MemoryStore::new).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_local_store_meets_the_contract() {
    let dirs = std::sync::Mutex::new(Vec::new());
    contract(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalStore::new(dir.path());
        dirs.lock().unwrap().push(dir);
        store
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_s3_store_meets_the_contract_against_a_real_s3_api() {
    let moto = Moto::start().await;
    let client = moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap());
    // Each fresh store is an empty prefix of the one bucket.
    let stores = AtomicU32::new(0);
    contract(|| {
        let n = stores.fetch_add(1, Ordering::Relaxed);
        S3Store::new(
            client.clone(),
            S3Location {
                bucket: BUCKET.into(),
                prefix: format!("contract-{n}"),
                kms_key_id: None,
            },
        )
    })
    .await;
}

#[test]
fn every_store_can_be_shared_as_a_trait_object() {
    let stores: Vec<Arc<dyn BlobStore>> = vec![
        Arc::new(MemoryStore::new()),
        Arc::new(LocalStore::new("/x")),
    ];
    assert_eq!(stores[1].describe(), "local directory /x");
}
