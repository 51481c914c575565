/// A value that the domain does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A value broke a rule of its kind.
    #[error("invalid {what} `{value}`: {reason}; {hint}")]
    Invalid {
        /// What the value is, e.g. "project name".
        what: &'static str,
        /// The value as given (shortened when very long).
        value: String,
        /// What is wrong with it.
        reason: String,
        /// What to do instead.
        hint: String,
    },
}

impl ModelError {
    /// An [`ModelError::Invalid`] with the given parts; long values are shortened for display.
    pub fn invalid(
        what: &'static str,
        value: &str,
        reason: impl Into<String>,
        hint: impl Into<String>,
    ) -> ModelError {
        ModelError::Invalid {
            what,
            value: shorten(value),
            reason: reason.into(),
            hint: hint.into(),
        }
    }
}

/// The value as shown in a message: control characters escaped, long values cut.
pub(crate) fn shorten(value: &str) -> String {
    shorten_to(value, 80)
}

/// `value` as shown in a message: control characters escaped, cut after `max` characters.
pub(crate) fn shorten_to(value: &str, max: usize) -> String {
    let mut shown = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == max {
            shown.push('…');
            break;
        }
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// What a file that is not a regular file is, for messages (`a directory`).
pub(crate) fn file_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_dir() {
        "a directory"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}
