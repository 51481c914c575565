"""The types of the values Toaster returns: states and kinds as ``Literal`` string types, and
the dicts as ``TypedDict`` s with the field names the CLI's ``--json`` prints.

States stay plain strings (``build.state == "failed"`` keeps working, and values compare
with what ``--json`` prints); type checkers see which strings they can be. (Each is written
as a ``Union`` of one-value ``Literal`` s, the same type as ``Literal["a", "b"]``, so that
mypy's stubtest can match the runtime value to it.)
"""

import datetime
from typing import Any, Dict, List, Literal, Optional, TypedDict, Union

BuildState = Union[
    Literal["queued"],
    Literal["parsing"],
    Literal["running"],
    Literal["succeeded"],
    Literal["failed"],
    Literal["cancelled"],
    Literal["interrupted"],
]
"""Where a build is: ``Build.state``."""

Visibility = Union[Literal["visible"], Literal["hidden"], Literal["all"]]
"""Which builds ``Actor.builds`` lists."""

TaskOutcome = Union[
    Literal["succeeded"],
    Literal["failed"],
    Literal["cached"],
    Literal["covered"],
    Literal["prebuilt"],
    Literal["empty"],
    Literal["noop"],
]
"""How a task ended."""

LogLevel = Union[
    Literal["debug"],
    Literal["note"],
    Literal["warning"],
    Literal["error"],
    Literal["critical"],
]
"""How severe a log message is."""

HookTrigger = Union[Literal["success"], Literal["failure"], Literal["always"]]
"""When a hook fires."""

HookKind = Union[Literal["email"], Literal["webhook"], Literal["run"]]
"""What a hook does."""

DeliveryState = Union[Literal["pending"], Literal["delivered"], Literal["failed"]]
"""Where a hook's delivery is."""

LayerSourceKind = Union[Literal["local"], Literal["git"]]
"""Where a layer comes from."""


WarningKind = Union[
    Literal["variable"],
    Literal["replaces"],
    Literal["layer"],
    Literal["build_running"],
    Literal["conf_not_written"],
    Literal["checkout"],
    Literal["not_reproduced"],
]
"""The kind of a warning; each has its warning class in :mod:`toaster_rs.errors`."""


class WarningItem(TypedDict):
    """Something accepted but worth a look: an item of ``ChangeOutcome.warnings``."""

    kind: WarningKind
    message: str


class LayerConfig(TypedDict):
    """A layer in ``Revision.config["layers"]``: a local one has ``path``, a git one
    ``url``, ``ref`` (asked for), ``subdir`` and ``commit`` (resolved); the others are None."""

    name: str
    source: LayerSourceKind
    path: Optional[str]
    url: Optional[str]
    ref: Optional[str]
    subdir: Optional[str]
    commit: Optional[str]


class _EmailHook(TypedDict):
    id: int
    on: HookTrigger
    kind: Literal["email"]
    to: List[str]


class _WebhookBase(TypedDict):
    id: int
    on: HookTrigger
    kind: Literal["webhook"]
    url: str


class _Webhook(_WebhookBase, total=False):
    secret_env: str


class _RunHook(TypedDict):
    id: int
    on: HookTrigger
    kind: Literal["run"]
    argv: List[str]


Hook = Union[_EmailHook, _Webhook, _RunHook]
"""A post-build hook (``hook list --json``): ``kind`` says which fields it has."""


Operator = Union[
    Literal["="],
    Literal["?="],
    Literal["??="],
    Literal[":="],
    Literal["+="],
    Literal["=+"],
    Literal[".="],
    Literal["=."],
]
"""An assignment operator: ``Actor.set``'s ``op``, ``Operation.op``."""


class Operation(TypedDict):
    """One assignment to a variable: its operator and value."""

    op: Operator
    value: str


class _Operations(TypedDict):
    operations: List[Operation]


class Operations(_Operations, total=False):
    """A variable not written as one plain ``=``: its operations in order, and ``export``
    (a plain ``=`` is a ``str``)."""

    export: bool


