"""``toaster serve`` in a real browser: Debian's Chromium, headless, driven by Playwright
(PyPI's ``playwright``, with the system's Chromium rather than one it downloads). A phone-sized
window signs in with an owner token, starts a build of a toy layer from the project page,
and watches a real BitBake build (run by ``toaster runner``) move on the build page over
the event stream, with no reload; every page fits 360 px with no horizontal scrolling and
weighs under 50 KB.

Skipped, saying so, where Chromium or Playwright is missing; ``TOASTER_TEST_REQUIRE_BROWSER``
(set by ``.ci/run``) makes that a failure. The screenshot is kept as
``target/screenshots/build-page.png`` (BROWSER_SCREENSHOT_DIR elsewhere)."""

from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import time
from typing import Dict, Iterator, Tuple

import pytest
import toy_bitbake
from toaster_cli import Toaster, toy_project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags a closed network needs: no background connections, no updates, no sync.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEPS = 8
# A chain of recipes, each a second long: the build's progress moves step by step.
RECIPES = {
    "step%d_1.0.bb" % n: toy_bitbake.recipe(
        "    import time\n    time.sleep(1.5)", depends=["step%d" % (n - 1)] if n else []
    )
    for n in range(STEPS)
}
PAGE_LIMIT = 50 * 1024


def browser_missing() -> str:
    if not os.path.exists(CHROMIUM):
        return "Chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    return ""


@pytest.fixture
def browser() -> Iterator["object"]:
    missing = browser_missing()
    if missing:
        if os.environ.get("TOASTER_TEST_REQUIRE_BROWSER"):
            pytest.fail("TOASTER_TEST_REQUIRE_BROWSER is set but " + missing)
        pytest.skip("SKIPPED: the browser tests need " + missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives each launch a new empty profile of its own.
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def served(tmp_path: pathlib.Path, bitbake_dir: pathlib.Path) -> Iterator[Tuple[Toaster, str, str]]:
    """The toy project, a runner taking its builds and ``toaster serve`` on a free port:
    the command, the server's address and alice's token."""
    toaster = toy_project(tmp_path, bitbake_dir, RECIPES, "step%d" % (STEPS - 1))
    token = toaster.json("owner", "token", "create", "--name", "phone")["token"]
    server = toaster.start("serve", "--listen", "127.0.0.1:0")
    runner = toaster.start("runner")
    try:
        address = ""
        deadline = time.monotonic() + 30
        assert server.stderr is not None
        while not address:
            line = server.stderr.readline()
            assert line or server.poll() is None, "toaster serve ended before it listened"
            found = re.search(r"on (http://[^/\s]+)/", line)
            address = found.group(1) if found else ""
            assert time.monotonic() < deadline, "toaster serve did not say where it listens"
        yield toaster, address, token
    finally:
        for process in (runner, server):
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def progress(page) -> Tuple[float, float]:
    bar = page.locator("[data-events] progress")
    return float(bar.get_attribute("value") or 0), float(bar.get_attribute("max") or 0)


def test_a_phone_signs_in_starts_a_build_and_watches_it_move(browser, served):
    toaster, address, token = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    weights: Dict[str, int] = {}
    page.on("response", lambda r: weights.__setitem__(r.url, len(r.body())) if r.ok and r.request.method == "GET" else None)

    # Not signed in: the builds page sends the browser to sign in.
    page.goto(address + "/builds")
    assert page.url.startswith(address + "/signin"), page.url
    page.fill("#token", "not-a-token")
    page.click("button[type=submit], form button")
    assert page.locator("#token").count() == 1 and "token" in page.inner_text("main").lower()
    assert not [c for c in context.cookies() if c["name"].startswith("toaster")]
    page.fill("#token", token)
    page.click("button[type=submit], form button")
    page.wait_for_url(address + "/builds")
    [session] = context.cookies()
    assert session["httpOnly"] and session["sameSite"] == "Strict"

    # Start a build from the project page (a POST form with its CSRF token).
    page.goto(address + "/projects/demo")
    page.click("text=Start a build")
    page.wait_for_url(re.compile(re.escape(address) + r"/builds/\d+$"))
    build_id = int(page.url.rsplit("/", 1)[1])

    # The runner takes it; the page follows BitBake over the event stream, with no reload.
    page.wait_for_selector("[data-events] progress", timeout=60_000)
    page.evaluate("window.stillThisPage = true")
    page.wait_for_function(
        "() => { const b = document.querySelector('[data-events] progress');"
        " return b && b.max > 1 && b.value >= 1; }",
        timeout=90_000,
    )
    first, total = progress(page)
    page.wait_for_function(
        "v => document.querySelector('[data-events] progress').value > v", arg=first, timeout=60_000
    )
    later, _ = progress(page)
    page.wait_for_function("() => document.querySelector('[data-duration]').textContent !== '0s'", timeout=30_000)
    assert page.evaluate("window.stillThisPage === true"), "the page reloaded instead of following the stream"
    assert first < later < total + 1 and page.locator("[data-state]").inner_text() == "running"
    shots = pathlib.Path(os.environ.get("BROWSER_SCREENSHOT_DIR", pathlib.Path(__file__).resolve().parents[2] / "target" / "screenshots"))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "build-page.png"), full_page=True)
    assert (shots / "build-page.png").stat().st_size > 10_000

    # When BitBake ends, the page reloads itself into the ended build.
    page.wait_for_function("() => document.querySelector('[data-state]').textContent === 'succeeded'", timeout=120_000)
    shown = toaster.json("build", "show", str(build_id))
    assert (shown["state"], shown["tasks"]) == ("succeeded", {"succeeded": STEPS})
    page.wait_for_load_state("load")
    assert page.locator("[data-state]").inner_text() == "succeeded"

    # Every page at 360 px: no horizontal scrolling, and each weighs under 50 KB.
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/builds", "/builds?all=true", "/builds/%d" % build_id, "/projects/demo"):
        page.goto(address + path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 360, "%s is %d px wide at 360 px" % (path, wide)
    for url, size in weights.items():
        assert size < PAGE_LIMIT, (url, size)
    report = ", ".join("%s %d B" % (url[len(address):], size) for url, size in sorted(weights.items()))
    print("page weights:", report)
    context.close()
