"""Apply to repos shaped like real scientific libraries: a compiled package, a package with a
runtime dependency whose examples are written for ``pytest --doctest-modules``.

Each is an existing repo, given the template in existing-project mode and the one conf.py
line, then built for real and run in the offline browser.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE, commit_all, git, hook_line, pip_install, render, try_offline
from harness import local_pyodide, local_pypi

pytestmark = pytest.mark.xdist_group("libraries")

FIXTURES = Path(__file__).parent / "fixtures"


def existing(fixture: str, template: Path, dest: Path, local_pyodide_dir: Path,
             **answers) -> Path:
    """The fixture as a git repo, with the template applied and hooked into doc/conf.py."""
    repo = dest / fixture
    shutil.copytree(FIXTURES / fixture, repo)
    git(repo, "init", "-q")
    commit_all(repo, "The maintainers' work")
    render(template, repo, project_kind="existing", docs_dir="doc", **answers)
    conf = repo / "doc" / "conf.py"
    conf.write_text(conf.read_text() + hook_line() + "\n")
    local_pyodide.install_into_lite_dir(local_pyodide_dir, repo / "doc" / "jupyterlite")
    return repo


def sphinx(python: Path, repo: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "sphinx", "-W", "--keep-going", "-b", "html", "doc",
         "doc/_build/html"], capture_output=True, text=True, timeout=900, cwd=repo,
        env={**os.environ, **env})


def example_notebook(html: Path) -> list[str]:
    notebook = next((html / "lite" / "files").glob("cmod.total-*.ipynb"))
    return ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]


# A compiled package (a C extension built by setuptools).

@pytest.fixture(scope="module")
def compiled_repo(copier_template, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    repo = existing("compiled_repo", copier_template, tmp_path_factory.mktemp("compiled"),
                    local_pyodide_dir, project_name="cmod", package_name="cmod",
                    distribution_name="cmod", package_kind="compiled")
    pip_install(docs_python, "--no-deps", "--force-reinstall", str(repo))  # compiles it here
    return repo


@pytest.fixture(scope="module")
def compiler_trap(tmp_path_factory) -> tuple[dict, Path]:
    """A C compiler that records that it was called, and fails."""
    folder = tmp_path_factory.mktemp("trap")
    marker = folder / "called"
    trap = folder / "cc"
    trap.write_text(f"#!/bin/sh\necho \"$@\" >> {marker}\nexit 1\n")
    trap.chmod(0o755)
    return {"CC": str(trap), "LDSHARED": f"{trap} -shared"}, marker


def test_compiled_without_a_pyodide_wheel_builds_and_says_so(compiled_repo, docs_python,
                                                            compiler_trap, tmp_path):
    env, marker = compiler_trap
    repo = tmp_path / "cmod"
    shutil.copytree(compiled_repo, repo)
    result = sphinx(docs_python, repo, **env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert not marker.exists()  # no compiler ran
    html = repo / "doc" / "_build" / "html"
    assert not list((html / "lite" / "pypi").glob("cmod-*.whl"))
    assert [line for line in result.stdout.splitlines() if "no Pyodide wheel of cmod" in line] == [
        "interactive_docs: no Pyodide wheel of cmod given, so the examples install it from "
        "Pyodide's packages or PyPI, whose version may differ from these docs; for the "
        "documented version, set INTERACTIVE_DOCS_WHEEL to a Pyodide wheel of this checkout "
        "(cibuildwheel, CIBW_PLATFORM=pyodide)."]
    cells = example_notebook(html)
    assert "whose version may differ from the one this page documents" in cells[0]
    assert cells[1] == "%pip install cmod"  # unpinned


def test_compiled_with_a_wheel_of_another_platform_fails_naming_both_tags(
        compiled_repo, docs_python, tmp_path):
    native = tmp_path / "native"
    subprocess.run([str(docs_python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(native),
                    str(compiled_repo)], check=True)
    wheel = next(native.glob("cmod-1.0.0-cp*.whl"))
    tag = "-".join(wheel.stem.split("-")[2:])
    assert tag.endswith("linux_x86_64") or tag.endswith("linux_aarch64")
    repo = tmp_path / "cmod"
    shutil.copytree(compiled_repo, repo)
    result = sphinx(docs_python, repo, INTERACTIVE_DOCS_WHEEL=str(native))
    assert result.returncode != 0
    assert (f"{wheel.name} is tagged {tag}, but the docs kernel's Pyodide 314.0.6 installs "
            "cp314-cp314-pyemscripten_2026_0_wasm32 (or pure py3-none-any) wheels") \
        in result.stdout + result.stderr
    assert not (repo / "doc" / "_build" / "html" / "lite").exists()


@pytest.mark.browser
def test_compiled_with_a_pyodide_wheel_pins_it_and_the_example_runs(
        compiled_repo, docs_python, compiler_trap, tmp_path):
    # No Emscripten toolchain can run here: a pure wheel of the same project (its C
    # extension left out, CMOD_PURE=1) stands in for cibuildwheel's Pyodide wheel. The docs
    # build takes the same path for both: find the wheel, check its tag, index it, pin it.
    dist = tmp_path / "dist-pyodide"
    subprocess.run([str(docs_python), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(compiled_repo)], check=True, env={**os.environ, "CMOD_PURE": "1"})
    assert [p.name for p in dist.iterdir()] == ["cmod-1.0.0-py3-none-any.whl"]
    env, marker = compiler_trap
    repo = tmp_path / "cmod"
    shutil.copytree(compiled_repo, repo)
    result = sphinx(docs_python, repo, INTERACTIVE_DOCS_WHEEL=str(dist), **env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert not marker.exists()
    html = repo / "doc" / "_build" / "html"
    cells = example_notebook(html)
    assert "built from the same source as this page" in cells[0]
    assert cells[1] == "%pip install cmod==1.0.0"
    run = try_offline(html, "index.html", "cmod-1.0.0-py3-none-any.whl")
    assert run.execution_counts == [1, 2, 3]  # install, module names, the example
    assert "total 6" in run.stdout[-1]


# A pure package with a runtime dependency from PyPI and doctest-style examples.

@pytest.fixture(scope="module")
def dependent_site(copier_template, docs_python, local_pyodide_dir, tmp_path_factory):
    """The dependent repo's built site; its conftest gives doctests `ss`, answered as the
    preamble."""
    repo = existing("dependent_repo", copier_template, tmp_path_factory.mktemp("dependent"),
                    local_pyodide_dir, project_name="sigstats", package_name="sigstats",
                    distribution_name="sigstats", example_preamble="import sigstats as ss")
    pip_install(docs_python, "tabulate==0.9.0")  # autodoc imports the package
    pip_install(docs_python, "--no-deps", "--force-reinstall", str(repo))
    return repo, sphinx(docs_python, repo)


def test_a_failed_wheel_build_in_the_environment_falls_back_to_an_isolated_one(dependent_site):
    # The docs venv has setuptools 65 (Python 3.11's venv) but no `wheel`: building there,
    # without isolation, fails with "invalid command 'bdist_wheel'".
    repo, build = dependent_site
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert ("interactive_docs: building the wheel in this environment failed; building it in "
            "an isolated one.") in build.stdout
    assert list((repo / "doc" / "jupyterlite" / "pypi").glob("sigstats-*.whl")) == [
        repo / "doc" / "jupyterlite" / "pypi" / "sigstats-0.3.0-py3-none-any.whl"]


@pytest.fixture(scope="module")
def standin_pypi(tmp_path_factory):
    """A loopback stand-in for PyPI holding the dependency's real wheel, and nothing else."""
    wheels = tmp_path_factory.mktemp("pypi")
    for wheel in local_pypi.download_wheels(["tabulate==0.9.0"], CACHE / "pypi-wheels"):
        shutil.copy(wheel, wheels)
    with local_pypi.serve_pypi(wheels) as url:
        yield url


