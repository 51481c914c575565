//! `toaster build tasks ID --depends-on TASK | --needed-by TASK` and `toaster build recipes
//! ID [--depends-on RECIPE | --needed-by RECIPE]`: a build's recipes and walks through its
//! task and recipe dependencies.

use toaster_core::model::{BuildId, TaskName};
use toaster_core::views::{RecipeReachedView, RecipeView, TaskReachedView};
use toaster_core::{Actor, TaskWalk};

use super::Outcome;
use crate::output::{Output, table};

/// Prints the tasks reached from `task` (`recipe:do_task`) of build `id` walking `walk`,
/// nearest first, each with its depth and the chain that leads to it.
pub fn tasks(out: &Output, actor: &Actor, id: BuildId, task: &str, walk: TaskWalk) -> Outcome {
    let task = TaskName::parse(task).map_err(toaster_core::Error::from)?;
    let views: Vec<TaskReachedView> = actor
        .task_walk(id, &task, walk)?
        .iter()
        .map(TaskReachedView::from)
        .collect();
    out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|t| {
                let mut chain = vec![task.to_string()];
                chain.extend(t.chain.iter().cloned());
                let arrow = match walk {
                    TaskWalk::NeededBy => " -> ",
                    TaskWalk::DependingOn => " <- ",
                };
                vec![t.depth.to_string(), t.name.clone(), chain.join(arrow)]
            })
            .collect();
        table(w, &["DEPTH", "TASK", "CHAIN"], &rows)
    })?;
    Ok(())
}

/// Prints the recipes build `id` used or, with `walk`, the recipes reached from a recipe
/// through build and run-time dependencies, nearest first, with depth and chain.
pub fn recipes(
    out: &Output,
    actor: &Actor,
    id: BuildId,
    walk: Option<(String, TaskWalk)>,
) -> Outcome {
    let Some((recipe, walk)) = walk else {
        let views: Vec<RecipeView> = actor.recipes(id)?.iter().map(RecipeView::from).collect();
        out.emit(&views, |w| {
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|r| {
                    let licence = r.licence.clone().unwrap_or_else(|| "-".to_owned());
                    vec![r.name.clone(), r.version.clone(), r.layer.clone(), licence]
                })
                .collect();
            table(w, &["RECIPE", "VERSION", "LAYER", "LICENCE"], &rows)
        })?;
        return Ok(());
    };
    let views: Vec<RecipeReachedView> = actor
        .recipe_walk(id, &recipe, walk)?
        .iter()
        .map(RecipeReachedView::from)
        .collect();
    out.emit(&views, |w| {
        let arrow = match walk {
            TaskWalk::NeededBy => " -> ",
            TaskWalk::DependingOn => " <- ",
        };
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|r| {
                let mut chain = vec![recipe.clone()];
                chain.extend(r.chain.iter().cloned());
                vec![r.depth.to_string(), r.name.clone(), chain.join(arrow)]
            })
            .collect();
        table(w, &["DEPTH", "RECIPE", "CHAIN"], &rows)
    })?;
    Ok(())
}
