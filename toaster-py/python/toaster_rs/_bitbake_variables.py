"""The variables a build used, read from BitBake's datastore when the build starts
(``BuildInit``, in the cooker), as Toaster read them at ``BuildStarted``
(``save_build_layers_and_variables``).

Which: the variables of Toaster's schema (a family such as ``PREFERRED_VERSION_*`` stands for
the names of the datastore it matches) and every variable the build directory's conf files
set (``conf/local.conf``, the ``conf/toaster.conf`` a runner writes, any conf file of
``TOPDIR/conf``) or a file given with ``bitbake -r/-R``. Functions and names beyond
:data:`MAX_NAME` bytes are left out.

Each is recorded with its value as BitBake expands it (``d.getVar(name)``; an expansion
that fails is recorded unset, with a warning), its value before expansion when that
differs, and its history (operation, file, line, flag, value) in BitBake's order, as
``bitbake -e`` prints it: the variable's own entries, then those of the overrides that
apply to it (``override[pn-busybox]:set``).

History: BitBake keeps it only while its data tracking is on. knotty and Toaster's UI ask
for it (the cooker feature ``BASEDATASTORE_TRACKING``: the base configuration is parsed with
tracking on), so the cooker's datastore has it in a normal ``bitbake`` run and in a
runner's. A user interface that does not ask leaves none; then the base configuration is
parsed once more with tracking on, into a datastore of its own, from the same files the
cooker read (its ``prefile``/``postfile``, the environment it started in), leaving the
cooker's untouched, as ``bitbake -e`` re-parses. Should that fail, the values are recorded
without history, said in the record (``history_kept`` false, and a warning).

A history longer than :data:`MAX_HISTORY` entries keeps its first ones (the recorder keeps
no more); entries are sent in runs of at most :data:`RUN_ENTRIES` (and about
:data:`RUN_BYTES`), so that no line nears the event format's 1 MiB bound.
"""

from __future__ import annotations

import os
import re
import sys
import time
from json.encoder import encode_basestring as _quote
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

#: The most history entries sent of one variable (the recorder's bound).
MAX_HISTORY = 10_000
#: History entries per line, at most; and bytes, about.
RUN_ENTRIES = 1000
RUN_BYTES = 256 * 1024
#: The longest variable name recorded (the event format's bound on names), in bytes.
MAX_NAME = 255
#: The longest file path kept in a history entry (the event format's bound), in bytes.
MAX_PATH = 4096
#: Values are cut to this many bytes of UTF-8 before they are sent, with a note (the
#: recorder keeps 64 KiB of a text).
MAX_VALUE = 64 * 1024 - 64
#: Variables whose history tells whether BitBake kept any.
_ALWAYS_SET = ("BBLAYERS", "BBPATH", "BBFILES")

Warn = Callable[[str], None]


def text(value: Any) -> str:
    """`value` as text that is valid UTF-8: bytes BitBake read undecoded (surrogate escapes)
    and stray surrogates become U+FFFD."""
    s = value if isinstance(value, str) else str(value)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        try:
            raw = s.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = s.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")


def _cut(value: str) -> str:
    """`value` cut to :data:`MAX_VALUE` bytes (on a character boundary), marked as the
    recorder marks what it cuts."""
    if len(value) <= MAX_VALUE // 4:
        return value
    raw = value.encode("utf-8")
    if len(raw) <= MAX_VALUE:
        return value
    kept = raw[:MAX_VALUE].decode("utf-8", "ignore")
    return "%s… [%d more bytes cut by toaster]" % (kept, len(raw) - len(kept.encode("utf-8")))


def _json(value: Optional[str]) -> str:
    return "null" if value is None else _quote(text(value))


