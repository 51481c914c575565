//! A graph of dependencies between named things of a build (tasks, recipes), walkable both
//! ways, nearest first, with the shortest chain to each thing reached.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

use serde::Serialize;

/// A thing found by a walk through a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reached<N> {
    /// The thing found.
    pub node: N,
    /// How many dependencies away from where the walk started (1: directly).
    pub depth: u32,
    /// The things on the shortest way there, from the start (excluded) to this one
    /// (included).
    pub chain: Vec<N>,
}

/// Dependencies between things: which waits for which. Cycles (which BitBake can report)
/// are walked once.
#[derive(Debug, Clone)]
pub struct DependencyGraph<N> {
    names: Vec<N>,
    index: HashMap<N, usize>,
    /// For each thing, the things it waits for.
    needs: Vec<Vec<usize>>,
    /// For each thing, the things that wait for it.
    needed_by: Vec<Vec<usize>>,
}

impl<N: Clone + Eq + Hash + Ord> DependencyGraph<N> {
    /// The graph of `edges`, each (what waits, what it waits for); an edge listed twice
    /// counts once.
    pub fn new<E: Into<(N, N)>>(edges: impl IntoIterator<Item = E>) -> DependencyGraph<N> {
        let mut graph = DependencyGraph {
            names: Vec::new(),
            index: HashMap::new(),
            needs: Vec::new(),
            needed_by: Vec::new(),
        };
        for edge in edges {
            let (waits, on) = edge.into();
            let from = graph.node(waits);
            let to = graph.node(on);
            if !graph.needs[from].contains(&to) {
                graph.needs[from].push(to);
                graph.needed_by[to].push(from);
            }
        }
        graph
    }

    fn node(&mut self, name: N) -> usize {
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

    /// Whether `name` is in the graph (it waits for something or something waits for it).
    pub fn contains(&self, name: &N) -> bool {
        self.index.contains_key(name)
    }

    /// How many dependencies the graph holds.
    pub fn len(&self) -> usize {
        self.needs.iter().map(Vec::len).sum()
    }

    /// Whether the graph holds no dependency.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The things `name` waits for, directly or through others, nearest first.
    pub fn needed_by(&self, name: &N) -> Vec<Reached<N>> {
        self.walk(name, &self.needs)
    }

    /// The things that wait for `name`, directly or through others, nearest first.
    pub fn depending_on(&self, name: &N) -> Vec<Reached<N>> {
        self.walk(name, &self.needed_by)
    }

    /// A breadth-first walk from `start` along `next`: each thing once, at its least depth.
    fn walk(&self, start: &N, next: &[Vec<usize>]) -> Vec<Reached<N>> {
        let Some(&first) = self.index.get(start) else {
            return Vec::new();
        };
        // For each thing reached: the thing it was reached from, and its depth.
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
                Reached {
                    node: self.names[n].clone(),
                    depth: came_from[&n].1,
                    chain,
                }
            })
            .collect()
    }
}
