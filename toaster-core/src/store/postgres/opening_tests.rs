//! Opening a PostgreSQL database: what is refused, and what `location` shows.

use std::io::Write;

use super::*;
use crate::store::test_server;
use crate::store::{Store, conformance};

/// Runs SQL on the schema the URL `url` uses.
fn sql(url: &str, statements: &str) {
    let mut client = Target::parse(url).unwrap().connect().unwrap();
    client.batch_execute(statements).unwrap();
}

#[test]
fn an_empty_schema_is_opened_only_to_init_it() {
    let Some(server) = test_server::server("an_empty_schema_is_opened_only_to_init_it") else {
        return;
    };
    let url = server.fresh_schema();
    assert!(matches!(
        PostgresStore::open(&url),
        Err(StoreError::Empty { .. })
    ));
    let store = PostgresStore::init(&url).unwrap();
    conformance::owner(&store, "alice");
    drop(store);
    assert!(matches!(
        PostgresStore::init(&url),
        Err(StoreError::AlreadyExists { .. })
    ));
    let again = PostgresStore::open(&url).unwrap();
    assert_eq!(again.owner("ALICE").unwrap().name.as_str(), "alice");
    let either = PostgresStore::open_or_init(&server.fresh_schema()).unwrap();
    assert!(either.owners().unwrap().is_empty());
}

#[test]
fn another_programs_tables_are_refused_and_left_alone() {
    let Some(server) = test_server::server("another_programs_tables_are_refused_and_left_alone")
    else {
        return;
    };
    let url = server.fresh_schema();
    sql(&url, "CREATE TABLE invoices (id BIGINT PRIMARY KEY)");
    for opened in [PostgresStore::open(&url), PostgresStore::open_or_init(&url)] {
        let error = opened.unwrap_err();
        assert!(matches!(error, StoreError::NotADatabase { .. }), "{error}");
        assert!(error.to_string().contains("another program"), "{error}");
    }
    let mut client = Target::parse(&url).unwrap().connect().unwrap();
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        tables, 1,
        "nothing was made beside the other program's table"
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(server) = test_server::server("a_newer_schema_is_refused") else {
        return;
    };
    let url = server.fresh_schema();
    drop(PostgresStore::init(&url).unwrap());
    sql(
        &url,
        &format!(
            "UPDATE toaster_schema SET version = {}",
            migration::LATEST + 1
        ),
    );
    let error = PostgresStore::open(&url).unwrap_err();
    assert!(
        matches!(error, StoreError::TooNew { found, supported, .. }
            if found == migration::LATEST + 1 && supported == migration::LATEST),
        "{error}"
    );
}

#[test]
fn the_location_never_shows_the_password() {
    let Some(server) = test_server::server("the_location_never_shows_the_password") else {
        return;
    };
    // The test server trusts local connections: any password is accepted.
    let url =
        server
            .fresh_schema()
            .replacen("postgres://toaster@", "postgres://toaster:s3cret-pw@", 1);
    let store = PostgresStore::init(&url).unwrap();
    let location = store.location();
    assert!(!location.contains("s3cret-pw"), "{location}");
    assert!(
        location.starts_with("postgres://toaster@127.0.0.1:"),
        "{location}"
    );
    // The schema is part of where the data is: kept.
    assert!(
        location.contains("/toaster_test?sslmode=disable&options=-c%20search_path%3Dtoaster_test_"),
        "{location}"
    );
    assert!(!format!("{store:?}").contains("s3cret-pw"));
}

#[test]
fn an_unreachable_server_says_where_and_what_to_check() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://toaster:hidden-pw@127.0.0.1:{port}/toaster?sslmode=disable");
    let error = PostgresStore::open(&url).unwrap_err().to_string();
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    assert!(error.contains("check that the server runs"), "{error}");
    assert!(!error.contains("hidden-pw"), "{error}");
}

#[test]
fn unsupported_ssl_modes_are_refused_before_connecting() {
    let error = PostgresStore::open("postgres://u@127.0.0.1:1/db?sslmode=allow")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("sslmode `allow` is not supported"),
        "{error}"
    );
}

