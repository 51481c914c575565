//! A group as frontends show it.

use serde::Serialize;

use crate::model::Group;

/// A group, as `group list --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupView {
    /// Its name.
    pub name: String,
    /// Its members' names.
    pub members: Vec<String>,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

impl From<&Group> for GroupView {
    fn from(group: &Group) -> GroupView {
        GroupView {
            name: group.name.to_string(),
            members: group.members.iter().map(ToString::to_string).collect(),
            created_at: group.created_at.to_rfc3339(),
        }
    }
}
