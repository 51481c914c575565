//! `toaster db copy --to TARGET`: the whole database copied into an empty one (SQLite to
//! PostgreSQL or back), compared table by table before it is kept.

use toaster_core::store::copy::{CopyReport, copy};

use super::Outcome;
use crate::args::DbCommand;
use crate::context::Context;
use crate::output::{Output, table};

pub fn run(ctx: &Context, out: &Output, command: DbCommand) -> Outcome {
    match command {
        DbCommand::Copy { to } => {
            let report = copy(&ctx.db, &to).map_err(toaster_core::Error::from)?;
            out.emit(&report, |w| print(w, &report))?;
            Ok(())
        }
    }
}

fn print(w: &mut dyn std::io::Write, report: &CopyReport) -> std::io::Result<()> {
    let seconds = report.elapsed_ms as f64 / 1000.0;
    writeln!(
        w,
        "copied {} to {}: {} rows in {} tables, each compared with the source row by row ({seconds:.1} s)",
        report.source,
        report.target,
        report.rows,
        report.tables.len()
    )?;
    let rows: Vec<Vec<String>> = report
        .tables
        .iter()
        .map(|t| vec![t.table.clone(), t.rows.to_string()])
        .collect();
    table(w, &["TABLE", "ROWS"], &rows)?;
    writeln!(
        w,
        "The source is unchanged. Use the copy with --db {} (or TOASTER_DB); project \
         directories' markers still name the source until then.",
        report.target
    )
}
