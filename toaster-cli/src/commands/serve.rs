//! `toaster serve`: the web server (`toaster-web`) over this database.

use toaster_web::{ServeOptions, TlsFiles, WebError};

use super::{Failure, Outcome};
use crate::args::ServeArgs;
use crate::context::Context;
use crate::terminal::escape;

pub fn run(ctx: &Context, args: ServeArgs) -> Outcome {
    let toaster = ctx.open()?;
    let options = ServeOptions {
        behind_proxy: args.behind_proxy,
        tls: match (args.tls_cert, args.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            _ => None,
        },
        ..ServeOptions::new(args.listen)
    };
    let scheme = if options.tls.is_some() {
        "https"
    } else {
        "http"
    };
    if options.exposed_without_tls() {
        eprintln!(
            "warning: listening on {} without TLS: tokens and session cookies cross the network in the clear; serve TLS with --tls-cert/--tls-key, put a TLS proxy in front and pass --behind-proxy, or listen on 127.0.0.1",
            options.listen
        );
    }
    let database = escape(&ctx.db.display().to_string()).into_owned();
    toaster_web::serve(toaster, options, |addr| {
        eprintln!("serving {database} on {scheme}://{addr}/ (Ctrl-C stops)");
    })
    .map_err(|e| match e {
        WebError::Listen { .. } => Failure::User {
            message: e.to_string(),
            hint: "choose another address with --listen, or stop what listens there".to_owned(),
        },
        WebError::Tls { .. } => Failure::User {
            message: e.to_string(),
            hint: "give a PEM certificate chain with --tls-cert and its PEM private key with --tls-key".to_owned(),
        },
        other => Failure::User {
            message: other.to_string(),
            hint: "see the message above; this is a fault of the server".to_owned(),
        },
    })
}
