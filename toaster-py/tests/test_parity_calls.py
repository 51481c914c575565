"""The binding of the calls that match CLI commands (owners, groups, audit, settings, imports,
BitBake, conf evaluation, schema, tasks, logs, event logs, archives): arguments and results
reach Python intact, as `--json` prints them, with times as datetimes and hints in Python's
words. The rules behind each call are tested in toaster-core."""

import datetime
import json
import warnings
from pathlib import Path

import pytest

import toaster_rs

UTC = datetime.timezone.utc


@pytest.fixture
def db(tmp_path: Path):
    with toaster_rs.Toaster.init(tmp_path / "toaster.sqlite") as db:
        yield db


@pytest.fixture
def alice(db: toaster_rs.Toaster) -> toaster_rs.Actor:
    return db.add_first_owner("alice", email="a@example.com", client="pytest")


@pytest.fixture
def demo(alice: toaster_rs.Actor, tmp_path: Path) -> toaster_rs.Project:
    return alice.create_project("demo", tmp_path / "demo", release="scarthgap")


def test_owners_groups_and_the_audit_log(db, alice):
    alice.add_owner("bob")
    assert alice.owner_named("bob").name == "bob"
    assert alice.edit_owner("bob", email="b@example.com").email == "b@example.com"
    assert alice.set_admin("bob").admin and not alice.set_admin("bob", admin=False).admin
    group = alice.add_group("devs")
    assert (group["name"], group["members"]) == ("devs", [])
    assert group["created_at"].tzinfo is UTC
    assert alice.add_member("devs", "bob")["members"] == ["bob"]
    assert alice.remove_member("devs", "bob")["members"] == []
    assert [g["name"] for g in alice.groups()] == ["devs"]
    entries = alice.audit(owner="alice", limit=3)
    assert len(entries) == 3 and entries[0]["action"] == "group.members"
    assert isinstance(entries[0]["at"], datetime.datetime) and entries[0]["at"].tzinfo is UTC
    assert alice.audit(since="2000-01-01", project="none") == []
    with pytest.raises(toaster_rs.ValidationError):
        alice.audit(since="yesterday")
    assert alice.default_mode() == "owner=rcbd,group=r,others="
    assert alice.set_default_mode("group=rc") == "owner=rcbd,group=rc,others="
    with pytest.raises(toaster_rs.PermissionDeniedError) as denied:
        db.act_as("bob", client="pytest").set_default_mode("others=r")
    assert denied.value.hint == "ask an admin to do it, or to make you one (`Actor.set_admin(NAME)`)"


def test_settings_are_read_set_and_cleared(alice):
    by_name = {s["name"]: s for s in alice.settings()}
    assert by_name["archive.dir"]["value"] is None and by_name["archive.dir"]["about"]
    assert alice.set_setting("archive.dir", "/srv/archives")["value"] == "/srv/archives"
    assert alice.set_setting("archive.dir", None)["value"] is None
    with pytest.raises(toaster_rs.ValidationError):
        alice.set_setting("no.such.setting", "1")


def test_build_hosts_and_their_settings(alice):
    assert alice.build_hosts() == []
    settings = alice.set_host_settings("bh1", {"DL_DIR": "/srv/dl", "BB_NUMBER_THREADS": "8"})
    assert settings == {"BB_NUMBER_THREADS": "8", "DL_DIR": "/srv/dl"}
    assert alice.set_host_settings("bh1", {"BB_NUMBER_THREADS": None}) == {"DL_DIR": "/srv/dl"}
    assert alice.host_settings("bh1") == {"DL_DIR": "/srv/dl"}
    with pytest.raises(toaster_rs.ValidationError, match="MACHINE is a managed variable"):
        alice.set_host_settings("bh1", {"MACHINE": "qemuarm"})


def test_a_project_imported_from_a_build_directory(alice, tmp_path):
    build = tmp_path / "old" / "build"
    (build / "conf").mkdir(parents=True)
    (build / "conf" / "local.conf").write_text('MACHINE = "qemuarm64"\nIMAGE_FSTYPES = "ext4"\n')
    (build / "conf" / "bblayers.conf").write_text(f'BBLAYERS = "{tmp_path}/missing-layer"\n')
    with pytest.warns(toaster_rs.NotReproducedWarning):
        project = alice.import_project(build, name="old", dir=tmp_path / "old-project")
    config = alice.config(project.name).config
    assert (config["machine"], config["variables"]["IMAGE_FSTYPES"]) == ("qemuarm64", "ext4")


def test_where_builds_get_bitbake(alice, demo, tmp_path):
    source = alice.bitbake("demo")
    assert (source["project"], source["kind"]) == ("demo", "git") and source["url"]
    checkout = tmp_path / "bitbake"
    (checkout / "bin").mkdir(parents=True)
    (checkout / "bin" / "bitbake").write_text("#!/bin/sh\n")
    (checkout / "lib" / "bb").mkdir(parents=True)
    outcome = alice.set_bitbake("demo", path=checkout)
    assert outcome.changed
    assert alice.bitbake("demo")["path"] == str(checkout.resolve())
    assert not alice.update_bitbake("demo").changed, "a local checkout is left as it is"
    with pytest.raises(TypeError):
        alice.set_bitbake("demo", path=checkout, git="https://example.com/bitbake")


