"""What it costs the example check to give each page's examples a Python as a reader's page
has it (a fresh one), three ways, on the default project's site:

    .venv/bin/python benchmarks/python_per_page.py [--pages 8]

- a fresh worker per page: the check's runner page loaded anew (the site's in-page runner:
  Pyodide, micropip, the worker's Python) for each page, then the page's example run; one
  at a time, and two pages at a time (the machine's two cores);
- Pyodide's memory snapshot (experimental in Pyodide 314.0.6): loadPyodide({_makeSnapshot})
  once, makeMemorySnapshot(), then loadPyodide({_loadSnapshot}) per page. Only the bare
  interpreter is timed: the file system (the installed wheel, micropip) is not in the
  snapshot, so a page would still pay for micropip and the wheel on top;
- what check_examples.py does: one Python, brought back to how it started before each page
  (window.freshPage(), interactive_docs/worker.py's Startup), then the page's example.

Offline, with the local Pyodide the tests use; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import projects  # noqa: E402
from harness.check import load_check  # noqa: E402

SNAPSHOT_PAGE = """<!doctype html><meta charset="utf-8"><script type="module">
const base = new URL("../lite/static/pyodide/", location.href).href;
const { loadPyodide } = await import(base + "pyodide.mjs");
const made = await loadPyodide({ indexURL: base, _makeSnapshot: true });
const snapshot = made.makeMemorySnapshot();
window.restore = async () => {
  const start = performance.now();
  const pyodide = await loadPyodide({ indexURL: base, _loadSnapshot: snapshot });
  pyodide.runPython("import os; os.listdir('/home/pyodide')");
  return (performance.now() - start) / 1000;
};
window.plain = async () => {
  const start = performance.now();
  await loadPyodide({ indexURL: base });
  return (performance.now() - start) / 1000;
};
window.ready = snapshot.length;
</script>"""


def measure(project: Path, pages: int) -> list[str]:
    from playwright.sync_api import sync_playwright

    check = load_check(project / "docs", run=True)
    html = project / "docs" / "_build" / "html"
    (html / "__bench__").mkdir(exist_ok=True)
    (html / "__bench__" / "snapshot.html").write_text(SNAPSHOT_PAGE)
    example = check.collect.find_examples(html)[0]
    cells = [[check.collect.source(cell), raises]
             for cell, raises in zip(example.cells, example.may_raise())]
    rows = []
    runner = {check.run.RUNNER_PATH: check.run.RUNNER_PAGE}
    with check.collect.serve(html, runner) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        context = browser.new_context()
        context.route("**/*", check.run.stay_on_loopback)

        def run(page, key):
            page.evaluate("([key, cells]) => window.start(key, cells)", [key, cells])
            assert page.evaluate(f"() => window.results[{key}]") is None

        def fresh_workers(at_a_time: int) -> float:
            start = time.perf_counter()
            for _ in range(pages // at_a_time):
                opened = [context.new_page() for _ in range(at_a_time)]
                for page in opened:
                    page.goto(site + check.run.RUNNER_PATH)
                for page in opened:
                    page.wait_for_function("() => window.ready", polling=20, timeout=240_000)
                    run(page, 0)
                    page.close()
            return (time.perf_counter() - start) / (pages // at_a_time * at_a_time)

        fresh_workers(1)  # the browser's cache warm, as in the check
        rows.append(("a fresh worker per page, one at a time", fresh_workers(1)))
        rows.append(("a fresh worker per page, two at a time", fresh_workers(2)))

        page = context.new_page()
        page.goto(site + "__bench__/snapshot.html")
        page.wait_for_function("() => window.ready", polling=20, timeout=240_000)
        restores = [page.evaluate("() => window.restore()") for _ in range(pages)]
        plain = [page.evaluate("() => window.plain()") for _ in range(3)]
        page.close()
        rows.append(("bare Pyodide, loadPyodide() (for comparison)", sorted(plain)[1]))
        rows.append(("bare Pyodide, restored from a memory snapshot",
                     sorted(restores)[len(restores) // 2]))

        page = context.new_page()
        page.goto(site + check.run.RUNNER_PATH)
        page.wait_for_function("() => window.ready", polling=20, timeout=240_000)
        assert page.evaluate("() => window.freshPage()") is None
        run(page, 0)
        timings = {}
        for fresh in (False, True, False, True):
            start = time.perf_counter()
            for key in range(pages * 4):
                if fresh:
                    assert page.evaluate("() => window.freshPage()") is None
                run(page, len(timings) * 10_000 + key + 1)
            seconds = (time.perf_counter() - start) / (pages * 4)
            timings[fresh] = min(timings.get(fresh, seconds), seconds)
        rows.append(("one Python, as it started before each page (freshPage(), the check's)",
                     timings[True]))
        rows.append(("one Python for all pages, no isolation (the check before)", timings[False]))
        browser.close()
    return [f"| {way} | {seconds:.2f} s | {seconds * 1000 / 60:.1f} min |" for way, seconds in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per way (default: 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        template = projects.template_repo(Path(work))
        project = projects.make_project(template, Path(work) / "p", "interactive",
                                        offline_pyodide=projects.offline_pyodide())
        projects.build(projects.docs_venv(project), project, strict=True)
        rows = measure(project, args.pages)
    print("| per page: a page's one example in a Python as it started | median or mean "
          "| 1000 pages at that |")
    print("|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
