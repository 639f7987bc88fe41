# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""Running the examples in headless Chromium with Playwright: all in one Pyodide (the site's
own in-page runner), in their pages ("Try it"), and in JupyterLite (its button). The only
module of the check that imports Playwright."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from playwright.sync_api import BrowserContext, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .collect import Example, source
from .judge import PRINTED_WARNING, apart, go_on, in_page_problem, judge, timed_out
from .report import Progress, plural

# The button that opens the example in JupyterLite ("Open in JupyterLite" beside the
# in-page runner's "Try it").
LITE_BUTTON = '.try_examples_button[onclick*="tryExamplesShowIframe"]'
IN_PAGE_CELLS = """runner => [...runner.querySelectorAll('.interactive-docs-cell')].map(cell => ({
  state: cell.dataset.state,
  ok: cell.dataset.state === 'done',
  stderr: [...cell.querySelectorAll('.interactive-docs-stderr, .interactive-docs-error, '
    + '.interactive-docs-cut:is([data-cut="stderr"], [data-cut="error"])')]
    .map(o => (o.matches('.interactive-docs-cut') ? `\\n${o.textContent}\\n` : o.textContent))
    .join(''),
}))"""
# A narrative page's cells, where they are on the page, but those Run all leaves out.
PAGE_CELLS = IN_PAGE_CELLS.replace("'.interactive-docs-cell'", "'.interactive-docs-cell:not([data-skip])'")
# The number of the example's cell that runs in the page (from 1: never falsy).
RUNNING_IN_PAGE = """container => {
  const cells = [...document.querySelectorAll(`[id="${container}"] .interactive-docs-cell`)];
  const running = cells.findIndex(cell => cell.dataset.state === 'running');
  return running >= 0 && running + 1;
}"""
# The page's Python started, or could not (its runner then says why).
PAGE_PYTHON_STARTED = "() => ['ready', 'failed'].includes(window.interactiveDocs.state)"
STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# A kernel is running and idle (the indicator also says "idle" before a kernel exists).
KERNEL_READY = """() => {
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  const name = document.querySelector('.jp-Toolbar-kernelName')?.textContent.trim();
  return status === 'idle' && !!name && name !== 'No Kernel';
}"""
CODE_CELLS = "() => document.querySelectorAll('.jp-Notebook .jp-CodeCell').length"
# The number of the notebook's cell that runs (the first "[*]": the others wait).
RUNNING_IN_LITE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')];
  const running = prompts.findIndex(prompt => prompt.textContent.trim().startsWith('[*]'));
  return running >= 0 && running + 1;
}"""
# A run from cell `start` on is over: nothing running or queued, and every cell from there
# ran, or one of them wrote to stderr (Jupyter stops a run at an error).
RUN_OVER = """([stderr, start]) => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].slice(start);
  const prompts = cells.map(c => c.querySelector('.jp-InputArea-prompt').textContent.trim());
  if (prompts.some(p => p.startsWith('[*]'))) return false;
  return prompts.every(p => /^\\[\\d+\\]/.test(p)) || cells.some(c => c.querySelector(stderr) !== null);
}"""
CELL_RESULTS = """stderr => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => ({
  count: Number(/^\\[(\\d+)\\]/.exec(cell.querySelector('.jp-InputArea-prompt').textContent.trim())?.[1]) || null,
  stderr: [...cell.querySelectorAll(stderr)].map(o => o.textContent).join(''),
}))"""


def stay_on_loopback(route: Route) -> None:
    if urlparse(route.request.url).hostname in {"127.0.0.1", "localhost"}:
        route.continue_()
    else:
        route.abort()


def answer_from_mirror(mirror: str):
    """A route handler that answers requests to PyPI's index from a mirror of it."""

    def handle(route: Route) -> None:
        url = urlparse(route.request.url)
        route.fulfill(response=route.fetch(url=mirror.rstrip("/") + url.path
                                           + (f"?{url.query}" if url.query else "")))

    return handle



