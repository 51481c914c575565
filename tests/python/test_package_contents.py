"""Packages and images from openembedded-core's toaster class, through BitBake's own event
classes: ``SinglePackageInfo`` (relations, ``FILES_INFO``) and ``ImagePkgList`` (installed
packages with their edges, the image's file listing) mapped to event lines, recorded, and
read back from Python; odd input (undecodable and multi-line names, a broken listing entry,
an older class's event without file data) recorded as far as it makes sense, with warnings."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, List

import toaster_rs
from toaster_rs._bitbake_events import LOG_LEVELS, EventMapper, Layers

IMAGE = "core-image-minimal"


def package_info(name: str, size: int, **more: Any) -> Dict[str, Any]:
    """A package's pkgdata as toaster.bbclass's _toaster_load_pkgdatafile reads it."""
    info: Dict[str, Any] = {"PN": "busybox", "PKG": name, "PKGV": "1.36.1", "PKGR": "r0", "PKGSIZE": str(size), "RDEPENDS": "libc6 (>= 2.39)"}
    info.update(more)
    return info


def mapped(bb: Any, events: List[Any]) -> List[Dict[str, Any]]:
    mapper = EventMapper(Layers([]), LOG_LEVELS["warning"])
    for event in events:
        assert mapper.map(event)
    return [json.loads(line) for line in mapper.lines]


def record(database: pathlib.Path, tmp_path: pathlib.Path, lines: List[Dict[str, Any]]) -> int:
    header = {"format": "toaster-events", "version": 1, "build": {"project": "demo", "host": "farm7", "build_dir": "/srv/build", "started_at": 1795765414000}}
    log = tmp_path / "events.jsonl"
    ended = {"event": "build_completed", "state": "succeeded", "at": 1795765500000}
    log.write_text("".join(json.dumps(line) + "\n" for line in [header, *lines, ended]))
    with toaster_rs.Toaster.open(database) as db:
        imported = db.act_as("alice").import_events(log)
        assert imported["skipped"] == [], imported
        return int(imported["build"]["id"])


def test_packages_and_an_image_are_recorded_from_the_toaster_class_events(bb: Any, database: pathlib.Path, tmp_path: pathlib.Path) -> None:
    files = {"/bin/busybox": 4000, "/etc/busybox.links": "12", "/etc/odd\udcffname": 3, "/etc/two\nlines": 1}
    busybox = package_info("busybox", 4096, RRECOMMENDS="busybox-syslog (>= 1.36) busybox-udhcpc", RPROVIDES="sh", FILES_INFO=files)
    syslog = package_info("busybox-syslog", 512, FILES_INFO=json.dumps({"/etc/syslog.conf": 40}))
    imgdata = {
        IMAGE: {
            "packagegroup-core-boot": {"size": 0, "depends": [("busybox", "depends"), ("base-files", "depends")]},
            "busybox": {"size": 4096, "depends": [("libc6", "depends"), ("busybox-syslog", "recommends"), ("/bin/sh", "depends")]},
            "busybox-syslog": {"size": 512, "depends": [("busybox", "depends")]},
            "base-files": {"size": 1024, "depends": []},
            "libc6": {"size": 2048, "depends": []},
        }
    }
    filedata = {
        IMAGE: {
            "dirs": [["drwxr-xr-x", "root", "root", "4096", "./bin"], ["drwxr-xr-x", "root", "root", "4096", "."]],
            "files": [["-rwxr-xr-x", "root", "root", "4000", "./bin/busybox"], ["-rw-r--r--", "root"]],
            "syms": [["lrwxrwxrwx", "root", "root", "7", "./bin/sh", "->", "busybox"]],
        }
    }
    lines = mapped(
        bb,
        [
            bb.event.MetadataEvent("SinglePackageInfo", busybox),
            bb.event.MetadataEvent("SinglePackageInfo", syslog),
            bb.event.MetadataEvent("ImagePkgList", {"pkgdata": {"base-files": package_info("base-files", 1024)}, "imgdata": imgdata, "filedata": filedata}),
        ],
    )
    kinds = [line["event"] for line in lines]
    assert kinds.count("package") == 3 and kinds.count("package_files") == 2, kinds
    assert lines[0]["relations"] == {"rrecommends": ["busybox-syslog", "busybox-udhcpc"], "rprovides": ["sh"]}
    warnings = [line["text"] for line in lines if line["event"] == "log"]
    assert any("U+FFFD" in w for w in warnings), warnings
    assert any("1 entries of its file listing" in w for w in warnings), warnings

    build = record(database, tmp_path, lines)
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        [first, *_] = alice.packages(build)
        assert first["relations"]["rprovides"] == ["sh"]
        paths = [f["path"] for f in alice.package_files(build, "busybox")]
        assert paths == ["/bin/busybox", "/etc/busybox.links", "/etc/odd\ufffdname", "/etc/two\nlines"]
        assert alice.package_files(build, "busybox-syslog") == [{"path": "/etc/syslog.conf", "size": 40}]
        installed = {p["name"]: p for p in alice.image_packages(build, IMAGE)}
        assert installed["busybox"]["depends"] == {"depends": ["/bin/sh", "libc6"], "recommends": ["busybox-syslog"]}
        why = alice.package_why(build, IMAGE, "busybox-syslog")
        assert [(step["package"], step["kind"]) for step in why] == [
            ("packagegroup-core-boot", None),
            ("busybox", "depends"),
            ("busybox-syslog", "recommends"),
        ]
        listing = alice.image_files(build, IMAGE)
        assert [(f["path"], f["type"], f["link"]) for f in listing["files"]] == [
            ("/", "dir", None),
            ("/bin", "dir", None),
            ("/bin/busybox", "file", None),
            ("/bin/sh", "symlink", "busybox"),
        ]
        assert listing["total_size"] == 4000
        [image] = alice.images(build)
        assert (image["packages"], image["files"], image["size"]) == (5, 4, 4000)


def test_an_older_toaster_class_without_file_data_records_the_installed_packages(bb: Any, database: pathlib.Path, tmp_path: pathlib.Path) -> None:
    older = {"pkgdata": {}, "imgdata": {IMAGE: {"busybox": {"depends": []}, "libc6": "not a dict"}}}
    lines = mapped(bb, [bb.event.MetadataEvent("ImagePkgList", older), bb.event.MetadataEvent("ImagePkgList", {"pkgdata": {}})])
    assert [line["event"] for line in lines] == ["image_packages", "log"]
    assert "without its installed packages" in lines[1]["text"]
    build = record(database, tmp_path, lines)
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        assert [(p["name"], p["size"]) for p in alice.image_packages(build, IMAGE)] == [("busybox", 0), ("libc6", 0)]
        assert alice.image_files(build, IMAGE)["files"] == []
