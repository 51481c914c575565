"""The thread that writes a BitBake build into a Toaster database.

BitBake's event loop must never wait for the database (a locked database makes a write wait
up to the store's busy timeout), so every database call happens here: opening the database,
starting the build, recording batches of event lines, and ending the build. The event loop
only queues work. Problems are reported through ``warn(key, text)``, once per key.
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Union

from . import _toaster
from .errors import BusyError, ToasterError, ValidationError


@dataclass(frozen=True)
class Target:
    """Where and as whom to record a build."""

    database: str
    client: str
    host: str
    build_dir: str
    #: The owner to act as; ``None``: the one this client (or the command line on this
    #: host, ``fallback_client``) last chose.
    owner: Optional[str] = None
    fallback_client: Optional[str] = None
    #: The project to start a build of; ``None``: the command-line-builds project.
    project: Optional[str] = None
    #: A build started already (by a Toaster runner) to record into.
    build: Optional[int] = None
    #: What BitBake saw, recorded with a build this recorder starts: ``MACHINE``,
    #: ``DISTRO``, the targets asked for, and the layers of ``BBLAYERS``.
    seen: Dict[str, Any] = field(default_factory=dict)
    #: The lowest log level kept in the database; lower ones reach the build's log file only.
    store_level: str = "warning"


def describe(error: Exception) -> str:
    """An error's message, with its hint when it has one."""
    hint = getattr(error, "hint", None)
    return "%s (%s)" % (error, hint) if hint else str(error)


@dataclass(frozen=True)
class _Finish:
    state: str


_Item = Union[str, _Finish]
Warn = Callable[[str, str], None]


class Writer:
    """Records queued event lines into one build, in its own thread.

    ``submit`` queues lines; ``finish`` ends the build and waits for the thread. A busy
    database keeps what waits for the next try; a refused batch is left out; after any
    other failure the rest is dropped: what was written stays, and the build is later marked
    interrupted.
    """

    def __init__(self, target: Target, warn: Warn) -> None:
        self.build_id: Optional[int] = None
        self._target = target
        self._warn = warn
        self._queue: "queue.SimpleQueue[_Item]" = queue.SimpleQueue()
        self._database: Optional[_toaster.Toaster] = None
        self._recorder: Optional[_toaster.BackgroundRecorder] = None
        self._thread = threading.Thread(target=self._run, name="toaster-recorder", daemon=True)
        self._thread.start()

    def submit(self, lines: str) -> None:
        """Queues event lines (JSON lines). What is queued while the thread writes is
        written next, together, in one transaction."""
        self._queue.put(lines)

    def finish(self, state: str, timeout: float) -> bool:
        """Ends the build in `state` after what is queued; False if the thread did not
        finish within `timeout` seconds."""
        self._queue.put(_Finish(state))
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._recorder = self._open()
        except (ToasterError, OSError, ValueError) as error:
            self._warn("open", "cannot record this build in %s: %s" % (self._target.database, describe(error)))
        while True:
            item: Optional[_Item] = self._queue.get()
            # Lines queued while the last batch was written go in one batch: fewer round
            # trips through Python, which the event loop keeps busy.
            batch: List[str] = []
            while isinstance(item, str):
                batch.append(item)
                item = self._queue.get() if not self._queue.empty() else None
            if batch and self._recorder is not None:
                self._apply("\n".join(batch))
            if isinstance(item, _Finish):
                self._end(item.state)
                return

    def _open(self) -> _toaster.BackgroundRecorder:
        target = self._target
        self._database = _toaster.Toaster.open(target.database)
        actor = self._actor(self._database)
        if target.build is not None:
            build_id = target.build
            # A build started elsewhere keeps the log its starter writes, if it has one.
            console_log = actor.build(build_id).log_path is None
        else:
            project = target.project or self._command_line_project(actor)
            build_id = actor.start_build(
                project, host=target.host, build_dir=target.build_dir, **target.seen
            ).id
            console_log = True
        self.build_id = build_id
        # Batches go to a recorder on a Rust thread of its own: this thread hands them over
        # and returns, so it never waits for the database while holding Python's lock. The
        # same thread writes the build's log file.
        recorder = actor.background_recorder(build_id, console_log=console_log, store_level=target.store_level)
        if recorder.log_error:
            self._warn("log", "build %d has no log file, as it could not be made: %s" % (build_id, recorder.log_error))
        return recorder

    def _command_line_project(self, actor: _toaster.Actor) -> str:
        """The project of builds run by hand; says so when it had to live elsewhere than
        ``command-line-builds/`` beside the database."""
        project = actor.command_line_project()
        usual = os.path.join(os.path.dirname(os.path.abspath(self._target.database)), project.name)
        if os.path.abspath(project.dir) != usual:
            self._warn(
                "project-dir",
                "%s is not this database's (an earlier database left it?), so builds run by hand are kept in %s"
                % (usual, project.dir),
            )
        return project.name

    def _actor(self, database: _toaster.Toaster) -> _toaster.Actor:
        target = self._target
        if target.owner:
            return database.act_as(target.owner, client=target.client)
        try:
            return database.act_as_remembered(client=target.client)
        except ToasterError:
            if not target.fallback_client:
                raise
        owner = database.act_as_remembered(client=target.fallback_client).owner.name
        return database.act_as(owner, client=target.client)

    def _apply(self, lines: str) -> None:
        """Hands one batch over; says what went wrong with earlier ones."""
        recorder = self._recorder
        assert recorder is not None
        try:
            recorder.submit_json(lines)
        except (ToasterError, ValueError) as error:
            self._warn("failed", "recording stopped: %s" % describe(error))
            self._recorder = None
            return
        self._report(recorder.take_errors())

    def _report(self, errors: List[Exception]) -> None:
        """Turns what the recorder's thread met into warnings, once per kind: a busy database
        keeps the batch for the next try; a refused batch is left out."""
        for error in errors:
            if isinstance(error, BusyError):
                self._warn("busy", "the database is busy (%s); the build's events wait for the next try" % describe(error))
            elif isinstance(error, ValidationError):
                self._warn("refused", "events were refused and left out: %s" % describe(error))
            else:
                self._warn("failed", "events were not recorded: %s" % describe(error))

    def _end(self, state: str) -> None:
        recorder, self._recorder = self._recorder, None
        try:
            if recorder is not None:
                self._report(recorder.finish(state))
        except (ToasterError, OSError, ValueError) as error:
            # Same kind as a failed batch: one warning for one broken database, whichever
            # the recorder's thread met first.
            self._warn("failed", "the end of this build was not recorded (%s); it will show as interrupted" % describe(error))
        finally:
            if self._database is not None:
                self._database.close()
