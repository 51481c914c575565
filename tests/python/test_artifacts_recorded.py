"""What a build's artifacts are, as real ``bitbake`` runs of toy layers record them: the files a
build made in ``DEPLOY_DIR_IMAGE`` (regular files changed since it started, never links), the
files of ``toaster.bbclass``'s ``TaskArtifacts`` events, the conf files it read and the log
files of its failed tasks, each with its directory, its place there, its name, its size and
its SHA-256 (which the recorder measures itself, never reading outside the directory).

The Python API does not give an artifact's name, directory or checksum: the rows are read
from the database file."""

from __future__ import annotations

import hashlib
import os
import pathlib
import sqlite3
import time
from typing import Dict, List, Tuple

import pytest
import toaster_rs
import toy_bitbake
from toaster_rs._bitbake_events import CLOCK_SLACK, deployed_kind

# Its files come from a task with a stamp (BitBake's do_build has none: it runs every time).
IMAGE = """LICENSE = "MIT"
python do_image() {
    import os
    deploy = d.getVar("DEPLOY_DIR_IMAGE")
    bb.utils.mkdirhier(deploy)
    with open(os.path.join(deploy, "toy-image.wic"), "wb") as image:
        image.write(b"\\0a toy disk image\\0" * 100)
    with open(os.path.join(deploy, "toy-image.manifest"), "w") as manifest:
        manifest.write("busybox core2-64 1.36.1\\n")
    with open(os.path.join(deploy, "bzImage-toy.bin"), "wb") as kernel:
        kernel.write(b"a toy kernel")
    link = os.path.join(deploy, "toy.wic")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink("toy-image.wic", link)
}
addtask image before do_build
"""

# A task named as openembedded-core's SDK task, reporting its files as toaster.bbclass does.
SDK = """LICENSE = "MIT"
python do_populate_sdk() {
    import os
    sdk = os.path.join(d.getVar("DEPLOY_DIR"), "sdk")
    bb.utils.mkdirhier(sdk)
    installer = os.path.join(sdk, "toy-sdk.sh")
    with open(installer, "w") as file:
        file.write("#!/bin/sh\\necho a toy sdk\\n")
    data = {"task": d.getVar("FILE") + ":do_populate_sdk", "artifacts": [sdk + "/", installer]}
    bb.event.fire(bb.event.MetadataEvent("TaskArtifacts", data), d)
}
addtask populate_sdk
python do_build() {
    pass
}
addtask build after do_populate_sdk
"""

BROKEN = toy_bitbake.recipe('    bb.note("broken starts")\n    bb.fatal("broken cannot build")')

REWRITE = toy_bitbake.recipe(
    "    import os\n"
    '    with open(os.path.join(d.getVar("DEPLOY_DIR_IMAGE"), "toy-image.manifest"), "w") as manifest:\n'
    '        manifest.write("busybox core2-64 1.37.0\\n")\n'
)

# Links and names that lead out of the build's directories, beside one honest image.
HOSTILE = toy_bitbake.recipe(
    "    import os\n"
    '    deploy = d.getVar("DEPLOY_DIR_IMAGE")\n'
    "    bb.utils.mkdirhier(deploy)\n"
    '    with open(os.path.join(deploy, "fine.wic"), "w") as image:\n'
    '        image.write("fine")\n'
    '    for name, target in (("passwd.wic", "/etc/passwd"), ("up.wic", "../../../../../../../../../etc/passwd"), ("etc", "/etc")):\n'
    "        os.symlink(target, os.path.join(deploy, name))\n"
    '    names = ["/etc/passwd", deploy + "/passwd.wic", deploy + "/up.wic", deploy + "/etc/passwd", deploy + "/../../../../../../../../../etc/passwd"]\n'
    '    data = {"task": d.getVar("FILE") + ":do_image_complete", "artifacts": names}\n'
    '    bb.event.fire(bb.event.MetadataEvent("TaskArtifacts", data), d)\n'
)

RECIPES = {
    "toy-image_1.0.bb": IMAGE,
    "toy-sdk_1.0.bb": SDK,
    "broken_1.0.bb": BROKEN,
    "rewrite_1.0.bb": REWRITE,
    "hostile_1.0.bb": HOSTILE,
}

