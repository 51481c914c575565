"""After a build run by hand ends: its archive (when the instance archives every build) and
its hooks, in a process of its own.

BitBake's server exits soon after a build ends, and a hook may take minutes (a script that
copies an image, a slow mail server, retries), so the recorder starts this module as a
detached process: ``python -m toaster_rs._deliver DATABASE OWNER BUILD BUILD_DIR``. It first
archives the build when the admin setting ``archive.on-end`` is ``yes``. It exits when the
build fired no hooks; else it makes every delivery of that build it can,
waiting for retries, then exits, saying what came of each in
``BUILD_DIR/toaster-logs/build-N-hooks.log``. A delivery it does not finish (it was killed,
or its retries outlast it) stays pending for `toaster hook deliver` or a runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import List, Optional


def spawn(database: str, owner: str, build_id: int, build_dir: str) -> None:
    """Starts delivering build `build_id`'s hooks in a detached process; returns at once
    (the process, not BitBake, waits for a locked database)."""
    subprocess.Popen(
        [sys.executable, "-m", "toaster_rs._deliver", database, owner, str(build_id), build_dir],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def main(argv: Optional[List[str]] = None) -> int:
    """Delivers one build's hooks; the exit status is 0 when every attempt made was
    delivered."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 4:
        print("usage: python -m toaster_rs._deliver DATABASE OWNER BUILD BUILD_DIR", file=sys.stderr)
        return 2
    from . import Toaster, ToasterError

    database, owner, build, build_dir = args
    lines: List[str] = []
    status = 0
    try:
        with Toaster.open(database) as toaster:
            actor = toaster.act_as(owner, client="hooks")
            try:
                archive = actor.archive_on_end(int(build))
            except ToasterError as error:
                archive = None
                lines.append("build %s was not archived: %s" % (build, error))
                status = 1
            if archive:
                lines.append("build %s archived to %s" % (build, archive))
            attempts = actor.deliver_hooks(build_id=int(build), wait=True)
        if not attempts:
            if lines:
                _log(build_dir, build, lines)
            return status
        for a in attempts:
            lines.append("build %(build)d hook %(hook_id)d (%(kind)s) attempt %(attempt)d: %(state)s: %(detail)s" % a)
        status = status or (0 if all(a["delivered"] for a in attempts) else 1)
    except (ToasterError, ValueError) as error:
        lines.append("hooks of build %s: %s" % (build, error))
        status = 1
    _log(build_dir, build, lines)
    return status


def _log(build_dir: str, build: str, lines: List[str]) -> None:
    """Appends `lines` to the build's hooks log, or to standard error without one."""
    text = "".join(line + "\n" for line in lines)
    try:
        log_dir = os.path.join(build_dir, "toaster-logs")
        os.makedirs(log_dir, exist_ok=True)
        with open(os.path.join(log_dir, "build-%s-hooks.log" % build), "a") as log:
            log.write(text)
    except OSError:
        sys.stderr.write(text)


if __name__ == "__main__":
    sys.exit(main())
