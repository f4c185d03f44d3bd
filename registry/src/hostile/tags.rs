//! Tag patterns from the settings, and tag names from any repository the registry reads.

use proptest::prelude::*;

use crate::git_tags::pattern::TagMatch;
use crate::git_tags::TagPattern;

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn any_pattern_text_parses_or_is_refused_with_a_reason(text in any::<String>()) {
        if let Err(e) = TagPattern::parse(&text) {
            prop_assert!(e.to_string().contains(&text), "{}", e);
        }
    }

    #[test]
    fn any_tag_is_a_release_that_formats_back_to_itself_or_is_set_aside(
        tag in prop_oneof![
            any::<String>(),
            "[a-z0-9_./@-]{0,12}v[0-9]{1,3}(\\.[0-9]{1,3}){0,3}[a-z0-9.+-]{0,8}",
        ],
        pattern in prop::sample::select(vec![
            "{module}/v{version}", "v{version}", "release/{module}-v{version}",
            "{module}@v{version}-final", "x{module}vv{version}",
        ]),
    ) {
        let pattern = TagPattern::parse(pattern).unwrap();
        match pattern.classify(&tag) {
            TagMatch::Release { module, version } => {
                prop_assert_eq!(pattern.tag_for(module.as_deref(), &version), tag);
            }
            TagMatch::Invalid(reason) => prop_assert!(!reason.is_empty()),
            TagMatch::NotCandidate => {}
        }
    }
}
