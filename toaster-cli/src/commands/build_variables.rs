//! `toaster build variables ID [NAME] [--history]`: the variables a build recorded, their
//! values and where each was set.

use toaster_core::Actor;
use toaster_core::model::BuildId;
use toaster_core::views::VariableView;

use super::Outcome;
use crate::output::{Output, table};

/// What a value shows as: `(unset)` when the build had none.
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "(unset)".to_owned(), str::to_owned)
}

/// Prints every variable build `id` recorded with its value or, with `name`, that one
/// (with `history`, its history lines in BitBake's order).
pub fn show(
    out: &Output,
    actor: &Actor,
    id: BuildId,
    name: Option<&str>,
    history: bool,
) -> Outcome {
    let Some(name) = name else {
        let views: Vec<VariableView> = actor
            .recorded_variables(id)?
            .iter()
            .map(VariableView::from)
            .collect();
        out.emit(&views, |w| {
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|v| vec![v.name.clone(), shown(v.value.as_deref())])
                .collect();
            table(w, &["VARIABLE", "VALUE"], &rows)
        })?;
        return Ok(());
    };
    let variable = actor.recorded_variable(id, name)?;
    let entries = history
        .then(|| actor.variable_history(id, name))
        .transpose()?;
    let view = VariableView::new(&variable, entries);
    out.emit(&view, |w| {
        let mut rows = vec![vec!["value".to_owned(), shown(view.value.as_deref())]];
        if let Some(unexpanded) = &view.unexpanded {
            rows.push(vec!["unexpanded".to_owned(), unexpanded.clone()]);
        }
        if !view.history_kept {
            rows.push(vec!["history".to_owned(), "not kept by BitBake".to_owned()]);
        }
        table(w, &[&view.name, ""], &rows)?;
        let Some(entries) = &view.history else {
            return Ok(());
        };
        writeln!(w)?;
        let rows: Vec<Vec<String>> = entries
            .iter()
            .enumerate()
            .map(|(n, h)| {
                let at = match (&h.file, h.line) {
                    (Some(file), Some(line)) => format!("{file}:{line}"),
                    (Some(file), None) => file.clone(),
                    (None, _) => "-".to_owned(),
                };
                let operation = match &h.flag {
                    Some(flag) => format!("{} [{flag}]", h.operation),
                    None => h.operation.clone(),
                };
                vec![
                    (n + 1).to_string(),
                    operation,
                    at,
                    shown(h.value.as_deref()),
                ]
            })
            .collect();
        table(w, &["#", "OPERATION", "FILE", "VALUE"], &rows)
    })?;
    Ok(())
}
