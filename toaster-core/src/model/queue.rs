//! The build queue's plain data: who runs builds (runners), their claims and leases.

use std::fmt;
use std::hash::{BuildHasher, Hasher};

use serde::{Deserialize, Serialize};

use super::{ModelError, OwnerId, Timestamp};

/// The longest host name the queue takes.
const MAX_HOST: usize = 255;
/// The longest runner id: a host name with a pid and a random number.
const MAX_RUNNER: usize = 320;

/// A runner's identity: which process on which host holds a claim. Unique per process
/// (`host/pid/random`), so a runner restarted on the same host never mistakes the claims
/// of its dead predecessor for its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunnerId(String);

impl RunnerId {
    /// A new id for this process on `host`: `host/pid/random`.
    pub fn generate(host: &str) -> Result<RunnerId, ModelError> {
        check_host(host)?;
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.write_u32(std::process::id());
        RunnerId::parse(&format!(
            "{host}/{}/{:016x}",
            std::process::id(),
            hasher.finish()
        ))
    }

    /// A runner id as stored or given: one line of at most 320 bytes, not empty.
    pub fn parse(text: &str) -> Result<RunnerId, ModelError> {
        check_line("runner id", text, MAX_RUNNER)?;
        Ok(RunnerId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RunnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a host name as the queue takes it: one line of at most 255 bytes, not empty.
pub fn check_host(host: &str) -> Result<(), ModelError> {
    check_line("host", host, MAX_HOST)
}

fn check_line(what: &'static str, text: &str, max: usize) -> Result<(), ModelError> {
    if text.trim().is_empty() || text.len() > max || text.chars().any(char::is_control) {
        return Err(ModelError::invalid(
            what,
            text,
            format!("it is empty, longer than {max} bytes or holds a control character"),
            format!("give the {what} as one line of plain text"),
        ));
    }
    Ok(())
}

/// A runner's hold on a build: while the build has not ended and the lease has not run
/// out, no other build of its project or its build directory is claimed. The claim stays
/// on the build after it ends, to show which runner ran it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The runner holding it.
    pub runner: RunnerId,
    /// When the runner claimed the build.
    pub claimed_at: Timestamp,
    /// Until when the claim holds unless the runner renews it.
    pub lease_until: Timestamp,
}

/// What a runner asks for when it claims the next build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequest {
    /// The runner claiming.
    pub runner: RunnerId,
    /// The host it runs on: it takes builds asked to run there or anywhere, and becomes
    /// the build's host.
    pub host: String,
    /// The owner the runner acts as: it takes only builds of projects this owner may build
    /// (checked in the claim's transaction).
    pub owner: OwnerId,
    /// Until when the claim holds unless renewed.
    pub lease_until: Timestamp,
    /// The time now, as the runner's clock says; claims whose lease ended before it are
    /// expired first.
    pub now: Timestamp,
    /// Where the runner places the projects it builds (`runner --workdir`): the build it
    /// claims gets the build directory `WORK_ROOT/PROJECT/build`. `None`: the project's own.
    pub work_root: Option<std::path::PathBuf>,
    /// The release series the runner builds (`runner --release`): it takes only builds of
    /// projects of these. Empty: every release.
    pub releases: Vec<super::Release>,
}

impl ClaimRequest {
    /// The releases the runner builds, space-separated, as the stores match them; `None`
    /// for every release.
    pub fn release_names(&self) -> Option<String> {
        (!self.releases.is_empty()).then(|| {
            let names: Vec<&str> = self.releases.iter().map(|r| r.name()).collect();
            names.join(" ")
        })
    }

    /// The build directory (as stored) the build claimed gets when the runner places
    /// projects in a work root of its own: `WORK_ROOT/PROJECT/build`, `project` naming the
    /// build's project (asked only then); `None` otherwise.
    pub fn build_dir_with<E>(
        &self,
        project: impl FnOnce() -> Result<String, E>,
    ) -> Result<Option<String>, E> {
        let Some(root) = &self.work_root else {
            return Ok(None);
        };
        let dir = root.join(project()?).join("build");
        Ok(Some(dir.to_string_lossy().into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runner_ids_are_unique_lines_naming_their_host() {
        let a = RunnerId::generate("buildhost").unwrap();
        let b = RunnerId::generate("buildhost").unwrap();
        assert_ne!(a, b);
        assert!(a.as_str().starts_with("buildhost/"), "{a}");
        assert_eq!(RunnerId::parse(a.as_str()).unwrap(), a);
        for bad in ["", "  ", "a\nb", &"x".repeat(321)] {
            let err = RunnerId::parse(bad).unwrap_err().to_string();
            assert!(err.contains("one line of plain text"), "{bad:?}: {err}");
        }
        assert!(RunnerId::generate("bad\thost").is_err());
    }
}
