//! The JSON API: the CLI's `--json` shapes, the token's owner's view, and its OpenAPI
//! document.

use toaster_core::model::{LogLevel, TaskFilter};
use toaster_core::views::{ArtifactView, BuildView, ProjectView, TaskView};

use crate::support::world;

#[test]
fn answers_in_the_clis_json_shapes_as_the_tokens_owner() {
    let w = world();
    let id = w.failed.id.0;
    let build = w.get_as(&w.alice_token, &format!("/api/v1/builds/{id}"));
    assert_eq!(build.status, 200, "{}", build.text());
    let detail = w.alice.build(w.failed.id).unwrap();
    assert_eq!(
        build.json(),
        serde_json::to_value(BuildView::from(&detail)).unwrap()
    );
    assert_eq!(build.json()["state"], "failed");

    let projects = w.get_as(&w.alice_token, "/api/v1/projects");
    let expected: Vec<ProjectView> = w
        .alice
        .projects(false)
        .unwrap()
        .iter()
        .map(ProjectView::from)
        .collect();
    assert_eq!(projects.json(), serde_json::to_value(expected).unwrap());
    let demo = w.get_as(&w.alice_token, "/api/v1/projects/demo");
    assert_eq!(demo.json()["name"], "demo");

    let tasks = w.get_as(&w.alice_token, &format!("/api/v1/builds/{id}/tasks"));
    let expected: Vec<TaskView> = w
        .alice
        .tasks(
            w.failed.id,
            &TaskFilter {
                limit: 500,
                ..TaskFilter::default()
            },
        )
        .unwrap()
        .iter()
        .map(TaskView::from)
        .collect();
    assert_eq!(tasks.json(), serde_json::to_value(&expected).unwrap());
    assert_eq!(tasks.json()[0]["outcome"], "failed");
    let failed_only = w.get_as(
        &w.alice_token,
        &format!("/api/v1/builds/{id}/tasks?outcome=failed"),
    );
    assert_eq!(failed_only.json().as_array().unwrap().len(), 1);

    let log = w.get_as(
        &w.alice_token,
        &format!("/api/v1/builds/{id}/log?level=error"),
    );
    let expected = w.alice.log_messages(w.failed.id, LogLevel::Error).unwrap();
    assert_eq!(log.json(), serde_json::to_value(&expected).unwrap());
    assert_eq!(log.json()[0]["task"], "busybox:do_compile");

    let artifacts = w.get_as(&w.alice_token, &format!("/api/v1/builds/{id}/artifacts"));
    let expected: Vec<ArtifactView> = w
        .alice
        .artifacts(w.failed.id)
        .unwrap()
        .iter()
        .map(ArtifactView::from)
        .collect();
    assert_eq!(artifacts.json(), serde_json::to_value(&expected).unwrap());

    let listed = w.get_as(&w.alice_token, "/api/v1/builds?limit=1");
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    assert_eq!(listed.json()[0]["id"], w.queued.id.0);
    // Bob owns nothing and reads nothing of Alice's.
    let mine = w.get_as(&w.bob_token, "/api/v1/builds?mine=true");
    assert_eq!(mine.json(), serde_json::json!([]));
    assert_eq!(
        w.get_as(&w.bob_token, "/api/v1/builds").json(),
        serde_json::json!([])
    );
    assert_eq!(
        w.get_as(&w.bob_token, "/api/v1/projects").json(),
        serde_json::json!([])
    );
}

#[test]
fn starts_and_cancels_builds_with_audit_entries_from_the_tokens_client() {
    let w = world();
    let auth = format!("Bearer {}", w.alice_token);
    let started = w.post(
        "/api/v1/projects/demo/builds",
        &[("Authorization", &auth)],
        "application/json",
        br#"{"targets": ["busybox"]}"#,
    );
    assert_eq!(started.status, 201, "{}", started.text());
    assert_eq!(started.json()["targets"], serde_json::json!(["busybox"]));
    assert_eq!(started.json()["state"], "queued");
    assert_eq!(started.json()["client"], "web:phone");
    let id = started.json()["id"].as_i64().unwrap();

    let cancelled = w.post(
        &format!("/api/v1/builds/{id}/cancel"),
        &[("Authorization", &auth)],
        "application/json",
        b"",
    );
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    assert_eq!(cancelled.json()["state"], "cancelled");
    // Cancelling it again: it has ended.
    let again = w.post(
        &format!("/api/v1/builds/{id}/cancel"),
        &[("Authorization", &auth)],
        "application/json",
        b"",
    );
    assert_eq!(again.status, 409, "{}", again.text());

    let audit = w
        .alice
        .audit(&toaster_core::model::AuditFilter::default())
        .unwrap();
    let from_web: Vec<&str> = audit
        .iter()
        .filter(|e| e.client == "web:phone")
        .map(|e| e.action.as_str())
        .collect();
    assert!(from_web.contains(&"build.start"), "{from_web:?}");
    assert!(from_web.contains(&"build.cancel"), "{from_web:?}");

    // A body that is not a build request changes nothing.
    for body in [&b"{\"targets\": 5}"[..], b"{\"nope\": 1}", b"not json"] {
        let refused = w.post(
            "/api/v1/projects/demo/builds",
            &[("Authorization", &auth)],
            "application/json",
            body,
        );
        assert!(
            [400, 422].contains(&refused.status),
            "{}: {}",
            refused.status,
            refused.text()
        );
    }
    let all = w.get_as(&w.alice_token, "/api/v1/builds?limit=500");
    assert_eq!(all.json().as_array().unwrap().len(), 3);
}

#[test]
fn the_openapi_document_is_served_and_names_every_route() {
    let w = world();
    let served = w.get("/api/v1/openapi.json", &[]);
    assert_eq!(served.status, 200);
    let doc = served.json();
    assert_eq!(
        doc,
        serde_json::from_str::<serde_json::Value>(toaster_web::OPENAPI).unwrap()
    );
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    let id = w.failed.id.0;
    // Every documented operation is routed: without a token it asks for one (never 404/405).
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let concrete = path
                .replace("{id}", &id.to_string())
                .replace("{name}", "demo");
            let answer = match method.as_str() {
                "get" => w.get(&concrete, &[]),
                "post" => w.post(&concrete, &[], "application/json", b"{}"),
                other => panic!("undocumented method {other}"),
            };
            assert_eq!(answer.status, 401, "{method} {path}: {}", answer.text());
            let documented = item[method]["responses"].as_object().unwrap();
            assert!(documented.contains_key("401"), "{method} {path}");
        }
    }
    // Every API route is documented.
    for route in [
        "/api/v1/projects",
        "/api/v1/projects/{name}",
        "/api/v1/projects/{name}/builds",
        "/api/v1/builds",
        "/api/v1/builds/{id}",
        "/api/v1/builds/{id}/tasks",
        "/api/v1/builds/{id}/log",
        "/api/v1/builds/{id}/artifacts",
        "/api/v1/builds/{id}/artifacts/{name}/download",
        "/api/v1/builds/{id}/cancel",
        "/api/v1/builds/{id}/events",
    ] {
        assert!(
            paths.iter().any(|p| *p == route),
            "{route} is not documented"
        );
    }
}
