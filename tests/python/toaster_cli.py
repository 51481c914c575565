"""The ``toaster`` command as the end-to-end tests drive it: one database, as a user (or
Jenkins) would, with the Python that has the recorder first on PATH."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time
from typing import Any, Dict, List

import pytest
import toy_bitbake
from conftest import CLI


class Toaster:
    """The ``toaster`` command on one database, as alice, with the Python that has the
    recorder on PATH (as a user who installed the wheel has)."""

    def __init__(self, work: pathlib.Path) -> None:
        if not CLI.exists():
            pytest.skip("the toaster CLI is not built: run `cargo build -p toaster-cli` (looked for %s)" % CLI)
        self.work = work
        self.env = dict(os.environ, TOASTER_DB=str(work / "toaster.sqlite"), NO_COLOR="1")
        self.env["PATH"] = "%s:%s" % (pathlib.Path(sys.executable).parent, self.env.get("PATH", ""))

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        run = subprocess.run([str(CLI), *args], capture_output=True, text=True, env=self.env, timeout=300)
        if check:
            assert run.returncode == 0, (args, run.stdout, run.stderr)
        return run

    def start(self, *args: str) -> "subprocess.Popen[str]":
        return subprocess.Popen([str(CLI), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env)

    def json(self, *args: str) -> Any:
        return json.loads(self("--json", *args).stdout)

    def project(self, name: str, layers: List[pathlib.Path], bitbake: pathlib.Path, targets: str) -> None:
        """A project building `layers` with `bitbake`: the release's git layers replaced."""
        self("project", "create", name, "--dir", str(self.work / name), "--release", toy_bitbake.SERIES)
        self("layer", "remove", name, "meta-yocto-bsp", "meta-poky", "openembedded-core")
        for layer in layers:
            self("layer", "add", name, "--path", str(layer))
        self("bitbake", "set", name, "--path", str(bitbake))
        self("config", "set", name, "targets", targets)

    def wait_for(self, build: int, states: List[str], timeout: float = 120) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.json("build", "show", str(build))
            if shown["state"] in states:
                return shown
            assert time.monotonic() < deadline, shown
            time.sleep(0.3)


def toy_project(work: pathlib.Path, bitbake: pathlib.Path, recipes: Dict[str, str], targets: str) -> Toaster:
    """The command on a new database in `work`, as alice, with project `demo` building the
    toy layer of `recipes` (beside the fixture's core layer) with the real `bitbake`."""
    t = Toaster(work)
    t("owner", "add", "alice")
    layers = [toy_bitbake.core_layer(work, bitbake), toy_bitbake.toy_layer(work, "toy", recipes)]
    t.project("demo", layers, bitbake, targets)
    t.layers = layers  # type: ignore[attr-defined]
    return t
