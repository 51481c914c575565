//! Where a command runs: which database, which client, which owner acts.

use std::path::PathBuf;

use toaster_core::model::{ModelError, check_client};
use toaster_core::schema::Schema;
use toaster_core::store::StoreError;
use toaster_core::{Actor, Error, Toaster};

/// The database path, the owner named on the command line or in the environment, and an
/// extra schema file.
pub struct Context {
    pub db: PathBuf,
    pub acting: Option<String>,
    pub schema: Option<PathBuf>,
}

impl Context {
    /// Opens the existing database, with the extra schema if one is given.
    pub fn open(&self) -> Result<Toaster, Error> {
        let toaster = Toaster::open_sqlite(&self.db)?;
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
        match Toaster::init_sqlite(&self.db) {
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
            Some(name) => toaster.act_as(name, &client()?),
            None => toaster.act_as_remembered(&client()?),
        }
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
    Ok(format!("cli:{user}@{}", toaster_core::runner::host_name()))
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
