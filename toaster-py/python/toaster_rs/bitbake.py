"""Recording BitBake builds into a Toaster database: the Python side of the
``toaster-recorder`` class of the ``meta-toaster`` layer.

A user records every build with one line in ``conf/local.conf`` (with ``meta-toaster`` in
``BBLAYERS`` and this package importable by BitBake's Python)::

    INHERIT += "toaster-recorder"

Where to record comes from BitBake variables, set in a conf file (or passed in through
``BB_ENV_PASSTHROUGH_ADDITIONS``) or, failing that, taken from the environment BitBake was
started in (``BB_ORIGENV``):

- ``TOASTER_DB``: the database file (required; without it nothing is recorded);
- ``TOASTER_OWNER``: the owner to record as (default: the one chosen with
  ``toaster owner use`` for this client or for the command line on this host);
- ``TOASTER_PROJECT``: the project the build belongs to (default: the
  ``command-line-builds`` project);
- ``TOASTER_BUILD``: a build already started (by a Toaster runner) to record into;
- ``TOASTER_LOG_LEVEL``: the lowest log level kept in the database (``debug``,
  ``note``, ``warning`` (default), ``error``, ``critical``);
- ``TOASTER_CLIENT``: the client name the build is recorded from (default
  ``bitbake:USER@HOST``).

Each build gets a log file of its own, ``BUILD_DIR/toaster-logs/build-N.log`` (the build's
``log_path``): its task starts and ends and the log messages of level note and above, in
BitBake's console words, written by the same thread as the database. A build whose log
file cannot be made is recorded all the same, with a warning and no ``log_path``; a build a
runner started (``TOASTER_BUILD``) keeps the log its runner writes.

Which process sees what: the class's handler runs in the cooker (the BitBake server) for the
few events that drive a recording: ``ConfigParsed`` (from then on, log records are kept for
the build that follows: the warnings and errors of parsing), ``CacheLoadCompleted`` and
``ParseCompleted`` (how many recipes), ``BuildInit`` (the build starts), ``HeartbeatEvent``
and the end of the command (after a forced stop, which ends no command, the server's
``CookerExit``). At ``BuildInit`` the recording registers a listener with BitBake's event
dispatcher, the way BitBake's own event-log writer does; the cooker hands it the events it asks for (:data:`EVENTS`), each
exactly once: its own events as it fires them, and the events of its task workers
(``bb.build.TaskStarted``, the metadata events of ``do_package``) as it reads them from the
worker pipes, plus log records. The two sets of events do not overlap, and workers record nothing themselves (the
class's events are never fired there), so nothing is counted twice.
The listener only maps events to lines (see :mod:`toaster._bitbake_events`); a thread writes
them to the database in batches, so that a slow or locked database never holds up BitBake.

When the build starts, its variables are recorded with their values and history (see
:mod:`toaster_rs._bitbake_variables`): the schema's and those the build directory's conf
files set, read from the cooker's datastore (where BitBake kept no history, from its
configuration read again with data tracking on).

What a build made or read is recorded as its artifacts, each a file in one of the build's
directories (``DEPLOY_DIR_IMAGE``, ``DEPLOY_DIR``, ``TMPDIR``, ``TOPDIR``, read at
``BuildInit``, the innermost that holds it) with its size and SHA-256, which the recorder
measures reading inside that directory only (a link that leads out of it is refused, with a
warning): the files of openembedded-core's ``TaskArtifacts`` events and, when the build
ends, the regular files (not links) of ``DEPLOY_DIR_IMAGE`` changed since it started (at
most :data:`~toaster_rs._bitbake_events.MAX_DEPLOYED_FILES`), the conf files of the build
directory that BitBake read (``BBINCLUDED``, with ``conf/local.conf`` and
``conf/bblayers.conf``), and the log files of the tasks that failed.

Nothing here raises into BitBake: a problem is reported once per build with ``bb.warn`` and
the build goes on.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import socket
import threading
import time
from collections import namedtuple
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ._bitbake_events import EVENTS, LOG_LEVELS, BuildDirs, EventMapper, Layers, level_name
from . import _bitbake_variables, _deliver
from ._bitbake_writer import Target, Writer, describe

__all__ = [
    "CLASS_EVENTS",
    "EVENTS",
    "BuildSession",
    "Settings",
    "active_session",
    "handle_event",
]

#: The events the class's handler takes (its ``eventmask``).
CLASS_EVENTS: Tuple[str, ...] = (
    "bb.event.ConfigParsed",
    "bb.event.CacheLoadCompleted",
    "bb.event.ParseCompleted",
    "bb.event.BuildInit",
    "bb.event.HeartbeatEvent",
    "bb.command.CommandCompleted",
    "bb.command.CommandFailed",
    "bb.command.CommandExit",
    "bb.cooker.CookerExit",
)

#: Event lines handed to the writer at once, at most (and at every heartbeat).
BATCH_LINES = 2048
#: With nothing new to write, the build is still marked alive this often, in seconds.
KEEPALIVE_SECONDS = 60.0
#: How long the end of a build waits for the database, in seconds.
FINISH_TIMEOUT = 60.0
#: How long the end of a build waits for a recording that never started (the database
#: stayed locked), in seconds.
START_TIMEOUT = 5.0
#: Log records kept from before a build starts (parse warnings and errors), at most.
EARLY_RECORDS = 1000

_log = logging.getLogger("toaster_rs.bitbake")


class Warnings:
    """Problems to report, each once per build; kept until BitBake may be told."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: Set[str] = set()
        self._pending: List[str] = []

    def add(self, key: str, text: str) -> None:
        """Notes a problem, unless one with this key was noted since the last reset."""
        with self._lock:
            if key not in self._seen:
                self._seen.add(key)
                self._pending.append(text)

    def reset(self) -> None:
        """Starts a new build: every problem may be reported again."""
        with self._lock:
            self._seen.clear()

    def emit(self) -> None:
        """Reports what is pending, with ``bb.warn`` (or logging without BitBake). Only
        from the class's handler: BitBake's listeners may not log (its dispatcher holds a
        lock that logging needs)."""
        with self._lock:
            pending, self._pending = self._pending, []
        for text in pending:
            _warn("toaster-recorder: " + text)


