//! A database with two owners, tokens, a project with a failed build (tasks, messages,
//! artifacts) and a queued one, served on a free local port.

use std::path::PathBuf;
use std::time::Duration;

use toaster_core::ingest::{ArtifactEvent, BatchPolicy, Event};
use toaster_core::model::{
    ArtifactKind, Build, BuildState, ConfigChange, ConfigKey, LogLevel, LogRecord, TaskOutcome,
};
use toaster_core::{Actor, BuildRequest, ProjectOptions, Toaster};
use toaster_web::{RunningServer, ServeOptions};

pub struct World {
    /// Kept for the database and build directory.
    pub _tmp: tempfile::TempDir,
    pub alice: Actor,
    pub bob: Actor,
    /// Alice's token (`phone`) and Bob's (`laptop`).
    pub alice_token: String,
    pub bob_token: String,
    /// Alice's failed build with artifacts, and her queued one.
    pub failed: Build,
    pub queued: Build,
    pub deploy: PathBuf,
    pub server: RunningServer,
}

pub const IMAGE: &[u8] = b"0123456789abcdefghij";

pub fn policy() -> BatchPolicy {
    BatchPolicy::new(100, Duration::from_secs(60))
}

fn task(recipe: &str, name: &str, outcome: Option<TaskOutcome>) -> Event {
    match outcome {
        None => Event::TaskStarted {
            recipe: recipe.into(),
            task: name.into(),
            at: None,
            log_file: None,
        },
        Some(outcome) => Event::TaskFinished {
            recipe: recipe.into(),
            task: name.into(),
            outcome,
            at: None,
            cpu_ms: None,
            read_bytes: None,
            write_bytes: None,
            log_file: None,
            sstate: None,
            executed: None,
            script: None,
        },
    }
}

pub fn world_with(options: impl FnOnce(std::net::SocketAddr) -> ServeOptions) -> World {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    alice.add_owner("bob", None).unwrap();
    let bob = toaster.act_as("bob", "test").unwrap();
    alice
        .create_project(
            "demo",
            &tmp.path().join("demo"),
            &ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    let targets = ConfigChange::Set {
        key: ConfigKey::Targets,
        value: "core-image-minimal".into(),
    };
    alice.change_config("demo", &[targets], None).unwrap();

    let build_dir = tmp.path().join("demo/build");
    let deploy = build_dir.join("tmp/deploy/images/qemux86-64");
    std::fs::create_dir_all(deploy.join("sub")).unwrap();
    std::fs::write(deploy.join("core.wic"), IMAGE).unwrap();
    std::fs::write(deploy.join("sub/core.dtb"), b"dtb").unwrap();
    let failed = alice
        .start_build("demo", &Toaster::host_name(), Some(&build_dir))
        .unwrap();
    let mut recorder = alice.recorder(failed.id, policy()).unwrap();
    recorder
        .record(task("busybox", "do_compile", None))
        .unwrap();
    recorder
        .record(Event::Log(LogRecord {
            level: LogLevel::Error,
            text: "compile failed\nmake: *** [all] Error 2".into(),
            task: Some("busybox:do_compile".into()),
            file: None,
            line: None,
            at: None,
        }))
        .unwrap();
    recorder
        .record(task("busybox", "do_compile", Some(TaskOutcome::Failed)))
        .unwrap();
    for path in ["core.wic", "sub/core.dtb"] {
        recorder
            .record(Event::Artifact(ArtifactEvent {
                kind: ArtifactKind::Image,
                dir: Some(deploy.display().to_string()),
                path: path.into(),
                name: None,
                size: None,
                sha256: None,
            }))
            .unwrap();
    }
    recorder.finish(BuildState::Failed, None).unwrap();
    let failed = alice.build(failed.id).unwrap().build;
    let queued = alice
        .request_build(
            "demo",
            &BuildRequest {
                targets: None,
                host: Toaster::host_name(),
                run_on: None,
            },
        )
        .unwrap();

    let alice_token = alice
        .create_token(Some("phone"), Some("1d"))
        .unwrap()
        .secret;
    let bob_token = bob.create_token(Some("laptop"), None).unwrap().secret;
    let listen = "127.0.0.1:0".parse().unwrap();
    let server = toaster_web::start(toaster, options(listen)).unwrap();
    World {
        _tmp: tmp,
        alice,
        bob,
        alice_token,
        bob_token,
        failed,
        queued,
        deploy,
        server,
    }
}

pub fn world() -> World {
    world_with(ServeOptions::new)
}

/// A client that shows every status as it is and follows no redirect.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

pub struct Answer {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

impl World {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.addr)
    }

    /// GET with these headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = agent().get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.call())
    }

    /// GET as the owner of `token`.
    pub fn get_as(&self, token: &str, path: &str) -> Answer {
        self.get(path, &[("Authorization", &format!("Bearer {token}"))])
    }

    /// POST a body of `content_type`, with these headers.
    pub fn post(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        content_type: &str,
        body: &[u8],
    ) -> Answer {
        let mut request = agent().post(self.url(path)).content_type(content_type);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        answer(request.send(body))
    }

    /// Signs in with `token` through the form; the session cookie to send back.
    pub fn sign_in(&self, token: &str) -> String {
        let answer = self.post(
            "/signin",
            &[],
            "application/x-www-form-urlencoded",
            format!("token={token}").as_bytes(),
        );
        assert_eq!(answer.status, 303, "{}", answer.text());
        let cookie = answer.header("set-cookie").unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }
}
