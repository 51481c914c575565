"""Artifacts, downloads, archives and recycling through the ``toaster`` command, on real
``bitbake`` builds of a toy layer that writes an image into ``DEPLOY_DIR_IMAGE``: listed
with checksums, downloaded and checked, a tampered file refused; the build archived, its
build directory cleaned, and its record and files still answered from the archive; the
archive imported into another database; hostile archives refused."""

from __future__ import annotations

import hashlib
import json
import pathlib
import zipfile

import pytest
import toy_bitbake
from toaster_cli import Toaster, toy_project

IMAGE = """LICENSE = "MIT"
python do_image() {
    import os
    deploy = d.getVar("DEPLOY_DIR_IMAGE")
    bb.utils.mkdirhier(deploy)
    with open(os.path.join(deploy, "toy-image.wic"), "wb") as image:
        image.write(bytes(range(256)) * 4096)
    with open(os.path.join(deploy, "toy-image.manifest"), "w") as manifest:
        manifest.write("busybox core2-64 1.36.1\\n")
}
addtask image before do_build
"""

RECIPES = {
    "toy-image_1.0.bb": IMAGE,
    "broken_1.0.bb": toy_bitbake.recipe('    bb.fatal("broken cannot build")'),
}


@pytest.fixture
def toaster(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> Toaster:
    return toy_project(tmp_path, bitbake_dir, RECIPES, "toy-image")


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def built(toaster: Toaster, *targets: str) -> int:
    toaster("build", "start", "demo", *targets, "--wait", check=False)
    return toaster.json("build", "list")[0]["id"]


def test_artifacts_are_listed_downloaded_and_refused_once_tampered(toaster, tmp_path):
    build = built(toaster)
    artifacts = {a["name"]: a for a in toaster.json("build", "artifacts", str(build))}
    deploy = pathlib.Path(artifacts["toy-image.wic"]["path"]).parent
    image = deploy / "toy-image.wic"
    assert artifacts["toy-image.wic"]["kind"] == "image"
    assert artifacts["toy-image.wic"]["sha256"] == sha256(image)
    assert artifacts["toy-image.manifest"]["kind"] == "manifest"
    assert artifacts["conf/local.conf"]["kind"] == "conf"
    assert artifacts["build-%d.log" % build]["kind"] == "log"
    assert [a["name"] for a in toaster.json("build", "artifacts", str(build), "--kind", "image")] == ["toy-image.wic"]

    out = tmp_path / "out"
    copied = toaster.json("build", "download", str(build), "toy-image.wic", "conf/local.conf", "-o", str(out))
    assert [c["changed"] for c in copied] == [False, False]
    assert (out / "toy-image.wic").read_bytes() == image.read_bytes()
    assert (out / "conf" / "local.conf").exists()

    # Tampered after the build: refused (exit 1, nothing written); copied with --force.
    image.write_bytes(b"tampered")
    again = tmp_path / "again"
    refused = toaster("build", "download", str(build), "toy-image.wic", "-o", str(again), check=False)
    assert refused.returncode == 1, refused.stdout
    assert "changed since the build recorded it" in refused.stderr and "--force" in refused.stderr
    assert not (again / "toy-image.wic").exists() and list(again.iterdir()) == []
    forced = toaster.json("build", "download", str(build), "toy-image.wic", "-o", str(again), "--force")
    assert forced[0]["changed"] is True and (again / "toy-image.wic").read_bytes() == b"tampered"

    unknown = toaster("build", "download", str(build), "nope.wic", check=False)
    assert unknown.returncode == 1 and "build artifacts %d" % build in unknown.stderr


def test_an_archived_build_outlives_its_build_directory_and_moves_to_another_database(toaster, tmp_path):
    failed = built(toaster, "toy-image", "broken")
    show = toaster.json("build", "show", str(failed))
    assert show["state"] == "failed"
    image = toaster.json("build", "artifacts", str(failed), "--kind", "image")[0]
    task_logs = toaster.json("build", "artifacts", str(failed), "--kind", "task-log")
    assert [a["name"].split("/")[:2] for a in task_logs] == [["logs", "broken"]]

    # Not archived yet: the build directory is not cleaned.
    refused = toaster("project", "clean", "demo", check=False)
    assert refused.returncode == 1 and "not archived" in refused.stderr

    [archived] = toaster.json("build", "archive", str(failed), "--with-images")
    archive = pathlib.Path(archived["archive"])
    assert archive.parent == toaster.work / "archives" and archive.exists()
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
    assert {"manifest.json", "build.json", "files/toy-image.wic", "files/conf/local.conf", "files/" + task_logs[0]["name"]} <= names
    assert (manifest["format"], manifest["version"], manifest["build"]["id"]) == ("toaster-build-archive", 1, failed)

    # The build directory is recycled; the build is still answered from the database and
    # its archive.
    cleaned = toaster.json("project", "clean", "demo")
    assert cleaned["removed"] and not pathlib.Path(cleaned["removed"]).exists()
    after = toaster.json("build", "show", str(failed))
    assert (after["state"], after["tasks"], after["archive"]) == ("failed", show["tasks"], str(archive))
    assert any("broken cannot build" in m["text"] for m in toaster.json("build", "log", str(failed)))
    assert any(t["task"] == "do_build" and t["outcome"] == "failed" for t in toaster.json("build", "tasks", str(failed)))
    out = tmp_path / "from-archive"
    copied = toaster.json("build", "download", str(failed), "toy-image.wic", task_logs[0]["name"], "-o", str(out))
    assert all(c["from_archive"] for c in copied)
    assert sha256(out / "toy-image.wic") == image["sha256"]
    assert "broken cannot build" in (out / task_logs[0]["name"]).read_text()

    # Into another database: a long-term store.
    store = Toaster(tmp_path / "store")
    (tmp_path / "store").mkdir()
    store("owner", "add", "alice")
    store("project", "create", "history", "--dir", str(tmp_path / "store" / "history"))
    imported = store.json("archive", "import", str(archive), "--project", "history")
    shown = store.json("build", "show", str(imported["id"]))
    assert (shown["state"], shown["tasks"], shown["targets"]) == ("failed", show["tasks"], show["targets"])
    assert "build %d of project demo" % failed in shown["origin"]
    pulled = tmp_path / "pulled"
    store("build", "download", str(imported["id"]), "toy-image.wic", "-o", str(pulled))
    assert sha256(pulled / "toy-image.wic") == image["sha256"]


def hostile(path: pathlib.Path, entries, symlink: str = "") -> pathlib.Path:
    """A zip of `entries` (name, bytes), made with Python's zipfile as an attacker would."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, "/etc/passwd")
    return path


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_hostile_archives_are_refused_writing_nothing(toaster, tmp_path):
    build = built(toaster)
    [archived] = toaster.json("build", "archive", str(build))
    good = pathlib.Path(archived["archive"])
    with zipfile.ZipFile(good) as z:
        manifest, record = z.read("manifest.json"), z.read("build.json")
    newer = json.loads(manifest)
    newer["version"] = 99
    cases = {
        "dotdot": ([("manifest.json", manifest), ("build.json", record), ("../evil", b"x")], "", "evil"),
        "absolute": ([("manifest.json", manifest), ("build.json", record), ("/etc/evil", b"x")], "", "evil"),
        "symlink": ([("manifest.json", manifest), ("build.json", record)], "files/link", "link"),
        "duplicate": ([("manifest.json", manifest), ("build.json", record), ("build.json", record)], "", "build.json"),
        "version": ([("manifest.json", json.dumps(newer).encode()), ("build.json", record)], "", "version 99"),
        "bomb": ([("manifest.json", manifest), ("build.json", record), ("files/zeros", b"\0" * (64 << 20))], "", "zeros"),
    }
    before = len(toaster.json("build", "list", "--all"))
    for name, (entries, link, says) in cases.items():
        path = hostile(tmp_path / ("%s.zip" % name), entries, link)
        if name == "bomb":
            # Deflated, as a zip bomb is.
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
                for entry, data in entries:
                    z.writestr(entry, data)
        result = toaster("archive", "import", str(path), "--project", "demo", check=False)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert says in result.stderr, (name, result.stderr)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    result = toaster("archive", "import", str(truncated), "--project", "demo", check=False)
    assert result.returncode == 1 and "not a whole Toaster archive" in result.stderr, result.stderr
    assert len(toaster.json("build", "list", "--all")) == before
    assert not [p for p in (toaster.work / "archives").iterdir() if p.name.startswith("imported")]
