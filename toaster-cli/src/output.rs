//! What the command prints: a JSON document (the core's [`toaster_core::views`]), or text
//! for people.

use std::io::{self, Write};

use serde::Serialize;

use crate::terminal::{escape, escape_lines};

/// Prints either JSON or text, to standard output. A closed pipe (`| head`) is not an error.
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output { json }
    }

    /// Whether JSON is printed.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Whether progress may be shown: text output going to a terminal.
    pub fn shows_progress(&self) -> bool {
        use std::io::IsTerminal;
        !self.json && io::stdout().is_terminal()
    }

    /// Prints `value` as JSON, or calls `text` to write it for people.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut out, value)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(out))
        } else {
            // Printers escape each field (see `terminal`); whatever one missed still
            // reaches the terminal escaped, its line breaks aside.
            let mut printed = Vec::new();
            text(&mut printed).and_then(|()| {
                out.write_all(escape_lines(&String::from_utf8_lossy(&printed)).as_bytes())
            })
        };
        match written.and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        }
    }
}

/// An error, as `--json` prints it on standard output (the text stays on standard error).
#[derive(Serialize)]
struct ErrorView<'a> {
    error: &'a str,
    kind: &'a str,
    hint: Option<&'a str>,
    exit_code: u8,
}

/// Prints an error as one JSON document on standard output; a failing write is ignored
/// (the error is on standard error already).
pub fn error_json(error: &str, kind: &str, hint: Option<&str>, exit_code: u8) {
    let view = ErrorView {
        error,
        kind,
        hint,
        exit_code,
    };
    let _ = Output::new(true).emit(&view, |_| Ok(()));
}

/// Prints rows as aligned columns under a header, each cell on its line (escaped).
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape(cell).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<width$}  "));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(
        out,
        &header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>(),
    )?;
    for row in &rows {
        line(out, row)?;
    }
    Ok(())
}

pub use toaster_core::views::{
    AuditView, BuildView, ChangeView, ClonedView, ConfigView, DiffView, GroupView, LayerDetailView,
    OwnerView, ProjectView, RevisionView, TaskView,
};

/// A duration for people: `2h 03m`, `4m 05s`, `12.3s`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{:.1}s", ms as f64 / 1000.0)
    }
}
