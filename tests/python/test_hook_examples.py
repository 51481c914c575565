"""The example post-build hooks in examples/hooks/, each run as Toaster runs a `--run` hook:
a subprocess with the TOASTER_* environment of a made-up build (a build directory, a console
log, real artifact files and the JSON list of them), against real parts: an SMTP server
(aiosmtpd), a local directory, stand-ins for rsync/scp/ssh that record their argv, and a
stand-in emulator that boots to a login prompt."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import stat
import subprocess
import sys
import time
from email import policy
from email.parser import BytesParser
from typing import Dict, List

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOOKS = ROOT / "examples" / "hooks"
SCRIPTS = ("mail-list", "copy-artifacts", "boot-image")
RUN_TIMEOUT = 30  # "did not hang"; every test takes well under it


class Build:
    """A made-up ended build: its directory, log and artifacts, and the hook environment."""

    def __init__(self, tmp: pathlib.Path, state: str = "failed"):
        # A space in the path: whatever runs on these paths gets them as whole words.
        self.dir = tmp / "my build"
        deploy = self.dir / "tmp" / "deploy" / "images" / "qemux86-64"
        sdk = self.dir / "tmp" / "deploy" / "sdk"
        deploy.mkdir(parents=True)
        sdk.mkdir(parents=True)
        (self.dir / "toaster-logs").mkdir()
        self.log = self.dir / "toaster-logs" / "build-7-console.log"
        self.write_log(
            ["NOTE: Executing Tasks", "noise line"]
            + [f"ERROR: busybox-1.36.1-r0 do_compile: failure {i:02}" for i in range(1, 26)]
            + ["NOTE: Tasks Summary: Attempted 2 tasks of which 1 didn't need to be rerun and 1 failed."]
        )
        rootfs = deploy / "core-image-minimal-qemux86-64.rootfs-20240101.ext4"
        rootfs.write_bytes(os.urandom(70_000))
        # As in a deploy directory: a stable name linking to the dated file next to it.
        link = deploy / "core-image-minimal-qemux86-64.rootfs.ext4"
        link.symlink_to(rootfs.name)
        manifest = deploy / "core-image-minimal-qemux86-64.rootfs.manifest"
        manifest.write_text("busybox core2_64 1.36.1\nbase-files qemux86_64 3.0.14\n")
        kernel = deploy / "bzImage-qemux86-64.bin"
        kernel.write_bytes(os.urandom(5_000))
        installer = sdk / "poky-glibc-x86_64-meta-toolchain-core2-64-qemux86-64-toolchain-5.0.sh"
        installer.write_bytes(b"#!/bin/sh\n" + os.urandom(20_000))
        self.artifacts: List[Dict[str, object]] = []
        self.add("image", link)
        self.add("kernel", kernel)
        self.add("manifest", manifest)
        self.add("sdk", installer)
        self.add("log", self.log)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TOASTER_")}
        self.env.update(
            TOASTER_BUILD_ID="7",
            TOASTER_BUILD_STATE=state,
            TOASTER_PROJECT="demo",
            TOASTER_BUILD_DIR=str(self.dir),
            TOASTER_LOG=str(self.log),
            TOASTER_ARTIFACTS=str(self.dir / "toaster-logs" / "build-7-artifacts.json"),
            TOASTER_DB=str(tmp / "toaster.sqlite"),
            TOASTER_TARGETS="core-image-minimal meta-toolchain",
            TOASTER_MACHINE="qemux86-64",
        )
        self.save()

    def write_log(self, lines: List[str]) -> None:
        self.log.write_text("".join(f"{line}\n" for line in lines))

    def add(self, kind: str, path: pathlib.Path) -> None:
        self.artifacts.append({"kind": kind, "path": str(path), "size": path.stat().st_size})

    def save(self) -> None:
        pathlib.Path(self.env["TOASTER_ARTIFACTS"]).write_text(json.dumps(self.artifacts, indent=2))

    def run(self, script: str, *args: str, env=None) -> subprocess.CompletedProcess:
        """Runs a hook as Toaster does: argv, in the build directory, with the environment."""
        return subprocess.run(
            [str(HOOKS / script), *args],
            cwd=self.dir,
            env=env if env is not None else self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )


@pytest.fixture
def build(tmp_path: pathlib.Path) -> Build:
    return Build(tmp_path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fake_program(directory: pathlib.Path, name: str, record: pathlib.Path, status: int = 0) -> pathlib.Path:
    """A stand-in for `name` that appends its argv (as JSON, one line per run) to `record`."""
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(record)!r}, 'a') as f:\n"
        "    f.write(json.dumps(sys.argv) + '\\n')\n"
        f"sys.exit({status})\n"
    )
    path.chmod(0o755)
    return path


def recorded(record: pathlib.Path) -> List[List[str]]:
    return [json.loads(line) for line in record.read_text().splitlines()]


# -- all three ---------------------------------------------------------------------------


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_are_executable_and_explain_themselves(script: str) -> None:
    path = HOOKS / script
    assert path.stat().st_mode & stat.S_IXUSR, f"{path} is not executable"
    assert path.read_text().startswith("#!/usr/bin/env python3\n")
    result = subprocess.run([str(path), "--help"], capture_output=True, text=True, timeout=RUN_TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert "exit status" in result.stdout and "TOASTER_BUILD_STATE" in result.stdout


ARGS = {
    "mail-list": ["--smtp", "127.0.0.1:1", "--from", "toaster@example.com", "--to", "dev@example.com"],
    "copy-artifacts": ["--to", "out"],
    "boot-image": ["--", "true"],
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_refuse_to_run_without_the_environment(build: Build, script: str) -> None:
    env = dict(build.env)
    del env["TOASTER_PROJECT"]
    result = build.run(script, *ARGS[script], env=env)
    assert result.returncode == 2
    assert "missing environment variable TOASTER_PROJECT" in result.stderr
    assert "Toaster post-build hook" in result.stderr
    assert not (build.dir / "out").exists()


# -- mail-list ---------------------------------------------------------------------------


class Collector:
    """An aiosmtpd handler keeping each message's envelope."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    """A real SMTP server on a free local port; yields (port, handler, controller)."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        pytest.skip("aiosmtpd is not installed (pip install -r scripts/requirements-test.txt)")
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"toaster",
            b"s3cret",
        )
        # handled=False: aiosmtpd answers (535 on a failure) itself.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    handler = Collector()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield controller.port, handler
    finally:
        controller.stop()


