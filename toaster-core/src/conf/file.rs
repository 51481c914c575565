//! A conf file as a sequence of items that keep their exact bytes: parse, write, and edits
//! that rewrite only the statements they change.

use std::path::{Path, PathBuf};

use super::error::ConfError;
use super::statement::{self, Assignment, Op, Problem, Statement};
use super::text::{self, JoinProblem, Logical};
use super::{excerpt, quote, read};
use crate::model::{Variable, shorten};

/// The largest conf file read; real ones are a few kilobytes.
pub const MAX_SIZE: u64 = 8 * 1024 * 1024;

/// One logical line and the exact text it was written as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The physical lines, terminators included, byte for byte.
    pub text: String,
    /// The 1-based number of its first line (as parsed; edits do not renumber).
    pub line: usize,
    /// What it is.
    pub kind: ItemKind,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    /// A blank line.
    Blank,
    /// A comment.
    Comment,
    /// A statement.
    Statement(Statement),
}

/// A parsed conf file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfFile {
    path: PathBuf,
    items: Vec<Item>,
}

impl ConfFile {
    /// Reads and parses the regular file at `path`. `bblayers.conf` and `layer.conf` are
    /// read as base configuration (where `addpylib` is allowed). Errors never quote the
    /// file: it may be one the user did not name (an include, a link).
    pub fn read(path: &Path) -> Result<ConfFile, ConfError> {
        ConfFile::read_quoting(path).map_err(ConfError::unquoted)
    }

    /// Reads and parses a file the user named: errors may quote its offending token.
    pub fn read_named(path: &Path) -> Result<ConfFile, ConfError> {
        ConfFile::read_quoting(path)
    }

