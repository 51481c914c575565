"""Toaster-rs from Python: projects, their revisioned configuration, and (soon) builds.

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
)
from .errors import (
    AlreadyExistsError,
    BusyError,
    ConfigWarning,
    ConflictError,
    DatabaseError,
    InternalError,
    NotFoundError,
    NotReproducedWarning,
    PermissionDeniedError,
    ToasterError,
    ToasterWarning,
    ValidationError,
)

__all__ = [
    "Actor",
    "AlreadyExistsError",
    "BackgroundRecorder",
    "Build",
    "BusyError",
    "ChangeOutcome",
    "ConfigWarning",
    "ConflictError",
    "DatabaseError",
    "InternalError",
    "Layer",
    "NotFoundError",
    "NotReproducedWarning",
    "Owner",
    "PermissionDeniedError",
    "Project",
    "Recorder",
    "Revision",
    "Toaster",
    "ToasterError",
    "ToasterWarning",
    "ValidationError",
    "__version__",
]
