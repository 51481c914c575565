//! `toaster config …`: a project's configuration, key by key.

use std::io::Write;

use serde::Serialize;
use toaster_core::Actor;
use toaster_core::model::{ConfigChange, ConfigKey, Operator, RevisionNumber};

use super::project::changed;
use super::{Failure, Outcome, schema};
use crate::args::{Base, ConfigCommand, ListEdit};
use crate::context::Context;
use crate::output::{ConfigView, Output};
use crate::project_choice::Shape;
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: ConfigCommand) -> Outcome {
    if let ConfigCommand::Schema { variable } = &command {
        return schema::show(out, &ctx.schema()?, variable.as_deref());
    }
    let actor = ctx.actor(&ctx.open()?)?;
    let key = |k: &str| ConfigKey::parse(k).map_err(toaster_core::Error::from);
    let positionals = |list: [Option<String>; 3]| list.into_iter().flatten().collect();
    let (project, change, base) = match command {
        ConfigCommand::Get {
            project_option,
            project,
            key,
        } => {
            let (project, args) = ctx.project_and_args(
                &actor,
                project_option.project,
                positionals([project, key, None]),
                GET,
            )?;
            let [name] = own(args)?;
            return get(out, &actor, project, name);
        }
        // Answered above, without opening a database.
        ConfigCommand::Schema { .. } => return Ok(()),
        ConfigCommand::Show {
            project_option,
            project,
            revision,
        } => {
            let project = ctx.project(&actor, project_option.project, project, SHOW)?;
            let revision = match revision {
                Some(n) => actor.revision(&project, RevisionNumber(n))?,
                None => actor.config(&project)?,
            };
            let view = ConfigView::new(&project, &revision);
            out.emit(&view, |w| show(w, &view))?;
            return Ok(());
        }
        ConfigCommand::Set {
            project_option,
            project,
            key: name,
            value,
            more,
            export,
            base,
        } => {
            let mut words = positionals([project, name, value]);
            words.extend(more);
            let (words, op) = operator_among(words);
            let (project, args) =
                ctx.project_and_args(&actor, project_option.project, words, SET)?;
            let [name, value] = own(args)?;
            let change = ConfigChange::Assign {
                key: key(&name)?,
                op,
                value,
                export,
            };
            (project, change, base)
        }
        ConfigCommand::Unset {
            project_option,
            project,
            key: name,
            base,
        } => {
            let (project, args) = ctx.project_and_args(
                &actor,
                project_option.project,
                positionals([project, name, None]),
                UNSET,
            )?;
            let [name] = own(args)?;
            (project, ConfigChange::Unset { key: key(&name)? }, base)
        }
        ConfigCommand::Add(edit) => {
            let (project, key, words, base) = list_edit(ctx, &actor, edit, ADD)?;
            (project, ConfigChange::Add { key, words }, base)
        }
        ConfigCommand::Remove(edit) => {
            let (project, key, words, base) = list_edit(ctx, &actor, edit, REMOVE)?;
            (project, ConfigChange::Remove { key, words }, base)
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

const GET: Shape = Shape::fixed("config get [PROJECT] KEY", 1);
const SHOW: &str = "config show [PROJECT]";
const SET: Shape = Shape::fixed("config set [PROJECT] KEY [OP] VALUE", 2);
const UNSET: Shape = Shape::fixed("config unset [PROJECT] KEY", 1);
const ADD: Shape = Shape::list("config add [PROJECT] KEY WORD...", 2);
const REMOVE: Shape = Shape::list("config remove [PROJECT] KEY WORD...", 2);

/// `[PROJECT] KEY OP VALUE…`: the words before the first operator token after the first
/// word, then the rest joined by spaces as the value, and the operator (`=` without one).
fn operator_among(words: Vec<String>) -> (Vec<String>, Operator) {
    let found = words
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, w)| Operator::parse(w).map(|op| (i, op)));
    match found {
        Some((i, op)) => {
            let mut before = words[..i].to_vec();
            before.push(words[i + 1..].join(" "));
            (before, op)
        }
        None => (words, Operator::Set),
    }
}

/// A command's own arguments, as many as its shape let through.
fn own<const N: usize>(args: Vec<String>) -> Result<[String; N], Failure> {
    args.try_into().map_err(|args: Vec<String>| Failure::Usage {
        message: format!("expected {N} arguments, got {}", args.len()),
        hint: "see --help".to_owned(),
    })
}

/// The project, key, words and options of `config add` or `config remove`.
fn list_edit(
    ctx: &Context,
    actor: &Actor,
    edit: ListEdit,
    shape: Shape,
) -> Result<(String, ConfigKey, Vec<String>, Base), Failure> {
    let args = edit.project.into_iter().chain(edit.key).chain(edit.words);
    let (project, mut args) =
        ctx.project_and_args(actor, edit.project_option.project, args.collect(), shape)?;
    let words = args.split_off(1);
    flags_among_words(&words)?;
    let key = ConfigKey::parse(&args[0]).map_err(toaster_core::Error::from)?;
    Ok((project, key, words, edit.base))
}

/// Prints one key's value; a key with no value fails (after its JSON, value null).
fn get(out: &Output, actor: &Actor, project: String, name: String) -> Outcome {
    let key = ConfigKey::parse(&name).map_err(toaster_core::Error::from)?;
    let revision = actor.config(&project)?;
    let view = Value {
        project,
        revision: revision.number.0,
        value: revision.config.get(&key),
        key: name,
    };
    out.emit(&view, |w| match &view.value {
        Some(value) => writeln!(w, "{}", escape(value)),
        None => Ok(()),
    })?;
    match view.value {
        Some(_) => Ok(()),
        None => Err(Failure::KeyNotSet {
            project: view.project,
            key: view.key,
        }),
    }
}

/// The options a word after the first could be mistaken for.
const FLAGS: [&str; 8] = [
    "--base",
    "--strict",
    "--json",
    "--db",
    "--as",
    "--schema",
    "--project",
    "-p",
];

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
            hint: "put options (--base, --strict, --json, …) before the project name, or the key"
                .to_owned(),
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
    // A value set with `?=` or `??=` shows its operator after it.
    let single = |value: &Option<String>, op: Operator| match (value, op) {
        (Some(v), Operator::Set) => escape(v).into_owned(),
        (Some(v), op) => format!("{} ({op})", escape(v)),
        (None, _) => "-".to_owned(),
    };
    writeln!(w, "machine:  {}", single(&view.machine, view.machine_op))?;
    writeln!(w, "distro:   {}", single(&view.distro, view.distro_op))?;
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