def open_kernel(page: Page, example: Example, timeout_ms: float, start_ms: float):
    """Click the example's button on the loaded page; return the notebook's frame, once its
    kernel started (within start_ms)."""
    page.locator(f'[id="{example.container}"] {LITE_BUTTON}').click()
    iframe = page.locator(f'[id="{example.container}"] + .try_examples_outer_iframe iframe')
    frame = iframe.element_handle(timeout=timeout_ms).content_frame()
    frame.wait_for_function(KERNEL_READY, polling=100, timeout=start_ms)
    return frame


def run_cells(page: Page, frame, goes_on: list[bool], timeout_ms: float) -> list[dict]:
    """Run the notebook's code cells; return each one's execution count and stderr (its
    warnings left out: the kernel prints them there, but they are no error).

    Jupyter stops a run at an exception, also one that the docstring shows or in a line the
    doctests skip: the run then goes on from the cell after it."""
    start, keys = 0, ("Escape", "Control+a", "Control+Enter")  # the first run: Run All
    while True:
        prompts = frame.locator(".jp-Notebook .jp-CodeCell .jp-InputArea-prompt")
        prompts.nth(start).click()
        for key in keys:
            page.keyboard.press(key)
        frame.wait_for_function(RUN_OVER, arg=[STDERR, start], polling=100, timeout=timeout_ms)
        results = frame.evaluate(CELL_RESULTS, STDERR)
        for result in results:
            result["stderr"] = PRINTED_WARNING.sub("", result["stderr"])
        stopped = next((i for i in range(start, len(results)) if results[i]["stderr"].strip()), None)
        if (stopped is None or not goes_on[stopped] or stopped + 1 == len(results)
                or results[stopped + 1]["count"] is not None):
            return results
        # From the next cell to the last: select them, then run the selection.
        start, keys = stopped + 1, ("Escape", "Shift+End", "Control+Enter")


def click_example(context: BrowserContext, site: str, example: Example,
                  timeout_ms: float, start_ms: float) -> str | None:
    """Click the example's button and run its notebook in JupyterLite; return what went
    wrong, or None. "hidden" means that try_examples.json hides the button."""
    stage, waited = "the page to load", timeout_ms  # what a timeout stopped, and after how long
    for attempt in (1, 2):  # a kernel that is slow to start gets one more chance
        page = context.new_page()
        try:
            # networkidle: try_examples.json has been read, so buttons it hides are hidden.
            page.goto(site + example.page, wait_until="networkidle", timeout=timeout_ms)
            if not page.locator(f'[id="{example.container}"] {LITE_BUTTON}').is_visible():
                page.close()
                return "hidden"
            stage, waited = "the kernel to start", start_ms
            frame = open_kernel(page, example, timeout_ms, start_ms)
            break
        except PlaywrightTimeout:
            page.close()
            if attempt == 2:
                return f"{timed_out(waited)} waiting for {stage}"
    try:
        expected = len(example.cells)
        stage = f"the notebook to show its {expected} code cells"
        try:
            frame.wait_for_function(f"() => ({CODE_CELLS})() === {expected}", polling=100,
                                    timeout=timeout_ms)
        except PlaywrightTimeout:
            return (f"the notebook shows {frame.evaluate(CODE_CELLS)} of its {expected} "
                    "code cells, so not all of them could run")
        stage = "the code cells to run"
        results = run_cells(page, frame, go_on(example), timeout_ms)
        problem = judge(example, [{"ok": not result["stderr"].strip(), "stderr": result["stderr"]}
                                  for result in results])
        if problem:
            return problem
        counts = [result["count"] for result in results]
        if counts != list(range(1, expected + 1)):
            return (f"its {expected} code cells did not all run in a fresh kernel, in order: "
                    f"execution counts {counts}")
    except PlaywrightTimeout:
        if stage == "the code cells to run":
            cell = still_running(frame, RUNNING_IN_LITE)
            if cell:
                return timed_out(timeout_ms, cell, expected, " in JupyterLite")
        return f"{timed_out(timeout_ms)} waiting for {stage}"
    finally:
        page.close()  # with its kernel, also one still running
    return None


