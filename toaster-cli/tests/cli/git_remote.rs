//! `toaster layer add --git` over ssh against a real `sshd` started on a local port (with
//! its own host key, a user key, and `HOME` holding `.ssh/`). The https transport is tested
//! against a real TLS server in `git_https`.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use toaster_core::layers::test_repos::TestRepo;

use super::Scratch;

const SSHD: &str = "/usr/sbin/sshd";

/// A port nothing listens on (bound, then let go).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    listener.local_addr().expect("local address").port()
}

/// Runs `ssh-keygen` to make an ed25519 key pair at `path` (no passphrase).
fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "toaster-test", "-f"])
        .arg(path)
        .status()
        .expect("run ssh-keygen");
    assert!(status.success(), "ssh-keygen failed for {}", path.display());
}

fn public_key(path: &Path) -> String {
    std::fs::read_to_string(path.with_extension("pub")).expect("public key")
}

/// A `sshd` on 127.0.0.1, stopped when dropped.
struct Sshd {
    child: Child,
    port: u16,
    host_key: PathBuf,
    user_key: PathBuf,
    log: Arc<Mutex<String>>,
}

impl Sshd {
    /// Starts `sshd` in `dir` accepting `user_key` for the current user; waits until it
    /// says it listens.
    fn start(dir: &Path) -> Sshd {
        std::fs::create_dir_all(dir).expect("make the sshd directory");
        let host_key = dir.join("host_key");
        let user_key = dir.join("user_key");
        keygen(&host_key);
        keygen(&user_key);
        std::fs::write(dir.join("authorized_keys"), public_key(&user_key))
            .expect("authorized_keys");
        // sshd run as root insists on its privilege separation directory (which a package
        // installed without starting the service lacks); as another user it needs none.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = free_port();
        let path = std::env::var("PATH").unwrap_or_default();
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
                 PidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
                 SetEnv PATH={path}\n",
                host = host_key.display(),
                auth = dir.join("authorized_keys").display(),
                pid = dir.join("sshd.pid").display(),
            ),
        )
        .expect("sshd_config");
        let mut child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start sshd");
        let stderr = child.stderr.take().expect("sshd stderr");
        let mut lines = BufReader::new(stderr).lines();
        let log = Arc::new(Mutex::new(String::new()));
        let mut listening = false;
        for line in lines.by_ref() {
            let line = line.unwrap_or_default();
            log.lock().expect("log").push_str(&format!("{line}\n"));
            if line.contains("Server listening on") {
                listening = true;
                break;
            }
        }
        assert!(
            listening,
            "sshd stopped before listening: {}",
            log.lock().expect("log")
        );
        let drain = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                drain.lock().expect("log").push_str(&format!("{line}\n"));
            }
        });
        Sshd {
            child,
            port,
            host_key,
            user_key,
            log,
        }
    }

    /// The `known_hosts` line for this server.
    fn known_host(&self) -> String {
        format!("[127.0.0.1]:{} {}", self.port, public_key(&self.host_key))
    }

    fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A home directory whose `.ssh/` holds `key` as `id_ed25519` and `known_hosts`.
fn home(dir: &Path, key: Option<&Path>, known_hosts: &str) -> PathBuf {
    let ssh = dir.join(".ssh");
    std::fs::create_dir_all(&ssh).expect("make .ssh");
    if let Some(key) = key {
        std::fs::copy(key, ssh.join("id_ed25519")).expect("copy key");
        std::fs::copy(key.with_extension("pub"), ssh.join("id_ed25519.pub")).expect("copy key");
    }
    std::fs::write(ssh.join("known_hosts"), known_hosts).expect("known_hosts");
    dir.to_owned()
}

/// Runs `toaster layer add demo --git URL` with `HOME` at `home` and no ssh agent.
fn add(scratch: &Scratch, home: &Path, url: &str) -> Output {
    scratch
        .command(&["layer", "add", "demo", "--git", url])
        .env("HOME", home)
        .env_remove("SSH_AUTH_SOCK")
        .env_remove("GIT_SSH_COMMAND")
        .env_remove("https_proxy")
        .output()
        .expect("run toaster")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn layers_are_fetched_over_ssh_with_the_users_key_and_known_hosts() {
    if !Path::new(SSHD).exists() {
        eprintln!(
            "SKIPPED: {SSHD} is missing (install openssh-server); the ssh fetch test did not run"
        );
        return;
    }
    let scratch = Scratch::new().with_demo();
    let server = Sshd::start(&scratch.path().join("sshd"));
    let repo = TestRepo::init(&scratch.path().join("srv/meta-demo"));
    repo.layer("", "demo", "LAYERSERIES_COMPAT_demo = \"scarthgap\"\n");
    repo.commit("a layer");
    let user = String::from_utf8(
        Command::new("id")
            .arg("-un")
            .output()
            .expect("run id")
            .stdout,
    )
    .expect("user name");
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        user.trim(),
        server.port,
        repo.dir.display()
    );

    // Unknown host: refused before any credential is offered.
    let stranger = home(
        &scratch.path().join("home-stranger"),
        Some(&server.user_key),
        "",
    );
    let out = add(&scratch, &stranger, &url);
    let text = stderr(&out);
    eprintln!("{text}");
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("host key is unknown") && text.contains("known_hosts"),
        "{text}\n{}",
        server.log()
    );

    // A key the server does not accept: the credentials error, naming what was tried.
    let other_key = scratch.path().join("other_key");
    keygen(&other_key);
    let wrong = home(
        &scratch.path().join("home-wrong"),
        Some(&other_key),
        &server.known_host(),
    );
    let out = add(&scratch, &wrong, &url);
    let text = stderr(&out);
    eprintln!("{text}");
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("authentication failed")
            && text.contains("key ~/.ssh/id_ed25519")
            && text.contains("no ssh-agent"),
        "{text}\n{}",
        server.log()
    );

    // The right key and host, for the rest.
    let good_home = home(
        &scratch.path().join("home-good"),
        Some(&server.user_key),
        &server.known_host(),
    );
    // Nothing listening: the network error.
    let refused = format!(
        "ssh://{}@127.0.0.1:{}{}",
        user.trim(),
        free_port(),
        repo.dir.display()
    );
    let out = add(&scratch, &good_home, &refused);
    let text = stderr(&out);
    eprintln!("{text}");
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("could not connect"), "{text}");

    // The right key and host: the layer is fetched and added.
    let out = add(&scratch, &good_home, &url);
    let text = stderr(&out);
    assert!(
        out.status.success(),
        "toaster layer add over ssh failed: {text}\n{}",
        server.log()
    );
    eprintln!(
        "$ toaster layer add demo --git {url}\n{}{text}",
        String::from_utf8_lossy(&out.stdout)
    );
    let layers = scratch.json(&["layer", "list", "demo"]).to_string();
    assert!(
        layers.contains("meta-demo") && layers.contains(&url),
        "{layers}"
    );
    assert!(
        scratch
            .path()
            .join("demo/layers/meta-demo/conf/layer.conf")
            .is_file()
    );
}
