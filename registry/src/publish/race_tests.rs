//! Two publishers on one store, as two replicas (separate indexes, separate publish locks,
//! nothing shared but the store) publishing the same version at the same moment, many times:
//! exactly one release, the other gets the idempotent answer (same bytes) or a conflict
//! (other bytes), and the stored manifest always matches the tarball it names.

use std::sync::Arc;

use bytes::Bytes;
use semver::Version;

use super::*;
use crate::archive::pack_files;
use crate::storage::moto::{Moto, BUCKET};
use crate::storage::{sdk_config, LocalStore, S3Location, S3Store};

const ROUNDS: u64 = 50;

/// A replica: its own index and catalog on the shared store.
fn replica(dir: &tempfile::TempDir, name: &str, store: Arc<dyn BlobStore>) -> (Publisher, Index) {
    let index = Index::open(&dir.path().join(format!("{name}.sqlite3"))).unwrap();
    let catalog = Arc::new(Catalog::new(index.clone()));
    let publisher = Publisher::new(
        index.clone(),
        store,
        Limits::default(),
        catalog,
        Arc::default(),
    );
    (publisher, index)
}

fn release(version: &Version, flavour: &str) -> NewRelease {
    let main_tf = "output \"v\" {\n  description = \"v\"\n  value = \"v\"\n}\n";
    NewRelease {
        address: ModuleAddress::parse("platform", "vpc", "aws").unwrap(),
        version: version.clone(),
        tarball: Bytes::from(pack_files(vec![
            ("main.tf".into(), main_tf.into()),
            (
                "flavour.txt".into(),
                format!("{flavour} {version}").into_bytes(),
            ),
        ])),
        publisher: flavour.into(),
        source: None,
    }
}

/// Races `ROUNDS` versions between two replicas on `store`, alternating same and other bytes;
/// with `one_index` they share an index file, as two processes on one data dir do.
async fn race(store: Arc<dyn BlobStore>, one_index: bool) {
    let dir = tempfile::tempdir().unwrap();
    let (a, index_a) = replica(&dir, "a", store.clone());
    let (b, index_b) = replica(&dir, if one_index { "a" } else { "b" }, store.clone());
    for round in 0..ROUNDS {
        let version = Version::new(1, 0, round);
        let same = round % 2 == 0;
        let ours = release(&version, "a");
        let theirs = if same {
            release(&version, "a")
        } else {
            release(&version, "b")
        };
        let (from_a, from_b) = tokio::join!(
            tokio::spawn({
                let a = a.clone();
                async move { a.publish(ours).await }
            }),
            tokio::spawn({
                let b = b.clone();
                async move { b.publish(theirs).await }
            })
        );
        let outcomes = [from_a.unwrap(), from_b.unwrap()];
        let created: Vec<&Manifest> = outcomes
            .iter()
            .filter_map(|o| match o {
                Ok(Published::Created(m)) => Some(&**m),
                _ => None,
            })
            .collect();
        assert_eq!(created.len(), 1, "round {round}: {outcomes:?}");
        let winner = created[0];
        let loser = outcomes
            .iter()
            .find(|o| !matches!(o, Ok(Published::Created(_))))
            .unwrap();
        match (same, loser) {
            (true, Ok(Published::Unchanged(m))) => assert_eq!(m.sha256, winner.sha256),
            (false, Err(PublishError::Conflict { existing, .. })) => {
                assert_eq!(*existing, winner.sha256)
            }
            _ => panic!("round {round}, same bytes {same}: the loser got {loser:?}"),
        }

        // The store holds the winner's manifest, and the tarball it names is those bytes.
        let key = BlobKey::manifest(&winner.address, &version);
        let stored = store.get(&key).await.unwrap().unwrap();
        let stored = Manifest::parse_stored(&stored, &key).unwrap();
        assert_eq!(stored.sha256, winner.sha256, "round {round}");
        let tarball = store.get(&stored.archive_key().unwrap()).await.unwrap();
        let tarball = tarball.expect("the manifest's tarball exists");
        assert_eq!(
            archive::sha256_hex(&tarball),
            stored.sha256,
            "round {round}"
        );
        // A replica that indexed the release indexed the winner's.
        for index in [&index_a, &index_b] {
            if let Some(row) = index.release(&winner.address, &version).unwrap() {
                assert_eq!(row.sha256, winner.sha256, "round {round}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_bucket_racing_for_a_version_leave_exactly_one_whole_release() {
    let moto = Moto::start().await;
    let client = moto.client(sdk_config(&moto.s3_endpoint()).await.unwrap());
    let location = S3Location {
        bucket: BUCKET.into(),
        prefix: String::new(),
        kms_key_id: None,
    };
    race(Arc::new(S3Store::new(client, location)), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_directory_racing_for_a_version_leave_exactly_one_whole_release() {
    let dir = tempfile::tempdir().unwrap();
    race(Arc::new(LocalStore::new(dir.path())), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_on_one_data_dir_racing_for_a_version_leave_exactly_one_release() {
    let dir = tempfile::tempdir().unwrap();
    race(Arc::new(LocalStore::new(dir.path())), true).await;
}
