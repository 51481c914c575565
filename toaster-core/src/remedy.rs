//! What a hint tells the user to do, named by each frontend in its own words.
//!
//! An error's hint ([`crate::Error::hint_in`]) names remedies ("list the projects", "the
//! history of project P", "choose another directory") rather than command lines, and a
//! [`Wording`] given by the frontend names each: the `toaster` command as
//! `toaster project list`, Python as `Actor.projects()`. [`CommandLine`] is the `toaster`
//! command's wording, the one [`crate::Error::hint`] uses.

/// Something the user can do next. Fields are the values to name (a project, a build);
/// what is left for the user to fill in is written as a placeholder (`NAME`, `DIR`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Remedy<'a> {
    /// List the owners.
    ListOwners,
    /// Add an owner.
    AddOwner,
    /// Choose the owner to act as (remembered, or for one call).
    ChooseOwner,
    /// Act as another owner (`placeholder`, e.g. `ADMIN`).
    ActAs {
        /// The placeholder for the owner's name.
        placeholder: &'a str,
    },
    /// Make an owner an admin.
    GrantAdmin,
    /// List the groups.
    ListGroups,
    /// Make a group.
    AddGroup,
    /// Add an owner to `group`.
    AddMember {
        /// The group.
        group: &'a str,
    },
    /// Start a new database with its first owner.
    FirstOwner,
    /// Use another database file (a phrase: "point ... at").
    PointAtDatabase,
    /// Open an existing database.
    OpenDatabase,
    /// Use the database at `path` (a placeholder such as `COPY`).
    UseDatabase {
        /// Where it is.
        path: &'a str,
    },
    /// List the projects.
    ListProjects,
    /// Create `project` in a directory.
    CreateProject {
        /// The project.
        project: &'a str,
    },
    /// Clone `project` into a new one.
    CloneProject {
        /// The project.
        project: &'a str,
    },
    /// Delete `project`'s records.
    DeleteProject {
        /// The project.
        project: &'a str,
    },
    /// Change a project's mode.
    Chmod,
    /// List the revisions of `project` (a placeholder when `None`).
    History {
        /// The project, when known.
        project: Option<&'a str>,
    },
    /// Build targets of `project` named now.
    BuildTargets {
        /// The project.
        project: &'a str,
    },
    /// Set `project`'s targets.
    SetTargets {
        /// The project.
        project: &'a str,
    },
    /// Look up a variable's spec.
    Schema,
    /// The variable specs in the format a schema file has.
    SchemaFormat,
    /// List the builds.
    ListBuilds,
    /// Follow `build` until it ends.
    WatchBuild {
        /// The build.
        build: i64,
    },
    /// Archive `build` with its images.
    ArchiveWithImages {
        /// The build.
        build: i64,
    },
    /// Archive every ended build of `project`.
    ArchiveBuildsOf {
        /// The project.
        project: &'a str,
    },
    /// List the tasks of `build`.
    ListTasks {
        /// The build.
        build: i64,
    },
    /// List the recipes `build` used.
    ListBuildRecipes {
        /// The build.
        build: i64,
    },
    /// List the variables `build` recorded.
    ListBuildVariables {
        /// The build.
        build: i64,
    },
    /// List the acting owner's tokens.
    ListTokens,
    /// List the packages `build` made.
    ListBuildPackages {
        /// The build.
        build: i64,
    },
    /// List the images of `build`.
    ListBuildImages {
        /// The build.
        build: i64,
    },
    /// List the packages installed in image `target` of `build`.
    ListImagePackages {
        /// The build.
        build: i64,
        /// The image target.
        target: &'a str,
    },
    /// List the artifacts of `build`.
    ListArtifacts {
        /// The build.
        build: i64,
    },
    /// List the recipes imported into `project`.
    ListRecipes {
        /// The project.
        project: &'a str,
    },
    /// List the hooks of `project`.
    ListHooks {
        /// The project.
        project: &'a str,
    },
    /// Set an instance setting `name` to `value`.
    SetSetting {
        /// The setting.
        name: &'a str,
        /// An example value.
        value: &'a str,
    },
    /// Build `project` with a local BitBake checkout.
    SetBitbakePath {
        /// The project.
        project: &'a str,
    },
    /// Fetch `project`'s BitBake again (a placeholder when `None`).
    UpdateBitbake {
        /// The project, when known.
        project: Option<&'a str>,
    },
    /// Export a project as a bundle (the command).
    ExportBundle,
    /// Archive a build (the command).
    ArchiveBuild,
    /// Add a layer (the command, without its arguments).
    AddLayer,
    /// Add a layer from a git repository.
    AddGitLayer,
    /// Add a local layer from the directory `path` (a placeholder).
    AddLocalLayer {
        /// The directory.
        path: &'a str,
    },
    /// Remove layer `name` from `project`.
    RemoveLayer {
        /// The project.
        project: &'a str,
        /// The layer.
        name: &'a str,
    },
    /// List `project`'s layers.
    ListLayers {
        /// The project.
        project: &'a str,
    },
    /// Fetch `project`'s git layers again (a placeholder when `None`).
    UpdateLayers {
        /// The project, when known.
        project: Option<&'a str>,
    },
    /// An option of the call, given with `value` (a placeholder or example; none for a
    /// switch).
    Option {
        /// The option, as the command line spells it without dashes (`dir`, `force`).
        name: &'a str,
        /// Its value, if it takes one.
        value: Option<&'a str>,
    },
}

