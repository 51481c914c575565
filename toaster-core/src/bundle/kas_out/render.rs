//! The text of the kas project file and of its lock file.

use super::KasProject;
use super::repos::{Repo, Repos};
use super::targets::Targets;
use super::yaml::{Yaml, quoted};

/// The format version written: the newest that every kas 4.x and 5.x accepts (kas 4.0
/// reads 1 to 14), and the one that brought `commit` + `branch` and `overrides`, all this
/// file uses. kas's behaviour does not depend on the version a file declares; it only
/// refuses versions it does not know.
pub(super) const FORMAT_VERSION: u32 = 14;
/// The format version that brought `tag`, written only when a repository has one.
pub(super) const TAG_FORMAT_VERSION: u32 = 15;
/// The `local_conf_header` section holding the project's variables.
pub(super) const SECTION: &str = "toaster";

/// The project file.
pub(super) fn project_file(
    project: &KasProject<'_>,
    repos: &Repos,
    targets: &Targets,
    conf_text: Option<&str>,
) -> String {
    let config = project.config;
    let mut y = Yaml::default();
    y.comment(
        0,
        &format!(
            "kas project file of the Toaster project {} (release {}), written by Toaster-rs.",
            quoted(project.name),
            quoted(project.release)
        ),
    );
    y.comment(
        0,
        "Check it with `kas dump FILE`; set up a build directory with `kas checkout FILE`.",
    );
    y.comment(
        0,
        &format!(
            "kas writes local.conf as the \"{SECTION}\" text below, then MACHINE and DISTRO (as ??=);"
        ),
    );
    y.comment(
        0,
        "it lists BBLAYERS by repository, then layer, not in the project's order.",
    );
    let mut notes: Vec<&str> = repos.notes.iter().map(String::as_str).collect();
    notes.extend(targets.notes.iter().map(String::as_str));
    if config.machine.is_none() {
        notes.push("The project sets no MACHINE: kas writes its default, qemux86-64");
    }
    if config.distro.is_none() {
        notes.push("The project sets no DISTRO: kas writes its default, nodistro");
    }
    for note in notes {
        y.comment(0, &format!("{note}."));
    }
    let tagged = repos
        .list
        .iter()
        .any(|r| r.revision.as_ref().is_some_and(|v| v.tag.is_some()));
    y.open(0, "header");
    let version = if tagged {
        TAG_FORMAT_VERSION
    } else {
        FORMAT_VERSION
    };
    y.raw(1, "version", &version.to_string());
    if let Some(machine) = &config.machine {
        y.string(0, "machine", machine);
    }
    if let Some(distro) = &config.distro {
        y.string(0, "distro", distro);
    }
    if !targets.list.is_empty() {
        y.open(0, "target");
        for target in &targets.list {
            y.item(1, target);
        }
    }
    if let Some(task) = &targets.task {
        y.string(0, "task", task);
    }
    if !repos.list.is_empty() {
        y.open(0, "repos");
        for repo in &repos.list {
            write_repo(&mut y, repo);
        }
    }
    if let Some(text) = conf_text {
        y.open(0, "local_conf_header");
        y.text_block(1, &quoted(SECTION), text);
    }
    y.finish()
}

/// One entry of `repos`.
fn write_repo(y: &mut Yaml, repo: &Repo) {
    for note in &repo.notes {
        y.comment(1, &format!("{note}."));
    }
    y.open(1, &quoted(&repo.id));
    if let Some(url) = &repo.url {
        y.string(2, "url", url);
    }
    if let Some(revision) = &repo.revision {
        if let Some(commit) = &revision.commit {
            y.string(2, "commit", commit);
        }
        if let Some(branch) = &revision.branch {
            y.string(2, "branch", branch);
        }
        if let Some(tag) = &revision.tag {
            y.string(2, "tag", tag);
        }
    }
    y.string(2, "path", &repo.path);
    if repo.layers.is_empty() {
        y.raw(2, "layers", "{}");
    } else {
        y.open(2, "layers");
        for layer in &repo.layers {
            y.raw(3, &quoted(layer), "");
        }
    }
}

/// The lock file: the recorded commit of every repository kas manages with git, as
/// `kas lock` writes it (`overrides.repos.ID.commit`).
pub(super) fn lock_file(project: &KasProject<'_>, repos: &Repos) -> String {
    let mut y = Yaml::default();
    y.comment(
        0,
        &format!(
            "kas lock file of the Toaster project {} (release {}), written by Toaster-rs.",
            quoted(project.name),
            quoted(project.release)
        ),
    );
    y.comment(
        0,
        "Keep it beside the project file, named like it with .lock before the extension",
    );
    y.comment(
        0,
        "(project.yml and project.lock.yml): kas reads both and checks out these commits.",
    );
    let git: Vec<&Repo> = repos.list.iter().filter(|r| r.url.is_some()).collect();
    for repo in &git {
        if repo.revision.as_ref().is_none_or(|v| v.commit.is_none()) {
            y.comment(
                0,
                &format!(
                    "The repository {} has no recorded commit and is not pinned here.",
                    quoted(&repo.id)
                ),
            );
        }
    }
    y.open(0, "header");
    y.raw(1, "version", &FORMAT_VERSION.to_string());
    y.open(0, "overrides");
    let pinned: Vec<(&str, &str)> = git
        .iter()
        .filter_map(|r| {
            let commit = r.revision.as_ref()?.commit.as_deref()?;
            Some((r.id.as_str(), commit))
        })
        .collect();
    if pinned.is_empty() {
        y.raw(1, "repos", "{}");
    } else {
        y.open(1, "repos");
        for (id, commit) in pinned {
            y.open(2, &quoted(id));
            y.string(3, "commit", commit);
        }
    }
    y.finish()
}
