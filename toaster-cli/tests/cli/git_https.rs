//! `toaster layer add --git https://…` against a real TLS server on a local port: git's own
//! `git http-backend` (the smart HTTP protocol) behind Python's `http.server` wrapped in
//! TLS, with a certificate signed by a CA the test makes with `openssl`. Trusted through
//! `SSL_CERT_FILE`, the layer is fetched; with another CA, the fetch fails as a certificate
//! problem and changes nothing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use toaster_core::layers::test_repos::TestRepo;

use super::Scratch;

/// The server: each request runs `git http-backend` as CGI and relays its answer.
const SERVER: &str = r#"
import http.server, os, ssl, subprocess, sys

root, cert, key = sys.argv[1:4]

class Git(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.relay()

    def do_POST(self):
        self.relay()

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    return data
                data += chunk
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def relay(self):
        path, _, query = self.path.partition("?")
        body = self.body()
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1",
                   PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=self.command,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(body)), REMOTE_ADDR="127.0.0.1",
                   GATEWAY_INTERFACE="CGI/1.1", SERVER_PROTOCOL="HTTP/1.0")
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        out = subprocess.run(["git", "http-backend"], input=body, env=env,
                             capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(": ")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Git)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (`NAME-ca.pem`) and, when `server`, a certificate it signs for 127.0.0.1
/// (`server.pem`, `server.key`), made in `dir`.
fn certificates(dir: &Path, name: &str, server: bool) -> PathBuf {
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let ca_key = format!("{name}-ca.key");
    let ca = format!("{name}-ca.pem");
    let subject = format!("/CN=toaster test CA {name}");
    let mut args = vec!["req", "-x509", "-days", "2", "-subj", &subject];
    args.extend(key);
    args.extend(["-keyout", &ca_key, "-out", &ca]);
    openssl(dir, &args);
    if server {
        let mut args = vec!["req", "-subj", "/CN=127.0.0.1"];
        args.extend(key);
        args.extend(["-keyout", "server.key", "-out", "server.csr"]);
        openssl(dir, &args);
        std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").expect("san.ext");
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-days",
                "2",
                "-in",
                "server.csr",
                "-CA",
                &ca,
                "-CAkey",
                &ca_key,
                "-CAcreateserial",
                "-extfile",
                "san.ext",
                "-out",
                "server.pem",
            ],
        );
    }
    dir.join(ca)
}

/// The TLS git server, stopped when dropped.
struct HttpsGit {
    child: Child,
    port: u16,
}

impl HttpsGit {
    /// Serves the repositories under `root` with the certificate in `tls`.
    fn start(root: &Path, tls: &Path) -> HttpsGit {
        let script = tls.join("server.py");
        std::fs::write(&script, SERVER).expect("write the server");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(root)
            .arg(tls.join("server.pem"))
            .arg(tls.join("server.key"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start python3");
        let stdout = child.stdout.take().expect("server stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the port");
        let port = line.trim().parse().expect("the server prints its port");
        HttpsGit { child, port }
    }
}

impl Drop for HttpsGit {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `toaster layer add demo --git URL` trusting the CAs in `ca_file` only.
fn add(scratch: &Scratch, ca_file: &Path, url: &str) -> Output {
    scratch
        .command(&["layer", "add", "demo", "--git", url])
        .env("SSL_CERT_FILE", ca_file)
        .env_remove("SSL_CERT_DIR")
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY")
        .output()
        .expect("run toaster")
}

#[test]
fn layers_are_fetched_over_https_from_a_server_whose_ca_is_trusted() {
    for tool in ["openssl", "python3"] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("SKIPPED: `{tool}` is missing; the https fetch test did not run");
            return;
        }
    }
    let scratch = Scratch::new().with_demo();
    let tls = scratch.path().join("tls");
    std::fs::create_dir_all(&tls).expect("make the tls directory");
    let trusted = certificates(&tls, "trusted", true);
    let stranger = certificates(&tls, "stranger", false);
    let work = TestRepo::init(&scratch.path().join("work/meta-demo"));
    work.layer("", "demo", "LAYERSERIES_COMPAT_demo = \"scarthgap\"\n");
    work.commit("a layer");
    let root = scratch.path().join("srv");
    let cloned = Command::new("git")
        .args(["clone", "--quiet", "--bare"])
        .arg(&work.dir)
        .arg(root.join("meta-demo.git"))
        .status()
        .expect("run git clone");
    assert!(cloned.success(), "git clone --bare failed");
    let server = HttpsGit::start(&root, &tls);
    let url = format!("https://127.0.0.1:{}/meta-demo.git", server.port);

    // A server certificate from a CA this host does not trust: refused, nothing changed.
    let out = add(&scratch, &stranger, &url);
    let text = String::from_utf8_lossy(&out.stderr);
    eprintln!("{text}");
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("certificate") && text.contains("SSL_CERT_FILE"),
        "{text}"
    );
    assert!(!scratch.path().join("demo/layers/meta-demo").exists());

    // Trusted: fetched over TLS and added.
    let out = add(&scratch, &trusted, &url);
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "layer add over https failed: {text}");
    eprintln!(
        "$ toaster layer add demo --git {url}\n{}{text}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        scratch
            .path()
            .join("demo/layers/meta-demo/conf/layer.conf")
            .is_file()
    );
    let layers = scratch.json(&["layer", "list", "demo"]).to_string();
    assert!(layers.contains(&url), "{layers}");
}
