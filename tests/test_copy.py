"""Copy: `copier copy` gives a complete project, with every answer where it belongs."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from unittest import mock

import pytest
import yaml

from conftest import ANSWERS_FILE, ROOT, render

# Files the template owns: `copier update` may rewrite them, and their first line says so.
TEMPLATE_OWNED = [
    "docs/interactive_docs/__init__.py",
    "docs/interactive_docs/settings.py",
    "docs/interactive_docs/wheel.py",
    "docs/requirements.txt",
    "docs/jupyterlite/.gitignore",
    "docs/_static/interactive-docs.css",
    "docs/_static/interactive-docs.js",
    "docs/_static/interactive-docs-worker.js",
    "docs/_static/interactive-docs-editor.js",
    "docs/interactive_docs/worker.py",
    "docs/jupyterlite/README.md",
    "docs/check_examples.py",
    *(f"docs/interactive_docs/check/{name}.py"
      for name in ["__init__", "cli", "collect", "judge", "report", "run", "watch"]),
]
HOOK_MARK = "copier-interactive-docs"


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_conf_py(conf: Path) -> dict:
    """Execute a generated conf.py the way Sphinx does and return its settings.

    The generated package is not installed here, so its version lookup answers "0.1.0".
    """
    namespace = {"__file__": str(conf)}
    with mock.patch("importlib.metadata.version", return_value="0.1.0"):
        exec(compile(conf.read_text(), str(conf), "exec"), namespace)
    return namespace


def test_defaults_need_no_trust(copier_template, tmp_path):
    # The command a user types, with no --trust: safe to run, nothing executes.
    dest = tmp_path / "project"
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--defaults", str(copier_template), str(dest)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (dest / "docs" / "conf.py").is_file()
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert not {"_tasks", "_jinja_extensions", "_migrations", "_external_data"} & set(config)


def test_defaults_give_a_complete_project(default_project):
    files = set(tree(default_project))
    for expected in [
        "pyproject.toml", "README.md", ".gitattributes", ".gitignore", ANSWERS_FILE,
        "src/example_project/__init__.py", "src/example_project/stats.py",
        "tests/test_example_project.py",
        "docs/conf.py", "docs/index.rst", "docs/api.rst", "docs/try_examples.json",
        "docs/jupyterlite/jupyter-lite.json", "docs/jupyterlite/jupyter_lite_config.json",
        "docs/jupyterlite/overrides.json", *TEMPLATE_OWNED,
    ]:
        assert expected in files
    # Our own answers file, so another copier template's answers stay untouched.
    assert ".copier-answers.yml" not in files
    answers = yaml.safe_load((default_project / ANSWERS_FILE).read_text())
    assert answers["package_name"] == "example_project"
    assert answers["kernel"] == "pyodide"


def test_generated_files_are_valid(default_project):
    for path in default_project.rglob("*"):
        if path.suffix == ".py":
            compile(path.read_text(), str(path), "exec")
        elif path.suffix == ".json":
            json.loads(path.read_text())
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text())
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text())


def test_template_owned_files_say_so(default_project):
    for name in TEMPLATE_OWNED:
        first_line = (default_project / name).read_text().splitlines()[0]
        assert "Managed by copier-interactive-docs" in first_line, name


def test_conf_py_is_hooked_in_by_one_marked_line(default_project):
    conf = (default_project / "docs" / "conf.py").read_text()
    code = [line for line in conf.splitlines() if not line.startswith("#")]
    hook = [line for line in code if "interactive_docs" in line]
    assert len(hook) == 1 and hook[0].endswith(f"# {HOOK_MARK}")
    # The same line an existing project is told to add.
    message = yaml.safe_load((ROOT / "copier.yml").read_text())["_message_after_copy"]
    assert hook[0] in message
    settings = run_conf_py(default_project / "docs" / "conf.py")
    assert settings["extensions"][-1] == "interactive_docs"
    assert settings["html_theme"] == "pydata_sphinx_theme"


def test_doc_requirements_are_pinned(default_project):
    text = (default_project / "docs" / "requirements.txt").read_text()
    pins = dict(line.split("==") for line in text.splitlines() if line and not line.startswith("#"))
    assert set(pins) == {"sphinx", "numpydoc", "pydata-sphinx-theme", "myst-nb", "hatchling",
                         "jupytext", "jupyterlite-sphinx", "jupyterlite-core", "libarchive-c",
                         "jupyterlite-pyodide-kernel"}
    # The comment names the Pyodide version that the kernel pin brings.
    from harness.local_pyodide import pyodide_version
    assert f"jupyterlite-pyodide-kernel {pins['jupyterlite-pyodide-kernel']} brings" in text
    assert f"Pyodide {pyodide_version()}" in text


def test_try_examples_and_lite_settings(default_project):
    docs = default_project / "docs"
    try_examples = json.loads((docs / "try_examples.json").read_text())
    assert int(try_examples["global_min_height"].removesuffix("px")) >= 400
    assert try_examples["ignore_patterns"] == []
    lite_config = json.loads((docs / "jupyterlite" / "jupyter_lite_config.json").read_text())
    assert lite_config["LiteBuildConfig"]["no_sourcemaps"] is True
    overrides = json.loads((docs / "jupyterlite" / "overrides.json").read_text())
    toolbar = overrides["@jupyterlab/notebook-extension:panel"]["toolbar"]
    assert any(item["command"] == "docmanager:download" for item in toolbar)
    # What a build writes is ignored (test_build checks the tree stays clean).
    assert {"pypi/", ".cache/"} <= set((docs / "jupyterlite" / ".gitignore").read_text().split())
    assert "docs/_build/" in (default_project / ".gitignore").read_text().split()
    assert "eol=lf" in (default_project / ".gitattributes").read_text()


def test_rendering_twice_gives_identical_trees(copier_template, tmp_path):
    first = render(copier_template, tmp_path / "one")
    second = render(copier_template, tmp_path / "two")
    assert tree(first) == tree(second)


ANSWERS = {
    "project_name": "Signal Tools",
    "package_name": "sigtools",
    "distribution_name": "signal-tools",
    "description": "Filters and spectra for 1-D signals.",
    "author": "Ada Lovelace",
    "repository_url": "https://github.com/ada/signal-tools",
    "docs_dir": "doc/source",
    "button_text": "Run this example",
    "warning_text": "Runs in your browser.",
    "example_preamble": "import numpy as np\nimport sigtools as st",
    "ignore_patterns": ["generated/.*_private", "legacy"],
    "theme": "furo",
}


def test_every_answer_lands_where_it_belongs(copier, tmp_path):
    # pytest-copier renders with answers; its answers helpers expect .copier-answers.yml,
    # so the assertions read the generated files themselves.
    project = copier.copy(tmp_path / "project", **ANSWERS).path
    docs = project / "doc" / "source"
    settings = run_conf_py(docs / "conf.py")
    assert settings["project"] == "Signal Tools"
    assert settings["author"] == "Ada Lovelace"
    assert settings["html_theme"] == "furo"
    assert settings["html_theme_options"]["source_repository"] == ANSWERS["repository_url"]
    # furo's "View this page" link names the branch and folder (without them: "blob//index.rst").
    assert settings["html_theme_options"]["source_branch"] == "main"
    assert settings["html_theme_options"]["source_directory"] == "doc/source/"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "signal-tools"
    assert pyproject["project"]["description"] == ANSWERS["description"]
    assert pyproject["project"]["authors"] == [{"name": "Ada Lovelace"}]
    assert pyproject["project"]["urls"]["Source"] == ANSWERS["repository_url"]
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/sigtools"]
    assert (project / "src" / "sigtools" / "stats.py").is_file()
    assert "from sigtools import mean" in (project / "src" / "sigtools" / "stats.py").read_text()
    assert json.loads((docs / "try_examples.json").read_text())["ignore_patterns"] == ANSWERS["ignore_patterns"]
    assert "furo==" in (docs / "requirements.txt").read_text()
    assert "pydata" not in (docs / "requirements.txt").read_text()
    assert ".. currentmodule:: sigtools" in (docs / "api.rst").read_text()
    # The extension's settings find the project two levels up, and carry the texts.
    settings = run_conf_py(docs / "interactive_docs" / "settings.py")
    assert (docs / settings["PROJECT_ROOT"]).resolve() == project.resolve()
    assert settings["DISTRIBUTION"] == "signal-tools"
    assert settings["BUTTON_TEXT"] == "Run this example"
    assert settings["WARNING_TEXT"] == "Runs in your browser."
    assert settings["PREAMBLE"] == "import numpy as np\nimport sigtools as st"
    lite = json.loads((docs / "jupyterlite" / "jupyter-lite.json").read_text())
    assert lite["jupyter-config-data"]["contentsStorageName"] == "signal-tools-docs"
    assert not (project / "docs").exists()


def test_xeus_kernel_gets_an_environment_and_its_own_requirements(copier_template, tmp_path):
    project = render(copier_template, tmp_path / "project", kernel="xeus")
    environment = yaml.safe_load((project / "docs" / "jupyterlite" / "environment.yml").read_text())
    assert environment["name"] == "example-project-docs"
    assert environment["channels"] == ["https://prefix.dev/emscripten-forge-4x",
                                       "https://prefix.dev/conda-forge"]
    assert "xeus-python" in environment["dependencies"]
    # The project itself, from the checkout: the environment file's folder is two levels down.
    pip = next(dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict))
    assert (project / "docs" / "jupyterlite" / pip[0]).resolve() == project.resolve()
    requirements = (project / "docs" / "requirements.txt").read_text()
    assert "jupyterlite-xeus==" in requirements
    assert "jupyterlite-pyodide-kernel==" not in requirements
    docs_group = tomllib.loads((project / "pyproject.toml").read_text())["dependency-groups"]["docs"]
    assert "jupyterlite-xeus>=5.1" in docs_group
    assert not any(dep.startswith("jupyterlite-pyodide-kernel") for dep in docs_group)


def test_pyodide_kernel_has_no_environment_file(default_project):
    assert not (default_project / "docs" / "jupyterlite" / "environment.yml").exists()
    assert "jupyterlite-xeus" not in (default_project / "docs" / "requirements.txt").read_text()
