//! The pages: sign-in and its session cookie, CSRF on forms, security headers, weights.

use toaster_web::ServeOptions;

use crate::support::{world, world_with};

/// The value of the hidden `csrf` field of a page.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..].split('"').next().unwrap().to_owned()
}

#[test]
fn signing_in_gives_a_strict_cookie_and_pages_under_50_kb() {
    let w = world();
    let cookie = w.sign_in(&w.alice_token);
    assert!(cookie.starts_with("toaster_session="));
    let set = w
        .post(
            "/signin",
            &[],
            "application/x-www-form-urlencoded",
            format!("token={}", w.alice_token).as_bytes(),
        )
        .header("set-cookie")
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "{set}");
    assert!(!set.contains(&w.alice_token), "the cookie holds no token");

    let c = [("Cookie", cookie.as_str())];
    let failed = w.failed.id.0;
    let mut weights = Vec::new();
    for path in [
        "/builds".to_owned(),
        "/builds?all=true".to_owned(),
        format!("/builds/{failed}"),
        format!("/builds/{}", w.queued.id.0),
        "/projects/demo".to_owned(),
        "/signin".to_owned(),
    ] {
        let page = w.get(&path, &c);
        assert_eq!(page.status, 200, "{path}: {}", page.text());
        assert!(
            page.body.len() < 50 * 1024,
            "{path}: {} bytes",
            page.body.len()
        );
        weights.push((path.clone(), page.body.len()));
        let csp = page.header("content-security-policy").unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.header("x-content-type-options").unwrap(), "nosniff");
        assert!(page.header("cache-control").unwrap().contains("no-store"));
        assert!(page.text().contains("width=device-width"));
        assert!(
            !page.text().contains("http://") && !page.text().contains("https://"),
            "{path}: no external resources"
        );
    }
    eprintln!("page weights (bytes): {weights:?}");
    let build = w.get(&format!("/builds/{failed}"), &c).text();
    for fact in [
        "failed",
        "core-image-minimal",
        "busybox:do_compile",
        "make: *** [all] Error 2",
        "/api/v1/builds/",
        "sub%2Fcore.dtb/download",
    ] {
        assert!(
            build.contains(&fact.replace('"', "&quot;")),
            "{fact} not on the build page"
        );
    }
    // A download link works with the session alone.
    let dtb = w.get(
        &format!("/api/v1/builds/{failed}/artifacts/sub%2Fcore.dtb/download"),
        &c,
    );
    assert_eq!(dtb.body, b"dtb");
    // The queued build's page refreshes without JavaScript and follows its events with it.
    let queued = w.get(&format!("/builds/{}", w.queued.id.0), &c).text();
    assert!(queued.contains("http-equiv=\"refresh\""));
    assert!(queued.contains(&format!(
        "data-events=\"/api/v1/builds/{}/events\"",
        w.queued.id.0
    )));

    let css = w.get("/static/site.css", &[]);
    let js = w.get("/static/live.js", &[]);
    eprintln!(
        "static weights (bytes): css {} js {}",
        css.body.len(),
        js.body.len()
    );
    assert_eq!(css.status, 200);
    assert_eq!(js.status, 200);
}

#[test]
fn forms_need_the_sessions_csrf_token() {
    let w = world();
    let cookie = w.sign_in(&w.alice_token);
    let c = ("Cookie", cookie.as_str());
    let queued = w.queued.id.0;
    let page = w.get(&format!("/builds/{queued}"), &[c]).text();
    let token = csrf(&page);
    let form = "application/x-www-form-urlencoded";
    let cancel = format!("/builds/{queued}/cancel");
    for body in [
        "".to_owned(),
        "csrf=forged".to_owned(),
        format!("csrf={}x", token),
    ] {
        let refused = w.post(&cancel, &[c], form, body.as_bytes());
        assert_eq!(refused.status, 403, "{body}");
    }
    // The API too refuses a cookie without the token.
    let api = w.post(
        &format!("/api/v1/builds/{queued}/cancel"),
        &[c],
        "application/json",
        b"",
    );
    assert_eq!(api.status, 403);
    assert_eq!(
        w.alice.build(w.queued.id).unwrap().build.state.as_str(),
        "queued",
        "nothing changed"
    );
    // Another session's token is no good either.
    let other = w.sign_in(&w.alice_token);
    let other_token = csrf(&w.get("/builds", &[("Cookie", other.as_str())]).text());
    assert_ne!(other_token, token);
    let refused = w.post(
        &cancel,
        &[c],
        form,
        format!("csrf={other_token}").as_bytes(),
    );
    assert_eq!(refused.status, 403);

    let done = w.post(&cancel, &[c], form, format!("csrf={token}").as_bytes());
    assert_eq!(done.status, 303, "{}", done.text());
    assert_eq!(
        w.alice.build(w.queued.id).unwrap().build.state.as_str(),
        "cancelled"
    );

    // Start a build from the project page.
    let project = w.get("/projects/demo", &[c]).text();
    let started = w.post(
        "/projects/demo/build",
        &[c],
        form,
        format!("csrf={}", csrf(&project)).as_bytes(),
    );
    assert_eq!(started.status, 303, "{}", started.text());
    assert!(started.header("location").unwrap().starts_with("/builds/"));
}