def test_layers_are_shown_one_at_a_time_and_updates_refused_for_local_ones(alice, demo, tmp_path):
    layer = tmp_path / "meta-mine"
    (layer / "conf").mkdir(parents=True)
    (layer / "conf" / "layer.conf").write_text(
        'BBFILE_COLLECTIONS += "mine"\nBBFILE_PATTERN_mine = "^${LAYERDIR}/"\n'
        'LAYERVERSION_mine = "3"\nLAYERSERIES_COMPAT_mine = "scarthgap"\n'
    )
    alice.add_layer("demo", path=layer)
    shown = alice.layer("demo", "meta-mine")
    assert (shown.name, shown.version, shown.series_compat) == ("meta-mine", "3", ["scarthgap"])
    with pytest.raises(toaster_rs.ToasterError):
        alice.update_layers("demo", name="meta-mine")
    with pytest.raises(toaster_rs.NotFoundError) as missing:
        alice.layer("demo", "meta-none")
    assert missing.value.hint == "`Actor.layers('demo')` shows its layers"


def test_conf_files_are_evaluated_as_bitbake_does(tmp_path):
    conf = tmp_path / "local.conf"
    conf.write_text('A = "1"\nB = "${A}2"\nC = "${C}"\nKEY_${A} = "x"\nKEY_1 = "y"\n')
    with pytest.warns(toaster_rs.ConfigWarning, match="replaces original key KEY_1"):
        evaluated = toaster_rs.eval_conf([conf], ("B", "UNSET", "C"))
    assert evaluated["files"] == [str(conf)]
    assert evaluated["variables"] == {"B": "12", "UNSET": None}
    assert list(evaluated["unexpandable"]) == ["C"]
    with pytest.raises(toaster_rs.NotFoundError):
        toaster_rs.eval_conf([tmp_path / "none.conf"])


def test_the_schema_lists_the_variables(db):
    names = {spec["name"] for spec in db.schema()["variables"]}
    assert {"MACHINE", "IMAGE_FSTYPES"} <= names


def _event_log(path: Path) -> Path:
    header = {
        "format": "toaster-events",
        "version": 1,
        "build": {"project": "demo", "host": "farm7", "build_dir": "/srv/farm7/build", "started_at": 1795765414000},
    }
    events = [
        header,
        {"event": "task_started", "recipe": "zlib", "task": "do_compile", "at": 1795765416000},
        {"event": "log", "level": "warning", "text": "QA", "task": "zlib:do_compile", "file": None, "line": None, "at": 1795765417000},
        {"event": "task_finished", "recipe": "zlib", "task": "do_compile", "outcome": "succeeded", "at": 1795765476000},
        {"event": "build_completed", "state": "succeeded", "at": 1795765500000},
    ]
    path.write_text("".join(json.dumps(e) + "\n" for e in events))
    return path


def test_tasks_logs_and_event_logs(alice, demo, tmp_path):
    imported = alice.import_events(_event_log(tmp_path / "farm7.jsonl"))
    assert (imported["events"], imported["skipped"], imported["stopped"]) == (4, [], None)
    build_id = imported["build"]["id"]
    assert imported["build"]["started_at"] == datetime.datetime(2026, 11, 27, 7, 43, 34, tzinfo=UTC)
    [task] = alice.tasks(build_id, outcome="succeeded", sort="elapsed")
    assert (task["recipe"], task["task"], task["elapsed_ms"]) == ("zlib", "do_compile", 60000)
    assert task["started_at"] == datetime.datetime(2026, 11, 27, 7, 43, 36, tzinfo=UTC)
    assert alice.tasks(build_id, outcome="running") == []
    with pytest.raises(ValueError):
        alice.tasks(build_id, sort="size")
    [message] = alice.log(build_id, level="warning")
    assert (message["level"], message["text"]) == ("warning", "QA")
    assert message["at"] == datetime.datetime(2026, 11, 27, 7, 43, 37, tzinfo=UTC)
    assert alice.log(build_id, level="error") == []
    build = alice.build(build_id)
    assert build.ended_at == datetime.datetime(2026, 11, 27, 7, 45, 0, tzinfo=UTC)
    assert (build.revision, build.log_path) == (None, None), "imported: revision unknown, no log here"


def test_builds_are_archived_by_age(alice, demo, tmp_path):
    build_id = alice.import_events(_event_log(tmp_path / "farm7.jsonl"))["build"]["id"]
    assert alice.archive_builds(older_than="2026-11-01") == [], "it ended after that"
    [archived] = alice.archive_builds(older_than="0d", project="demo")
    assert (archived["build"], archived["error"]) == (build_id, None)
    assert Path(archived["archive"] or "").is_file() and archived["files_left_out"] == []
    assert alice.archive_builds(older_than="0d") == [], "archived already"
    with pytest.raises(toaster_rs.ValidationError):
        alice.archive_builds(older_than="a while")


