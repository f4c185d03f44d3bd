//! `modreg diff`: the interface diff between two releases and the semver verdict the publish
//! gate gives, worded for a reviewer; `--format json` for scripts. Exit 1 when any change is
//! breaking (whether or not the versions allow it), 0 otherwise.

use std::path::Path;

use anyhow::Context as _;
use registry::address::parse_version;
use registry::archive;
use registry::git_tags;
use registry::interface::{self, InterfaceDiff, ModuleInterface, SemverViolation, Severity};
use semver::Version;
use serde::Serialize;

use super::publish::parse_module;
use super::tags;
use crate::args::{DiffArgs, Format};
use crate::client::{self, RegistryClient};
use crate::Outcome;

/// One side of the comparison.
struct Side {
    label: String,
    version: Option<Version>,
    interface: ModuleInterface,
}

/// What the gate would say about `new.version` after `old.version`.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Verdict {
    /// `patch`, `minor` or `major`: the smallest bump the changes call for.
    pub required_bump: interface::Bump,
    /// `None` without versions (two directories).
    pub accepted: Option<bool>,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub changes: Vec<interface::Change>,
    pub verdict: Verdict,
}

pub async fn run(args: DiffArgs) -> anyhow::Result<Outcome> {
    let (old, new) = if let Some(url) = &args.url {
        let [module, v1, v2] = args.args.as_slice() else {
            anyhow::bail!(
                "with --url give `NS/NAME/SYSTEM V1 V2`, e.g. `platform/vpc/aws 1.2.0 2.0.0`"
            );
        };
        let registry =
            RegistryClient::discover(client::http_client()?, url, args.token.clone()).await?;
        let address = parse_module(module)?;
        (
            from_registry(&registry, &address, v1).await?,
            from_registry(&registry, &address, v2).await?,
        )
    } else {
        let [a, b] = args.args.as_slice() else {
            anyhow::bail!("give two module directories, two tags with --git-tags, or `NS/NAME/SYSTEM V1 V2` with --url");
        };
        if args.git_tags {
            let pattern = tags::pattern(&args.pattern)?;
            (
                from_tag(&args.repo, &pattern, a).await?,
                from_tag(&args.repo, &pattern, b).await?,
            )
        } else {
            (from_dir(Path::new(a))?, from_dir(Path::new(b))?)
        }
    };
    let report = compare(&old, &new);
    match args.format {
        Format::Text => print!("{}", render(&report)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(
        if report
            .changes
            .iter()
            .any(|c| c.severity == Severity::Breaking)
        {
            Outcome::Findings
        } else {
            Outcome::Ok
        },
    )
}

async fn from_registry(
    registry: &RegistryClient,
    address: &registry::address::ModuleAddress,
    raw: &str,
) -> anyhow::Result<Side> {
    let version = parse_version(raw)?;
    let details = registry
        .details(&address.to_string(), &version.to_string())
        .await?;
    let interface = ModuleInterface {
        root: details.root,
        submodules: details.submodules,
        examples: details.examples,
    };
    Ok(Side {
        label: format!("{address} {version}"),
        version: Some(version),
        interface,
    })
}

async fn from_tag(repo: &Path, pattern: &git_tags::TagPattern, tag: &str) -> anyhow::Result<Side> {
    let (repo, pattern, tag) = (repo.to_owned(), pattern.clone(), tag.to_owned());
    tokio::task::spawn_blocking(move || {
        let (release, tarball, _) = super::publish::pack_release_tag(&repo, &pattern, &tag)?;
        Ok(Side {
            label: format!("{tag} ({})", release.short_commit()),
            version: Some(release.version),
            interface: interface_of(&tarball)?,
        })
    })
    .await
    .context("reading the tag did not finish")?
}

fn from_dir(dir: &Path) -> anyhow::Result<Side> {
    let tarball =
        archive::pack_dir(dir).with_context(|| format!("cannot pack `{}`", dir.display()))?;
    Ok(Side {
        label: dir.display().to_string(),
        version: None,
        interface: interface_of(&tarball)?,
    })
}

fn interface_of(tarball: &[u8]) -> anyhow::Result<ModuleInterface> {
    let contents = archive::inspect(tarball, &archive::Limits::default())?;
    Ok(interface::extract(&contents)?)
}

fn compare(old: &Side, new: &Side) -> Report {
    let diff: InterfaceDiff = interface::diff(&old.interface, &new.interface);
    let required_bump = diff.required_bump();
    let verdict = match (&old.version, &new.version) {
        (Some(prev), Some(next)) => match interface::check_semver(prev, next, &diff) {
            Ok(()) => Verdict {
                required_bump,
                accepted: Some(true),
                message: format!("{prev} → {next} respects semver: the publish gate accepts it"),
            },
            Err(e) => Verdict {
                required_bump,
                accepted: Some(false),
                // The breaking changes are listed above: say only what to do.
                message: match e {
                    SemverViolation::BreakingWithoutMajor { prev, next, .. } => format!(
                        "{next} is not a major bump after {prev}, so the publish gate refuses it: release it as {} or restore compatibility",
                        interface::smallest_major_bump(&prev)
                    ),
                    other => other.to_string(),
                },
            },
        },
        _ => Verdict {
            required_bump,
            accepted: None,
            message: format!("the changes need at least a {required_bump} version bump"),
        },
    };
    Report {
        old: old.label.clone(),
        new: new.label.clone(),
        changes: diff.changes,
        verdict,
    }
}

/// The human report: both sides, breaking changes first, then the verdict.
pub fn render(report: &Report) -> String {
    let mut out = format!("{} → {}\n", report.old, report.new);
    if report.changes.is_empty() {
        out.push_str("\nNo interface changes.\n");
    }
    for (severity, heading) in [
        (
            Severity::Breaking,
            "Breaking changes (existing callers may fail):",
        ),
        (Severity::Compatible, "Compatible changes:"),
    ] {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.severity == severity)
            .collect();
        if changes.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(heading);
        out.push('\n');
        for change in changes {
            out.push_str("  - ");
            out.push_str(&change.message);
            out.push('\n');
        }
    }
    let label = match report.verdict.accepted {
        Some(true) => "accepted",
        Some(false) => "refused",
        None => "needs",
    };
    out.push_str(&format!(
        "\nVerdict ({label}, {} bump required): {}\n",
        report.verdict.required_bump, report.verdict.message
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(version: &str, tf: &str) -> Side {
        let tarball = archive::pack_files([("main.tf".to_owned(), tf.as_bytes().to_vec())]);
        Side {
            label: format!("platform/vpc/aws {version}"),
            version: Some(Version::parse(version).unwrap()),
            interface: interface_of(&tarball).unwrap(),
        }
    }

    const OLD: &str = r#"
variable "cidr" {
  type        = string
  description = "The VPC CIDR."
}
variable "owner" {
  type        = string
  description = "Who owns it."
}
output "vpc_id" {
  description = "The VPC id."
  value       = "x"
}
"#;

    const NEW: &str = r#"
variable "cidr" {
  type        = string
  description = "The VPC CIDR."
}
variable "flow_logs" {
  type        = bool
  default     = false
  description = "Enable flow logs."
}
output "vpc_id" {
  description = "The VPC id."
  value       = "x"
}
"#;

    #[test]
    fn a_breaking_change_under_a_minor_bump_reads_as_refused() {
        let report = compare(&side("1.2.0", OLD), &side("1.3.0", NEW));
        insta::assert_snapshot!(render(&report));
        assert_eq!(report.verdict.accepted, Some(false));
    }

    #[test]
    fn the_same_change_as_a_major_bump_is_accepted_and_json_says_so() {
        let report = compare(&side("1.2.0", OLD), &side("2.0.0", NEW));
        assert_eq!(report.verdict.accepted, Some(true));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["verdict"]["required_bump"], "major");
        assert_eq!(json["changes"][0]["severity"], "breaking");
    }

    #[test]
    fn no_changes_need_only_a_patch() {
        let report = compare(&side("1.2.0", OLD), &side("1.2.1", OLD));
        assert_eq!(report.verdict.required_bump, interface::Bump::Patch);
        assert!(render(&report).contains("No interface changes."));
    }
}
