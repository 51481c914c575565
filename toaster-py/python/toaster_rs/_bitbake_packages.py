"""Packages and images in Toaster's words: the event-log lines of what openembedded-core's
``toaster.bbclass`` sends about them.

- ``SinglePackageInfo`` (a package's pkgdata, keys without their ``:PKG`` suffix): the
  package line gains ``relations`` (``RRECOMMENDS``, ``RSUGGESTS``, ``RPROVIDES``,
  ``RREPLACES``, ``RCONFLICTS``, names only), and ``FILES_INFO`` (path -> size) becomes
  ``package_files`` lines.
- ``ImagePkgList`` (from the image's buildhistory): per image target, ``imgdata`` (each
  installed package's installed size and its ``depends``/``recommends`` edges) becomes
  ``image_packages`` lines, and ``filedata`` (``files-in-image.txt`` split: mode, owner,
  group, size, ``./path`` [, ``->``, link target]) ``image_files`` lines.

Long lists go in runs of at most :data:`RUN` entries. Text that is not valid UTF-8 is made so
(U+FFFD), with one warning per event. Fields an older openembedded-core leaves out are left
out here too; an entry that makes no sense is skipped, with a warning; nothing raises.
"""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring as _quote
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from toaster_rs._bitbake_variables import text

#: Entries per line, at most (the recorder takes up to 10,000; lines stay far below 1 MiB).
RUN = 1000

#: The pkgdata keys of a package's relations other than RDEPENDS, and their names in lines.
RELATIONS: Tuple[Tuple[str, str], ...] = (
    ("RRECOMMENDS", "rrecommends"),
    ("RSUGGESTS", "rsuggests"),
    ("RPROVIDES", "rprovides"),
    ("RREPLACES", "rreplaces"),
    ("RCONFLICTS", "rconflicts"),
)

_VERSION_CONSTRAINT = re.compile(r"\([^)]*\)")
_TYPES = {"-": "file", "d": "dir", "l": "symlink"}

Warn = Callable[[str], None]


class _Text:
    """Makes text valid UTF-8, remembering whether anything had to change."""

    def __init__(self) -> None:
        self.replaced = False

    def __call__(self, value: Any) -> str:
        made = text(value)
        if made != value and isinstance(value, str):
            self.replaced = True
        return made


def names(value: Any) -> List[str]:
    """Package names of a dependency-style value (``a (>= 1.0) b``), without versions."""
    if not isinstance(value, str):
        return []
    listed: str = _VERSION_CONSTRAINT.sub(" ", value) if "(" in value else value
    return listed.split()


def relations(info: Dict[str, Any]) -> str:
    """The ``,"relations":{…}`` part of a package line (empty when it names none)."""
    parts = []
    for key, kind in RELATIONS:
        listed = names(info.get(key))
        if listed:
            parts.append('"%s":[%s]' % (kind, ",".join(_quote(text(n)) for n in listed)))
    return ',"relations":{%s}' % ",".join(parts) if parts else ""


def _runs(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), RUN):
        yield items[start : start + RUN]


def _size(value: Any) -> Optional[int]:
    try:
        size = int(value)
    except (TypeError, ValueError):
        return None
    return size if size >= 0 else None


def package_files(package: str, info: Dict[str, Any], warn: Warn) -> List[str]:
    """The ``package_files`` lines of a package's ``FILES_INFO`` (path -> size)."""
    files = info.get("FILES_INFO")
    if files is None:
        return []
    if isinstance(files, str):
        try:
            files = json.loads(files)
        except ValueError:
            files = None
    if not isinstance(files, dict):
        warn("package %s: its FILES_INFO is not a listing of paths and sizes; its files are not recorded" % package)
        return []
    clean = _Text()
    entries = []
    for path, size in sorted(files.items(), key=lambda item: str(item[0])):
        entries.append('{"path":%s,"size":%d}' % (_quote(clean(path)), _size(size) or 0))
    if clean.replaced:
        warn("package %s: file names that are not valid UTF-8 are recorded with U+FFFD in place of the bytes" % package)
    return [
        '{"event":"package_files","package":%s,"files":[%s]}' % (_quote(package), ",".join(run))
        for run in _runs(entries)
    ]