/// How a frontend names remedies in hints. A command or option is given bare (the hint puts
/// it in backticks where it wants them); a remedy that is a phrase (`ChooseOwner`,
/// `PointAtDatabase`, `OpenDatabase`) comes with its own backticks.
pub trait Wording {
    /// The words for `remedy`.
    fn remedy(&self, remedy: &Remedy<'_>) -> String;
}

/// The `toaster` command's words: `toaster project list`, `--dir DIR`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandLine;

impl Wording for CommandLine {
    fn remedy(&self, remedy: &Remedy<'_>) -> String {
        let placeholder = |p: Option<&str>| p.unwrap_or("PROJECT").to_owned();
        match remedy {
            Remedy::ListOwners => "toaster owner list".to_owned(),
            Remedy::ListTokens => "toaster owner token list".to_owned(),
            Remedy::AddOwner => "toaster owner add NAME".to_owned(),
            Remedy::ChooseOwner => {
                "choose one with `toaster owner use NAME`, or pass `--as NAME` (or set TOASTER_OWNER)".to_owned()
            }
            Remedy::ActAs { placeholder } => format!("--as {placeholder}"),
            Remedy::GrantAdmin => "toaster owner grant-admin NAME".to_owned(),
            Remedy::ListGroups => "toaster group list".to_owned(),
            Remedy::AddGroup => "toaster group add NAME".to_owned(),
            Remedy::AddMember { group } => format!("toaster group add-member {group} NAME"),
            Remedy::FirstOwner => "toaster owner add NAME".to_owned(),
            Remedy::PointAtDatabase => "point `--db` (or TOASTER_DB)".to_owned(),
            Remedy::OpenDatabase => "`--db PATH` or TOASTER_DB".to_owned(),
            Remedy::UseDatabase { path } => format!("--db {path}"),
            Remedy::ListProjects => "toaster project list".to_owned(),
            Remedy::CreateProject { project } => {
                format!("toaster project create {project} --dir DIR")
            }
            Remedy::CloneProject { project } => {
                format!("toaster project clone {project} NEW --dir DIR")
            }
            Remedy::DeleteProject { project } => format!("toaster project delete {project}"),
            Remedy::Chmod => "toaster project chmod".to_owned(),
            Remedy::History { project } => {
                format!("toaster project history {}", placeholder(*project))
            }
            Remedy::BuildTargets { project } => format!("toaster build start {project} TARGET..."),
            Remedy::SetTargets { project } => {
                format!("toaster config set {project} targets TARGET...")
            }
            Remedy::Schema => "toaster config schema".to_owned(),
            Remedy::SchemaFormat => "toaster config schema --json".to_owned(),
            Remedy::ListBuilds => "toaster build list --all".to_owned(),
            Remedy::WatchBuild { build } => format!("toaster build watch {build}"),
            Remedy::ArchiveWithImages { build } => {
                format!("toaster build archive {build} --with-images")
            }
            Remedy::ArchiveBuildsOf { project } => {
                format!("toaster build archive --older-than 0d --project {project}")
            }
            Remedy::ListTasks { build } => format!("toaster build tasks {build}"),
            Remedy::ListBuildRecipes { build } => format!("toaster build recipes {build}"),
            Remedy::ListBuildVariables { build } => format!("toaster build variables {build}"),
            Remedy::ListBuildPackages { build } => format!("toaster build packages {build}"),
            Remedy::ListBuildImages { build } => format!("toaster build files {build}"),
            Remedy::ListImagePackages { build, target } => {
                format!("toaster build packages {build} --in-image {target}")
            }
            Remedy::ListArtifacts { build } => format!("toaster build artifacts {build}"),
            Remedy::ListRecipes { project } => format!("toaster recipe list {project}"),
            Remedy::ListHooks { project } => format!("toaster hook list {project}"),
            Remedy::SetSetting { name, value } => format!("toaster settings set {name} {value}"),
            Remedy::SetBitbakePath { project } => format!("toaster bitbake set {project} --path DIR"),
            Remedy::UpdateBitbake { project } => {
                format!("toaster bitbake update {}", placeholder(*project))
            }
            Remedy::ExportBundle => "toaster project export".to_owned(),
            Remedy::ArchiveBuild => "toaster build archive".to_owned(),
            Remedy::AddLayer => "toaster layer add".to_owned(),
            Remedy::AddGitLayer => "toaster layer add --git".to_owned(),
            Remedy::AddLocalLayer { path } => format!("toaster layer add PROJECT --path {path}"),
            Remedy::RemoveLayer { project, name } => format!("toaster layer remove {project} {name}"),
            Remedy::ListLayers { project } => format!("toaster layer list {project}"),
            Remedy::UpdateLayers { project } => {
                format!("toaster layer update {}", placeholder(*project))
            }
            Remedy::Option { name, value } => match value {
                Some(value) => format!("--{name} {value}"),
                None => format!("--{name}"),
            },
        }
    }
}

/// The words of an option of the call (`--dir`, `--force`) in a hint.
pub fn option<'a>(name: &'a str) -> Remedy<'a> {
    Remedy::Option { name, value: None }
}

