//! `modreg tags`: the release tags of a git repository, and the tags skipped with the reason.

use anyhow::Context as _;
use registry::git_tags::{self, TagPattern, TagScan};

use crate::args::{TagPatternArgs, TagsArgs};
use crate::Outcome;

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
    let repo = args.repo.clone();
    let scan = tokio::task::spawn_blocking(move || git_tags::list_release_tags(&repo, &pattern))
        .await
        .context("the tag scan did not finish")??;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&to_json(&scan))?);
    } else {
        print!("{}", render(&scan));
    }
    eprintln!(
        "{} release tag(s), {} skipped in `{}`",
        scan.releases.len(),
        scan.skipped.len(),
        args.repo.display()
    );
    Ok(Outcome::Ok)
}

/// A table of releases, then (if any) the skipped tags with their reasons.
fn render(scan: &TagScan) -> String {
    let mut rows = vec![[
        "TAG".to_owned(),
        "MODULE".to_owned(),
        "VERSION".to_owned(),
        "COMMIT".to_owned(),
        "DIRECTORY".to_owned(),
    ]];
    rows.extend(scan.releases.iter().map(|r| {
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

fn to_json(scan: &TagScan) -> serde_json::Value {
    let releases: Vec<_> = scan
        .releases
        .iter()
        .map(|r| {
            serde_json::json!({
                "tag": r.tag,
                "module": r.module,
                "version": r.version.to_string(),
                "commit": r.commit,
                "subdir": r.subdir,
            })
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
            render(&scan()),
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
    fn json_output_carries_full_commits_and_skipped_reasons() {
        let json = to_json(&scan());
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
