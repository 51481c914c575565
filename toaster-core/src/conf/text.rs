//! Physical and logical lines as BitBake's conf reader sees them: universal newlines,
//! Python's idea of whitespace, backslash continuations.

use std::ops::Range;

/// Whitespace as Python's `str.isspace` (and so BitBake's `strip` and regex `\s`) knows it:
/// Unicode white space plus the ASCII separators `\x1c`–`\x1f`.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `text` without trailing whitespace, as Python's `str.rstrip()`.
pub fn rstrip(text: &str) -> &str {
    text.trim_end_matches(is_space)
}

/// One physical line: its text without the terminator, and its byte range with it.
#[derive(Debug, Clone, Copy)]
pub struct Physical<'a> {
    /// The line's text without `\n`, `\r\n` or `\r`.
    pub body: &'a str,
    /// Where the line, terminator included, lies in the file.
    pub start: usize,
    /// End of the line, terminator included.
    pub end: usize,
}

/// Splits `text` into physical lines the way Python's text files do (`\n`, `\r\n` and a lone
/// `\r` each end a line). The concatenation of the ranges is the whole text.
pub fn physical_lines(text: &str) -> Vec<Physical<'_>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(Physical {
                    body: &text[start..i],
                    start,
                    end: i + 1,
                });
                i += 1;
                start = i;
            }
            b'\r' => {
                let end = if bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                lines.push(Physical {
                    body: &text[start..i],
                    start,
                    end,
                });
                i = end;
                start = end;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        lines.push(Physical {
            body: &text[start..],
            start,
            end: bytes.len(),
        });
    }
    lines
}

/// What one logical line is, after BitBake's joining rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logical {
    /// An empty or whitespace-only physical line.
    Blank,
    /// A comment (possibly continued over comment lines).
    Comment,
    /// Text for the statement parser: the joined, right-stripped line.
    Statement(String),
}

/// A logical line with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalLine {
    /// What it is.
    pub kind: Logical,
    /// Its physical lines' byte range, terminators included.
    pub bytes: Range<usize>,
    /// The 1-based number of its first physical line.
    pub line: usize,
}

/// Why lines could not be joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinProblem {
    /// A comment continued by a line that is blank or not a comment.
    ConfusingComment,
    /// Continuations that leave nothing (BitBake fails on these).
    EmptyContinuation,
}

/// Joins physical lines into logical ones, exactly as BitBake's `ConfHandler.handle` does.
/// On failure returns the problem and the 1-based line where the statement starts.
pub fn logical_lines(text: &str) -> Result<Vec<LogicalLine>, (JoinProblem, usize)> {
    let lines = physical_lines(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let first = lines[i];
        let number = i + 1;
        i += 1;
        if first.body.trim_matches(is_space).is_empty() {
            out.push(LogicalLine {
                kind: Logical::Blank,
                bytes: first.start..first.end,
                line: number,
            });
            continue;
        }
        let mut end = first.end;
        let mut joined = rstrip(first.body).to_owned();
        let comment = joined.starts_with('#');
        while joined.ends_with('\\') {
            let next = match lines.get(i) {
                Some(next) => {
                    i += 1;
                    end = next.end;
                    rstrip(next.body)
                }
                None => "",
            };
            if comment && !next.starts_with('#') {
                return Err((JoinProblem::ConfusingComment, number));
            }
            joined.pop();
            joined.push_str(next);
            if joined.is_empty() {
                return Err((JoinProblem::EmptyContinuation, number));
            }
        }
        out.push(LogicalLine {
            kind: if comment {
                Logical::Comment
            } else {
                Logical::Statement(joined)
            },
            bytes: first.start..end,
            line: number,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(text: &str) -> Vec<String> {
        logical_lines(text)
            .unwrap()
            .into_iter()
            .filter_map(|l| match l.kind {
                Logical::Statement(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn physical_lines_cover_the_text_with_any_newline() {
        let text = "a\r\nb\rc\nd";
        let lines = physical_lines(text);
        let bodies: Vec<&str> = lines.iter().map(|l| l.body).collect();
        assert_eq!(bodies, ["a", "b", "c", "d"]);
        assert_eq!(lines.last().unwrap().end, text.len());
    }

    #[test]
    fn continuations_glue_text_without_separator() {
        assert_eq!(
            statements("FOO = \"bar \\\n    baz\"\n"),
            ["FOO = \"bar     baz\""]
        );
        assert_eq!(
            statements("V = \" \\\n S \\\n# c \\\n X \\\n\"\n"),
            ["V = \"  S # c  X \""]
        );
    }

    #[test]
    fn comments_continue_only_into_comments() {
        assert_eq!(statements("# a \\\n# b\nX = \"1\"\n"), ["X = \"1\""]);
        assert_eq!(
            logical_lines("# a \\\nX = \"1\"\n"),
            Err((JoinProblem::ConfusingComment, 1))
        );
        assert_eq!(
            logical_lines("X = \"1\"\n\\\n\n"),
            Err((JoinProblem::EmptyContinuation, 2))
        );
    }

    #[test]
    fn python_whitespace_includes_unit_separators() {
        assert!(is_space('\u{1f}') && is_space('\u{a0}') && !is_space('\u{feff}'));
        assert_eq!(rstrip("a \t\u{1c}"), "a");
    }
}
