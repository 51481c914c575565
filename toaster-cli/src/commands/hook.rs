use toaster_core::model::{BuildId, Delivery, DeliveryState, HookAction, HookTrigger};
use toaster_core::runner::Stop;
use toaster_core::views::DeliveryView;
use toaster_core::{DeliverUntil, DeliveryReport};

use super::Outcome;
use crate::args::HookCommand;
use crate::context::Context;
use crate::output::{Output, table};
use crate::terminal::{escape, escaped_lines};

pub fn run(ctx: &Context, out: &Output, command: HookCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        HookCommand::Add {
            project,
            on,
            email,
            webhook,
            secret_env,
            run,
        } => {
            let on = HookTrigger::parse(&on).map_err(toaster_core::Error::from)?;
            let action = HookAction::choose(
                email.as_deref(),
                webhook.as_deref(),
                secret_env.as_deref(),
                run.as_deref(),
            )
            .map_err(toaster_core::Error::from)?;
            let (outcome, id) = actor.add_hook(&project, on, action)?;
            if !out.is_json() {
                eprintln!("hook {id} added");
            }
            super::project::changed(out, &project, outcome)?;
        }
        HookCommand::List { project } => {
            let hooks = actor.hooks(&project)?;
            out.emit(&hooks, |w| {
                if hooks.is_empty() {
                    return writeln!(
                        w,
                        "no hooks: add one with `toaster hook add {project} --on failure --email ADDR`"
                    );
                }
                let rows: Vec<Vec<String>> = hooks
                    .iter()
                    .map(|h| {
                        vec![
                            h.id.to_string(),
                            h.on.to_string(),
                            h.action.to_string(),
                        ]
                    })
                    .collect();
                table(w, &["ID", "ON", "ACTION"], &rows)
            })?;
        }
        HookCommand::Remove { project, id } => {
            let outcome = actor.remove_hook(&project, id)?;
            super::project::changed(out, &project, outcome)?;
        }
        HookCommand::Deliver { build, follow } => {
            let host = toaster_core::Toaster::host_name();
            let deliverer = actor.deliverer(&host, build.map(BuildId))?;
            let mut views = Vec::new();
            let mut tell = |report: &DeliveryReport| {
                say(report);
                views.push(DeliveryView::from(&report.delivery));
            };
            if follow {
                let stop = Stop::on_signals().map_err(toaster_core::Error::from)?;
                let stopped = || stop.requested();
                deliverer.run(DeliverUntil::Stopped(&stopped), &mut tell)?;
            } else {
                deliverer.run(DeliverUntil::NothingDue, &mut tell)?;
            }
            out.emit(&views, |w| {
                if views.is_empty() {
                    writeln!(w, "no hook deliveries were due")
                } else {
                    Ok(())
                }
            })?;
        }
    }
    Ok(())
}

/// Says on standard error what came of one attempt.
pub fn say(report: &DeliveryReport) {
    let d = &report.delivery;
    let Some(attempt) = d.attempts.last() else {
        return;
    };
    let what = if attempt.result.delivered {
        "delivered".to_owned()
    } else {
        match d.state {
            DeliveryState::Pending => format!("failed, retry at {}", d.due_at.to_rfc3339()),
            _ => "failed, given up".to_owned(),
        }
    };
    eprintln!(
        "build {} hook {} ({}) attempt {}: {what}: {}",
        d.build,
        d.hook.id,
        d.hook.action.kind(),
        attempt.number,
        escape(&attempt.result.detail)
    );
}

/// `build hooks ID`.
pub fn show_deliveries(out: &Output, deliveries: &[Delivery]) -> std::io::Result<()> {
    let views: Vec<DeliveryView> = deliveries.iter().map(DeliveryView::from).collect();
    out.emit(&views, |w| {
        if views.is_empty() {
            return writeln!(w, "no hooks fired for this build");
        }
        for (d, view) in deliveries.iter().zip(&views) {
            writeln!(
                w,
                "hook {} on {}: {}: {}",
                d.hook.id,
                d.hook.on,
                escape(&d.hook.action.to_string()),
                view.state
            )?;
            if d.state == DeliveryState::Pending {
                writeln!(w, "  next attempt due {}", view.due_at)?;
            }
            for a in &view.attempts {
                let status = a.status.map(|s| format!(" [{s}]")).unwrap_or_default();
                writeln!(
                    w,
                    "  attempt {} at {} ({} ms) by {}: {}{status}: {}",
                    a.number,
                    a.started_at,
                    a.duration_ms,
                    escape(&a.by),
                    if a.delivered { "delivered" } else { "failed" },
                    escape(&a.detail)
                )?;
                for line in escaped_lines(&a.output)
                    .rev()
                    .take(5)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                {
                    writeln!(w, "    | {line}")?;
                }
            }
        }
        Ok(())
    })
}
