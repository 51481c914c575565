//! The build-system part of a recipe: `DEPENDS`, the classes it inherits, and the tasks
//! that a plain Makefile or an unknown build needs written by hand.

use super::text::Lines;
use super::{RecipeWriteError, series};
use crate::model::Release;
use crate::recipes::facts::BuildSystem;

/// Writes `DEPENDS` (pkg-config module names, as found).
pub(super) fn depends(lines: &mut Lines, depends: &[String]) -> Result<(), RecipeWriteError> {
    if depends.is_empty() {
        return Ok(());
    }
    lines.comment("These are pkg-config module names found in the build files, not recipe names:");
    lines.comment("check each against the recipe that provides it (`bitbake-layers show-recipes`,");
    lines.comment("or the recipe whose package ships the .pc file) and correct them.");
    lines.list("DEPENDS", "=", depends)
}

/// Writes the `inherit` line and what each build system needs beside it.
pub(super) fn write(
    lines: &mut Lines,
    build: &BuildSystem,
    release: Release,
    pkgconfig: bool,
) -> Result<(), RecipeWriteError> {
    let mut classes: Vec<&str> = Vec::new();
    match build {
        BuildSystem::Autotools => {
            classes.push("autotools");
            lines.comment("Options for the configure script go in EXTRA_OECONF.");
        }
        BuildSystem::Cmake => {
            classes.push("cmake");
            lines.comment("Options for cmake go in EXTRA_OECMAKE.");
        }
        BuildSystem::Meson => {
            classes.push("meson");
            lines.comment("Options for meson go in EXTRA_OEMESON.");
        }
        BuildSystem::Python { backend } => match python_class(backend, release) {
            Some(class) => classes.push(class),
            None => {
                lines.comment(&format!(
                    "No class of {release} is known for the Python build backend `{backend}`:"
                ));
                lines.comment("inherit the class that builds it, or build it by hand.");
            }
        },
        BuildSystem::Cargo { crates } => {
            classes.push("cargo");
            cargo(lines, crates, release, &mut classes)?;
        }
        BuildSystem::Go { module } => {
            classes.push("go-mod");
            lines.assign("GO_IMPORT", module)?;
            lines.comment(
                "go-mod fetches the module's dependencies while compiling (network access).",
            );
        }
        BuildSystem::Make => {}
        BuildSystem::Unknown => {
            lines.comment("No build system was recognised: write do_configure, do_compile and");
            lines.comment("do_install for these sources.");
        }
    }
    if pkgconfig {
        classes.push("pkgconfig");
    }
    if !classes.is_empty() {
        lines.line(&format!("inherit {}", classes.join(" ")));
    }
    match build {
        BuildSystem::Make => {
            lines.blank();
            lines.line("do_compile() {");
            lines.line("    oe_runmake");
            lines.line("}");
            unwritten_install(lines);
        }
        BuildSystem::Unknown => unwritten_install(lines),
        _ => {}
    }
    Ok(())
}

/// A `do_install` that says what to fill in and fails until it is.
fn unwritten_install(lines: &mut Lines) {
    lines.blank();
    lines.line("do_install() {");
    lines.line("    # Fill in: copy what the build made into ${D}, for example");
    lines.line("    #   install -Dm 0755 ${B}/program ${D}${bindir}/program");
    lines.line("    # or, if the Makefile has an install target that honours DESTDIR:");
    lines.line("    #   oe_runmake install DESTDIR=${D}");
    lines.line("    # then delete the next line.");
    lines.line("    bbfatal \"do_install of this recipe is not written yet: edit the recipe\"");
    lines.line("}");
}

/// The crates of a Cargo.lock as `crate://` entries, and how to get their checksums.
fn cargo(
    lines: &mut Lines,
    crates: &[(String, String)],
    release: Release,
    classes: &mut Vec<&str>,
) -> Result<(), RecipeWriteError> {
    if series::at_least(release, "mickledore") {
        classes.push("cargo-update-recipe-crates");
        lines.comment(
            "The crates need checksums before a build: run `bitbake -c update_crates <recipe>`,",
        );
        lines.comment("which writes <recipe>-crates.inc with every crate and its sha256sum, then");
        lines.comment("`require ${BPN}-crates.inc` here and drop the list below.");
    } else {
        lines.comment(
            "The crates below need a SRC_URI[<name>-<version>.sha256sum] each before a build.",
        );
    }
    let entries: Vec<String> = crates
        .iter()
        .map(|(name, version)| format!("crate://crates.io/{name}/{version}"))
        .collect();
    if let Some(bad) = crates.iter().find(|(name, version)| {
        [name, version]
            .iter()
            .any(|part| part.is_empty() || part.contains(['/', ';']))
    }) {
        return Err(RecipeWriteError::source(
            "a crate",
            &format!("{} {}", bad.0, bad.1),
            "a crate name or version is empty or holds `/` or `;`",
            "check Cargo.lock: the source analysis read a name or version it cannot write",
        ));
    }
    if !entries.is_empty() {
        lines.list("SRC_URI", "+=", &entries)?;
    }
    Ok(())
}

/// The python class for a PEP 517 build backend, if the release has one.
fn python_class(backend: &str, release: Release) -> Option<&'static str> {
    let (class, since) = match backend {
        "setuptools" | "setuptools.build_meta" | "setuptools.build_meta:__legacy__" => {
            ("python_setuptools_build_meta", "kirkstone")
        }
        "hatchling" | "hatchling.build" => ("python_hatchling", "langdale"),
        "flit_core" | "flit_core.buildapi" | "flit-core" => ("python_flit_core", "kirkstone"),
        "poetry" | "poetry-core" | "poetry_core" | "poetry.core.masonry.api" => {
            ("python_poetry_core", "kirkstone")
        }
        "maturin" => ("python_maturin", "scarthgap"),
        "mesonpy" | "meson-python" => ("python_mesonpy", "scarthgap"),
        _ => return None,
    };
    series::at_least(release, since).then_some(class)
}