# A page of the check's own, beside the site: it starts the site's own in-page runner
# (_static/interactive-docs-worker.js: the Pyodide the kernel loads, the kernel's %pip) and
# runs each example's cells in a namespace of its own, all in that one Pyodide. Before each
# page's examples, freshPage() brings that Python back to what it was before the first page
# (interactive_docs/worker.py, Startup): a reader's page starts a Python of its own.
RUNNER_PATH = "__check_examples__/runner.html"
# Python only starts it: the page answers at once, and window.fresh says when it is done.
FRESH_PAGE = "() => { window.freshPage(); }"
RUNNER_PAGE = """<!doctype html><meta charset="utf-8"><title>check_examples</title>
<script type="module">
const lite = new URL("../lite/", location.href);
const url = new URL("../_static/interactive-docs-worker.js", location.href);
url.searchParams.set("lite", lite.href);
const worker = new Worker(url, { type: "module" });
const done = {}, runs = {};
let next = 0;
// For each example, what each cell that ran shows: stdout then the last value's text
// ("shown"), stderr and the error's traceback ("stderr"), each as the worker cut it, and
// its notes of what it cut ("cut"; stderr's are in stderr). Its warnings fail nothing.
// Python only starts a run and then waits, with its timeout, for window.fresh, or for
// window.results[key]; window.running says which cell runs.
window.results = {};
window.running = null;
const newRun = () => ({ shown: "", stderr: "", cut: {} });
const ended = (run, ok) => ({ ok, shown: run.shown,
  stderr: run.stderr + (run.cut.stderr ? `\\n${run.cut.stderr}\\n` : ""),
  cut: [run.cut.stdout, run.cut.result].filter(Boolean).join("\\n") });
worker.onmessage = ({ data }) => {
  const run = runs[data.id];
  if (data.type === "ready") window.ready = data.version;
  else if (data.type === "failed") window.failed = data.error;
  else if (data.type === "done") done[data.id](data.ok);
  else if (data.type === "stream") run[data.name === "stderr" ? "stderr" : "shown"] += data.text;
  else if (data.type === "cut") run.cut[data.name] = data.text;
  else if (data.type === "error") {
    run.stderr += data.traceback + (data.cut ? `\\n${data.cut}\\n` : "");
  }
  else if (data.type === "result") {
    run.shown += (data.data["text/plain"] ?? "") + "\\n";
    if (data.cut) run.cut.result = data.cut;
  }
};
function runCell(example, code, filename) {
  const id = next++;
  const run = runs[id] = newRun();
  return new Promise((resolve) => {
    done[id] = (ok) => {
      delete runs[id];
      resolve(ended(run, ok));
    };
    worker.postMessage({ type: "run", id, example, code, filename });
  });
}
window.freshPage = async () => {
  window.fresh = null;
  const run = await runCell("", "__import__('interactive_docs_worker').current.fresh_page()",
    "<fresh page>");
  window.fresh = { failed: run.ok ? null : run.stderr || "it failed" };
};
window.start = async (key, cells) => {
  const ran = [];
  for (const [index, [code, goOn]] of cells.entries()) {
    window.running = [key, index + 1];
    const run = await runCell(String(key), code, `<cell ${index + 1}>`);
    ran.push(run);
    if ((!run.ok || run.stderr) && !goOn) break;
  }
  window.running = null;
  window.results[key] = ran;
};
</script>"""



