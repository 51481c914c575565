//! What an owner may be allowed to do: the subject of permission checks.

use std::fmt;

use super::Right;

/// Something an owner may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A right on a project.
    Project(Right),
    /// Change a project's owner, group or mode.
    ChangePermissions,
    /// Add owners, grant or revoke admin, or edit another owner.
    ManageOwners,
    /// Make groups and change their members.
    ManageGroups,
    /// Change the instance's default mode and settings.
    ChangeDefaults,
    /// Maintain the instance (end builds whose recorder fell silent).
    Maintain,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Project(right) => write!(f, "{right}"),
            Action::ChangePermissions => f.write_str("change the permissions of"),
            Action::ManageOwners => f.write_str("manage owners"),
            Action::ManageGroups => f.write_str("manage groups"),
            Action::ChangeDefaults => f.write_str("change the instance's defaults and settings"),
            Action::Maintain => f.write_str("maintain the instance"),
        }
    }
}