class RevisionConfig(TypedDict):
    """A whole configuration: ``Revision.config`` (``config show --json`` without the
    revision's own fields)."""

    machine: Optional[str]
    distro: Optional[str]
    targets: List[str]
    packages: List[str]
    recipes: List[str]
    variables: Dict[str, Union[str, Operations]]
    layers: List[LayerConfig]
    hooks: List[Dict[str, object]]


class ConfigDifference(TypedDict):
    """One key whose value differs between two revisions (None: absent on that side)."""

    key: str
    before: Optional[str]
    after: Optional[str]


class RecipeUsed(TypedDict):
    """A recipe a build parsed."""

    name: str
    version: str
    layer: str
    file: str
    licence: Optional[str]
    summary: Optional[str]
    section: Optional[str]
    homepage: Optional[str]


class RecipeReached(TypedDict):
    """A recipe found walking a build's recipe dependencies (``build recipes --depends-on`` /
    ``--needed-by --json``): ``chain`` is the shortest way there, ending with it."""

    name: str
    depth: int
    chain: List[str]


class RecipeDependency(TypedDict):
    """One recipe needing another in a build: at ``build`` time (DEPENDS) or ``runtime``,
    ``via`` the provided name it was asked for by (``virtual/kernel``), if any."""

    recipe: str
    depends_on: str
    kind: Literal["build", "runtime"]
    via: Optional[str]


class Provider(TypedDict):
    """A name a recipe provided in a build (``virtual/kernel`` by ``linux-yocto``)."""

    name: str
    recipe: str


class VariableHistoryEntry(TypedDict):
    """One entry of a recorded variable's history, in BitBake's order: its ``operation``
    (``set``, ``set?``, ``append``, ``:append``, ``override[pn-x]:set``, ...), ``file`` as
    Toaster shows it (from the layer or build directory that holds it, else absolute),
    ``path`` (absolute), ``line``, ``flag`` (the flag it set instead of the value, if any)
    and ``value``."""

    operation: str
    file: Optional[str]
    path: Optional[str]
    line: Optional[int]
    flag: Optional[str]
    value: Optional[str]


class _RecordedVariable(TypedDict):
    name: str
    value: Optional[str]
    unexpanded: Optional[str]
    history_kept: bool
    history_entries: int


class RecordedVariable(_RecordedVariable, total=False):
    """A variable a build recorded (``build variables ID [NAME] --json``): its ``value``
    as BitBake expanded it (None: unset, or the expansion failed), ``unexpanded`` when that
    differs, whether BitBake kept its history and how many entries are recorded; with
    ``history=True``, also its ``history``."""

    history: List[VariableHistoryEntry]


class Package(TypedDict):
    """A package a build made: ``depends`` its RDEPENDS, ``relations`` the packages it names
    otherwise by kind (``rrecommends``, ``rsuggests``, ``rprovides``, ``rreplaces``,
    ``rconflicts``)."""

    name: str
    version: str
    size: int
    recipe: str
    depends: List[str]
    relations: Dict[str, List[str]]


# The comparison's records have a field named ``from``, a keyword: the functional form
# names it.

#: A setting or variable compared (``build compare --json``): its value in each build, None
#: where that build has none.
ComparedValue = TypedDict("ComparedValue", {"name": str, "from": Optional[str], "to": Optional[str]})

#: A layer compared: each side's ``name``, ``source``, ``reference``, ``commit``, or None.
ComparedLayer = TypedDict(
    "ComparedLayer",
    {"name": str, "from": Optional[Dict[str, Optional[str]]], "to": Optional[Dict[str, Optional[str]]]},
)


class PackageFile(TypedDict):
    """A file of a package: its path on the target and size."""

    path: str
    size: int


class Image(TypedDict):
    """An image a build recorded (``build files ID --json``): packages installed, entries of
    its file listing, its size (its regular files; its packages when it has no listing)."""

    target: str
    packages: int
    files: int
    size: int


class InstalledPackage(TypedDict):
    """A package installed in an image, with the installed packages it pulled in by kind
    (``depends``, ``recommends``)."""

    name: str
    size: int
    depends: Dict[str, List[str]]


