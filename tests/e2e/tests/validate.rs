//! `modreg validate` against a real `modreg serve`: the version it resolves is the one real
//! Terraform installs, every fixture gives its snapshot (human, JSON, SARIF valid against the
//! 2.1.0 schema), and this repository's examples pass when they call their module through the
//! registry.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use modreg_e2e::{greeter, modreg_bin, text, Registry, Workspace};

const HOST: &str = "registry.example.com";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/validate")
}

/// A CLI config sending `HOST` to the spawned registry, with its read token.
fn cli_config(registry: &Registry, dir: &Path) -> PathBuf {
    let path = dir.join("cli.tfrc");
    std::fs::write(
        &path,
        format!(
            "host \"{HOST}\" {{\n  services = {{\n    \"modules.v1\" = \"https://{}/v1/modules/\"\n  }}\n}}\n\
             credentials \"{HOST}\" {{\n  token = \"{}\"\n}}\n\
             credentials \"{}\" {{\n  token = \"{}\"\n}}\n",
            registry.host, registry.read_token, registry.host, registry.read_token
        ),
    )
    .unwrap();
    path
}

/// Runs `modreg validate ARGS` in `cwd` with the CLI config, the test CA and `cache`.
fn validate(registry: &Registry, config: &Path, cache: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(modreg_bin())
        .arg("validate")
        .args(args)
        .current_dir(cwd)
        .env("TF_CLI_CONFIG_FILE", config)
        .env("SSL_CERT_FILE", &registry.ca)
        .env("MODREG_CACHE_DIR", cache)
        .env("HOME", cache)
        .env("NO_COLOR", "1")
        .env_remove("XDG_CACHE_HOME")
        .output()
        .expect("modreg validate")
}

fn publish_fixture_modules(registry: &Registry) {
    let modules = fixtures().join("_registry");
    for v in ["1.0.0", "1.1.0", "1.2.0-rc1"] {
        registry.publish("network", v, &modules.join("network"));
    }
    registry.publish("legacy", "1.0.0", &modules.join("legacy"));
    let out = registry.modreg(&[
        "deprecate",
        "platform/legacy/aws",
        "1.0.0",
        "--reason",
        "CVE-2026-0001: state bucket readable by all",
    ]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn every_fixture_gives_its_snapshots_and_valid_sarif() {
    let registry = Registry::start(&[]);
    publish_fixture_modules(&registry);
    let work = tempfile::tempdir().unwrap();
    let config = cli_config(&registry, work.path());
    let mut cases: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('_'))
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 19,
        "a fixture per code and a clean one: {cases:?}"
    );
    let mut sarif_files = Vec::new();
    for case in &cases {
        let dir = fixtures().join(case);
        let extra = std::fs::read_to_string(dir.join("ARGS")).unwrap_or_default();
        let cache = work.path().join(format!("cache-{case}"));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&dir);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        let _guard = settings.bind_to_scope();
        for format in ["human", "json", "sarif"] {
            let mut args = vec![case.as_str(), "--format", format];
            args.extend(extra.split_whitespace());
            let out = validate(&registry, &config, &cache, &fixtures(), &args);
            let code = out.status.code();
            let expected = if case == "clean" { Some(0) } else { Some(1) };
            let stdout = String::from_utf8(out.stdout.clone()).unwrap();
            assert_eq!(
                code,
                expected,
                "{case} {format}: {}\n{}",
                text(&out),
                registry.log()
            );
            if case == "clean" && format == "human" {
                assert_eq!(stdout, "", "the clean fixture prints nothing");
            }
            insta::assert_snapshot!(format, stdout);
            if format == "sarif" {
                let path = work.path().join(format!("{case}.sarif"));
                std::fs::write(&path, &stdout).unwrap();
                sarif_files.push(path);
            }
        }
        if case != "clean" && case != "not-checked-offline" {
            let code = rule_code_of(case);
            let json = std::fs::read_to_string(dir.join("json.snap")).unwrap();
            assert!(
                json.contains(&format!("\"code\": \"{code}\"")),
                "{case} reports {code}"
            );
        }
    }
    let check = Command::new("check-json-schema")
        .arg(fixtures().join("sarif-schema-2.1.0.json"))
        .args(&sarif_files)
        .output()
        .expect("check-json-schema (tests/setup.sh installs it)");
    assert!(
        check.status.success(),
        "SARIF is not valid 2.1.0: {}",
        text(&check)
    );
}