Row = Tuple[str, str, str, int, str]


@pytest.fixture
def build_dir(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path, database: pathlib.Path) -> toy_bitbake.BuildDir:
    layers = [toy_bitbake.core_layer(tmp_path, bitbake_dir), toy_bitbake.toy_layer(tmp_path, "toy", RECIPES)]
    return toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, layers, database, 'TOASTER_OWNER = "alice"')


def build_ids(database: pathlib.Path) -> List[int]:
    """The builds recorded, oldest first."""
    with toaster_rs.Toaster.open(database) as db:
        return sorted(build.id for build in db.act_as("alice").builds(None))


def artifacts(database: pathlib.Path, build_id: int) -> Dict[str, Row]:
    """A build's artifacts: (kind, dir, path, size, sha256) by name; but for the build's own
    log file (which the recorder adds itself, and which is still written after)."""
    with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as rows:
        found = rows.execute("SELECT name, kind, dir, path, size, sha256 FROM artifact WHERE build_id = ?", (build_id,)).fetchall()
    by_name = {name: (kind, dir, path, size, sha256) for name, kind, dir, path, size, sha256 in found}
    own_log = by_name.pop("build-%d.log" % build_id, None)
    assert own_log is None or own_log[0] == "log", own_log
    return by_name


def warnings_of(database: pathlib.Path, build_id: int) -> List[str]:
    with sqlite3.connect("file:%s?mode=ro" % database, uri=True) as rows:
        found = rows.execute("SELECT text FROM log_message WHERE build_id = ? AND level = 'warning'", (build_id,)).fetchall()
    return [text for (text,) in found]


def measured(kind: str, directory: pathlib.Path, path: str) -> Row:
    """The row a file's artifact has: its size and SHA-256 as read now."""
    data = (directory / path).read_bytes()
    return (kind, str(directory), path, len(data), hashlib.sha256(data).hexdigest())


def test_a_build_records_its_images_sdk_conf_files_and_failed_task_logs(build_dir, database):
    top = build_dir.path
    tmp, deploy = top / "tmp", top / "tmp" / "deploy"
    images = deploy / "images"
    images.mkdir(parents=True)
    stale = images / "stale.wic"
    stale.write_text("an image of an earlier build")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))

    run = build_dir.run("-k", "toy-image", "toy-sdk", "broken")
    assert run.returncode == 1, run.stdout
    [build_id] = build_ids(database)
    recorded = artifacts(database, build_id)

    [log_name] = [name for name in recorded if name.startswith("logs/")]
    log_path = recorded[log_name][2]
    assert log_name == "logs/broken/" + os.path.basename(log_path) and log_path.startswith("work/broken-1.0-r0/temp/log.do_build.")
    # The real log file (its link log.do_build points to it), which holds the failure.
    assert not (tmp / log_path).is_symlink() and (tmp / log_path).parent.joinpath("log.do_build").is_symlink()
    assert "broken cannot build" in (tmp / log_path).read_text()
    assert recorded == {
        "toy-image.wic": measured("image", images, "toy-image.wic"),
        "toy-image.manifest": measured("manifest", images, "toy-image.manifest"),
        "bzImage-toy.bin": measured("kernel", images, "bzImage-toy.bin"),
        "sdk/toy-sdk.sh": measured("sdk", deploy, "sdk/toy-sdk.sh"),
        "conf/local.conf": measured("conf", top, "conf/local.conf"),
        "conf/bblayers.conf": measured("conf", top, "conf/bblayers.conf"),
        log_name: measured("task-log", tmp, log_path),
    }
    # Neither the link toy.wic (a second name of toy-image.wic) nor the image of an earlier
    # build is recorded.
    assert (images / "toy.wic").is_symlink() and stale.is_file()
    assert recorded["toy-image.wic"][4] == hashlib.sha256(b"\0a toy disk image\0" * 100).hexdigest()
    assert not [text for text in warnings_of(database, build_id) if text.startswith("toaster:")]


