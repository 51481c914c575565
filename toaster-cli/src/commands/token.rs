//! `toaster owner token …`: the acting owner's sign-in tokens for `toaster serve`.

use toaster_core::model::Timestamp;
use toaster_core::views::{CreatedTokenView, TokenView};

use super::Outcome;
use crate::args::TokenCommand;
use crate::context::Context;
use crate::output::{Output, table};

pub fn run(ctx: &Context, out: &Output, command: TokenCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        TokenCommand::Create { name, expires } => {
            let made = actor.create_token(name.as_deref(), expires.as_deref())?;
            let view = CreatedTokenView::from(&made);
            out.emit(&view, |w| {
                writeln!(w, "made token {} for {}", view.details.name, view.details.owner)?;
                writeln!(
                    w,
                    "expires:     {}",
                    view.details.expires_at.as_deref().unwrap_or("never")
                )?;
                writeln!(w, "token:       {}", view.token)?;
                writeln!(
                    w,
                    "It is shown only now: keep it like a password. Sign in to `toaster serve` with it, or send it as `Authorization: Bearer <token>`."
                )
            })?;
            Ok(())
        }
        TokenCommand::List => {
            let now = Timestamp::now();
            let views: Vec<TokenView> = actor
                .tokens()?
                .iter()
                .map(|t| TokenView::at(t, now))
                .collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|t| {
                        vec![
                            t.name.clone(),
                            t.state.to_owned(),
                            t.created_at.clone(),
                            t.expires_at.clone().unwrap_or_else(|| "never".to_owned()),
                        ]
                    })
                    .collect();
                table(w, &["NAME", "STATE", "CREATED", "EXPIRES"], &rows)
            })?;
            Ok(())
        }
        TokenCommand::Revoke { name } => {
            let token = actor.revoke_token(&name)?;
            let view = TokenView::at(&token, Timestamp::now());
            out.emit(&view, |w| writeln!(w, "revoked token {}", view.name))?;
            Ok(())
        }
    }
}
