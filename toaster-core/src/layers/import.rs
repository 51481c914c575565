//! The layers of a build directory being imported: each `BBLAYERS` entry read as
//! `layer add` reads a local directory, then the whole set checked.

use std::path::PathBuf;

use super::{check_name, facts, resolve};
use crate::model::{LayerRef, LayerSource, Release};

/// The project layers for the `BBLAYERS` directories `dirs`, in the order BitBake reads
/// them, and notes on what was left out or looks wrong. A directory that is not a layer
/// (no readable `conf/layer.conf`) or whose name is taken is left out; missing
/// dependencies, cycles and release series the layers do not list are noted, not refused:
/// the build directory used the layers so.
pub fn import(dirs: &[PathBuf], release: Release) -> (Vec<LayerRef>, Vec<String>) {
    let mut layers: Vec<LayerRef> = Vec::new();
    let mut notes = Vec::new();
    for dir in dirs {
        let facts = match facts::read(dir) {
            Ok(facts) => facts,
            Err(e) => {
                notes.push(format!("layer {}: left out: {e}", dir.display()));
                continue;
            }
        };
        let name = facts.suggested_name();
        if let Err(e) = check_name(&name) {
            notes.push(format!("layer {}: left out: {e}", dir.display()));
            continue;
        }
        if let Some(there) = layers.iter().find(|l| l.name == name) {
            notes.push(format!(
                "layer {}: left out: its name `{name}` is taken by {}",
                dir.display(),
                there.source
            ));
            continue;
        }
        layers.push(LayerRef {
            name,
            source: LayerSource::Local { path: facts.dir },
            collections: facts.collections,
        });
    }
    match resolve::check_set(&layers, release) {
        Ok(plan) => {
            notes.extend(plan.warnings);
            (plan.layers, notes)
        }
        Err(e) => {
            notes.push(format!(
                "layers: kept as the build directory had them, but {e}"
            ));
            (layers, notes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::test_repos::write_layer;

    fn release() -> Release {
        Release::parse("scarthgap").unwrap()
    }

    #[test]
    fn layers_are_read_like_layer_add_and_what_fails_is_left_out_and_said() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().canonicalize().unwrap();
        let compat = |c: &str| format!("LAYERSERIES_COMPAT_{c} = \"scarthgap\"\n");
        write_layer(&top.join("meta-base"), "base", &compat("base"));
        write_layer(
            &top.join("meta-app"),
            "app",
            &(compat("app") + "LAYERDEPENDS_app = \"base\"\n"),
        );
        write_layer(&top.join("other/meta-app"), "app2", &compat("app2"));
        std::fs::create_dir_all(top.join("empty")).unwrap();
        let dirs = [
            top.join("meta-app"),
            top.join("meta-base/"),
            top.join("other/meta-app"),
            top.join("empty"),
            top.join("gone"),
        ];
        let (layers, notes) = import(&dirs, release());
        let names: Vec<&str> = layers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["meta-base", "meta-app"], "dependencies first");
        assert_eq!(layers[1].collections[0].name, "app");
        assert_eq!(
            layers[0].source,
            LayerSource::Local {
                path: top.join("meta-base")
            }
        );
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("other/meta-app: left out: its name `meta-app` is taken"));
        assert!(notes[1].contains("empty: left out") && notes[1].contains("conf/layer.conf"));
        assert!(notes[2].contains("gone: left out") && notes[2].contains("does not exist"));
    }

    #[test]
    fn problems_of_the_whole_set_are_noted_not_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().canonicalize().unwrap();
        write_layer(
            &top.join("meta-old"),
            "old",
            "LAYERSERIES_COMPAT_old = \"kirkstone\"\n",
        );
        let (layers, notes) = import(&[top.join("meta-old")], release());
        assert_eq!(layers.len(), 1);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("kirkstone") && notes[0].ends_with("(as the build directory had it)"),
            "{notes:?}"
        );

        write_layer(
            &top.join("meta-needy"),
            "needy",
            "LAYERSERIES_COMPAT_needy = \"scarthgap\"\nLAYERDEPENDS_needy = \"absent\"\n",
        );
        let (layers, notes) = import(&[top.join("meta-needy")], release());
        assert_eq!(layers.len(), 1, "kept as the build directory had it");
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("layers: kept as the build directory had them, but")
                && notes[0].contains("absent"),
            "{notes:?}"
        );
    }
}
