"""meta-toaster's ``toaster-recorder`` class and ``toaster_rs.bitbake``, driven by BitBake's own
parser, dispatcher and event classes (see ``conftest.Cooker``), and read back through the
Python API and the ``toaster`` command line."""

from __future__ import annotations

import getpass
import json
import logging
import pathlib
import socket
import sqlite3
import time
from typing import Any, Callable, Dict

import pytest
import toaster_rs
import toaster_rs.bitbake
from conftest import Cooker, Recipe, Worker, run_cli

WARNING, NOTE = logging.WARNING, logging.INFO

BUSYBOX = Recipe("busybox", "/layers/meta/recipes-core/busybox/busybox_1.36.1.bb", "1.36.1-r0")
ZLIB = Recipe("zlib", "/layers/meta/recipes-core/zlib/zlib_1.3.1.bb", "1.3.1-r0")
ZLIB_NATIVE = Recipe("zlib-native", "virtual:native:/layers/meta/recipes-core/zlib/zlib_1.3.1.bb", "1.3.1-r0")
IMAGE = Recipe("core-image-minimal", "/layers/meta-poky/recipes-core/images/core-image-minimal.bb", "1.0-r0")
KERNEL = Recipe("linux-yocto", "/layers/meta/recipes-kernel/linux/linux-yocto_6.6.bb", "6.6.50-r0", ["/layers/meta/classes-recipe/kernel.bbclass"])
RECIPES = [BUSYBOX, ZLIB, ZLIB_NATIVE, IMAGE, KERNEL]
TARGETS = ["core-image-minimal:do_build"]
TASKS = 14


def package_info(name: str, recipe: str, size: int, rdepends: str) -> Dict[str, Any]:
    """What toaster.bbclass reads from a package's pkgdata file."""
    return {"PKG": name, "PN": recipe, "PKGV": "1.36.1", "PKGR": "r0", "PKGSIZE": str(size), "RDEPENDS": rdepends, "FILES_INFO": {"/bin/busybox": size}}


def whole_build(cooker: Cooker, deploy: pathlib.Path, failed: bool = False) -> None:
    """A build of core-image-minimal, event by event as BitBake sends them."""
    bb = cooker.bb
    cooker.parse(40)
    cooker.start(RECIPES, TARGETS, TASKS)
    # From the shared state cache: zlib restored, zlib-native's setscene fails.
    cooker.setscene(ZLIB, "do_populate_sysroot")
    cooker.skip_task(ZLIB, "do_populate_sysroot", "covered")
    cooker.skip_task(ZLIB, "do_compile", "covered")
    cooker.setscene(ZLIB_NATIVE, "do_populate_sysroot", restored=False)
    cooker.skip_task(ZLIB_NATIVE, "do_configure", "existing")
    cooker.run_task(ZLIB_NATIVE, "do_populate_sysroot")

    def compile_busybox(worker: Worker) -> None:
        worker.log(WARNING, "busybox: a warning from the task")
        worker.log(NOTE, "busybox: a note, below the level recorded")

    def package_busybox(worker: Worker) -> None:
        for name, size in (("busybox", 4096), ("busybox-syslog", 512)):
            worker.metadata("SinglePackageInfo", package_info(name, "busybox", size, "libc6 (>= 2.39) update-alternatives-opkg"))

    cooker.run_task(BUSYBOX, "do_compile", failed=failed, during=compile_busybox)
    cooker.run_task(BUSYBOX, "do_package", during=package_busybox)
    cooker.noexec_task(BUSYBOX, "do_build")
    cooker.heartbeat()
    cooker.run_task(KERNEL, "do_deploy")
    kernel = deploy / "bzImage-qemux86-64.bin"
    kernel.write_bytes(b"k" * 100)
    cooker.fire(bb.event.MetadataEvent("TaskArtifacts", {"task": KERNEL.file + ":do_deploy", "artifacts": [str(kernel)]}))
    cooker.run_task(IMAGE, "do_rootfs")
    cooker.run_task(IMAGE, "do_image_complete")
    image = deploy / "core-image-minimal-qemux86-64.rootfs-20260101.ext4"
    image.write_bytes(b"i" * 2048)
    (deploy / "core-image-minimal-qemux86-64.rootfs-20260101.manifest").write_text("busybox armv8a 1.36.1\n")
    (deploy / "core-image-minimal-qemux86-64.rootfs.ext4").symlink_to(image.name)
    artifacts = [str(p) for p in sorted(deploy.iterdir())] + [str(deploy) + "/"]
    cooker.fire(bb.event.MetadataEvent("TaskArtifacts", {"task": IMAGE.file + ":do_image_complete", "artifacts": artifacts}))
    cooker.noexec_task(IMAGE, "do_build")
    cooker.log(WARNING, "a warning of the cooker", pathname=bb.event.__file__, lineno=12)
    # At BuildCompleted, toaster.bbclass's handlers send build statistics and the image's
    # packages before the event itself reaches the recorder.
    stats = {"cpu_time_user": 1.5, "cpu_time_system": 0.25, "disk_io_read": 4096, "disk_io_write": 8192, "started": 1.0, "ended": 3.0}
    cooker.fire(bb.event.MetadataEvent("BuildStatsList", [(BUSYBOX.real_file, "do_compile", stats, "busybox")]))
    imgdata = {"core-image-minimal": {"busybox": {"size": 4096, "depends": [("base-files", "depends")]}, "base-files": {"size": 1024, "depends": []}}}
    pkgdata = {"busybox": package_info("busybox", "busybox", 4096, ""), "base-files": package_info("base-files", "base-files", 1024, "")}
    cooker.fire(bb.event.MetadataEvent("ImagePkgList", {"pkgdata": pkgdata, "imgdata": imgdata, "filedata": {}}))
    cooker.complete(TARGETS, failures=1 if failed else 0)
    cooker.command_completed()


