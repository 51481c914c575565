//! Owner tokens as frontends show them (never their secret, but once).

use serde::Serialize;

use crate::CreatedToken;
use crate::model::{OwnerToken, Timestamp};

/// A token, as `owner token list --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    /// Its name (requests made with it act from client `web:<name>`).
    pub name: String,
    /// Whose it is.
    pub owner: String,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it stops working, if ever (RFC 3339).
    pub expires_at: Option<String>,
    /// When it was revoked, if it was (RFC 3339).
    pub revoked_at: Option<String>,
}

impl TokenView {
    /// The view of `token` as it stands at `now`.
    pub fn at(token: &OwnerToken, now: Timestamp) -> TokenView {
        let state = match token.refusal(now) {
            None => "active",
            Some(crate::model::TokenRefusal::Revoked) => "revoked",
            Some(_) => "expired",
        };
        TokenView {
            name: token.name.to_string(),
            owner: token.owner_name.to_string(),
            state,
            created_at: token.created_at.to_rfc3339(),
            expires_at: token.expires_at.map(Timestamp::to_rfc3339),
            revoked_at: token.revoked_at.map(Timestamp::to_rfc3339),
        }
    }
}

/// A token just made, as `owner token create --json` prints it: the only time its secret
/// is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedTokenView {
    /// The secret to sign in with (`Authorization: Bearer <token>`).
    pub token: String,
    /// The token as listed.
    #[serde(flatten)]
    pub details: TokenView,
}

impl From<&CreatedToken> for CreatedTokenView {
    fn from(made: &CreatedToken) -> CreatedTokenView {
        CreatedTokenView {
            token: made.secret.clone(),
            details: TokenView::at(&made.token, Timestamp::now()),
        }
    }
}