def _warn(text: str) -> None:
    try:
        import bb  # type: ignore

        bb.warn(text)
    except (ImportError, AttributeError):
        _log.warning("%s", text)


@dataclass(frozen=True)
class Settings:
    """What a build's recording needs from BitBake's configuration."""

    target: Target
    log_level: int
    layer_dirs: List[str]
    #: The directories artifacts are recorded in, and the conf files the build read.
    dirs: Optional[BuildDirs] = None

    @staticmethod
    def from_datastore(d: Any, warnings: Warnings, targets: Any = ()) -> Optional["Settings"]:
        """The settings in datastore `d`; ``None`` (after a warning) without ``TOASTER_DB``."""
        database = _variable(d, "TOASTER_DB")
        if not database:
            warnings.add("no-database", "TOASTER_DB is not set, so this build is not recorded")
            return None
        user, host = getpass.getuser(), socket.gethostname()
        log_level = _log_level(_variable(d, "TOASTER_LOG_LEVEL"), warnings)
        target = Target(
            database=database,
            client=_variable(d, "TOASTER_CLIENT") or "bitbake:%s@%s" % (user, host),
            fallback_client="cli:%s@%s" % (user, host),
            host=host,
            build_dir=d.getVar("TOPDIR") or os.getcwd(),
            owner=_variable(d, "TOASTER_OWNER"),
            project=_variable(d, "TOASTER_PROJECT"),
            build=_build_number(_variable(d, "TOASTER_BUILD"), warnings),
            seen=_seen(d, targets),
            store_level=level_name(log_level),
        )
        return Settings(
            target=target,
            log_level=log_level,
            layer_dirs=(d.getVar("BBLAYERS") or "").split(),
            dirs=BuildDirs.from_datastore(d),
        )


_WORD = re.compile(r"^[A-Za-z0-9+._-]+$")
_TARGET = re.compile(r"^(mc:[A-Za-z0-9+._-]*:)?[A-Za-z0-9+._-]+(:[A-Za-z0-9+._-]+)?$")


def _seen(d: Any, targets: Any) -> Dict[str, Any]:
    """What BitBake builds with, for the record of a build this recorder starts: its
    ``MACHINE``, ``DISTRO``, the targets asked for and the layers of ``BBLAYERS``. Values the
    core would refuse are left out (the project's stand in), so recording never fails on
    them."""
    seen: Dict[str, Any] = {}
    for key, name in (("machine", "MACHINE"), ("distro", "DISTRO")):
        value = d.getVar(name)
        if value and _WORD.match(value):
            seen[key] = value
    wanted = [t for t in (targets or ()) if isinstance(t, str) and _TARGET.match(t)]
    if wanted:
        seen["targets"] = wanted
    layers = [
        {"name": os.path.basename(path.rstrip("/")) or path, "source": path}
        for path in (d.getVar("BBLAYERS") or "").split()
        if "\n" not in path
    ]
    if layers:
        seen["layers"] = layers
    return seen