class WhyStep(TypedDict):
    """A step of why a package is in an image: ``kind`` is how the step before pulled it in
    (``depends`` or ``recommends``), None on the first."""

    package: str
    kind: Optional[Literal["depends", "recommends"]]


class ImageFile(TypedDict):
    """An entry of an image's file listing."""

    path: str
    size: int
    type: Literal["file", "dir", "symlink", "other"]
    mode: str
    owner: str
    group: str
    link: Optional[str]


class ImageListing(TypedDict):
    """An image's file listing as queried (``build files ID TARGET --json``)."""

    target: str
    matched: int
    total_size: int
    files: List[ImageFile]


class PackageSide(TypedDict):
    """A package of one build compared."""

    name: str
    version: str
    size: int


class PackageChange(TypedDict):
    """A package both builds made, at another version or size."""

    name: str
    from_version: str
    to_version: str
    from_size: int
    to_size: int
    size_change: int


class PackagesCompared(TypedDict):
    """The packages of two builds compared."""

    added: List[PackageSide]
    removed: List[PackageSide]
    changed: List[PackageChange]
    unchanged: int


#: An image's size (bytes) in each build compared, and the ``change``.
ImageSizeChange = TypedDict(
    "ImageSizeChange", {"target": str, "from": Optional[int], "to": Optional[int], "change": Optional[int]}
)

#: What changed between two builds (``build compare --json``): differences only.
BuildComparison = TypedDict(
    "BuildComparison",
    {
        "from": int,
        "to": int,
        "settings": List[ComparedValue],
        "layers": List[ComparedLayer],
        "variables": List[ComparedValue],
        "packages": PackagesCompared,
        "images": List[ImageSizeChange],
    },
)


class Artifact(TypedDict):
    """A file a build made or read (``build artifacts --json``)."""

    name: str
    kind: str
    size: int
    sha256: Optional[str]
    path: str


class Download(TypedDict):
    """An artifact copied out, checked against its recorded size and SHA-256."""

    name: str
    path: str
    size: int
    sha256: str
    changed: bool
    from_archive: bool


class Delivery(TypedDict):
    """A hook's delivery for a build, with its newest attempt (``attempt`` 0: none yet)."""

    delivery: int
    build: int
    hook_id: int
    kind: HookKind
    state: DeliveryState
    attempt: int
    delivered: bool
    status: Optional[int]
    detail: Optional[str]


class ImportedRecipe(TypedDict):
    """A recipe imported from sources (``recipe import --json``); ``revision`` is None for
    a dry run."""

    name: str
    version: str
    path: str
    text: str
    notes: List[str]
    dry_run: bool
    revision: Optional[int]


class OwnRecipe(TypedDict):
    """A recipe in the project's own layer (``recipe list --json``)."""

    name: str
    version: str
    path: str
    built: bool


class Group(TypedDict):
    """A group of owners (``group list --json``)."""

    name: str
    members: List[str]
    created_at: datetime.datetime


class Token(TypedDict):
    """A sign-in token for ``toaster serve`` (``owner token list --json``)."""

    name: str
    owner: str
    state: Literal["active", "expired", "revoked"]
    created_at: datetime.datetime
    expires_at: Optional[datetime.datetime]
    revoked_at: Optional[datetime.datetime]


class CreatedToken(Token):
    """A token just made (``owner token create --json``): ``token`` is its secret, shown once."""

    token: str


class AuditEntry(TypedDict):
    """One line of the audit log (``audit --json``)."""

    id: int
    at: datetime.datetime
    owner: str
    client: str
    action: str
    project: Optional[str]
    detail: str


class Task(TypedDict):
    """A build's task (``build tasks --json``); ``outcome`` is None while it runs."""

    order: Optional[int]
    recipe: str
    task: str
    outcome: Optional[TaskOutcome]
    started_at: Optional[datetime.datetime]
    ended_at: Optional[datetime.datetime]
    elapsed_ms: Optional[int]
    cpu_ms: Optional[int]
    read_bytes: Optional[int]
    write_bytes: Optional[int]
    log_file: Optional[str]
    sstate: Optional[Literal["restored", "miss", "failed", "na"]]
    executed: Optional[bool]
    script: Optional[Literal["python", "shell"]]


