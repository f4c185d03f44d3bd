//! GitHub webhook deliveries: the `X-Hub-Signature-256` check and what an event asks for.
//!
//! The signature is `sha256=` and the hex HMAC-SHA256 of the raw body under the source's
//! secret; it is compared in constant time (`Mac::verify_slice`), so a forger learns nothing
//! from response times.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Deliveries larger than this are refused before any work: a tag push is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the X-Hub-Signature-256 header is missing: set the webhook's secret in GitHub to the source's webhook_secret_file")]
    Missing,
    #[error("the X-Hub-Signature-256 header must be `sha256=` and 64 hex digits")]
    Malformed,
    #[error("the X-Hub-Signature-256 signature does not match the body: the webhook secret in GitHub differs from the source's webhook_secret_file")]
    Mismatch,
}

/// Checks `header` (the `X-Hub-Signature-256` value) against `body` under `secret`.
pub fn verify_signature(
    secret: &[u8],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digest = header
        .trim()
        .strip_prefix("sha256=")
        .ok_or(SignatureError::Malformed)?;
    let expected = hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)?;
    if expected.len() != 32 {
        return Err(SignatureError::Malformed);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// The `sha256=…` header value GitHub would send for `body`; for tests and tools.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a verified delivery asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// GitHub's test delivery when a webhook is created.
    Ping,
    /// A tag was pushed or created: fetch.
    Fetch,
    /// Nothing to do, and why.
    Ignored(String),
}

/// Classifies a delivery by its `X-GitHub-Event` header and body.
pub fn classify(event: Option<&str>, body: &[u8]) -> Delivery {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    match event {
        Some("ping") => Delivery::Ping,
        Some("push") => match json["ref"].as_str() {
            Some(r) if !r.starts_with("refs/tags/") => {
                Delivery::Ignored(format!("a push to `{r}` is not a tag push"))
            }
            // A tag, or a body this registry cannot read: fetching is the safe answer.
            _ => Delivery::Fetch,
        },
        Some("create") => match json["ref_type"].as_str() {
            Some(kind) if kind != "tag" => {
                Delivery::Ignored(format!("creating a {kind} releases nothing"))
            }
            _ => Delivery::Fetch,
        },
        Some(other) => Delivery::Ignored(format!(
            "`{other}` events are not used: subscribe the webhook to `push` (and `create`)"
        )),
        None => Delivery::Ignored(
            "no X-GitHub-Event header: this route takes GitHub webhook deliveries".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"It's a Secret to Everybody";
    const BODY: &[u8] = b"Hello, World!";

    #[test]
    fn githubs_documented_example_signature_verifies() {
        // The test vector from GitHub's "Validating webhook deliveries" guide.
        let header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign(SECRET, BODY), header);
        assert_eq!(verify_signature(SECRET, BODY, Some(header)), Ok(()));
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let header = sign(SECRET, BODY);
        assert_eq!(
            verify_signature(SECRET, b"Hello, World?", Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_signature_made_with_another_secret_is_refused() {
        let header = sign(b"not the secret", BODY);
        assert_eq!(
            verify_signature(SECRET, BODY, Some(&header)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_missing_or_malformed_header_is_refused() {
        assert_eq!(
            verify_signature(SECRET, BODY, None),
            Err(SignatureError::Missing)
        );
        for bad in ["", "sha1=abc", "sha256=zz", "sha256=abcd"] {
            assert_eq!(
                verify_signature(SECRET, BODY, Some(bad)),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn tag_pushes_and_tag_creations_fetch_and_branch_pushes_do_not() {
        assert_eq!(classify(Some("ping"), b"{}"), Delivery::Ping);
        assert_eq!(
            classify(Some("push"), br#"{"ref":"refs/tags/vpc/v1.2.0"}"#),
            Delivery::Fetch
        );
        assert_eq!(
            classify(Some("create"), br#"{"ref":"vpc/v1.2.0","ref_type":"tag"}"#),
            Delivery::Fetch
        );
        assert!(matches!(
            classify(Some("push"), br#"{"ref":"refs/heads/main"}"#),
            Delivery::Ignored(_)
        ));
        assert!(matches!(
            classify(Some("issues"), b"{}"),
            Delivery::Ignored(_)
        ));
    }
}
