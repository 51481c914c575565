//! `toaster_rs.Actor`: an owner acting through a client; every project operation goes here.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use toaster_core::ingest::BatchPolicy;
use toaster_core::layers::{LayerRequest, Options};
use toaster_core::model::{
    ArtifactKind, AuditFilter, BuildId, ConfigChange, ConfigKey, HookAction, HookTrigger, LogLevel,
    Operator, RevisionNumber, Target, TaskFilter, TaskName, TaskOutcome, Timestamp, Visibility,
};
use toaster_core::recipes::SourceRequest;
use toaster_core::views::{
    ArtifactView, AuditView, DeliverySummaryView, DownloadView, GroupView, HookView,
    ImportedRecipeView, OwnRecipeView, PackageView, RecipeReachedView, RecipeView, TaskReachedView,
    TaskView,
};
use toaster_core::views::{CreatedTokenView, HostView, TokenView};
use toaster_core::{BuildRequest, DeliverUntil, RecipeImportRequest, TaskWalk};

use crate::builds::{Build, LayerDicts, observed};
use crate::convert::{list_to_python, to_python};
use crate::errors::{detach, to_py};
use crate::layers::Layer;
use crate::model::{ChangeOutcome, Owner, Project, Revision, repr};
use crate::recorder::unbatched;
use crate::recorder::{BackgroundRecorder, Recorder};
use toaster_core::views::{ArchivedView, BitbakeView, ImportedEventsView, SettingView};

/// An owner acting through a client.
#[pyclass(module = "toaster_rs", frozen)]
pub struct Actor {
    inner: toaster_core::Actor,
    /// Whether the database it was made from has been closed.
    closed: Arc<AtomicBool>,
}

impl Actor {
    /// An actor of a database whose `close()` sets `closed`.
    pub fn new(inner: toaster_core::Actor, closed: Arc<AtomicBool>) -> Actor {
        Actor { inner, closed }
    }

    /// Runs a core call with the GIL released, unless the database was closed.
    fn detach<T: Send>(
        &self,
        py: Python<'_>,
        call: impl FnOnce() -> Result<T, toaster_core::Error> + Send,
    ) -> PyResult<T> {
        if self.closed.load(Ordering::Acquire) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "the database this actor was made from is closed: open it again with Toaster.open(PATH) and act as the owner again",
            ));
        }
        detach(py, call)
    }

    fn change(
        &self,
        py: Python<'_>,
        project: &str,
        key: &str,
        make: impl FnOnce(ConfigKey) -> ConfigChange + Send,
        base: Option<u32>,
        strict: bool,
    ) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || {
            let change = make(ConfigKey::parse(key)?);
            self.inner
                .change_config_with(project, &[change], base.map(RevisionNumber), strict)
        })?;
        ChangeOutcome::new(py, outcome)
    }

    /// The tasks reached from `task` ("recipe:do_task") of a build walking `walk`.
    fn task_walk<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        task: &str,
        walk: TaskWalk,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let reached = self.detach(py, || {
            let task = TaskName::parse(task)?;
            self.inner.task_walk(BuildId(build_id), &task, walk)
        })?;
        list_to_python(py, reached.iter().map(TaskReachedView::from))
    }

    /// The recipes reached from `recipe` of a build walking `walk`.
    fn recipe_walk<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        recipe: &str,
        walk: TaskWalk,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let reached = self.detach(py, || {
            self.inner.recipe_walk(BuildId(build_id), recipe, walk)
        })?;
        list_to_python(py, reached.iter().map(RecipeReachedView::from))
    }
}

#[pymethods]
impl Actor {
    /// The owner acting.
    #[getter]
    fn owner(&self) -> Owner {
        Owner::from(self.inner.owner())
    }

    /// The client acted from.
    #[getter]
    fn client(&self) -> &str {
        self.inner.client()
    }

    /// Adds an owner.
    #[pyo3(signature = (name, *, email = None))]
    fn add_owner(&self, py: Python<'_>, name: &str, email: Option<&str>) -> PyResult<Owner> {
        self.detach(py, || self.inner.add_owner(name, email))
            .map(|o| Owner::from(&o))
    }

    /// Every owner, by name.
    fn owners(&self, py: Python<'_>) -> PyResult<Vec<Owner>> {
        self.detach(py, || self.inner.owners())
            .map(|all| all.iter().map(Owner::from).collect())
    }

    /// Creates a project in `dir` (new, or existing and empty) for `release`, shared with
    /// `group`.
    #[pyo3(signature = (name, dir, *, release = None, group = None))]
    fn create_project(
        &self,
        py: Python<'_>,
        name: &str,
        dir: PathBuf,
        release: Option<&str>,
        group: Option<&str>,
    ) -> PyResult<Project> {
        self.detach(py, || {
            self.inner
                .create_project(name, &dir, &toaster_core::ProjectOptions { release, group })
        })
        .map(|p| Project::from(&p))
    }

    /// Changes a project's mode, e.g. `"group=rc,others=r"`.
    fn chmod(&self, py: Python<'_>, project: &str, mode: &str) -> PyResult<Project> {
        self.detach(py, || self.inner.chmod(project, mode))
            .map(|p| Project::from(&p))
    }

    /// Gives a project to another owner.
    fn chown(&self, py: Python<'_>, project: &str, owner: &str) -> PyResult<Project> {
        self.detach(py, || self.inner.chown(project, owner))
            .map(|p| Project::from(&p))
    }

    /// Shares a project with a group, or with none.
    fn chgrp(&self, py: Python<'_>, project: &str, group: Option<&str>) -> PyResult<Project> {
        self.detach(py, || self.inner.chgrp(project, group))
            .map(|p| Project::from(&p))
    }

    /// Creates `name` in `dir` with `source`'s current configuration; git layers that could
    /// not be copied from `source`'s clones are reported as `UserWarning`s, issued after the
    /// project exists (with warnings turned into errors, it exists though the call raised).
    fn clone_project(
        &self,
        py: Python<'_>,
        source: &str,
        name: &str,
        dir: PathBuf,
    ) -> PyResult<Project> {
        let cloned = self.detach(py, || self.inner.clone_project(source, name, &dir))?;
        crate::errors::warn_each(py, &cloned.warnings)?;
        Ok(Project::from(&cloned.project))
    }