#[test]
fn the_password_file_gives_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgpass");
    std::fs::write(
        &file,
        "# comment\nother:5432:*:*:wrong\n127.0.0.1:5433:toaster:bob:right\n",
    )
    .unwrap();
    let config: postgres::Config = "postgres://bob@127.0.0.1:5433/toaster".parse().unwrap();
    assert_eq!(
        password::from_file(&file, &config).as_deref(),
        Some("right")
    );
    let other: postgres::Config = "postgres://bob@127.0.0.1:5433/elsewhere".parse().unwrap();
    assert_eq!(password::from_file(&file, &other), None);
}

#[test]
fn opening_concurrently_migrates_once() {
    let Some(server) = test_server::server("opening_concurrently_migrates_once") else {
        return;
    };
    let url = server.fresh_schema();
    let opened: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PostgresStore::open_or_init(&url)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stores: Vec<PostgresStore> = opened.into_iter().map(Result::unwrap).collect();
    conformance::owner(&stores[0], "alice");
    for store in &stores {
        assert_eq!(store.owner("alice").unwrap().name.as_str(), "alice");
    }
}

#[test]
fn sslmode_is_honoured() {
    let Some(server) = test_server::server("sslmode_is_honoured") else {
        return;
    };
    let url = server.fresh_schema();
    if !url.contains("sslmode=disable") {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED sslmode_is_honoured: the test URL sets no sslmode=disable"
        );
        return;
    }
    let mode = |mode: &str| url.replacen("sslmode=disable", &format!("sslmode={mode}"), 1);
    // Whether the store's connection to `url` is encrypted.
    let encrypted = |url: &str| -> Result<bool, StoreError> {
        let mut client = Target::parse(url)?.connect()?;
        Ok(client
            .query_one(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), \
                 FALSE)",
                &[],
            )
            .unwrap()
            .get(0))
    };
    assert!(!encrypted(&url).unwrap(), "disable: in clear");
    let offered: String = Target::parse(&url)
        .unwrap()
        .connect()
        .unwrap()
        .query_one("SHOW ssl", &[])
        .unwrap()
        .get(0);
    if offered == "on" {
        // scripts/postgres.sh gives its server a self-signed certificate.
        assert!(encrypted(&mode("require")).unwrap(), "require: encrypted");
        assert!(
            encrypted(&mode("prefer")).unwrap(),
            "prefer: encrypted when offered"
        );
        PostgresStore::open_or_init(&mode("require")).unwrap();
    } else {
        let error = PostgresStore::open_or_init(&mode("require"))
            .unwrap_err()
            .to_string();
        assert!(error.to_lowercase().contains("tls"), "{error}");
        assert!(
            !encrypted(&mode("prefer")).unwrap(),
            "prefer: in clear when not offered"
        );
    }
}

#[test]
fn batches_survive_the_server_dropping_the_connections() {
    use crate::model::{Action, AuditAction, BuildWrite, LogLevel, LogRecord, Right, Timestamp};
    let Some(server) = test_server::server("batches_survive_the_server_dropping_the_connections")
    else {
        return;
    };
    let name = format!("toaster_dropped_{}", std::process::id());
    let url = format!("{}&application_name={name}", server.fresh_schema());
    let store = PostgresStore::init(&url).unwrap();
    let alice = conformance::owner(&store, "alice");
    let project = conformance::project(&store, &alice, "demo");
    let started = conformance::acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildStart,
        Some("demo"),
    );
    let build = store
        .start_build(&conformance::new_build(&project, &alice), &started)
        .unwrap()
        .id;
    let log = |text: &str| {
        BuildWrite::Log(LogRecord {
            level: LogLevel::Warning,
            text: text.to_owned(),
            task: None,
            file: None,
            line: None,
            at: Some(Timestamp::now()),
        })
    };
    store.record(build, &[log("before")]).unwrap();
    // The server ends every connection of this store, as a restart does.
    let mut admin = Target::parse(server.url()).unwrap().connect().unwrap();
    let ended = admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&name],
        )
        .unwrap();
    assert!(!ended.is_empty(), "the store had a connection open");
    store.record(build, &[log("after")]).unwrap();
    let texts: Vec<String> = store
        .log_messages(build, LogLevel::Debug)
        .unwrap()
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(texts, ["before", "after"]);
}

