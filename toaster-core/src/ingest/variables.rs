//! What a recorder keeps of a build's variables while it records: which it was told of and
//! how many history entries each has, so that a variable listed twice keeps its first
//! record and a history longer than [`MAX_VARIABLE_HISTORY`] its first entries, each said
//! once, with memory bounded by the number of variables (not of entries).

use std::collections::HashMap;

use super::sanitize;
use crate::model::{BuildWrite, MAX_VARIABLE_HISTORY, VariableHistory, VariableRecord};

/// What is known of one variable listed.
#[derive(Debug, Default)]
struct Listed {
    /// Listed again: the history that follows is the repeat's, not recorded.
    repeated: bool,
    /// Its history went past the bound (said once).
    capped: bool,
}

/// The variables of one build seen so far.
#[derive(Debug, Default)]
pub(super) struct VariableLedger {
    listed: HashMap<String, Listed>,
    /// A variable without history was said of (once per build).
    said_untracked: bool,
}

/// What one event comes to: the write, if any, and warnings.
pub(super) type Outcome = (Option<BuildWrite>, Vec<String>);

impl VariableLedger {
    /// A variable listed: written the first time, with its value cut to
    /// [`sanitize::MAX_TEXT`] bytes; a repeat is noted and left out.
    pub(super) fn variable(&mut self, mut record: VariableRecord) -> Outcome {
        let mut warnings = Vec::new();
        if let Some(listed) = self.listed.get_mut(&record.name) {
            listed.repeated = true;
            let text = format!(
                "variable {} is listed more than once; its first value and history are kept",
                record.name
            );
            return (None, vec![text]);
        }
        self.listed.insert(record.name.clone(), Listed::default());
        if !record.history_kept && !self.said_untracked {
            self.said_untracked = true;
            warnings.push(
                "BitBake kept no history of this build's variables (its data tracking was off \
                 and could not be turned on); their values are recorded without it"
                    .to_owned(),
            );
        }
        let what = format!("value of variable {}", record.name);
        for value in [&mut record.value, &mut record.unexpanded] {
            if let Some(text) = value.take() {
                let (text, warning) = sanitize::text(&what, text);
                *value = Some(text);
                warnings.extend(warning);
            }
        }
        (Some(BuildWrite::Variable(record)), warnings)
    }

    /// A run of a variable's history: the entries numbered below
    /// [`MAX_VARIABLE_HISTORY`] are written (values cut as [`Self::variable`] cuts them);
    /// a run of a variable not listed, or listed again, is left out with a note.
    pub(super) fn history(&mut self, mut run: VariableHistory) -> Outcome {
        let Some(listed) = self.listed.get_mut(&run.name) else {
            let text = format!(
                "history of variable {} came before the variable itself; it is not recorded",
                run.name
            );
            return (None, vec![text]);
        };
        if listed.repeated {
            return (None, Vec::new());
        }
        let mut warnings = Vec::new();
        let room = MAX_VARIABLE_HISTORY.saturating_sub(run.first) as usize;
        if run.changes.len() > room {
            run.changes.truncate(room);
            if !listed.capped {
                listed.capped = true;
                warnings.push(format!(
                    "variable {} has a history of more than {MAX_VARIABLE_HISTORY} entries; \
                     the first {MAX_VARIABLE_HISTORY} are recorded",
                    run.name
                ));
            }
        }
        let what = format!("history value of variable {}", run.name);
        let mut cut = None;
        for change in &mut run.changes {
            if let Some(text) = change.value.take() {
                let (text, warning) = sanitize::text(&what, text);
                change.value = Some(text);
                cut = cut.or(warning);
            }
        }
        warnings.extend(cut);
        let write = (!run.changes.is_empty()).then_some(BuildWrite::VariableHistory(run));
        (write, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VariableChange;

    fn record(name: &str, value: &str, kept: bool) -> VariableRecord {
        VariableRecord {
            name: name.to_owned(),
            value: Some(value.to_owned()),
            unexpanded: None,
            history_kept: kept,
        }
    }

    fn run(name: &str, first: u32, count: usize) -> VariableHistory {
        let change = |n: usize| VariableChange {
            operation: "append".to_owned(),
            file: Some("/layers/meta/conf/bitbake.conf".to_owned()),
            line: Some(n as u32),
            flag: None,
            value: Some(format!("v{n}")),
        };
        VariableHistory {
            name: name.to_owned(),
            first,
            changes: (0..count).map(change).collect(),
        }
    }

    #[test]
    fn a_variable_listed_twice_keeps_its_first_record_and_history() {
        let mut ledger = VariableLedger::default();
        let (write, warnings) = ledger.variable(record("A", "1", true));
        assert!(matches!(write, Some(BuildWrite::Variable(_))) && warnings.is_empty());
        assert!(ledger.history(run("A", 0, 2)).0.is_some());
        let (write, warnings) = ledger.variable(record("A", "2", true));
        assert!(write.is_none());
        assert!(warnings[0].contains("more than once"), "{warnings:?}");
        assert_eq!(ledger.history(run("A", 0, 2)), (None, Vec::new()));
    }

    #[test]
    fn a_history_past_the_bound_keeps_its_first_entries_said_once() {
        let mut ledger = VariableLedger::default();
        ledger.variable(record("LOOP", "x", true));
        let per_run = 4096;
        let (mut written, mut warnings) = (0, Vec::new());
        for first in (0..100_000).step_by(per_run) {
            let count = per_run.min(100_000 - first);
            let (write, said) = ledger.history(run("LOOP", first as u32, count));
            if let Some(BuildWrite::VariableHistory(h)) = write {
                assert!(h.first + h.changes.len() as u32 <= MAX_VARIABLE_HISTORY);
                written += h.changes.len();
            }
            warnings.extend(said);
        }
        assert_eq!(written, MAX_VARIABLE_HISTORY as usize);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("first 10000"), "{warnings:?}");
    }

    #[test]
    fn untracked_values_are_said_once_and_history_without_its_variable_is_left_out() {
        let mut ledger = VariableLedger::default();
        assert_eq!(ledger.variable(record("A", "1", false)).1.len(), 1);
        assert!(ledger.variable(record("B", "1", false)).1.is_empty());
        let (write, warnings) = ledger.history(run("C", 0, 1));
        assert!(
            write.is_none() && warnings[0].contains("came before"),
            "{warnings:?}"
        );
    }

    #[test]
    fn long_values_are_cut_with_a_word() {
        let mut ledger = VariableLedger::default();
        let long = "x".repeat(sanitize::MAX_TEXT * 2);
        let (write, warnings) = ledger.variable(record("BIG", &long, true));
        let Some(BuildWrite::Variable(v)) = write else {
            panic!("written")
        };
        let value = v.value.unwrap();
        assert!(
            value.len() < long.len() && value.ends_with("cut by toaster]"),
            "cut"
        );
        assert_eq!(warnings.len(), 1);
    }
}
