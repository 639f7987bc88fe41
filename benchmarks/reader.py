"""What a reader waits for and downloads: the floor, the generated site (its in-page runner,
and its "Open in JupyterLite"), jupyterlite-sphinx's defaults, side by side in an offline
Chromium with the local Pyodide.

All three are served by one local http server (one origin), each run in a browser with a
new profile (cold disk cache, no service worker), in an order that rotates every round.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, Request

from harness.browser import PHONE, ReaderBrowser, network_traffic, run_in_page, run_try_examples

API_PAGE = "generated/example_project.fibonacci.html"
# A second API page: the warm click, in the same browser profile as the first.
SECOND_API_PAGE = "generated/example_project.mean.html"
# fibonacci's example, then mean's, on one page: the in-page runner's second example.
TWO_EXAMPLES_PAGE = "two_examples.html"
# What each example prints or returns: the proof that it really ran.
EXPECTED = {API_PAGE: ["[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]", "10945"], SECOND_API_PAGE: ["50.0"]}
# The variants of the generated site: which button the reader clicks.
SITE_OF = {"in-page": "interactive", "phone": "interactive", "jupyterlite": "interactive",
           "defaults": "defaults"}
LITE_OR_PYODIDE = re.compile(r"/lite/|pyodide")
# A reader's pointer rests on the button for a moment before the click: 0.3 s, a typical
# hover-to-click time on a desktop. Click-to-output times count from the click.
HOVER_S = 0.3
# The time a reader spends on the next page before pointing at its button.
DWELL_S = 1.0


@dataclass
class Sample:
    seconds: float
    bytes: int
    requests: int
    memory: int | None = None  # the bytes of the page's Python after the example


# The floor: a bare page that loads the same local Pyodide, installs the same wheel with
# micropip and runs the same example cells; it times itself from navigation start.
FLOOR_PAGE = """<!doctype html>
<meta charset="utf-8">
<title>Floor: Pyodide, micropip, the wheel, the example</title>
<pre id="output"></pre>
<script type="module">
const { loadPyodide } = await import(%(pyodide)s);
const pyodide = await loadPyodide();
let output = "";
pyodide.setStdout({ batched: (text) => { output += text + "\\n"; } });
await pyodide.loadPackage("micropip");
await pyodide.pyimport("micropip").install(new URL(%(wheel)s, location.href).href);
for (const cell of %(cells)s) {
  const result = await pyodide.runPythonAsync(cell);
  if (result !== undefined) output += String(result) + "\\n";
}
document.getElementById("output").textContent = output;
document.body.dataset.seconds = String(performance.now() / 1000);
</script>
"""


def example_cells(site: Path, api_page: str = API_PAGE) -> list[str]:
    """The code cells of the page's first example notebook, without the install cell."""
    notebook = re.search(r"path=([^'\"&]+\.ipynb)", (site / api_page).read_text())
    cells = json.loads((site / "lite" / "files" / notebook.group(1)).read_text())["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return [s for s in sources if not s.startswith("%pip install")]


def served_root(work: Path, sites: dict[str, Path]) -> Path:
    """One folder to serve: each site under its name, and floor.html beside them."""
    root = work / "served"
    root.mkdir()
    for name, html in sites.items():
        (root / name).symlink_to(html, target_is_directory=True)
    interactive = sites["interactive"]
    wheel = next((interactive / "lite" / "pypi").glob("example_project-*.whl"))
    (root / "floor.html").write_text(FLOOR_PAGE % {
        "pyodide": json.dumps("./interactive/lite/static/pyodide/pyodide.mjs"),
        "wheel": json.dumps(f"./interactive/lite/pypi/{wheel.name}"),
        "cells": json.dumps(example_cells(interactive)),
    })
    return root


@contextlib.contextmanager
def finished_requests(page: Page) -> Iterator[list[Request]]:
    """The requests the page's context finishes while in the block."""
    finished: list[Request] = []

    def on_finished(request: Request) -> None:
        finished.append(request)

    page.context.on("requestfinished", on_finished)
    try:
        yield finished
    finally:
        page.context.remove_listener("requestfinished", on_finished)


def run_floor(page: Page, url: str, timeout: float = 120) -> Sample:
    with finished_requests(page) as finished:
        page.goto(url)
        page.wait_for_function("() => document.body.dataset.seconds", timeout=timeout * 1000)
    output = page.locator("#output").text_content()
    if not all(expected in output for expected in EXPECTED[API_PAGE]):
        raise AssertionError(f"the floor page printed {output!r}")
    return Sample(float(page.evaluate("document.body.dataset.seconds")), *network_traffic(finished))


def run_site(page: Page, base: str, api_page: str) -> Sample:
    result = run_try_examples(page, base + api_page, hover_s=HOVER_S)
    if result.error or None in result.execution_counts or not all(any(e in o for o in result.stdout + result.outputs[-1:])
                               for e in EXPECTED[api_page]):
        raise AssertionError(f"the example did not run on {base + api_page}: {result.outputs}")
    return Sample(result.click_to_output_s, result.bytes, result.requests)


def run_in_page_example(page: Page, url: str | None, index: int, expected: list[str],
                        hover_s: float = HOVER_S, **how) -> Sample:
    result = run_in_page(page, url, index=index, hover_s=hover_s, **how)
    shown = " ".join(cell.text for cell in result.example)
    if any(cell.state != "done" for cell in result.cells) or not all(e in shown for e in expected):
        raise AssertionError(f"the example did not run in the page: {result.cells}")
    return Sample(result.click_to_output_s, result.bytes, result.requests)


def run_round(browser: ReaderBrowser, base: str, order: list[str]) -> dict[str, Sample]:
    """One cold run of each variant in `order`, each followed by a warm one in its context
    (and, in the page, by the page's second example)."""
    samples = {}
    for variant in order:
        page = browser.new_page(**(PHONE if variant == "phone" else {}))
        try:
            if variant == "floor":
                samples["floor"] = run_floor(page, base + "floor.html")
                samples["floor warm"] = run_floor(page, base + "floor.html")
            elif variant == "in-page":
                site = f"{base}{SITE_OF[variant]}/"
                samples[variant] = run_in_page_example(page, site + TWO_EXAMPLES_PAGE, 0,
                                                       EXPECTED[API_PAGE])
                samples[f"{variant} second"] = run_in_page_example(page, None, 1,
                                                                   EXPECTED[SECOND_API_PAGE])
                samples[f"{variant} next"] = run_in_page_example(page, site + SECOND_API_PAGE, 0,
                                                                 EXPECTED[SECOND_API_PAGE],
                                                                 dwell_s=DWELL_S)
            elif variant == "phone":
                # A tap: no pointer rests on the button first.
                samples["phone"] = run_in_page_example(page, f"{base}{SITE_OF[variant]}/{API_PAGE}",
                                                       0, EXPECTED[API_PAGE], hover_s=0, tap=True)
                samples["phone"].memory = page.evaluate("() => window.interactiveDocs.memory")
            else:
                site = f"{base}{SITE_OF[variant]}/"
                samples[variant] = run_site(page, site, API_PAGE)
                samples[f"{variant} warm"] = run_site(page, site, SECOND_API_PAGE)
        finally:
            page.context.close()
    return samples


EDITOR = re.compile(r"/interactive-docs-editor\.js")
PYGMENTS = re.compile(r"/pygments-[^/]*\.whl")


def bytes_after_intent(browser: ReaderBrowser, base: str) -> dict[str, tuple[int, int, int]]:
    """What the in-page runner downloads, with the cells' editor, stage by stage on the API
    page: (bytes, requests, of them the editor's bytes). Pointing at "Try it" fetches the
    editor; the click, the notebook (with the build's markup of its code); the first edit,
    Pygments for the page's Python to mark it up."""
    page = browser.new_page()
    stages = {}
    try:
        page.goto(f"{base}{SITE_OF['in-page']}/{API_PAGE}", wait_until="networkidle")
        with finished_requests(page) as pointed:
            page.locator(".interactive-docs-try").hover()
            page.wait_for_timeout(3000)
        with finished_requests(page) as clicked:
            run_in_page(page, None, index=0)
        with finished_requests(page) as edited:
            cell = page.locator(".interactive-docs-input").nth(2)
            cell.click()
            page.keyboard.press("End")
            page.keyboard.type(" # edited")
            page.wait_for_function("() => document.querySelectorAll('.interactive-docs-editor')[2]"
                                   ".dataset.highlighted === 'true'", timeout=120_000)
        for stage, finished, part in (("pointed at (no click)", pointed, EDITOR),
                                      ("click → output", clicked, EDITOR),
                                      ("first edit → coloured", edited, PYGMENTS)):
            stages[stage] = (*network_traffic(finished),
                             network_traffic([r for r in finished if part.search(r.url)])[0])
        return stages
    finally:
        page.context.close()


def markup_bytes(site: Path) -> tuple[int, int]:
    """The example notebooks' bytes, and of them the build's markup of their code."""
    total = markup = 0
    for path in (site / "lite" / "files").rglob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if not notebook["metadata"].get("interactive_docs"):
            continue
        for cell in notebook["cells"]:
            cell["metadata"].pop("interactive_docs", None)
        total += path.stat().st_size
        markup += path.stat().st_size - len(json.dumps(notebook, indent=1, ensure_ascii=False).encode())
    return total, markup


def bytes_before_click(browser: ReaderBrowser, base: str, variant: str) -> dict[str, tuple[int, int]]:
    """What an API page downloads before any click: on load (everything, and of it
    JupyterLite/Pyodide), and JupyterLite/Pyodide once the reader points at a button."""
    page = browser.new_page()
    try:
        with finished_requests(page) as finished:
            page.goto(f"{base}{variant}/{API_PAGE}", wait_until="networkidle")
        with finished_requests(page) as on_intent:
            # The button that runs the example ("Try it"; the in-page runner's when there is one).
            page.locator(".try_examples_button").first.hover()
            page.wait_for_timeout(3000)
        return {
            "page load": network_traffic(finished),
            "of which JupyterLite/Pyodide": network_traffic(
                [r for r in finished if LITE_OR_PYODIDE.search(r.url)]),
            "JupyterLite/Pyodide once pointed at (no click)": network_traffic(
                [r for r in on_intent if LITE_OR_PYODIDE.search(r.url)]),
        }
    finally:
        page.context.close()
