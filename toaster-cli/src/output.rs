//! What the command prints: a JSON document with stable field names, or text for people.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use toaster_core::model::{
    AuditEntry, Collection, Dependency, Group, LayerRef, LayerSource, Owner, Project, Revision,
    Task, Timestamp,
};

use crate::terminal::{escape, escape_lines};

/// Prints either JSON or text, to standard output. A closed pipe (`| head`) is not an error.
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    /// Whether JSON is printed.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Whether progress may be shown: text output going to a terminal.
    pub fn shows_progress(&self) -> bool {
        use std::io::IsTerminal;
        !self.json && io::stdout().is_terminal()
    }

    /// Prints `value` as JSON, or calls `text` to write it for people.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut out, value)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        } else {
            // Printers escape each field (see `terminal`); whatever one missed still
            // reaches the terminal escaped, its line breaks aside.
            let mut printed = Vec::new();
            text(&mut printed).and_then(|()| {
                out.write_all(escape_lines(&String::from_utf8_lossy(&printed)).as_bytes())
            })
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// An error, as `--json` prints it on standard output (the text stays on standard error).
#[derive(Serialize)]
struct ErrorView<'a> {
    error: &'a str,
    kind: &'a str,
    hint: Option<&'a str>,
    exit_code: u8,
}

/// Prints an error as one JSON document on standard output; a failing write is ignored
/// (the error is on standard error already).
pub fn error_json(error: &str, kind: &str, hint: Option<&str>, exit_code: u8) {
    let view = ErrorView {
        error,
        kind,
        hint,
        exit_code,
    };
    let _ = Output::new(true).emit(&view, |_| Ok(()));
}

/// Prints rows as aligned columns under a header, each cell on its line (escaped).
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape(cell).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(
        out,
        &header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>(),
    )?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}

/// An owner, as `owner list|show --json` prints it.
#[derive(Serialize)]
pub struct OwnerView {
    pub name: String,
    pub email: Option<String>,
    pub client: Option<String>,
    pub admin: bool,
    pub created_at: String,
}

impl From<&Owner> for OwnerView {
    fn from(owner: &Owner) -> OwnerView {
        OwnerView {
            name: owner.name.to_string(),
            email: owner.email.clone(),
            client: owner.client.clone(),
            admin: owner.admin,
            created_at: owner.created_at.to_rfc3339(),
        }
    }
}

/// A project, as `project list|show --json` prints it.
#[derive(Serialize)]
pub struct ProjectView {
    pub name: String,
    pub dir: String,
    pub release: String,
    pub owner: String,
    pub group: Option<String>,
    pub mode: String,
    pub created_at: String,
    pub revision: u32,
}

impl From<&Project> for ProjectView {
    fn from(project: &Project) -> ProjectView {
        ProjectView {
            name: project.name.to_string(),
            dir: project.dir.display().to_string(),
            release: project.release.to_string(),
            owner: project.owner_name.to_string(),
            group: project.group_name.as_ref().map(ToString::to_string),
            mode: project.mode.to_string(),
            created_at: project.created_at.to_rfc3339(),
            revision: project.head.0,
        }
    }
}

/// One revision in `project history --json`.
#[derive(Serialize)]
pub struct RevisionView {
    pub revision: u32,
    pub author: String,
    pub created_at: String,
    pub description: String,
    pub restores: Option<u32>,
}

impl From<&Revision> for RevisionView {
    fn from(revision: &Revision) -> RevisionView {
        RevisionView {
            revision: revision.number.0,
            author: revision.author.to_string(),
            created_at: revision.created_at.to_rfc3339(),
            description: revision.description.clone(),
            restores: revision.restores.map(|r| r.0),
        }
    }
}

/// A layer in `config show --json`.
#[derive(Serialize)]
pub struct LayerView {
    pub name: String,
    /// `git` or `local`.
    pub source: &'static str,
    pub path: Option<String>,
    pub url: Option<String>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub subdir: Option<String>,
    pub commit: Option<String>,
}

impl From<&LayerRef> for LayerView {
    fn from(layer: &LayerRef) -> LayerView {
        let name = layer.name.clone();
        match &layer.source {
            LayerSource::Local { path } => LayerView {
                name,
                source: "local",
                path: Some(path.display().to_string()),
                url: None,
                reference: None,
                subdir: None,
                commit: None,
            },
            LayerSource::Git {
                url,
                reference,
                subdir,
                commit,
            } => LayerView {
                name,
                source: "git",
                path: None,
                url: Some(url.clone()),
                reference: Some(reference.clone()),
                subdir: subdir.clone(),
                commit: commit.clone(),
            },
        }
    }
}