def run_in_pyodide(context: BrowserContext, site: str, examples: list[Example],
                   timeout_ms: float, start_ms: float,
                   route_runner: bool = False) -> dict[int, str | None]:
    """Run every example's code cells in one Pyodide, each page's as if in a fresh one;
    {index in examples: problem or None}. An example still running after the timeout
    fails; its Python is ended with its page, and the next example starts a new one."""
    problems: dict[int, str | None] = {}
    page, last_page = None, None
    for key, example in Progress("Ran in Pyodide", len(examples)).over(enumerate(examples)):
        if page is None:  # at the start, and after a timeout: a new worker, a new Pyodide
            page = context.new_page()
            if route_runner:  # a deployed site: the runner's page is given at its URL, which
                # only this page routes (routing turns the HTTP cache off)
                page.route(site + RUNNER_PATH, lambda route: route.fulfill(
                    body=RUNNER_PAGE, content_type="text/html; charset=utf-8"))
            try:
                page.goto(site + RUNNER_PATH)
                page.wait_for_function("() => window.ready || window.failed", polling=100,
                                       timeout=start_ms)
                failed = page.evaluate("() => window.failed")
            except PlaywrightTimeout:
                failed = timed_out(start_ms)
            if failed:
                page.close()
                problem = f"the kernel's Pyodide did not load: {failed}"
                return {**problems, **dict.fromkeys(range(key, len(examples)), problem)}
            last_page = None
        # Python only starts each run: the page answers at once, while the worker is busy.
        if example.page != last_page:
            last_page = example.page
            page.evaluate(FRESH_PAGE)
            try:
                failed = page.wait_for_function("() => window.fresh", polling=20,
                                                timeout=timeout_ms).json_value()["failed"]
            except PlaywrightTimeout:
                failed = timed_out(timeout_ms)
                page.close()
                page = None
            if failed:
                problems[key] = f"its page's Python could not start afresh:\n{failed}"
                continue
        cells = [[source(cell), goes_on] for cell, goes_on in zip(example.cells, go_on(example))]
        page.evaluate("([key, cells]) => { window.start(key, cells); }", [key, cells])
        try:
            page.wait_for_function(f"() => {key} in window.results", polling=20,
                                   timeout=timeout_ms)
        except PlaywrightTimeout:
            cell = still_running(page, f"() => window.running?.[0] === {key} && window.running[1]")
            problems[key] = timed_out(timeout_ms, cell, len(example.cells))
            page.close()  # ends its worker, and the runaway Python in it
            page = None
            continue
        problems[key] = judge(example, page.evaluate(f"() => window.results[{key}]"))
    if page is not None:
        page.close()
    return problems



def still_running(page_or_frame, expression: str, arg=None) -> int | None:
    """The number of the cell that runs, as the expression gives it, or None when the page
    does not say within 2 s (it is never waited on for longer)."""
    try:
        return page_or_frame.wait_for_function(expression, arg=arg, polling=100,
                                               timeout=2000).json_value()
    except PlaywrightTimeout:
        return None


def run_in_page(context: BrowserContext, site: str, examples: dict[int, Example],
                timeout_ms: float, start_ms: float) -> dict[int, str | None]:
    """Click "Try it" of every example and wait until the in-page runner ran its cells, as
    readers see it: one Pyodide per page. {key: problem or None}; "hidden" when
    try_examples.json hides the button."""
    problems: dict[int, str | None] = {}
    page = None
    for key, example in Progress("Ran in their pages", len(examples)).over(examples.items()):
        if page is None or page.url != site + example.page:
            if page is not None:
                page.close()
            page = context.new_page()
            try:
                # networkidle: try_examples.json has been read, so buttons it hides are hidden.
                page.goto(site + example.page, wait_until="networkidle", timeout=timeout_ms)
            except PlaywrightTimeout:
                problems[key] = timed_out(timeout_ms) + " waiting for its page to load"
                page.close()
                page = None
                continue
        # A narrative page's "Run this page" runs the page's own cells, where they are.
        container = page.locator("body" if example.narrative else f'[id="{example.container}"]')
        button = container.locator("button[data-page]" if example.narrative else ".interactive-docs-try")
        if not button.is_visible():
            problems[key] = "hidden"
            continue
        button.click()
        runner = container.locator('.interactive-docs-runner[data-run="finished"]')
        try:  # the page's Python starts (once per page), then its cells run
            page.wait_for_function(PAGE_PYTHON_STARTED, polling=100, timeout=start_ms)
        except PlaywrightTimeout:
            problems[key] = timed_out(start_ms) + " waiting for the page's Python to start"
            page.close()
            page = None
            continue
        try:
            runner.wait_for(timeout=timeout_ms)
        except PlaywrightTimeout:
            cell = still_running(page, RUNNING_IN_PAGE, example.container)
            problems[key] = timed_out(timeout_ms, cell, len(example.cells), " in the page")
            page.close()  # ends the page's worker, and the runaway Python in it
            page = None  # a fresh page (and Python) for the rest
            continue
        failed = page.evaluate("() => window.interactiveDocs.error")
        cells = (container.evaluate(PAGE_CELLS) if example.narrative
                 else runner.evaluate(IN_PAGE_CELLS))
        problems[key] = (f"the page's Pyodide did not load: {failed}" if failed else
                         in_page_problem(example, cells))
    if page is not None:
        page.close()
    return problems




