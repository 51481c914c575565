//! Warnings: what a change or an import did that is worth a look but was not refused.

use std::fmt;
use std::path::PathBuf;

use crate::model::BuildId;
use crate::schema;

/// Something accepted but worth a look, as the core reports it; each frontend renders it
/// (its [`Display`](fmt::Display) is the text, [`Warning::kind`] its category).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// A value accepted that looks wrong: an unknown variable, a likely typo.
    Variable {
        /// The variable.
        variable: String,
        /// What is odd.
        reason: String,
        /// What to do about it.
        hint: String,
    },
    /// A hard `=` (or `:=`, `?=`) on a list that distros, layers or image recipes extend:
    /// what they add is lost, or never applies.
    Replaces {
        /// The variable.
        variable: String,
        /// The additive form to write instead (`INHERIT += "rm_work"`).
        additive: String,
    },
    /// A value of an open list Toaster does not know (a machine, distro or image type a
    /// layer may define), accepted.
    UnknownValue {
        /// The variable.
        variable: String,
        /// What is odd.
        reason: String,
        /// What to do about it.
        hint: String,
    },
    /// A machine, distro or image type that none of the project's layers defines.
    NotInLayers {
        /// The variable.
        variable: String,
        /// Which value, and the layers searched.
        reason: String,
        /// The closest they define, or the layer to add.
        hint: String,
    },
    /// A value not checked against the project's layers: some are not fetched yet.
    CheckSkipped {
        /// The variable.
        variable: String,
        /// Which value, and the layers not on disk.
        reason: String,
        /// How to fetch them.
        hint: String,
    },
    /// How a project import chose its release series: an explicit one the core layer
    /// disagrees with, or a core layer's series Toaster does not know.
    Release {
        /// What was found, and what the project builds.
        message: String,
    },
    /// A layer check that passed with a remark: a layer already there, a check forced.
    Layer {
        /// What the check said.
        message: String,
    },
    /// A build running in the project's directory keeps the conf files and layer checkouts
    /// it started with; the new revision's are written when it ends.
    BuildRunning {
        /// The build.
        build: BuildId,
        /// Its build directory.
        build_dir: PathBuf,
    },
    /// The configuration is saved, but its conf files could not be rewritten.
    ConfNotWritten {
        /// The project.
        project: String,
        /// Why not.
        reason: String,
    },
    /// A layer's clone could not be brought to the commit the revision records.
    Checkout {
        /// What went wrong, for which layer.
        message: String,
    },
    /// Something an import or a clone could not carry over, left out.
    NotReproduced {
        /// What was left out, and why.
        message: String,
    },
}

impl Warning {
    /// Its category, a stable name for scripts: `variable`, `replaces`, `unknown_value`,
    /// `not_in_layers`, `check_skipped`, `release`, `layer`, `build_running`,
    /// `conf_not_written`, `checkout` or `not_reproduced`.
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::Variable { .. } => "variable",
            Warning::Replaces { .. } => "replaces",
            Warning::UnknownValue { .. } => "unknown_value",
            Warning::NotInLayers { .. } => "not_in_layers",
            Warning::CheckSkipped { .. } => "check_skipped",
            Warning::Release { .. } => "release",
            Warning::Layer { .. } => "layer",
            Warning::BuildRunning { .. } => "build_running",
            Warning::ConfNotWritten { .. } => "conf_not_written",
            Warning::Checkout { .. } => "checkout",
            Warning::NotReproduced { .. } => "not_reproduced",
        }
    }

    /// Each of `messages` as a warning made by `make` (the layer module's checks say
    /// their remarks as text).
    pub(crate) fn all(
        messages: impl IntoIterator<Item = String>,
        make: fn(String) -> Warning,
    ) -> Vec<Warning> {
        messages.into_iter().map(make).collect()
    }

    /// A layer check's remark.
    pub(crate) fn layer(message: String) -> Warning {
        Warning::Layer { message }
    }

    /// A clone's failed checkout.
    pub(crate) fn checkout(message: String) -> Warning {
        Warning::Checkout { message }
    }

    /// What an import or a clone left out.
    pub(crate) fn not_reproduced(message: String) -> Warning {
        Warning::NotReproduced { message }
    }
}

impl From<schema::Warning> for Warning {
    fn from(warning: schema::Warning) -> Warning {
        let (variable, reason, hint) = (warning.variable, warning.issue.reason, warning.issue.hint);
        match warning.kind {
            schema::WarningKind::UnknownValue => Warning::UnknownValue {
                variable,
                reason,
                hint,
            },
            schema::WarningKind::NotInLayers => Warning::NotInLayers {
                variable,
                reason,
                hint,
            },
            schema::WarningKind::CheckSkipped => Warning::CheckSkipped {
                variable,
                reason,
                hint,
            },
            _ => Warning::Variable {
                variable,
                reason,
                hint,
            },
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Variable {
                variable,
                reason,
                hint,
            }
            | Warning::UnknownValue {
                variable,
                reason,
                hint,
            }
            | Warning::NotInLayers {
                variable,
                reason,
                hint,
            }
            | Warning::CheckSkipped {
                variable,
                reason,
                hint,
            } => write!(f, "{variable}: {reason}; {hint}"),
            Warning::Release { message }
            | Warning::Layer { message }
            | Warning::Checkout { message }
            | Warning::NotReproduced { message } => f.write_str(message),
            Warning::Replaces { variable, additive } => write!(
                f,
                "{variable}: `=` replaces what distros, layers and image recipes add to it; to add to it instead, write `{additive}` (adding words to it does)"
            ),
            Warning::BuildRunning { build, build_dir } => write!(
                f,
                "build {build} is running in {}: it keeps the conf files and layer checkouts it started with; this revision's are written when it ends",
                build_dir.display()
            ),
            Warning::ConfNotWritten { project, reason } => write!(
                f,
                "the configuration is saved, but its conf files were not rewritten: {reason}; writing project {project}'s conf files again retries it"
            ),
        }
    }
}
