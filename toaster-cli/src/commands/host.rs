use std::io::Write;

use toaster_core::views::HostView;

use super::{Failure, Outcome};
use crate::args::HostCommand;
use crate::context::Context;
use crate::output::{Output, table};
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: HostCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        HostCommand::List => {
            let views: Vec<HostView> = actor.build_hosts()?.iter().map(HostView::from).collect();
            out.emit(&views, |w| {
                if views.is_empty() {
                    return writeln!(w, "no build host: start one with `toaster runner`");
                }
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|v| {
                        vec![
                            v.host.clone(),
                            state(v),
                            v.runners.iter().map(|r| r.jobs).sum::<u32>().to_string(),
                            address(v),
                            running(v),
                        ]
                    })
                    .collect();
                table(w, &["HOST", "STATE", "JOBS", "ADDRESS", "RUNNING"], &rows)
            })?;
        }
        HostCommand::Show { host } => {
            let found = actor.build_hosts()?.into_iter().find(|h| h.host == host);
            let view = match found {
                Some(h) => HostView::from(&h),
                None => HostView::unknown(&host, actor.host_settings(&host)?),
            };
            out.emit(&view, |w| show(w, &view))?;
        }
        HostCommand::Set { host, pairs } => {
            if pairs.len() % 2 != 0 {
                return Err(Failure::Usage {
                    message: format!("`{}` has no value", escape(&pairs[pairs.len() - 1])),
                    hint: "give pairs of NAME VALUE: toaster host set HOST DL_DIR /srv/dl"
                        .to_owned(),
                });
            }
            let changes: Vec<(String, Option<String>)> = pairs
                .chunks(2)
                .map(|p| (p[0].clone(), Some(p[1].clone())))
                .collect();
            let settings = actor.set_host_settings(&host, &changes)?;
            out.emit(&settings, |w| settings_lines(w, &host, &settings))?;
        }
        HostCommand::Unset { host, names } => {
            let changes: Vec<(String, Option<String>)> =
                names.into_iter().map(|n| (n, None)).collect();
            let settings = actor.set_host_settings(&host, &changes)?;
            out.emit(&settings, |w| settings_lines(w, &host, &settings))?;
        }
    }
    Ok(())
}

fn state(v: &HostView) -> String {
    match v.silent_s {
        Some(s) if v.state != "alive" => format!("{} {:.0}s", v.state, s),
        _ => v.state.to_owned(),
    }
}

fn address(v: &HostView) -> String {
    let mut addresses: Vec<&str> = v
        .runners
        .iter()
        .filter_map(|r| r.address.as_deref())
        .collect();
    addresses.dedup();
    if addresses.is_empty() {
        "-".to_owned()
    } else {
        addresses.join(" ")
    }
}

fn running(v: &HostView) -> String {
    if v.running.is_empty() {
        return "-".to_owned();
    }
    v.running
        .iter()
        .map(|b| format!("{} ({})", b.id, b.project))
        .collect::<Vec<_>>()
        .join(", ")
}

fn show(w: &mut dyn Write, v: &HostView) -> std::io::Result<()> {
    writeln!(w, "host {}: {}", escape(&v.host), state(v))?;
    for r in &v.runners {
        writeln!(
            w,
            "  runner {}: {} jobs, {}, toaster {}, as {}, since {}, alive at {}{}{}",
            escape(&r.runner),
            r.jobs,
            if r.releases.is_empty() {
                "every release".to_owned()
            } else {
                r.releases.join(" ")
            },
            escape(&r.version),
            r.owner,
            r.started_at,
            r.heartbeat_at,
            r.address
                .as_deref()
                .map(|a| format!(", from {a}"))
                .unwrap_or_default(),
            r.work_root
                .as_deref()
                .map(|d| format!(", builds in {}", escape(d)))
                .unwrap_or_default(),
        )?;
    }
    writeln!(w, "  running: {}", running(v))?;
    settings_lines(w, &v.host, &v.settings)
}

fn settings_lines(
    w: &mut dyn Write,
    host: &str,
    settings: &std::collections::BTreeMap<String, String>,
) -> std::io::Result<()> {
    if settings.is_empty() {
        return writeln!(
            w,
            "  no settings of {}: projects keep their own values",
            escape(host)
        );
    }
    writeln!(w, "  settings of {} (its toaster-host.conf):", escape(host))?;
    for (name, value) in settings {
        writeln!(w, "    {name} = {}", escape(value))?;
    }
    Ok(())
}