def run_all(site: str, examples: list[Example], problems: dict[int, str | None],
            in_pyodide: bool, *, browser_path: str | None, offline: bool,
            pypi_mirror: str | None, timeout: float, strict: bool, start_timeout: float,
            route_runner: bool = False):
    """Run the examples whose problem is None so far, on the site at the URL, and set their
    problems; (how each ran, the seconds each took as readers run it). route_runner: the
    site does not serve the check's own page (RUNNER_PATH): the browser is given it."""
    runnable = [key for key in problems if problems[key] is None]
    ways = {key: [] for key in runnable}
    seconds = dict.fromkeys(problems, 0.0)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path)
        # One context for all: the browser's cache stays warm from one example to the next.
        context = browser.new_context()
        context.set_default_timeout(timeout * 1000)  # every step, clicks included
        if offline:
            context.route("**/*", stay_on_loopback)
        if pypi_mirror:  # routes added later are tried first
            context.route("https://pypi.org/**", answer_from_mirror(pypi_mirror))
        if in_pyodide:
            start = time.monotonic()
            ran = run_in_pyodide(context, site, [examples[key] for key in runnable],
                                 timeout * 1000, start_timeout * 1000, route_runner)
            for position, key in enumerate(runnable):
                problems[key] = ran[position] or (strict and apart(examples[key])) or None
                ways[key].append("in Pyodide")
        # As readers do: every example, or those of the first page of each kind (folder)
        # among the pages whose examples passed so far.
        first_pages = {}
        for key in runnable:
            if not problems[key]:
                first_pages.setdefault(examples[key].kind, examples[key].page)
        as_readers = [key for key in runnable if not in_pyodide or (
            not problems[key] and examples[key].page in first_pages.values())]
        if in_pyodide:
            narrative = [key for key in runnable if examples[key].narrative]
            firsts = {page for kind, page in first_pages.items() if ":" not in kind}
            print(f"Ran the code cells of {len(runnable) - len(narrative)} examples in Pyodide "
                  f"({time.monotonic() - start:.1f} s); running as readers do those of "
                  f"{plural(len(firsts), 'page')}, the first of each kind.")
            if narrative:
                print(f"Ran the cells of {plural(len(narrative), 'narrative page')} in Pyodide, "
                      "each in a Python as it started; running as readers do the first of each "
                      "kind: " + ", ".join(page for kind, page in first_pages.items() if ":" in kind))
        in_page = {key: examples[key] for key in as_readers if examples[key].in_page is not None}
        if in_page:
            for key, problem in run_in_page(context, site, in_page, timeout * 1000,
                                            start_timeout * 1000).items():
                problems[key] = problems[key] or problem
                ways[key].append("in its page")
        # JupyterLite opens every notebook of a kind alike, and its start is most of what a
        # page costs: of each first page, the first example that ran in its page.
        # Narrative pages run as readers do in their pages ("Run this page").
        in_lite = [key for key in as_readers if not examples[key].narrative]
        if in_pyodide:
            firsts = {}
            for key in in_lite:
                if not problems[key]:
                    firsts.setdefault(examples[key].page, key)
            in_lite = list(firsts.values())
        for key in Progress("Ran as readers do", len(in_lite)).over(in_lite):
            # A runaway in its page would run away in JupyterLite too: one timeout is enough.
            if problems[key] == "hidden" or (problems[key] or "").startswith("timed out"):
                continue
            start = time.monotonic()
            problem = click_example(context, site, examples[key], timeout * 1000,
                                    start_timeout * 1000)
            seconds[key] += time.monotonic() - start
            problems[key] = problems[key] or problem
            ways[key].append("in JupyterLite" if key in in_page else "its button")
        browser.close()
    return ways, seconds
