use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::hooks::webhook::{SIGNATURE_HEADER, WebhookPost, post, signature};
use crate::model::AttemptResult;

/// A request as the test server read it.
struct Request {
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A one-thread HTTP server on a local port answering every request the same way, or
/// (with `None`) never answering.
struct Server {
    url: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Request>>,
}

impl Server {
    fn start(answer: Option<String>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            let give_up = Instant::now() + Duration::from_secs(60);
            let mut requests = Vec::new();
            while !stopped.load(Ordering::SeqCst) && Instant::now() < give_up {
                let Ok((mut stream, _)) = listener.accept() else {
                    thread::sleep(Duration::from_millis(10));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                requests.push(read_request(&mut stream));
                match &answer {
                    Some(text) => {
                        let _ = stream.write_all(text.as_bytes());
                    }
                    None => {
                        while !stopped.load(Ordering::SeqCst) && Instant::now() < give_up {
                            thread::sleep(Duration::from_millis(10));
                        }
                    }
                }
            }
            requests
        });
        Server { url, stop, thread }
    }

    fn finish(self) -> Vec<Request> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().unwrap()
    }
}

fn read_request(stream: &mut TcpStream) -> Request {
    let mut data = Vec::new();
    let mut byte = [0; 1];
    while !data.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "the request ended early"
        );
        data.push(byte[0]);
    }
    let head = String::from_utf8(data).unwrap();
    let mut lines = head.split("\r\n");
    let line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    Request {
        line,
        headers,
        body,
    }
}

fn answer(status: &str, extra: &str, body: &str) -> Option<String> {
    Some(format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ))
}

fn post_to(url: &str, secret: Option<&[u8]>, timeout: Duration) -> AttemptResult {
    post(&WebhookPost {
        url,
        body: br#"{"build":42,"outcome":"succeeded"}"#,
        secret,
        timeout,
    })
}

const TEN: Duration = Duration::from_secs(10);

#[test]
fn the_signature_is_hmac_sha256_in_hex() {
    // RFC 4231, test case 2.
    assert_eq!(
        signature(b"Jefe", b"what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn a_2xx_answer_delivers_a_signed_post() {
    let server = Server::start(answer("200 OK", "", "thanks"));
    let result = post_to(&server.url, Some(b"s3cret"), TEN);
    let requests = server.finish();
    assert!(result.delivered, "{result:?}");
    assert_eq!(result.status, Some(200));
    assert_eq!(result.detail, "HTTP 200 OK");
    assert_eq!(result.output, "thanks");
    let [request] = &requests[..] else {
        panic!("{} requests", requests.len())
    };
    assert_eq!(request.line, "POST /hook HTTP/1.1");
    assert_eq!(request.body, br#"{"build":42,"outcome":"succeeded"}"#);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("x-toaster-event"), Some("build-ended"));
    let agent = format!("toaster-rs/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(request.header("user-agent"), Some(agent.as_str()));
    let expected = signature(b"s3cret", &request.body);
    assert_eq!(request.header(SIGNATURE_HEADER), Some(expected.as_str()));

    let server = Server::start(answer("204 No Content", "", ""));
    assert!(post_to(&server.url, None, TEN).delivered);
    let requests = server.finish();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header(SIGNATURE_HEADER), None);
}

#[test]
fn an_error_answer_fails_with_its_status_and_bounded_body() {
    let server = Server::start(answer("500 Internal Server Error", "", "boom"));
    let result = post_to(&server.url, None, TEN);
    server.finish();
    assert!(!result.delivered);
    assert_eq!(result.status, Some(500));
    assert_eq!(result.detail, "HTTP 500 Internal Server Error");
    assert_eq!(result.output, "boom");

    let big = "z".repeat(1_000_000);
    let server = Server::start(answer("404 Not Found", "", &big));
    let result = post_to(&server.url, None, TEN);
    server.finish();
    assert_eq!(result.status, Some(404));
    assert_eq!(result.output.len(), AttemptResult::MAX_OUTPUT);
}

#[test]
fn redirects_are_not_followed() {
    let probe = Server::start(answer("200 OK", "", ""));
    let location = format!("Location: {}\r\n", probe.url);
    let server = Server::start(answer("302 Found", &location, ""));
    let result = post_to(&server.url, None, TEN);
    assert_eq!(server.finish().len(), 1);
    assert_eq!(probe.finish().len(), 0, "the redirect was followed");
    assert!(!result.delivered);
    assert_eq!(result.status, Some(302));
    assert_eq!(
        result.detail,
        format!(
            "HTTP 302: redirects are not followed (to {}); give the final URL",
            location.trim_start_matches("Location: ").trim_end()
        )
    );
}

#[test]
fn a_silent_server_fails_within_the_timeout() {
    let server = Server::start(None);
    let start = Instant::now();
    let result = post_to(&server.url, None, Duration::from_secs(1));
    let elapsed = start.elapsed();
    assert_eq!(server.finish().len(), 1);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    assert!(!result.delivered);
    assert_eq!(result.status, None);
    assert!(
        result.detail.starts_with("no answer within 1 s"),
        "{}",
        result.detail
    );
}

#[test]
fn a_refused_connection_names_the_host() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let result = post_to(&format!("http://127.0.0.1:{port}/x"), None, TEN);
    assert!(!result.delivered);
    assert_eq!(result.status, None);
    assert_eq!(
        result.detail,
        format!("127.0.0.1:{port} refused the connection: is the server up?")
    );
}
