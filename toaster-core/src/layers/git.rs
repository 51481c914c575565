//! Git work through libgit2 (no `git` process): cloning into the project's layers
//! directory, fetching, resolving a requested ref to a commit, and checking it out without
//! ever discarding local work.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{AutotagOption, FetchOptions, FetchPrune, Oid, RemoteCallbacks, Repository};

use super::credentials::{Credentials, proxy};
use super::{FetchFailure, LayerError};

/// How far a fetch has come, reported while it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The repository fetched.
    pub url: String,
    /// Objects received so far.
    pub received_objects: usize,
    /// Objects indexed so far.
    pub indexed_objects: usize,
    /// Objects to fetch in all (0 until known).
    pub total_objects: usize,
    /// Bytes received so far.
    pub received_bytes: usize,
    /// Time since the fetch started.
    pub elapsed: Duration,
}

impl Transfer {
    /// Bytes per second so far.
    pub fn rate(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.received_bytes as f64 / seconds
        } else {
            0.0
        }
    }

    /// Whether every object has been received and indexed.
    pub fn is_done(&self) -> bool {
        self.total_objects > 0 && self.indexed_objects == self.total_objects
    }
}

/// Where fetch progress goes; frontends print it, the core never does.
pub type Progress<'a> = &'a mut dyn FnMut(&Transfer);

/// A clone in the project's layers directory.
pub struct ClonedRepo {
    repo: Repository,
    dir: PathBuf,
    url: String,
    /// True when this call made the directory (so a failure can take it back).
    pub created: bool,
    /// The commit checked out when it was opened, to go back to after a refusal.
    previous: Option<Oid>,
}

impl std::fmt::Debug for ClonedRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClonedRepo")
            .field("dir", &self.dir)
            .field("url", &self.url)
            .field("created", &self.created)
            .finish()
    }
}

