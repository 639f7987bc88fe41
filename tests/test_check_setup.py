"""Check the set-up: after the copy, `python <docs>/check_setup.py` names what an existing
repository must change, one line each with its fix; applying the fix clears the finding.

Each test copies a fixture repository rendered once per module, changes its files as a
maintainer would, and runs the script as users do. A fix that changes an answer is applied by
rendering again with the `--data` the finding printed (what `copier update` does to the files).
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from conftest import ANSWERS_FILE, ROOT, commit_all, git, hook_line, render

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = ROOT / "template" / "{{ docs_dir }}" / "check_setup.py"
# The answers of each fixture repository, as its maintainers would give them.
ANSWERS = {
    "existing_repo": {"project_kind": "existing", "project_name": "mylib",
                      "package_name": "mylib", "docs_dir": "doc"},
    "adopter_repo": {"project_kind": "existing", "project_name": "wavelib",
                     "package_name": "wavelib", "docs_dir": "doc"},
    # No docs requirements file of its own: docs_install names what it needs.
    "compiled_repo": {"project_kind": "existing", "project_name": "cmod",
                      "package_name": "cmod", "docs_dir": "doc",
                      "docs_install": "python -m pip install sphinx numpydoc ."},
}
# What existing_repo's .readthedocs.yaml needs, as IDS106 prints it.
RTD_INSTALL = ("python: {install: [{requirements: doc/requirements.txt}, "
               "{requirements: doc/requirements-interactive.txt}, {path: .}]}")
FINDING = re.compile(r"  (error|advice) +(IDS\d{3}) (.*) Fix: (.*)")
# Sphinx's own docs Makefile (sphinx-quickstart), with the build folder beside the sources.
MAKEFILE = """\
SPHINXOPTS    ?=
SPHINXBUILD   ?= sphinx-build
SOURCEDIR     = .
BUILDDIR      = build

help:
\t@$(SPHINXBUILD) -M help "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)

.PHONY: help Makefile

%: Makefile
\t@$(SPHINXBUILD) -M $@ "$(SOURCEDIR)" "$(BUILDDIR)" $(SPHINXOPTS) $(O)
"""
# networkx's: the build folder written in the html target's recipe, no BUILDDIR.
NETWORKX_MAKEFILE = """\
SPHINXOPTS    =
SPHINXBUILD   = sphinx-build
PAPER         =

PAPEROPT_a4     = -D latex_paper_size=a4
ALLSPHINXOPTS   = -d build/doctrees $(PAPEROPT_$(PAPER)) $(SPHINXOPTS)

.PHONY: help clean html latex

html:
\tmkdir -p auto_examples/geospatial/
\t$(SPHINXBUILD) -b html $(ALLSPHINXOPTS) . build/html
\t@echo
\t@echo "Build finished. The HTML pages are in build/html."

latex:
\t$(SPHINXBUILD) -b latex $(ALLSPHINXOPTS) . build/latex
"""
PRE_COMMIT = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.14.0
    hooks:
      - id: ruff-check
        args: [--fix]
      - id: ruff-format
  - repo: https://github.com/rbubley/mirrors-prettier
    rev: v3.6.2
    hooks:
      - id: prettier
        types_or: [css, javascript, json, yaml, markdown]
"""


def load_script():
    """check_setup.py as a module, for the unit tests of its YAML reader and version compare."""
    spec = importlib.util.spec_from_file_location("check_setup", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


check_setup = load_script()


@dataclass
class Report:
    returncode: int
    output: str
    findings: list[tuple[str, str, str, str]]  # level, code, message, fix

    @property
    def codes(self) -> list[tuple[str, str]]:
        return [(level, code) for level, code, _, _ in self.findings]

    def fix(self, code: str) -> str:
        fixes = [fix for _, found, _, fix in self.findings if found == code]
        assert len(fixes) == 1, self.output
        return fixes[0]

    def message(self, code: str) -> str:
        return next(message for _, found, message, _ in self.findings if found == code)


def check(project: Path, docs_dir: str = "doc") -> Report:
    """Run the script as users do, from the repository root."""
    result = subprocess.run([sys.executable, f"{docs_dir}/check_setup.py"], cwd=project,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    lines = result.stdout.splitlines()
    findings = [FINDING.fullmatch(line) for line in lines[1:-1] if line != "  nothing to change."]
    assert all(findings), output  # one line each, with its fix
    findings = [match.groups() for match in findings]
    return Report(result.returncode, output, findings)


def data_of(fix: str) -> dict[str, str]:
    """The answers a printed copier command sets with --data. `copier update` refuses a
    repository with changes, so its fix says to commit first; recopy needs no commit."""
    assert fix.startswith(("commit, then: copier update --defaults -a ", "copier recopy ")), fix
    words = shlex.split(fix)
    return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "--data")


def update_command(fix: str) -> list[str]:
    """The `copier update` a fix prints, after the commit it asks for first, to run."""
    assert fix.startswith("commit, then: copier update --defaults -a "), fix
    words = shlex.split(fix.removeprefix("commit, then: "))
    words = words[:next((i for i, word in enumerate(words) if word.startswith("(")), None)]
    return [str(Path(sys.executable).with_name("copier")), *words[1:]]


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def rendered(copier_template, tmp_path_factory):
    """A fixture repository after `copier copy` with its answers and more; each once a module
    (read-only: `project` copies it)."""
    cache = {}

    def get(fixture: str, **answers) -> Path:
        answers = {**ANSWERS[fixture], **answers}
        key = (fixture, tuple(sorted(answers.items())))
        if key not in cache:
            dest = tmp_path_factory.mktemp(fixture) / fixture
            shutil.copytree(FIXTURES / fixture, dest)
            cache[key] = render(copier_template, dest, **answers)
        return cache[key]

    return get


@pytest.fixture
def project(rendered, tmp_path):
    """A copy of a rendered fixture repository, to change."""
    def make(fixture: str = "existing_repo", ready: bool = True, **answers) -> Path:
        dest = tmp_path / f"{fixture}-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(rendered(fixture, **answers), dest)
        if ready:
            make_ready(dest)
        return dest

    return make


def make_ready(repo: Path) -> None:
    """The two changes the copy asks of every existing repository (tested below): the conf.py
    line, and the pins in its own .readthedocs.yaml."""
    conf = repo / "doc" / "conf.py"
    conf.write_text(conf.read_text() + hook_line() + "\n")
    config = repo / ".readthedocs.yaml"
    if config.is_file():
        config.write_text(config.read_text() + RTD_INSTALL + "\n")


def append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text() if path.exists() else "") + text)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new))


# ---------------------------------------------------------------------------------------------
# A new project, and the two lines every existing repository adds

def test_a_new_project_has_nothing_to_change(default_project):
    report = check(default_project, "docs")
    assert (report.returncode, report.findings) == (0, []), report.output
    assert "nothing to change." in report.output