class TaskReached(TypedDict):
    """A task found walking a build's task dependencies (``build tasks --depends-on`` /
    ``--needed-by --json``): ``chain`` is the shortest way there, ending with it."""

    name: str
    recipe: str
    task: str
    depth: int
    chain: List[str]


class LogMessage(TypedDict):
    """A build's log message (``build log --json``)."""

    level: LogLevel
    text: str
    task: Optional[str]
    file: Optional[str]
    line: Optional[int]
    at: Optional[datetime.datetime]


class Setting(TypedDict):
    """An instance setting (``settings show --json``); ``value`` is None when unset."""

    name: str
    value: Optional[str]
    default: Optional[str]
    about: str


class HostRunner(TypedDict):
    """A runner of a build host (``host list --json``, ``runners``)."""

    runner: str
    address: Optional[str]
    version: str
    jobs: int
    work_root: Optional[str]
    owner: str
    releases: List[str]
    started_at: datetime.datetime
    heartbeat_at: datetime.datetime


class BuildHost(TypedDict):
    """A build host (``host list --json``): ``running`` holds its builds as ``build show
    --json`` prints them; ``settings`` the variables of its ``toaster-host.conf``."""

    host: str
    state: Literal["alive", "silent", "gone", "unknown"]
    heartbeat_at: Optional[datetime.datetime]
    silent_s: Optional[float]
    runners: List[HostRunner]
    running: List[Dict[str, Any]]
    settings: Dict[str, str]


class BitbakeSource(TypedDict):
    """Where a project's builds get BitBake (``bitbake show --json``)."""

    project: str
    kind: Optional[Literal["path", "git"]]
    path: Optional[str]
    url: Optional[str]
    reference: Optional[str]
    commit: Optional[str]


class LeftOut(TypedDict):
    """A file an archive left out, and why."""

    name: str
    why: str


class ArchivedBuild(TypedDict):
    """One build archived by ``Actor.archive_builds`` (``error`` says why not)."""

    build: int
    archive: Optional[str]
    files_stored: int
    files_left_out: List[LeftOut]
    error: Optional[str]


class ImportedEvents(TypedDict):
    """What replaying an event log came to (``build import-events --json``)."""

    build: Dict[str, object]
    events: int
    skipped: List[str]
    stopped: Optional[str]


class ConfEvaluation(TypedDict):
    """What ``eval_conf`` computed (``conf eval --json``): None for an unset variable."""

    files: List[str]
    variables: Dict[str, Optional[str]]
    unexpandable: Dict[str, str]


__all__ = [
    "BuildHost",
    "HostRunner",
    "CreatedToken",
    "Token",
    "ArchivedBuild",
    "Artifact",
    "AuditEntry",
    "BitbakeSource",
    "BuildState",
    "ConfEvaluation",
    "ConfigDifference",
    "Delivery",
    "DeliveryState",
    "Download",
    "Group",
    "Hook",
    "HookKind",
    "HookTrigger",
    "ImportedEvents",
    "ImportedRecipe",
    "LayerConfig",
    "LayerSourceKind",
    "LeftOut",
    "LogLevel",
    "LogMessage",
    "Operation",
    "Operations",
    "Operator",
    "OwnRecipe",
    "Package",
    "PackageFile",
    "Image",
    "ImageFile",
    "ImageListing",
    "InstalledPackage",
    "WhyStep",
    "PackageChange",
    "PackageSide",
    "PackagesCompared",
    "BuildComparison",
    "ComparedLayer",
    "ComparedValue",
    "ImageSizeChange",
    "RecipeUsed",
    "RevisionConfig",
    "Setting",
    "Task",
    "TaskOutcome",
    "TaskReached",
    "RecipeReached",
    "RecipeDependency",
    "Provider",
    "RecordedVariable",
    "VariableHistoryEntry",
    "Visibility",
    "WarningItem",
    "WarningKind",
]
