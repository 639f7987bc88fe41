"""What the example check costs: check_examples.py on projects of 10, 100 and 1000 documented
functions, in its two ways, side by side in one run.

    .venv/bin/python benchmarks/check.py [--sizes 10 100 1000] [--every-button-up-to 10]

- default: every "Try it" button clicked and its example run by the page's in-page runner
  (one Pyodide per page), and the examples of the first page of each kind also run in
  JupyterLite;
- --every-button: that, and every example run in JupyterLite, one at a time, on the sizes
  up to --every-button-up-to (it takes about 8 s an example).

Offline, with the local Pyodide the tests use; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import projects  # noqa: E402


def check(project: Path, *args: str) -> tuple[float, str]:
    html = project / "docs" / "_build" / "html"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(project / "docs" / "check_examples.py"), str(html), "--offline",
         "--browser-path", "/usr/bin/chromium", "--timeout", "240", *args],
        capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-3000:] + result.stderr[-3000:])
    return seconds, next(line for line in result.stdout.splitlines() if " examples: " in line)


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
            ways = [("default", ())]
            if size <= args.every_button_up_to:
                ways.append(("--every-button", ("--every-button",)))
            for way, options in ways:
                seconds, counted = check(project, *options)
                examples = int(counted.split()[0])
                rows.append(f"| {size} | {examples} | {way} | {seconds:.1f} s | "
                            f"{seconds / examples:.2f} s | {build:.1f} s |")
    print("| functions | examples | check | wall time | per example | docs build |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
