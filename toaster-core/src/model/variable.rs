//! A variable as a project writes it: the operations BitBake applies to one left-hand side
//! (`INHERIT`, `IMAGE_INSTALL:append`, `SRCREV:pn-busybox`, `do_fetch[number_threads]`), in
//! order, and whether it is exported.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;

/// An assignment operator of a BitBake conf file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Operator {
    /// `=`: sets the value.
    #[default]
    Set,
    /// `?=`: sets it unless it is set already.
    Default,
    /// `??=`: a default used only when nothing else sets it, at the end of parsing.
    WeakDefault,
    /// `:=`: sets it to the value expanded now.
    Immediate,
    /// `+=`: appends with a space.
    Append,
    /// `=+`: prepends with a space.
    Prepend,
    /// `.=`: appends without a space.
    AppendNoSpace,
    /// `=.`: prepends without a space.
    PrependNoSpace,
}

impl Operator {
    /// The operators in the order BitBake's assignment pattern tries them.
    pub const PATTERN_ORDER: [Operator; 8] = [
        Operator::Immediate,
        Operator::WeakDefault,
        Operator::Default,
        Operator::Append,
        Operator::Prepend,
        Operator::PrependNoSpace,
        Operator::AppendNoSpace,
        Operator::Set,
    ];

    /// The operator's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Set => "=",
            Operator::Default => "?=",
            Operator::WeakDefault => "??=",
            Operator::Immediate => ":=",
            Operator::Append => "+=",
            Operator::Prepend => "=+",
            Operator::AppendNoSpace => ".=",
            Operator::PrependNoSpace => "=.",
        }
    }

    /// The operator written `text`, if it is one.
    pub fn parse(text: &str) -> Option<Operator> {
        Operator::PATTERN_ORDER
            .into_iter()
            .find(|op| op.as_str() == text)
    }

    /// Whether it is `=` (for `skip_serializing_if`).
    pub fn is_set(&self) -> bool {
        *self == Operator::Set
    }

    /// Whether it replaces the value (`=`, `:=`) or sets one only when there is none
    /// (`?=`, `??=`), rather than adding to it.
    pub fn defines(self) -> bool {
        matches!(
            self,
            Operator::Set | Operator::Immediate | Operator::Default | Operator::WeakDefault
        )
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Operator {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Operator {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Operator::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown operator `{text}`: use =, ?=, ??=, :=, +=, =+, .= or =."
            ))
        })
    }
}

/// One assignment: an operator and the value after it (unexpanded, without quotes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// The operator.
    pub op: Operator,
    /// The value.
    pub value: String,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.op, self.value)
    }
}

/// What a project writes for one left-hand side: its operations in order, and `export`.
/// Stored as a plain string when it is one `=` without `export` (as every variable was
/// before operators), else as `{"operations": [{"op", "value"}…], "export": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variable {
    /// The assignments, in the order they are written.
    pub operations: Vec<Operation>,
    /// Written `export`: BitBake puts it in the environment of tasks.
    pub export: bool,
}

impl Variable {
    /// `NAME = "value"`.
    pub fn plain(value: impl Into<String>) -> Variable {
        Variable::assign(Operator::Set, value)
    }

    /// `NAME OP "value"`.
    pub fn assign(op: Operator, value: impl Into<String>) -> Variable {
        Variable {
            operations: vec![Operation {
                op,
                value: value.into(),
            }],
            export: false,
        }
    }

    /// The value of a lone `=` without `export`: what a variable was before operators.
    pub fn plain_value(&self) -> Option<&str> {
        match self.operations.as_slice() {
            [
                Operation {
                    op: Operator::Set,
                    value,
                },
            ] if !self.export => Some(value),
            _ => None,
        }
    }

    /// Whether nothing is written for it (no operation, not exported).
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && !self.export
    }

    /// The words of every operation, in order (for lists).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.operations
            .iter()
            .flat_map(|o| o.value.split_whitespace())
    }
}

impl Variable {
    /// The operations as a conf file writes them, joined by `; `, then `, exported` when
    /// exported (`+= "rm_work"`, `= "1", exported`; `export` alone when only exported).
    pub fn conf_text(&self) -> String {
        let operations: Vec<String> = self.operations.iter().map(ToString::to_string).collect();
        match (operations.is_empty(), self.export) {
            (true, true) => "export".to_owned(),
            (false, true) => format!("{}, exported", operations.join("; ")),
            (_, false) => operations.join("; "),
        }
    }
}

