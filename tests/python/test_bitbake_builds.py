"""Real ``bitbake`` runs of toy layers, recorded by meta-toaster's class exactly as the
README says (``INHERIT += "toaster-recorder"`` and ``TOASTER_DB`` in ``local.conf``, the
``toaster_rs`` package in the Python BitBake runs with). What the database holds afterwards
is read through the ``toaster`` command, as a user would."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import threading
import time
from typing import Any, Dict, List

import pytest
import toaster_rs
import toy_bitbake
from conftest import run_cli

RECIPES = {
    "base_1.0.bb": toy_bitbake.recipe('    bb.note("base is ready")'),
    "hello_1.0.bb": toy_bitbake.recipe(
        '    bb.warn("hello is careful")\n'
        '    deploy = d.getVar("DEPLOY_DIR_IMAGE")\n'
        "    bb.utils.mkdirhier(deploy)\n"
        '    with open(deploy + "/hello.img", "w") as image:\n'
        '        image.write("an image")',
        depends=["base"],
    ),
    "broken_1.0.bb": toy_bitbake.recipe('    bb.error("broken says no")\n    bb.fatal("broken cannot build")', depends=["base"]),
    "slow_1.0.bb": toy_bitbake.recipe('    import time\n    bb.note("slow starts")\n    time.sleep(30)'),
}


@pytest.fixture
def database(tmp_path: pathlib.Path) -> pathlib.Path:
    """A new database whose command line chose alice, as `toaster owner use` does."""
    path = tmp_path / "toaster.sqlite"
    with toaster_rs.Toaster.init(path) as db:
        db.add_first_owner("alice")
    run_cli(path, "owner", "use", "alice")
    return path


@pytest.fixture
def layers(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> List[pathlib.Path]:
    return [toy_bitbake.core_layer(tmp_path, bitbake_dir), toy_bitbake.toy_layer(tmp_path, "toy", RECIPES)]


def builds(database: pathlib.Path) -> List[Dict[str, Any]]:
    return json.loads(run_cli(database, "build", "list", "--all"))


def shown(database: pathlib.Path, build: int) -> Dict[str, Any]:
    return json.loads(run_cli(database, "build", "show", str(build)))


def recorder_warnings(output: str) -> List[str]:
    return [line for line in output.splitlines() if "toaster-recorder" in line]


def test_a_build_is_recorded_whole_with_its_log_file(tmp_path, bitbake_dir, layers, database):
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database)
    run = build_dir.run("hello")
    assert run.returncode == 0, run.stdout
    assert recorder_warnings(run.stdout) == []
    [listed] = builds(database)
    build = shown(database, listed["id"])
    assert (build["state"], build["project"], build["targets"]) == ("succeeded", "command-line-builds", ["hello:do_build"])
    assert [layer["name"] for layer in build["layers"]] == ["core", "toy", "meta-toaster"]
    assert build["progress"]["recipes_parsed"] == build["progress"]["recipes_total"] == len(RECIPES)
    assert build["progress"]["tasks_done"] == build["progress"]["tasks_total"] == 2
    assert (build["errors"], build["warnings"]) == (0, 1)
    tasks = json.loads(run_cli(database, "build", "tasks", str(build["id"])))
    assert [(t["order"], t["recipe"], t["task"], t["outcome"]) for t in tasks] == [
        (1, "base", "do_build", "succeeded"),
        (2, "hello", "do_build", "succeeded"),
    ]
    assert all(t["log_file"] and "log.do_build" in t["log_file"] for t in tasks)
    messages = json.loads(run_cli(database, "build", "log", str(build["id"])))
    assert [(m["level"], m["text"], m["task"]) for m in messages] == [("warning", "hello is careful", "hello:do_build")]
    assert (tmp_path / "build" / "tmp" / "deploy" / "images" / "hello.img").exists() or any(
        (tmp_path / "build" / "tmp").rglob("hello.img")
    )

    log = pathlib.Path(build["log_path"])
    assert log == tmp_path / "build" / "toaster-logs" / ("build-%d.log" % build["id"])
    text = log.read_text()
    for line in (
        "NOTE: recipe base: task do_build: Started",
        "NOTE: base do_build: base is ready",
        "NOTE: recipe base: task do_build: Succeeded",
        "WARNING: hello do_build: hello is careful",
        "NOTE: recipe hello: task do_build: Succeeded",
        "NOTE: Tasks Summary: Attempted 2 tasks of which 0 didn't need to be rerun and all succeeded.",
        "NOTE: Build succeeded",
    ):
        assert line + "\n" in text, (line, text)

    again = build_dir.run("base")
    assert again.returncode == 0, again.stdout
    newest = builds(database)[0]
    assert newest["id"] != build["id"] and newest["log_path"] != build["log_path"]
    # Parsed from the cache this time: the recipes are counted all the same.
    cached = shown(database, newest["id"])["progress"]
    assert cached["recipes_parsed"] == cached["recipes_total"] == len(RECIPES), cached
    second = pathlib.Path(newest["log_path"]).read_text()
    assert "NOTE: recipe base: task do_build: Started\n" in second and "hello" not in second


def test_a_failing_task_fails_the_build_with_its_error(tmp_path, bitbake_dir, layers, database):
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database)
    run = build_dir.run("broken")
    assert run.returncode == 1, run.stdout
    [listed] = builds(database)
    build = shown(database, listed["id"])
    assert build["state"] == "failed" and build["errors"] >= 2
    assert build["tasks"] == {"succeeded": 1, "failed": 1}
    errors = [m["text"] for m in json.loads(run_cli(database, "build", "log", str(build["id"]), "--level", "error"))]
    assert "broken says no" in errors and "broken cannot build" in errors
    assert any("broken_1.0.bb:do_build" in text and "failed" in text for text in errors), errors
    text = pathlib.Path(build["log_path"]).read_text()
    assert "NOTE: recipe broken: task do_build: Failed\n" in text and "ERROR: broken do_build: broken says no\n" in text


def test_sigint_cancels_the_build_and_leaves_no_bitbake(tmp_path, bitbake_dir, layers, database):
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database)
    process = build_dir.start("slow")
    try:
        deadline = time.monotonic() + 120
        while not builds(database) or shown(database, builds(database)[0]["id"])["state"] != "running":
            assert process.poll() is None and time.monotonic() < deadline, "the build never ran"
            time.sleep(0.2)
        time.sleep(1)  # the slow task is running
        process.send_signal(signal.SIGINT)
        time.sleep(1)
        process.send_signal(signal.SIGINT)  # a second Ctrl-C stops the running task
        output, _ = process.communicate(timeout=60)
    finally:
        build_dir.stop(process)
    assert process.returncode != 0, output
    build = shown(database, builds(database)[0]["id"])
    assert build["state"] == "cancelled", output
    assert build_dir.server_pid() is None
    left = subprocess.run(["pgrep", "-f", str(bitbake_dir / "bin")], capture_output=True, text=True, check=False)
    assert left.stdout.strip() == "", "BitBake processes left: %s" % left.stdout


def test_bitbake_without_its_django_toaster_records_too(tmp_path, bitbake_dir, database):
    plain = toy_bitbake.copy_without_django_toaster(bitbake_dir, tmp_path)
    layers = [toy_bitbake.core_layer(tmp_path, plain), toy_bitbake.toy_layer(tmp_path, "toy", RECIPES)]
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", plain, layers, database)
    run = build_dir.run("base")
    assert run.returncode == 0, run.stdout
    assert shown(database, builds(database)[0]["id"])["state"] == "succeeded"


def test_a_left_over_command_line_builds_directory_is_left_alone(tmp_path, bitbake_dir, layers, database):
    left = tmp_path / "command-line-builds"
    (left / "build").mkdir(parents=True)
    (left / "build" / "theirs.txt").write_text("an earlier database's\n")
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database)
    run = build_dir.run("base")
    assert run.returncode == 0, run.stdout
    [warning] = recorder_warnings(run.stdout)
    assert "command-line-builds-2" in warning and "no project" not in warning
    assert shown(database, builds(database)[0]["id"])["state"] == "succeeded"
    assert (left / "build" / "theirs.txt").read_text() == "an earlier database's\n"


def test_a_build_whose_log_cannot_be_made_is_recorded_without_one(tmp_path, bitbake_dir, layers, database):
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database)
    (tmp_path / "build" / "toaster-logs").write_text("a file where the log directory goes\n")
    run = build_dir.run("base")
    assert run.returncode == 0, run.stdout
    [warning] = recorder_warnings(run.stdout)
    assert "has no log file" in warning and "toaster-logs: it is a file, not a directory" in warning
    build = shown(database, builds(database)[0]["id"])
    assert (build["state"], build["log_path"]) == ("succeeded", None)


def test_a_database_locked_for_the_whole_build_holds_up_nothing(tmp_path, bitbake_dir, layers, database):
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database, extra_conf='TOASTER_OWNER = "alice"')
    lock = sqlite3.connect(database, isolation_level=None, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        run = build_dir.run("hello")
        took = time.monotonic() - started
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert run.returncode == 0, run.stdout
    warnings = recorder_warnings(run.stdout)
    assert len(warnings) == 1 and "locked" in warnings[0], warnings
    assert took < 60, "the build waited for the database (%.0f s)" % took
    assert builds(database) == [], "nothing could be recorded, and nothing half"