/// The words of an option of the call with a value (`--project NAME`) in a hint.
pub fn option_with<'a>(name: &'a str, value: &'a str) -> Remedy<'a> {
    Remedy::Option {
        name,
        value: Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use crate::store::StoreError;

    /// A wording that shows which remedy a hint names.
    struct Names;

    impl Wording for Names {
        fn remedy(&self, remedy: &Remedy<'_>) -> String {
            format!("<{remedy:?}>")
        }
    }

    #[test]
    fn a_hint_names_its_remedy_in_the_words_it_is_given() {
        let missing = Error::from(StoreError::NotFound {
            entity: "project",
            key: "demo".to_owned(),
        });
        assert_eq!(
            missing.hint().as_deref(),
            Some("`toaster project list` shows the projects")
        );
        assert_eq!(
            missing.hint_in(&Names).as_deref(),
            Some("`<ListProjects>` shows the projects")
        );
        let no_recipe = Error::NoRecipe {
            project: "demo".to_owned(),
            name: "hello".to_owned(),
        };
        assert_eq!(
            no_recipe.hint_in(&Names).as_deref(),
            Some("`<ListRecipes { project: \"demo\" }>` lists the imported recipes")
        );
    }

    #[test]
    fn options_are_spelled_as_the_command_line_spells_them() {
        assert_eq!(CommandLine.remedy(&option("force")), "--force");
        assert_eq!(
            CommandLine.remedy(&option_with("project", "NAME")),
            "--project NAME"
        );
    }
}