def test_the_copy_into_an_existing_repository_asks_for_two_lines(project):
    repo = project(ready=False)
    report = check(repo)
    assert report.returncode == 1
    assert report.codes == [("error", "IDS102"), ("error", "IDS106")], report.output
    hook = report.fix("IDS102").split("after `extensions` is set: ")[1]
    assert hook == hook_line()  # the line the message after the copy shows
    rtd = report.fix("IDS106").split("add this line at the top level: ")[1]
    assert rtd == RTD_INSTALL
    # Each fix, applied as printed, clears its finding and nothing else appears.
    append(repo / "doc" / "conf.py", hook + "\n")
    assert check(repo).codes == [("error", "IDS106")]
    append(repo / ".readthedocs.yaml", rtd + "\n")
    assert yaml.safe_load((repo / ".readthedocs.yaml").read_text())["python"]["install"] == [
        {"requirements": "doc/requirements.txt"},
        {"requirements": "doc/requirements-interactive.txt"}, {"path": "."}]
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


# ---------------------------------------------------------------------------------------------
# Where conf.py is (IDS101)

def test_conf_py_in_doc_source_names_the_docs_dir_to_answer(project):
    repo = project()
    (repo / "doc" / "source").mkdir()
    for name in ["conf.py", "index.rst"]:
        (repo / "doc" / name).rename(repo / "doc" / "source" / name)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS101")]), report.output
    assert "doc/conf.py does not exist (conf.py is in doc/source)" in report.message("IDS101")
    assert data_of(report.fix("IDS101")) == {"docs_dir": "doc/source"}

    # The recopy with that answer, its own files in doc/source; docs_install keeps naming the
    # requirements file of the first answer, which the next finding says.
    fixed = project(ready=False, docs_dir="doc/source")
    (fixed / "doc" / "source" / "conf.py").write_text(
        (repo / "doc" / "source" / "conf.py").read_text())
    (fixed / "doc" / "conf.py").unlink()
    report = check(fixed, "doc/source")
    assert report.codes == [("error", "IDS106"), ("error", "IDS108")], report.output
    assert data_of(report.fix("IDS108")) == {
        "docs_install": "python -m pip install -r doc/requirements.txt ."}


# ---------------------------------------------------------------------------------------------
# Bad input: one line, never a traceback

@pytest.mark.parametrize("change, expected", [
    (lambda repo: (repo / "pyproject.toml").unlink(),
     "neither pyproject.toml nor setup.py is at"),
    (lambda repo: append(repo / "pyproject.toml", '[tool.mylib]\nname = "mylib\n'),
     "pyproject.toml cannot be read: Illegal character '\\n' (at line 11, column 14)."),
], ids=["no-pyproject", "broken-pyproject"])
def test_a_missing_or_broken_pyproject_toml(project, change, expected):
    repo = project()
    change(repo)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS100")]), report.output
    assert expected in report.message("IDS100")


def test_a_conf_py_that_does_not_parse(project):
    repo = project()
    append(repo / "doc" / "conf.py", "extensions = [\n")
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS102")]), report.output
    assert re.search(r"doc/conf.py does not parse: line 9: '\[' was never closed",
                     report.message("IDS102"))


@pytest.mark.parametrize("name, code", [(".readthedocs.yaml", "IDS106"),
                                        (".pre-commit-config.yaml", "IDS107")])
@pytest.mark.parametrize("text, expected", [
    ("repos:\n\t- repo: local\n",
     "line 2: a tab in the indentation (YAML indents with spaces only)"),
    ("version: 2\nsphinx:\n  configuration: 'doc/conf.py\n",
     "line 3: a quoted value that does not close"),
], ids=["tab", "unclosed-quote"])
def test_a_yaml_file_that_does_not_parse(project, name, code, text, expected):
    repo = project()
    (repo / name).write_text(text)
    with pytest.raises(yaml.YAMLError):  # PyYAML refuses it too
        yaml.safe_load(text)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", code)]), report.output
    assert f"{name} cannot be read as YAML: {expected}." == report.message(code)


def test_a_missing_settings_file(project):
    repo = project()
    (repo / "doc" / "interactive_docs" / "settings.py").unlink()
    report = check(repo)
    assert report.returncode == 1
    assert report.output.count("\n") == 1 and "settings.py cannot be read" in report.output
    assert f"copier recopy --defaults -a {ANSWERS_FILE}" in report.output


# ---------------------------------------------------------------------------------------------
# Pins that conflict with requirements-interactive.txt (IDS103)

def test_a_conflicting_kernel_pin_names_the_file_and_line(project):
    repo = project("adopter_repo")
    ours = (repo / "doc" / "requirements-interactive.txt").read_text()
    pinned = re.search(r"^jupyterlite-pyodide-kernel==(\S+)", ours, re.MULTILINE)[1]
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS103")]), report.output
    assert report.message("IDS103").startswith(
        "doc/requirements.txt:4 asks for jupyterlite-pyodide-kernel==0.5.1, but "
        f"doc/requirements-interactive.txt pins jupyterlite-pyodide-kernel=={pinned}")
    assert "from doc/requirements.txt:4" in report.fix("IDS103")

    # A range that allows the pin is no conflict; deleting the line is the fix.
    replace(repo / "doc" / "requirements.txt", "jupyterlite-pyodide-kernel==0.5.1",
            "jupyterlite-pyodide-kernel>=0.5")
    assert check(repo).findings == []
    replace(repo / "doc" / "requirements.txt", "jupyterlite-pyodide-kernel>=0.5\n", "")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


GROUPS = """
[dependency-groups]
lite = ["jupyterlite-pyodide-kernel<0.6"]
docs = ["sphinx", {include-group = "lite"}]
"""


def test_a_pin_in_an_included_dependency_group(project):
    repo = project(docs_install="python -m pip install --group docs .")
    append(repo / "pyproject.toml", GROUPS)
    line = (repo / "pyproject.toml").read_text().splitlines().index(
        'lite = ["jupyterlite-pyodide-kernel<0.6"]') + 1
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS103")]), report.output
    assert report.message("IDS103").startswith(
        f"pyproject.toml:{line} asks for jupyterlite-pyodide-kernel<0.6, but")

    replace(repo / "pyproject.toml", "<0.6", ">=0.8")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


# ---------------------------------------------------------------------------------------------
# docs_install and what the repository keeps for its docs (IDS108)

def test_a_docs_group_while_docs_install_names_a_missing_file(project):
    repo = project()
    append(repo / "pyproject.toml", GROUPS.replace("<0.6", ">=0.8"))
    (repo / "doc" / "requirements.txt").unlink()
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS108")]), report.output
    answers = data_of(report.fix("IDS108"))
    assert answers == {"docs_install": "python -m pip install --group docs ."}

    fixed = project(**answers)
    append(fixed / "pyproject.toml", GROUPS.replace("<0.6", ">=0.8"))
    (fixed / "doc" / "requirements.txt").unlink()
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


EXTRA = """
[project.optional-dependencies]
doc = ["sphinx", "numpydoc"]
"""


