//! Sharing a project: a bundle (its configuration at one revision, with exact layer commits,
//! and local layers when asked for) or a kas file, written for someone else; a bundle or a
//! kas file made into a new project, with every value checked as `config set` checks it and
//! what could not be reproduced named.

use std::path::{Path, PathBuf};

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::bundle::{self, BundleConfig, BundleLayer, BundleManifest, BundleSource, OpenBundle};
use crate::layers::{self, LayerRequest};
use crate::model::{
    LayerRef, LayerSource, Project, ProjectConfig, Release, RevisionNumber, Right, Timestamp,
};
use crate::schema::{Class, Schema};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file written.
    pub path: PathBuf,
    /// The revision exported.
    pub revision: RevisionNumber,
    /// What was left out (host variables, links in local layers), one line each.
    pub left_out: Vec<String>,
}

/// A project made from a bundle or a kas file.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The new project.
    pub project: Project,
    /// What could not be reproduced, one line each.
    pub notes: Vec<String>,
}

/// A configuration from outside, on its way into a new project.
pub(super) struct Incoming {
    pub(super) config: ProjectConfig,
    pub(super) release: Release,
    pub(super) notes: Vec<String>,
    pub(super) description: String,
    /// Local layers whose files come with it (taken from the bundle into the project).
    pub(super) included: Vec<String>,
}

impl Actor {
    /// Writes project `project`'s configuration at `revision` (default: the newest) as a
    /// bundle `out` (needs read): build variables, packages, recipes, hooks, each layer with
    /// its exact commit, BitBake's source and the specs of variables the built-in catalogue
    /// does not describe; host variables are left out and named. With `with_local_layers`
    /// the files of local layers go in too.
    pub fn export_bundle(
        &self,
        project: &str,
        revision: Option<u32>,
        with_local_layers: bool,
        out: &Path,
    ) -> Result<Exported, Error> {
        let (project, number, config) = self.revision_for_export(project, revision)?;
        let schema = self.schema();
        let (variables, mut left_out) = self.build_variables(&config);
        let extra = variables
            .keys()
            .filter_map(|name| schema.governing(name))
            .filter(|spec| Schema::builtin().spec(&spec.name) != Some(*spec))
            .cloned()
            .collect();
        let layers: Vec<BundleLayer> = config
            .layers
            .iter()
            .map(|layer| BundleLayer {
                name: layer.name.clone(),
                source: source_of(&layer.source),
                collections: layer.collections.clone(),
                included: with_local_layers && matches!(layer.source, LayerSource::Local { .. }),
            })
            .collect();
        let manifest = BundleManifest {
            format: bundle::FORMAT.to_owned(),
            version: bundle::VERSION,
            tool: concat!("toaster-rs ", env!("CARGO_PKG_VERSION")).to_owned(),
            exported_at: Timestamp::now(),
            exported_by: self.owner.name.to_string(),
            project: project.name.to_string(),
            release: project.release.to_string(),
            revision: number.0,
            config: BundleConfig {
                machine: config.machine.clone(),
                machine_op: config.machine_op,
                distro: config.distro.clone(),
                distro_op: config.distro_op,
                targets: config.targets.clone(),
                variables,
                packages: config.packages.clone(),
                recipes: config.recipes.clone(),
                hooks: config.hooks.clone(),
            },
            layers,
            bitbake: config.bitbake.as_ref().map(source_of),
            schema: extra,
            left_out: left_out
                .iter()
                .map(|l| l.split(':').next().unwrap_or(l).to_owned())
                .collect(),
        };
        let local: Vec<(String, PathBuf)> = config
            .layers
            .iter()
            .filter(|_| with_local_layers)
            .filter_map(|l| match &l.source {
                LayerSource::Local { path } => Some((l.name.clone(), path.clone())),
                LayerSource::Git { .. } => None,
            })
            .collect();
        left_out.extend(bundle::write_bundle(out, &manifest, &local)?);
        Ok(Exported {
            path: out.to_owned(),
            revision: number,
            left_out,
        })
    }

