//! Two builds compared: what changed in their settings, layers, variables, packages and
//! images.

use std::collections::BTreeMap;

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{BuildComparison, BuildId, ComparedBuild, Right};

impl Actor {
    /// What changed from build `from` to build `to` (needs read on both): machine, distro,
    /// targets, layers and their commits, the variables each recorded, packages added,
    /// removed or at another version or size, and image sizes.
    pub fn compare_builds(&self, from: BuildId, to: BuildId) -> Result<BuildComparison, Error> {
        let (a, _) = self.build_for(from, Action::Project(Right::Read))?;
        let (b, _) = self.build_for(to, Action::Project(Right::Read))?;
        let (va, vb) = (self.variable_values(from)?, self.variable_values(to)?);
        let (pa, pb) = (self.store().packages(from)?, self.store().packages(to)?);
        let (ia, ib) = (self.image_sizes(from)?, self.image_sizes(to)?);
        let side = |build, variables, packages, images| ComparedBuild {
            build,
            variables,
            packages,
            images,
        };
        Ok(BuildComparison::new(
            side(&a, &va, &pa, &ia),
            side(&b, &vb, &pb, &ib),
        ))
    }

    /// The value of each variable a build recorded as set, by name.
    fn variable_values(&self, id: BuildId) -> Result<BTreeMap<String, String>, Error> {
        Ok(self
            .store()
            .variables(id)?
            .into_iter()
            .filter_map(|v| Some((v.record.name, v.record.value?)))
            .collect())
    }
}