def test_hints_name_python_calls(alice, demo):
    with pytest.raises(toaster_rs.ValidationError) as no_targets:
        alice.request_build("demo")
    assert no_targets.value.hint == (
        "name what to build (`Actor.request_build('demo', targets=[TARGET, ...])`), "
        "or set the project's targets (`Actor.set('demo', 'targets', 'TARGET ...')`)"
    )
    with pytest.raises(toaster_rs.NotFoundError) as no_build:
        alice.build(404)
    assert no_build.value.hint == "`Actor.builds(visibility='all')` lists the builds you may read"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(toaster_rs.NotFoundError) as no_recipe:
            alice.recipe_text("demo", "hello")
    assert "`Actor.imported_recipes('demo')`" in (no_recipe.value.hint or "")


def test_two_builds_compare(alice, demo, tmp_path):
    def build(name: str, size: int, value: str) -> int:
        log = _event_log(tmp_path / name)
        lines = log.read_text().splitlines()
        extra = [
            {"event": "package", "name": "zlib", "version": "1.3-r0", "size": size, "recipe": "zlib", "depends": []},
            {"event": "variable", "name": "IMAGE_INSTALL", "value": value},
            {"event": "package_files", "package": "zlib", "files": [{"path": "/usr/lib/libz.so.1", "size": size}]},
            {"event": "image_packages", "target": "core-image-minimal", "packages": [
                {"name": "packagegroup-core-boot", "size": 0, "depends": [{"name": "zlib", "kind": "recommends"}]},
                {"name": "zlib", "size": size}]},
            {"event": "image_files", "target": "core-image-minimal", "files": [
                {"path": "/usr/lib/libz.so.1", "size": size, "type": "file", "mode": "-rwxr-xr-x",
                 "owner": "root", "group": "root"}]},
        ]
        log.write_text("\n".join(lines[:-1] + [json.dumps(e) for e in extra] + lines[-1:]) + "\n")
        return int(alice.import_events(log)["build"]["id"])

    first, second = build("a.jsonl", 100, "zlib"), build("b.jsonl", 150, "zlib htop")
    compared = alice.compare_builds(first, second)
    assert (compared["from"], compared["to"]) == (first, second)
    assert compared["variables"] == [{"name": "IMAGE_INSTALL", "from": "zlib", "to": "zlib htop"}]
    assert compared["packages"]["changed"][0]["size_change"] == 50
    assert alice.packages(first)[0]["relations"] == {}
    with pytest.raises(toaster_rs.NotFoundError):
        alice.compare_builds(first, 999)
    assert compared["images"] == [{"target": "core-image-minimal", "from": 100, "to": 150, "change": 50}]


def test_package_and_image_contents(alice, demo, tmp_path):
    log = _event_log(tmp_path / "c.jsonl")
    lines = log.read_text().splitlines()
    extra = [
        {"event": "package", "name": "zlib", "version": "1.3-r0", "size": 9, "recipe": "zlib", "depends": []},
        {"event": "package_files", "package": "zlib", "files": [{"path": "/usr/lib/libz.so.1", "size": 9}]},
        {"event": "image_packages", "target": "core-image-minimal", "packages": [
            {"name": "packagegroup-core-boot", "size": 0, "depends": [{"name": "zlib", "kind": "recommends"}]},
            {"name": "zlib", "size": 9}]},
        {"event": "image_files", "target": "core-image-minimal", "files": [
            {"path": "/usr/lib", "size": 0, "type": "dir", "mode": "drwxr-xr-x", "owner": "root", "group": "root"},
            {"path": "/usr/lib/libz.so.1", "size": 9, "type": "file", "mode": "-rwxr-xr-x",
             "owner": "root", "group": "root"}]},
    ]
    log.write_text("\n".join(lines[:-1] + [json.dumps(e) for e in extra] + lines[-1:]) + "\n")
    build_id = int(alice.import_events(log)["build"]["id"])
    assert alice.package_files(build_id, "zlib") == [{"path": "/usr/lib/libz.so.1", "size": 9}]
    assert alice.images(build_id) == [{"target": "core-image-minimal", "packages": 2, "files": 2, "size": 9}]
    installed = alice.image_packages(build_id, "core-image-minimal")
    assert installed[0]["depends"] == {"recommends": ["zlib"]}
    assert alice.package_why(build_id, "core-image-minimal", "zlib") == [
        {"package": "packagegroup-core-boot", "kind": None},
        {"package": "zlib", "kind": "recommends"},
    ]
    listing = alice.image_files(build_id, "core-image-minimal", under="/usr", largest=1)
    assert (listing["matched"], listing["total_size"], listing["files"][0]["type"]) == (2, 9, "file")
    with pytest.raises(toaster_rs.NotFoundError) as raised:
        alice.package_why(build_id, "core-image-minimal", "htop")
    assert "Actor.image_packages(" in str(raised.value.hint)