    /// Creates project `name` in `dir` from the bundle `file`: the whole bundle is checked
    /// first, then the project is made with the bundle's configuration, its git layers
    /// cloned at their recorded commits, its included local layers placed inside the
    /// project (`layers/NAME`). What cannot be reproduced (a local layer not included and
    /// not on this host, a variable this schema does not know) is named in the notes, or
    /// with `strict` refused before anything is written.
    pub fn import_bundle(
        &self,
        file: &Path,
        name: &str,
        dir: &Path,
        strict: bool,
    ) -> Result<Imported, Error> {
        let mut open = OpenBundle::open(file)?;
        let m = open.manifest.clone();
        let release = Release::parse(&m.release)?;
        let mut notes = Vec::new();
        for spec in &m.schema {
            if self.schema().spec(&spec.name) != Some(spec) {
                notes.push(format!(
                    "{}: described by the exporter's schema, not this one's: checked as this one describes it",
                    spec.name
                ));
            }
        }
        let config = ProjectConfig {
            machine: m.config.machine.clone(),
            machine_op: m.config.machine_op,
            distro: m.config.distro.clone(),
            distro_op: m.config.distro_op,
            targets: m.config.targets.clone(),
            variables: m.config.variables.clone(),
            layers: m.layers.iter().map(layer_of).collect(),
            packages: m.config.packages.clone(),
            recipes: m.config.recipes.clone(),
            bitbake: m.bitbake.as_ref().map(layer_source),
            hooks: m.config.hooks.clone(),
        };
        let incoming = Incoming {
            config,
            release,
            notes,
            description: format!(
                "imported from bundle {} (project {}, revision {})",
                file.display(),
                m.project,
                m.revision
            ),
            included: m
                .layers
                .iter()
                .filter(|l| l.included)
                .map(|l| l.name.clone())
                .collect(),
        };
        self.create_from_outside(name, dir, incoming, strict, &mut |layer, into| {
            Ok(open.extract_layer(layer, into)?)
        })
    }

    /// The variables of `config` that describe the build, and one line for each host
    /// setting left out (`DL_DIR`, `SSTATE_DIR`, `BB_NUMBER_THREADS`, …: they belong to the
    /// host that builds).
    pub(super) fn build_variables(
        &self,
        config: &ProjectConfig,
    ) -> (
        std::collections::BTreeMap<String, crate::model::Variable>,
        Vec<String>,
    ) {
        let mut left_out = Vec::new();
        let mut variables = config.variables.clone();
        variables.retain(|name, _| {
            let keep = self.schema().class(name) == Class::Build;
            if !keep {
                left_out.push(format!("{name}: a host setting, left out"));
            }
            keep
        });
        (variables, left_out)
    }

    pub(super) fn revision_for_export(
        &self,
        project: &str,
        revision: Option<u32>,
    ) -> Result<(Project, RevisionNumber, ProjectConfig), Error> {
        let project = self.project_for(project, Action::Project(Right::Read))?;
        let number = revision.map_or(project.head, RevisionNumber);
        let config = self
            .store()
            .revision(project.id, number)
            .map_err(|_| Error::NoRevision {
                project: project.name.clone(),
                number,
                head: project.head,
            })?
            .config;
        Ok((project, number, config))
    }

    /// Makes a project of a configuration from outside: its values checked as `config set`
    /// checks them (what fails is left out and noted, or with `strict` refused before
    /// anything is written), the project created, its git layers cloned at their commits
    /// and its included local layers placed inside it, then the configuration committed. A
    /// layer that cannot be made ready removes the new project again.
    pub(super) fn create_from_outside(
        &self,
        name: &str,
        dir: &Path,
        incoming: Incoming,
        strict: bool,
        extract: &mut dyn FnMut(&str, &Path) -> Result<(), Error>,
    ) -> Result<Imported, Error> {
        let Incoming {
            config,
            release,
            mut notes,
            description,
            included,
        } = incoming;
        let name = crate::model::Name::parse("project name", name)?;
        let mut accepted = Vec::new();
        let mut checked = self.admit(config, release, &mut notes, &mut accepted);
        notes.extend(accepted.iter().map(ToString::to_string));
        // Local layers neither included nor on this host are left out.
        checked.layers.retain(|layer| match &layer.source {
            LayerSource::Local { path } if !included.contains(&layer.name) => {
                let here = layers::read(path).is_ok();
                if !here {
                    notes.push(format!(
                        "layer {}: a local directory of the exporting host ({}), not included and not here: add it as a layer of this host",
                        layer.name,
                        path.display()
                    ));
                }
                here
            }
            _ => true,
        });
        if strict && !notes.is_empty() {
            return Err(Error::NotReproducible { notes });
        }
        let wanted = checked.layers.clone();
        checked.layers.clear();
        let project = self.create_with(
            name.clone(),
            dir,
            release,
            None,
            ProjectConfig::default(),
            description.clone(),
        )?;
        let made = self.make_layers_ready(&project, &wanted, &included, extract);
        let outcome = made.and_then(|ready| {
            checked.layers = ready;
            self.commit(name.as_str(), None, |_| {
                Ok(Some((description.clone(), None, checked.clone())))
            })
        });
        match outcome {
            Ok(_) => Ok(Imported {
                project: self.project(name.as_str())?,
                notes,
            }),
            Err(e) => {
                let _ = self.delete_project(name.as_str(), true);
                Err(e)
            }
        }
    }

