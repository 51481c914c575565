//! Source analysis: what an unpacked source tree is, read from its files only.
//!
//! [`analyse`] finds the build system (in the order `recipetool create` tries them: Meson,
//! CMake, Autotools, Python, Cargo, Go, plain Make), the name, version, summary and homepage
//! its build files declare, the pkg-config modules it certainly needs, and every licence file
//! at the top with its md5 and, when the text is recognised, its SPDX identifier. Whatever
//! cannot be decided is left empty and explained in [`SourceFacts::notes`]; nothing is
//! guessed. Reading is confined: symlinks are never followed, files over 1 MiB are skipped,
//! and the number of entries and build files read is capped.

mod autotools;
mod calls;
mod cargo;
mod cmake;
mod error;
mod gomod;
mod license_text;
mod licenses;
mod meson;
mod python;
mod toml_lite;
mod tree;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use error::FactsError;

/// What the analysis found in a source tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFacts {
    /// The project's name from its build files (`project()`, `AC_INIT`, `[project].name`,
    /// `[package].name`, the last element of the Go module path).
    pub name: Option<String>,
    /// The version the build files declare.
    pub version: Option<String>,
    /// A one-line description (`description` in pyproject/Cargo, CMake `DESCRIPTION`).
    pub summary: Option<String>,
    /// The project's homepage.
    pub homepage: Option<String>,
    /// The build system.
    pub build: BuildSystem,
    /// Every licence-looking file at the top (`LICENSE*`, `LICENCE*`, `COPYING*`), by path.
    pub licenses: Vec<LicenseFile>,
    /// pkg-config modules the build certainly requires, sorted and deduplicated.
    pub depends: Vec<String>,
    /// What the analysis could not decide, one line each.
    pub notes: Vec<String>,
}

/// How the sources are built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildSystem {
    /// `configure.ac` / `configure.in`.
    Autotools,
    /// `CMakeLists.txt`.
    Cmake,
    /// `meson.build`.
    Meson,
    /// A `Makefile` and nothing else known.
    Make,
    /// `pyproject.toml` or `setup.py`.
    Python {
        /// The PEP 517 build backend, e.g. `setuptools.build_meta`, `hatchling.build`.
        backend: String,
    },
    /// `Cargo.toml`.
    Cargo {
        /// `(name, version)` of every registry crate in `Cargo.lock`, sorted.
        crates: Vec<(String, String)>,
    },
    /// `go.mod`.
    Go {
        /// The module path.
        module: String,
    },
    /// None of the above.
    Unknown,
}

/// One licence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseFile {
    /// Relative, `/`-separated path.
    pub path: String,
    /// Lower-case hex md5 of the whole file (BitBake's `LIC_FILES_CHKSUM` md5).
    pub md5: String,
    /// The SPDX identifier, `None` when the text is not recognised.
    pub spdx: Option<String>,
}

/// What one build-system reader found besides the build system itself.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub(crate) name: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) homepage: Option<String>,
    pub(crate) depends: Vec<String>,
}

/// Analyses the source tree at `dir`.
///
/// Errors only when `dir` is not a directory or a file in it cannot be read; every doubtful
/// fact becomes a note instead.
pub fn analyse(dir: &Path) -> Result<SourceFacts, FactsError> {
    let mut tree = tree::Tree::open(dir)?;
    let mut notes = Vec::new();
    let (build, mut meta) = detect(&mut tree, &mut notes)?;
    let licenses = licenses::find(&mut tree, &mut notes)?;
    if meta.name.is_none() && build != BuildSystem::Unknown {
        notes.push("the build files name no project: name the recipe yourself".to_owned());
    }
    if meta.version.is_none() && build != BuildSystem::Unknown {
        notes.push("the build files state no version: set PV from the release".to_owned());
    }
    meta.depends.sort();
    meta.depends.dedup();
    notes.append(&mut tree.notes);
    Ok(SourceFacts {
        name: meta.name,
        version: meta.version,
        summary: meta.summary,
        homepage: meta.homepage,
        build,
        licenses,
        depends: meta.depends,
        notes,
    })
}

/// Tries each build system in `recipetool create`'s order; the first whose file is there wins.
fn detect(
    tree: &mut tree::Tree,
    notes: &mut Vec<String>,
) -> Result<(BuildSystem, Meta), FactsError> {
    if tree.is_file("meson.build")? {
        return Ok((BuildSystem::Meson, meson::read(tree, notes)?));
    }
    if tree.is_file("CMakeLists.txt")? {
        return Ok((BuildSystem::Cmake, cmake::read(tree, notes)?));
    }
    for name in ["configure.ac", "configure.in"] {
        if tree.is_file(name)? {
            return Ok((BuildSystem::Autotools, autotools::read(tree, name, notes)?));
        }
    }
    if tree.is_file("pyproject.toml")? || tree.is_file("setup.py")? {
        return python::read(tree, notes);
    }
    if tree.is_file("Cargo.toml")? {
        return cargo::read(tree, notes);
    }
    if tree.is_file("go.mod")? {
        return gomod::read(tree, notes);
    }
    for name in ["Makefile", "makefile", "GNUmakefile"] {
        if tree.is_file(name)? {
            notes.push(format!(
                "only a {name}: check its install target and DESTDIR/prefix handling by hand"
            ));
            return Ok((BuildSystem::Make, Meta::default()));
        }
    }
    notes.push(
        "no known build system (meson.build, CMakeLists.txt, configure.ac, pyproject.toml, \
         setup.py, Cargo.toml, go.mod, Makefile): write do_compile and do_install by hand"
            .to_owned(),
    );
    Ok((BuildSystem::Unknown, Meta::default()))
}
