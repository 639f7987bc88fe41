"""The example check (check_examples.py, run by the generated docs workflow) proves every
example ran, and each of its negative controls fails for its own reason.

The sites are built for real and run offline in Debian's Chromium with the local Pyodide.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from conftest import ROOT, build_project, once_per_run
from harness import local_pyodide, local_pypi
from harness.browser import offline_browser, run_in_page, serve
from harness.check import load_check

pytestmark = pytest.mark.browser
# Each site is built once per run, by the first worker that asks (conftest's once_per_run):
# no xdist group ties these tests to a worker. Each runs the check in Chromium: slow.
on_shared_sites = on_checks_site = pytest.mark.slow

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
def checks_project(default_project, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    """The demo project plus examples that must pass or fail, a broken mean() example,
    examples judged as the project's doctests judge them (its pytest configuration says
    doctest_optionflags = ELLIPSIS), and pages whose examples need another page's
    (test_check_isolation.py); built once per run (checks_site)."""
    def make(folder: Path) -> None:
        project = folder / "project"
        shutil.copytree(default_project, project)
        for file in FIXTURE.iterdir():
            shutil.copy(file, project / ("docs" if file.suffix == ".rst" else "src/example_project"))
        stats = project / "src" / "example_project" / "stats.py"
        stats.write_text(stats.read_text().replace(">>> mean([1, 2, 3, 4])", ">>> mean([])"))
        pyproject = project / "pyproject.toml"
        assert "[tool.pytest.ini_options]\n" in pyproject.read_text()
        pyproject.write_text(pyproject.read_text().replace(
            "[tool.pytest.ini_options]\n", '[tool.pytest.ini_options]\ndoctest_optionflags = ["ELLIPSIS"]\n'))
        local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
        build_project(docs_python, project)

    return once_per_run(tmp_path_factory, "checks", make) / "project"


@pytest.fixture(scope="module")
def checks_site(checks_project) -> Path:
    return checks_project / "docs" / "_build" / "html"


@pytest.mark.parametrize("site, ways", [
    # The install cell, the module's names, then the example's two cells of every example
    # run in one Pyodide (the in-page runner's); the first API page's example also runs in
    # its page and in JupyterLite, as readers do.
    ("offline_site", ("in Pyodide, in its page and in JupyterLite", "in Pyodide")),
    # runner: jupyterlite. The first API page's button opens JupyterLite.
    ("lite_runner_site", ("in Pyodide and its button", "in Pyodide")),
])
@on_shared_sites
def test_the_check_passes_a_site_whose_examples_all_run(default_project, request, site, ways):
    site = request.getfixturevalue(site)
    result = check(default_project, site, "-v")
    assert result.returncode == 0
    assert ("Ran the code cells of 3 examples in Pyodide" in result.stdout
            and "running as readers do those of 1 page, the first of each kind." in result.stdout)
    assert verdicts(result.stdout, how=True) == {
        "example_project.fibonacci": f"ok, 4 cells ({ways[0]})",
        "example_project.mean": f"ok, 4 cells ({ways[1]})",
        "example_project.moving_average": f"ok, 4 cells ({ways[1]})"}
    assert "3 examples: 3 ran, 0 failed, 0 hidden." in result.stdout
    assert result.stdout.rstrip().endswith("Every interactive example ran.")


@on_shared_sites
def test_every_button_runs_every_example_in_its_page_and_in_jupyterlite(default_project,
                                                                         offline_site):
    # Each counted from its notebook file. The same clicks as for runner: jupyterlite's
    # button, after the in-page runner's. Two of the three pages: the first, fibonacci's, runs
    # in its page and in JupyterLite in the check's default run (and in test_browse.py).
    result = check(default_project, offline_site, "-v", "--every-button", "--pages", "mean|moving")
    assert result.returncode == 0
    assert "in Pyodide" not in result.stdout
    found = verdicts(result.stdout, how=True)
    assert sorted(found) == [f"example_project.{name}" for name in ["mean", "moving_average"]]
    for verdict in found.values():  # with how long each took
        assert re.fullmatch(r"ok, 4 cells \(in its page and in JupyterLite, [\d.]+ s\)", verdict)


@on_shared_sites
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


@on_checks_site
def test_each_example_runs_its_own_notebook_and_failures_are_named(checks_project, checks_site,
                                                                   tmp_path):
    site = checks_site
    summary, junit = tmp_path / "summary.md", tmp_path / "junit.xml"
    # The API pages but fibonacci's (the default site's check runs it as readers do), so that
    # mean, which fails, is the first page of its folder.
    result = check(checks_project, site, "-v", "--pages",
                   r"^(checks|generated/example_project\.m)", "--junit", str(junit),
                   GITHUB_STEP_SUMMARY=str(summary))
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
    # mean fails in Pyodide: the next page of its folder is the one run as readers do.
    assert found == {"example_project.moving_average": "ok, 4 cells"}
    assert verdicts(result.stdout, how=True)["example_project.moving_average"] == (
        "ok, 4 cells (in Pyodide, in its page and in JupyterLite)")
    assert "8 examples: 6 ran, 2 failed, 0 hidden." in result.stdout

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
    assert summary.read_text().startswith("### Interactive examples\n\n8 examples: 6 ran")
    suite = ElementTree.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("8", "2", "0")
    failures = {case.get("name"): case.find("failure").get("message")
                for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failures["example_project.mean"] == (
        "cell 3 of 4 wrote to stderr: ValueError: mean() of an empty sequence")

    # Of checks.html, the first run opened only twin_a in JupyterLite: each kind's notebooks
    # open alike there. By their buttons, the same verdicts: the failing first one, and
    # Counter.raises, whose run goes on past the exception its docstring shows (shard 1/4:
    # the 1st and the 5th).
    assert verdicts(result.stdout, how=True)["example_project.checks.twin_a"] == (
        "ok, 3 cells (in Pyodide, in its page and in JupyterLite)")
    assert verdicts(result.stdout, how=True)["example_project.checks.twin_b"] == (
        "ok, 3 cells (in Pyodide and in its page)")
    clicked = check(checks_project, site, "-v", "--every-button", "--pages", "^checks",
                    "--shard", "1/4")
    assert clicked.returncode == 1
    by_buttons = verdicts(clicked.stdout)
    assert set(by_buttons) == {"example_project.checks.countdown",
                               "example_project.checks.Counter.raises"}
    assert by_buttons == {name: verdict for name, verdict in verdicts(result.stdout).items()
                          if name in by_buttons}
    assert "NameError: name 'c14_is_not_defined' is not defined" in clicked.stdout


def found_notebook(stdout: str, name: str, module: str = "checks") -> str:
    return next(word for word in stdout.split() if word.startswith(f"example_project.{module}.{name}-"))


@on_checks_site
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


def lite_config(site: Path) -> tuple[Path, dict]:
    path = site / "lite" / "jupyter-lite.json"
    return path, json.loads(path.read_text())


def kernel_settings(config: dict) -> dict:
    return config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]


@pytest.fixture
def cdn_lite_runner_site(lite_runner_site, built_site, tmp_path) -> Path:
    """lite_runner_site (`runner: jupyterlite`) loading Pyodide from the CDN, as built_site
    does: the local Pyodide's URL put back to the one a build without it writes."""
    site = shutil.copytree(lite_runner_site, tmp_path / "html")
    shutil.rmtree(site / "lite" / "static" / "pyodide")
    path, config = lite_config(site)
    kernel_settings(config)["pyodideUrl"] = kernel_settings(lite_config(built_site)[1])["pyodideUrl"]
    assert kernel_settings(config)["pyodideUrl"].startswith("https://cdn.jsdelivr.net/pyodide/v")
    path.write_text(json.dumps(config))
    return site


