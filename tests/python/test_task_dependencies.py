"""Task dependencies, shared-state results, whether tasks ran and their script types:
recorded from BitBake's own event classes (``conftest.Cooker``) and from real ``bitbake``
runs of a toy layer, read back through the ``toaster`` command and the Python API."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List, Tuple

import pytest
import toaster_rs
import toy_bitbake
from conftest import Recipe, run, run_cli

BUSYBOX = Recipe("busybox", "/layers/meta/recipes-core/busybox/busybox_1.36.1.bb", "1.36.1-r0")
ZLIB = Recipe("zlib", "/layers/meta/recipes-core/zlib/zlib_1.3.1.bb", "1.3.1-r0")
IMAGE = Recipe("core-image-minimal", "/layers/meta-poky/recipes-core/images/core-image-minimal.bb", "1.0-r0")


def tasks_of(database: pathlib.Path, build: int) -> Dict[Tuple[str, str], Dict[str, Any]]:
    return {(t["recipe"], t["task"]): t for t in json.loads(run_cli(database, "build", "tasks", str(build)))}


def walked(database: pathlib.Path, build: int, option: str, task: str) -> List[Tuple[str, int, List[str]]]:
    found = json.loads(run_cli(database, "build", "tasks", str(build), option, task))
    return [(t["name"], t["depth"], t["chain"]) for t in found]


def only_build(database: pathlib.Path) -> int:
    [build] = json.loads(run_cli(database, "build", "list", "--all"))
    return build["id"]


def test_bitbakes_events_give_dependencies_sstate_results_and_script_types(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    bb = cooker.bb
    cooker.parse(3)
    cooker.start([BUSYBOX, ZLIB, IMAGE], ["core-image-minimal:do_build"], 6)
    tdepends = {
        "core-image-minimal.do_rootfs": ["busybox.do_package", "zlib.do_populate_sysroot", "busybox.do_package"],
        "busybox.do_package": ["busybox.do_compile"],
        "busybox.do_compile": ["zlib.do_populate_sysroot", "busybox.do_compile"],
        "core-image-minimal.do_build": ["core-image-minimal.do_rootfs"],
        "odd\u00e9.name": [],
        "nodot": ["busybox.do_compile"],
    }
    cooker.fire(bb.event.DepTreeGenerated({"pn": {}, "tdepends": tdepends}))
    # openembedded-core's sstate.bbclass names what it did not find.
    cooker.fire(bb.event.MetadataEvent("MissedSstate", {"missed": [(BUSYBOX.file, "do_package_setscene", "h", "/sstate/x")], "found": []}))
    cooker.setscene(ZLIB, "do_populate_sysroot")
    cooker.skip_task(ZLIB, "do_populate_sysroot", "covered")
    cooker.setscene(BUSYBOX, "do_compile", restored=False)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.run_task(BUSYBOX, "do_package")
    cooker.noexec_task(IMAGE, "do_rootfs")
    cooker.complete(["core-image-minimal:do_build"])
    cooker.command_completed()

    build = only_build(database)
    tasks = tasks_of(database, build)
    facts = {key: (t["outcome"], t["sstate"], t["executed"], t["script"]) for key, t in tasks.items()}
    assert facts == {
        ("zlib", "do_populate_sysroot"): ("cached", "restored", False, None),
        # conftest's worker starts setscene tasks with no flags: a shell function.
        ("busybox", "do_compile_setscene"): ("failed", None, True, "shell"),
        # Its setscene task failed, so it ran; conftest's workers run Python tasks.
        ("busybox", "do_compile"): ("succeeded", "failed", True, "python"),
        ("busybox", "do_package"): ("succeeded", "miss", True, "python"),
        ("core-image-minimal", "do_rootfs"): ("empty", None, False, None),
    }
    assert walked(database, build, "--needed-by", "core-image-minimal:do_build") == [
        ("core-image-minimal:do_rootfs", 1, ["core-image-minimal:do_rootfs"]),
        ("busybox:do_package", 2, ["core-image-minimal:do_rootfs", "busybox:do_package"]),
        ("zlib:do_populate_sysroot", 2, ["core-image-minimal:do_rootfs", "zlib:do_populate_sysroot"]),
        ("busybox:do_compile", 3, ["core-image-minimal:do_rootfs", "busybox:do_package", "busybox:do_compile"]),
    ]
    assert [name for name, _, _ in walked(database, build, "--depends-on", "zlib:do_populate_sysroot")] == [
        "busybox:do_compile",
        "core-image-minimal:do_rootfs",
        "busybox:do_package",
        "core-image-minimal:do_build",
    ]
    # The task listed twice and the task depending on itself are recorded once, and said.
    warnings = [m["text"] for m in json.loads(run_cli(database, "build", "log", str(build), "--level", "warning"))]
    assert "toaster: task core-image-minimal:do_rootfs lists 1 of its dependencies more than once; each is recorded once" in warnings
    assert "toaster: task busybox:do_compile is listed as depending on itself; that dependency is not recorded" in warnings

    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        reached = alice.tasks_needed_by(build, "busybox:do_package")
        assert reached == [
            {"name": "busybox:do_compile", "recipe": "busybox", "task": "do_compile", "depth": 1, "chain": ["busybox:do_compile"]},
            {"name": "zlib:do_populate_sysroot", "recipe": "zlib", "task": "do_populate_sysroot", "depth": 2, "chain": ["busybox:do_compile", "zlib:do_populate_sysroot"]},
        ]
        assert [t["name"] for t in alice.tasks_depending_on(build, "busybox:do_package")] == ["core-image-minimal:do_rootfs", "core-image-minimal:do_build"]
        [compiled] = [t for t in alice.tasks(build) if t["task"] == "do_compile"]
        assert (compiled["sstate"], compiled["executed"], compiled["script"]) == ("failed", True, "python")
        with pytest.raises(toaster_rs.NotFoundError, match="has no task `busybox:do_compil`"):
            alice.tasks_needed_by(build, "busybox:do_compil")
        with pytest.raises(toaster_rs.ValidationError, match="RECIPE:TASK"):
            alice.tasks_needed_by(build, "busybox")


RESTORABLE = """LICENSE = "MIT"
python do_build() {
    bb.note("restorable ran")
}
addtask build
python do_build_setscene() {
    bb.note("restorable restored")
}
addtask build_setscene
do_build[depends] = "base:do_build"
"""

UNRESTORABLE = """LICENSE = "MIT"
python do_build() {
    bb.note("unrestorable ran")
}
addtask build
python do_build_setscene() {
    bb.warn("no shared state for unrestorable")
    raise bb.BBHandledException()
}
addtask build_setscene
"""

GREETER = """LICENSE = "MIT"
do_greet() {
    echo "hello from the shell"
}
addtask greet
python do_build() {
    bb.note("greeted")
}
addtask build after do_greet
do_build[depends] = "base:do_build unrestorable:do_build"
"""

#: A shared-state check that finds every object (BitBake asks BB_HASHCHECK_FUNCTION which
#: setscene tasks may run).
HASHCHECK = """def toy_hashcheck(sq_data, d, siginfo=False, currentcount=0, summary=True, **kwargs):
    return set(sq_data["hash"])