@pytest.mark.parametrize("keep_file", [True, False], ids=["and-a-file", "only"])
def test_a_doc_extra_while_docs_install_is_the_default(project, keep_file):
    repo = project()
    append(repo / "pyproject.toml", EXTRA)
    if not keep_file:
        (repo / "doc" / "requirements.txt").unlink()
    report = check(repo)
    # With the default's file there, the answer works: advice; without it, pip would fail.
    level = "advice" if keep_file else "error"
    assert (report.returncode, report.codes) == (int(not keep_file), [(level, "IDS108")]), \
        report.output
    assert data_of(report.fix("IDS108")) == {"docs_install": 'python -m pip install ".[doc]"'}
    assert ("the extra [doc]" if keep_file else "-r doc/requirements.txt, which does not exist") \
        in report.message("IDS108")

    fixed = project(docs_install='python -m pip install ".[doc]"')
    append(fixed / "pyproject.toml", EXTRA)
    if not keep_file:
        (fixed / "doc" / "requirements.txt").unlink()
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


PYWAVELETS_RTD = """\
version: 2
build:
  os: ubuntu-24.04
  tools:
    python: "3.12"
sphinx:
  configuration: doc/conf.py
python:
  install:
    - requirements: util/readthedocs/requirements.txt
    - method: pip
      path: .
"""


def pywavelets_layout(repo: Path) -> None:
    """Docs requirements where PyWavelets keeps them, named in .readthedocs.yaml."""
    target = repo / "util" / "readthedocs" / "requirements.txt"
    target.parent.mkdir(parents=True)
    (repo / "doc" / "requirements.txt").rename(target)
    (repo / ".readthedocs.yaml").write_text(PYWAVELETS_RTD)


def test_a_requirements_file_named_in_read_the_docs(project):
    repo = project()
    pywavelets_layout(repo)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS106"), ("error", "IDS108")]), \
        report.output
    assert data_of(report.fix("IDS108")) == {
        "docs_install": "python -m pip install -r util/readthedocs/requirements.txt ."}
    line = "- requirements: doc/requirements-interactive.txt"
    assert report.fix("IDS106") == (
        f"under python: install:, after your own requirements, add the line `{line}`.")

    fixed = project(**data_of(report.fix("IDS108")))
    pywavelets_layout(fixed)
    replace(fixed / ".readthedocs.yaml", "    - method: pip", f"    {line}\n    - method: pip")
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output
    # Its pins are read too.
    append(fixed / "util" / "readthedocs" / "requirements.txt", "jupyterlite-sphinx<0.20\n")
    report = check(fixed)
    assert report.codes == [("error", "IDS103")], report.output
    assert report.message("IDS103").startswith(
        "util/readthedocs/requirements.txt:3 asks for jupyterlite-sphinx<0.20")


# ---------------------------------------------------------------------------------------------
# The build backend and package_kind (IDS104)

def use_backend(backend: str):
    def change(repo: Path) -> None:
        replace(repo / "pyproject.toml", 'build-backend = "hatchling.build"',
                f'build-backend = "{backend}"')
    return change


@pytest.mark.parametrize("fixture, change, named", [
    ("compiled_repo", lambda repo: None, "setuptools, ext_modules"),
    ("existing_repo", use_backend("mesonpy"), "meson-python"),
    ("existing_repo", use_backend("scikit_build_core.build"), "scikit-build-core"),
    ("existing_repo", use_backend("maturin"), "maturin"),
], ids=["setuptools-Extension", "meson-python", "scikit-build-core", "maturin"])
def test_a_compiling_backend_needs_package_kind_compiled(project, fixture, change, named):
    repo = project(fixture)
    change(repo)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS104")]), report.output
    assert report.message("IDS104").startswith(
        f"the project compiles extension modules ({named}), but package_kind is pure")
    assert data_of(report.fix("IDS104")) == {"package_kind": "compiled"}

    fixed = project(fixture, package_kind="compiled")
    change(fixed)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