impl ClonedRepo {
    /// Opens the clone of `url` in `dir`, or makes an empty one (nothing fetched yet). A
    /// directory holding anything else is refused.
    pub fn open_or_init(dir: &Path, url: &str) -> Result<ClonedRepo, LayerError> {
        let taken = |found: String| LayerError::CloneDirTaken {
            dir: dir.to_owned(),
            url: url.to_owned(),
            found,
        };
        if dir.join(".git").exists() {
            let repo = Repository::open(dir).map_err(LayerError::git(dir))?;
            let origin = repo
                .find_remote("origin")
                .ok()
                .and_then(|r| r.url().ok().map(str::to_owned));
            return match origin {
                Some(origin) if origin == url => {
                    let previous = repo.head().ok().and_then(|h| h.target());
                    Ok(ClonedRepo {
                        repo,
                        dir: dir.to_owned(),
                        url: url.to_owned(),
                        created: false,
                        previous,
                    })
                }
                Some(origin) => Err(taken(format!("a clone of {origin}"))),
                None => Err(taken("a git repository without an origin".to_owned())),
            };
        }
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir).map_err(LayerError::io(dir))?;
            if entries.next().is_some() {
                return Err(taken("other files".to_owned()));
            }
        }
        std::fs::create_dir_all(dir).map_err(LayerError::io(dir))?;
        let made = Repository::init(dir).and_then(|repo| {
            repo.remote("origin", url)?;
            Ok(repo)
        });
        match made {
            Ok(repo) => Ok(ClonedRepo {
                repo,
                dir: dir.to_owned(),
                url: url.to_owned(),
                created: true,
                previous: None,
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(dir);
                Err(LayerError::git(dir)(e))
            }
        }
    }

    /// The clone's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The URL it was cloned from.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Takes back what this run did to the clone after a refusal: removes a clone it made,
    /// or checks a clone it reused out where it was (best effort; a clone with local work
    /// refuses the checkout and stays).
    pub fn discard_if_new(self) {
        if self.created {
            let dir = self.dir.clone();
            drop(self);
            let _ = std::fs::remove_dir_all(dir);
        } else if let Some(previous) = self.previous.filter(|p| self.head() != Some(*p)) {
            let _ = self.checkout(previous);
        }
    }

    /// Fetches every branch and tag of origin, reporting progress. Remote repositories are
    /// reached over https or ssh with the user's credentials and proxy (see `credentials`).
    pub fn fetch(&self, progress: Progress<'_>) -> Result<(), LayerError> {
        let mut remote = self
            .repo
            .find_remote("origin")
            .map_err(|e| self.unreachable(&e, &[]))?;
        let credentials = Credentials::default();
        let start = Instant::now();
        let mut callbacks = RemoteCallbacks::new();
        credentials.install(&mut callbacks, self.repo.config().ok());
        callbacks.transfer_progress(|stats| {
            progress(&Transfer {
                url: self.url.clone(),
                received_objects: stats.received_objects(),
                indexed_objects: stats.indexed_objects(),
                total_objects: stats.total_objects(),
                received_bytes: stats.received_bytes(),
                elapsed: start.elapsed(),
            });
            true
        });
        let mut options = FetchOptions::new();
        options
            .remote_callbacks(callbacks)
            .proxy_options(proxy())
            .download_tags(AutotagOption::All)
            .prune(FetchPrune::On);
        let fetched = remote.fetch(
            &[
                "+refs/heads/*:refs/remotes/origin/*",
                "+refs/tags/*:refs/tags/*",
            ],
            Some(&mut options),
            None,
        );
        drop(options);
        fetched.map_err(|e| self.unreachable(&e, &credentials.tried()))
    }

    /// The error for a failed fetch from origin, saying why and which credentials were tried.
    fn unreachable(&self, error: &git2::Error, tried: &[String]) -> LayerError {
        let reason = FetchFailure::of(&self.url, error);
        let mut message = error.message().to_owned();
        if reason == FetchFailure::Credentials {
            message = if tried.is_empty() {
                format!(
                    "{message} (no credentials to offer: no ssh-agent, no default key in ~/.ssh, no credential helper)"
                )
            } else {
                format!("{message} (tried: {})", tried.join("; "))
            };
        }
        LayerError::Unreachable {
            url: self.url.clone(),
            message,
            reason,
        }
    }

    /// Fetches the branches and tags another clone of the same repository already has
    /// (a local directory: no network), as if they came from origin.
    pub fn fetch_from(&self, other: &Path) -> Result<(), LayerError> {
        let shown = other.display().to_string();
        let unreachable = |message: String, reason| LayerError::Unreachable {
            url: shown.clone(),
            message,
            reason,
        };
        let source = other.to_str().ok_or_else(|| {
            unreachable("the path is not valid UTF-8".to_owned(), FetchFailure::Url)
        })?;
        let failed =
            |e: git2::Error| unreachable(e.message().to_owned(), FetchFailure::of(source, &e));
        let mut remote = self.repo.remote_anonymous(source).map_err(failed)?;
        let mut options = FetchOptions::new();
        options.download_tags(AutotagOption::None);
        remote
            .fetch(
                &[
                    "+refs/remotes/origin/*:refs/remotes/origin/*",
                    "+refs/tags/*:refs/tags/*",
                ],
                Some(&mut options),
                None,
            )
            .map_err(failed)
    }

    /// Whether anything has been fetched into the clone.
    pub fn has_refs(&self) -> bool {
        self.repo
            .references_glob("refs/remotes/origin/*")
            .is_ok_and(|mut refs| refs.next().is_some())
    }

    /// The branch origin's HEAD points to (asks origin).
    pub fn default_branch(&self) -> Result<Option<String>, LayerError> {
        let mut remote = self
            .repo
            .find_remote("origin")
            .map_err(|e| self.unreachable(&e, &[]))?;
        let credentials = Credentials::default();
        let mut callbacks = RemoteCallbacks::new();
        credentials.install(&mut callbacks, self.repo.config().ok());
        let branch =
            match remote.connect_auth(git2::Direction::Fetch, Some(callbacks), Some(proxy())) {
                Ok(connection) => connection.default_branch().ok().and_then(|b| {
                    b.as_str()
                        .ok()
                        .and_then(|name| name.strip_prefix("refs/heads/"))
                        .map(str::to_owned)
                }),
                Err(e) => return Err(self.unreachable(&e, &credentials.tried())),
            };
        Ok(branch)
    }

    /// Whether `name` is one of origin's branches.
    pub fn has_branch(&self, name: &str) -> bool {
        self.repo
            .find_reference(&format!("refs/remotes/origin/{name}"))
            .is_ok()
    }

    /// The commit `reference` names: a branch of origin, a tag, or a commit id (full or
    /// abbreviated, at least 7 hex digits).
    pub fn resolve(&self, reference: &str) -> Result<Oid, LayerError> {
        for name in [
            format!("refs/remotes/origin/{reference}"),
            format!("refs/tags/{reference}"),
        ] {
            if let Ok(found) = self.repo.find_reference(&name) {
                return found
                    .peel_to_commit()
                    .map(|c| c.id())
                    .map_err(LayerError::git(&self.dir));
            }
        }
        if reference.len() >= 7 && reference.chars().all(|c| c.is_ascii_hexdigit()) {
            if let Ok(commit) = self
                .repo
                .revparse_single(reference)
                .and_then(|o| o.peel_to_commit())
            {
                return Ok(commit.id());
            }
        }
        Err(LayerError::RefNotFound {
            url: self.url.clone(),
            reference: reference.to_owned(),
            known: self.known_refs(),
        })
    }

    /// Some branches and tags, for messages.
    fn known_refs(&self) -> Vec<String> {
        let mut known = Vec::new();
        for (glob, prefix) in [
            ("refs/remotes/origin/*", "refs/remotes/origin/"),
            ("refs/tags/*", "refs/tags/"),
        ] {
            if let Ok(refs) = self.repo.references_glob(glob) {
                known.extend(
                    refs.flatten()
                        .filter_map(|r| {
                            r.name()
                                .ok()
                                .and_then(|n| n.strip_prefix(prefix))
                                .map(str::to_owned)
                        })
                        .filter(|n| n != "HEAD")
                        .take(10),
                );
            }
        }
        known
    }

    /// Whether the clone has `commit` (fetched already).
    pub fn has_commit(&self, commit: Oid) -> bool {
        self.repo.find_commit(commit).is_ok()
    }

    /// The commit checked out, if any.
    pub fn head(&self) -> Option<Oid> {
        self.repo.head().ok().and_then(|h| h.target())
    }

    /// Checks the work tree out at `commit` (HEAD detached there). Refuses, changing
    /// nothing, when files have uncommitted changes or HEAD holds commits no branch or tag
    /// of origin has.
    pub fn checkout(&self, commit: Oid) -> Result<(), LayerError> {
        if self.head() == Some(commit) {
            return self.check_clean();
        }
        self.check_clean()?;
        if let Some(head) = self.head() {
            if !self.is_published(head)? {
                return Err(LayerError::LocalCommits {
                    dir: self.dir.clone(),
                    head: head.to_string(),
                });
            }
        }
        let git = LayerError::git(&self.dir);
        let target = self.repo.find_commit(commit).map_err(git)?;
        let mut builder = git2::build::CheckoutBuilder::new();
        builder.safe();
        self.repo
            .checkout_tree(target.as_object(), Some(&mut builder))
            .map_err(|e| LayerError::LocalChanges {
                dir: self.dir.clone(),
                files: vec![format!(
                    "the checkout would overwrite them: {}",
                    e.message()
                )],
            })?;
        self.repo
            .set_head_detached(commit)
            .map_err(LayerError::git(&self.dir))
    }

    /// Refuses when tracked files have uncommitted changes.
    fn check_clean(&self) -> Result<(), LayerError> {
        let mut options = git2::StatusOptions::new();
        options.include_untracked(false).include_ignored(false);
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .map_err(LayerError::git(&self.dir))?;
        let files: Vec<String> = statuses
            .iter()
            .filter(|e| e.status() != git2::Status::CURRENT)
            .take(5)
            .map(|e| e.path().unwrap_or("?").to_owned())
            .collect();
        if files.is_empty() {
            Ok(())
        } else {
            Err(LayerError::LocalChanges {
                dir: self.dir.clone(),
                files,
            })
        }
    }

    /// Whether `commit` is held by a branch of origin or a tag.
    fn is_published(&self, commit: Oid) -> Result<bool, LayerError> {
        for glob in ["refs/remotes/origin/*", "refs/tags/*"] {
            let refs = self
                .repo
                .references_glob(glob)
                .map_err(LayerError::git(&self.dir))?;
            for reference in refs.flatten() {
                let Ok(tip) = reference.peel_to_commit() else {
                    continue;
                };
                if tip.id() == commit
                    || self
                        .repo
                        .graph_descendant_of(tip.id(), commit)
                        .unwrap_or(false)
                {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}