@on_shared_sites
def test_a_kernel_that_never_starts_fails_after_one_retry(default_project, built_site,
                                                          cdn_lite_runner_site):
    # The sites load Pyodide from its CDN, which the offline browser cannot reach. A start
    # is given 8 s; the other steps (a page's load, a click) 60, so that a busy machine is
    # not taken for the failure.
    def run(*args, site=cdn_lite_runner_site):
        result = subprocess.run(
            [sys.executable, str(default_project / "docs" / "check_examples.py"),
             str(site), "--offline", "--browser-path", "/usr/bin/chromium", "--timeout",
             "60", "--start-timeout", "8", "--pages", "mean", *args], capture_output=True,
            text=True, timeout=300)
        print(result.stdout[-3000:], result.stderr[-3000:])
        return result

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
    # JupyterLite's kernel, when the button opens it: its start has --start-timeout, not the
    # cells' --timeout.
    result = run("--every-button")
    assert result.returncode == 1
    assert ("generated/example_project.mean.html, example 1 of 1 (example_project.mean): "
            "FAILED: timed out after 8 s waiting for the kernel to start") in result.stdout
    assert "1 examples: 0 ran, 1 failed, 0 hidden." in result.stdout


@on_shared_sites
def test_shards_split_the_examples_without_overlap(default_project, built_site, check_modules):
    collect = check_modules.collect
    examples = collect.find_examples(built_site)
    assert len(examples) == 3 and all(len(example.cells) == 4 for example in examples)
    shards = [collect.select(examples, None, f"{k}/2") for k in (1, 2)]
    assert sorted(e.page for shard in shards for e in shard) == sorted(e.page for e in examples)
    assert not {e.page for e in shards[0]} & {e.page for e in shards[1]}
    assert [e.page for e in collect.select(examples, "mean", None)] == [
        "generated/example_project.mean.html"]
    bad = subprocess.run([sys.executable, str(default_project / "docs" / "check_examples.py"),
                          str(built_site), "--shard", "3/2"], capture_output=True, text=True)
    assert bad.returncode == 2 and "expected K/N with 1 <= K <= N" in bad.stderr


