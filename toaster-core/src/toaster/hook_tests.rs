//! Hooks through the facade: configured as revisions, fired when builds end, delivered by
//! a deliverer running real programs, retried by the settings' policy.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::build_tests::Fixture;
use super::*;
use crate::ErrorKind;
use crate::ingest::BatchPolicy;
use crate::model::{BuildId, BuildState, DeliveryState, HookAction, HookTrigger, Timestamp};

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn run(argv: &[&str]) -> HookAction {
    HookAction::run(&argv.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
}

fn ended(f: &Fixture, state: BuildState) -> BuildId {
    let build = f.start();
    f.alice
        .recorder(build.id, BatchPolicy::default())
        .unwrap()
        .finish(state, None)
        .unwrap();
    build.id
}

#[test]
fn hooks_are_revisions_with_stable_ids() {
    let f = Fixture::new();
    let path = script(f.tmp.path(), "notify", "exit 0");
    let (first, id) = f
        .alice
        .add_hook(
            "demo",
            HookTrigger::Failure,
            run(&[path.to_str().unwrap(), "--all"]),
        )
        .unwrap();
    assert_eq!(id, 1);
    assert!(first.changed);
    assert!(
        first
            .revision
            .description
            .starts_with("add hook #1 on failure: run")
    );
    let (_, second) = f
        .alice
        .add_hook("demo", HookTrigger::Always, run(&["sh", "-c", "true"]))
        .unwrap();
    assert_eq!(second, 2);
    f.alice.remove_hook("demo", 1).unwrap();
    let (_, third) = f
        .alice
        .add_hook("demo", HookTrigger::Success, run(&["true"]))
        .unwrap();
    assert_eq!(third, 3, "ids are not reused while a later one exists");
    let ids: Vec<u32> = f
        .alice
        .hooks("demo")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, [2, 3]);
    let err = f.alice.remove_hook("demo", 1).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    f.alice.undo("demo").unwrap();
    f.alice.undo("demo").unwrap();
    let ids: Vec<u32> = f
        .alice
        .hooks("demo")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, [1, 2]);
}

#[test]
fn a_hook_program_must_exist_and_be_executable() {
    let f = Fixture::new();
    let plain = f.tmp.path().join("plain.txt");
    std::fs::write(&plain, "").unwrap();
    let head = f.alice.config("demo").unwrap().number;
    for bad in [
        plain.to_str().unwrap(),
        "/no/such/program",
        "no-such-program-on-path",
        f.tmp.path().to_str().unwrap(),
    ] {
        let err = f
            .alice
            .add_hook("demo", HookTrigger::Always, run(&[bad]))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{bad}");
    }
    assert_eq!(f.alice.config("demo").unwrap().number, head);
}

#[test]
fn only_those_who_may_configure_add_hooks_and_readers_see_deliveries() {
    let f = Fixture::new();
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    let err = bob
        .add_hook("demo", HookTrigger::Always, run(&["true"]))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Denied);
    let build = ended(&f, BuildState::Failed);
    assert_eq!(bob.deliveries(build).unwrap_err().kind(), ErrorKind::Denied);
    assert!(f.alice.deliveries(build).unwrap().is_empty());
}

#[test]
fn a_script_hook_runs_in_the_build_dir_with_the_build_in_its_environment() {
    let f = Fixture::new();
    let seen = f.tmp.path().join("seen");
    let path = script(
        f.tmp.path(),
        "record",
        "env | grep ^TOASTER_ | sort > \"$1\"; pwd >> \"$1\"; echo recorded",
    );
    f.alice
        .add_hook(
            "demo",
            HookTrigger::Failure,
            run(&[path.to_str().unwrap(), seen.to_str().unwrap()]),
        )
        .unwrap();
    let ok = ended(&f, BuildState::Succeeded);
    let failed = ended(&f, BuildState::Failed);
    assert!(f.alice.deliveries(ok).unwrap().is_empty());

    let deliverer = f.alice.deliverer("buildhost", None).unwrap();
    let mut told = Vec::new();
    let made = deliverer
        .run(DeliverUntil::NothingDue, &mut |r| told.push(r.clone()))
        .unwrap();
    assert_eq!(made, 1);
    assert!(told[0].recorded);
    let [delivery] = &f.alice.deliveries(failed).unwrap()[..] else {
        panic!("one delivery")
    };
    assert_eq!(delivery.state, DeliveryState::Delivered);
    let attempt = &delivery.attempts[0];
    assert_eq!((attempt.number, attempt.result.status), (1, Some(0)));
    assert_eq!(attempt.by, deliverer.id());
    assert!(attempt.result.output.contains("recorded"));

    let text = std::fs::read_to_string(&seen).unwrap();
    let build = f.alice.build(failed).unwrap().build;
    for expected in [
        format!("TOASTER_BUILD_ID={failed}"),
        "TOASTER_BUILD_STATE=failed".to_owned(),
        "TOASTER_PROJECT=demo".to_owned(),
        format!("TOASTER_BUILD_DIR={}", build.build_dir.display()),
        "TOASTER_TARGETS=core-image-minimal".to_owned(),
        format!(
            "TOASTER_DB={}",
            f.tmp.path().join("toaster.sqlite").display()
        ),
        build.build_dir.display().to_string(),
    ] {
        assert!(text.lines().any(|l| l == expected), "{expected} in {text}");
    }
    let artifacts = build
        .build_dir
        .join(format!("toaster-logs/build-{failed}-artifacts.json"));
    assert_eq!(std::fs::read_to_string(artifacts).unwrap().trim(), "[]");
}

