"""Benchmarks: the command runs and prints its table (timings themselves are never asserted)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_benchmark_command_prints_the_template_cost_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--only", "template", "--rounds", "1"],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "| copier copy --defaults | " in result.stdout
    assert "| copier update | " in result.stdout
