//! Opening a connection to a database file. In WAL mode even a reader needs the `-wal`
//! and `-shm` files beside the database, and makes them if they are missing: a reader who
//! may not write in the directory cannot, and one who may not write the database itself
//! leaves them behind owned by itself, which stops its owner's writes. So where SQLite
//! opens the database read-only (or may not make the files) and there is no `-wal` file,
//! which means no process has the database open, it is opened again immutable: read-only,
//! with nothing made beside it.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, MAIN_DB, OpenFlags};

use super::{BUSY_TIMEOUT, migration};
use crate::store::StoreError;

/// How a connection shares the database with other processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sharing {
    /// The usual way: WAL, locks, the `-wal` and `-shm` files.
    Wal,
    /// Read-only, no locks and no files beside it; for a database nobody has open.
    Immutable,
}

/// A connection to `path`, its sharing, and the schema version [`migration::check`] read
/// (refusing a database that is not Toaster's). Only reads: no journal mode is set yet.
/// `may_read_only`: an immutable connection will do (the database must exist).
pub(super) fn open(
    path: &Path,
    extra: OpenFlags,
    may_read_only: bool,
) -> Result<(Connection, Sharing, i64), StoreError> {
    let immutable_possible = may_read_only && !wal_file(path).exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e.to_string()),
    })?;
    // SQLite opens a file this user may not write read-only; nothing is read yet.
    let read_only = conn
        .is_readonly(MAIN_DB)
        .map_err(|e| migration::map_open_error(e, path))?;
    if immutable_possible && read_only {
        drop(conn);
        return immutable(path);
    }
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| migration::map_open_error(e, path))?;
    match migration::check(&conn, path) {
        Ok(version) => Ok((conn, Sharing::Wal, version)),
        Err(StoreError::ReadOnlyDirectory { .. }) if immutable_possible => {
            drop(conn);
            immutable(path)
        }
        Err(e) => Err(e),
    }
}

fn immutable(path: &Path) -> Result<(Connection, Sharing, i64), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(immutable_uri(path)?, flags).map_err(|e| StoreError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let version = migration::check(&conn, path)?;
    Ok((conn, Sharing::Immutable, version))
}

/// The `-wal` file of the database at `path`.
fn wal_file(path: &Path) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push("-wal");
    PathBuf::from(name)
}

/// `file:///abs/path?immutable=1`, every byte of the path but the plainest ones escaped.
fn immutable_uri(path: &Path) -> Result<PathBuf, StoreError> {
    let absolute = std::path::absolute(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut uri = b"file://".to_vec();
    for &byte in absolute.as_os_str().as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/._~-".contains(&byte) {
            uri.push(byte);
        } else {
            uri.extend(format!("%{byte:02X}").bytes());
        }
    }
    uri.extend(b"?immutable=1");
    Ok(PathBuf::from(OsString::from_vec(uri)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_escapes_what_a_uri_reads_specially() {
        let uri = immutable_uri(Path::new("/srv/a b/x?y#z%.sqlite")).unwrap();
        assert_eq!(
            uri,
            Path::new("file:///srv/a%20b/x%3Fy%23z%25.sqlite?immutable=1")
        );
    }
}
