//! A recipe found by walking a build's recipe dependencies, as frontends show it.

use serde::Serialize;

use crate::model::RecipeReached;

/// A recipe reached from another, as `build recipes --depends-on/--needed-by --json` prints
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipeReachedView {
    /// The recipe (`PN`).
    pub name: String,
    /// How many dependencies away (1: directly).
    pub depth: u32,
    /// The recipes on the shortest way there, ending with this one.
    pub chain: Vec<String>,
}

impl From<&RecipeReached> for RecipeReachedView {
    fn from(reached: &RecipeReached) -> RecipeReachedView {
        RecipeReachedView {
            name: reached.node.clone(),
            depth: reached.depth,
            chain: reached.chain.clone(),
        }
    }
}
