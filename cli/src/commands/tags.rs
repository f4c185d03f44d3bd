//! `modreg tags`: the release tags of a git repository, and the tags skipped with the reason.

use anyhow::Context as _;
use registry::address::ModuleAddress;
use registry::git_tags::{self, ReleaseTag, TagPattern, TagScan};

use super::publish::parse_module;
use crate::args::{TagPatternArgs, TagsArgs};
use crate::client::{self, RegistryClient};
use crate::Outcome;

/// What a registry says about one release tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagState {
    /// The version is not published.
    New,
    /// Published from this commit (or without git provenance).
    Published,
    /// Published from this tag at another commit: the tag was moved afterwards.
    Moved { published_commit: String },
}

/// Whether `release` is published as `address`, and from which commit.
pub async fn tag_state(
    client: &RegistryClient,
    address: &ModuleAddress,
    release: &ReleaseTag,
) -> anyhow::Result<TagState> {
    let details = match client
        .details(&address.to_string(), &release.version.to_string())
        .await
    {
        Ok(details) => details,
        Err(e) if e.status() == Some(reqwest::StatusCode::NOT_FOUND) => return Ok(TagState::New),
        Err(e) => return Err(e.into()),
    };
    Ok(
        if details.tag == release.tag && !details.commit.eq_ignore_ascii_case(&release.commit) {
            TagState::Moved {
                published_commit: details.commit,
            }
        } else {
            TagState::Published
        },
    )
}

/// `--module` as given; required when the pattern names no module.
pub fn module_override(
    module: Option<&str>,
    pattern: &TagPattern,
) -> anyhow::Result<Option<ModuleAddress>> {
    match module {
        Some(module) => Ok(Some(parse_module(module)?)),
        None if pattern.has_module() => Ok(None),
        None => anyhow::bail!(
            "--module is required: the tag pattern `{}` names no module",
            pattern.as_str()
        ),
    }
}

/// The address a release tag publishes to: `--module`, else `<namespace>/<module>/aws`.
pub fn address_of(
    release: &ReleaseTag,
    namespace: &str,
    module: Option<&ModuleAddress>,
) -> anyhow::Result<ModuleAddress> {
    match (module, &release.module) {
        (Some(address), _) => Ok(address.clone()),
        (None, Some(name)) => Ok(ModuleAddress::parse(namespace, name, "aws")?),
        (None, None) => anyhow::bail!(
            "--module is required: tag `{}` names no module",
            release.tag
        ),
    }
}

/// The pattern the flags describe.
pub fn pattern(args: &TagPatternArgs) -> anyhow::Result<TagPattern> {
    let pattern = TagPattern::parse(&args.tag_pattern)?;
    Ok(match &args.subdir_pattern {
        Some(subdir) => pattern.with_subdir(subdir)?,
        None => pattern,
    })
}

pub async fn run(args: TagsArgs) -> anyhow::Result<Outcome> {
    let pattern = pattern(&args.pattern)?;
    let module = match &args.url {
        Some(_) => module_override(args.module.as_deref(), &pattern)?,
        None => None,
    };
    let repo = args.repo.clone();
    let scan = tokio::task::spawn_blocking(move || git_tags::list_release_tags(&repo, &pattern))
        .await
        .context("the tag scan did not finish")??;
    let states = match &args.url {
        Some(url) => {
            let client =
                RegistryClient::discover(client::http_client()?, url, args.token.clone()).await?;
            let mut states = Vec::new();
            for release in &scan.releases {
                let address = address_of(release, &args.namespace, module.as_ref())?;
                states.push(tag_state(&client, &address, release).await?);
            }
            Some(states)
        }
        None => None,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&to_json(&scan, states.as_deref()))?
        );
    } else {
        print!("{}", render(&scan, states.as_deref()));
    }
    eprintln!(
        "{} release tag(s), {} skipped in `{}`",
        scan.releases.len(),
        scan.skipped.len(),
        args.repo.display()
    );
    Ok(Outcome::Ok)
}

/// `new`, `published` or `moved (published abc123, tag def456)`.
fn state_text(state: &TagState, release: &ReleaseTag) -> String {
    match state {
        TagState::New => "new".to_owned(),
        TagState::Published => "published".to_owned(),
        TagState::Moved { published_commit } => format!(
            "moved (published {}, tag {})",
            git_tags::short_commit(published_commit),
            release.short_commit()
        ),
    }
}