def _image_packages(target: str, installed: Dict[str, Any], warn: Warn) -> List[str]:
    clean = _Text()
    entries = []
    for name in sorted(installed, key=str):
        facts = installed[name] if isinstance(installed[name], dict) else {}
        edges = []
        for edge in facts.get("depends") or ():
            try:
                dep, kind = edge[0], edge[1]
            except (IndexError, TypeError, KeyError):
                continue
            if kind in ("depends", "recommends"):
                edges.append('{"name":%s,"kind":"%s"}' % (_quote(clean(dep)), kind))
        entries.append(
            '{"name":%s,"size":%d,"depends":[%s]}' % (_quote(clean(name)), _size(facts.get("size")) or 0, ",".join(edges))
        )
    if clean.replaced:
        warn("image %s: package names that are not valid UTF-8 are recorded with U+FFFD in place of the bytes" % target)
    return [
        '{"event":"image_packages","target":%s,"packages":[%s]}' % (_quote(target), ",".join(run))
        for run in _runs(entries)
    ]


def _file_entry(fields: Any, clean: _Text) -> Optional[str]:
    """One ``files-in-image.txt`` line split (mode, owner, group, size, path [, ->, link])."""
    if not isinstance(fields, (list, tuple)) or len(fields) < 5:
        return None
    mode, owner, group, size, path = (str(f) for f in fields[:5])
    if path.startswith("./"):
        path = path[1:]
    elif path == ".":
        path = "/"
    kind = _TYPES.get(mode[:1], "other")
    link = ""
    if kind == "symlink" and len(fields) >= 7 and fields[5] == "->":
        link = ',"link":%s' % _quote(clean(" ".join(str(f) for f in fields[6:])))
    return '{"path":%s,"size":%d,"type":"%s","mode":%s,"owner":%s,"group":%s%s}' % (
        _quote(clean(path)),
        _size(size) or 0,
        kind,
        _quote(clean(mode)),
        _quote(clean(owner)),
        _quote(clean(group)),
        link,
    )


def _image_files(target: str, listing: Dict[str, Any], warn: Warn) -> List[str]:
    clean = _Text()
    entries = []
    skipped = 0
    for key in ("dirs", "files", "syms"):
        for fields in listing.get(key) or ():
            entry = _file_entry(fields, clean)
            if entry is None:
                skipped += 1
            else:
                entries.append(entry)
    if skipped:
        warn("image %s: %d entries of its file listing are not mode, owner, group, size and path; they are not recorded" % (target, skipped))
    if clean.replaced:
        warn("image %s: file names that are not valid UTF-8 are recorded with U+FFFD in place of the bytes" % target)
    return [
        '{"event":"image_files","target":%s,"files":[%s]}' % (_quote(target), ",".join(run))
        for run in _runs(entries)
    ]


def image_lines(data: Dict[str, Any], warn: Warn) -> Iterable[str]:
    """The ``image_packages`` and ``image_files`` lines of an ``ImagePkgList`` event's data."""
    images = data.get("imgdata")
    if not isinstance(images, dict):
        warn("an image package list came without its installed packages (imgdata); the image's contents are not recorded")
        images = {}
    files = data.get("filedata")
    files = files if isinstance(files, dict) else {}
    lines: List[str] = []
    for target in sorted(set(images) | set(files), key=str):
        name = text(target)
        installed = images.get(target)
        if isinstance(installed, dict):
            lines.extend(_image_packages(name, installed, warn))
        listing = files.get(target)
        if isinstance(listing, dict):
            lines.extend(_image_files(name, listing, warn))
    return lines