def test_setup_py_without_extension_modules_is_pure(project):
    # compiled_repo's fallback: the same setup.py with no Extension( is a pure project.
    repo = project("compiled_repo")
    (repo / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output
    fixed = project("compiled_repo", package_kind="compiled")
    (fixed / "setup.py").write_text("from setuptools import setup\n\nsetup()\n")
    report = check(fixed)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS104")]), report.output
    assert data_of(report.fix("IDS104")) == {"package_kind": "pure"}


# ---------------------------------------------------------------------------------------------
# A WebAssembly workflow of the project's own (IDS105)

EMSCRIPTEN = """\
name: Emscripten
on: [push, pull_request]
jobs:
  pyodide:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/cibuildwheel@v4.2.0
        env:
          CIBW_PLATFORM: pyodide
"""
CALLABLE = """\
      - uses: actions/upload-artifact@v5
        with:
          name: pyodide-wheel
          path: wheelhouse/*.whl
"""


def test_an_emscripten_workflow_makes_wasm_yml_a_second_one(project, copier_template):
    repo = project()
    append(repo / ".github" / "workflows" / "emscripten.yml", EMSCRIPTEN)
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS105")]), report.output
    assert report.message("IDS105").startswith(".github/workflows/emscripten.yml already builds")
    assert data_of(report.fix("IDS105")) == {"wasm_workflow": "false"}

    # The printed command, run as printed: it refuses the repository as the copy leaves it,
    # and after the commit it asks for, it removes wasm.yml and the finding.
    command = update_command(report.fix("IDS105"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    refused = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "Destination repository is dirty" in refused.stderr
    commit_all(repo, "The maintainers' work, and the copy")
    assert (repo / ".github" / "workflows" / "wasm.yml").is_file()
    subprocess.run(command, cwd=repo, check=True, capture_output=True, timeout=60)
    assert not (repo / ".github" / "workflows" / "wasm.yml").exists()
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


def test_a_compiled_project_s_emscripten_workflow_makes_the_docs_wheel(project):
    repo = project("compiled_repo", package_kind="compiled")
    append(repo / ".github" / "workflows" / "emscripten.yml", EMSCRIPTEN)
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS105")]), report.output
    answers = data_of(report.fix("IDS105"))
    assert answers == {"wasm_workflow": "false", "pyodide_wheel_workflow": "emscripten.yml"}

    # With those answers, the docs workflow calls it: it must be callable and upload the wheel.
    fixed = project("compiled_repo", package_kind="compiled", **answers)
    workflow = fixed / ".github" / "workflows" / "emscripten.yml"
    append(workflow, EMSCRIPTEN)
    report = check(fixed)
    assert (report.returncode, report.codes) == (1, [("error", "IDS105")]), report.output
    assert "it has no workflow_call trigger and uploads no artifact named pyodide-wheel" \
        in report.message("IDS105")
    replace(workflow, "on: [push, pull_request]", "on: [push, pull_request, workflow_call]")
    append(workflow, CALLABLE)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output
    workflow.unlink()
    report = check(fixed)
    assert (report.returncode, report.codes) == (1, [("error", "IDS105")]), report.output
    assert "emscripten.yml, which does not exist" in report.message("IDS105")


# ---------------------------------------------------------------------------------------------
# Read the Docs (IDS106)

def test_read_the_docs_hosting_without_a_config(rendered, copier_template, tmp_path):
    repo = tmp_path / "mylib"
    shutil.copytree(rendered("existing_repo", hosting="readthedocs"), repo)
    make_ready(repo)
    (repo / ".readthedocs.yaml").unlink()
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS106")]), report.output
    assert report.fix("IDS106").startswith(f"copier recopy --defaults -a {ANSWERS_FILE}")
    # The recopy writes the template's own, which installs the pins.
    render(copier_template, repo, **ANSWERS["existing_repo"], hosting="readthedocs")
    assert "doc/requirements-interactive.txt" in (repo / ".readthedocs.yaml").read_text()
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


@pytest.mark.parametrize("hosting", ["github-pages", "none"])
def test_hosting_without_read_the_docs_needs_no_config(rendered, tmp_path, hosting):
    # The negative control of the test above: only hosting that names Read the Docs needs one.
    repo = tmp_path / "mylib"
    shutil.copytree(rendered("existing_repo", hosting=hosting), repo)
    make_ready(repo)
    (repo / ".readthedocs.yaml").unlink()
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


RTD_JOBS = """\
version: 2
build:
  os: ubuntu-24.04
  tools:
    python: "3.12"
  jobs:
    install:
      - python -m pip install -r doc/requirements.txt .
sphinx:
  configuration: doc/conf.py
"""
RTD_COMMANDS = """\
version: 2
build:
  os: ubuntu-24.04
  tools:
    python: "3.12"
  commands:
    - python -m pip install -r doc/requirements.txt .
    - sphinx-build -b html doc $READTHEDOCS_OUTPUT/html
"""


@pytest.mark.parametrize("config, where, after", [
    (RTD_JOBS, "under build: jobs: install:,", "doc/requirements.txt .\n"),
    (RTD_COMMANDS, "in build: commands:, after your install command,", "doc/requirements.txt .\n"),
], ids=["jobs", "commands"])
def test_a_read_the_docs_config_with_its_own_install_steps(project, config, where, after):
    repo = project()
    (repo / ".readthedocs.yaml").write_text(config)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS106")]), report.output
    line = "- python -m pip install -r doc/requirements-interactive.txt"
    assert report.fix("IDS106") == f"{where} add the line `{line}`."
    indent = "      " if config is RTD_JOBS else "    "
    replace(repo / ".readthedocs.yaml", after, f"{after}{indent}{line}\n")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


# ---------------------------------------------------------------------------------------------
# pre-commit hooks that would rewrite the template's files (IDS107)

def owned_by_the_template(rendered) -> set[str]:
    """What the copy added to existing_repo: the files the exclude must cover."""
    return files_of(rendered("existing_repo")) - files_of(FIXTURES / "existing_repo")


@pytest.mark.parametrize("exclude", [None, "^doc/generated/"], ids=["no-exclude", "an-exclude"])
def test_pre_commit_formatters_are_told_the_exclude_line(project, rendered, exclude):
    repo = project()
    config = repo / ".pre-commit-config.yaml"
    config.write_text(PRE_COMMIT + (f"exclude: {exclude}\n" if exclude else ""))
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS107")]), report.output
    assert report.message("IDS107").startswith(
        ".pre-commit-config.yaml runs prettier, ruff-check, ruff-format, which would rewrite")
    fix = report.fix("IDS107")
    line = fix.split(".pre-commit-config.yaml: " if exclude is None else "with: ")[1]
    pattern = yaml.safe_load(line)["exclude"]
    # The regex covers exactly the files the copy added (as pre-commit matches: re.search).
    owned = owned_by_the_template(rendered)
    theirs = files_of(FIXTURES / "existing_repo") | {"doc/generated/api.rst"}
    assert {name for name in owned | theirs if re.search(pattern, name)} == owned | (
        {"doc/generated/api.rst"} if exclude else set())

    # Applied as printed, the finding is gone.
    if exclude is None:
        append(config, line + "\n")
    else:
        replace(config, f"exclude: {exclude}\n", line + "\n")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


def test_pre_commit_hooks_that_leave_the_template_s_files_alone(project):
    repo = project()
    # Per-hook excludes that cover the template's files, and hooks that only check.
    (repo / ".pre-commit-config.yaml").write_text(
        PRE_COMMIT.replace("- id: ruff-format",
                           "- id: ruff-format\n        exclude: ^(doc|tools)/")
        .replace("args: [--fix]", "exclude: ^(doc|tools)/|^\\.")
        .replace("types_or: [css, javascript, json, yaml, markdown]", "files: ^src/")
        + "  - repo: https://github.com/pycqa/flake8\n    rev: 7.3.0\n    hooks:\n"
          "      - id: flake8\n")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output


# networkx's: fixers on every commit, and more that run only by hand
# (`pre-commit run --hook-stage manual`).
PRE_COMMIT_MANUAL = """\
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v6.0.0
    hooks:
      - id: check-yaml
      - id: mixed-line-ending
        args: [--fix=lf]
      - id: trailing-whitespace
        exclude_types: [svg, xml]
        exclude: test_p2g.py
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.15.0
    hooks:
      - id: ruff
        args: ["--fix", "--show-fixes", "--exit-non-zero-on-fix"]
      - id: ruff-format
  # The hooks below do not run automatically.
  - repo: https://github.com/PyCQA/autoflake
    rev: v2.3.1
    hooks:
      - id: autoflake
        stages: [manual]
        args: [--in-place]
  - repo: https://github.com/asottile/pyupgrade
    rev: v3.21.2
    hooks:
      - id: pyupgrade
        stages: [manual]
        args: [--py311-plus]
"""


def test_pre_commit_hooks_that_run_only_by_hand_are_left_out(project):
    repo = project()
    config = repo / ".pre-commit-config.yaml"
    config.write_text(PRE_COMMIT_MANUAL)
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS107")]), report.output
    assert report.message("IDS107").startswith(".pre-commit-config.yaml runs mixed-line-ending, "
                                               "ruff, ruff-format, trailing-whitespace, which")
    append(config, report.fix("IDS107").split(".pre-commit-config.yaml: ")[1] + "\n")
    report = check(repo)
    assert (report.returncode, report.findings) == (0, []), report.output

    # The same hooks on every commit would rewrite the template's files too.
    config.write_text(PRE_COMMIT_MANUAL.replace("stages: [manual]", "stages: [pre-commit]"))
    assert check(repo).message("IDS107").startswith(
        ".pre-commit-config.yaml runs autoflake, mixed-line-ending, pyupgrade, ruff, ")
    # Only hooks by hand, per hook or for all: nothing rewrites the template's files.
    by_hand = PRE_COMMIT_MANUAL.split("  # The hooks below")[1]
    for text in ["repos:\n" + by_hand,
                 "default_stages: [manual]\n" + PRE_COMMIT_MANUAL.replace("[manual]", "[]")]:
        config.write_text(text)
        report = check(repo)
        assert (report.returncode, report.findings) == (0, []), report.output


# ---------------------------------------------------------------------------------------------
# docs_build and docs_html (IDS109)

@pytest.mark.parametrize("makefile", [MAKEFILE, NETWORKX_MAKEFILE], ids=["sphinx", "networkx"])
def test_a_makefile_build_folder_that_docs_html_misses(project, makefile):
    repo = project(docs_build="make -C doc html")
    (repo / "doc" / "Makefile").write_text(makefile)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS109")]), report.output
    assert report.message("IDS109").startswith(
        "docs_build (make -C doc html) writes the site to doc/build/html, but docs_html is "
        "doc/_build/html")
    assert data_of(report.fix("IDS109")) == {"docs_html": "doc/build/html"}

    fixed = project(docs_build="make -C doc html", docs_html="doc/build/html")
    (fixed / "doc" / "Makefile").write_text(makefile)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


# cycler's: the build folder in a variable, the sources in doc/source.
CYCLER_MAKEFILE = """\
SPHINXOPTS    =
SPHINXBUILD   = sphinx-build
BUILDDIR      = build
ALLSPHINXOPTS = -d $(BUILDDIR)/doctrees $(SPHINXOPTS) source

html:
\t$(SPHINXBUILD) -b html $(ALLSPHINXOPTS) $(BUILDDIR)/html
\t@echo "Build finished. The HTML pages are in $(BUILDDIR)/html."
"""
# A target that only depends on others, a default that the environment overrides, options
# added to.
SPLIT_MAKEFILE = """\
BUILDDIR ?= _build
SPHINXOPTS := -W
SPHINXOPTS += --keep-going
.PHONY: html prepare sphinx-html

html: prepare sphinx-html

prepare:
\tpython ../tools/prepare.py

sphinx-html:
\tcd source && python -m sphinx $(SPHINXOPTS) -M html . ../$(BUILDDIR)
"""


@pytest.mark.parametrize("makefile, command, expected", [
    (MAKEFILE, "make -C doc html", "doc/build/html"),
    (MAKEFILE, "make -C doc html BUILDDIR=out", "doc/out/html"),
    (NETWORKX_MAKEFILE, "make -C doc html", "doc/build/html"),
    (NETWORKX_MAKEFILE, 'make -C doc/ SPHINXOPTS="-j 2" html', "doc/build/html"),
    (CYCLER_MAKEFILE, 'make -C doc html SPHINXOPTS="-T -j4" && rm -r doc/build/html/_sources',
     "doc/build/html"),
    (CYCLER_MAKEFILE, "cd doc && make BUILDDIR=_build html", "doc/_build/html"),
    (SPLIT_MAKEFILE, "make --directory=doc html", "doc/_build/html"),
    (SPLIT_MAKEFILE, "BUILDDIR=site make -C doc html", "doc/site/html"),
    # No Sphinx HTML build: nothing to compare docs_html with.
    (NETWORKX_MAKEFILE, "make -C doc latex", None),
    (NETWORKX_MAKEFILE, "make -C docs html", None),
], ids=["sphinx", "sphinx-BUILDDIR", "networkx", "networkx-SPHINXOPTS", "cycler-then-rm",
        "cycler-cd-BUILDDIR", "split", "split-env", "not-html", "no-makefile"])
def test_where_make_writes_the_site(tmp_path, makefile, command, expected):
    (tmp_path / "doc" / "source").mkdir(parents=True)
    (tmp_path / "doc" / "Makefile").write_text(makefile)
    repo = check_setup.Repo(root=tmp_path.resolve(), docs=tmp_path / "doc", answers={})
    assert check_setup.built_by(repo, command) == expected
    assert make_writes(tmp_path, command) == ([expected] if expected else [])


def make_writes(root: Path, command: str) -> list[str]:
    """Where GNU make itself, asked what it would run (-n), runs Sphinx's HTML builds to, when
    bash runs this command in this folder."""
    dry_run = subprocess.run(
        ["bash", "-c", 'make() { command make -n -w "$@"; }; rm() { :; }; ' + command],
        cwd=root, capture_output=True, text=True, timeout=30).stdout
    folder, written = root, []
    for line in dry_run.splitlines():
        entering = re.match(r"make(?:\[\d+\])?: Entering directory '(.*)'", line)
        if entering:
            folder = Path(entering[1])
        cd = folder
        for words in check_setup.commands(line):
            if words[0] == "cd":
                cd = cd / words[1]
            elif "html" in words and (out := check_setup.sphinx_output(words)):
                written.append((cd / out).resolve().relative_to(root.resolve()).as_posix())
    return written


def test_a_docs_makefile_while_docs_build_is_the_default(project):
    repo = project()
    (repo / "doc" / "Makefile").write_text(MAKEFILE)
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS109")]), report.output
    answers = data_of(report.fix("IDS109"))
    assert answers == {"docs_build": "make -C doc html", "docs_html": "doc/build/html"}

    fixed = project(**answers)
    (fixed / "doc" / "Makefile").write_text(MAKEFILE)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


def test_python_m_sphinx_with_a_compiled_flat_layout(project):
    build = "python -m sphinx -b html doc doc/_build/html"
    repo = project("compiled_repo", package_kind="compiled", docs_build=build)
    (repo / "src" / "cmod").rename(repo / "cmod")
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS109")]), report.output
    answers = data_of(report.fix("IDS109"))
    assert answers == {"docs_build": "sphinx-build -b html doc doc/_build/html"}

    fixed = project("compiled_repo", package_kind="compiled", **answers)
    (fixed / "src" / "cmod").rename(fixed / "cmod")
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output
    # In a src layout the source tree is not importable from the root: no finding.
    report = check(project("compiled_repo", package_kind="compiled", docs_build=build))
    assert (report.returncode, report.findings) == (0, []), report.output


# ---------------------------------------------------------------------------------------------
# The docs job in CI (IDS110)

DOCS_JOB = """\
name: docs
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: python -m pip install -r doc/requirements.txt .
      - run: sphinx-build -W -b html doc doc/_build/html
"""
UPLOADS_THE_SITE = """\
      - uses: actions/upload-artifact@v5
        with:
          name: docs-html
          path: doc/_build/html
"""


def alternatives(fix: str) -> tuple[str, str]:
    """A GitHub docs job's fix: docs_ci=own, or both builds with its commands as answers."""
    own, both = fix.split("; or, to keep both builds: ")
    return own, "commit, then: " + both


def test_a_docs_workflow_of_its_own_builds_the_docs_twice(project):
    repo = project()
    (repo / ".github" / "workflows" / "docs.yml").write_text(DOCS_JOB)
    report = check(repo)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS110")]), report.output
    assert report.message("IDS110").startswith(
        ".github/workflows/docs.yml already builds the docs (.github/workflows/docs.yml:8: "
        "python -m pip install -r doc/requirements.txt .; .github/workflows/docs.yml:9: "
        "sphinx-build -W -b html doc doc/_build/html)")
    own, both = alternatives(report.fix("IDS110"))
    assert data_of(own) == {"docs_ci": "own"}
    assert "then in .github/workflows/docs.yml upload the site and call .github/workflows/" \
        "interactive-docs-check.yml" in own

    # docs_ci=own: then the project's job must call the check.
    fixed = project(docs_ci="own")
    workflow = fixed / ".github" / "workflows" / "docs.yml"
    workflow.write_text(DOCS_JOB)
    report = check(fixed)
    assert (report.returncode, report.codes) == (0, [("advice", "IDS110")]), report.output
    assert "no workflow calls interactive-docs-check.yml" in report.message("IDS110")
    # The step and the job it names, the job as printed.
    assert report.fix("IDS110").startswith("in .github/workflows/docs.yml, upload the built site")
    job = re.search(r"`(check: .*)`", report.fix("IDS110"))[1]
    append(workflow, UPLOADS_THE_SITE + f"  {job}\n")
    assert yaml.safe_load(workflow.read_text())["jobs"]["check"] == {
        "needs": "build", "uses": "./.github/workflows/interactive-docs-check.yml",
        "with": {"artifact": "docs-html"}}
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output

    # Or both, with the job's own commands as the answers (its install is the default's).
    assert data_of(both) == {"docs_build": "sphinx-build -W -b html doc doc/_build/html"}
    both = project(**data_of(both))
    (both / ".github" / "workflows" / "docs.yml").write_text(DOCS_JOB)
    report = check(both)
    assert (report.returncode, report.findings) == (0, []), report.output


# networkx's CircleCI docs job: first the backends' stubs, from git, then the project with its
# extras, then make; and another job that installs the project for its tests.
NETWORKX_CIRCLECI = """\
version: 2.1

jobs:
  documentation:
    docker:
      - image: cimg/python:3.12
    steps:
      - checkout
      - run:
          name: Install Python dependencies
          command: |
            python3 -m venv venv
            source venv/bin/activate
            pip install --upgrade pip
            # Backends, without their dependencies.
            pip install nx-cugraph-cu11 --extra-index-url https://pypi.example.org/simple --no-deps
            pip install git+https://github.com/python-graphblas/graphblas-algorithms.git@main
            pip install git+https://github.com/networkx/nx-parallel.git@main --no-deps
            pip install git+https://github.com/awslabs/nx-neptune.git@main --no-deps
      - run:
          name: Install
          command: |
            source venv/bin/activate
            pip install -e '.[default,test,extra,example,doc]'
            pip install -e .
      - run:
          name: Build docs
          command: |
            export OMP_NUM_THREADS=1
            source venv/bin/activate
            make -C doc/ SPHINXOPTS="-j 2" html
      - store_artifacts:
          path: doc/build/html

  image:
    docker:
      - image: cimg/python:3.12
    steps:
      - checkout
      - run: pip install -e .[default,test]
      - run: pytest --mpl --pyargs mylib
"""
NETWORKX_EXTRAS = """
[project.optional-dependencies]
default = ["numpy>=2"]
test = ["pytest>=7.2"]
extra = ["lxml>=4.6"]
example = ["seaborn>=0.13"]
doc = ["sphinx>=8.0", "numpydoc>=1.8.0"]
"""
# networkx's GitHub deploy job: a pixi task that runs make.
NETWORKX_DEPLOY = """\
name: deploy
on:
  push:
    branches: [main]
jobs:
  documentation:
    runs-on: ubuntu-22.04
    steps:
      - uses: actions/checkout@v5
      - uses: prefix-dev/setup-pixi@v0.10.0
        with:
          environments: docs
      - name: Install backend stubs
        run: pixi run -e docs install-backend-stubs
      - name: Build docs
        run: pixi run -e docs docs-build
"""


def networkx_layout(repo: Path, deploy: str | None = None) -> None:
    """networkx's docs set-up: its extras, its Makefile, CircleCI; no Read the Docs, no
    doc/requirements.txt."""
    append(repo / "pyproject.toml", NETWORKX_EXTRAS)
    (repo / "doc" / "Makefile").write_text(NETWORKX_MAKEFILE)
    append(repo / ".circleci" / "config.yml", NETWORKX_CIRCLECI)
    (repo / "doc" / "requirements.txt").unlink()
    (repo / ".readthedocs.yaml").unlink()
    if deploy:
        (repo / ".github" / "workflows" / "deploy-docs.yml").write_text(deploy)


NETWORKX_ANSWERS = {"docs_install": "pip install -e '.[default,test,extra,example,doc]'",
                    "docs_build": 'make -C doc/ SPHINXOPTS="-j 2" html',
                    "docs_html": "doc/build/html"}


def test_a_circleci_docs_job_gives_its_commands_as_the_answers(project):
    repo = project()
    networkx_layout(repo)
    report = check(repo)
    assert (report.returncode, report.codes) == (1, [("error", "IDS108"), ("advice", "IDS110")]), \
        report.output
    # The lines that install the project and build the docs, not the first pip lines, nor
    # the other job's.
    lines = NETWORKX_CIRCLECI.splitlines()
    install = lines.index("            pip install -e '.[default,test,extra,example,doc]'") + 1
    build = lines.index('            make -C doc/ SPHINXOPTS="-j 2" html') + 1
    assert report.message("IDS110") == (
        f".circleci/config.yml builds the docs (.circleci/config.yml:{install}: "
        "pip install -e '.[default,test,extra,example,doc]'; .circleci/config.yml:"
        f'{build}: make -C doc/ SPHINXOPTS="-j 2" html), but the example check runs only on '
        "GitHub Actions: there interactive-docs.yml builds them with the default docs_install "
        "and docs_build.")
    # GitHub cannot call a CircleCI job: the fix is its commands as the answers, and the
    # missing requirements file's fix is the same one update.
    assert data_of(report.fix("IDS110")) == NETWORKX_ANSWERS
    assert report.fix("IDS108") == report.fix("IDS110")

    fixed = project(**NETWORKX_ANSWERS)
    networkx_layout(fixed)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output


def test_a_github_docs_job_that_runs_a_pixi_task(project):
    # networkx: the docs deployed from a GitHub job (pixi), built for pull requests on CircleCI.
    repo = project()
    networkx_layout(repo, NETWORKX_DEPLOY)
    report = check(repo)
    assert report.codes == [("error", "IDS108"), ("advice", "IDS110")], report.output
    assert report.message("IDS110").startswith(
        ".circleci/config.yml, .github/workflows/deploy-docs.yml already build the docs")
    own, both = alternatives(report.fix("IDS110"))
    assert data_of(own) == {"docs_ci": "own"}
    assert "then in .github/workflows/deploy-docs.yml upload the site" in own
    assert data_of(both) == NETWORKX_ANSWERS

    # A pixi task that is not the docs build is no docs job: CircleCI's is the only one.
    other = project()
    networkx_layout(other, NETWORKX_DEPLOY.replace("docs-build", "lint"))
    report = check(other)
    assert report.message("IDS110").startswith(".circleci/config.yml builds the docs")
    assert data_of(report.fix("IDS110")) == NETWORKX_ANSWERS
def test_docs_ci_own_needs_a_github_docs_job(project):
    # Only CircleCI builds the docs: nothing can call the check.
    repo = project(docs_ci="own")
    networkx_layout(repo)
    report = check(repo)
    assert report.codes == [("error", "IDS108"), ("advice", "IDS110")], report.output
    assert report.message("IDS110").startswith(
        "docs_ci is own, but .circleci/config.yml builds the docs, and only a GitHub Actions "
        "job can call interactive-docs-check.yml")
    answers = data_of(report.fix("IDS110"))
    assert answers == {"docs_ci": "template", **NETWORKX_ANSWERS}
    assert report.fix("IDS108") == report.fix("IDS110")
    fixed = project(**answers)
    networkx_layout(fixed)
    report = check(fixed)
    assert (report.returncode, report.findings) == (0, []), report.output

    # A GitHub docs job can: the fix names it.
    repo = project(docs_ci="own")
    networkx_layout(repo, NETWORKX_DEPLOY)
    report = check(repo)
    assert report.message("IDS110").startswith("docs_ci is own, but no workflow calls")
    assert report.fix("IDS110").startswith("in .github/workflows/deploy-docs.yml, upload the")
    assert "`check: {needs: documentation, uses: " in report.fix("IDS110")


# cycler's CircleCI: steps that name reusable commands, a user install, the build run in doc/.
CYCLER_CIRCLECI = """\
version: 2.1
commands:
  pip-install:
    steps:
      - run:
          name: Upgrade pip
          command: python -m pip install --upgrade --user pip
  cycler-install:
    steps:
      - run:
          name: Install Cycler
          command: python -m pip install --user -ve .[docs]
  doc-build:
    steps:
      - run:
          name: Build documentation
          command: |
            mkdir -p logs
            make html SPHINXOPTS="-T -j4 -w /tmp/sphinxerrorswarnings.log"
            rm -r build/html/_sources
          working_directory: doc
jobs:
  docs-python39:
    docker:
      - image: cimg/python:3.9
    steps:
      - checkout
      - pip-install
      - cycler-install
      - doc-build
      - store_artifacts:
          path: doc/build/html
"""


def test_a_circleci_job_of_reusable_commands_that_builds_in_the_docs_folder(tmp_path):
    (tmp_path / "doc" / "source").mkdir(parents=True)
    (tmp_path / "doc" / "Makefile").write_text(CYCLER_MAKEFILE)
    append(tmp_path / ".circleci" / "config.yml", CYCLER_CIRCLECI)
    repo = check_setup.Repo(root=tmp_path.resolve(), docs=tmp_path / "doc" / "source",
                            answers={})
    [job] = check_setup.docs_jobs(repo)
    # The lines as written, with their numbers; not the upgrade of pip.
    lines = CYCLER_CIRCLECI.splitlines()
    install = "python -m pip install --user -ve .[docs]"
    build = 'make html SPHINXOPTS="-T -j4 -w /tmp/sphinxerrorswarnings.log"'
    assert [(number, line) for number, line, _ in job.installs + job.builds] == [
        (lines.index(f"          command: {install}") + 1, install),
        (lines.index(f"            {build}") + 1, build)]
    # As answers: no user install, and run from the repository root, where the docs workflow
    # runs them; make then builds into docs_html.
    answers = job.answers(repo)
    assert answers == {"docs_install": "python -m pip install -ve .[docs]",
                       "docs_build": f"cd doc && {build}", "docs_html": "doc/build/html"}
    assert make_writes(tmp_path, answers["docs_build"]) == ["doc/build/html"]
    assert make_writes(tmp_path, build) == []  # as written, it runs nothing from the root


# ---------------------------------------------------------------------------------------------
# Its parts: the YAML reader, versions, install commands

YAML_DOCS = [
    # Block scalars, with their chomping and folding.
    "a: |\n  line 1\n    indented\n  line 3\n\nb: >\n  folded\n  text\n\n  para\n"
    "c: |-\n  strip\nd: |+\n  keep\n\ne: x\n",
    # A Read the Docs config: nested keys, a sequence at its key's indentation, flow lists
    # over lines, comments.
    'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\n  jobs:\n'
    "    post_install:\n      - |\n        echo one\n        # not a comment\n"
    "      - >-\n        echo two\n        three\nsphinx:\n  configuration: doc/conf.py  # here\n"
    "python:\n  install:\n  - requirements: util/readthedocs/requirements.txt\n"
    "  - method: pip\n    path: .\n    extra_requirements: [doc,\n      test]   # comment\n",
    # A pre-commit config: quoted values with ": " and "#", flow mappings, a verbose exclude.
    "# top\nrepos:\n  - repo: local\n    hooks:\n    - id: x\n      name: \"a: b\"\n"
    "      entry: python -c 'print(\"#1\")'\n      types_or: [python, pyi]\n"
    "      additional_dependencies:\n        - \"numpy>=1,<2\"\n        - {a: 1, b: [2, 3]}\n"
    "exclude: |\n  (?x)^(\n    a|\n    b\n  )$\n",
    # Plain and quoted scalars over lines, escapes, document markers.
    "---\nkey: value\n  continued\nother: 'it''s\n  two lines'\nthird: \"x\\ty \\\n  z\"\n...\n",
]


@pytest.mark.parametrize("text", YAML_DOCS)
def test_the_yaml_reader_reads_what_pyyaml_reads(text):
    assert check_setup.read_yaml(text) == yaml.load(text, Loader=yaml.BaseLoader)


_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"],
                            exclude_characters="\x85\ufeff", max_codepoint=0x2100)
_ALPHABET = _CHARACTERS | st.sampled_from(list(" :#-'\"[]{},&*!|>%@`?\n\t\\"))
_KEYS = st.text(_ALPHABET.filter(lambda c: c not in "\n\t"), min_size=1, max_size=8)
_DATA = st.recursive(st.text(_ALPHABET, max_size=12), lambda children: st.lists(
    children, max_size=3) | st.dictionaries(_KEYS, children, max_size=3), max_leaves=10)


@settings(max_examples=300, deadline=None, database=None)
@given(st.dictionaries(_KEYS, _DATA, max_size=4), st.sampled_from([None, True, False]),
       st.sampled_from([None, "'", '"']), st.sampled_from([10, 80]), st.booleans())
def test_the_yaml_reader_reads_what_pyyaml_writes(data, flow, style, width, start):
    # PyYAML writes every style the reader knows: flow and block, plain and quoted scalars,
    # folded over lines at a small width.
    text = yaml.dump(data, default_flow_style=flow, default_style=style, width=width,
                     allow_unicode=True, explicit_start=start)
    assert check_setup.read_yaml(text) == yaml.load(text, Loader=yaml.BaseLoader), text


@pytest.mark.parametrize("text, error", [
    ("a:\n\tb: 1\n", "line 2: a tab in the indentation"),
    ("a: 'x\n", "line 1: a quoted value that does not close"),
    ("a: [1, 2\n", "line 1: a flow list that does not close"),
    ("a: {b: 1\nc: 2\n", "line 1: a flow mapping that does not close"),
    (" a: 1\nb: 2\n", "line 2: unexpected indentation"),
    ("a: 1\n- b\n", "line 2: expected `key: value`"),
    ('a: "\\q"\n', "line 1: unknown escape \\q"),
])
def test_the_yaml_reader_says_which_line_it_cannot_read(text, error):
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    with pytest.raises(check_setup.YamlError, match=re.escape(error)):
        check_setup.read_yaml(text)


@pytest.mark.parametrize("specifiers, expected", [
    ("==0.5.1", False), (">=0.8", True), ("~=0.8.0", True), ("~=0.5.0", False),
    ("~=0.8", True), ("==0.8.*", True), ("!=0.8.*", False), ("==0.8.6.0", True),
    (">0.8.6rc1", True), ("<0.8.6rc1", False), (">=0.9.0.dev0", False),
    ("<=0.8.6.post1", True), (">=0.5,<0.8", False), ("", True), ("== 0.8.6", True),
])
def test_a_version_meets_specifiers_as_pip_reads_them(specifiers, expected):
    assert check_setup.satisfies("0.8.6", specifiers) is expected
    assert (SpecifierSet(specifiers.replace(" ", "")).contains("0.8.6")) is expected


_RELEASES = st.lists(st.integers(0, 3), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts)))
_SUFFIXES = st.sampled_from(["", "a1", "b2", "rc1", ".post1", ".dev0", "rc1.dev2", ".post2.dev1"])