def test_doctest_flags_the_page_hides_are_not_foreign_code(check_modules):
    # Sphinx's trim_doctest_flags drops "# doctest: +SKIP" from the page, not the notebook.
    module = check_modules.judge
    cells = [{"id": "cell-1", "source": "data = fetch(\n    'x.csv',\n) # doctest: +SKIP"}]
    example = check_modules.collect.Example("api.html", 0, 1, "c", "f-0.ipynb", cells, "f",
                                            "Examples\n>>> data = fetch(\n...     'x.csv',\n... )")
    assert module.check_notebook(example) is None
    cells[0]["source"] += "\nprint(data)"  # a line the page does not show at all
    assert module.check_notebook(example) == (
        "its notebook f-0.ipynb holds code that is not this example's: 'print(data)'")


def test_a_notebook_of_only_the_set_up_cells_fails(check_modules):
    module = check_modules.judge
    cells = [{"id": "install-project", "source": "%pip install example-project"}]
    example = check_modules.collect.Example("api.html", 0, 1, "c", "f-0.ipynb", cells, "f",
                                            "Examples\n>>> f()")
    assert module.check_notebook(example) == "its notebook f-0.ipynb has none of the example's code"
    cells.append({"id": "cell-1", "source": "f()"})  # negative control: the example's code
    assert module.check_notebook(example) is None


def test_a_qualified_exception_name_is_the_line_that_says_what_went_wrong(check_modules):
    module = check_modules.report
    problem = ("cell 5 of 10 wrote to stderr:\nDownloading data from 'https://x/t.txt'\n"
               "Traceback (most recent call last):\n  File \"<cell 5>\", line 1, in <module>\n"
               "pyodide.ffi.JsException: NetworkError: Failed to load 'https://x/t.txt'.")
    assert module.first_line(problem) == ("cell 5 of 10 wrote to stderr: pyodide.ffi.JsException: "
                                          "NetworkError: Failed to load 'https://x/t.txt'.")


