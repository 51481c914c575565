//! What the command prints: a JSON document with stable field names, or text for people.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use toaster_core::model::{LayerSource, Owner, Project, Revision};

/// Prints either JSON or text, to standard output. A closed pipe (`| head`) is not an error.
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
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
            text(&mut out)
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// Prints rows as aligned columns under a header.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
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
    for row in rows {
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
    pub created_at: String,
}

impl From<&Owner> for OwnerView {
    fn from(owner: &Owner) -> OwnerView {
        OwnerView {
            name: owner.name.to_string(),
            email: owner.email.clone(),
            client: owner.client.clone(),
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
            layers: config
                .layers
                .iter()
                .map(|layer| match &layer.source {
                    LayerSource::Local { path } => LayerView {
                        name: layer.name.clone(),
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
                        name: layer.name.clone(),
                        source: "git",
                        path: None,
                        url: Some(url.clone()),
                        reference: Some(reference.clone()),
                        subdir: subdir.clone(),
                        commit: commit.clone(),
                    },
                })
                .collect(),
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
