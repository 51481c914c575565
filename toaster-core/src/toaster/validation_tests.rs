//! The checks against the project's layers, through the facade, with real layer
//! directories: a project imported from a build directory whose layers are all on disk, and
//! a new project whose git layers are not fetched yet.

use std::fs;
use std::path::Path;

use crate::layers::test_repos::write_layer;
use crate::model::{ConfigChange, ConfigKey};
use crate::{Actor, Toaster};

fn set(key: &str, value: &str) -> ConfigChange {
    ConfigChange::Set {
        key: ConfigKey::parse(key).unwrap(),
        value: value.to_owned(),
    }
}

fn owner(top: &Path) -> Actor {
    let toaster = Toaster::init_sqlite(&top.join("toaster.sqlite")).unwrap();
    toaster.add_first_owner("alice", None, "test").unwrap()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A build directory using a core layer (series scarthgap, machine qemux86-64, the image
/// types `ext4` and `wic`) and a BSP layer (machine `board-one`, image type `boardflash`).
fn build_dir(top: &Path) -> std::path::PathBuf {
    let core = top.join("layers/meta");
    write_layer(
        &core,
        "core",
        "LAYERSERIES_CORENAMES = \"scarthgap\"\nLAYERSERIES_COMPAT_core = \"scarthgap\"\n",
    );
    write(&core.join("conf/machine/qemux86-64.conf"), "");
    write(
        &core.join("classes-recipe/image_types.bbclass"),
        "IMAGE_TYPES = \" \\\n    ext4 ext4.gz \\\n    wic wic.bz2 \\\n\"\nIMAGE_CMD:ext4 = \"mkfs\"\n",
    );
    let bsp = top.join("layers/meta-bsp");
    write_layer(
        &bsp,
        "bsp",
        "LAYERSERIES_COMPAT_bsp = \"scarthgap\"\nLAYERDEPENDS_bsp = \"core\"\n",
    );
    write(&bsp.join("conf/machine/board-one.conf"), "");
    write(
        &bsp.join("classes/image_types_board.bbclass"),
        "IMAGE_TYPES += \"boardflash\"\n",
    );
    let build = top.join("build");
    write(&build.join("conf/local.conf"), "MACHINE = \"board-one\"\n");
    write(
        &build.join("conf/bblayers.conf"),
        &format!("BBLAYERS = \"{} {}\"\n", core.display(), bsp.display()),
    );
    build
}

#[test]
fn values_are_checked_against_the_layers_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let alice = owner(&top);
    let (project, warnings) = alice
        .import_project("bsp", &build_dir(&top), &top.join("bsp"), None)
        .unwrap();
    assert_eq!(
        project.release.name(),
        "scarthgap",
        "the core layer's series"
    );
    assert!(
        warnings.iter().all(|w| w.kind() != "release"),
        "{warnings:?}"
    );
    let change = |key: &str, value: &str| {
        let outcome = alice
            .change_config("bsp", &[set(key, value)], None)
            .unwrap();
        outcome.warnings
    };
    assert_eq!(change("machine", "qemux86-64"), []);
    let warnings = change("machine", "board-two");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].kind(), "not_in_layers");
    assert_eq!(
        warnings[0].to_string(),
        "MACHINE: no layer of the project defines the machine `board-two` (searched conf/machine/*.conf of meta, meta-bsp); did you mean `board-one`? Or add the layer that defines it"
    );
    assert_eq!(
        change("IMAGE_FSTYPES", "wic.bz2 boardflash boardflash.gz ext4"),
        []
    );
    let warnings = change("IMAGE_FSTYPES", "wic tegraflash");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].kind(), "not_in_layers");
    assert!(
        warnings[0].to_string().contains("`tegraflash`"),
        "{warnings:?}"
    );
    // A value the catalogue knows is still one no layer of this project defines.
    let warnings = change("IMAGE_FSTYPES:append", " squashfs");
    assert_eq!(warnings[0].kind(), "not_in_layers", "{warnings:?}");
}

#[test]
fn layers_not_fetched_yet_skip_the_check_and_say_so() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let alice = owner(&top);
    alice
        .create_project("new", &top.join("new"), &crate::ProjectOptions::default())
        .unwrap();
    let change = |key: &str, value: &str| {
        let outcome = alice
            .change_config("new", &[set(key, value)], None)
            .unwrap();
        outcome.warnings
    };
    assert_eq!(change("machine", "qemuarm64"), [], "the catalogue knows it");
    assert_eq!(change("IMAGE_FSTYPES", "wic.bz2 ext4.gz"), []);
    for (key, value) in [
        ("machine", "raspberrypi4-64"),
        ("IMAGE_FSTYPES", "wic.bz2 tegraflash"),
    ] {
        let warnings = change(key, value);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].kind(), "check_skipped");
        let text = warnings[0].to_string();
        assert!(
            text.contains("openembedded-core, meta-poky, meta-yocto-bsp are not fetched yet"),
            "{text}"
        );
    }
}

