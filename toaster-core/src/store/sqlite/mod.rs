//! The embedded SQLite backend: one database file, shared safely by many processes
//! (WAL, immediate write transactions, a busy timeout).

mod driver;
mod migration;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params,
};

use self::driver::{driver_error, is_unique_violation};
use crate::model::{
    Name, NewOwner, NewProject, NewRevision, Owner, OwnerId, OwnerUpdate, Project, ProjectConfig,
    ProjectId, Release, Revision, RevisionNumber, Timestamp,
};
use crate::store::{Store, StoreError};

/// How long a statement waits for other processes' locks before it reports `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`Store`] in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

const OWNER_COLUMNS: &str = "id, name, email, client, created_at";
const PROJECT_SELECT: &str = "SELECT p.id, p.name, p.dir, p.release, p.owner_id, o.name, \
     p.created_at, p.head FROM project p JOIN owner o ON o.id = p.owner_id";
const REVISION_SELECT: &str = "SELECT r.project_id, r.number, o.name, r.created_at, \
     r.description, r.restores, r.config FROM config_revision r JOIN owner o ON o.id = r.author_id";

impl SqliteStore {
    /// Creates a new database file at `path` with the current schema.
    /// `AlreadyExists` if a file is there.
    pub fn init(path: &Path) -> Result<SqliteStore, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists {
                entity: "database",
                key: path.display().to_string(),
            });
        }
        Self::connect(path, OpenFlags::SQLITE_OPEN_CREATE)
    }

    /// Opens the database at `path`, bringing its schema up to date.
    /// `Missing` if there is no file, `NotADatabase` or `TooNew` if it cannot be used.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_owned(),
            });
        }
        Self::connect(path, OpenFlags::empty())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connect(path: &Path, extra: OpenFlags) -> Result<SqliteStore, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let settings = || -> rusqlite::Result<()> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.pragma_update(None, "foreign_keys", true)?;
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "journal_mode stayed {mode}"
                )));
            }
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(())
        };
        settings().map_err(|e| migration::map_open_error(e, path))?;
        migration::migrate(&mut conn, path)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteStore {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: every write is a
        // transaction that rolls back when dropped.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `body` in an immediate (write-locking) transaction and commits it.
    fn write<T>(
        &self,
        operation: &'static str,
        body: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e, operation))?;
        let value = body(&tx)?;
        tx.commit().map_err(|e| self.err(e, operation))?;
        Ok(value)
    }

    fn err(&self, e: rusqlite::Error, operation: &'static str) -> StoreError {
        match driver_error(e, operation) {
            StoreError::Busy { waited_ms, .. } => StoreError::Busy {
                location: self.location(),
                waited_ms,
            },
            other => other,
        }
    }

    /// A UNIQUE violation becomes `AlreadyExists { entity, key }`; anything else is mapped
    /// as usual.
    fn unique(
        &self,
        e: rusqlite::Error,
        operation: &'static str,
        entity: &'static str,
        key: &str,
    ) -> StoreError {
        if is_unique_violation(&e) {
            StoreError::AlreadyExists {
                entity,
                key: key.to_owned(),
            }
        } else {
            self.err(e, operation)
        }
    }

    fn owner_in(&self, conn: &Connection, name: &str) -> Result<Owner, StoreError> {
        conn.prepare_cached(&format!(
            "SELECT {OWNER_COLUMNS} FROM owner WHERE name = ?1"
        ))
        .and_then(|mut s| s.query_row([name], owner_row).optional())
        .map_err(|e| self.err(e, "read an owner"))
        .and_then(|row| found(row, "owner", name))
    }

    fn owner_by_id(&self, conn: &Connection, id: OwnerId) -> Result<Owner, StoreError> {
        conn.prepare_cached(&format!("SELECT {OWNER_COLUMNS} FROM owner WHERE id = ?1"))
            .and_then(|mut s| s.query_row([id.0], owner_row).optional())
            .map_err(|e| self.err(e, "read an owner"))
            .and_then(|row| found(row, "owner", &id.to_string()))
    }

    fn project_where(
        &self,
        conn: &Connection,
        condition: &str,
        key: &dyn rusqlite::ToSql,
        shown: &str,
    ) -> Result<Project, StoreError> {
        conn.prepare_cached(&format!("{PROJECT_SELECT} WHERE {condition}"))
            .and_then(|mut s| s.query_row([key], project_row).optional())
            .map_err(|e| self.err(e, "read a project"))
            .and_then(|row| found(row, "project", shown))
    }

    fn insert_revision(
        &self,
        tx: &Transaction<'_>,
        project: ProjectId,
        number: RevisionNumber,
        revision: &NewRevision,
    ) -> Result<Revision, StoreError> {
        let config = serde_json::to_string(&revision.config).map_err(|e| StoreError::Corrupt {
            what: "configuration",
            detail: e.to_string(),
        })?;
        let now = Timestamp::now();
        tx.prepare_cached(
            "INSERT INTO config_revision (project_id, number, author_id, created_at, \
             description, restores, config) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .and_then(|mut s| {
            s.execute(params![
                project.0,
                number.0,
                revision.author.0,
                now.0,
                revision.description,
                revision.restores.map(|r| r.0),
                config
            ])
        })
        .map_err(|e| self.err(e, "wrote a configuration revision"))?;
        let author = self.owner_by_id(tx, revision.author)?;
        Ok(Revision {
            project,
            number,
            author: author.name,
            created_at: now,
            description: revision.description.clone(),
            restores: revision.restores,
            config: revision.config.clone(),
        })
    }
}