#[test]
fn failed_attempts_are_retried_by_the_policy_then_given_up() {
    let f = Fixture::new();
    f.alice.set_setting("hooks.attempts", Some("3")).unwrap();
    f.alice.set_setting("hooks.retry-after", Some("0")).unwrap();
    let path = script(f.tmp.path(), "fail", "echo no >&2; exit 3");
    f.alice
        .add_hook("demo", HookTrigger::Always, run(&[path.to_str().unwrap()]))
        .unwrap();
    let build = ended(&f, BuildState::Succeeded);
    let deliverer = f.alice.deliverer("buildhost", Some(build)).unwrap();
    let made = deliverer.run(DeliverUntil::Settled, &mut |_| {}).unwrap();
    assert_eq!(made, 3);
    let [delivery] = &f.alice.deliveries(build).unwrap()[..] else {
        panic!("one delivery")
    };
    assert_eq!(delivery.state, DeliveryState::Failed);
    let statuses: Vec<Option<i64>> = delivery.attempts.iter().map(|a| a.result.status).collect();
    assert_eq!(statuses, [Some(3), Some(3), Some(3)]);
    assert!(delivery.attempts[0].result.output.contains("no"));
    assert_eq!(
        f.alice.build(build).unwrap().build.state,
        BuildState::Succeeded
    );
}

#[test]
fn the_retry_waits_double_each_time() {
    let policy = DeliveryPolicy {
        attempts: 4,
        retry_after: std::time::Duration::from_secs(60),
        script_timeout: std::time::Duration::from_secs(1),
        network_timeout: std::time::Duration::from_secs(1),
    };
    let now = Timestamp(1_000_000);
    let waits: Vec<crate::model::NextAttempt> = (1..=4).map(|n| policy.next(n, now)).collect();
    assert_eq!(
        waits,
        [
            crate::model::NextAttempt::At(Timestamp(1_060_000)),
            crate::model::NextAttempt::At(Timestamp(1_120_000)),
            crate::model::NextAttempt::At(Timestamp(1_240_000)),
            crate::model::NextAttempt::None,
        ]
    );
}

#[test]
fn an_email_hook_without_a_server_fails_saying_what_to_set() {
    let f = Fixture::new();
    f.alice.set_setting("hooks.attempts", Some("1")).unwrap();
    f.alice
        .add_hook(
            "demo",
            HookTrigger::Always,
            HookAction::email(&["ops@example.com".to_owned()]).unwrap(),
        )
        .unwrap();
    let build = ended(&f, BuildState::Failed);
    f.alice
        .deliverer("elsewhere", None)
        .unwrap()
        .deliver_due(&mut |_| {})
        .unwrap();
    let delivery = &f.alice.deliveries(build).unwrap()[0];
    assert_eq!(delivery.state, DeliveryState::Failed);
    assert!(delivery.attempts[0].result.detail.contains("smtp.host"));
}

#[test]
fn settings_are_checked_and_kept_for_admins() {
    let f = Fixture::new();
    assert_eq!(
        f.alice
            .set_setting("smtp.port", Some("x"))
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    assert_eq!(
        f.alice
            .set_setting("smtp.nope", Some("x"))
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    f.alice.set_setting("smtp.port", Some("2525")).unwrap();
    let port = f.alice.setting(crate::model::Setting::SmtpPort).unwrap();
    assert_eq!(port.effective(), Some("2525"));
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    assert_eq!(
        bob.set_setting("smtp.port", None).unwrap_err().kind(),
        ErrorKind::Denied
    );
    f.alice.set_setting("smtp.port", None).unwrap();
    let attempts = f
        .alice
        .setting(crate::model::Setting::HookAttempts)
        .unwrap();
    assert_eq!(
        (attempts.value.as_deref(), attempts.effective()),
        (None, Some("5"))
    );
}
