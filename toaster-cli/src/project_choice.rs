//! Which project a command acts on, and which of its positional arguments are its own.
//!
//! The rule (also in `toaster --help` and the README): `-p/--project NAME` names the project
//! and every positional argument is the command's own. Otherwise PROJECT is the first
//! positional argument when the count says so (one more than the command takes), and is
//! left out when the count says so (as many as the command takes): the project is then the
//! one whose directory the command runs in. When both readings fit (a command that takes a
//! list or an optional argument), the first argument is the project only without a project
//! directory around, or when it is that directory's project's name; a first argument that
//! names another project is refused as ambiguous rather than guessed.

use toaster_core::store::StoreError;
use toaster_core::{Actor, Error};

use crate::commands::Failure;
use crate::context::{Context, same_file};
use crate::terminal::escape;

/// How many positional arguments a command takes besides PROJECT, and its usage for
/// messages (`config set [PROJECT] KEY VALUE`).
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    usage: &'static str,
    min: usize,
    max: Option<usize>,
}

impl Shape {
    /// Exactly `n` arguments besides PROJECT.
    pub const fn fixed(usage: &'static str, n: usize) -> Shape {
        Shape {
            usage,
            min: n,
            max: Some(n),
        }
    }

    /// From `min` to `max` arguments besides PROJECT.
    pub const fn range(usage: &'static str, min: usize, max: usize) -> Shape {
        Shape {
            usage,
            min,
            max: Some(max),
        }
    }

    /// `min` arguments or more besides PROJECT.
    pub const fn list(usage: &'static str, min: usize) -> Shape {
        Shape {
            usage,
            min,
            max: None,
        }
    }

    fn fits(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }

    fn usage_error(&self, message: String) -> Failure {
        Failure::Usage {
            message,
            hint: format!(
                "write `toaster {}`: PROJECT may be left out in or below a project's directory, and `-p NAME` names it anywhere (see --help)",
                self.usage
            ),
        }
    }
}

impl Context {
    /// The project of a command that takes no positional argument but `[PROJECT]`.
    pub fn project(
        &self,
        actor: &Actor,
        option: Option<String>,
        positional: Option<String>,
        usage: &'static str,
    ) -> Result<String, Failure> {
        let (project, _) = self.project_and_args(
            actor,
            option,
            positional.into_iter().collect(),
            Shape::fixed(usage, 0),
        )?;
        Ok(project)
    }

    /// The project a command acts on and its own positional arguments, from `-p` (`option`)
    /// and the positional arguments as given (`args`, PROJECT possibly first).
    pub fn project_and_args(
        &self,
        actor: &Actor,
        option: Option<String>,
        mut args: Vec<String>,
        shape: Shape,
    ) -> Result<(String, Vec<String>), Failure> {
        let n = args.len();
        if let Some(project) = option {
            if !shape.fits(n) {
                return Err(shape.usage_error(format!(
                    "with -p, `toaster {}` does not take {n} argument(s)",
                    shape.usage
                )));
            }
            return Ok((project, args));
        }
        let with_project = n > 0 && shape.fits(n - 1);
        let without = shape.fits(n);
        let marked = self.marked_project();
        // The marked directory whose project it is, or `None` when the first argument is.
        let from_marked = match (marked, with_project, without) {
            (_, false, false) => {
                return Err(shape.usage_error(format!(
                    "`toaster {}` does not take {n} argument(s)",
                    shape.usage
                )));
            }
            (_, true, false) | (None, true, true) => None,
            (None, false, true) => {
                return Err(Failure::Usage {
                    message:
                        "no project named, and the current directory is not in a project directory"
                            .to_owned(),
                    hint: format!(
                        "name the project (`toaster {}`), give `-p NAME`, or run the command in or below the project's directory",
                        shape.usage
                    ),
                });
            }
            (Some(marked), false, true) => Some(marked),
            (Some(marked), true, true) => {
                let first = &args[0];
                if *first == marked.project {
                    None
                } else if names_a_project(actor, first)? {
                    return Err(Failure::Usage {
                        message: format!(
                            "`{}` could be the project of that name, or an argument for project `{}` whose directory you are in",
                            escape(first),
                            escape(&marked.project)
                        ),
                        hint: format!(
                            "say which: `-p {}` for that project, `-p {}` for this one",
                            escape(first),
                            escape(&marked.project)
                        ),
                    });
                } else {
                    Some(marked)
                }
            }
        };
        match from_marked {
            Some(marked) => {
                self.check_marked(actor, marked)?;
                Ok((marked.project.clone(), args))
            }
            None => {
                let project = args.remove(0);
                Ok((project, args))
            }
        }
    }

    /// Refuses a marked directory whose project, in the database in effect, is another
    /// project's or missing (an old marker, or a directory copied elsewhere).
    fn check_marked(
        &self,
        actor: &Actor,
        marked: &toaster_core::project_dir::MarkedDir,
    ) -> Result<(), Failure> {
        let db = self.db_shown();
        let dir = marked.dir.display();
        let name = escape(&marked.project);
        match actor.project(&marked.project) {
            Ok(project) if same_file(&project.dir, &marked.dir) => Ok(()),
            Ok(project) => Err(Failure::User {
                message: format!(
                    "the directory {dir} is marked for project `{name}`, but project `{name}` of the database {db} lives in {}",
                    project.dir.display()
                ),
                hint: "name the project with `-p NAME`, or give the database this directory belongs to with --db PATH".to_owned(),
            }),
            Err(Error::Store(StoreError::NotFound { .. })) => Err(Failure::User {
                message: format!(
                    "the directory {dir} is marked for project `{name}`, which the database {db} does not hold"
                ),
                hint: "give the database this directory belongs to with --db PATH, or name a project with `-p NAME` (`toaster project list`)".to_owned(),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// Whether `name` names a project of the database (one the actor may not read included).
fn names_a_project(actor: &Actor, name: &str) -> Result<bool, Failure> {
    match actor.project(name) {
        Ok(_) => Ok(true),
        Err(Error::Store(StoreError::NotFound { .. }) | Error::Invalid(_)) => Ok(false),
        Err(e) if e.kind() == toaster_core::ErrorKind::Denied => Ok(true),
        Err(e) => Err(e.into()),
    }
}
