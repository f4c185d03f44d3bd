//! Validated module addresses: `namespace/name/system` newtypes, checked once at the edge.
//!
//! Terraform's own rules (terraform-registry-address): namespace and name are 1–64 letters,
//! digits, `-` or `_`, starting and ending with a letter or digit; system is 1–64 lowercase
//! letters or digits. Matching is case-insensitive, so every value is stored lowercased: once
//! constructed, a value can be used in a path or a SQL key without further checks.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a namespace, name, system or version was refused, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("{kind} `{value}` is invalid: use 1–64 letters, digits, `-` or `_`, starting and ending with a letter or digit")]
    BadSegment { kind: &'static str, value: String },
    #[error("system `{0}` is invalid: use 1–64 lowercase letters or digits (for example `aws`)")]
    BadSystem(String),
    #[error("version `{0}` is not a semantic version such as `1.2.0` or `1.3.0-rc.1`")]
    BadVersion(String),
}

fn is_name_segment(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
}

macro_rules! segment {
    ($ty:ident, $kind:literal, $check:expr, $err:expr) => {
        #[doc = concat!("A validated, lowercased module ", $kind, ".")]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $ty(String);

        impl $ty {
            pub fn parse(value: &str) -> Result<Self, AddressError> {
                let check: fn(&str) -> bool = $check;
                if check(value) {
                    Ok(Self(value.to_ascii_lowercase()))
                } else {
                    let err: fn(&str) -> AddressError = $err;
                    Err(err(value))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $ty {
            type Error = AddressError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

segment!(Namespace, "namespace", is_name_segment, |v| {
    AddressError::BadSegment {
        kind: "namespace",
        value: v.to_owned(),
    }
});
segment!(Name, "name", is_name_segment, |v| {
    AddressError::BadSegment {
        kind: "name",
        value: v.to_owned(),
    }
});
segment!(
    System,
    "system",
    |s| (1..=64).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_alphanumeric()),
    |v| AddressError::BadSystem(v.to_owned())
);

/// `namespace/name/system`: one module, all of its versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ModuleAddress {
    pub namespace: Namespace,
    pub name: Name,
    pub system: System,
}

impl ModuleAddress {
    pub fn parse(namespace: &str, name: &str, system: &str) -> Result<Self, AddressError> {
        Ok(Self {
            namespace: Namespace::parse(namespace)?,
            name: Name::parse(name)?,
            system: System::parse(system)?,
        })
    }
}

impl fmt::Display for ModuleAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.namespace, self.name, self.system)
    }
}

/// Parses a version as users write it: canonical semver, with an optional leading `v` accepted
/// on input only (the registry always emits the canonical form without it).
pub fn parse_version(value: &str) -> Result<semver::Version, AddressError> {
    let trimmed = value.strip_prefix('v').unwrap_or(value);
    semver::Version::parse(trimmed).map_err(|_| AddressError::BadVersion(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_matched_case_insensitively_by_lowercasing() {
        let a = ModuleAddress::parse("Platform", "VPC", "aws").unwrap();
        assert_eq!(a.to_string(), "platform/vpc/aws");
    }

    #[test]
    fn names_reject_dots_slashes_and_edge_punctuation() {
        for bad in ["", "a.b", "a/b", "-a", "a-", "_a", "..", &"a".repeat(65)] {
            assert!(Namespace::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Name::parse("my_module-2").is_ok());
    }

    #[test]
    fn system_rejects_dashes_and_keeps_lowercase() {
        assert!(System::parse("aws-x").is_err());
        assert_eq!(System::parse("AWS").unwrap().as_str(), "aws");
    }

    #[test]
    fn versions_accept_a_leading_v_on_input_only() {
        assert_eq!(parse_version("v1.2.0").unwrap().to_string(), "1.2.0");
        assert!(parse_version("1.2").is_err());
    }

    proptest! {
        #[test]
        fn every_accepted_segment_is_safe_in_a_path(s in "[A-Za-z0-9._/-]{0,70}") {
            if let Ok(ns) = Namespace::parse(&s) {
                prop_assert!(!ns.as_str().contains('/') && !ns.as_str().contains('.'));
                prop_assert!(ns.as_str().len() <= 64);
            }
        }
    }
}