@settings(max_examples=500, deadline=None, database=None)
@given(_RELEASES, st.lists(st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "~="]),
                                     _RELEASES, _SUFFIXES, st.booleans()), min_size=1, max_size=3))
def test_versions_compare_as_packaging_compares_them(version, specs):
    # The pins are final releases; what a project asks for may be any version.
    texts = []
    for op, release, suffix, star in specs:
        if op == "~=" and "." not in release:
            release += ".0"
        texts.append(f"{op}{release}.*" if star and op in ("==", "!=") else
                     f"{op}{release}{suffix}")
    specifiers = ",".join(texts)
    assert check_setup.satisfies(version, specifiers) is SpecifierSet(specifiers).contains(
        version, prereleases=True), specifiers


@pytest.mark.parametrize("word", [
    "docs_html=doc/build/html", "docs_install=pip install -e '.[doc,test]'",
    """docs_build=make -C doc SPHINXOPTS="-j 2" html""", "docs_build=make O='-D x=$HOME' html",
    "docs_build=echo 'it''s' \\ \"done\" !",
])
def test_a_printed_answer_reaches_copier_as_it_is(word):
    # bash reads the word of the printed command back as the answer.
    quoted = check_setup.quote(word)
    printed = subprocess.run(["bash", "-c", f"printf %s {quoted}"], capture_output=True,
                             text=True, check=True).stdout
    assert printed == word
    # Single quotes alone read better in double quotes.
    assert quoted.startswith('"') == (word == "docs_install=pip install -e '.[doc,test]'")


