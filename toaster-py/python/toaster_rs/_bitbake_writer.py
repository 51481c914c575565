"""The thread that writes a BitBake build into a Toaster database.

BitBake's event loop must never wait for the database (a locked database makes a write wait
up to the store's busy timeout), so every database call happens here: opening the database,
starting the build, recording batches of event lines, and ending the build. The event loop
only queues work. Problems are reported through ``warn(key, text)``, once per key.
"""

from __future__ import annotations

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
    """Records event lines into one build without ever making its caller wait.

    This writer's thread opens the database and starts the build (either may wait for a
    locked database); lines submitted meanwhile queue here. Once that is done and the queue
    handed over, ``submit`` gives lines straight to the recorder's own Rust thread, which
    takes them without Python's lock: a Python thread in between would only wait for that
    lock while BitBake's event loop holds it. ``finish`` ends the build and waits. A busy
    database keeps what waits for the next try; a refused batch is left out; after any
    other failure the rest is dropped: what was written stays, and the build is later marked
    interrupted.
    """

    def __init__(self, target: Target, warn: Warn) -> None:
        self.build_id: Optional[int] = None
        #: The owner the build is recorded as, once started.
        self.owner: Optional[str] = None
        self._target = target
        self._warn_to = warn
        #: Set once the database was opened and the build started, or that failed.
        self._started = threading.Event()
        #: Set when ``finish`` stopped waiting: nothing is said any more.
        self._given_up = False
        self._queue: "queue.SimpleQueue[_Item]" = queue.SimpleQueue()
        self._recorder: Optional[_toaster.BackgroundRecorder] = None
        self._lock = threading.Lock()
        self._direct = False
        self._thread = threading.Thread(target=self._run, name="toaster-recorder", daemon=True)
        self._thread.start()

    def submit(self, lines: str) -> None:
        """Hands event lines (JSON lines) over; returns at once. Lines that arrive while
        the last batch is written are written next, together, in one transaction."""
        with self._lock:
            if not self._direct:
                self._queue.put(lines)
                return
        self._apply(lines)

    @property
    def started(self) -> bool:
        """Whether the build's recording started (the database took it)."""
        return self.build_id is not None

    def finish(self, state: str, timeout: float, start_timeout: float) -> bool:
        """Ends the build in `state` after what is queued; False if the thread did not
        finish within `timeout` seconds, or had not even started the recording within
        `start_timeout` (a database locked all along). The thread goes on alone then, and
        says nothing more."""
        self._queue.put(_Finish(state))
        finished = self._started.wait(start_timeout)
        if finished:
            self._thread.join(timeout)
            finished = not self._thread.is_alive()
        self._given_up = not finished
        return finished

    def _warn(self, key: str, text: str) -> None:
        if not self._given_up:
            self._warn_to(key, text)

    def _run(self) -> None:
        try:
            self._recorder = self._open()
        except (ToasterError, OSError, ValueError) as error:
            self._warn("open", "cannot record this build in %s: %s" % (self._target.database, describe(error)))
        finally:
            self._started.set()
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
            if self._recorder is not None:
                with self._lock:
                    # Nothing queued behind what was handed over: later lines keep their
                    # order going straight to the recorder.
                    self._direct = self._queue.empty()

    def _open(self) -> _toaster.BackgroundRecorder:
        # One call into the library, which waits for a locked database without Python's
        # lock: each return to Python would wait for BitBake's busy event loop to yield it.
        target = self._target
        recorder = _toaster.BackgroundRecorder.start(
            target.database,
            client=target.client,
            host=target.host,
            build_dir=target.build_dir,
            fallback_client=target.fallback_client,
            owner=target.owner,
            project=target.project,
            build=target.build,
            store_level=target.store_level,
            **target.seen,
        )
        self.build_id = recorder.build_id
        self.owner = recorder.owner
        for warning in recorder.warnings:
            self._warn("start:" + warning, warning)
        return recorder

    def _apply(self, lines: str) -> None:
        """Hands one batch over; says what went wrong with earlier ones."""
        recorder = self._recorder
        if recorder is None:
            return
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

