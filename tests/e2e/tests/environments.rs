//! The dev and staging environments and the account bootstrap resolve every module they call
//! from a real `modreg serve` loaded with this repository's modules, at versions that satisfy
//! their constraints. The sources say `registry.internal`, as in production; a CLI-config
//! `host` block points that name at the spawned registry. `terraform get` installs modules
//! only, so no provider is downloaded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use modreg_e2e::{installed_modules, modreg_bin, terraform, text, Registry};
use registry::archive::{inspect, pack_files, Limits};
use registry::interface::extract;

const REGISTRY_HOST: &str = "registry.internal";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The registry loaded like the demo: every `modules/<name>` at its declared version.
fn registry_with_the_repository_modules() -> Registry {
    let registry = Registry::start(&[]);
    for entry in std::fs::read_dir(repo().join("modules")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let version = registry::demo::declared_version(&dir);
        registry.publish(&name, &version.to_string(), &dir);
    }
    registry
}

/// Copies a tree (here `infra/`: the roots and the composition they share), without `.terraform`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_name() == ".terraform" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// `registry.internal` served by the spawned registry, with its read token.
fn cli_config(registry: &Registry, dir: &Path) -> PathBuf {
    let path = dir.join("cli.tfrc");
    std::fs::write(
        &path,
        format!(
            "host \"{REGISTRY_HOST}\" {{\n  services = {{\n    \"modules.v1\" = \"https://{}/v1/modules/\"\n  }}\n}}\n\
             credentials \"{REGISTRY_HOST}\" {{\n  token = \"{}\"\n}}\n",
            registry.host, registry.read_token
        ),
    )
    .unwrap();
    path
}

/// The `module` calls of the configuration in `dir` (its top-level `.tf` files), by name:
/// (source, version constraint), read with the registry's own interface extraction.
fn module_calls(dir: &Path) -> BTreeMap<String, (String, String)> {
    let files = std::fs::read_dir(dir).unwrap().filter_map(|e| {
        let path = e.unwrap().path();
        let name = path.file_name()?.to_str()?.to_owned();
        (path.is_file() && name.ends_with(".tf")).then(|| (name, std::fs::read(&path).unwrap()))
    });
    let archive = inspect(&pack_files(files), &Limits::default()).unwrap();
    let interface = extract(&archive).unwrap();
    interface
        .root
        .dependencies
        .into_iter()
        .map(|d| (d.name, (d.source, d.version)))
        .collect()
}

/// Whether `version` meets a Terraform version constraint (`~> 1.2`, `>= 1.0, < 2.0`, `1.2.3`).
fn satisfies(version: &semver::Version, constraint: &str) -> bool {
    constraint.split(',').map(str::trim).all(|part| {
        let (op, wanted) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("=", part));
        let segments: Vec<u64> = wanted.split('.').map(|s| s.parse().unwrap()).collect();
        let floor = semver::Version::new(
            segments[0],
            segments.get(1).copied().unwrap_or(0),
            segments.get(2).copied().unwrap_or(0),
        );
        match op {
            // ~> X.Y allows X.*; ~> X.Y.Z allows X.Y.* (the last given segment may grow).
            "~>" => {
                let ceiling = match segments.len() {
                    1 | 2 => semver::Version::new(floor.major + 1, 0, 0),
                    _ => semver::Version::new(floor.major, floor.minor + 1, 0),
                };
                *version >= floor && *version < ceiling
            }
            ">=" => *version >= floor,
            "<=" => *version <= floor,
            ">" => *version > floor,
            "<" => *version < floor,
            "!=" => *version != floor,
            _ => *version == floor,
        }
    })
}

#[test]
fn terraform_constraints_are_read_as_terraform_reads_them() {
    let v = |s: &str| semver::Version::parse(s).unwrap();
    assert!(satisfies(&v("1.4.0"), "~> 1.0"));
    assert!(!satisfies(&v("2.0.0"), "~> 1.0"));
    assert!(satisfies(&v("1.0.9"), "~> 1.0.3"));
    assert!(!satisfies(&v("1.1.0"), "~> 1.0.3"));
    assert!(!satisfies(&v("1.0.2"), "~> 1.0.3"));
    assert!(satisfies(&v("1.5.0"), ">= 1.0, < 2.0"));
    assert!(!satisfies(&v("0.9.0"), ">= 1.0, < 2.0"));
    assert!(satisfies(&v("1.2.3"), "1.2.3"));
}

