//! The registry on S3 (a real S3 API: moto): a second replica with an empty data dir joins
//! from the bucket and real Terraform installs through it, also through presigned URLs; an
//! outage of S3 leaves reads served, turns downloads and publishing into `503`s that say why,
//! leaves nothing half-published when it cuts an upload off, and heals by itself.

use std::time::{Duration, Instant};

use modreg_e2e::moto::{Moto, AWS_ENV};
use modreg_e2e::relay::Relay;
use modreg_e2e::store::{unreferenced_tarballs, whole_releases};
use modreg_e2e::{big_greeter, greeter, text, Registry, Workspace};

const STORAGE_UNAVAILABLE: &str = "storage is unavailable";

fn on_bucket(moto: &Moto, extra: &[&str]) -> Registry {
    let mut flags = moto.flags();
    flags.extend(extra.iter().map(|f| f.to_string()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    Registry::start_with(&flags, AWS_ENV)
}

fn readyz(registry: &Registry) -> serde_json::Value {
    let url = format!("https://{}/readyz", registry.host);
    registry.client().get(url).send().unwrap().json().unwrap()
}

/// Polls `/readyz` until the storage state is `state` (the probe runs every 5 s).
fn wait_for_storage(registry: &Registry, state: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let body = readyz(registry);
        if body["storage"]["state"] == state {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "storage never became {state}: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_replica_with_an_empty_data_dir_builds_its_index_from_the_bucket_and_terraform_installs_through_it(
) {
    let moto = Moto::start();
    let first = on_bucket(&moto, &[]);
    for v in ["1.0.0", "1.1.0", "2.0.0"] {
        first.publish("greeter", v, greeter(v).path());
    }
    assert_eq!(moto.count("modules/platform/greeter/aws/"), 6);
    // (`blobs/auth/` holds the harness's tokens, made with `modreg token` on the data dir
    // before `serve` started; serve moved them into the bucket.)
    assert!(
        !first.data_dir.path().join("blobs/modules").exists(),
        "release blobs went to local disk"
    );

    let second = on_bucket(&moto, &[]);
    assert_eq!(readyz(&second)["ready"], true);
    let versions: serde_json::Value = second
        .get("/v1/modules/platform/greeter/aws/versions")
        .json()
        .unwrap();
    let listed: Vec<&str> = versions["modules"][0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 3, "{versions}");

    let main_tf = format!(
        "module \"greeter\" {{\n  source  = \"{}/platform/greeter/aws\"\n  version = \"~> 1.0\"\n  name    = \"replica\"\n}}\n\noutput \"greeting\" {{\n  value = module.greeter.greeting\n}}\n",
        second.host
    );
    let ws = Workspace::new(&second, &main_tf, Some(&second.read_token));
    let init = ws.terraform(&second, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}\n{}", text(&init), second.log());
    let apply = ws.terraform(
        &second,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(&second, &["output", "-raw", "greeting"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello replica from 1.1.0"
    );
}

#[test]
fn with_s3_stopped_reads_are_served_downloads_and_publishing_answer_503_and_it_recovers() {
    let mut moto = Moto::start();
    let registry = on_bucket(&moto, &[]);
    registry.publish("greeter", "1.0.0", greeter("1.0.0").path());
    let download = "/v1/modules/platform/greeter/aws/1.0.0/download";
    let location = registry.get(download).headers()["x-terraform-get"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(registry.get(&location).status(), 200);

    moto.stop();
    for read in [
        "/v1/modules/platform/greeter/aws/versions",
        "/v1/modules/search?q=greeter",
        "/v1/modules/platform/greeter/aws/1.0.0",
    ] {
        assert_eq!(registry.get(read).status(), 200, "{read}");
    }
    let archive = registry.get(&location);
    assert_eq!(archive.status(), 503);
    assert_eq!(archive.headers()["retry-after"], "5");
    assert!(archive.text().unwrap().contains(STORAGE_UNAVAILABLE));
    let body = wait_for_storage(&registry, "unavailable");
    assert_eq!(body["ready"], true, "{body}");
    assert!(
        body["storage"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("failed in the backend")),
        "{body}"
    );
    let refused = registry.get(download);
    assert_eq!(refused.status(), 503);
    assert!(refused.text().unwrap().contains(STORAGE_UNAVAILABLE));
    let publish = registry.try_publish("greeter", "1.1.0", greeter("1.1.0").path());
    assert!(!publish.status.success());
    assert!(
        text(&publish).contains(STORAGE_UNAVAILABLE),
        "{}",
        text(&publish)
    );

    moto.start_again();
    wait_for_storage(&registry, "ok");
    assert_eq!(registry.get(download).status(), 204);
    assert_eq!(registry.get(&location).status(), 200);
    registry.publish("greeter", "1.1.0", greeter("1.1.0").path());
    let location = registry.get("/v1/modules/platform/greeter/aws/1.1.0/download");
    let location = location.headers()["x-terraform-get"].to_str().unwrap();
    let tarball = registry.get(location).bytes().unwrap();
    let expected = registry::archive::pack_dir(greeter("1.1.0").path()).unwrap();
    assert_eq!(tarball.as_ref(), expected.as_slice());
}

#[test]
fn with_presigned_downloads_terraform_installs_a_module_straight_from_the_bucket() {
    let moto = Moto::start();
    let registry = on_bucket(&moto, &["--s3-presigned-downloads"]);
    registry.publish("greeter", "1.0.0", greeter("1.0.0").path());
    let download = registry.get("/v1/modules/platform/greeter/aws/1.0.0/download");
    assert_eq!(download.status(), 204);
    let location = download.headers()["x-terraform-get"].to_str().unwrap();
    let sha256 = registry::archive::sha256_hex(
        &registry::archive::pack_dir(greeter("1.0.0").path()).unwrap(),
    );
    let object = format!("/modreg-e2e/modules/platform/greeter/aws/sha256/{sha256}.tar.gz");
    assert!(
        location.starts_with(&format!("{}{object}?", moto.endpoint())),
        "{location}"
    );
    assert!(location.contains("X-Amz-Expires="), "{location}");
    assert!(
        location.ends_with(&format!("&checksum=sha256:{sha256}")),
        "{location}"
    );
    assert_eq!(
        registry
            .get("/v1/modules/platform/greeter/aws/1.0.0/download")
            .headers()["x-terraform-get"],
        location,
        "the same link within one expiry step"
    );

    let main_tf = format!(
        "module \"greeter\" {{\n  source  = \"{}/platform/greeter/aws\"\n  version = \"1.0.0\"\n  name    = \"bucket\"\n}}\n\noutput \"greeting\" {{\n  value = module.greeter.greeting\n}}\n",
        registry.host
    );
    let ws = Workspace::new(&registry, &main_tf, Some(&registry.read_token));
    let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}\n{}", text(&init), registry.log());
    let apply = ws.terraform(
        &registry,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(&registry, &["output", "-raw", "greeting"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello bucket from 1.0.0"
    );
    assert!(
        !registry.log().contains("/v1/archives/"),
        "the archive went through the registry: {}",
        registry.log()
    );
}

const MIB: u64 = 1024 * 1024;

#[test]
fn a_publish_cut_off_by_an_s3_outage_mid_upload_leaves_nothing_half_published() {
    let moto = Moto::start();
    let relay = Relay::to(moto.port());
    let flags = moto.flags_via(relay.port);
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let registry = Registry::start_with(&flags, AWS_ENV);
    registry.publish("greeter", "1.0.0", greeter("1.0.0").path());
    let versions = "/v1/modules/platform/greeter/aws/versions";
    // 4 MiB into the tarball's first 8 MiB part; half a MiB into its second part.
    for (version, cut_after) in [("1.1.0", 4 * MIB), ("1.2.0", 8 * MIB + MIB / 2)] {
        let module = big_greeter(version);
        relay.cut_after(cut_after);
        let cut_off = registry.try_publish("greeter", version, module.path());
        assert!(
            !cut_off.status.success(),
            "{version} was published through the outage"
        );
        assert!(
            text(&cut_off).contains(STORAGE_UNAVAILABLE),
            "{}",
            text(&cut_off)
        );
        let listed = registry.get(versions);
        assert_eq!(listed.status(), 200, "reads are served during the outage");
        assert!(
            !listed.text().unwrap().contains(version),
            "{version} is listed"
        );

        relay.restore();
        wait_for_storage(&registry, "ok");
        let stored = whole_releases(&moto.objects(""));
        assert!(
            !stored.contains_key(&format!("platform/greeter/aws {version}")),
            "{stored:?}"
        );
        let served: Vec<String> = registry.served_releases("greeter").into_keys().collect();
        let expected: Vec<String> = stored
            .keys()
            .map(|r| r.replace("platform/greeter/aws ", ""))
            .collect();
        assert_eq!(served, expected);
        // Publishing it again, with S3 back, completes it.
        registry.publish("greeter", version, module.path());
    }
    let served = registry.served_releases("greeter");
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        ["1.0.0", "1.1.0", "1.2.0"]
    );
    assert_eq!(whole_releases(&moto.objects("")).len(), 3);
    assert_eq!(
        unreferenced_tarballs(&moto.objects("")),
        0,
        "an upload cut off is not an object"
    );
}
