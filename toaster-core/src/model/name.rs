use std::fmt;

use serde::{Deserialize, Serialize};

use super::ModelError;

/// The name of an owner or a project.
///
/// A name becomes a directory, a key in the database and a word on a command line, so the
/// allowed set is small: 1 to 64 ASCII letters, digits, `.`, `_` and `-`, starting with a
/// letter or a digit. Names are compared without regard to case, so `Demo` and `demo` cannot
/// both exist on a case-insensitive file system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// The longest name accepted.
    pub const MAX_LEN: usize = 64;

    /// Checks `value` as a name of `what` ("owner name", "project name").
    pub fn parse(what: &'static str, value: &str) -> Result<Name, ModelError> {
        let hint = "use 1 to 64 letters, digits, `.`, `_` or `-`, starting with a letter or digit";
        if value.is_empty() {
            return Err(ModelError::invalid(what, value, "it is empty", hint));
        }
        if value.len() > Self::MAX_LEN {
            return Err(ModelError::invalid(
                what,
                value,
                format!(
                    "it is {} bytes long, more than {}",
                    value.len(),
                    Self::MAX_LEN
                ),
                hint,
            ));
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(ModelError::invalid(
                what,
                value,
                format!("it contains {bad:?}"),
                hint,
            ));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(ModelError::invalid(
                what,
                value,
                "it does not start with a letter or digit",
                hint,
            ));
        }
        Ok(Name(value.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Name {
    type Error = ModelError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Name::parse("name", &value)
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_allowed_set() {
        for ok in ["demo", "a", "core-image_1.0", "9lives", &"x".repeat(64)] {
            assert_eq!(Name::parse("project name", ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_empty_absurd_and_dangerous_names() {
        let long = "x".repeat(65);
        for bad in [
            "", ".", "..", "-rf", ".hidden", "a b", "a/b", "a\\b", "é", "a;drop", "a\n", "a\0",
            &long,
        ] {
            let err = Name::parse("project name", bad).unwrap_err();
            let ModelError::Invalid { what, hint, .. } = &err;
            assert_eq!(*what, "project name");
            assert!(hint.contains("letters"), "{err}");
        }
    }

    #[test]
    fn long_values_are_shortened_in_errors() {
        let err = Name::parse("owner name", &"y".repeat(10_000)).unwrap_err();
        assert!(err.to_string().len() < 400, "{err}");
    }
}