/// A table of releases (with a STATE column when compared with a registry), then (if any) the
/// skipped tags with their reasons.
fn render(scan: &TagScan, states: Option<&[TagState]>) -> String {
    let mut rows = vec![[
        "TAG".to_owned(),
        "MODULE".to_owned(),
        "VERSION".to_owned(),
        "COMMIT".to_owned(),
        "DIRECTORY".to_owned(),
        if states.is_some() { "STATE" } else { "" }.to_owned(),
    ]];
    rows.extend(scan.releases.iter().enumerate().map(|(i, r)| {
        [
            r.tag.clone(),
            r.module.clone().unwrap_or_else(|| "-".to_owned()),
            r.version.to_string(),
            r.short_commit().to_owned(),
            if r.subdir.is_empty() {
                ".".to_owned()
            } else {
                r.subdir.clone()
            },
            states
                .and_then(|s| s.get(i))
                .map(|s| state_text(s, r))
                .unwrap_or_default(),
        ]
    }));
    let mut out = table(&rows);
    if !scan.skipped.is_empty() {
        let mut skipped = vec![["SKIPPED".to_owned(), "REASON".to_owned()]];
        skipped.extend(scan.skipped.iter().map(|(t, r)| [t.clone(), r.clone()]));
        out.push('\n');
        out.push_str(&table(&skipped));
    }
    out
}

fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn to_json(scan: &TagScan, states: Option<&[TagState]>) -> serde_json::Value {
    let releases: Vec<_> = scan
        .releases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = serde_json::json!({
                "tag": r.tag,
                "module": r.module,
                "version": r.version.to_string(),
                "commit": r.commit,
                "subdir": r.subdir,
            });
            match states.and_then(|s| s.get(i)) {
                Some(TagState::New) => row["state"] = "new".into(),
                Some(TagState::Published) => row["state"] = "published".into(),
                Some(TagState::Moved { published_commit }) => {
                    row["state"] = "moved".into();
                    row["published_commit"] = published_commit.as_str().into();
                }
                None => {}
            }
            row
        })
        .collect();
    let skipped: Vec<_> = scan
        .skipped
        .iter()
        .map(|(tag, reason)| serde_json::json!({ "tag": tag, "reason": reason }))
        .collect();
    serde_json::json!({ "releases": releases, "skipped": skipped })
}

#[cfg(test)]
mod tests {
    use registry::git_tags::ReleaseTag;

    use super::*;

    fn scan() -> TagScan {
        TagScan {
            releases: vec![
                ReleaseTag {
                    tag: "s3/v0.1.0".into(),
                    module: Some("s3".into()),
                    version: "0.1.0".parse().unwrap(),
                    commit: "0123456789abcdef0123456789abcdef01234567".into(),
                    subdir: "modules/s3".into(),
                },
                ReleaseTag {
                    tag: "vpc/v1.10.0-rc.1".into(),
                    module: Some("vpc".into()),
                    version: "1.10.0-rc.1".parse().unwrap(),
                    commit: "fedcba9876543210fedcba9876543210fedcba98".into(),
                    subdir: "modules/vpc".into(),
                },
            ],
            skipped: vec![(
                "vpc/v1.2".into(),
                "`1.2` is not a canonical semantic version such as `1.2.0` or `1.3.0-rc.1`".into(),
            )],
        }
    }

    #[test]
    fn the_table_lists_releases_then_skipped_tags_with_reasons() {
        assert_eq!(
            render(&scan(), None),
            "\
TAG               MODULE  VERSION      COMMIT        DIRECTORY
s3/v0.1.0         s3      0.1.0        0123456789ab  modules/s3
vpc/v1.10.0-rc.1  vpc     1.10.0-rc.1  fedcba987654  modules/vpc

SKIPPED   REASON
vpc/v1.2  `1.2` is not a canonical semantic version such as `1.2.0` or `1.3.0-rc.1`
"
        );
    }

    #[test]
    fn compared_with_a_registry_a_moved_tag_shows_both_commits() {
        let states = [
            TagState::Published,
            TagState::Moved {
                published_commit: "aaaaaaaaaaaabbbbbbbbbbbbccccccccccccdddd".into(),
            },
        ];
        let table = render(&scan(), Some(&states));
        assert!(
            table.starts_with(
                "TAG               MODULE  VERSION      COMMIT        DIRECTORY    STATE\n"
            ),
            "{table}"
        );
        assert!(
            table.contains("modules/vpc  moved (published aaaaaaaaaaaa, tag fedcba987654)\n"),
            "{table}"
        );
        let json = to_json(&scan(), Some(&states));
        assert_eq!(json["releases"][1]["state"], "moved");
        assert_eq!(
            json["releases"][1]["published_commit"],
            "aaaaaaaaaaaabbbbbbbbbbbbccccccccccccdddd"
        );
    }

    #[test]
    fn json_output_carries_full_commits_and_skipped_reasons() {
        let json = to_json(&scan(), None);
        assert_eq!(
            json["releases"][1]["commit"],
            "fedcba9876543210fedcba9876543210fedcba98"
        );
        assert_eq!(json["skipped"][0]["tag"], "vpc/v1.2");
    }

    #[test]
    fn an_invalid_pattern_is_an_error_naming_it() {
        let args = TagPatternArgs {
            tag_pattern: "{module}/{version}".into(),
            subdir_pattern: None,
        };
        let err = pattern(&args).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid tag pattern `{module}/{version}`"),
            "{err}"
        );
    }
}
