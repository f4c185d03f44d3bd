//! A tag push alone releases a module: `modreg serve` watches a real git repository, and real
//! Terraform installs what the watcher published. Moved tags, a breaking change tagged as a
//! minor, and deprecation are seen the way users see them.

use std::path::Path;
use std::time::{Duration, Instant};

use modreg_e2e::{git, text, Registry, Workspace};
use registry::git_watch::webhook::sign;
use serde_json::Value;

const SECRET: &str = "e2e-webhook-secret";

/// Commits `modules/{module}` with required string inputs and an output naming `marker`.
fn commit(repo: &Path, module: &str, inputs: &[&str], marker: &str) {
    let dir = repo.join("modules").join(module);
    std::fs::create_dir_all(&dir).unwrap();
    let mut tf = String::new();
    for input in inputs {
        tf.push_str(&format!(
            "variable \"{input}\" {{\n  type        = string\n  description = \"The {input}.\"\n}}\n\n"
        ));
    }
    tf.push_str(&format!(
        "output \"marker\" {{\n  description = \"Which release this is.\"\n  value       = \"{marker}\"\n}}\n"
    ));
    std::fs::write(dir.join("main.tf"), tf).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", marker]);
}

fn consumer(host: &str, version: &str) -> String {
    format!(
        "module \"a\" {{\n  source  = \"{host}/platform/a/aws\"\n  version = \"{version}\"\n  name    = \"e2e\"\n}}\n\noutput \"marker\" {{\n  value = module.a.marker\n}}\n"
    )
}

