"""Operators in a project's configuration, read by BitBake's own parser (`bb.parse`): a
realistic `local.conf` imported with `toaster project import` and written back as the
project's conf files means to BitBake what the original meant, variable by variable and
flag by flag; what Toaster adds to a list keeps what the user's `local.conf` adds."""

import json
import pathlib

from conftest import run
from test_conf_differential import bitbake_values

# Operators, overrides, `??=`, flags (with `?=` too), `export` (on an assignment and on
# its own line), `:append`/`:remove` on a list the file also sets with `=`, the recorder's
# `INHERIT += "toaster-recorder"`, host settings (written to toaster-host.conf).
LOCAL_CONF = """\
MACHINE ??= "qemuarm64"
DISTRO ?= "poky"
PACKAGE_CLASSES ?= "package_rpm"
EXTRA_IMAGE_FEATURES ?= "tools-profile"
EXTRA_IMAGE_FEATURES:append = " tools-debug"
USER_CLASSES ?= "buildstats"
PATCHRESOLVE = "noop"
CONF_VERSION = "2"
INHERIT += "rm_work"
INHERIT += "toaster-recorder"
IMAGE_INSTALL:append = " htop strace"
DISTRO_FEATURES = "acl ipv4 ipv6 systemd x11"
DISTRO_FEATURES:append = " wayland"
DISTRO_FEATURES:remove = "x11"
PACKAGECONFIG:append:pn-qemu-system-native = " sdl"
SRCREV:pn-busybox = "0123456789abcdef0123456789abcdef01234567"
PREFERRED_VERSION_linux-yocto = "6.6%"
do_fetch[number_threads] = "4"
SKIP_RECIPE[busybox] ?= "replaced by toybox"
export HTTP_PROXY = "http://proxy.example.com:3128"
export NO_PROXY
NO_PROXY = "localhost"
IMAGE_FSTYPES += "wic.zst"
A_LIST = "one"
A_LIST =+ "zero"
A_LIST .= "-tail"
A_LIST =. "head-"
A_LIST:prepend = "first "
BB_NUMBER_THREADS = "8"
PARALLEL_MAKE = "-j 8"
DL_DIR ?= "${TOPDIR}/../downloads"
SSTATE_DIR ?= "${TOPDIR}/../sstate-cache"
"""

# What bitbake.conf sets before local.conf, and what a distro conf and an image recipe set
# after it: `+=` and `?=` in local.conf meet them as in a real build.
BEFORE = """\
INHERIT += "base-class"
IMAGE_INSTALL ?= "packagegroup-core-boot"
DISTRO_FEATURES ??= "default-feature"
EXTRA_IMAGE_FEATURES ??= ""
"""
AFTER = """\
IMAGE_INSTALL = "packagegroup-core-boot"
DISTRO_FEATURES:append = " distro-extra"
IMAGE_FEATURES += "${EXTRA_IMAGE_FEATURES}"
"""


def toaster(toaster_bin, db, *args):
    if not db.exists():
        out = run(toaster_bin, "--db", str(db), "owner", "add", "alice")
        assert out.returncode == 0, out.stderr
    out = run(toaster_bin, "--db", str(db), *args)
    assert out.returncode == 0, (args, out.stdout, out.stderr)
    return out


def imported_project(toaster_bin, tmp_path: pathlib.Path) -> tuple:
    """The build directory with LOCAL_CONF, imported as project `old`: its database, its
    build directory and what the import reported."""
    build = tmp_path / "old-build"
    (build / "conf").mkdir(parents=True)
    (build / "conf" / "local.conf").write_text(LOCAL_CONF)
    (build / "conf" / "bblayers.conf").write_text('BBLAYERS = ""\n')
    db = tmp_path / "toaster.sqlite"
    out = toaster(toaster_bin, db, "--json", "project", "import", "old", "--from", str(build),
                  "--dir", str(tmp_path / "old"))
    return db, tmp_path / "old" / "build", json.loads(out.stdout)


def readings(bb, tmp_path, local_conf) -> dict:
    """BitBake's variables and flags after bitbake.conf's part, `local_conf` (with what it
    includes) and the distro's and image's part; `FILE` left out (it names the file)."""
    before, after = tmp_path / "before.conf", tmp_path / "after.conf"
    before.write_text(BEFORE)
    after.write_text(AFTER)
    values, failing = bitbake_values(bb, [before, local_conf, after])
    assert not failing
    values.pop("FILE", None)
    return values


