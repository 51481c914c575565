use serde::{Deserialize, Serialize};

use super::{ModelError, Name, OwnerId, Timestamp};

/// A person or service that owns projects and acts on them.
///
/// Owners identify clients on a trusted network; they are not authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The store's key.
    pub id: OwnerId,
    /// Unique name (case-insensitive).
    pub name: Name,
    /// Where to reach them, if known.
    pub email: Option<String>,
    /// The client they last acted from (e.g. `cli:alice@buildhost`), if any.
    pub client: Option<String>,
    /// Whether they administer the instance: owners, groups, and every project.
    pub admin: bool,
    /// When the owner was added.
    pub created_at: Timestamp,
}

/// What it takes to add an owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOwner {
    /// Unique name.
    pub name: Name,
    /// Optional e-mail address, checked by [`check_email`].
    pub email: Option<String>,
}

/// A change to an owner; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerUpdate {
    /// A new name.
    pub name: Option<Name>,
    /// A new e-mail address (`Some(None)` clears it).
    pub email: Option<Option<String>>,
    /// Grant (`true`) or revoke (`false`) admin.
    pub admin: Option<bool>,
}

/// Checks an e-mail address: one `@` with text on both sides, no spaces or control
/// characters, at most 254 bytes.
pub fn check_email(value: &str) -> Result<(), ModelError> {
    let hint = "give an address like `alice@example.com`";
    let reason = if value.len() > 254 {
        Some("it is longer than 254 bytes")
    } else if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("it contains a space or a control character")
    } else {
        match value.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
            {
                None
            }
            _ => Some("it needs exactly one `@` with text on both sides"),
        }
    };
    match reason {
        Some(reason) => Err(ModelError::invalid("e-mail address", value, reason, hint)),
        None => Ok(()),
    }
}

/// The longest client name taken, in bytes.
const MAX_CLIENT: usize = 512;

/// Checks a client name (`cli:alice@buildhost`), as given by `what` ("client",
/// "TOASTER_CLIENT"): one line of plain text, not empty, at most 512 bytes. It is stored
/// with every change and shown in the audit log, so it must not hold control characters.
pub fn check_client(what: &'static str, value: &str) -> Result<(), ModelError> {
    let reason = if value.trim().is_empty() {
        "it is empty".to_owned()
    } else if value.len() > MAX_CLIENT {
        format!("it is {} bytes long, more than {MAX_CLIENT}", value.len())
    } else if let Some(c) = value.chars().find(|c| c.is_control()) {
        format!("it contains the control character {c:?}")
    } else {
        return Ok(());
    };
    Err(ModelError::invalid(
        what,
        value,
        reason,
        "give it as one line of plain text, such as `cli:alice@buildhost`",
    ))
}

impl NewOwner {
    /// A new owner, with its e-mail address checked.
    pub fn new(name: Name, email: Option<String>) -> Result<NewOwner, ModelError> {
        if let Some(email) = &email {
            check_email(email)?;
        }
        Ok(NewOwner { name, email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        assert!(check_email("a@example.com").is_ok());
        for bad in ["", "a", "@x", "a@", "a@b@c", "a b@c", "a@c\n"] {
            assert!(check_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn client_rules() {
        assert!(check_client("client", "cli:alice@buildhost").is_ok());
        assert!(check_client("client", "bitbake:bob@host with spaces").is_ok());
        let long = "x".repeat(MAX_CLIENT + 1);
        for bad in [
            "",
            "  ",
            "x\ny",
            "tab\there",
            "esc\u{1b}[2J",
            "nul\0",
            long.as_str(),
        ] {
            assert!(check_client("client", bad).is_err(), "{bad:?}");
        }
        let err = check_client("TOASTER_CLIENT", "x\ny\u{1b}[2J").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid TOASTER_CLIENT `x\\ny\\u{1b}[2J`: it contains the control character '\\n'; give it as one line of plain text, such as `cli:alice@buildhost`"
        );
    }
}