def wait_for(condition: Callable[[], bool]) -> None:
    """Waits for the recorder's thread to have written what `condition` checks."""
    for _ in range(1000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the recorder never wrote what was expected")


def recorded_tasks(database: pathlib.Path) -> Dict[str, int]:
    """The tasks of the one build recorded so far, by outcome (none before it starts)."""
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        builds = alice.builds(None)
        return (alice.build(builds[0].id).tasks or {}) if builds else {}


def recorded_build(database: pathlib.Path) -> Any:
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        [build] = alice.builds(None)
        return alice.build(build.id)


def test_a_whole_build_is_recorded_once_and_reads_back_through_python_and_the_cli(make_cooker, database, tmp_path, caplog):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    deploy = tmp_path / "deploy"
    deploy.mkdir()

    whole_build(cooker, deploy)

    build = recorded_build(database)
    assert (build.project, build.state, build.host) == ("command-line-builds", "succeeded", socket.gethostname())
    assert build.build_dir == str(cooker.build_dir)
    assert build.tasks == {"succeeded": 6, "cached": 1, "covered": 1, "prebuilt": 1, "failed": 1, "empty": 2}
    assert (build.recipes_parsed, build.recipes_total) == (40, 40)
    # As `build show` counts them: no fewer done than the tasks recorded as ended (all 12,
    # the failed one too); the listing keeps the recorder's counter, BitBake's own count.
    assert (build.tasks_done, build.tasks_total) == (sum(build.tasks.values()), TASKS)
    with toaster_rs.Toaster.open(database) as db:
        [listed] = db.act_as("alice").builds(None)
    assert (listed.tasks_done, listed.tasks_total) == (cooker.stats.completed, TASKS)
    assert (build.errors, build.warnings) == (0, 3)
    assert not [r for r in caplog.records if r.getMessage().startswith("toaster-recorder")]

    shown = json.loads(run_cli(database, "build", "show", str(build.id)))
    assert (shown["state"], shown["project"], shown["warnings"]) == ("succeeded", "command-line-builds", 3)
    # What BitBake built with, not the command-line-builds project's defaults.
    assert [layer["source"] for layer in shown["layers"]][:2] == ["/layers/meta", "/layers/meta-poky"]
    assert shown["layers"][2]["name"] == "meta-toaster"
    assert shown["targets"] == TARGETS
    tasks = {(t["recipe"], t["task"]): t for t in json.loads(run_cli(database, "build", "tasks", str(build.id)))}
    assert len(tasks) == 12
    compiled = tasks[("busybox", "do_compile")]
    assert (compiled["outcome"], compiled["cpu_ms"], compiled["read_bytes"], compiled["write_bytes"]) == ("succeeded", 1750, 4096, 8192)
    assert "/tmp/work/busybox/temp/log.do_compile." in compiled["log_file"]
    assert compiled["order"] is not None and compiled["elapsed_ms"] is not None
    restored = tasks[("zlib", "do_populate_sysroot")]
    assert (restored["outcome"], restored["order"]) == ("cached", None)
    assert tasks[("zlib-native", "do_populate_sysroot_setscene")]["outcome"] == "failed"
    assert tasks[("zlib-native", "do_populate_sysroot")]["outcome"] == "succeeded"
    assert tasks[("zlib-native", "do_configure")]["outcome"] == "prebuilt"
    assert tasks[("busybox", "do_build")]["outcome"] == "empty"

    log = json.loads(run_cli(database, "build", "log", str(build.id), "--level", "warning"))
    from_task = [m for m in log if m["task"] == "busybox:do_compile"]
    assert [(m["text"], m["file"], m["line"]) for m in from_task] == [("busybox: a warning from the task", BUSYBOX.real_file, 7)]
    from_cooker = [m for m in log if m["text"] == "a warning of the cooker"]
    assert [(m["file"], m["line"]) for m in from_cooker] == [(None, None)]
    assert any("Setscene task" in m["text"] and m["task"] == "zlib-native:do_populate_sysroot_setscene" for m in log)


def test_recipes_packages_and_artifacts_are_written_once_each(make_cooker, database, tmp_path):
    deploy = tmp_path / "deploy"
    deploy.mkdir()
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice", "DEPLOY_DIR_IMAGE": str(deploy)})
    whole_build(cooker, deploy)
    build_id = recorded_build(database).id

    # Neither the Python API nor the CLI reads packages or artifacts yet: read the rows.
    with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as rows:
        packages = rows.execute("SELECT name, size, recipe FROM package WHERE build_id = ? ORDER BY name", (build_id,)).fetchall()
        depends = rows.execute("SELECT p.name, d.name FROM package_dependency d JOIN package p ON p.id = d.package_id WHERE p.build_id = ? ORDER BY 1, 2", (build_id,)).fetchall()
        artifacts = rows.execute("SELECT kind, name, size FROM artifact WHERE build_id = ? ORDER BY name", (build_id,)).fetchall()
        recipes = rows.execute("SELECT r.name, r.version, r.layer, r.file FROM recipe r JOIN build_recipe b ON b.recipe_id = r.id WHERE b.build_id = ? ORDER BY r.name", (build_id,)).fetchall()
    assert packages == [("base-files", 1024, "base-files"), ("busybox", 4096, "busybox"), ("busybox-syslog", 512, "busybox")]
    assert ("busybox", "libc6") in depends and ("busybox", "update-alternatives-opkg") in depends
    # From the metadata events, then the build's end: its conf file and its own log.
    assert [(kind, name, size) for kind, name, size in artifacts if kind != "log"] == [
        ("kernel", "bzImage-qemux86-64.bin", 100),
        ("conf", "conf/local.conf", (cooker.build_dir / "conf" / "local.conf").stat().st_size),
        ("image", "core-image-minimal-qemux86-64.rootfs-20260101.ext4", 2048),
        ("manifest", "core-image-minimal-qemux86-64.rootfs-20260101.manifest", 22),
    ]
    assert [name for kind, name, _ in artifacts if kind == "log"] == ["build-%d.log" % build_id]
    assert ("zlib-native", "1.3.1-r0", "openembedded-core", ZLIB.real_file) in recipes
    assert ("core-image-minimal", "1.0-r0", "meta-poky", IMAGE.real_file) in recipes
    assert len(recipes) == len(RECIPES)


def test_a_build_with_a_failed_task_fails(make_cooker, database, tmp_path):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    (tmp_path / "deploy").mkdir()
    whole_build(cooker, tmp_path / "deploy", failed=True)
    build = recorded_build(database)
    assert build.state == "failed"
    assert build.tasks["failed"] == 2 and build.errors == 1
    log = json.loads(run_cli(database, "build", "log", str(build.id), "--level", "error"))
    assert [m["task"] for m in log] == ["busybox:do_compile"]


def test_an_interrupted_build_is_cancelled(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.complete(TARGETS, interrupted=1)
    cooker.fire(cooker.bb.command.CommandFailed("Stopped build"))
    assert recorded_build(database).state == "cancelled"


def test_a_build_for_a_project_lands_in_it(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice", "TOASTER_PROJECT": "demo"})
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.complete(TARGETS)
    cooker.command_completed()
    build = recorded_build(database)
    assert (build.project, build.state) == ("demo", "succeeded")


def test_command_line_builds_share_one_project_and_settings_come_from_the_environment(make_cooker, database):
    # No owner named: the one chosen on the command line of this host records.
    with toaster_rs.Toaster.open(database) as db:
        db.use_owner("alice", client="cli:%s@%s" % (getpass.getuser(), socket.gethostname()))
    environment = {"TOASTER_DB": str(database)}
    for _ in range(2):
        cooker = make_cooker({}, environment=environment)
        cooker.start(RECIPES, TARGETS, TASKS)
        cooker.complete(TARGETS)
        cooker.command_completed()
        cooker.close()
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        assert [b.project for b in alice.builds(None)] == ["command-line-builds"] * 2
        assert [p.name for p in alice.projects()].count("command-line-builds") == 1


def test_a_build_started_by_a_runner_is_recorded_into(make_cooker, database, tmp_path):
    with toaster_rs.Toaster.open(database) as db:
        started = db.act_as("alice", client="runner").start_build("demo", host="farm", build_dir=tmp_path / "b")
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice", "TOASTER_BUILD": str(started.id)})
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.complete(TARGETS)
    cooker.command_completed()
    build = recorded_build(database)
    assert (build.id, build.host, build.state, build.tasks) == (started.id, "farm", "succeeded", {"succeeded": 1})
    # Nobody wrote its log before, so the recorder does.
    assert build.log_path == str(tmp_path / "b" / "toaster-logs" / ("build-%d.log" % started.id))
    assert "NOTE: recipe busybox: task do_compile: Succeeded" in pathlib.Path(build.log_path).read_text()


def test_messages_before_the_build_starts_are_kept_for_it(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    cooker.log(logging.WARNING, "before the configuration is parsed: not heard")
    cooker.fire(cooker.bb.event.ConfigParsed())
    cooker.log(logging.WARNING, "bitbake -e said this")
    cooker.command_completed()  # a command without a build: what it said is forgotten
    cooker.log(logging.WARNING, "No bb files in default matched BBFILE_PATTERN_core")
    cooker.log(logging.INFO, "a note while parsing")
    cooker.parse(4)
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.complete(TARGETS)
    cooker.command_completed()
    build = recorded_build(database)
    messages = [m["text"] for m in json.loads(run_cli(database, "build", "log", str(build.id)))]
    assert messages == ["No bb files in default matched BBFILE_PATTERN_core"]
    assert build.warnings == 1
    log = pathlib.Path(build.log_path).read_text()
    assert "WARNING: No bb files in default matched BBFILE_PATTERN_core\nNOTE: a note while parsing\n" in log
    assert "bitbake -e" not in log and "not heard" not in log


def test_without_a_database_it_warns_once_and_records_nothing(make_cooker, caplog):
    cooker = make_cooker({})
    cooker.parse(4)
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.heartbeat()
    cooker.complete(TARGETS)
    cooker.command_completed()
    warnings = [r.getMessage() for r in caplog.records if "toaster-recorder" in r.getMessage()]
    assert warnings == ["toaster-recorder: TOASTER_DB is not set, so this build is not recorded"]
    assert toaster_rs.bitbake.active_session() is None


def test_events_it_does_not_know_and_events_missing_attributes_are_skipped_with_one_warning(make_cooker, database, caplog):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    bb = cooker.bb
    cooker.start(RECIPES, TARGETS, TASKS)
    session = toaster_rs.bitbake.active_session()
    assert session is not None

    class FromANewerBitBake(bb.event.Event):
        """An event class this recorder has never heard of."""

    for _ in range(3):
        session.send(FromANewerBitBake())
        old = bb.runqueue.runQueueTaskStarted(BUSYBOX.file + ":do_fetch", cooker.stats, cooker._rq)
        del old.taskname  # as from a BitBake that did not have it
        cooker.fire(old)
    toaster_rs.bitbake.handle_event(FromANewerBitBake(), cooker.d)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.complete(TARGETS)
    cooker.command_completed()

    warnings = [r.getMessage() for r in caplog.records if "toaster-recorder" in r.getMessage()]
    assert len(warnings) == 2
    assert "FromANewerBitBake" in warnings[0] and "runQueueTaskStarted" in warnings[1] and "taskname" in warnings[1]
    build = recorded_build(database)
    assert (build.state, build.tasks) == ("succeeded", {"succeeded": 1})


def test_a_database_destroyed_mid_build_warns_once_and_never_raises_into_bitbake(make_cooker, database, caplog):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(BUSYBOX, "do_fetch")
    cooker.heartbeat()
    wait_for(lambda: recorded_tasks(database) == {"succeeded": 1})
    for path in database.parent.glob(database.name + "*"):
        path.write_bytes(b"\xff" * 16384)
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.heartbeat()
    cooker.run_task(BUSYBOX, "do_install")
    cooker.heartbeat()
    cooker.complete(TARGETS)
    cooker.command_completed()
    warnings = [r.getMessage() for r in caplog.records if "toaster-recorder" in r.getMessage()]
    assert len(warnings) == 1 and "not recorded" in warnings[0]
    assert toaster_rs.bitbake.active_session() is None


def test_a_locked_database_holds_up_nothing_and_gets_everything_once_free(make_cooker, database, caplog):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    cooker.start(RECIPES, TARGETS, TASKS)
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    for task in ("do_fetch", "do_unpack", "do_compile"):
        cooker.run_task(BUSYBOX, task)
        cooker.heartbeat()
    # Every event above was taken while another process held the database.
    lock.execute("ROLLBACK")
    lock.close()
    cooker.complete(TARGETS)
    cooker.command_completed()
    build = recorded_build(database)
    assert (build.state, build.tasks) == ("succeeded", {"succeeded": 3})
    assert not [r for r in caplog.records if "toaster-recorder" in r.getMessage()]


def test_multiconfig_start_and_end_events_make_one_build(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice"})
    bb = cooker.bb
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.fire(bb.event.BuildStarted("20260101120000", TARGETS))  # the second multiconfig's
    cooker.run_task(BUSYBOX, "do_compile")
    cooker.complete(TARGETS)
    cooker.complete(TARGETS, failures=1)  # the second multiconfig's
    cooker.command_completed()
    build = recorded_build(database)
    assert (build.state, build.tasks) == ("failed", {"succeeded": 1})


def test_the_class_handler_and_the_listener_take_disjoint_events(bb):
    class_events = set(toaster_rs.bitbake.CLASS_EVENTS)
    assert not class_events & set(toaster_rs.bitbake.EVENTS)
    for name in class_events | set(toaster_rs.bitbake.EVENTS):
        module, _, cls = name.rpartition(".")
        assert isinstance(getattr(__import__(module, fromlist=[cls]), cls), type), name


def test_the_class_registers_exactly_the_class_events(make_cooker):
    cooker = make_cooker({})
    assert cooker.handlers == ["toaster_recorder_eventhandler"]
    mask = cooker.d.getVarFlag("toaster_recorder_eventhandler", "eventmask").split()
    assert tuple(mask) == toaster_rs.bitbake.CLASS_EVENTS
    assert cooker.d.getVar("LAYERSERIES_COMPAT_toaster").split()[0] == "scarthgap"


def test_without_the_toaster_package_the_class_warns_once_and_does_nothing(make_cooker, monkeypatch, caplog):
    cooker = make_cooker({"TOASTER_DB": "/nowhere/toaster.sqlite"})
    monkeypatch.setitem(__import__("sys").modules, "toaster_rs.bitbake", None)  # import fails
    cooker.parse(4)
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.heartbeat()
    monkeypatch.undo()
    warnings = [r.getMessage() for r in caplog.records if "toaster-recorder" in r.getMessage()]
    assert len(warnings) == 1 and "cannot import the toaster_rs Python package" in warnings[0]
    assert toaster_rs.bitbake.active_session() is None


@pytest.mark.parametrize("switch, inherited", [(None, True), ("0", False)])
def test_the_class_brings_openembedded_cores_toaster_class_when_there_is_one(make_cooker, tmp_path, switch, inherited):
    oe_core = tmp_path / "oe-core"
    (oe_core / "classes").mkdir(parents=True)
    (oe_core / "classes" / "toaster.bbclass").write_text('TOASTER_CLASS_SEEN = "yes"\n')
    conf = {} if switch is None else {"TOASTER_RECORDER_METADATA": switch}
    cooker = make_cooker(conf, layers=[oe_core])
    assert (cooker.d.getVar("TOASTER_CLASS_SEEN") == "yes") is inherited


def test_notes_are_recorded_when_asked_for_and_attributed_to_their_task(make_cooker, database):
    cooker = make_cooker({"TOASTER_DB": str(database), "TOASTER_OWNER": "alice", "TOASTER_LOG_LEVEL": "note"})
    cooker.start(RECIPES, TARGETS, TASKS)
    cooker.run_task(ZLIB, "do_configure", during=lambda worker: worker.log(NOTE, "checking for zlib.h... yes"))
    cooker.log(logging.DEBUG, "a debug message, below the level recorded")
    cooker.complete(TARGETS)
    cooker.command_completed()
    build = recorded_build(database)
    log = json.loads(run_cli(database, "build", "log", str(build.id), "--level", "debug"))
    assert [(m["level"], m["text"], m["task"]) for m in log] == [("note", "checking for zlib.h... yes", "zlib:do_configure")]
