//! The merged kas configuration as a project configuration: machine, distro and targets
//! (with kas's defaults where the file gives none), the `local_conf_header` text, the
//! repositories' layers, and a note for every key a project cannot hold.

use std::collections::BTreeSet;

use super::error::KasInError;
use super::local_conf::LocalConf;
use super::node::{Node, Value};
use super::repos::{self, Places};
use crate::conf::check_assignment;
use crate::model::{ConfigChange, ConfigKey, ModelError, ProjectConfig, Target, shorten};

/// kas's defaults (`kas/schema-kas.json`, format 23).
const DEFAULT_MACHINE: &str = "qemux86-64";
const DEFAULT_DISTRO: &str = "nodistro";
const DEFAULT_TARGET: &str = "core-image-minimal";
const DEFAULT_TASK: &str = "build";

/// Keys only noted, and why a project does not take them.
const NOTED: &[(&str, &str)] = &[
    (
        "artifacts",
        "the build outputs kas expects are not recorded in a project",
    ),
    ("signers", "Toaster does not verify repository signatures"),
    (
        "buildtools",
        "Toaster does not download buildtools; install them on the build host",
    ),
    (
        "menu_configuration",
        "`kas menu` selections are already merged into the file kas wrote",
    ),
    (
        "proxy_config",
        "obsolete in kas; proxies come from the environment",
    ),
    ("_source_dir", "written by `kas menu`; not needed"),
    ("_source_dir_host", "written by kas-container; not needed"),
];

/// Builds the project configuration from the merged kas configuration `config`.
pub(super) fn project(
    config: &Node,
    places: &Places<'_>,
    notes: &mut Vec<String>,
) -> Result<ProjectConfig, KasInError> {
    let short = |n: &Node| places.sources.short(n.at.file);
    let mut project = ProjectConfig::default();

    let top = places.sources.short(0);
    let (machine, machine_node) = word(config, "machine", DEFAULT_MACHINE, &top, notes);
    let (distro, distro_node) = word(config, "distro", DEFAULT_DISTRO, &top, notes);
    let (targets, multiconfigs) = targets(config, places, notes)?;
    project.targets = targets;

    let mut conf = LocalConf::default();
    if let Some(sections) = config.get("local_conf_header").and_then(Node::entries) {
        let mut sorted: Vec<&(String, Node)> = sections.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, text) in sorted {
            conf.section(&short(text), id, text.as_str().unwrap_or_default());
        }
    }
    // kas writes `MACHINE ??=` and `DISTRO ??=` after the text: a value the text sets with
    // `=`, `?=` or `:=` wins, its own `??=` does not.
    for (name, key, value, node) in [
        ("MACHINE", ConfigKey::Machine, machine, machine_node),
        ("DISTRO", ConfigKey::Distro, distro, distro_node),
    ] {
        let from_text = conf.take(name);
        let (value, at) = match from_text {
            Some(f) if !f.weak_only => {
                let change = ConfigChange::Set {
                    key: key.clone(),
                    value: f.value.clone(),
                };
                match ProjectConfig::default().apply(&change) {
                    Ok(_) => {
                        notes.push(format!(
                            "{}: {name} = \"{}\" taken: it wins over `{key}: {}`, as kas writes `{name} ??=` after the text",
                            f.place,
                            shorten(&f.value),
                            shorten(&value)
                        ));
                        (f.value, None)
                    }
                    Err(e) => {
                        notes.push(format!("{}: {name} not imported: {e}", f.place));
                        (value, node)
                    }
                }
            }
            Some(f) => {
                notes.push(format!(
                    "{}: `{name} ??=` has no effect: kas's own `{name} ??= \"{}\"` comes after it",
                    f.place,
                    shorten(&value)
                ));
                (value, node)
            }
            None => (value, node),
        };
        let change = ConfigChange::Set {
            key: key.clone(),
            value,
        };
        project
            .apply(&change)
            .map_err(|source| invalid(places, at, &key.to_string(), source))?;
    }
    // kas writes `BBMULTICONFIG ?=` after the text: a value the text sets wins (and is
    // checked with the other variables).
    if !multiconfigs.is_empty() && !conf.defines("BBMULTICONFIG") {
        let names: Vec<&str> = multiconfigs.iter().map(String::as_str).collect();
        project
            .variables
            .insert("BBMULTICONFIG".to_owned(), names.join(" ").into());
        notes.push(format!(
            "{}: target: BBMULTICONFIG = \"{}\" set for the mc: targets, as kas sets it",
            config.get("target").map_or(top.clone(), short),
            shorten(&names.join(" "))
        ));
    }
    notes.append(&mut conf.notes);
    variables(&mut project, &mut conf, notes);

    let got = repos::read(config, places, notes)?;
    project.layers = got.layers;
    project.bitbake = got.bitbake;
    if project.bitbake.is_none() && !project.layers.is_empty() {
        notes.push(format!(
            "{top}: repos: no repository provides BitBake (a repository `bitbake`, or poky): choose the project's BitBake after the import"
        ));
    }
    noted(config, places, notes);
    Ok(project)
}

/// `machine` or `distro`: the value and its node, or kas's default (noted).
fn word<'a>(
    config: &'a Node,
    key: &str,
    default: &str,
    top: &str,
    notes: &mut Vec<String>,
) -> (String, Option<&'a Node>) {
    match config.get(key) {
        Some(node) => (node.as_str().unwrap_or_default().to_owned(), Some(node)),
        None => {
            notes.push(format!(
                "{top}: {key}: not set; kas's default `{default}` taken"
            ));
            (default.to_owned(), None)
        }
    }
}

