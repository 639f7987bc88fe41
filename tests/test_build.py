"""Build: the generated project's docs build for real, from its own pinned requirements."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import build_docs, build_project, git, pip_install

API_PAGES = ["example_project.mean", "example_project.moving_average", "example_project.fibonacci"]


def test_api_pages_have_buttons(built_site):
    for name in API_PAGES:
        html = (built_site / "generated" / f"{name}.html").read_text()
        buttons = re.findall(r'<button class="try_examples_button([^"]*)"[^>]*>([^<]*)</button>', html)
        # The in-page runner's "Try it", JupyterLite beside it, and the iframe's own two.
        assert buttons == [(" interactive-docs-try", "Try it in your browser!"),
                           (" interactive-docs-lite", "Open in JupyterLite"),
                           ("", "Go Back"), ("", "Open In Tab")], name
        assert "interactive-docs.css" in html and "interactive-docs.js" in html
    for name in ["interactive-docs.css", "interactive-docs.js", "interactive-docs-worker.js",
                 "interactive-docs-editor.js",
                 "interactive-docs-worker.py"]:
        assert (built_site / "_static" / name).is_file(), name


def test_the_jupyterlite_runner_keeps_jupyterlite_sphinx_button(lite_runner_site):
    html = (lite_runner_site / "generated" / "example_project.mean.html").read_text()
    buttons = re.findall(r'<button class="try_examples_button([^"]*)"[^>]*>([^<]*)</button>', html)
    assert buttons == [("", "Try it in your browser!"), ("", "Go Back"), ("", "Open In Tab")]
    assert "data-notebook" not in html
    # The tutorial keeps its JupyterLite button alone: no "Run this page" (the default
    # runner's tutorial has one: test_in_page.py).
    tutorial = (lite_runner_site / "tutorial.html").read_text()
    assert "Run this page" not in tutorial and "path=tutorial.ipynb" in tutorial


def test_pages_load_nothing_from_another_host(built_site, tmp_path):
    # No stylesheet, script or font from elsewhere: a reader's browser asks no other host for
    # anything before the reader asks for Python. jupyterlite-sphinx alone adds a font host's
    # stylesheet to every page (the control below); the extension drops it.
    pages = [built_site / "index.html", built_site / "tutorial.html",
             *(built_site / "generated" / f"{name}.html" for name in API_PAGES)]
    for page in pages:
        html = page.read_text()
        remote = re.findall(r'<(?:link|script)[^>]+(?:href|src)="((?:https?:)?//[^"]+)"', html)
        assert remote == [], page.name
    from sphinx.application import Sphinx

    (tmp_path / "conf.py").write_text('extensions = ["jupyterlite_sphinx"]\n')
    app = Sphinx(tmp_path, tmp_path, tmp_path / "out", tmp_path / "doctrees", "html",
                 status=None, warning=None)
    assert any(name.startswith("https://fonts.googleapis.com/") for name, _ in app.registry.css_files)


def test_site_has_notebooks_app_and_try_examples_config(built_site):
    assert (built_site / "lite" / "notebooks" / "index.html").is_file()
    config = json.loads((built_site / "try_examples.json").read_text())
    assert config["global_min_height"] == "400px"


def test_project_wheel_is_in_the_lite_package_index(built_site):
    index = json.loads((built_site / "lite" / "pypi" / "all.json").read_text())
    releases = index["example-project"]["releases"]
    assert list(releases) == ["0.1.0"]
    wheel = releases["0.1.0"][0]["url"]
    assert (built_site / "lite" / "pypi" / Path(wheel).name.split("?")[0]).is_file()


def example_notebooks(site: Path) -> list[Path]:
    """The notebooks made from docstring Examples (named by the object and a digest)."""
    return sorted(p for p in (site / "lite" / "files").glob("*.ipynb")
                  if re.fullmatch(r"example_project\.stats\.\w+-[0-9a-f]{12}\.ipynb", p.name))


def test_every_example_notebook_installs_that_wheel_first(built_site):
    notebooks = example_notebooks(built_site)
    assert [p.name.split("-")[0] for p in notebooks] == [
        "example_project.stats.fibonacci", "example_project.stats.mean",
        "example_project.stats.moving_average"]
    for notebook in notebooks:
        cells = json.loads(notebook.read_text())["cells"]
        assert cells[0]["cell_type"] == "markdown"  # the warning
        assert "built from the same source as this page" in "".join(cells[0]["source"])
        assert "".join(cells[1]["source"]) == "%pip install example-project==0.1.0"
        # Then, as doctest does, the names of the module that defines the function.
        assert "import example_project.stats as _module" in "".join(cells[2]["source"])
        assert "from example_project import" in "".join(cells[3]["source"])


def test_building_the_same_checkout_twice_gives_the_same_site(built_site, docs_python, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built_site.parents[2], project, ignore=shutil.ignore_patterns("_build"))
    html, _ = build_project(docs_python, project)
    assert [p.name for p in example_notebooks(html)] == [p.name for p in example_notebooks(built_site)]
    for page in ["index.html", "tutorial.html", *(f"generated/{name}.html" for name in API_PAGES)]:
        assert (html / page).read_bytes() == (built_site / page).read_bytes(), page
    for notebook in (built_site / "lite" / "files").glob("*.ipynb"):
        assert (html / "lite" / "files" / notebook.name).read_bytes() == notebook.read_bytes()

    # Readers' saved notebooks live in a storage named after the build's notebooks.
    def storage(site: Path) -> str:
        return json.loads((site / "lite" / "jupyter-lite.json").read_text())[
            "jupyter-config-data"]["contentsStorageName"]

    assert storage(html) == storage(built_site)
    assert re.fullmatch(r"example-project-docs-[0-9a-f]{12}", storage(html))


@pytest.mark.slow
@pytest.mark.parametrize("excluded", [True, False], ids=["excluded", "control"])
def test_a_build_inside_the_source_folder_is_never_read_back(built_site, docs_python, tmp_path,
                                                             excluded):
    # Rebuilt in place, as `make html` does, from a conf.py that does not exclude _build: the
    # site's own notebooks (lite/files/*.ipynb, which myst-nb reads) must not become pages.
    project = tmp_path / "project"
    shutil.copytree(built_site.parents[2], project)
    conf = project / "docs" / "conf.py"
    conf.write_text(conf.read_text().replace('exclude_patterns = ["_build"]\n', ""))
    assert "exclude_patterns" not in conf.read_text()
    if not excluded:  # the negative control: the extension without its exclusion of the build
        config = project / "docs" / "interactive_docs" / "config.py"
        text = config.read_text()
        config.write_text(text.replace("lite, app.outdir, app.doctreedir,", "lite,"))
        assert config.read_text() != text
    result = build_docs(docs_python, project)
    output = result.stdout + result.stderr
    read_back = list((project / "docs" / "_build" / "html" / "_build").rglob("*.html"))
    if excluded:
        assert result.returncode == 0, output[-3000:]
        assert read_back == []
    else:
        assert result.returncode != 0
        assert "_build/html/lite/files/" in output


def test_lite_site_uses_the_pyodide_kernel_and_the_project_settings(built_site):
    config = json.loads((built_site / "lite" / "jupyter-lite.json").read_text())["jupyter-config-data"]
    names = [ext["name"] for ext in config["federated_extensions"]]
    assert "@jupyterlite/pyodide-kernel-extension" in names
    # Per project, then per build (see test_building_the_same_checkout_twice_gives_the_same_site).
    assert config["contentsStorageName"].startswith("example-project-docs-")
    assert config["settingsStorageName"] == "example-project-docs"
    # The generated project keeps the CDN Pyodide: only the tests stand in a local copy.
    assert not (built_site / "lite" / "static" / "pyodide").exists()
    # no_sourcemaps
    assert not list((built_site / "lite" / "build").glob("*.js.map"))


def test_a_docs_build_leaves_the_git_tree_clean(built_site):
    # Wheels, notebooks and the lite build's state all land in ignored places.
    project = built_site.parents[2]
    assert git(project, "status", "--porcelain", "--ignored=no") == ""
    assert not (project / "docs" / ".jupyterlite.doit.db").exists()


@pytest.fixture
def project_copy(default_project, tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(default_project, project)
    return project


def test_settings_in_conf_py_win(docs_python, project_copy):
    conf = project_copy / "docs" / "conf.py"
    # One setting above the hook line, one on the command line.
    conf.write_text(conf.read_text().replace(
        "extensions = [", 'try_examples_global_button_text = "Run me"\n\nextensions = ['))
    html, _ = build_project(docs_python, project_copy,
                            "-D", "try_examples_global_warning_text=Careful now")
    page = (html / "generated" / "example_project.mean.html").read_text()
    assert ">Run me</button>" in page
    assert "Try it in your browser!" not in page
    notebook = example_notebooks(html)[0].read_text()
    assert "Careful now" in notebook


def test_a_project_that_cannot_build_a_wheel_fails_the_docs_build(docs_python, project_copy):
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('build-backend = "hatchling.build"',
                                                       'build-backend = "no_such_backend"'))
    result = build_docs(docs_python, project_copy)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Could not build a wheel of example-project" in output
    assert "pip wheel --no-deps" in output
    assert not (project_copy / "docs" / "_build" / "html" / "lite").exists()


def test_a_site_without_a_kernel_fails_the_docs_build(docs_python, project_copy):
    version = subprocess.run([str(docs_python), "-m", "pip", "show", "jupyterlite-pyodide-kernel"],
                             capture_output=True, text=True, check=True).stdout
    version = re.search(r"^Version: (\S+)", version, re.M).group(1)
    subprocess.run([str(docs_python), "-m", "pip", "uninstall", "-y", "-q",
                    "jupyterlite-pyodide-kernel"], check=True)
    try:
        result = build_docs(docs_python, project_copy)
    finally:
        pip_install(docs_python, f"jupyterlite-pyodide-kernel=={version}")
    assert result.returncode != 0
    assert "has no Pyodide kernel" in result.stdout + result.stderr


# The Xeus variant: its own venv, so it runs beside the Pyodide builds on another worker.
xeus = pytest.mark.xdist_group("xeus")
NEEDS_MICROMAMBA = pytest.mark.skipif(
    shutil.which("micromamba") is None,
    reason="micromamba is not installable here (not on PyPI, npm or Debian) and emscripten-forge "
           "is unreachable offline; the generated project's docs workflow runs this build",
)


@pytest.fixture
def xeus_copy(xeus_project, tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(xeus_project, project)
    return project


@xeus
@pytest.mark.skipif(shutil.which("micromamba") is not None, reason="micromamba is installed")
def test_xeus_build_without_micromamba_says_how_to_get_it(xeus_docs_python, xeus_copy):
    start = time.perf_counter()
    result = build_docs(xeus_docs_python, xeus_copy)
    assert time.perf_counter() - start < 120
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "needs the `micromamba` program" in output
    assert "conda install -c conda-forge micromamba" in output
    assert "mamba-org/setup-micromamba" in output
    assert not (xeus_copy / "docs" / "_build" / "html" / "lite").exists()


@xeus
def test_xeus_build_without_environment_file_fails_clearly(xeus_docs_python, xeus_copy):
    (xeus_copy / "docs" / "jupyterlite" / "environment.yml").unlink()
    result = build_docs(xeus_docs_python, xeus_copy)
    assert result.returncode != 0
    assert "environment.yml is missing" in result.stdout + result.stderr


@xeus
def test_xeus_environment_without_a_name_fails_clearly(xeus_docs_python, xeus_copy):
    environment = xeus_copy / "docs" / "jupyterlite" / "environment.yml"
    environment.write_text(re.sub(r"(?m)^name:.*\n", "", environment.read_text()))
    result = build_docs(xeus_docs_python, xeus_copy)
    assert result.returncode != 0
    assert "has no `name:`" in result.stdout + result.stderr


@xeus
@NEEDS_MICROMAMBA
def test_xeus_site_has_the_xpython_kernel(xeus_docs_python, xeus_copy):
    result = build_docs(xeus_docs_python, xeus_copy)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    kernels = json.loads((xeus_copy / "docs" / "_build" / "html" / "lite" / "xeus" / "kernels.json").read_text())
    assert "xpython" in [kernel["kernel"] for kernel in kernels]


# Narrative docs: the MyST tutorial (notebooklite) and the optional gallery.

def lite_notebook(site: Path, path: str) -> list[dict]:
    return json.loads((site / "lite" / "files" / path).read_text())["cells"]


def sources(cells: list[dict]) -> list[str]:
    return ["".join(cell["source"]) for cell in cells]


def test_tutorial_page_opens_its_notebook_in_jupyterlite(built_site):
    page = (built_site / "tutorial.html").read_text()
    assert "window.open('lite/tree/../notebooks/index.html?path=tutorial.ipynb')" in page
    assert "mean reading" in page  # the notebook renders as a page
    cells = lite_notebook(built_site, "tutorial.ipynb")
    # The stripped cell (the button itself) is not in the notebook; the install cell is,
    # before the first code cell, exactly as in the example notebooks.
    assert not any("notebooklite" in cell for cell in sources(cells))
    code = sources([cell for cell in cells if cell["cell_type"] == "code"])
    assert code[0] == "%pip install example-project==0.1.0"
    assert "from example_project import mean, moving_average" in code[1]


def test_gallery_pages_have_jupyterlite_buttons(gallery_site):
    for name in ["smoothing", "growth"]:
        page = (gallery_site / "auto_examples" / f"{name}.html").read_text()
        assert f"lite/notebooks/index.html?path=auto_examples/{name}.ipynb" in page
        cells = lite_notebook(gallery_site, f"auto_examples/{name}.ipynb")
        assert cells[0]["cell_type"] == "markdown" and "built from the same source" in sources(cells)[0]
        first_code = next(cell for cell in cells if cell["cell_type"] == "code")
        assert "".join(first_code["source"]) == "%pip install example-project==0.1.0"
        # No data fetched: no network patch.
        assert not any("pyodide_http" in cell for cell in sources(cells))
    assert (gallery_site / "lite" / "files" / "tutorial.ipynb").is_file()
