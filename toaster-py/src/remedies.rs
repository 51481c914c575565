//! Python's words for what a hint tells the user to do: `Actor.projects()` where the
//! command line says `toaster project list`, `force=True` where it says `--force`.

use toaster_core::remedy::{Remedy, Wording};

use crate::model::repr;

/// Hints worded for Python: the calls of this binding, and its keyword arguments.
pub struct PythonWords;

impl Wording for PythonWords {
    fn remedy(&self, remedy: &Remedy<'_>) -> String {
        let project_or = |p: Option<&str>| p.map_or_else(|| "PROJECT".to_owned(), repr);
        match remedy {
            Remedy::ListOwners => "Actor.owners()".to_owned(),
            Remedy::AddOwner => "Actor.add_owner(NAME)".to_owned(),
            Remedy::ChooseOwner => "act as one with `Toaster.act_as(NAME)`, or remember one for this client with `Toaster.use_owner(NAME)`".to_owned(),
            Remedy::ActAs { placeholder } => format!("Toaster.act_as({placeholder})"),
            Remedy::GrantAdmin => "Actor.set_admin(NAME)".to_owned(),
            Remedy::ListGroups => "Actor.groups()".to_owned(),
            Remedy::AddGroup => "Actor.add_group(NAME)".to_owned(),
            Remedy::AddMember { group } => format!("Actor.add_member({}, NAME)", repr(group)),
            Remedy::FirstOwner => "Toaster.init(PATH).add_first_owner(NAME)".to_owned(),
            Remedy::PointAtDatabase => "point `Toaster.open(PATH)`".to_owned(),
            Remedy::OpenDatabase => "`Toaster.open(PATH)`".to_owned(),
            Remedy::UseDatabase { path } => format!("Toaster.open({path})"),
            Remedy::ListProjects => "Actor.projects()".to_owned(),
            Remedy::CreateProject { project } => {
                format!("Actor.create_project({}, DIR)", repr(project))
            }
            Remedy::CloneProject { project } => {
                format!("Actor.clone_project({}, NEW, DIR)", repr(project))
            }
            Remedy::DeleteProject { project } => format!("Actor.delete_project({})", repr(project)),
            Remedy::Chmod => "Actor.chmod(PROJECT, MODE)".to_owned(),
            Remedy::History { project } => format!("Actor.history({})", project_or(*project)),
            Remedy::BuildTargets { project } => {
                format!("Actor.request_build({}, targets=[TARGET, ...])", repr(project))
            }
            Remedy::SetTargets { project } => {
                format!("Actor.set({}, 'targets', 'TARGET ...')", repr(project))
            }
            Remedy::Schema | Remedy::SchemaFormat => "Toaster.schema()".to_owned(),
            Remedy::ListBuilds => "Actor.builds(visibility='all')".to_owned(),
            Remedy::WatchBuild { build } => format!("Actor.wait_for_build({build})"),
            Remedy::ArchiveWithImages { build } => {
                format!("Actor.archive_build({build}, with_images=True)")
            }
            Remedy::ArchiveBuildsOf { project } => format!(
                "Actor.archive_builds(older_than='0d', project={})",
                repr(project)
            ),
            Remedy::ListTasks { build } => format!("Actor.tasks({build})"),
            Remedy::ListBuildRecipes { build } => format!("Actor.recipes({build})"),
            Remedy::ListBuildVariables { build } => format!("Actor.recorded_variables({build})"),
            Remedy::ListTokens => "Actor.tokens()".to_owned(),
            Remedy::ListBuildPackages { build } => format!("Actor.packages({build})"),
            Remedy::ListBuildImages { build } => format!("Actor.images({build})"),
            Remedy::ListImagePackages { build, target } => {
                format!("Actor.image_packages({build}, {})", repr(target))
            }
            Remedy::ListArtifacts { build } => format!("Actor.artifacts({build})"),
            Remedy::ListRecipes { project } => format!("Actor.imported_recipes({})", repr(project)),
            Remedy::ListHooks { project } => format!("Actor.hooks({})", repr(project)),
            Remedy::SetSetting { name, value } => {
                format!("Actor.set_setting({}, {})", repr(name), repr(value))
            }
            Remedy::SetBitbakePath { project } => {
                format!("Actor.set_bitbake({}, path=DIR)", repr(project))
            }
            Remedy::UpdateBitbake { project } => {
                format!("Actor.update_bitbake({})", project_or(*project))
            }
            Remedy::ExportBundle => "Actor.export_bundle".to_owned(),
            Remedy::ArchiveBuild => "Actor.archive_build".to_owned(),
            Remedy::AddLayer => "Actor.add_layer".to_owned(),
            Remedy::AddGitLayer => "Actor.add_layer(PROJECT, git=URL)".to_owned(),
            Remedy::AddLocalLayer { path } => {
                format!("Actor.add_layer(PROJECT, path={})", repr(path))
            }
            Remedy::RemoveLayer { project, name } => {
                format!("Actor.remove_layers({}, [{}])", repr(project), repr(name))
            }
            Remedy::ListLayers { project } => format!("Actor.layers({})", repr(project)),
            Remedy::UpdateLayers { project } => {
                format!("Actor.update_layers({})", project_or(*project))
            }
            Remedy::Option { name, value } => keyword(name, *value),
            // A remedy added to the core later: its command-line words say what to do.
            other => toaster_core::remedy::CommandLine.remedy(other),
        }
    }
}

/// A command-line option as the keyword argument of the Python call.
fn keyword(name: &str, value: Option<&str>) -> String {
    const SWITCHES: [&str; 6] = [
        "force",
        "strict",
        "files",
        "with-dependencies",
        "with-local-layers",
        "with-images",
    ];
    if name == "as" {
        return "Toaster.act_as(NAME)".to_owned();
    }
    let name = name.replace('-', "_");
    match value {
        Some(value) if is_placeholder(value) => format!("{name}={value}"),
        Some(value) => format!("{name}={}", repr(value)),
        None if SWITCHES.contains(&name.replace('_', "-").as_str()) => format!("{name}=True"),
        None => format!("{name}="),
    }
}

/// Whether `value` stands for what the user fills in (`NAME`, `DIR`).
fn is_placeholder(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}
