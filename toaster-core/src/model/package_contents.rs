//! What a build's packages hold and declare beyond their run-time dependencies: their files
//! (openembedded-core's `FILES_INFO`) and their other relations to packages (`RRECOMMENDS`,
//! `RSUGGESTS`, `RPROVIDES`, `RREPLACES`, `RCONFLICTS`).

use serde::{Deserialize, Serialize};

/// A file a package installs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageFile {
    /// Its path on the target (`/usr/bin/busybox`).
    pub path: String,
    /// Its size in bytes.
    #[serde(default)]
    pub size: u64,
}

/// Files of one package, as a recorder writes them (a long list comes in several runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageFiles {
    /// The package.
    pub package: String,
    /// Its files.
    pub files: Vec<PackageFile>,
}

/// How a package names another, besides depending on it (`RDEPENDS`, kept in
/// [`crate::model::PackageRecord::depends`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationKind {
    /// `RRECOMMENDS`: installed with it unless excluded.
    Rrecommends,
    /// `RSUGGESTS`: suggested only.
    Rsuggests,
    /// `RPROVIDES`: a name it also answers to.
    Rprovides,
    /// `RREPLACES`: a package it replaces.
    Rreplaces,
    /// `RCONFLICTS`: a package it cannot be installed with.
    Rconflicts,
}

impl RelationKind {
    /// Every kind, in BitBake's order.
    pub const ALL: [RelationKind; 5] = [
        RelationKind::Rrecommends,
        RelationKind::Rsuggests,
        RelationKind::Rprovides,
        RelationKind::Rreplaces,
        RelationKind::Rconflicts,
    ];

    /// Its stored and printed name (`rrecommends`).
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Rrecommends => "rrecommends",
            RelationKind::Rsuggests => "rsuggests",
            RelationKind::Rprovides => "rprovides",
            RelationKind::Rreplaces => "rreplaces",
            RelationKind::Rconflicts => "rconflicts",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}
