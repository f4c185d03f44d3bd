//! Several `modreg serve` replicas on one bucket (a real S3 API: moto), each with its own data
//! dir: what is published, deprecated or changed in tokens through one, or by `modreg token`
//! against the bucket, is served by every other within `sync_secs`, without a restart; a new
//! replica with an empty data dir is ready only once it serves the releases and the tokens;
//! a sync that fails says why in `/readyz` and heals by itself.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use modreg_e2e::moto::{Moto, AWS_ENV};
use modreg_e2e::{greeter, modreg_bin, text, Registry, Workspace};
use serde_json::Value;

const SYNC_SECS: u64 = 2;
/// A round every `SYNC_SECS`, plus room for a loaded 2-core machine.
const WITHIN: Duration = Duration::from_secs(2 * SYNC_SECS + 6);

fn replica(moto: &Moto) -> Registry {
    let flags = moto.flags();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let sync = SYNC_SECS.to_string();
    let mut env = AWS_ENV.to_vec();
    env.push(("MODREG_SYNC_SECS", &sync));
    Registry::start_with(&flags, &env)
}

/// `modreg token …` against the bucket, as an operator runs it from anywhere.
fn token_cli(moto: &Moto, args: &[&str]) -> Output {
    let data_dir = tempfile::tempdir().unwrap();
    Command::new(modreg_bin())
        .arg("token")
        .args(args)
        .args(moto.flags())
        .arg("--data-dir")
        .arg(data_dir.path())
        .envs(AWS_ENV.iter().copied())
        .output()
        .expect("modreg token")
}

fn versions_with(registry: &Registry, token: &str) -> reqwest::blocking::Response {
    registry
        .client()
        .get(format!(
            "https://{}/v1/modules/platform/greeter/aws/versions",
            registry.host
        ))
        .bearer_auth(token)
        .send()
        .unwrap()
}

fn versions(registry: &Registry) -> Vec<String> {
    let body: Value = registry
        .get("/v1/modules/platform/greeter/aws/versions")
        .json()
        .unwrap_or(Value::Null);
    body["modules"][0]["versions"]
        .as_array()
        .map(|vs| {
            vs.iter()
                .map(|v| v["version"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn readyz(registry: &Registry) -> Value {
    let url = format!("https://{}/readyz", registry.host);
    registry.client().get(url).send().unwrap().json().unwrap()
}

/// Polls `check` until it holds, failing after `within` with `what`; returns how long it took.
fn eventually(within: Duration, what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if check() {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "{what} not seen within {within:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn replicas_on_one_bucket_serve_each_others_releases_deprecations_and_tokens_within_sync_secs() {
    let moto = Moto::start();
    let a = replica(&moto);
    let b = replica(&moto);

    a.publish("greeter", "1.0.0", greeter("1.0.0").path());
    eventually(WITHIN, "a release published on A, on B", || {
        versions(&b) == ["1.0.0"]
    });
    let main_tf = format!(
        "module \"greeter\" {{\n  source  = \"{}/platform/greeter/aws\"\n  version = \"~> 1.0\"\n  name    = \"b\"\n}}\n\noutput \"greeting\" {{\n  value = module.greeter.greeting\n}}\n",
        b.host
    );
    let ws = Workspace::new(&b, &main_tf, Some(&b.read_token));
    let init = ws.terraform(&b, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}\n{}", text(&init), b.log());
    let apply = ws.terraform(&b, &["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(&b, &["output", "-raw", "greeting"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello b from 1.0.0");

    let created = token_cli(
        &moto,
        &["create", "--scope", "read", "--description", "shared"],
    );
    assert!(created.status.success(), "{}", text(&created));
    let secret = String::from_utf8(created.stdout.clone())
        .unwrap()
        .trim()
        .to_owned();
    for replica in [&a, &b] {
        eventually(WITHIN, "a token created against the bucket", || {
            versions_with(replica, &secret).status() == 200
        });
    }
    let listed = token_cli(&moto, &["list"]);
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned();
    let id = listing
        .lines()
        .find(|l| l.ends_with(" shared"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("the new token is not listed: {listing}"))
        .to_owned();
    let revoked = token_cli(&moto, &["revoke", &id]);
    assert!(revoked.status.success(), "{}", text(&revoked));
    assert!(
        text(&revoked).contains("within sync_secs"),
        "{}",
        text(&revoked)
    );
    for replica in [&a, &b] {
        eventually(WITHIN, "a revocation made against the bucket", || {
            versions_with(replica, &secret).status() == 401
        });
    }

    let out = a.modreg(&[
        "deprecate",
        "platform/greeter/aws",
        "1.0.0",
        "--reason",
        "use 2.x",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    eventually(WITHIN, "a deprecation made on A, on B", || {
        let details: Value = b
            .get("/v1/modules/platform/greeter/aws/1.0.0")
            .json()
            .unwrap();
        details["deprecation"]["reason"] == "use 2.x"
    });
    // Withdrawn on A (a new record: nothing in the bucket is deleted), cleared on B.
    let out = a.modreg(&["deprecate", "platform/greeter/aws", "1.0.0", "--undo"]);
    assert!(out.status.success(), "{}", text(&out));
    eventually(WITHIN, "a withdrawn deprecation, on B", || {
        let details: Value = b
            .get("/v1/modules/platform/greeter/aws/1.0.0")
            .json()
            .unwrap();
        details["deprecation"].is_null()
    });
    assert_eq!(
        moto.count("modules/platform/greeter/aws/1.0.0.deprecation"),
        2
    );

    // A third replica with an empty data dir: ready means it serves the releases and every
    // token the bucket knows (A's were migrated there from A's data dir when A started).
    let c = replica(&moto);
    assert_eq!(readyz(&c)["ready"], true);
    assert_eq!(versions(&c), ["1.0.0"]);
    assert_eq!(versions_with(&c, &a.read_token).status(), 200);
    assert_eq!(versions_with(&c, &b.read_token).status(), 200);
    assert_eq!(
        versions_with(&c, &secret).status(),
        401,
        "a revoked token came back"
    );
    let sync = &readyz(&c)["sync"];
    assert!(
        sync["state"] == "ok" || sync["state"] == "starting",
        "{sync}"
    );
}

#[test]
fn a_sync_that_fails_while_s3_is_stopped_says_why_in_readyz_and_recovers_by_itself() {
    let mut moto = Moto::start();
    let a = replica(&moto);
    let b = replica(&moto);
    eventually(WITHIN, "a first sync round", || {
        readyz(&b)["sync"]["state"] == "ok"
    });

    moto.stop();
    let mut body = Value::Null;
    eventually(
        WITHIN + Duration::from_secs(60),
        "a failing sync in /readyz",
        || {
            body = readyz(&b);
            body["sync"]["state"] == "failing"
        },
    );
    assert_eq!(
        body["ready"], true,
        "a failing sync must not take B out: {body}"
    );
    let reason = body["sync"]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("change log"), "{body}");

    moto.start_again();
    eventually(WITHIN + Duration::from_secs(60), "sync recovering", || {
        readyz(&b)["sync"]["state"] == "ok"
    });
    a.publish("greeter", "1.1.0", greeter("1.1.0").path());
    eventually(WITHIN, "a release published after the outage, on B", || {
        versions(&b) == ["1.1.0"]
    });
}
