"""Shared fixtures: the template as a tagged git repo, generated projects, their built sites.

The sites built here and the local Pyodide are made once per run: the first pytest-xdist
worker that needs one makes it in the run's own temporary folder while the other waits
(``once_per_run``), so no test is tied to a worker by the sites it uses. Each worker makes its
own docs venv, into which its builds install the project they build. A module whose tests
share a site or state of their own that is quicker to keep on one worker than to wait for
gives them an ``xdist_group`` ("in-page", "revisit", "libraries", "xeus").

A test that uses the docs venv builds a site or uses one: it is marked ``slow``, as is any
test that takes over 10 s; ``-m "not slow"`` is the quick tier.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from copier import run_copy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import local_pyodide  # noqa: E402
from harness.browser import offline_browser, run_try_examples, serve  # noqa: E402

# Repos the tests copy and build; their own conftest.py files are not this suite's.
collect_ignore = ["fixtures"]

# Downloads that do not change between runs (the local Pyodide); ignored by git.
CACHE = ROOT / ".cache"
ANSWERS_FILE = ".copier-answers.interactive-docs.yml"


# A test that uses one of these builds docs or runs a site built with them.
SLOW_FIXTURES = {"docs_python", "xeus_docs_python"}


def pytest_addoption(parser):
    parser.addoption("--shuffle", type=int, metavar="SEED",
                     help="run the tests in an order shuffled with SEED, to show that none "
                          "needs another to run first")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Mark slow the tests that use the docs venv, before -m selects. After the other
    plugins: the slow tests first, so that quick ones fill the end of the run on both xdist
    workers (or the order --shuffle makes); then give each test's xdist_group to
    --dist loadgroup, which reads it from the node id.

    pytest-xdist 3.8 appends "@group" to ``item._nodeid``, which pytest 9.2 no longer reads
    (pytest-xdist#1386): without this, no test is grouped. The closest mark is the group, as
    for other marks: a test marked "xeus" in a "site" module is in "xeus", where xdist would
    make a group "site_xeus" of it."""
    for item in items:
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)
    yield
    if config.getoption("shuffle") is not None:
        random.Random(config.getoption("shuffle")).shuffle(items)
    else:
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is None:
            continue
        suffix = "@" + str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        if not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def copier_template_paths() -> list[str]:
    # pytest-copier copies these into a tagged git repo: the template without this repo's
    # tests, venvs and caches.
    return ["copier.yml", "template"]


def render(template: Path, dest: Path, **answers) -> Path:
    """`copier copy --defaults` as a user runs it: no --trust."""
    run_copy(str(template), dest, data=answers, defaults=True, unsafe=False, quiet=True)
    return dest


