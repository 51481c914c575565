//! Which revision of a git repository kas checks out: the project's recorded commit, and
//! the requested ref as kas's `branch` or `tag`.

use super::error::KasOutError;
use crate::model::shorten;

/// A repository's revision as kas keys spell it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Revision {
    /// `commit`: the full commit id, lowercase.
    pub commit: Option<String>,
    /// `branch`.
    pub branch: Option<String>,
    /// `tag` (only for a ref written `refs/tags/NAME`: a plain name could be either, and
    /// is written as a branch).
    pub tag: Option<String>,
}

/// Whether `text` is a full commit id: 40 (SHA-1) or 64 (SHA-256) hex digits.
fn is_full_commit(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// The revision for a git layer `layer` from `url` requested at `reference`, with the
/// `commit` it resolved to when recorded.
///
/// A reference that is a commit (full, or an abbreviation of the recorded one) gives
/// `commit` alone; `refs/tags/NAME` a tag; `refs/heads/NAME` and any other name a branch
/// (kas checks that the branch contains the commit). The recorded commit always wins:
/// it is what the project built with.
pub(super) fn revision(
    layer: &str,
    url: &str,
    reference: &str,
    commit: Option<&str>,
) -> Result<Revision, KasOutError> {
    let commit = match commit.filter(|c| !c.is_empty()) {
        None => None,
        Some(c) if is_full_commit(c) => Some(c.to_ascii_lowercase()),
        Some(c) => {
            return Err(KasOutError::Commit {
                layer: layer.to_owned(),
                commit: shorten(c),
            });
        }
    };
    let mut revision = Revision {
        commit,
        branch: None,
        tag: None,
    };
    if reference.is_empty() {
        // Nothing requested: the recorded commit alone pins it.
    } else if is_full_commit(reference) {
        revision
            .commit
            .get_or_insert_with(|| reference.to_ascii_lowercase());
    } else if let Some(tag) = reference.strip_prefix("refs/tags/") {
        revision.tag = Some(tag.to_owned());
    } else if let Some(branch) = reference.strip_prefix("refs/heads/") {
        revision.branch = Some(branch.to_owned());
    } else if abbreviates(reference, revision.commit.as_deref()) {
        // `--ref 1a2b3c4`: the recorded commit says it all.
    } else {
        revision.branch = Some(reference.to_owned());
    }
    if revision.commit.is_none() && revision.branch.is_none() && revision.tag.is_none() {
        return Err(KasOutError::NoRevision {
            layer: layer.to_owned(),
            url: shorten(url),
        });
    }
    Ok(revision)
}

/// Whether `reference` is an abbreviation (at least 7 hex digits) of `commit`.
fn abbreviates(reference: &str, commit: Option<&str>) -> bool {
    let Some(commit) = commit else {
        return false;
    };
    reference.len() >= 7
        && reference.chars().all(|c| c.is_ascii_hexdigit())
        && commit.starts_with(&reference.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "0123456789abcdef0123456789abcdef01234567";

    fn rev(reference: &str, commit: Option<&str>) -> Revision {
        revision("l", "u", reference, commit).unwrap()
    }

    #[test]
    fn refs_become_branch_tag_or_commit() {
        let r = rev("scarthgap", Some(C));
        assert_eq!(
            (r.commit.as_deref(), r.branch.as_deref()),
            (Some(C), Some("scarthgap"))
        );
        assert_eq!(
            rev("refs/tags/yocto-5.0", None).tag.as_deref(),
            Some("yocto-5.0")
        );
        assert_eq!(rev("refs/heads/main", None).branch.as_deref(), Some("main"));
        let upper = C.to_ascii_uppercase();
        assert_eq!(rev(&upper, None), rev(C, None));
        assert_eq!(rev(C, None).branch, None);
        let short = rev("0123456", Some(C));
        assert_eq!((short.commit.as_deref(), short.branch), (Some(C), None));
        // Not an abbreviation of the recorded commit: a branch that looks like hex.
        assert_eq!(rev("abcdef0", Some(C)).branch.as_deref(), Some("abcdef0"));
    }

    #[test]
    fn bad_or_missing_revisions_are_refused() {
        assert!(matches!(
            revision("l", "u", "main", Some("xyz")),
            Err(KasOutError::Commit { .. })
        ));
        assert!(matches!(
            revision("l", "u", "", None),
            Err(KasOutError::NoRevision { .. })
        ));
        assert_eq!(rev("", Some(C)).commit.as_deref(), Some(C));
    }
}
