use super::Outcome;
use crate::args::OwnerCommand;
use crate::context::{Context, client};
use crate::output::{Output, OwnerView, table};
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: OwnerCommand) -> Outcome {
    match command {
        OwnerCommand::Add { name, email } => add(ctx, out, &name, email.as_deref()),
        OwnerCommand::List => {
            let owners = ctx.actor(&ctx.open()?)?.owners()?;
            let views: Vec<OwnerView> = owners.iter().map(OwnerView::from).collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|o| {
                        let email = o.email.clone().unwrap_or_default();
                        let admin = if o.admin { "admin" } else { "" }.to_owned();
                        vec![
                            o.name.clone(),
                            email,
                            admin,
                            o.client.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(w, &["NAME", "EMAIL", "ROLE", "LAST CLIENT"], &rows)
            })?;
            Ok(())
        }
        OwnerCommand::Show { name } => {
            let actor = ctx.actor(&ctx.open()?)?;
            let owner = match name {
                Some(name) => actor.owner_named(&name)?,
                None => actor.owner().clone(),
            };
            Ok(show(out, &OwnerView::from(&owner))?)
        }
        OwnerCommand::Edit {
            name,
            new_name,
            email,
        } => {
            let actor = ctx.actor(&ctx.open()?)?;
            let owner = actor.edit_owner(
                &name,
                &toaster_core::OwnerEdit {
                    name: new_name.as_deref(),
                    email: email.as_deref(),
                },
            )?;
            Ok(show(out, &OwnerView::from(&owner))?)
        }
        OwnerCommand::GrantAdmin { name } => set_admin(ctx, out, &name, true),
        OwnerCommand::RevokeAdmin { name } => set_admin(ctx, out, &name, false),
        OwnerCommand::Token(command) => super::token::run(ctx, out, command),
        OwnerCommand::Use { name } => {
            let actor = ctx.open()?.use_owner(&name, &client()?)?;
            let view = OwnerView::from(actor.owner());
            out.emit(&view, |w| {
                writeln!(w, "acting as {} from {}", view.name, escape(actor.client()))
            })?;
            Ok(())
        }
    }
}

/// Adds an owner; on a new database (no file, or an empty one), creates it and adds the
/// first owner, who is then chosen for this client.
fn add(ctx: &Context, out: &Output, name: &str, email: Option<&str>) -> Outcome {
    // A client that cannot be recorded must not leave a new database behind.
    let client = client()?;
    let (toaster, created) = ctx.open_or_create()?;
    if created {
        eprintln!("created the database {}", escape(&ctx.db_shown()));
    }
    let (owner, first) = if toaster.has_owners()? {
        (ctx.actor(&toaster)?.add_owner(name, email)?, false)
    } else {
        (
            toaster
                .add_first_owner(name, email, &client)?
                .owner()
                .clone(),
            true,
        )
    };
    let view = OwnerView::from(&owner);
    out.emit(&view, |w| {
        writeln!(w, "added owner {}", view.name)?;
        if first {
            writeln!(
                w,
                "acting as {} from this client ({})",
                view.name,
                escape(&client)
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

fn set_admin(ctx: &Context, out: &Output, name: &str, admin: bool) -> Outcome {
    let owner = ctx.actor(&ctx.open()?)?.set_admin(name, admin)?;
    Ok(show(out, &OwnerView::from(&owner))?)
}

fn show(out: &Output, view: &OwnerView) -> std::io::Result<()> {
    out.emit(view, |w| {
        writeln!(w, "name:        {}", view.name)?;
        writeln!(w, "email:       {}", view.email.as_deref().unwrap_or("-"))?;
        writeln!(w, "admin:       {}", if view.admin { "yes" } else { "no" })?;
        let client = escape(view.client.as_deref().unwrap_or("-"));
        writeln!(w, "last client: {client}")?;
        writeln!(w, "added:       {}", view.created_at)
    })
}
