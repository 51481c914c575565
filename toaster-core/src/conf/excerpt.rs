//! What an error may quote of a conf file: the offending token, shortened, and only from a
//! file the user named. A file reached otherwise (an include, a layer's `layer.conf`, a
//! link) may be anything readable, such as `/etc/shadow`; its lines are never shown.

/// The most characters quoted.
const MAX_CHARS: usize = 32;

/// The first word of a statement, ended by whitespace, `=` or a quote, at most
/// [`MAX_CHARS`] characters with control characters escaped; `None` when there is none.
pub(super) fn token(statement: &str) -> Option<String> {
    let word = statement
        .trim_start()
        .split(|c: char| c.is_whitespace() || matches!(c, '=' | '"' | '\''))
        .next()
        .unwrap_or_default();
    if word.is_empty() {
        return None;
    }
    Some(crate::model::shorten_to(word, MAX_CHARS))
}

#[cfg(test)]
mod tests {
    use super::token;

    #[test]
    fn the_first_word_only_and_shortened() {
        assert_eq!(token("A = \"secret\"").as_deref(), Some("A"));
        assert_eq!(token("A=\"secret\"").as_deref(), Some("A"));
        assert_eq!(token("  indented = \"x\"").as_deref(), Some("indented"));
        assert_eq!(
            token("root:$6$x:1:: more").as_deref(),
            Some("root:$6$x:1::")
        );
        assert_eq!(token(""), None);
        let long = token(&"N".repeat(100)).unwrap();
        assert_eq!(long.chars().count(), 33);
        assert!(long.ends_with('…'));
    }
}