/// Runs `terraform get` in `root` and checks every registry module it installed against the
/// constraint of the call that asked for it; returns the registry module names installed.
fn resolve(registry: &Registry, cli: &Path, root: &Path) -> BTreeSet<String> {
    let out = terraform(registry, root, cli, &["get", "-no-color"]);
    assert!(
        out.status.success(),
        "terraform get in {}:\n{}\n{}",
        root.display(),
        text(&out),
        registry.log()
    );
    let modules = installed_modules(root);
    let entries = modules["Modules"].as_array().unwrap();
    // Where each installed module key lives, to find the configuration that called it.
    let dirs: BTreeMap<&str, PathBuf> = entries
        .iter()
        .map(|m| {
            (
                m["Key"].as_str().unwrap(),
                root.join(m["Dir"].as_str().unwrap()),
            )
        })
        .collect();

    let mut installed = BTreeSet::new();
    let mut checked_calls = 0;
    for caller_key in dirs.keys() {
        let caller_dir = &dirs[caller_key];
        for (name, (source, constraint)) in module_calls(caller_dir) {
            let key = if caller_key.is_empty() {
                name.clone()
            } else {
                format!("{caller_key}.{name}")
            };
            let entry = entries
                .iter()
                .find(|m| m["Key"] == key.as_str())
                .unwrap_or_else(|| panic!("{key} ({source}) was not installed: {modules}"));
            let Some(address) = source.strip_prefix(&format!("{REGISTRY_HOST}/")) else {
                assert!(
                    source.starts_with("../"),
                    "{key}: source {source} is neither the registry nor a local composition"
                );
                continue;
            };
            assert!(
                !constraint.is_empty(),
                "{key}: {source} has no version constraint"
            );
            assert!(
                constraint.starts_with("~>"),
                "{key}: pin registry modules with ~>, found {constraint}"
            );
            let version = semver::Version::parse(entry["Version"].as_str().unwrap()).unwrap();
            assert!(
                satisfies(&version, &constraint),
                "{key}: installed {version}, which does not satisfy {constraint}"
            );
            installed.insert(address.split('/').nth(1).unwrap().to_owned());
            checked_calls += 1;
        }
    }
    assert!(
        checked_calls > 0,
        "{}: no registry module was installed",
        root.display()
    );
    installed
}

#[test]
fn terraform_resolves_every_module_of_dev_staging_and_the_bootstrap_from_the_registry() {
    let registry = registry_with_the_repository_modules();
    let work = tempfile::tempdir().unwrap();
    let infra = work.path().join("infra");
    copy_tree(&repo().join("infra"), &infra);
    let cli = cli_config(&registry, work.path());

    let every_environment_module: BTreeSet<String> = [
        "kms",
        "vpc",
        "iam",
        "eks",
        "ec2",
        "rds",
        "s3",
        "monitoring",
        "eks-monitoring",
        "config",
        "finops",
    ]
    .map(String::from)
    .into();
    for env in ["dev", "staging"] {
        let installed = resolve(&registry, &cli, &infra.join("envs").join(env));
        assert_eq!(
            installed, every_environment_module,
            "{env} calls every platform module"
        );
    }
    let bootstrap = resolve(&registry, &cli, &infra.join("bootstrap"));
    assert_eq!(bootstrap, ["iam", "kms", "s3"].map(String::from).into());
}

#[test]
fn modreg_validate_finds_nothing_in_the_environments_and_the_bootstrap() {
    let registry = registry_with_the_repository_modules();
    let work = tempfile::tempdir().unwrap();
    let cli = cli_config(&registry, work.path());
    let infra = repo().join("infra");
    // As the resolve job of .github/workflows/terraform.yml runs it: infra/envs/* (the two roots
    // and the composition holding the module calls), and the bootstrap.
    let out = Command::new(modreg_bin())
        .arg("validate")
        .args(["envs/dev", "envs/staging", "envs/platform", "bootstrap"].map(|d| infra.join(d)))
        .env("TF_CLI_CONFIG_FILE", &cli)
        .env("SSL_CERT_FILE", &registry.ca)
        .env("MODREG_CACHE_DIR", work.path().join("cache"))
        .env_remove("TF_TOKEN_registry_internal")
        .output()
        .expect("modreg validate");
    assert!(
        out.status.success(),
        "modreg validate reported findings:\n{}\n{}",
        text(&out),
        registry.log()
    );
}
