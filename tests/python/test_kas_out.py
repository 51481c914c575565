"""``toaster project export --format kas``: the real kas (PyPI, ``scripts/requirements-test.txt``)
reads the file, checks the project's git layers out offline from ``file://`` repositories,
and writes a ``local.conf`` and ``bblayers.conf`` that BitBake's own parser reads as it
reads the project's own generated conf; ``kas dump --lock`` computes the same lock file as
``--format kas-lock``; and ``kas build`` builds the targets with the real BitBake, found as
kas finds it (``oe-init-build-env``, then ``bitbake/`` beside the core repository).

The repositories: ``openembedded-core`` (a stand-in: the core-like layer in ``core/``, a toy
layer in ``meta-extra/``, and an ``oe-init-build-env`` at its top as openembedded-core
has), ``meta-toy`` (a repository that is itself a layer) and ``bitbake`` (the fixture
BitBake), each a git repository in a temporary directory.
"""

from __future__ import annotations

import fcntl
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import warnings
from typing import Any, Dict, List, Tuple

import pytest
import toy_bitbake
from toaster_cli import Toaster

SERIES = toy_bitbake.SERIES
KAS = pathlib.Path(sys.executable).parent / "kas"

# Values that must reach BitBake unchanged through YAML and conf quoting.
VARIABLES = {
    "GREETING": 'say "hello, world" to all',
    "TOY_NOTE": "it's: # not a comment - *star* &amp {a: [b]} grüße ✓",
    "TOY_DIR": "${TOPDIR}/../toy-output",
}
PACKAGES = ["pkg-a", "pkg-b"]

RECIPES = {
    "hello_1.0.bb": toy_bitbake.recipe(
        '    import pathlib\n'
        '    out = pathlib.Path(d.getVar("TOPDIR")) / "hello.out"\n'
        '    out.write_text("%s|%s|%s\\n" % (d.getVar("GREETING"), d.getVar("MACHINE"), d.getVar("DISTRO")))'
    ),
}
EXTRA_RECIPES = {
    "extra_1.0.bb": toy_bitbake.recipe(
        '    import pathlib\n'
        '    (pathlib.Path(d.getVar("TOPDIR")) / "extra.out").write_text(d.getVar("TOY_NOTE") + "\\n")'
    ),
}

# The toy openembedded-core's oe-init-build-env, as kas sources it (from the repository's
# top, with the build directory as $1): BitBake from bitbake/ beside the repository, as
# openembedded-core's script finds it when it is not inside.
INIT_BUILD_ENV = """\
OEROOT=$(pwd)
BITBAKEDIR="$OEROOT/../bitbake"
BUILDDIR="${1:-$OEROOT/build}"
mkdir -p "$BUILDDIR/conf"
PATH="$BITBAKEDIR/bin:%(python)s:$PATH"
LANG=%(locale)s
LC_ALL=%(locale)s
export PATH BUILDDIR LANG LC_ALL
cd "$BUILDDIR"
"""

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Toy",
    "GIT_AUTHOR_EMAIL": "toy@example.com",
    "GIT_COMMITTER_NAME": "Toy",
    "GIT_COMMITTER_EMAIL": "toy@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: pathlib.Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False, env=dict(os.environ, **GIT_ENV))
    assert out.returncode == 0, (args, out.stderr)
    return out.stdout.strip()


def commit_all(repo: pathlib.Path) -> str:
    """Makes `repo` a git repository on branch master with everything in it committed."""
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "toy")
    return git(repo, "rev-parse", "HEAD")


