"""Toaster-rs from Python: projects, their revisioned configuration, and their builds.

Open a database with :meth:`Toaster.open` (or create one with :meth:`Toaster.init`), act as
an owner, and work on projects through the :class:`Actor`::

    with toaster_rs.Toaster.open("toaster.sqlite") as db:
        alice = db.act_as("alice")
        alice.set("demo", "IMAGE_FSTYPES", "ext4 wic")
"""

from ._toaster import (
    Actor,
    BackgroundRecorder,
    Build,
    ChangeOutcome,
    Layer,
    Owner,
    Project,
    Recorder,
    Revision,
    Toaster,
    __version__,
    eval_conf,
)
from . import types
from .errors import (
    AlreadyExistsError,
    BuildRunningWarning,
    BusyError,
    CheckoutWarning,
    ConfigWarning,
    ConfNotWrittenWarning,
    ConflictError,
    DatabaseError,
    InternalError,
    LayerWarning,
    NotFoundError,
    NotReproducedWarning,
    PermissionDeniedError,
    ReplacesWarning,
    UnknownValueWarning,
    NotInLayersWarning,
    CheckSkippedWarning,
    ReleaseWarning,
    ToasterError,
    ToasterWarning,
    ValidationError,
    VariableWarning,
)

__all__ = [
    "Actor",
    "AlreadyExistsError",
    "BackgroundRecorder",
    "Build",
    "BuildRunningWarning",
    "BusyError",
    "ChangeOutcome",
    "CheckoutWarning",
    "ConfNotWrittenWarning",
    "ConfigWarning",
    "ConflictError",
    "DatabaseError",
    "InternalError",
    "Layer",
    "LayerWarning",
    "NotFoundError",
    "NotReproducedWarning",
    "Owner",
    "PermissionDeniedError",
    "Project",
    "Recorder",
    "ReplacesWarning",
    "UnknownValueWarning",
    "NotInLayersWarning",
    "CheckSkippedWarning",
    "ReleaseWarning",
    "Revision",
    "Toaster",
    "ToasterError",
    "ToasterWarning",
    "ValidationError",
    "VariableWarning",
    "__version__",
    "eval_conf",
    "types",
]
