"""Serve a built docs site on 127.0.0.1 and drive its "Try it" examples in an offline Chromium."""

import contextlib
import functools
import http.server
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import (Browser, ConsoleMessage, Frame, Locator, Page,
                                 Playwright, Request, Route, sync_playwright)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` cannot download here
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",  # needed for WebAssembly.instantiateStreaming
        ".mjs": "text/javascript",  # module workers refuse other types
        ".json": "application/json",
    }

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        if self.server.link is not None:
            time.sleep(self.server.link.rtt_s)  # the request's round trip
        super().do_GET()

    def copyfile(self, source, outputfile):
        link = self.server.link
        if link is None:
            return super().copyfile(source, outputfile)
        while chunk := source.read(64 * 1024):
            link.carry(len(chunk))
            outputfile.write(chunk)


class Link:
    """A reader's connection: every response shares its bandwidth, and each request waits
    one round trip."""

    def __init__(self, mbit_per_s: float, rtt_ms: float):
        self.bytes_per_s = mbit_per_s * 1e6 / 8
        self.rtt_s = rtt_ms / 1000
        self._lock = threading.Lock()
        self._free_at = time.monotonic()

    def carry(self, size: int) -> None:
        """Return once size bytes have gone through, after whatever is already queued."""
        with self._lock:
            self._free_at = max(time.monotonic(), self._free_at) + size / self.bytes_per_s
            done = self._free_at
        time.sleep(max(0.0, done - time.monotonic()))


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    link: Link | None = None

    def handle_error(self, request, client_address):
        pass  # the browser drops connections it no longer needs; nothing to report


@contextlib.contextmanager
def serve(directory: Path, link: Link | None = None) -> Iterator[str]:
    """Serve directory over http on a free port; yield the base URL (ending in /).

    link: send through this simulated connection instead of at loopback speed.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    with _QuietServer(("127.0.0.1", 0), handler) as server:
        server.link = link
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            thread.join()


# A phone as Playwright emulates one: a 390x844 touch screen (CSS pixels) and a mobile
# Chrome's user agent, which jupyterlite-sphinx takes for a mobile device.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
                   "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"),
}


@dataclass
class OfflineBrowser:
    """Chromium that may only talk to loopback; every other request is aborted and recorded."""

    browser: Browser
    blocked: list[str] = field(default_factory=list)  # aborted by the route below
    requests: list[str] = field(default_factory=list)  # every URL any page asked for

    def new_page(self, **context_options) -> Page:
        # A fresh context per page: cold HTTP cache, no service worker from an earlier page.
        context = self.browser.new_context(**context_options)
        context.route("**/*", self._route)
        context.on("request", lambda request: self.requests.append(request.url))
        return context.new_page()

    @property
    def leaked(self) -> list[str]:
        """Non-loopback URLs that were requested but not blocked (should stay empty)."""
        return [u for u in self.requests if not _is_loopback(u) and u not in self.blocked]

    def _route(self, route: Route) -> None:
        if _is_loopback(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


def _is_loopback(url: str) -> bool:
    return urlparse(url).hostname in LOOPBACK


@contextlib.contextmanager
def offline_browser() -> Iterator[OfflineBrowser]:
    """Headless Chromium (temporary profile) in which only 127.0.0.1/localhost is reachable.

    Playwright's sync API only answers routes while it is called: wait with
    ``page.wait_for_*``, never ``time.sleep``, or every request stalls.
    """
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield OfflineBrowser(browser)
        finally:
            browser.close()


@dataclass
class ReaderBrowser:
    """Chromium as a reader has it, offline: each page gets a new profile (cold disk cache,
    no service worker), and the HTTP cache works within it.

    OfflineBrowser's routing turns Chromium's HTTP cache off, and its contexts only have a
    small in-memory one: fine for tests, wrong for timing a second visit or a prefetch.
    Here other hosts go through a proxy that refuses every connection, which Chromium never
    uses for loopback.
    """

    playwright: Playwright
    dead_proxy: str
    profiles: Path
    blocked: list[str] = field(default_factory=list)  # refused by the dead proxy
    requests: list[str] = field(default_factory=list)  # every URL any page asked for

    def new_page(self, **context_options) -> Page:
        """A page in a new browser with a new profile; closing its context ends both."""
        context = self.playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(dir=self.profiles), executable_path=CHROMIUM, headless=True,
            args=[*CHROMIUM_ARGS, f"--proxy-server={self.dead_proxy}"], **context_options)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("requestfailed", self._on_failed)
        return context.pages[0] if context.pages else context.new_page()

    @property
    def leaked(self) -> list[str]:
        """Non-loopback URLs that were requested but not refused (should stay empty)."""
        return [u for u in self.requests if not _is_loopback(u) and u not in self.blocked]

    def _on_failed(self, request: Request) -> None:
        if not _is_loopback(request.url):
            self.blocked.append(request.url)


@contextlib.contextmanager
def reader_browser() -> Iterator[ReaderBrowser]:
    """Headless Chromium with a reader's disk cache, in which only loopback is reachable."""
    # A bound socket that never listens: connections to it are refused, and no other
    # program can take the port while it is open.
    with socket.socket() as dead, sync_playwright() as pw, \
            tempfile.TemporaryDirectory(prefix="reader-profiles-") as profiles:
        dead.bind(("127.0.0.1", 0))
        yield ReaderBrowser(pw, f"http://127.0.0.1:{dead.getsockname()[1]}", Path(profiles))


@dataclass
class TryResult:
    outputs: list[str]  # text of each code cell's outputs after the run
    stdout: list[str]  # the stdout stream part of each code cell's outputs
    execution_counts: list[int | None]  # given by the kernel; None: not run (after an error)
    error: bool  # any stderr stream or traceback among the outputs
    kernel_ready_s: float  # click -> kernel started and idle
    click_to_output_s: float  # click -> last code cell executed (or the run stopped at an error)
    bytes: int  # response body bytes received over the network from click to output
    requests: int  # requests that went to the network (not the HTTP cache) in that time


class TryExamplesTimeout(AssertionError):
    pass


_STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# Generated notebooks come with no execution counts but with the docstring's expected
# output pre-filled (as text/plain), so only kernel-given counts ("[3]:") and real stream
# outputs prove the cells ran; running a cell replaces its outputs. Run All stops at the
# first error and leaves the later cells at "[ ]", so an error output also ends the run.
_RUN_FINISHED = r"""stderr => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim());
  if (prompts.length === 0 || prompts.some(p => p.startsWith('[*]'))) return false;
  return prompts.every(p => /^\[\d+\]/.test(p)) || document.querySelector(stderr) !== null;
}"""
_CELLS = r"""stderr => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => {
  // textContent, not innerText: the notebook skips rendering cells scrolled out of view
  // (content-visibility), and innerText of those reads as ''.
  const text = sel => [...cell.querySelectorAll(sel)].map(o => o.textContent).join('');
  return {
    count: Number(cell.querySelector('.jp-InputArea-prompt').textContent.match(/\d+/)?.[0]) || null,
    output: text('.jp-OutputArea-output'),
    stdout: text('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]'),
    error: cell.querySelector(stderr) !== null,
  };
})"""
# The indicator also says "idle" for a moment before any kernel exists ("No Kernel", then
# "connecting" / "unknown" while Pyodide loads), so require a kernel name as well.
_KERNEL_READY = """() => {
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  const name = document.querySelector('.jp-Toolbar-kernelName')?.textContent.trim();
  return status === 'idle' && !!name && name !== 'No Kernel';
}"""


def run_try_examples(page: Page, page_url: str, index: int = 0, timeout: float = 120,
                     hover_s: float = 0) -> TryResult:
    """Click the index-th "Try it" button on page_url (or "Open in JupyterLite" beside the
    in-page runner's), run all cells of the notebook, and wait for real output.

    timeout (seconds) applies to each stage: notebook shown, kernel ready, cells run.
    hover_s: point at the button this long before the click, as a reader's pointer does;
    times still count from the click.
    """
    page.goto(page_url)
    # jupyterlite-sphinx puts the "Try" button inside the examples container, and the
    # iframe (with "Go Back" / "Open In Tab" buttons) in the sibling element right after it.
    containers = page.locator(".try_examples_outer_container")
    if index >= containers.count():
        raise AssertionError(f"{page_url} has {containers.count()} try_examples blocks, no index {index}")
    outer = containers.nth(index)
    iframe = page.locator(f'[id="{outer.get_attribute("id")}"] + .try_examples_outer_iframe iframe')
    # With the in-page runner, "Open in JupyterLite" opens the notebook.
    button = outer.locator(".interactive-docs-lite")
    if not button.count():
        button = outer.locator(".try_examples_button")
    if hover_s:
        button.hover()
        page.wait_for_timeout(hover_s * 1000)

    def open_frame() -> Frame:
        button.click()
        return iframe.element_handle(timeout=timeout * 1000).content_frame()

    return _run_notebook(page, open_frame, iframe.content_frame.locator("body"), timeout)


def run_lite_notebook(page: Page, notebook_url: str, timeout: float = 120) -> TryResult:
    """Open a JupyterLite notebook URL (what notebooklite and gallery buttons open in a new
    tab), run all cells, and wait for real output. Times count from opening the URL."""

    def open_frame() -> Frame:
        page.goto(notebook_url)
        return page.main_frame

    return _run_notebook(page, open_frame, page.locator("body"), timeout)


def _run_notebook(page: Page, open_frame: Callable[[], Frame], body: Locator,
                  timeout: float) -> TryResult:
    log: list[str] = []  # for the timeout message: what the page and kernel worker said
    finished: list[Request] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type in ("error", "log", "info"):  # "log" has the worker's "Loading micropip" etc.
            log.append(f"{msg.type}: {msg.text}")

    def on_failed(request: Request) -> None:
        log.append(f"request failed: {request.url} ({request.failure})")

    def on_finished(request: Request) -> None:
        finished.append(request)

    listeners = [(page, "console", on_console), (page.context, "requestfailed", on_failed),
                 (page.context, "requestfinished", on_finished)]
    for target, event, handler in listeners:
        target.on(event, handler)
    stage = "the notebook"
    try:
        start = time.monotonic()
        frame = open_frame()

        stage = "the kernel to start"
        frame.wait_for_function(_KERNEL_READY, polling=100, timeout=timeout * 1000)
        kernel_ready = time.monotonic() - start

        # Run All: select every cell in command mode, then run the selection. Keyboard
        # shortcuts do not depend on the menu's language or layout.
        stage = "the code cells to run"
        frame.locator(".jp-Notebook .jp-Cell .jp-InputArea-prompt").first.click()
        for key in ("Escape", "Control+a", "Control+Enter"):
            page.keyboard.press(key)
        frame.wait_for_function(_RUN_FINISHED, arg=_STDERR, polling=100, timeout=timeout * 1000)
        elapsed = time.monotonic() - start
    except PlaywrightTimeout as exc:
        raise TryExamplesTimeout(_describe_timeout(page, body, stage, timeout, log)) from exc
    finally:
        for target, event, handler in listeners:
            target.remove_listener(event, handler)

    cells = frame.evaluate(_CELLS, _STDERR)
    received, requests = network_traffic(finished)
    return TryResult(
        outputs=[c["output"] for c in cells],
        stdout=[c["stdout"] for c in cells],
        execution_counts=[c["count"] for c in cells],
        error=any(c["error"] for c in cells),
        kernel_ready_s=kernel_ready,
        click_to_output_s=elapsed,
        bytes=received,
        requests=requests,
    )


def network_traffic(finished: list[Request]) -> tuple[int, int]:
    """(response body bytes, requests) of the finished requests that went to the network.

    A response from the HTTP cache, or one that JupyterLite's service worker answers (it
    is counted where the worker fetches it, or not at all when it makes the answer up),
    received no bytes: Chromium reports a zero-or-negative size for it.
    """
    sizes = [request.sizes() for request in finished]
    on_network = [s for s in sizes if s["responseBodySize"] + s["responseHeadersSize"] > 0]
    return sum(max(0, s["responseBodySize"]) for s in on_network), len(on_network)


def _describe_timeout(page: Page, body: Locator, stage: str, timeout: float,
                      log: list[str]) -> str:
    """What the notebook (its body) showed when a stage timed out, for the failure message."""
    shot = Path(tempfile.mkdtemp(prefix="try-examples-")) / "timeout.png"
    page.screenshot(path=str(shot), full_page=True)
    try:
        indicator = body.locator(".jp-Notebook-ExecutionIndicator")
        status = indicator.get_attribute("data-status", timeout=2000)
        shown = body.inner_text(timeout=2000)
    except PlaywrightTimeout:
        status, shown = "(no notebook)", "(no notebook)"
    return "\n".join([
        f"timed out after {timeout}s waiting for {stage}; kernel status: {status}",
        "--- notebook text ---", shown[-2000:],
        "--- last console messages and failed requests ---", *log[-15:],
        f"screenshot: {shot}",
    ])


@dataclass
class InPageCell:
    state: str  # idle (not run), running, done, error (it raised), stopped
    setup: bool  # one of the cells interactive_docs adds before the example's own
    text: str  # all its outputs' text
    stdout: str
    html: list[str]  # innerHTML of its rich (text/html, SVG) outputs
    images: list[str]  # src of its images (data: URLs)


@dataclass
class InPageResult:
    cells: list[InPageCell]
    click_to_output_s: float  # click -> every cell ran (or the run stopped at an error)
    bytes: int  # response body bytes received over the network from click to output
    requests: int
    workers: list[str]  # URLs of the Web Workers the page started

    @property
    def example(self) -> list[InPageCell]:
        return [cell for cell in self.cells if not cell.setup]


_IN_PAGE_CELLS = """runner => [...runner.querySelectorAll('.interactive-docs-cell')].map(cell => ({
  state: cell.dataset.state,
  setup: cell.closest('.interactive-docs-setup') !== null,
  text: cell.querySelector('.interactive-docs-output').textContent,
  stdout: [...cell.querySelectorAll('.interactive-docs-stdout')].map(o => o.textContent).join(''),
  html: [...cell.querySelectorAll('.interactive-docs-html, .interactive-docs-svg')].map(o => o.innerHTML),
  images: [...cell.querySelectorAll('.interactive-docs-output img')].map(o => o.src),
}))"""


def run_in_page(page: Page, page_url: str | None, index: int = 0, timeout: float = 120,
                hover_s: float = 0, tap: bool = False, dwell_s: float = 0) -> InPageResult:
    """Click the index-th "Try it" button of the in-page runner and wait until its cells ran.

    page_url: None to stay on the page already open (a second example, same worker).
    tap: tap it with a finger (a touch screen's context) instead of clicking.
    dwell_s: the time the reader spends on the page, once loaded, before pointing at it.
    """
    if page_url is not None:
        page.goto(page_url)
    if dwell_s:
        page.wait_for_timeout(dwell_s * 1000)
    containers = page.locator(".try_examples_outer_container")
    if index >= containers.count():
        raise AssertionError(f"{page.url} has {containers.count()} try_examples blocks, no index {index}")
    outer = containers.nth(index)
    button = outer.locator(".interactive-docs-try")
    workers: list[str] = []
    finished: list[Request] = []
    log: list[str] = []
    listeners = [(page, "worker", lambda worker: workers.append(worker.url)),
                 (page, "console", lambda msg: log.append(f"{msg.type}: {msg.text}")),
                 (page.context, "requestfinished", lambda request: finished.append(request))]
    for target, event, handler in listeners:
        target.on(event, handler)
    try:
        if hover_s:
            button.hover()
            page.wait_for_timeout(hover_s * 1000)
        finished.clear()
        start = time.monotonic()
        button.tap() if tap else button.click()
        runner = outer.locator(".interactive-docs-runner")
        try:
            runner.and_(page.locator('[data-run="finished"]')).wait_for(timeout=timeout * 1000)
        except PlaywrightTimeout as exc:
            shown = runner.inner_text(timeout=2000) if runner.count() else "(no runner)"
            raise TryExamplesTimeout(
                f"timed out after {timeout}s waiting for the example to run in the page\n"
                f"--- shown ---\n{shown[-2000:]}\n--- console ---\n" + "\n".join(log[-15:])) from exc
        elapsed = time.monotonic() - start
    finally:
        for target, event, handler in listeners:
            target.remove_listener(event, handler)
    cells = [InPageCell(**cell) for cell in runner.evaluate(_IN_PAGE_CELLS)]
    received, requests = network_traffic(finished)
    return InPageResult(cells, elapsed, received, requests, workers)