/// A layer in `layer list|show --json`: the `config show` fields, plus what its
/// `conf/layer.conf` declares.
#[derive(Serialize)]
pub struct LayerDetailView {
    #[serde(flatten)]
    pub layer: LayerView,
    /// Its collections.
    pub collections: Vec<String>,
    /// The first collection's `BBFILE_PRIORITY`.
    pub priority: Option<i64>,
    /// The first collection's `LAYERVERSION`.
    pub version: Option<String>,
    /// `LAYERDEPENDS` of its collections, as written (`core (>= 12)`).
    pub depends: Vec<String>,
    /// `LAYERRECOMMENDS` of its collections.
    pub recommends: Vec<String>,
    /// `LAYERSERIES_COMPAT`; null when unset.
    pub series_compat: Option<Vec<String>>,
}

impl From<&LayerRef> for LayerDetailView {
    fn from(layer: &LayerRef) -> LayerDetailView {
        let first = layer.collections.first();
        let all = |pick: fn(&Collection) -> &Vec<Dependency>| {
            layer
                .collections
                .iter()
                .flat_map(|c| pick(c).iter().map(ToString::to_string))
                .collect()
        };
        LayerDetailView {
            layer: LayerView::from(layer),
            collections: layer.collections.iter().map(|c| c.name.clone()).collect(),
            priority: first.and_then(|c| c.priority),
            version: first.and_then(|c| c.version.clone()),
            depends: all(|c| &c.depends),
            recommends: all(|c| &c.recommends),
            series_compat: first.and_then(|c| c.series_compat.clone()),
        }
    }
}

/// A whole configuration, as `config show --json` prints it.
#[derive(Serialize)]
pub struct ConfigView {
    pub project: String,
    #[serde(flatten)]
    pub revision: RevisionView,
    pub machine: Option<String>,
    pub distro: Option<String>,
    pub targets: Vec<String>,
    pub packages: Vec<String>,
    pub recipes: Vec<String>,
    pub variables: BTreeMap<String, String>,
    pub layers: Vec<LayerView>,
    /// Post-build hooks (secrets are named, never stored).
    pub hooks: Vec<toaster_core::model::Hook>,
}

impl ConfigView {
    pub fn new(project: &str, revision: &Revision) -> ConfigView {
        let config = &revision.config;
        ConfigView {
            project: project.to_owned(),
            revision: RevisionView::from(revision),
            machine: config.machine.clone(),
            distro: config.distro.clone(),
            targets: config.targets.iter().map(ToString::to_string).collect(),
            packages: config.packages.clone(),
            recipes: config.recipes.clone(),
            variables: config.variables.clone(),
            layers: config.layers.iter().map(LayerView::from).collect(),
            hooks: config.hooks.clone(),
        }
    }
}

/// What a configuration change did, as every changing command prints it with `--json`.
#[derive(Serialize)]
pub struct ChangeView {
    pub project: String,
    pub changed: bool,
    #[serde(flatten)]
    pub revision: RevisionView,
    pub warnings: Vec<String>,
}

/// A group, as `group list --json` prints it.
#[derive(Serialize)]
pub struct GroupView {
    pub name: String,
    pub members: Vec<String>,
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

/// An audit entry, as `audit --json` prints it.
#[derive(Serialize)]
pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub owner: String,
    pub client: String,
    pub action: &'static str,
    pub project: Option<String>,
    pub detail: String,
}

impl From<&AuditEntry> for AuditView {
    fn from(entry: &AuditEntry) -> AuditView {
        AuditView {
            id: entry.id,
            at: entry.at.to_rfc3339(),
            owner: entry.owner.to_string(),
            client: entry.client.clone(),
            action: entry.action.as_str(),
            project: entry.project.as_ref().map(ToString::to_string),
            detail: entry.detail.clone(),
        }
    }
}

pub use toaster_core::BuildView;

/// A task, as `build tasks --json` prints it.
#[derive(Serialize)]
pub struct TaskView {
    pub order: Option<u32>,
    pub recipe: String,
    pub task: String,
    /// null while it runs.
    pub outcome: Option<&'static str>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub elapsed_ms: Option<i64>,
    pub cpu_ms: Option<u64>,
    pub read_bytes: Option<u64>,
    pub write_bytes: Option<u64>,
    pub log_file: Option<String>,
}

impl From<&Task> for TaskView {
    fn from(task: &Task) -> TaskView {
        let r = &task.record;
        TaskView {
            order: r.order,
            recipe: r.recipe.clone(),
            task: r.task.clone(),
            outcome: r.outcome.map(|o| o.as_str()),
            started_at: r.started_at.map(Timestamp::to_rfc3339),
            ended_at: r.ended_at.map(Timestamp::to_rfc3339),
            elapsed_ms: task.elapsed_ms,
            cpu_ms: r.cpu_ms,
            read_bytes: r.read_bytes,
            write_bytes: r.write_bytes,
            log_file: r.log_file.clone(),
        }
    }
}

/// A duration for people: `2h 03m`, `4m 05s`, `12.3s`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{:.1}s", ms as f64 / 1000.0)
    }
}
