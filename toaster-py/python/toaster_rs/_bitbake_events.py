"""BitBake's events in Toaster's words: one build's events mapped to event-log JSON lines.

The :class:`EventMapper` sees every event of one build exactly once, in the cooker (the
BitBake server process): the cooker's own events as it fires them, the workers' events as
the cooker reads them from the worker pipes, and log records. It keeps what it needs to put
the pieces of a task together (the recipe of a task file, the log file and process of a
running task) and writes each fact once:

- a task's start, from ``runQueueTaskStarted`` (cooker);
- a task's end, from ``runQueueTaskCompleted`` / ``runQueueTaskFailed`` /
  ``runQueueTaskSkipped`` / ``sceneQueueTaskCompleted`` / ``sceneQueueTaskFailed``
  (cooker), with the log file its worker reported in ``TaskStarted``, which records
  nothing alone (the worker's ``TaskSucceeded`` / ``TaskFailed`` / ``TaskFailedSilent``
  repeat what the cooker's events say, and are not taken);
- recipes, and which task waits for which (its ``tdepends``), from ``DepTreeGenerated``
  (the run queue fires it in every build, before the first task; cooker); from the same
  tree, which recipe needs which at build time (``depends``) and run time (``rdepends-pn``),
  resolved through the names recipes provide (``providermap``, recorded as providers) and
  their packages (``packages``), and the recipes' licence, summary, section and homepage
  when BitBake's extra recipe caches are on;
- what each task's end says beyond its outcome: whether it ran in a worker, its script type
  (``python`` or ``shell``, from the ``python`` flag its worker's ``TaskStarted`` carries)
  and the shared-state result: ``restored`` (its setscene task restored it), ``failed``
  (its setscene task failed, so it ran), ``miss`` (openembedded-core's ``MissedSstate``
  metadata event named it) or ``na``;
- packages, from the ``SinglePackageInfo`` (worker) and ``ImagePkgList`` (cooker)
  metadata events of openembedded-core's ``toaster.bbclass``, each package once, with its
  relations and files; and each image's installed packages and file listing (see
  :mod:`toaster_rs._bitbake_packages`);
- task CPU time and I/O, from its ``BuildStatsList``;
- log records at or above the chosen level, ``NoProvider``, and the task failures the
  console reports;
- artifacts: files the build made or read, each as a directory of the build
  (:class:`BuildDirs`: ``DEPLOY_DIR_IMAGE``, ``DEPLOY_DIR``, ``TMPDIR`` or ``TOPDIR``, the
  innermost that holds it), its place inside it and its name in the build. They come from
  the ``TaskArtifacts`` metadata events of ``toaster.bbclass`` (regular files only, not
  links; a file in none of those directories is left out, with a note) and, at the build's
  end (:meth:`EventMapper.end_artifacts`), from a look at the files themselves: the regular
  files in ``DEPLOY_DIR_IMAGE`` changed since the build started, the conf files of the build
  directory the build read (``BBINCLUDED``), and the log files of the tasks that failed
  (named ``logs/RECIPE/log.do_TASK.PID``).

The recorder (in Rust) measures each artifact's size and SHA-256 itself, reading inside its
directory only (a link that leads out is refused, with a warning); the lines carry neither.

Nothing here does I/O on the database; lines go to :attr:`EventMapper.lines`. The only I/O
is on the build's files: whether a file the build names is a regular file, and the look at
the end.
"""

from __future__ import annotations

import os
import re
from json.encoder import encode_basestring as _quote
from time import time as _time
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from toaster_rs import _bitbake_packages as packages

#: Log levels by name, as BitBake numbers them (``bb.msg.BBLogFormatter``: the "once"
#: variants of warnings and errors sit one below their level).
LOG_LEVELS: Dict[str, int] = {
    "debug": 1,
    "note": 20,
    "warning": 29,
    "error": 39,
    "critical": 50,
}

#: The events the mapper takes, by ``module.Class`` as BitBake's event filter names them.
#: Log records are not in it: they pass BitBake's filter by their level.
EVENTS: Tuple[str, ...] = (
    "bb.event.BuildCompleted",
    "bb.event.DepTreeGenerated",
    "bb.event.MetadataEvent",
    "bb.event.NoProvider",
    "bb.runqueue.runQueueTaskStarted",
    "bb.runqueue.runQueueTaskCompleted",
    "bb.runqueue.runQueueTaskFailed",
    "bb.runqueue.runQueueTaskSkipped",
    "bb.runqueue.sceneQueueTaskCompleted",
    "bb.runqueue.sceneQueueTaskFailed",
    "bb.build.TaskStarted",
)

#: The outcome of a task skipped for each reason BitBake gives.
_SKIPPED = {"covered": "covered", "existing": "prebuilt"}

#: Layer directory names that the layer index knows by another name.
_LAYER_NAMES = {"meta": "openembedded-core"}

#: The recipe details BitBake's extra recipe caches put in the dependency tree, and their
#: names in Toaster's events.
_RECIPE_DETAILS = (("license", "licence"), ("summary", "summary"), ("section", "section"), ("homepage", "homepage"))