def test_an_imported_local_conf_means_to_bitbake_what_the_original_meant(bb, toaster_bin, tmp_path):
    db, build, report = imported_project(toaster_bin, tmp_path)
    original = readings(bb, tmp_path, tmp_path / "old-build" / "conf" / "local.conf")
    project = readings(bb, tmp_path, build / "conf" / "local.conf")
    assert sorted(project) == sorted(original), "the same variables and flags"
    for key, value in original.items():
        assert project[key] == value, key
    # Checked on what the test is about: each is there, as BitBake reads it.
    assert original["INHERIT"].split() == ["base-class", "rm_work", "toaster-recorder"]
    assert original["DISTRO_FEATURES"].split() == ["acl", "ipv4", "ipv6", "systemd", "wayland",
                                                   "distro-extra"]
    assert original["HTTP_PROXY[export]"] == "1" and original["NO_PROXY[export]"] == "1"
    assert original["do_fetch[number_threads]"] == "4"
    assert original["A_LIST"] == "first head-zero one-tail"
    # Nothing was left out: the report names nothing the import took.
    assert report["not_imported"] == [
        note for note in report["not_imported"] if note.startswith("CONF_VERSION")
    ], report["not_imported"]
    written = (build / "conf" / "toaster.conf").read_text() + (build / "conf" / "toaster-host.conf").read_text()
    for line in ('MACHINE ??= "qemuarm64"', 'INHERIT += "rm_work"', 'INHERIT += "toaster-recorder"',
                 'export HTTP_PROXY = "http://proxy.example.com:3128"', 'export NO_PROXY = "localhost"',
                 'do_fetch[number_threads] = "4"', 'SKIP_RECIPE[busybox] ?= "replaced by toybox"',
                 'DISTRO_FEATURES:remove = "x11"'):
        assert line + "\n" in written, line


def test_what_toaster_adds_keeps_what_local_conf_adds(bb, toaster_bin, tmp_path):
    """The issue's case: `config add INHERIT buildstats-summary` kept the user's
    `INHERIT += "toaster-recorder"` in local.conf; `config add IMAGE_INSTALL htop`
    survives the image recipe's `IMAGE_INSTALL = ...`; a hard `=` warns."""
    db = tmp_path / "toaster.sqlite"
    toaster(toaster_bin, db, "project", "create", "demo", "--dir", str(tmp_path / "demo"))
    local_conf = tmp_path / "demo" / "build" / "conf" / "local.conf"
    text = local_conf.read_text()
    local_conf.write_text('INHERIT += "toaster-recorder"\n' + text)
    toaster(toaster_bin, db, "config", "add", "demo", "INHERIT", "buildstats-summary")
    toaster(toaster_bin, db, "config", "add", "demo", "IMAGE_INSTALL", "htop")
    toaster(toaster_bin, db, "config", "remove", "demo", "DISTRO_FEATURES", "default-feature")
    values = readings(bb, tmp_path, local_conf)
    assert values["INHERIT"].split() == ["base-class", "toaster-recorder", "buildstats-summary"]
    assert values["IMAGE_INSTALL"].split() == ["packagegroup-core-boot", "htop"]
    assert values["DISTRO_FEATURES"].split() == ["distro-extra"]
    # `toaster conf eval` reads the project's files as BitBake does.
    ours = json.loads(toaster(toaster_bin, db, "conf", "eval", "--json", str(local_conf),
                              "INHERIT").stdout)["variables"]
    assert ours["INHERIT"].split() == ["toaster-recorder", "buildstats-summary"]
    history = toaster(toaster_bin, db, "project", "history", "demo").stdout
    assert 'set INHERIT += "buildstats-summary"' in history, history
    assert 'set IMAGE_INSTALL:append = " htop"' in history, history
    assert 'set DISTRO_FEATURES:remove = "default-feature"' in history, history
    hard = toaster(toaster_bin, db, "--json", "config", "set", "demo", "INHERIT", "rm_work")
    kinds = [w["kind"] for w in json.loads(hard.stdout)["warnings"]]
    assert "replaces" in kinds, hard.stdout