def mail(build: Build, port: int, *extra: str, env=None) -> subprocess.CompletedProcess:
    return build.run(
        "mail-list",
        "--smtp", f"127.0.0.1:{port}",
        "--from", "toaster@example.com",
        "--to", "dev@example.com,qa@example.com",
        *extra,
        env=env,
    )  # fmt: skip


def test_mail_list_mails_the_report_to_the_list(build: Build, smtp) -> None:
    port, handler = smtp
    result = mail(build, port)
    assert result.returncode == 0, result.stderr
    assert "mailed to dev@example.com, qa@example.com" in result.stdout
    [envelope] = handler.envelopes
    assert envelope.mail_from == "toaster@example.com"
    assert envelope.rcpt_tos == ["dev@example.com", "qa@example.com"]
    msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
    assert msg["Subject"] == "[toaster] demo build 7 failed (core-image-minimal meta-toolchain)"
    assert msg["To"] == "dev@example.com, qa@example.com"
    body = msg.get_body().get_content()
    assert "state:     failed" in body
    assert "machine:   qemux86-64" in body
    assert "targets:   core-image-minimal meta-toolchain" in body
    # The last 20 ERROR: lines, and only those.
    lines = body.splitlines()
    for i in range(6, 26):
        assert f"  ERROR: busybox-1.36.1-r0 do_compile: failure {i:02}" in lines
    for i in range(1, 6):
        assert f"  ERROR: busybox-1.36.1-r0 do_compile: failure {i:02}" not in lines
    assert "noise line" not in body
    for artifact in build.artifacts:
        assert os.path.basename(str(artifact["path"])) in body
    assert f"({build.artifacts[1]['size']} bytes)" in body


def test_mail_list_shows_the_last_lines_of_a_log_without_errors(build: Build, smtp) -> None:
    port, handler = smtp
    build.write_log([f"NOTE: step {i:02}" for i in range(1, 31)])
    result = mail(build, port)
    assert result.returncode == 0, result.stderr
    msg = BytesParser(policy=policy.default).parsebytes(handler.envelopes[0].content)
    body = msg.get_body().get_content()
    lines = body.splitlines()
    assert all(f"  NOTE: step {i:02}" in lines for i in range(11, 31))
    assert not any(f"  NOTE: step {i:02}" in lines for i in range(1, 11))


