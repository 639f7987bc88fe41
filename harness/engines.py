"""Three browser engines, driven the same way: Chromium (Debian's, with Playwright), Firefox
(Debian's firefox-esr, over WebDriver BiDi with npm's puppeteer-core) and WebKit (WebKitGTK's
MiniBrowser, over WebDriver: WebKitWebDriver under xvfb-run, plain HTTP calls).

Each runs a scenario: a list of steps, each ``("goto", url)`` or ``("eval", js, *args)``
where js is an async function of the page, and the result of every eval step comes back
as JSON. The page-side functions below do what a reader does (click, type, click Run) and
measure in the page, so every engine is timed the same way.

Each run is a new browser with a new profile. Offline: every request to a host other than
loopback goes to a proxy that records it and answers nothing (``Sink``), so a test shows
both that nothing left and what tried to.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM, CHROMIUM_ARGS, LOOPBACK

ROOT = Path(__file__).resolve().parents[1]
FIREFOX_DRIVER = ROOT / "tests" / "node" / "firefox.cjs"
MINIBROWSER = Path("/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser")

# Click the index-th "Try it" and wait (at most `seconds`) until its cells ran: the seconds
# from the click, and the cells; null if they did not finish in time.
TRY_IT = """async (index, seconds) => {
  const container = document.querySelectorAll(".try_examples_outer_container")[index];
  const start = performance.now();
  container.querySelector(".interactive-docs-try").click();
  while (performance.now() - start < seconds * 1000) {
    const runner = container.querySelector(".interactive-docs-runner");
    if (runner?.dataset.run === "finished") {
      return { seconds: (performance.now() - start) / 1000,
               cells: [...runner.querySelectorAll(".interactive-docs-cell")].map((cell) => ({
                 state: cell.dataset.state,
                 setup: cell.closest(".interactive-docs-setup") !== null,
                 text: cell.querySelector(".interactive-docs-output").textContent })) };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}"""

# Type code into the index-th cell of the page, as the reader does, and click its Run.
EDIT_AND_RUN = """async (index, code) => {
  const cell = document.querySelectorAll(".interactive-docs-cell")[index];
  const input = cell.querySelector("textarea");
  input.value = code;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  // The cell is "done" from its first run until this one starts: wait for it to end.
  const ended = new Promise((resolve) => {
    let started = false;
    new MutationObserver((changes, observer) => {
      started ||= cell.dataset.state === "running";
      if (started && ["done", "error"].includes(cell.dataset.state)) {
        observer.disconnect();
        resolve();
      }
    }).observe(cell, { attributes: true, attributeFilter: ["data-state"] });
  });
  cell.querySelector("button[aria-label^='Run cell']").click();
  await ended;
  return { state: cell.dataset.state, text: cell.querySelector(".interactive-docs-output").textContent };
}"""

# The page as it loaded, with no pointer near a button: did its Python start (and how)?
# Waits up to `seconds` for the first example's set-up cells to have run.
HEAD_START = """async (seconds) => {
  const deadline = performance.now() + seconds * 1000;
  const setUp = () => {
    const cells = document.querySelectorAll(".interactive-docs-setup .interactive-docs-cell");
    return cells.length > 0 && [...cells].every((c) => c.dataset.state === "done");
  };
  while (!setUp() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { setUp: setUp(), state: window.interactiveDocs.state,
           restored: window.interactiveDocs.restored };
}"""

# The reader spends a while on the page.
DWELL = "async (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000))"

# Can this page keep anything in Cache Storage (where the runner keeps its snapshot)?
CACHE_STORAGE = """async () => {
  try { await caches.open("interactive-docs-probe"); return true; } catch { return false; }
}"""


class Sink:
    """A proxy on loopback that records each request sent to it and answers nothing."""

    def __init__(self):
        self.requests: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                try:
                    line = connection.recv(4096).split(b"\r\n", 1)[0].decode(errors="replace")
                except OSError:
                    continue
                if line:
                    self.requests.append(line)

    def close(self) -> None:
        self._server.close()


def missing(engine: str) -> str | None:
    """What this machine lacks to run the engine, or None."""
    needs = {"chromium": ["chromium"], "firefox": ["firefox-esr", "node"],
             "webkit": ["WebKitWebDriver", "xvfb-run"]}[engine]
    lacking = [name for name in needs if shutil.which(name) is None]
    if engine == "firefox" and not (ROOT / "tests/node/node_modules/puppeteer-core").is_dir():
        lacking.append("npm's puppeteer-core (scripts/bootstrap.sh)")
    if engine == "webkit" and not MINIBROWSER.exists():
        lacking.append(str(MINIBROWSER))
    return ", ".join(lacking) or None


def run(engine: str, steps: list[tuple], private: bool = False, prefs: dict | None = None,
        timeout: float = 120) -> tuple[list, list[str]]:
    """Run the steps in a new browser of this engine; the eval steps' results, and the
    requests that tried to leave loopback.

    private: Firefox's private mode; prefs: Firefox preferences to set.
    """
    assert engine == "firefox" or not (private or prefs), "private mode and prefs are Firefox's"
    sink = Sink()
    try:
        if engine == "firefox":
            results = _run_firefox(steps, private, prefs or {}, sink.port, timeout)
        elif engine == "chromium":
            proxied: list[str] = []
            results = _run_chromium(steps, sink.port, timeout, proxied)
            return results, proxied
        else:
            results = _run_webkit(steps, sink.port, timeout)
    finally:
        sink.close()
    return results, sink.requests


def _script(source: str, args: tuple) -> str:
    """An expression that calls the async function source with args."""
    return f"({source})(...{json.dumps(list(args))})"


def _run_chromium(steps, proxy_port, timeout, proxied: list[str]) -> list:
    results = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, f"--proxy-server=http://127.0.0.1:{proxy_port}"])
        # Chromium's own services (updates, accounts) use the proxy too: record the pages'
        # and their workers' requests instead, in the proxy's words.
        context.on("request", lambda request: None if urlparse(request.url).hostname in LOOPBACK
                   else proxied.append(f"{request.method} {request.url} HTTP/1.1"))
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(timeout * 1000)
            for kind, *args in steps:
                if kind == "goto":
                    page.goto(args[0])
                else:
                    results.append(page.evaluate(_script(args[0], args[1:])))
        finally:
            context.close()
    return results


def _run_firefox(steps, private, prefs, proxy_port, timeout) -> list:
    job = {"executable": shutil.which("firefox-esr"), "private": private, "prefs": prefs,
           "proxyPort": proxy_port,
           "timeout": timeout * 1000, "steps": [list(step) for step in steps]}
    done = subprocess.run(["node", str(FIREFOX_DRIVER)], input=json.dumps(job), text=True,
                          capture_output=True, timeout=timeout * (len(steps) + 1))
    if done.returncode:
        raise AssertionError(f"Firefox driver failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _call(base: str, method: str, path: str, body: dict | None = None, timeout: float = 120):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)["value"]
    except urllib.error.HTTPError as error:
        raise AssertionError(f"WebDriver {method} {path}: {error.read().decode()[:2000]}") from None


@contextmanager
def _webkit_driver(log) -> Iterator[str]:
    port = _free_port()
    driver = subprocess.Popen(["xvfb-run", "-a", "WebKitWebDriver", f"--port={port}"],
                              stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/status", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(driver.pid, 15)  # xvfb-run, Xvfb and the driver: its own process group
        driver.wait()


def _run_webkit(steps, proxy_port, timeout) -> list:
    capabilities = {
        "browserName": "MiniBrowser",
        "webkitgtk:browserOptions": {"binary": str(MINIBROWSER), "args": ["--automation"]},
        "proxy": {"proxyType": "manual", "httpProxy": f"127.0.0.1:{proxy_port}",
                  "sslProxy": f"127.0.0.1:{proxy_port}", "noProxy": ["127.0.0.1", "localhost"]},
        "timeouts": {"script": timeout * 1000, "pageLoad": timeout * 1000},
    }
    # A new session hangs now and then (about 1 start in 30 here, nothing logged; it
    # otherwise takes 0.5 s): then a new driver and Xvfb, up to three in all.
    for attempt in range(3):
        with tempfile.TemporaryFile("w+") as log, _webkit_driver(log) as base:
            try:
                session = _call(base, "POST", "/session",
                                {"capabilities": {"alwaysMatch": capabilities}}, 30)["sessionId"]
            except (AssertionError, OSError) as error:
                log.seek(0)
                failure = f"WebKit did not start: {error}\n{log.read()[-3000:]}"
                continue
            try:
                results = [_webkit_step(base, session, step, timeout) for step in steps]
                return [result for step, result in zip(steps, results) if step[0] == "eval"]
            finally:
                _call(base, "DELETE", f"/session/{session}")
    raise AssertionError(failure)


def _webkit_step(base: str, session: str, step: tuple, timeout: float):
    kind, *args = step
    if kind == "goto":
        return _call(base, "POST", f"/session/{session}/url", {"url": args[0]}, timeout)
    script = (f"const done = arguments[arguments.length - 1];"
              f"{_script(args[0], args[1:])}.then(done, (e) => done({{error: String(e)}}));")
    return _call(base, "POST", f"/session/{session}/execute/async",
                 {"script": script, "args": []}, timeout + 10)
