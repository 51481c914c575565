use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::hooks::email::{Mail, SmtpSecurity, SmtpServer, message, send};

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn server(port: u16, security: SmtpSecurity) -> SmtpServer {
    SmtpServer {
        host: "127.0.0.1".to_owned(),
        port,
        security,
        login: None,
        from: "toaster@example.com".to_owned(),
        timeout: Duration::from_secs(10),
    }
}

fn mail(subject: &str) -> Mail {
    Mail {
        to: vec!["alice@example.com".to_owned(), "bob@example.org".to_owned()],
        subject: subject.to_owned(),
        body: "Build 42 succeeded.\nTarget: core-image-minimal\n".to_owned(),
    }
}

#[test]
fn a_refused_connection_says_what_to_check() {
    let port = free_port();
    let result = send(&server(port, SmtpSecurity::Plain), &mail("Build 42"));
    assert!(!result.delivered);
    assert_eq!(result.status, None);
    assert_eq!(
        result.detail,
        format!(
            "SMTP server 127.0.0.1:{port} refused the connection: is smtp.host right and the server up?"
        )
    );
}

#[test]
fn a_subject_cannot_add_headers() {
    let subject = "Build 42 ended\r\nBcc: mallory@example.com\nX-Injected: yes\r\n\r\nbody";
    let formatted = message("toaster@example.com", &mail(subject))
        .unwrap()
        .formatted();
    let text = String::from_utf8(formatted).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let names: Vec<&str> = head
        .split("\r\n")
        .filter(|line| !line.starts_with([' ', '\t']))
        .filter_map(|line| line.split_once(':').map(|(name, _)| name))
        .collect();
    assert!(
        !names.iter().any(|n| n.eq_ignore_ascii_case("bcc")),
        "{head}"
    );
    assert!(
        !names.iter().any(|n| n.eq_ignore_ascii_case("x-injected")),
        "{head}"
    );
    assert_eq!(
        names.iter().filter(|n| **n == "Subject").count(),
        1,
        "{head}"
    );
    assert!(
        head.contains("Content-Type: text/plain; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("Build 42 succeeded."), "{body}");
}

#[test]
fn bad_addresses_are_named() {
    let result = send(
        &server(free_port(), SmtpSecurity::Plain),
        &Mail {
            to: vec!["not an address".to_owned()],
            ..mail("x")
        },
    );
    assert!(!result.delivered);
    assert!(
        result.detail.contains("`not an address`"),
        "{}",
        result.detail
    );
    let mut bad_sender = server(free_port(), SmtpSecurity::Plain);
    bad_sender.from = "nobody".to_owned();
    let result = send(&bad_sender, &mail("x"));
    assert!(result.detail.contains("smtp.from"), "{}", result.detail);
}

/// A Python with aiosmtpd: `TOASTER_TEST_PYTHON`, the workspace's `.venv`, or `python3`.
fn python_with_aiosmtpd() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    let candidates = std::env::var_os("TOASTER_TEST_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv, PathBuf::from("python3")]);
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

#[test]
fn a_real_smtp_server_takes_the_mail() {
    let Some(python) = python_with_aiosmtpd() else {
        eprintln!(
            "skipped: no Python with aiosmtpd (pip install aiosmtpd, or set TOASTER_TEST_PYTHON)"
        );
        return;
    };
    let port = free_port();
    let mut smtpd = Command::new(&python)
        .args([
            "-u",
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready_by = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() && Instant::now() < ready_by {
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = send(
        &server(port, SmtpSecurity::Plain),
        &mail("Build 42 ended: ü"),
    );
    let no_tls = send(&server(port, SmtpSecurity::StartTls), &mail("never sent"));
    smtpd.kill().unwrap();
    smtpd.wait().unwrap();
    let mut printed = String::new();
    smtpd
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut printed)
        .unwrap();

    assert!(sent.delivered, "{sent:?}");
    assert_eq!(sent.status, Some(250));
    assert!(
        sent.detail
            .starts_with(&format!("accepted by 127.0.0.1:{port} (250")),
        "{}",
        sent.detail
    );
    assert!(printed.contains("Build 42 succeeded."), "{printed}");
    assert!(printed.contains("alice@example.com") && printed.contains("bob@example.org"));

    assert!(!no_tls.delivered, "{no_tls:?}");
    assert!(
        no_tls.detail.contains(&format!("127.0.0.1:{port}")),
        "{}",
        no_tls.detail
    );
    assert!(!printed.contains("never sent"), "{printed}");
}