def _line_number(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32 else "null"


# Where history comes from.


def _history_names(d: Any) -> List[str]:
    """The names datastore `d` keeps history of."""
    variables = d.varhistory.variables
    return list(variables.iterkeys() if hasattr(variables, "iterkeys") else variables.keys())


def has_history(d: Any) -> bool:
    """Whether datastore `d` kept history (it was parsed with BitBake's data tracking on):
    the variables every configuration sets first, else any."""
    try:
        return any(d.varhistory.variable(name) for name in _ALWAYS_SET) or any(d.varhistory.variable(name) for name in _history_names(d))
    except AttributeError:
        return False


def find_cooker() -> Any:
    """The cooker running the event handler that called this (BitBake hands handlers the
    event and its datastore only), or None outside one."""
    try:
        import bb.cooker  # type: ignore
    except ImportError:
        return None
    frame: Optional[Any] = sys._getframe(1)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, bb.cooker.BBCooker):
            return candidate
        frame = frame.f_back
    return None


def tracked_configuration(cooker: Any) -> Any:
    """The base configuration parsed again, with tracking on, from the files and
    environment the cooker parsed it from, into a datastore of its own (the cooker's
    ``CookerDataBuilder.parseConfigurationFiles`` on a copy of its builder: its
    constructor would reset BitBake's global event handlers). Its event handlers are
    already registered, so registering them again does nothing."""
    import bb.cookerdata  # type: ignore
    import bb.data  # type: ignore
    import bb.utils  # type: ignore

    source = cooker.databuilder
    base = bb.data.init()
    base.enableTracking()
    bb.data.inheritFromOS(base, source.savedenv, bb.utils.approved_variables())
    base.setVar("BB_ORIGENV", source.savedenv)
    base.setVar("__bbclasstype", "global")
    builder = object.__new__(type(source))
    builder.__dict__.update(source.__dict__)
    builder.basedata = base
    configuration = cooker.configuration
    data = builder.parseConfigurationFiles(configuration.prefile, configuration.postfile)
    data.disableTracking()
    return data


class _Quiet:
    """Keeps BitBake's messages of a second parse (its warnings about layers, say) off the
    console and out of the record: they were given once already."""

    def __enter__(self) -> "_Quiet":
        import logging

        self._level = logging.root.manager.disable
        logging.disable(logging.CRITICAL)
        return self

    def __exit__(self, *exc: Any) -> None:
        import logging

        logging.disable(self._level)


def datastore_with_history(d: Any, warn: Warn) -> Tuple[Any, bool, str]:
    """The datastore to read: `d` when it kept history, else the base configuration parsed
    again with tracking on; with whether history was kept and how it was had."""
    if has_history(d):
        return d, True, "kept by the cooker"
    cooker = find_cooker()
    if cooker is None:  # the recorder says, for every variable, that it has no history
        return d, False, "none kept, and no cooker to read the configuration again"
    try:
        with _Quiet():
            tracked = tracked_configuration(cooker)
    except BaseException as error:  # bb.fatal raises SystemExit-like exceptions
        if isinstance(error, KeyboardInterrupt):
            raise
        warn("the history of this build's variables is not recorded: reading the configuration again with BitBake's data tracking on failed (%s: %s)" % (type(error).__name__, error))
        return d, False, "none"
    return tracked, True, "configuration read again with tracking on"


# Which variables.


def _family(pattern: str) -> "re.Pattern[str]":
    """A schema family (``*`` stands for one character or more) as a regular expression."""
    return re.compile("^" + ".+".join(re.escape(part) for part in pattern.split("*")) + "$")


def schema_names(schema: Dict[str, Any]) -> Tuple[List[str], List["re.Pattern[str]"]]:
    """The plain names and the families of a schema (``Toaster.schema()``); flags
    (``SKIP_RECIPE[*]``) are left out."""
    plain: List[str] = []
    families: List["re.Pattern[str]"] = []
    for spec in schema.get("variables", []):
        name = spec.get("name") if isinstance(spec, dict) else None
        if not isinstance(name, str) or "[" in name:
            continue
        if "*" in name:
            families.append(_family(name))
        else:
            plain.append(name)
    return plain, families


