"""Update: `copier update` brings template changes and keeps the user's edits.

The template is copied into a tmp git repo tagged v1; a project is generated from it and
committed; the template changes and is tagged v2; the project is updated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from copier import run_copy, run_update

from conftest import ANSWERS_FILE, build_docs, commit_all, git, tagged_template

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
