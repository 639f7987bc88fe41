"""The example check's modules (interactive_docs/check/), imported from a generated docs folder."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace


def _own(name: str) -> bool:
    return name.split(".")[0] == "interactive_docs"


def load_check(docs: Path, *, run: bool = False) -> SimpleNamespace:
    """cli, collect, judge, report, watch (and run, which imports Playwright) of the docs
    folder's copy of the check, as check_examples.py imports them; another copy already
    imported is left as it was."""
    saved_path, saved = sys.path[:], {n: m for n, m in sys.modules.items() if _own(n)}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(docs))
    writes, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no __pycache__ in it
    try:
        names = ["cli", "collect", "judge", "report", "watch"] + ["run"] * run
        return SimpleNamespace(**{name: importlib.import_module(f"interactive_docs.check.{name}")
                                  for name in names})
    finally:
        sys.dont_write_bytecode = writes
        sys.path[:] = saved_path
        for name in [n for n in sys.modules if _own(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