#[test]
fn an_explicit_release_the_core_layer_disagrees_with_is_kept_and_said() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let alice = owner(&top);
    let (project, warnings) = alice
        .import_project("old", &build_dir(&top), &top.join("old"), Some("styhead"))
        .unwrap();
    assert_eq!(project.release.name(), "styhead");
    let release: Vec<_> = warnings.iter().filter(|w| w.kind() == "release").collect();
    assert_eq!(release.len(), 1, "{warnings:?}");
    assert!(
        release[0]
            .to_string()
            .contains("LAYERSERIES_COMPAT_core = \"scarthgap\""),
        "{release:?}"
    );
}

#[test]
fn tmpdir_breaking_the_sanity_rules_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path().canonicalize().unwrap();
    let alice = owner(&top);
    alice
        .create_project("p", &top.join("p"), &crate::ProjectOptions::default())
        .unwrap();
    for bad in ["${TOPDIR}/../tmp", "/srv/g++/tmp", "${TOPDIR}/tmp/"] {
        let err = alice
            .change_config("p", &[set("TMPDIR", bad)], None)
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Invalid, "{bad}: {err}");
        assert!(err.to_string().contains("sanity check"), "{err}");
    }
    assert_eq!(alice.history("p").unwrap().len(), 1, "nothing changed");
}

/// A realistic `local.conf`: the test corpus's, in the shape of the templates, with its
/// commented-out options taken in (users uncomment them), and the lines a BSP's or a
/// product's setup guide adds.
fn realistic_local_conf() -> String {
    let stock = include_str!("../../../tests/conf/corpus/local.conf");
    let mut text = String::new();
    for line in stock.lines() {
        let uncommented = line.strip_prefix('#').filter(|rest| {
            rest.split_whitespace()
                .nth(1)
                .is_some_and(|op| op.ends_with('='))
        });
        text.push_str(uncommented.unwrap_or(line));
        text.push('\n');
    }
    text.push_str(
        "IMAGE_FSTYPES += \"wic.bz2 tegraflash\"\n\
         SRCREV:pn-busybox = \"0123456789abcdef0123456789abcdef01234567\"\n\
         SRCREV_machine:pn-linux-yocto = \"${AUTOREV}\"\n\
         PREFERRED_VERSION_linux-yocto = \"6.6%\"\n\
         PREFERRED_PROVIDER_virtual/kernel = \"linux-yocto\"\n\
         PREFERRED_PROVIDER_virtual/bootloader = \"u-boot\"\n\
         RDEPENDS:packagegroup-base:append = \" htop\"\n\
         RRECOMMENDS:packagegroup-base:remove = \"kernel-modules\"\n\
         PACKAGECONFIG:pn-curl = \"ssl zlib\"\n\
         PACKAGECONFIG:append:pn-qemu-system-native = \" sdl\"\n\
         PACKAGECONFIG:remove:pn-qemu-system-native = \"gtk+\"\n\
         LICENSE_FLAGS_ACCEPTED = \"commercial synaptics-killswitch\"\n\
         SKIP_RECIPE[busybox] = \"replaced by toybox\"\n\
         BBMASK += \"meta-bsp/recipes-graphics/\"\n\
         INCOMPATIBLE_LICENSE = \"GPL-3.0-only\"\n\
         INHERIT += \"rm_work buildhistory\"\n\
         DISTRO_FEATURES:append = \" systemd usrmerge\"\n\
         INIT_MANAGER = \"systemd\"\n\
         TESTIMAGE_AUTO:qemuall = \"1\"\n\
         BB_NUMBER_THREADS = \"8\"\n\
         PARALLEL_MAKE = \"-j 8\"\n",
    );
    text
}

#[test]
fn strict_checks_pass_every_line_of_a_realistic_local_conf() {
    use crate::conf::{ConfFile, Statement};
    use crate::model::{Operator, Variable};
    use crate::schema::{Class, Schema};
    let text = realistic_local_conf();
    let file = ConfFile::parse(Path::new("local.conf"), &text, false).unwrap();
    let release = crate::model::Release::parse("scarthgap").unwrap();
    let schema = Schema::builtin();
    let mut checked = 0;
    let mut refused = Vec::new();
    for (line, statement) in file.statements() {
        let Statement::Assign(a) = statement else {
            continue;
        };
        let key = match &a.flag {
            Some(flag) => format!("{}[{flag}]", a.name),
            None => a.name.clone(),
        };
        // MACHINE and DISTRO have their own keys, CONF_VERSION stays in local.conf.
        if matches!(schema.class(&key), Class::Managed | Class::Forbidden) {
            continue;
        }
        checked += 1;
        let op = Operator::parse(a.op.as_str()).unwrap();
        let variable = Variable::assign(op, a.value.clone());
        // As `config set --strict` checks what it writes, operator included.
        let result =
            super::validation::check_variable(schema, &release, true, None, &key, &variable);
        if let Err(e) = result {
            refused.push(format!("line {line}: {key}: {e}"));
        }
    }
    assert!(checked >= 30, "{checked}");
    assert_eq!(refused, Vec::<String>::new());
}