def test_mail_list_logs_in_with_the_password_from_the_environment(build: Build, smtp) -> None:
    port, handler = smtp
    env = dict(build.env, SMTP_PW="s3cret")
    result = mail(build, port, "--user", "toaster", "--password-env", "SMTP_PW", env=env)
    assert result.returncode == 0, result.stderr
    assert len(handler.envelopes) == 1
    assert "s3cret" not in result.stdout + result.stderr

    env["SMTP_PW"] = "wrong"
    result = mail(build, port, "--user", "toaster", "--password-env", "SMTP_PW", env=env)
    assert result.returncode == 1
    assert "refused the login of 'toaster'" in result.stderr
    assert len(handler.envelopes) == 1

    del env["SMTP_PW"]
    result = mail(build, port, "--user", "toaster", "--password-env", "SMTP_PW", env=env)
    assert result.returncode == 2
    assert "--password-env SMTP_PW: that variable is not set" in result.stderr


def test_mail_list_only_failed_leaves_a_succeeded_build_unmailed(tmp_path: pathlib.Path, smtp) -> None:
    port, handler = smtp
    build = Build(tmp_path, state="succeeded")
    result = mail(build, port, "--only", "failed")
    assert result.returncode == 0, result.stderr
    assert "not mailed (--only failed)" in result.stdout
    assert handler.envelopes == []

    result = mail(build, port, "--only", "succeeded")
    assert result.returncode == 0, result.stderr
    [envelope] = handler.envelopes
    msg = BytesParser(policy=policy.default).parsebytes(envelope.content)
    assert msg["Subject"] == "[toaster] demo build 7 succeeded (core-image-minimal meta-toolchain)"


