//! Which recipes of a build need which, the names they provide, and walks through them.

use super::{Actor, TaskWalk};
use crate::Error;
use crate::access::Action;
use crate::model::{BuildId, Provider, RecipeEdge, RecipeGraph, RecipeReached, Right};

impl Actor {
    /// Every recorded dependency between a build's recipes (build and run time), sorted
    /// (needs read).
    pub fn recipe_dependencies(&self, id: BuildId) -> Result<Vec<RecipeEdge>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().recipe_dependencies(id)?)
    }

    /// The names a build's recipes provided (`virtual/kernel` by `linux-yocto`), sorted by
    /// name (needs read).
    pub fn providers(&self, id: BuildId) -> Result<Vec<Provider>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().providers(id)?)
    }

    /// The recipes reached from `recipe` of build `id` walking `walk` through both kinds of
    /// dependencies, nearest first, each with the shortest chain to it (needs read). A
    /// recipe the build used whose dependencies were not recorded reaches none; a recipe
    /// it did not use is an error.
    pub fn recipe_walk(
        &self,
        id: BuildId,
        recipe: &str,
        walk: TaskWalk,
    ) -> Result<Vec<RecipeReached>, Error> {
        let graph = RecipeGraph::new(self.recipe_dependencies(id)?);
        let name = recipe.to_owned();
        if !graph.contains(&name) && !self.store().recipes(id)?.iter().any(|r| r.name == name) {
            return Err(Error::NoBuildRecipe {
                build: id,
                recipe: name,
            });
        }
        Ok(match walk {
            TaskWalk::DependingOn => graph.depending_on(&name),
            TaskWalk::NeededBy => graph.needed_by(&name),
        })
    }
}
