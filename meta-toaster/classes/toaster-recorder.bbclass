# toaster-recorder: records every build in a Toaster-rs database: its tasks and their
# outcomes, parse and run-queue progress, log messages, packages and artifacts, and the
# variables it used with their history (which file set each, at which line, how), read from
# the datastore when it starts.
#
# Enable it with one line in conf/local.conf (with meta-toaster in BBLAYERS):
#
#     INHERIT += "toaster-recorder"
#
# and name the database, in a conf file or in the environment bitbake starts in:
#
#     TOASTER_DB = "/srv/toaster/toaster.sqlite"
#
# Optional, the same way: TOASTER_OWNER, TOASTER_PROJECT (default: the command-line-builds
# project), TOASTER_BUILD (a build a Toaster runner started), TOASTER_LOG_LEVEL (default
# warning) and TOASTER_CLIENT; `python3 -m pydoc toaster_rs.bitbake` explains them.
#
# The Python package `toaster_rs` (the `toaster-rs` wheel) must be importable by the Python
# that runs bitbake (not `toaster`: that name is BitBake's own lib/toaster); if it is not,
# this class warns once per BitBake server and records nothing. It never stops a build:
# problems with the database are reported once per build, as warnings.
#
# Packages, image contents, task CPU time and I/O, and artifacts come from the metadata
# events of openembedded-core's toaster class, inherited here when it is on BBPATH
# (TOASTER_RECORDER_METADATA = "0" leaves it out); that class keeps its task hooks out of
# task signatures (vardepsexclude).

TOASTER_RECORDER_METADATA ??= "1"
inherit ${@'toaster' if d.getVar('TOASTER_RECORDER_METADATA') == '1' and bb.utils.which(d.getVar('BBPATH'), 'classes/toaster.bbclass') else ''}

# Its events are all fired in the cooker (the BitBake server); the events of a build's
# tasks reach the recorder there too, through the listener it registers at BuildInit (see
# toaster_rs.bitbake). The flag below lives in BitBake's global Python context.
addhandler toaster_recorder_eventhandler
toaster_recorder_eventhandler[eventmask] = "bb.event.ConfigParsed bb.event.CacheLoadCompleted bb.event.ParseCompleted bb.event.BuildInit bb.event.HeartbeatEvent bb.command.CommandCompleted bb.command.CommandFailed bb.command.CommandExit bb.cooker.CookerExit"
python toaster_recorder_eventhandler() {
    global toaster_recorder_unavailable
    if globals().get("toaster_recorder_unavailable"):
        return
    try:
        import toaster_rs.bitbake
    except ImportError as error:
        toaster_recorder_unavailable = True
        bb.warn("toaster-recorder: cannot import the toaster_rs Python package (%s), so builds are not recorded: install the toaster-rs wheel into the Python that runs bitbake (%s)" % (error, __import__('sys').executable))
        return
    toaster_rs.bitbake.handle_event(e, d)
}
