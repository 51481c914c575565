//! Live progress over server-sent events, and clients that never close.

use std::io::{BufRead, BufReader};

use toaster_core::Toaster;
use toaster_core::ingest::Event;
use toaster_core::model::BuildState;

use toaster_web::ServeOptions;

use crate::support::{agent, policy, world, world_with};

/// The data of the next `progress` event on `lines`.
fn next_progress(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> serde_json::Value {
    let mut event = None;
    for line in lines {
        let line = line.unwrap();
        if line == "event: progress" {
            event = Some(());
        } else if let (Some(()), Some(data)) = (event, line.strip_prefix("data: ")) {
            return serde_json::from_str(data).unwrap();
        }
    }
    panic!("the stream ended without a progress event");
}

#[test]
fn a_running_builds_progress_moves_on_its_event_stream() {
    let w = world();
    let build = w
        .alice
        .start_build("demo", &Toaster::host_name(), None)
        .unwrap();
    let mut recorder = w.alice.recorder(build.id, policy()).unwrap();
    recorder
        .record(Event::RunQueueProgress { done: 1, total: 10 })
        .unwrap();
    recorder.flush().unwrap();

    // Clients that open streams and never read or close them.
    let idle: Vec<_> = (0..20)
        .map(|_| {
            agent()
                .get(w.url(&format!("/api/v1/builds/{}/events", build.id.0)))
                .header("Authorization", &format!("Bearer {}", w.alice_token))
                .call()
                .unwrap()
        })
        .collect();
    assert!(idle.iter().all(|r| r.status() == 200));

    let response = agent()
        .get(w.url(&format!("/api/v1/builds/{}/events", build.id.0)))
        .header("Authorization", &format!("Bearer {}", w.alice_token))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut lines = BufReader::new(response.into_body().into_reader()).lines();
    let first = next_progress(&mut lines);
    assert_eq!(
        (first["tasks_done"].as_u64(), first["ended"].as_bool()),
        (Some(1), Some(false))
    );

    recorder
        .record(Event::RunQueueProgress { done: 6, total: 10 })
        .unwrap();
    recorder.flush().unwrap();
    let moved = next_progress(&mut lines);
    assert_eq!(moved["tasks_done"], 6);

    recorder.finish(BuildState::Succeeded, None).unwrap();
    let last = next_progress(&mut lines);
    assert_eq!(
        (last["state"].as_str(), last["ended"].as_bool()),
        (Some("succeeded"), Some(true))
    );
    // The stream ends with the build.
    assert!(lines.all(|l| l.is_ok()));

    // The server still answers while the idle streams stay open.
    assert_eq!(w.get_as(&w.alice_token, "/api/v1/builds").status, 200);
    drop(idle);
    assert_eq!(w.get_as(&w.alice_token, "/api/v1/projects").status, 200);
}

#[test]
fn streams_of_builds_one_may_not_read_are_refused() {
    let w = world();
    let theirs = w.get_as(
        &w.bob_token,
        &format!("/api/v1/builds/{}/events", w.failed.id.0),
    );
    assert_eq!(theirs.status, 404);
    assert_eq!(
        w.get(&format!("/api/v1/builds/{}/events", w.failed.id.0), &[])
            .status,
        401
    );
    // An ended build's stream says so once and ends.
    let ended = w.get_as(
        &w.alice_token,
        &format!("/api/v1/builds/{}/events", w.failed.id.0),
    );
    assert_eq!(ended.status, 200);
    assert!(ended.text().contains("\"ended\":true"), "{}", ended.text());
}

#[test]
fn a_thousand_streams_are_held_and_one_more_is_refused() {
    let w = world_with(|listen| ServeOptions {
        max_event_streams: 1000,
        ..ServeOptions::new(listen)
    });
    let running = w
        .alice
        .start_build("demo", &Toaster::host_name(), None)
        .unwrap();
    let path = format!("/api/v1/builds/{}/events", running.id.0);
    let auth = format!("Bearer {}", w.alice_token);
    // Clients that open a stream, read nothing and never close it.
    let open: Vec<_> = (0..1000)
        .map(|_| {
            let response = agent()
                .get(w.url(&path))
                .header("Authorization", &auth)
                .call()
                .unwrap();
            assert_eq!(response.status(), 200);
            response
        })
        .collect();
    let refused = w.get_as(&w.alice_token, &path);
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.json()["error"], "busy");
    // Everything else still answers.
    assert_eq!(w.get_as(&w.alice_token, "/api/v1/builds").status, 200);
    assert_eq!(open.len(), 1000);
}
