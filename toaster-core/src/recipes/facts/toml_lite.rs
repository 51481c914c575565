//! A minimal TOML reader for the few keys the analysis needs.
//!
//! Why not the `toml` crate: the analysis reads a handful of string keys from
//! `pyproject.toml`, `Cargo.toml` and `Cargo.lock` ([project], [tool.poetry],
//! [build-system], [package], [[package]]). This reader knows tables, arrays of tables,
//! bare/quoted/dotted keys, basic and literal strings (one line or triple-quoted), comments,
//! and skips every other value whole, even across lines (arrays, inline tables). That is all
//! these files use for those keys, and it keeps a TOML parser and its dependency tree out of
//! the library. A value it does not understand is kept raw, never guessed.

/// A value: a string, or the raw text of anything else (arrays, numbers, booleans, tables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string, unescaped.
    Str(String),
    /// Any other value, as written (comments removed).
    Raw(String),
}

/// One table (`[a.b]`) or one element of an array of tables (`[[a]]`).
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// The header's dotted name, normalised (`""` for the root table).
    pub(crate) name: String,
    /// Whether it came from `[[name]]`.
    pub(crate) array: bool,
    /// Its keys (dotted, normalised) in order.
    pub(crate) entries: Vec<(String, Value)>,
}

impl Table {
    /// The string value of `key`, if it is a string.
    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.entries.iter().find_map(|(k, v)| match v {
            Value::Str(s) if k == key => Some(s.as_str()),
            _ => None,
        })
    }

    /// The value of `key`, whatever it is.
    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A parsed document: its tables in order, the root table first.
#[derive(Debug)]
pub(crate) struct Doc {
    /// Every table.
    pub(crate) tables: Vec<Table>,
}

impl Doc {
    /// The first plain table called `name`.
    pub(crate) fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name && !t.array)
    }

    /// Every element of the array of tables `name`.
    pub(crate) fn array(&self, name: &str) -> impl Iterator<Item = &Table> {
        self.tables
            .iter()
            .filter(move |t| t.name == name && t.array)
    }
}

/// Parses `text`; lines it cannot read are skipped (the caller notes missing facts).
pub(crate) fn parse(text: &str) -> Doc {
    let mut tables = vec![Table::default()];
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix("[[") {
            if let Some(end) = header.find("]]") {
                tables.push(Table {
                    name: normalise_key(&header[..end]),
                    array: true,
                    entries: Vec::new(),
                });
            }
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            if let Some(end) = header.find(']') {
                tables.push(Table {
                    name: normalise_key(&header[..end]),
                    array: false,
                    entries: Vec::new(),
                });
            }
            continue;
        }
        let Some(eq) = key_end(line) else { continue };
        let key = normalise_key(&line[..eq]);
        let value = read_value(line[eq + 1..].trim(), &mut lines);
        if let Some(table) = tables.last_mut() {
            table.entries.push((key, value));
        }
    }
    Doc { tables }
}

/// Where the `=` after a key is (outside quotes).
fn key_end(line: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '=') => return Some(i),
            _ => {}
        }
    }
    None
}

/// `a . "b.c"` → `a.b.c` (quotes removed, spaces around dots dropped).
fn normalise_key(key: &str) -> String {
    key.split('.')
        .map(|p| p.trim().trim_matches('"').trim_matches('\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// Reads one value starting at `first`, taking more lines when it spans them.
fn read_value<'a>(first: &str, lines: &mut impl Iterator<Item = &'a str>) -> Value {
    for delim in ["\"\"\"", "'''"] {
        if let Some(rest) = first.strip_prefix(delim) {
            let mut body = String::new();
            let mut current = rest.strip_prefix('\n').unwrap_or(rest).to_owned();
            loop {
                if let Some(end) = current.find(delim) {
                    body.push_str(&current[..end]);
                    return Value::Str(body.trim().to_owned());
                }
                body.push_str(&current);
                body.push('\n');
                match lines.next() {
                    Some(next) => current = next.to_owned(),
                    None => return Value::Str(body.trim().to_owned()),
                }
            }
        }
    }
    if let Some(s) = single_line_string(first) {
        return Value::Str(s);
    }
    let mut raw = strip_comment(first).to_owned();
    let mut depth = depth_change(&raw);
    while depth > 0 {
        let Some(next) = lines.next() else { break };
        let next = strip_comment(next.trim());
        depth += depth_change(next);
        raw.push(' ');
        raw.push_str(next);
    }
    Value::Raw(raw.trim().to_owned())
}

/// A one-line basic (`"…"`, escapes decoded) or literal (`'…'`) string.
fn single_line_string(text: &str) -> Option<String> {
    if let Some(rest) = text.strip_prefix('\'') {
        return rest.find('\'').map(|end| rest[..end].to_owned());
    }
    let rest = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// `text` without a trailing `# comment` (a `#` inside quotes is kept).
fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => return text[..i].trim_end(),
            _ => {}
        }
    }
    text
}

/// Opening minus closing brackets and braces outside quotes.
fn depth_change(text: &str) -> i32 {
    let mut quote = None;
    let mut depth = 0;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    depth
}
