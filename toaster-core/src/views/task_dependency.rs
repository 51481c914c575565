//! A task found by walking a build's task dependencies, as frontends show it.

use serde::Serialize;

use crate::model::TaskReached;

/// A task reached from another, as `build tasks --depends-on/--needed-by --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskReachedView {
    /// The task, as `recipe:task`.
    pub name: String,
    /// Its recipe.
    pub recipe: String,
    /// The task (`do_compile`).
    pub task: String,
    /// How many dependencies away (1: directly).
    pub depth: u32,
    /// The tasks on the shortest way there, as `recipe:task`, ending with this one.
    pub chain: Vec<String>,
}

impl From<&TaskReached> for TaskReachedView {
    fn from(reached: &TaskReached) -> TaskReachedView {
        TaskReachedView {
            name: reached.node.to_string(),
            recipe: reached.node.recipe.clone(),
            task: reached.node.task.clone(),
            depth: reached.depth,
            chain: reached.chain.iter().map(ToString::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TaskName;

    #[test]
    fn names_are_recipe_colon_task() {
        let reached = TaskReached {
            node: TaskName::new("mc:arm:zlib", "do_compile"),
            depth: 2,
            chain: vec![
                TaskName::new("zlib", "do_configure"),
                TaskName::new("mc:arm:zlib", "do_compile"),
            ],
        };
        let json = serde_json::to_value(TaskReachedView::from(&reached)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "mc:arm:zlib:do_compile", "recipe": "mc:arm:zlib",
                "task": "do_compile", "depth": 2,
                "chain": ["zlib:do_configure", "mc:arm:zlib:do_compile"]})
        );
    }
}
