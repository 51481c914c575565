//! kas's `target` and `task` from a configuration's targets and extra recipes.
//!
//! kas has one `task` for all targets (`bitbake -c TASK TARGET…`). When every target shares
//! one task it becomes `task`; otherwise a target with its own task is written
//! `RECIPE:do_TASK`, which BitBake runs instead of `-c` for that target (`bb.cooker` reads
//! the `:do_` suffix of each target), and the others get kas's default task, `build`
//! (BitBake's default task too, unless a layer changes `BB_DEFAULT_TASK`).

use crate::model::ProjectConfig;

/// What kas builds.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Targets {
    /// `target`, in order: the targets, then the extra recipes not among them.
    pub list: Vec<String>,
    /// `task` (without `do_`), when every target shares one.
    pub task: Option<String>,
    /// Comment lines about how they were written.
    pub notes: Vec<String>,
}

/// The targets of `config`.
pub(super) fn targets(config: &ProjectConfig) -> Targets {
    let mut entries: Vec<(String, Option<&str>)> = config
        .targets
        .iter()
        .map(|t| (t.recipe.clone(), t.task.as_deref()))
        .collect();
    for recipe in &config.recipes {
        if !entries.iter().any(|(r, _)| r == recipe) {
            entries.push((recipe.clone(), None));
        }
    }
    let mut targets = Targets::default();
    let Some(&(_, first)) = entries.first() else {
        targets.notes.push(
            "The project names no targets: kas builds its default, core-image-minimal".to_owned(),
        );
        return targets;
    };
    let shared = first.filter(|_| entries.iter().all(|(_, task)| *task == first));
    match shared {
        Some(task) => {
            targets.task = Some(task.strip_prefix("do_").unwrap_or(task).to_owned());
            targets.list = entries.into_iter().map(|(recipe, _)| recipe).collect();
        }
        None => {
            if entries.iter().any(|(_, task)| task.is_some()) {
                targets.notes.push(
                    "Targets with a task of their own are written RECIPE:do_TASK: BitBake runs that task for them and kas's task (build) for the others"
                        .to_owned(),
                );
            }
            targets.list = entries
                .into_iter()
                .map(|(recipe, task)| match task {
                    Some(task) => format!("{recipe}:{task}"),
                    None => recipe,
                })
                .collect();
        }
    }
    targets
}
