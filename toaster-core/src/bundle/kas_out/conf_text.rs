//! The project's BitBake variables and packages as conf text for kas's
//! `local_conf_header`, written as the project writes them into its own `toaster.conf`
//! (`crate::conf::generate`): `NAME = "value"` per variable in name order, then
//! `IMAGE_INSTALL:append = " a b"` for the packages, each quoted so that BitBake reads back
//! exactly the value. MACHINE and DISTRO are not in it: kas writes them itself.

use std::path::Path;

use super::error::KasOutError;
use crate::conf::{ConfFile, check_word};
use crate::model::ProjectConfig;

/// The variable the packages go to.
const PACKAGES: &str = "IMAGE_INSTALL:append";

/// The conf text, or `None` when there is nothing to write.
pub(super) fn conf_text(config: &ProjectConfig) -> Result<Option<String>, KasOutError> {
    let mut file = ConfFile::empty(Path::new("local.conf"));
    for (name, value) in &config.variables {
        file.append_variable(name, value)
            .map_err(|source| KasOutError::Variable {
                name: name.clone(),
                source,
            })?;
    }
    if !config.packages.is_empty() {
        let refuse = |source| KasOutError::Variable {
            name: PACKAGES.to_owned(),
            source,
        };
        for package in &config.packages {
            check_word(PACKAGES, package).map_err(refuse)?;
        }
        file.set(PACKAGES, &format!(" {}", config.packages.join(" ")))
            .map_err(refuse)?;
    }
    let text = file.text();
    Ok((!text.is_empty()).then_some(text))
}