def kas_environment(work: pathlib.Path) -> Dict[str, str]:
    """kas offline in `work`: its work and build directories there, a home of its own, no
    proxies and no KAS_* settings from the caller."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAS_") and "proxy" not in k.lower()}
    env.update(GIT_ENV)
    env.update(
        KAS_WORK_DIR=str(work / "kas-work"),
        KAS_BUILD_DIR=str(work / "kas-work" / "build"),
        HOME=str(home),
        PATH="%s:%s" % (pathlib.Path(sys.executable).parent, os.environ.get("PATH", "/usr/bin:/bin")),
    )
    (work / "kas-work").mkdir(exist_ok=True)
    return env


def kas(work: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KAS), *args], capture_output=True, text=True, env=kas_environment(work), cwd=work, timeout=600, check=False)


class Exported:
    """The project `demo` on git layers, exported as demo.yml and demo.lock.yml."""

    def __init__(self, work: pathlib.Path, bitbake: pathlib.Path) -> None:
        self.work = work
        sources = work / "sources"
        core_repo = sources / "openembedded-core"
        toy_bitbake.core_layer(core_repo, bitbake)
        toy_bitbake.toy_layer(core_repo, "meta-extra", EXTRA_RECIPES)
        python = pathlib.Path(sys.executable).parent
        (core_repo / "oe-init-build-env").write_text(INIT_BUILD_ENV % {"python": python, "locale": toy_bitbake.LOCALE})
        toy_repo = toy_bitbake.toy_layer(sources, "meta-toy", RECIPES)
        bitbake_repo = sources / "bitbake"
        shutil.copytree(bitbake, bitbake_repo, symlinks=True)
        self.commits = {name: commit_all(repo) for name, repo in [("openembedded-core", core_repo), ("meta-toy", toy_repo), ("bitbake", bitbake_repo)]}

        t = self.toaster = Toaster(work)
        t("owner", "add", "alice")
        t("project", "create", "demo", "--dir", str(work / "demo"), "--release", SERIES)
        t("layer", "remove", "demo", "meta-yocto-bsp", "meta-poky", "openembedded-core")
        t("layer", "add", "demo", "--git", core_repo.as_uri(), "--ref", "master", "--subdir", "core")
        t("layer", "add", "demo", "--git", core_repo.as_uri(), "--ref", "master", "--subdir", "meta-extra")
        t("layer", "add", "demo", "--git", toy_repo.as_uri(), "--ref", "master")
        t("bitbake", "set", "demo", "--git", bitbake_repo.as_uri(), "--ref", "master")
        t("config", "set", "demo", "machine", "toymachine")
        t("config", "set", "demo", "distro", "toydistro")
        t("config", "set", "demo", "targets", "hello extra:do_build")
        for name, value in VARIABLES.items():
            t("config", "set", "demo", name, value)
        t("config", "set", "demo", "packages", " ".join(PACKAGES))
        t("conf", "write", "demo")
        self.file = work / "demo.yml"
        self.lock = work / "demo.lock.yml"
        shown = t.json("project", "export", "demo", "--format", "kas", "-o", str(self.file))
        # What the project sets that is this host's (its infrastructure variables) stays here.
        self.left_out = {line.split(":")[0] for line in shown["left_out"]}


def skip_loudly(reason: str) -> None:
    """Skips with `reason` shown in the warnings summary of every run, not only with -rs."""
    warnings.warn(pytest.PytestWarning("SKIPPED kas tests: %s" % reason))
    pytest.skip(reason)


@pytest.fixture(scope="module")
def kas_bin() -> pathlib.Path:
    """The kas command of this Python; the tests are skipped, loudly, without it."""
    if not KAS.is_file():
        reason = "kas is not installed next to %s: pip install -r scripts/requirements-test.txt" % sys.executable
        skip_loudly(reason)
    return KAS


@pytest.fixture(scope="module")
def exported(kas_bin: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    scratch = tmp_path_factory.mktemp("kas-bitbake")
    bitbake = toy_bitbake.find_bitbake(scratch)
    if bitbake is None:
        reason = toy_bitbake.why_no_bitbake()
        skip_loudly(reason)
    return Exported(tmp_path_factory.mktemp("kas"), bitbake)


@pytest.fixture(scope="module")
def checked_out(exported: Exported) -> pathlib.Path:
    """`kas checkout demo.yml`: the build directory kas set up."""
    out = kas(exported.work, "checkout", str(exported.file))
    assert out.returncode == 0, out.stderr + exported.file.read_text()
    return exported.work / "kas-work" / "build"


def test_kas_dump_reads_the_project(exported: Exported) -> None:
    import yaml

    out = kas(exported.work, "dump", str(exported.file))
    assert out.returncode == 0, out.stderr + exported.file.read_text()
    dumped = yaml.safe_load(out.stdout)
    assert (dumped["machine"], dumped["distro"]) == ("toymachine", "toydistro")
    # `extra` has a task of its own, `hello` none: kas has one task for all targets, so
    # extra's is in its name, which BitBake runs instead of kas's task.
    assert dumped["target"] == ["hello", "extra:do_build"] and "task" not in dumped
    repos = dumped["repos"]
    assert sorted(repos) == ["bitbake", "meta-toy", "openembedded-core"]
    for name, commit in exported.commits.items():
        assert (repos[name]["commit"], repos[name]["branch"]) == (commit, "master"), name
    assert repos["bitbake"]["layers"] == {}
    assert repos["openembedded-core"]["layers"] == {"core": None, "meta-extra": None}
    assert repos["meta-toy"]["layers"] == {".": None}
    text = dumped["local_conf_header"]["toaster"]
    for name in VARIABLES:
        assert name in text
    assert 'IMAGE_INSTALL:append = " %s"' % " ".join(PACKAGES) in text
    for name in ["DL_DIR", "SSTATE_DIR", *exported.left_out]:  # host settings stay here
        assert name not in text


def test_the_lock_file_is_the_one_kas_computes(exported: Exported) -> None:
    import yaml

    computed = kas(exported.work, "dump", "--lock", str(exported.file))
    assert computed.returncode == 0, computed.stderr
    printed = exported.toaster("project", "export", "demo", "--format", "kas-lock").stdout
    exported.toaster("project", "export", "demo", "--format", "kas-lock", "-o", str(exported.lock))
    ours = exported.lock.read_text()
    assert ours == printed
    assert yaml.safe_load(ours) == yaml.safe_load(computed.stdout)
    assert yaml.safe_load(ours)["overrides"]["repos"]["meta-toy"]["commit"] == exported.commits["meta-toy"]
    # Beside the project file, kas reads it as part of it.
    try:
        out = kas(exported.work, "dump", str(exported.file))
        assert out.returncode == 0, out.stderr
        assert "overrides" in yaml.safe_load(out.stdout)
    finally:
        exported.lock.unlink()


def bitbake_reads(bb: Any, build_dir: pathlib.Path) -> Any:
    """The datastore BitBake makes of a build directory's bblayers.conf then local.conf."""
    d = bb.data.init()
    d.setVar("TOPDIR", str(build_dir))
    for name in ("bblayers.conf", "local.conf"):
        d = bb.parse.handle(str(build_dir / "conf" / name), d)
    return d


