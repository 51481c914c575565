//! The little YAML a kas file needs, written so that any text survives: every string is a
//! double-quoted scalar (escaped where YAML would read something else), conf text is a
//! literal block only when that is exact, and comments never break their line.

use std::fmt::Write as _;

/// Whether YAML (PyYAML, which kas uses) would not read `c` back as itself inside a
/// double-quoted scalar or a block: control characters (C0, DEL, C1, which also holds
/// YAML 1.1's line break U+0085), the line and paragraph separators, the byte order mark
/// and the non-characters U+FFFE and U+FFFF.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        )
}

/// `text` as a YAML double-quoted scalar. Printable text stays as it is (`: `, `#`, `-`,
/// `*`, `&`, `{`, any Unicode letter are plain characters inside quotes); `"` and `\` are
/// escaped, and so is every character of [`needs_escape`], as `\n`, `\t`, … or `\uXXXX`.
/// These escapes are JSON's as well, so the result is also a JSON string.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                // Every character of needs_escape is in the Basic Multilingual Plane.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` reads back exactly as a literal block (`|`, clipped: one final line
/// break kept): non-empty lines that start with neither a space nor a tab, only printable
/// characters and no tab (kept out to be safe from indentation rules), one line break at
/// the end.
fn fits_block(text: &str) -> bool {
    let Some(body) = text.strip_suffix('\n') else {
        return false;
    };
    !body.is_empty()
        && body.split('\n').all(|line| {
            !line.is_empty()
                && !line.starts_with(' ')
                && line.chars().all(|c| c != '\t' && !needs_escape(c))
        })
}

/// A YAML document, written line by line at two spaces per level.
#[derive(Debug, Default)]
pub(super) struct Yaml {
    text: String,
}

impl Yaml {
    /// A `# text` line; any line break in `text` becomes a space, so the comment cannot
    /// end early and let the rest be read as YAML.
    pub(super) fn comment(&mut self, level: usize, text: &str) {
        self.indent(level);
        self.text.push('#');
        if !text.is_empty() {
            self.text.push(' ');
        }
        self.text.extend(text.chars().map(|c| match c {
            '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        }));
        self.text.push('\n');
    }

    /// `key:` opening a nested mapping or sequence. `key` is written as given: a fixed kas
    /// key, or one made with [`quoted`].
    pub(super) fn open(&mut self, level: usize, key: &str) {
        self.indent(level);
        let _ = writeln!(self.text, "{key}:");
    }

    /// `key: "value"`.
    pub(super) fn string(&mut self, level: usize, key: &str, value: &str) {
        self.raw(level, key, &quoted(value));
    }

    /// `key: value` with `value` written as given (a number, `{}`), or `key:` (null) when
    /// it is empty.
    pub(super) fn raw(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        if value.is_empty() {
            let _ = writeln!(self.text, "{key}:");
        } else {
            let _ = writeln!(self.text, "{key}: {value}");
        }
    }

    /// `- "value"`, an item of a sequence.
    pub(super) fn item(&mut self, level: usize, value: &str) {
        self.indent(level);
        let _ = writeln!(self.text, "- {}", quoted(value));
    }

    /// `key: |` and `text` as a literal block one level deeper, when that reads back
    /// exactly; else `key: "text"`.
    pub(super) fn text_block(&mut self, level: usize, key: &str, text: &str) {
        if !fits_block(text) {
            self.string(level, key, text);
            return;
        }
        self.indent(level);
        let _ = writeln!(self.text, "{key}: |");
        for line in text.lines() {
            self.indent(level + 1);
            self.text.push_str(line);
            self.text.push('\n');
        }
    }

    /// The document.
    pub(super) fn finish(self) -> String {
        self.text
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_strings_are_json_strings_that_keep_every_character() {
        for text in [
            "plain",
            "",
            "a: b # c",
            "- x",
            "*alias &anchor !tag",
            "{a: [b]}",
            "say \"hi\" \\ back",
            "line\nbreak\r\ttab",
            "nul\0bell\u{7}del\u{7f}nel\u{85}",
            "sep\u{2028}par\u{2029}bom\u{feff}non\u{fffe}\u{ffff}",
            "unicode ✓ grüße 𝄞",
            "'single'",
            "%percent @at `tick` |pipe >fold",
        ] {
            let q = quoted(text);
            let back: String = serde_json::from_str(&q).expect("a JSON string");
            assert_eq!(back, text);
            assert!(
                !q.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']),
                "{q}"
            );
        }
    }

    #[test]
    fn blocks_only_for_text_that_reads_back_exactly() {
        assert!(fits_block("A = \"1\"\nB = \"2\"\n"));
        for bad in [
            "",
            "\n",
            "no final break",
            " leading space\n",
            "a\n\nb\n",
            "two breaks\n\n",
            "tab\there\n",
            "sep\u{2028}\n",
        ] {
            assert!(!fits_block(bad), "{bad:?}");
        }
        let mut y = Yaml::default();
        y.text_block(1, "\"k\"", "a\n b\n");
        assert_eq!(y.finish(), "  \"k\": \"a\\n b\\n\"\n");
    }

    #[test]
    fn comments_stay_on_their_line() {
        let mut y = Yaml::default();
        y.comment(0, "a\nb: c\u{2028}d");
        assert_eq!(y.finish(), "# a b: c d\n");
    }
}
