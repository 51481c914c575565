"""Tests of the Python binding itself: conversions, keyword arguments, errors, resources.

The rules behind each call are tested in toaster-core; here we check that they reach
Python intact.
"""

import datetime
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

import toaster_rs


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


def test_owner_and_project_values_convert(alice, demo, tmp_path):
    assert alice.owner.name == "alice"
    assert alice.owner.email == "a@example.com"
    assert alice.owner.client == "pytest"
    assert alice.client == "pytest"
    assert (demo.name, demo.release, demo.owner, demo.revision) == ("demo", "scarthgap", "alice", 1)
    assert (demo.group, demo.mode) == (None, "owner=rcbd,group=r,others=")
    assert alice.owner.admin
    assert Path(demo.dir) == (tmp_path / "demo").resolve()
    # Times are datetimes in UTC, to the millisecond.
    assert demo.created_at.tzinfo is datetime.timezone.utc
    assert abs(datetime.datetime.now(datetime.timezone.utc) - demo.created_at).total_seconds() < 60
    assert demo.created_at.microsecond % 1000 == 0
    assert [p.name for p in alice.projects()] == ["demo"]
    assert repr(demo).startswith("Project(name='demo', release='scarthgap', revision=1")
    assert repr(alice) == "Actor(owner='alice', client='pytest')"


def test_configuration_round_trips_through_dicts(alice, demo):
    outcome = alice.set("demo", "IMAGE_FSTYPES", "ext4 wic")
    assert outcome.changed and outcome.revision.number == 2
    assert not alice.set("demo", "IMAGE_FSTYPES", "ext4 wic").changed
    alice.add("demo", "targets", ["core-image-minimal", "core-image-sato:populate_sdk"])
    assert alice.get("demo", "targets") == "core-image-minimal core-image-sato:do_populate_sdk"
    assert alice.get("demo", "NOT_SET") is None
    config = alice.config("demo").config
    assert config["machine"] == "qemux86-64"
    assert config["variables"]["IMAGE_FSTYPES"] == "ext4 wic"
    assert config["targets"] == ["core-image-minimal", "core-image-sato:do_populate_sdk"]
    assert config["layers"][0] == {
        "name": "openembedded-core",
        "source": "git",
        "path": None,
        "url": "https://git.openembedded.org/openembedded-core",
        "ref": "scarthgap",
        "subdir": "meta",
        "commit": None,
    }
    assert alice.config("demo", number=1).config["variables"].get("IMAGE_FSTYPES") is None


def test_operators_export_and_flags_reach_the_configuration(alice, demo):
    alice.set("demo", "MACHINE", "qemuarm64", "??=")
    alice.set("demo", "INHERIT", "rm_work", op="+=")
    alice.set("demo", "HTTP_PROXY", "http://proxy:3128", export=True)
    alice.set("demo", "do_fetch[number_threads]", "4")
    with pytest.warns(toaster_rs.ReplacesWarning, match=r'DISTRO_FEATURES:append = " x11"'):
        outcome = alice.set("demo", "DISTRO_FEATURES", "x11")
    assert [w["kind"] for w in outcome.warnings] == ["replaces"]
    config = alice.config("demo").config
    assert config["variables"]["INHERIT"] == {"operations": [{"op": "+=", "value": "rm_work"}]}
    assert config["variables"]["HTTP_PROXY"] == {
        "operations": [{"op": "=", "value": "http://proxy:3128"}],
        "export": True,
    }
    assert config["variables"]["do_fetch[number_threads]"] == "4"
    assert alice.get("demo", "machine") == '??= "qemuarm64"'
    assert [r.description for r in alice.history("demo")][1:3] == [
        'set machine ??= "qemuarm64"',
        'set INHERIT += "rm_work"',
    ]
    with pytest.raises(ValueError, match="unknown operator"):
        alice.set("demo", "A", "1", op="==")  # type: ignore[arg-type]


