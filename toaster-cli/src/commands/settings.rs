use toaster_core::views::SettingView;

use super::Outcome;
use crate::args::SettingsCommand;
use crate::context::Context;
use crate::output::{Output, table};
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: SettingsCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let changed = match command {
        SettingsCommand::Show => {
            let views: Vec<SettingView> = actor.settings()?.iter().map(SettingView::from).collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|v| {
                        let value = match (&v.value, v.default) {
                            (Some(value), _) => value.clone(),
                            (None, Some(default)) => format!("{default} (default)"),
                            (None, None) => "-".to_owned(),
                        };
                        vec![v.name.to_owned(), value, v.about.to_owned()]
                    })
                    .collect();
                table(w, &["SETTING", "VALUE", "WHAT"], &rows)
            })?;
            return Ok(());
        }
        SettingsCommand::Set { name, value } => actor.set_setting(&name, Some(&value))?,
        SettingsCommand::Unset { name } => actor.set_setting(&name, None)?,
    };
    let view = SettingView::from(&changed);
    out.emit(&view, |w| match (&view.value, view.default) {
        (Some(value), _) => writeln!(w, "{} = {}", view.name, escape(value)),
        (None, Some(default)) => writeln!(w, "{} unset (default: {default})", view.name),
        (None, None) => writeln!(w, "{} unset", view.name),
    })?;
    Ok(())
}
