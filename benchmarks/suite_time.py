"""Where the test suite's time goes: Markdown tables from a `pytest --durations=0` log.

    .venv/bin/python -m pytest -n 2 --dist loadgroup --durations=0 > run.log
    .venv/bin/python benchmarks/suite_time.py run.log

Prints the 20 longest phases (a test's set-up, where its fixtures build, or its call) and
the total per kind of work. A phase is counted under the work that takes most of it (a call
that builds a site and then clicks through it in JupyterLite counts as JupyterLite).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

# The first pattern that matches "<phase> <node id>" names the kind of work.
KINDS = [
    (r"^setup ", "venv and build (fixtures: docs venv, sites, local Pyodide)"),
    (r"^teardown ", "other"),
    (r"test_workflows\.py", "CI workflow runs (venv, build, example check)"),
    (r"test_ci\.py::test_pyodide_runner", "Pyodide in Node"),
    (r"test_ci\.py", "CI files: copy, schemas, zizmor, actionlint"),
    (r"test_check_examples\.py::test_the_page_shows", "Chromium: the in-page runner, Pyodide"),
    (r"test_check_examples\.py::test_(the|each|with|a_kernel|warnings|what|a_runaway)"
     r"|test_check_isolation|test_libraries\.py::test_(doctest|without_pypi)",
     "the example check (Chromium: Pyodide, pages, JupyterLite)"),
    (r"test_browse|test_revisit|test_in_page\.py::test_open_in_jupyterlite"
     r"|test_local_pypi\.py::test_pip_magic|test_apply\.py::test_after"
     r"|test_migrate\.py::test_after|test_update\.py::test_projects_of_the_previous"
     r"|test_libraries\.py::test_compiled_with_a_pyodide",
     "JupyterLite in Chromium (after a build, where the test builds)"),
    (r"test_in_page|test_local_pypi\.py::test_(micropip|offline|without)",
     "Chromium: the in-page runner, Pyodide"),
    (r"test_build|test_notebooks\.py::test_a_built|test_apply|test_libraries"
     r"|test_update\.py::test_kernel_switch", "build (sphinx-build, JupyterLite build)"),
    (r"test_bad_input|test_copy|test_update|test_migrate|test_benchmarks",
     "copy (copier copy, update)"),
    (r"", "unit (CPython, Node): worker, editor, extension, notebooks, check's logic"),
]
ROW = re.compile(r"^([\d.]+)s (setup|call|teardown) +(.+)$")


def kind(phase: str, nodeid: str) -> str:
    return next(name for pattern, name in KINDS if re.search(pattern, f"{phase} {nodeid}"))


def main(log: Path) -> None:
    rows = [(float(m[1]), m[2], m[3]) for line in log.read_text().splitlines()
            if (m := ROW.match(line))]
    wall = re.search(r"(\d+) passed.* in ([\d.]+)s", log.read_text())
    total = sum(seconds for seconds, _, _ in rows)
    print(f"{len(rows)} phases over 5 ms, {total / 60:.1f} min in all; "
          + (f"{wall[1]} tests passed in {float(wall[2]) / 60:.1f} min" if wall else "no summary line"))
    print("\n| test | phase | s |\n|---|---|---|")
    for seconds, phase, nodeid in sorted(rows, reverse=True)[:20]:
        print(f"| `{nodeid.removeprefix('tests/')}` | {phase} | {seconds:.0f} |")
    by_kind = Counter()
    for seconds, phase, nodeid in rows:
        by_kind[kind(phase, nodeid)] += seconds
    print("\n| kind of work | min | share |\n|---|---|---|")
    for name, seconds in by_kind.most_common():
        print(f"| {name} | {seconds / 60:.1f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
