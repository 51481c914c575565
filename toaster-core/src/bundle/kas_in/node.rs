//! The YAML of a kas file as a tree: the values PyYAML's `safe_load` gives kas (null, bool,
//! int, float, date, string, list, mapping with string keys), each with the file and line it
//! was read from, so a value merged from an include still names its own file.

/// Where a value was read: the file (an index into the files read) and its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct At {
    /// Index of the file among those read.
    pub file: usize,
    /// The 1-based line.
    pub line: usize,
}

/// A value and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    /// The value.
    pub value: Value,
    /// Where it was read.
    pub at: At,
}

/// A YAML value as kas's loader types it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    /// `~`, `null`, or nothing.
    Null,
    /// `true`, `yes`, `on`, … (YAML 1.1).
    Bool(bool),
    /// An integer (YAML 1.1 forms: decimal, `0o`-less octal, hex, binary, base 60);
    /// saturated far beyond any value kas accepts.
    Int(i128),
    /// A float, as written (only its type matters here).
    Float,
    /// A date or time, as written (only its type matters here).
    Timestamp,
    /// A string.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping with string keys, in the order first written; a key written again keeps
    /// its place and takes the later value (as a Python dict does).
    Map(Vec<(String, Node)>),
}

impl Value {
    /// The kind of value, as messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float => "a decimal number",
            Value::Timestamp => "a date",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, node)| node)
    }

    /// The value under `key` unless it is missing or null.
    pub fn get_some(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| n.value != Value::Null)
    }

    /// Whether this is null.
    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }
}