/// The code a fixture is named after (its rule's name).
fn rule_code_of(case: &str) -> &'static str {
    let out = Command::new(modreg_bin())
        .args(["validate", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    match case {
        "unknown-argument" => "MR001",
        "missing-required-input" => "MR002",
        "type-mismatch" => "MR003",
        "unknown-output" => "MR004",
        "deprecated-input-or-output" => "MR005",
        "deprecated-release" => "MR006",
        "missing-subdirectory" => "MR007",
        "unresolvable-version" => "MR008",
        "module-not-found" => "MR009",
        "invalid-version-constraint" => "MR010",
        "missing-version" => "MR020",
        "unbounded-version" => "MR021",
        "forbidden-source" => "MR022",
        "missing-finops-tags" => "MR023",
        "environment-not-allowed" => "MR024",
        "suppression-without-reason" => "MR025",
        "local-child-modules" => "MR001",
        other => panic!("fixture `{other}` names no rule"),
    }
}

const PUBLISHED: &[&str] = &[
    "1.0.0",
    "1.0.4",
    "1.1.0",
    "1.2.0-rc1",
    "1.2.0",
    "2.0.0",
    "2.1.0-beta.1",
];

/// Constraints Terraform resolves, each in its own module call of one configuration.
const RESOLVABLE: &[&str] = &[
    "~> 1.0",
    "~> 1.0.0",
    "~> 1",
    "~> 2.0",
    ">= 1.0, < 2.0",
    ">= 1.0, != 2.0.0",
    "> 1.0.4, <= 1.2.0",
    "!= 2.0.0",
    "1.1",
    "= 1.1.0",
    "1.2.0-rc1",
    ">= 1.2.0-rc1",
    "<= 1.2.0-rc1",
];

/// Constraints nothing satisfies (pre-releases requested other than by a bare version).
const UNRESOLVABLE: &[&str] = &[
    "= 1.2.0-rc1",
    "~> 3.0",
    ">= 2.1.0-beta.1",
    "2.1.0-beta.1, < 3.0.0",
];

fn calls(host: &str, constraints: &[&str]) -> String {
    constraints
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "module \"m{i}\" {{\n  source  = \"{host}/platform/greeter/aws\"\n  version = \"{c}\"\n  name    = \"x\"\n}}\n\n"
            )
        })
        .collect()
}

fn selected(json: &serde_json::Value, module: &str) -> Option<String> {
    json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["module"] == module)
        .and_then(|m| m["selected"].as_str().map(str::to_owned))
}

#[test]
fn validate_resolves_every_constraint_to_what_terraform_init_installs() {
    let registry = Registry::start(&[]);
    for v in PUBLISHED {
        registry.publish("greeter", v, greeter(v).path());
    }
    let ws = Workspace::new(
        &registry,
        &calls(&registry.host, RESOLVABLE),
        Some(&registry.read_token),
    );
    let init = ws.terraform(
        &registry,
        &["init", "-input=false", "-no-color", "-backend=false"],
    );
    assert!(init.status.success(), "{}", text(&init));
    let installed = ws.installed();
    let cache = tempfile::tempdir().unwrap();
    let cli = ws.dir.path().join("cli.tfrc");
    let out = validate(
        &registry,
        &cli,
        cache.path(),
        ws.dir.path(),
        &[".", "--format", "json"],
    );
    assert_ne!(out.status.code(), Some(2), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (i, constraint) in RESOLVABLE.iter().enumerate() {
        let key = format!("m{i}");
        let terraform = installed["Modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["Key"] == key.as_str())
            .and_then(|m| m["Version"].as_str())
            .unwrap_or_else(|| panic!("terraform installed {key}"));
        assert_eq!(
            selected(&report, &key).as_deref(),
            Some(terraform),
            "`{constraint}`: terraform installed {terraform}"
        );
    }

    for constraint in UNRESOLVABLE {
        let ws = Workspace::new(
            &registry,
            &calls(&registry.host, &[constraint]),
            Some(&registry.read_token),
        );
        let init = ws.terraform(
            &registry,
            &["init", "-input=false", "-no-color", "-backend=false"],
        );
        assert!(!init.status.success(), "terraform resolved `{constraint}`");
        let said = text(&init).split_whitespace().collect::<Vec<_>>().join(" ");
        let newest = said
            .split("The newest available version is ")
            .nth(1)
            .map(|rest| {
                rest.trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .trim_end_matches('.')
                    .to_owned()
            })
            .unwrap_or_else(|| panic!("terraform names the newest version: {said}"));
        let out = validate(
            &registry,
            &ws.dir.path().join("cli.tfrc"),
            cache.path(),
            ws.dir.path(),
            &[".", "--format", "json"],
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(selected(&report, "m0"), None, "`{constraint}` resolved");
        let finding = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "MR008")
            .unwrap_or_else(|| panic!("MR008 for `{constraint}`: {report}"));
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .ends_with(&format!("the newest available version is {newest}")),
            "`{constraint}`: terraform said {newest}, modreg said {}",
            finding["message"]
        );
    }
}

/// `modules/<name>/examples/*` copied with `source = "../.."` replaced by the registry
/// address of the published module.
#[test]
fn every_example_passes_when_it_calls_its_module_through_the_registry() {
    let registry = Registry::start(&[]);
    let modules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../modules");
    let work = tempfile::tempdir().unwrap();
    let config = cli_config(&registry, work.path());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&modules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut examples = Vec::new();
    for module in &dirs {
        let name = module.file_name().unwrap().to_string_lossy().into_owned();
        let version = registry::demo::declared_version(module);
        registry.publish(&name, &version.to_string(), module);
        for example in std::fs::read_dir(module.join("examples")).unwrap() {
            let example = example.unwrap().path();
            let copy = work.path().join(format!(
                "{name}-{}",
                example.file_name().unwrap().to_string_lossy()
            ));
            std::fs::create_dir_all(&copy).unwrap();
            for file in std::fs::read_dir(&example).unwrap() {
                let file = file.unwrap().path();
                let text = std::fs::read_to_string(&file).unwrap().replace(
                    "source = \"../..\"",
                    &format!(
                        "source  = \"{HOST}/platform/{name}/aws\"\n  version = \"~> {}.{}\"",
                        version.major, version.minor
                    ),
                );
                std::fs::write(copy.join(file.file_name().unwrap()), text).unwrap();
            }
            examples.push(copy);
        }
    }
    assert!(
        examples.len() >= 14,
        "two examples per module: {examples:?}"
    );
    let cache = work.path().join("cache");
    for example in &examples {
        let out = validate(&registry, &config, &cache, example, &["."]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            example.display(),
            text(&out)
        );
    }
}
