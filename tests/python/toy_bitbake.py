"""Real BitBake on toy layers: where BitBake comes from, layers of pure-Python recipes, and a
build directory that records with meta-toaster exactly as the README says.

BitBake is ``TOASTER_TEST_BITBAKE`` (any checkout, e.g. ``~/poky/bitbake``) or the fixture
``../shared/fixtures/bitbake-2.19.0.tar.gz`` beside the repository, unpacked once. The
benchmark ``benches/recording_overhead.py`` builds with the same parts.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from typing import Dict, List, Optional, Sequence

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT.parent / "shared" / "fixtures" / "bitbake-2.19.0.tar.gz"
META_TOASTER = ROOT / "meta-toaster"
SERIES = "wrynose"
LOCALE = "en_US.UTF-8"


def find_bitbake(scratch: pathlib.Path) -> Optional[pathlib.Path]:
    """A BitBake checkout: ``TOASTER_TEST_BITBAKE``, else the fixture unpacked into
    `scratch`; None when there is neither."""
    given = os.environ.get("TOASTER_TEST_BITBAKE")
    if given:
        path = pathlib.Path(given).resolve()
        if not (path / "bin" / "bitbake").is_file():
            raise RuntimeError("TOASTER_TEST_BITBAKE=%s is not a BitBake checkout (no bin/bitbake)" % given)
        return path
    if not FIXTURE.is_file():
        return None
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(scratch, filter="tar")
    return scratch / "bitbake-2.19.0"


def why_no_bitbake() -> str:
    return "no BitBake to build with: set TOASTER_TEST_BITBAKE=DIR (a BitBake checkout) or provide %s" % FIXTURE


def locale_missing() -> bool:
    """Whether the locale BitBake insists on is missing on this machine."""
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.lower()
    return "en_us.utf8" not in out.split()


def core_layer(top: pathlib.Path, bitbake: pathlib.Path) -> pathlib.Path:
    """A layer standing in for openembedded-core: BitBake's own bitbake.conf, then
    local.conf (which BitBake's bitbake.conf does not read)."""
    layer = top / "core"
    (layer / "conf").mkdir(parents=True, exist_ok=True)
    (layer / "conf" / "layer.conf").write_text(
        'BBPATH .= ":${LAYERDIR}:%s"\n'
        'BBFILE_COLLECTIONS += "core"\n'
        'BBFILE_PATTERN_core = "^${LAYERDIR}/"\n'
        'BBFILE_PATTERN_IGNORE_EMPTY_core = "1"\n'
        'BBFILE_PRIORITY_core = "5"\n'
        'LAYERSERIES_CORENAMES = "%s"\n'
        'LAYERSERIES_COMPAT_core = "%s"\n' % (bitbake, SERIES, SERIES)
    )
    (layer / "conf" / "bitbake.conf").write_text("require %s/conf/bitbake.conf\ninclude conf/local.conf\n" % bitbake)
    return layer


def toy_layer(top: pathlib.Path, name: str, recipes: Dict[str, str]) -> pathlib.Path:
    """A layer of recipes: file name (``hello_1.0.bb``) to text."""
    layer = top / name
    (layer / "conf").mkdir(parents=True, exist_ok=True)
    (layer / "recipes").mkdir(exist_ok=True)
    (layer / "conf" / "layer.conf").write_text(
        'BBPATH .= ":${LAYERDIR}"\n'
        'BBFILES += "${LAYERDIR}/recipes/*.bb"\n'
        'BBFILE_COLLECTIONS += "%s"\n'
        'BBFILE_PATTERN_%s = "^${LAYERDIR}/"\n'
        'BBFILE_PRIORITY_%s = "6"\n'
        'LAYERDEPENDS_%s = "core"\n'
        'LAYERSERIES_COMPAT_%s = "%s"\n' % (name, name, name, name, name, SERIES)
    )
    for file, text in recipes.items():
        (layer / "recipes" / file).write_text(text)
    return layer


def recipe(body: str, depends: Sequence[str] = ()) -> str:
    """A recipe whose one task, do_build, runs `body` (Python, indented four spaces)."""
    lines = ['LICENSE = "MIT"', "python do_build() {", body.rstrip("\n"), "}", "addtask build"]
    if depends:
        lines.append('do_build[depends] = "%s"' % " ".join("%s:do_build" % d for d in depends))
    return "\n".join(lines) + "\n"


def generated_recipes(count: int, tasks: int) -> Dict[str, str]:
    """`count` recipes of `tasks` chained pure-Python tasks each; recipe n's first task waits
    for the last of recipes (n-1)//2 and n//3 (a tree a few recipes deep: BitBake walks
    dependency chains recursively), so the run queue is a real one."""
    made = {}
    for n in range(count):
        lines = ['LICENSE = "MIT"']
        names = ["do_step%d" % t for t in range(tasks - 1)] + ["do_build"]
        for t, task in enumerate(names):
            lines += ["python %s() {" % task, '    d.setVar("X", "%d")' % t, "}"]
            lines.append("addtask %s%s" % (task[3:], "" if t == 0 else " after %s" % names[t - 1]))
        earlier = sorted({m for m in ((n - 1) // 2, n // 3) if 0 <= m < n})
        if earlier:
            lines.append('do_step0[depends] = "%s"' % " ".join("gen%d:do_build" % m for m in earlier))
        made["gen%d_1.0.bb" % n] = "\n".join(lines) + "\n"
    return made


class BuildDir:
    """A build directory whose builds meta-toaster records into `database` (when given)."""

    def __init__(self, path: pathlib.Path, bitbake: pathlib.Path, layers: List[pathlib.Path], database: Optional[pathlib.Path], extra_conf: str = "") -> None:
        self.path = path
        self.bitbake = bitbake
        (path / "conf").mkdir(parents=True, exist_ok=True)
        all_layers = [str(layer) for layer in layers] + ([str(META_TOASTER)] if database else [])
        (path / "conf" / "bblayers.conf").write_text('BBLAYERS = "%s"\n' % " ".join(all_layers))
        local = [] if database is None else ['INHERIT += "toaster-recorder"', 'TOASTER_DB = "%s"' % database]
        (path / "conf" / "local.conf").write_text("\n".join(local + [extra_conf]) + "\n")

    def environment(self) -> Dict[str, str]:
        """A clean environment: BitBake's bin/ first, then the Python that has toaster_rs."""
        python_bin = pathlib.Path(sys.executable).parent
        return {
            "PATH": "%s:%s:/usr/bin:/bin" % (self.bitbake / "bin", python_bin),
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": LOCALE,
            "LC_ALL": LOCALE,
        }

    def start(self, *targets: str) -> "subprocess.Popen[str]":
        """Starts `bitbake TARGETS` (argv, in the build directory)."""
        return subprocess.Popen(
            ["bitbake", *targets], cwd=self.path, env=self.environment(), executable=str(self.bitbake / "bin" / "bitbake"),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )

    def run(self, *targets: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Runs `bitbake TARGETS` to its end; its output is the console's."""
        process = self.start(*targets)
        try:
            output, _ = process.communicate(timeout=timeout)
        finally:
            self.stop(process)
        return subprocess.CompletedProcess(process.args, process.returncode, output, "")

    def stop(self, process: "subprocess.Popen[str]") -> None:
        """Leaves no BitBake behind: the client, then the server holding bitbake.lock."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        self.wait_for_server()

    def server_pid(self) -> Optional[int]:
        """The BitBake server still holding this build directory, if one does."""
        import fcntl

        lock = self.path / "bitbake.lock"
        if not lock.exists():
            return None
        with open(lock) as file:
            try:
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return None
            except OSError:
                first = file.read().split()
                return int(first[0]) if first and first[0].isdigit() else -1

    def wait_for_server(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.server_pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        pid = self.server_pid()
        if pid is not None and pid > 0:
            os.kill(pid, signal.SIGKILL)


def copy_without_django_toaster(bitbake: pathlib.Path, into: pathlib.Path) -> pathlib.Path:
    """A copy of BitBake as the PyPI package ships it: without lib/toaster."""
    copy = into / "bitbake-no-toaster"
    if not copy.exists():
        shutil.copytree(bitbake, copy, symlinks=True, ignore=shutil.ignore_patterns("toaster"))
    assert not (copy / "lib" / "toaster").exists()
    return copy