@pytest.mark.parametrize("line, expected", [
    ('make -C doc/ SPHINXOPTS="-j 2" html', True), ("make html-noplot", True),
    ("python -m sphinx -b html doc doc/_build/html", True), ("tox -e docs", True),
    ("python -m tox run -e py312,docs", True), ("nox -s build_docs", True),
    ("pixi run -e docs docs-build", True), ("pixi run --frozen build-docs", True),
    # Lines that only mention the docs, or build something else.
    ("make -C doc/ latexpdf", False), ("cp -a doc/build/latex/ref.pdf doc/build/html/.", False),
    ("python -m pip install tox  # for the docs", False), ("tox -e doctest", False),
    ("pixi run -e docs install-backend-stubs", False), ("nox -s tests -- docs/", False),
])
def test_what_a_ci_line_that_builds_the_docs_is(line, expected):
    assert check_setup.builds_docs(line) is expected


@pytest.mark.parametrize("line, expected", [
    ("pip install -e '.[default,test,extra,example,doc]'",
     {".", ".[default]", ".[test]", ".[extra]", ".[example]", ".[doc]"}),
    ("python -m pip install --user -ve .[docs]", {".", ".[docs]"}),
    ("python -m pip install -r requirements/doc.txt -r requirements.txt",
     {"-r requirements/doc.txt"}),
    ("uv pip install --group docs .", {"--group docs", "."}),
    # Not the project: pip itself, other packages, from git or an index.
    ("pip install --upgrade pip", set()),
    ("pip install git+https://github.com/networkx/nx-parallel.git@main --no-deps", set()),
    ("pip install nx-cugraph-cu11 --extra-index-url https://pypi.example.org/simple", set()),
    ("python -m pip install -r requirements/test.txt", set()),
])
def test_what_a_ci_line_installs_of_the_project(line, expected):
    assert check_setup.project_targets(line) == expected