def _conf_files(d: Any, cooker: Any) -> Tuple[str, Set[str]]:
    """The build directory's conf directory, and the files given with -r/-R."""
    topdir = d.getVar("TOPDIR") or os.getcwd()
    given: Set[str] = set()
    configuration = getattr(cooker, "configuration", None)
    for name in ("prefile", "postfile"):
        for path in getattr(configuration, name, None) or ():
            given.add(os.path.abspath(os.path.join(topdir, path)))
    return os.path.join(os.path.abspath(topdir), "conf") + os.sep, given


def project_names(d: Any, conf_dir: str, given: Set[str]) -> Set[str]:
    """The variables a file of the build's conf directory, or one given with -r/-R, sets
    (not only a flag of), from their history."""
    names: Set[str] = set()
    for name in _history_names(d):
        for entry in d.varhistory.variable(name):
            file = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(file, str) and "flag" not in entry and (file.startswith(conf_dir) or file in given):
                names.add(name)
                break
    return names


_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z0-9_./+${}-]+(?::[A-Za-z0-9_./+${}-]+)*)\s*(?:\?\?=|\?=|:=|\+=|=\+|\.=|=\.|=)")


def assigned_names(paths: Iterable[str]) -> Set[str]:
    """The names assigned in conf files, read as text (without history to tell): each
    left-hand side without its ``:append``/``:prepend``/``:remove``."""
    names: Set[str] = set()
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as file:
                for line in file:
                    found = _ASSIGNMENT.match(line)
                    if found:
                        name = re.sub(r":(append|prepend|remove)$", "", found.group(1))
                        names.add(name)
        except OSError:
            continue
    return names


def chosen_names(d: Any, schema: Optional[Dict[str, Any]], cooker: Any, kept: bool) -> List[str]:
    """The names to record, sorted: the schema's (families matched against the datastore's
    names) and those the build directory's conf files set."""
    keys = [k for k in d.keys() if isinstance(k, str) and not k.startswith("__")]
    present = set(keys)
    plain, families = schema_names(schema or {})
    names = {name for name in plain if name in present}
    if families:
        names.update(k for k in keys if any(f.match(k) for f in families))
    conf_dir, given = _conf_files(d, cooker)
    if kept:
        names.update(project_names(d, conf_dir, given))
    else:
        files = [os.path.join(conf_dir, n) for n in ("local.conf", "toaster.conf", "site.conf", "auto.conf")]
        names.update(n for n in assigned_names(files + sorted(given)) if n in present)
    return sorted(names)


# The lines.


def history_of(d: Any, name: str) -> List[Dict[str, Any]]:
    """A variable's history as ``bitbake -e`` prints it: its own entries, then those of the
    overrides that apply to it, each operation named ``override[OVERRIDE]:OP``."""
    history = [dict(entry) for entry in d.varhistory.variable(name) if isinstance(entry, dict)]
    overrides = getattr(d, "overridedata", {}) or {}
    if name in overrides:
        for (other, override) in overrides[name]:
            for entry in d.varhistory.variable(other):
                if not isinstance(entry, dict):
                    continue
                flag = entry.get("flag")
                if flag and not str(flag).startswith(("_", ":")):
                    continue
                entry = dict(entry)
                entry["op"] = "override[%s]:%s" % (override, entry.get("op") or "set")
                history.append(entry)
    return history


def _entry(entry: Dict[str, Any]) -> str:
    operation = text(entry.get("op") or "set")[:MAX_NAME]
    file = entry.get("file")
    file = text(file) if isinstance(file, str) and file and len(file.encode("utf-8", "replace")) <= MAX_PATH else None
    flag = entry.get("flag")
    flag_part = ',"flag":%s' % _quote(text(flag)[:MAX_NAME]) if flag else ""
    detail = entry.get("detail")
    value = None if detail is None else _cut(text(detail))
    return '{"operation":%s,"file":%s,"line":%s%s,"value":%s}' % (
        _quote(operation), _json(file), _line_number(entry.get("line")), flag_part, _json(value)
    )


