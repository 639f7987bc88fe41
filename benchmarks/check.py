"""What the example check costs: check_examples.py on projects of 10, 100 and 1000 documented
functions, in its two ways, side by side in one run.

    .venv/bin/python benchmarks/check.py [--sizes 10 100 1000] [--every-button-up-to 10]

- default: every example's cells run in one Pyodide (the site's in-page runner), each page's
  in that Python as it started (per-page isolation on), then the examples of the first page
  of each kind run as readers do, in the page and in JupyterLite;
- per-page isolation off: the same, with every page's examples in the Python that earlier
  pages left (the check before per-page isolation), to see what isolation costs;
- --every-button: that, and every example run in JupyterLite, one at a time, on the sizes
  up to --every-button-up-to (it takes about 8 s an example).

Offline, with the local Pyodide the tests use; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import projects  # noqa: E402


# The check without per-page isolation: each page's examples in the Python earlier pages left.
SHARED_PYTHON = """import sys
sys.path.insert(0, {docs!r})
from interactive_docs.check import cli, run
run.FRESH_PAGE = "() => {{ window.fresh = {{ failed: null }}; }}"
sys.exit(cli.main())
"""


def without_isolation(project: Path) -> Path:
    """A copy of the project's check that runs every page in the Python earlier pages left."""
    docs = project / "docs"
    assert "window.freshPage()" in (docs / "interactive_docs" / "check" / "run.py").read_text(), \
        "check_examples.py no longer starts each page afresh this way"
    copy = docs / "check_examples_shared_python.py"
    copy.write_text(SHARED_PYTHON.format(docs=str(docs)))
    return copy


def check(project: Path, *args: str, script: Path | None = None) -> tuple[float, str, str]:
    html = project / "docs" / "_build" / "html"
    script = script or project / "docs" / "check_examples.py"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(script), str(html), "--offline",
         "--browser-path", "/usr/bin/chromium", "--timeout", "240", *args],
        capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
    in_pyodide = re.search(r"examples in Pyodide \(([\d.]+) s\)", result.stdout)
    return (seconds, next(line for line in result.stdout.splitlines() if " examples: " in line),
            f"{in_pyodide[1]} s" if in_pyodide else "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--every-button-up-to", type=int, default=10)
    args = parser.parse_args()
    pyodide = projects.offline_pyodide()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        template = projects.template_repo(Path(work))
        for size in args.sizes:
            project = projects.make_project(template, Path(work) / f"p{size}", "interactive",
                                            functions=size, offline_pyodide=pyodide)
            python = projects.docs_venv(project)
            build = projects.build(python, project, strict=True)
            ways = [("default, per-page isolation on", (), None),
                    ("per-page isolation off", (), without_isolation(project))]
            if size <= args.every_button_up_to:
                ways.append(("--every-button", ("--every-button",), None))
            for way, options, script in ways:
                seconds, counted, in_pyodide = check(project, *options, script=script)
                examples = int(counted.split()[0])
                rows.append(f"| {size} | {examples} | {way} | {seconds:.1f} s | {in_pyodide} | "
                            f"{seconds / examples:.2f} s | {build:.1f} s |")
    print("| functions | examples | check | wall time | of which in one Pyodide | per example "
          "| docs build |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
