"""The example check proves narrative pages: every notebook page and gallery example runs
its cells in the site's Pyodide, in a Python as it started, and the first of each kind in
its page ("Run this page"); the report counts them apart from the API examples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_check_examples import check

pytestmark = pytest.mark.slow

TUTORIAL = r"tutorial\.html$"
# The tutorial's second code cell, in its notebook and as the page shows it (Pygments).
CELL_2 = "smooth = moving_average(readings, window=3)"
CELL_2_SHOWN = ('<span class="n">window</span><span class="o">=</span><span class="mi">3</span>'
                '<span class="p">)</span>\n<span class="nb">print</span>')


def test_the_default_tutorial_passes_and_is_counted_apart(default_project, offline_site):
    result = check(default_project, offline_site, "-v", "--pages", TUTORIAL)
    assert result.returncode == 0
    assert "tutorial.html, notebook page: ok, 5 cells (in Pyodide and in its page)" in result.stdout
    assert ("0 examples: 0 ran, 0 failed, 0 hidden. 1 narrative page (notebooks, gallery "
            "examples): 1 ran, 0 failed, 0 hidden.") in result.stdout


def test_a_tutorial_whose_second_cell_raises_fails_naming_the_page_and_cell(
        default_project, offline_site, tmp_path):
    """The default site, with the tutorial's second cell asking for a window of 30 readings
    of 8, in its notebook and on its page alike (as a build of that tutorial writes them)."""
    site = shutil.copytree(offline_site, tmp_path / "html", symlinks=True)
    notebook_file = site / "lite" / "files" / "tutorial.ipynb"
    notebook = json.loads(notebook_file.read_text())
    [cell] = [cell for cell in notebook["cells"] if "".join(cell["source"]) .startswith(CELL_2)]
    cell["source"] = "".join(cell["source"]).replace("window=3", "window=30")
    notebook_file.write_text(json.dumps(notebook))
    page = (site / "tutorial.html").read_text()
    assert CELL_2_SHOWN in page
    (site / "tutorial.html").write_text(page.replace(CELL_2_SHOWN, CELL_2_SHOWN.replace(">3<", ">30<")))

    result = check(default_project, site, "--pages", TUTORIAL)
    assert result.returncode == 1
    # The install cell is cell 1, as the page's runner numbers them.
    assert "tutorial.html, notebook page: FAILED: cell 3 of 5 wrote to stderr:" in result.stdout
    assert "ValueError: window must be between 1 and 8, got 30" in result.stdout
    assert "1 narrative page (notebooks, gallery examples): 0 ran, 1 failed, 0 hidden." in result.stdout
