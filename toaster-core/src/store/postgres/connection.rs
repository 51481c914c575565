//! Reaching the server: the URL (`postgres://USER@HOST:PORT/DB?sslmode=…`), the password
//! (from the URL, `PGPASSWORD` or the password file, never shown), TLS as `sslmode` asks,
//! and the pool of connections.

use std::collections::HashMap;
use std::path::PathBuf;
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

/// How the server's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verify {
    /// Not at all (`disable`, `prefer`, `require`, as libpq does).
    Nothing,
    /// Signed by the CA in this file (`verify-ca`).
    Ca(PathBuf),
    /// Signed by the CA in this file and naming the host connected to (`verify-full`).
    Full(PathBuf),
}

/// A database to connect to.
pub(in crate::store) struct Target {
    config: postgres::Config,
    verify: Verify,
}

/// The value of `key` in the URL's query, if given.
fn query_value<'u>(url: &'u str, key: &str) -> Option<&'u str> {
    url.split_once('?')
        .into_iter()
        .flat_map(|(_, query)| query.split('&'))
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// `url` without `keys` in its query.
fn without(url: &str, keys: &[&str]) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !keys.contains(&pair.split('=').next().unwrap_or_default()))
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// The CA certificate `verify-ca` and `verify-full` check the server's against, as libpq
/// finds it: `sslrootcert` in the URL, else `PGSSLROOTCERT`, else `~/.postgresql/root.crt`.
fn root_cert(url: &str) -> Option<PathBuf> {
    query_value(url, "sslrootcert")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("PGSSLROOTCERT").map(PathBuf::from))
        .or_else(|| {
            std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".postgresql/root.crt"))
        })
}

impl Target {
    /// Reads `url`. `sslmode` may be `disable`, `prefer` (the default), `require`,
    /// `verify-ca` or `verify-full`, with libpq's meaning: `require` encrypts but does not
    /// check the server's certificate; `verify-ca` checks it against the CA certificate
    /// (`sslrootcert`, `PGSSLROOTCERT` or `~/.postgresql/root.crt`), and `verify-full` also
    /// that it names the host.
    pub(in crate::store) fn parse(url: &str) -> Result<Target, StoreError> {
        let invalid = |detail: String| StoreError::Backend {
            operation: "read the database URL",
            detail: format!(
                "{detail}; write it as postgres://USER@HOST:PORT/DATABASE[?sslmode=disable|prefer|require|verify-ca|verify-full]"
            ),
        };
        let mode = query_value(url, "sslmode");
        if let Some(mode) = mode.filter(|mode| {
            !matches!(
                *mode,
                "disable" | "prefer" | "require" | "verify-ca" | "verify-full"
            )
        }) {
            return Err(invalid(format!(
                "sslmode `{mode}` is not supported (disable, prefer, require, verify-ca and verify-full are)"
            )));
        }
        let verify = match mode {
            Some(mode @ ("verify-ca" | "verify-full")) => {
                let Some(root) = root_cert(url).filter(|path| path.is_file()) else {
                    return Err(invalid(format!(
                        "sslmode={mode} needs the certificate of the CA that signed the server's, and none was found: give it as sslrootcert=FILE, or in PGSSLROOTCERT or ~/.postgresql/root.crt"
                    )));
                };
                if mode == "verify-ca" {
                    Verify::Ca(root)
                } else {
                    Verify::Full(root)
                }
            }
            _ => Verify::Nothing,
        };
        // The driver knows neither the verifying modes nor `sslrootcert`: it is told to
        // require TLS, and the checks are made here.
        let driver_url = match verify {
            Verify::Nothing => url.to_owned(),
            _ => {
                let rest = without(url, &["sslmode", "sslrootcert"]);
                let joint = if rest.contains('?') { '&' } else { '?' };
                format!("{rest}{joint}sslmode=require")
            }
        };
        let mut config =
            postgres::Config::from_str(&driver_url).map_err(|e| invalid(e.to_string()))?;
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
        Ok(Target { config, verify })
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
        match (&self.verify, c.get_ssl_mode()) {
            (Verify::Ca(root) | Verify::Full(root), _) => {
                let mode = match self.verify {
                    Verify::Full(_) => "verify-full",
                    _ => "verify-ca",
                };
                query.push(format!("sslmode={mode}"));
                query.push(format!("sslrootcert={}", escape(&root.to_string_lossy())));
            }
            (Verify::Nothing, SslMode::Disable) => query.push("sslmode=disable".to_owned()),
            (Verify::Nothing, SslMode::Require) => query.push("sslmode=require".to_owned()),
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
            .connect(tls(&self.verify)?)
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
            tls: tls(&self.verify)?,
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
        // A certificate refused by verify-ca or verify-full: what OpenSSL said, and what
        // to check, instead of a bare "error performing TLS handshake".
        let tls = std::iter::successors(std::error::Error::source(e), |s| s.source())
            .find_map(|s| s.downcast_ref::<openssl::ssl::Error>())
            .and_then(openssl::ssl::Error::ssl_error)
            .map(|stack| stack.to_string());
        let detail = match (&self.verify, tls) {
            (Verify::Ca(root) | Verify::Full(root), Some(why)) => format!(
                "the server's certificate was refused: {why} ({}); check that {} holds the \
                 certificate of the CA that signed the server's{}",
                self.location(),
                root.display(),
                if matches!(self.verify, Verify::Full(_)) {
                    ", and that the certificate names the host in the URL"
                } else {
                    ""
                }
            ),
            _ => format!(
                "{} ({}); check that the server runs, and the user, the database and the \
                 password (PGPASSWORD or ~/.pgpass)",
                super::driver::message(e),
                self.location()
            ),
        };
        StoreError::Backend {
            operation: "connected to the database",
            detail,
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

/// TLS as `verify` asks: for `prefer` and `require` encrypted, the certificate not
/// checked (as libpq does for these modes); for `verify-ca` checked against the CA file;
/// for `verify-full` also against the host connected to.
fn tls(verify: &Verify) -> Result<MakeTlsConnector, StoreError> {
    let failed = |e: openssl::error::ErrorStack| StoreError::Backend {
        operation: "set up TLS",
        detail: e.to_string(),
    };
    let mut builder = SslConnector::builder(SslMethod::tls()).map_err(failed)?;
    match verify {
        Verify::Nothing => builder.set_verify(SslVerifyMode::NONE),
        Verify::Ca(root) | Verify::Full(root) => {
            builder.set_verify(SslVerifyMode::PEER);
            builder.set_ca_file(root).map_err(|e| StoreError::Backend {
                operation: "set up TLS",
                detail: format!("cannot read the CA certificate {}: {e}", root.display()),
            })?;
        }
    }
    let mut connector = MakeTlsConnector::new(builder.build());
    let check_host = matches!(verify, Verify::Full(_));
    connector.set_callback(move |config, _| {
        config.set_verify_hostname(check_host);
        Ok(())
    });
    Ok(connector)
}
