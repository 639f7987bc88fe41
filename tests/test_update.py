"""Update: `copier update` brings template changes and keeps the user's edits.

The template is copied into a tmp git repo tagged v1; a project is generated from it and
committed; the template changes and is tagged v2; the project is updated.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from copier import run_copy, run_update

from conftest import (ANSWERS_FILE, ROOT, build_docs, build_project, commit_all, git, hook_line,
                      tagged_template, try_offline)
from harness import local_pyodide
from harness.browser import offline_browser, run_in_page, serve

REQUIREMENTS = "template/{{ docs_dir }}/{% if project_kind == 'new' %}requirements.txt{% else %}requirements-interactive.txt{% endif %}.jinja"


@pytest.fixture
def template_repo(tmp_path) -> Path:
    return tagged_template(tmp_path / "template-repo")


def release_v2(template: Path) -> None:
    """A template change: a pin bump and a new file, tagged v2."""
    requirements = template / REQUIREMENTS
    requirements.write_text(requirements.read_text().replace("numpydoc==1.11.0", "numpydoc==1.11.1"))
    (template / "template" / "{{ docs_dir }}" / "jupyterlite" / "CHANGES.md").write_text(
        "Added in v2.\n")
    # Template-owned files whose names a user-owned root file shares must still update.
    for name in ["README.md", ".gitignore"]:
        owned = template / "template" / "{{ docs_dir }}" / "jupyterlite" / name
        owned.write_text(owned.read_text() + "<!-- v2 -->\n" if name == "README.md"
                         else owned.read_text().replace("pypi/\n", "pypi/\n# v2\n"))
    commit_all(template, "v2")
    git(template, "tag", "v2")


@pytest.fixture
def project(template_repo, tmp_path) -> Path:
    """A project generated from v1 and committed."""
    dest = tmp_path / "project"
    run_copy(str(template_repo), dest, defaults=True, unsafe=False, quiet=True)
    git(dest, "init", "-q")
    commit_all(dest, "Generate from v1")
    return dest


def update(project: Path, **answers) -> None:
    run_update(str(project), answers_file=ANSWERS_FILE, data=answers, defaults=True,
               overwrite=True, unsafe=False, quiet=True)


def test_update_brings_template_changes_and_keeps_both_edits(template_repo, project):
    docs = project / "docs"
    # A user edit to a template-owned file, and one to a user-owned file.
    gitignore = docs / "jupyterlite" / ".gitignore"
    gitignore.write_text(gitignore.read_text() + "notes/\n")
    conf = docs / "conf.py"
    conf.write_text(conf.read_text() + 'html_title = "Our docs"\n')
    commit_all(project, "Our edits")
    release_v2(template_repo)

    update(project)

    requirements = (docs / "requirements.txt").read_text()
    assert "numpydoc==1.11.1" in requirements and "numpydoc==1.11.0" not in requirements
    assert (docs / "jupyterlite" / "CHANGES.md").read_text() == "Added in v2.\n"
    assert (docs / "jupyterlite" / "README.md").read_text().endswith("<!-- v2 -->\n")
    assert "# v2\n" in gitignore.read_text()
    assert gitignore.read_text().endswith("notes/\n")
    assert conf.read_text().endswith('html_title = "Our docs"\n')
    assert "_commit: v2" in (project / ANSWERS_FILE).read_text()
    assert "<<<<<<<" not in git(project, "diff")


def test_update_without_template_change_changes_nothing(template_repo, project):
    update(project)
    assert git(project, "status", "--porcelain") == ""


def test_same_line_edit_gives_conflict_markers(template_repo, project):
    requirements = project / "docs" / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("numpydoc==1.11.0", "numpydoc==1.10.0"))
    commit_all(project, "Hold numpydoc back")
    release_v2(template_repo)

    update(project)

    text = requirements.read_text()
    assert "<<<<<<< before updating\nnumpydoc==1.10.0\n=======\nnumpydoc==1.11.1\n>>>>>>> after updating\n" in text
    # Only that line is in conflict.
    assert text.count("<<<<<<<") == 1


def test_crlf_files_update_without_whole_file_conflicts(template_repo, project):
    # Files saved with CRLF line endings (a Windows editor) and committed.
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.relative_to(project).parts:
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    git(project, "add", "-A")
    git(project, "commit", "-q", "--allow-empty", "-m", "Save with CRLF")
    assert git(project, "status", "--porcelain") == ""
    release_v2(template_repo)

    update(project)

    # The generated .gitattributes (eol=lf) keeps the comparison line by line: the update
    # changes one line of one file, with no conflict anywhere.
    diff = git(project, "diff")
    assert "<<<<<<<" not in diff
    assert git(project, "diff", "--name-only").split() == [
        ANSWERS_FILE, "docs/jupyterlite/.gitignore", "docs/jupyterlite/README.md",
        "docs/requirements.txt"]
    changed = [line for line in git(project, "diff", "--", "docs/requirements.txt").splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-numpydoc==1.11.0", "+numpydoc==1.11.1"]


@pytest.mark.xdist_group("xeus")
def test_kernel_switch_by_update_rewrites_what_depends_on_it(template_repo, project, xeus_docs_python):
    conf_before = (project / "docs" / "conf.py").read_bytes()

    update(project, kernel="xeus")

    docs = project / "docs"
    changed = set(git(project, "status", "--porcelain").split()[1::2])
    assert changed == {ANSWERS_FILE, "docs/interactive_docs/settings.py", "docs/requirements.txt",
                       "docs/jupyterlite/environment.yml",
                       # the contributors' page: notebook pages open in JupyterLite now
                       "docs/interactive_examples.rst",
                       # CI: micromamba, the kernel pin Dependabot keeps apart, no Pyodide check
                       ".github/workflows/docs.yml", ".github/dependabot.yml",
                       ".github/workflows/wasm.yml", "tools/pyodide-tests/run.py"}
    assert "jupyterlite-xeus==" in (docs / "requirements.txt").read_text()
    assert "jupyterlite-pyodide-kernel==" not in (docs / "requirements.txt").read_text()
    assert (docs / "conf.py").read_bytes() == conf_before
    # Offline, the Xeus build's loud failure is the expected result.
    result = build_docs(xeus_docs_python, project)
    assert result.returncode != 0
    assert "needs the `micromamba` program" in result.stdout + result.stderr


def test_runner_switch_by_update_rewrites_only_the_settings_and_guide(template_repo, project):
    docs = project / "docs"
    assert 'RUNNER = "in-page"' in (docs / "interactive_docs" / "settings.py").read_text()
    conf_before = (docs / "conf.py").read_bytes()

    update(project, runner="jupyterlite")

    changed = set(git(project, "status", "--porcelain").split()[1::2])
    # The contributors' page says how notebook pages run: in place, or in JupyterLite.
    assert changed == {ANSWERS_FILE, "docs/interactive_docs/settings.py",
                       "docs/interactive_examples.rst"}
    assert 'RUNNER = "jupyterlite"' in (docs / "interactive_docs" / "settings.py").read_text()
    assert (docs / "conf.py").read_bytes() == conf_before
    commit_all(project, "JupyterLite runner")
    update(project, runner="in-page")
    assert 'RUNNER = "in-page"' in (docs / "interactive_docs" / "settings.py").read_text()
    assert git(project, "diff", "HEAD~1", "--stat") == ""  # back where it started


# Upgrade path: projects generated by the release before the extension became a package.
PREVIOUS_RELEASE = "578155d15e7628d2a3bc44e3d9105de9e2e3f019"
EXISTING_REPO = Path(__file__).parent / "fixtures" / "existing_repo"


@pytest.fixture
def upgrade_repo(tmp_path) -> Path:
    """The template as that release had it, tagged v1, and as it is now, tagged v2."""
    repo = tmp_path / "template-repo"
    repo.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE, "copier.yml",
                              "template"], capture_output=True, check=True).stdout
    tarfile.open(fileobj=io.BytesIO(archive)).extractall(repo, filter="data")
    git(repo, "init", "-q")
    commit_all(repo, "v1")
    git(repo, "tag", "v1")
    shutil.rmtree(repo / "template")
    shutil.copy(ROOT / "copier.yml", repo)
    shutil.copytree(ROOT / "template", repo / "template")
    commit_all(repo, "v2")
    git(repo, "tag", "v2")
    return repo


def user_files(project: Path, owned_by_user: list[str]) -> dict[str, bytes]:
    return {name: (project / name).read_bytes() for name in owned_by_user}


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["new", "existing"])
def test_projects_of_the_previous_release_update_and_run(upgrade_repo, tmp_path, kind,
                                                         docs_python, local_pyodide_dir):
    project = tmp_path / "project"
    if kind == "new":
        run_copy(str(upgrade_repo), project, vcs_ref="v1", defaults=True, unsafe=False, quiet=True)
        git(project, "init", "-q")
        docs, page = project / "docs", "generated/example_project.mean.html"
        owned_by_user = ["docs/conf.py", "docs/index.rst", "src/example_project/stats.py"]
        stats = project / "src" / "example_project" / "stats.py"
        stats.write_text(stats.read_text().replace("print(f\"{mean(range(101)):.1f}\")",
                                                   "print(\"upgraded\", mean(range(101)))"))
    else:
        shutil.copytree(EXISTING_REPO, project)
        git(project, "init", "-q")
        commit_all(project, "The maintainers' work")
        run_copy(str(upgrade_repo), project, vcs_ref="v1", defaults=True, unsafe=False,
                 quiet=True, data={"project_kind": "existing", "package_name": "mylib",
                                   "docs_dir": "doc"})
        docs, page = project / "doc", "index.html"
        owned_by_user = ["doc/conf.py", "doc/index.rst", "src/mylib/__init__.py", "pyproject.toml"]
        (docs / "conf.py").write_text((docs / "conf.py").read_text() + hook_line() + "\n")
    (docs / "conf.py").write_text((docs / "conf.py").read_text() + 'html_title = "Ours"\n')
    assert (docs / "interactive_docs.py").is_file()
    commit_all(project, "Generated by the previous release, with our edits")
    before = user_files(project, owned_by_user)

    update(project)

    assert user_files(project, owned_by_user) == before
    assert (docs / "interactive_docs" / "settings.py").is_file()
    assert not (docs / "interactive_docs.py").exists()  # the module the package replaces
    assert "<<<<<<<" not in git(project, "diff")
    # The example check, now a thin entry point to interactive_docs/check/, starts.
    check = subprocess.run([sys.executable, str(docs / "check_examples.py"), "--help"],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "--every-button" in check.stdout, check.stderr
    local_pyodide.install_into_lite_dir(local_pyodide_dir, docs / "jupyterlite")
    html, _ = build_project(docs_python, project, docs_dir=docs.relative_to(project).as_posix())
    wheel = "example_project-0.1.0" if kind == "new" else "mylib-2.3.0"
    result = try_offline(html, page, f"{wheel}-py3-none-any.whl")
    expected = "upgraded 50.0" if kind == "new" else "[3, 6, 21]"
    assert expected in "".join(result.outputs)
    # The update turned the in-page runner on (the new question's default): it runs too.
    with serve(html) as url, offline_browser() as browser:
        in_page = run_in_page(browser.new_page(), url + page)
    assert [cell.state for cell in in_page.cells] == ["done"] * len(in_page.cells)
    assert expected in "".join(cell.text for cell in in_page.example)
