"""Packages and an image from a real ``bitbake`` run of a toy layer whose ``toaster`` class
stands in for openembedded-core's: its recipes write real files, fire ``SinglePackageInfo``
from them in the worker, and write a buildhistory-like listing of the image that the class
sends as ``ImagePkgList`` at ``BuildCompleted``, parsed as openembedded-core parses it.
Every fact is read back through the ``toaster`` command, Python and (through both) Rust."""

from __future__ import annotations

import json
import pathlib

import toaster_rs
import toy_bitbake
from conftest import run, run_cli

#: The stand-in for openembedded-core's toaster.bbclass (the recorder inherits `toaster` when
#: a layer has it): the image's buildhistory sent at the build's end, as the real class does.
TOASTER_CLASS = r'''
addhandler toy_toaster_buildhistory_dump
toy_toaster_buildhistory_dump[eventmask] = "bb.event.BuildCompleted"
python toy_toaster_buildhistory_dump() {
    import os, re
    base = e.data.expand("${TOPDIR}/buildhistory/images")
    images, files, allpkgs = {}, {}, {}
    for target in e._pkgs:
        target = target.split(':')[0]
        path = os.path.join(base, target)
        if not os.path.exists(path):
            continue
        images[target], files[target] = {}, {'dirs': [], 'syms': [], 'files': []}
        with open(os.path.join(path, "installed-package-sizes.txt")) as fin:
            for line in fin:
                psize, punit, pname = line.rstrip(";").split()
                images[target][pname.strip()] = {'size': int(psize) * 1024, 'depends': []}
        pattern = re.compile(r'\s*"(?P<name>[^"]+)"\s*->\s*"(?P<dep>[^"]+)"(?P<rec>.*?\[style=dotted\])?')
        with open(os.path.join(path, "depends.dot")) as fin:
            for line in fin:
                m = pattern.match(line)
                if m:
                    kind = 'recommends' if m.group('rec') else 'depends'
                    images[target][m.group('name')]['depends'].append((m.group('dep'), kind))
        with open(os.path.join(path, "files-in-image.txt")) as fin:
            for line in fin:
                fields = [x for x in line.strip().split(" ") if x]
                key = 'syms' if fields[0].startswith('l') else 'dirs' if fields[0].startswith('d') else 'files'
                files[target][key].append(fields)
    bb.event.fire(bb.event.MetadataEvent("ImagePkgList", {'pkgdata': allpkgs, 'imgdata': images, 'filedata': files}), e.data)
}
'''

#: A package step: writes the package's files under ${TOPDIR}/packages/PKG and sends what
#: toaster.bbclass reads of its pkgdata (FILES_INFO from the files' real sizes).
PACKAGE_STEP = r'''
python do_build() {
    import os
    root = d.expand("${TOPDIR}/packages/${PN}")
    for path, text in %(files)r.items():
        full = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    files = {}
    for top, _, names in os.walk(root):
        for name in names:
            full = os.path.join(top, name)
            files["/" + os.path.relpath(full, root)] = os.path.getsize(full)
    info = {"PKG": d.getVar("PN"), "PN": d.getVar("PN"), "PKGV": "1.0", "PKGR": "r0",
            "PKGSIZE": str(sum(files.values())), "RDEPENDS": %(rdepends)r, "RRECOMMENDS": %(rrecommends)r,
            "FILES_INFO": files}
    bb.event.fire(bb.event.MetadataEvent("SinglePackageInfo", info), d)
}
addtask build
'''

#: The image: its packages' files copied into a root, and buildhistory's three files
#: written from it (sizes in KiB, the dependency graph, the `ls -l`-like listing).
IMAGE = r'''
LICENSE = "MIT"
python do_build() {
    import os, shutil, stat
    packages = d.expand("${TOPDIR}/packages")
    rootfs = d.expand("${WORKDIR}/rootfs")
    shutil.rmtree(rootfs, ignore_errors=True)
    sizes = {}
    for package in ("greeting", "libgreet"):
        shutil.copytree(os.path.join(packages, package), rootfs, dirs_exist_ok=True)
        total = sum(os.path.getsize(os.path.join(t, n)) for t, _, ns in os.walk(os.path.join(packages, package)) for n in ns)
        sizes[package] = total
    os.symlink("greet", os.path.join(rootfs, "usr/bin/hello"))
    history = d.expand("${TOPDIR}/buildhistory/images/${PN}")
    os.makedirs(history, exist_ok=True)
    with open(os.path.join(history, "installed-package-sizes.txt"), "w") as f:
        for package, size in sorted(sizes.items()):
            f.write("%d KiB %s\n" % ((size + 1023) // 1024, package))
    with open(os.path.join(history, "depends.dot"), "w") as f:
        f.write('digraph depends {\n"greeting" -> "libgreet"\n"greeting" -> "libgreet" [style=dotted]\n}\n')
    with open(os.path.join(history, "files-in-image.txt"), "w") as f:
        for top, dirs, names in os.walk(rootfs):
            for name in sorted(dirs + names):
                full = os.path.join(top, name)
                info = os.lstat(full)
                line = "%s root root %d .%s" % (stat.filemode(info.st_mode), info.st_size, "/" + os.path.relpath(full, rootfs))
                if os.path.islink(full):
                    line += " -> " + os.readlink(full)
                f.write(line + "\n")
}
addtask build
do_build[depends] = "greeting:do_build libgreet:do_build"
'''


