"""The extension package the template owns (interactive_docs/), imported and tested as is.

Its code is the same Python for every answer; the answers reach it through settings.py,
which these tests write as the template would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "template" / "{{ docs_dir }}" / "interactive_docs"
SETTINGS = {"KERNEL": "pyodide", "PACKAGE_KIND": "pure", "PROJECT_NAME": "Signal Tools",
            "DISTRIBUTION": "signal-tools", "PROJECT_ROOT": "..",
            "REQUIREMENTS": "requirements.txt", "BUTTON_TEXT": "Try it",
            "WARNING_TEXT": "Experimental.", "PREAMBLE": "", "RUNNER": "in-page"}


@pytest.fixture
def extension(tmp_path, monkeypatch):
    """Import the package from a docs folder whose settings.py holds the given answers."""

    def load(**answers):
        docs = tmp_path / "docs"
        shutil.copytree(PACKAGE, docs / "interactive_docs",
                        ignore=shutil.ignore_patterns("*.jinja", "__pycache__"))
        (docs / "interactive_docs" / "settings.py").write_text("".join(
            f"{name} = {value!r}\n" for name, value in {**SETTINGS, **answers}.items()))
        monkeypatch.syspath_prepend(str(docs))
        for name in [n for n in sys.modules if n.split(".")[0] == "interactive_docs"]:
            monkeypatch.delitem(sys.modules, name)
        import interactive_docs

        return interactive_docs

    return load


def test_every_module_but_the_settings_is_copied_as_is(default_project):
    assert [p.name for p in PACKAGE.rglob("*.jinja")] == ["settings.py.jinja"]
    generated = default_project / "docs" / "interactive_docs"
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))
    assert "check/judge.py" in modules  # the example check's modules too
    assert sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*.py")) == sorted(
        [*modules, "settings.py"])
    for name in modules:
        assert (generated / name).read_bytes() == (PACKAGE / name).read_bytes(), name


def test_the_extension_loads_no_playwright_and_the_check_no_sphinx(extension):
    extension()  # a docs folder with settings.py
    docs = next(path for path in map(Path, sys.path) if (path / "interactive_docs").is_dir())

    def loaded(*modules: str) -> set[str]:
        """Which of Sphinx and Playwright a fresh Python has loaded after importing these."""
        code = (f"import sys; sys.path.insert(0, {str(docs)!r}); import {', '.join(modules)}; "
                "print(*sorted({'sphinx', 'playwright'} & set(sys.modules)))")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return set(result.stdout.split())

    # What Sphinx loads: the extension and the modules its setup() imports.
    extension_modules = [f"interactive_docs.{name}"
                         for name in ["config", "notebooks", "site", "wheel", "xeus"]]
    assert loaded("interactive_docs", *extension_modules) == {"sphinx"}
    # The check's verdicts and report: where only Playwright is installed, and unit tests.
    check = [f"interactive_docs.check.{name}"
             for name in ["cli", "collect", "judge", "report", "watch"]]
    assert loaded(*check) == set()
    # Negative control: the module that runs the examples does load Playwright.
    assert loaded("interactive_docs.check.run") == {"playwright"}


@pytest.mark.parametrize("filename", [
    "signal_tools-1.0-py3-none-any.whl",
    "signal_tools-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
])
def test_wheels_the_kernel_can_install_are_taken(extension, filename):
    extension().wheel.check_tags(filename)


@pytest.mark.parametrize("filename, tag", [
    ("signal_tools-1.0-cp311-cp311-linux_x86_64.whl", "cp311-cp311-linux_x86_64"),
    ("signal_tools-1.0-cp313-cp313-pyodide_2025_0_wasm32.whl", "cp313-cp313-pyodide_2025_0_wasm32"),
    ("signal_tools-1.0-cp313-cp313-pyemscripten_2026_0_wasm32.whl",
     "cp313-cp313-pyemscripten_2026_0_wasm32"),
])
def test_a_wheel_for_another_platform_is_refused_naming_both_tags(extension, filename, tag):
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError) as error:
        extension().wheel.check_tags(filename)
    assert f"{filename} is tagged {tag}, but the docs kernel's Pyodide 314.0.6 installs " \
           "cp314-cp314-pyemscripten_2026_0_wasm32 (or pure py3-none-any) wheels" in str(error.value)


def test_the_wheel_is_found_in_a_folder_and_must_be_alone(extension, tmp_path):
    from sphinx.errors import ExtensionError

    wheel = extension().wheel
    folder = tmp_path / "dist"
    folder.mkdir()
    (folder / "other-1.0-py3-none-any.whl").touch()
    with pytest.raises(ExtensionError, match="Expected one wheel of signal-tools"):
        wheel.find_wheel(folder)
    (folder / "signal_tools-1.0-py3-none-any.whl").touch()
    assert wheel.find_wheel(folder).name == "signal_tools-1.0-py3-none-any.whl"
    (folder / "signal_tools-0.9-py3-none-any.whl").touch()
    with pytest.raises(ExtensionError, match="found \\['signal_tools-0.9"):
        wheel.find_wheel(folder)
    with pytest.raises(ExtensionError, match="does not exist"):
        wheel.find_wheel(tmp_path / "missing.whl")


def test_the_warning_says_whether_the_example_runs_the_documented_version(extension):
    config = extension().config
    synced = config.defaults(True)["try_examples_global_warning_text"]
    assert synced == ("This example runs in your browser with Signal Tools built from the same "
                      "source as this page. Experimental.")
    unsynced = config.defaults(False)["try_examples_global_warning_text"]
    assert "whose version may differ from the one this page documents. Experimental." in unsynced


def test_doctest_module_is_where_the_object_is_defined(extension, tmp_path, monkeypatch):
    notebooks = extension().notebooks
    package = tmp_path / "lib" / "sigpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .core import smooth, Filter\n")
    (package / "core.py").write_text(textwrap.dedent("""
        class Filter:
            def apply(self): pass
            @property
            def order(self): return 1
        def smooth(): pass
    """))
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    assert notebooks.doctest_module("sigpkg.smooth") == "sigpkg.core"  # re-exported
    assert notebooks.doctest_module("sigpkg.core.Filter.apply") == "sigpkg.core"
    assert notebooks.doctest_module("sigpkg.Filter.order") == "sigpkg.core"  # a property
    assert notebooks.doctest_module("sigpkg") == "sigpkg"
    assert notebooks.doctest_module("no_such_package.thing") is None


def test_example_notebooks_get_install_names_preamble_then_the_example(extension):
    notebooks = extension(PREAMBLE="import numpy as np").notebooks
    lines = [">>> smooth([1, 2])", "[1.5]", "", ">>> boom()", "Traceback (most recent call last):",
             "ValueError: no"]
    notebook = notebooks.example_notebook(
        lines, "Careful.", "json.dumps", notebooks.preamble("import numpy as np", "import os\n"))
    cells = notebook["cells"]
    assert [cell["id"] for cell in cells] == [
        "cell-0", "install-project", "doctest-namespace", "preamble", "cell-1", "cell-2"]
    assert "Careful." in notebooks.source(cells[0])
    assert notebooks.source(cells[1]) == "%pip install signal-tools"
    assert "import json as _module" in notebooks.source(cells[2])
    assert notebooks.source(cells[3]) == "import numpy as np\nimport os"
    assert cells[4]["metadata"] == {}
    assert cells[5]["metadata"] == {"tags": ["raises-exception"]}  # Run All goes on past it
    json.dumps(notebook)


def test_xeus_notebooks_have_no_install_cell(extension):
    notebooks = extension(KERNEL="xeus").notebooks
    cells = notebooks.example_notebook([">>> 1 + 1", "2"], None, "", "")["cells"]
    assert [cell["id"] for cell in cells] == ["cell-0"]


def test_notebook_names_are_stable_and_distinct(extension):
    name = extension().notebooks.notebook_name
    same = name("api/generated/sig.smooth", "sig.core.smooth", [">>> smooth()"])
    assert same == name("api/generated/sig.smooth", "sig.core.smooth", [">>> smooth()"])
    assert same.startswith("sig.core.smooth-") and same.endswith(".ipynb")
    assert len({same, name("api/generated/sig.smooth", "sig.core.other", [">>> smooth()"]),
                name("api/other", "sig.core.smooth", [">>> smooth()"]),
                name("api/generated/sig.smooth", "sig.core.smooth", [">>> smooth(1)"])}) == 4
    assert name("tutorials/intro", "", [">>> 1"]).startswith("tutorials_intro-")


def test_notebooks_that_fetch_data_get_the_network_patch_once(extension):
    package = extension()
    package.wheel._state.version = "0.1.0"
    cell = {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": None}
    fetching = {"cells": [{"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# Data"},
                          {**cell, "source": "import urllib.request\nurllib.request.urlopen(URL)"}]}
    package.notebooks.state.warning = "Careful."
    package.gallery_notebook(fetching, "data.ipynb")
    sources = [package.notebooks.source(c) for c in fetching["cells"]]
    assert "Careful." in sources[0]
    assert sources[2:4] == ["%pip install signal-tools==0.1.0", package.notebooks.PATCH_NETWORK]
    # Idempotent on a second build: one install cell, refreshed to the new version.
    package.wheel._state.version = "0.2.0"
    package.notebooks.install_first(fetching)
    sources = [package.notebooks.source(c) for c in fetching["cells"]]
    assert [s for s in sources if s.startswith("%pip install")] == [
        "%pip install signal-tools==0.2.0", package.notebooks.PATCH_NETWORK]
    # A compiled project without a Pyodide wheel installs whatever version there is.
    package.wheel._state.version = None
    package.notebooks.install_first(fetching)
    assert package.notebooks.source(fetching["cells"][2]) == "%pip install signal-tools"


def test_settings_that_defeat_the_template_get_one_line_each(extension, tmp_path):
    from types import SimpleNamespace

    config = extension().config
    requirements = tmp_path / "requirements-interactive.txt"
    requirements.write_text("jupyterlite-sphinx==0.23.0\njupyterlite-pyodide-kernel==0.8.6\n")
    hand_written = SimpleNamespace(
        jupyterlite_silence=True,
        try_examples_global_warning_text="These examples may not be in sync with the release.")
    chosen = {"jupyterlite_silence", "try_examples_global_warning_text"}
    lines = config.advisories(hand_written, chosen, True, requirements)
    assert [line.split(" ", 2)[1] for line in lines] == [
        "jupyterlite_silence", "try_examples_global_warning_text"]
    assert all(line.startswith("interactive_docs: ") and "\n" not in line for line in lines)
    # Unsynced (a compiled project without a Pyodide wheel), the text is right.
    assert len(config.advisories(hand_written, chosen, False, requirements)) == 1
    # The template's defaults, or values the user did not set, give none.
    assert config.advisories(hand_written, set(), True, requirements) == []
    # The kernel installed here (0.8.6) against another pin.
    requirements.write_text("jupyterlite-pyodide-kernel==0.5.1\n")
    assert config.advisories(hand_written, set(), True, requirements) == [
        "interactive_docs: jupyterlite-pyodide-kernel 0.8.6 is installed, but "
        "requirements-interactive.txt pins 0.5.1: readers would run another Python than the "
        "one the examples are tested with; install the pinned one (and drop other pins of "
        "jupyterlite-pyodide-kernel from your requirements)."]


def test_in_page_buttons_keep_jupyterlite_one_click_away(extension):
    from docutils import nodes

    notebooks = extension().notebooks
    lite = ("window.tryExamplesShowIframe('try-examples-0-0','try-examples-0-1',"
            "'try-examples-0-2','../lite/tree/../notebooks/index.html?path=f-0123.ipynb','None')")
    container = nodes.container(ids=["try-examples-0-0"])
    container += nodes.raw("", '<div class="try_examples_button_container"><button class="'
                           f'try_examples_button" onclick="{lite}">Try it</button></div>',
                           format="html")
    other = nodes.raw("", '<button class="try_examples_button" onclick="x()">Go Back</button>',
                      format="html")
    [changed, unchanged] = notebooks.in_page_button([container, other], "../lite/files/f-0123.ipynb")
    html = changed.children[0].astext()
    assert html == (
        '<div class="try_examples_button_container">'
        '<button class="try_examples_button interactive-docs-try" type="button" '
        'data-notebook="../lite/files/f-0123.ipynb">Try it</button>'
        '<button class="try_examples_button interactive-docs-lite" type="button" '
        f'onclick="{lite}">Open in JupyterLite</button></div>')
    assert unchanged.astext() == other.astext()


@pytest.mark.parametrize("kernel, runner, allowed", [
    ("pyodide", "sideways", "'in-page' or 'jupyterlite'"),
    ("xeus", "in-page", "'jupyterlite' (the in-page runner needs the Pyodide kernel)")])
def test_an_unknown_runner_stops_the_build(extension, kernel, runner, allowed):
    from types import SimpleNamespace

    from sphinx.errors import ConfigError

    config = extension(KERNEL=kernel).config
    with pytest.raises(ConfigError) as error:
        config.set_defaults(None, SimpleNamespace(interactive_docs_runner=runner))
    assert str(error.value) == f"interactive_docs_runner = {runner!r}: use {allowed}"
