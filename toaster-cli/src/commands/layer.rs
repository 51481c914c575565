//! `toaster layer …`: a project's layers.

use std::io::Write;

use toaster_core::layers::{LayerRequest, Options, Transfer};
use toaster_core::model::LayerRef;

use super::Outcome;
use super::project::changed;
use crate::args::LayerCommand;
use crate::context::Context;
use crate::output::{LayerDetailView, Output, duration, table};
use crate::project_choice::Shape;
use crate::terminal::escape;

/// Shows fetch progress on a terminal (not with `--json` or into a pipe).
pub fn fetch_progress(out: &Output) -> impl FnMut(&Transfer) {
    let show_progress = out.shows_progress();
    let mut finished: Option<String> = None;
    move |t: &Transfer| {
        // Indexing goes on after the last object arrives: the line ends once per fetch.
        if show_progress && finished.as_deref() != Some(t.url.as_str()) {
            print_progress(t);
            if t.is_done() {
                finished = Some(t.url.clone());
            }
        }
    }
}

pub fn run(ctx: &Context, out: &Output, command: LayerCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let mut progress = fetch_progress(out);
    match command {
        LayerCommand::Add {
            project_option,
            project,
            path,
            git,
            reference,
            subdir,
            name,
            with_dependencies,
            force,
        } => {
            let project = ctx.project(&actor, project_option.project, project, ADD)?;
            let request = match (path, git) {
                (Some(path), _) => LayerRequest::Local { path },
                (None, Some(url)) => LayerRequest::Git {
                    url,
                    reference,
                    subdir,
                },
                // clap requires one of them.
                (None, None) => return Ok(()),
            };
            let options = Options {
                with_dependencies,
                force,
            };
            let outcome =
                actor.add_layer(&project, &request, name.as_deref(), options, &mut progress)?;
            Ok(changed(out, &project, outcome)?)
        }
        LayerCommand::Remove {
            project_option,
            project,
            names,
        } => {
            let args = project.into_iter().chain(names).collect();
            let (project, names) =
                ctx.project_and_args(&actor, project_option.project, args, REMOVE)?;
            let outcome = actor.remove_layers(&project, &names)?;
            Ok(changed(out, &project, outcome)?)
        }
        LayerCommand::Update {
            project_option,
            project,
            name,
            force,
        } => {
            let args = project.into_iter().chain(name).collect();
            let (project, mut name) =
                ctx.project_and_args(&actor, project_option.project, args, UPDATE)?;
            let name = name.pop();
            let options = Options {
                with_dependencies: false,
                force,
            };
            let outcome = actor.update_layers(&project, name.as_deref(), options, &mut progress)?;
            Ok(changed(out, &project, outcome)?)
        }
        LayerCommand::List {
            project_option,
            project,
        } => {
            let project = ctx.project(&actor, project_option.project, project, LIST)?;
            let layers = actor.layers(&project)?;
            let views: Vec<LayerDetailView> = layers.iter().map(LayerDetailView::from).collect();
            out.emit(&views, |w| list(w, &layers, &views))?;
            Ok(())
        }
        LayerCommand::Show {
            project_option,
            project,
            name,
        } => {
            let args = project.into_iter().chain(name).collect();
            let (project, names) =
                ctx.project_and_args(&actor, project_option.project, args, SHOW)?;
            let name = names.concat();
            let layer = actor.layer(&project, &name)?;
            let view = LayerDetailView::from(&layer);
            out.emit(&view, |w| show(w, &view))?;
            Ok(())
        }
    }
}

const ADD: &str = "layer add [PROJECT] --path DIR|--git URL";
const REMOVE: Shape = Shape::list("layer remove [PROJECT] NAME...", 1);
const LIST: &str = "layer list [PROJECT]";
const SHOW: Shape = Shape::fixed("layer show [PROJECT] NAME", 1);
const UPDATE: Shape = Shape::range("layer update [PROJECT] [NAME]", 0, 1);

/// `Receiving objects:  45% (450/1000), 1.2 MiB | 300.0 KiB/s`, rewritten in place.
fn print_progress(t: &Transfer) {
    let percent = (t.received_objects * 100)
        .checked_div(t.total_objects)
        .unwrap_or(0);
    eprint!(
        "\rReceiving objects: {percent:3}% ({}/{}), {} | {}/s, {}",
        t.received_objects,
        t.total_objects,
        bytes(t.received_bytes as f64),
        bytes(t.rate()),
        duration(t.elapsed.as_millis().try_into().unwrap_or(i64::MAX)),
    );
    if t.is_done() {
        eprintln!(", done.");
    }
}

fn bytes(n: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn or_dash(text: Option<&str>) -> String {
    escape(text.unwrap_or("-")).into_owned()
}

fn short(commit: Option<&str>) -> String {
    commit.map_or_else(|| "-".to_owned(), |c| c.get(..12).unwrap_or(c).to_owned())
}

fn list(w: &mut dyn Write, layers: &[LayerRef], views: &[LayerDetailView]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = layers
        .iter()
        .zip(views)
        .map(|(layer, v)| {
            vec![
                layer.name.clone(),
                layer.source.to_string(),
                or_dash(v.layer.reference.as_deref()),
                short(v.layer.commit.as_deref()),
                v.priority.map_or_else(|| "-".to_owned(), |p| p.to_string()),
                if v.depends.is_empty() {
                    "-".to_owned()
                } else {
                    v.depends.join(" ")
                },
            ]
        })
        .collect();
    table(
        w,
        &["NAME", "SOURCE", "REF", "COMMIT", "PRIORITY", "DEPENDS"],
        &rows,
    )
}

fn show(w: &mut dyn Write, v: &LayerDetailView) -> std::io::Result<()> {
    let l = &v.layer;
    let words = |list: &[String]| {
        if list.is_empty() {
            "-".to_owned()
        } else {
            escape(&list.join(" ")).into_owned()
        }
    };
    writeln!(w, "layer:        {}", escape(&l.name))?;
    writeln!(w, "source:       {}", l.source)?;
    if let Some(path) = &l.path {
        writeln!(w, "path:         {}", escape(path))?;
    }
    if let Some(url) = &l.url {
        writeln!(w, "url:          {}", escape(url))?;
        writeln!(w, "ref:          {}", or_dash(l.reference.as_deref()))?;
        writeln!(w, "subdir:       {}", or_dash(l.subdir.as_deref()))?;
        writeln!(w, "commit:       {}", or_dash(l.commit.as_deref()))?;
    }
    writeln!(w, "collections:  {}", words(&v.collections))?;
    writeln!(
        w,
        "priority:     {}",
        v.priority.map_or_else(|| "-".to_owned(), |p| p.to_string())
    )?;
    writeln!(w, "version:      {}", or_dash(v.version.as_deref()))?;
    writeln!(w, "depends:      {}", words(&v.depends))?;
    writeln!(w, "recommends:   {}", words(&v.recommends))?;
    let compat = v.series_compat.as_deref().map(words);
    writeln!(
        w,
        "series:       {}",
        compat.as_deref().unwrap_or("(not set)")
    )?;
    Ok(())
}