    fn read_quoting(path: &Path) -> Result<ConfFile, ConfError> {
        let bytes = read::read_bytes(path)?;
        let base = matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("bblayers.conf" | "layer.conf")
        );
        ConfFile::parse_bytes(path, &bytes, base)
    }

    /// Parses bytes read from `path` (named in errors only).
    pub fn parse_bytes(
        path: &Path,
        bytes: &[u8],
        base_config: bool,
    ) -> Result<ConfFile, ConfError> {
        if bytes.len() as u64 > MAX_SIZE {
            return Err(ConfError::TooLarge {
                file: path.to_owned(),
                size: Some(bytes.len() as u64),
                limit: MAX_SIZE,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| ConfError::Encoding {
            file: path.to_owned(),
            line: 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count(),
        })?;
        ConfFile::parse(path, text, base_config)
    }

    /// Parses `text` as the file `path` (named in errors, which quote the offending token).
    /// Refuses what BitBake refuses, and NUL characters.
    pub fn parse(path: &Path, text: &str, base_config: bool) -> Result<ConfFile, ConfError> {
        let syntax = |line: usize, problem: Problem, shown: &str| ConfError::Syntax {
            file: path.to_owned(),
            line,
            problem,
            text: excerpt::token(shown),
        };
        if let Some(at) = text.find('\0') {
            let line = 1 + text[..at].matches('\n').count();
            return Err(syntax(line, Problem::Nul, ""));
        }
        let lines = text::logical_lines(text).map_err(|(problem, line)| {
            let shown = text::physical_lines(text)
                .get(line - 1)
                .map_or("", |l| l.body);
            let problem = match problem {
                JoinProblem::ConfusingComment => Problem::ConfusingComment,
                JoinProblem::EmptyContinuation => Problem::EmptyContinuation,
            };
            syntax(line, problem, shown)
        })?;
        let mut items = Vec::with_capacity(lines.len());
        for logical in lines {
            let kind = match logical.kind {
                Logical::Blank => ItemKind::Blank,
                Logical::Comment => ItemKind::Comment,
                Logical::Statement(joined) => ItemKind::Statement(
                    statement::parse(&joined, base_config)
                        .map_err(|problem| syntax(logical.line, problem, &joined))?,
                ),
            };
            items.push(Item {
                text: text[logical.bytes].to_owned(),
                line: logical.line,
                kind,
            });
        }
        Ok(ConfFile {
            path: path.to_owned(),
            items,
        })
    }

    /// An empty file at `path` (not written until asked).
    pub fn empty(path: &Path) -> ConfFile {
        ConfFile {
            path: path.to_owned(),
            items: Vec::new(),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    #[cfg(test)]
    /// The items in order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The statements in order, with their line numbers.
    pub fn statements(&self) -> impl Iterator<Item = (usize, &Statement)> {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Statement(s) => Some((item.line, s)),
            _ => None,
        })
    }

    /// The file's text: for a parsed, unedited file, exactly the bytes read.
    pub fn text(&self) -> String {
        self.items.iter().map(|i| i.text.as_str()).collect()
    }

    /// Whether the file has an item whose text (without its line end) is `line`.
    pub fn has_line(&self, line: &str) -> bool {
        self.items
            .iter()
            .any(|i| i.text.trim_end_matches(['\n', '\r']) == line)
    }

    /// Adds `line` (a statement) at the end unless it is there already. Returns whether it
    /// was added.
    pub fn ensure_line(&mut self, line: &str) -> Result<bool, ConfError> {
        if self.has_line(line) {
            return Ok(false);
        }
        let item = self.checked_item(line, None)?;
        self.push(item);
        Ok(true)
    }

    /// Gives `name` the value `value`: the last plain assignment to it (`=`, `?=`, `??=`,
    /// `:=`) is rewritten on one line keeping its operator; without one, `NAME = "value"` is
    /// added at the end. Returns whether the text changed.
    pub fn set(&mut self, name: &str, value: &str) -> Result<bool, ConfError> {
        let defining = |a: &Assignment| {
            matches!(
                a.op,
                Op::Set | Op::Default | Op::WeakDefault | Op::Immediate
            )
        };
        let found = self.positions(name).into_iter().rev().find(|&i| {
            matches!(&self.items[i].kind, ItemKind::Statement(Statement::Assign(a)) if defining(a))
        });
        match found {
            Some(i) => {
                let Some(old) = self.assignment_at(i) else {
                    return Ok(false);
                };
                if old.value == value {
                    return Ok(false);
                }
                let new = Assignment {
                    value: value.to_owned(),
                    ..old
                };
                let text = render(&new, Shape::Line)?;
                self.replace(i, &text, (&new, Shape::Line))?;
            }
            None => {
                let new = Assignment {
                    export: false,
                    name: name.to_owned(),
                    flag: None,
                    op: Op::Set,
                    value: value.to_owned(),
                    quote: '"',
                };
                let text = render(&new, Shape::Line)?;
                let item = self.checked_item(&text, Some((&new, Shape::Line)))?;
                self.push(item);
            }
        }
        Ok(true)
    }

    /// Appends what a project writes for the left-hand side `key` (`NAME`, `NAME:append`,
    /// `NAME[flag]`): each operation as `KEY OP "value"` in order, the first after `export`
    /// when exported (`export NAME` alone when there is no operation). Each line is checked
    /// to read back as written.
    pub fn append_variable(&mut self, key: &str, variable: &Variable) -> Result<(), ConfError> {
        let (name, flag) = match key.split_once('[') {
            Some((name, flag)) => (name, Some(flag.trim_end_matches(']').to_owned())),
            None => (key, None),
        };
        if variable.operations.is_empty() && variable.export {
            return self.ensure_line(&format!("export {key}")).map(|_| ());
        }
        for (i, operation) in variable.operations.iter().enumerate() {
            let new = Assignment {
                export: variable.export && i == 0,
                name: name.to_owned(),
                flag: flag.clone(),
                op: operation.op,
                value: operation.value.clone(),
                quote: '"',
            };
            let text = render(&new, Shape::Line)?;
            let item = self.checked_item(&text, Some((&new, Shape::Line)))?;
            self.push(item);
        }
        Ok(())
    }

    /// Adds words missing from the list `name` to its first assignment (or a new
    /// `NAME = "…"` line). A statement written over several lines, and `BBLAYERS`, are
    /// rewritten in the one-item-per-line shape `bitbake-layers` writes.
    pub fn add_words(&mut self, name: &str, words: &[&str]) -> Result<bool, ConfError> {
        for word in words {
            quote::check_word(name, word)?;
        }
        let positions = self.positions(name);
        let present: Vec<String> = positions
            .iter()
            .filter_map(|&i| self.assignment_at(i))
            .flat_map(|a| words_of(&a.value))
            .collect();
        let missing: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !present.iter().any(|p| p == w))
            .collect();
        if missing.is_empty() {
            return Ok(false);
        }
        let Some(&i) = positions.first() else {
            let new = Assignment {
                export: false,
                name: name.to_owned(),
                flag: None,
                op: Op::Set,
                value: missing.join(" "),
                quote: '"',
            };
            let shape = shape_for(name, false);
            let text = render(&new, shape)?;
            let item = self.checked_item(&text, Some((&new, shape)))?;
            self.push(item);
            return Ok(true);
        };
        let Some(old) = self.assignment_at(i) else {
            return Ok(false);
        };
        let multi = self.items[i].text.trim_end().contains('\n');
        let shape = shape_for(name, multi);
        let value = match shape {
            Shape::List => {
                let mut all = words_of(&old.value);
                all.extend(missing.iter().map(|w| (*w).to_owned()));
                all.join(" ")
            }
            Shape::Line => {
                let sep = if old.value.is_empty() || old.value.ends_with(' ') {
                    ""
                } else {
                    " "
                };
                format!("{}{sep}{}", old.value, missing.join(" "))
            }
        };
        let new = Assignment { value, ..old };
        let text = render(&new, shape)?;
        self.replace(i, &text, (&new, shape))?;
        Ok(true)
    }

    #[cfg(test)]
    /// Removes words from every assignment to the list `name`; a `+=` left empty is deleted.
    pub fn remove_words(&mut self, name: &str, words: &[&str]) -> Result<bool, ConfError> {
        let mut changed = false;
        for i in self.positions(name).into_iter().rev() {
            let Some(old) = self.assignment_at(i) else {
                continue;
            };
            let current = words_of(&old.value);
            let kept: Vec<String> = current
                .iter()
                .filter(|w| !words.contains(&w.as_str()))
                .cloned()
                .collect();
            if kept.len() == current.len() {
                continue;
            }
            changed = true;
            if kept.is_empty() && old.op == Op::Append {
                self.delete(i);
                continue;
            }
            let multi = self.items[i].text.trim_end().contains('\n');
            let shape = shape_for(name, multi);
            let value = match shape {
                Shape::List => kept.join(" "),
                Shape::Line => {
                    let lead = if old.value.starts_with(' ') { " " } else { "" };
                    format!("{lead}{}", kept.join(" "))
                }
            };
            let new = Assignment { value, ..old };
            let text = render(&new, shape)?;
            self.replace(i, &text, (&new, shape))?;
        }
        Ok(changed)
    }

    #[cfg(test)]
    /// Deletes every assignment to `name` (not its flags). Returns whether any was there.
    pub fn remove(&mut self, name: &str) -> bool {
        let positions = self.positions(name);
        for &i in positions.iter().rev() {
            self.delete(i);
        }
        !positions.is_empty()
    }

    /// Indexes of the assignments to exactly `name` without a flag.
    fn positions(&self, name: &str) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&i| {
                self.assignment_at(i)
                    .is_some_and(|a| a.name == name && a.flag.is_none())
            })
            .collect()
    }

    fn assignment_at(&self, i: usize) -> Option<Assignment> {
        match &self.items[i].kind {
            ItemKind::Statement(Statement::Assign(a)) => Some(a.clone()),
            _ => None,
        }
    }

    /// Replaces item `i` with `text` after checking it reads back as `expected`.
    fn replace(
        &mut self,
        i: usize,
        text: &str,
        expected: (&Assignment, Shape),
    ) -> Result<(), ConfError> {
        let mut item = self.checked_item(text, Some(expected))?;
        item.line = self.items[i].line;
        self.items[i] = item;
        Ok(())
    }

    #[cfg(test)]
    /// Deletes item `i`, and one of two blank lines it leaves next to each other.
    fn delete(&mut self, i: usize) {
        self.items.remove(i);
        let blank = |j: usize| {
            self.items
                .get(j)
                .is_some_and(|it| it.kind == ItemKind::Blank)
        };
        if i > 0 && blank(i - 1) && blank(i) {
            self.items.remove(i);
        }
    }

    /// Parses `text` (one statement, possibly over several lines) and checks that it reads
    /// back as what was meant: the same value, or for a list the same words.
    fn checked_item(
        &self,
        text: &str,
        expected: Option<(&Assignment, Shape)>,
    ) -> Result<Item, ConfError> {
        let line = text.trim_end_matches('\n');
        let parsed = ConfFile::parse(&self.path, line, false)?;
        let kind = match parsed.items.as_slice() {
            [only] => only.kind.clone(),
            _ => ItemKind::Blank,
        };
        let ok = match (expected, &kind) {
            (Some((want, shape)), ItemKind::Statement(Statement::Assign(got))) => {
                got.name == want.name
                    && got.flag == want.flag
                    && got.export == want.export
                    && got.op == want.op
                    && match shape {
                        Shape::Line => got.value == want.value,
                        Shape::List => words_of(&got.value) == words_of(&want.value),
                    }
            }
            (None, ItemKind::Statement(_)) => true,
            _ => false,
        };
        if !ok {
            return Err(ConfError::Syntax {
                file: self.path.clone(),
                line: self.items.last().map_or(1, |i| i.line + 1),
                problem: Problem::Unparsed,
                text: Some(shorten(line)),
            });
        }
        let ending = self.ending();
        Ok(Item {
            text: format!("{}{ending}", line.replace('\n', ending)),
            line: self.items.last().map_or(1, |i| i.line + 1),
            kind,
        })
    }

    /// Appends an item, ending the previous last line first if it had no line end, and
    /// keeping a trailing backslash from swallowing the new line.
    fn push(&mut self, item: Item) {
        let ending = self.ending();
        let mut guard = None;
        if let Some(last) = self.items.last_mut() {
            if !last.text.ends_with(['\n', '\r']) {
                last.text.push_str(ending);
            }
            if text::rstrip(&last.text).ends_with('\\') {
                guard = Some(Item {
                    text: ending.to_owned(),
                    line: last.line + 1,
                    kind: ItemKind::Blank,
                });
            }
        }
        self.items.extend(guard);
        self.items.push(item);
    }

    /// The line ending the file uses (`\n` unless its first line ends otherwise).
    fn ending(&self) -> &'static str {
        self.items.first().map_or("\n", |i| line_ending(&i.text))
    }
}