@pytest.mark.parametrize("command, expected", [
    ('python -m pip install -r doc/requirements.txt -c constraints.txt ".[doc,Test]"',
     (["doc/requirements.txt", "constraints.txt"], ["doc", "test"], [])),
    ("python -m pip install --group docs --group=other:lint -e.[plot] .",
     ([], ["plot"], ["docs"])),
    ('python -c "import sys" && python -m pip install --requirement=req.txt sphinx[x]',
     (["req.txt"], [], [])),
    ("uv sync --extra doc --group Docs_Group", ([], ["doc"], ["docs-group"])),
])
def test_what_an_install_command_installs(command, expected):
    assert check_setup.install_targets(command) == expected


def test_requirement_lines_follow_nested_files_past_comments_and_hashes(tmp_path):
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "base.txt").write_text("sphinx>=8  # the docs\n-c pins.txt\n")
    (tmp_path / "ci" / "pins.txt").write_text("numpydoc==1.11.0\n")
    (tmp_path / "docs.txt").write_text(
        "# pip-compile output\n-r ci/base.txt\njupytext==1.19.6 \\\n"
        "    --hash=sha256:0123456789abcdef\n--requirement=ci/base.txt\n")
    found = [(path.relative_to(tmp_path).as_posix(), number, line)
             for path, number, line in check_setup.requirement_lines(tmp_path / "docs.txt")]
    assert found == [("ci/base.txt", 1, "sphinx>=8"), ("ci/pins.txt", 1, "numpydoc==1.11.0"),
                     ("docs.txt", 3, "jupytext==1.19.6")]