def package_recipe(files: dict, rdepends: str = "", rrecommends: str = "") -> str:
    return 'LICENSE = "MIT"\n' + PACKAGE_STEP % {"files": files, "rdepends": rdepends, "rrecommends": rrecommends}


def test_a_real_build_records_packages_files_and_the_image(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path, database: pathlib.Path, toaster_bin: pathlib.Path) -> None:
    run_cli(database, "owner", "use", "alice")
    core = toy_bitbake.core_layer(tmp_path, bitbake_dir)
    recipes = {
        "greeting_1.0.bb": package_recipe({"/usr/bin/greet": "#!/bin/sh\necho hello\n" * 10, "/usr/share/greeting/words": "hi\n"}, "libgreet (>= 1.0)", "greeting-doc"),
        "libgreet_1.0.bb": package_recipe({"/usr/lib/libgreet.so.1": "x" * 3000}),
        "toyimage_1.0.bb": IMAGE,
    }
    layer = toy_bitbake.toy_layer(tmp_path, "toy", recipes)
    (layer / "classes").mkdir()
    (layer / "classes" / "toaster.bbclass").write_text(TOASTER_CLASS)
    built = toy_bitbake.BuildDir(tmp_path / "build", bitbake_dir, [core, layer], database).run("toyimage")
    assert built.returncode == 0, built.stdout
    [build] = [str(b["id"]) for b in json.loads(run_cli(database, "build", "list", "--all"))]

    packages = {p["name"]: p for p in json.loads(run_cli(database, "build", "packages", build))}
    assert set(packages) == {"greeting", "libgreet"}, packages
    assert packages["greeting"]["depends"] == ["libgreet"]
    assert packages["greeting"]["relations"] == {"rrecommends": ["greeting-doc"]}
    assert packages["libgreet"]["size"] == 3000

    installed = json.loads(run_cli(database, "build", "packages", build, "--in-image", "toyimage"))
    assert [(p["name"], p["size"]) for p in installed] == [("greeting", 1024), ("libgreet", 3072)]
    assert installed[0]["depends"] == {"depends": ["libgreet"], "recommends": ["libgreet"]}
    why = json.loads(run_cli(database, "build", "packages", build, "--in-image", "toyimage", "--why", "libgreet"))
    assert why == [{"package": "greeting", "kind": None}, {"package": "libgreet", "kind": "depends"}]

    listing = json.loads(run_cli(database, "build", "files", build, "toyimage", "--under", "/usr/bin"))
    entries = {f["path"]: f for f in listing["files"]}
    assert entries["/usr/bin/greet"]["size"] == len("#!/bin/sh\necho hello\n" * 10)
    assert (entries["/usr/bin/hello"]["type"], entries["/usr/bin/hello"]["link"]) == ("symlink", "greet")
    largest = json.loads(run_cli(database, "build", "files", build, "toyimage", "--largest", "1"))
    assert largest["files"][0]["path"] == "/usr/lib/libgreet.so.1"
    shown = run(toaster_bin, "--db", str(database), "--as", "alice", "build", "packages", build, "--in-image", "toyimage", "--why", "libgreet")
    assert "depends of greeting" in shown.stdout, shown.stdout

    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        files = alice.package_files(int(build), "greeting")
        assert [f["path"] for f in files] == ["/usr/bin/greet", "/usr/share/greeting/words"]
        assert files[1]["size"] == 3
        [image] = alice.images(int(build))
        assert image["target"] == "toyimage" and image["packages"] == 2
        assert image["size"] == sum(f["size"] for f in alice.image_files(int(build), "toyimage")["files"] if f["type"] == "file")
