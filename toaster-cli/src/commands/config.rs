use std::io::Write;

use serde::Serialize;
use toaster_core::model::{ConfigChange, ConfigKey, RevisionNumber};

use super::project::changed;
use super::{Failure, Outcome, schema};
use crate::args::ConfigCommand;
use crate::context::Context;
use crate::output::{ConfigView, Output};
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: ConfigCommand) -> Outcome {
    if let ConfigCommand::Schema { variable } = &command {
        return schema::show(out, &ctx.schema()?, variable.as_deref());
    }
    let actor = ctx.actor(&ctx.open()?)?;
    let key = |k: &str| ConfigKey::parse(k).map_err(toaster_core::Error::from);
    let (project, change, base) = match command {
        ConfigCommand::Get { project, key: name } => {
            let revision = actor.config(&project)?;
            let view = Value {
                project,
                revision: revision.number.0,
                value: revision.config.get(&key(&name)?),
                key: name,
            };
            out.emit(&view, |w| match &view.value {
                Some(value) => writeln!(w, "{}", escape(value)),
                None => Ok(()),
            })?;
            return match view.value {
                Some(_) => Ok(()),
                None => Err(Failure::KeyNotSet {
                    project: view.project,
                    key: view.key,
                }),
            };
        }
        // Answered above, without opening a database.
        ConfigCommand::Schema { .. } => return Ok(()),
        ConfigCommand::Show { project, revision } => {
            let revision = match revision {
                Some(n) => actor.revision(&project, RevisionNumber(n))?,
                None => actor.config(&project)?,
            };
            let view = ConfigView::new(&project, &revision);
            out.emit(&view, |w| show(w, &view))?;
            return Ok(());
        }
        ConfigCommand::Set {
            project,
            key: name,
            value,
            base,
        } => (
            project,
            ConfigChange::Set {
                key: key(&name)?,
                value,
            },
            base,
        ),
        ConfigCommand::Unset {
            project,
            key: name,
            base,
        } => (project, ConfigChange::Unset { key: key(&name)? }, base),
        ConfigCommand::Add(edit) => {
            flags_among_words(&edit.words)?;
            let key = key(&edit.key)?;
            (
                edit.project,
                ConfigChange::Add {
                    key,
                    words: edit.words,
                },
                edit.base,
            )
        }
        ConfigCommand::Remove(edit) => {
            flags_among_words(&edit.words)?;
            let key = key(&edit.key)?;
            (
                edit.project,
                ConfigChange::Remove {
                    key,
                    words: edit.words,
                },
                edit.base,
            )
        }
    };
    let outcome = actor.change_config_with(
        &project,
        &[change],
        base.base.map(RevisionNumber),
        base.strict,
    )?;
    Ok(changed(out, &project, outcome)?)
}

/// The options a word after the first could be mistaken for.
const FLAGS: [&str; 6] = ["--base", "--strict", "--json", "--db", "--as", "--schema"];

/// Words may start with `-`, so an option after them would be taken as a word: refused, to
/// be put before the words.
fn flags_among_words(words: &[String]) -> Result<(), Failure> {
    let is_flag = |w: &&String| {
        FLAGS
            .iter()
            .any(|f| w.as_str() == *f || w.strip_prefix(f).is_some_and(|r| r.starts_with('=')))
    };
    match words.iter().find(is_flag) {
        Some(flag) => Err(Failure::Usage {
            message: format!(
                "`{}` after the words would be taken as a word",
                escape(flag)
            ),
            hint: "put options (--base, --strict, --json, …) before the project name".to_owned(),
        }),
        None => Ok(()),
    }
}

/// What `config get --json` prints.
#[derive(Serialize)]
struct Value {
    project: String,
    revision: u32,
    key: String,
    value: Option<String>,
}

fn show(w: &mut dyn Write, view: &ConfigView) -> std::io::Result<()> {
    let r = &view.revision;
    writeln!(
        w,
        "project {}, revision {} by {} at {}",
        view.project, r.revision, r.author, r.created_at
    )?;
    writeln!(w, "  ({})", escape(&r.description))?;
    let words = |list: &[String]| {
        if list.is_empty() {
            "-".to_owned()
        } else {
            escape(&list.join(" ")).into_owned()
        }
    };
    writeln!(
        w,
        "machine:  {}",
        escape(view.machine.as_deref().unwrap_or("-"))
    )?;
    writeln!(
        w,
        "distro:   {}",
        escape(view.distro.as_deref().unwrap_or("-"))
    )?;
    writeln!(w, "targets:  {}", words(&view.targets))?;
    writeln!(w, "packages: {}", words(&view.packages))?;
    writeln!(w, "recipes:  {}", words(&view.recipes))?;
    writeln!(w, "layers:")?;
    for layer in &view.layers {
        let place = match (&layer.path, &layer.url) {
            (Some(path), _) => path.clone(),
            (None, Some(url)) => {
                let subdir = layer
                    .subdir
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                format!(
                    "{url} @ {}{subdir}",
                    layer.reference.as_deref().unwrap_or("-")
                )
            }
            (None, None) => "-".to_owned(),
        };
        writeln!(w, "  {:<20} {}", escape(&layer.name), escape(&place))?;
    }
    if !view.hooks.is_empty() {
        writeln!(w, "hooks:")?;
        for hook in &view.hooks {
            writeln!(w, "  {}", escape(&hook.to_string()))?;
        }
    }
    writeln!(w, "variables:")?;
    for (name, value) in &view.variables {
        for line in value.conf_lines(name) {
            writeln!(w, "  {}", escape(&line))?;
        }
    }
    Ok(())
}
