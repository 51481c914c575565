"""Bad input in a build's variables, from BitBake's own datastore (``bb.data``) through the
recorder's lines into a real database: a history of 100,000 entries, values with newlines
and bytes that are not UTF-8, a variable listed twice, history entries of an older BitBake
with fields missing, a value that does not expand. Each is recorded as far as it makes
sense, with a warning for the rest, never a failed record."""

from __future__ import annotations

from typing import Any, List

import toaster_rs
from toaster_rs import _bitbake_variables as variables

EVENT_FORMAT_MAX_LINE = 1 << 20


def datastore(bb: Any) -> Any:
    d = bb.data.init()
    d.enableTracking()
    return d


def record(database, lines: List[str]) -> int:
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        build = alice.start_build("demo", host="buildhost")
        with alice.recorder(build.id) as recorder:
            recorder.record_json("\n".join(lines), flush=True)
        return build.id


def warnings_of(database, build: int) -> List[str]:
    with toaster_rs.Toaster.open(database) as db:
        return [m["text"] for m in db.act_as("alice").log(build, level="warning")]


def test_a_history_of_100000_entries_is_sent_in_bounded_lines_and_its_first_entries_kept(bb, database):
    d = datastore(bb)
    d.setVar("LOOP", "start", file="/layers/meta/conf/loop.conf", line=1)
    # What 100,000 `d.appendVar` calls of a loop in the metadata leave (made directly: the
    # calls themselves take a minute).
    d.varhistory.variables["LOOP"] = d.varhistory.variable("LOOP") + [
        {"variable": "LOOP", "op": "append", "file": "/layers/meta/classes/loop.bbclass", "line": n, "detail": " %d" % n}
        for n in range(1, 100_000)
    ]
    value = "start " + " ".join(str(n) for n in range(1, 100_000))
    d.setVar("LOOP", value)
    warned: List[str] = []
    lines = variables.variable_lines(d, "LOOP", True, warned.append)
    # Its value (588,893 bytes) is cut, with a word; its history is sent up to the bound.
    assert warned == ["the value of variable LOOP is %d bytes long; its first %d are recorded" % (len(value), variables.MAX_VALUE)]
    assert all(len(line.encode()) < EVENT_FORMAT_MAX_LINE for line in lines)
    # The value, then the first 10,000 entries in runs of at most 1,000.
    assert len(lines) == 1 + variables.MAX_HISTORY // variables.RUN_ENTRIES
    build = record(database, lines)
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        loop = alice.recorded_variable(build, "LOOP")
        assert loop["value"].startswith("start 1 2 3") and loop["value"].endswith(" more bytes cut by toaster]")
        assert loop["history_entries"] == variables.MAX_HISTORY
        history = alice.variable_history(build, "LOOP")
        assert (history[0]["operation"], history[0]["line"], history[0]["value"]) == ("set", 1, "start")
        assert (history[-1]["operation"], history[-1]["line"]) == ("append", variables.MAX_HISTORY - 1)


def test_values_with_newlines_and_bytes_that_are_not_utf8_are_kept_readable(bb, database):
    d = datastore(bb)
    # BitBake reads conf files undecoded bytes as surrogate escapes.
    odd = "first line\nsecond \udcff\udcfe line\t end"
    d.setVar("ODD", odd, file="/build/conf/local.conf", line=3)
    lines = variables.variable_lines(d, "ODD", True, lambda text: None)
    build = record(database, lines)
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        value = alice.recorded_variable(build, "ODD")["value"]
        assert value == "first line\nsecond \ufffd\ufffd line\t end"
        assert alice.variable_history(build, "ODD")[0]["value"] == value


def test_a_variable_listed_twice_keeps_its_first_record_with_a_warning(bb, database):
    d = datastore(bb)
    d.setVar("TWICE", "one", file="/build/conf/local.conf", line=1)
    first = variables.variable_lines(d, "TWICE", True, lambda text: None)
    d.setVar("TWICE", "two", file="/build/conf/local.conf", line=2)
    again = variables.variable_lines(d, "TWICE", True, lambda text: None)
    build = record(database, first + again)
    with toaster_rs.Toaster.open(database) as db:
        alice = db.act_as("alice")
        assert alice.recorded_variable(build, "TWICE")["value"] == "one"
        assert [h["value"] for h in alice.variable_history(build, "TWICE")] == ["one"]
    assert warnings_of(database, build) == [
        "toaster: variable TWICE is listed more than once; its first value and history are kept"
    ]


def test_history_entries_of_an_older_bitbake_with_fields_missing_are_recorded_as_far_as_they_go(bb, database):
    d = datastore(bb)
    d.setVar("OLD", "value", file="/build/conf/local.conf", line=7)
    # What an older datastore may hold: no operation, no line or a line that is not a
    # number, no value, no file.
    d.varhistory.variables["OLD"] = d.varhistory.variable("OLD") + [
        {"variable": "OLD", "file": "/build/conf/site.conf"},
        {"variable": "OLD", "file": "/build/conf/auto.conf", "op": "append", "line": "12", "detail": " more"},
        {"variable": "OLD", "op": "exported"},
    ]
    lines = variables.variable_lines(d, "OLD", True, lambda text: None)
    build = record(database, lines)
    with toaster_rs.Toaster.open(database) as db:
        history = db.act_as("alice").variable_history(build, "OLD")
    assert [(h["operation"], h["path"], h["line"], h["value"]) for h in history] == [
        ("set", "/build/conf/local.conf", 7, "value"),
        ("set", "/build/conf/site.conf", None, None),
        ("append", "/build/conf/auto.conf", None, " more"),
        ("exported", None, None, None),
    ]
    assert warnings_of(database, build) == []


def test_a_value_that_does_not_expand_is_recorded_unset_with_its_text_and_a_warning(bb, database):
    d = datastore(bb)
    d.setVar("BROKEN", "${@no_such_function()}", file="/build/conf/local.conf", line=1)
    warned: List[str] = []
    lines = variables.variable_lines(d, "BROKEN", True, warned.append)
    assert len(warned) == 1 and warned[0].startswith("variable BROKEN: its value could not be expanded"), warned
    build = record(database, lines)
    with toaster_rs.Toaster.open(database) as db:
        broken = db.act_as("alice").recorded_variable(build, "BROKEN")
    assert (broken["value"], broken["unexpanded"]) == (None, "${@no_such_function()}")


def test_without_tracking_values_are_recorded_and_the_missing_history_said(bb, database):
    d = bb.data.init()
    d.setVar("PLAIN", "value")
    assert not variables.has_history(d)
    lines = variables.variable_lines(d, "PLAIN", False, lambda text: None)
    build = record(database, lines)
    with toaster_rs.Toaster.open(database) as db:
        plain = db.act_as("alice").recorded_variable(build, "PLAIN")
    assert (plain["value"], plain["history_kept"], plain["history_entries"]) == ("value", False, 0)
    [warning] = warnings_of(database, build)
    assert "kept no history" in warning, warning