def test_history_undo_revert_reset(alice, demo):
    alice.set("demo", "machine", "qemuarm64")
    undo = alice.undo("demo")
    assert undo.revision.restores == 1
    assert alice.get("demo", "machine") == "qemux86-64"
    assert alice.revert("demo", to=2).revision.config["machine"] == "qemuarm64"
    assert alice.reset("demo").revision.description == "reset to the scarthgap defaults"
    assert [r.number for r in alice.history("demo")] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "call, exception, builtin",
    [
        (lambda a: a.project("missing"), toaster_rs.NotFoundError, LookupError),
        (lambda a: a.set("demo", "machine", "bad machine"), toaster_rs.ValidationError, ValueError),
        (lambda a: a.set("demo", "A", "x", base=0), toaster_rs.ConflictError, toaster_rs.ToasterError),
        (lambda a: a.add_owner("ALICE"), toaster_rs.AlreadyExistsError, ValueError),
        (lambda a: a.undo("demo"), toaster_rs.ValidationError, ValueError),
        (lambda a: a.revert("demo", to=7), toaster_rs.NotFoundError, LookupError),
    ],
)
def test_core_errors_map_to_their_exceptions(alice, demo, call, exception, builtin):
    with pytest.raises(exception) as caught:
        call(alice)
    assert isinstance(caught.value, builtin)
    assert isinstance(caught.value, toaster_rs.ToasterError)
    assert str(caught.value)


def test_errors_carry_a_hint(alice, demo):
    with pytest.raises(toaster_rs.NotFoundError) as caught:
        alice.project("missing")
    # In Python's words, not the command line's.
    assert caught.value.hint == "`Actor.projects()` shows the projects"


