//! Recording a runner's build with no step by the user: the recorder class written beside
//! the build, and a conf file BitBake reads after its own (`bitbake -R FILE`) that enables
//! it for this run only. The build directory's own conf files are not touched.

use std::path::{Path, PathBuf};

use super::RunnerError;
use crate::conf;
use crate::model::BuildId;

/// meta-toaster's recorder class, as this version of Toaster-rs ships it.
const CLASS: &str = include_str!("../../../meta-toaster/classes/toaster-recorder.bbclass");

/// Where the class is written, inside the build directory (a directory on `BBPATH`).
pub const CLASS_DIR: &str = "toaster-runner";

/// The conf file read after BitBake's own.
pub const CONF_FILE: &str = "conf/toaster-runner.conf";

/// Who records a build, and where.
#[derive(Debug, Clone)]
pub struct RecordingSetup<'a> {
    /// The database.
    pub database: &'a Path,
    /// The build to record into.
    pub build: BuildId,
    /// The owner the recorder acts as.
    pub owner: &'a str,
}

impl RecordingSetup<'_> {
    /// The conf file's text: every value quoted as the generated conf files quote them.
    pub fn conf(&self, build_dir: &Path) -> Result<String, RunnerError> {
        let class_dir = build_dir.join(CLASS_DIR);
        let text = |name: &str, value: &str| -> Result<String, RunnerError> {
            let quoted = conf::quote(name, value).map_err(|e| RunnerError::Conf {
                path: build_dir.join(CONF_FILE),
                source: e,
            })?;
            Ok(format!("{name} = {quoted}\n"))
        };
        let class_path = class_dir.display().to_string();
        let bbpath =
            conf::quote("BBPATH", &format!(":{class_path}")).map_err(|e| RunnerError::Conf {
                path: build_dir.join(CONF_FILE),
                source: e,
            })?;
        Ok(format!(
            "# Written by the Toaster-rs runner for build {build}: records it into its database.\n\
             # Read after bitbake.conf (bitbake -R); the build directory's conf files are unchanged.\n\
             BBPATH .= {bbpath}\n\
             INHERIT += \"toaster-recorder\"\n{}{}{}",
            text("TOASTER_DB", &self.database.display().to_string())?,
            text("TOASTER_BUILD", &self.build.to_string())?,
            text("TOASTER_OWNER", self.owner)?,
            build = self.build,
        ))
    }

    /// Writes the class and the conf file into `build_dir`; returns the conf file.
    pub fn write(&self, build_dir: &Path) -> Result<PathBuf, RunnerError> {
        let text = self.conf(build_dir)?;
        let class = build_dir
            .join(CLASS_DIR)
            .join("classes")
            .join("toaster-recorder.bbclass");
        let conf_file = build_dir.join(CONF_FILE);
        for (path, bytes) in [(&class, CLASS.as_bytes()), (&conf_file, text.as_bytes())] {
            let dir = path.parent().unwrap_or(build_dir);
            std::fs::create_dir_all(dir).map_err(|source| RunnerError::Io {
                path: dir.to_owned(),
                source,
            })?;
            conf::replace_file(path, bytes).map_err(|source| RunnerError::Conf {
                path: path.clone(),
                source,
            })?;
        }
        Ok(conf_file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_conf_file_enables_the_recorder_for_this_build_with_every_value_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("it's \"here\".sqlite");
        let setup = RecordingSetup {
            database: &database,
            build: BuildId(7),
            owner: "alice",
        };
        let conf_file = setup.write(dir.path()).unwrap();
        let text = std::fs::read_to_string(&conf_file).unwrap();
        assert!(text.contains("INHERIT += \"toaster-recorder\"\n"), "{text}");
        assert!(text.contains("TOASTER_BUILD = \"7\"\n"), "{text}");
        // BitBake's reading of the file gives back exactly the values written.
        let data = conf::evaluate(std::slice::from_ref(&conf_file)).unwrap();
        assert_eq!(
            data.get("TOASTER_DB").unwrap().as_deref(),
            database.to_str()
        );
        assert_eq!(data.get("TOASTER_OWNER").unwrap().as_deref(), Some("alice"));
        let class = dir
            .path()
            .join("toaster-runner/classes/toaster-recorder.bbclass");
        assert_eq!(std::fs::read_to_string(class).unwrap(), CLASS);
    }
}
