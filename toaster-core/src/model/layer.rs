use std::fmt;

use serde::{Deserialize, Serialize};

/// One collection a layer's `conf/layer.conf` defines (`BBFILE_COLLECTIONS`), with the
/// variables BitBake reads for it. Almost every layer defines exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    /// The collection name (`core`, `yocto`, `openembedded-layer`).
    pub name: String,
    /// `BBFILE_PATTERN_<c>`, with the layer's directory written as `${LAYERDIR}`.
    pub pattern: String,
    /// `BBFILE_PRIORITY_<c>`, when set.
    pub priority: Option<i64>,
    /// `LAYERVERSION_<c>`, when set.
    pub version: Option<String>,
    /// `LAYERDEPENDS_<c>`: collections that must be present.
    #[serde(default)]
    pub depends: Vec<Dependency>,
    /// `LAYERRECOMMENDS_<c>`: collections that should be present.
    #[serde(default)]
    pub recommends: Vec<Dependency>,
    /// `LAYERSERIES_COMPAT_<c>`: the release series it works with; `None` when unset.
    pub series_compat: Option<Vec<String>>,
}

/// One entry of `LAYERDEPENDS` or `LAYERRECOMMENDS`: a collection, optionally with a
/// version constraint (`core (>= 12)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The collection needed.
    pub collection: String,
    /// The version it must have.
    pub constraint: Option<Constraint>,
}

impl fmt::Display for Dependency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.constraint {
            Some(c) => write!(f, "{} ({c})", self.collection),
            None => f.write_str(&self.collection),
        }
    }
}

/// A version constraint: an operator and a version (`>= 12`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraint {
    /// How to compare.
    pub op: VersionOp,
    /// The version compared with.
    pub version: String,
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op, self.version)
    }
}

/// The comparisons BitBake supports in layer dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VersionOp {
    /// `=` or `==`.
    #[serde(rename = "=")]
    Eq,
    /// `!=`.
    #[serde(rename = "!=")]
    Ne,
    /// `<` or `<<`.
    #[serde(rename = "<")]
    Lt,
    /// `<=`.
    #[serde(rename = "<=")]
    Le,
    /// `>` or `>>`.
    #[serde(rename = ">")]
    Gt,
    /// `>=`.
    #[serde(rename = ">=")]
    Ge,
}

impl VersionOp {
    /// Whether an ordering of (found, wanted) satisfies this operator.
    pub fn accepts(self, found_vs_wanted: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            VersionOp::Eq => found_vs_wanted == Equal,
            VersionOp::Ne => found_vs_wanted != Equal,
            VersionOp::Lt => found_vs_wanted == Less,
            VersionOp::Le => found_vs_wanted != Greater,
            VersionOp::Gt => found_vs_wanted == Greater,
            VersionOp::Ge => found_vs_wanted != Less,
        }
    }
}

impl fmt::Display for VersionOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VersionOp::Eq => "=",
            VersionOp::Ne => "!=",
            VersionOp::Lt => "<",
            VersionOp::Le => "<=",
            VersionOp::Gt => ">",
            VersionOp::Ge => ">=",
        })
    }
}
