"""The exceptions Toaster raises: one hierarchy under :class:`ToasterError`.

Each also derives from the built-in exception that Python code already catches for that
situation, so ``except LookupError`` sees a missing project.
"""


class ToasterError(Exception):
    """Anything Toaster refuses or fails to do. ``hint`` says what to do next, if known."""

    def __init__(self, message: str, hint: "str | None" = None) -> None:
        super().__init__(message)
        self.hint = hint


class NotFoundError(ToasterError, LookupError):
    """Something named does not exist."""


class AlreadyExistsError(ToasterError, ValueError):
    """Something to be created exists already."""


class ValidationError(ToasterError, ValueError):
    """A value broke a rule; nothing was changed."""


class ConflictError(ToasterError):
    """Someone else changed the project first; nothing was changed."""


class PermissionDeniedError(ToasterError, PermissionError):
    """The owner acting may not do this; nothing was changed."""


class DatabaseError(ToasterError):
    """The database cannot be used as it is (not a Toaster database, or too new)."""


class BusyError(ToasterError, TimeoutError):
    """The database stayed locked by other processes; trying again may work."""


class InternalError(ToasterError, OSError):
    """The file system or the database failed."""


class ToasterWarning(UserWarning):
    """Something Toaster did, or left out, that is worth a look; issued with :mod:`warnings`."""


class ConfigWarning(ToasterWarning):
    """A configuration change was made, but something is worth a look; one subclass per kind
    (the ``kind`` of each ``ChangeOutcome.warnings`` item). Also in ``ChangeOutcome.warnings``."""


class VariableWarning(ConfigWarning):
    """A value accepted that looks wrong: an unknown variable, a likely typo (kind
    ``variable``)."""


class ReplacesWarning(ConfigWarning):
    """A hard ``=`` on a list that distros, layers or image recipes extend: what they add is
    lost; the message names the additive form (kind ``replaces``)."""


class UnknownValueWarning(ConfigWarning):
    """A value Toaster does not know for its variable (an image type, machine or distro from
    a layer it has not read): accepted (kind ``unknown_value``)."""


class NotInLayersWarning(ConfigWarning):
    """A machine, distro or image type that none of the project's layers defines; the
    message names the closest one they do and the layers searched (kind ``not_in_layers``)."""


class CheckSkippedWarning(ConfigWarning):
    """A check against the project's layers could not run because a layer is not fetched
    yet (kind ``check_skipped``)."""


class ReleaseWarning(ConfigWarning):
    """The release of an imported project: taken from its core layer, or given and
    disagreeing with it, or unknown (kind ``release``)."""


class LayerWarning(ConfigWarning):
    """A layer check passed with a remark: a layer already there, a check forced (kind
    ``layer``)."""


class BuildRunningWarning(ConfigWarning):
    """A build running in the project keeps the conf files it started with; the new ones are
    written when it ends (kind ``build_running``)."""


class ConfNotWrittenWarning(ConfigWarning):
    """The configuration is saved, but its conf files could not be rewritten (kind
    ``conf_not_written``)."""


class CheckoutWarning(ConfigWarning):
    """A layer's clone could not be brought to the commit the revision records (kind
    ``checkout``)."""


class NotReproducedWarning(ToasterWarning):
    """A project made from elsewhere (a clone, a bundle, a kas file, an import) leaves out
    something it could not reproduce (kind ``not_reproduced``)."""
