//! Conformance checks of the full build record's variables: their values and history,
//! per build and gone with it.

use super::Check;
use super::recipe_record::two_builds;
use crate::model::{BuildVariable, BuildWrite, VariableChange, VariableHistory, VariableRecord};
use crate::store::Store;

/// Every check of the variables of the full build record, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "variables_keep_values_and_history_in_order_per_build",
        variables_keep_values_and_history_in_order_per_build,
    ),
    (
        "a_variable_recorded_twice_keeps_its_first_record_and_entries",
        a_variable_recorded_twice_keeps_its_first_record_and_entries,
    ),
];

fn variable(name: &str, value: Option<&str>, unexpanded: Option<&str>) -> BuildWrite {
    BuildWrite::Variable(VariableRecord {
        name: name.to_owned(),
        value: value.map(str::to_owned),
        unexpanded: unexpanded.map(str::to_owned),
        history_kept: true,
    })
}

fn change(operation: &str, file: &str, line: u32, value: &str) -> VariableChange {
    VariableChange {
        operation: operation.to_owned(),
        file: Some(file.to_owned()),
        line: Some(line),
        flag: None,
        value: Some(value.to_owned()),
    }
}

fn history(name: &str, first: u32, changes: &[VariableChange]) -> BuildWrite {
    BuildWrite::VariableHistory(VariableHistory {
        name: name.to_owned(),
        first,
        changes: changes.to_vec(),
    })
}

fn variables_keep_values_and_history_in_order_per_build(store: &dyn Store) {
    let (first, second, delete) = two_builds(store);
    let odd = "line one\nline two\t\u{fffd} caf\u{e9}";
    let greeting = [
        change("set?", "/layers/core/conf/layer.conf", 8, "core-default"),
        change("set", "/build/conf/local.conf", 1, "local ${M}"),
        change(":append", "/build/conf/local.conf", 3, " late"),
    ];
    let doc = VariableChange {
        flag: Some("doc".to_owned()),
        ..change("set", "/bitbake/conf/documentation.conf", 2, "What to say")
    };
    store
        .record(
            first.id,
            &[
                variable("GREETING", Some("local m late"), Some("local ${M} late")),
                history("GREETING", 0, &greeting[..2]),
                variable("ODD", Some(odd), None),
                history("ODD", 0, &[change("set", "/b/conf/local.conf", 4, odd)]),
            ],
        )
        .unwrap();
    // The rest of a history comes in a later batch, numbered on.
    store
        .record(
            first.id,
            &[
                history("GREETING", 2, &greeting[2..]),
                history("GREETING", 3, std::slice::from_ref(&doc)),
                variable("UNSET", None, None),
            ],
        )
        .unwrap();
    store
        .record(second.id, &[variable("GREETING", Some("other"), None)])
        .unwrap();

    let listed = store.variables(first.id).unwrap();
    let shown: Vec<(&str, Option<&str>, Option<&str>, u32)> = listed
        .iter()
        .map(|v: &BuildVariable| {
            (
                v.record.name.as_str(),
                v.record.value.as_deref(),
                v.record.unexpanded.as_deref(),
                v.history_entries,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("GREETING", Some("local m late"), Some("local ${M} late"), 4),
            ("ODD", Some(odd), None, 1),
            ("UNSET", None, None, 0),
        ]
    );
    let mut expected = greeting.to_vec();
    expected.push(doc);
    assert_eq!(
        store.variable_history(first.id, "GREETING").unwrap(),
        expected
    );
    assert_eq!(
        store.variable_history(first.id, "ODD").unwrap()[0]
            .value
            .as_deref(),
        Some(odd)
    );
    assert!(store.variable_history(first.id, "NONE").unwrap().is_empty());

    store.delete_build(first.id, &delete).unwrap();
    assert!(store.variables(first.id).unwrap().is_empty());
    assert!(
        store
            .variable_history(first.id, "GREETING")
            .unwrap()
            .is_empty()
    );
    let left = store.variables(second.id).unwrap();
    assert_eq!(
        left.len(),
        1,
        "deleting a build leaves the others' variables"
    );
    assert_eq!(left[0].record.value.as_deref(), Some("other"));
}

fn a_variable_recorded_twice_keeps_its_first_record_and_entries(store: &dyn Store) {
    let (build, _, _) = two_builds(store);
    let first = [change("set", "/b/conf/local.conf", 1, "one")];
    let again = [change("set", "/b/conf/local.conf", 9, "two")];
    store
        .record(
            build.id,
            &[
                variable("TWICE", Some("one"), None),
                history("TWICE", 0, &first),
                variable("TWICE", Some("two"), None),
                history("TWICE", 0, &again),
            ],
        )
        .unwrap();
    let listed = store.variables(build.id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].record.value.as_deref(), Some("one"));
    assert_eq!(store.variable_history(build.id, "TWICE").unwrap(), first);
}