def _variable(d: Any, name: str) -> Optional[str]:
    """A variable of the datastore, else of the environment BitBake started in."""
    value = d.getVar(name)
    if not value:
        environment = d.getVar("BB_ORIGENV", False)
        value = environment.getVar(name) if environment is not None else None
    return value.strip() if value and value.strip() else None


def _build_number(text: Optional[str], warnings: Warnings) -> Optional[int]:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    warnings.add("build", "TOASTER_BUILD is %r, not a build number; a new build is recorded" % text)
    return None


def _log_level(text: Optional[str], warnings: Warnings) -> int:
    if text is None:
        return LOG_LEVELS["warning"]
    if text.lower() in LOG_LEVELS:
        return LOG_LEVELS[text.lower()]
    warnings.add("level", "TOASTER_LOG_LEVEL is %r; using warning (one of: %s)" % (text, ", ".join(LOG_LEVELS)))
    return LOG_LEVELS["warning"]


#: What BitBake's dispatcher takes as a user interface: an object whose ``event.send``
#: takes events.
_Channel = namedtuple("_Channel", ["event"])


def _dispatcher() -> Any:
    """BitBake's event module (imported only when a build starts: only BitBake has it)."""
    import bb.event  # type: ignore

    return bb.event


class BuildSession:
    """The recording of one build: listens to BitBake's events, maps them, and has a
    :class:`~toaster._bitbake_writer.Writer` write them."""

    def __init__(self, settings: Settings, warnings: Warnings, parse_total: Optional[int] = None) -> None:
        self._lock = threading.Lock()
        self._warnings = warnings
        # Notes and above reach the build's log file; the database keeps from log_level.
        self._log_level = min(settings.log_level, LOG_LEVELS["note"])
        # The build starts now (its files are those changed since).
        self._mapper = EventMapper(Layers(settings.layer_dirs), self._log_level, settings.dirs, time.time())
        self._map, self._lines = self._mapper.map, self._mapper.lines
        self._writer = Writer(settings.target, warnings.add)
        self._writer_target = settings.target
        self._database = settings.target.database
        self._last_write = time.monotonic()
        self._handle: Optional[int] = None
        if parse_total is not None:
            self._mapper.parse(parse_total)

    @property
    def build_id(self) -> Optional[int]:
        """The build recorded, once the database took it."""
        return self._writer.build_id

    def listen(self) -> None:
        """Has BitBake's event dispatcher hand this session the build's events."""
        try:
            dispatcher = _dispatcher()
            self._handle = dispatcher.register_UIHhandler(_Channel(self), mainui=False)
            dispatcher.set_UIHmask(self._handle, self._log_level, {}, list(EVENTS))
        except Exception as error:  # an older or newer BitBake: record what can be
            self._warnings.add("listen", "cannot listen to BitBake's events (%s); only the build's start and end are recorded" % error)

    def send(self, event: Any) -> None:
        """Takes one event (BitBake's dispatcher calls this). Never raises: an event it
        cannot read is skipped, and said so once per kind."""
        try:
            with self._lock:
                if not self._map(event):
                    name = type(event).__name__
                    self._warnings.add("unknown:" + name, "ignored %s events, which it does not know" % name)
                if len(self._lines) >= BATCH_LINES:
                    self._hand_over()
        except Exception as error:
            name = type(event).__name__
            self._warnings.add("unreadable:" + name, "skipped %s events it could not read (%s: %s)" % (name, type(error).__name__, error))

    def read_variables(self, d: Any, schema: Optional[Dict[str, Any]]) -> None:
        """Records the build's variables and their history, read from the cooker's datastore
        `d` (see :mod:`toaster_rs._bitbake_variables`); what cannot be read is warned about
        in the record, never raised."""

        def emit(lines: List[str]) -> None:
            with self._lock:
                self._lines.extend(lines)
                if len(self._lines) >= BATCH_LINES:
                    self._hand_over()

        def warn(text: str) -> None:
            with self._lock:
                self._mapper.warning(text)

        try:
            count, how, seconds = _bitbake_variables.read_variables(d, schema, warn, emit)
            with self._lock:
                self._mapper.debug("toaster: read %d variables (history: %s) in %.3f s" % (count, how, seconds))
        except Exception as error:
            warn("the variables of this build are not recorded (%s: %s)" % (type(error).__name__, error))

    def tick(self) -> None:
        """A heartbeat: writes what waits, or marks the build alive now and then."""
        with self._lock:
            self._mapper.progress_line()
            if self._lines or time.monotonic() - self._last_write >= KEEPALIVE_SECONDS:
                self._hand_over()

    def close(self, command_ok: bool, failure: Optional[str] = None, stopped: bool = False) -> None:
        """Stops listening, adds the artifacts found at the end (see
        :meth:`~toaster_rs._bitbake_events.EventMapper.end_artifacts`) and ends the build:
        cancelled if BitBake was interrupted (or its server `stopped` with the build
        unfinished), failed if a task failed, an error was logged or the command failed, else
        succeeded."""
        if self._handle is not None:
            _dispatcher().unregister_UIHhandler(self._handle)
            self._handle = None
        with self._lock:
            if stopped:
                self._mapper.interrupted = True
                self._mapper.note("BitBake's server stopped while the build ran (its client was interrupted or went away)")
            if failure:
                self._mapper.error(failure)
            try:
                self._mapper.end_artifacts(self._warnings.add)
            except Exception as error:  # never keeps the build from ending
                self._warnings.add("artifacts", "the files found at the end of this build were not recorded (%s: %s)" % (type(error).__name__, error))
            self._hand_over()
            state = self._final_state(command_ok)
        if self._writer.finish(state, FINISH_TIMEOUT, START_TIMEOUT):
            self._deliver_hooks()
            return
        if self._writer.started:
            self._warnings.add("slow", "the database did not take the end of this build within %d s" % FINISH_TIMEOUT)
        else:
            self._warnings.add("slow", "the database %s stayed locked while this build ran, so it is not recorded" % self._database)

    def _deliver_hooks(self) -> None:
        """Starts delivering the hooks this build's end fired, in a process of its own that
        outlives BitBake (see ``toaster_rs._deliver``). A runner's build is left to the
        runner, which delivers hooks itself."""
        writer, target = self._writer, self._writer_target
        if target.build is not None or writer.build_id is None or writer.owner is None:
            return
        try:
            _deliver.spawn(target.database, writer.owner, writer.build_id, target.build_dir)
        except OSError as error:
            self._warnings.add("hooks", "the hooks of build %d were not started (%s); `toaster hook deliver` sends them" % (writer.build_id, error))

    def _hand_over(self) -> None:
        self._mapper.progress_line()
        self._writer.submit("\n".join(self._lines))
        self._lines.clear()
        self._last_write = time.monotonic()

    def _final_state(self, command_ok: bool) -> str:
        mapper = self._mapper
        if mapper.interrupted:
            return "cancelled"
        if not command_ok or not mapper.completed or mapper.failures or mapper.errors:
            return "failed"
        return "succeeded"


