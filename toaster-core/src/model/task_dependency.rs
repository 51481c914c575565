//! Which tasks of a build wait for which (BitBake's `tdepends`), and walks through them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ModelError;
use super::dependency_graph::{DependencyGraph, Reached};

/// A task of a build by name: its recipe and the task (`busybox:do_compile`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskName {
    /// The recipe (`busybox`, `mc:arm:busybox`).
    pub recipe: String,
    /// The task (`do_compile`).
    pub task: String,
}

impl TaskName {
    /// A name from its parts.
    pub fn new(recipe: impl Into<String>, task: impl Into<String>) -> TaskName {
        TaskName {
            recipe: recipe.into(),
            task: task.into(),
        }
    }

    /// Reads `recipe:task` (split at the last `:`, so a multiconfig recipe `mc:arm:busybox`
    /// keeps its prefix).
    pub fn parse(text: &str) -> Result<TaskName, ModelError> {
        match text.rsplit_once(':') {
            Some((recipe, task)) if !recipe.is_empty() && !task.is_empty() => {
                Ok(TaskName::new(recipe, task))
            }
            _ => Err(ModelError::invalid(
                "task name",
                text,
                "it is not RECIPE:TASK",
                "name the task as its recipe and task, e.g. busybox:do_compile",
            )),
        }
    }
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.recipe, self.task)
    }
}

/// One task and the tasks it waits for, as a recorder writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDependencies {
    /// The recipe of the task that waits.
    pub recipe: String,
    /// The task that waits.
    pub task: String,
    /// The tasks it waits for.
    pub depends: Vec<TaskName>,
}

/// One dependency as stored: `task` waits for `depends_on`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskEdge {
    /// The task that waits.
    pub task: TaskName,
    /// The task it waits for.
    pub depends_on: TaskName,
}

/// A task found by a walk through a build's task dependencies.
pub type TaskReached = Reached<TaskName>;

/// The dependencies of a build's tasks, walkable both ways.
pub type TaskGraph = DependencyGraph<TaskName>;

impl TaskDependencies {
    /// Stored edges (sorted by task, as [`crate::store::Store::task_dependencies`] returns
    /// them) as one write per waiting task.
    pub fn from_edges(edges: impl IntoIterator<Item = TaskEdge>) -> Vec<TaskDependencies> {
        let mut grouped: Vec<TaskDependencies> = Vec::new();
        for edge in edges {
            match grouped.last_mut() {
                Some(last) if last.recipe == edge.task.recipe && last.task == edge.task.task => {
                    last.depends.push(edge.depends_on)
                }
                _ => grouped.push(TaskDependencies {
                    recipe: edge.task.recipe,
                    task: edge.task.task,
                    depends: vec![edge.depends_on],
                }),
            }
        }
        grouped
    }
}

impl From<TaskEdge> for (TaskName, TaskName) {
    fn from(edge: TaskEdge) -> (TaskName, TaskName) {
        (edge.task, edge.depends_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(task: &str, on: &str) -> TaskEdge {
        TaskEdge {
            task: TaskName::parse(task).unwrap(),
            depends_on: TaskName::parse(on).unwrap(),
        }
    }

    fn names(reached: &[TaskReached]) -> Vec<(String, u32, String)> {
        reached
            .iter()
            .map(|r| {
                let chain: Vec<String> = r.chain.iter().map(ToString::to_string).collect();
                (r.node.to_string(), r.depth, chain.join(" > "))
            })
            .collect()
    }

    #[test]
    fn names_split_at_the_last_colon() {
        let name = TaskName::parse("mc:arm:busybox:do_compile").unwrap();
        assert_eq!(
            (name.recipe.as_str(), name.task.as_str()),
            ("mc:arm:busybox", "do_compile")
        );
        assert_eq!(name.to_string(), "mc:arm:busybox:do_compile");
        for bad in ["busybox", ":do_compile", "busybox:", ""] {
            let e = TaskName::parse(bad).unwrap_err().to_string();
            assert!(
                e.contains("RECIPE:TASK") && e.contains("busybox:do_compile"),
                "{e}"
            );
        }
    }

    #[test]
    fn walks_both_ways_with_chains_and_depths() {
        let graph = TaskGraph::new([
            edge("image:do_rootfs", "busybox:do_package"),
            edge("busybox:do_package", "busybox:do_compile"),
            edge("busybox:do_compile", "glibc:do_populate_sysroot"),
            edge("image:do_rootfs", "glibc:do_populate_sysroot"),
            edge("image:do_rootfs", "busybox:do_package"),
        ]);
        assert_eq!(graph.len(), 4);
        assert_eq!(
            names(&graph.needed_by(&TaskName::parse("image:do_rootfs").unwrap())),
            [
                ("busybox:do_package".into(), 1, "busybox:do_package".into()),
                (
                    "glibc:do_populate_sysroot".into(),
                    1,
                    "glibc:do_populate_sysroot".into()
                ),
                (
                    "busybox:do_compile".into(),
                    2,
                    "busybox:do_package > busybox:do_compile".into()
                ),
            ]
        );
        let users = graph.depending_on(&TaskName::parse("busybox:do_compile").unwrap());
        assert_eq!(
            names(&users),
            [
                ("busybox:do_package".into(), 1, "busybox:do_package".into()),
                (
                    "image:do_rootfs".into(),
                    2,
                    "busybox:do_package > image:do_rootfs".into()
                ),
            ]
        );
        assert!(
            graph
                .needed_by(&TaskName::new("nothing", "do_it"))
                .is_empty()
        );
    }

    #[test]
    fn cycles_are_walked_once() {
        let graph = TaskGraph::new([
            edge("a:do_x", "b:do_x"),
            edge("b:do_x", "c:do_x"),
            edge("c:do_x", "a:do_x"),
        ]);
        let reached = graph.needed_by(&TaskName::parse("a:do_x").unwrap());
        assert_eq!(
            names(&reached),
            [
                ("b:do_x".into(), 1, "b:do_x".into()),
                ("c:do_x".into(), 2, "b:do_x > c:do_x".into()),
            ]
        );
    }
}