def history_lines(name: str, history: Sequence[Dict[str, Any]]) -> Iterator[str]:
    """The ``variable_history`` lines of a history: its first :data:`MAX_HISTORY` entries,
    in runs."""
    quoted = _quote(name)
    run: List[str] = []
    first, size = 0, 0
    for number, entry in enumerate(history[:MAX_HISTORY]):
        piece = _entry(entry)
        if run and (len(run) >= RUN_ENTRIES or size + len(piece) > RUN_BYTES):
            yield '{"event":"variable_history","name":%s,"first":%d,"changes":[%s]}' % (quoted, first, ",".join(run))
            run, first, size = [], number, 0
        run.append(piece)
        size += len(piece)
    if run:
        yield '{"event":"variable_history","name":%s,"first":%d,"changes":[%s]}' % (quoted, first, ",".join(run))


def variable_lines(d: Any, name: str, kept: bool, warn: Warn) -> List[str]:
    """The lines of one variable: its value, then its history (when kept). A function, or a
    name BitBake holds something else than text under, gives none."""
    if d.getVarFlag(name, "func", False):
        return []
    raw = d.getVar(name, False)
    if raw is not None and not isinstance(raw, str):
        return []
    try:
        value = d.getVar(name)
    except Exception as error:  # an expansion error: recorded unset, with what it was
        warn("variable %s: its value could not be expanded (%s); recorded unset, with its value before expansion" % (name, str(error).splitlines()[0] if str(error) else type(error).__name__))
        value = None
    unexpanded = raw if raw is not None and raw != value else None
    if value is not None and len(text(value).encode("utf-8")) > MAX_VALUE:
        warn("the value of variable %s is %d bytes long; its first %d are recorded" % (name, len(text(value).encode("utf-8")), MAX_VALUE))
    value = None if value is None else _cut(text(value))
    line = '{"event":"variable","name":%s,"value":%s' % (_quote(name), _json(value))
    if unexpanded is not None:
        line += ',"unexpanded":%s' % _json(_cut(text(unexpanded)))
    if not kept:
        line += ',"history_kept":false'
    lines = [line + "}"]
    if kept:
        lines.extend(history_lines(name, history_of(d, name)))
    return lines


def read_variables(d: Any, schema: Optional[Dict[str, Any]], warn: Warn, emit: Callable[[List[str]], None]) -> Tuple[int, str, float]:
    """Reads the build's variables from the cooker's datastore `d` and hands their lines to
    `emit` (variable by variable); returns how many, where their history came from, and the
    seconds it took. Never raises for one variable: it is left out, with a warning."""
    started = time.monotonic()
    source, kept, how = datastore_with_history(d, warn)
    try:
        import bb.fetch2  # type: ignore

        autorev = bb.fetch2.get_autorev
        # As Toaster does: expanding SRCREV must not ask remote repositories.
        bb.fetch2.get_autorev = lambda d, *a, **k: "AUTOINC"
    except (ImportError, AttributeError):
        autorev = None
    count = 0
    try:
        for name in chosen_names(source, schema, find_cooker(), kept):
            if len(name.encode("utf-8", "replace")) > MAX_NAME:
                warn("variable %s… is not recorded: its name is longer than %d bytes" % (name[:40], MAX_NAME))
                continue
            try:
                lines = variable_lines(source, text(name), kept, warn)
            except Exception as error:
                warn("variable %s is not recorded (%s: %s)" % (name, type(error).__name__, error))
                continue
            if lines:
                count += 1
                emit(lines)
    finally:
        if autorev is not None:
            bb.fetch2.get_autorev = autorev
    return count, how, time.monotonic() - started
