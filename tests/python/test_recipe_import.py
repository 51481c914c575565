"""``toaster recipe import`` through the command line: sources made in the test (an autotools
tarball, a cmake git repository, a meson directory, a tarball served over http) become
recipes in the project's own layer, which BitBake's parser reads; the recipe and its
revision land together; hostile tarballs are refused with nothing written."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import pathlib
import tarfile
import threading

import pytest
from test_bundle import git
from toaster_cli import Toaster

MIT = (
    "MIT License\n\nCopyright (c) 2026 Toy\n\n"
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction.\n\n"
    "The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n"
)
GPL2 = (
    "GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n\nThis program is free software; you can redistribute it and/or modify it "
    "under the terms of the GNU General Public License as published by the Free Software Foundation; version 2 of the License.\n"
)
APACHE = "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n\nTERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n"


def tree(root: pathlib.Path, files: dict) -> pathlib.Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def tarball(path: pathlib.Path, top: str, files: dict) -> pathlib.Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo("%s/%s" % (top, name))
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


AUTOTOOLS = {"configure.ac": "AC_INIT([hello], [2.1], [bugs@example.com], [hello], [https://example.com/hello])\nPKG_CHECK_MODULES([ZLIB], [zlib >= 1.2])\nAC_OUTPUT\n", "LICENSE": MIT}
CMAKE = {"CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(gadget VERSION 0.4 DESCRIPTION \"A gadget\")\n", "COPYING": GPL2}
MESON = {"meson.build": "project('widget', 'c', version : '1.3')\ndependency('glib-2.0')\n", "LICENSE": APACHE}


@pytest.fixture
def toaster(tmp_path: pathlib.Path) -> Toaster:
    t = Toaster(tmp_path)
    t("owner", "add", "alice")
    t("project", "create", "demo", "--dir", str(tmp_path / "demo"), "--release", "scarthgap")
    return t


def test_sources_become_recipes_in_the_projects_own_layer(toaster, tmp_path):
    tar = tarball(tmp_path / "hello-2.1.tar.gz", "hello-2.1", AUTOTOOLS)
    imported = toaster.json("recipe", "import", "demo", "--tarball", str(tar), "--add-to-image")
    recipe = pathlib.Path(imported["path"])
    assert recipe == tmp_path / "demo" / "layers" / "meta-demo" / "recipes-imported" / "hello" / "hello_2.1.bb"
    text = recipe.read_text()
    assert 'LICENSE = "MIT"' in text and "inherit autotools pkgconfig" in text
    assert hashlib.sha256(tar.read_bytes()).hexdigest() in text
    assert "file://LICENSE;md5=%s" % hashlib.md5(MIT.encode()).hexdigest() in text
    config = toaster.json("config", "show", "demo")
    assert "hello" in config["recipes"] and "hello" in config["packages"]
    assert "meta-demo" in [layer["name"] for layer in config["layers"]]

    repo = tree(tmp_path / "gadget", CMAKE)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "gadget")
    commit = git(repo, "rev-parse", "HEAD")
    imported = toaster.json("recipe", "import", "demo", "--git", str(repo), "--ref", "main")
    text = pathlib.Path(imported["path"]).read_text()
    assert 'SRCREV = "%s"' % commit in text and 'LICENSE = "GPL-2.0-only"' in text and "inherit cmake" in text

    widget = tree(tmp_path / "widget", MESON)
    dry = toaster("recipe", "import", "demo", "--path", str(widget), "--dry-run")
    assert 'EXTERNALSRC = "%s"' % widget in dry.stdout and "inherit meson" in dry.stdout
    assert "widget" not in toaster.json("config", "show", "demo")["recipes"]

    # Shown, listed, refused twice, undone (the file stays), removed.
    assert toaster("recipe", "show", "demo", "hello").stdout == recipe.read_text()
    unknown = toaster("recipe", "show", "demo", "nope", check=False)
    assert unknown.returncode == 1 and "recipe list demo" in unknown.stderr
    assert [r["name"] for r in toaster.json("recipe", "list", "demo")] == ["gadget", "hello"]
    again = toaster("recipe", "import", "demo", "--tarball", str(tar), check=False)
    assert again.returncode == 1 and "already in the project's layers" in again.stderr
    toaster("project", "undo", "demo")
    assert "gadget" not in toaster.json("config", "show", "demo")["recipes"]
    assert [r["built"] for r in toaster.json("recipe", "list", "demo")] == [False, True]
    toaster("recipe", "remove", "demo", "hello")
    assert not recipe.exists() and "hello" not in toaster.json("config", "show", "demo")["recipes"]


def test_a_tarball_is_fetched_over_http(toaster, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    tarball(served / "widget-1.3.tar.gz", "widget-1.3", MESON)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = "http://127.0.0.1:%d/widget-1.3.tar.gz" % server.server_address[1]
        imported = toaster.json("recipe", "import", "demo", "--tarball", url)
        text = pathlib.Path(imported["path"]).read_text()
        assert url in text and 'LICENSE = "Apache-2.0"' in text
        missing = toaster("recipe", "import", "demo", "--tarball", url + ".gone", check=False)
        assert missing.returncode == 1 and "cannot download" in missing.stderr
    finally:
        server.shutdown()


def hostile(path: pathlib.Path, add) -> pathlib.Path:
    with tarfile.open(path, "w:gz") as tar:
        data = b"AC_INIT([x], [1])\n"
        info = tarfile.TarInfo("x-1/configure.ac")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        add(tar)
    return path


def test_hostile_tarballs_are_refused_writing_nothing(toaster, tmp_path):
    def entry(name, kind=tarfile.REGTYPE, link=""):
        def add(tar):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = link
            tar.addfile(info, io.BytesIO(b""))
        return add

    cases = {
        "dotdot": entry("../evil"),
        "absolute": entry("/tmp/evil"),
        "link-out": entry("x-1/passwd", tarfile.SYMTYPE, "/etc/passwd"),
        "link-up": entry("x-1/up", tarfile.SYMTYPE, "../../../etc"),
        "device": entry("x-1/null", tarfile.CHRTYPE),
    }
    for name, add in cases.items():
        path = hostile(tmp_path / ("%s.tar.gz" % name), add)
        result = toaster("recipe", "import", "demo", "--tarball", str(path), "--name", "x", check=False)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert "refused" in result.stderr, (name, result.stderr)
    (tmp_path / "not.tar.gz").write_bytes(b"\x1f\x8bnot really gzip")
    empty = tmp_path / "empty.tar"
    tarfile.open(empty, "w").close()
    for path in (tmp_path / "not.tar.gz", empty):
        result = toaster("recipe", "import", "demo", "--tarball", str(path), "--name", "x", check=False)
        assert result.returncode == 1, (path, result.stderr)
    assert not (tmp_path / "demo" / "layers" / "meta-demo").exists()
    assert toaster.json("config", "show", "demo")["recipes"] == []


PYTHON = {"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "pytool"\nversion = "3.2"\ndescription = "A Python tool"\n', "LICENSE": MIT}
CARGO = {
    "Cargo.toml": '[package]\nname = "rtool"\nversion = "0.7.1"\ndescription = "A Rust tool"\n',
    "Cargo.lock": 'version = 3\n\n[[package]]\nname = "libc"\nversion = "0.2.150"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "rtool"\nversion = "0.7.1"\n',
    "LICENSE": APACHE,
}
GO = {"go.mod": "module example.org/gtool\n\ngo 1.22\n", "COPYING": GPL2}

# Each source tree, as which origin, with its licence, classes and text.
TREES = [
    ("hello", AUTOTOOLS, "tarball", "MIT", ["autotools", "pkgconfig"], MIT),
    ("gadget", CMAKE, "git", "GPL-2.0-only", ["cmake"], GPL2),
    ("widget", MESON, "path", "Apache-2.0", ["externalsrc", "meson", "pkgconfig"], APACHE),
    ("pytool", PYTHON, "git", "MIT", ["python_hatchling"], MIT),
    ("rtool", CARGO, "tarball", "Apache-2.0", ["cargo"], APACHE),
    ("gtool", GO, "path", "GPL-2.0-only", ["externalsrc", "go-mod"], GPL2),
]


def test_every_build_system_and_origin_gives_a_recipe_bitbake_reads(toaster, tmp_path, bitbake_dir):
    import json
    import subprocess
    import sys

    from test_recipe_writer import CLASSES, PARSE

    commits = {}
    for name, files, origin, *_ in TREES:
        root = tree(tmp_path / "src" / name, files)
        if origin == "tarball":
            tar = tarball(tmp_path / ("%s.tar.gz" % name), "%s-src" % name, files)
            toaster("recipe", "import", "demo", "--tarball", str(tar), "--name", name, "--version", "1.0")
        elif origin == "git":
            git(root, "init", "-q", "-b", "main")
            git(root, "add", ".")
            git(root, "commit", "-q", "-m", name)
            commits[name] = git(root, "rev-parse", "HEAD")
            toaster("recipe", "import", "demo", "--git", str(root), "--name", name, "--version", "1.0")
        else:
            toaster("recipe", "import", "demo", "--path", str(root), "--name", name, "--version", "1.0")
    bbpath = tmp_path / "bbpath" / "classes"
    bbpath.mkdir(parents=True)
    for cls in CLASSES + ["python_setuptools_build_meta"]:
        (bbpath / ("%s.bbclass" % cls)).write_text("# stand-in\n")
    recipes = sorted(str(p) for p in (tmp_path / "demo" / "layers" / "meta-demo" / "recipes-imported").glob("*/*.bb"))
    assert len(recipes) == len(TREES)
    out = subprocess.run([sys.executable, "-c", PARSE, str(bitbake_dir), str(tmp_path / "bbpath"), *recipes], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    parsed = json.loads(out.stdout)
    for name, files, origin, licence, classes, text in TREES:
        values = parsed["%s_1.0.bb" % name]
        assert values["LICENSE"] == licence, (name, values)
        licence_file = "COPYING" if "COPYING" in files else "LICENSE"
        md5 = hashlib.md5(text.encode()).hexdigest()
        assert "%s;md5=%s" % (licence_file, md5) in values["LIC_FILES_CHKSUM"], (name, values)
        assert set(classes) <= set(values["inherits"]), (name, values["inherits"])
        if origin == "git":
            assert values["SRCREV"] == commits[name] and "protocol=file" in values["SRC_URI"], (name, values)
        elif origin == "tarball":
            assert values["SRC_URI"].startswith("file://") and values["SRC_URI[sha256sum]"], (name, values)
            assert values["S"].endswith("%s-src" % name), (name, values["S"])
        else:
            assert values["EXTERNALSRC"] == str(tmp_path / "src" / name), (name, values)
    assert set(toaster.json("config", "show", "demo")["recipes"]) == {t[0] for t in TREES}
