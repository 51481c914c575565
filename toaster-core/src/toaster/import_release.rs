//! The release series of a build directory being imported: the one its core layer says it
//! belongs to (see [`layers::core_series`]), unless one is asked for.

use std::path::PathBuf;

use super::Warning;
use crate::layers;
use crate::model::Release;

/// The series a project imported from a build directory whose `BBLAYERS` are `layer_dirs`
/// builds: `asked` when given (with a warning when the core layer says another), else the
/// core layer's; [`Release::DEFAULT`] with a warning when neither is known.
pub(super) fn release(asked: Option<Release>, layer_dirs: &[PathBuf]) -> (Release, Vec<Warning>) {
    let found = layers::core_series(layer_dirs);
    let warn = |message: String| vec![Warning::Release { message }];
    let Some(core) = found else {
        return match asked {
            Some(asked) => (asked, Vec::new()),
            None => (
                Release::DEFAULT,
                warn(format!(
                    "no layer of the build directory declares collection `core` with its series, so the project builds {} (the newest stable series); name the series to build another",
                    Release::DEFAULT
                )),
            ),
        };
    };
    let said = format!(
        "the core layer says {} = \"{}\" ({})",
        core.variable,
        core.series,
        core.layer_conf.display()
    );
    match (asked, Release::parse(&core.series)) {
        (Some(asked), Ok(series)) if asked == series => (asked, Vec::new()),
        (Some(asked), _) => (
            asked,
            warn(format!(
                "the project builds {asked} as asked, but {said}: its layers may not build with {asked}"
            )),
        ),
        (None, Ok(series)) => (series, Vec::new()),
        (None, Err(_)) => (
            Release::DEFAULT,
            warn(format!(
                "{said}, a series Toaster does not know, so the project builds {}; name one of Toaster's series to build another",
                Release::DEFAULT
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::test_repos::write_layer;

    fn series(name: &str) -> Release {
        Release::parse(name).unwrap()
    }

    #[test]
    fn the_core_layer_decides_unless_a_series_is_asked_for() {
        let tmp = tempfile::tempdir().unwrap();
        let core = tmp.path().join("meta");
        write_layer(&core, "core", "LAYERSERIES_CORENAMES = \"scarthgap\"\n");
        let dirs = [core.clone()];
        assert_eq!(release(None, &dirs), (series("scarthgap"), Vec::new()));
        assert_eq!(
            release(Some(series("scarthgap")), &dirs),
            (series("scarthgap"), Vec::new())
        );
        let (chosen, warnings) = release(Some(series("kirkstone")), &dirs);
        assert_eq!(chosen, series("kirkstone"));
        assert_eq!(warnings[0].kind(), "release");
        assert!(
            warnings[0].to_string().starts_with(
                "the project builds kirkstone as asked, but the core layer says LAYERSERIES_CORENAMES = \"scarthgap\""
            ),
            "{warnings:?}"
        );

        write_layer(&core, "core", "LAYERSERIES_COMPAT_core = \"zebrafish\"\n");
        let (chosen, warnings) = release(None, &dirs);
        assert_eq!(chosen, Release::DEFAULT);
        assert!(
            warnings[0].to_string().contains("\"zebrafish\"")
                && warnings[0]
                    .to_string()
                    .contains("a series Toaster does not know"),
            "{warnings:?}"
        );

        let (chosen, warnings) = release(None, &[]);
        assert_eq!(chosen, Release::DEFAULT);
        assert!(
            warnings[0]
                .to_string()
                .starts_with("no layer of the build directory declares collection `core`")
        );
        assert_eq!(
            release(Some(series("styhead")), &[]),
            (series("styhead"), Vec::new())
        );
    }
}
