use serde::{Deserialize, Serialize};

use super::{GroupId, Name, Timestamp};

/// A named set of owners that projects can share rights with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The store's key.
    pub id: GroupId,
    /// Unique name (case-insensitive).
    pub name: Name,
    /// Its members' names, sorted.
    pub members: Vec<Name>,
    /// When it was made.
    pub created_at: Timestamp,
}
