//! Where a command runs: which database, which project directory, which client, which owner
//! acts, and how each was chosen.

use std::path::{Path, PathBuf};

use clap::ArgMatches;
use clap::parser::ValueSource;
use toaster_core::model::{ModelError, check_client};
use toaster_core::project_dir::MarkedDir;
use toaster_core::schema::Schema;
use toaster_core::store::{PostgresStore, StoreError, is_database_url};
use toaster_core::{Actor, Error, Toaster};

use crate::commands::Failure;

/// The database used when neither an option, the environment nor a marker names one.
pub const DEFAULT_DB: &str = "toaster.sqlite";

/// How the database in effect was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbSource {
    /// `--db PATH`.
    Option,
    /// TOASTER_DB.
    Environment,
    /// The marker of the project directory the command runs in (this file).
    Marker(PathBuf),
    /// `toaster.sqlite` in the current directory.
    Default,
}

/// How the owner named on the command line or in the environment was named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerSource {
    /// `--as OWNER`.
    Option,
    /// TOASTER_OWNER.
    Environment,
}

/// The database path and how it was chosen, the project directory found around the current
/// directory, the owner named on the command line or in the environment, and an extra
/// schema file.
pub struct Context {
    pub db: PathBuf,
    pub db_source: DbSource,
    /// The nearest marked project directory at or above the current directory.
    pub marked: Option<MarkedDir>,
    pub acting: Option<(String, OwnerSource)>,
    pub schema: Option<PathBuf>,
}

impl Context {
    /// The context of a command line: explicit options and the environment win; without
    /// them the database is the one the nearest project directory's marker records, else
    /// [`DEFAULT_DB`].
    pub fn new(
        matches: &ArgMatches,
        db: Option<PathBuf>,
        acting: Option<String>,
        schema: Option<PathBuf>,
    ) -> Result<Context, Failure> {
        let here = std::env::current_dir().map_err(|e| Failure::User {
            message: format!("cannot read the current directory: {e}"),
            hint: "run toaster from a directory that exists, or give --db PATH".to_owned(),
        })?;
        let marked = Toaster::find_marked_dir(&here)?;
        let from = |id: &str| matches.value_source(id);
        let (db, db_source) = match (db, from("db")) {
            (Some(db), Some(ValueSource::EnvVariable)) => (db, DbSource::Environment),
            (Some(db), _) => (db, DbSource::Option),
            (None, _) => match marked.as_ref().and_then(|m| Some((m.database.clone()?, m))) {
                Some((db, marked)) => (db, DbSource::Marker(marked.marker())),
                None => (PathBuf::from(DEFAULT_DB), DbSource::Default),
            },
        };
        let acting = acting.map(|name| match from("acting") {
            Some(ValueSource::EnvVariable) => (name, OwnerSource::Environment),
            _ => (name, OwnerSource::Option),
        });
        Ok(Context {
            db,
            db_source,
            marked,
            acting,
            schema,
        })
    }

    /// The marked project directory around the current directory when its project belongs
    /// to the database in effect: the marker records this database, or (an older marker)
    /// records none.
    pub fn marked_project(&self) -> Option<&MarkedDir> {
        let marked = self.marked.as_ref()?;
        let ours = match &marked.database {
            None => true,
            Some(db) => same_file(db, &self.db),
        };
        ours.then_some(marked)
    }

    /// The database in effect as messages show it: a file's path, or a URL without its
    /// password.
    pub fn db_shown(&self) -> String {
        match self.db.to_str().filter(|_| is_database_url(&self.db)) {
            Some(url) => PostgresStore::location_of(url)
                .unwrap_or_else(|| "a PostgreSQL URL that is not valid".to_owned()),
            None => self.db.display().to_string(),
        }
    }

    /// Opens the existing database, with the extra schema if one is given.
    pub fn open(&self) -> Result<Toaster, Error> {
        let toaster = Toaster::open(&self.db)?;
        Ok(match &self.schema {
            Some(path) => {
                let schema = toaster.schema().with_file(path)?;
                toaster.with_schema(schema)
            }
            None => toaster,
        })
    }

    /// Opens the database, or starts one where there is none: no file, or an empty one
    /// (only `owner add` does this). Says whether it was started.
    pub fn open_or_create(&self) -> Result<(Toaster, bool), Error> {
        match self.open() {
            Err(Error::Store(StoreError::Missing { .. } | StoreError::Empty { .. })) => {}
            other => return other.map(|toaster| (toaster, false)),
        }
        match Toaster::init(&self.db) {
            // Another process started it meanwhile.
            Err(Error::Store(StoreError::AlreadyExists { .. })) => Ok((self.open()?, false)),
            other => other.map(|toaster| (toaster, true)),
        }
    }

    /// The variable specs: the built-in catalogue, with the extra schema if one is given.
    pub fn schema(&self) -> Result<Schema, Error> {
        let builtin = Schema::builtin();
        Ok(match &self.schema {
            Some(path) => builtin.with_file(path)?,
            None => builtin.clone(),
        })
    }

    /// The owner acting: `--as`/TOASTER_OWNER, else the one this client last chose.
    pub fn actor(&self, toaster: &Toaster) -> Result<Actor, Error> {
        match &self.acting {
            Some((name, _)) => toaster.act_as(name, &client()?),
            None => toaster.act_as_remembered(&client()?),
        }
    }

    /// The hint for an error, in the words of this command line: where no database was
    /// found by default, it also says that no project directory was found above.
    pub fn hint(&self, e: &Error) -> Option<String> {
        let hint = e.hint()?;
        Some(match (e, &self.db_source) {
            (Error::Store(StoreError::Missing { .. }), DbSource::Default) => format!(
                "no project directory (one holding a {}) was found in the current directory or above it, so the default was used; {hint}",
                toaster_core::project_dir::MARKER
            ),
            _ => hint,
        })
    }
}

/// Whether two paths name the same file (compared canonically; as given when either is
/// missing), or two PostgreSQL URLs the same database (as their locations show them).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if is_database_url(a) || is_database_url(b) {
        let location = |p: &Path| p.to_str().and_then(PostgresStore::location_of);
        return is_database_url(a) && is_database_url(b) && location(a) == location(b);
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => std::path::absolute(a).ok() == std::path::absolute(b).ok(),
    }
}

/// This client's identity: TOASTER_CLIENT if set (one line of plain text), else the
/// command line, the login name and the host, e.g. `cli:alice@buildhost`.
pub fn client() -> Result<String, Error> {
    const VARIABLE: &str = "TOASTER_CLIENT";
    match std::env::var(VARIABLE) {
        Ok(client) if !client.is_empty() => {
            check_client(VARIABLE, &client)?;
            return Ok(client);
        }
        Err(std::env::VarError::NotUnicode(raw)) => {
            return Err(ModelError::invalid(
                VARIABLE,
                &raw.to_string_lossy(),
                "it is not UTF-8 text",
                "give it as one line of plain text, such as `cli:alice@buildhost`",
            )
            .into());
        }
        _ => {}
    }
    let user = ["USER", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(login_from_passwd)
        .unwrap_or_else(|| "unknown".to_owned());
    Ok(format!("cli:{user}@{}", Toaster::host_name()))
}

/// The login name of this process's user, from its uid and /etc/passwd (for environments
/// without USER, such as cron jobs and containers).
fn login_from_passwd() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_owned())
    })
}
