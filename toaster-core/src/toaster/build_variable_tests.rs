//! Recorded variables through the facade: values and history recorded from events (bad
//! input warned about, never refused), history files shown from their layer or build
//! directory, an unknown variable named with a hint.

use super::build_tests::Fixture;
use crate::ingest::{BatchPolicy, Event, parse_lines};
use crate::model::{MAX_VARIABLE_HISTORY, VariableChange, VariableHistory};

fn variable_line(name: &str, value: &str) -> String {
    serde_json::json!({"event": "variable", "name": name, "value": value}).to_string()
}

#[test]
fn variables_are_recorded_with_history_shown_from_their_layer_or_build_dir() {
    let f = Fixture::new();
    let build = f.start();
    let dir = build.build_dir.to_string_lossy().into_owned();
    let layer = "/srv/layers/meta-toy";
    // As the recorder in BitBake writes them; the history line of an older writer lacks
    // the line and value of an entry, and a value has a newline.
    let lines = [
        variable_line("TOPDIR", &dir),
        variable_line("BBLAYERS", &format!("/srv/layers/core {layer}")),
        serde_json::json!({"event": "variable", "name": "GREETING", "value": "hi\nthere",
            "unexpanded": "${A}\nthere"})
        .to_string(),
        serde_json::json!({"event": "variable_history", "name": "GREETING", "changes": [
            {"operation": "set?", "file": format!("{layer}/conf/layer.conf"), "line": 8, "value": "x"},
            {"operation": "set", "file": format!("{dir}/conf/local.conf"), "line": 1, "value": "${A}\nthere"},
            {"operation": "exported", "file": "/usr/lib/bitbake/data.py"},
        ]})
        .to_string(),
        serde_json::json!({"event": "variable", "name": "DISTRO", "value": "toy",
            "history_kept": false})
        .to_string(),
        variable_line("GREETING", "listed again"),
    ];
    let events = parse_lines(&lines.join("\n")).unwrap();
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    for event in events {
        recorder.record(event).unwrap();
    }
    recorder.flush().unwrap();

    let listed: Vec<(String, Option<String>, u32)> = f
        .alice
        .recorded_variables(build.id)
        .unwrap()
        .into_iter()
        .map(|v| (v.record.name, v.record.value, v.history_entries))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "BBLAYERS".into(),
                Some(format!("/srv/layers/core {layer}")),
                0
            ),
            ("DISTRO".into(), Some("toy".into()), 0),
            ("GREETING".into(), Some("hi\nthere".into()), 3),
            ("TOPDIR".into(), Some(dir.clone()), 0),
        ]
    );
    let greeting = f.alice.recorded_variable(build.id, "GREETING").unwrap();
    assert_eq!(greeting.record.unexpanded.as_deref(), Some("${A}\nthere"));
    assert!(
        !f.alice
            .recorded_variable(build.id, "DISTRO")
            .unwrap()
            .record
            .history_kept
    );

    let history = f.alice.variable_history(build.id, "GREETING").unwrap();
    type Shown<'a> = (&'a str, Option<&'a str>, Option<u32>, Option<&'a str>);
    let shown: Vec<Shown> = history
        .iter()
        .map(|h| {
            (
                h.operation.as_str(),
                h.file.as_deref(),
                h.line,
                h.value.as_deref(),
            )
        })
        .collect();
    let build_dir_name = build.build_dir.file_name().unwrap().to_string_lossy();
    let local = format!("{build_dir_name}/conf/local.conf");
    assert_eq!(
        shown,
        [
            ("set?", Some("meta-toy/conf/layer.conf"), Some(8), Some("x")),
            ("set", Some(local.as_str()), Some(1), Some("${A}\nthere")),
            ("exported", Some("/usr/lib/bitbake/data.py"), None, None),
        ]
    );
    assert_eq!(
        history[1].path.as_deref(),
        Some(&*format!("{dir}/conf/local.conf"))
    );

    let warnings = f.warnings(build.id);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("no history"), "{warnings:?}");
    assert!(
        warnings[1].contains("GREETING is listed more than once"),
        "{warnings:?}"
    );

    let err = f.alice.variable_history(build.id, "greeting").unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        format!("build {} recorded no variable `greeting`", build.id)
    );
    assert!(
        err.hint()
            .unwrap()
            .starts_with(&format!("`toaster build variables {}` lists", build.id)),
        "{:?}",
        err.hint()
    );
    assert_eq!(
        f.alice
            .recorded_variable(build.id, "NOPE")
            .unwrap_err()
            .kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn a_history_of_100000_entries_is_recorded_up_to_its_bound_with_a_warning() {
    let f = Fixture::new();
    let build = f.start();
    let mut recorder = f
        .alice
        .recorder(
            build.id,
            BatchPolicy::new(64, std::time::Duration::from_secs(60)),
        )
        .unwrap();
    recorder
        .record(Event::Variable(crate::model::VariableRecord {
            name: "LOOP".into(),
            value: Some("x".into()),
            unexpanded: None,
            history_kept: true,
        }))
        .unwrap();
    // As the recorder in BitBake sends a long history: in runs, never all at once.
    let run = 1000;
    for first in (0..100_000u32).step_by(run) {
        let changes = (first..first + run as u32)
            .map(|n| VariableChange {
                operation: "append".into(),
                file: Some("/srv/layers/meta/classes/loop.bbclass".into()),
                line: Some(n),
                flag: None,
                value: Some(format!(" {n}")),
            })
            .collect();
        recorder
            .record(Event::VariableHistory(VariableHistory {
                name: "LOOP".into(),
                first,
                changes,
            }))
            .unwrap();
    }
    recorder.flush().unwrap();
    let history = f.alice.variable_history(build.id, "LOOP").unwrap();
    assert_eq!(history.len(), MAX_VARIABLE_HISTORY as usize);
    assert_eq!(history.last().unwrap().line, Some(MAX_VARIABLE_HISTORY - 1));
    let warnings = f.warnings(build.id);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("the first 10000 are recorded"),
        "{warnings:?}"
    );
}
