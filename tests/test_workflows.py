"""The generated docs workflow runs here, job by job, as GitHub would run it.

For a new project and for existing projects laid out as real libraries are (docs requirements
in a pyproject extra with a `make html` that writes a page before Sphinx runs, a dependency
group with the docs in docs/source, a compiled package given its Pyodide wheel), the docs
workflow's build job and the example check it calls run here (harness/workflow.py): every
`run:` step for real, in order, in a fresh venv; checkout, setup-python and artifacts stood
in for; only the steps that download from outside skipped, and listed. The site the check
runs is the one the project's own build command wrote, with the local Pyodide in place of
the CDN's.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from copier import run_copy

from conftest import CACHE, hook_line, render
from test_ci import OWN_WASM_WORKFLOW
from harness import local_pyodide
from harness.workflow import JobRun, Runner

# Two groups, one per xdist worker: the new project's runs share their build.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("workflows")]
existing_layout = pytest.mark.xdist_group("workflows-existing")

FIXTURES = Path(__file__).parent / "fixtures"
# The pip cache is this machine's stand-in for a runner's warm mirror of PyPI.
ENV = {"PIP_CACHE_DIR": str(CACHE / "pip"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
CHROMIUM_STEP = "Install Playwright's Chromium: downloads from outside"


def documented_examples(package: Path) -> int:
    """How many numpydoc Examples sections the package's docstrings have: what must run."""
    count = 0
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node) or ""
                count += "\nExamples\n--------\n" in doc
    return count


def existing_project(template: Path, fixture: str, dest: Path, local_pyodide_dir: Path,
                     docs_dir: str, **answers) -> Path:
    """The fixture with the template applied as its README says, the one conf.py line added,
    and the local Pyodide standing in for the CDN's."""
    repo = dest / fixture
    shutil.copytree(FIXTURES / fixture, repo)
    render(template, repo, project_kind="existing", docs_dir=docs_dir, **answers)
    conf = repo / docs_dir / "conf.py"
    conf.write_text(conf.read_text() + hook_line() + "\n")
    local_pyodide.install_into_lite_dir(local_pyodide_dir, repo / docs_dir / "jupyterlite")
    return repo


def run_docs_workflow(repo: Path, workflow: str, python: Path | None = None) -> tuple[JobRun, Runner]:
    """The docs workflow's build job, then its check job (the workflow it calls)."""
    runner = Runner(workspace=repo, artifacts=repo.parent / "artifacts", python=python, env=ENV)
    path = repo / ".github" / "workflows" / workflow
    build = runner.run_job(path, "build")
    if not build.ok:
        return build, runner
    build.add(runner.run_job(path, "check"))
    return build, runner


def assert_checked(job: JobRun, runner: Runner, examples: int) -> None:
    """The job passed, ran every step but the one download, and checked every example."""
    assert job.ok, job.output[-6000:]
    assert job.skipped == [CHROMIUM_STEP]
    assert {"Check the interactive docs' setup", "Install the project and its docs requirements",
            "Build the docs", "Run every example, and click the buttons of a page of each kind"
            } <= set(job.ran), job.ran
    assert f"{examples} examples: {examples} ran, 0 failed, 0 hidden." in job.output
    assert "Every interactive example ran." in job.output
    summary = (runner.artifacts / "step-summary.md").read_text()
    assert f"{examples} examples: {examples} ran" in summary
    junit = (runner.artifacts / "check-examples-junit-1" / "check-examples.xml").read_text()
    # A test case per example; narrative pages (the tutorial) have their own.
    assert junit.count("<testcase") - junit.count('page\'s cells"') == examples


@pytest.fixture(scope="module")
def new_project_run(default_project, local_pyodide_dir, tmp_path_factory):
    project = tmp_path_factory.mktemp("workflow-new") / "project"
    shutil.copytree(default_project, project)
    local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
    job, runner = run_docs_workflow(project, "docs.yml")
    return project, job, runner


def test_a_new_projects_docs_job_builds_and_checks_every_example(new_project_run):
    project, job, runner = new_project_run
    assert_checked(job, runner, documented_examples(project / "src"))
    # The site that was checked is the one the build wrote, and the one deployed.
    assert (runner.artifacts / "github-pages" / "index.html").is_file()
    assert (runner.artifacts / "docs-html" / "lite" / "pypi" / "all.json").is_file()


def test_a_raising_example_fails_the_docs_job(new_project_run, tmp_path):
    # The negative control: the same job, with one example that raises, fails at the check
    # and names the example.
    source, passed, runner = new_project_run
    project = tmp_path / "project"
    shutil.copytree(source, project, ignore=shutil.ignore_patterns("_build"))
    stats = project / "src" / "example_project" / "stats.py"
    text = stats.read_text()
    stats.write_text(text.replace(">>> print(fibonacci(10))",
                                  ">>> 1 / 0\n    >>> print(fibonacci(10))"))
    assert stats.read_text() != text
    # The build job's venv, already installed: only the site differs.
    job, _ = run_docs_workflow(project, "docs.yml", python=runner.artifacts.parent / "venvs" / "0")
    assert job.failed == ("Run every example, and click the buttons of a page of each kind "
                          "(exit code 1)"), job.output[-4000:]
    assert "Build the docs" in job.ran
    assert "example_project.fibonacci" in job.output
    assert "ZeroDivisionError" in job.output