class _EarlyLog:
    """Log records BitBake sends before a build starts (the warnings and errors of parsing
    its configuration and recipes), kept for the build that follows, so that the build's
    record counts what BitBake's summary counts. Listens from the configuration's parse on,
    for as long as the BitBake server lives; keeps nothing while a build is recorded, and
    forgets what it kept when a command ends without a build (``bitbake -e``)."""

    def __init__(self) -> None:
        self.records: List[Any] = []
        self.keeping = True
        self._handle: Optional[int] = None

    def listen(self, warnings: Warnings) -> None:
        """Has BitBake's dispatcher hand this log records of level note and above only."""
        try:
            dispatcher = _dispatcher()
            self._handle = dispatcher.register_UIHhandler(_Channel(self), mainui=False)
            dispatcher.set_UIHmask(self._handle, LOG_LEVELS["note"], {}, ["toaster_rs.NoEvent"])
        except Exception as error:  # an older or newer BitBake: parse messages are left out
            warnings.add("early", "cannot listen to BitBake's messages before the build (%s)" % error)

    def send(self, record: Any) -> None:
        """Takes a log record (BitBake's dispatcher calls this, holding its lock)."""
        if self.keeping and len(self.records) < EARLY_RECORDS:
            self.records.append(record)

    def take(self) -> List[Any]:
        """What was kept, handed over once; keeps nothing more until :meth:`resume`."""
        records, self.records, self.keeping = self.records, [], False
        return records

    def resume(self) -> None:
        """A command ended: forgets what was kept, and keeps what comes before the next build."""
        self.records, self.keeping = [], True

    def stop(self) -> None:
        """Stops listening (the server's life ends)."""
        if self._handle is not None:
            _dispatcher().unregister_UIHhandler(self._handle)
            self._handle = None


