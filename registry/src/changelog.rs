//! Release notes: the section of a module's `CHANGELOG.md` (Keep a Changelog headings) for one
//! version, stored with the release and served as `changelog` by the details API.
//!
//! Headings are `## [1.2.0] - 2026-01-31`, `## [1.2.0]`, `## 1.2.0` or `## v1.2.0`; a section
//! runs to the next `## ` heading. Link reference definitions (`[1.2.0]: https://…`) belong to
//! the whole file, not to a section, and are left out.

use semver::Version;

use crate::address::parse_version;

/// Release notes longer than this are cut (at a line boundary) so manifests stay small.
pub const MAX_NOTES_BYTES: usize = 64 * 1024;

/// The version a `## ` heading names, if it names one (`[Unreleased]` does not).
fn heading_version(line: &str) -> Option<Version> {
    let heading = line.strip_prefix("## ")?.trim_start();
    let raw = heading.trim_start_matches('[').split([']', ' ']).next()?;
    parse_version(raw).ok()
}

/// Every version the changelog has a section for, in file order (newest first by convention).
pub fn versions(markdown: &str) -> impl Iterator<Item = Version> + '_ {
    markdown.lines().filter_map(heading_version)
}

/// The notes for `version`: the lines under its heading, trimmed; `None` when the changelog
/// has no such section or the section is empty.
pub fn section(markdown: &str, version: &Version) -> Option<String> {
    let mut lines = markdown.lines();
    lines
        .by_ref()
        .find(|l| heading_version(l).as_ref() == Some(version))?;
    let mut notes = String::new();
    for line in lines {
        if line.starts_with("## ") || line.starts_with("# ") {
            break;
        }
        if is_link_definition(line) {
            continue;
        }
        if notes.len() + line.len() + 1 > MAX_NOTES_BYTES {
            notes.push('…');
            break;
        }
        notes.push_str(line);
        notes.push('\n');
    }
    let notes = notes.trim();
    (!notes.is_empty()).then(|| notes.to_owned())
}

fn is_link_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .split_once("]:")
            .is_some_and(|(label, _)| !label.contains(' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "\
# Changelog

All notable changes to this module are documented here.

## [Unreleased]

- Nothing yet.

## [1.1.0] - 2026-02-01

### Added

- `enable_flow_logs` input.

### Fixed

- Tags reach the NAT gateways.

## 1.0.0

Initial release.

[1.1.0]: https://git.example/vpc/compare/vpc/v1.0.0...vpc/v1.1.0
[1.0.0]: https://git.example/vpc/releases/tag/vpc/v1.0.0
";

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn a_section_runs_from_its_heading_to_the_next_one() {
        assert_eq!(
            section(CHANGELOG, &v("1.1.0")).unwrap(),
            "### Added\n\n- `enable_flow_logs` input.\n\n### Fixed\n\n- Tags reach the NAT gateways."
        );
    }

    #[test]
    fn the_last_section_leaves_out_the_link_definitions() {
        assert_eq!(section(CHANGELOG, &v("1.0.0")).unwrap(), "Initial release.");
    }

    #[test]
    fn a_version_without_a_section_has_no_notes() {
        assert_eq!(section(CHANGELOG, &v("0.9.0")), None);
        assert_eq!(section("## [2.0.0]\n\n## [1.0.0]\nx\n", &v("2.0.0")), None);
    }

    #[test]
    fn headings_with_a_v_prefix_or_without_brackets_count() {
        assert_eq!(section("## v2.0.0\nBig.\n", &v("2.0.0")).unwrap(), "Big.");
        assert_eq!(
            versions(CHANGELOG).collect::<Vec<_>>(),
            [v("1.1.0"), v("1.0.0")]
        );
    }

    #[test]
    fn very_long_notes_are_cut_at_a_line() {
        let long = format!("## 1.0.0\n{}", "a line of notes\n".repeat(10_000));
        let notes = section(&long, &v("1.0.0")).unwrap();
        assert!(notes.len() <= MAX_NOTES_BYTES + 4, "{}", notes.len());
        assert!(notes.ends_with("a line of notes\n…"));
    }
}
