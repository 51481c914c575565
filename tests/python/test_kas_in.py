"""``toaster project import-kas``: a project written as a kas file and read back is the
same project (layers cloned at the same commits from ``file://`` repositories made in temp
directories); hostile kas files are refused with nothing written."""

from __future__ import annotations

import pathlib

import pytest
from test_bundle import git, layer
from toaster_cli import Toaster


@pytest.fixture
def toaster(tmp_path: pathlib.Path) -> Toaster:
    repo = tmp_path / "meta-stack"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    layer(repo / "meta-base", "base")
    layer(repo / "meta-app", "app")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "two layers")
    t = Toaster(tmp_path)
    t("owner", "add", "alice")
    t("project", "create", "demo", "--dir", str(tmp_path / "demo"), "--release", "scarthgap")
    t("layer", "remove", "demo", "meta-yocto-bsp", "meta-poky", "openembedded-core")
    for subdir in ("meta-base", "meta-app"):
        t("layer", "add", "demo", "--git", "file://%s" % repo, "--ref", "main", "--subdir", subdir)
    t("config", "set", "demo", "machine", "qemuarm64")
    t("config", "set", "demo", "distro", "nodistro")
    t("config", "set", "demo", "targets", "core-image-minimal")
    t("config", "set", "demo", "packages", "htop strace")
    t("config", "set", "demo", "EXTRA_IMAGE_FEATURES", "debug-tweaks")
    t("config", "set", "demo", "GREETING", 'say "hi", it\'s # fine')
    # The branch moves on: the kas file pins the commit the project is at.
    (repo / "meta-base" / "README").write_text("later\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "later")
    return t


def comparable(shown: dict) -> dict:
    for key in ("project", "revision", "created_at", "description", "author"):
        shown.pop(key, None)
    # Host settings are not in a kas file.
    for host in ("DL_DIR", "SSTATE_DIR"):
        shown.get("variables", {}).pop(host, None)
    shown["layers"] = sorted(
        (l["name"], l.get("commit") or l.get("source", {}).get("commit")) for l in shown.get("layers", [])
    )
    return shown


def test_a_project_written_as_kas_reads_back_the_same(toaster, tmp_path):
    kas = tmp_path / "demo.yml"
    toaster("project", "export", "demo", "--format", "kas", "-o", str(kas))
    imported = toaster.json("project", "import-kas", str(kas), "--name", "back", "--dir", str(tmp_path / "back"), "--release", "scarthgap")
    assert imported["name"] == "back"
    original = comparable(toaster.json("config", "show", "demo"))
    back = comparable(toaster.json("config", "show", "back"))
    assert back == original


HOSTILE = {
    "laughs.yml": "header: {version: 14}\n"
    + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join("%s: &%s [%s]\n" % (c, c, ", ".join(["*" + p] * 10)) for p, c in zip("abcdefgh", "bcdefghi")),
    "cycle.yml": "header:\n  version: 14\n  includes: [other.yml]\n",
    "other.yml": "header:\n  version: 14\n  includes: [cycle.yml]\n",
    "escape.yml": "header:\n  version: 14\n  includes: [../outside.yml]\n",
    "ext.yml": "header: {version: 14}\nrepos:\n  evil:\n    url: 'ext::sh -c touch% /tmp/pwned'\n    commit: 0123456789012345678901234567890123456789\n",
    "newer.yml": "header: {version: 999}\nmachine: qemux86-64\n",
    "types.yml": "header: {version: 14}\nmachine: [1, 2]\n",
}


def test_hostile_kas_files_are_refused_writing_nothing(toaster, tmp_path):
    kas_dir = tmp_path / "kas"
    kas_dir.mkdir()
    (tmp_path / "outside.yml").write_text("header: {version: 14}\nmachine: qemux86-64\n")
    for name, text in HOSTILE.items():
        (kas_dir / name).write_text(text)
    for name in HOSTILE:
        if name == "other.yml":
            continue
        project = name.split(".")[0]
        result = toaster("project", "import-kas", str(kas_dir / name), "--dir", str(tmp_path / project), check=False)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert not (tmp_path / project).exists(), name
    assert [p["name"] for p in toaster.json("project", "list")] == ["demo"]
