//! Where the sources come from: `SRC_URI`, its checksum, `SRCREV` and `S`, or externalsrc.

use super::text::Lines;
use super::{RecipeWriteError, SourceOrigin, series};
use crate::model::Release;

/// Writes the source part of a recipe for `origin`. `go` asks for the layout of the `go`
/// class (the sources under `src/<import path>/`).
pub(super) fn write(
    lines: &mut Lines,
    bp: &str,
    origin: &SourceOrigin,
    release: Release,
    go: bool,
) -> Result<(), RecipeWriteError> {
    match origin {
        SourceOrigin::Tarball {
            url,
            sha256,
            subdir,
        } => tarball(lines, bp, url, sha256, subdir.as_deref(), release, go),
        SourceOrigin::Git { url, branch, rev } => git(lines, url, branch, rev, release, go),
        SourceOrigin::Path { dir } => path(lines, dir),
    }
}

fn tarball(
    lines: &mut Lines,
    bp: &str,
    url: &str,
    sha256: &str,
    subdir: Option<&str>,
    release: Release,
    go: bool,
) -> Result<(), RecipeWriteError> {
    let mut uri = fetch_url(url)?;
    if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RecipeWriteError::source(
            "SRC_URI[sha256sum]",
            sha256,
            "it is not a SHA-256 sum (64 hexadecimal digits)",
            "give the tarball's `sha256sum`",
        ));
    }
    let top = match subdir {
        Some(dir) => {
            check_part("the tarball's top directory", dir)?;
            if dir.is_empty() || dir.contains('/') || dir == "." || dir == ".." {
                return Err(RecipeWriteError::source(
                    "the tarball's top directory",
                    dir,
                    "it must be the name of one directory",
                    "give the name of the single directory at the top of the tarball, or none",
                ));
            }
            if dir == bp { "${BP}" } else { dir }
        }
        None => "${BP}",
    };
    let unpack = series::unpack_dir(release);
    if go && series::at_least(release, "styhead") {
        uri.push_str(";subdir=${GO_SRCURI_DESTSUFFIX}");
        if subdir.is_some() {
            uri.push_str(";striplevel=1");
        }
    } else if subdir.is_none() {
        // The files are not in one top directory: unpack them into one.
        uri.push_str(";subdir=${BP}");
    }
    lines.assign("SRC_URI", &uri)?;
    lines.assign("SRC_URI[sha256sum]", &sha256.to_ascii_lowercase())?;
    lines.blank();
    if go {
        go_layout_note(lines, release);
    } else {
        lines.assign("S", &format!("{unpack}/{top}"))?;
    }
    Ok(())
}

fn git(
    lines: &mut Lines,
    url: &str,
    branch: &str,
    rev: &str,
    release: Release,
    go: bool,
) -> Result<(), RecipeWriteError> {
    let mut uri = git_url(url)?;
    if branch.is_empty() {
        return Err(RecipeWriteError::source(
            "the git branch",
            branch,
            "it is empty",
            "name the branch that holds the revision, e.g. `main`",
        ));
    }
    check_part("the git branch", branch)?;
    uri.push_str(";branch=");
    uri.push_str(branch);
    let full = [40, 64].contains(&rev.len());
    if !full || !rev.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RecipeWriteError::source(
            "SRCREV",
            rev,
            "it is not a full commit id (40 or 64 hexadecimal digits)",
            "give the full commit id (`git rev-parse HEAD`), not a branch, tag or short id",
        ));
    }
    if go && series::at_least(release, "styhead") {
        uri.push_str(";destsuffix=${GO_SRCURI_DESTSUFFIX}");
    }
    lines.assign("SRC_URI", &uri)?;
    lines.assign("SRCREV", &rev.to_ascii_lowercase())?;
    lines.blank();
    if go {
        go_layout_note(lines, release);
    } else {
        let s = format!(
            "{}/{}",
            series::unpack_dir(release),
            series::git_dir(release)
        );
        lines.assign("S", &s)?;
    }
    Ok(())
}