fn invalid(places: &Places<'_>, node: Option<&Node>, key: &str, source: ModelError) -> KasInError {
    KasInError::Invalid {
        file: node.map_or_else(
            || places.sources.path(0).to_owned(),
            |n| places.sources.path(n.at.file).to_owned(),
        ),
        line: node.map_or(1, |n| n.at.line),
        key: key.to_owned(),
        source: Box::new(source),
    }
}

/// `target` (string or list) with `task`, and the multiconfig names of `mc:` targets.
fn targets(
    config: &Node,
    places: &Places<'_>,
    notes: &mut Vec<String>,
) -> Result<(Vec<Target>, BTreeSet<String>), KasInError> {
    let written: Vec<(String, Option<&Node>, String)> = match config.get("target") {
        Some(node) => match &node.value {
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let text = n.as_str().unwrap_or_default().to_owned();
                    (text, Some(n), format!("target[{i}]"))
                })
                .collect(),
            _ => vec![(
                node.as_str().unwrap_or_default().to_owned(),
                Some(node),
                "target".to_owned(),
            )],
        },
        None => {
            notes.push(format!(
                "{}: target: not set; kas's default `{DEFAULT_TARGET}` taken",
                places.sources.short(0)
            ));
            vec![(DEFAULT_TARGET.to_owned(), None, "target".to_owned())]
        }
    };
    let task_node = config.get("task");
    let task = task_node
        .and_then(Node::as_str)
        .unwrap_or(DEFAULT_TASK)
        .to_owned();
    let task = task.strip_prefix("do_").unwrap_or(&task).to_owned();
    let mut targets: Vec<Target> = Vec::new();
    let mut multiconfigs = BTreeSet::new();
    for (text, node, key) in written {
        let text = match text.strip_prefix("multiconfig:") {
            Some(rest) => {
                notes.push(format!(
                    "{}: {key}: `{}` taken as `mc:{}` (the same target)",
                    places.sources.short(node.map_or(0, |n| n.at.file)),
                    shorten(&text),
                    shorten(rest)
                ));
                format!("mc:{rest}")
            }
            None => text,
        };
        let mut target =
            Target::parse(&text).map_err(|source| invalid(places, node, &key, source))?;
        if target.task.is_none() && task != "build" {
            let with_task = format!("{}:{task}", target.recipe);
            target = Target::parse(&with_task)
                .map_err(|source| invalid(places, task_node, "task", source))?;
        }
        if let Some(name) = target
            .recipe
            .strip_prefix("mc:")
            .and_then(|r| r.split(':').next())
        {
            multiconfigs.insert(name.to_owned());
        }
        if !targets.contains(&target) {
            targets.push(target);
        }
    }
    Ok((targets, multiconfigs))
}

/// The variables the text set, each passing the checks `config set` makes on a name and
/// on what BitBake reads back; the rest noted.
fn variables(project: &mut ProjectConfig, conf: &mut LocalConf, notes: &mut Vec<String>) {
    for (name, f) in conf.finals() {
        let shown = shorten(&name);
        match ConfigKey::parse(&name) {
            Ok(ConfigKey::Variable(_)) => {}
            Ok(key) => {
                notes.push(format!(
                    "{}: variable `{shown}` not imported: Toaster reads that name as the project's own `{key}`",
                    f.place
                ));
                continue;
            }
            Err(e) => {
                notes.push(format!("{}: {shown} not imported: {e}", f.place));
                continue;
            }
        }
        if let Err(e) = check_assignment(&name, &f.value) {
            notes.push(format!("{}: {shown} not imported: {e}", f.place));
            continue;
        }
        if f.weak_only {
            notes.push(format!(
                "{}: `{shown} ??=` taken as {shown} = \"{}\", which wins over a value a layer or the distro sets",
                f.place,
                shorten(&f.value)
            ));
        }
        project.variables.insert(name, f.value.into());
    }
    let packages = std::mem::take(&mut conf.packages);
    let places = std::mem::take(&mut conf.package_places);
    for (package, place) in packages.into_iter().zip(places) {
        let change = ConfigChange::Add {
            key: ConfigKey::Packages,
            words: vec![package.clone()],
        };
        if let Err(e) = project.apply(&change) {
            notes.push(format!(
                "{place}: package `{}` not imported: {e}",
                shorten(&package)
            ));
        }
    }
}

/// Notes on the keys a project does not take.
fn noted(config: &Node, places: &Places<'_>, notes: &mut Vec<String>) {
    let short = |n: &Node| places.sources.short(n.at.file);
    if let Some(env) = config.get("env").and_then(Node::entries) {
        for (name, node) in env {
            notes.push(format!(
                "{}: env: {} noted, not imported: kas passes it to BitBake's environment; set it where the build runs",
                short(node),
                shorten(name)
            ));
        }
    }
    if let Some(headers) = config.get("bblayers_conf_header").and_then(Node::entries) {
        for (id, node) in headers {
            notes.push(format!(
                "{}: bblayers_conf_header.{} not imported: a project's bblayers.conf holds its layers only",
                short(node),
                shorten(id)
            ));
        }
    }
    if let Some(node) = config.get("build_system") {
        let system = node.as_str().unwrap_or_default();
        if !matches!(system, "openembedded" | "oe") {
            notes.push(format!(
                "{}: build_system `{}` noted: Toaster builds OpenEmbedded projects",
                short(node),
                shorten(system)
            ));
        }
    }
    if let Some(node) = config.get("defaults").and_then(|d| d.get("repos")) {
        if let Some(patches) = node.get("patches") {
            notes.push(format!(
                "{}: defaults.repos.patches noted: patches are not applied",
                short(patches)
            ));
        }
    }
    for (key, why) in NOTED {
        if let Some(node) = config.get(key) {
            notes.push(format!("{}: {key} not imported: {why}", short(node)));
        }
    }
}
