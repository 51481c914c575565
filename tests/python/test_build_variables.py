"""Build variables and their history: recorded from a real ``bitbake`` run of a toy layer
where a variable is set in several conf files with different operators, checked against
BitBake's own ``bitbake -e`` as the oracle, and read back through the ``toaster`` command
and the Python API; then the same with a user interface that does not ask BitBake to keep
history (the recorder reads the configuration again with tracking on)."""

from __future__ import annotations

import json
import pathlib
from typing import List, Tuple

import pytest

import toaster_rs
import toy_bitbake
from conftest import run, run_cli

#: Appended to the core layer's layer.conf (its line 8), the toy layer's (lines 8, 9) and the
#: build directory's local.conf (after the recorder's two lines: lines 3 to 6).
CORE_CONF = 'GREETING ?= "hello"\n'
TOY_CONF = 'GREETING += "${WHO}"\nWHO ?= "nobody"\n'
LOCAL_CONF = 'WHO = "world"\nGREETING:append = " again"\nGREETING ??= "weak"\nGREETING:append = " and again"'

History = List[Tuple[str, str, int]]


def oracle_history(output: str, name: str) -> History:
    """A variable's history as ``bitbake -e`` prints it: (operation, file, line) each."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line == "# $" + name or line.startswith("# $%s [" % name))
    entries: History = []
    for line in lines[start + 1 :]:
        if not line.startswith("#   ") or line.startswith("# pre-expansion"):
            break
        if line.startswith("#     "):
            continue  # the value of the entry above
        operation, place = line[4:].split(" ", 1)
        file, number = place.split(" [")[0].rsplit(":", 1)
        entries.append((operation, file, int(number)))
    return entries


def build_dir(tmp_path: pathlib.Path, bitbake: pathlib.Path, database: pathlib.Path) -> toy_bitbake.BuildDir:
    core = toy_bitbake.core_layer(tmp_path, bitbake)
    with open(core / "conf" / "layer.conf", "a") as conf:
        conf.write(CORE_CONF)
    toy = toy_bitbake.toy_layer(tmp_path, "toy", {"hello_1.0.bb": toy_bitbake.recipe('    bb.note("hello")')})
    with open(toy / "conf" / "layer.conf", "a") as conf:
        conf.write(TOY_CONF)
    return toy_bitbake.BuildDir(tmp_path / "build", bitbake, [core, toy], database, extra_conf=LOCAL_CONF)


def recorded_history(database: pathlib.Path, build: int) -> History:
    shown = json.loads(run_cli(database, "build", "variables", str(build), "GREETING", "--history"))
    return [(h["operation"], h["path"], h["line"]) for h in shown["history"]]


def test_a_real_build_records_variables_with_the_history_bitbake_e_shows(tmp_path, bitbake_dir, database, toaster_bin):
    run_cli(database, "owner", "use", "alice")
    built_dir = build_dir(tmp_path, bitbake_dir, database)
    built = built_dir.run("hello")
    assert built.returncode == 0, built.stdout
    [build] = [b["id"] for b in json.loads(run_cli(database, "build", "list", "--all"))]

    oracle = built_dir.run("-e")
    assert oracle.returncode == 0, oracle.stdout[-2000:]
    expected = oracle_history(oracle.stdout, "GREETING")
    core, toy, local = (str(tmp_path / d / "conf" / f) for d, f in (("core", "layer.conf"), ("toy", "layer.conf"), ("build", "local.conf")))
    # The oracle itself names each file, line and operator in order.
    assert [(op, file, line) for op, file, line in expected if file in (core, toy, local)] == [
        ("set?", core, 8),
        ("append", toy, 8),
        (":append", local, 4),
        ("set", local, 5),  # `??=`: BitBake records setting the weak default flag
        (":append", local, 6),
    ], expected
    assert recorded_history(database, build) == expected

    # The command line: every variable (the schema's and those local.conf sets), one, its history.
    listed = {v["name"]: v for v in json.loads(run_cli(database, "build", "variables", str(build)))}
    assert {"GREETING", "WHO", "BBLAYERS", "TOPDIR", "TOASTER_DB", "INHERIT"} <= set(listed), sorted(listed)
    assert listed["GREETING"]["value"] == "hello world again and again"
    assert listed["GREETING"]["unexpanded"] == "hello ${WHO} again and again"
    assert listed["GREETING"]["history_kept"] is True
    assert listed["GREETING"]["history_entries"] == len(expected)
    assert listed["WHO"]["value"] == "world" and listed["WHO"]["unexpanded"] is None
    table = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "variables", str(build), "GREETING", "--history")
    assert table.returncode == 0, table.stderr
    shown = table.stdout.splitlines()
    assert shown[1].split() == ["value", "hello", "world", "again", "and", "again"], table.stdout
    assert ["1", "set?", "core/conf/layer.conf:8", "hello"] in [line.split() for line in shown], table.stdout
    assert ["2", "append", "toy/conf/layer.conf:8", "${WHO}"] in [line.split() for line in shown], table.stdout
    missing = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "variables", str(build), "GREETNG")
    assert missing.returncode != 0
    assert "recorded no variable `GREETNG`" in missing.stderr, missing.stderr
    assert "toaster build variables %d" % build in missing.stderr, missing.stderr

    # Python.
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        variables = {v["name"]: v for v in alice.recorded_variables(build)}
        assert variables["GREETING"] == listed["GREETING"]
        greeting = alice.recorded_variable(build, "GREETING", history=True)
        assert [(h["operation"], h["path"], h["line"]) for h in greeting["history"]] == expected
        history = alice.variable_history(build, "GREETING")
        assert history == greeting["history"]
        assert [h["file"] for h in history if h["path"] == local][0] == "build/conf/local.conf"
        assert [h["value"] for h in history if h["path"] == toy] == ["${WHO}"]
        with pytest.raises(toaster_rs.NotFoundError, match="recorded no variable `GREETNG`") as raised:
            alice.variable_history(build, "GREETNG")
        assert raised.value.hint is not None and "Actor.recorded_variables(%d)" % build in raised.value.hint


def test_without_history_from_the_ui_the_configuration_is_read_again_with_tracking(tmp_path, bitbake_dir, database):
    """BitBake's teamcity interface does not ask for data tracking (knotty and Toaster's
    do): the recorder reads the base configuration again with it on, and records the same
    history."""
    run_cli(database, "owner", "use", "alice")
    built_dir = build_dir(tmp_path, bitbake_dir, database)
    with open(built_dir.path / "conf" / "local.conf", "a") as conf:
        conf.write('TOASTER_LOG_LEVEL = "debug"\n')
    built = built_dir.run("-u", "teamcity", "hello")
    assert built.returncode == 0, built.stdout
    [build] = [b["id"] for b in json.loads(run_cli(database, "build", "list", "--all"))]
    oracle = built_dir.run("-e")
    assert oracle.returncode == 0, oracle.stdout[-2000:]
    assert recorded_history(database, build) == oracle_history(oracle.stdout, "GREETING")
    with toaster_rs.Toaster.open(database) as db:
        said = [m["text"] for m in db.act_as("alice").log(build, level="debug") if " variables (history: " in m["text"]]
    assert len(said) == 1 and "(history: configuration read again with tracking on)" in said[0], said


def test_a_runner_build_records_what_the_project_sets_from_its_toaster_conf(tmp_path, bitbake_dir):
    """A build the runner starts: the project's own variables (written into the build
    directory's ``conf/toaster.conf``) are recorded, with that file in their history."""
    from toaster_cli import toy_project

    recipes = {"hello_1.0.bb": toy_bitbake.recipe('    bb.note("hello")')}
    toaster = toy_project(tmp_path, bitbake_dir, recipes, "hello")
    toaster("config", "set", "demo", "TOASTER_TEST_GREETING", "hello from the project")
    toaster("build", "start", "demo", "--wait")
    [build] = toaster.json("build", "list")
    shown = toaster.json("build", "variables", str(build["id"]), "TOASTER_TEST_GREETING", "--history")
    assert shown["value"] == "hello from the project"
    assert [(h["operation"], h["file"]) for h in shown["history"]] == [("set", "build/conf/toaster.conf")], shown
    names = {v["name"] for v in toaster.json("build", "variables", str(build["id"]))}
    assert {"TOASTER_TEST_GREETING", "BBLAYERS", "TOPDIR"} <= names, sorted(names)