    /// Clones each git layer at its commit (keeping the ref it was asked for) and places
    /// each included local layer inside the project; returns the layers, ready.
    fn make_layers_ready(
        &self,
        project: &Project,
        wanted: &[LayerRef],
        included: &[String],
        extract: &mut dyn FnMut(&str, &Path) -> Result<(), Error>,
    ) -> Result<Vec<LayerRef>, Error> {
        let mut ready: Vec<LayerRef> = Vec::new();
        for layer in wanted {
            let request = match &layer.source {
                LayerSource::Git {
                    url,
                    reference,
                    subdir,
                    commit,
                } => LayerRequest::Git {
                    url: url.clone(),
                    reference: Some(commit.clone().unwrap_or_else(|| reference.clone())),
                    subdir: subdir.clone(),
                },
                LayerSource::Local { path } if included.contains(&layer.name) => {
                    let into = project.dir.join("layers").join(&layer.name);
                    extract(&layer.name, &into)?;
                    LayerRequest::Local { path: into }
                }
                LayerSource::Local { path } => LayerRequest::Local { path: path.clone() },
            };
            let prepared = layers::prepare(
                &project.dir,
                &ready,
                &request,
                Some(&layer.name),
                project.release,
                &mut |_| {},
            )?;
            ready.push(prepared.layer);
        }
        // Prepared at their commits (so that layers of one repository share a checkout),
        // they follow the refs they were asked for.
        for (made, asked) in ready.iter_mut().zip(wanted) {
            if let (
                LayerSource::Git { reference, .. },
                LayerSource::Git {
                    reference: asked, ..
                },
            ) = (&mut made.source, &asked.source)
            {
                reference.clone_from(asked);
            }
        }
        Ok(ready)
    }

    /// `config` with what this project would refuse left out and noted: machine, distro,
    /// packages and recipes as `config set` checks them; variables by this schema (host and
    /// managed ones are not project settings) and as BitBake conf must quote them. The
    /// warnings of values kept go to `accepted`.
    pub(super) fn admit(
        &self,
        mut config: ProjectConfig,
        release: Release,
        notes: &mut Vec<String>,
        accepted: &mut Vec<super::Warning>,
    ) -> ProjectConfig {
        use crate::model::{ConfigChange, ConfigKey};
        let mut checked = ProjectConfig::default();
        for (key, value) in [
            (ConfigKey::Machine, config.machine.take()),
            (ConfigKey::Distro, config.distro.take()),
            (ConfigKey::Packages, Some(config.packages.join(" "))),
            (ConfigKey::Recipes, Some(config.recipes.join(" "))),
        ] {
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                continue;
            };
            if let Err(e) = checked.apply(&ConfigChange::Set {
                key: key.clone(),
                value,
            }) {
                notes.push(format!("{key}: left out: {e}"));
            }
        }
        config.machine = checked.machine;
        config.distro = checked.distro;
        config.packages = checked.packages;
        config.recipes = checked.recipes;
        let schema = self.schema();
        config.variables.retain(|variable, value| {
            if matches!(schema.class(variable), Class::Forbidden | Class::Managed) {
                notes.push(format!("{variable}: not a project setting, left out"));
                return false;
            }
            let checked =
                super::validation::check_variable(schema, &release, false, None, variable, value);
            match checked {
                Ok(warnings) => {
                    accepted.extend(warnings.into_iter().map(super::Warning::from));
                    true
                }
                Err(e) => {
                    notes.push(format!("{variable}: left out: {e}"));
                    false
                }
            }
        });
        config
    }
}

fn source_of(source: &LayerSource) -> BundleSource {
    match source {
        LayerSource::Git {
            url,
            reference,
            subdir,
            commit,
        } => BundleSource::Git {
            url: url.clone(),
            reference: reference.clone(),
            subdir: subdir.clone(),
            commit: commit.clone(),
        },
        LayerSource::Local { path } => BundleSource::Local {
            path: path.display().to_string(),
        },
    }
}

fn layer_source(source: &BundleSource) -> LayerSource {
    match source {
        BundleSource::Git {
            url,
            reference,
            subdir,
            commit,
        } => LayerSource::Git {
            url: url.clone(),
            reference: reference.clone(),
            subdir: subdir.clone(),
            commit: commit.clone(),
        },
        BundleSource::Local { path } => LayerSource::Local {
            path: PathBuf::from(path),
        },
    }
}

fn layer_of(layer: &BundleLayer) -> LayerRef {
    LayerRef {
        name: layer.name.clone(),
        source: layer_source(&layer.source),
        collections: layer.collections.clone(),
    }
}
