//! Bearer tokens and scopes: generation, hashing, and what a token allows.
//!
//! A token is shown once; only its sha256 is stored (in the blob store: `auth_store.rs`). Scopes are `read`, `publish:<namespace>`
//! (implies read) and `admin` (everything).

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::address::Namespace;

/// Prefix that makes a leaked token easy to recognise (and to scan for).
pub const TOKEN_PREFIX: &str = "modreg_";

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Read,
    Publish(Namespace),
    Admin,
}

#[derive(Debug, thiserror::Error)]
#[error("scope `{0}` is invalid: use `read`, `publish:<namespace>` or `admin`")]
pub struct ScopeError(String);

impl FromStr for Scope {
    type Err = ScopeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read" => Ok(Scope::Read),
            "admin" => Ok(Scope::Admin),
            _ => s
                .strip_prefix("publish:")
                .and_then(|ns| Namespace::parse(ns).ok())
                .map(Scope::Publish)
                .ok_or_else(|| ScopeError(s.to_owned())),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Read => f.write_str("read"),
            Scope::Publish(ns) => write!(f, "publish:{ns}"),
            Scope::Admin => f.write_str("admin"),
        }
    }
}

/// The authenticated caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub token_id: String,
    pub description: String,
    pub scopes: Vec<Scope>,
}

impl Principal {
    pub fn can_read(&self) -> bool {
        !self.scopes.is_empty()
    }

    pub fn can_publish(&self, namespace: &Namespace) -> bool {
        self.scopes.iter().any(|s| {
            matches!(s, Scope::Admin) || matches!(s, Scope::Publish(ns) if ns == namespace)
        })
    }

    pub fn is_admin(&self) -> bool {
        self.scopes.contains(&Scope::Admin)
    }
}

/// What a caller may read: the one rule behind the API's read check and the UI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAccess {
    Allowed,
    /// A valid token without a scope that reads.
    NoReadScope,
    /// No token, and anonymous read is off.
    TokenRequired,
}

/// Any token with a read scope may read; without a token, only when anonymous read is on.
pub fn read_access(principal: Option<&Principal>, anonymous_read: bool) -> ReadAccess {
    match principal {
        Some(p) if p.can_read() => ReadAccess::Allowed,
        Some(_) => ReadAccess::NoReadScope,
        None if anonymous_read => ReadAccess::Allowed,
        None => ReadAccess::TokenRequired,
    }
}

/// A freshly generated token: the secret to show once, and what to store.
pub struct NewToken {
    pub secret: String,
    pub id: String,
    pub hash: String,
}

/// 32 random bytes, base64url, behind a recognisable prefix.
pub fn generate_token() -> NewToken {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let mut id = [0u8; 6];
    rand::thread_rng().fill_bytes(&mut id);
    NewToken {
        hash: hash_token(&secret),
        id: format!("tok_{}", hex::encode(id)),
        secret,
    }
}

/// The stored form of a token: hex sha256. Tokens carry 256 bits of entropy, so a fast hash
/// is enough (no password stretching needed) and keeps per-request checks cheap.
pub fn hash_token(secret: &str) -> String {
    hex::encode(token_digest(secret))
}

/// The raw sha256 of a token: the request path's cache key (hex only on a cache miss).
pub fn token_digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Parses scope strings as stored or typed, refusing an empty list.
pub fn parse_scopes<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Vec<Scope>, ScopeError> {
    let mut scopes = raw
        .into_iter()
        .map(Scope::from_str)
        .collect::<Result<Vec<_>, _>>()?;
    if scopes.is_empty() {
        return Err(ScopeError(String::new()));
    }
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_reject_typos() {
        for s in ["read", "admin", "publish:platform"] {
            assert_eq!(s.parse::<Scope>().unwrap().to_string(), s);
        }
        assert!("publish".parse::<Scope>().is_err());
        assert!("publish:a/b".parse::<Scope>().is_err());
        assert!("write".parse::<Scope>().is_err());
    }

    #[test]
    fn publish_is_limited_to_its_namespace_and_admin_can_do_anything() {
        let platform = Namespace::parse("platform").unwrap();
        let other = Namespace::parse("other").unwrap();
        let p = Principal {
            token_id: "t".into(),
            description: "ci".into(),
            scopes: vec![Scope::Publish(platform.clone())],
        };
        assert!(p.can_read() && p.can_publish(&platform) && !p.can_publish(&other));
        let admin = Principal {
            scopes: vec![Scope::Admin],
            ..p
        };
        assert!(admin.can_publish(&other) && admin.is_admin());
    }

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let a = generate_token();
        let b = generate_token();
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.len() >= TOKEN_PREFIX.len() + 43);
        assert_eq!(a.hash, hash_token(&a.secret));
        assert!(!a.hash.contains(&a.secret));
    }
}
