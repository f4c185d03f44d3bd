//! Semver precedence as SQL-sortable columns, so the database can order and pick the latest
//! version with an index instead of loading every version into Rust.

use semver::Version;

use super::IndexError;

/// Separates pre-release identifiers in [`SortKey::pre_key`]. It sorts below every character
/// an identifier may hold (`0-9A-Za-z-`), so `a.x` < `a-` and `a` < `a.b`, as semver requires.
const SEPARATOR: char = ' ';

/// The columns that order releases: compare `(major, minor, patch, is_release, pre_key)`
/// byte-wise and you get semver precedence; `build` only breaks ties between versions that
/// differ in build metadata alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SortKey {
    pub major: i64,
    pub minor: i64,
    pub patch: i64,
    /// A release sorts above its own pre-releases.
    pub is_release: bool,
    pub pre_key: String,
    pub build: String,
}

impl SortKey {
    pub fn of(version: &Version) -> Result<Self, IndexError> {
        let number = |n: u64| {
            i64::try_from(n).map_err(|_| IndexError::VersionTooLarge {
                version: version.clone(),
            })
        };
        Ok(Self {
            major: number(version.major)?,
            minor: number(version.minor)?,
            patch: number(version.patch)?,
            is_release: version.pre.is_empty(),
            pre_key: pre_key(version.pre.as_str()),
            build: version.build.to_string(),
        })
    }
}

/// Encodes each identifier so that plain string order matches semver's rules: numeric
/// identifiers (`0…`) sort below alphanumeric ones (`1…`) and compare by length, then digits
/// (semver forbids leading zeros); alphanumeric ones compare as ASCII.
fn pre_key(pre: &str) -> String {
    if pre.is_empty() {
        return String::new();
    }
    let encoded: Vec<String> = pre
        .split('.')
        .map(|id| {
            if id.bytes().all(|b| b.is_ascii_digit()) {
                format!("0{:04}{id}", id.len().min(9999))
            } else {
                format!("1{id}")
            }
        })
        .collect();
    encoded.join(&SEPARATOR.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(v: &str) -> SortKey {
        SortKey::of(&Version::parse(v).unwrap()).unwrap()
    }

    #[test]
    fn the_semver_spec_example_sorts_in_order() {
        let spec = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1-0",
            "1.0.1",
            "2.0.0",
            "10.0.0",
        ];
        for pair in spec.windows(2) {
            assert!(key(pair[0]) < key(pair[1]), "{} !< {}", pair[0], pair[1]);
        }
    }

    #[test]
    fn a_version_too_large_for_sqlite_is_refused() {
        let v = Version::new(u64::MAX, 0, 0);
        assert!(matches!(
            SortKey::of(&v),
            Err(IndexError::VersionTooLarge { .. })
        ));
    }

    fn version() -> impl Strategy<Value = Version> {
        let id = prop_oneof!["(0|[1-9][0-9]{0,3})", "[0-9A-Za-z-]{1,4}"];
        let pre = prop::collection::vec(id, 0..4);
        (0u64..3, 0u64..3, 0u64..3, pre).prop_filter_map("valid", |(a, b, c, pre)| {
            let pre = if pre.is_empty() {
                String::new()
            } else {
                format!("-{}", pre.join("."))
            };
            Version::parse(&format!("{a}.{b}.{c}{pre}")).ok()
        })
    }

    proptest! {
        #[test]
        fn key_order_is_semver_precedence(a in version(), b in version()) {
            prop_assert_eq!(key(&a.to_string()).cmp(&key(&b.to_string())), a.cmp(&b));
        }
    }
}
