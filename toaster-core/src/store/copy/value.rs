//! The values copied: SQLite's storage classes, which every column of either backend reads
//! into, and the kinds of PostgreSQL's typed columns they are written as.

use std::fmt;

/// One stored value, as SQLite classes it (a PostgreSQL boolean reads as 0 or 1).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// What a column holds. PostgreSQL's columns are typed; SQLite's take any value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// SQLite: any value, kept as it is.
    Dynamic,
    BigInt,
    Integer,
    SmallInt,
    Boolean,
    Double,
    Float,
    Text,
    Bytes,
}

impl Kind {
    /// The kind of a PostgreSQL column of `data_type` (as `information_schema` names it);
    /// `None` for a type the copy does not map.
    pub(super) fn of_postgres(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" => Kind::BigInt,
            "integer" => Kind::Integer,
            "smallint" => Kind::SmallInt,
            "boolean" => Kind::Boolean,
            "double precision" => Kind::Double,
            "real" => Kind::Float,
            "text" | "character varying" | "character" => Kind::Text,
            "bytea" => Kind::Bytes,
            _ => return None,
        })
    }

    /// Whether values of this kind sort as text (and so need a collation named to sort
    /// bytewise).
    pub(super) fn is_text(self) -> bool {
        self == Kind::Text
    }

    /// Whether a column of this kind takes `value`; why not, if it does not.
    pub(super) fn check(self, value: &Value) -> Result<(), String> {
        let fits = match (self, value) {
            (Kind::Dynamic, _) | (_, Value::Null) => true,
            (Kind::BigInt, Value::Integer(_)) => true,
            (Kind::Integer, Value::Integer(v)) => i32::try_from(*v).is_ok(),
            (Kind::SmallInt, Value::Integer(v)) => i16::try_from(*v).is_ok(),
            (Kind::Boolean, Value::Integer(v)) => matches!(v, 0 | 1),
            (Kind::Double | Kind::Float, Value::Real(_)) => true,
            (Kind::Text, Value::Text(text)) => {
                if text.contains('\0') {
                    return Err("text holding a NUL character, which PostgreSQL refuses".into());
                }
                true
            }
            (Kind::Bytes, Value::Blob(_)) => true,
            _ => false,
        };
        if fits {
            Ok(())
        } else {
            Err(format!("{value}, which a {self} column does not take"))
        }
    }
}

impl Value {
    /// The value as a row's key shows it: `5`, `"busybox"`.
    pub(super) fn short(&self) -> String {
        match self {
            Value::Integer(v) => v.to_string(),
            Value::Real(v) => v.to_string(),
            Value::Text(text) if text.chars().count() > SHOWN => {
                let shown: String = text.chars().take(SHOWN).collect();
                format!("{shown:?}…")
            }
            Value::Text(text) => format!("{text:?}"),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Dynamic => "SQLite",
            Kind::BigInt => "bigint",
            Kind::Integer => "integer",
            Kind::SmallInt => "smallint",
            Kind::Boolean => "boolean",
            Kind::Double => "double precision",
            Kind::Float => "real",
            Kind::Text => "text",
            Kind::Bytes => "bytea",
        })
    }
}

/// How much of a long text or blob a message shows.
const SHOWN: usize = 60;

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Integer(v) => write!(f, "integer {v}"),
            Value::Real(v) => write!(f, "real {v}"),
            Value::Text(text) => {
                let shown: String = text.chars().take(SHOWN).collect();
                let more = if shown.len() < text.len() { "…" } else { "" };
                write!(f, "text {shown:?}{more} ({} bytes)", text.len())
            }
            Value::Blob(bytes) => write!(f, "a blob of {} bytes", bytes.len()),
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(v) => ValueRef::Integer(*v),
            Value::Real(v) => ValueRef::Real(*v),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
            Value::Blob(bytes) => ValueRef::Blob(bytes),
        }))
    }
}
