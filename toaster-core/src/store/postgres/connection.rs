//! Reaching the server: the URL (`postgres://USER@HOST:PORT/DB?sslmode=…`), the password
//! (from the URL, `PGPASSWORD` or the password file, never shown), TLS as `sslmode` asks,
//! and the pool of connections.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres::Client;
use postgres::config::{Host, SslMode};
use postgres_openssl::MakeTlsConnector;
use r2d2::Pool;

use super::password;
use super::transaction::Connection;
use crate::store::StoreError;

/// Makes the pool's connections, each set up as [`Target::connect`]'s.
pub(super) struct Manager {
    config: postgres::Config,
    tls: MakeTlsConnector,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Connection;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Connection, postgres::Error> {
        let mut client = self.config.connect(self.tls.clone())?;
        client.batch_execute(&session_settings())?;
        Ok(Connection {
            client,
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut Connection) -> Result<(), postgres::Error> {
        conn.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.client.is_closed()
    }
}

/// How long a statement waits for other transactions' locks before it reports `Busy`.
pub(super) const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections one store keeps at most.
const POOL_SIZE: u32 = 8;

/// A database to connect to.
pub(in crate::store) struct Target {
    config: postgres::Config,
}

impl Target {
    /// Reads `url`. `sslmode` may be `disable`, `prefer` (the default) or `require`, with
    /// libpq's meaning: `require` encrypts but, like libpq, does not check the server's
    /// certificate.
    pub(in crate::store) fn parse(url: &str) -> Result<Target, StoreError> {
        let invalid = |detail: String| StoreError::Backend {
            operation: "read the database URL",
            detail: format!(
                "{detail}; write it as postgres://USER@HOST:PORT/DATABASE[?sslmode=disable|prefer|require]"
            ),
        };
        if let Some(mode) = url
            .split_once('?')
            .into_iter()
            .flat_map(|(_, query)| query.split('&'))
            .find_map(|pair| pair.strip_prefix("sslmode="))
            .filter(|mode| !matches!(*mode, "disable" | "prefer" | "require"))
        {
            return Err(invalid(format!(
                "sslmode `{mode}` is not supported (disable, prefer and require are)"
            )));
        }
        let mut config = postgres::Config::from_str(url).map_err(|e| invalid(e.to_string()))?;
        if config.get_hosts().is_empty() {
            return Err(invalid("the URL names no host".to_owned()));
        }
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .map_err(|_| invalid("the URL names no user, nor do PGUSER or USER".to_owned()))?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_owned();
            config.dbname(&user);
        }
        if config.get_password().is_none()
            && let Some(found) = password::find(&config)
        {
            config.password(found);
        }
        if config.get_application_name().is_none() {
            config.application_name("toaster");
        }
        config.connect_timeout(Duration::from_secs(10));
        Ok(Target { config })
    }

    /// The URL without the password: what messages show.
    pub(in crate::store) fn location(&self) -> String {
        let c = &self.config;
        let host = match c.get_hosts().first() {
            Some(Host::Tcp(name)) if name.contains(':') => format!("[{name}]"),
            Some(Host::Tcp(name)) => name.clone(),
            Some(Host::Unix(dir)) => dir.display().to_string(),
            None => String::new(),
        };
        let port = c
            .get_ports()
            .first()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let mut query = Vec::new();
        match c.get_ssl_mode() {
            SslMode::Disable => query.push("sslmode=disable".to_owned()),
            SslMode::Require => query.push("sslmode=require".to_owned()),
            _ => {}
        }
        // Options (a schema by `-c search_path=…`) name where the data is: kept.
        if let Some(options) = c.get_options() {
            query.push(format!("options={}", escape(options)));
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        format!(
            "postgres://{}@{host}{port}/{}{query}",
            c.get_user().unwrap_or_default(),
            c.get_dbname().unwrap_or_default()
        )
    }

    /// One connection, for opening checks and migrations.
    pub(in crate::store) fn connect(&self) -> Result<Client, StoreError> {
        let mut client = self
            .config
            .connect(tls()?)
            .map_err(|e| self.unreachable(&e))?;
        client
            .batch_execute(&session_settings())
            .map_err(|e| self.unreachable(&e))?;
        Ok(client)
    }

    /// The pool the store draws its connections from.
    pub(super) fn pool(&self) -> Result<Pool<Manager>, StoreError> {
        let manager = Manager {
            config: self.config.clone(),
            tls: tls()?,
        };
        Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(30))
            .build(manager)
            .map_err(|e| StoreError::Backend {
                operation: "connected to the database",
                detail: e.to_string(),
            })
    }

    fn unreachable(&self, e: &postgres::Error) -> StoreError {
        StoreError::Backend {
            operation: "connected to the database",
            detail: format!(
                "{} ({}); check that the server runs, and the user, the database and the \
                 password (PGPASSWORD or ~/.pgpass)",
                super::driver::message(e),
                self.location()
            ),
        }
    }
}

/// `text` percent-encoded for a URL's query, all but the plainest bytes escaped.
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// What every connection sets first: lock waits end as `Busy`, times are UTC.
fn session_settings() -> String {
    format!(
        "SET lock_timeout = '{}ms'; SET TIME ZONE 'UTC'",
        LOCK_TIMEOUT.as_millis()
    )
}

/// TLS for `prefer` and `require`: encrypted, the certificate not checked (as libpq does
/// for these modes).
fn tls() -> Result<MakeTlsConnector, StoreError> {
    let mut builder = SslConnector::builder(SslMethod::tls()).map_err(|e| StoreError::Backend {
        operation: "set up TLS",
        detail: e.to_string(),
    })?;
    builder.set_verify(SslVerifyMode::NONE);
    let mut connector = MakeTlsConnector::new(builder.build());
    connector.set_callback(|config, _| {
        config.set_verify_hostname(false);
        Ok(())
    });
    Ok(connector)
}
