//! Single sign-on: a portal's backend, holding the secret of `--sso-secret-file`, signs
//! "this user, until then" and the server opens a session for that user (docs/api.md,
//! "Single sign-on").

use std::path::Path;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far ahead of the server clock an expiry may be: a signed request is good for
/// minutes, so one that leaks is soon worthless.
pub const MAX_AHEAD_MS: i64 = 5 * 60_000;

/// The shared secret's bytes; never printed.
#[derive(Clone)]
pub struct Secret(Arc<[u8]>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// The file's bytes less one trailing newline (editors add one; `$(cat file)` in a
    /// shell drops it).
    pub fn read(path: &Path) -> Result<Secret, String> {
        let mut bytes =
            std::fs::read(path).map_err(|e| format!("cannot read the SSO secret {}: {e}", path.display()))?;
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
        }
        if bytes.is_empty() {
            return Err(format!("the SSO secret {} is empty", path.display()));
        }
        Ok(Secret(bytes.into()))
    }

    pub fn from_bytes(bytes: &[u8]) -> Secret {
        Secret(bytes.into())
    }

    /// Whether `signature` (hex) is the HMAC-SHA256 of `email + "\n" + expires`,
    /// compared in constant time.
    pub fn verify(&self, email: &str, expires: i64, signature: &str) -> bool {
        let Some(signature) = from_hex(signature) else { return false };
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(format!("{email}\n{expires}").as_bytes());
        mac.verify_slice(&signature).is_ok()
    }
}

/// Whether `expires` is neither past nor more than [`MAX_AHEAD_MS`] ahead of `now`.
pub fn in_window(expires: i64, now: i64) -> bool {
    expires >= now && expires.saturating_sub(now) <= MAX_AHEAD_MS
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    hex.as_bytes().chunks(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector is openssl's, not this code's: `printf 'lea@test\n1700000000000' |
    /// openssl dgst -sha256 -hmac 'portal secret'`.
    #[test]
    fn a_signature_made_by_openssl_verifies_and_nothing_else_does() {
        let secret = Secret::from_bytes(b"portal secret");
        let good = "54ac5e318bd0c7d1f760d3818f2f085967a1db01038195656fd1ab53ead5c39e";
        assert!(secret.verify("lea@test", 1_700_000_000_000, good));
        assert!(secret.verify("lea@test", 1_700_000_000_000, &good.to_uppercase()));
        assert!(!secret.verify("lea@test", 1_700_000_000_001, good));
        assert!(!secret.verify("lea@tesT", 1_700_000_000_000, good));
        assert!(!Secret::from_bytes(b"portal secreT").verify("lea@test", 1_700_000_000_000, good));
        for broken in ["", "1f", &good[1..], &format!("{good}00"), &good.replace('1', "g"), "zz"] {
            assert!(!secret.verify("lea@test", 1_700_000_000_000, broken), "{broken:?}");
        }
    }

    #[test]
    fn the_expiry_must_be_within_the_next_five_minutes() {
        let now = 1_700_000_000_000;
        assert!(in_window(now, now));
        assert!(in_window(now + MAX_AHEAD_MS, now));
        assert!(!in_window(now - 1, now));
        assert!(!in_window(now + MAX_AHEAD_MS + 1, now));
        assert!(!in_window(i64::MIN, now));
        assert!(!in_window(i64::MAX, now));
    }

    #[test]
    fn the_secret_file_loses_one_trailing_newline_and_must_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        for (content, expected) in [("s3cret\n", &b"s3cret"[..]), ("s3cret", b"s3cret"), ("s3cret\n\n", b"s3cret\n")] {
            std::fs::write(&path, content).unwrap();
            assert_eq!(&*Secret::read(&path).unwrap().0, expected, "{content:?}");
        }
        for empty in ["", "\n"] {
            std::fs::write(&path, empty).unwrap();
            assert!(Secret::read(&path).unwrap_err().contains("empty"), "{empty:?}");
        }
        assert!(Secret::read(&dir.path().join("missing")).unwrap_err().contains("cannot read"));
        assert!(!format!("{:?}", Secret::from_bytes(b"s3cret")).contains("s3cret"));
    }
}