/// `terraform init` + `apply` of a consumer pinned at `version`; returns the installed version
/// and the module's `marker` output.
fn install(registry: &Registry, version: &str) -> (String, String) {
    let ws = Workspace::new(
        registry,
        &consumer(&registry.host, version),
        Some(&registry.read_token),
    );
    let init = ws.terraform(registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}\n{}", text(&init), registry.log());
    let installed = ws.installed()["Modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["Key"] == "a")
        .map(|m| m["Version"].as_str().unwrap().to_owned())
        .unwrap();
    let apply = ws.terraform(
        registry,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(registry, &["output", "-raw", "marker"]);
    (installed, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn versions(registry: &Registry) -> Vec<String> {
    let r = registry.get("/v1/modules/platform/a/aws/versions");
    if r.status() != 200 {
        return Vec::new();
    }
    let body: Value = r.json().unwrap();
    body["modules"][0]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap().to_owned())
        .collect()
}

fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn source_status(registry: &Registry) -> Value {
    let body: Value = registry.get("/readyz").json().unwrap();
    body["git"][0].clone()
}

fn hook(registry: &Registry, tag: &str, secret: &str) -> u16 {
    let body = format!(r#"{{"ref":"refs/tags/{tag}"}}"#);
    registry
        .request(reqwest::Method::POST, "/v1/hooks/git/infra")
        .header("x-github-event", "push")
        .header(
            "x-hub-signature-256",
            sign(secret.as_bytes(), body.as_bytes()),
        )
        .body(body)
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn a_tag_push_releases_a_module_that_terraform_installs_and_its_lifecycle_is_visible() {
    let repo = tempfile::tempdir().unwrap();
    let repo = repo.path();
    git(repo, &["init", "-q", "-b", "main"]);
    commit(repo, "a", &["name"], "a 1.0.0");
    git(repo, &["tag", "a/v1.0.0"]);
    commit(repo, "b", &["name"], "b 0.1.0");
    git(repo, &["tag", "b/v0.1.0"]);
    commit(repo, "a", &["name"], "a 1.1.0");
    git(repo, &["tag", "a/v1.1.0"]);
    git(repo, &["tag", "a/v1.1"]);

    let config_dir = tempfile::tempdir().unwrap();
    let secret_file = config_dir.path().join("webhook.secret");
    std::fs::write(&secret_file, SECRET).unwrap();
    let config = config_dir.path().join("modreg.toml");
    std::fs::write(
        &config,
        format!(
            "[[git.sources]]\nname = \"infra\"\nurl = '{}'\nnamespace = \"platform\"\npoll_secs = 0\nwebhook_secret_file = '{}'\n",
            repo.display(),
            secret_file.display()
        ),
    )
    .unwrap();
    let registry = Registry::start(&["--config", config.to_str().unwrap()]);

    // Picked up at start; the bad tag is listed with its reason.
    wait_until("a 1.0.0 and 1.1.0", || {
        (versions(&registry) == ["1.0.0", "1.1.0"]).then_some(())
    });
    let status = source_status(&registry);
    assert_eq!(status["skipped"][0]["tag"], "a/v1.1", "{status}");
    assert_eq!(
        install(&registry, "~> 1.0"),
        ("1.1.0".to_owned(), "a 1.1.0".to_owned())
    );

    // A new tag plus a signed webhook is installable within seconds; a bad signature is 401.
    commit(repo, "a", &["name"], "a 1.2.0");
    git(repo, &["tag", "a/v1.2.0"]);
    assert_eq!(hook(&registry, "a/v1.2.0", "wrong secret"), 401);
    let pushed = Instant::now();
    assert_eq!(hook(&registry, "a/v1.2.0", SECRET), 202);
    wait_until("a 1.2.0", || {
        versions(&registry)
            .contains(&"1.2.0".to_owned())
            .then_some(())
    });
    assert!(
        pushed.elapsed() < Duration::from_secs(10),
        "took {:?}",
        pushed.elapsed()
    );
    assert_eq!(install(&registry, "1.2.0").0, "1.2.0");

    // A breaking change tagged as a minor is not published, and the reason is visible.
    commit(repo, "a", &[], "a 1.3.0 without name");
    git(repo, &["tag", "a/v1.3.0"]);
    let rounds = source_status(&registry)["rounds"].as_u64().unwrap();
    assert_eq!(hook(&registry, "a/v1.3.0", SECRET), 202);
    let refused = wait_until("the refusal of a/v1.3.0", || {
        let status = source_status(&registry);
        (status["rounds"].as_u64() > Some(rounds)).then(|| status["refused"].clone())
    });
    assert_eq!(refused[0]["tag"], "a/v1.3.0", "{refused}");
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap()
            .contains("input `name` was removed"),
        "{refused}"
    );
    assert!(!versions(&registry).contains(&"1.3.0".to_owned()));

    // A moved tag is reported; Terraform still gets the original bytes.
    let original = git(repo, &["rev-list", "-n1", "a/v1.0.0"]);
    commit(repo, "a", &["name"], "a 1.0.0 rewritten");
    git(repo, &["tag", "-f", "a/v1.0.0"]);
    let rounds = source_status(&registry)["rounds"].as_u64().unwrap();
    assert_eq!(hook(&registry, "a/v1.0.0", SECRET), 202);
    let moved = wait_until("the moved-tag report", || {
        let status = source_status(&registry);
        (status["rounds"].as_u64() > Some(rounds)).then(|| status["moved"].clone())
    });
    assert_eq!(moved[0]["tag"], "a/v1.0.0", "{moved}");
    assert_eq!(moved[0]["published_commit"], original.as_str());
    let metrics = registry
        .request(reqwest::Method::GET, "/metrics")
        .bearer_auth(&registry.read_token)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("modreg_git_moved_tags_total{source=\"infra\"} 1"),
        "{metrics}"
    );
    assert_eq!(
        install(&registry, "1.0.0"),
        ("1.0.0".to_owned(), "a 1.0.0".to_owned())
    );

    // A deprecated version is still installed by an exact pin and says why in the details API.
    let out = registry.modreg(&[
        "deprecate",
        "platform/a/aws",
        "1.0.0",
        "--reason",
        "CVE-2026-0001: upgrade to 1.2.0",
        "--replacement",
        "1.2.0",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(install(&registry, "1.0.0").0, "1.0.0");
    let details: Value = registry
        .get("/v1/modules/platform/a/aws/1.0.0")
        .json()
        .unwrap();
    assert_eq!(
        details["deprecation"]["reason"],
        "CVE-2026-0001: upgrade to 1.2.0"
    );
    assert_eq!(details["deprecation"]["replacement"], "1.2.0");
    assert_eq!(details["publisher"], "git-watch");
    assert!(versions(&registry).contains(&"1.0.0".to_owned()));
}