_SETSCENE = "_setscene"
_NULL = "null"
_VERSION_CONSTRAINT = re.compile(r"\([^)]*\)")

#: Files of ``DEPLOY_DIR_IMAGE`` recorded at a build's end, at most; and entries looked at.
MAX_DEPLOYED_FILES = 10_000
MAX_DEPLOY_ENTRIES = 100_000
#: How long before the build's start a file may have changed and still count as the build's
#: (clocks and file systems with coarse times), in seconds.
CLOCK_SLACK = 2.0

#: Image types (the last part of an image's name, after compression suffixes are taken off).
_IMAGE_TYPES = frozenset(
    "wic ext2 ext3 ext4 btrfs squashfs squashfs-xz squashfs-lzo squashfs-lz4 squashfs-zst "
    "cramfs jffs2 jffs2.sum ubi ubifs multiubi cpio tar vmdk vdi qcow2 vhd vhdx hddimg "
    "hdddirect iso img sdimg rpi-sdimg f2fs erofs erofs-lz4 erofs-lz4hc elf container".split()
)
#: Suffixes that wrap an image (compressions, checksums, a block map) and keep it an image.
_IMAGE_WRAPPERS = frozenset(
    "gz bz2 xz lz4 lzo lzma zst zip 7z sum bmap md5sum sha1sum sha224sum sha256sum sha384sum "
    "sha512sum u-boot verity".split()
)
#: Companion files of an image, by the end of their name.
_IMAGE_COMPANIONS = (".qemuboot.conf", ".testdata.json")
#: Kernels, their modules and device trees, by the start or end of their name.
_KERNEL_PREFIXES = ("bzImage", "zImage", "Image", "uImage", "fitImage", "vmlinux", "modules-")
_KERNEL_SUFFIXES = (".dtb", ".dtbo")

TaskKey = Tuple[str, str]
Handler = Callable[[Any], None]


def now_ms() -> int:
    """The time now, in milliseconds since the epoch."""
    return int(_time() * 1000)


def level_name(levelno: int) -> str:
    """Toaster's name for a BitBake log level number."""
    if levelno >= LOG_LEVELS["critical"]:
        return "critical"
    if levelno >= LOG_LEVELS["error"]:
        return "error"
    if levelno >= LOG_LEVELS["warning"]:
        return "warning"
    if levelno >= LOG_LEVELS["note"]:
        return "note"
    return "debug"


def split_task_file(task_file: str) -> Tuple[str, str, str]:
    """``(file, class extension, multiconfig)`` of a task file name such as
    ``mc:arm:virtual:native:/layers/meta/recipes/zlib/zlib_1.3.bb``."""
    mc = ""
    if task_file.startswith("mc:") and task_file.count(":") >= 2:
        _, mc, task_file = task_file.split(":", 2)
    extension = ""
    if task_file.startswith("virtual:"):
        parts = task_file.split(":")
        extension = ":".join(parts[1:-1])
        task_file = parts[-1]
    return task_file, extension, mc


def recipe_name_from_file(task_file: str) -> str:
    """A recipe name made from its file name alone, as BitBake does when a recipe does not
    set ``PN``; only used for a task file the build's dependency tree did not name."""
    path, extension, mc = split_task_file(task_file)
    name = os.path.basename(path).split("_")[0]
    if name.endswith(".bb"):
        name = name[: -len(".bb")]
    if extension == "native":
        name += "-native"
    elif extension == "nativesdk":
        name = "nativesdk-" + name
    elif extension.startswith("multilib:"):
        name = extension.split(":", 1)[1] + "-" + name
    elif extension:
        name = "%s-%s" % (name, extension)
    return "mc:%s:%s" % (mc, name) if mc else name


def dependency_names(text: str) -> List[str]:
    """Package names of an ``RDEPENDS``-style value, without version constraints."""
    if "(" in text:
        text = _VERSION_CONSTRAINT.sub(" ", text)
    return text.split()


def _json_or_null(text: Optional[str]) -> str:
    return _NULL if text is None else _quote(text)


def _int_or_null(value: Optional[int]) -> str:
    return _NULL if value is None else str(value)


class Layers:
    """Finds the layer a recipe file belongs to, from ``BBLAYERS``."""

    def __init__(self, layer_dirs: List[str]) -> None:
        dirs = [os.path.normpath(d) for d in layer_dirs if d]
        # Longest first, so a layer nested in another wins.
        self._dirs = sorted(dirs, key=len, reverse=True)

    def of(self, path: str) -> str:
        """The layer's name (its directory's, or the layer index's where they differ), or
        ``""`` when the file is in none of the build's layers."""
        for layer_dir in self._dirs:
            if path.startswith(layer_dir + os.sep):
                name = os.path.basename(layer_dir)
                return _LAYER_NAMES.get(name, name)
        return ""


