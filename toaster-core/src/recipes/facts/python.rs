//! Python: `pyproject.toml` ([build-system], [project], [tool.poetry]) or a bare `setup.py`.

use super::error::FactsError;
use super::toml_lite::{self, Value};
use super::tree::Tree;
use super::{BuildSystem, Meta};

/// PEP 517's backend when `pyproject.toml` names none (or there is only `setup.py`).
const DEFAULT_BACKEND: &str = "setuptools.build_meta";

/// Reads the Python project's metadata and build backend.
pub(crate) fn read(
    tree: &mut Tree,
    notes: &mut Vec<String>,
) -> Result<(BuildSystem, Meta), FactsError> {
    let Some(text) = tree.read_text("pyproject.toml")? else {
        notes.push(
            "only setup.py: its metadata is code and was not run; setuptools assumed".to_owned(),
        );
        return Ok((python(DEFAULT_BACKEND), Meta::default()));
    };
    let doc = toml_lite::parse(&text);
    let backend = match doc
        .table("build-system")
        .and_then(|t| t.str("build-backend"))
    {
        Some(b) => b.to_owned(),
        None => {
            notes.push(format!(
                "pyproject.toml names no build-backend: {DEFAULT_BACKEND} assumed (PEP 517's default)"
            ));
            DEFAULT_BACKEND.to_owned()
        }
    };
    let mut meta = Meta::default();
    if let Some(project) = doc.table("project") {
        meta.name = project.str("name").map(str::to_owned);
        meta.version = project.str("version").map(str::to_owned);
        meta.summary = project.str("description").map(str::to_owned);
        if let Some(Value::Raw(dynamic)) = project.get("dynamic") {
            if dynamic.contains("\"version\"") || dynamic.contains("'version'") {
                notes.push(
                    "pyproject.toml: the version is dynamic (set by the backend from VCS or code)"
                        .to_owned(),
                );
            }
        }
        meta.homepage = doc.table("project.urls").and_then(|urls| {
            ["Homepage", "homepage", "Home", "Source", "Repository"]
                .iter()
                .find_map(|k| urls.str(k))
                .map(str::to_owned)
        });
    }
    if let Some(poetry) = doc.table("tool.poetry") {
        let fill = |slot: &mut Option<String>, key: &str| {
            if slot.is_none() {
                *slot = poetry.str(key).map(str::to_owned);
            }
        };
        fill(&mut meta.name, "name");
        fill(&mut meta.version, "version");
        fill(&mut meta.summary, "description");
        fill(&mut meta.homepage, "homepage");
    }
    Ok((python(&backend), meta))
}

fn python(backend: &str) -> BuildSystem {
    BuildSystem::Python {
        backend: backend.to_owned(),
    }
}