    /// Writes a project bundle (a zip) of `project` at `revision` (default: the newest) to
    /// `out`; returns a dict (`path`, `revision`, `left_out`: host settings and link files
    /// not included).
    #[pyo3(signature = (project, out, *, revision = None, with_local_layers = false))]
    fn export_bundle<'py>(
        &self,
        py: Python<'py>,
        project: &str,
        out: PathBuf,
        revision: Option<u32>,
        with_local_layers: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let exported = self.detach(py, || {
            self.inner
                .export_bundle(project, revision, with_local_layers, &out)
        })?;
        let d = PyDict::new(py);
        d.set_item("path", exported.path.display().to_string())?;
        d.set_item("revision", exported.revision.0)?;
        d.set_item("left_out", exported.left_out)?;
        Ok(d)
    }

    /// Creates project `name` in `dir` from a bundle; what could not be reproduced is
    /// issued as `UserWarning`s after the project exists (`strict=True` refuses instead).
    #[pyo3(signature = (file, *, name, dir, strict = false))]
    fn import_bundle(
        &self,
        py: Python<'_>,
        file: PathBuf,
        name: &str,
        dir: PathBuf,
        strict: bool,
    ) -> PyResult<Project> {
        let imported = self.detach(py, || self.inner.import_bundle(&file, name, &dir, strict))?;
        crate::errors::warn_all(py, "NotReproducedWarning", &imported.notes)?;
        Ok(Project::from(&imported.project))
    }

    /// `project`'s configuration as a kas project file's text (`lock=True`: its lock file).
    #[pyo3(signature = (project, *, revision = None, lock = false))]
    fn export_kas(
        &self,
        py: Python<'_>,
        project: &str,
        revision: Option<u32>,
        lock: bool,
    ) -> PyResult<String> {
        let (text, _, _) = self.detach(py, || self.inner.export_kas(project, revision, lock))?;
        Ok(text)
    }

    /// Creates project `name` in `dir` from a kas project file; what the project cannot
    /// hold is issued as `UserWarning`s after the project exists.
    #[pyo3(signature = (file, *, name, dir, release = None))]
    fn import_kas(
        &self,
        py: Python<'_>,
        file: PathBuf,
        name: &str,
        dir: PathBuf,
        release: Option<&str>,
    ) -> PyResult<Project> {
        let imported = self.detach(py, || self.inner.import_kas(&file, name, &dir, release))?;
        crate::errors::warn_all(py, "NotReproducedWarning", &imported.notes)?;
        Ok(Project::from(&imported.project))
    }

    /// Imports sources (one of `tarball` (a path or http(s) URL), `git` (with `ref`) or
    /// `path`) as a wrapper recipe into the project's own layer and adds it to the
    /// project; returns a dict (`name`, `version`, `path`, `text`, `notes`, `revision`:
    /// None for a dry run).
    #[pyo3(signature = (project, *, tarball = None, git = None, r#ref = None, path = None, name = None, version = None, add_to_image = false, dry_run = false))]
    #[allow(clippy::too_many_arguments)]
    fn import_recipe<'py>(
        &self,
        py: Python<'py>,
        project: &str,
        tarball: Option<String>,
        git: Option<String>,
        r#ref: Option<String>,
        path: Option<PathBuf>,
        name: Option<String>,
        version: Option<String>,
        add_to_image: bool,
        dry_run: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let source = match (tarball, git, path) {
            (Some(t), None, None) => SourceRequest::Tarball(t),
            (None, Some(url), None) => SourceRequest::Git {
                url,
                reference: r#ref,
            },
            (None, None, Some(dir)) => SourceRequest::Path(dir),
            _ => {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "give exactly one of tarball=, git= or path=",
                ));
            }
        };
        let request = RecipeImportRequest {
            source,
            name,
            version,
            add_to_image,
            dry_run,
        };
        let imported = self.detach(py, || {
            self.inner.import_recipe(project, &request, &mut |_, _| {})
        })?;
        to_python(py, &ImportedRecipeView::from(&imported))
    }

    /// The recipes imported into the project's own layer, as dicts (`name`, `version`,
    /// `path`, `built`).
    fn imported_recipes<'py>(
        &self,
        py: Python<'py>,
        project: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let recipes = self.detach(py, || self.inner.imported_recipes(project))?;
        list_to_python(
            py,
            recipes.iter().map(|(name, version, path, built)| {
                OwnRecipeView::new(name, version, path, *built)
            }),
        )
    }

    /// Takes an imported recipe out of the project (a revision) and deletes its file.
    fn remove_recipe(&self, py: Python<'_>, project: &str, name: &str) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.remove_recipe(project, name))?;
        ChangeOutcome::new(py, outcome)
    }

    /// The projects the actor may read, by name; with `mine=True`, only their own.
    #[pyo3(signature = (*, mine = false))]
    fn projects(&self, py: Python<'_>, mine: bool) -> PyResult<Vec<Project>> {
        self.detach(py, || self.inner.projects(mine))
            .map(|all| all.iter().map(Project::from).collect())
    }

    /// One project.
    fn project(&self, py: Python<'_>, name: &str) -> PyResult<Project> {
        self.detach(py, || self.inner.project(name))
            .map(|p| Project::from(&p))
    }

    /// Deletes a project's records, and with `files=True` its directory.
    #[pyo3(signature = (name, *, files = false))]
    fn delete_project(&self, py: Python<'_>, name: &str, files: bool) -> PyResult<Project> {
        self.detach(py, || self.inner.delete_project(name, files))
            .map(|p| Project::from(&p))
    }

    /// The newest revision (or revision `number`) of a project's configuration.
    #[pyo3(signature = (project, *, number = None))]
    fn config(&self, py: Python<'_>, project: &str, number: Option<u32>) -> PyResult<Revision> {
        self.detach(py, || match number {
            Some(n) => self.inner.revision(project, RevisionNumber(n)),
            None => self.inner.config(project),
        })
        .map(Revision::from)
    }

    /// One key's value: `machine`, `distro`, `targets`, `packages`, `recipes` or a variable.
    fn get(&self, py: Python<'_>, project: &str, key: &str) -> PyResult<Option<String>> {
        let key = ConfigKey::parse(key).map_err(|e| to_py(py, e.into()))?;
        self.detach(py, || Ok(self.inner.config(project)?.config.get(&key)))
    }

    /// Sets a key, as a new revision (none if the value is already that): written
    /// `[export] KEY OP "value"` (`op` one of `=`, `?=`, `??=`, `:=`, `+=`, `=+`, `.=`,
    /// `=.`). The value is checked against the variable's spec first; `strict=True` refuses
    /// unknown variables.
    #[pyo3(signature = (project, key, value, op = "=", *, export = false, base = None, strict = false))]
    #[allow(clippy::too_many_arguments)]
    fn set(
        &self,
        py: Python<'_>,
        project: &str,
        key: &str,
        value: String,
        op: &str,
        export: bool,
        base: Option<u32>,
        strict: bool,
    ) -> PyResult<ChangeOutcome> {
        let op = Operator::parse(op).ok_or_else(|| {
            pyo3::exceptions::PyValueError::new_err(format!(
                "unknown operator {op:?}: use =, ?=, ??=, :=, +=, =+, .= or =."
            ))
        })?;
        self.change(
            py,
            project,
            key,
            |key| ConfigChange::Assign {
                key,
                op,
                value,
                export,
            },
            base,
            strict,
        )
    }

    /// Rewrites the project's generated conf files; returns the paths that changed.
    fn write_conf(&self, py: Python<'_>, project: &str) -> PyResult<Vec<String>> {
        self.detach(py, || self.inner.write_conf(project))
            .map(|paths| paths.iter().map(|p| p.display().to_string()).collect())
    }

    /// Removes a key's value, as a new revision.
    #[pyo3(signature = (project, key, *, base = None))]
    fn unset(
        &self,
        py: Python<'_>,
        project: &str,
        key: &str,
        base: Option<u32>,
    ) -> PyResult<ChangeOutcome> {
        self.change(
            py,
            project,
            key,
            |key| ConfigChange::Unset { key },
            base,
            false,
        )
    }

    /// Adds words to a list key, as a new revision.
    #[pyo3(signature = (project, key, words, *, base = None))]
    fn add(
        &self,
        py: Python<'_>,
        project: &str,
        key: &str,
        words: Words,
        base: Option<u32>,
    ) -> PyResult<ChangeOutcome> {
        let words = words.0;
        self.change(
            py,
            project,
            key,
            |key| ConfigChange::Add { key, words },
            base,
            false,
        )
    }

    /// Removes words from a list key, as a new revision.
    #[pyo3(signature = (project, key, words, *, base = None))]
    fn remove(
        &self,
        py: Python<'_>,
        project: &str,
        key: &str,
        words: Words,
        base: Option<u32>,
    ) -> PyResult<ChangeOutcome> {
        let words = words.0;
        self.change(
            py,
            project,
            key,
            |key| ConfigChange::Remove { key, words },
            base,
            false,
        )
    }

    /// The revisions of a project, oldest first: made at or after `since` (a time such as
    /// `2026-11-27` or an age such as `7d`), the newest `limit` of them, when given.
    #[pyo3(signature = (project, *, since = None, limit = None))]
    fn history(
        &self,
        py: Python<'_>,
        project: &str,
        since: Option<&str>,
        limit: Option<usize>,
    ) -> PyResult<Vec<Revision>> {
        let since = since
            .map(|t| Timestamp::parse(t, Timestamp::now()))
            .transpose()
            .map_err(|e| to_py(py, e.into()))?;
        self.detach(py, || self.inner.history_since(project, since, limit))
            .map(|all| all.into_iter().map(Revision::from).collect())
    }

    /// What revision `rev` changed (from the one before), or what changed from `rev` to
    /// `rev2`: a dict per key (`key`, `before`, `after`).
    #[pyo3(signature = (project, rev, rev2 = None))]
    fn diff<'py>(
        &self,
        py: Python<'py>,
        project: &str,
        rev: u32,
        rev2: Option<u32>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let (_, _, differences) =
            self.detach(py, || self.inner.diff_revisions(project, rev, rev2))?;
        list_to_python(py, &differences)
    }

    /// Restores the configuration before the one in effect, as a new revision.
    fn undo(&self, py: Python<'_>, project: &str) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.undo(project))?;
        ChangeOutcome::new(py, outcome)
    }

    /// Restores revision `to`, as a new revision.
    #[pyo3(signature = (project, *, to))]
    fn revert(&self, py: Python<'_>, project: &str, to: u32) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.revert(project, RevisionNumber(to)))?;
        ChangeOutcome::new(py, outcome)
    }

    /// Restores the release defaults, as a new revision.
    fn reset(&self, py: Python<'_>, project: &str) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.reset(project))?;
        ChangeOutcome::new(py, outcome)
    }

    /// Adds a layer: `path=` a local directory, or `git=` a repository with optional `ref`
    /// and `subdir`. Missing dependencies are refused unless `with_dependencies=True`
    /// finds them in the known sources; `force=True` accepts another release series.
    #[pyo3(signature = (project, *, path = None, git = None, r#ref = None, subdir = None, name = None, with_dependencies = false, force = false))]
    #[allow(clippy::too_many_arguments)]
    fn add_layer(
        &self,
        py: Python<'_>,
        project: &str,
        path: Option<PathBuf>,
        git: Option<String>,
        r#ref: Option<String>,
        subdir: Option<String>,
        name: Option<&str>,
        with_dependencies: bool,
        force: bool,
    ) -> PyResult<ChangeOutcome> {
        let request = match (path, git) {
            (Some(path), None) if r#ref.is_none() && subdir.is_none() => {
                LayerRequest::Local { path }
            }
            (None, Some(url)) => LayerRequest::Git {
                url,
                reference: r#ref,
                subdir,
            },
            _ => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "give either path=, or git= with optional ref= and subdir=",
                ));
            }
        };
        let options = Options {
            with_dependencies,
            force,
        };
        let outcome = self.detach(py, || {
            self.inner
                .add_layer(project, &request, name, options, &mut |_| {})
        })?;
        ChangeOutcome::new(py, outcome)
    }

    /// Removes layers; refused while other layers of the project depend on them.
    fn remove_layers(
        &self,
        py: Python<'_>,
        project: &str,
        names: Vec<String>,
    ) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.remove_layers(project, &names))?;
        ChangeOutcome::new(py, outcome)
    }

    /// The project's layers, in the order BitBake reads them.
    fn layers(&self, py: Python<'_>, project: &str) -> PyResult<Vec<Layer>> {
        self.detach(py, || self.inner.layers(project))
            .map(|all| all.iter().map(Layer::from).collect())
    }

    /// The project for builds run by hand with plain `bitbake` (made on first use).
    fn command_line_project(&self, py: Python<'_>) -> PyResult<Project> {
        self.detach(py, || self.inner.command_line_project())
            .map(|p| Project::from(&p))
    }

    /// Starts recording a build of `project` on `host`, pinned to its newest configuration.
    /// A build run by hand passes what BitBake saw: `machine`, `distro`, `targets`
    /// (`"recipe"` or `"recipe:task"`), and `layers` (dicts with `name`, `source`, and
    /// optionally `reference` and `commit`); those replace the project's in the record.
    #[pyo3(signature = (project, *, host, build_dir = None, machine = None, distro = None, targets = None, layers = None))]
    #[allow(clippy::too_many_arguments)]
    fn start_build(
        &self,
        py: Python<'_>,
        project: &str,
        host: &str,
        build_dir: Option<PathBuf>,
        machine: Option<String>,
        distro: Option<String>,
        targets: Option<Vec<String>>,
        layers: Option<LayerDicts>,
    ) -> PyResult<Build> {
        let observed = observed(py, machine, distro, targets, layers)?;
        let build = self.detach(py, || {
            self.inner
                .start_observed_build(project, host, build_dir.as_deref(), &observed)
        })?;
        Ok(Build::of(&build))
    }

    /// The recipes a build used, as dicts (`name`, `version`, `layer`, `file`).
    fn recipes<'py>(&self, py: Python<'py>, build_id: i64) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let recipes = self.detach(py, || self.inner.recipes(BuildId(build_id)))?;
        list_to_python(py, recipes.iter().map(RecipeView::from))
    }

    /// The packages a build made, as dicts (`name`, `version`, `size`, `recipe`, `depends`).
    fn packages<'py>(&self, py: Python<'py>, build_id: i64) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let packages = self.detach(py, || self.inner.packages(BuildId(build_id)))?;
        list_to_python(py, packages.iter().map(PackageView::from))
    }

    /// The files of package `package` of a build, as dicts (`path`, `size`), by path.
    fn package_files<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        package: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let files = self.detach(py, || self.inner.package_files(BuildId(build_id), package))?;
        list_to_python(
            py,
            files.iter().map(toaster_core::views::PackageFileView::from),
        )
    }

    /// The images a build recorded, as dicts (`target`, `packages`, `files`, `size`), as
    /// `build files ID --json`.
    fn images<'py>(&self, py: Python<'py>, build_id: i64) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let images = self.detach(py, || self.inner.images(BuildId(build_id)))?;
        list_to_python(py, images.iter().map(toaster_core::views::ImageView::from))
    }

    /// The packages installed in image `target` of a build, as dicts (`name`, `size`,
    /// `depends`), as `build packages ID --in-image TARGET --json`.
    fn image_packages<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        target: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let installed = self.detach(py, || self.inner.image_packages(BuildId(build_id), target))?;
        list_to_python(
            py,
            installed
                .iter()
                .map(toaster_core::views::InstalledPackageView::from),
        )
    }

    /// Why `package` is in image `target` of a build: the chain of installed packages that
    /// pulled it in, as dicts (`package`, `kind`), from one nothing in the image needs.
    fn package_why<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        target: &str,
        package: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let chain = self.detach(py, || {
            self.inner.package_why(BuildId(build_id), target, package)
        })?;
        list_to_python(py, chain.iter().map(toaster_core::views::WhyHopView::from))
    }

    /// The file listing of image `target` of a build, entries at or below `under`, or the
    /// `largest` regular files, as a dict (`target`, `matched`, `total_size`, `files`).
    #[pyo3(signature = (build_id, target, *, under = None, largest = None))]
    fn image_files<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        target: &str,
        under: Option<String>,
        largest: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let query = toaster_core::model::FileQuery { under, largest };
        let listing = self.detach(py, || {
            self.inner.image_files(BuildId(build_id), target, &query)
        })?;
        to_python(
            py,
            &toaster_core::views::ImageListingView::new(target, &listing),
        )
    }

    /// The files a build made or read, as dicts (`name`, `kind`, `dir`, `path`, `size`,
    /// `sha256`), of `kind` only if given.
    #[pyo3(signature = (build_id, *, kind = None))]
    fn artifacts<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        kind: Option<&str>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let kind = kind
            .map(ArtifactKind::parse)
            .transpose()
            .map_err(|e| to_py(py, e.into()))?;
        let artifacts = self.detach(py, || self.inner.build_artifacts(BuildId(build_id), kind))?;
        list_to_python(py, artifacts.iter().map(ArtifactView::from))
    }

    /// Copies artifacts of a build by name into `into`, each checked against its recorded
    /// size and SHA-256 (one that changed is refused unless `force`); returns a dict per
    /// copy (`name`, `path`, `size`, `sha256`, `changed`, `from_archive`).
    #[pyo3(signature = (build_id, names, into, *, force = false))]
    fn download_artifacts<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        names: Vec<String>,
        into: PathBuf,
        force: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let copies = self.detach(py, || {
            self.inner
                .download_artifacts(BuildId(build_id), &names, &into, force)
        })?;
        list_to_python(py, copies.iter().map(DownloadView::from))
    }

    /// Writes a build's archive into the instance's archive directory; returns its path.
    #[pyo3(signature = (build_id, *, with_images = false))]
    fn archive_build(&self, py: Python<'_>, build_id: i64, with_images: bool) -> PyResult<String> {
        let archived = self.detach(py, || {
            self.inner.archive_build(BuildId(build_id), with_images)
        })?;
        Ok(archive_path(&archived.build))
    }

    /// Archives a build that ended if the instance archives every build (`archive.on-end`);
    /// returns the archive's path, or None.
    fn archive_on_end(&self, py: Python<'_>, build_id: i64) -> PyResult<Option<String>> {
        let archived = self.detach(py, || self.inner.archive_on_end(BuildId(build_id)))?;
        Ok(archived.map(|a| archive_path(&a.build)))
    }

    /// Imports a build archive into `project` as a new build.
    #[pyo3(signature = (file, *, project))]
    fn import_archive(&self, py: Python<'_>, file: PathBuf, project: &str) -> PyResult<Build> {
        let build = self.detach(py, || self.inner.import_archive(&file, project))?;
        Ok(Build::of(&build))
    }

    /// Removes the project's TMPDIR once its builds are archived (`force`: even if not);
    /// returns the directory removed, or None when there was none.
    #[pyo3(signature = (project, *, force = false))]
    fn clean_project(
        &self,
        py: Python<'_>,
        project: &str,
        force: bool,
    ) -> PyResult<Option<String>> {
        let report = self.detach(py, || self.inner.clean_project(project, force))?;
        Ok(report.removed.map(|p| p.display().to_string()))
    }

    /// A recorder for a build that has not ended; it writes a batch every `max_writes`
    /// writes or `max_age` seconds.
    #[pyo3(signature = (build_id, *, max_writes = 4096, max_age = 1.0))]
    fn recorder(
        &self,
        py: Python<'_>,
        build_id: i64,
        max_writes: usize,
        max_age: f64,
    ) -> PyResult<Recorder> {
        let max_age = Duration::try_from_secs_f64(max_age)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("max_age: {e}")))?;
        let policy = BatchPolicy {
            max_writes: max_writes.max(1),
            max_age,
        };
        self.detach(py, || self.inner.recorder(BuildId(build_id), policy))
            .map(Recorder::new)
    }

    /// A recorder on a thread of its own (see `BackgroundRecorder`) for a build that has
    /// not ended; each submitted batch is written in one transaction.
    fn background_recorder(&self, py: Python<'_>, build_id: i64) -> PyResult<BackgroundRecorder> {
        let recorder = self.detach(py, || self.inner.recorder(BuildId(build_id), unbatched()))?;
        let owner = self.inner.owner().name.to_string();
        BackgroundRecorder::spawn(py, recorder, owner, Vec::new())
    }

    /// Builds the actor may read, newest first; `visibility`: "visible" (default),
    /// "hidden" or "all".
    #[pyo3(signature = (project = None, *, visibility = "visible", limit = 25, offset = 0))]
    fn builds(
        &self,
        py: Python<'_>,
        project: Option<&str>,
        visibility: &str,
        limit: u32,
        offset: u32,
    ) -> PyResult<Vec<Build>> {
        let visibility = match visibility {
            "visible" => Visibility::Visible,
            "hidden" => Visibility::Hidden,
            "all" => Visibility::All,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "visibility must be \"visible\", \"hidden\" or \"all\", not {other:?}"
                )));
            }
        };
        let builds = self.detach(py, || {
            self.inner.builds(&toaster_core::BuildQuery {
                project,
                visibility,
                limit,
                offset,
            })
        })?;
        Ok(builds.iter().map(Build::of).collect())
    }

    /// Queues a build of `project`'s newest revision for a runner (`toaster runner`), with
    /// `targets` or the project's; `run_on` names the only host whose runners may take it.
    #[pyo3(signature = (project, *, targets = None, host = None, run_on = None))]
    fn request_build(
        &self,
        py: Python<'_>,
        project: &str,
        targets: Option<Vec<String>>,
        host: Option<String>,
        run_on: Option<String>,
    ) -> PyResult<Build> {
        let targets = targets
            .map(|all| all.iter().map(|t| Target::parse(t)).collect())
            .transpose()
            .map_err(|e: toaster_core::model::ModelError| to_py(py, e.into()))?;
        let request = BuildRequest {
            targets,
            host: host.unwrap_or_else(toaster_core::Toaster::host_name),
            run_on,
        };
        let build = self.detach(py, || self.inner.request_build(project, &request))?;
        Ok(Build::of(&build))
    }

    /// Cancels a build a runner runs or will run: a queued one never starts; a running one
    /// is stopped by its runner and ends cancelled.
    fn cancel_build(&self, py: Python<'_>, build_id: i64) -> PyResult<Build> {
        let build = self.detach(py, || self.inner.cancel_build(BuildId(build_id)))?;
        Ok(Build::of(&build))
    }

    /// Waits for a build to end, at most `timeout` seconds when given, and returns it as
    /// last seen (with its tasks counted; `state` says whether it ended). Python's lock is
    /// not held while waiting.
    #[pyo3(signature = (build_id, *, timeout = None))]
    fn wait_for_build(
        &self,
        py: Python<'_>,
        build_id: i64,
        timeout: Option<f64>,
    ) -> PyResult<Build> {
        let timeout = timeout
            .map(Duration::try_from_secs_f64)
            .transpose()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("timeout: {e}")))?;
        let id = BuildId(build_id);
        let detail = self.detach(py, || {
            self.inner.wait_for_build(id, timeout)?;
            self.inner.build(id)
        })?;
        Ok(Build::of_detail(&detail))
    }

    /// One build, with its tasks counted by outcome in `tasks`.
    fn build(&self, py: Python<'_>, build_id: i64) -> PyResult<Build> {
        let detail = self.detach(py, || self.inner.build(BuildId(build_id)))?;
        Ok(Build::of_detail(&detail))
    }

    /// Hides a build from listings, or shows it again.
    #[pyo3(signature = (build_id, *, hidden = true))]
    fn hide_build(&self, py: Python<'_>, build_id: i64, hidden: bool) -> PyResult<Build> {
        let build = self.detach(py, || self.inner.hide_build(BuildId(build_id), hidden))?;
        Ok(Build::of(&build))
    }

    /// Deletes every record of a build.
    fn delete_build(&self, py: Python<'_>, build_id: i64) -> PyResult<Build> {
        let build = self.detach(py, || self.inner.delete_build(BuildId(build_id)))?;
        Ok(Build::of(&build))
    }

    /// Adds a post-build hook to `project` (a new revision): fired `on` "success",
    /// "failure" or "always", doing one of: mail `email` (addresses), POST to `webhook`
    /// (signed with the secret in environment variable `secret_env`), or `run` a program
    /// (argv). Returns the change and the hook's id.
    #[pyo3(signature = (project, *, on, email = None, webhook = None, secret_env = None, run = None))]
    #[allow(clippy::too_many_arguments)]
    fn add_hook(
        &self,
        py: Python<'_>,
        project: &str,
        on: &str,
        email: Option<Vec<String>>,
        webhook: Option<String>,
        secret_env: Option<String>,
        run: Option<Vec<String>>,
    ) -> PyResult<(ChangeOutcome, u32)> {
        let (outcome, id) = self.detach(py, || {
            let on = HookTrigger::parse(on)?;
            let action = HookAction::choose(
                email.as_deref(),
                webhook.as_deref(),
                secret_env.as_deref(),
                run.as_deref(),
            )?;
            self.inner.add_hook(project, on, action)
        })?;
        Ok((ChangeOutcome::new(py, outcome)?, id))
    }

    /// Removes hook `id` from `project` (a new revision).
    fn remove_hook(&self, py: Python<'_>, project: &str, id: u32) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.remove_hook(project, id))?;
        ChangeOutcome::new(py, outcome)
    }

    /// The hooks of `project`, as dicts (`id`, `on`, `kind`, and `to`, `url` and
    /// `secret_env`, or `argv`).
    fn hooks<'py>(&self, py: Python<'py>, project: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let hooks = self.detach(py, || self.inner.hooks(project))?;
        list_to_python(py, hooks.iter().map(HookView::from))
    }

    /// Delivers the post-build hooks due (of build `build_id` only, if given) on this host,
    /// one attempt each; with `wait`, goes on until none it can make is pending, waiting
    /// for retries. Returns each attempt made as a dict (`delivery`, `build`, `hook_id`,
    /// `kind`, `state`, `attempt`, `delivered`, `status`, `detail`).
    #[pyo3(signature = (*, build_id = None, wait = false))]
    fn deliver_hooks<'py>(
        &self,
        py: Python<'py>,
        build_id: Option<i64>,
        wait: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let reports = self.detach(py, || {
            let host = toaster_core::Toaster::host_name();
            let deliverer = self.inner.deliverer(&host, build_id.map(BuildId))?;
            let until = if wait {
                DeliverUntil::Settled
            } else {
                DeliverUntil::NothingDue
            };
            let mut reports = Vec::new();
            deliverer.run(until, &mut |r| reports.push(r.delivery.clone()))?;
            Ok(reports)
        })?;
        list_to_python(py, reports.iter().map(DeliverySummaryView::from))
    }

    /// The deliveries of a build's hooks, as dicts (as `deliver_hooks` returns, for the
    /// newest attempt; `attempt` 0 when none was made).
    fn hook_deliveries<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let deliveries = self.detach(py, || self.inner.deliveries(BuildId(build_id)))?;
        list_to_python(py, deliveries.iter().map(DeliverySummaryView::from))
    }

    /// One owner by name.
    fn owner_named(&self, py: Python<'_>, name: &str) -> PyResult<Owner> {
        self.detach(py, || self.inner.owner_named(name))
            .map(|o| Owner::from(&o))
    }

    /// Renames an owner or changes their e-mail address (`email=""` clears it). Owners
    /// edit themselves; admins edit anyone.
    #[pyo3(signature = (name, *, new_name = None, email = None))]
    fn edit_owner(
        &self,
        py: Python<'_>,
        name: &str,
        new_name: Option<&str>,
        email: Option<&str>,
    ) -> PyResult<Owner> {
        self.detach(py, || {
            let edit = toaster_core::OwnerEdit {
                name: new_name,
                email,
            };
            self.inner.edit_owner(name, &edit)
        })
        .map(|o| Owner::from(&o))
    }

    /// Makes an owner an admin, or (`admin=False`) stops them being one (admins only; the
    /// last admin stays).
    #[pyo3(signature = (name, *, admin = true))]
    fn set_admin(&self, py: Python<'_>, name: &str, admin: bool) -> PyResult<Owner> {
        self.detach(py, || self.inner.set_admin(name, admin))
            .map(|o| Owner::from(&o))
    }

    /// Makes a sign-in token for `toaster serve` (`owner token create`): a dict whose
    /// `token` is the secret, shown this once (only its hash is kept).
    #[pyo3(signature = (*, name = None, expires = None))]
    fn create_token<'py>(
        &self,
        py: Python<'py>,
        name: Option<&str>,
        expires: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let made = self.detach(py, || self.inner.create_token(name, expires))?;
        to_python(py, &CreatedTokenView::from(&made))
    }

    /// The acting owner's tokens, never their secrets (`owner token list`).
    fn tokens<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let tokens = self.detach(py, || self.inner.tokens())?;
        let now = Timestamp::now();
        list_to_python(py, tokens.iter().map(|t| TokenView::at(t, now)))
    }

    /// Revokes one of the acting owner's tokens (`owner token revoke`).
    fn revoke_token<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let token = self.detach(py, || self.inner.revoke_token(name))?;
        to_python(py, &TokenView::at(&token, Timestamp::now()))
    }

    /// Makes a group (admins only).
    fn add_group<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let group = self.detach(py, || self.inner.add_group(name))?;
        to_python(py, &GroupView::from(&group))
    }

    /// Every group with its members.
    fn groups<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let groups = self.detach(py, || self.inner.groups())?;
        list_to_python(py, groups.iter().map(GroupView::from))
    }

    /// Adds an owner to a group (admins only).
    fn add_member<'py>(
        &self,
        py: Python<'py>,
        group: &str,
        owner: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let group = self.detach(py, || self.inner.set_member(group, owner, true))?;
        to_python(py, &GroupView::from(&group))
    }

    /// Removes an owner from a group (admins only).
    fn remove_member<'py>(
        &self,
        py: Python<'py>,
        group: &str,
        owner: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let group = self.detach(py, || self.inner.set_member(group, owner, false))?;
        to_python(py, &GroupView::from(&group))
    }

    /// The audit log, newest first: who changed what, when, from which client (of one
    /// `project` or `owner`, at or after `since`: a time such as `2026-11-27` or an age such
    /// as `7d`).
    #[pyo3(signature = (*, project = None, owner = None, since = None, limit = 100))]
    fn audit<'py>(
        &self,
        py: Python<'py>,
        project: Option<String>,
        owner: Option<String>,
        since: Option<&str>,
        limit: u32,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let since = since
            .map(|t| Timestamp::parse(t, Timestamp::now()))
            .transpose()
            .map_err(|e| to_py(py, e.into()))?;
        let filter = AuditFilter {
            visible_to: None,
            project,
            owner,
            since,
            limit: Some(limit),
        };
        let entries = self.detach(py, || self.inner.audit(&filter))?;
        list_to_python(py, entries.iter().map(AuditView::from))
    }

    /// Creates project `name` in `dir` from an existing build directory `source` (its
    /// conf/bblayers.conf and conf/local.conf); what a project cannot hold is issued as
    /// `NotReproducedWarning`s after the project exists.
    #[pyo3(signature = (source, *, name, dir, release = None))]
    fn import_project(
        &self,
        py: Python<'_>,
        source: PathBuf,
        name: &str,
        dir: PathBuf,
        release: Option<&str>,
    ) -> PyResult<Project> {
        let (project, notes) = self.detach(py, || {
            self.inner.import_project(name, &source, &dir, release)
        })?;
        crate::errors::warn_each(py, &notes)?;
        Ok(Project::from(&project))
    }

    /// The mode new projects get, like `owner=rcbd,group=r,others=`.
    fn default_mode(&self, py: Python<'_>) -> PyResult<String> {
        self.detach(py, || self.inner.default_mode())
            .map(|m| m.to_string())
    }

    /// Changes the mode new projects get (admins only), e.g. `"group=rcb"`; returns it.
    fn set_default_mode(&self, py: Python<'_>, mode: &str) -> PyResult<String> {
        self.detach(py, || self.inner.set_default_mode(mode))
            .map(|m| m.to_string())
    }

    /// One layer of a project.
    fn layer(&self, py: Python<'_>, project: &str, name: &str) -> PyResult<Layer> {
        self.detach(py, || self.inner.layer(project, name))
            .map(|l| Layer::from(&l))
    }

    /// Fetches the project's git layers (all, or `name` and those sharing its repository)
    /// and moves them to the newest commit of their refs, as one revision.
    #[pyo3(signature = (project, *, name = None, with_dependencies = false, force = false))]
    fn update_layers(
        &self,
        py: Python<'_>,
        project: &str,
        name: Option<&str>,
        with_dependencies: bool,
        force: bool,
    ) -> PyResult<ChangeOutcome> {
        let options = Options {
            with_dependencies,
            force,
        };
        let outcome = self.detach(py, || {
            self.inner
                .update_layers(project, name, options, &mut |_| {})
        })?;
        ChangeOutcome::new(py, outcome)
    }

    /// Where the project's builds get BitBake: `path=` a checkout used where it is, or
    /// `git=` a repository with optional `ref` and `subdir` (fetched now); a new revision.
    #[pyo3(signature = (project, *, path = None, git = None, r#ref = None, subdir = None))]
    fn set_bitbake(
        &self,
        py: Python<'_>,
        project: &str,
        path: Option<PathBuf>,
        git: Option<String>,
        r#ref: Option<String>,
        subdir: Option<String>,
    ) -> PyResult<ChangeOutcome> {
        let outcome = match (path, git) {
            (Some(path), None) if r#ref.is_none() && subdir.is_none() => {
                self.detach(py, || self.inner.set_bitbake(project, &path))?
            }
            (None, Some(url)) => self.detach(py, || {
                let git = toaster_core::BitbakeGit {
                    url: &url,
                    reference: r#ref.as_deref(),
                    subdir: subdir.as_deref(),
                };
                self.inner.set_bitbake_git(project, &git, &mut |_| {})
            })?,
            _ => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "give either path=, or git= with optional ref= and subdir=",
                ));
            }
        };
        ChangeOutcome::new(py, outcome)
    }

    /// Fetches the project's BitBake repository and moves it to the newest commit of its
    /// ref (a new revision); a local checkout is left as it is.
    fn update_bitbake(&self, py: Python<'_>, project: &str) -> PyResult<ChangeOutcome> {
        let outcome = self.detach(py, || self.inner.update_bitbake(project, &mut |_| {}))?;
        ChangeOutcome::new(py, outcome)
    }

    /// Where the project's builds get BitBake, as a dict (`kind`: "path" or "git", `path`,
    /// `url`, `reference`, `commit`), or None when none is set.
    fn bitbake<'py>(&self, py: Python<'py>, project: &str) -> PyResult<Bound<'py, PyAny>> {
        let source = self.detach(py, || self.inner.bitbake(project))?;
        to_python(py, &BitbakeView::new(project, source.as_ref()))
    }

    /// Every instance setting with its value (None when unset), default and meaning.
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let settings = self.detach(py, || self.inner.settings())?;
        list_to_python(py, settings.iter().map(SettingView::from))
    }

    /// Sets an instance setting, or clears it back to its default with `None` (admins
    /// only); returns it as `settings` does.
    fn set_setting<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        value: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let setting = self.detach(py, || self.inner.set_setting(name, value))?;
        to_python(py, &SettingView::from(&setting))
    }

    /// Every build host: alive or silent by the database's clock, its runners, the builds
    /// it runs and its settings (`host list`).
    fn build_hosts<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let hosts = self.detach(py, || self.inner.build_hosts())?;
        list_to_python(py, hosts.iter().map(HostView::from))
    }

    /// A host's settings, the variables of its `toaster-host.conf` (`host show`).
    fn host_settings<'py>(&self, py: Python<'py>, host: &str) -> PyResult<Bound<'py, PyAny>> {
        let settings = self.detach(py, || self.inner.host_settings(host))?;
        to_python(py, &settings)
    }

    /// Sets (a value) or unsets (`None`) variables of a host's `toaster-host.conf`, in one
    /// change (admins only; infrastructure variables only); returns its settings.
    fn set_host_settings<'py>(
        &self,
        py: Python<'py>,
        host: &str,
        settings: std::collections::BTreeMap<String, Option<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let changes: Vec<(String, Option<String>)> = settings.into_iter().collect();
        let settings = self.detach(py, || self.inner.set_host_settings(host, &changes))?;
        to_python(py, &settings)
    }

    /// The text of a recipe imported into the project's own layer.
    fn recipe_text(&self, py: Python<'_>, project: &str, name: &str) -> PyResult<String> {
        self.detach(py, || self.inner.recipe_text(project, name))
    }

    /// A build's tasks: those that ended as `outcome` ("succeeded", "failed", ...,
    /// or "running"), of `recipe`, in start order or longest first (`sort="elapsed"`).
    #[pyo3(signature = (build_id, *, outcome = None, recipe = None, sort = "order", limit = 100, offset = 0))]
    #[allow(clippy::too_many_arguments)]
    fn tasks<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        outcome: Option<&str>,
        recipe: Option<String>,
        sort: &str,
        limit: u32,
        offset: u32,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let outcome = match outcome {
            None => None,
            Some("running") => Some(None),
            Some(text) => Some(Some(
                TaskOutcome::parse(text).map_err(|e| to_py(py, e.into()))?,
            )),
        };
        let by_elapsed = match sort {
            "order" => false,
            "elapsed" => true,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "sort must be \"order\" or \"elapsed\", not {other:?}"
                )));
            }
        };
        let filter = TaskFilter {
            outcome,
            recipe,
            by_elapsed,
            limit,
            offset,
        };
        let tasks = self.detach(py, || self.inner.tasks(BuildId(build_id), &filter))?;
        list_to_python(py, tasks.iter().map(TaskView::from))
    }

    /// The tasks of a build that wait for `task` ("recipe:do_task"), directly or through
    /// others, nearest first, each with its depth and chain.
    fn tasks_depending_on<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        task: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.task_walk(py, build_id, task, TaskWalk::DependingOn)
    }

    /// The recipes of a build that need `recipe` at build or run time, directly or through
    /// others, nearest first, each with its depth and chain.
    fn recipes_depending_on<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        recipe: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.recipe_walk(py, build_id, recipe, TaskWalk::DependingOn)
    }

    /// The recipes of a build that `recipe` needs at build or run time, directly or through
    /// others, nearest first, each with its depth and chain.
    fn recipes_needed_by<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        recipe: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.recipe_walk(py, build_id, recipe, TaskWalk::NeededBy)
    }

    /// Which recipes of a build need which, as dicts (`recipe`, `depends_on`, `kind`:
    /// "build" or "runtime", `via`: the provided name asked for, or None).
    fn recipe_dependencies<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let edges = self.detach(py, || self.inner.recipe_dependencies(BuildId(build_id)))?;
        list_to_python(py, edges.iter())
    }

    /// What changed from build `from_id` to build `to_id`, as a dict (`from`, `to`,
    /// `settings`, `layers`, `variables`, `packages`, `images`), as `build compare --json`.
    fn compare_builds<'py>(
        &self,
        py: Python<'py>,
        from_id: i64,
        to_id: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let comparison = self.detach(py, || {
            self.inner.compare_builds(BuildId(from_id), BuildId(to_id))
        })?;
        to_python(
            py,
            &toaster_core::views::BuildComparisonView::from(&comparison),
        )
    }

    /// The variables a build recorded, sorted by name, as dicts (`name`, `value`,
    /// `unexpanded`, `history_kept`, `history_entries`), as `build variables ID --json`.
    fn recorded_variables<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let variables = self.detach(py, || self.inner.recorded_variables(BuildId(build_id)))?;
        list_to_python(
            py,
            variables
                .iter()
                .map(toaster_core::views::VariableView::from),
        )
    }

    /// One variable a build recorded, as a dict (as [`Actor::recorded_variables`]); with
    /// `history`, also its `history` (as [`Actor::variable_history`]).
    #[pyo3(signature = (build_id, name, *, history = false))]
    fn recorded_variable<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        name: &str,
        history: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = BuildId(build_id);
        let view = self.detach(py, || {
            let variable = self.inner.recorded_variable(id, name)?;
            let entries = history
                .then(|| self.inner.variable_history(id, name))
                .transpose()?;
            Ok(toaster_core::views::VariableView::new(&variable, entries))
        })?;
        to_python(py, &view)
    }

    /// The history of one variable of a build, in BitBake's order, as dicts (`operation`,
    /// `file` as Toaster shows it, `path` absolute, `line`, `flag`, `value`).
    fn variable_history<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        name: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let entries = self.detach(py, || self.inner.variable_history(BuildId(build_id), name))?;
        list_to_python(py, entries.iter())
    }

    /// The names a build's recipes provided, as dicts (`name`, `recipe`).
    fn providers<'py>(&self, py: Python<'py>, build_id: i64) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let providers = self.detach(py, || self.inner.providers(BuildId(build_id)))?;
        list_to_python(py, providers.iter())
    }

    /// The tasks of a build that `task` ("recipe:do_task") waits for, directly or through
    /// others, nearest first, each with its depth and chain.
    fn tasks_needed_by<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        task: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.task_walk(py, build_id, task, TaskWalk::NeededBy)
    }

    /// A build's log messages at `level` ("debug", "note", "warning", "error",
    /// "critical") or above.
    #[pyo3(signature = (build_id, *, level = "note"))]
    fn log<'py>(
        &self,
        py: Python<'py>,
        build_id: i64,
        level: &str,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let level = LogLevel::parse(level).map_err(|e| to_py(py, e.into()))?;
        let messages = self.detach(py, || self.inner.log_messages(BuildId(build_id), level))?;
        list_to_python(py, messages.iter())
    }

    /// Replays an event log (JSON lines written by the recorder) into a new build (of
    /// `project`, or the one the log names); returns a dict (`build`, `events`, `skipped`,
    /// `stopped`).
    #[pyo3(signature = (file, *, project = None))]
    fn import_events<'py>(
        &self,
        py: Python<'py>,
        file: PathBuf,
        project: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let report = self.detach(py, || self.inner.import_events(project, &file))?;
        to_python(py, &ImportedEventsView::from(&report))
    }

    /// Archives every build that ended before `older_than` (an age such as `30d`, or a
    /// time) and has none, of `project` only if given; one dict per build (`build`,
    /// `archive`, `files_stored`, `files_left_out`, `error`): one that fails does not stop
    /// the rest.
    #[pyo3(signature = (*, older_than, project = None, with_images = false))]
    fn archive_builds<'py>(
        &self,
        py: Python<'py>,
        older_than: &str,
        project: Option<&str>,
        with_images: bool,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let now = Timestamp::now();
        let then = Timestamp::parse(older_than, now).map_err(|e| to_py(py, e.into()))?;
        let age = Duration::from_millis(u64::try_from(now.0.saturating_sub(then.0)).unwrap_or(0));
        let results = self.detach(py, || {
            self.inner.archive_older_than(age, project, with_images)
        })?;
        list_to_python(py, results.iter().map(|(id, r)| ArchivedView::new(*id, r)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Actor(owner={}, client={})",
            repr(self.inner.owner().name.as_str()),
            repr(self.inner.client())
        )
    }
}

/// Where a build's archive is (empty when it has none).
fn archive_path(build: &toaster_core::model::Build) -> String {
    build
        .archive
        .as_ref()
        .map(|a| a.path.display().to_string())
        .unwrap_or_default()
}

/// Words of a list key: a sequence of strings, or one string as one word.
struct Words(Vec<String>);

impl<'a, 'py> FromPyObject<'a, 'py> for Words {
    type Error = PyErr;

    fn extract(object: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Words> {
        if let Ok(one) = object.extract::<String>() {
            return Ok(Words(vec![one]));
        }
        object.extract::<Vec<String>>().map(Words).map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "words must be a string (one word) or a sequence of strings",
            )
        })
    }
}
