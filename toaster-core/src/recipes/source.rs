//! Getting the sources of a recipe to import onto this host to look at them: a tarball
//! (a local file or an http(s) URL, fetched with its SHA-256), a git repository (cloned at
//! a resolved commit) or a directory used where it is. Tarballs are unpacked bounded and
//! confined: entries that leave the tree, links that point out and device files are
//! refused, and so is a bomb.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::SourceError;
use super::write::SourceOrigin;
use crate::artifacts::hex;
use crate::layers::{self, ClonedRepo};

/// Bytes a tarball may unpack to, at most.
pub const MAX_UNPACKED: u64 = 2 << 30;
/// Entries a tarball may hold, at most.
pub const MAX_ENTRIES: u64 = 200_000;
/// Bytes a tarball fetched over http(s) may have, at most.
pub const MAX_DOWNLOAD: u64 = 4 << 30;

/// Where the sources to import come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRequest {
    /// A tarball: a path, or an http(s) URL.
    Tarball(String),
    /// A git repository, at a branch, tag or commit (default: its default branch).
    Git {
        /// What git clones from.
        url: String,
        /// The branch, tag or commit.
        reference: Option<String>,
    },
    /// A source tree used where it is.
    Path(PathBuf),
}

/// Sources ready to look at.
#[derive(Debug)]
pub struct Fetched {
    /// The tree to analyse.
    pub dir: PathBuf,
    /// What the recipe's `SRC_URI` is made of.
    pub origin: SourceOrigin,
    /// A version the source itself suggests (a tarball's `NAME-VERSION` directory).
    pub version_hint: Option<String>,
    _scratch: Option<tempfile::TempDir>,
}

/// Gets the sources `request` names; `progress` hears bytes fetched (and the total, when
/// known).
pub fn fetch(
    request: &SourceRequest,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, SourceError> {
    match request {
        SourceRequest::Path(dir) => {
            let dir = fs::canonicalize(dir).map_err(SourceError::io(dir))?;
            if !dir.is_dir() {
                return Err(SourceError::NotADirectory { path: dir });
            }
            Ok(Fetched {
                origin: SourceOrigin::Path { dir: dir.clone() },
                dir,
                version_hint: None,
                _scratch: None,
            })
        }
        SourceRequest::Tarball(location) => tarball(location, progress),
        SourceRequest::Git { url, reference } => git(url, reference.as_deref(), progress),
    }
}

fn scratch() -> Result<tempfile::TempDir, SourceError> {
    tempfile::Builder::new()
        .prefix("toaster-recipe-")
        .tempdir()
        .map_err(SourceError::io(std::env::temp_dir()))
}

fn tarball(
    location: &str,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, SourceError> {
    let scratch = scratch()?;
    let remote = location.starts_with("https://") || location.starts_with("http://");
    let (file, url) = if remote {
        let file = scratch.path().join("download");
        download(location, &file, progress)?;
        (file, location.to_owned())
    } else {
        let file = fs::canonicalize(location).map_err(SourceError::io(location))?;
        let url = format!("file://{}", file.display());
        (file, url)
    };
    let sha256 = {
        let mut reader = File::open(&file).map_err(SourceError::io(&file))?;
        let mut hasher = Sha256::new();
        io::copy(&mut reader, &mut hasher).map_err(SourceError::io(&file))?;
        hex(&hasher.finalize())
    };
    let into = scratch.path().join("tree");
    fs::create_dir(&into).map_err(SourceError::io(&into))?;
    unpack(&file, &into)?;
    let tops: Vec<_> = fs::read_dir(&into)
        .map_err(SourceError::io(&into))?
        .collect::<Result<_, _>>()
        .map_err(SourceError::io(&into))?;
    let (dir, subdir) = match tops.as_slice() {
        [] => return Err(SourceError::Empty { path: file }),
        [one] if one.path().is_dir() => {
            let name = one.file_name().to_string_lossy().into_owned();
            (one.path(), Some(name))
        }
        _ => (into.clone(), None),
    };
    let version_hint = subdir
        .as_deref()
        .and_then(|s| s.rsplit_once('-'))
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()));
    Ok(Fetched {
        dir,
        origin: SourceOrigin::Tarball {
            url,
            sha256,
            subdir,
        },
        version_hint,
        _scratch: Some(scratch),
    })
}

