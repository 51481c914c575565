"""What recording costs a real build: the same toy build of about 1,000 pure-Python tasks
(200 generated recipes of 5 chained tasks, each recipe waiting for two earlier ones) run
by real BitBake with meta-toaster's recorder and without it, alternately, 3 times each
(RUNS sets it), from a clean build directory each time (no tmp/, no cache/), so both do the
same work.

Prints each run and, last, ``recording overhead: X% (with A s, without B s)`` with the
medians. BitBake comes from TOASTER_TEST_BITBAKE or the fixture, as in the tests
(``tests/python/toy_bitbake.py``). Run with the repository's virtual environment (after
``scripts/test.sh``): ``.venv/bin/python benches/recording_overhead.py``.
"""

from __future__ import annotations

import os
import pathlib
import getpass
import shutil
import socket
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "python"))

import toaster_rs  # noqa: E402
import toy_bitbake  # noqa: E402

RECIPES, TASKS = 200, 5


def build_once(scratch: pathlib.Path, bitbake: pathlib.Path, layers, database, name: str) -> float:
    """One build of every generated recipe in a new build directory; its seconds."""
    build_dir = toy_bitbake.BuildDir(scratch / name, bitbake, layers, database)
    targets = ["gen%d" % n for n in range(RECIPES)]
    started = time.perf_counter()
    run = build_dir.run(*targets, timeout=1800)
    took = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit("the build failed:\n%s" % run.stdout[-3000:])
    shutil.rmtree(build_dir.path)
    return took


def main() -> None:
    runs = int(os.environ.get("RUNS", "3"))
    if toy_bitbake.locale_missing():
        raise SystemExit("BitBake needs the %s locale" % toy_bitbake.LOCALE)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = pathlib.Path(tmp)
        bitbake = toy_bitbake.find_bitbake(scratch)
        if bitbake is None:
            raise SystemExit(toy_bitbake.why_no_bitbake())
        layers = [toy_bitbake.core_layer(scratch, bitbake), toy_bitbake.toy_layer(scratch, "gen", toy_bitbake.generated_recipes(RECIPES, TASKS))]
        database = scratch / "toaster.sqlite"
        with toaster_rs.Toaster.init(database) as db:
            db.add_first_owner("bench")
            # The recorder acts as the owner the command line on this host chose.
            db.use_owner("bench", client="cli:%s@%s" % (getpass.getuser(), socket.gethostname()))
        timings = {"with": [], "without": []}
        for number in range(runs):
            for kind in ("without", "with"):
                took = build_once(scratch, bitbake, layers, database if kind == "with" else None, "%s%d" % (kind, number))
                timings[kind].append(took)
                print("run %d %s the recorder: %.1f s" % (number + 1, kind, took), flush=True)
        with toaster_rs.Toaster.open(database) as db:
            recorded = db.act_as("bench").builds(None, limit=100)
        tasks = {build.id: (build.state, build.tasks_done) for build in recorded}
        print("recorded builds: %s" % sorted(tasks.values()))
        for kind, times in timings.items():
            print("%s the recorder: median %.1f s, fastest %.1f s, slowest %.1f s" % (kind, statistics.median(times), min(times), max(times)))
        with_s, without_s = statistics.median(timings["with"]), statistics.median(timings["without"])
        print("recording overhead: %.1f%% (with %.1f s, without %.1f s)" % ((with_s / without_s - 1) * 100, with_s, without_s))


if __name__ == "__main__":
    main()
