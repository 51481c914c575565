"""Project bundles through the ``toaster`` command: exported with real git layers and a
local one, the manifest valid against its JSON Schema, imported as a new project with the
same configuration, and hostile bundles (made with Python's zipfile) refused with nothing
written."""

from __future__ import annotations

import json
import pathlib
import subprocess
import zipfile

import jsonschema
import pytest
from toaster_cli import Toaster

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "toaster-core" / "src" / "bundle" / "manifest.schema.json"


def git(cwd: pathlib.Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def layer(dir: pathlib.Path, collection: str) -> None:
    (dir / "conf").mkdir(parents=True)
    (dir / "conf" / "layer.conf").write_text(
        'BBPATH .= ":${LAYERDIR}"\nBBFILES += "${LAYERDIR}/recipes-*/*/*.bb"\n'
        'BBFILE_COLLECTIONS += "%s"\nBBFILE_PATTERN_%s = "^${LAYERDIR}/"\nBBFILE_PRIORITY_%s = "6"\n'
        'LAYERSERIES_COMPAT_%s = "scarthgap"\n' % ((collection,) * 4)
    )


@pytest.fixture
def toaster(tmp_path: pathlib.Path) -> Toaster:
    repo = tmp_path / "meta-stack"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    layer(repo / "meta-base", "base")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    layer(tmp_path / "meta-mine", "mine")
    (tmp_path / "meta-mine" / "recipes-x" / "x").mkdir(parents=True)
    (tmp_path / "meta-mine" / "recipes-x" / "x" / "x_1.0.bb").write_text('LICENSE = "MIT"\n')
    t = Toaster(tmp_path)
    t("owner", "add", "alice")
    t("project", "create", "demo", "--dir", str(tmp_path / "demo"), "--release", "scarthgap")
    t("layer", "remove", "demo", "meta-yocto-bsp", "meta-poky", "openembedded-core")
    t("layer", "add", "demo", "--git", str(repo), "--ref", "main", "--subdir", "meta-base")
    t("layer", "add", "demo", "--path", str(tmp_path / "meta-mine"))
    t("config", "set", "demo", "machine", "qemuarm64")
    t("config", "set", "demo", "targets", "core-image-minimal")
    t("config", "set", "demo", "EXTRA_IMAGE_FEATURES", "debug-tweaks")
    t("config", "set", "demo", "BB_NUMBER_THREADS", "8")
    return t


def test_a_bundle_is_valid_against_its_schema_and_makes_the_same_project(toaster, tmp_path):
    bundle = tmp_path / "demo.zip"
    exported = toaster.json("project", "export", "demo", "-o", str(bundle), "--with-local-layers")
    assert "BB_NUMBER_THREADS: a host setting, left out" in exported["left_out"]
    with zipfile.ZipFile(bundle) as z:
        manifest = json.loads(z.read("manifest.json"))
        names = z.namelist()
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))
    assert "layers/meta-mine/recipes-x/x/x_1.0.bb" in names
    assert manifest["layers"][0]["source"]["commit"]

    toaster("project", "import-bundle", str(bundle), "--name", "copy", "--dir", str(tmp_path / "copy"))
    original = toaster.json("config", "show", "demo")
    copy = toaster.json("config", "show", "copy")
    for shown in (original, copy):
        for key in ("revision", "project", "created_at", "description", "author"):
            shown.pop(key, None)
        shown.pop("variables", {}).pop("BB_NUMBER_THREADS", None)
        for layer in shown.get("layers", []):
            layer.pop("path", None)
            layer.pop("source", None)
    assert copy == original
    again = tmp_path / "again.zip"
    toaster("project", "export", "copy", "-o", str(again))
    refused = toaster("project", "export", "copy", "-o", str(again), check=False)
    assert refused.returncode == 1 and "already exists" in refused.stderr


def test_hostile_bundles_are_refused_writing_nothing(toaster, tmp_path):
    bundle = tmp_path / "demo.zip"
    toaster("project", "export", "demo", "-o", str(bundle))
    with zipfile.ZipFile(bundle) as z:
        manifest = z.read("manifest.json")
    cases = {
        "slip": [("manifest.json", manifest), ("../../evil.sh", b"x")],
        "absolute": [("manifest.json", manifest), ("/tmp/evil.sh", b"x")],
        "bomb": [("manifest.json", manifest), ("layers/meta-mine/zeros", b"\0" * (64 << 20))],
        "not-json": [("manifest.json", b"{")],
    }
    for name, entries in cases.items():
        path = tmp_path / ("%s.zip" % name)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for entry, data in entries:
                z.writestr(entry, data)
        result = toaster("project", "import-bundle", str(path), "--name", name, "--dir", str(tmp_path / name), check=False)
        assert result.returncode == 1, (name, result.stderr)
        assert not (tmp_path / name).exists(), name
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as z:
        z.writestr("manifest.json", manifest)
        info = zipfile.ZipInfo("layers/meta-mine/passwd")
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/passwd")
    result = toaster("project", "import-bundle", str(link), "--name", "link", check=False)
    assert result.returncode == 1 and "passwd" in result.stderr
    assert [p["name"] for p in toaster.json("project", "list")] == ["demo"]
