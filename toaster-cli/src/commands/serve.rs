//! `toaster serve`: the web server (`toaster-web`) over this database.

use toaster_web::{ServeOptions, WebError};

use super::{Failure, Outcome};
use crate::args::ServeArgs;
use crate::context::Context;
use crate::terminal::escape;

pub fn run(ctx: &Context, args: ServeArgs) -> Outcome {
    let toaster = ctx.open()?;
    let options = ServeOptions {
        listen: args.listen,
        behind_proxy: args.behind_proxy,
    };
    if options.exposed_without_tls() {
        eprintln!(
            "warning: listening on {} without TLS: tokens and session cookies cross the network in the clear; put a TLS proxy in front and pass --behind-proxy, or listen on 127.0.0.1",
            options.listen
        );
    }
    let database = escape(&ctx.db.display().to_string()).into_owned();
    toaster_web::serve(toaster, options, |addr| {
        eprintln!("serving {database} on http://{addr}/ (Ctrl-C stops)");
    })
    .map_err(|e| match e {
        WebError::Listen { .. } => Failure::User {
            message: e.to_string(),
            hint: "choose another address with --listen, or stop what listens there".to_owned(),
        },
        other => Failure::User {
            message: other.to_string(),
            hint: "see the message above; this is a fault of the server".to_owned(),
        },
    })
}
