//! Recipe imports through the facade: two racing on one project both land, and a failed
//! revision leaves no recipe file behind.

use super::*;
use crate::recipes::SourceRequest;

fn source(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let tree = dir.join(name);
    std::fs::create_dir_all(&tree).unwrap();
    std::fs::write(
        tree.join("meson.build"),
        format!("project('{name}', 'c', version : '1.0')\n"),
    )
    .unwrap();
    tree
}

fn request(tree: std::path::PathBuf) -> RecipeImportRequest {
    RecipeImportRequest {
        source: SourceRequest::Path(tree),
        name: None,
        version: None,
        add_to_image: false,
        dry_run: false,
    }
}

#[test]
fn two_imports_racing_on_one_project_both_land() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("toaster.sqlite");
    let toaster = Toaster::init_sqlite(&db).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    alice
        .create_project(
            "demo",
            &tmp.path().join("demo"),
            &crate::ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    let trees = [source(tmp.path(), "one"), source(tmp.path(), "two")];
    std::thread::scope(|scope| {
        for tree in &trees {
            let db = db.clone();
            scope.spawn(move || {
                let toaster = Toaster::open_sqlite(&db).unwrap();
                let alice = toaster.act_as("alice", "test").unwrap();
                alice
                    .import_recipe("demo", &request(tree.clone()), &mut |_, _| {})
                    .unwrap();
            });
        }
    });
    let config = alice.config("demo").unwrap().config;
    let mut recipes = config.recipes.clone();
    recipes.sort();
    assert_eq!(recipes, ["one", "two"]);
    assert_eq!(
        config
            .layers
            .iter()
            .filter(|l| l.name == "meta-demo")
            .count(),
        1
    );
    assert_eq!(alice.imported_recipes("demo").unwrap().len(), 2);
}

#[test]
fn a_refused_revision_leaves_no_recipe_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (toaster, alice) = super::tests::scarthgap_demo(tmp.path(), false);
    // bob may read but not configure: refused before anything is written.
    alice.add_owner("bob", None).unwrap();
    let bob = toaster.act_as("bob", "test").unwrap();
    let tree = source(tmp.path(), "three");
    assert!(
        bob.import_recipe("demo", &request(tree), &mut |_, _| {})
            .is_err()
    );
    assert!(!tmp.path().join("demo/layers/meta-demo").exists());
}
