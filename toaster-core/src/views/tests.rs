//! The views' JSON: the field names frontends rely on.

use serde_json::json;

use super::{HookView, WarningView};
use crate::Warning;
use crate::model::{Hook, HookAction, HookTrigger};

#[test]
fn a_warning_shows_its_kind_and_text() {
    let warning = Warning::from(crate::schema::Warning {
        kind: crate::schema::WarningKind::Variable,
        variable: "MACHNIE".to_owned(),
        issue: crate::schema::Issue {
            reason: "not a variable Toaster knows".to_owned(),
            hint: "did you mean MACHINE?".to_owned(),
        },
    });
    assert_eq!(
        serde_json::to_value(WarningView::from(&warning)).unwrap(),
        json!({
            "kind": "variable",
            "message": "MACHNIE: not a variable Toaster knows; did you mean MACHINE?",
        })
    );
}

#[test]
fn a_hook_is_flat() {
    let hook = Hook {
        id: 3,
        on: HookTrigger::parse("failure").unwrap(),
        action: HookAction::Webhook {
            url: "https://ci.example/hook".to_owned(),
            secret_env: Some("HOOK_SECRET".to_owned()),
        },
    };
    assert_eq!(
        serde_json::to_value(HookView::from(&hook)).unwrap(),
        json!({
            "id": 3,
            "on": "failure",
            "kind": "webhook",
            "url": "https://ci.example/hook",
            "secret_env": "HOOK_SECRET",
        })
    );
}