def test_opening_what_is_not_a_database(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database\n" * 100)
    with pytest.raises(toaster_rs.DatabaseError):
        toaster_rs.Toaster.open(bogus)
    with pytest.raises(toaster_rs.NotFoundError):
        toaster_rs.Toaster.open(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_closed_database_refuses_use(tmp_path):
    db = toaster_rs.Toaster.init(tmp_path / "t.sqlite")
    db.add_first_owner("alice")
    db.close()
    with pytest.raises(ValueError, match="closed"):
        db.act_as("alice")


def test_remembered_owner_per_client(db, alice):
    alice.add_owner("bob")
    assert db.act_as_remembered(client="pytest").owner.name == "alice"
    db.use_owner("bob", client="pytest")
    assert db.act_as_remembered(client="pytest").owner.name == "bob"
    with pytest.raises(toaster_rs.ValidationError):
        db.act_as_remembered(client="nobody")


def test_calls_release_the_gil_for_other_threads(alice, demo):
    errors = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                alice.add("demo", "packages", [f"pkg{n}-{i}"])
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(alice.config("demo").config["packages"]) == 40


def test_delete_project_with_files(alice, demo):
    deleted = alice.delete_project("demo", files=True)
    assert deleted.name == "demo"
    assert not Path(demo.dir).exists()
    assert alice.projects() == []


def test_permissions_reach_python(db, alice, demo, tmp_path):
    alice.add_owner("bob")
    bob = db.act_as("bob", client="pytest")
    assert bob.projects() == []
    with pytest.raises(toaster_rs.PermissionDeniedError) as caught:
        bob.set("demo", "machine", "qemuarm")
    assert isinstance(caught.value, PermissionError)
    assert "may not configure project `demo`" in str(caught.value)
    assert alice.chmod("demo", "others=rc").mode == "owner=rcbd,group=r,others=rc"
    assert bob.set("demo", "machine", "qemuarm").changed
    assert [p.name for p in bob.projects()] == ["demo"]
    assert bob.projects(mine=True) == []
    assert alice.chown("demo", "bob").owner == "bob"
    assert alice.chgrp("demo", None).group is None


def test_recording_a_build_from_python(alice, demo):
    build = alice.start_build("demo", host="laptop")
    assert (build.project, build.state, build.host) == ("demo", "queued", "laptop")
    with alice.recorder(build.id, max_writes=2) as recorder:
        assert recorder.build_id == build.id
        recorder.record({"event": "task_started", "recipe": "zlib", "task": "do_compile", "at": 1000})
        recorder.record_json(
            '{"event": "task_finished", "recipe": "zlib", "task": "do_compile", "outcome": "succeeded", "at": 3000}\n'
            '{"event": "log", "level": "error", "text": "boom", "task": null, "file": null, "line": null, "at": 3000}\n'
        )
        recorder.finish("failed")
    read = alice.build(build.id)
    assert (read.state, read.errors, read.tasks) == ("failed", 1, {"succeeded": 1})
    with pytest.raises(ValueError, match="has ended"):
        recorder.flush()
    assert [b.id for b in alice.builds("demo")] == [build.id]
    assert alice.hide_build(build.id).hidden
    assert alice.builds("demo") == []
    assert alice.delete_build(build.id).id == build.id


def test_a_recorder_refuses_what_is_not_an_event(alice, demo):
    build = alice.start_build("demo", host="laptop")
    recorder = alice.recorder(build.id)
    recorder.record({"event": "from_a_newer_bitbake", "x": 1})  # unknown kinds are skipped
    assert recorder.pending == 0
    with pytest.raises(toaster_rs.ValidationError, match="line 1 is not an event"):
        recorder.record({"event": "task_started", "recipe": 5})
    with pytest.raises(toaster_rs.ValidationError, match="line 2"):
        recorder.record_json('{"event": "heartbeat", "at": null}\n{"nonsense": 1}\n')
    with pytest.raises(toaster_rs.ToasterError):
        alice.recorder(build.id + 100)


def test_an_exception_in_the_block_ends_the_build_as_failed(alice, demo):
    build = alice.start_build("demo", host="laptop")
    with pytest.raises(RuntimeError):
        with alice.recorder(build.id) as recorder:
            recorder.record({"event": "parse_started", "total": 3})
            raise RuntimeError("the build tool broke")
    assert alice.build(build.id).state == "failed"


def test_builds_are_queued_cancelled_and_waited_for(alice, demo):
    with pytest.raises(toaster_rs.ValidationError) as refused:
        alice.request_build("demo")
    assert "no targets" in str(refused.value) and refused.value.hint
    queued = alice.request_build("demo", targets=["core-image-minimal"], host="desk", run_on="farm1")
    assert (queued.state, queued.targets, queued.host) == ("queued", ["core-image-minimal"], "desk")
    waited = alice.wait_for_build(queued.id, timeout=0.1)
    assert waited.state == "queued", "the time ran out first"
    assert alice.cancel_build(queued.id).state == "cancelled"
    assert alice.wait_for_build(queued.id).state == "cancelled"
    with pytest.raises(toaster_rs.ValidationError):
        alice.cancel_build(queued.id)
    by_hand = alice.start_build("demo", host="laptop")
    with pytest.raises(toaster_rs.ValidationError) as not_ours:
        alice.cancel_build(by_hand.id)
    assert "by hand" in str(not_ours.value)


def test_command_line_builds_have_one_project(db, alice):
    project = alice.command_line_project()
    assert project.name == "command-line-builds"
    assert alice.command_line_project().name == project.name
def test_values_are_checked_and_warnings_reach_python(tmp_path):
    with toaster_rs.Toaster.init(tmp_path / "t.sqlite") as db:
        alice = db.add_first_owner("alice")
        project = alice.create_project("demo", tmp_path / "demo", release="scarthgap")
        with pytest.warns(toaster_rs.ConfigWarning, match="did you mean MACHINE") as issued:
            outcome = alice.set("demo", "MACHNIE", "qemuarm")
        assert outcome.changed and outcome.warnings[0]["kind"] == "variable"
        assert "did you mean MACHINE?" in outcome.warnings[0]["message"]
        # Issued where the call was made, as the category of its kind, which scripts filter.
        assert issued[0].filename == __file__ and issued[0].category is toaster_rs.VariableWarning
        with pytest.raises(toaster_rs.ValidationError) as refused:
            alice.set("demo", "PACKAGE_CLASSES", "package_rmp")
        assert "did you mean `package_rpm`?" in refused.value.hint
        with pytest.raises(toaster_rs.ValidationError):
            alice.set("demo", "IMAGE_FSTYPS", "ext4", strict=True)
        conf = Path(project.dir) / "build" / "conf" / "toaster.conf"
        assert 'MACHNIE = "qemuarm"' in conf.read_text()
        assert alice.write_conf("demo") == []


def _layer(dir: Path, collection: str, extra: str = "") -> Path:
    (dir / "conf").mkdir(parents=True)
    (dir / "conf" / "layer.conf").write_text(
        f'BBFILE_COLLECTIONS += "{collection}"\n'
        f'BBFILE_PATTERN_{collection} = "^${{LAYERDIR}}/"\n'
        f'BBFILE_PRIORITY_{collection} = "7"\n'
        f'LAYERSERIES_COMPAT_{collection} = "scarthgap"\n{extra}'
    )
    return dir


def test_layers_from_python(alice, demo, tmp_path):
    base = _layer(tmp_path / "stack" / "meta-base", "base")
    app = _layer(tmp_path / "stack" / "meta-app", "app", 'LAYERDEPENDS_app = "base"\n')
    with pytest.raises(toaster_rs.ValidationError, match=r"base \(needed by meta-app\)") as refused:
        alice.add_layer("demo", path=app)
    assert "with_dependencies=True" in (refused.value.hint or "")
    outcome = alice.add_layer("demo", path=str(app), with_dependencies=True)
    assert outcome.changed and outcome.revision.number == 2
    layers = alice.layers("demo")
    assert [l.name for l in layers][-2:] == ["meta-base", "meta-app"]
    added = layers[-1]
    assert (added.source, added.ref, added.commit) == ("local", None, None)
    assert Path(added.path or "") == app.resolve()
    assert (added.collections, added.priority, added.depends) == (["app"], 7, ["base"])
    core = layers[0]
    assert (core.source, core.ref, core.subdir) == ("git", "scarthgap", "meta")
    assert repr(added) == "Layer(name='meta-app', source='local', ref=None, commit=None)"
    with pytest.raises(toaster_rs.ValidationError, match="meta-app depends on meta-base"):
        alice.remove_layers("demo", ["meta-base"])
    assert alice.remove_layers("demo", ["meta-app", "meta-base"]).revision.number == 3
    with pytest.raises(toaster_rs.NotFoundError):
        alice.add_layer("demo", git=str(tmp_path / "no-repo"), subdir="meta")
    with pytest.raises(TypeError):
        alice.add_layer("demo", path=base, ref="main")


def test_clone_warnings_reach_python(alice, demo, tmp_path):
    repo = tmp_path / "meta-stack"
    _layer(repo / "meta-base", "base")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    alice.add_layer("demo", git=str(repo), ref="main", subdir="meta-base")
    alice.clone_project("demo", "copy", tmp_path / "copy")
    assert (tmp_path / "copy" / "layers" / "meta-stack" / "meta-base" / "conf").is_dir()
    shutil.rmtree(tmp_path / "demo" / "layers" / "meta-stack" / ".git" / "objects")
    with pytest.warns(UserWarning, match="updating the new project's layers"):
        alice.clone_project("demo", "copy2", tmp_path / "copy2")


def test_a_build_run_by_hand_records_what_bitbake_saw(alice, demo):
    build = alice.start_build(
        "demo",
        host="laptop",
        machine="qemuarm64",
        targets=["core-image-sato:populate_sdk"],
        layers=[{"name": "meta", "source": "/srv/poky/meta", "commit": "abc123"}],
    )
    assert (build.machine, build.distro, build.targets) == ("qemuarm64", "poky", ["core-image-sato:do_populate_sdk"])
    with pytest.raises(ValueError, match="name"):
        alice.start_build("demo", host="laptop", layers=[{"source": "/x"}])
    with alice.recorder(build.id) as recorder:
        recorder.record({"event": "recipe", "name": "zlib", "version": "1.3", "layer": "meta", "file": "/z.bb"})
        recorder.record({"event": "package", "name": "zlib", "version": "1.3", "size": 10, "recipe": "zlib", "depends": ["libc"]})
        recorder.record({"event": "artifact", "kind": "image", "dir": "/deploy", "path": "img.ext4", "size": 4, "sha256": "ab" * 32})
        recorder.finish()
    assert alice.recipes(build.id) == [
        {"name": "zlib", "version": "1.3", "layer": "meta", "file": "/z.bb",
         "licence": None, "summary": None, "section": None, "homepage": None}
    ]
    assert alice.packages(build.id)[0]["depends"] == ["libc"]
    assert alice.artifacts(build.id) == [
        {"name": "img.ext4", "kind": "image", "size": 4, "sha256": "ab" * 32, "path": "/deploy/img.ext4"}
    ]


def test_a_background_recorder_hands_batches_to_its_own_thread(alice, demo):
    build = alice.start_build("demo", host="laptop")
    background = alice.background_recorder(build.id)
    background.submit_json('{"event": "task_started", "recipe": "zlib", "task": "do_compile", "at": 1}')
    background.submit_json('{"event": "task_started", "recipe": 5}')
    background.submit_json('{"event": "task_finished", "recipe": "zlib", "task": "do_compile", "outcome": "succeeded", "at": 9}')
    left = background.finish("succeeded")
    assert len(left) == 1 and isinstance(left[0], toaster_rs.ValidationError)
    read = alice.build(build.id)
    assert (read.state, read.tasks) == ("succeeded", {"succeeded": 1})
    with pytest.raises(ValueError, match="has ended"):
        background.submit_json("")


def test_a_background_recorder_reports_what_went_wrong(alice, demo):
    import time

    build = alice.start_build("demo", host="laptop")
    background = alice.background_recorder(build.id)
    background.submit_json('{"event": "task_started", "recipe": 5}')
    errors = []
    for _ in range(1000):
        errors = background.take_errors()
        if errors:
            break
        time.sleep(0.001)
    assert len(errors) == 1 and isinstance(errors[0], toaster_rs.ValidationError)
    assert "line 1 is not an event" in str(errors[0])
    background.finish("failed")


def test_hooks_are_configured_and_delivered_from_python(alice, demo, tmp_path):
    seen = tmp_path / "seen"
    script = tmp_path / "hook"
    script.write_text('#!/bin/sh\necho "$TOASTER_BUILD_STATE" > "$1"\n')
    script.chmod(0o755)
    outcome, hook_id = alice.add_hook("demo", on="failure", run=[str(script), str(seen)])
    assert outcome.changed and hook_id == 1
    assert alice.hooks("demo") == [{"id": 1, "on": "failure", "kind": "run", "argv": [str(script), str(seen)]}]
    with pytest.raises(toaster_rs.ValidationError):
        alice.add_hook("demo", on="failure", email=["a@b.c"], webhook="http://h/")
    with pytest.raises(toaster_rs.ValidationError):
        alice.add_hook("demo", on="never", email=["a@b.c"])
    build = alice.start_build("demo", host=socket.gethostname())
    alice.recorder(build.id).finish("failed")
    assert [d["state"] for d in alice.hook_deliveries(build.id)] == ["pending"]
    [attempt] = alice.deliver_hooks(build_id=build.id)
    assert (attempt["build"], attempt["hook_id"], attempt["kind"]) == (build.id, 1, "run")
    assert (attempt["state"], attempt["attempt"], attempt["delivered"], attempt["status"]) == ("delivered", 1, True, 0)
    assert seen.read_text() == "failed\n"
    assert alice.deliver_hooks() == []
    assert alice.remove_hook("demo", 1).changed and alice.hooks("demo") == []


def test_artifacts_archives_and_cleaning_from_python(alice, demo, tmp_path):
    build_dir = tmp_path / "demo" / "build"
    deploy = build_dir / "tmp" / "deploy"
    deploy.mkdir(parents=True)
    (deploy / "core.wic").write_bytes(b"image")
    build = alice.start_build("demo", host=socket.gethostname(), build_dir=str(build_dir))
    with alice.recorder(build.id) as recorder:
        recorder.record({"event": "artifact", "kind": "image", "dir": str(deploy), "path": "core.wic"})
        recorder.finish("failed")
    [image] = alice.artifacts(build.id, kind="image")
    assert (image["name"], image["size"], image["sha256"][:8]) == ("core.wic", 5, "6105d6cc")
    with pytest.raises(toaster_rs.ValidationError):
        alice.artifacts(build.id, kind="movie")

    [copy] = alice.download_artifacts(build.id, ["core.wic"], tmp_path / "out")
    assert (copy["changed"], copy["from_archive"], Path(copy["path"]).read_bytes()) == (False, False, b"image")
    (deploy / "core.wic").write_bytes(b"IMAGE")
    with pytest.raises(toaster_rs.ConflictError):
        alice.download_artifacts(build.id, ["core.wic"], tmp_path / "again")
    with pytest.raises(toaster_rs.NotFoundError):
        alice.download_artifacts(build.id, ["nope"], tmp_path / "again")
    assert alice.download_artifacts(build.id, ["core.wic"], tmp_path / "again", force=True)[0]["changed"]

    assert alice.archive_on_end(build.id) is None  # archive.on-end is off
    with pytest.raises(toaster_rs.ValidationError, match="not archived"):
        alice.clean_project("demo")
    archive = alice.archive_build(build.id, with_images=True)
    assert alice.build(build.id).archive == archive
    assert alice.clean_project("demo") == str((build_dir / "tmp").resolve())
    assert alice.clean_project("demo") is None

    imported = alice.import_archive(archive, project="demo")
    assert (imported.state, imported.archive != archive) == ("failed", True)
    assert "build %d of project demo" % build.id in imported.origin


def test_bundles_and_kas_from_python(alice, demo, tmp_path):
    alice.remove_layers("demo", [layer.name for layer in alice.layers("demo")])
    with pytest.warns(toaster_rs.ConfigWarning, match="MY_SETTING"):
        alice.set("demo", "MY_SETTING", "on")
    alice.set("demo", "DL_DIR", "/srv/downloads")  # this host's, never exported
    exported = alice.export_bundle("demo", tmp_path / "demo.zip")
    assert exported["path"] == str(tmp_path / "demo.zip") and exported["revision"] == demo.revision + 3
    assert any(line.startswith("DL_DIR") for line in exported["left_out"])
    with pytest.warns(UserWarning, match="MY_SETTING"):
        copy = alice.import_bundle(tmp_path / "demo.zip", name="copy", dir=tmp_path / "copy")
    assert alice.get("copy", "MY_SETTING") == "on" and copy.name == "copy"
    with pytest.raises(toaster_rs.ValidationError, match="MY_SETTING"):
        alice.import_bundle(tmp_path / "demo.zip", name="strict", dir=tmp_path / "strict", strict=True)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(toaster_rs.ValidationError):
        alice.import_bundle(tmp_path / "junk.zip", name="junk", dir=tmp_path / "junk")
    assert "MY_SETTING" in alice.export_kas("demo")
    assert alice.export_kas("demo", lock=True).startswith("# kas lock file")
    (tmp_path / "demo.yml").write_text(alice.export_kas("demo"))
    with pytest.warns(UserWarning):
        back = alice.import_kas(tmp_path / "demo.yml", name="back", dir=tmp_path / "back", release="scarthgap")
    assert alice.get("back", "MY_SETTING") == "on" and back.release == "scarthgap"
    (tmp_path / "bad.yml").write_text("header: {version: 999}\n")
    with pytest.raises(toaster_rs.ValidationError, match="version"):
        alice.import_kas(tmp_path / "bad.yml", name="bad", dir=tmp_path / "bad")


def test_recipes_imported_from_python(alice, demo, tmp_path):
    src = tmp_path / "tool"
    src.mkdir()
    (src / "meson.build").write_text("project('tool', 'c', version : '0.9')\n")
    dry = alice.import_recipe("demo", path=src, dry_run=True)
    assert (dry["name"], dry["version"], dry["revision"]) == ("tool", "0.9", None)
    assert "inherit meson" in dry["text"] and any("licence" in n.lower() for n in dry["notes"])
    done = alice.import_recipe("demo", path=src, add_to_image=True)
    assert done["revision"] == alice.project("demo").revision
    assert alice.imported_recipes("demo") == [{"name": "tool", "version": "0.9", "path": done["path"], "built": True}]
    with pytest.raises(toaster_rs.AlreadyExistsError):
        alice.import_recipe("demo", path=src)
    with pytest.raises(ValueError):
        alice.import_recipe("demo")
    assert alice.remove_recipe("demo", "tool").changed
    with pytest.raises(toaster_rs.NotFoundError):
        alice.remove_recipe("demo", "tool")


def test_history_is_paged_and_revisions_compared_from_python(alice, demo):
    alice.set("demo", "machine", "qemuarm64")
    with pytest.warns(toaster_rs.ConfigWarning, match="GREETING"):
        alice.set("demo", "GREETING", "hi")
    newest = alice.project("demo").revision
    assert [r.number for r in alice.history("demo", limit=2)] == [newest - 1, newest]
    assert alice.history("demo", since="2999-01-01") == []
    assert len(alice.history("demo", since="1h")) == newest
    assert alice.diff("demo", newest) == [{"key": "GREETING", "before": None, "after": "hi"}]
    assert [d["key"] for d in alice.diff("demo", 1, newest)] == ["machine", "GREETING"]
    with pytest.raises(toaster_rs.ValidationError):
        alice.history("demo", since="yesterday-ish")


def test_list_words_may_be_one_string_or_any_sequence(alice, demo):
    alice.add("demo", "packages", "strace")
    alice.add("demo", "packages", ("htop", "tmux"))
    assert alice.get("demo", "packages") == "strace htop tmux"
    alice.remove("demo", "packages", "htop")
    assert alice.get("demo", "packages") == "strace tmux"
    with pytest.raises(TypeError, match="sequence of strings"):
        alice.add("demo", "packages", 7)


def test_an_actor_of_a_closed_database_refuses_every_call(tmp_path):
    db = toaster_rs.Toaster.init(tmp_path / "t.sqlite")
    alice = db.add_first_owner("alice")
    alice.create_project("demo", tmp_path / "demo", release="scarthgap")
    db.close()
    with pytest.raises(ValueError, match="is closed"):
        alice.projects()
    with pytest.raises(ValueError, match="is closed"):
        alice.set("demo", "machine", "qemuarm64")
    with pytest.raises(ValueError, match="is closed"):
        db.act_as("alice")
    # Opened again, the change made before is there and nothing after it.
    with toaster_rs.Toaster.open(tmp_path / "t.sqlite") as again:
        assert again.act_as("alice").get("demo", "machine") == "qemux86-64"


def test_layer_aware_check_warnings_have_their_own_categories(alice, demo):
    with pytest.warns(toaster_rs.CheckSkippedWarning, match="tegraflash"):
        outcome = alice.set("demo", "IMAGE_FSTYPES", "wic.bz2 tegraflash")
    assert "check_skipped" in [w["kind"] for w in outcome.warnings]
    assert "toaster " not in str(outcome.warnings), "no command line in Python"
    assert issubclass(toaster_rs.UnknownValueWarning, toaster_rs.ConfigWarning)
    assert issubclass(toaster_rs.NotInLayersWarning, toaster_rs.ConfigWarning)
    assert issubclass(toaster_rs.CheckSkippedWarning, toaster_rs.ConfigWarning)
    assert issubclass(toaster_rs.ReleaseWarning, toaster_rs.ConfigWarning)


def test_tokens_are_made_listed_and_revoked(alice):
    made = alice.create_token(name="phone", expires="90d")
    assert made["token"].startswith("tst_") and len(made["token"]) == 68
    assert (made["name"], made["owner"], made["state"]) == ("phone", "alice", "active")
    assert isinstance(made["expires_at"], datetime.datetime)
    listed = alice.tokens()
    assert [t["name"] for t in listed] == ["phone"]
    assert "token" not in listed[0]
    revoked = alice.revoke_token("phone")
    assert revoked["state"] == "revoked"
    with pytest.raises(toaster_rs.ValidationError):
        alice.create_token(expires="forever")
    with pytest.raises(toaster_rs.NotFoundError):
        alice.revoke_token("nothing")
