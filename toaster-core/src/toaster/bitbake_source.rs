//! Where a project's builds get BitBake: part of its revisioned configuration, so a build
//! pins it like its layers and `undo` takes a change back.

use std::path::Path;

use super::{Actor, ChangeOutcome};
use crate::Error;
use crate::access::Action;
use crate::layers::{self, ClonedRepo, Progress};
use crate::model::{LayerRef, LayerSource, Right};
use crate::runner::{BitbakeRun, RunnerError};

/// A git repository holding BitBake, for [`Actor::set_bitbake_git`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitbakeGit<'a> {
    /// What git clones from: a URL or a path.
    pub url: &'a str,
    /// A branch, tag or commit; `None`: the repository's default branch.
    pub reference: Option<&'a str>,
    /// BitBake's directory inside the repository (`bitbake` in poky); `None`: the top.
    pub subdir: Option<&'a str>,
}

impl Actor {
    /// Builds of `project` use the BitBake checkout at `path` (needs configure), from a new
    /// revision on; refused unless it is a BitBake checkout (`bin/bitbake`, `lib/bb`).
    pub fn set_bitbake(&self, project: &str, path: &Path) -> Result<ChangeOutcome, Error> {
        let path = std::path::absolute(path).map_err(|source| RunnerError::Io {
            path: path.to_owned(),
            source,
        })?;
        BitbakeRun::program(&path)?;
        self.set_bitbake_source(project, LayerSource::Local { path })
    }

    /// Builds of `project` use BitBake from the git repository `url` (needs configure),
    /// cloned like a layer's into `PROJECT/layers/REPOSITORY` and checked out at `reference`
    /// (default: the repository's default branch), optionally in `subdir` (`bitbake` in
    /// poky); the commit is recorded in a new revision. Refused unless what is checked out
    /// there is a BitBake checkout; a clone with local work is never reset.
    pub fn set_bitbake_git(
        &self,
        project: &str,
        git: &BitbakeGit<'_>,
        progress: Progress<'_>,
    ) -> Result<ChangeOutcome, Error> {
        let BitbakeGit {
            url,
            reference,
            subdir,
        } = *git;
        let current = self.project_for(project, Action::Project(Right::Configure))?;
        let subdir = subdir.map(layers::check_subdir).transpose()?.flatten();
        let mut source = LayerRef {
            name: "bitbake".to_owned(),
            source: LayerSource::Git {
                url: url.to_owned(),
                reference: reference.unwrap_or_default().to_owned(),
                subdir,
                commit: None,
            },
            collections: Vec::new(),
        };
        let Some(dir) = source.checkout_dir(&current.dir) else {
            return Err(RunnerError::NotBitbake {
                path: current.dir.clone(),
            }
            .into());
        };
        let clone = ClonedRepo::open_or_init(&dir, url)?;
        let fetched = (|| {
            clone.fetch(progress)?;
            let reference = match reference {
                Some(reference) => reference.to_owned(),
                None => clone.default_branch()?.unwrap_or_else(|| "HEAD".to_owned()),
            };
            let commit = clone.resolve(&reference)?;
            clone.checkout(commit)?;
            BitbakeRun::program(&source.path(&current.dir))?;
            Ok::<_, Error>((reference, commit.to_string()))
        })();
        let (reference, commit) = match fetched {
            Ok(found) => found,
            Err(e) => {
                clone.discard_if_new();
                return Err(e);
            }
        };
        if let LayerSource::Git {
            reference: r,
            commit: c,
            ..
        } = &mut source.source
        {
            *r = reference;
            *c = Some(commit);
        }
        self.set_bitbake_source(project, source.source)
    }

    fn set_bitbake_source(
        &self,
        project: &str,
        source: LayerSource,
    ) -> Result<ChangeOutcome, Error> {
        self.commit(project, None, |head| {
            if head.config.bitbake.as_ref() == Some(&source) {
                return Ok(None);
            }
            let mut config = head.config.clone();
            config.bitbake = Some(source.clone());
            let description = format!("build with BitBake {source}");
            Ok(Some((description, None, config)))
        })
    }

    /// Fetches the project's BitBake repository again and moves it to the newest commit of
    /// its ref, as a new revision (needs configure); a local checkout is left as it is.
    pub fn update_bitbake(
        &self,
        project: &str,
        progress: Progress<'_>,
    ) -> Result<ChangeOutcome, Error> {
        match self.bitbake(project)? {
            Some(LayerSource::Git {
                url,
                reference,
                subdir,
                ..
            }) => {
                let git = BitbakeGit {
                    url: &url,
                    reference: Some(&reference),
                    subdir: subdir.as_deref(),
                };
                self.set_bitbake_git(project, &git, progress)
            }
            Some(LayerSource::Local { .. }) => Ok(ChangeOutcome {
                revision: self.config(project)?,
                changed: false,
                warnings: Vec::new(),
            }),
            None => Err(Error::NoBitbake {
                project: self
                    .project_for(project, Action::Project(Right::Read))?
                    .name,
            }),
        }
    }

    /// Where builds of `project` get BitBake at its newest revision (needs read): a new
    /// project's is its release's branch of BitBake's repository, fetched by
    /// [`Actor::update_bitbake`].
    pub fn bitbake(&self, project: &str) -> Result<Option<LayerSource>, Error> {
        Ok(self.config(project)?.config.bitbake)
    }
}
