"""Many build hosts on one PostgreSQL database: runners on three "hosts" of their own
(network namespaces with a veth link and UTS namespaces with their own host names, made by
this test; host 1 runs two runners sharing one work root) take 30 queued builds of toy
layers with real BitBake. Each build runs exactly once, every host takes some, each
records its host and the directory it ran in (the runner's work root, where the project's
git layer was cloned at the pinned commit and its conf files were generated with that
host's settings). One host killed mid-build, and another cut off from the network
mid-build, have their builds interrupted after the lease while the others finish the
rest; the cut-off host comes back and says it is alive again.

Skipped, saying so, where namespaces cannot be made (not root, no `ip`) or PostgreSQL is
not installed; ``TOASTER_TEST_REQUIRE_HOSTS`` (set by ``.ci/run``) makes that a failure."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Dict, Iterator, List, Tuple

import pytest
import toy_bitbake
from toaster_cli import Toaster

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOSTS = 3
PROJECTS = 6
BUILDS_EACH = 5
LEASE = 5
SUBNET = "10.213.%d"
RECIPES = {
    "first_1.0.bb": toy_bitbake.recipe("    import time\n    time.sleep(1)"),
    "second_1.0.bb": toy_bitbake.recipe("    import time\n    time.sleep(1)", depends=["first"]),
}


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, check=False)


def why_no_hosts() -> str:
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "unshare", "hostname", "git"):
        if not shutil.which(tool):
            return "`%s` is not installed" % tool
    if not (shutil.which("initdb") or list(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"))):
        return "PostgreSQL is not installed (apt-get install postgresql)"
    probe = "tsprobe%d" % os.getpid()
    made = run("ip", "netns", "add", probe)
    if made.returncode != 0:
        return "`ip netns add` failed: %s" % made.stderr.strip()
    run("ip", "netns", "del", probe)
    return ""


class Namespaces:
    """HOSTS network namespaces, each linked to this one by a veth pair: this side
    10.213.N.1, the host's side 10.213.N.2."""

    def __init__(self) -> None:
        tag = os.getpid() % 100000
        self.names = ["tsh%d-%d" % (tag, n) for n in range(1, HOSTS + 1)]
        self.links = ["tsv%d-%d" % (tag, n) for n in range(1, HOSTS + 1)]

    def make(self) -> None:
        for n, (ns, link) in enumerate(zip(self.names, self.links), start=1):
            net = SUBNET % n
            for argv in (
                ["ip", "netns", "add", ns],
                ["ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", ns],
                ["ip", "addr", "add", net + ".1/24", "dev", link],
                ["ip", "link", "set", link, "up"],
                ["ip", "-n", ns, "addr", "add", net + ".2/24", "dev", "eth0"],
                ["ip", "-n", ns, "link", "set", "eth0", "up"],
                ["ip", "-n", ns, "link", "set", "lo", "up"],
            ):
                done = run(*argv)
                assert done.returncode == 0, (argv, done.stderr)

    def kill_all_in(self, ns: str) -> None:
        pids = run("ip", "netns", "pids", ns).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass

    def remove(self) -> None:
        for ns, link in zip(self.names, self.links):
            self.kill_all_in(ns)
            run("ip", "link", "del", link)
            run("ip", "netns", "del", ns)


@pytest.fixture
def hosts() -> Iterator[Namespaces]:
    missing = why_no_hosts()
    if missing:
        if os.environ.get("TOASTER_TEST_REQUIRE_HOSTS"):
            pytest.fail("TOASTER_TEST_REQUIRE_HOSTS is set but " + missing)
        pytest.skip("SKIPPED: the multi-host test needs namespaces and PostgreSQL: " + missing)
    namespaces = Namespaces()
    try:
        namespaces.make()
        yield namespaces
    finally:
        namespaces.remove()


@pytest.fixture
def database(hosts: Namespaces) -> Iterator[str]:
    """A PostgreSQL server listening on loopback and on this side of every veth link;
    its port."""
    # The server runs as the `postgres` user: its directory must be reachable by it.
    top = pathlib.Path(tempfile.mkdtemp(prefix="toaster-hosts-pg."))
    top.chmod(0o755)
    pg = top / "pg"
    listen = ",".join((SUBNET % n) + ".1" for n in range(1, HOSTS + 1))
    started = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(pg)],
        capture_output=True, text=True, env=dict(os.environ, TOASTER_PG_LISTEN=listen), check=False,
    )
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(pg)], check=False)
        shutil.rmtree(top, ignore_errors=True)


