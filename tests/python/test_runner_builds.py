"""Builds Toaster starts: ``toaster build start --wait`` and ``toaster runner`` running real
BitBake on toy layers, recorded with no step by the user, cancelled, queued one after the
other, and a runner killed mid-build. Driven through the ``toaster`` command, as a user
(or Jenkins) would."""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import time
from xml.etree import ElementTree

import pytest
import toy_bitbake
from toaster_cli import Toaster, toy_project

RECIPES = {
    "base_1.0.bb": toy_bitbake.recipe('    bb.note("base is ready")'),
    "hello_1.0.bb": toy_bitbake.recipe('    bb.warn("hello is careful")', depends=["base"]),
    "broken_1.0.bb": toy_bitbake.recipe('    bb.fatal("broken cannot build")'),
    "slow_1.0.bb": toy_bitbake.recipe("    import time\n    time.sleep(20)"),
}


@pytest.fixture
def toaster(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> Toaster:
    return toy_project(tmp_path, bitbake_dir, RECIPES, "hello")


def bitbake_left(bitbake_dir: pathlib.Path, grace: float = 0) -> str:
    """BitBake processes still running, after `grace` seconds for a server that is going."""
    deadline = time.monotonic() + grace
    while True:
        left = subprocess.run(["pgrep", "-af", str(bitbake_dir / "bin")], capture_output=True, text=True, check=False).stdout.strip()
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.2)


def test_build_start_wait_runs_the_build_here_and_records_it(toaster, bitbake_dir):
    run = toaster("build", "start", "demo", "--wait")
    [listed] = toaster.json("build", "list")
    build = toaster.json("build", "show", str(listed["id"]))
    assert (build["state"], build["targets"], build["tasks"]) == ("succeeded", ["hello"], {"succeeded": 2})
    assert build["warnings"] == 1 and "build %d succeeded" % build["id"] in run.stdout
    # The log file is BitBake's own console output.
    log = pathlib.Path(build["log_path"]).read_text()
    assert "WARNING: hello-1.0-r0 do_build: hello is careful" in log
    assert "NOTE: Tasks Summary: Attempted 2 tasks of which 0 didn't need to be rerun and all succeeded." in log
    # The user's conf files hold nothing of the runner's.
    conf = toaster.work / "demo" / "build" / "conf"
    assert "toaster-recorder" not in (conf / "local.conf").read_text() + (conf / "bblayers.conf").read_text()

    junit = toaster.work / "junit.xml"
    failed = toaster("build", "start", "demo", "broken", "--wait", "--junit", str(junit), check=False)
    assert failed.returncode == 1, failed.stderr
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("1", "1")
    [case] = suite.findall("testcase")
    assert case.get("name") == "broken:do_build" and case.find("failure") is not None
    watched = toaster("build", "watch", str(build["id"]))
    assert "build %d succeeded" % build["id"] in watched.stdout
    broken = toaster.json("build", "show", str(toaster.json("build", "list")[0]["id"]))
    assert (broken["state"], broken["tasks"]) == ("failed", {"failed": 1})
    errors = [m["text"] for m in toaster.json("build", "log", str(broken["id"]), "--level", "error")]
    assert "broken cannot build" in errors
    # BitBake's server goes by itself once its client has ended.
    assert bitbake_left(bitbake_dir, grace=10) == ""


def test_a_running_build_is_cancelled_and_no_bitbake_is_left(toaster, bitbake_dir):
    waiting = toaster.start("build", "start", "demo", "slow", "--wait")
    try:
        deadline = time.monotonic() + 60
        while not toaster.json("build", "list") or toaster.json("build", "list")[0]["state"] != "running":
            assert time.monotonic() < deadline and waiting.poll() is None, waiting.stderr and waiting.stderr.read()
            time.sleep(0.3)
        build = toaster.json("build", "list")[0]["id"]
        # A change made while it runs does not reach the files it reads; it does after.
        conf = toaster.work / "demo" / "build" / "conf" / "toaster.conf"
        changed = toaster("config", "set", "demo", "TOASTER_TEST_LATE", "yes")
        assert "build %d is running" % build in changed.stderr, changed.stderr
        assert "TOASTER_TEST_LATE" not in conf.read_text()
        toaster("build", "cancel", str(build))
        out, err = waiting.communicate(timeout=120)
        assert 'TOASTER_TEST_LATE = "yes"' in conf.read_text()
    finally:
        if waiting.poll() is None:
            waiting.kill()
    assert waiting.returncode == 1, err
    shown = toaster.json("build", "show", str(build))
    assert shown["state"] == "cancelled"
    assert bitbake_left(bitbake_dir) == ""
    again = toaster("build", "cancel", str(build), check=False)
    assert again.returncode == 1 and "has ended" in again.stderr


