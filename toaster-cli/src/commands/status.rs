//! `toaster status`: the database, project and owner in effect, and how each was chosen.
//! It reports and does not fail: no database, no project and no owner are each said.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use toaster_core::store::{StoreError, is_database_url};
use toaster_core::{Actor, Error};

use super::Outcome;
use crate::context::{Context, DbSource, OwnerSource, client, same_file};
use crate::output::Output;
use crate::terminal::escape;

/// What `toaster status --json` prints.
#[derive(Serialize)]
struct Status {
    database: Database,
    /// The project PROJECT-less commands act on, if any.
    project: Option<Project>,
    /// A marked directory around here that belongs to another database.
    other_marker: Option<OtherMarker>,
    owner: Option<Owner>,
    client: String,
}

#[derive(Serialize)]
struct Database {
    path: String,
    /// `option`, `environment`, `marker` or `default`.
    chosen_by: &'static str,
    /// With `marker`: the marker file.
    marker: Option<String>,
    exists: bool,
    /// Why it cannot be used, when it exists but cannot be opened.
    problem: Option<String>,
}

#[derive(Serialize)]
struct Project {
    name: String,
    /// Always `marker`: a project is named on the command line per command.
    chosen_by: &'static str,
    marker: String,
    directory: String,
    /// Whether the database holds this project with this directory (null: not known, with
    /// no database, no owner, or an owner who may not read it).
    in_database: Option<bool>,
}

#[derive(Serialize)]
struct OtherMarker {
    project: String,
    marker: String,
    database: String,
}

#[derive(Serialize)]
struct Owner {
    name: String,
    /// `option` (--as), `environment` (TOASTER_OWNER) or `remembered` (for this client).
    chosen_by: &'static str,
    /// Whether the database holds this owner (null: no database).
    exists: Option<bool>,
}

pub fn run(ctx: &Context, out: &Output) -> Outcome {
    let client = client()?;
    let opened = ctx.open();
    let toaster = opened.as_ref().ok();
    let (exists, problem) = match &opened {
        Ok(_) => (true, None),
        Err(Error::Store(StoreError::Missing { .. } | StoreError::Empty { .. })) => (false, None),
        Err(e) => (ctx.db.exists(), Some(e.to_string())),
    };
    let (chosen_by, marker) = match &ctx.db_source {
        DbSource::Option => ("option", None),
        DbSource::Environment => ("environment", None),
        DbSource::Marker(marker) => ("marker", Some(shown(marker))),
        DbSource::Default => ("default", None),
    };
    let database = Database {
        path: if is_database_url(&ctx.db) {
            ctx.db_shown()
        } else {
            shown(&std::path::absolute(&ctx.db).unwrap_or_else(|_| ctx.db.clone()))
        },
        chosen_by,
        marker,
        exists,
        problem,
    };
    let actor = toaster.and_then(|t| ctx.actor(t).ok());
    let project = ctx.marked_project().map(|marked| Project {
        name: marked.project.clone(),
        chosen_by: "marker",
        marker: shown(&marked.marker()),
        directory: shown(&marked.dir),
        in_database: actor
            .as_ref()
            .and_then(|actor| holds_project(actor, &marked.project, &marked.dir)),
    });
    let other_marker = match (&ctx.marked, &project) {
        (Some(marked), None) => Some(OtherMarker {
            project: marked.project.clone(),
            marker: shown(&marked.marker()),
            database: marked.database.as_deref().map(shown).unwrap_or_default(),
        }),
        _ => None,
    };
    let owner = match &ctx.acting {
        Some((name, source)) => Some(Owner {
            name: name.clone(),
            chosen_by: match source {
                OwnerSource::Option => "option",
                OwnerSource::Environment => "environment",
            },
            exists: toaster.map(|t| t.act_as(name, &client).is_ok()),
        }),
        None => toaster
            .and_then(|t| t.act_as_remembered(&client).ok())
            .map(|actor| Owner {
                name: actor.owner().name.to_string(),
                chosen_by: "remembered",
                exists: Some(true),
            }),
    };
    let status = Status {
        database,
        project,
        other_marker,
        owner,
        client,
    };
    Ok(out.emit(&status, |w| text(w, &status))?)
}

/// Whether the database holds project `name` in `dir`, as far as `actor` may see.
fn holds_project(actor: &Actor, name: &str, dir: &Path) -> Option<bool> {
    match actor.project(name) {
        Ok(project) => Some(same_file(&project.dir, dir)),
        Err(Error::Store(StoreError::NotFound { .. })) => Some(false),
        Err(_) => None,
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn text(w: &mut dyn Write, status: &Status) -> std::io::Result<()> {
    let db = &status.database;
    let how = match (db.chosen_by, &db.marker) {
        ("option", _) => "from --db".to_owned(),
        ("environment", _) => "from TOASTER_DB".to_owned(),
        (_, Some(marker)) => format!("found from the marker {}", escape(marker)),
        _ => "the default: no project directory here or above names one".to_owned(),
    };
    writeln!(w, "database: {} ({how})", escape(&db.path))?;
    match (&db.problem, db.exists) {
        (Some(problem), _) => writeln!(w, "          cannot be used: {}", escape(problem))?,
        (None, false) => writeln!(
            w,
            "          there is no Toaster database there yet (`toaster owner add NAME` starts one)"
        )?,
        (None, true) => {}
    }
    match &status.project {
        Some(project) => {
            writeln!(
                w,
                "project:  {} (found from the marker {})",
                escape(&project.name),
                escape(&project.marker)
            )?;
            if project.in_database == Some(false) {
                writeln!(
                    w,
                    "          the database does not hold this project in {}: name one with -p",
                    escape(&project.directory)
                )?;
            }
        }
        None => writeln!(w, "project:  none (name one with each command, or -p NAME)")?,
    }
    if let Some(other) = &status.other_marker {
        writeln!(
            w,
            "          ({} marks project {} of another database, {})",
            escape(&other.marker),
            escape(&other.project),
            escape(&other.database)
        )?;
    }
    match &status.owner {
        Some(owner) => {
            let how = match owner.chosen_by {
                "option" => "from --as",
                "environment" => "from TOASTER_OWNER",
                _ => "remembered for this client",
            };
            let missing = if owner.exists == Some(false) {
                "; there is no such owner"
            } else {
                ""
            };
            writeln!(w, "owner:    {} ({how}{missing})", escape(&owner.name))?;
        }
        None => writeln!(
            w,
            "owner:    none (choose one with `toaster owner use NAME`, or --as NAME)"
        )?,
    }
    writeln!(w, "client:   {}", escape(&status.client))
}