def git_layer(work: pathlib.Path) -> pathlib.Path:
    layer = toy_bitbake.toy_layer(work, "toy", RECIPES)
    for argv in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "toy layer"],
    ):
        subprocess.run(argv, cwd=layer, check=True)
    return layer


def started_builds(stderr: str) -> List[int]:
    return [int(m) for m in re.findall(r"^build (\d+) of \S+ started", stderr, re.M)]


def test_three_hosts_share_one_queue_and_a_dead_host_loses_only_its_build(hosts, database, tmp_path, bitbake_dir):
    url = database
    toaster = Toaster(tmp_path)
    toaster.env["TOASTER_DB"] = url
    toaster("owner", "add", "alice")
    core = toy_bitbake.core_layer(tmp_path, bitbake_dir)
    layer = git_layer(tmp_path)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=layer, capture_output=True, text=True, check=True).stdout.strip()
    names = ["p%d" % n for n in range(PROJECTS)]
    for name in names:
        toaster("project", "create", name, "--dir", str(tmp_path / "projects" / name), "--release", toy_bitbake.SERIES)
        toaster("layer", "remove", name, "meta-yocto-bsp", "meta-poky", "openembedded-core")
        toaster("layer", "add", name, "--path", str(core))
        toaster("layer", "add", name, "--git", layer.as_uri(), "--ref", "main")
        toaster("bitbake", "set", name, "--path", str(bitbake_dir))
        toaster("config", "set", name, "targets", "second")
    toaster("host", "set", "host1", "BB_NUMBER_THREADS", "3")
    builds = [toaster.json("build", "start", name)["id"] for _ in range(BUILDS_EACH) for name in names]
    assert len(set(builds)) == PROJECTS * BUILDS_EACH

    # A runner on each host, reaching the database over its link; host 1 has a second
    # runner sharing its work root.
    port = re.search(r":(\d+)/", url).group(1)  # type: ignore[union-attr]
    runners: List[Tuple[int, "subprocess.Popen[str]"]] = []
    for n, ns in [(n, ns) for n, ns in enumerate(hosts.names, start=1)] + [(1, hosts.names[0])]:
        env = dict(toaster.env, TOASTER_DB="postgres://toaster@%s.1:%s/toaster_test?sslmode=disable" % (SUBNET % n, port))
        argv = [
            "ip", "netns", "exec", ns, "unshare", "--uts", "sh", "-c",
            'hostname "$0" && exec "$@"', "host%d" % n,
            str(toaster_bin()), "--as", "alice", "runner", "--lease", str(LEASE), "--workdir", str(tmp_path / ("work%d" % n)),
        ]
        if n == 3:
            argv += ["--release", toy_bitbake.SERIES]
        runners.append((n, subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)))
    outputs: Dict[int, str] = {1: "", 2: "", 3: ""}
    deadline = time.monotonic() + 600
    killed: List[int] = []

    def running_on(host: str) -> Dict[str, object]:
        while True:
            listed = toaster.json("build", "list", "--limit", "100")
            found = [b for b in listed if b["host"] == host and b["state"] == "running"]
            if found:
                return found[0]
            # A runner that ends by itself failed; host 3's, killed by the test, did not.
            ended = [r.stderr.read() for n, r in runners if n not in killed and r.poll() is not None and r.stderr]
            assert time.monotonic() < deadline and not ended, "\n".join(ended)
            time.sleep(0.2)

    try:
        # Host 3 dies mid-build: every process in it killed at once.
        doomed = running_on("host3")
        alive = toaster.json("host", "list")
        assert sorted(h["host"] for h in alive if h["state"] == "alive") == ["host1", "host2", "host3"]
        killed.append(3)
        hosts.kill_all_in(hosts.names[2])
        runners[2][1].wait(timeout=30)
        # Host 2 is cut off mid-build until its build is interrupted, and a lease more;
        # a build that ended before the cut took hold is no test: then the next one.
        while True:
            cut = running_on("host2")
            run("ip", "link", "set", hosts.links[1], "down")
            while True:
                state = toaster.json("build", "show", str(cut["id"]))["state"]
                if state in ("succeeded", "failed", "cancelled", "interrupted"):
                    break
                assert time.monotonic() < deadline, "host 2's build never ended"
                time.sleep(0.5)
            if state == "interrupted":
                break
            run("ip", "link", "set", hosts.links[1], "up")
        time.sleep(LEASE)
        run("ip", "link", "set", hosts.links[1], "up")
        healed = time.monotonic()

        # The others finish every other build.
        while True:
            shown = {b: toaster.json("build", "show", str(b)) for b in builds}
            if all(s["state"] in ("succeeded", "failed", "cancelled", "interrupted") for s in shown.values()):
                break
            assert time.monotonic() < deadline, {b: s["state"] for b, s in shown.items()}
            time.sleep(1)
        # Host 2 says it is alive again once its link is back.
        while True:
            listing = {h["host"]: h for h in toaster.json("host", "list")}
            if listing["host2"]["state"] == "alive" or time.monotonic() > healed + 6 * LEASE:
                break
            time.sleep(0.5)
    finally:
        for _, runner in runners:
            if runner.poll() is None:
                runner.send_signal(signal.SIGTERM)
        for n, runner in runners:
            try:
                _, err = runner.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                runner.kill()
                _, err = runner.communicate()
            outputs[n] += err

    states = {b: s["state"] for b, s in shown.items()}
    assert states[doomed["id"]] == "interrupted" and states[cut["id"]] == "interrupted", states
    assert sorted(states.values()).count("succeeded") == len(builds) - 2, (states, outputs)
    # Each build ran exactly once, on one host; every host took some.
    started = [b for n in outputs for b in started_builds(outputs[n])]
    assert sorted(started) == sorted(builds), outputs
    by_host = {n: set(started_builds(outputs[n])) for n in outputs}
    assert all(by_host[n] for n in by_host), by_host
    for n, taken in by_host.items():
        for build in taken:
            s = shown[build]
            assert s["host"] == "host%d" % n, s
            # The build ran in the host's work root, with the git layer pinned.
            assert s["build_dir"] == str((tmp_path / ("work%d" % n)).resolve() / s["project"] / "build"), s
            [pinned] = [lr for lr in s["layers"] if lr["source"] == layer.as_uri()]
            assert pinned["commit"] == commit, s["layers"]
    # The project's layer was cloned in each work root at the commit the builds pin.
    for n in by_host:
        for project in {shown[b]["project"] for b in by_host[n]}:
            clone = next((tmp_path / ("work%d" % n) / project).glob("layers/*/.git"), None)
            assert clone is not None, list((tmp_path / ("work%d" % n) / project).rglob("*"))[:20]
            head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone.parent, capture_output=True, text=True, check=True)
            assert head.stdout.strip() == commit
    # Host 1's settings are in the conf files written there, and only there.
    for n in by_host:
        for project in {shown[b]["project"] for b in by_host[n]}:
            conf = (tmp_path / ("work%d" % n) / project / "build" / "conf" / "toaster-host.conf").read_text()
            assert ('BB_NUMBER_THREADS = "3"' in conf) == (n == 1), (n, conf)
    # Hosts as the database saw them: addresses inside the test's namespaces; host 3
    # silent, its runner's row kept; host 2 alive again after its partition.
    assert listing["host3"]["state"] == "silent", listing
    assert listing["host1"]["state"] == listing["host2"]["state"] == "alive", listing
    assert len(listing["host1"]["runners"]) == 2, listing["host1"]
    assert listing["host3"]["runners"][0]["releases"] == [toy_bitbake.SERIES]
    assert listing["host1"]["runners"][0]["releases"] == []
    for n in (1, 2, 3):
        for runner in listing["host%d" % n]["runners"]:
            assert runner["address"] == (SUBNET % n) + ".2", runner
            assert runner["work_root"] == str((tmp_path / ("work%d" % n)).resolve())
    after = {h["host"]: h for h in toaster.json("host", "list")}
    assert set(after) == {"host3"}, "runners that stop remove themselves"


def toaster_bin() -> pathlib.Path:
    from conftest import CLI

    return CLI
