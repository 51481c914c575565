use toaster_core::store::StoreError;
use toaster_core::{Error, Toaster};

use super::Outcome;
use crate::args::OwnerCommand;
use crate::context::{Context, client};
use crate::output::{Output, OwnerView, table};

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
            let owner = actor.edit_owner(&name, new_name.as_deref(), email.as_deref())?;
            Ok(show(out, &OwnerView::from(&owner))?)
        }
        OwnerCommand::GrantAdmin { name } => set_admin(ctx, out, &name, true),
        OwnerCommand::RevokeAdmin { name } => set_admin(ctx, out, &name, false),
        OwnerCommand::Use { name } => {
            let actor = ctx.open()?.use_owner(&name, &client())?;
            let view = OwnerView::from(actor.owner());
            out.emit(&view, |w| {
                writeln!(w, "acting as {} from {}", view.name, actor.client())
            })?;
            Ok(())
        }
    }
}

/// Adds an owner; on a new database, creates it and adds the first owner, who is then
/// chosen for this client.
fn add(ctx: &Context, out: &Output, name: &str, email: Option<&str>) -> Outcome {
    let (toaster, created) = match ctx.open() {
        Ok(toaster) => (toaster, false),
        Err(Error::Store(StoreError::Missing { .. })) => (Toaster::init_sqlite(&ctx.db)?, true),
        Err(e) => return Err(e.into()),
    };
    if created {
        eprintln!("created the database {}", ctx.db.display());
    }
    let (owner, first) = if toaster.has_owners()? {
        (ctx.actor(&toaster)?.add_owner(name, email)?, false)
    } else {
        (
            toaster
                .add_first_owner(name, email, &client())?
                .owner()
                .clone(),
            true,
        )
    };
    let view = OwnerView::from(&owner);
    out.emit(&view, |w| {
        writeln!(w, "added owner {}", view.name)?;
        if first {
            writeln!(w, "acting as {} from this client ({})", view.name, client())?;
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
        writeln!(w, "last client: {}", view.client.as_deref().unwrap_or("-"))?;
        writeln!(w, "added:       {}", view.created_at)
    })
}