def test_ctrl_c_on_build_start_wait_cancels_the_build(toaster, bitbake_dir):
    waiting = toaster.start("build", "start", "demo", "slow", "--wait")
    deadline = time.monotonic() + 60
    while not toaster.json("build", "list") or toaster.json("build", "list")[0]["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    waiting.send_signal(signal.SIGINT)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 1, err
    assert toaster.json("build", "list")[0]["state"] == "cancelled"
    assert bitbake_left(bitbake_dir) == ""


def test_a_queued_build_cancelled_never_starts_and_two_projects_run_one_after_the_other(toaster, tmp_path, bitbake_dir):
    toaster.project("other", toaster.layers, bitbake_dir, "base")
    first = toaster.json("build", "start", "demo")["id"]
    second = toaster.json("build", "start", "other")["id"]
    dropped = toaster.json("build", "start", "demo", "slow")["id"]
    toaster("build", "cancel", str(dropped))
    run = toaster("runner", "--once", "--jobs", "1")
    shown = {b: toaster.json("build", "show", str(b)) for b in (first, second, dropped)}
    assert [shown[b]["state"] for b in (first, second, dropped)] == ["succeeded", "succeeded", "cancelled"]
    assert shown[dropped]["log_path"] is None, "it never started"
    said = run.stderr
    assert said.index("build %d succeeded" % first) < said.index("build %d of other started" % second), said


def test_a_killed_runners_build_is_interrupted_after_its_lease(toaster, bitbake_dir):
    build = toaster.json("build", "start", "demo", "slow")["id"]
    runner = toaster.start("runner", "--lease", "3")
    try:
        toaster.wait_for(build, ["running"])
        runner.send_signal(signal.SIGKILL)
        runner.wait()
        time.sleep(4)
        # Any runner (here one that finds nothing else to do) ends the dead runner's claims.
        toaster("runner", "--once")
        shown = toaster.json("build", "show", str(build))
        assert shown["state"] == "interrupted"
    finally:
        # The killed runner's BitBake goes on by itself; this test stops it.
        for line in bitbake_left(bitbake_dir).splitlines():
            os.kill(int(line.split()[0]), signal.SIGKILL)


def test_a_project_without_bitbake_or_with_missing_layers_fails_clearly(toaster, tmp_path, bitbake_dir):
    toaster("project", "create", "bare", "--dir", str(tmp_path / "bare"), "--release", toy_bitbake.SERIES)
    # A new project builds with its release's branch of BitBake's repository, once fetched.
    shown = toaster.json("bitbake", "show", "bare")
    assert (shown["url"], shown["reference"], shown["commit"]) == ("https://git.openembedded.org/bitbake", "2.18", None)
    unfetched = toaster("build", "start", "bare", "x", "--wait", check=False)
    assert unfetched.returncode == 1 and "never fetched" in unfetched.stderr, unfetched.stderr
    assert "toaster bitbake update bare" in unfetched.stderr
    toaster("bitbake", "set", "bare", "--path", str(bitbake_dir))
    unfetched = toaster("build", "start", "bare", "x", "--wait", check=False)
    assert unfetched.returncode == 1 and "never fetched" in unfetched.stderr, unfetched.stderr
    failed = toaster.json("build", "list", "bare")[0]
    assert failed["state"] == "failed"
    not_bitbake = toaster("bitbake", "set", "bare", "--path", str(tmp_path), check=False)
    assert not_bitbake.returncode == 1 and "not a BitBake checkout" in not_bitbake.stderr


def test_bitbake_from_git_is_cloned_pinned_and_built_with(toaster, tmp_path, bitbake_dir):
    repo = tmp_path / "bitbake-repo"
    shutil.copytree(bitbake_dir, repo, symlinks=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git[:3] + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "BitBake"], check=True)
    commit = subprocess.run(git[:3] + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    toaster("bitbake", "set", "demo", "--git", str(repo))
    shown = toaster.json("bitbake", "show", "demo")
    assert (shown["kind"], shown["url"], shown["reference"], shown["commit"]) == ("git", str(repo), "main", commit)
    (repo / "NEWS").write_text("later\n")
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "later"], check=True)
    later = subprocess.run(git[:3] + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    toaster("bitbake", "update", "demo")
    assert toaster.json("bitbake", "show", "demo")["commit"] == later
    toaster("build", "start", "demo", "base", "--wait")
    assert toaster.json("build", "list")[0]["state"] == "succeeded"
    # Undone like any change: the checkout it was before.
    toaster("project", "undo", "demo")
    toaster("project", "undo", "demo")
    assert toaster.json("bitbake", "show", "demo")["path"] == str(bitbake_dir)
    toy = tmp_path / "toy"
    subprocess.run(["git", "-C", str(toy), "init", "-q", "-b", "main"], check=True)
    subprocess.run(["git", "-C", str(toy), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    bad = toaster("bitbake", "set", "demo", "--git", str(toy), check=False)
    assert bad.returncode == 1 and "is not a BitBake checkout" in bad.stderr, bad.stderr
    assert toaster.json("bitbake", "show", "demo")["path"] == str(bitbake_dir), "nothing changed"
    assert not (toaster.work / "demo" / "layers" / "toy").exists(), "the clone it made is gone"
    missing = toaster("bitbake", "set", "demo", "--git", str(tmp_path / "nowhere"), check=False)
    assert missing.returncode == 1 and "cannot fetch" in missing.stderr and "hint:" in missing.stderr


def test_the_runner_clones_a_git_layer_that_is_missing_at_its_pinned_commit(toaster, tmp_path, bitbake_dir):
    repo = tmp_path / "meta-extra"
    toy_bitbake.toy_layer(tmp_path, "meta-extra", {"extra_1.0.bb": toy_bitbake.recipe('    bb.note("extra")')})
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(git[:3] + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "one"], check=True)
    toaster("layer", "add", "demo", "--git", str(repo), "--ref", "main")
    pinned = next(layer["commit"] for layer in toaster.json("layer", "list", "demo") if layer["name"] == "meta-extra")
    # Later work upstream is not what the revision pins.
    (repo / "recipes" / "late_1.0.bb").write_text(toy_bitbake.recipe("    pass"))
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "two"], check=True)
    clone = toaster.work / "demo" / "layers" / "meta-extra"
    shutil.rmtree(clone)
    toaster("build", "start", "demo", "extra", "--wait")
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    assert head == pinned and not (clone / "recipes" / "late_1.0.bb").exists()
    # A clone with local work is named and left alone, and the build fails before BitBake.
    (clone / "recipes" / "extra_1.0.bb").write_text("# my local change\n")
    refused = toaster("build", "start", "demo", "extra", "--wait", check=False)
    assert refused.returncode == 1 and "meta-extra" in refused.stderr and "layers are not ready" in refused.stderr, refused.stderr
    assert (clone / "recipes" / "extra_1.0.bb").read_text() == "# my local change\n"


def test_two_jobs_run_two_projects_at_once(toaster, tmp_path, bitbake_dir):
    layers = [toaster.layers[0], toy_bitbake.toy_layer(tmp_path, "nap", {"nap_1.0.bb": toy_bitbake.recipe("    import time\n    time.sleep(4)")})]
    toaster.project("other", layers, bitbake_dir, "nap")
    toaster("config", "set", "demo", "targets", "base")
    first = toaster.json("build", "start", "other")["id"]
    second = toaster.json("build", "start", "demo")["id"]
    run = toaster("runner", "--once", "--jobs", "2")
    said = run.stderr
    # The second started while the first (a 4 s task) still ran.
    assert said.index("build %d of demo started" % second) < said.index("build %d succeeded" % first), said
    assert [toaster.json("build", "show", str(b))["state"] for b in (first, second)] == ["succeeded", "succeeded"]
