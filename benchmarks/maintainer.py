"""What a maintainer pays: docs build time and site size, and copier's own time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import ANSWERS_FILE, git
from projects import build, commit_all, site_bytes

COPIER = Path(sys.executable).with_name("copier")


def build_round(python: Path, projects: dict[str, Path], order: list[str]) -> dict[str, tuple[float, int]]:
    """One clean build of each project in `order`: variant -> (seconds, site bytes)."""
    results = {}
    for variant in order:
        project = projects[variant]
        seconds = build(python, project, strict=variant == "interactive")
        results[variant] = seconds, site_bytes(project / "docs" / "_build" / "html")
    return results


def release_v2(template: Path) -> None:
    """A template release to update to: one changed line in a template-owned file."""
    css = template / "template" / "{{ docs_dir }}" / "_static" / "interactive-docs.css"
    css.write_text(css.read_text() + "/* Released in v2. */\n")
    commit_all(template, "v2")
    git(template, "tag", "v2")


def copier_round(template: Path, dest: Path) -> dict[str, float]:
    """`copier copy --defaults` (v1) and then `copier update` (to v2), as a user runs them."""
    times = {}
    start = time.perf_counter()
    subprocess.run([str(COPIER), "copy", "--quiet", "--defaults", "--vcs-ref", "v1",
                    str(template), str(dest)], check=True, capture_output=True)
    times["copier copy --defaults"] = time.perf_counter() - start
    git(dest, "init", "-q")
    commit_all(dest, "Generate from v1")
    start = time.perf_counter()
    subprocess.run([str(COPIER), "update", "--quiet", "--defaults", "-a", ANSWERS_FILE],
                   check=True, capture_output=True, cwd=dest)
    times["copier update"] = time.perf_counter() - start
    if "Released in v2." not in (dest / "docs" / "_static" / "interactive-docs.css").read_text():
        raise AssertionError("copier update did not bring v2")
    return times
