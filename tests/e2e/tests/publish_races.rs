//! Several `modreg serve` processes on one store, a moto bucket or one data dir: the same
//! version published on two of them at once, many times, leaves exactly one whole release;
//! `kill -9` in the middle of publishing leaves each release absent or whole, and a replica
//! started afterwards sees exactly the same releases.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use modreg_e2e::moto::{Moto, AWS_ENV};
use modreg_e2e::store::{local_objects, unreferenced_tarballs, whole_releases};
use modreg_e2e::{big_greeter, greeter, text, Registry};
use tempfile::TempDir;

const RACE_ROUNDS: u64 = 50;
const KILL_ROUNDS: u64 = 5;
const PUBLISHES_PER_KILL: u64 = 6;

fn on_bucket(moto: &Moto) -> Registry {
    let flags = moto.flags();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    Registry::start_with(&flags, AWS_ENV)
}

/// The greeter with one more file: the same interface, other bytes.
fn other_greeter(version: &str) -> TempDir {
    let dir = greeter(version);
    std::fs::write(dir.path().join("NOTES.md"), "other bytes\n").unwrap();
    dir
}

fn spawn(registry: &Registry, version: &str, dir: &TempDir) -> Child {
    registry
        .publish_command("greeter", version, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("modreg publish")
}

fn outcome(out: &Output) -> &'static str {
    let said = text(out);
    match out.status.success() {
        true if said.contains(": created (sha256") => "created",
        true if said.contains(": unchanged (sha256") => "unchanged",
        false if said.contains("already exists with different content") => "conflict",
        _ => panic!("unexpected publish outcome: {said}"),
    }
}

/// `RACE_ROUNDS` versions, each published on `a` and `b` at once, alternately with the same
/// and with other bytes; `objects` reads the whole store.
fn race(a: &Registry, b: &Registry, objects: impl Fn() -> Vec<(String, Vec<u8>)>) {
    for round in 0..RACE_ROUNDS {
        let version = format!("1.0.{round}");
        let same = round % 2 == 0;
        let ours = greeter(&version);
        let theirs = if same {
            greeter(&version)
        } else {
            other_greeter(&version)
        };
        let racers = [spawn(a, &version, &ours), spawn(b, &version, &theirs)];
        let outs: Vec<Output> = racers
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let mut outcomes: Vec<&str> = outs.iter().map(outcome).collect();
        outcomes.sort_unstable();
        let expected = if same {
            ["created", "unchanged"]
        } else {
            ["conflict", "created"]
        };
        assert_eq!(outcomes, expected, "round {round}");
    }
    let stored = whole_releases(&objects());
    assert_eq!(stored.len() as u64, RACE_ROUNDS, "{stored:?}");
    // Each replica serves whole releases only (without sync, each knows those it took part
    // in: all of them on one data dir, the won and the same-bytes ones on a bucket).
    for replica in [a, b] {
        for (version, sha256) in replica.served_releases("greeter") {
            let release = format!("platform/greeter/aws {version}");
            assert_eq!(stored.get(&release), Some(&sha256), "{release}");
        }
    }
}

#[test]
fn two_replicas_on_one_bucket_publishing_one_version_at_once_leave_exactly_one_release() {
    let moto = Moto::start();
    let (a, b) = (on_bucket(&moto), on_bucket(&moto));
    race(&a, &b, || moto.objects(""));
}

#[test]
fn two_processes_on_one_data_dir_publishing_one_version_at_once_leave_exactly_one_release() {
    let a = Registry::start(&[]);
    let b = a.another_on_this_data_dir();
    let blobs = a.data_dir.path().join("blobs");
    race(&a, &b, || local_objects(&blobs));
    assert_eq!(
        a.served_releases("greeter"),
        b.served_releases("greeter"),
        "one data dir, one index"
    );
}

/// Rounds of: several publishes in flight (one of them a 9 MiB upload), `kill -9` at a
/// different moment each round, restart. After each, every release is absent or whole and the
/// restarted process serves exactly what the store holds; finally `join` (a replica
/// started afterwards) serves exactly the same.
fn kill_while_publishing(
    registry: &mut Registry,
    objects: impl Fn() -> Vec<(String, Vec<u8>)>,
    join: impl Fn(&Registry) -> Registry,
) {
    let mut interrupted = 0;
    for round in 0..KILL_ROUNDS {
        let modules: Vec<(String, TempDir)> = (0..PUBLISHES_PER_KILL)
            .map(|i| {
                let version = format!("{}.{i}.0", round + 1);
                let dir = if i == 0 {
                    big_greeter(&version)
                } else {
                    greeter(&version)
                };
                (version, dir)
            })
            .collect();
        let children: Vec<Child> = modules
            .iter()
            .map(|(version, dir)| spawn(registry, version, dir))
            .collect();
        std::thread::sleep(Duration::from_millis(100 + 150 * round));
        registry.kill();
        let acknowledged: BTreeSet<String> = children
            .into_iter()
            .zip(&modules)
            .filter_map(|(child, (version, _))| {
                let out = child.wait_with_output().unwrap();
                out.status.success().then(|| version.clone())
            })
            .collect();
        interrupted += modules.len() - acknowledged.len();

        registry.restart();
        let stored: BTreeMap<String, String> = whole_releases(&objects())
            .into_iter()
            .map(|(release, sha)| (release.replace("platform/greeter/aws ", ""), sha))
            .collect();
        let served = registry.served_releases("greeter");
        assert_eq!(served, stored, "round {round}: served and stored differ");
        for version in &acknowledged {
            assert!(
                served.contains_key(version),
                "acknowledged {version} was lost"
            );
        }
    }
    assert!(
        interrupted > 0,
        "no publish was ever cut off: the kills all came too late to test anything"
    );
    let served = registry.served_releases("greeter");
    assert_eq!(join(registry).served_releases("greeter"), served);
    eprintln!(
        "{} releases whole after {KILL_ROUNDS} kills, {interrupted} publishes cut off, {} unreferenced tarballs",
        served.len(),
        unreferenced_tarballs(&objects())
    );
}

#[test]
fn kill_9_while_publishing_to_a_bucket_leaves_each_release_absent_or_whole_on_every_replica() {
    let moto = Moto::start();
    let mut registry = on_bucket(&moto);
    kill_while_publishing(&mut registry, || moto.objects(""), |_| on_bucket(&moto));
}

#[test]
fn kill_9_while_publishing_to_a_data_dir_leaves_each_release_absent_or_whole() {
    let mut registry = Registry::start(&[]);
    let blobs = registry.data_dir.path().join("blobs");
    kill_while_publishing(
        &mut registry,
        || local_objects(&blobs),
        Registry::another_on_this_data_dir,
    );
}