def _absolute(path: Optional[str]) -> Optional[str]:
    """`path` normalised, when it is absolute (a directory BitBake names); else ``None``."""
    if not path or not os.path.isabs(path) or "\n" in path:
        return None
    return os.path.normpath(path)


def _inside(path: str, directory: str) -> Optional[str]:
    """Where the normalised absolute `path` is inside `directory`, as a relative
    ``/``-separated path; ``None`` when it is not inside."""
    prefix = directory if directory.endswith(os.sep) else directory + os.sep
    if not path.startswith(prefix) or len(path) == len(prefix):
        return None
    return path[len(prefix):].replace(os.sep, "/")


def is_license(path: str) -> bool:
    """Whether the relative `path` is a licence file: one under a ``licenses`` directory, or a
    licence manifest (``license.manifest``, ``*.license.manifest``)."""
    parts = path.split("/")
    name = parts[-1]
    return "licenses" in parts[:-1] or name == "license.manifest" or name.endswith(".license.manifest")


def deployed_kind(path: str) -> str:
    """The kind of the file `path` (relative) found in ``DEPLOY_DIR_IMAGE``: ``license``,
    ``manifest``, ``kernel``, ``image`` (images and their companions: ``.bmap``,
    ``.qemuboot.conf``, ``.testdata.json``, compressed or checksummed forms) or ``other``."""
    if is_license(path):
        return "license"
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".manifest"):
        return "manifest"
    if name.startswith(_KERNEL_PREFIXES) or name.endswith(_KERNEL_SUFFIXES):
        return "kernel"
    if name.endswith(_IMAGE_COMPANIONS):
        return "image"
    parts = name.split(".")[1:]
    while parts and parts[-1] in _IMAGE_WRAPPERS:
        parts.pop()
    if parts and (parts[-1] in _IMAGE_TYPES or ".".join(parts[-2:]) in _IMAGE_TYPES):
        return "image"
    return "other"


class BuildDirs:
    """The directories of a build that artifacts are recorded in: ``DEPLOY_DIR_IMAGE``,
    ``DEPLOY_DIR`` (SDK installers are in its ``sdk``), ``TMPDIR`` and ``TOPDIR`` (the build
    directory). A file is recorded as the innermost of them that holds it and its place
    there; the recorder never reads outside that directory. Also the conf files of the
    build directory that BitBake read (``BBINCLUDED``, absolute paths)."""

    def __init__(
        self,
        deploy_dir_image: Optional[str] = None,
        deploy_dir: Optional[str] = None,
        tmpdir: Optional[str] = None,
        topdir: Optional[str] = None,
        included: Sequence[str] = (),
    ) -> None:
        self.deploy_dir_image = _absolute(deploy_dir_image)
        self.topdir = _absolute(topdir)
        named = [self.deploy_dir_image, _absolute(deploy_dir), _absolute(tmpdir), self.topdir]
        # Longest first, so that the innermost directory wins. A file is found by the name
        # the build gives it, made of these variables (links in them are not resolved).
        roots = {root for root in named if root is not None and root != os.sep}
        self._roots = sorted(roots, key=len, reverse=True)
        self.conf_files: List[str] = []
        if self.topdir is not None:
            self.conf_files = self._conf_files(self.topdir, included)

    @staticmethod
    def from_datastore(d: Any) -> "BuildDirs":
        """The directories and conf files datastore `d` (the cooker's, at ``BuildInit``)
        names."""
        return BuildDirs(
            d.getVar("DEPLOY_DIR_IMAGE"),
            d.getVar("DEPLOY_DIR"),
            d.getVar("TMPDIR"),
            d.getVar("TOPDIR"),
            (d.getVar("BBINCLUDED") or "").split(),
        )

    @staticmethod
    def _conf_files(topdir: str, included: Sequence[str]) -> List[str]:
        """The places inside `topdir` of the files under its ``conf`` that BitBake read and
        that exist (``BBINCLUDED`` also names the places it looked in for a file), with
        ``conf/local.conf`` and ``conf/bblayers.conf`` where they exist."""
        conf = os.path.join(topdir, "conf")
        candidates = [os.path.join(conf, "local.conf"), os.path.join(conf, "bblayers.conf")]
        found: List[str] = []
        for path in candidates + [os.path.normpath(p) for p in included if os.path.isabs(p)]:
            place = _inside(path, conf)
            if place is not None and ("conf/" + place) not in found and os.path.isfile(path):
                found.append("conf/" + place)
        return found

    def locate(self, path: str) -> Optional[Tuple[str, str]]:
        """The directory of the build that holds the absolute `path` (the innermost) and the
        path inside it; ``None`` when none does."""
        path = os.path.normpath(path)
        for root in self._roots:
            place = _inside(path, root)
            if place is not None:
                return root, place
        return None


