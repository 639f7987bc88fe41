"""Browse, "Run this page": a notebook page or a gallery example runs its own cells in place.

The plan the build gives each cell (interactive_docs/narrative.py) is checked as data; the
pages are the default site's tutorial (offline_site) and the gallery site's example, in
the offline Chromium with the local Pyodide.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_extension import SETTINGS

PACKAGE = ROOT / "template" / "{{ docs_dir }}" / "interactive_docs"


# --- The plan, as data --------------------------------------------------------------------

@pytest.fixture(scope="module")
def narrative(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    shutil.copytree(PACKAGE, docs / "interactive_docs",
                    ignore=shutil.ignore_patterns("*.jinja", "__pycache__"))
    (docs / "interactive_docs" / "settings.py").write_text(
        "".join(f"{name} = {value!r}\n" for name, value in SETTINGS.items()))
    sys.path.insert(0, str(docs))
    try:
        from interactive_docs import narrative
        yield narrative
    finally:
        sys.path.remove(str(docs))
        for name in [n for n in sys.modules if n.split(".")[0] == "interactive_docs"]:
            del sys.modules[name]


@pytest.mark.parametrize(("tags", "page", "plan"), [
    ([], 3, {"show": "code", "page": 3, "run_all": True, "go_on": False, "quiet": False}),
    (["remove-cell"], None, {"show": "hidden", "run_all": True, "go_on": False, "quiet": True}),
    (["remove-input"], 4, {"show": "output", "page": 4, "run_all": True, "go_on": False, "quiet": False}),
    (["remove-output"], 4, {"show": "code", "page": 4, "run_all": True, "go_on": False, "quiet": True}),
    (["skip-execution"], 5, {"show": "code", "page": 5, "run_all": False, "go_on": False, "quiet": False}),
    (["raises-exception"], 6, {"show": "code", "page": 6, "run_all": True, "go_on": True, "quiet": False}),
    (["jupyterlite_sphinx_strip"], 7, {"show": "static", "page": 7, "run_all": False, "go_on": False,
                                       "quiet": False}),
])
def test_each_cell_is_run_as_the_page_treats_it(narrative, tags, page, plan):
    assert narrative.cell_plan(tags, page, stripped=True) == plan
    if tags:  # the control: the same cell untagged is a plain cell in place
        assert narrative.cell_plan([], 3, stripped=True)["show"] == "code"


def test_a_gallery_notebook_numbers_its_code_cells_as_the_page_shows_them(narrative):
    code = {"cell_type": "code", "metadata": {}, "source": "", "outputs": []}
    notebook = {"metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}, "source": "# T"},
                                          *(json.loads(json.dumps(code)) for _ in range(4))]}
    # sphinx-gallery's first_notebook_cell and last_notebook_cell are not on the page.
    narrative.plan_gallery_notebook(notebook, first=1, last=1)
    plans = [cell["metadata"]["interactive_docs"] for cell in notebook["cells"][1:]]
    assert [plan.get("page") for plan in plans] == [None, 0, 1, None]
    assert [plan["show"] for plan in plans] == ["hidden", "code", "code", "hidden"]
    assert notebook["metadata"]["interactive_docs"]["page"] is True


# --- In the browser -----------------------------------------------------------------------

# One Chromium for the browser tests (Playwright's sync API runs one per process): one
# worker runs them, in the group "run-page".
# The runner's cells: [hidden, state, code, output, class of the element before it]
CELLS = """() => [...document.querySelectorAll('.interactive-docs-cell')].map(c => [
  c.hidden, c.dataset.state, c.querySelector('textarea').value,
  c.querySelector('.interactive-docs-output').innerText, c.previousElementSibling?.className ?? ''])"""
SHOWN = """selector => [...document.querySelectorAll(selector)].map(n => getComputedStyle(n).display)"""


def run_page(page, url: str, tap: bool = False):
    page.goto(url)
    button = page.locator("button[data-page]")
    button.tap() if tap else button.click()
    page.wait_for_selector(".interactive-docs-runner[data-run=finished]", timeout=120_000)
    return page.evaluate(CELLS)


@pytest.mark.slow
@pytest.mark.xdist_group("run-page")
@pytest.mark.browser
def test_a_tutorial_runs_in_place_in_one_namespace(offline_site, browser):
    from harness.browser import serve

    with serve(offline_site) as url:
        page = browser.new_page()
        cells = run_page(page, url + "tutorial.html")
        install, first, second, third, hidden = cells
        assert install[:2] == [False, "done"] and install[2].startswith("%pip install example-project")
        # Each of the page's cells, in its place: right after the page's own, now hidden.
        for number, cell in zip([3, 5, 7], [first, second, third]):
            assert cell[:2] == [False, "done"] and f"interactive-docs-cell-{number}" in cell[4]
        assert page.evaluate(SHOWN, "[class*=interactive-docs-cell-]") == ["none"] * 3
        assert first[3] == "mean reading: 6.75\n"
        # Cell 3 uses readings and moving_average from cell 1.
        assert "readings" in third[2] and third[3] == "window 2: 7 values\nwindow 4: 5 values\n"

        # The hidden cell ran, and shows nothing; the control: a shown cell's code is seen.
        assert hidden[:2] == [True, "done"] and "assert len(smooth)" in hidden[2]
        text = page.locator("body").inner_text()
        assert "assert len(smooth)" not in text and "smooth = moving_average" in text
        notebook = json.loads((offline_site / "lite" / "files" / "tutorial.ipynb").read_text())
        assert any("assert len(smooth)" in "".join(c["source"]) for c in notebook["cells"])

        # The control of the shared namespace: cell 3 alone, in a new Python, has no readings.
        page.get_by_role("button", name="Stop").click()
        page.get_by_role("button", name="Run cell 4").click()
        page.wait_for_function("() => document.querySelectorAll('.interactive-docs-cell')[3]"
                               ".dataset.state === 'error'", timeout=60_000)
        assert "is not defined" in page.evaluate(CELLS)[3][3]

        # "Show the original" brings the page's cells back.
        page.get_by_role("button", name="Show the original").click()
        assert page.evaluate(SHOWN, "[class*=interactive-docs-cell-]") == ["block"] * 3
        assert page.locator("button[data-page]").is_visible()
    assert not browser.leaked


@pytest.mark.slow
@pytest.mark.xdist_group("run-page")
@pytest.mark.browser
def test_a_gallery_example_runs_in_place(gallery_site, browser):
    from harness.browser import serve

    with serve(gallery_site) as url:
        page = browser.new_page()
        install, code = run_page(page, url + "auto_examples/smoothing.html")
        assert install[1] == code[1] == "done"
        assert "interactive-docs-cell-0" in code[4]  # in place of the page's code
        static = (gallery_site / "auto_examples" / "smoothing.html").read_text()
        assert code[3].splitlines()[0] == "2 [4.0, 4.5, 6.0, 7.0, 7.5, 8.0, 9.5]"
        # The page's own output hides behind the runner's.
        assert page.evaluate(SHOWN, ".interactive-docs-output-0") == ["none", "none"]
        # The control: an edit runs too, and its output is not the page's.
        cell = page.locator(".interactive-docs-input").nth(1)
        cell.fill(code[2].replace("(2, 3, 4)", "(5,)"))
        page.get_by_role("button", name="Run cell 2").click()
        page.wait_for_function("() => document.querySelectorAll('.interactive-docs-output')[1]"
                               ".innerText.startsWith('5 [')", timeout=60_000)
        assert "5 [5.2, 6.4, 6.8, 8.4]" in page.evaluate(CELLS)[1][3]
        assert "5 [5.2" not in static
    assert not browser.leaked


@pytest.mark.slow
@pytest.mark.xdist_group("run-page")
@pytest.mark.browser
def test_a_phone_runs_a_tutorial(offline_site, browser):
    from harness.browser import PHONE, serve

    with serve(offline_site) as url:
        page = browser.new_page(**PHONE)
        cells = run_page(page, url + "tutorial.html", tap=True)
        assert [cell[1] for cell in cells] == ["done"] * 5
        assert cells[3][3] == "window 2: 7 values\nwindow 4: 5 values\n"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        # The control that this is a phone to the page: jupyterlite-sphinx takes it for a
        # mobile device (and hides its example buttons there), as it does not a desktop.
        assert page.evaluate("() => window.isMobileDevice()")
        desktop = browser.new_page()
        desktop.goto(url + "tutorial.html")
        assert not desktop.evaluate("() => window.isMobileDevice()")
    assert not browser.leaked
