//! E-mail hooks: a plain-text report sent over the instance's SMTP server.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::seconds;
use crate::model::AttemptResult;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// A plain connection upgraded with STARTTLS, which the server must offer (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on a trusted network (port 25).
    Plain,
}

/// The SMTP server e-mail hooks send through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpServer {
    /// Its host name (checked against its certificate with TLS).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// The user name and password to log in with, if the server wants a login.
    pub login: Option<(String, String)>,
    /// The sender's address.
    pub from: String,
    /// How long the server has to answer each step.
    pub timeout: Duration,
}

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipients' addresses.
    pub to: Vec<String>,
    /// The subject, one line (line breaks become spaces).
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Sends the mail: delivered iff the server accepted it; the status is the server's reply
/// code when it gave one.
pub fn send(server: &SmtpServer, mail: &Mail) -> AttemptResult {
    let message = match message(&server.from, mail) {
        Ok(message) => message,
        Err(detail) => return AttemptResult::failed(detail),
    };
    let transport = match transport(server) {
        Ok(transport) => transport,
        Err(detail) => return AttemptResult::failed(detail),
    };
    let at = format!("{}:{}", server.host, server.port);
    match transport.send(&message) {
        Ok(response) => {
            let code = u16::from(response.code());
            let reply = response.message().collect::<Vec<_>>().join(" ");
            AttemptResult {
                delivered: true,
                status: Some(i64::from(code)),
                detail: format!("accepted by {at} ({code} {reply})"),
                output: reply,
            }
        }
        Err(e) => AttemptResult {
            delivered: false,
            status: e.status().map(|code| i64::from(u16::from(code))),
            detail: failure(server, &at, &e),
            output: String::new(),
        },
    }
}

/// The message, its headers made by lettre (which encodes what could break a header line);
/// the subject is made one line first.
pub(crate) fn message(from: &str, mail: &Mail) -> Result<Message, String> {
    let sender: Mailbox = from.parse().map_err(|e| {
        format!("the sender `{from}` is not an e-mail address: {e} (check smtp.from)")
    })?;
    if mail.to.is_empty() {
        return Err("the mail has no recipient: give the hook at least one address".to_owned());
    }
    let subject: String = mail
        .subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut builder = Message::builder()
        .from(sender)
        .subject(subject)
        .message_id(None)
        .header(ContentType::TEXT_PLAIN);
    for to in &mail.to {
        let recipient: Mailbox = to.parse().map_err(|e| {
            format!("the recipient `{to}` is not an e-mail address: {e} (fix the hook's addresses)")
        })?;
        builder = builder.to(recipient);
    }
    builder
        .body(mail.body.clone())
        .map_err(|e| format!("cannot make the message: {e}"))
}

/// The transport to the server, secured as it asks.
fn transport(server: &SmtpServer) -> Result<SmtpTransport, String> {
    let tls = |host: &str| {
        TlsParameters::new(host.to_owned())
            .map_err(|e| format!("cannot set up TLS for SMTP server {host}: {e} (check smtp.host)"))
    };
    let security = match server.security {
        SmtpSecurity::Plain => Tls::None,
        SmtpSecurity::StartTls => Tls::Required(tls(&server.host)?),
        SmtpSecurity::Tls => Tls::Wrapper(tls(&server.host)?),
    };
    let mut builder = SmtpTransport::builder_dangerous(server.host.as_str())
        .port(server.port)
        .tls(security)
        .timeout(Some(server.timeout));
    if let Some((user, password)) = &server.login {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// What to say when the server did not take the message.
fn failure(server: &SmtpServer, at: &str, e: &lettre::transport::smtp::Error) -> String {
    if let Some(code) = e.status() {
        let hint = match u16::from(code) {
            530 | 534 | 535 | 538 => "check smtp.user and its password",
            _ if e.is_transient() => "the server may take it later",
            _ => "check smtp.from and the hook's addresses",
        };
        return format!("SMTP server {at} refused the message: {e} ({hint})");
    }
    match io_kind(e) {
        Some(io::ErrorKind::ConnectionRefused) => {
            return format!(
                "SMTP server {at} refused the connection: is smtp.host right and the server up?"
            );
        }
        Some(io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
            return format!(
                "no answer within {} s from SMTP server {at}: are smtp.host, smtp.port and smtp.security right? (hooks.network-timeout sets the limit)",
                seconds(server.timeout)
            );
        }
        _ => {}
    }
    if e.is_tls() {
        return format!(
            "TLS with SMTP server {at} failed: {e} (check smtp.security: starttls on 587, tls on 465; and the server's certificate)"
        );
    }
    format!(
        "cannot send through SMTP server {at}: {e} (check smtp.host, smtp.port and smtp.security)"
    )
}

/// The kind of the I/O error under `e`, if one caused it.
fn io_kind(e: &lettre::transport::smtp::Error) -> Option<io::ErrorKind> {
    let mut source = e.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = cause.source();
    }
    None
}
