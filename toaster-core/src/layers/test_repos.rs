//! Real git repositories and layer directories made in temp dirs, for tests (with the
//! `test-support` feature).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Signature};

/// A repository with a work tree, committed to with git2.
pub struct TestRepo {
    /// Its work tree.
    pub dir: PathBuf,
    repo: Repository,
}

/// Writes `dir/conf/layer.conf` for collection `name`, with `extra` lines.
pub fn write_layer(dir: &Path, name: &str, extra: &str) {
    std::fs::create_dir_all(dir.join("conf")).unwrap();
    std::fs::write(
        dir.join("conf/layer.conf"),
        format!(
            "BBPATH .= \":${{LAYERDIR}}\"\n\
             BBFILE_COLLECTIONS += \"{name}\"\n\
             BBFILE_PATTERN_{name} = \"^${{LAYERDIR}}/\"\n\
             BBFILE_PRIORITY_{name} = \"6\"\n{extra}"
        ),
    )
    .unwrap();
}

/// A fixed author and time, so the same commits get the same ids in every run.
fn signature() -> Signature<'static> {
    Signature::new(
        "tester",
        "tester@example.invalid",
        &git2::Time::new(1_780_000_000, 0),
    )
    .unwrap()
}

impl TestRepo {
    /// A new repository on branch `main`.
    pub fn init(dir: &Path) -> TestRepo {
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(dir, &options).unwrap();
        TestRepo {
            dir: dir.to_owned(),
            repo,
        }
    }

    /// An existing repository (a clone Toaster made).
    pub fn open(dir: &Path) -> TestRepo {
        TestRepo {
            dir: dir.to_owned(),
            repo: Repository::open(dir).unwrap(),
        }
    }

    /// Its URL (a plain path).
    pub fn url(&self) -> String {
        self.dir.display().to_string()
    }

    /// Writes a layer at `subdir` (see [`write_layer`]).
    pub fn layer(&self, subdir: &str, name: &str, extra: &str) {
        write_layer(&self.dir.join(subdir), name, extra);
    }

    /// Writes a file.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Commits every file on the current branch.
    pub fn commit(&self, message: &str) -> Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let who = signature();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &who, &who, message, &tree, &parents)
            .unwrap()
    }

    /// Makes branch `name` at HEAD and switches to it.
    pub fn branch(&self, name: &str) {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, false).unwrap();
        self.switch(name);
    }

    /// Switches to branch `name`, work tree included.
    pub fn switch(&self, name: &str) {
        self.repo.set_head(&format!("refs/heads/{name}")).unwrap();
        let mut builder = git2::build::CheckoutBuilder::new();
        builder.force();
        self.repo.checkout_head(Some(&mut builder)).unwrap();
    }

    /// Tags HEAD as `name` (an annotated tag).
    pub fn tag(&self, name: &str) {
        let head = self
            .repo
            .head()
            .unwrap()
            .peel(git2::ObjectType::Commit)
            .unwrap();
        let who = signature();
        self.repo.tag(name, &head, &who, name, false).unwrap();
    }
}