impl Variable {
    /// The lines a conf file has for it under the left-hand side `key`, values in double
    /// quotes as written (not escaped): `KEY OP "value"` per operation, the first after
    /// `export` when exported; `export KEY` when only exported.
    pub fn conf_lines(&self, key: &str) -> Vec<String> {
        if self.operations.is_empty() {
            return if self.export {
                vec![format!("export {key}")]
            } else {
                Vec::new()
            };
        }
        self.operations
            .iter()
            .enumerate()
            .map(|(i, operation)| {
                let export = if self.export && i == 0 { "export " } else { "" };
                format!("{export}{key} {operation}")
            })
            .collect()
    }
}

/// A plain value as is; otherwise [`Variable::conf_text`].
impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.plain_value() {
            Some(value) => f.write_str(value),
            None => f.write_str(&self.conf_text()),
        }
    }
}

/// How a project adds words to a list variable from `local.conf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Extend {
    /// `NAME:append = " word"`: applied when the variable is read, after every assignment,
    /// so a distro or image recipe that sets the list later keeps the word (the Yocto
    /// manuals' form for `IMAGE_INSTALL`, `DISTRO_FEATURES`, and Toaster's default).
    #[default]
    #[serde(rename = ":append")]
    ColonAppend,
    /// `NAME += "word"`: for lists nothing assigns after `local.conf` (`INHERIT`,
    /// `USER_CLASSES`), where it is the documented form.
    #[serde(rename = "+=")]
    PlusEquals,
}

impl Extend {
    /// The form as written: `:append` or `+=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Extend::ColonAppend => ":append",
            Extend::PlusEquals => "+=",
        }
    }

    /// The assignment that adds `words` to `name` this way, as a conf line.
    pub fn example(self, name: &str, words: &str) -> String {
        match self {
            Extend::ColonAppend => format!("{name}:append = \" {words}\""),
            Extend::PlusEquals => format!("{name} += \"{words}\""),
        }
    }
}

impl From<&str> for Variable {
    fn from(value: &str) -> Variable {
        Variable::plain(value)
    }
}

impl From<String> for Variable {
    fn from(value: String) -> Variable {
        Variable::plain(value)
    }
}

/// The stored shapes: a plain string, or the operations and `export`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    Plain(String),
    Full {
        operations: Vec<Operation>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        export: bool,
    },
}

impl Serialize for Variable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let stored = match self.plain_value() {
            Some(value) => Stored::Plain(value.to_owned()),
            None => Stored::Full {
                operations: self.operations.clone(),
                export: self.export,
            },
        };
        stored.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Variable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Plain(value) => Variable::plain(value),
            Stored::Full { operations, export } => Variable { operations, export },
        })
    }
}

/// Checks that `op` may be used for a key that holds one Toaster value (`machine`,
/// `distro`): `=`, `?=` or `??=`.
pub(crate) fn check_defining(key: &str, op: Operator) -> Result<(), ModelError> {
    match op {
        Operator::Set | Operator::Default | Operator::WeakDefault => Ok(()),
        _ => Err(ModelError::invalid(
            "operator",
            op.as_str(),
            format!("{key} holds one value, set with =, ?= or ??="),
            format!("write `config set {key} ?= VALUE` to let the environment override it"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_value_reads_and_writes_as_a_string() {
        let v: Variable = serde_json::from_str("\"ext4 wic\"").unwrap();
        assert_eq!(v, Variable::plain("ext4 wic"));
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"ext4 wic\"");
        assert_eq!(v.to_string(), "ext4 wic");
    }

    #[test]
    fn operations_and_export_round_trip() {
        let v = Variable {
            operations: vec![
                Operation {
                    op: Operator::WeakDefault,
                    value: "a".into(),
                },
                Operation {
                    op: Operator::Append,
                    value: "b".into(),
                },
            ],
            export: true,
        };
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(
            text,
            r#"{"operations":[{"op":"??=","value":"a"},{"op":"+=","value":"b"}],"export":true}"#
        );
        assert_eq!(serde_json::from_str::<Variable>(&text).unwrap(), v);
        assert_eq!(v.to_string(), "??= \"a\"; += \"b\", exported");
        let exported_plain = Variable {
            export: true,
            ..Variable::plain("1")
        };
        let text = serde_json::to_string(&exported_plain).unwrap();
        assert_eq!(
            serde_json::from_str::<Variable>(&text).unwrap(),
            exported_plain
        );
        assert!(
            serde_json::from_str::<Variable>(r#"{"operations":[{"op":"=+=","value":"x"}]}"#)
                .is_err()
        );
    }

    #[test]
    fn operators_parse_from_their_text_only() {
        for op in Operator::PATTERN_ORDER {
            assert_eq!(Operator::parse(op.as_str()), Some(op));
        }
        assert_eq!(Operator::parse("=="), None);
        assert_eq!(Operator::parse("append"), None);
    }
}
