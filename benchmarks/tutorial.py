"""The tutorial, a notebook page: click to its first output, in the page ("Run this page")
and in JupyterLite (its notebooklite button), against the floor, side by side.

The floor is a bare page that loads the same local Pyodide, installs the same wheel with
micropip and runs the tutorial's first cell, timed from navigation start. Each variant runs
in a browser with a new profile (cold disk cache), in an order that rotates every round;
the reader's pointer rests on the button for HOVER_S before the click, as in reader.py.

    .venv/bin/python benchmarks/tutorial.py [--rounds 5] [--site docs/_build/html]

Without --site it builds the default project with the local Pyodide first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from harness.browser import _KERNEL_READY, reader_browser, serve  # noqa: E402

HOVER_S = 0.3
FIRST_OUTPUT = "mean reading: 6.75"
# The first stdout of the page's runner cells (the set-up cells print nothing).
IN_PAGE_OUTPUT = """expected => [...document.querySelectorAll('.interactive-docs-cell .interactive-docs-output')]
  .some(o => o.innerText.includes(expected))"""
LITE_OUTPUT = """expected => [...document.querySelectorAll('.jp-OutputArea-output')]
  .some(o => o.innerText.includes(expected))"""
FLOOR_PAGE = """<!doctype html>
<meta charset="utf-8">
<title>Floor: Pyodide, micropip, the wheel, the tutorial's first cell</title>
<pre id="output"></pre>
<script type="module">
const { loadPyodide } = await import(%(pyodide)s);
const pyodide = await loadPyodide();
pyodide.setStdout({ batched: (text) => {
  document.getElementById("output").textContent += text + "\\n";
  document.body.dataset.seconds ??= String(performance.now() / 1000);
} });
await pyodide.loadPackage("micropip", { messageCallback: () => {} });
await pyodide.pyimport("micropip").install(new URL(%(wheel)s, location.href).href);
await pyodide.runPythonAsync(%(cell)s);
</script>
"""


def first_cell(site: Path) -> str:
    cells = json.loads((site / "lite" / "files" / "tutorial.ipynb").read_text())["cells"]
    return next("".join(c["source"]) for c in cells
                if c["cell_type"] == "code" and not "".join(c["source"]).startswith("%pip"))


def floor(page, url: str) -> float:
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.seconds", timeout=120_000)
    output = page.locator("#output").text_content()
    assert FIRST_OUTPUT in output, output
    return float(page.evaluate("document.body.dataset.seconds"))


def in_page(page, url: str) -> float:
    page.goto(url)
    button = page.locator("button[data-page]")
    button.hover()
    page.wait_for_timeout(HOVER_S * 1000)
    start = time.monotonic()
    button.click()
    page.wait_for_function(IN_PAGE_OUTPUT, arg=FIRST_OUTPUT, polling=20, timeout=120_000)
    return time.monotonic() - start


def notebooklite(page, url: str) -> float:
    """Its button opens JupyterLite in a new tab; Run All as soon as the kernel is idle."""
    page.goto(url)
    button = page.get_by_role("button", name="Open as a notebook")
    button.hover()
    page.wait_for_timeout(HOVER_S * 1000)
    with page.context.expect_page() as opened:
        start = time.monotonic()
        button.click()
    lite = opened.value
    lite.wait_for_function(_KERNEL_READY, polling=20, timeout=120_000)
    lite.locator(".jp-Notebook .jp-Cell .jp-InputArea-prompt").first.click()
    for key in ("Escape", "Control+a", "Control+Enter"):
        lite.keyboard.press(key)
    lite.wait_for_function(LITE_OUTPUT, arg=FIRST_OUTPUT, polling=20, timeout=120_000)
    return time.monotonic() - start


def build_site(work: Path) -> Path:
    import projects

    project = projects.make_project(ROOT, work / "tutorial", "interactive",
                                    offline_pyodide=projects.offline_pyodide())
    python = projects.docs_venv(project)
    projects.build(python, project, strict=True)
    return project / "docs" / "_build" / "html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--site", type=Path, help="a site built with the local Pyodide")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        site = args.site or build_site(Path(work))
        root = Path(work) / "served"
        root.mkdir()
        (root / "site").symlink_to(site.resolve(), target_is_directory=True)
        wheel = next((site / "lite" / "pypi").glob("*.whl")).name
        (root / "floor.html").write_text(FLOOR_PAGE % {
            "pyodide": json.dumps("./site/lite/static/pyodide/pyodide.mjs"),
            "wheel": json.dumps(f"./site/lite/pypi/{wheel}"), "cell": json.dumps(first_cell(site))})
        variants = {"floor": (floor, "floor.html"), "in-page": (in_page, "site/tutorial.html"),
                    "notebooklite": (notebooklite, "site/tutorial.html")}
        samples = {name: [] for name in variants}
        with serve(root) as base, reader_browser() as browser:
            for index in range(args.rounds):
                names = list(variants)
                names = names[index % len(names):] + names[:index % len(names)]
                for name in names:
                    run, path = variants[name]
                    page = browser.new_page()
                    try:
                        samples[name].append(run(page, base + path))
                    finally:
                        page.context.close()
                print(f"  round {index + 1}/{args.rounds} done", file=sys.stderr)
            if browser.leaked:
                raise AssertionError(f"requests left the machine: {browser.leaked}")
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"### The tutorial: click to first output ({args.rounds} rounds, loopback, cold cache)\n")
    print("| variant | median | min-max | ratio to the floor |")
    print("| --- | --- | --- | --- |")
    for name, values in samples.items():
        print(f"| {name} | {median[name]:.2f} s | {min(values):.2f}-{max(values):.2f} s "
              f"| {median[name] / median['floor']:.2f} |")
    print(f"\nin-page / notebooklite: {median['in-page'] / median['notebooklite']:.2f}")


if __name__ == "__main__":
    main()
