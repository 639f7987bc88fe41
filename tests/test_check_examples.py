"""The example check (check_examples.py, run by the generated docs workflow) proves every
example ran, and each of its negative controls fails for its own reason.

The sites are built for real and run offline in Debian's Chromium with the local Pyodide.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import build_project
from harness import local_pyodide

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]

FIXTURE = Path(__file__).parent / "fixtures" / "check_examples"
# conf.py lines that bring back jupyterlite-sphinx's own button: it keys each notebook by
# page and docstring line, and its notebooks do not get the module's names.
UPSTREAM_BUTTON = '''

def setup(app):
    from jupyterlite_sphinx.jupyterlite_sphinx import TryExamplesDirective
    app.add_directive("try_examples", TryExamplesDirective, override=True)
'''


def check(project: Path, site: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(project / "docs" / "check_examples.py"), str(site), "--offline",
         "--browser-path", "/usr/bin/chromium", "--timeout", "240", *args],
        capture_output=True, text=True, timeout=1200, env={**os.environ, **env})
    print(result.stdout[-6000:], result.stderr[-3000:])
    return result


def verdicts(stdout: str, how: bool = False) -> dict[str, str]:
    """Documented object -> "ok, N cells" (how: with where it ran) or the first line of its
    failure."""
    found = {}
    for line in stdout.splitlines():
        if ", example " in line and "): " in line and not line.startswith(" "):
            name, verdict = line.split(" (", 1)[1].split("): ", 1)
            if verdict.startswith("ok") and not how:
                verdict = verdict.split(" (")[0]
            found.setdefault(name, verdict)
    return found


@pytest.fixture(scope="module")
def checks_project(default_project, local_pyodide_dir, tmp_path_factory) -> Path:
    """The demo project plus examples that must pass or fail, and a broken mean() example."""
    project = tmp_path_factory.mktemp("checks") / "project"
    shutil.copytree(default_project, project)
    shutil.copy(FIXTURE / "checks.py", project / "src" / "example_project")
    shutil.copy(FIXTURE / "checks.rst", project / "docs")
    stats = project / "src" / "example_project" / "stats.py"
    stats.write_text(stats.read_text().replace(">>> mean([1, 2, 3, 4])", ">>> mean([])"))
    local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
    return project


@pytest.mark.parametrize("site, ways", [
    # The install cell, the module's names, then the example's two cells of every example
    # run in one Pyodide (the in-page runner's); the first API page's example also runs in
    # its page and in JupyterLite, as readers do.
    ("offline_site", ("in Pyodide, in its page and in JupyterLite", "in Pyodide")),
    # runner: jupyterlite. The first API page's button opens JupyterLite.
    ("lite_runner_site", ("in Pyodide and its button", "in Pyodide")),
])
def test_the_check_passes_a_site_whose_examples_all_run(default_project, request, site, ways):
    site = request.getfixturevalue(site)
    result = check(default_project, site)
    assert result.returncode == 0
    assert ("Ran the code cells of 3 examples in Pyodide" in result.stdout
            and "running as readers do those of 1 pages, the first of each kind." in result.stdout)
    assert verdicts(result.stdout, how=True) == {
        "example_project.fibonacci": f"ok, 4 cells ({ways[0]})",
        "example_project.mean": f"ok, 4 cells ({ways[1]})",
        "example_project.moving_average": f"ok, 4 cells ({ways[1]})"}
    assert "3 examples: 3 ran, 0 failed, 0 hidden." in result.stdout
    assert result.stdout.rstrip().endswith("Every interactive example ran.")
    # Every example also in JupyterLite, each counted from its notebook file.
    result = check(default_project, site, "--every-button")
    assert result.returncode == 0
    assert "in Pyodide" not in result.stdout
    assert verdicts(result.stdout) == {f"example_project.{name}": "ok, 4 cells"
                                       for name in ["fibonacci", "mean", "moving_average"]}


def test_the_in_page_check_counts_cells_and_notebooks(default_project, offline_site, tmp_path):
    # Negative controls: a runner that drops a cell, and a button that runs another
    # example's notebook in the page.
    site = tmp_path / "html"
    shutil.copytree(offline_site, site)
    script = site / "_static" / "interactive-docs.js"
    loop = "for (const cell of notebook.cells) {"
    assert loop in script.read_text()
    script.write_text(script.read_text().replace(loop, "for (const cell of notebook.cells.slice(0, -1)) {"))
    mean = site / "generated" / "example_project.mean.html"
    fibonacci = re.search(r'data-notebook="../(lite/files/[^"]+)"',
                          (site / "generated" / "example_project.fibonacci.html").read_text())[1]
    mean.write_text(re.sub(r'data-notebook="[^"]+"', f'data-notebook="../{fibonacci}"',
                           mean.read_text()))
    result = check(default_project, site, "--pages", "mean|moving")
    assert result.returncode == 1
    assert verdicts(result.stdout) == {
        "example_project.mean": "FAILED: its in-page runner runs "
        + fibonacci.removeprefix("lite/files/") + ", not the notebook "
        + found_notebook(result.stdout, "mean", "stats") + " that JupyterLite opens",
        "example_project.moving_average": "FAILED: the page shows 3 of its notebook's 4 code cells"}


def test_each_example_runs_its_own_notebook_and_failures_are_named(checks_project, docs_python,
                                                                   tmp_path):
    site, _ = build_project(docs_python, checks_project)
    summary, junit = tmp_path / "summary.md", tmp_path / "junit.xml"
    result = check(checks_project, site, "--junit", str(junit), GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 1
    found = verdicts(result.stdout)
    # Two functions whose Examples start at the same docstring line, and methods of one
    # class page: each button runs its own example.
    for name in ["twin_a", "twin_b", "Counter.up", "Counter.down"]:
        assert found.pop(f"example_project.checks.{name}") == "ok, 3 cells", name
    # A docstring that shows an exception: the run goes on past it.
    assert found.pop("example_project.checks.Counter.raises") == "ok, 4 cells"
    # The last of fourteen example cells raises: 16 cells with the install and the names.
    assert found.pop("example_project.checks.countdown") == "FAILED: cell 16 of 16 wrote to stderr:"
    assert "NameError: name 'c14_is_not_defined' is not defined" in result.stdout
    # An Examples section without code has no button: there is nothing to check.
    assert "prose_only" not in result.stdout
    assert found.pop("example_project.mean") == "FAILED: cell 3 of 4 wrote to stderr:"
    assert "ValueError: mean() of an empty sequence" in result.stdout
    assert found == {"example_project.fibonacci": "ok, 4 cells",
                     "example_project.moving_average": "ok, 4 cells"}
    assert "9 examples: 7 ran, 2 failed, 0 hidden." in result.stdout

    # Failures listed with the line that says what went wrong, and the patterns to hide them.
    listed = result.stdout.split("2 interactive example(s) failed:\n")[1].splitlines()
    assert listed[:2] == [
        "checks.html, example 1 of 6 (example_project.checks.countdown): cell 16 of 16 wrote "
        "to stderr: NameError: name 'c14_is_not_defined' is not defined",
        "generated/example_project.mean.html, example 1 of 1 (example_project.mean): cell 3 of "
        "4 wrote to stderr: ValueError: mean() of an empty sequence"]
    assert listed[3:6] == [
        'To hide their buttons until they are fixed, add to "ignore_patterns" in try_examples.json:',
        '    "checks\\\\.html$",', '    "generated/example_project\\\\.mean\\\\.html$",']
    assert ("| generated/example_project.mean.html | example_project.mean | cell 3 of 4 wrote to "
            "stderr: ValueError: mean() of an empty sequence |") in summary.read_text()
    assert summary.read_text().startswith("### Interactive examples\n\n9 examples: 7 ran")
    suite = ElementTree.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("9", "2", "0")
    failures = {case.get("name"): case.find("failure").get("message")
                for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failures["example_project.mean"] == (
        "cell 3 of 4 wrote to stderr: ValueError: mean() of an empty sequence")

    # mean fails in Pyodide: the next page of its folder is the one run as readers do.
    partial = check(checks_project, site, "--pages", "mean|moving")
    assert verdicts(partial.stdout, how=True)["example_project.moving_average"] == (
        "ok, 4 cells (in Pyodide, in its page and in JupyterLite)")

    # The same examples by their buttons: the same verdicts.
    clicked = check(checks_project, site, "--every-button", "--pages", "^checks")
    assert clicked.returncode == 1
    assert verdicts(clicked.stdout) == {name: verdict for name, verdict in
                                        verdicts(result.stdout).items() if ".checks." in name}
    assert "NameError: name 'c14_is_not_defined' is not defined" in clicked.stdout


def found_notebook(stdout: str, name: str, module: str = "checks") -> str:
    return next(word for word in stdout.split() if word.startswith(f"example_project.{module}.{name}-"))


def test_with_jupyterlite_sphinx_own_button_the_check_fails(checks_project, docs_python, tmp_path):
    # Negative control of the fix: notebooks keyed by page and line are shared, and without
    # the module's names a doctest-style example cannot run.
    project = tmp_path / "project"
    shutil.copytree(checks_project, project, ignore=shutil.ignore_patterns("_build"))
    (project / "docs" / "conf.py").write_text((project / "docs" / "conf.py").read_text()
                                              + UPSTREAM_BUTTON)
    site, _ = build_project(docs_python, project)
    result = check(project, site, "--pages", "^checks")
    assert result.returncode == 1
    found = verdicts(result.stdout)
    for name in ["twin_a", "twin_b"]:
        assert "holds code that is not this example's: 'steps = list(range(countdown(3), 0, -1))'" \
            in found[f"example_project.checks.{name}"]
    assert found["example_project.checks.countdown"] == "FAILED: cell 2 of 15 wrote to stderr:"
    assert "NameError: name 'countdown' is not defined" in result.stdout


@pytest.fixture(scope="module")
def cdn_lite_runner_site(lite_runner_project, docs_python, tmp_path_factory) -> Path:
    """A project with `runner: jupyterlite`, loading Pyodide from its CDN."""
    project = tmp_path_factory.mktemp("cdn-lite-runner") / "project"
    shutil.copytree(lite_runner_project, project)
    html, _ = build_project(docs_python, project)
    return html


def test_a_kernel_that_never_starts_fails_after_one_retry(default_project, built_site,
                                                          cdn_lite_runner_site):
    # The sites load Pyodide from its CDN, which the offline browser cannot reach.
    def run(*args, site=cdn_lite_runner_site):
        return subprocess.run(
            [sys.executable, str(default_project / "docs" / "check_examples.py"),
             str(site), "--offline", "--browser-path", "/usr/bin/chromium", "--timeout",
             "15", "--pages", "mean", *args], capture_output=True, text=True, timeout=300)

    failed_import = ("did not load: TypeError: Failed to fetch dynamically imported module: "
                     "https://cdn.jsdelivr.net/pyodide/v")
    # The one Pyodide that runs every example says why it could not start.
    result = run(site=built_site)
    assert result.returncode == 1
    assert f"(example_project.mean): FAILED: the kernel's Pyodide {failed_import}" in result.stdout
    # So does the page's own Python (the in-page runner), once "Try it" is clicked.
    result = run("--every-button", site=built_site)
    assert result.returncode == 1
    assert f"(example_project.mean): FAILED: the page's Pyodide {failed_import}" in result.stdout
    # JupyterLite's kernel, when the button opens it.
    result = run("--every-button")
    assert result.returncode == 1
    assert ("generated/example_project.mean.html, example 1 of 1 (example_project.mean): "
            "FAILED: timed out after 15 s waiting for the kernel to start") in result.stdout
    assert "1 examples: 0 ran, 1 failed, 0 hidden." in result.stdout


def test_shards_split_the_examples_without_overlap(default_project, built_site, monkeypatch):
    spec = importlib.util.spec_from_file_location("check_examples",
                                                  default_project / "docs" / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "check_examples", module)  # for its dataclass
    spec.loader.exec_module(module)
    examples = module.find_examples(built_site)
    assert len(examples) == 3 and all(len(example.cells) == 4 for example in examples)
    shards = [module.select(examples, None, f"{k}/2") for k in (1, 2)]
    assert sorted(e.page for shard in shards for e in shard) == sorted(e.page for e in examples)
    assert not {e.page for e in shards[0]} & {e.page for e in shards[1]}
    assert [e.page for e in module.select(examples, "mean", None)] == [
        "generated/example_project.mean.html"]
    bad = subprocess.run([sys.executable, str(default_project / "docs" / "check_examples.py"),
                          str(built_site), "--shard", "3/2"], capture_output=True, text=True)
    assert bad.returncode == 2 and "expected K/N with 1 <= K <= N" in bad.stderr


def test_doctest_flags_the_page_hides_are_not_foreign_code(default_project, monkeypatch):
    # Sphinx's trim_doctest_flags drops "# doctest: +SKIP" from the page, not the notebook.
    spec = importlib.util.spec_from_file_location("check_examples",
                                                  default_project / "docs" / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "check_examples", module)
    spec.loader.exec_module(module)
    cells = [{"id": "cell-1", "source": "data = fetch(\n    'x.csv',\n) # doctest: +SKIP"}]
    example = module.Example("api.html", 0, 1, "c", "f-0.ipynb", cells, "f",
                             "Examples\n>>> data = fetch(\n...     'x.csv',\n... )")
    assert module.check_notebook(example) is None
    cells[0]["source"] += "\nprint(data)"  # a line the page does not show at all
    assert module.check_notebook(example) == (
        "its notebook f-0.ipynb holds code that is not this example's: 'print(data)'")


def test_a_notebook_of_only_the_set_up_cells_fails(default_project, monkeypatch):
    spec = importlib.util.spec_from_file_location("check_examples",
                                                  default_project / "docs" / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "check_examples", module)
    spec.loader.exec_module(module)
    cells = [{"id": "install-project", "source": "%pip install example-project"}]
    example = module.Example("api.html", 0, 1, "c", "f-0.ipynb", cells, "f",
                             "Examples\n>>> f()")
    assert module.check_notebook(example) == "its notebook f-0.ipynb has none of the example's code"
    cells.append({"id": "cell-1", "source": "f()"})  # negative control: the example's code
    assert module.check_notebook(example) is None


def test_a_qualified_exception_name_is_the_line_that_says_what_went_wrong(default_project,
                                                                          monkeypatch):
    spec = importlib.util.spec_from_file_location("check_examples",
                                                  default_project / "docs" / "check_examples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "check_examples", module)
    spec.loader.exec_module(module)
    problem = ("cell 5 of 10 wrote to stderr:\nDownloading data from 'https://x/t.txt'\n"
               "Traceback (most recent call last):\n  File \"<cell 5>\", line 1, in <module>\n"
               "pyodide.ffi.JsException: NetworkError: Failed to load 'https://x/t.txt'.")
    assert module.first_line(problem) == ("cell 5 of 10 wrote to stderr: pyodide.ffi.JsException: "
                                          "NetworkError: Failed to load 'https://x/t.txt'.")
