//! Text for a terminal: control characters in stored or reported text (an ESC sequence
//! in a log message, a NUL in a path, a line break in a client name) are shown escaped as
//! Rust writes them (`\u{1b}`, `\u{0}`, `\n`), so they can neither drive the terminal nor
//! break the lines and columns the output is made of. JSON output needs none of this.

use std::borrow::Cow;

/// Whether `c` is shown escaped: control characters (C0, DEL, C1) and the invisible
/// marks that reorder text on the screen (bidirectional overrides and isolates).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character escaped, line breaks too: for a field that
/// belongs on one line (a name, a path, a table cell).
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_but(text, |_| false)
}

/// `text` with every control character escaped but line breaks (`\n`): for text whose
/// lines are its own (an error message, a whole output).
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_but(text, |c| c == '\n')
}

/// `text`'s lines (split at `\n` or `\r\n`), each escaped as [`escape`] does.
pub fn escaped_lines(text: &str) -> impl DoubleEndedIterator<Item = Cow<'_, str>> {
    text.lines().map(escape)
}

fn escape_but(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| hidden(c) && !kept(c)) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) && !kept(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "busybox: QA issue: ünïcode, \"quotes\" and C:\\path";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
        assert!(matches!(escape_lines("two\nlines"), Cow::Borrowed(_)));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape("a\u{1b}[2Jb\0c\td\re\nf\u{7f}g\u{9b}h"),
            "a\\u{1b}[2Jb\\u{0}c\\td\\re\\nf\\u{7f}g\\u{9b}h"
        );
        assert_eq!(escape("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
    }

    #[test]
    fn escape_lines_keeps_line_breaks_only() {
        assert_eq!(escape_lines("a\u{1b}[0m\nb\r\n"), "a\\u{1b}[0m\nb\\r\n");
    }

    #[test]
    fn escaped_lines_split_at_line_ends() {
        let lines: Vec<_> = escaped_lines("one\r\ntwo\u{7}\nthree\rfour\n").collect();
        assert_eq!(lines, ["one", "two\\u{7}", "three\\rfour"]);
    }
}
