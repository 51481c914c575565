use super::Outcome;
use crate::args::GroupCommand;
use crate::context::Context;
use crate::output::{GroupView, Output, table};
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: GroupCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let group = match command {
        GroupCommand::Add { name } => actor.add_group(&name)?,
        GroupCommand::AddMember { group, owner } => actor.set_member(&group, &owner, true)?,
        GroupCommand::RemoveMember { group, owner } => actor.set_member(&group, &owner, false)?,
        GroupCommand::List => {
            let views: Vec<GroupView> = actor.groups()?.iter().map(GroupView::from).collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|g| vec![g.name.clone(), g.members.join(" ")])
                    .collect();
                table(w, &["NAME", "MEMBERS"], &rows)
            })?;
            return Ok(());
        }
    };
    let view = GroupView::from(&group);
    out.emit(&view, |w| {
        writeln!(w, "group {}: {}", view.name, members(&view.members))
    })?;
    Ok(())
}

fn members(names: &[String]) -> String {
    if names.is_empty() {
        "no members".to_owned()
    } else {
        escape(&names.join(" ")).into_owned()
    }
}
