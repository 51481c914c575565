"""`toaster conf eval` against BitBake's own parser (`bb.parse`): the same files must give
the same variables, flags and values, and the same files must be refused."""

import json
import logging
import pathlib
import random

import pytest

from conftest import ROOT, run, toaster_eval

CORPUS = ROOT / "tests" / "conf" / "corpus"
BAD = ROOT / "tests" / "conf" / "bad"
BUILDDIR = ROOT / "tests" / "conf" / "corpus-builddir" / "conf"

logging.getLogger("BitBake").setLevel(logging.CRITICAL)


def bitbake_values(bb, files) -> tuple:
    """Every variable and flag BitBake holds after parsing `files` in order and expanding
    keys (as `bitbake -e` shows a datastore), and the variables whose expansion fails."""
    d = bb.data.init()
    for f in files:
        d = bb.parse.handle(str(f), d)
    bb.data.expandKeys(d)
    values, failing = {}, set()
    for key in d.keys():
        if key.startswith("__"):
            continue
        try:
            values[key] = d.getVar(key)
        except bb.data_smart.ExpansionError:
            failing.add(key)
            continue
        for flag in d.getVarFlags(key) or {}:
            try:
                value = d.getVarFlag(key, flag)
            except bb.data_smart.ExpansionError:
                failing.add(f"{key}[{flag}]")
                continue
            values[f"{key}[{flag}]"] = None if value is None else str(value)
    return values, failing


def toaster_evaluation(toaster_bin, files, names=()) -> tuple:
    """`toaster conf eval --json`: the values, and the names it cannot expand."""
    out = run(toaster_bin, "conf", "eval", "--json", *map(str, files), *names)
    assert out.returncode == 0, out.stderr
    evaluated = json.loads(out.stdout)
    return evaluated["variables"], set(evaluated["unexpandable"])


def compare(bb, toaster_bin, files):
    expected, failing = bitbake_values(bb, files)
    ours, unexpandable = toaster_evaluation(toaster_bin, files)
    variables = [k for k in expected if "[" not in k]
    assert sorted(ours) == sorted(variables), "the same variables"
    flags = [k for k in expected if "[" in k] + [k for k in failing if "[" in k]
    if flags:
        flag_values, flags_failing = toaster_evaluation(toaster_bin, files, flags)
        ours.update(flag_values)
        unexpandable |= flags_failing
    assert unexpandable == failing, "the same variables and flags fail to expand"
    for key, value in expected.items():
        if value is not None and "${@" in (ours.get(key) or ""):
            continue  # inline Python: BitBake runs it, toaster shows it unevaluated
        assert ours[key] == value, key
    return len(expected) + len(failing)


def bitbake_refuses(bb, path) -> bool:
    try:
        bb.parse.handle(str(path), bb.data.init())
    except Exception:  # ParseError, BBHandledException from bb.fatal, IOError from require
        return True
    return False


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.conf")), ids=lambda p: p.name)
def test_corpus_values_equal_bitbakes(bb, toaster_bin, path):
    assert compare(bb, toaster_bin, [path]) > 0


def test_a_build_directory_with_includes(bb, toaster_bin):
    files = [BUILDDIR / "bblayers.conf", BUILDDIR / "local.conf"]
    assert compare(bb, toaster_bin, files) > 5


@pytest.mark.parametrize("path", sorted(BAD.glob("*.conf")), ids=lambda p: p.name)
def test_bitbake_and_toaster_refuse_the_same_files(bb, toaster_bin, path):
    assert bitbake_refuses(bb, path)
    out = run(toaster_bin, "conf", "eval", str(path))
    assert out.returncode == 1, out.stdout
    assert f"{path.name}:" in out.stderr and "hint:" in out.stderr


NAMES = ["A", "B", "C", "A:append", "A:remove", "B:prepend", "A:ov", "B:ov:append",
         "OVERRIDES", "C[f]", "A[g]", "export A", "X_Y", "a.b", "A+"]
OPS = ["=", "?=", "??=", ":=", "+=", "=+", ".=", "=."]
WORDS = ["", " ", "x", "y z", "${A}", "${B}x", "${C} ${A}", "ov", "ov:other", "a\\b", "'q'",
         '"q"', "${undefined}", "  lead", "trail  ", "$A", "${${C}}", "x\"y\"z", "#"]


