//! Short-lived signed archive URLs.
//!
//! Terraform never sends the registry token to the archive location, so the download endpoint
//! hands out the archive route with `expires` and an HMAC-SHA256 `signature` over the path and
//! expiry. Anyone holding the URL can fetch that one archive until it expires, and nothing else.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("this archive link has expired: run `terraform init` again to get a fresh one")]
    Expired,
    #[error("this archive link is not valid: request the module's download URL again")]
    Invalid,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or create the signing key `{path}`")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("signing key `{path}` must hold at least {KEY_BYTES} bytes of hex; delete it to generate a new one")]
    Malformed { path: String },
}

/// Signs and verifies archive paths.
#[derive(Clone)]
pub struct UrlSigner {
    /// HMAC state with the key already absorbed; cloned per signature.
    keyed: HmacSha256,
    ttl_secs: u64,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlSigner")
            .field("ttl_secs", &self.ttl_secs)
            .finish_non_exhaustive()
    }
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl UrlSigner {
    pub fn new(key: Vec<u8>, ttl_secs: u64) -> Self {
        let keyed = HmacSha256::new_from_slice(&key).expect("HMAC accepts any key length");
        Self { keyed, ttl_secs }
    }

    /// Reads the hex key at `path`, creating it (mode 0600) with fresh random bytes if absent.
    pub fn load_or_create(path: &Path, ttl_secs: u64) -> Result<Self, KeyError> {
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = hex::decode(text.trim())
                    .ok()
                    .filter(|k| k.len() >= KEY_BYTES);
                key.map(|k| Self::new(k, ttl_secs))
                    .ok_or_else(|| KeyError::Malformed {
                        path: path.display().to_string(),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut key = vec![0u8; KEY_BYTES];
                rand::thread_rng().fill_bytes(&mut key);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io)?;
                }
                write_private(path, hex::encode(&key).as_bytes()).map_err(io)?;
                Ok(Self::new(key, ttl_secs))
            }
            Err(e) => Err(io(e)),
        }
    }

    fn mac(&self, path: &str, expires: u64) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// The expiry of a link signed at `now`: at least the configured lifetime away, rounded up
    /// to a tenth of it (at most 30 s), so every link to a release signed within that window
    /// is the same string and the download route can reuse it instead of signing again.
    pub fn expiry(&self, now: u64) -> u64 {
        let step = (self.ttl_secs / 10).clamp(1, 30);
        (now + self.ttl_secs).div_ceil(step) * step
    }

    /// `(expires, signature)` for `path`, valid for at least the configured lifetime from `now`.
    pub fn sign(&self, path: &str, now: u64) -> (u64, String) {
        let (expires, tag) = self.sign_raw(path, now);
        (expires, encode_signature(&tag))
    }

    /// Like [`UrlSigner::sign`], with the signature as raw bytes (for caching).
    pub fn sign_raw(&self, path: &str, now: u64) -> (u64, [u8; 32]) {
        let expires = self.expiry(now);
        (
            expires,
            self.mac(path, expires).finalize().into_bytes().into(),
        )
    }

    /// Checks the signature in constant time, then the expiry.
    pub fn verify(
        &self,
        path: &str,
        expires: u64,
        signature: &str,
        now: u64,
    ) -> Result<(), SignatureError> {
        let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| SignatureError::Invalid)?;
        self.mac(path, expires)
            .verify_slice(&tag)
            .map_err(|_| SignatureError::Invalid)?;
        if now > expires {
            return Err(SignatureError::Expired);
        }
        Ok(())
    }
}

/// The signature as it appears in the `signature` query parameter.
pub fn encode_signature(tag: &[u8; 32]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tag)
}

/// `encode_signature`, appended to `out` without a buffer of its own.
pub fn encode_signature_into(tag: &[u8; 32], out: &mut String) {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(tag, out);
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> UrlSigner {
        UrlSigner::new(vec![7; 32], 60)
    }

    #[test]
    fn a_signature_is_valid_until_it_expires() {
        let s = signer();
        let (exp, sig) = s.sign("/a.tar.gz", 1003);
        assert_eq!(exp, 1068, "60 s from 1003, rounded up to the 6 s step");
        assert_eq!(s.verify("/a.tar.gz", exp, &sig, 1068), Ok(()));
        assert_eq!(
            s.verify("/a.tar.gz", exp, &sig, 1069),
            Err(SignatureError::Expired)
        );
    }

    #[test]
    fn links_signed_in_the_same_step_are_identical_and_never_shorter_than_the_ttl() {
        let s = signer();
        assert_eq!(s.sign("/a.tar.gz", 1003), s.sign("/a.tar.gz", 1007));
        for now in 1000..1100 {
            let exp = s.expiry(now);
            assert!(exp >= now + 60 && exp < now + 66, "{now} -> {exp}");
        }
        let short = UrlSigner::new(vec![7; 32], 1);
        assert_eq!(short.expiry(1000), 1001);
    }

    #[test]
    fn a_signature_binds_path_expiry_and_key() {
        let s = signer();
        let (exp, sig) = s.sign("/a.tar.gz", 1000);
        assert_eq!(
            s.verify("/b.tar.gz", exp, &sig, 1000),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            s.verify("/a.tar.gz", exp + 100, &sig, 1000),
            Err(SignatureError::Invalid)
        );
        let other = UrlSigner::new(vec![8; 32], 60);
        assert_eq!(
            other.verify("/a.tar.gz", exp, &sig, 1000),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            s.verify("/a.tar.gz", exp, "!!", 1000),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn the_key_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let a = UrlSigner::load_or_create(&path, 60).unwrap();
        let b = UrlSigner::load_or_create(&path, 60).unwrap();
        let (exp, sig) = a.sign("/x.tar.gz", 0);
        assert_eq!(b.verify("/x.tar.gz", exp, &sig, 0), Ok(()));
        std::fs::write(&path, "short").unwrap();
        assert!(UrlSigner::load_or_create(&path, 60).is_err());
    }
}