def check(repo: Path, html: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(repo / "doc" / "check_examples.py"), str(html), "--offline",
         "--browser-path", "/usr/bin/chromium", "--timeout", "240", *args],
        capture_output=True, text=True, timeout=900)
    print(result.stdout[-4000:], result.stderr[-2000:])
    return result


@pytest.mark.browser
def test_doctest_style_examples_with_a_pypi_dependency_all_pass(dependent_site, standin_pypi):
    repo, _ = dependent_site
    html = repo / "doc" / "_build" / "html"
    notebook = next((html / "lite" / "files").glob("sigstats.tables.summary-*.ipynb"))
    cells = ["".join(c["source"]) for c in json.loads(notebook.read_text())["cells"]]
    assert cells[1:4] == ["%pip install sigstats==0.3.0",
                          cells[2], "import sigstats as ss"]
    assert "import sigstats.tables as _module" in cells[2]
    result = check(repo, html, "--pypi-mirror", standin_pypi)
    assert result.returncode == 0
    assert "2 examples: 2 ran, 0 failed, 0 hidden." in result.stdout


@pytest.mark.browser
def test_without_pypi_the_dependency_cannot_install(dependent_site):
    # Negative control: the same site, with PyPI unreachable.
    repo, _ = dependent_site
    result = check(repo, repo / "doc" / "_build" / "html", "--pages", "index")
    assert result.returncode == 1
    assert "(sigstats.table): FAILED: cell 1 of 4 wrote to stderr:" in result.stdout
    assert "tabulate" in result.stdout
