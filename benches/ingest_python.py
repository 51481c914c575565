"""Recording the benchmark's synthetic large-image build from Python: BitBake's own event
objects (from the PyPI package ``bitbake-setup``) through ``toaster_rs.bitbake``, the path
meta-toaster's ``toaster-recorder`` class takes inside a BitBake server.

The build is the one ``toaster_core::ingest::synthetic::Workload::LARGE_IMAGE`` describes
(10,000 tasks, 700 recipes, 7,000 packages with 3 dependencies each and 21,000 files, an
image of 1,000 packages and 5,000 files, 500 log messages, 20 layers, 20 variables with 3 history lines each, read from the datastore at ``BuildInit``) and ``cargo bench --bench ingest`` records from Rust: the same recipes, tasks and
outcomes, packages, log levels and artifacts, in the order BitBake sends them: packages as
the ``do_package`` tasks that make them run, build statistics and artifacts at the end.
Each event goes where BitBake delivers it: the class's events to
``toaster_rs.bitbake.handle_event``, the rest (the cooker's run-queue events, the workers'
task and package events, log records) to the recording's listener, as BitBake's dispatcher
would. The events are made before the clock starts, as BitBake makes them before it fires
them; the clock stops when the build's end is in the database.

Prints one line per run and, last, ``ingest-python: <median ms> ms``. RUNS (default 3) sets
the number of runs. Run with the repository's virtual environment: ``.venv/bin/python
benches/ingest_python.py``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, Callable, Iterator, List, Tuple

import toaster_rs
import toaster_rs.bitbake

TASKS, RECIPES, PACKAGES, DEPENDS, LOGS, LAYERS = 10_000, 700, 7_000, 3, 500, 20
TASK_DEPENDENCIES, RECIPE_DEPENDENCIES, VIRTUAL_PROVIDERS = 12_749, 3_449, 10
VARIABLES, VARIABLE_HISTORY = 20, 3
PACKAGE_FILES, IMAGE_PACKAGES, IMAGE_FILES = 21_000, 1_000, 5_000
LOG_EVERY = TASKS // LOGS
HEARTBEAT_EVERY = 1_000


def import_bitbake() -> Any:
    """BitBake's library; its parser's network clients are not shipped and not needed."""
    for name in ("hashserv", "hashserv.client", "prserv", "prserv.serv", "prserv.client"):
        sys.modules.setdefault(name, types.ModuleType(name))
    import bb.build
    import bb.command
    import bb.data
    import bb.event
    import bb.runqueue

    return bb


class RunQueue:
    """What a run-queue event reads from BitBake's run queue."""

    def __init__(self) -> None:
        self.rqdata = self

    def get_task_hash(self, tid: str) -> str:
        return "0" * 64


