//! Which release series a recipe is written for, as the conventions that changed over time.

use crate::model::Release;

/// Whether `release` is `codename` or newer ([`Release::all`] lists the newest first).
pub(super) fn at_least(release: Release, codename: &str) -> bool {
    let position = |name: &str| Release::all().position(|r| r.name() == name);
    match (position(release.name()), position(codename)) {
        (Some(have), Some(wanted)) => have <= wanted,
        _ => false,
    }
}

/// Where sources are unpacked: `${UNPACKDIR}` from styhead (5.1), `${WORKDIR}` before.
pub(super) fn unpack_dir(release: Release) -> &'static str {
    if at_least(release, "styhead") {
        "${UNPACKDIR}"
    } else {
        "${WORKDIR}"
    }
}

/// The directory a git checkout lands in by default: `${BP}` from whinlatter (5.3), whose
/// `BB_GIT_DEFAULT_DESTSUFFIX` is `${BP}`; `git` before.
pub(super) fn git_dir(release: Release) -> &'static str {
    if at_least(release, "whinlatter") {
        "${BP}"
    } else {
        "git"
    }
}