def random_line(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.05:
        return rng.choice(["unset A", "unset B", "unset A[g]", "export B", "# comment", ""])
    name = rng.choice(NAMES)
    op = rng.choice(OPS)
    value = rng.choice(WORDS) + rng.choice(["", " "]) + rng.choice(WORDS)
    quote = '"' if '"' not in value else "'"
    space = rng.choice([" ", " ", "", "\t"])
    line = f"{name}{space}{op}{space}{quote}{value}{quote}"
    if rng.random() < 0.05:
        line = line[: rng.randrange(len(line))] + "\\"
    return line


def test_random_files_agree_with_bitbake(bb, toaster_bin, tmp_path):
    rng = random.Random(3)
    agreed = failing = 0
    for case in range(300):
        lines = [random_line(rng) for _ in range(rng.randrange(1, 12))]
        path = tmp_path / f"random{case}.conf"
        path.write_text("\n".join(lines) + "\n")
        if bitbake_refuses(bb, path):
            out = run(toaster_bin, "conf", "eval", "--json", str(path))
            assert out.returncode == 1, path.read_text()
            continue
        compare(bb, toaster_bin, [path])
        failing += bool(bitbake_values(bb, [path])[1])
        agreed += 1
    print(f"random files: {agreed} evaluated alike ({failing} with variables BitBake "
          f"cannot expand, failing alike), {300 - agreed} refused by both")
    assert agreed > 100 and failing > 10


def test_self_references_fail_for_that_variable_alone(bb, toaster_bin, tmp_path):
    """BitBake fails to expand a variable that refers to itself (directly, or through a
    cycle) and reads every other one: so does `conf eval`, naming the failing ones."""
    path = tmp_path / "self.conf"
    path.write_text('A = "${A} more"\nB = "a${A}"\nC = "${D}"\nD = "${C}"\n'
                    'E := "${E}x"\nF = "f"\nF := "${F} plus"\nG = "$HOME and 100%"\n')
    assert compare(bb, toaster_bin, [path]) == 8
    out = run(toaster_bin, "conf", "eval", str(path))
    assert out.returncode == 0, out.stderr
    assert 'F="f plus"' in out.stdout and 'G="$HOME and 100%"' in out.stdout
    assert "A: cannot expand A: it refers to itself" in out.stdout


def test_a_renamed_key_replacing_a_variable_warns_as_bitbake_does(toaster_bin, tmp_path):
    path = tmp_path / "keys.conf"
    path.write_text('FOO = "foo"\nVAL_foo = "old"\nVAL_${FOO} = "new"\n')
    out = run(toaster_bin, "conf", "eval", str(path), "VAL_foo")
    assert out.returncode == 0, out.stderr
    assert out.stdout == 'VAL_foo="new"\n'
    assert "variable key VAL_${FOO} (new) replaces original key VAL_foo (old)" in out.stderr


ADVERSARIAL = [
    'plain', '', ' ', '  both  ', 'say "hi"', "it's", 'a"b"c', "a'b'c", 'x"y\'z\'w',
    'a"b"c\'d', "one \" and one '", '"', "'", '""', "''", '"\'', 'back\\slash', 'end\\',
    '\\"', 'C:\\temp\\n', '${TOPDIR}/../downloads', '${@os.system("id")}', '$${@x}',
    'x" \nINHERIT += "evil', 'a\rb', 'tab\there', 'ctrl\x01char', '# not a comment',
    '" # "', "= '", 'A = "x"', 'unicode ✓ grüße', '\u2028line separator', '\\',
    "'\"'\"'", '"a" "b"', '${A', '}{', '${@', '@{x}', 'a\\\nb',
    '$HOME and 100%', 'costs $5', 'ends in $', 'a$${X}', '$ {X}',
]


def test_values_the_writer_emits_read_back_exactly(bb, toaster_bin, tmp_path):
    """Every value `config set` accepts is written into toaster.conf so that BitBake reads
    back exactly that value; values BitBake cannot represent are refused."""
    env_run = lambda *args: run(toaster_bin, "--db", str(tmp_path / "t.sqlite"), *args)
    assert env_run("owner", "add", "tester").returncode == 0
    assert env_run("project", "create", "adv", "--dir", str(tmp_path / "adv")).returncode == 0
    conf = tmp_path / "adv" / "build" / "conf" / "toaster.conf"
    accepted = refused = 0
    for value in ADVERSARIAL:
        out = env_run("config", "set", "adv", "ADVERSARIAL_VALUE", value)
        if out.returncode != 0:
            assert out.returncode == 1 and out.stderr.startswith("error: "), (value, out.stderr)
            refused += 1
            continue
        accepted += 1
        d = bb.parse.handle(str(conf), bb.data.init())
        raw = d.getVar("ADVERSARIAL_VALUE", False)
        assert raw == value, (value, raw)
        ours = toaster_eval(toaster_bin, [conf], ["ADVERSARIAL_VALUE"])
        if "${" not in value:
            assert ours["ADVERSARIAL_VALUE"] == d.getVar("ADVERSARIAL_VALUE") == value
    print(f"adversarial values: {accepted} read back exactly, {refused} refused")
    assert accepted > 20 and refused >= 6
