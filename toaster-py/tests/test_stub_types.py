"""The stubs type what the binding returns: a script using them passes `mypy --strict`, and
one passing a state that does not exist is refused."""

import subprocess
import sys
from pathlib import Path

import pytest

mypy = pytest.importorskip("mypy")

USES = '''
import datetime
from typing import Optional

import toaster_rs
from toaster_rs.types import BuildState, WarningKind


def use(db: toaster_rs.Toaster, actor: toaster_rs.Actor) -> None:
    build = actor.build(1)
    state: BuildState = build.state
    started: datetime.datetime = build.started_at
    config = actor.config("demo").config
    machine: Optional[str] = config["machine"]
    urls = [layer["url"] for layer in config["layers"]]
    kind: WarningKind = actor.set("demo", "X", "1").warnings[0]["kind"]
    made: datetime.datetime = actor.groups()[0]["created_at"]
    actor.add("demo", "packages", ("strace", "htop"))
    actor.add("demo", "packages", "strace")
    actor.builds(visibility="hidden")
    values = toaster_rs.eval_conf(["local.conf"], names=("MACHINE",))["variables"]
    specs = db.schema()["variables"]
'''


def check(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    script = tmp_path / "uses.py"
    script.write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def test_a_script_using_the_types_passes_mypy_strict(tmp_path):
    checked = check(tmp_path, USES)
    assert checked.returncode == 0, checked.stdout


def test_a_state_that_does_not_exist_is_refused(tmp_path):
    checked = check(tmp_path, USES + '    actor.builds(visibility="hiden")\n')
    assert checked.returncode == 1 and "visibility" in checked.stdout, checked.stdout