#[test]
fn a_revoked_tokens_session_ends() {
    let w = world();
    let cookie = w.sign_in(&w.bob_token);
    let c = [("Cookie", cookie.as_str())];
    assert_eq!(w.get("/builds", &c).status, 200);
    w.bob.revoke_token("laptop").unwrap();
    let page = w.get("/builds", &c);
    assert_eq!(page.status, 303);
    assert_eq!(page.header("location").unwrap(), "/signin");
    assert_eq!(w.get("/api/v1/builds", &c).status, 401);
    // And signing in with it again is refused.
    let again = w.post(
        "/signin",
        &[],
        "application/x-www-form-urlencoded",
        format!("token={}", w.bob_token).as_bytes(),
    );
    assert_eq!(again.status, 401);
    // Pages without a session go to the sign-in page.
    assert_eq!(
        w.get("/builds/1", &[]).header("location").unwrap(),
        "/signin"
    );
}

#[test]
fn sign_in_attempts_are_limited_per_address() {
    let w = world();
    let form = "application/x-www-form-urlencoded";
    for _ in 0..10 {
        let refused = w.post("/signin", &[], form, b"token=tst_wrong");
        assert_eq!(refused.status, 401);
    }
    let limited = w.post(
        "/signin",
        &[],
        form,
        format!("token={}", w.alice_token).as_bytes(),
    );
    assert_eq!(limited.status, 429, "even the right token waits");
}

#[test]
fn behind_a_proxy_cookies_are_secure_and_addresses_forwarded() {
    let w = world_with(|listen| ServeOptions {
        behind_proxy: true,
        ..ServeOptions::new(listen)
    });
    let form = "application/x-www-form-urlencoded";
    let signed = w.post(
        "/signin",
        &[("X-Forwarded-For", "203.0.113.9")],
        form,
        format!("token={}", w.alice_token).as_bytes(),
    );
    assert!(signed.header("set-cookie").unwrap().contains("; Secure"));
    // Failures count per forwarded address: one client's do not lock out another.
    for _ in 0..10 {
        w.post(
            "/signin",
            &[("X-Forwarded-For", "203.0.113.7")],
            form,
            b"token=x",
        );
    }
    let locked = w.post(
        "/signin",
        &[("X-Forwarded-For", "203.0.113.7")],
        form,
        b"token=x",
    );
    assert_eq!(locked.status, 429);
    let other = w.post(
        "/signin",
        &[("X-Forwarded-For", "203.0.113.8")],
        form,
        format!("token={}", w.alice_token).as_bytes(),
    );
    assert_eq!(other.status, 303);
}

#[test]
fn serves_https_with_its_certificate_and_secure_cookies() {
    use std::sync::Arc;
    use ureq::tls::{PemItem, RootCerts, TlsConfig, parse_pem};

    let keys = tempfile::tempdir().unwrap();
    let (cert, key) = (keys.path().join("cert.pem"), keys.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl, to make a certificate");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let files = toaster_web::TlsFiles {
        cert: cert.clone(),
        key: key.clone(),
    };
    let w = world_with(|listen| ServeOptions {
        tls: Some(files),
        ..ServeOptions::new(listen)
    });
    let pem = std::fs::read(&cert).unwrap();
    let roots: Vec<_> = parse_pem(&pem)
        .filter_map(|item| match item.unwrap() {
            PemItem::Certificate(c) => Some(c),
            _ => None,
        })
        .collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::Specific(Arc::new(roots)))
                .build(),
        )
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let https = format!("https://{}", w.server.addr);
    let listed = agent
        .get(format!("{https}/api/v1/builds"))
        .header("Authorization", &format!("Bearer {}", w.alice_token))
        .call()
        .unwrap();
    assert_eq!(listed.status(), 200);
    let signed = agent
        .post(format!("{https}/signin"))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("token={}", w.alice_token).as_bytes())
        .unwrap();
    assert_eq!(signed.status(), 303);
    let cookie = signed.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    // Plain HTTP to the TLS port gets no answer.
    assert!(
        crate::support::agent()
            .get(w.url("/api/v1/builds"))
            .call()
            .is_err()
    );

    // A key that is not one refuses to start, naming the file.
    std::fs::write(&key, "not a key").unwrap();
    let refused = toaster_web::start(
        toaster_core::Toaster::init_sqlite(&keys.path().join("none.sqlite")).unwrap(),
        ServeOptions {
            tls: Some(toaster_web::TlsFiles {
                cert,
                key: key.clone(),
            }),
            ..ServeOptions::new("127.0.0.1:0".parse().unwrap())
        },
    );
    let message = refused.err().expect("a refusal").to_string();
    assert!(message.contains("key.pem"), "{message}");
}