def test_mail_list_names_the_recipients_the_server_refused(build: Build, smtp) -> None:
    port, handler = smtp
    result = build.run(
        "mail-list", "--smtp", f"127.0.0.1:{port}", "--from", "Toaster <toaster@example.com>",
        "--to", "Dev List <dev@example.com>,nobody@example.com",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"127.0.0.1:{port} refused nobody@example.com: 550 5.1.1 no such user" in result.stderr
    assert "mailed to Dev List <dev@example.com> through" in result.stdout
    [envelope] = handler.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("toaster@example.com", ["dev@example.com"])

    result = build.run(
        "mail-list", "--smtp", f"127.0.0.1:{port}", "--from", "toaster@example.com",
        "--to", "nobody@example.com",
    )  # fmt: skip
    assert result.returncode == 1
    assert f"127.0.0.1:{port} refused every recipient: nobody@example.com (550" in result.stderr
    assert len(handler.envelopes) == 1


def test_mail_list_fails_clearly_when_the_server_refuses_the_connection(build: Build) -> None:
    port = free_port()  # nothing listens there
    result = mail(build, port)
    assert result.returncode == 1
    assert f"mail-list: cannot send through 127.0.0.1:{port}:" in result.stderr
    assert "refused" in result.stderr.lower()


# -- copy-artifacts ----------------------------------------------------------------------


def test_copy_artifacts_copies_the_files_whole_into_project_and_build(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    dest = tmp_path / "srv images"
    result = build.run("copy-artifacts", "--to", str(dest))
    assert result.returncode == 0, result.stderr
    assert "4 files copied" in result.stdout
    copied = dest / "demo" / "7"
    sources = [pathlib.Path(str(a["path"])) for a in build.artifacts if a["kind"] != "log"]
    expected = {source.name: source for source in sources}
    assert sorted(p.name for p in copied.iterdir()) == sorted(expected)  # no temporary files left
    for name, source in expected.items():
        assert (copied / name).read_bytes() == source.read_bytes(), name
        assert not (copied / name).is_symlink()


def test_copy_artifacts_copies_only_the_kinds_asked_for(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    result = build.run("copy-artifacts", "--to", str(tmp_path / "out"), "--kinds", "sdk,kernel")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out" / "demo" / "7").iterdir())
    assert names == [
        "bzImage-qemux86-64.bin",
        "poky-glibc-x86_64-meta-toolchain-core2-64-qemux86-64-toolchain-5.0.sh",
    ]


def test_copy_artifacts_copies_nothing_for_a_build_that_failed(build: Build, tmp_path) -> None:
    result = build.run("copy-artifacts", "--to", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "build 7 of demo failed: nothing to copy" in result.stdout
    assert not (tmp_path / "out").exists()


def test_copy_artifacts_refuses_a_link_out_of_the_artifact_directory(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    secret = tmp_path / "secret.key"
    secret.write_text("not for the image store\n")
    link = pathlib.Path(str(build.artifacts[0]["path"])).parent / "core-image-minimal-qemux86-64.rootfs.wic"
    link.symlink_to(secret)
    build.add("image", link)
    build.save()
    result = build.run("copy-artifacts", "--to", str(tmp_path / "out"))
    assert result.returncode == 3
    assert f"refused: artifact {link} is a link to {secret}, out of its directory" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing copied, not even the good ones


@pytest.mark.parametrize("path", ["tmp/deploy/images/qemux86-64/relative.ext4", "/nonexistent/x.ext4"])
def test_copy_artifacts_refuses_a_relative_or_missing_path(build: Build, tmp_path, path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    build.artifacts.append({"kind": "image", "path": path, "size": 1})
    build.save()
    result = build.run("copy-artifacts", "--to", str(tmp_path / "out"))
    assert result.returncode == 3
    assert path in result.stderr
    assert ("is not absolute" if not path.startswith("/") else "does not exist") in result.stderr
    assert not (tmp_path / "out").exists()


def test_copy_artifacts_to_a_host_runs_rsync_as_argv(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    record = tmp_path / "argv.jsonl"
    fake_program(tmp_path / "bin", "rsync", record)
    build.env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{build.env['PATH']}"
    result = build.run(
        "copy-artifacts", "--to", "images@store.example.com:/srv/images", "--ssh-command", "ssh -p 2222"
    )
    assert result.returncode == 0, result.stderr
    sources = [str(a["path"]) for a in build.artifacts if a["kind"] != "log"]
    assert all(" " in s for s in sources)  # "my build": one word each all the same
    assert recorded(record) == [
        [str(tmp_path / "bin" / "rsync"), "--times", "--copy-links", "--mkpath", "-e", "ssh -p 2222", "--"]
        + sources
        + ["images@store.example.com:/srv/images/demo/7/"]
    ]


def test_copy_artifacts_to_a_host_runs_ssh_and_scp_as_argv(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    ssh_record, scp_record = tmp_path / "ssh.jsonl", tmp_path / "scp.jsonl"
    ssh = fake_program(tmp_path / "bin", "my-ssh", ssh_record)
    fake_program(tmp_path / "bin", "scp", scp_record)
    build.env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{build.env['PATH']}"
    result = build.run(
        "copy-artifacts", "--to", "store.example.com:images dir", "--via", "scp", "--ssh-command", str(ssh)
    )
    assert result.returncode == 0, result.stderr
    # ssh hands its command to the remote shell: the directory is quoted for it.
    assert recorded(ssh_record) == [
        [str(ssh), "--", "store.example.com", "mkdir", "-p", "--", "'images dir/demo/7'"]
    ]
    sources = [str(a["path"]) for a in build.artifacts if a["kind"] != "log"]
    assert recorded(scp_record) == [
        [str(tmp_path / "bin" / "scp"), "-p", "-q", "-S", str(ssh), "--"]
        + sources
        + ["store.example.com:images dir/demo/7/"]
    ]


def test_copy_artifacts_fails_when_rsync_fails(build: Build, tmp_path) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    fake_program(tmp_path / "bin", "rsync", tmp_path / "argv.jsonl", status=12)
    build.env["PATH"] = f"{tmp_path / 'bin'}{os.pathsep}{build.env['PATH']}"
    result = build.run("copy-artifacts", "--to", "store.example.com:/srv/images")
    assert result.returncode == 1
    assert "rsync failed (exit status 12)" in result.stderr


# -- boot-image --------------------------------------------------------------------------

# A stand-in for runqemu: starts a child that ignores SIGTERM (as a stuck qemu would), writes
# both pids, prints boot noise and a login prompt (without a newline, as getty does) unless
# told to stay silent, then sleeps forever.
EMULATOR = """\
import os, pathlib, signal, subprocess, sys, time
pids, mode, image, machine = sys.argv[1:]
child = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(3600)"])
pathlib.Path(pids).write_text(f"{os.getpid()} {child.pid}\\n")
print(f"booting {image} on {machine}", flush=True)
if mode == "exit":
    sys.exit(4)
if mode == "login":
    print("[    0.000000] Linux version 6.6.23-yocto-standard", flush=True)
    print("INIT: Entering runlevel: 5", flush=True)
    sys.stdout.write("Poky (Yocto Project Reference Distro) 5.0 qemux86-64 ttyS0\\n\\nqemux86-64 login: ")
    sys.stdout.flush()
time.sleep(3600)
"""


def gone(pid: int) -> bool:
    """Whether process `pid` has exited (no longer there, or a zombie nobody reaped yet)."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def assert_gone(pids: List[int]) -> None:
    deadline = time.monotonic() + 5
    while not all(gone(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [p for p in pids if not gone(p)]
    for pid in left:  # do not leave them behind whatever the test says
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running: {left}"


@pytest.fixture
def emulator(tmp_path: pathlib.Path):
    script = tmp_path / "fake-runqemu.py"
    script.write_text(EMULATOR)
    pids = tmp_path / "emulator.pids"

    def argv(mode: str) -> str:
        return f"{sys.executable} '{script}' '{pids}' {mode} {{image}} {{machine}}"

    def read_pids() -> List[int]:
        return [int(p) for p in pids.read_text().split()]

    argv.pids = read_pids  # type: ignore[attr-defined]
    argv.file = pids  # type: ignore[attr-defined]
    return argv


def stand_in_test(tmp_path: pathlib.Path, status: int) -> List[str]:
    """A stand-in test: records the image it was given, exits with `status`."""
    mark = tmp_path / "tested"
    code = (
        f"import os, sys; open({str(mark)!r}, 'w').write(os.environ['TOASTER_IMAGE']); "
        f"sys.exit({status})"
    )
    return [sys.executable, "-c", code]


def test_boot_image_boots_runs_the_test_and_stops_the_emulator(build: Build, tmp_path, emulator) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    result = build.run(
        "boot-image", "--emulator", emulator("login"), "--stop-grace", "1", "--", *stand_in_test(tmp_path, 0)
    )
    assert result.returncode == 0, result.stderr
    image = str(build.artifacts[0]["path"])
    assert "the test command passed" in result.stdout
    assert "emulator stopped" in result.stdout
    assert (tmp_path / "tested").read_text() == image
    console = (build.dir / "toaster-logs" / "build-7-boot.log").read_text()
    # {image} and {machine} replaced, each in its own word (the path has a space).
    assert f"booting {image} on qemux86-64" in console
    assert console.endswith("qemux86-64 login: ")
    assert_gone(emulator.pids())


def test_boot_image_fails_when_the_test_fails_and_stops_the_emulator(build: Build, tmp_path, emulator) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    result = build.run(
        "boot-image", "--emulator", emulator("login"), "--stop-grace", "1", "--", *stand_in_test(tmp_path, 1)
    )
    assert result.returncode == 1
    assert "the test command failed (exit status 1)" in result.stderr
    assert (tmp_path / "tested").exists()
    assert_gone(emulator.pids())


def test_boot_image_gives_up_on_an_emulator_that_never_boots(build: Build, tmp_path, emulator) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    result = build.run(
        "boot-image", "--emulator", emulator("silent"), "--timeout", "2", "--stop-grace", "1",
        "--", *stand_in_test(tmp_path, 0),
    )  # fmt: skip
    assert result.returncode == 3
    assert "the emulator did not print 'login:' within 2 s" in result.stderr
    assert "booting" in result.stderr  # the end of its output is shown
    assert not (tmp_path / "tested").exists()
    assert "emulator stopped" in result.stdout
    assert_gone(emulator.pids())


def test_boot_image_says_when_the_emulator_exits_before_booting(build: Build, tmp_path, emulator) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    result = build.run(
        "boot-image", "--emulator", emulator("exit"), "--stop-grace", "1", "--", *stand_in_test(tmp_path, 0)
    )
    assert result.returncode == 3
    assert "the emulator exited before printing 'login:'" in result.stderr
    assert "emulator stopped (exit status 4)" in result.stdout
    assert_gone(emulator.pids())


def test_boot_image_boots_nothing_for_a_build_that_failed(build: Build, tmp_path, emulator) -> None:
    result = build.run("boot-image", "--emulator", emulator("login"), "--", *stand_in_test(tmp_path, 0))
    assert result.returncode == 0, result.stderr
    assert "build 7 of demo failed: nothing to boot" in result.stdout
    assert not emulator.file.exists()
    assert not (tmp_path / "tested").exists()


def test_boot_image_stops_the_emulator_and_the_test_when_it_is_terminated(
    build: Build, tmp_path: pathlib.Path, emulator
) -> None:
    build.env["TOASTER_BUILD_STATE"] = "succeeded"
    mark = tmp_path / "test.pid"
    hang = f"import os, time; open({str(mark)!r}, 'w').write(str(os.getpid())); time.sleep(3600)"
    proc = subprocess.Popen(
        [str(HOOKS / "boot-image"), "--emulator", emulator("login"), "--stop-grace", "1"]
        + ["--", sys.executable, "-c", hang],
        cwd=build.dir,
        env=build.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while not (mark.exists() and mark.read_text()) and proc.poll() is None:
            assert time.monotonic() < deadline, "the test command did not start"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=RUN_TIMEOUT)
    finally:
        if proc.poll() is None:  # an assertion failed above: let it stop the emulator
            proc.terminate()
            proc.wait(RUN_TIMEOUT)
    assert proc.returncode == 1
    assert "stopped by signal 15" in err
    assert "emulator stopped" in out
    assert_gone(emulator.pids() + [int(mark.read_text())])