/// The decoded row, or `NotFound` when there was none.
fn found<T>(
    row: Option<Result<T, StoreError>>,
    entity: &'static str,
    key: &str,
) -> Result<T, StoreError> {
    row.unwrap_or_else(|| {
        Err(StoreError::NotFound {
            entity,
            key: key.to_owned(),
        })
    })
}

impl Store for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn add_owner(&self, owner: &NewOwner) -> Result<Owner, StoreError> {
        self.write("added an owner", |tx| {
            let now = Timestamp::now();
            let id = tx
                .prepare_cached("INSERT INTO owner (name, email, created_at) VALUES (?1, ?2, ?3)")
                .and_then(|mut s| s.insert(params![owner.name.as_str(), owner.email, now.0]))
                .map_err(|e| self.unique(e, "added an owner", "owner", owner.name.as_str()))?;
            Ok(Owner {
                id: OwnerId(id),
                name: owner.name.clone(),
                email: owner.email.clone(),
                client: None,
                created_at: now,
            })
        })
    }

    fn owner(&self, name: &str) -> Result<Owner, StoreError> {
        self.owner_in(&self.conn(), name)
    }

    fn owners(&self) -> Result<Vec<Owner>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {OWNER_COLUMNS} FROM owner ORDER BY name"))
            .map_err(|e| self.err(e, "listed owners"))?;
        let rows = stmt
            .query_map([], owner_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e, "listed owners"))?;
        rows.into_iter().collect()
    }

    fn update_owner(&self, id: OwnerId, update: &OwnerUpdate) -> Result<Owner, StoreError> {
        self.write("changed an owner", |tx| {
            let mut owner = self.owner_by_id(tx, id)?;
            if let Some(name) = &update.name {
                owner.name = name.clone();
            }
            if let Some(email) = &update.email {
                owner.email = email.clone();
            }
            tx.prepare_cached("UPDATE owner SET name = ?2, email = ?3 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![id.0, owner.name.as_str(), owner.email]))
                .map_err(|e| self.unique(e, "changed an owner", "owner", owner.name.as_str()))?;
            Ok(owner)
        })
    }

    fn remember_owner(&self, client: &str, owner: OwnerId) -> Result<(), StoreError> {
        self.write("remembered the owner of a client", |tx| {
            self.owner_by_id(tx, owner)?;
            tx.prepare_cached(
                "INSERT INTO client_owner (client, owner_id, chosen_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (client) DO UPDATE SET owner_id = ?2, chosen_at = ?3",
            )
            .and_then(|mut s| s.execute(params![client, owner.0, Timestamp::now().0]))
            .and_then(|_| {
                tx.prepare_cached("UPDATE owner SET client = ?2 WHERE id = ?1")
                    .and_then(|mut s| s.execute(params![owner.0, client]))
            })
            .map_err(|e| self.err(e, "remembered the owner of a client"))?;
            Ok(())
        })
    }

    fn remembered_owner(&self, client: &str) -> Result<Option<Owner>, StoreError> {
        let conn = self.conn();
        let id = conn
            .prepare_cached("SELECT owner_id FROM client_owner WHERE client = ?1")
            .and_then(|mut s| s.query_row([client], |r| r.get::<_, i64>(0)).optional())
            .map_err(|e| self.err(e, "read the owner of a client"))?;
        id.map(|id| self.owner_by_id(&conn, OwnerId(id)))
            .transpose()
    }

    fn create_project(
        &self,
        project: &NewProject,
        first: &NewRevision,
    ) -> Result<Project, StoreError> {
        let dir = path_text(&project.dir)?;
        self.write("created a project", |tx| {
            let now = Timestamp::now();
            let id = tx
                .prepare_cached(
                    "INSERT INTO project (name, dir, release, owner_id, created_at, head) \
                     VALUES (?1, ?2, ?3, ?4, ?5, 1)",
                )
                .and_then(|mut s| {
                    s.insert(params![
                        project.name.as_str(),
                        dir,
                        project.release.name(),
                        project.owner.0,
                        now.0
                    ])
                })
                .map_err(|e| {
                    // Which UNIQUE column refused is only in SQLite's message.
                    if e.to_string().contains("project.dir") {
                        self.unique(e, "created a project", "project directory", dir)
                    } else {
                        self.unique(e, "created a project", "project", project.name.as_str())
                    }
                })?;
            let id = ProjectId(id);
            self.insert_revision(tx, id, RevisionNumber::FIRST, first)?;
            self.project_where(tx, "p.id = ?1", &id.0, project.name.as_str())
        })
    }

    fn project(&self, name: &str) -> Result<Project, StoreError> {
        self.project_where(&self.conn(), "p.name = ?1", &name, name)
    }

    fn projects(&self) -> Result<Vec<Project>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!("{PROJECT_SELECT} ORDER BY p.name"))
            .map_err(|e| self.err(e, "listed projects"))?;
        let rows = stmt
            .query_map([], project_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e, "listed projects"))?;
        rows.into_iter().collect()
    }

    fn delete_project(&self, id: ProjectId) -> Result<(), StoreError> {
        self.write("deleted a project", |tx| {
            let deleted = tx
                .prepare_cached("DELETE FROM project WHERE id = ?1")
                .and_then(|mut s| s.execute([id.0]))
                .map_err(|e| self.err(e, "deleted a project"))?;
            if deleted == 0 {
                return Err(StoreError::NotFound {
                    entity: "project",
                    key: id.to_string(),
                });
            }
            Ok(())
        })
    }

    fn commit_revision(
        &self,
        project: ProjectId,
        base: RevisionNumber,
        revision: &NewRevision,
    ) -> Result<Revision, StoreError> {
        self.write("committed a configuration revision", |tx| {
            let next = base.next();
            let moved = tx
                .prepare_cached("UPDATE project SET head = ?3 WHERE id = ?1 AND head = ?2")
                .and_then(|mut s| s.execute(params![project.0, base.0, next.0]))
                .map_err(|e| self.err(e, "committed a configuration revision"))?;
            if moved == 0 {
                let head = tx
                    .prepare_cached("SELECT head FROM project WHERE id = ?1")
                    .and_then(|mut s| s.query_row([project.0], |r| r.get::<_, u32>(0)).optional())
                    .map_err(|e| self.err(e, "read a project's head revision"))?;
                return Err(match head {
                    Some(head) => StoreError::Conflict {
                        project,
                        base,
                        head: RevisionNumber(head),
                    },
                    None => StoreError::NotFound {
                        entity: "project",
                        key: project.to_string(),
                    },
                });
            }
            self.insert_revision(tx, project, next, revision)
        })
    }

    fn revision(&self, project: ProjectId, number: RevisionNumber) -> Result<Revision, StoreError> {
        let conn = self.conn();
        conn.prepare_cached(&format!(
            "{REVISION_SELECT} WHERE r.project_id = ?1 AND r.number = ?2"
        ))
        .and_then(|mut s| {
            s.query_row(params![project.0, number.0], revision_row)
                .optional()
        })
        .map_err(|e| self.err(e, "read a configuration revision"))
        .and_then(|row| found(row, "revision", &format!("{number} of project {project}")))
    }

    fn history(&self, project: ProjectId) -> Result<Vec<Revision>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "{REVISION_SELECT} WHERE r.project_id = ?1 ORDER BY r.number"
            ))
            .map_err(|e| self.err(e, "listed configuration revisions"))?;
        let rows = stmt
            .query_map([project.0], revision_row)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e, "listed configuration revisions"))?;
        rows.into_iter().collect()
    }
}

