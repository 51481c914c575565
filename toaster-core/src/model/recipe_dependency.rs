//! Which recipes of a build need which (BitBake's `DEPENDS` and the run-time dependencies
//! of each recipe's packages), and which recipe provides each virtual name.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ModelError;
use super::dependency_graph::{DependencyGraph, Reached};

/// Whether a recipe is needed to build another or to run what it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DependencyKind {
    /// At build time (`DEPENDS`).
    Build,
    /// At run time (`RDEPENDS` of its packages, BitBake's `rdepends-pn`).
    Runtime,
}

impl DependencyKind {
    /// Its stored and printed name: `build` or `runtime`.
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyKind::Build => "build",
            DependencyKind::Runtime => "runtime",
        }
    }

    /// Reads `build` or `runtime`.
    pub fn parse(text: &str) -> Result<DependencyKind, ModelError> {
        match text {
            "build" => Ok(DependencyKind::Build),
            "runtime" => Ok(DependencyKind::Runtime),
            _ => Err(ModelError::invalid(
                "dependency kind",
                text,
                "it is neither build nor runtime",
                "use build (DEPENDS) or runtime (RDEPENDS)",
            )),
        }
    }
}

impl fmt::Display for DependencyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One recipe another needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecipeDependency {
    /// The recipe needed (`linux-yocto`).
    pub recipe: String,
    /// The name it was asked for by when that is a name it provides (`virtual/kernel`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// One recipe and the recipes it needs of one kind, as a recorder writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipeDependencies {
    /// The recipe that needs them.
    pub recipe: String,
    /// Build or run time.
    pub kind: DependencyKind,
    /// The recipes it needs.
    pub depends: Vec<RecipeDependency>,
}

/// A name a recipe provides in a build (`virtual/kernel` by `linux-yocto`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Provider {
    /// The name provided.
    pub name: String,
    /// The recipe the build chose for it.
    pub recipe: String,
}

/// One recipe dependency as stored: `recipe` needs `depends_on`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecipeEdge {
    /// The recipe that needs another.
    pub recipe: String,
    /// The recipe it needs.
    pub depends_on: String,
    /// Build or run time.
    pub kind: DependencyKind,
    /// The provided name it was asked for by, if any.
    pub via: Option<String>,
}

impl RecipeDependencies {
    /// Stored edges (sorted by recipe, as [`crate::store::Store::recipe_dependencies`]
    /// returns them) as one write per recipe and kind.
    pub fn from_edges(edges: impl IntoIterator<Item = RecipeEdge>) -> Vec<RecipeDependencies> {
        let mut grouped: Vec<RecipeDependencies> = Vec::new();
        for edge in edges {
            let needed = RecipeDependency {
                recipe: edge.depends_on,
                via: edge.via,
            };
            match grouped.last_mut() {
                Some(last) if last.recipe == edge.recipe && last.kind == edge.kind => {
                    last.depends.push(needed)
                }
                _ => grouped.push(RecipeDependencies {
                    recipe: edge.recipe,
                    kind: edge.kind,
                    depends: vec![needed],
                }),
            }
        }
        grouped
    }
}

impl From<RecipeEdge> for (String, String) {
    fn from(edge: RecipeEdge) -> (String, String) {
        (edge.recipe, edge.depends_on)
    }
}

/// A recipe found by a walk through a build's recipe dependencies.
pub type RecipeReached = Reached<String>;

/// The dependencies of a build's recipes (both kinds), walkable both ways.
pub type RecipeGraph = DependencyGraph<String>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_what_they_print() {
        for kind in [DependencyKind::Build, DependencyKind::Runtime] {
            assert_eq!(DependencyKind::parse(kind.as_str()).unwrap(), kind);
        }
        let e = DependencyKind::parse("rdepends").unwrap_err().to_string();
        assert!(e.contains("build") && e.contains("runtime"), "{e}");
    }

    #[test]
    fn walks_through_both_kinds_of_dependencies() {
        let edge = |recipe: &str, on: &str, kind| RecipeEdge {
            recipe: recipe.into(),
            depends_on: on.into(),
            kind,
            via: None,
        };
        let graph = RecipeGraph::new([
            edge("image", "busybox", DependencyKind::Runtime),
            edge("busybox", "glibc", DependencyKind::Build),
            edge("busybox", "glibc", DependencyKind::Runtime),
        ]);
        assert_eq!(graph.len(), 2, "one edge per pair of recipes");
        let reached = graph.needed_by(&"image".to_owned());
        let found: Vec<(&str, u32)> = reached.iter().map(|r| (r.node.as_str(), r.depth)).collect();
        assert_eq!(found, [("busybox", 1), ("glibc", 2)]);
        assert_eq!(reached[1].chain, ["busybox", "glibc"]);
    }
}