@pytest.fixture(scope="module")
def platform_only_pypi(tmp_path_factory):
    """A stand-in PyPI whose package nopyodide has a wheel for Linux on x86-64 only."""
    wheels = tmp_path_factory.mktemp("platform-only")
    info = "nopyodide-1.0.dist-info"
    files = {"nopyodide/__init__.py": "",
             f"{info}/METADATA": "Metadata-Version: 2.1\nName: nopyodide\nVersion: 1.0\n"
                                 "Summary: Compiled for one platform\n",
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: false\n"
                              "Tag: cp314-cp314-manylinux_2_17_x86_64\n"}
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"])
    with zipfile.ZipFile(wheels / "nopyodide-1.0-cp314-cp314-manylinux_2_17_x86_64.whl", "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    with local_pypi.serve_pypi(wheels) as url:
        yield url


@on_checks_site
def test_warnings_skipped_lines_and_outputs_are_judged_as_the_doctests_judge_them(
        checks_project, checks_site):
    # Sphinx made the quotes of the example in a paragraph typographic.
    assert "print(“viz”, ‘it’ + “‘s”)" in (checks_site / "verdicts.html").read_text()
    pages = r"^verdicts(_outputs)?\.html"
    result = check(checks_project, checks_site, "--pages", pages)
    assert result.returncode == 0
    assert ("Outputs are compared as doctest does, with the option flags ELLIPSIS of "
            f"{checks_project / 'pyproject.toml'}.") in result.stdout
    assert "Ran in Pyodide: 6 of 6 examples" in result.stdout
    # Quiet: a line for an example only when something is to be said of it.
    assert verdicts(result.stdout, how=True) == {
        "example_project.verdicts.skips_a_plot": "ok, 4 cells (in Pyodide and in its page)",
        "example_project.verdicts.documents_wrong_output": "ok, 3 cells (in Pyodide)"}
    assert ("      the docstring documents:\n        41\n      the browser shows:\n        42\n"
            in result.stdout)
    assert result.stdout.split("6 examples: 6 ran, 0 failed, 0 hidden.\n")[1] == (
        "\nReported apart (2; they do not fail the run, --strict makes them): lines the doctests "
        "skip (+SKIP) that failed, and output other than the docstring's:\n"
        "verdicts.html, example 2 of 3 (example_project.verdicts.skips_a_plot): cell 3 of 4: a "
        "line the doctests skip (+SKIP) failed: RuntimeError: no display in this browser\n"
        "verdicts_outputs.html, example 1 of 3 (example_project.verdicts.documents_wrong_output): "
        "cell 3 of 3 shows other output than its docstring documents (doctest flags: ELLIPSIS)\n"
        "Every interactive example ran.\n")
    # Negative controls: --strict fails the run on them; without ELLIPSIS "..." is text.
    strict = check(checks_project, checks_site, "--strict", "--doctest-optionflags", "",
                   "--pages", pages)
    assert strict.returncode == 1
    assert "with the option flags (none) of --doctest-optionflags." in strict.stdout
    assert "6 examples: 3 ran, 3 failed, 0 hidden." in strict.stdout
    found = verdicts(strict.stdout)
    assert found["example_project.verdicts.skips_a_plot"] == (
        "FAILED: cell 3 of 4: a line the doctests skip (+SKIP) failed:")
    for name in ["documents_wrong_output", "documents_with_ellipsis"]:
        assert found[f"example_project.verdicts.{name}"] == (
            "FAILED: cell 3 of 3 shows other output than its docstring documents:")
    assert "  the docstring documents:\n    [0, 1, ..., 19]\n" in strict.stdout


@on_checks_site
def test_what_the_doctests_would_not_pass_fails(checks_project, checks_site, platform_only_pypi):
    result = check(checks_project, checks_site, "-v", "--pypi-mirror", platform_only_pypi,
                   "--pages", r"^verdicts_failing\.html")
    assert result.returncode == 1
    assert verdicts(result.stdout) == {
        # A stderr write is not a warning; a line that fails where the doctests do not skip it.
        "example_project.verdicts_failing.writes_stderr": "FAILED: cell 3 of 3 wrote to stderr:",
        "example_project.verdicts_failing.fails_unskipped": "FAILED: cell 3 of 4 wrote to stderr:",
        "example_project.verdicts_failing.needs_a_package_without_pyodide_build":
            "FAILED: cell 3 of 3: Pyodide cannot install 'nopyodide': it has no build for Pyodide "
            "(no pure-Python wheel, and not in Pyodide's distribution):"}
    assert "careful: the mean of few values" in result.stdout
    assert "ValueError: Can't find a pure Python 3 wheel for 'nopyodide'." in result.stdout
    assert ('To hide their buttons until they are fixed, add to "ignore_patterns" in '
            'try_examples.json:\n    "verdicts_failing\\\\.html$",') in result.stdout


@on_checks_site
def test_the_page_shows_a_warning_apart_and_runs_on_after_a_skipped_line(checks_site):
    with serve(checks_site) as url, offline_browser() as browser:
        page = browser.new_page()
        warns = run_in_page(page, url + "verdicts.html", index=0)
        runner = page.locator(".interactive-docs-runner").nth(0)
        assert [cell.state for cell in warns.cells] == ["done"] * 3
        assert runner.locator(".interactive-docs-warning").inner_text() == (
            "<cell 3>:2: UserWarning: careful: the mean of few values\n")
        assert runner.locator(".interactive-docs-stderr, .interactive-docs-error").count() == 0
        assert warns.example[-1].stdout == "went on\n"
        skips = run_in_page(page, None, index=1)
        assert [cell.state for cell in skips.example] == ["error", "done"]
        assert skips.example[-1].stdout == "after the plot\n"
        # Negative control: a write to stderr is stderr.
        run_in_page(page, url + "verdicts_failing.html", index=0)
        runner = page.locator(".interactive-docs-runner").nth(0)
        assert runner.locator(".interactive-docs-stderr").inner_text() == (
            "careful: the mean of few values\n")
        assert runner.locator(".interactive-docs-warning").count() == 0
        assert not browser.leaked


@pytest.fixture(scope="module")
def check_modules() -> SimpleNamespace:
    """The check's modules, as the template has them (they are copied as is)."""
    return load_check(ROOT / "template" / "{{ docs_dir }}")


def test_smart_quotes_of_the_page_are_the_docstring_s_code(check_modules):
    cells = [{"id": "cell-1", "source": "print(\"viz\", 'it' + \"'s\", 1 -- 2, ...)"}]
    example = check_modules.collect.Example("api.html", 0, 1, "c", "f-0.ipynb", cells, "f",
                                            "Say it: >>> print(“viz”, ‘it’ + “’s”, 1 – 2, …) viz")
    assert check_modules.judge.check_notebook(example) is None
    # Negative control: other code is still other code.
    cells[0]["source"] = "print('vis')"
    assert check_modules.judge.check_notebook(example) == (
        "its notebook f-0.ipynb holds code that is not this example's: \"print('vis')\"")


@pytest.mark.parametrize("name, text", [
    ("pytest.ini", "[pytest]\ndoctest_optionflags = ELLIPSIS NORMALIZE_WHITESPACE\n"),
    ("pyproject.toml", '[tool.pytest.ini_options]\ndoctest_optionflags = ["ELLIPSIS", '
                       '"NORMALIZE_WHITESPACE"]\n'),
    ("tox.ini", "[pytest]\ndoctest_optionflags =\n    ELLIPSIS\n    NORMALIZE_WHITESPACE\n"),
    ("setup.cfg", "[tool:pytest]\ndoctest_optionflags = ELLIPSIS NORMALIZE_WHITESPACE NUMBER\n"),
])
def test_doctest_optionflags_come_from_the_project_pytest_configuration(check_modules, tmp_path,
                                                                        name, text):
    import doctest
    html = tmp_path / "docs" / "_build" / "html"
    html.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    # A file without pytest's section is not pytest's configuration: pytest looks further.
    (tmp_path / "docs" / "setup.cfg").write_text("[metadata]\nname = x\n")
    assert check_modules.judge.doctest_optionflags(html) == (0, None)
    (tmp_path / name).write_text(text)
    assert check_modules.judge.doctest_optionflags(html) == (
        doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, str(tmp_path / name))


def test_a_failure_is_the_skipped_line_s_when_its_traceback_says_so(check_modules):
    code = "x = 1\nplot(\n    x)  # doctest: +SKIP\ny = 2"
    assert check_modules.judge.skipped_lines(code) == {2, 3}  # the whole statement
    traceback = 'Traceback (most recent call last):\n  File "<cell 5>", line {}, in <module>\nE: e'
    assert check_modules.judge.skipped_failure(code, traceback.format(2), 5)
    assert not check_modules.judge.skipped_failure(code, traceback.format(4), 5)
    # JupyterLite's kernel (IPython) names the cell by its execution count.
    assert check_modules.judge.skipped_failure(code, "Cell In[5], line 3\n----> 3 x)", 5)
    assert not check_modules.judge.skipped_failure("plot(x)", traceback.format(1), 5)


def test_printed_warnings_are_not_stderr(check_modules):
    printed = ("/lib/python3.14/site-packages/m.py:3: DeprecationWarning: old\n  f()\n"
               "<ipython-input-1>:1: numpy.exceptions.ComplexWarning: cast\n")
    assert check_modules.judge.PRINTED_WARNING.sub("", printed) == ""
    error = "Traceback (most recent call last):\nValueError: x:1: not a Warning: here\n"
    assert check_modules.judge.PRINTED_WARNING.sub("", printed + error) == error


def test_a_package_pyodide_cannot_install_is_named(check_modules):
    # micropip's words, alone and with keep_going=True.
    for raised, names in [("ValueError: Can't find a pure Python 3 wheel for 'nopyodide'.",
                           "'nopyodide'"),
                          ("ValueError: Can't find a pure Python 3 wheel for: 'a', 'b_c'", "'a', 'b_c'")]:
        problem = check_modules.judge.failure(3, 4, f"Traceback (most recent call last):\n{raised}")
        assert check_modules.report.first_line(problem) == (
            f"cell 3 of 4: Pyodide cannot install {names}: it has no build for Pyodide (no "
            f"pure-Python wheel, and not in Pyodide's distribution): {raised}")
    # Negative control: another failure is said as before.
    assert check_modules.judge.failure(3, 4, "ModuleNotFoundError: No module named 'x'") == (
        "cell 3 of 4 wrote to stderr:\nModuleNotFoundError: No module named 'x'")


def timed_check(project: Path, site: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """check() under a hard timeout well above what the run should take: a hang fails the
    test with TimeoutExpired instead of hanging the suite."""
    result = subprocess.run(
        [sys.executable, str(project / "docs" / "check_examples.py"), str(site), "--offline",
         "--browser-path", "/usr/bin/chromium", *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    print(result.stdout[-6000:], result.stderr[-3000:])
    return result


@pytest.mark.slow
@on_checks_site
def test_a_runaway_example_times_out_and_the_examples_after_it_still_run(checks_project,
                                                                         checks_site, tmp_path):
    # limits.html: `while True: pass`, then an example that leaves a file; limits_next.html:
    # an example that fails if that file is still there, one busy for 6 s, and a 20 MB print.
    # limits.html, the first page of its kind, also runs in its page and in JupyterLite, whose
    # Pythons start within --start-timeout (120 s), not the examples' 12 s.
    junit = tmp_path / "junit.xml"
    result = timed_check(checks_project, checks_site, "-v", "--timeout", "12", "--pages",
                         "^limits", "--junit", str(junit),
                         GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert result.returncode == 1
    assert verdicts(result.stdout, how=True) == {
        "example_project.limits.runaway": "FAILED: timed out after 12 s running cell 3 of 3",
        # After it, on the same page, in a new Python: also in its page and in JupyterLite.
        "example_project.limits.after_runaway":
            "ok, 3 cells (in Pyodide, in its page and in JupyterLite)",
        # Negative control: 6 s is under the timeout. The 20 MB print is compared, and shown,
        # as the runner cut it.
        "example_project.limits.takes_a_while": "ok, 3 cells (in Pyodide)",
        "example_project.limits.prints_a_lot": "ok, 3 cells (in Pyodide)",
        # The page after it still starts afresh: the file left on limits.html is gone.
        "example_project.limits.on_the_next_page": "ok, 3 cells (in Pyodide)"}
    assert "5 examples: 4 ran, 1 failed, 0 hidden." in result.stdout
    assert ("limits.html, example 1 of 2 (example_project.limits.runaway): timed out after 12 s "
            "running cell 3 of 3") in result.stdout.split("1 interactive example(s) failed:\n")[1]
    assert ("      the browser shows:\n        " + "x" * 20_000 + "\n        … 20.0 MB more not "
            "shown\n") in result.stdout
    assert len(result.stdout) < 100_000
    failures = {case.get("name"): case.find("failure").get("message")
                for case in ElementTree.parse(junit).getroot().iter("testcase")
                if case.find("failure") is not None}
    assert failures == {
        "example_project.limits.runaway": "timed out after 12 s running cell 3 of 3"}
    assert ("| limits.html | example_project.limits.runaway | timed out after 12 s running cell 3 "
            "of 3 |") in (tmp_path / "summary.md").read_text()


@pytest.mark.slow
@on_checks_site
def test_a_runaway_example_times_out_in_its_page(checks_project, checks_site):
    # --shard 1/2 of limits.html: the runaway alone, by its button.
    result = timed_check(checks_project, checks_site, "--every-button", "--timeout", "10",
                         "--pages", r"^limits\.html$", "--shard", "1/2")
    assert result.returncode == 1
    # One timeout is enough: JupyterLite does not run it again.
    assert verdicts(result.stdout) == {"example_project.limits.runaway":
                                       "FAILED: timed out after 10 s running cell 3 of 3 in the page"}
    assert "Ran as readers do: 1 of 1 examples (0 s)" in result.stdout