fn line_ending(text: &str) -> &'static str {
    match text.find(['\n', '\r']) {
        Some(at) if text[at..].starts_with("\r\n") => "\r\n",
        Some(at) if text[at..].starts_with('\r') => "\r",
        _ => "\n",
    }
}

fn words_of(value: &str) -> Vec<String> {
    value
        .split(text::is_space)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How an assignment is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `NAME op "value"` on one line.
    Line,
    /// `NAME op " \`, one item per line indented by two spaces, then `  "`.
    List,
}

fn shape_for(name: &str, multi: bool) -> Shape {
    if multi || name == "BBLAYERS" {
        Shape::List
    } else {
        Shape::Line
    }
}

/// The text of an assignment in `shape`, ending with `\n`.
fn render(a: &Assignment, shape: Shape) -> Result<String, ConfError> {
    let export = if a.export { "export " } else { "" };
    let flag = a
        .flag
        .as_ref()
        .map(|f| format!("[{f}]"))
        .unwrap_or_default();
    let head = format!("{export}{}{flag} {}", a.name, a.op);
    match shape {
        Shape::Line => Ok(format!("{head} {}\n", quote::quote(&a.name, &a.value)?)),
        Shape::List => {
            let words = words_of(&a.value);
            for word in &words {
                quote::check_word(&a.name, word)?;
            }
            let mut text = format!("{head} \" \\\n");
            for word in &words {
                text.push_str(&format!("  {word} \\\n"));
            }
            text.push_str("  \"\n");
            Ok(text)
        }
    }
}

#[cfg(test)]
mod tests;
