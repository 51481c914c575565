//! Which tasks of a build wait for which (BitBake's `tdepends`), and walks through them.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ModelError;

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

/// A task found by a walk through the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskReached {
    /// The task found.
    pub task: TaskName,
    /// How many dependencies away from where the walk started (1: directly).
    pub depth: u32,
    /// The tasks on the shortest way there, from the start (excluded) to this task
    /// (included).
    pub chain: Vec<TaskName>,
}

/// The dependencies of a build's tasks, walkable both ways. Cycles (which BitBake can
/// report) are walked once.
#[derive(Debug, Clone, Default)]
pub struct TaskGraph {
    names: Vec<TaskName>,
    index: HashMap<TaskName, usize>,
    /// For each task, the tasks it waits for.
    needs: Vec<Vec<usize>>,
    /// For each task, the tasks that wait for it.
    needed_by: Vec<Vec<usize>>,
}

impl TaskGraph {
    /// The graph of `edges` (a dependency listed twice counts once).
    pub fn new(edges: impl IntoIterator<Item = TaskEdge>) -> TaskGraph {
        let mut graph = TaskGraph::default();
        for edge in edges {
            let from = graph.node(edge.task);
            let to = graph.node(edge.depends_on);
            if !graph.needs[from].contains(&to) {
                graph.needs[from].push(to);
                graph.needed_by[to].push(from);
            }
        }
        graph
    }

    fn node(&mut self, name: TaskName) -> usize {
        if let Some(&i) = self.index.get(&name) {
            return i;
        }
        let i = self.names.len();
        self.index.insert(name.clone(), i);
        self.names.push(name);
        self.needs.push(Vec::new());
        self.needed_by.push(Vec::new());
        i
    }

    /// Whether `task` is in the graph (it waits for a task or a task waits for it).
    pub fn contains(&self, task: &TaskName) -> bool {
        self.index.contains_key(task)
    }

    /// How many dependencies the graph holds.
    pub fn len(&self) -> usize {
        self.needs.iter().map(Vec::len).sum()
    }

    /// Whether the graph holds no dependency.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tasks `task` waits for, directly or through others, nearest first.
    pub fn needed_by(&self, task: &TaskName) -> Vec<TaskReached> {
        self.walk(task, &self.needs)
    }

    /// The tasks that wait for `task`, directly or through others, nearest first.
    pub fn depending_on(&self, task: &TaskName) -> Vec<TaskReached> {
        self.walk(task, &self.needed_by)
    }

    /// A breadth-first walk from `start` along `next`: each task once, at its least depth.
    fn walk(&self, start: &TaskName, next: &[Vec<usize>]) -> Vec<TaskReached> {
        let Some(&first) = self.index.get(start) else {
            return Vec::new();
        };
        // For each task reached: the task it was reached from, and its depth.
        let mut came_from: HashMap<usize, (usize, u32)> = HashMap::new();
        let mut order = Vec::new();
        let mut queue = VecDeque::from([(first, 0u32)]);
        while let Some((at, depth)) = queue.pop_front() {
            let mut neighbours = next[at].clone();
            neighbours.sort_by(|a, b| self.names[*a].cmp(&self.names[*b]));
            for n in neighbours {
                if n == first || came_from.contains_key(&n) {
                    continue;
                }
                came_from.insert(n, (at, depth + 1));
                order.push(n);
                queue.push_back((n, depth + 1));
            }
        }
        order
            .into_iter()
            .map(|n| {
                let mut chain = vec![self.names[n].clone()];
                let mut at = n;
                while let Some(&(from, _)) = came_from.get(&at) {
                    if from == first {
                        break;
                    }
                    chain.push(self.names[from].clone());
                    at = from;
                }
                chain.reverse();
                TaskReached {
                    task: self.names[n].clone(),
                    depth: came_from[&n].1,
                    chain,
                }
            })
            .collect()
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
                (r.task.to_string(), r.depth, chain.join(" > "))
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
