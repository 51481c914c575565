use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The store's key of an owner.
    OwnerId
);
id_type!(
    /// The store's key of a project.
    ProjectId
);

id_type!(
    /// The store's key of a group.
    GroupId
);
id_type!(
    /// The store's key of a build; it names the build's log file too.
    BuildId
);

/// A project's configuration revision number: 1 for the configuration it was created with,
/// then one more for every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RevisionNumber(pub u32);

impl RevisionNumber {
    /// The first revision of every project.
    pub const FIRST: RevisionNumber = RevisionNumber(1);

    /// The revision after this one.
    pub fn next(self) -> RevisionNumber {
        RevisionNumber(self.0.saturating_add(1))
    }

    /// The revision before this one, if any.
    pub fn previous(self) -> Option<RevisionNumber> {
        (self.0 > 1).then(|| RevisionNumber(self.0 - 1))
    }
}

impl fmt::Display for RevisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
