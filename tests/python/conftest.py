"""Fixtures shared by the end-to-end Python tests: BitBake's own parser and event
machinery, the `toaster` command built by `cargo test`, and a stand-in for a BitBake server
running a build with meta-toaster's recorder.

The stand-in lets BitBake's real code do the work: its parser reads ``meta-toaster`` and a
``local.conf`` that inherits ``toaster-recorder``, its event module registers the class's
handler (as the cooker does) and dispatches every event, and the events are instances of
its own classes. What stands in is the build itself: the cooker's run queue and its workers,
which fire their events in the order a real build does. Worker events are fired in a worker
context (``bb.event.worker_pid`` set, the class handlers run there) and pickled through a
pipe to the cooker, as ``bitbake-worker`` does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pathlib
import pickle
import subprocess
import sys
import time
import types
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LAYER = ROOT / "meta-toaster"
CLI = ROOT / "target" / "debug" / "toaster"


@pytest.fixture(scope="session")
def bb():
    """BitBake's `bb` library from the PyPI package `bitbake-setup`. Its `siggen` imports
    the hash-equivalence and PR service clients, which that package does not ship and the
    parser never calls: empty stand-in modules satisfy the imports."""
    for name in ("hashserv", "hashserv.client", "prserv", "prserv.serv", "prserv.client"):
        sys.modules.setdefault(name, types.ModuleType(name))
    import bb.build
    import bb.command
    import bb.data
    import bb.event
    import bb.parse
    import bb.runqueue

    return bb


@pytest.fixture(scope="session")
def toaster_bin() -> pathlib.Path:
    """The `toaster` binary (TOASTER_BIN, else the one `cargo test` built)."""
    path = pathlib.Path(os.environ.get("TOASTER_BIN", ROOT / "target" / "debug" / "toaster"))
    assert path.is_file(), f"build the command first (cargo build -p toaster-cli): {path}"
    return path


def run(binary: pathlib.Path, *args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def toaster_eval(binary: pathlib.Path, files, names=()) -> dict:
    """`toaster conf eval --json FILE... VAR...` as a dict of values."""
    out = run(binary, "conf", "eval", "--json", *map(str, files), *names)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["variables"]


class _MainUi:
    """The user interface the server talks to (knotty, in a terminal): takes events."""

    def __init__(self) -> None:
        self.event = self
        self.events: List[Any] = []

    def send(self, event: Any) -> None:
        self.events.append(event)


class _RunQueue:
    """What a run-queue event reads from the run queue: task hashes."""

    def __init__(self) -> None:
        self.rqdata = self

    def get_task_hash(self, tid: str) -> str:
        return "%064x" % (hash(tid) & (2**64 - 1))


class Recipe:
    """A recipe of the build: its name, file (as BitBake names it) and version."""

    def __init__(self, name: str, file: str, version: str = "1.0-r0", inherits: Optional[List[str]] = None) -> None:
        self.name = name
        self.file = file
        self.version = version
        self.inherits = inherits or []
        self.real_file = file.split(":")[-1]


class Cooker:
    """BitBake's server for one build directory, with meta-toaster enabled."""

    def __init__(self, bb: Any, build_dir: pathlib.Path, conf: Dict[str, str], environment: Optional[Dict[str, str]] = None, layers: Optional[List[pathlib.Path]] = None) -> None:
        self.bb = bb
        self.build_dir = build_dir
        (build_dir / "conf").mkdir(parents=True, exist_ok=True)
        lines = ['INHERIT += "toaster-recorder"'] + ['%s = "%s"' % item for item in conf.items()]
        (build_dir / "conf" / "local.conf").write_text("\n".join(lines) + "\n")
        self.d = self._parse(environment or {}, layers or [])
        self.ui = _MainUi()
        self._ui_handle = bb.event.register_UIHhandler(self.ui, mainui=True)
        self.stats = bb.runqueue.RunQueueStats(0, 0)
        self._rq = _RunQueue()
        self._next_pid = 4000
        self.closed = False

    def _parse(self, environment: Dict[str, str], layers: List[pathlib.Path]) -> Any:
        """Reads the configuration as ``bb.cookerdata`` does (meta-toaster, then `layers`,
        which need no layer.conf here), with data tracking on (as knotty asks, with the cooker
        feature BASEDATASTORE_TRACKING), and registers the handlers."""
        bb = self.bb
        d = bb.data.init()
        d.enableTracking()
        origenv = bb.data.init()
        for key, value in environment.items():
            origenv.setVar(key, value)
        d.setVar("BB_ORIGENV", origenv)
        d.setVar("TOPDIR", str(self.build_dir))
        d.setVar("BBLAYERS", "/layers/meta /layers/meta-poky %s" % LAYER)
        d.setVar("__bbclasstype", "global")
        d.setVar("LAYERDIR", str(LAYER))
        d = bb.parse.handle(str(LAYER / "conf" / "layer.conf"), d)
        d.expandVarref("LAYERDIR")
        d.delVar("LAYERDIR")
        for layer in layers:
            d.appendVar("BBPATH", ":%s" % layer)
        d = bb.parse.handle(str(self.build_dir / "conf" / "local.conf"), d)
        for bbclass in (d.getVar("INHERIT") or "").split():
            bb.parse.BBHandler.inherit(bbclass, "configuration INHERITs", 0, d)
        d.disableTracking()
        self.handlers = list(d.getVar("__BBHANDLERS", False) or [])
        for name in self.handlers:
            mask = (d.getVarFlag(name, "eventmask") or "").split()
            bb.event.register(name, d.getVar(name, False), mask, d.getVarFlag(name, "filename", False), int(d.getVarFlag(name, "lineno", False)), d)
        return d

    def close(self) -> None:
        """Ends the server: its handlers go, and so does any recording left open. Only one
        server may run in a process at a time (BitBake's event handlers are global)."""
        import toaster_rs.bitbake

        if self.closed:
            return
        self.closed = True
        session = toaster_rs.bitbake.active_session()
        if session is not None:
            self.fire(self.bb.command.CommandFailed("the server stopped"))
        for name in self.handlers:
            self.bb.event.remove(name, None, self.d)
        self.bb.event.unregister_UIHhandler(self._ui_handle, mainui=True)
        # The class remembers a failed import in BitBake's global Python context, and the
        # recorder what it keeps before builds, for as long as the server process lives;
        # the next server here starts afresh.
        self.bb.utils.get_context().pop("toaster_recorder_unavailable", None)
        early, toaster_rs.bitbake._recording.early = toaster_rs.bitbake._recording.early, None
        if early is not None:
            early.stop()

    # Firing events.

    def fire(self, event: Any) -> None:
        """An event of the cooker: class handlers, then user interfaces."""
        self.bb.event.fire(event, self.d)

    @contextlib.contextmanager
    def worker(self, recipe: Recipe) -> Iterator["Worker"]:
        """A task's worker process: what it fires reaches the cooker through its pipe."""
        self._next_pid += 1
        worker = Worker(self, recipe, self._next_pid)
        yield worker
        for data in worker.pipe:
            self.bb.event.fire_from_worker(pickle.loads(data), self.d)

    def log(self, level: int, text: str, pathname: str = "/no/such/file.py", lineno: int = 1) -> None:
        """A log record of the cooker, through BitBake's log handler."""
        record = logging.makeLogRecord({"name": "BitBake", "levelno": level, "levelname": logging.getLevelName(level), "msg": text, "pathname": pathname, "lineno": lineno})
        self.bb.event.LogHandler().handle(record)

    # A build, event by event, as the cooker fires them.

    def parse(self, total: int) -> None:
        self.fire(self.bb.event.ParseStarted(total))
        self.fire(self.bb.event.ParseProgress(total // 2, total))
        self.fire(self.bb.event.ParseCompleted(total - 2, 2, 0, 0, total, 0, total))

    def start(self, recipes: List[Recipe], targets: List[str], tasks: int) -> None:
        bb = self.bb
        self.stats = bb.runqueue.RunQueueStats(tasks, 0)
        self.fire(bb.event.BuildInit(targets))
        self.fire(bb.event.BuildStarted("20260101120000", targets))
        depgraph = {"pn": {r.name: {"filename": r.file, "version": ":" + r.version, "inherits": r.inherits} for r in recipes}}
        self.fire(bb.event.DepTreeGenerated(depgraph))

    def run_task(self, recipe: Recipe, task: str, failed: bool = False, during: Optional[Callable[["Worker"], None]] = None) -> None:
        """A task the run queue hands to a worker, which runs it (and does `during`)."""
        bb, tid = self.bb, "%s:%s" % (recipe.file, task)
        self.stats.taskActive()
        self.fire(bb.runqueue.runQueueTaskStarted(tid, self.stats, self._rq))
        with self.worker(recipe) as worker:
            worker.fire(bb.build.TaskStarted(task, recipe.file, worker.logfile(task), {"python": "1"}, worker.d))
            if during is not None:
                during(worker)
            ended = bb.build.TaskFailed if failed else bb.build.TaskSucceeded
            worker.fire(ended(task, recipe.file, worker.logfile(task), worker.d))
        if failed:
            self.stats.taskFailed()
            self.fire(bb.runqueue.runQueueTaskFailed(tid, self.stats, 1, self._rq))
        else:
            self.stats.taskCompleted()
            self.fire(bb.runqueue.runQueueTaskCompleted(tid, self.stats, self._rq))

    def noexec_task(self, recipe: Recipe, task: str) -> None:
        bb, tid = self.bb, "%s:%s" % (recipe.file, task)
        self.stats.taskActive()
        self.fire(bb.runqueue.runQueueTaskStarted(tid, self.stats, self._rq, noexec=True))
        self.stats.taskCompleted()
        self.fire(bb.runqueue.runQueueTaskCompleted(tid, self.stats, self._rq))

    def setscene(self, recipe: Recipe, task: str, restored: bool = True) -> None:
        """A task's setscene variant, restoring its output from the shared state cache."""
        bb, tid = self.bb, "%s:%s" % (recipe.file, task)
        self.fire(bb.runqueue.sceneQueueTaskStarted(tid, self.stats, self._rq))
        with self.worker(recipe) as worker:
            name = task + "_setscene"
            worker.fire(bb.build.TaskStarted(name, recipe.file, worker.logfile(name), {}, worker.d))
            ended = bb.build.TaskSucceeded if restored else bb.build.TaskFailedSilent
            worker.fire(ended(name, recipe.file, worker.logfile(name), worker.d))
        if restored:
            self.fire(bb.runqueue.sceneQueueTaskCompleted(tid, self.stats, self._rq))
        else:
            self.fire(bb.runqueue.sceneQueueTaskFailed(tid, self.stats, 1, self._rq))

    def skip_task(self, recipe: Recipe, task: str, reason: str) -> None:
        bb, tid = self.bb, "%s:%s" % (recipe.file, task)
        self.fire(bb.runqueue.runQueueTaskSkipped(tid, self.stats, self._rq, reason))
        self.stats.taskSkipped()
        self.stats.taskCompleted()

    def heartbeat(self) -> None:
        self.fire(self.bb.event.HeartbeatEvent(time.time()))

    def complete(self, targets: List[str], failures: int = 0, interrupted: int = 0) -> None:
        self.fire(self.bb.event.BuildCompleted(self.stats.total, "20260101120000", targets, failures, interrupted))

    def command_completed(self) -> None:
        self.fire(self.bb.command.CommandCompleted())


class Worker:
    """A forked task process of ``bitbake-worker``: its events carry its pid, and its
    class handlers run here before the event goes down the pipe."""

    def __init__(self, cooker: Cooker, recipe: Recipe, pid: int) -> None:
        bb = cooker.bb
        self.bb = bb
        self.pid = pid
        self.pipe: List[bytes] = []
        self.recipe = recipe
        d = bb.data.init()
        pn = recipe.name.split(":")[-1]
        pv = recipe.version.split("-")[0]
        for key, value in {"PN": pn, "PV": pv, "PF": "%s-%s" % (pn, recipe.version), "FILE": recipe.real_file}.items():
            d.setVar(key, value)
        d.setVar("__BBHANDLERS_MC", set(cooker.handlers))
        self.d = d
        self.temp = cooker.build_dir / "tmp" / "work" / pn / "temp"

    def logfile(self, task: str) -> str:
        return str(self.temp / ("log.%s.%d" % (task, self.pid)))

    @contextlib.contextmanager
    def _context(self) -> Iterator[None]:
        event = self.bb.event
        saved = (event.worker_pid, event.worker_fire)
        event.worker_pid, event.worker_fire = self.pid, lambda e, d: self.pipe.append(pickle.dumps(e))
        try:
            yield
        finally:
            event.worker_pid, event.worker_fire = saved

    def fire(self, event: Any) -> None:
        """Fires an event in the worker (made outside it: its pid is set here)."""
        event.pid = self.pid
        with self._context():
            self.bb.event.fire(event, self.d)

    def log(self, level: int, text: str) -> None:
        with self._context():
            record = logging.makeLogRecord({"name": "BitBake", "levelno": level, "levelname": logging.getLevelName(level), "msg": text, "pathname": self.recipe.real_file, "lineno": 7})
            self.bb.event.LogHandler().handle(record)

    def metadata(self, kind: str, data: Any) -> None:
        self.fire(self.bb.event.MetadataEvent(kind, data))


@pytest.fixture
def database(tmp_path: pathlib.Path) -> pathlib.Path:
    """A Toaster database with one owner, alice, and her project demo."""
    import toaster_rs

    path = tmp_path / "toaster.sqlite"
    with toaster_rs.Toaster.init(path) as db:
        alice = db.add_first_owner("alice")
        alice.create_project("demo", tmp_path / "demo")
    return path


@pytest.fixture
def make_cooker(bb: Any, tmp_path: pathlib.Path) -> Iterator[Any]:
    """Makes a cooker for a build directory under tmp_path; closes it after the test."""
    made: List[Cooker] = []

    def make(conf: Dict[str, str], environment: Optional[Dict[str, str]] = None, layers: Optional[List[pathlib.Path]] = None) -> Cooker:
        cooker = Cooker(bb, tmp_path / ("build%d" % len(made)), conf, environment, layers)
        made.append(cooker)
        return cooker

    yield make
    for cooker in made:
        cooker.close()


def run_cli(database: pathlib.Path, *args: str) -> str:
    """Runs the ``toaster`` command line (``cargo build -p toaster-cli``) as alice."""
    if not CLI.exists():
        pytest.skip("the toaster CLI is not built: run `cargo build -p toaster-cli` (looked for %s)" % CLI)
    result = subprocess.run([str(CLI), "--db", str(database), "--as", "alice", "--json", *args], capture_output=True, text=True, check=True, env=dict(os.environ, NO_COLOR="1"))
    return result.stdout


@pytest.fixture(scope="session")
def bitbake_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A real BitBake checkout (see ``toy_bitbake``); the tests that need one are skipped,
    loudly, where there is none or its locale is missing."""
    import toy_bitbake

    found = toy_bitbake.find_bitbake(tmp_path_factory.mktemp("bitbake"))
    reason = None
    if found is None:
        reason = toy_bitbake.why_no_bitbake()
    elif toy_bitbake.locale_missing():
        reason = "BitBake needs the %s locale (Debian: locales, then locale-gen)" % toy_bitbake.LOCALE
    if reason is not None:
        print("\nSKIPPED real BitBake builds: %s" % reason, file=sys.stderr)
        pytest.skip(reason)
    assert found is not None
    return found


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Says, even without ``-rs``, why the real-BitBake tests were skipped (on standard
    error, which is no longer captured by then)."""
    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple) and "BitBake" in report.longrepr[2]:
            reasons.add(report.longrepr[2].replace("Skipped: ", "", 1))
    for reason in sorted(reasons):
        print("SKIPPED real BitBake builds: %s" % reason, file=sys.stderr)