/// The server's certificate as it presents it (`openssl s_client -starttls postgres`), PEM.
fn presented_certificate(url: &str) -> Option<String> {
    let port = url.split(':').nth(2)?.split('/').next()?;
    let out = std::process::Command::new("openssl")
        .args(["s_client", "-starttls", "postgres", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let start = text.find("-----BEGIN CERTIFICATE-----")?;
    let end = text.find("-----END CERTIFICATE-----")? + "-----END CERTIFICATE-----".len();
    Some(format!("{}\n", &text[start..end]))
}

#[test]
fn verifying_modes_check_the_servers_certificate() {
    let Some(server) = test_server::server("verifying_modes_check_the_servers_certificate") else {
        return;
    };
    let url = server.fresh_schema();
    let Some(pem) = presented_certificate(&url).filter(|_| url.contains("sslmode=disable")) else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED verifying_modes_check_the_servers_certificate: the test server offers no TLS (scripts/postgres.sh gives it a certificate when openssl is there)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // scripts/postgres.sh's certificate is self-signed: it is its own CA.
    let ca = dir.path().join("root.crt");
    std::fs::write(&ca, pem).unwrap();
    let other = dir.path().join("other.crt");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-new",
            "-x509",
            "-days",
            "1",
            "-nodes",
            "-subj",
            "/CN=other",
        ])
        .arg("-keyout")
        .arg(dir.path().join("other.key"))
        .arg("-out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let with = |mode: &str, root: &std::path::Path, host: &str| {
        url.replacen(
            "sslmode=disable",
            &format!("sslmode={mode}&sslrootcert={}", root.display()),
            1,
        )
        .replacen("@127.0.0.1:", &format!("@{host}:"), 1)
    };
    let encrypted = |url: &str| -> Result<bool, StoreError> {
        let mut client = Target::parse(url)?.connect()?;
        Ok(client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0))
    };
    // Signed by the CA given: both modes connect, encrypted; verify-full also checks the
    // name (the certificate names 127.0.0.1, not localhost).
    assert!(encrypted(&with("verify-ca", &ca, "127.0.0.1")).unwrap());
    assert!(encrypted(&with("verify-full", &ca, "127.0.0.1")).unwrap());
    assert!(encrypted(&with("verify-ca", &ca, "localhost")).unwrap());
    let wrong_name = encrypted(&with("verify-full", &ca, "localhost")).unwrap_err();
    assert!(
        wrong_name.to_string().contains("certificate"),
        "{wrong_name}"
    );
    // Signed by another CA: refused by both.
    for mode in ["verify-ca", "verify-full"] {
        let refused = PostgresStore::open_or_init(&with(mode, &other, "127.0.0.1")).unwrap_err();
        assert!(refused.to_string().contains("certificate"), "{refused}");
    }
    // No CA certificate to check against: refused before connecting, saying where to put one.
    let missing = dir.path().join("missing.crt");
    let err = Target::parse(&with("verify-full", &missing, "127.0.0.1"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("sslrootcert=FILE") && err.contains("PGSSLROOTCERT"),
        "{err}"
    );
    // What messages show names the mode and the CA file.
    let shown = Target::parse(&with("verify-full", &ca, "127.0.0.1"))
        .unwrap()
        .location();
    assert!(
        shown.contains("sslmode=verify-full&sslrootcert="),
        "{shown}"
    );
    PostgresStore::open_or_init(&with("verify-full", &ca, "127.0.0.1")).unwrap();
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(server) = test_server::server("a_wrong_password_is_refused_and_never_shown") else {
        return;
    };
    let url = server.fresh_schema();
    let has_role = Target::parse(&url)
        .unwrap()
        .connect()
        .unwrap()
        .query_opt("SELECT 1 FROM pg_roles WHERE rolname = 'toaster_pw'", &[])
        .unwrap()
        .is_some();
    if !has_role {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED a_wrong_password_is_refused_and_never_shown: the test server has no role toaster_pw (scripts/postgres.sh makes one)"
        );
        return;
    }
    let as_pw = |password: &str| {
        url.replacen(
            "postgres://toaster@",
            &format!("postgres://toaster_pw:{password}@"),
            1,
        )
    };
    let refused = PostgresStore::open_or_init(&as_pw("pw-wrong"))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("password authentication failed for user \"toaster_pw\""),
        "{refused}"
    );
    assert!(
        refused.contains("PGPASSWORD or ~/.pgpass") && !refused.contains("pw-wrong"),
        "{refused}"
    );
    // The right one, from the URL: connected.
    let mut client = Target::parse(&as_pw("pw-right"))
        .unwrap()
        .connect()
        .unwrap();
    let user: String = client
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(user, "toaster_pw");
}
