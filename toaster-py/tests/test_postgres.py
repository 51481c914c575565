"""The binding on a PostgreSQL database: `Toaster.open("postgres://…")` and `Toaster.init`
work as on a file. Needs the test server (TOASTER_TEST_PG_URL; scripts/test.sh starts one);
without it the test says it was skipped (and fails where TOASTER_TEST_REQUIRE_PG is set)."""

import glob
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

import toaster_rs


def _server_url() -> str:
    url = os.environ.get("TOASTER_TEST_PG_URL", "")
    if url:
        return url
    assert not os.environ.get("TOASTER_TEST_REQUIRE_PG"), "TOASTER_TEST_PG_URL is not set"
    log = os.environ.get("TOASTER_TEST_SKIP_LOG")
    if log:
        with open(log, "a") as f:
            f.write("test_postgres.py\n")
    pytest.skip("SKIPPED: needs PostgreSQL; set TOASTER_TEST_PG_URL (bash scripts/test.sh starts a server)")


def _psql() -> str:
    found = shutil.which("psql") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))), None)
    assert found, "psql is needed to make a test schema"
    return found


@pytest.fixture
def url() -> str:
    """The URL of a new empty schema on the test server."""
    server = _server_url()
    schema = f"toaster_py_{uuid.uuid4().hex}"
    subprocess.run([_psql(), server, "-q", "-c", f"CREATE SCHEMA {schema}"], check=True)
    yield f"{server}{'&' if '?' in server else '?'}options=-c%20search_path%3D{schema}"
    subprocess.run([_psql(), server, "-q", "-c", f"DROP SCHEMA {schema} CASCADE"], check=True)


def _event_log(path: Path) -> Path:
    events = [
        {
            "format": "toaster-events",
            "version": 1,
            "build": {"project": "demo", "host": "farm7", "build_dir": "/srv/farm7/build", "started_at": 1795765414000},
        },
        {"event": "task_started", "recipe": "zlib", "task": "do_compile", "at": 1795765416000},
        {"event": "task_finished", "recipe": "zlib", "task": "do_compile", "outcome": "succeeded", "at": 1795765476000},
        {"event": "build_completed", "state": "succeeded", "at": 1795765500000},
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return path


def test_a_project_and_a_build_on_postgres(url: str, tmp_path: Path):
    with pytest.raises(toaster_rs.ToasterError):
        toaster_rs.Toaster.open(url)  # empty: nothing to open yet
    with toaster_rs.Toaster.init(url) as db:
        alice = db.add_first_owner("alice", client="pytest")
        alice.create_project("demo", tmp_path / "demo", release="scarthgap")
        alice.set("demo", "MACHINE", "qemuarm64")
        build_id = alice.import_events(_event_log(tmp_path / "farm7.jsonl"))["build"]["id"]
    marker = (tmp_path / "demo" / ".toaster-project").read_text()
    assert "database = postgres://toaster@" in marker and "search_path" in marker, marker
    with toaster_rs.Toaster.open(url) as again:
        alice = again.act_as("alice", client="pytest")
        assert alice.get("demo", "MACHINE") == "qemuarm64"
        [build] = alice.builds("demo")
        assert (build.id, build.state, build.host) == (build_id, "succeeded", "farm7")
