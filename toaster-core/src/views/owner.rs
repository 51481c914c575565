//! An owner as frontends show it.

use serde::Serialize;

use crate::model::Owner;

/// An owner, as `owner list|show --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerView {
    /// Their name.
    pub name: String,
    /// Their email address, if given.
    pub email: Option<String>,
    /// The client they act from, if they are bound to one.
    pub client: Option<String>,
    /// Whether they administer the instance.
    pub admin: bool,
    /// When they were added (RFC 3339).
    pub created_at: String,
}

impl From<&Owner> for OwnerView {
    fn from(owner: &Owner) -> OwnerView {
        OwnerView {
            name: owner.name.to_string(),
            email: owner.email.clone(),
            client: owner.client.clone(),
            admin: owner.admin,
            created_at: owner.created_at.to_rfc3339(),
        }
    }
}
