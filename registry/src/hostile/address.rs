//! Addresses and versions as they arrive in URL paths and CLI arguments.

use proptest::prelude::*;

use crate::address::{parse_version, ModuleAddress, Name, Namespace, System};

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn any_segment_text_is_a_valid_lowercased_segment_or_a_named_error(text in any::<String>()) {
        for parsed in [
            Namespace::parse(&text).map(|v| v.as_str().to_owned()),
            Name::parse(&text).map(|v| v.as_str().to_owned()),
            System::parse(&text).map(|v| v.as_str().to_owned()),
        ] {
            match parsed {
                Ok(value) => prop_assert_eq!(value, text.to_ascii_lowercase()),
                Err(e) => prop_assert!(e.to_string().contains("is invalid")),
            }
        }
        let _ = ModuleAddress::parse(&text, &text, &text);
    }

    #[test]
    fn any_version_text_parses_canonically_or_is_refused(text in any::<String>()) {
        match parse_version(&text) {
            Ok(version) => {
                prop_assert_eq!(parse_version(&version.to_string()), Ok(version));
            }
            Err(e) => prop_assert!(e.to_string().contains("is not a semantic version")),
        }
    }

    #[test]
    fn version_like_text_never_panics(text in "v?[0-9.]{0,12}(-[0-9A-Za-z.-]{0,12})?(\\+[0-9A-Za-z.-]{0,8})?") {
        let _ = parse_version(&text);
    }
}
