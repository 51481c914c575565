//! The lines of a recipe: quoted assignments, word lists and inert comments.

use super::RecipeWriteError;
use crate::conf::{check_word, quote};

/// A recipe's text, built line by line; every value goes through [`quote`].
#[derive(Debug, Default)]
pub(super) struct Lines {
    text: String,
}

impl Lines {
    /// `NAME = "value"`, quoted so that BitBake reads back exactly `value`.
    pub(super) fn assign(&mut self, name: &str, value: &str) -> Result<(), RecipeWriteError> {
        self.assign_op(name, "=", value)
    }

    /// `NAME <op> "value"`.
    pub(super) fn assign_op(
        &mut self,
        name: &str,
        op: &str,
        value: &str,
    ) -> Result<(), RecipeWriteError> {
        let quoted = quote(name, value).map_err(|source| RecipeWriteError::Unsafe {
            variable: name.to_owned(),
            source,
        })?;
        self.line(&format!("{name} {op} {quoted}"));
        Ok(())
    }

    /// A list of words: one line for a single word, else one word per continued line.
    pub(super) fn list(
        &mut self,
        name: &str,
        op: &str,
        words: &[String],
    ) -> Result<(), RecipeWriteError> {
        for word in words {
            check_word(name, word).map_err(|source| RecipeWriteError::Unsafe {
                variable: name.to_owned(),
                source,
            })?;
        }
        match words {
            [one] => self.assign_op(name, op, one),
            _ => {
                self.line(&format!("{name} {op} \" \\"));
                for word in words {
                    self.line(&format!("    {word} \\"));
                }
                self.line("\"");
                Ok(())
            }
        }
    }

    /// A comment line; `text` is made inert (one line, no trailing backslash).
    pub(super) fn comment(&mut self, text: &str) {
        let clean = one_line(text);
        let clean = clean.trim_end_matches('\\').trim_end();
        if clean.is_empty() {
            self.line("#");
        } else {
            self.line(&format!("# {clean}"));
        }
    }

    /// A blank line, unless the text already ends with one.
    pub(super) fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// A line of fixed text written by this module (never a value from the sources).
    pub(super) fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// The finished text, ending in exactly one newline.
    pub(super) fn finish(mut self) -> String {
        while self.text.ends_with("\n\n") {
            self.text.pop();
        }
        self.text
    }
}

/// `text` on one line: control characters and line breaks become spaces, runs of
/// whitespace one space.
pub(super) fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