class _Recording:
    """What this process knows between the class's events."""

    def __init__(self) -> None:
        self.warnings = Warnings()
        self.session: Optional[BuildSession] = None
        self.parse_total: Optional[int] = None
        self.early: Optional[_EarlyLog] = None


_recording = _Recording()


def active_session() -> Optional[BuildSession]:
    """The build being recorded in this process, if any."""
    return _recording.session


def handle_event(event: Any, d: Any) -> None:
    """Takes an event of the class's handler (in the cooker, with its datastore `d`).
    Never raises into BitBake; reports problems once per build."""
    name = type(event).__name__
    try:
        _CLASS_HANDLERS.get(name, _ignore)(event, d)
    except Exception as error:
        _recording.warnings.add("class:" + name, "skipped a %s event (%s: %s)" % (name, type(error).__name__, error))
    _recording.warnings.emit()


def _config_parsed(event: Any, d: Any) -> None:
    if _recording.early is None and _variable(d, "TOASTER_DB"):
        _recording.early = _EarlyLog()
        _recording.early.listen(_recording.warnings)


def _cache_loaded(event: Any, d: Any) -> None:
    # Every recipe came from the cache when no parse follows (then no ParseCompleted).
    _recording.parse_total = int(event.num_entries)


def _parse_completed(event: Any, d: Any) -> None:
    _recording.parse_total = int(event.total)


def _build_init(event: Any, d: Any) -> None:
    if _recording.session is not None:
        _end_session(command_ok=False, failure=None)
    _recording.warnings.reset()
    early = _recording.early.take() if _recording.early is not None else []
    settings = Settings.from_datastore(d, _recording.warnings, getattr(event, "_pkgs", ()))
    if settings is None:
        return
    session = BuildSession(settings, _recording.warnings, _recording.parse_total)
    _recording.session = session
    for record in early:
        session.send(record)
    session.read_variables(d, _schema(settings.target.database, _recording.warnings))
    session.listen()


def _schema(database: str, warnings: Warnings) -> Optional[Dict[str, Any]]:
    """The variable schema of the Toaster that records the build (which variables to
    record); None, after a warning, when its database cannot be opened now."""
    try:
        from . import _toaster

        with _toaster.Toaster.open(database) as toaster:
            return toaster.schema()
    except Exception as error:
        if not os.path.exists(database):
            return None  # the writer says so: nothing is recorded
        warnings.add("schema", "the schema's variables are not recorded, only those the build directory's conf files set: the database %s could not be read (%s)" % (database, error))
        return None


def _heartbeat(event: Any, d: Any) -> None:
    if _recording.session is not None:
        _recording.session.tick()


def _command_ended(event: Any, d: Any) -> None:
    _recording.parse_total = None
    if _recording.early is not None:
        _recording.early.resume()
    if _recording.session is not None:
        failure = getattr(event, "error", None) if type(event).__name__ == "CommandFailed" else None
        _end_session(command_ok=type(event).__name__ == "CommandCompleted", failure=failure and str(event))


def _cooker_exit(event: Any, d: Any) -> None:
    # A forced stop (a second Ctrl-C, a client gone) ends the command with no event of its
    # own: the server's exit is the last word on a build still open.
    _end_session(command_ok=False, failure=None, stopped=True)
    if _recording.early is not None:
        _recording.early.stop()
        _recording.early = None


def _end_session(command_ok: bool, failure: Optional[str], stopped: bool = False) -> None:
    session, _recording.session = _recording.session, None
    if session is not None:
        try:
            session.close(command_ok, failure, stopped)
        except Exception as error:
            _recording.warnings.add("close", "the end of this build was not recorded: %s" % describe(error))


def _ignore(event: Any, d: Any) -> None:
    """Events of other classes (the class's mask lets none through)."""


_CLASS_HANDLERS: Dict[str, Callable[[Any, Any], None]] = {
    "ConfigParsed": _config_parsed,
    "CacheLoadCompleted": _cache_loaded,
    "CookerExit": _cooker_exit,
    "ParseCompleted": _parse_completed,
    "BuildInit": _build_init,
    "HeartbeatEvent": _heartbeat,
    "CommandCompleted": _command_ended,
    "CommandFailed": _command_ended,
    "CommandExit": _command_ended,
}
