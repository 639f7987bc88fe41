"""Where the test suite's CPU goes: each test phase's processes in a cgroup of their own.

A pytest plugin and its report. As root, on a machine with cgroup v1's cpuacct:

    PYTHONPATH=benchmarks .venv/bin/python -m pytest -p suite_cpu -n 2 --dist loadgroup -q
    .venv/bin/python benchmarks/suite_cpu.py

Before each phase (set-up, call, teardown) the xdist worker moves into the cgroup of that
phase; what it starts then (Chromium, sphinx-build, pip, Node) is counted there, even once
it is no longer the worker's child. A module's browser, and a session's site, count under
the phase that started them.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

CGROUPS = Path("/sys/fs/cgroup/cpuacct/test-suite")


def enter(item, phase: str) -> None:
    module = item.nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py")
    group = CGROUPS / f"{module}@{phase}@{item.name.replace('/', '_')[:150]}"
    group.mkdir(parents=True, exist_ok=True)
    (group / "cgroup.procs").write_text(str(os.getpid()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    enter(item, "setup")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    enter(item, "call")
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    enter(item, "teardown")
    yield


def report(top: int = 20) -> None:
    """CPU seconds per test module, then the `top` phases; the cgroups are then removed."""
    phases = []
    for group in CGROUPS.iterdir():
        if group.is_dir():
            seconds = int((group / "cpuacct.usage").read_text()) / 1e9
            phases.append((seconds, *group.name.split("@", 2)))
    modules = Counter()
    for seconds, module, _, _ in phases:
        modules[module] += seconds
    print(f"{sum(modules.values()) / 60:.1f} CPU minutes in all\n\n| module | CPU s |\n|---|---|")
    for module, seconds in modules.most_common():
        print(f"| `{module}` | {seconds:.0f} |")
    print("\n| test | phase | CPU s |\n|---|---|---|")
    for seconds, module, phase, name in sorted(phases, reverse=True)[:top]:
        print(f"| `{module}::{name}` | {phase} | {seconds:.0f} |")
    for group in CGROUPS.iterdir():
        if group.is_dir():
            group.rmdir()


if __name__ == "__main__":
    report(*map(int, sys.argv[1:]))
