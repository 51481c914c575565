//! Which tasks of a build wait for which: the recorded dependencies and walks through them.

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{BuildId, Right, TaskEdge, TaskFilter, TaskGraph, TaskName, TaskReached};

/// Which way to walk a build's task dependencies from a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskWalk {
    /// The tasks that wait for it, directly or not (`--depends-on TASK`).
    DependingOn,
    /// The tasks it waits for, directly or not (`--needed-by TASK`).
    NeededBy,
}

impl Actor {
    /// Every recorded dependency between a build's tasks, sorted (needs read).
    pub fn task_dependencies(&self, id: BuildId) -> Result<Vec<TaskEdge>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().task_dependencies(id)?)
    }

    /// The tasks reached from `task` of build `id` walking `walk`, nearest first, each with
    /// the shortest chain to it (needs read). A task the build has but whose dependencies
    /// were not recorded reaches none; a task it does not have is an error.
    pub fn task_walk(
        &self,
        id: BuildId,
        task: &TaskName,
        walk: TaskWalk,
    ) -> Result<Vec<TaskReached>, Error> {
        let graph = TaskGraph::new(self.task_dependencies(id)?);
        if !graph.contains(task) && !self.has_task(id, task)? {
            return Err(Error::NoTask {
                build: id,
                task: task.clone(),
            });
        }
        Ok(match walk {
            TaskWalk::DependingOn => graph.depending_on(task),
            TaskWalk::NeededBy => graph.needed_by(task),
        })
    }

    fn has_task(&self, id: BuildId, task: &TaskName) -> Result<bool, Error> {
        let filter = TaskFilter {
            recipe: Some(task.recipe.clone()),
            limit: u32::MAX,
            ..TaskFilter::default()
        };
        let tasks = self.store().tasks(id, &filter)?;
        Ok(tasks.iter().any(|t| t.record.task == task.task))
    }
}