def layer_identities(d: Any) -> List[Tuple[str, str, str]]:
    """BBLAYERS as (remote, commit, directory inside the repository): the same layers
    wherever they are checked out."""
    found = []
    for path in (d.getVar("BBLAYERS") or "").split():
        layer = pathlib.Path(path).resolve()
        found.append((git(layer, "remote", "get-url", "origin"), git(layer, "rev-parse", "HEAD"), git(layer, "rev-parse", "--show-prefix")))
    return sorted(found)


def test_kas_conf_reads_as_the_projects_own(bb: Any, exported: Exported, checked_out: pathlib.Path) -> None:
    ours = bitbake_reads(bb, exported.work / "demo" / "build")
    kas_d = bitbake_reads(bb, checked_out)
    names = ["MACHINE", "DISTRO", "IMAGE_INSTALL", *VARIABLES]
    for name in names:
        assert kas_d.getVar(name, False) == ours.getVar(name, False), name
    assert kas_d.getVar("GREETING") == VARIABLES["GREETING"]
    assert kas_d.getVar("TOY_NOTE") == VARIABLES["TOY_NOTE"]
    assert kas_d.getVar("IMAGE_INSTALL").split() == PACKAGES
    # Every variable comes along (PACKAGE_CLASSES, BBPATH, …) with the same value, but for
    # the host settings the export leaves out (those of the project's toaster-host.conf);
    # and the build directories' scaffolding differs: the version stamps of the project's
    # local.conf and bblayers.conf, and kas's BBMULTICONFIG (empty here); TOPDIR and FILE
    # (the file the parser read last) are where each directory is.
    host = bb.parse.handle(str(exported.work / "demo" / "build" / "conf" / "toaster-host.conf"), bb.data.init())
    defined = lambda d, scaffolding: {k for k in d.keys() if not k.startswith("__")} - {"TOPDIR", "FILE"} - scaffolding
    # The download and sstate caches are this host's, shared by its projects (not a
    # setting of the project, so nothing of the project is left out for them).
    host_settings = defined(host, set())
    assert host_settings == {"DL_DIR", "SSTATE_DIR"} and not exported.left_out
    common = defined(ours, {"CONF_VERSION", "LCONF_VERSION"} | host_settings)
    assert defined(kas_d, {"BBMULTICONFIG"}) == common, "the same variables"
    assert kas_d.getVar("BBMULTICONFIG") == ""
    for name in common - {"BBLAYERS"}:
        assert kas_d.getVar(name, False) == ours.getVar(name, False), name
    # The same layers at the same commits, though checked out elsewhere.
    layers = layer_identities(kas_d)
    assert layers == layer_identities(ours)
    assert {(commit, subdir) for _, commit, subdir in layers} == {
        (exported.commits["openembedded-core"], "core/"),
        (exported.commits["openembedded-core"], "meta-extra/"),
        (exported.commits["meta-toy"], ""),
    }


def test_kas_build_runs_the_targets_with_the_variables(exported: Exported, checked_out: pathlib.Path, bitbake_dir: pathlib.Path) -> None:
    """`kas build`: kas finds BitBake through oe-init-build-env in bitbake/ beside the core
    repository, and the build sees the project's machine, distro and variables."""
    try:
        out = kas(exported.work, "build", str(exported.file))
    finally:
        leave_no_server(checked_out)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert git(exported.work / "kas-work" / "bitbake", "rev-parse", "HEAD") == exported.commits["bitbake"]
    hello = (checked_out / "hello.out").read_text()
    assert hello == "%s|toymachine|toydistro\n" % VARIABLES["GREETING"]
    assert (checked_out / "extra.out").read_text() == VARIABLES["TOY_NOTE"] + "\n"


def leave_no_server(build_dir: pathlib.Path, timeout: float = 30) -> None:
    """Waits for the BitBake server of `build_dir` to let go of bitbake.lock; kills it
    after `timeout` seconds."""
    lock = build_dir / "bitbake.lock"
    deadline = time.monotonic() + timeout
    while lock.exists():
        with open(lock) as file:
            try:
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except OSError:
                first = file.read().split()
        if time.monotonic() >= deadline:
            if first and first[0].isdigit():
                os.kill(int(first[0]), signal.SIGKILL)
            return
        time.sleep(0.1)
