"""Recipes written by `recipes::write` read with BitBake's own parser (`bb.parse`): the
values BitBake sees are the ones the writer meant, hostile values stay inert, and a recipe
whose licence is unknown is skipped (parsed, but refused to build).

The recipes come from the Rust generator `recipes::write::tests::write_samples` (an ignored
test run with `--ignored`, which writes its samples into ``TOASTER_RECIPE_SAMPLES``): the
Python binding does not expose the writer. BitBake is ``TOASTER_TEST_BITBAKE`` or the
fixture tarball (see toy_bitbake.find_bitbake), parsed in a child Python so that its `bb`
does not meet the session's.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from toy_bitbake import ROOT, find_bitbake, why_no_bitbake

CLASSES = ["autotools", "cmake", "meson", "pkgconfig", "externalsrc", "python_hatchling", "cargo",
           "cargo-update-recipe-crates", "go-mod"]

PARSE = r'''
import json, logging, sys
sys.path.insert(0, sys.argv[1] + "/lib")
import bb.data, bb.parse, bb.siggen
logging.getLogger("BitBake").setLevel(logging.CRITICAL)
# What the cooker sets: the signature generator finalise() reports to (none: noop).
bb.parse.siggen = bb.siggen.init(bb.data.init())
out = {}
for path in sys.argv[3:]:
    d = bb.data.init()
    d.setVar("BBPATH", sys.argv[2])
    d.setVar("__bbclasstype", "recipe")
    name = path.rsplit("/", 1)[1].split("_")[0]
    d.setVar("PN", name)
    d.setVar("BPN", name)
    d.setVar("PV", "1.0")
    d.setVar("BP", name + "-1.0")
    d.setVar("UNPACKDIR", "/U")
    d.setVar("WORKDIR", "/W")
    d = bb.parse.handle(path, d)[""]
    keys = ["LICENSE", "LIC_FILES_CHKSUM", "SRC_URI", "SRC_URI[sha256sum]", "SRCREV", "S",
            "EXTERNALSRC", "EXTERNALSRC_BUILD", "DEPENDS", "SUMMARY", "HOMEPAGE", "GO_IMPORT",
            "__SKIPPED", "INHERIT"]
    values = {k: (d.getVarFlag(k.split("[")[0], "sha256sum") if "[" in k else d.getVar(k, False)) for k in keys}
    values["inherits"] = sorted(p.rsplit("/", 1)[1][: -len(".bbclass")] for p in d.getVar("__inherit_cache", False) or [])
    values["functions"] = sorted(k for k in d.keys() if d.getVarFlag(k, "func"))
    out[path.rsplit("/", 1)[1]] = values
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict:
    scratch = tmp_path_factory.mktemp("recipe-writer")
    bitbake = find_bitbake(scratch)
    if bitbake is None:
        pytest.skip(why_no_bitbake())
    if shutil.which("cargo") is None:
        pytest.skip("cargo is needed to generate the recipes (recipes::write::tests::write_samples)")
    samples = scratch / "samples"
    env = dict(os.environ, TOASTER_RECIPE_SAMPLES=str(samples))
    out = subprocess.run(
        ["cargo", "test", "-q", "-p", "toaster-core", "--lib", "recipes::write::tests::write_samples", "--", "--ignored"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    # Stand-ins for openembedded-core's classes: the parser only needs them to exist.
    classes = scratch / "bbpath" / "classes"
    classes.mkdir(parents=True)
    for name in CLASSES:
        (classes / f"{name}.bbclass").write_text("# stand-in\n")
    recipes = sorted(str(p) for p in samples.glob("*.bb"))
    out = subprocess.run([sys.executable, "-c", PARSE, str(bitbake), str(scratch / "bbpath"), *recipes],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


MD5 = "b234ee4d69f5fce4486a80fdaf4a4263"
SHA = "4bc6ef0e2d7fa2d2d3ad4b4a5e6a0b1c9f03e1b3c3a1d0f9e8d7c6b5a4938271"
REV = "0123456789abcdef0123456789abcdef01234567"


def words(value):
    return (value or "").split()


def test_every_sample_parses(parsed):
    assert len(parsed) == 10


def test_autotools_tarball(parsed):
    v = parsed["autotools_1.0.bb"]
    assert v["LICENSE"] == "MIT" and v["__SKIPPED"] is None
    assert words(v["LIC_FILES_CHKSUM"]) == [f"file://COPYING;md5={MD5}"]
    assert v["SRC_URI"] == "https://example.org/hello-1.0.tar.gz"
    assert v["SRC_URI[sha256sum]"] == SHA
    assert v["S"] == "${UNPACKDIR}/hello-1.0"
    assert v["DEPENDS"] == "glib-2.0"
    assert v["inherits"] == ["autotools", "pkgconfig"]
    scarthgap = parsed["autotools-scarthgap_1.0.bb"]
    assert scarthgap["SRC_URI"].endswith(";subdir=${BP}") and scarthgap["S"] == "${WORKDIR}/${BP}"


def test_cmake_git(parsed):
    v = parsed["cmake_1.0.bb"]
    assert v["LICENSE"] == "Apache-2.0 & MIT"
    assert len(words(v["LIC_FILES_CHKSUM"])) == 2
    assert v["SRC_URI"] == "git://github.com/example/hello.git;protocol=https;branch=main"
    assert v["SRCREV"] == REV and v["S"] == "${UNPACKDIR}/${BP}"
    assert v["inherits"] == ["cmake"]
    styhead = parsed["cmake-styhead_1.0.bb"]
    assert styhead["SRC_URI"] == "git://git@github.com/example/hello.git;protocol=ssh;branch=main"
    assert styhead["S"] == "${UNPACKDIR}/git"


def test_meson_path_with_an_unknown_licence_is_skipped(parsed):
    v = parsed["meson_1.0.bb"]
    assert v["LICENSE"] == "TODO-SPDX-ID"
    assert "LICENSE is not filled in" in v["__SKIPPED"]
    assert v["EXTERNALSRC"] == "/src/hello" and v["SRC_URI"] is None
    assert words(v["DEPENDS"]) == ["gtk4", "libxml-2.0"]
    assert v["inherits"] == ["externalsrc", "meson", "pkgconfig"]


def test_python_cargo_go(parsed):
    py = parsed["python_1.0.bb"]
    assert py["inherits"] == ["python_hatchling"] and py["LICENSE"] == "BSD-3-Clause"
    cargo = parsed["cargo_1.0.bb"]
    assert cargo["inherits"] == ["cargo", "cargo-update-recipe-crates"]
    assert words(cargo["SRC_URI"]) == [
        "git://github.com/example/hello;protocol=https;branch=main",
        "crate://crates.io/libc/0.2.150",
        "crate://crates.io/log/0.4.20",
    ]
    assert cargo["LICENSE"] == "MIT & Apache-2.0"
    go = parsed["go_1.0.bb"]
    assert go["inherits"] == ["go-mod"] and go["GO_IMPORT"] == "example.org/hello"
    assert go["SRC_URI"].endswith(";destsuffix=${GO_SRCURI_DESTSUFFIX}")
    assert words(go["LIC_FILES_CHKSUM"]) == [f"file://src/${{GO_IMPORT}}/COPYING;md5={MD5}"]


def test_plain_make(parsed):
    v = parsed["make_1.0.bb"]
    assert "do_compile" in v["functions"] and "do_install" in v["functions"]
    assert v["EXTERNALSRC_BUILD"] == "${EXTERNALSRC}"
    assert v["__SKIPPED"] and v["LIC_FILES_CHKSUM"] is None


def test_hostile_values_stay_inert(parsed):
    v = parsed["hostile_1.0.bb"]
    assert v["SUMMARY"] is None and v["HOMEPAGE"] is None and v["INHERIT"] is None
    assert v["LICENSE"] == "MIT" and v["__SKIPPED"] is None