fn go_layout_note(lines: &mut Lines, release: Release) {
    if series::at_least(release, "styhead") {
        lines.comment("S is the go class's default; the sources unpack to ${S}/src/${GO_IMPORT}.");
    } else {
        lines.comment("The go class expects the sources in ${S}/src/${GO_IMPORT}: check that they land there.");
    }
}

fn path(lines: &mut Lines, dir: &std::path::Path) -> Result<(), RecipeWriteError> {
    let shown = dir.display().to_string();
    let Some(text) = dir.to_str() else {
        return Err(RecipeWriteError::source(
            "EXTERNALSRC",
            &shown,
            "the path is not valid UTF-8",
            "move or link the source tree to a path BitBake can hold",
        ));
    };
    if !dir.is_absolute() {
        return Err(RecipeWriteError::source(
            "EXTERNALSRC",
            text,
            "the path is relative, and BitBake needs an absolute one",
            "give the absolute path of the source tree",
        ));
    }
    lines.comment("The sources are used where they are, not fetched: edit them there.");
    lines.line("inherit externalsrc");
    lines.assign("EXTERNALSRC", text)?;
    Ok(())
}

/// A tarball URL for `SRC_URI`: a local path becomes `file://PATH`.
fn fetch_url(url: &str) -> Result<String, RecipeWriteError> {
    let uri = if url.starts_with('/') {
        format!("file://{url}")
    } else {
        url.to_owned()
    };
    let scheme_ok = ["http://", "https://", "ftp://", "file:///"]
        .iter()
        .any(|s| uri.starts_with(s));
    if !scheme_ok {
        return Err(RecipeWriteError::source(
            "SRC_URI",
            url,
            "it is neither an http(s)/ftp URL nor an absolute file path",
            "give the URL the tarball was downloaded from, or its absolute local path",
        ));
    }
    check_part("SRC_URI", &uri)?;
    Ok(uri)
}

/// A git URL in the form BitBake's git fetcher takes, as `recipetool` writes it:
/// `git://HOST/PATH;protocol=https` for `https://HOST/PATH`, `protocol=ssh` for
/// `ssh://` and `user@host:path`, `protocol=file` for a local path.
pub(super) fn git_url(url: &str) -> Result<String, RecipeWriteError> {
    check_part("the git URL", url)?;
    let (protocol, rest) = if let Some((scheme, rest)) = url.split_once("://") {
        match scheme {
            "https" | "http" | "ssh" | "file" => (Some(scheme), rest.to_owned()),
            "git" => (None, rest.to_owned()),
            _ => return Err(bad_git_url(url)),
        }
    } else if url.starts_with('/') {
        (Some("file"), url.to_owned())
    } else if let Some((host, path)) = url.split_once(':') {
        // scp-like `git@host:path/repo.git`.
        if !host.contains('@') || path.is_empty() {
            return Err(bad_git_url(url));
        }
        let path = path.trim_start_matches('/');
        (Some("ssh"), format!("{host}/{path}"))
    } else {
        return Err(bad_git_url(url));
    };
    if rest.is_empty() || rest == "/" {
        return Err(bad_git_url(url));
    }
    Ok(match protocol {
        Some(protocol) => format!("git://{rest};protocol={protocol}"),
        None => format!("git://{rest}"),
    })
}

fn bad_git_url(url: &str) -> RecipeWriteError {
    RecipeWriteError::source(
        "SRC_URI",
        url,
        "it is not a git URL BitBake can fetch",
        "give an https://, ssh://, git:// or file:// URL, `user@host:path`, or an absolute path",
    )
}

/// A part of a `SRC_URI` entry: no whitespace (it would split the list) and no `;` (it
/// would start a parameter).
fn check_part(field: &'static str, value: &str) -> Result<(), RecipeWriteError> {
    if let Some(bad) = value
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ';')
    {
        return Err(RecipeWriteError::source(
            field,
            value,
            format!("it contains `{}`", bad.escape_default()),
            "percent-encode it, or use a URL or name without it",
        ));
    }
    if value.contains(['"', '\'']) || value.contains('$') {
        return Err(RecipeWriteError::source(
            field,
            value,
            "it contains a quote or `$`",
            "percent-encode it, or use a URL or name without it",
        ));
    }
    Ok(())
}