@existing_layout
def test_an_extra_and_make_html_build_the_site_as_the_project_does(
        copier_template, local_pyodide_dir, tmp_path):
    repo = existing_project(
        copier_template, "extra_make_repo", tmp_path, local_pyodide_dir, "doc", project_name="tidelib",
        package_name="tidelib", docs_install='python -m pip install ".[doc]"',
        docs_build="make -C doc html", docs_html="doc/build/html")
    job, runner = run_docs_workflow(repo, "interactive-docs.yml")
    assert_checked(job, runner, documented_examples(repo / "src"))
    # The page make html generated before Sphinx ran is in the checked site, with its buttons.
    api = (repo / "doc" / "build" / "html" / "api.html").read_text()
    assert api.count("interactive-docs-try") == 2
    # pydata-sphinx-theme came from the project's own extra.
    assert "pydata-sphinx-theme" in (repo / "doc" / "build" / "html" / "index.html").read_text()


@existing_layout
def test_a_dependency_group_and_docs_source(
        copier_template, local_pyodide_dir, tmp_path):
    repo = existing_project(
        copier_template, "group_repo", tmp_path, local_pyodide_dir, "docs/source", project_name="gridlib",
        package_name="gridlib", docs_install="python -m pip install --group docs .",
        docs_build="sphinx-build -W -b html docs/source docs/build/html",
        docs_html="docs/build/html")
    job, runner = run_docs_workflow(repo, "interactive-docs.yml")
    assert_checked(job, runner, documented_examples(repo / "src"))
    assert "furo" in (repo / "docs" / "build" / "html" / "index.html").read_text()


@existing_layout
def test_a_compiled_project_builds_with_its_pyodide_wheel(
        copier_template, local_pyodide_dir, tmp_path):
    repo = existing_project(
        copier_template, "compiled_repo", tmp_path, local_pyodide_dir, "doc", project_name="cmod",
        package_name="cmod", package_kind="compiled", wasm_workflow=False,
        pyodide_wheel_workflow="emscripten.yml",
        docs_install="python -m pip install . sphinx==9.0.4 numpydoc==1.11.0",
        docs_build="sphinx-build -W -b html doc doc/_build/html")
    (repo / ".github" / "workflows" / "emscripten.yml").write_text(OWN_WASM_WORKFLOW)
    # The wasm job cross-compiles with cibuildwheel, which cannot run here: a pure wheel of the
    # same project stands in for its pyodide-wheel artifact (same code path in the docs).
    wheels = tmp_path / "artifacts" / "pyodide-wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(repo)], check=True, env={**os.environ, "CMOD_PURE": "1"})
    [wheel] = [w.name for w in wheels.glob("*.whl")]
    assert wheel.endswith("-py3-none-any.whl")
    job, runner = run_docs_workflow(repo, "interactive-docs.yml")
    assert_checked(job, runner, documented_examples(repo / "src"))
    # The examples install that wheel, from the site.
    assert (repo / "doc" / "_build" / "html" / "lite" / "pypi" / wheel).is_file()


def test_a_projects_own_docs_job_calls_the_check_on_its_site(new_project_run, copier_template,
                                                            tmp_path):
    # docs_ci=own: no second build. The project's docs job uploaded its site (here: the one
    # the docs job above built); the reusable check runs it in two shares that together run
    # every example once.
    source, built, runner = new_project_run
    repo = tmp_path / "mylib"
    shutil.copytree(source, repo, ignore=shutil.ignore_patterns("_build", ".github"))
    # The template applied again, as an existing project's: its own files are rewritten.
    run_copy(str(copier_template), repo, defaults=True, overwrite=True, unsafe=False, quiet=True,
             data={"project_kind": "existing", "package_name": "example_project",
                   "docs_ci": "own", "check_jobs": 2})
    workflows = repo / ".github" / "workflows"
    assert not (workflows / "interactive-docs.yml").exists()
    artifacts = tmp_path / "artifacts"
    shutil.copytree(runner.artifacts / "docs-html", artifacts / "docs-html")
    own = Runner(workspace=repo, artifacts=artifacts, env=ENV)
    job = own.run_job(workflows / "interactive-docs-check.yml", "check",
                      inputs={"artifact": "docs-html"})
    assert job.ok, job.output[-4000:]
    assert job.skipped == [CHROMIUM_STEP] * 2
    examples = documented_examples(repo / "src")
    cases = [case for shard in (1, 2) for case in re.findall(
        r'<testcase [^>]*name="([^"]+)"',
        (artifacts / f"check-examples-junit-{shard}" / "check-examples.xml").read_text())
        if not case.endswith("page's cells")]  # the tutorial's
    assert len(cases) == len(set(cases)) == examples
