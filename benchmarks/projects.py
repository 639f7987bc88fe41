"""The projects the benchmarks compare: generated from this template, then varied.

Variants of the same generated docs:

- ``interactive``: as generated (the template's setup);
- ``without``: the ``conf.py`` line that turns the setup on removed, so no JupyterLite;
- ``defaults``: jupyterlite-sphinx with its plain defaults instead of the template's
  extension, plus what the examples need to run at all (see ``DEFAULTS_CONF``).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import CACHE, commit_all, git, pip_install, render, tagged_template
from harness import local_pyodide

VARIANTS = ("interactive", "without", "defaults")
DISTRIBUTION = "example-project"
PACKAGE = "example_project"
# The one line of the generated conf.py that turns the interactive setup on.
ENABLE_LINE = 'extensions.append("interactive_docs")  # copier-interactive-docs'
# jupyterlite-sphinx's defaults, plus what the examples need to import the project. The
# warning text is there because jupyterlite-sphinx 0.23.0 inserts the preamble at index 1,
# after its warning cell: with no warning, the install lands after the first example cell.
DEFAULTS_CONF = f"""
extensions.append("jupyterlite_sphinx")
global_enable_try_examples = True
try_examples_preamble = "%pip install {DISTRIBUTION}"
try_examples_global_warning_text = "Interactive examples are experimental."
"""


def template_repo(work: Path) -> Path:
    return tagged_template(work / "template")


def docs_venv(project: Path) -> Path:
    """A venv from the generated docs/requirements.txt, kept in .cache/ across runs."""
    requirements = project / "docs" / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    env = CACHE / "bench" / f"docs-venv-{digest}"
    python = env / "bin" / "python"
    if not (env / ".complete").is_file():
        shutil.rmtree(env, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        pip_install(python, "-r", str(requirements))
        (env / ".complete").touch()
    install(python, project)
    return python


def install(python: Path, project: Path) -> None:
    """Install the project into the docs venv: autodoc imports it from there."""
    pip_install(python, "--no-deps", "--force-reinstall", str(project))


def many_functions_module(count: int) -> str:
    """A module of `count` documented functions, each with a numpydoc Examples section."""
    functions = [f'''

def scaled_{i:04d}(value: float) -> float:
    """Multiply `value` by {i}.

    Parameters
    ----------
    value : float
        The number to scale.

    Returns
    -------
    float
        ``value * {i}``.

    Examples
    --------
    >>> from {PACKAGE}.many import scaled_{i:04d}
    >>> scaled_{i:04d}(2.0)
    {2.0 * i}
    """
    return value * {i}
''' for i in range(count)]
    return '"""Generated functions that measure how the docs build grows."""\n' + "".join(functions)


TWO_EXAMPLES = f""":orphan:

Two examples
============

.. autofunction:: {PACKAGE}.fibonacci
   :no-index:

.. autofunction:: {PACKAGE}.mean
   :no-index:
"""


def make_project(template: Path, dest: Path, variant: str, *, functions: int = 0,
                 offline_pyodide: Path | None = None) -> Path:
    """Generate the default project as `variant`, committed to git so `clean` can reset it.

    functions: add a module of that many documented functions to the API page.
    offline_pyodide: a local Pyodide (harness.local_pyodide) to use instead of the CDN.
    """
    render(template, dest)
    docs = dest / "docs"
    conf = docs / "conf.py"
    text = conf.read_text()
    assert ENABLE_LINE in text, "the generated conf.py no longer has the line that enables the setup"
    if variant == "without":
        conf.write_text(text.replace(ENABLE_LINE, ""))
    elif variant == "defaults":
        conf.write_text(text.replace(ENABLE_LINE, "") + DEFAULTS_CONF)
        for owned in ("interactive_docs", "try_examples.json", "jupyterlite"):
            path = docs / owned
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    # A page with two examples: the in-page runner's second one shares the first's Python.
    (docs / "two_examples.rst").write_text(TWO_EXAMPLES)
    if functions:
        (dest / "src" / PACKAGE / "many.py").write_text(many_functions_module(functions))
        with (docs / "api.rst").open("a") as api:
            api.write(f"\n.. currentmodule:: {PACKAGE}.many\n\n.. autosummary::\n   :toctree: generated/\n\n")
            api.writelines(f"   scaled_{i:04d}\n" for i in range(functions))
    if offline_pyodide is not None and variant != "without":
        # jupyterlite-sphinx's default lite dir is the docs folder itself.
        lite_dir = docs / "jupyterlite" if variant == "interactive" else docs
        local_pyodide.install_into_lite_dir(offline_pyodide, lite_dir)
    git(dest, "init", "-q")
    git(dest, "add", "--force", ".")  # the local Pyodide too, which .gitignore files name
    git(dest, "commit", "-q", "-m", "Generate")
    return dest


def add_project_wheel(project: Path, python: Path) -> None:
    """The wheel the `defaults` variant's preamble installs: built once, by hand, into the
    lite dir's pypi/ (which jupyterlite-pyodide-kernel indexes), and committed."""
    pypi = project / "docs" / "pypi"
    subprocess.run([str(python), "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "--wheel-dir", str(pypi), str(project)],
                   check=True)
    git(project, "add", "-f", "docs/pypi")
    git(project, "commit", "-q", "-m", "Add the project wheel")


def clean(project: Path) -> None:
    """Back to the committed checkout, as CI starts: no build output, no cached state."""
    git(project, "clean", "-fdxq")


def build(python: Path, project: Path, *, strict: bool) -> float:
    """Clean, then build the docs as their README says; return the build's wall time.

    strict: with -W. The `without` variant keeps the tutorial's notebooklite directive,
    which warns without jupyterlite-sphinx, so it builds without -W.
    """
    clean(project)
    docs = project / "docs"
    command = [str(python), "-m", "sphinx", "--keep-going", "-q", "-b", "html",
               str(docs), str(docs / "_build" / "html")]
    if strict:
        command.insert(3, "-W")
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=project)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        # The lite build's debug log fills stderr: show Sphinx's own complaints.
        problems = [line for line in result.stderr.splitlines()
                    if re.search(r"WARNING|ERROR|Error|Traceback", line)]
        raise RuntimeError(f"docs build of {project} failed (exit {result.returncode}):\n"
                           + "\n".join(problems[-40:]) + result.stdout[-2000:])
    return seconds


def site_bytes(html: Path) -> int:
    return sum(p.stat().st_size for p in html.rglob("*") if p.is_file())


def offline_pyodide() -> Path:
    """The local Pyodide the tests use (built once into .cache/)."""
    return local_pyodide.build_local_pyodide(CACHE / "pyodide")
