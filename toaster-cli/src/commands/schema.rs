//! `toaster config schema`: the variable specs, as a table, one in detail, or JSON.

use toaster_core::schema::Schema;

use super::Outcome;
use crate::output::{Output, table};
use crate::terminal::escape;

pub fn show(out: &Output, schema: &Schema, variable: Option<&str>) -> Outcome {
    let specs: Vec<_> = match variable {
        Some(name) => vec![schema.find(name).map_err(toaster_core::Error::from)?],
        None => schema.specs().collect(),
    };
    let json = Schema::json(&specs);
    out.emit(&json, |w| {
        if let [spec] = specs.as_slice() {
            writeln!(w, "{}: {}", escape(&spec.name), escape(&spec.doc))?;
            writeln!(w, "  kind:    {}", spec.kind.as_str())?;
            writeln!(w, "  class:   {}", spec.class.as_str())?;
            if let Some(default) = &spec.default {
                writeln!(w, "  default: \"{}\"", escape(default))?;
            }
            if !spec.allowed.is_empty() {
                let values: Vec<String> = spec
                    .allowed
                    .iter()
                    .map(|a| match a.range() {
                        Some(range) => format!("{} ({range})", a.value()),
                        None => a.value().to_owned(),
                    })
                    .collect();
                let open = if spec.open { " (others accepted)" } else { "" };
                writeln!(w, "  allowed{open}: {}", escape(&values.join(" ")))?;
            }
            if let Some(instead) = &spec.instead {
                writeln!(w, "  instead: {}", escape(&instead.to_string()))?;
            }
            return Ok(());
        }
        let rows: Vec<Vec<String>> = specs
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.class.as_str().to_owned(),
                    s.kind.as_str().to_owned(),
                    s.doc.clone(),
                ]
            })
            .collect();
        table(w, &["VARIABLE", "CLASS", "KIND", "DESCRIPTION"], &rows)
    })?;
    Ok(())
}
