"""Recipe dependencies (build and run time, through provided names) and providers: recorded
from a real ``bitbake`` run of a toy layer, read back through the ``toaster`` command and the
Python API."""

from __future__ import annotations

import json
import pathlib

import toaster_rs
import toy_bitbake
from conftest import run, run_cli

#: A library that provides a virtual name; an app that needs it by that name at build time
#: and the base at run time; an image that needs the app.
LIBRARY = 'LICENSE = "MIT"\nPROVIDES = "virtual/greeting"\npython do_build() {\n    bb.note("library")\n}\naddtask build\n'
APP = (
    'LICENSE = "MIT"\nDEPENDS = "virtual/greeting"\nRDEPENDS:${PN} = "base"\n'
    'python do_build() {\n    bb.note("app")\n}\naddtask build\ndo_build[depends] = "library:do_build"\n'
)
IMAGE = 'LICENSE = "MIT"\nDEPENDS = "app"\npython do_build() {\n    bb.note("image")\n}\naddtask build\ndo_build[depends] = "app:do_build"\n'


def test_a_real_build_records_recipe_dependencies_and_providers(tmp_path, bitbake_dir, database, toaster_bin):
    run_cli(database, "owner", "use", "alice")
    core = toy_bitbake.core_layer(tmp_path, bitbake_dir)
    recipes = {
        "base_1.0.bb": toy_bitbake.recipe('    bb.note("base")'),
        "library_1.0.bb": LIBRARY,
        "app_1.0.bb": APP,
        "image_1.0.bb": IMAGE,
    }
    layers = [core, toy_bitbake.toy_layer(tmp_path, "toy", recipes)]
    built = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database).run("image", "base")
    assert built.returncode == 0, built.stdout
    [build] = [b["id"] for b in json.loads(run_cli(database, "build", "list", "--all"))]

    listed = json.loads(run_cli(database, "build", "recipes", str(build)))
    assert {r["name"] for r in listed} >= {"base", "library", "app", "image"}, listed
    needed = json.loads(run_cli(database, "build", "recipes", str(build), "--needed-by", "image"))
    assert [(r["name"], r["depth"], r["chain"]) for r in needed] == [
        ("app", 1, ["app"]),
        ("base", 2, ["app", "base"]),
        ("library", 2, ["app", "library"]),
    ], needed
    shown = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "recipes", str(build), "--depends-on", "library")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[1].split() == ["1", "app", "library", "<-", "app"], shown.stdout

    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        edges = {(e["recipe"], e["depends_on"], e["kind"], e["via"]) for e in alice.recipe_dependencies(build)}
        assert edges == {
            ("app", "library", "build", "virtual/greeting"),
            ("app", "base", "runtime", None),
            ("image", "app", "build", None),
        }, edges
        assert alice.providers(build) == [{"name": "virtual/greeting", "recipe": "library"}]
        assert [r["name"] for r in alice.recipes_depending_on(build, "base")] == ["app", "image"]
        assert [r["name"] for r in alice.recipes_needed_by(build, "app")] == ["base", "library"]