class EventMapper:
    """Maps one build's BitBake events to event-log JSON lines in :attr:`lines`.

    ``map(event)`` raises what reading a malformed event raises (a missing attribute, a
    wrong type); the caller decides what to do about it. Events of other classes are
    ignored. ``log_level`` is the lowest log level recorded; `dirs` are the directories
    artifacts are recorded in (none: no artifacts), `started` the build's start (seconds since
    the epoch; default now).
    """

    def __init__(self, layers: Layers, log_level: int, dirs: Optional[BuildDirs] = None, started: Optional[float] = None) -> None:
        self.lines: List[str] = []
        self.log_level = log_level
        self.started = _time() if started is None else started
        self._dirs = dirs or BuildDirs()
        #: Log records at error level or above, and ``NoProvider`` events, seen so far.
        self.errors = 0
        #: Tasks that failed, as BitBake counted them in ``BuildCompleted``.
        self.failures = 0
        self.completed = False
        self.interrupted = False
        self._layers = layers
        # The run queue's latest counts (a ``RunQueueStats``), and what was last written.
        self._stats: Any = None
        self._recorded_progress: Optional[Tuple[int, int]] = None
        # Recipe names (plain, quoted) by task file; quoted task names by task name.
        self._recipes: Dict[str, Tuple[str, str]] = {}
        self._tasks: Dict[str, str] = {}
        self._kernel_files: Set[str] = set()
        # The log files of running tasks, by (task file, task name), as workers said.
        self._log_files: Dict[TaskKey, str] = {}
        self._task_of_pid: Dict[int, TaskKey] = {}
        # Tasks whose one event is their whole story, or whose skip is already told.
        self._noexec: Set[TaskKey] = set()
        self._restored: Set[TaskKey] = set()
        # Script types of running tasks (by task file and task), as workers said; tasks
        # whose setscene task failed, and tasks whose shared state was missed.
        self._scripts: Dict[TaskKey, str] = {}
        self._sstate_failed: Set[TaskKey] = set()
        self._sstate_missed: Set[TaskKey] = set()
        # Tasks with build statistics to come: (recipe, task as buildstats names it) to
        # (quoted recipe, quoted task, outcome, end).
        self._ran: Dict[Tuple[str, str], Tuple[str, str, str, int]] = {}
        self._packages: Set[str] = set()
        # Artifacts recorded: the files (as directory and place, joined) and their names; the
        # log files of failed tasks, with their recipes, to record at the end.
        self._artifacts: Set[str] = set()
        self._artifact_names: Set[str] = set()
        self._failed_logs: List[Tuple[str, str]] = []
        self._noted_outside = False
        self._handlers: Dict[type, Optional[Handler]] = {}
        self._by_name: Dict[str, Handler] = {
            "LogRecord": self._log_record,
            "BuildCompleted": self._build_completed,
            "DepTreeGenerated": self._dependency_tree,
            "MetadataEvent": self._metadata,
            "NoProvider": self._no_provider,
            "runQueueTaskStarted": self._task_started,
            "runQueueTaskCompleted": self._task_completed,
            "runQueueTaskFailed": self._task_failed,
            "runQueueTaskSkipped": self._task_skipped,
            "sceneQueueTaskCompleted": self._setscene_completed,
            "sceneQueueTaskFailed": self._setscene_failed,
            "TaskStarted": self._worker_started,
        }
        self._metadata_handlers: Dict[str, Handler] = {
            "SinglePackageInfo": self._single_package,
            "ImagePkgList": self._image_packages,
            "BuildStatsList": self._build_stats,
            "TaskArtifacts": self._task_artifacts,
            "MissedSstate": self._missed_sstate,
        }

    # The entry point.

    def map(self, event: Any) -> bool:
        """Adds the lines `event` makes; False for events of classes it does not know."""
        try:
            handler = self._handlers[type(event)]
        except KeyError:
            handler = self._handler(type(event))
        if handler is None:
            return False
        handler(event)
        return True

    def _handler(self, kind: type) -> Optional[Handler]:
        """The handler of a class, by its name or a base class's (cached)."""
        if kind not in self._handlers:
            names = [k.__name__ for k in kind.__mro__]
            found = [self._by_name[n] for n in names if n in self._by_name]
            self._handlers[kind] = found[0] if found else None
        return self._handlers[kind]

    # Build-wide events.

    def parse(self, total: int) -> None:
        """Parsing (which happens before a build starts) went through `total` recipes."""
        self.lines.append('{"event":"parse_started","total":%d}' % max(total, 0))
        self.lines.append('{"event":"parse_completed","total":%d}' % max(total, 0))

    def progress_line(self) -> None:
        """Adds the run queue's progress, if it moved since it was last added."""
        stats = self._stats
        if stats is None:
            return
        progress = (max(stats.completed + stats.failed, 0), max(stats.total, 0))
        if progress != self._recorded_progress:
            self._recorded_progress = progress
            self.lines.append('{"event":"run_queue_progress","done":%d,"total":%d}' % progress)

    def _build_completed(self, event: Any) -> None:
        # Fired once per multiconfig; any failure or interruption counts.
        self.completed = True
        self.failures += max(int(event.getFailures()), 0)
        self.interrupted = self.interrupted or bool(getattr(event, "_interrupted", 0))

    def _dependency_tree(self, event: Any) -> None:
        for name, info in event._depgraph["pn"].items():
            task_file = info["filename"]
            path = split_task_file(task_file)[0]
            quoted = _quote(name)
            self._recipes[task_file] = (name, quoted)
            if any(c.endswith("/kernel.bbclass") for c in info.get("inherits") or ()):
                self._kernel_files.add(task_file)
            # LICENSE, SUMMARY, SECTION, HOMEPAGE are in the tree only when the UI turned
            # BitBake's extra recipe caches on (CookerFeatures.HOB_EXTRA_CACHES, as Toaster's
            # own UI does); otherwise they are left out.
            details = "".join(
                ',"%s":%s' % (field, _quote(str(info[key])))
                for key, field in _RECIPE_DETAILS
                if info.get(key)
            )
            self.lines.append(
                '{"event":"recipe","name":%s,"version":%s,"layer":%s,"file":%s%s}'
                % (quoted, _quote(str(info.get("version", "")).lstrip(":")), _quote(self._layers.of(path)), _quote(path), details)
            )
        self._recipe_dependencies(event._depgraph)
        self._task_dependencies(event._depgraph.get("tdepends") or {})

    def _recipe_dependencies(self, graph: Dict[str, Any]) -> None:
        """The names the build's recipes provide (``providermap``), and one line per recipe
        and kind: its ``depends`` (build time) and ``rdepends-pn`` (run time), each name
        resolved to the recipe that provides it (a recipe's own name, a provided name, or
        one of its packages); a name no recipe of the build provides is left out, and a
        recipe's own packages are not a dependency."""
        recipes = graph.get("pn") or {}
        providers = {str(name): str(found[0]) for name, found in (graph.get("providermap") or {}).items() if found}
        packages = {str(name): str(info.get("pn")) for name, info in (graph.get("packages") or {}).items() if isinstance(info, dict) and info.get("pn")}
        for name, recipe in sorted(providers.items()):
            self.lines.append('{"event":"provider","name":%s,"recipe":%s}' % (_quote(name), _quote(recipe)))
        for key, kind in (("depends", "build"), ("rdepends-pn", "runtime")):
            for recipe, names in (graph.get(key) or {}).items():
                depends, seen = [], set()
                for name in names or ():
                    name = str(name)
                    if name in recipes:
                        found, via = name, None
                    elif name in providers:
                        found, via = providers[name], name
                    elif name in packages:
                        found, via = packages[name], None
                    else:
                        continue
                    if found == recipe or found in seen:
                        continue
                    seen.add(found)
                    depends.append('{"recipe":%s%s}' % (_quote(found), ',"via":%s' % _quote(via) if via else ""))
                if depends:
                    self.lines.append(
                        '{"event":"recipe_dependencies","recipe":%s,"kind":"%s","depends":[%s]}'
                        % (_quote(str(recipe)), kind, ",".join(depends))
                    )

    def _task_dependencies(self, tdepends: Dict[str, Any]) -> None:
        """One line per task that waits for others: ``pn.do_task`` -> [``pn.do_task``, ...]
        (a multiconfig's recipes as ``mc:NAME:pn``); names without a task are skipped."""
        for waiting, depends in tdepends.items():
            recipe, _, task = str(waiting).rpartition(".")
            if not recipe or not task:
                continue
            pairs = []
            for dependency in depends or ():
                dep_recipe, _, dep_task = str(dependency).rpartition(".")
                if dep_recipe and dep_task:
                    pairs.append('{"recipe":%s,"task":%s}' % (_quote(dep_recipe), _quote(dep_task)))
            if pairs:
                self.lines.append(
                    '{"event":"task_dependencies","recipe":%s,"task":%s,"depends":[%s]}'
                    % (_quote(recipe), _quote(task), ",".join(pairs))
                )

    def _no_provider(self, event: Any) -> None:
        self.error(str(event))

    def error(self, text: str) -> None:
        """Records an error BitBake reported other than in a log record."""
        self.errors += 1
        self._log("error", text, None, None, None, now_ms())

    def note(self, text: str) -> None:
        """Records a note of the recorder's own."""
        self._log("note", text, None, None, None, now_ms())

    def debug(self, text: str) -> None:
        """Records a debugging note of the recorder's own."""
        self._log("debug", text, None, None, None, now_ms())

    def warning(self, text: str) -> None:
        """Records a warning of the recorder's own (about what it could not record)."""
        self._log("warning", "toaster: " + text, None, None, None, now_ms())

    # Tasks, as the cooker runs them.

    def _recipe(self, task_file: str) -> Tuple[str, str]:
        """The recipe of a task file: its name, and its name quoted for JSON."""
        names = self._recipes.get(task_file)
        if names is None:
            name = recipe_name_from_file(task_file)
            names = self._recipes[task_file] = (name, _quote(name))
        return names

    def _task(self, name: str) -> str:
        quoted = self._tasks.get(name)
        if quoted is None:
            quoted = self._tasks[name] = _quote(name)
        return quoted

    def _task_started(self, event: Any) -> None:
        task_file, name = event.taskfile, event.taskname
        if getattr(event, "noexec", False):
            # A task with nothing to run: it ends as it starts, with no worker.
            self._noexec.add((task_file, name))
            self._finished(self._recipe(task_file)[1], self._task(name), "empty", now_ms(), None, ',"executed":false')
            return
        recipe = self._recipes.get(task_file) or self._recipe(task_file)
        task = self._tasks.get(name) or self._task(name)
        self.lines.append('{"event":"task_started","recipe":%s,"task":%s,"at":%d}' % (recipe[1], task, _time() * 1000))

    def _task_completed(self, event: Any) -> None:
        key = (event.taskfile, event.taskname)
        self._stats = event.stats
        if key in self._noexec:
            self._noexec.discard(key)
            return
        self._ran_and_ended(key, "succeeded")

    def _task_failed(self, event: Any) -> None:
        key = (event.taskfile, event.taskname)
        self._stats = event.stats
        log_file = self._log_files.get(key)
        recipe, task = self._ran_and_ended(key, "failed")
        if log_file:
            self._failed_logs.append((recipe, log_file))
        self.lines.append(
            '{"event":"log","level":"error","text":%s,"task":%s,"file":null,"line":null,"at":%d}'
            % (_quote(str(event)), _quote("%s:%s" % (recipe, event.taskname)), now_ms())
        )

    def _ran_and_ended(self, key: TaskKey, outcome: str) -> Tuple[str, str]:
        """Ends a task that ran in a worker; returns its recipe and task names."""
        task_file, name = key
        recipe, quoted = self._recipes.get(task_file) or self._recipe(task_file)
        task = self._tasks.get(name) or self._task(name)
        log_file = self._log_files.pop(key, None)
        at = int(_time() * 1000)
        if key in self._sstate_failed:
            sstate = "failed"
        elif key in self._sstate_missed:
            sstate = "miss"
        else:
            sstate = "na"
        script = self._scripts.pop(key, None)
        self.lines.append(
            '{"event":"task_finished","recipe":%s,"task":%s,"outcome":"%s","at":%d,"log_file":%s,"executed":true,"sstate":"%s"%s}'
            % (quoted, task, outcome, at, _NULL if log_file is None else _quote(log_file), sstate, ',"script":"%s"' % script if script else "")
        )
        self._ran[(recipe, name)] = (quoted, task, outcome, at)
        return recipe, name

    def _task_skipped(self, event: Any) -> None:
        key = (event.taskfile, event.taskname)
        self._stats = event.stats
        if key in self._restored:
            # Its setscene task restored it: already recorded as cached.
            self._restored.discard(key)
            return
        outcome = _SKIPPED.get(getattr(event, "reason", ""), "noop")
        self._finished(self._recipe(event.taskfile)[1], self._task(event.taskname), outcome, now_ms(), None, ',"executed":false')

    def _setscene_completed(self, event: Any) -> None:
        # The task's output came from the shared state cache: the task itself is cached.
        task_file, setscene = event.taskfile, event.taskname
        name = setscene[: -len(_SETSCENE)] if setscene.endswith(_SETSCENE) else setscene
        self._restored.add((task_file, name))
        recipe, quoted = self._recipe(task_file)
        task = self._task(name)
        at = now_ms()
        self._scripts.pop((task_file, setscene), None)
        self._finished(quoted, task, "cached", at, self._log_files.pop((task_file, setscene), None), ',"executed":false,"sstate":"restored"')
        self._ran[(recipe, setscene)] = (quoted, task, "cached", at)

    def _setscene_failed(self, event: Any) -> None:
        # The setscene task failed (its real task runs instead): recorded under its own name.
        key = (event.taskfile, event.taskname)
        recipe, quoted = self._recipe(event.taskfile)
        name = event.taskname[: -len(_SETSCENE)] if event.taskname.endswith(_SETSCENE) else event.taskname
        self._sstate_failed.add((event.taskfile, name))
        script = self._scripts.pop(key, None)
        extra = ',"executed":true' + (',"script":"%s"' % script if script else "")
        self._finished(quoted, self._task(event.taskname), "failed", now_ms(), self._log_files.pop(key, None), extra)
        self.lines.append(
            '{"event":"log","level":"warning","text":%s,"task":%s,"file":null,"line":null,"at":%d}'
            % (_quote(str(event)), _quote("%s:%s" % (recipe, event.taskname)), now_ms())
        )

    def _finished(self, recipe: str, task: str, outcome: str, at: int, log_file: Optional[str], extra: str = "") -> None:
        """A task's end; `extra` is more JSON members (``,"executed":false``)."""
        self.lines.append(
            '{"event":"task_finished","recipe":%s,"task":%s,"outcome":"%s","at":%d,"log_file":%s%s}'
            % (recipe, task, outcome, at, _json_or_null(log_file), extra)
        )

    # Tasks, as their workers report them (details only).

    def _worker_started(self, event: Any) -> None:
        key = (event._fn, event._task)
        self._log_files[key] = event.logfile
        flags = getattr(event, "taskflags", None) or {}
        self._scripts[key] = "python" if flags.get("python") else "shell"
        # Kept after the task ends: a pid is only reused by a task that starts first.
        self._task_of_pid[event.pid] = key

    # Log records.

    def _log_record(self, record: Any) -> None:
        levelno = record.levelno
        if levelno < self.log_level:
            return
        if levelno >= LOG_LEVELS["error"]:
            self.errors += 1
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            text = str(record.msg)
        formatted = getattr(record, "bb_exc_formatted", None)
        if formatted:
            text = text + "\n" + "".join(formatted)
        key = self._task_of_pid.get(getattr(record, "taskpid", 0))
        task = "%s:%s" % (self._recipe(key[0])[0], key[1]) if key else None
        path = record.pathname
        if not path or _inside_bitbake(path):
            path, line = None, None
        else:
            line = record.lineno
        self._log(level_name(levelno), text, task, path, line, int(record.created * 1000))

    def _log(self, level: str, text: str, task: Optional[str], path: Optional[str], line: Optional[int], at: int) -> None:
        self.lines.append(
            '{"event":"log","level":"%s","text":%s,"task":%s,"file":%s,"line":%s,"at":%d}'
            % (level, _quote(text), _json_or_null(task), _json_or_null(path), _int_or_null(line), at)
        )

    # Metadata events of openembedded-core's toaster.bbclass.

    def _metadata(self, event: Any) -> None:
        handler = self._metadata_handlers.get(event.type)
        if handler is not None:
            handler(event._localdata)

    def _single_package(self, info: Dict[str, Any]) -> None:
        if "PN" in info:
            self._package(info.get("OPKGN") or info["PKG"], info, int(info.get("PKGSIZE") or 0), dependency_names(info.get("RDEPENDS") or ""))

    def _image_packages(self, data: Dict[str, Any]) -> None:
        pkgdata = data.get("pkgdata") or {}
        for installed in (data.get("imgdata") or {}).values():
            for name, facts in installed.items():
                info = pkgdata.get(name)
                if info and "PN" in info:
                    depends = [dep for dep, kind in facts.get("depends", ()) if kind == "depends"]
                    size = int(info.get("PKGSIZE") or facts.get("size") or 0)
                    self._package(info.get("OPKGN") or name, info, size, depends)
        self.lines.extend(packages.image_lines(data, self.warning))

    def _package(self, name: str, info: Dict[str, Any], size: int, depends: List[str]) -> None:
        if name in self._packages:
            return
        self._packages.add(name)
        version = "%s-%s" % (info.get("PKGV", ""), info.get("PKGR", ""))
        if info.get("PKGE"):
            version = "%s:%s" % (info["PKGE"], version)
        self.lines.append(
            '{"event":"package","name":%s,"version":%s,"size":%d,"recipe":%s,"depends":[%s]%s}'
            % (
                _quote(name),
                _quote(version),
                max(size, 0),
                _quote(info["PN"]),
                ",".join(map(_quote, depends)),
                packages.relations(info),
            )
        )
        self.lines.extend(packages.package_files(name, info, self.warning))

    def _missed_sstate(self, data: Dict[str, Any]) -> None:
        # openembedded-core's sstate.bbclass: (task file, setscene task, hash, path) of each
        # object not found (and of those found, which the setscene events tell already).
        for missed in data.get("missed") or ():
            try:
                task_file, task_name = str(missed[0]), str(missed[1])
            except (IndexError, TypeError):
                continue
            if task_name.endswith(_SETSCENE):
                task_name = task_name[: -len(_SETSCENE)]
            self._sstate_missed.add((task_file, task_name))

    def _build_stats(self, entries: List[Any]) -> None:
        # The task's end again (its outcome and time as recorded, so that nothing is undone),
        # now with its CPU time and I/O; the recorder drops negative values with a warning.
        ran, append = self._ran, self.lines.append
        for _task_file, task_name, stats, recipe_name in entries:
            known = ran.get((recipe_name, task_name))
            if known is not None:
                cpu = (stats.get("cpu_time_user") or 0) + (stats.get("cpu_time_system") or 0)
                append(
                    '{"event":"task_finished","recipe":%s,"task":%s,"outcome":"%s","at":%d,"cpu_ms":%d,"read_bytes":%d,"write_bytes":%d}'
                    % (known + (cpu * 1000, stats.get("disk_io_read") or 0, stats.get("disk_io_write") or 0))
                )

    def _task_artifacts(self, data: Dict[str, Any]) -> None:
        # The files a task deployed (as its shared-state manifest lists them, directories
        # too): its regular files, each in the build's directory that holds it.
        task_file, _, task_name = str(data["task"]).rpartition(":")
        for path in data.get("artifacts") or ():
            path = str(path)
            if not os.path.isabs(path) or os.path.islink(path) or not os.path.isfile(path):
                continue
            found = self._dirs.locate(path)
            if found is None:
                self._outside(path)
                continue
            root, place = found
            self._artifact(self._artifact_kind(task_file, task_name, place), root, place, place)

    def _outside(self, path: str) -> None:
        """Notes, once per build, that a file the build made is in none of its directories."""
        if not self._noted_outside:
            self._noted_outside = True
            self.note(
                "toaster: artifact %s not recorded: it is in none of the build's directories "
                "(DEPLOY_DIR_IMAGE, DEPLOY_DIR, TMPDIR, TOPDIR); other such files are left out "
                "without a note" % path
            )

    def _artifact(self, kind: str, root: str, place: str, name: str) -> None:
        """Records the file `place` in `root` once, as `name` (made unique in the build)."""
        location = os.path.join(root, place)
        if location in self._artifacts:
            return
        self._artifacts.add(location)
        unique, n = name, 1
        while unique in self._artifact_names:
            n += 1
            unique = "%s #%d" % (name, n)
        self._artifact_names.add(unique)
        self.lines.append(
            '{"event":"artifact","kind":"%s","dir":%s,"path":%s,"name":%s}'
            % (kind, _quote(root), _quote(place), _quote(unique))
        )

    def _artifact_kind(self, task_file: str, task_name: str, path: str) -> str:
        if is_license(path):
            return "license"
        if path.endswith(".manifest"):
            return "manifest"
        if task_name == "do_image_complete":
            return "image"
        if task_name.startswith("do_populate_sdk"):
            return "sdk"
        if task_name == "do_deploy" and task_file in self._kernel_files:
            return "kernel"
        return "other"

    # The build's end: a look at its files.

    def end_artifacts(self, warn: Callable[[str, str], None]) -> None:
        """Adds the artifacts found at the build's end, not recorded already: the log files
        of the tasks that failed, the files of ``DEPLOY_DIR_IMAGE`` changed since the build
        started, and the conf files the build read. Problems go to ``warn(key, text)``."""
        self._failed_task_logs()
        self._deployed_files(warn)
        topdir = self._dirs.topdir
        if topdir is not None:
            for place in self._dirs.conf_files:
                if os.path.isfile(os.path.join(topdir, place)):
                    self._artifact("conf", topdir, place, place)

    def _failed_task_logs(self) -> None:
        # BitBake names each task's real log file (``log.do_TASK.PID``, which the link
        # ``log.do_TASK`` points to); an empty one it removes.
        for recipe, log_file in self._failed_logs:
            if os.path.islink(log_file):
                log_file = os.path.realpath(log_file)
            if not os.path.isabs(log_file) or not os.path.isfile(log_file):
                continue
            found = self._dirs.locate(log_file)
            if found is None:
                self._outside(log_file)
                continue
            root, place = found
            self._artifact("task-log", root, place, "logs/%s/%s" % (recipe, os.path.basename(log_file)))

    def _deployed_files(self, warn: Callable[[str, str], None]) -> None:
        # Regular files only (a link is a name for another file, or a way out), in
        # directories that are not links, changed since the build started; bounded.
        deploy = self._dirs.deploy_dir_image
        if deploy is None or not os.path.isdir(deploy):
            return
        since = self.started - CLOCK_SLACK
        pending, seen, recorded = [""], 0, 0
        while pending:
            inner = pending.pop()
            try:
                with os.scandir(os.path.join(deploy, inner) if inner else deploy) as entries:
                    listed = sorted(entries, key=lambda e: e.name)
            except OSError:
                continue
            for entry in listed:
                seen += 1
                if seen > MAX_DEPLOY_ENTRIES:
                    warn("deploy-entries", "DEPLOY_DIR_IMAGE (%s) holds more than %d files and directories; the files of this build among the rest are not recorded" % (deploy, MAX_DEPLOY_ENTRIES))
                    return
                place = inner + "/" + entry.name if inner else entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(place)
                        continue
                    new = entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime >= since
                except OSError:
                    continue
                if new and os.path.join(deploy, place) not in self._artifacts:
                    if recorded >= MAX_DEPLOYED_FILES:
                        warn("deploy-files", "this build changed more than %d files in DEPLOY_DIR_IMAGE (%s); the rest are not recorded" % (MAX_DEPLOYED_FILES, deploy))
                        return
                    recorded += 1
                    self._artifact(deployed_kind(place), deploy, place, place)


_BITBAKE_DIR: Optional[str] = None


def _inside_bitbake(path: str) -> bool:
    """Whether `path` is a file of BitBake's own library (not of the metadata built)."""
    global _BITBAKE_DIR
    if _BITBAKE_DIR is None:
        try:
            import bb  # type: ignore

            _BITBAKE_DIR = os.path.dirname(os.path.abspath(bb.__file__)) + os.sep
        except ImportError:
            _BITBAKE_DIR = "\0"  # no BitBake here: no path is inside it
    return path.startswith(_BITBAKE_DIR)
