"""Fixtures shared by the end-to-end Python tests: BitBake's own parser and the `toaster`
command built by `cargo test`."""

import json
import os
import pathlib
import subprocess
import sys
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bb():
    """BitBake's `bb` library from the PyPI package `bitbake-setup`. Its `siggen` imports
    the hash-equivalence and PR service clients, which that package does not ship and the
    parser never calls: empty stand-in modules satisfy the imports."""
    for name in ("hashserv", "hashserv.client", "prserv", "prserv.serv", "prserv.client"):
        sys.modules.setdefault(name, types.ModuleType(name))
    import bb.data
    import bb.parse

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