/// Paths are stored as UTF-8 text so that every backend and every host can read them.
fn path_text(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| StoreError::Io {
        path: path.to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not valid UTF-8; choose a directory whose name is",
        ),
    })
}

/// Decodes a stored name; a name that no longer passes the rules is damage.
fn stored_name(value: String) -> Result<Name, StoreError> {
    Name::parse("name", &value).map_err(|e| StoreError::Corrupt {
        what: "name",
        detail: e.to_string(),
    })
}

// Row decoders return a nested Result: the outer one is the driver's, the inner one ours,
// since a column can be read fine and still not decode into the domain.

fn owner_row(row: &Row<'_>) -> rusqlite::Result<Result<Owner, StoreError>> {
    let name: String = row.get(1)?;
    let (id, email, client, created_at) = (row.get(0)?, row.get(2)?, row.get(3)?, row.get(4)?);
    Ok(stored_name(name).map(|name| Owner {
        id: OwnerId(id),
        name,
        email,
        client,
        created_at: Timestamp(created_at),
    }))
}

fn project_row(row: &Row<'_>) -> rusqlite::Result<Result<Project, StoreError>> {
    let (name, dir, release, owner_name): (String, String, String, String) =
        (row.get(1)?, row.get(2)?, row.get(3)?, row.get(5)?);
    let (id, owner, created_at, head): (i64, i64, i64, u32) =
        (row.get(0)?, row.get(4)?, row.get(6)?, row.get(7)?);
    Ok((|| {
        Ok(Project {
            id: ProjectId(id),
            name: stored_name(name)?,
            dir: PathBuf::from(dir),
            release: Release::parse(&release).map_err(|e| StoreError::Corrupt {
                what: "release",
                detail: e.to_string(),
            })?,
            owner: OwnerId(owner),
            owner_name: stored_name(owner_name)?,
            created_at: Timestamp(created_at),
            head: RevisionNumber(head),
        })
    })())
}

fn revision_row(row: &Row<'_>) -> rusqlite::Result<Result<Revision, StoreError>> {
    let (project, number, author, created_at): (i64, u32, String, i64) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    let (description, restores, config): (String, Option<u32>, String) =
        (row.get(4)?, row.get(5)?, row.get(6)?);
    Ok((|| {
        Ok(Revision {
            project: ProjectId(project),
            number: RevisionNumber(number),
            author: stored_name(author)?,
            created_at: Timestamp(created_at),
            description,
            restores: restores.map(RevisionNumber),
            config: serde_json::from_str::<ProjectConfig>(&config).map_err(|e| {
                StoreError::Corrupt {
                    what: "configuration",
                    detail: e.to_string(),
                }
            })?,
        })
    })())
}

#[cfg(test)]
mod tests;
