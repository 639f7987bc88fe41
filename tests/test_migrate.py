"""Migrate: a library with interactive docs configured by hand (as NumPy, SciPy, PyWavelets
have them) moves onto the template by the README's steps, and keeps what is its own."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import build_project, commit_all, git, hook_line, render, try_offline
from harness import local_pyodide

FIXTURE = Path(__file__).parent / "fixtures" / "adopter_repo"
# The README's step: drop these pins from the project's own docs requirements.
OWN_PINS = ("jupyterlite-sphinx==", "jupyterlite-pyodide-kernel==")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts}


def resolve(python: Path, repo: Path) -> subprocess.CompletedProcess:
    """The install line printed after the copy, resolved without installing."""
    return subprocess.run(
        [str(python), "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--disable-pip-version-check", "-r", "doc/requirements-interactive.txt",
         "-r", "doc/requirements.txt"], cwd=repo, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def adopter(copier_template, tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    repo = tmp_path_factory.mktemp("adopter") / "wavelib"
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q")
    commit_all(repo, "Interactive docs by hand")
    before = snapshot(repo)
    render(copier_template, repo, project_kind="existing", package_name="wavelib",
           docs_dir="doc", wasm_workflow=False)
    return repo, before


def test_the_copy_adds_no_second_webassembly_workflow(adopter):
    repo, before = adopter
    workflows = sorted(p.name for p in (repo / ".github" / "workflows").iterdir())
    assert workflows == ["emscripten.yml", "interactive-docs-check.yml",
                         "interactive-docs-watch.yml", "interactive-docs.yml"]
    assert not (repo / "tools").exists()
    assert {name: snapshot(repo)[name] for name in before} == before


@pytest.mark.browser
def test_after_the_readme_steps_the_docs_build_with_advisories_and_run(
        adopter, docs_python, local_pyodide_dir, tmp_path):
    fresh, before = adopter
    repo = tmp_path / "wavelib"
    shutil.copytree(fresh, repo)
    # Negative control: with the project's own kernel pin, the install line cannot resolve.
    refused = resolve(docs_python, repo)
    assert refused.returncode != 0 and "ResolutionImpossible" in refused.stderr
    # The README's steps: drop the project's own jupyterlite pins, add the conf.py line.
    requirements = repo / "doc" / "requirements.txt"
    requirements.write_text("".join(line for line in requirements.read_text().splitlines(True)
                                    if not line.startswith(OWN_PINS)))
    conf = repo / "doc" / "conf.py"
    conf.write_text(conf.read_text() + hook_line() + "\n")
    resolved = resolve(docs_python, repo)
    assert resolved.returncode == 0, resolved.stderr

    local_pyodide.install_into_lite_dir(local_pyodide_dir, repo / "doc" / "jupyterlite")
    html, _ = build_project(docs_python, repo, docs_dir="doc")
    # Once more, in place, to read what it prints: pages not read again keep their notebooks.
    build = subprocess.run(
        [str(docs_python), "-m", "sphinx", "-W", "--keep-going", "-b", "html", "doc",
         "doc/_build/html"], cwd=repo, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0
    advisories = [line for line in build.stdout.splitlines() if line.startswith("interactive_docs: ")]
    assert [line.split(" ", 2)[1] for line in advisories] == [
        "jupyterlite_silence", "try_examples_global_warning_text"], advisories

    # The project's own try_examples.json (600 px) and warning text still hold.
    assert json.loads((html / "try_examples.json").read_text())["global_min_height"] == "600px"
    notebook = next((html / "lite" / "files").glob("wavelib.haar-*.ipynb")).read_text()
    assert "may not be in sync with the latest release" in notebook
    result = try_offline(html, "index.html", "wavelib-1.4.0-py3-none-any.whl")
    assert "haar [3.0, 5.0, 1.0, 0.0]" in result.stdout[-1]

    # Every file the maintainers had is as it was, but the two lines the README changes.
    after = snapshot(repo)
    assert after["doc/conf.py"] == before["doc/conf.py"] + (hook_line() + "\n").encode()
    assert after["doc/requirements.txt"] == b"sphinx==9.0.4\nnumpydoc==1.11.0\n"
    assert {n: after[n] for n in before if n not in {"doc/conf.py", "doc/requirements.txt"}} == {
        n: b for n, b in before.items() if n not in {"doc/conf.py", "doc/requirements.txt"}}
