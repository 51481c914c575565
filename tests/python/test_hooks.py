"""Post-build hooks end to end: configured with ``toaster hook``, fired when real BitBake
builds end (run by a runner or by hand), and delivered to a real SMTP server (aiosmtpd) and
a real HTTP server started here on local ports, or to a program. Failures are retried, a
killed deliverer's delivery is sent by the next one, and two deliverers never send one
delivery twice."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import signal
import socket
import sys
import threading
import time
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import toy_bitbake
from toaster_cli import Toaster, toy_project

aiosmtpd = pytest.importorskip("aiosmtpd", reason="aiosmtpd is not installed: pip install -r scripts/requirements-test.txt")
from aiosmtpd.controller import Controller  # noqa: E402

RECIPES = {
    "hello_1.0.bb": toy_bitbake.recipe('    bb.note("hello is ready")'),
    "broken_1.0.bb": toy_bitbake.recipe('    bb.fatal("broken cannot build")'),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """A real SMTP server on a local port that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: List[email.message.EmailMessage] = []
        self.recipients: List[List[str]] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def wait(self, count: int, timeout: float = 60) -> List[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, "%d of %d messages arrived" % (len(self.messages), count)
            time.sleep(0.1)
        return self.messages


class WebhookServer:
    """A real HTTP server on a local port that keeps every request and answers with the
    statuses it is given, in turn (the last one from then on)."""

    def __init__(self, statuses: List[int]) -> None:
        self.requests: List[Tuple[Dict[str, str], bytes]] = []
        self.statuses = list(statuses)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hooks/toaster" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 60) -> List[Tuple[Dict[str, str], bytes]]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, "%d of %d requests arrived" % (len(self.requests), count)
            time.sleep(0.1)
        return self.requests


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def toaster(tmp_path: pathlib.Path) -> Toaster:
    """A project without BitBake: for what needs no build to run."""
    t = Toaster(tmp_path)
    t("owner", "add", "alice")
    t("project", "create", "demo", "--dir", str(tmp_path / "demo"))
    return t


def program(path: pathlib.Path, body: str) -> pathlib.Path:
    """An executable Python script at `path`."""
    path.write_text("#!%s\nimport os, sys, time, json, pathlib\n%s\n" % (sys.executable, body))
    path.chmod(0o755)
    return path


def ended_build(t: Toaster, state: str) -> int:
    """A build of `demo` recorded through the binding and ended in `state`: its hooks fire
    as any build's do."""
    import toaster_rs

    with toaster_rs.Toaster.open(str(t.work / "toaster.sqlite")) as db:
        actor = db.act_as("alice")
        build = actor.start_build("demo", host=socket.gethostname(), targets=["hello"])
        actor.recorder(build.id).finish(state)
        return build.id


def test_hooks_are_revisioned_configuration_and_bad_ones_are_refused(toaster: Toaster, tmp_path: pathlib.Path) -> None:
    notify = program(tmp_path / "notify", "pass")
    toaster("hook", "add", "demo", "--on", "failure", "--email", "ops@example.com,dev@example.com")
    toaster("hook", "add", "demo", "--on", "success", "--webhook", "https://ci.example.com/x", "--secret-env", "HOOK_SECRET")
    toaster("hook", "add", "demo", "--on", "always", "--run", str(notify), "--to", "/srv/images", "a b; rm -rf /")
    hooks = toaster.json("hook", "list", "demo")
    assert [(h["id"], h["on"], h["action"]["kind"]) for h in hooks] == [(1, "failure", "email"), (2, "success", "webhook"), (3, "always", "run")]
    assert hooks[1]["action"] == {"kind": "webhook", "url": "https://ci.example.com/x", "secret_env": "HOOK_SECRET"}
    assert hooks[2]["action"]["argv"] == [str(notify), "--to", "/srv/images", "a b; rm -rf /"]
    assert toaster.json("config", "show", "demo")["hooks"] == hooks
    assert "hooks:" in toaster("config", "show", "demo").stdout

    history = toaster.json("project", "history", "demo")
    refusals = {
        "not an address": ["--email", "ops"],
        "not http": ["--webhook", "ftp://x/y"],
        "credentials": ["--webhook", "https://user:pw@x/y"],
        "bad variable": ["--webhook", "https://x/y", "--secret-env", "1X"],
        "missing program": ["--run", str(tmp_path / "nowhere")],
        "not on PATH": ["--run", "no-such-program-here"],
        "not executable": ["--run", str(tmp_path / "notify.txt")],
    }
    (tmp_path / "notify.txt").write_text("")
    for why, action in refusals.items():
        run = toaster("hook", "add", "demo", "--on", "failure", *action, check=False)
        assert run.returncode == 1, (why, run.stderr)
        assert run.stderr.startswith("error: ") and ("hint:" in run.stderr or "; " in run.stderr), (why, run.stderr)
    assert toaster("hook", "add", "demo", "--on", "sometimes", "--email", "a@b.c", check=False).returncode == 2
    assert toaster.json("project", "history", "demo") == history

    toaster("hook", "remove", "demo", "2")
    assert [h["id"] for h in toaster.json("hook", "list", "demo")] == [1, 3]
    missing = toaster("hook", "remove", "demo", "2", check=False)
    assert missing.returncode == 1 and "has no hook 2" in missing.stderr
    toaster("project", "undo", "demo")
    assert [h["id"] for h in toaster.json("hook", "list", "demo")] == [1, 2, 3]
    toaster("project", "clone", "demo", "copy", "--dir", str(tmp_path / "copy"))
    assert toaster.json("hook", "list", "copy") == toaster.json("hook", "list", "demo")


def test_settings_are_for_admins_and_checked(toaster: Toaster) -> None:
    toaster("settings", "set", "smtp.host", "mail.example.com")
    toaster("settings", "set", "smtp.port", "2525")
    shown = {s["name"]: s for s in toaster.json("settings", "show")}
    assert shown["smtp.host"]["value"] == "mail.example.com"
    assert shown["hooks.attempts"]["value"] is None and shown["hooks.attempts"]["default"] == "5"
    for bad in (["smtp.port", "0"], ["smtp.security", "ssl"], ["smtp.password", "x"], ["hooks.attempts", "many"]):
        run = toaster("settings", "set", *bad, check=False)
        assert run.returncode == 1, (bad, run.stderr)
    toaster("owner", "add", "bob")
    denied = toaster("--as", "bob", "settings", "set", "smtp.host", "evil.example.com", check=False)
    assert denied.returncode == 1 and "may not" in denied.stderr
    toaster("settings", "unset", "smtp.port")
    assert {s["name"]: s["value"] for s in toaster.json("settings", "show")}["smtp.port"] is None
    audit = toaster.json("audit")
    assert any(e["action"] == "instance.setting" and "smtp.host = mail.example.com" in e["detail"] for e in audit)


def test_failed_deliveries_are_retried_until_they_succeed_or_are_given_up(toaster: Toaster) -> None:
    flaky = WebhookServer([500, 302, 200])
    down = "http://127.0.0.1:%d/never" % free_port()
    toaster("settings", "set", "hooks.retry-after", "0")
    toaster("settings", "set", "hooks.attempts", "3")
    toaster("hook", "add", "demo", "--on", "failure", "--webhook", flaky.url)
    toaster("hook", "add", "demo", "--on", "always", "--webhook", down)
    build = ended_build(toaster, "failed")
    for _ in range(3):
        toaster("hook", "deliver")
    [flaky_delivery, down_delivery] = toaster.json("build", "hooks", str(build))
    assert [(a["status"], a["delivered"]) for a in flaky_delivery["attempts"]] == [(500, False), (302, False), (200, True)]
    assert flaky_delivery["state"] == "delivered"
    assert "redirect" in flaky_delivery["attempts"][1]["detail"]
    assert len(flaky.requests) == 3
    assert down_delivery["state"] == "failed" and len(down_delivery["attempts"]) == 3
    assert all(not a["delivered"] and a["detail"] for a in down_delivery["attempts"])
    assert toaster("hook", "deliver").stdout.strip() == "no hook deliveries were due"
    shown = toaster("build", "hooks", str(build)).stdout
    assert "delivered" in shown and "failed" in shown
    # A failed delivery never changes the build.
    assert toaster.json("build", "show", str(build))["state"] == "failed"


def test_a_killed_deliverers_delivery_is_sent_by_the_next_and_never_twice_at_once(toaster: Toaster, tmp_path: pathlib.Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    script = program(tmp_path / "slow-hook", """
marker = pathlib.Path(sys.argv[1]) / ("%d" % os.getpid())
marker.write_text(os.environ["TOASTER_BUILD_ID"])
if len(list(pathlib.Path(sys.argv[1]).iterdir())) == 1:
    time.sleep(60)
""")
    toaster("settings", "set", "hooks.script-timeout", "2")
    toaster("settings", "set", "hooks.network-timeout", "1")
    toaster("hook", "add", "demo", "--on", "always", "--run", str(script), str(runs))
    build = ended_build(toaster, "succeeded")
    first = toaster.start("hook", "deliver")
    deadline = time.monotonic() + 30
    while not list(runs.iterdir()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    [pid] = [int(p.name) for p in runs.iterdir()]
    os.kill(pid, signal.SIGKILL)
    # Still held by the dead deliverer: nobody else may send it yet.
    assert toaster("hook", "deliver").stdout.strip() == "no hook deliveries were due"
    assert len(list(runs.iterdir())) == 1
    [pending] = toaster.json("build", "hooks", str(build))
    assert pending["state"] == "pending" and pending["attempts"] == []
    deadline = time.monotonic() + 60
    while toaster.json("build", "hooks", str(build))[0]["state"] == "pending":
        assert time.monotonic() < deadline, "the delivery was never taken over"
        racers = [toaster.start("hook", "deliver") for _ in range(2)]
        for racer in racers:
            racer.wait(timeout=60)
        time.sleep(0.5)
    [done] = toaster.json("build", "hooks", str(build))
    assert done["state"] == "delivered" and len(done["attempts"]) == 1
    assert len(list(runs.iterdir())) == 2, "sent twice at once"


def test_scripts_get_the_build_and_are_killed_at_their_time_limit(toaster: Toaster, tmp_path: pathlib.Path) -> None:
    seen = tmp_path / "seen.json"
    report = program(tmp_path / "report", """
env = {k: v for k, v in os.environ.items() if k.startswith("TOASTER_")}
env["cwd"] = os.getcwd()
env["artifacts"] = json.loads(pathlib.Path(os.environ["TOASTER_ARTIFACTS"]).read_text())
pathlib.Path(sys.argv[1]).write_text(json.dumps(env))
print("x" * 100000)
""")
    forever = program(tmp_path / "forever", "print('started', flush=True)\ntime.sleep(600)")
    toaster("settings", "set", "hooks.script-timeout", "1")
    toaster("settings", "set", "hooks.attempts", "1")
    toaster("hook", "add", "demo", "--on", "failure", "--run", str(report), str(seen))
    toaster("hook", "add", "demo", "--on", "failure", "--run", str(forever))
    build = ended_build(toaster, "failed")
    toaster("hook", "deliver")
    env = json.loads(seen.read_text())
    shown = toaster.json("build", "show", str(build))
    assert env["TOASTER_BUILD_ID"] == str(build)
    assert env["TOASTER_BUILD_STATE"] == "failed"
    assert env["TOASTER_PROJECT"] == "demo"
    assert env["TOASTER_BUILD_DIR"] == shown["build_dir"] == env["cwd"]
    assert env["TOASTER_DB"] == str(toaster.work / "toaster.sqlite")
    assert env["TOASTER_TARGETS"] == "hello"
    assert env["artifacts"] == []
    [reported, killed] = toaster.json("build", "hooks", str(build))
    assert reported["state"] == "delivered"
    assert len(reported["attempts"][0]["output"]) <= 16 * 1024
    assert killed["state"] == "failed"
    assert "killed" in killed["attempts"][0]["detail"] and "started" in killed["attempts"][0]["output"]


@pytest.fixture
def project(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> Toaster:
    """A project building toy layers with the real BitBake."""
    return toy_project(tmp_path, bitbake_dir, RECIPES, "hello")


def test_a_runner_build_mails_and_posts_its_end(project: Toaster, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = WebhookServer([200])
    project.env["HOOK_SECRET"] = "s3cret"
    project("settings", "set", "smtp.host", "127.0.0.1")
    project("settings", "set", "smtp.port", str(mailbox.port))
    project("settings", "set", "smtp.security", "plain")
    project("settings", "set", "smtp.from", "toaster@example.com")
    project("hook", "add", "demo", "--on", "always", "--email", "ops@example.com,dev@example.com")
    project("hook", "add", "demo", "--on", "success", "--webhook", hook.url, "--secret-env", "HOOK_SECRET")

    project("build", "start", "demo", "--wait")
    [ok] = project.json("build", "list")
    [message] = mailbox.wait(1)
    assert message["Subject"] == "[toaster] demo build %d succeeded (hello)" % ok["id"]
    assert message["From"] == "toaster@example.com"
    assert sorted(mailbox.recipients[0]) == ["dev@example.com", "ops@example.com"]
    body = message.get_content()
    assert "Build %d of project demo succeeded." % ok["id"] in body
    assert "toaster build show %d" % ok["id"] in body

    [(headers, payload)] = hook.wait(1)
    signature = "sha256=" + hmac.new(b"s3cret", payload, hashlib.sha256).hexdigest()
    assert headers["x-toaster-signature-256"] == signature
    assert headers["content-type"] == "application/json"
    sent = json.loads(payload)
    assert sent["event"] == "build-ended"
    assert sent["build"]["id"] == ok["id"] and sent["build"]["state"] == "succeeded"
    assert sent["build"]["targets"] == ["hello"] and sent["failed_tasks"] == []
    assert [d["state"] for d in project.json("build", "hooks", str(ok["id"]))] == ["delivered", "delivered"]

    failed = project("build", "start", "demo", "broken", "--wait", check=False)
    assert failed.returncode == 1
    bad = project.json("build", "list")[0]
    [_, message] = mailbox.wait(2)
    assert message["Subject"] == "[toaster] demo build %d failed (broken)" % bad["id"]
    body = message.get_content()
    assert "broken:do_build" in body and "broken cannot build" in body, body
    assert len(hook.requests) == 1, "the success hook fired on a failure"


def test_a_build_run_by_hand_delivers_its_hooks_after_bitbake_exits(project: Toaster, tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> None:
    hook = WebhookServer([200])
    project("hook", "add", "demo", "--on", "failure", "--webhook", hook.url)
    build_dir = toy_bitbake.BuildDir(
        tmp_path / "by-hand", bitbake_dir, project.layers, tmp_path / "toaster.sqlite",  # type: ignore[attr-defined]
        extra_conf='TOASTER_PROJECT = "demo"\nTOASTER_OWNER = "alice"\n',
    )
    run = build_dir.run("broken")
    assert run.returncode != 0
    [(_, payload)] = hook.wait(1, timeout=60)
    sent = json.loads(payload)
    assert sent["build"]["state"] == "failed" and sent["build"]["project"] == "demo"
    assert [t["recipe"] for t in sent["failed_tasks"]] == ["broken"]
    log = tmp_path / "by-hand" / "toaster-logs" / ("build-%d-hooks.log" % sent["build"]["id"])
    deadline = time.monotonic() + 30
    while not log.exists():
        assert time.monotonic() < deadline, "the deliverer wrote no log"
        time.sleep(0.2)
    assert ": delivered: HTTP 200" in log.read_text()
    [delivery] = project.json("build", "hooks", str(sent["build"]["id"]))
    assert delivery["state"] == "delivered" and delivery["attempts"][0]["by"].startswith(socket.gethostname())
