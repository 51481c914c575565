//! The bad inputs of issue 16: each gets a clear status, nothing changes, the server stays.

use crate::support::world;

#[test]
fn no_unknown_or_revoked_token_is_401() {
    let w = world();
    let none = w.get("/api/v1/builds", &[]);
    assert_eq!(none.status, 401);
    assert_eq!(
        none.header("www-authenticate").unwrap(),
        "Bearer realm=\"toaster\""
    );
    assert_eq!(none.json()["error"], "unauthorized");
    for bad in [
        "Bearer tst_0000000000000000000000000000000000000000000000000000000000000000",
        "Bearer ../../etc/passwd",
        "Bearer ",
        "Basic YWxpY2U6c2VjcmV0",
    ] {
        let refused = w.get("/api/v1/builds", &[("Authorization", bad)]);
        assert_eq!(refused.status, 401, "{bad}");
    }
    assert_eq!(w.get_as(&w.bob_token, "/api/v1/builds").status, 200);
    w.bob.revoke_token("laptop").unwrap();
    let revoked = w.get_as(&w.bob_token, "/api/v1/builds");
    assert_eq!(revoked.status, 401);
    assert!(
        revoked.json()["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
}

#[test]
fn another_owners_build_or_project_reads_as_missing() {
    let w = world();
    let alices = w.failed.id.0;
    let missing = alices + 1000;
    for (theirs, none) in [
        (
            format!("/api/v1/builds/{alices}"),
            format!("/api/v1/builds/{missing}"),
        ),
        (
            format!("/api/v1/builds/{alices}/tasks"),
            format!("/api/v1/builds/{missing}/tasks"),
        ),
        (
            format!("/api/v1/builds/{alices}/log"),
            format!("/api/v1/builds/{missing}/log"),
        ),
        (
            format!("/api/v1/builds/{alices}/artifacts"),
            format!("/api/v1/builds/{missing}/artifacts"),
        ),
        (
            format!("/api/v1/builds/{alices}/artifacts/core.wic/download"),
            format!("/api/v1/builds/{missing}/artifacts/core.wic/download"),
        ),
    ] {
        let a = w.get_as(&w.bob_token, &theirs);
        let b = w.get_as(&w.bob_token, &none);
        assert_eq!((a.status, b.status), (404, 404), "{theirs}");
        assert_eq!(
            a.text().replace(&alices.to_string(), "N"),
            b.text().replace(&missing.to_string(), "N"),
            "{theirs}"
        );
    }
    let a = w.get_as(&w.bob_token, "/api/v1/projects/demo");
    let b = w.get_as(&w.bob_token, "/api/v1/projects/nothere");
    assert_eq!((a.status, b.status), (404, 404));
    assert_eq!(
        a.text().replace("demo", "N"),
        b.text().replace("nothere", "N")
    );

    // Bob can neither cancel Alice's build nor start one of her project: not there.
    let auth = format!("Bearer {}", w.bob_token);
    let queued = w.queued.id.0;
    let cancel = w.post(
        &format!("/api/v1/builds/{queued}/cancel"),
        &[("Authorization", &auth)],
        "application/json",
        b"",
    );
    assert_eq!(cancel.status, 404, "{}", cancel.text());
    let start = w.post(
        "/api/v1/projects/demo/builds",
        &[("Authorization", &auth)],
        "application/json",
        b"{}",
    );
    assert_eq!(start.status, 404, "{}", start.text());
    assert_eq!(
        w.alice.build(w.queued.id).unwrap().build.state.as_str(),
        "queued"
    );
}

#[test]
fn bad_ids_and_traversal_get_clear_statuses() {
    let w = world();
    let t = &w.alice_token;
    let id = w.failed.id.0;
    for (path, status) in [
        ("/api/v1/builds/abc".to_owned(), 400),
        ("/api/v1/builds/-1".to_owned(), 400),
        ("/api/v1/builds/1e3".to_owned(), 400),
        ("/api/v1/builds/0".to_owned(), 404),
        ("/api/v1/builds/99999999999999999999999999".to_owned(), 404),
        ("/api/v1/builds/9223372036854775807".to_owned(), 404),
        ("/api/v1/builds/%2e%2e".to_owned(), 400),
        ("/api/v1/builds/..%2F..%2Fetc".to_owned(), 400),
        (
            format!("/api/v1/builds/{id}/artifacts/..%2F..%2F..%2Fetc%2Fpasswd/download"),
            404,
        ),
        (
            format!("/api/v1/builds/{id}/artifacts/%2e%2e/download"),
            404,
        ),
        (
            format!("/api/v1/builds/{id}/artifacts/%2Fetc%2Fpasswd/download"),
            404,
        ),
        (
            format!("/api/v1/builds/{id}/artifacts/sub%2F..%2Fcore.wic/download"),
            404,
        ),
        (
            format!("/api/v1/builds/{id}/artifacts/../../../../etc/passwd"),
            404,
        ),
        ("/api/v1/projects/..".to_owned(), 404),
        ("/api/v1/projects/%2e%2e%2f%2e%2e".to_owned(), 404),
        ("/api/v1/nothing".to_owned(), 404),
        ("/api/v1/builds?limit=0".to_owned(), 400),
        ("/api/v1/builds?limit=abc".to_owned(), 400),
        ("/api/v1/builds?offset=99999999999".to_owned(), 400),
        ("/api/v1/builds?visibility=sideways".to_owned(), 400),
        (format!("/api/v1/builds/{id}/log?level=loud"), 400),
        (format!("/api/v1/builds/{id}/tasks?outcome=meh"), 400),
    ] {
        let answer = w.get_as(t, &path);
        assert_eq!(answer.status, status, "{path}: {}", answer.text());
        assert!(answer.json()["message"].is_string(), "{path}");
    }
    // The recorded name, '/' encoded, is the one that downloads.
    let dtb = w.get_as(
        t,
        &format!("/api/v1/builds/{id}/artifacts/sub%2Fcore.dtb/download"),
    );
    assert_eq!((dtb.status, dtb.body.as_slice()), (200, &b"dtb"[..]));
}

#[test]
fn bodies_and_query_strings_are_bounded() {
    let w = world();
    let auth = format!("Bearer {}", w.alice_token);
    let huge = format!("{{\"targets\": [\"{}\"]}}", "a".repeat(64 * 1024));
    let refused = w.post(
        "/api/v1/projects/demo/builds",
        &[("Authorization", &auth)],
        "application/json",
        huge.as_bytes(),
    );
    assert_eq!(refused.status, 413, "{}", refused.text());
    let long = format!("/api/v1/builds?project={}", "x".repeat(2000));
    let refused = w.get_as(&w.alice_token, &long);
    assert_eq!(refused.status, 414);
    assert_eq!(refused.json()["error"], "uri_too_long");
    let all = w.get_as(&w.alice_token, "/api/v1/builds?limit=500");
    assert_eq!(all.json().as_array().unwrap().len(), 2);
}