class Build:
    """The synthetic build's events, in the order BitBake sends them, each with where
    BitBake delivers it: ``steps`` are ("class" or "listener", event) pairs."""

    def __init__(self, bb: Any, scratch: Path) -> None:
        self.bb = bb
        self.scratch = scratch
        self.d = bb.data.init()
        self.d.setVar("BBLAYERS", " ".join("/srv/layers/meta-layer%d" % i for i in range(LAYERS)))
        self.d.setVar("TOPDIR", "/srv/build")
        self.d.setVar("TOASTER_LOG_LEVEL", "note")
        self._variables()
        self.rq = RunQueue()
        self.stats = bb.runqueue.RunQueueStats(TASKS, TASKS // 20)
        self.steps: List[Tuple[str, Any]] = []
        self.pid = 1000
        self.listened = set(toaster_rs.bitbake.EVENTS)
        self.recipe_data = [self._recipe_datastore(r) for r in range(RECIPES)]
        self._make()

    def _variables(self) -> None:
        """The variables the Rust synthetic build reports (``Workload::variable_events``),
        as BitBake's datastore keeps them with data tracking on: each set in the build
        directory's ``conf/local.conf``, then appended to in a layer."""
        self.d.enableTracking()
        for v in range(VARIABLES):
            name = "VARIABLE_%d" % v
            for n in range(VARIABLE_HISTORY):
                line = v * 10 + n + 1
                if n == 0:
                    self.d.setVar(name, "value0", file="/srv/build/conf/local.conf", line=line)
                else:
                    layer_conf = "/srv/layers/meta-layer%d/conf/layer.conf" % (n % LAYERS)
                    self.d.appendVar(name, " value%d" % n, file=layer_conf, line=line)
        self.d.disableTracking()

    def _recipe_datastore(self, r: int) -> Any:
        d = self.bb.data.init()
        for key, value in {"PN": "recipe%d" % r, "PV": "1.%d" % (r % 7), "PF": "recipe%d-1.%d-r0" % (r, r % 7), "FILE": recipe_file(r)}.items():
            d.setVar(key, value)
        return d

    def cooker(self, event: Any) -> None:
        """An event the cooker fires; BitBake's dispatcher hands the listener only the
        classes it asked for (and log records)."""
        name = "%s.%s" % (type(event).__module__, type(event).__name__)
        if name in self.listened or isinstance(event, logging.LogRecord):
            self.steps.append(("listener", event))

    def worker(self, make: Callable[[], Any]) -> None:
        """An event made and fired in the current task's worker process (its pid set),
        which reaches the cooker through the worker's pipe."""
        self.bb.event.worker_pid = self.pid
        try:
            self.cooker(make())
        finally:
            self.bb.event.worker_pid = 0

    def to_class(self, event: Any) -> None:
        """An event of the class's handler (its eventmask)."""
        self.steps.append(("class", event))

    def _make(self) -> None:
        bb = self.bb
        self.to_class(bb.event.ParseCompleted(0, RECIPES, 0, 0, RECIPES, 0, RECIPES))
        self.to_class(bb.event.BuildInit(["core-image-minimal:do_build"]))
        depgraph = {"pn": {"recipe%d" % r: {"filename": recipe_file(r), "version": ":1.%d-r0" % (r % 7), "inherits": []} for r in range(RECIPES)}}
        depgraph.update(dependency_graph())
        self.cooker(bb.event.DepTreeGenerated(depgraph))
        stats_list: List[Any] = []
        packages = iter(range(PACKAGES))
        for i in range(TASKS):
            self._task(i, stats_list, packages)
            if (i + 1) % HEARTBEAT_EVERY == 0:
                self.to_class(bb.event.HeartbeatEvent(time.time()))
        for p in packages:
            self.worker(lambda: bb.event.MetadataEvent("SinglePackageInfo", package_info(p)))
        image, manifest = self.scratch / "core-image-minimal-qemux86-64.rootfs.ext4", self.scratch / "core-image-minimal-qemux86-64.rootfs.manifest"
        with open(image, "wb") as f:
            f.truncate(64 << 20)
        manifest.write_bytes(b"m" * 12_000)
        self.cooker(bb.event.MetadataEvent("TaskArtifacts", {"task": recipe_file(0) + ":do_image_complete", "artifacts": [str(image), str(manifest)]}))
        self.cooker(bb.event.MetadataEvent("BuildStatsList", stats_list))
        self.cooker(bb.event.MetadataEvent("ImagePkgList", image_package_list()))
        self.cooker(bb.event.BuildCompleted(TASKS, "20260101120000", ["core-image-minimal:do_build"], 0, 0))
        self.to_class(bb.command.CommandCompleted())

    def _task(self, i: int, stats_list: List[Any], packages: Iterator[int]) -> None:
        bb, r = self.bb, i % RECIPES
        fn, task, d = recipe_file(r), "do_step%d" % (i // RECIPES), self.recipe_data[r]
        tid = "%s:%s" % (fn, task)
        self.pid += 1
        logfile = "/srv/build/tmp/work/recipe%d/temp/log.%s.%d" % (r, task, i)
        kind = i % 20
        if kind == 0:  # restored from the shared state cache
            setscene = task + "_setscene"
            self.worker(lambda: bb.build.TaskStarted(setscene, fn, logfile, {}, d))
            if i // LOG_EVERY < LOGS:
                self.worker(lambda: log_record(bb, i // LOG_EVERY, self.pid))
            self.worker(lambda: bb.build.TaskSucceeded(setscene, fn, logfile, d))
            self.cooker(bb.runqueue.sceneQueueTaskCompleted(tid, self.stats, self.rq))
            self.stats.taskSkipped()
            self.cooker(bb.runqueue.runQueueTaskSkipped(tid, self.stats, self.rq, "covered"))
            self.stats.taskCompleted()
        elif kind == 1:  # covered by another task's restored output
            self.cooker(bb.runqueue.runQueueTaskSkipped(tid, self.stats, self.rq, "covered"))
            self.stats.taskSkipped()
            self.stats.taskCompleted()
        elif kind == 2:  # nothing to run
            self.stats.taskActive()
            self.cooker(bb.runqueue.runQueueTaskStarted(tid, self.stats, self.rq, noexec=True))
            self.stats.taskCompleted()
            self.cooker(bb.runqueue.runQueueTaskCompleted(tid, self.stats, self.rq))
        else:  # run by a worker
            self.stats.taskActive()
            self.cooker(bb.runqueue.runQueueTaskStarted(tid, self.stats, self.rq))
            self.worker(lambda: bb.build.TaskStarted(task, fn, logfile, {"python": "1"}, d))
            package = next(packages, None)
            if package is not None:  # the task packaged something
                self.worker(lambda: bb.event.MetadataEvent("SinglePackageInfo", package_info(package)))
            self.worker(lambda: bb.build.TaskSucceeded(task, fn, logfile, d))
            self.stats.taskCompleted()
            self.cooker(bb.runqueue.runQueueTaskCompleted(tid, self.stats, self.rq))
            stats = {"cpu_time_user": (i % 97) / 1000, "cpu_time_system": 0.0, "disk_io_read": i * 512, "disk_io_write": i * 1024}
            stats_list.append((fn, task, stats, "recipe%d" % r))


def task_dependencies_of(i: int) -> range:
    """The tasks task `i` waits for: as many in all as Toaster recorded (12,749), the same
    shape as the Rust benchmark's synthetic build (toaster-core's ingest::synthetic)."""
    waiting = max(TASKS - 1, 1)
    each, extra = TASK_DEPENDENCIES // waiting, TASK_DEPENDENCIES % waiting
    count = 0 if i == 0 else each + (1 if i >= TASKS - extra else 0)
    count = min(count, i // 2 + 1)
    return range(i // 2, i // 2 - count, -1)


def recipe_dependency_counts() -> List[int]:
    """How many recipes each recipe needs (3,449 in all), as the Rust synthetic build."""
    each = RECIPE_DEPENDENCIES // max(RECIPES - 1, 1)
    counts = [min(r, each) for r in range(RECIPES)]
    left = RECIPE_DEPENDENCIES - sum(counts)
    while left > 0 and any(c < r for r, c in enumerate(counts)):
        for r in range(RECIPES - 1, 0, -1):
            if left > 0 and counts[r] < r:
                counts[r] += 1
                left -= 1
    return counts


def dependency_graph() -> dict:
    """DepTreeGenerated's dependency parts: `tdepends` ("pn.task" keys), `depends` and
    `rdepends-pn` (every third dependency at run time; the first of recipes 1 to
    VIRTUAL_PROVIDERS asked for by a virtual name) and `providermap`."""
    task = lambda i: "recipe%d.do_step%d" % (i % RECIPES, i // RECIPES)
    tdepends = {task(i): [task(j) for j in task_dependencies_of(i)] for i in range(TASKS)}
    depends: dict = {}
    rdepends: dict = {}
    for r, count in enumerate(recipe_dependency_counts()):
        for m in range(count):
            j = r - 1 - m
            name = "virtual/recipe%d" % j if m == 0 and r <= VIRTUAL_PROVIDERS else "recipe%d" % j
            (rdepends if m % 3 == 2 else depends).setdefault("recipe%d" % r, []).append(name)
    providermap = {"virtual/recipe%d" % k: ("recipe%d" % k, "1.0") for k in range(VIRTUAL_PROVIDERS)}
    return {"tdepends": tdepends, "depends": depends, "rdepends-pn": rdepends, "providermap": providermap}


def recipe_file(r: int) -> str:
    return "/srv/layers/meta-layer%d/recipes-x/recipe%d/recipe%d_1.%d.bb" % (r % LAYERS, r, r, r % 7)


def package_info(p: int) -> dict:
    """What toaster.bbclass reads from package p's pkgdata file."""
    depends = " ".join("package%d" % ((p + d * 31) % PACKAGES) for d in range(1, DEPENDS + 1))
    each, more = divmod(PACKAGE_FILES, PACKAGES)
    files = {"/usr/lib/package%d/file%d.so" % (p, f): (p * 7 + f * 13) % 100_000 + 1 for f in range(each + (1 if p < more else 0))}
    info = {"PKG": "package%d" % p, "PN": "recipe%d" % (p % RECIPES), "PKGV": "2.%d" % (p % 5), "PKGR": "r1", "PKGSIZE": str((p + 1) * 4096), "RDEPENDS": depends, "FILES_INFO": files}
    if p % 10 == 0:
        info["RRECOMMENDS"] = "package%d" % ((p + 1) % PACKAGES)
    return info


def image_package_list() -> dict:
    """What toaster.bbclass sends of the image at the build's end (``ImagePkgList``): its
    installed packages (package i pulls in the two after it) and its file listing."""
    installed = {
        "package%d" % i: {"size": (i + 1) * 4096, "depends": [("package%d" % n, "recommends" if n % 5 == 0 else "depends") for n in (i + 1, i + 2) if n < IMAGE_PACKAGES]}
        for i in range(IMAGE_PACKAGES)
    }
    files = [["-rw-r--r--", "root", "root", str((e % 10_000) * 10), "./usr/lib/dir%d/file%d" % (e % 50, e)] for e in range(IMAGE_FILES)]
    return {"pkgdata": {}, "imgdata": {"core-image-minimal": installed}, "filedata": {"core-image-minimal": {"dirs": [], "syms": [], "files": files}}}


def log_record(bb: Any, n: int, pid: int) -> logging.LogRecord:
    """Log message n, as a task's worker logs it (errors, warnings and notes)."""
    level = logging.ERROR if n % 10 == 0 else logging.WARNING if n % 10 <= 3 else logging.INFO
    pathname = "/srv/layers/meta-layer0/conf/file%d.conf" % n if n % 3 == 0 else bb.build.__file__
    record = logging.makeLogRecord({"name": "BitBake", "levelno": level, "levelname": logging.getLevelName(level), "msg": "message %d: something worth saying about recipe%d" % (n, n % RECIPES), "pathname": pathname, "lineno": n + 1})
    record.taskpid = pid  # type: ignore[attr-defined]
    return record


def run(build: Build, scratch: Path, number: int) -> float:
    """Records the build into a fresh database; its time in milliseconds."""
    database = scratch / ("run%d.sqlite" % number)
    with toaster_rs.Toaster.init(database) as db:
        alice = db.add_first_owner("alice")
        alice.create_project("demo", scratch / ("demo%d" % number))
        build_id = alice.start_build("demo", host="bench").id
    build.d.setVar("TOASTER_DB", str(database))
    build.d.setVar("TOASTER_OWNER", "alice")
    build.d.setVar("TOASTER_BUILD", str(build_id))
    started = time.perf_counter()
    send = None
    for where, event in build.steps:
        if where == "class":
            toaster_rs.bitbake.handle_event(event, build.d)
            session = toaster_rs.bitbake.active_session()
            send = session.send if session is not None else None
        else:
            assert send is not None, "the recording did not start"
            send(event)
    elapsed = (time.perf_counter() - started) * 1000
    with toaster_rs.Toaster.open(database) as db:
        recorded = db.act_as("alice").build(build_id)
    # Its log has error messages, which make a BitBake build fail (as knotty's exit code).
    assert recorded.state == "failed" and sum((recorded.tasks or {}).values()) == TASKS, recorded
    # The same work as the baseline: every task and recipe dependency, the providers, the
    # package files and relations, the image's contents, and the variables with their history.
    with sqlite3.connect(database) as raw:
        counted = [raw.execute("SELECT count(*) FROM %s WHERE build_id = ?" % t, (build_id,)).fetchone()[0]
                   for t in ("task_dependency", "recipe_dependency", "provider", "package_file", "package_relation", "image_package", "image_dependency", "image_file")]
        counted += [raw.execute("SELECT count(*) FROM %s WHERE build_id = ? AND name LIKE 'VARIABLE\\_%%' ESCAPE '\\'" % t, (build_id,)).fetchone()[0]
                    for t in ("build_variable", "build_variable_history")]
    image_edges = 2 * IMAGE_PACKAGES - 3
    expected = [TASK_DEPENDENCIES, RECIPE_DEPENDENCIES, VIRTUAL_PROVIDERS, PACKAGE_FILES, PACKAGES // 10, IMAGE_PACKAGES, image_edges, IMAGE_FILES, VARIABLES, VARIABLES * VARIABLE_HISTORY]
    assert counted == expected, counted
    return elapsed


def main() -> None:
    runs = int(os.environ.get("RUNS", "3"))
    bb = import_bitbake()
    logging.getLogger("BitBake").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as scratch:
        build = Build(bb, Path(scratch))
        times = []
        for number in range(runs):
            times.append(run(build, Path(scratch), number))
            print("run %d: %.1f ms (%d events)" % (number + 1, times[-1], len(build.steps)))
        print("ingest-python: %.1f ms" % statistics.median(times))


if __name__ == "__main__":
    main()
