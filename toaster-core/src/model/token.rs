//! Owner tokens: the secrets a web browser or an API client signs in with. Only a token's
//! SHA-256 is stored; the secret is shown once, when it is made.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{ModelError, Name, OwnerId, Timestamp};

/// What every token's secret starts with, so a leaked one is recognised.
pub const TOKEN_PREFIX: &str = "tst_";

/// The longest lifetime a token may be given (ten years, in days).
const MAX_LIFETIME_DAYS: i64 = 3650;

/// A token as the store keeps it: never its secret, only the secret's hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerToken {
    /// The store's key.
    pub id: i64,
    /// Whose it is.
    pub owner: OwnerId,
    /// Its owner's name.
    pub owner_name: Name,
    /// Its name, unique among its owner's tokens (`phone`); requests made with it act from
    /// client `web:<name>`.
    pub name: Name,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

impl OwnerToken {
    /// Why this token cannot sign in at `now`, or `None` when it can.
    pub fn refusal(&self, now: Timestamp) -> Option<TokenRefusal> {
        if self.revoked_at.is_some() {
            Some(TokenRefusal::Revoked)
        } else if self.expires_at.is_some_and(|at| at <= now) {
            Some(TokenRefusal::Expired)
        } else {
            None
        }
    }
}

/// Why a token does not sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenRefusal {
    /// No token was given.
    Missing,
    /// No token has that secret.
    Unknown,
    /// It was revoked.
    Revoked,
    /// Its lifetime is over.
    Expired,
}

impl std::fmt::Display for TokenRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenRefusal::Missing => "no token was given",
            TokenRefusal::Unknown => "the token is not known",
            TokenRefusal::Revoked => "the token was revoked",
            TokenRefusal::Expired => "the token has expired",
        })
    }
}

/// A token to store: its owner, name, the hash of its secret, and its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// Whose it is.
    pub owner: OwnerId,
    /// Its name.
    pub name: Name,
    /// The SHA-256 of its secret, lower-case hex (see [`token_hash`]).
    pub hash: String,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
}

/// The secret of a token made from 32 random bytes: [`TOKEN_PREFIX`] and 64 hex digits.
pub fn token_secret(random: &[u8; 32]) -> String {
    let mut secret = String::with_capacity(TOKEN_PREFIX.len() + 64);
    secret.push_str(TOKEN_PREFIX);
    secret.extend(random.iter().map(|b| format!("{b:02x}")));
    secret
}

/// The hash a token's secret is stored and looked up by: its SHA-256 in lower-case hex.
pub fn token_hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// Whether `text` has the shape of a token's secret (checked before it is looked up, so
/// that nothing else is hashed or logged as one).
pub fn is_token_shaped(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX)
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The end of a token made at `now` that lives `lifetime` (`90d`, `12h`, `30m`), read as
/// people write it; at most ten years.
pub fn token_expiry(lifetime: &str, now: Timestamp) -> Result<Timestamp, ModelError> {
    let bad = |reason: &str| {
        ModelError::invalid(
            "token lifetime",
            lifetime,
            reason,
            "write a whole number of minutes, hours or days, like `30m`, `12h` or `90d` (at most 3650d)",
        )
    };
    let text = lifetime.trim();
    let (number, unit_ms) = match text.char_indices().last() {
        Some((at, 'm')) => (&text[..at], 60_000),
        Some((at, 'h')) => (&text[..at], 3_600_000),
        Some((at, 'd')) => (&text[..at], 86_400_000),
        _ => return Err(bad("it does not end in m, h or d")),
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("it is not a whole number and a unit"));
    }
    let count: i64 = number.parse().map_err(|_| bad("the number is too large"))?;
    let ms = count
        .checked_mul(unit_ms)
        .filter(|ms| *ms <= MAX_LIFETIME_DAYS * 86_400_000)
        .ok_or_else(|| bad("it is longer than ten years"))?;
    if ms == 0 {
        return Err(bad("it is zero"));
    }
    Ok(Timestamp(now.0.saturating_add(ms)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_hex_and_hash_to_sha256() {
        let secret = token_secret(&[0xab; 32]);
        assert_eq!(secret.len(), 4 + 64);
        assert!(is_token_shaped(&secret));
        assert!(!is_token_shaped("tst_../../etc"));
        assert!(!is_token_shaped(&secret[1..]));
        // sha256("abc"), the FIPS 180-2 example.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn lifetimes_are_read_and_bounded() {
        let now = Timestamp(1_000);
        assert_eq!(token_expiry("90d", now).unwrap().0, 1_000 + 90 * 86_400_000);
        assert_eq!(token_expiry("30m", now).unwrap().0, 1_000 + 30 * 60_000);
        for bad in [
            "",
            "d",
            "0d",
            "-1d",
            "1.5d",
            "90",
            "3651d",
            "99999999999999999999d",
            "1w",
        ] {
            let err = token_expiry(bad, now).unwrap_err().to_string();
            assert!(err.contains("token lifetime"), "{bad}: {err}");
        }
    }

    #[test]
    fn refusals_say_revoked_before_expired() {
        let mut token = OwnerToken {
            id: 1,
            owner: OwnerId(1),
            owner_name: Name::parse("owner name", "alice").unwrap(),
            name: Name::parse("token name", "phone").unwrap(),
            created_at: Timestamp(0),
            expires_at: Some(Timestamp(10)),
            revoked_at: None,
        };
        assert_eq!(token.refusal(Timestamp(9)), None);
        assert_eq!(token.refusal(Timestamp(10)), Some(TokenRefusal::Expired));
        token.revoked_at = Some(Timestamp(5));
        assert_eq!(token.refusal(Timestamp(10)), Some(TokenRefusal::Revoked));
    }
}
