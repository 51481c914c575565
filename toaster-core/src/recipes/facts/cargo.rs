//! Cargo: `[package]` of `Cargo.toml`, registry crates of `Cargo.lock`.

use super::error::FactsError;
use super::toml_lite;
use super::tree::Tree;
use super::{BuildSystem, Meta};

/// Reads the crate's metadata and the registry crates it locks.
pub(crate) fn read(
    tree: &mut Tree,
    notes: &mut Vec<String>,
) -> Result<(BuildSystem, Meta), FactsError> {
    let mut meta = Meta::default();
    let text = tree.read_text("Cargo.toml")?.unwrap_or_default();
    let doc = toml_lite::parse(&text);
    match doc.table("package") {
        Some(package) => {
            meta.name = package.str("name").map(str::to_owned);
            meta.version = package.str("version").map(str::to_owned);
            meta.summary = package.str("description").map(str::to_owned);
            meta.homepage = package
                .str("homepage")
                .or_else(|| package.str("repository"))
                .map(str::to_owned);
            for key in ["version", "description", "homepage"] {
                if package.get(&format!("{key}.workspace")).is_some() {
                    notes.push(format!(
                        "Cargo.toml: {key} is inherited from a workspace that was not read"
                    ));
                }
            }
        }
        None => notes.push(
            "Cargo.toml has no [package] (a virtual workspace): pick the member crate to build"
                .to_owned(),
        ),
    }
    let mut crates = Vec::new();
    match tree.read_text("Cargo.lock")? {
        Some(lock) => {
            for package in toml_lite::parse(&lock).array("package") {
                let registry = package.str("source").is_some_and(|s| s.starts_with("registry+") || s.starts_with("sparse+"));
                if let (true, Some(name), Some(version)) = (registry, package.str("name"), package.str("version")) {
                    crates.push((name.to_owned(), version.to_owned()));
                }
            }
        }
        None => notes.push(
            "no Cargo.lock: the crates cannot be pinned; run `cargo generate-lockfile` in the sources"
                .to_owned(),
        ),
    }
    crates.sort();
    crates.dedup();
    Ok((BuildSystem::Cargo { crates }, meta))
}