def test_a_second_build_records_only_the_files_it_changed(build_dir, database):
    first = build_dir.run("toy-image")
    assert first.returncode == 0, first.stdout
    images = build_dir.path / "tmp" / "deploy" / "images"
    manifest_then = measured("manifest", images, "toy-image.manifest")
    # Past the slack a file's time is given before the build's start.
    time.sleep(CLOCK_SLACK + 1)

    again = build_dir.run("toy-image")  # do_image has its stamp: only do_build runs
    assert again.returncode == 0, again.stdout
    rewritten = build_dir.run("rewrite")
    assert rewritten.returncode == 0, rewritten.stdout

    one, two, three = build_ids(database)
    assert set(artifacts(database, one)) == {"toy-image.wic", "toy-image.manifest", "bzImage-toy.bin", "conf/local.conf", "conf/bblayers.conf"}
    # Every build read the conf files; only the third changed a file of DEPLOY_DIR_IMAGE.
    conf = {"conf/local.conf", "conf/bblayers.conf"}
    assert set(artifacts(database, two)) == conf
    third = artifacts(database, three)
    assert set(third) == conf | {"toy-image.manifest"}
    assert third["toy-image.manifest"] == measured("manifest", images, "toy-image.manifest") != manifest_then
    # The first build's record keeps what its file was.
    assert artifacts(database, one)["toy-image.manifest"] == manifest_then


def test_links_and_names_that_lead_out_are_not_recorded(build_dir, database):
    run = build_dir.run("hostile")
    assert run.returncode == 0, run.stdout
    [build_id] = build_ids(database)
    recorded = artifacts(database, build_id)
    images = build_dir.path / "tmp" / "deploy" / "images"
    assert recorded == {
        "fine.wic": measured("image", images, "fine.wic"),
        "conf/local.conf": measured("conf", build_dir.path, "conf/local.conf"),
        "conf/bblayers.conf": measured("conf", build_dir.path, "conf/bblayers.conf"),
    }
    passwd = hashlib.sha256(pathlib.Path("/etc/passwd").read_bytes()).hexdigest()
    assert all(row[4] != passwd for row in recorded.values())
    # The one name that looks inside (a file under the directory `etc`) is refused by the
    # recorder, which never follows the link out, and says so.
    warnings = warnings_of(database, build_id)
    assert [text for text in warnings if text.startswith("toaster: artifact `etc/passwd` not recorded")], warnings
    # A name in none of the build's directories is left out with a note, in the build's log.
    with toaster_rs.Toaster.open(database) as db:
        log_path = db.act_as("alice").build(build_id).log_path
    assert log_path is not None
    assert "toaster: artifact /etc/passwd not recorded: it is in none of the build's directories" in pathlib.Path(log_path).read_text()


@pytest.mark.parametrize(
    "path, kind",
    [
        ("core-image-minimal-qemux86-64.rootfs-20260101.ext4", "image"),
        ("core-image-minimal-qemux86-64.rootfs.wic.bz2", "image"),
        ("core-image-minimal-qemux86-64.rootfs.wic.bmap", "image"),
        ("core-image-minimal-qemux86-64.rootfs.tar.zst", "image"),
        ("core-image-minimal-qemux86-64.rootfs.qemuboot.conf", "image"),
        ("core-image-minimal-qemux86-64.rootfs.testdata.json", "image"),
        ("core-image-minimal-qemux86-64.rootfs.manifest", "manifest"),
        ("core-image-minimal-qemux86-64.rootfs.license.manifest", "license"),
        ("licenses/busybox/generic_GPL-2.0-only", "license"),
        ("bzImage--6.6-r0-qemux86-64-20260101.bin", "kernel"),
        ("modules--6.6-r0-qemux86-64-20260101.tgz", "kernel"),
        ("am335x-boneblack.dtb", "kernel"),
        ("u-boot.bin", "other"),
        ("core-image-minimal-qemux86-64.rootfs.spdx.json", "other"),
    ],
)
def test_the_kind_of_a_file_in_deploy_dir_image(path, kind):
    assert deployed_kind(path) == kind
