//! GitHub webhook deliveries: any body, any signature header, any event name.

use proptest::prelude::*;

use crate::git_watch::webhook::{classify, sign, verify_signature, Delivery, SignatureError};

/// Bodies shaped like GitHub's push and create events, with random refs and kinds, and
/// random bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        ("\\PC{0,40}", "\\PC{0,12}").prop_map(|(r, kind)| {
            serde_json::json!({ "ref": r, "ref_type": kind })
                .to_string()
                .into_bytes()
        }),
        "[\\[\\]{}\":,a-z0-9 ]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(super::config())]

    #[test]
    fn any_signature_header_verifies_only_when_it_is_the_bodys_hmac(
        secret in any::<Vec<u8>>(),
        body in body(),
        header in prop_oneof![
            any::<String>(),
            "sha256=[0-9a-f]{0,70}",
            "sha256=[0-9A-Fa-f]{64}",
        ],
    ) {
        let genuine = sign(&secret, &body);
        match verify_signature(&secret, &body, Some(&header)) {
            Ok(()) => prop_assert_eq!(&header.trim().to_ascii_lowercase(), &genuine),
            Err(SignatureError::Missing) => prop_assert!(false, "a present header is never `Missing`"),
            Err(SignatureError::Malformed | SignatureError::Mismatch) => {}
        }
        prop_assert_eq!(verify_signature(&secret, &body, Some(&genuine)), Ok(()));
    }

    #[test]
    fn any_delivery_is_a_ping_a_fetch_or_ignored_with_a_reason(
        event in prop_oneof![
            Just(None),
            prop::sample::select(vec!["push", "create", "ping"]).prop_map(|e| Some(e.to_owned())),
            any::<String>().prop_map(Some),
        ],
        body in body(),
    ) {
        match classify(event.as_deref(), &body) {
            Delivery::Ping => prop_assert_eq!(event.as_deref(), Some("ping")),
            Delivery::Fetch => prop_assert!(matches!(event.as_deref(), Some("push" | "create"))),
            Delivery::Ignored(reason) => prop_assert!(!reason.is_empty()),
        }
    }
}
