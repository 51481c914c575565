"""What Toaster's runner adds around a build: the time from ``toaster build start --wait``
to BitBake starting, and from BitBake's end to the build's end state (the command's
exit), beside the same toy build run by hand with ``bitbake`` (from the command to BitBake
starting, and from BitBake's end to the command's exit).

BitBake's ``bin/bitbake`` is wrapped (in a copy of the checkout whose other parts are
links to the real one) by a script that notes when BitBake starts and ends. Each build
starts from a clean build directory (no tmp/, no cache/), alternately run by hand and by
Toaster, RUNS times each (default 3); medians are printed last as
``runner overhead: before X ms, after Y ms (by hand: before A ms, after B ms)``.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Tuple

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "python"))

import toy_bitbake  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
CLI = ROOT / "target" / "release" / "toaster"
RECIPES = {"base_1.0.bb": toy_bitbake.recipe("    pass"), "hello_1.0.bb": toy_bitbake.recipe("    pass", depends=["base"])}

WRAPPER = """#!/usr/bin/env python3
import subprocess, sys, time
marks = %r
with open(marks, "a") as f:
    f.write("start %%f\\n" %% time.time())
code = subprocess.call([%r] + sys.argv[1:])
with open(marks, "a") as f:
    f.write("end %%f\\n" %% time.time())
sys.exit(code)
"""


def wrapped_bitbake(real: pathlib.Path, into: pathlib.Path, marks: pathlib.Path) -> pathlib.Path:
    """A BitBake checkout whose bin/bitbake notes its start and end in `marks`."""
    copy = into / "bitbake-timed"
    (copy / "bin").mkdir(parents=True)
    for entry in real.iterdir():
        if entry.name != "bin":
            (copy / entry.name).symlink_to(entry)
    for tool in (real / "bin").iterdir():
        if tool.name != "bitbake":
            (copy / "bin" / tool.name).symlink_to(tool)
    script = copy / "bin" / "bitbake"
    script.write_text(WRAPPER % (str(marks), str(real / "bin" / "bitbake")))
    script.chmod(0o755)
    return copy


def timed(command: List[str], cwd: pathlib.Path, env: Dict[str, str], marks: pathlib.Path) -> Tuple[float, float]:
    """Runs `command`; returns (command start to BitBake start, BitBake end to command end) in ms."""
    marks.write_text("")
    started = time.time()
    run = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    ended = time.time()
    if run.returncode != 0:
        raise SystemExit("the build failed:\n%s\n%s" % (run.stdout[-2000:], run.stderr[-2000:]))
    noted = dict(line.split() for line in marks.read_text().splitlines())
    return (float(noted["start"]) - started) * 1000, (ended - float(noted["end"])) * 1000


def main() -> None:
    runs = int(os.environ.get("RUNS", "3"))
    # The command as users install it (optimised), as this tree has it.
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "toaster-cli"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        real = toy_bitbake.find_bitbake(work)
        if real is None:
            raise SystemExit(toy_bitbake.why_no_bitbake())
        marks = work / "marks"
        bitbake = wrapped_bitbake(real, work, marks)
        layers = [toy_bitbake.core_layer(work, real), toy_bitbake.toy_layer(work, "toy", RECIPES)]
        by_hand = toy_bitbake.BuildDir(work / "by-hand", bitbake, layers, None)
        env = dict(os.environ, TOASTER_DB=str(work / "toaster.sqlite"))
        env["PATH"] = "%s:%s" % (pathlib.Path(sys.executable).parent, env.get("PATH", ""))
        toaster = lambda *args: subprocess.run([str(CLI), *args], env=env, check=True, capture_output=True)  # noqa: E731
        toaster("owner", "add", "bench")
        toaster("project", "create", "demo", "--dir", str(work / "demo"), "--release", toy_bitbake.SERIES)
        toaster("layer", "remove", "demo", "meta-yocto-bsp", "meta-poky", "openembedded-core")
        for layer in layers:
            toaster("layer", "add", "demo", "--path", str(layer))
        toaster("bitbake", "set", "demo", "--path", str(bitbake))
        results: Dict[str, List[Tuple[float, float]]] = {"toaster": [], "by hand": []}
        for number in range(runs):
            for what in ("by hand", "toaster"):
                build_dir = by_hand.path if what == "by hand" else work / "demo" / "build"
                for leftover in ("tmp", "cache"):
                    shutil.rmtree(build_dir / leftover, ignore_errors=True)
                if what == "by hand":
                    result = timed(["bitbake", "hello"], by_hand.path, by_hand.environment(), marks)
                else:
                    result = timed([str(CLI), "build", "start", "demo", "hello", "--wait"], work, env, marks)
                results[what].append(result)
                print("run %d %s: before %.0f ms, after %.0f ms" % (number + 1, what, *result), flush=True)
        median = {what: (statistics.median(r[0] for r in runs_), statistics.median(r[1] for r in runs_)) for what, runs_ in results.items()}
        print("runner overhead: before %.0f ms, after %.0f ms (by hand: before %.0f ms, after %.0f ms)" % (*median["toaster"], *median["by hand"]))


if __name__ == "__main__":
    main()
