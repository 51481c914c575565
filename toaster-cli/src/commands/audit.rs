use toaster_core::model::{AuditFilter, Timestamp};

use super::Outcome;
use crate::args::AuditArgs;
use crate::context::Context;
use crate::output::{AuditView, Output, table};

pub fn run(ctx: &Context, out: &Output, args: AuditArgs) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let since = args
        .since
        .as_deref()
        .map(|t| Timestamp::parse(t, Timestamp::now()))
        .transpose()
        .map_err(toaster_core::Error::from)?;
    let filter = AuditFilter {
        visible_to: None,
        project: args.project,
        owner: args.owner,
        since,
        limit: Some(args.limit),
    };
    let views: Vec<AuditView> = actor.audit(&filter)?.iter().map(AuditView::from).collect();
    out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|e| {
                vec![
                    e.at.clone(),
                    e.owner.clone(),
                    e.client.clone(),
                    e.action.to_owned(),
                    e.project.clone().unwrap_or_else(|| "-".to_owned()),
                    e.detail.clone(),
                ]
            })
            .collect();
        table(
            w,
            &["WHEN", "WHO", "CLIENT", "ACTION", "PROJECT", "WHAT"],
            &rows,
        )
    })?;
    Ok(())
}