/// Fetches `url` into `file`, bounded.
fn download(
    url: &str,
    file: &Path,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<(), SourceError> {
    let unreachable = |reason: String| SourceError::Download {
        url: url.to_owned(),
        reason,
    };
    let response = ureq::get(url)
        .call()
        .map_err(|e| unreachable(e.to_string()))?;
    let total = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut body = response.into_body().into_reader().take(MAX_DOWNLOAD + 1);
    let mut out = File::create(file).map_err(SourceError::io(file))?;
    let mut buffer = vec![0u8; 1 << 16];
    let mut seen = 0u64;
    loop {
        let n = body
            .read(&mut buffer)
            .map_err(|e| unreachable(e.to_string()))?;
        if n == 0 {
            break;
        }
        seen += n as u64;
        if seen > MAX_DOWNLOAD {
            return Err(unreachable(format!(
                "it is larger than {} GiB",
                MAX_DOWNLOAD >> 30
            )));
        }
        out.write_all(&buffer[..n]).map_err(SourceError::io(file))?;
        progress(seen, total);
    }
    Ok(())
}

/// Unpacks the tar (plain or gzip) `file` into `into`, refusing what is unsafe.
fn unpack(file: &Path, into: &Path) -> Result<(), SourceError> {
    let mut head = [0u8; 2];
    let mut f = File::open(file).map_err(SourceError::io(file))?;
    let got = f.read(&mut head).map_err(SourceError::io(file))?;
    drop(f);
    let reader: Box<dyn Read> = {
        let f = File::open(file).map_err(SourceError::io(file))?;
        if got == 2 && head == [0x1f, 0x8b] {
            Box::new(flate2::read::GzDecoder::new(f))
        } else {
            Box::new(f)
        }
    };
    let refuse = |entry: &str, reason: &str| SourceError::UnsafeEntry {
        path: file.to_owned(),
        entry: entry.to_owned(),
        reason: reason.to_owned(),
    };
    let not_tar = |e: io::Error| SourceError::NotATarball {
        path: file.to_owned(),
        reason: e.to_string(),
    };
    let mut archive = tar::Archive::new(reader);
    let (mut count, mut bytes) = (0u64, 0u64);
    for entry in archive.entries().map_err(not_tar)? {
        let mut entry = entry.map_err(not_tar)?;
        let path = entry.path().map_err(not_tar)?.into_owned();
        let shown = path.display().to_string();
        if !path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(refuse(&shown, "it is absolute or climbs out with `..`"));
        }
        count += 1;
        if count > MAX_ENTRIES {
            return Err(refuse(&shown, "the tarball holds too many entries"));
        }
        let target = into.join(&path);
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            fs::create_dir_all(&target).map_err(SourceError::io(&target))?;
        } else if kind.is_file() {
            bytes += entry.size();
            if bytes > MAX_UNPACKED {
                return Err(refuse(&shown, "it unpacks to more than 2 GiB (a bomb?)"));
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(SourceError::io(parent))?;
            }
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(SourceError::io(&target))?;
            let copied = io::copy(&mut (&mut entry).take(MAX_UNPACKED), &mut out)
                .map_err(SourceError::io(&target))?;
            if copied != entry.size() {
                return Err(refuse(&shown, "its data does not match its header"));
            }
        } else if kind.is_symlink() || kind.is_hard_link() {
            let link = entry.link_name().map_err(not_tar)?.unwrap_or_default();
            let base = path.parent().unwrap_or(Path::new(""));
            if !stays_inside(base, &link) {
                return Err(refuse(&shown, "it is a link that points out of the tree"));
            }
            // Links inside are not needed to look at the sources: left out.
        } else if kind.is_pax_global_extensions()
            || kind.is_pax_local_extensions()
            || kind.is_gnu_longname()
            || kind.is_gnu_longlink()
        {
        } else {
            return Err(refuse(
                &shown,
                "it is a device file or another special file",
            ));
        }
    }
    Ok(())
}

/// Whether `link`, read from directory `base` (relative to the tree's top), stays inside.
fn stays_inside(base: &Path, link: &Path) -> bool {
    if link.is_absolute() {
        return false;
    }
    let mut depth = base.components().count() as i64;
    for part in link.components() {
        match part {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

fn git(
    url: &str,
    reference: Option<&str>,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, SourceError> {
    let local = fs::canonicalize(url).ok().filter(|_| !url.contains("://"));
    let url = local.map_or_else(|| url.to_owned(), |p| p.display().to_string());
    layers::check_url(&url)?;
    let scratch = scratch()?;
    let dir = scratch.path().join("git");
    let repo = ClonedRepo::open_or_init(&dir, &url)?;
    repo.fetch(&mut |t| progress(t.received_bytes as u64, None))?;
    let branch = match reference {
        Some(r) if repo.has_branch(r) => r.to_owned(),
        _ => repo
            .default_branch()?
            .unwrap_or_else(|| "master".to_owned()),
    };
    let commit = repo.resolve(reference.unwrap_or(&branch))?;
    repo.checkout(commit)?;
    Ok(Fetched {
        dir,
        origin: SourceOrigin::Git {
            url,
            branch,
            rev: commit.to_string(),
        },
        version_hint: None,
        _scratch: Some(scratch),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_inside_stay_and_links_out_do_not() {
        assert!(stays_inside(
            Path::new("pkg-1.0/doc"),
            Path::new("../README")
        ));
        assert!(!stays_inside(
            Path::new("pkg-1.0"),
            Path::new("../../etc/passwd")
        ));
        assert!(!stays_inside(Path::new(""), Path::new("/etc/passwd")));
    }
}
