//! `toaster owner token …`: made once with its secret shown, listed without it, revoked;
//! `toaster serve` refuses what it cannot serve.

use super::Scratch;

#[test]
fn tokens_are_made_listed_and_revoked() {
    let s = Scratch::new().with_demo();
    let made = s.json(&[
        "owner",
        "token",
        "create",
        "--name",
        "phone",
        "--expires",
        "90d",
    ]);
    let token = made["token"].as_str().expect("the secret in field token");
    assert!(token.starts_with("tst_") && token.len() == 68, "{token}");
    assert_eq!(
        (made["name"].as_str(), made["state"].as_str()),
        (Some("phone"), Some("active"))
    );
    assert!(made["expires_at"].is_string());

    let text = s.ok(&["owner", "token", "create"]);
    assert!(text.contains("made token token-1 for alice"), "{text}");
    assert!(text.contains("expires:     never"), "{text}");

    let listed = s.json(&["owner", "token", "list"]);
    let names: Vec<&str> = listed
        .as_array()
        .expect("a list")
        .iter()
        .map(|t| t["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["phone", "token-1"]);
    assert!(
        !s.ok(&["owner", "token", "list", "--json"]).contains(token),
        "never shown again"
    );

    let revoked = s.json(&["owner", "token", "revoke", "phone"]);
    assert_eq!(revoked["state"], "revoked");
    let err = s.fails(1, &["owner", "token", "create", "--name", "phone"]);
    assert!(err.contains("phone"), "{err}");
    let err = s.fails(1, &["owner", "token", "create", "--expires", "2w"]);
    assert!(err.contains("token lifetime"), "{err}");
    let err = s.fails(1, &["owner", "token", "revoke", "nothing"]);
    assert!(
        err.contains("nothing") && err.contains("hint: `toaster owner token list`"),
        "{err}"
    );
    let audit = s.ok(&["audit"]);
    assert!(
        audit.contains("owner.token.create") && audit.contains("owner.token.revoke"),
        "{audit}"
    );
}

#[test]
fn serve_refuses_a_half_tls_setup_and_a_taken_address() {
    let s = Scratch::new().with_demo();
    let err = s.fails(2, &["serve", "--tls-cert", "cert.pem"]);
    assert!(err.contains("--tls-key"), "{err}");
    std::fs::write(s.path().join("cert.pem"), "not a certificate").expect("write");
    std::fs::write(s.path().join("key.pem"), "not a key").expect("write");
    let err = s.fails(
        1,
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            "cert.pem",
            "--tls-key",
            "key.pem",
        ],
    );
    assert!(err.contains("cert.pem"), "{err}");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("address").to_string();
    let err = s.fails(1, &["serve", "--listen", &addr]);
    assert!(err.contains("cannot listen on"), "{err}");
}
