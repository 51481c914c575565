//! `toaster build tasks ID --depends-on TASK | --needed-by TASK`: walks through a build's
//! task dependencies.

use toaster_core::model::{BuildId, TaskName};
use toaster_core::views::TaskReachedView;
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