def build_docs(python: Path, project: Path, *options: str, docs_dir: str = "docs"):
    """Run the generated project's docs build the way its README says, with -W."""
    docs = project / docs_dir
    return subprocess.run(
        [str(python), "-m", "sphinx", "-W", "--keep-going", "-b", "html",
         str(docs), str(docs / "_build" / "html"), *options],
        capture_output=True, text=True, timeout=900, cwd=project,
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def tagged_template(repo: Path) -> Path:
    """This template (copier.yml and template/, as they are now) in a git repo tagged v1."""
    repo.mkdir(parents=True)
    shutil.copy(ROOT / "copier.yml", repo)
    shutil.copytree(ROOT / "template", repo / "template")
    git(repo, "init", "-q")
    commit_all(repo, "v1")
    git(repo, "tag", "v1")
    return repo


def hook_line() -> str:
    """The line the message after an existing project's copy asks to add to conf.py."""
    message = yaml.safe_load((ROOT / "copier.yml").read_text())["_message_after_copy"]
    return next(line.strip() for line in message.splitlines() if "extensions.append" in line)


def pip_install(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", *args], check=True)


def try_offline(html: Path, page: str, wheel: str):
    """Click the page's first "Try it" button in the offline browser and run its notebook;
    check that it ran, installing `wheel` from the site's own index, and that nothing left
    loopback. Returns what it ran, for the caller's own checks."""
    with serve(html) as url, offline_browser() as browser:
        result = run_try_examples(browser.new_page(), url + page)
        assert not result.error, result.outputs
        assert result.execution_counts == list(range(1, len(result.execution_counts) + 1))
        assert any(f"/lite/pypi/{wheel}" in u for u in browser.requests), wheel
        assert not browser.leaked
    return result


@contextlib.contextmanager
def run_lock(tmp_path_factory, name: str) -> Iterator[Path]:
    """Hold the lock `name` of this run (xdist workers take turns); yield the run's folder."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # each worker's folder is in the run's
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield root


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name` of this run, filled by `make` in the first worker that asks; the
    others wait for it. A failed `make` leaves nothing behind: the next asker tries again."""
    with run_lock(tmp_path_factory, name) as root:
        folder, done = root / name, root / f"{name}.done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def default_project(copier_template, tmp_path_factory) -> Path:
    """A project generated with `copier copy --defaults` (read-only: copy it to change it)."""
    return render(copier_template, tmp_path_factory.mktemp("default") / "project")


@pytest.fixture(scope="session")
def docs_python(default_project, tmp_path_factory) -> Path:
    """A fresh venv made from the generated project's own pinned doc requirements, with the
    project installed, as its README says: conf.py reads the project's version from it, so a
    test that builds without build_project passes alone and in any order. One per worker: its
    builds install other projects into it."""
    env = tmp_path_factory.mktemp("docs-venv")
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    pip_install(python, "-r", str(default_project / "docs" / "requirements.txt"),
                str(default_project))
    return python


def build_project(python: Path, project: Path, *options: str,
                  docs_dir: str = "docs") -> tuple[Path, float]:
    """Install the project in the docs venv and build its docs; fail the test loudly."""
    pip_install(python, "--no-deps", "--force-reinstall", str(project))
    start = time.perf_counter()
    result = build_docs(python, project, *options, docs_dir=docs_dir)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project / docs_dir / "_build" / "html", seconds


@pytest.fixture(scope="session")
def built_site(default_project, docs_python, tmp_path_factory) -> Path:
    """The default project's site, built exactly as its maintainers would build it."""
    def make(folder: Path) -> None:
        project = folder / "project"
        shutil.copytree(default_project, project)
        git(project, "init", "-q")
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", "Generate the project")
        _, seconds = build_project(docs_python, project)
        print(f"\ndocs build (default project): {seconds:.1f} s")

    return once_per_run(tmp_path_factory, "built", make) / "project" / "docs" / "_build" / "html"


# Playwright's sync API runs one at a time in a process: one Chromium per module that uses
# these, each test with its own pages. Modules with a browser of their own override them.
@pytest.fixture(scope="module")
def chromium():
    with offline_browser() as browser:
        yield browser


@pytest.fixture
def browser(chromium):
    """The module's Chromium (one launch), with this test's own record of requests: each page
    is a new context, so no test sees another's storage or cache."""
    chromium.requests.clear()
    chromium.blocked.clear()
    yield chromium
    for context in chromium.browser.contexts:
        context.close()


@pytest.fixture(scope="session")
def local_pyodide_dir(tmp_path_factory) -> Path:
    """Pyodide of exactly the version the docs kernel pins, standing in for the CDN."""
    with run_lock(tmp_path_factory, "local-pyodide"):  # made by one worker, if not cached
        return local_pyodide.build_local_pyodide(CACHE / "pyodide")


@pytest.fixture(scope="session")
def offline_site(default_project, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    """The default project's site with the local Pyodide in place of the CDN one."""
    def make(folder: Path) -> None:
        project = folder / "project"
        shutil.copytree(default_project, project)
        local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
        build_project(docs_python, project)

    return once_per_run(tmp_path_factory, "offline", make) / "project" / "docs" / "_build" / "html"


@pytest.fixture(scope="session")
def lite_runner_project(copier_template, tmp_path_factory) -> Path:
    """A project generated with runner=jupyterlite (read-only: copy it to change it)."""
    return render(copier_template, tmp_path_factory.mktemp("lite-runner") / "project",
                  runner="jupyterlite")


@pytest.fixture(scope="session")
def lite_runner_site(lite_runner_project, docs_python, local_pyodide_dir,
                     tmp_path_factory) -> Path:
    """offline_site with `runner: jupyterlite`: "Try it" opens the notebook in JupyterLite."""
    def make(folder: Path) -> None:
        project = folder / "project"
        shutil.copytree(lite_runner_project, project)
        local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
        build_project(docs_python, project)

    return (once_per_run(tmp_path_factory, "lite-runner-offline", make)
            / "project" / "docs" / "_build" / "html")


@pytest.fixture(scope="session")
def xeus_project(copier_template, tmp_path_factory) -> Path:
    """A project generated with kernel=xeus (read-only: copy it to change it)."""
    return render(copier_template, tmp_path_factory.mktemp("xeus") / "project", kernel="xeus")


@pytest.fixture(scope="session")
def xeus_docs_python(xeus_project, tmp_path_factory) -> Path:
    """A fresh venv from the Xeus project's pinned doc requirements (never mixed with Pyodide's)."""
    env = tmp_path_factory.mktemp("xeus-venv")
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    python = env / "bin" / "python"
    pip_install(python, "-r", str(xeus_project / "docs" / "requirements.txt"), str(xeus_project))
    return python


@pytest.fixture(scope="session")
def gallery_site(copier_template, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    """A project generated with gallery=true, built with the local Pyodide (offline)."""
    def make(folder: Path) -> None:
        project = render(copier_template, folder / "project", gallery=True)
        local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
        pip_install(docs_python, "sphinx-gallery==" + next(
            line.split("==")[1] for line in (project / "docs" / "requirements.txt").read_text().splitlines()
            if line.startswith("sphinx-gallery==")))
        _, seconds = build_project(docs_python, project)
        print(f"\ndocs build (with the gallery): {seconds:.1f} s")

    return once_per_run(tmp_path_factory, "gallery", make) / "project" / "docs" / "_build" / "html"


@pytest.fixture(scope="session")
def furo_site(copier_template, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    """A project generated with theme=furo, built with the local Pyodide (offline)."""
    def make(folder: Path) -> None:
        project = render(copier_template, folder / "project", theme="furo")
        local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
        pip_install(docs_python, next(
            line for line in (project / "docs" / "requirements.txt").read_text().splitlines()
            if line.startswith("furo==")))
        _, seconds = build_project(docs_python, project)
        print(f"\ndocs build (furo): {seconds:.1f} s")

    return once_per_run(tmp_path_factory, "furo", make) / "project" / "docs" / "_build" / "html"
