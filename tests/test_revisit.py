"""Revisit: a reader who saved notebooks comes back after the docs were updated.

One browser context keeps the reader's storage (IndexedDB) through both visits; the two
builds are served one after the other at the same URL, offline, with the local Pyodide.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page

from conftest import build_project
from harness.browser import offline_browser, run_lite_notebook, serve

pytestmark = [pytest.mark.xdist_group("revisit"), pytest.mark.browser]

EDIT = "# edited by the reader"
CELL_TEXT = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-editor')]
  .map(editor => editor.textContent)"""


@pytest.fixture(scope="module")
def two_builds(offline_site, docs_python, tmp_path_factory):
    """Build 1 of the demo project (the run's offline_site: the default project with the
    local Pyodide), then build 2 of it with a changed tutorial and version 0.2.0."""
    work = tmp_path_factory.mktemp("revisit")
    first = shutil.copytree(offline_site, work / "build-1")
    project = shutil.copytree(offline_site.parents[2], work / "project",
                              ignore=shutil.ignore_patterns("_build"))
    tutorial = project / "docs" / "tutorial.md"
    tutorial.write_text(tutorial.read_text().replace("mean reading", "average reading"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
    html, _ = build_project(docs_python, project)
    second = shutil.copytree(html, work / "build-2")
    return first, second


def example_notebook(site: Path) -> str:
    return next((site / "lite" / "files").glob("example_project.stats.mean-*.ipynb")).name


def open_notebook(page: Page, url: str) -> list[str]:
    """Open a notebook URL; return the text of its code cells."""
    page.goto(url)
    # The editors exist before their text is in them; every first cell here has some.
    page.wait_for_function(f"() => ({CELL_TEXT})()[0]?.length > 0", timeout=60_000)
    return page.evaluate(CELL_TEXT)


def edit_and_save(page: Page, url: str) -> None:
    """Type a line at the top of the first code cell and save (Ctrl+S), as a reader does."""
    open_notebook(page, url)
    page.locator(".jp-Notebook .jp-CodeCell .cm-content").first.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type(EDIT + "\n")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.jp-mod-dirty') && !document.title.startsWith('*')",
        timeout=30_000)
    page.wait_for_timeout(1000)  # IndexedDB write
    assert open_notebook(page, url)[0].startswith(EDIT), "the reader's edit was not saved"


def point_at(link: Path, site: Path) -> None:
    link.unlink(missing_ok=True)
    link.symlink_to(site, target_is_directory=True)


def fixed_storage(site: Path, work: Path) -> Path:
    """A copy of the site whose notebooks storage has one name for every build (as before)."""
    copy = shutil.copytree(site, work / f"fixed-{site.name}")
    config_file = copy / "lite" / "jupyter-lite.json"
    config = json.loads(config_file.read_text())
    config["jupyter-config-data"]["contentsStorageName"] = "example-project-docs"
    config_file.write_text(json.dumps(config))
    return copy


@pytest.mark.parametrize("storage", ["per build", "fixed"])
def test_after_an_update_notebooks_open_as_the_new_docs_have_them(two_builds, tmp_path, storage):
    first, second = two_builds
    if storage == "fixed":  # negative control: one storage for all builds keeps old copies
        first, second = fixed_storage(first, tmp_path), fixed_storage(second, tmp_path)
    root = tmp_path / "root"
    root.mkdir()
    point_at(root / "docs", first)
    tutorial = "docs/lite/notebooks/index.html?path=tutorial.ipynb"
    example = f"docs/lite/notebooks/index.html?path={example_notebook(first)}"
    assert example_notebook(first) == example_notebook(second)  # the same name in both builds
    with serve(root) as url, offline_browser() as browser:
        page = browser.new_page()  # its context is the reader's browser: storage included
        edit_and_save(page, url + tutorial)
        edit_and_save(page, url + example)

        point_at(root / "docs", second)  # the docs are redeployed at the same URL
        tutorial_cells = open_notebook(page, url + tutorial)
        example_cells = open_notebook(page, url + example)
        if storage == "fixed":
            assert tutorial_cells[0].startswith(EDIT) and "==0.1.0" in tutorial_cells[0]
            assert example_cells[0].startswith(EDIT)
            return
        assert tutorial_cells[0] == "%pip install example-project==0.2.0"
        assert "average reading" in tutorial_cells[1]
        assert example_cells[0] == "%pip install example-project==0.2.0"
        run = run_lite_notebook(page, url + tutorial)
        assert not run.error, run.outputs
        assert "average reading: 6.75" in run.stdout[1]
        run = run_lite_notebook(page, url + example)
        assert not run.error, run.outputs
        assert not browser.leaked
    assert any("example_project-0.2.0-py3-none-any.whl" in u for u in browser.requests)


def test_two_versions_on_one_host_keep_their_own_notebooks(two_builds, tmp_path):
    first, second = two_builds
    root = tmp_path / "root"
    root.mkdir()
    point_at(root / "stable", first)
    point_at(root / "latest", second)
    with serve(root) as url, offline_browser() as browser:
        page = browser.new_page()
        edit_and_save(page, url + "stable/lite/notebooks/index.html?path=tutorial.ipynb")
        latest = open_notebook(page, url + "latest/lite/notebooks/index.html?path=tutorial.ipynb")
        assert not latest[0].startswith(EDIT)
        assert latest[0] == "%pip install example-project==0.2.0"
        stable = open_notebook(page, url + "stable/lite/notebooks/index.html?path=tutorial.ipynb")
        assert stable[0].startswith(EDIT)
