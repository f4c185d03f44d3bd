//! `modreg publish --all-tags` and `--dry-run` against a real `modreg serve`: exit 0 when every
//! tag is in, 1 when a gate refused one or one has moved, and a dry run needs no registry.

use std::path::Path;
use std::process::Command;

use modreg_e2e::{git, modreg_bin, text, Registry};

fn commit(repo: &Path, module: &str, inputs: &[&str], outputs: &[&str]) {
    let dir = repo.join("modules").join(module);
    std::fs::create_dir_all(&dir).unwrap();
    let tf: String = inputs
        .iter()
        .map(|i| {
            format!(
                "variable \"{i}\" {{\n  type        = string\n  description = \"The {i}.\"\n}}\n"
            )
        })
        .collect();
    let outputs: String = outputs
        .iter()
        .map(|o| {
            format!("output \"{o}\" {{\n  description = \"The {o}.\"\n  value       = 1\n}}\n")
        })
        .collect();
    std::fs::write(dir.join("main.tf"), format!("{tf}{outputs}")).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", module, "--allow-empty"]);
}

#[test]
fn all_tags_publishes_lowest_first_reports_refusals_and_moves_and_a_dry_run_needs_no_registry() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q", "-b", "main"]);
    commit(repo, "vpc", &["cidr", "name"], &["id"]);
    git(repo, &["tag", "vpc/v1.0.0"]);
    commit(repo, "vpc", &["cidr", "name"], &["id", "arn"]);
    git(repo, &["tag", "vpc/v1.1.0"]);
    git(repo, &["tag", "vpc/v1.2"]);

    let dry = Command::new(modreg_bin())
        .args(["publish", "--all-tags", "--dry-run", "--repo"])
        .arg(repo)
        .env_remove("MODREG_URL")
        .env_remove("MODREG_TOKEN")
        .output()
        .unwrap();
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        stdout.contains("would publish vpc/v1.0.0  platform/vpc/aws 1.0.0  sha256 "),
        "{stdout}"
    );
    assert!(stdout.contains("skipped    vpc/v1.2: "), "{stdout}");

    let registry = Registry::start(&[]);
    let repo_arg = repo.to_str().unwrap();
    let first = registry.modreg(&["publish", "--all-tags", "--repo", repo_arg]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let lines = String::from_utf8_lossy(&first.stdout).into_owned();
    let created: Vec<&str> = lines.lines().filter(|l| l.starts_with("created")).collect();
    assert_eq!(created.len(), 2, "{lines}");
    assert!(
        created[0].contains("vpc/v1.0.0") && created[1].contains("vpc/v1.1.0"),
        "{lines}"
    );
    // The sha256 of the dry run is the sha256 the registry stored.
    let dry_sha = stdout
        .lines()
        .find(|l| l.contains("vpc/v1.1.0"))
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap();
    assert!(created[1].ends_with(dry_sha), "{lines}\n{stdout}");

    // A breaking minor is refused, a moved tag is reported: exit 1, and nothing changes.
    commit(repo, "vpc", &["cidr"], &["id", "arn"]);
    git(repo, &["tag", "vpc/v1.3.0"]);
    git(repo, &["tag", "-f", "vpc/v1.0.0"]);
    let second = registry.modreg(&["publish", "--all-tags", "--repo", repo_arg]);
    assert_eq!(second.status.code(), Some(1), "{}", text(&second));
    let lines = String::from_utf8_lossy(&second.stdout).into_owned();
    assert!(
        lines.contains("moved      vpc/v1.0.0: published from "),
        "{lines}"
    );
    assert!(lines.contains("unchanged  vpc/v1.1.0"), "{lines}");
    assert!(
        lines.contains("refused    vpc/v1.3.0: ") && lines.contains("input `name` was removed"),
        "{lines}"
    );
    let tags = registry.modreg(&["tags", "--repo", repo_arg]);
    assert!(tags.status.success(), "{}", text(&tags));
    let tags = String::from_utf8_lossy(&tags.stdout).into_owned();
    assert!(tags.contains("moved (published "), "{tags}");

    // The diff a reviewer reads: two published releases, then two tags.
    let compatible = registry.modreg(&["diff", "platform/vpc/aws", "1.0.0", "1.1.0"]);
    assert_eq!(compatible.status.code(), Some(0), "{}", text(&compatible));
    assert!(
        text(&compatible).contains("new output `arn`"),
        "{}",
        text(&compatible)
    );
    let breaking = Command::new(modreg_bin())
        .args([
            "diff",
            "--git-tags",
            "vpc/v1.1.0",
            "vpc/v1.3.0",
            "--format",
            "json",
            "--repo",
            repo_arg,
        ])
        .output()
        .unwrap();
    assert_eq!(breaking.status.code(), Some(1), "{}", text(&breaking));
    let report: serde_json::Value = serde_json::from_slice(&breaking.stdout).unwrap();
    assert_eq!(report["verdict"]["accepted"], false);
    assert_eq!(report["changes"][0]["severity"], "breaking");

    // Could not run: no registry there.
    let unreachable = Command::new(modreg_bin())
        .args([
            "publish",
            "--all-tags",
            "--repo",
            repo_arg,
            "--url",
            "https://127.0.0.1:9",
            "--token",
            "t",
        ])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(2), "{}", text(&unreachable));
}
