//! Sign-in tokens: an owner makes, lists and revokes their own; a server turns a token's
//! secret back into the [`Actor`] it acts as.

use super::{Actor, Toaster};
use crate::Error;
use crate::model::{
    AuditAction, Name, NewToken, OwnerToken, Timestamp, TokenRefusal, is_token_shaped,
    token_expiry, token_hash, token_secret,
};
use crate::store::StoreError;

/// The prefix of the client a request made with a token acts from (`web:phone`).
pub const TOKEN_CLIENT_PREFIX: &str = "web:";

/// A token just made: the record, and its secret, which is shown this once and kept nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedToken {
    /// The stored token.
    pub token: OwnerToken,
    /// The secret to sign in with.
    pub secret: String,
}

impl Actor {
    /// Makes a sign-in token for the acting owner, named `name` (default `token-N`, the
    /// first N free), living `lifetime` (`90d`, `12h`; `None`: until revoked). The secret
    /// is 256 random bits from the operating system; only its SHA-256 is stored.
    pub fn create_token(
        &self,
        name: Option<&str>,
        lifetime: Option<&str>,
    ) -> Result<CreatedToken, Error> {
        let now = Timestamp::now();
        let expires_at = lifetime.map(|l| token_expiry(l, now)).transpose()?;
        let name = match name {
            Some(name) => Name::parse("token name", name)?,
            None => self.free_token_name()?,
        };
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).map_err(|e| Error::Randomness {
            detail: e.to_string(),
        })?;
        let secret = token_secret(&random);
        let new = NewToken {
            owner: self.owner.id,
            name,
            hash: token_hash(&secret),
            expires_at,
        };
        let until = expires_at.map_or_else(
            || "until revoked".to_owned(),
            |at| format!("until {}", at.to_rfc3339()),
        );
        let audit = self.entry(
            None,
            AuditAction::TokenCreate,
            None,
            format!("made token {} ({until})", new.name),
        );
        let token = self.store().add_token(&new, &audit)?;
        Ok(CreatedToken { token, secret })
    }

    /// The acting owner's tokens, revoked and expired ones too, by name.
    pub fn tokens(&self) -> Result<Vec<OwnerToken>, Error> {
        Ok(self.store().tokens(self.owner.id)?)
    }

    /// Revokes the acting owner's token `name`: it signs nothing in from now on, and
    /// sessions made with it end. Revoking a revoked token changes nothing.
    pub fn revoke_token(&self, name: &str) -> Result<OwnerToken, Error> {
        let audit = self.entry(
            None,
            AuditAction::TokenRevoke,
            None,
            format!("revoked token {name}"),
        );
        Ok(self.store().revoke_token(self.owner.id, name, &audit)?)
    }

    fn free_token_name(&self) -> Result<Name, Error> {
        let taken: Vec<String> = self
            .tokens()?
            .iter()
            .map(|t| t.name.as_str().to_ascii_lowercase())
            .collect();
        let free = (1..)
            .map(|n| format!("token-{n}"))
            .find(|name| !taken.contains(name))
            .unwrap_or_default();
        Ok(Name::parse("token name", &free)?)
    }
}

impl Toaster {
    /// The token whose secret is `secret`, if it signs in now: [`Error::Unauthenticated`]
    /// says why not (missing, unknown, revoked, expired).
    pub fn token_for(&self, secret: Option<&str>) -> Result<OwnerToken, Error> {
        let refused = |refusal| Error::Unauthenticated { refusal };
        let secret = secret.ok_or(refused(TokenRefusal::Missing))?;
        if !is_token_shaped(secret) {
            return Err(refused(TokenRefusal::Unknown));
        }
        let token = match self.store.token_by_hash(&token_hash(secret)) {
            Err(StoreError::NotFound { .. }) => return Err(refused(TokenRefusal::Unknown)),
            other => other?,
        };
        match token.refusal(Timestamp::now()) {
            Some(refusal) => Err(refused(refusal)),
            None => Ok(token),
        }
    }

    /// Acts as the owner of the token whose secret is `secret`, from client
    /// `web:<token name>`; fails with [`Error::Unauthenticated`] when it does not sign in.
    pub fn act_with_token(&self, secret: Option<&str>) -> Result<Actor, Error> {
        let token = self.token_for(secret)?;
        self.actor_for_token(&token)
    }

    /// Acts as the owner of `token` (already checked by [`Toaster::token_for`]).
    pub fn actor_for_token(&self, token: &OwnerToken) -> Result<Actor, Error> {
        let owner = self.store.owner_by_id(token.owner)?;
        Ok(self.actor(owner, &format!("{TOKEN_CLIENT_PREFIX}{}", token.name)))
    }
}