"""


def test_a_real_build_records_task_dependencies_sstate_results_and_script_types(tmp_path, bitbake_dir, database, toaster_bin):
    run_cli(database, "owner", "use", "alice")
    core = toy_bitbake.core_layer(tmp_path, bitbake_dir)
    (core / "classes").mkdir()
    (core / "classes" / "toyhashcheck.bbclass").write_text(HASHCHECK)
    recipes = {
        "base_1.0.bb": toy_bitbake.recipe('    bb.note("base is ready")'),
        "restorable_1.0.bb": RESTORABLE,
        "unrestorable_1.0.bb": UNRESTORABLE,
        "greeter_1.0.bb": GREETER,
    }
    layers = [core, toy_bitbake.toy_layer(tmp_path, "toy", recipes)]
    extra = 'INHERIT += "toyhashcheck"\nBB_HASHCHECK_FUNCTION = "toy_hashcheck"'
    build_dir = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database, extra_conf=extra)
    built = build_dir.run("restorable", "greeter")
    assert built.returncode == 0, built.stdout
    assert [line for line in built.stdout.splitlines() if "toaster-recorder" in line] == []

    build = only_build(database)
    tasks = tasks_of(database, build)
    facts = {key: (t["outcome"], t["sstate"], t["executed"], t["script"]) for key, t in tasks.items()}
    assert facts[("restorable", "do_build")] == ("cached", "restored", False, None), facts
    assert facts[("unrestorable", "do_build_setscene")][:1] == ("failed",), facts
    assert facts[("unrestorable", "do_build")] == ("succeeded", "failed", True, "python"), facts
    assert facts[("greeter", "do_greet")] == ("succeeded", "na", True, "shell"), facts
    assert facts[("greeter", "do_build")] == ("succeeded", "na", True, "python"), facts

    needed = walked(database, build, "--needed-by", "greeter:do_build")
    assert [(name, depth) for name, depth, _ in needed] == [
        ("base:do_build", 1),
        ("greeter:do_greet", 1),
        ("unrestorable:do_build", 1),
    ], needed
    users = walked(database, build, "--depends-on", "base:do_build")
    assert ("greeter:do_build", 1, ["greeter:do_build"]) in users, users
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        names = [t["name"] for t in alice.tasks_needed_by(build, "greeter:do_build")]
        assert names == ["base:do_build", "greeter:do_greet", "unrestorable:do_build"]
    shown = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "tasks", str(build), "--needed-by", "greeter:do_build")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:2] == ["DEPTH  TASK                   CHAIN", "1      base:do_build          greeter:do_build -> base:do_build"], shown.stdout
    listed = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "tasks", str(build))
    assert any(line.split()[-2:] == ["na", "shell"] and "do_greet" in line for line in listed.stdout.splitlines()), listed.stdout
