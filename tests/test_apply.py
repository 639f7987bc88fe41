"""Apply to an existing repo: only template-owned files are added; one line hooks them in."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (ANSWERS_FILE, ROOT, build_docs, build_project, git, hook_line, render,
                      try_offline)
from harness import local_pyodide

FIXTURE = Path(__file__).parent / "fixtures" / "existing_repo"
PACKAGE = ROOT / "template" / "{{ docs_dir }}" / "interactive_docs"
ANSWERS = {"project_kind": "existing", "project_name": "mylib", "package_name": "mylib",
           "distribution_name": "mylib", "docs_dir": "doc"}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts}


@pytest.fixture
def existing_repo(tmp_path) -> Path:
    """A maintained library with its own docs, workflow and another template's answers."""
    repo = tmp_path / "mylib"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The maintainers' work")
    return repo


def test_copy_adds_only_template_owned_files(copier_template, existing_repo):
    before = snapshot(existing_repo)
    render(copier_template, existing_repo, **ANSWERS)
    after = snapshot(existing_repo)
    # Every pre-existing file is byte-identical; nothing was removed.
    assert {name: after.get(name) for name in before} == before
    added = sorted(set(after) - set(before))
    assert added == sorted([
        ANSWERS_FILE,
        "doc/_static/interactive-docs.css",
        "doc/_static/interactive-docs-worker.js",
        "doc/_static/interactive-docs-editor.js",
        "doc/_static/interactive-docs.js",
        "doc/check_examples.py",
        "doc/check_setup.py",
        # The extension's modules (with the check's), as the template has them.
        "doc/interactive_docs/settings.py",
        *[f"doc/interactive_docs/{module.relative_to(PACKAGE).as_posix()}"
          for module in PACKAGE.rglob("*.py")],
        "doc/interactive_examples.rst",
        "doc/jupyterlite/.gitignore",
        "doc/jupyterlite/README.md",
        "doc/jupyterlite/jupyter-lite.json",
        "doc/jupyterlite/jupyter_lite_config.json",
        "doc/jupyterlite/overrides.json",
        "doc/requirements-interactive.txt",
        "doc/try_examples.json",
        "doc/requirements-check-examples.txt",
        "tools/pyodide-tests/.gitignore",
        "tools/pyodide-tests/package-lock.json",
        "tools/pyodide-tests/package.json",
        "tools/pyodide-tests/run.mjs",
        "tools/pyodide-tests/run.py",
        *[name for name in added if name.startswith(".github/workflows/")],
    ])
    # No user-owned file of a new project sneaked in.
    for name in ["doc/conf.py", "pyproject.toml", "README.md"]:
        assert after[name] == before[name]
    assert not (existing_repo / "src" / "example_project").exists()
    assert not (existing_repo / "doc" / "api.rst").exists()


@pytest.mark.browser
def test_after_one_line_the_docs_have_working_buttons(
        copier_template, existing_repo, docs_python, local_pyodide_dir):
    render(copier_template, existing_repo, **ANSWERS)
    conf = existing_repo / "doc" / "conf.py"
    conf.write_text(conf.read_text() + hook_line() + "\n")
    local_pyodide.install_into_lite_dir(local_pyodide_dir, existing_repo / "doc" / "jupyterlite")
    html, _ = build_project(docs_python, existing_repo, docs_dir="doc")
    index = (html / "index.html").read_text()
    # The maintainers' own button text wins over the template's default.
    assert ">Run mylib here</button>" in index
    result = try_offline(html, "index.html", "mylib-2.3.0-py3-none-any.whl")
    assert result.execution_counts == [1, 2, 3]  # install, module names, the example
    assert "[3, 6, 21]" in result.outputs[-1]



def test_without_the_line_the_example_check_says_what_to_add(copier_template, existing_repo,
                                                           docs_python):
    # The docs still build without the line, but the generated workflow's example check
    # stops the site from shipping and names the missing line.
    render(copier_template, existing_repo, **ANSWERS)
    html, _ = build_project(docs_python, existing_repo, docs_dir="doc")
    assert not (html / "lite").exists()
    result = subprocess.run([sys.executable, str(existing_repo / "doc" / "check_examples.py"),
                             str(html)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "conf.py needs this line" in result.stdout
    assert hook_line() in result.stdout


def test_an_existing_project_is_named_after_its_folder_by_default(copier_template, existing_repo):
    answers = {name: value for name, value in ANSWERS.items() if name != "project_name"}
    render(copier_template, existing_repo, **answers)
    generated = "\n".join(p.read_text() for p in [
        existing_repo / ANSWERS_FILE, existing_repo / "doc" / "jupyterlite" / "jupyter-lite.json",
        existing_repo / "doc" / "interactive_docs" / "settings.py"])
    assert "Example Project" not in generated
    assert '"appName": "mylib examples"' in generated
    assert 'PROJECT_NAME = "mylib"' in generated


def test_docs_without_examples_still_get_the_wheel_or_fail(copier_template, existing_repo,
                                                          docs_python):
    # No Examples anywhere yet: nothing waits for the project's wheel but the site check.
    render(copier_template, existing_repo, **ANSWERS)
    doc = existing_repo / "doc"
    (doc / "index.rst").write_text("mylib\n=====\n\nNo examples yet.\n")
    (doc / "conf.py").write_text((doc / "conf.py").read_text() + hook_line() + "\n")
    html, _ = build_project(docs_python, existing_repo, docs_dir="doc")
    assert not list((html / "lite" / "files").glob("*.ipynb"))
    index = json.loads((html / "lite" / "pypi" / "all.json").read_text())
    assert list(index["mylib"]["releases"]) == ["2.3.0"]

    pyproject = existing_repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('build-backend = "', 'build-backend = "no_'))
    result = build_docs(docs_python, existing_repo, docs_dir="doc")
    assert result.returncode != 0
    assert "Could not build a wheel of mylib" in result.stdout + result.stderr
