//! Comparing a table's copy with its source, row by row in key order.

use super::Rows;
use super::catalog::Table;
use super::error::CopyError;

/// How many rows `source` and `copy` hold, when they hold the same rows; else `Mismatch`
/// naming the first row that differs.
pub(super) fn compare(
    table: &Table,
    source: &mut Rows<'_>,
    copy: &mut Rows<'_>,
) -> Result<u64, CopyError> {
    let mut rows = 0;
    loop {
        let (a, b) = match (source.next().transpose()?, copy.next().transpose()?) {
            (None, None) => return Ok(rows),
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => {
                return Err(mismatch(
                    table,
                    &a,
                    format!("the source has it, the copy ends after {rows} rows"),
                ));
            }
            (None, Some(b)) => {
                return Err(mismatch(
                    table,
                    &b,
                    format!("the copy has it, the source ends after {rows} rows"),
                ));
            }
        };
        if let Some(i) = (0..table.columns.len()).find(|&i| a.get(i) != b.get(i)) {
            let shown = |row: &[super::value::Value]| {
                row.get(i)
                    .map_or_else(|| "nothing".to_owned(), |v| v.to_string())
            };
            return Err(mismatch(
                table,
                &a,
                format!(
                    "column {} is {} in the source but {} in the copy",
                    table.columns[i].name,
                    shown(&a),
                    shown(&b)
                ),
            ));
        }
        rows += 1;
    }
}

fn mismatch(table: &Table, row: &[super::value::Value], detail: String) -> CopyError {
    CopyError::Mismatch {
        table: table.name.clone(),
        row: table.describe(row),
        detail,
    }
}
