# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""The project's wheel in the JupyterLite site, which every example installs first (Pyodide).

Where it comes from, in this order:

1. A wheel you give: ``interactive_docs_wheel`` in conf.py (relative to conf.py) or the
   ``INTERACTIVE_DOCS_WHEEL`` environment variable (relative to the working directory),
   naming the wheel or a folder that holds it. For a compiled project it must be a Pyodide
   wheel of this checkout, e.g. from cibuildwheel with ``CIBW_PLATFORM=pyodide``.
2. A pure project: a wheel built from the checkout while Sphinx reads and writes the pages.
3. A compiled project without a wheel: none. The examples install the project from Pyodide's
   packages or PyPI, unpinned, and their warning says the version may differ.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from . import settings

logger = logging.getLogger(__name__)

ENVIRONMENT_VARIABLE = "INTERACTIVE_DOCS_WHEEL"
PROJECT_ROOT = (Path(__file__).resolve().parent.parent / settings.PROJECT_ROOT).resolve()
# PEP 783 platform tag of each Pyodide ABI, by Pyodide's major version.
PYODIDE_PLATFORMS = {"314": "pyemscripten_2026_0_wasm32"}


class _State:
    version: str | None = None  # of the wheel in the site; None: unpinned
    build: tuple[list[str], Path, subprocess.Popen] | None = None  # a running `pip wheel`


_state = _State()
# The name normalized (PEP 503): lower case, runs of -_. as one "-"; package indexes key on it.
INDEX_NAME = re.sub(r"[-_.]+", "-", settings.DISTRIBUTION).lower()
# Wheel file names start with it, "_" for "-".
WHEEL_PREFIX = INDEX_NAME.replace("-", "_") + "-"


def wheels_dir(config) -> Path:
    # jupyterlite-pyodide-kernel indexes the wheels found here; piplite searches them first.
    return Path(config.jupyterlite_dir) / "pypi"


def _given(app, config) -> Path | None:
    if config.interactive_docs_wheel:
        return Path(app.confdir, config.interactive_docs_wheel)
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE]).absolute()
    return None


def synced(app, config) -> bool:
    """Whether the examples run the version of the project these docs document."""
    return (settings.KERNEL != "pyodide" or settings.PACKAGE_KIND == "pure"
            or _given(app, config) is not None)


def start(app, config):
    """Put the project's wheel into the lite site, or start building it (config-inited)."""
    target = wheels_dir(config)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob(f"{WHEEL_PREFIX}*.whl"):
        old.unlink()
    given = _given(app, config)
    if given is not None:
        wheel = find_wheel(given)
        check_tags(wheel.name)
        shutil.copy2(wheel, target)
        _state.version = wheel.name.split("-")[1]
    elif settings.PACKAGE_KIND == "pure":
        _start_build(target, isolated=not _build_requirements_installed())
    else:
        _state.version = None
        logger.info(
            f"interactive_docs: no Pyodide wheel of {settings.DISTRIBUTION} given, so the "
            "examples install it from Pyodide's packages or PyPI, whose version may differ "
            f"from these docs; for the documented version, set {ENVIRONMENT_VARIABLE} to a "
            "Pyodide wheel of this checkout (cibuildwheel, CIBW_PLATFORM=pyodide).")


def find_wheel(given: Path) -> Path:
    """The project's wheel: the file given, or the only one in the folder given."""
    if given.is_file():
        wheels = [given]
    elif given.is_dir():
        wheels = sorted(given.glob(f"{WHEEL_PREFIX}*.whl"))
    else:
        raise ExtensionError(f"The wheel given for the interactive examples, {given}, does "
                             "not exist.")
    if (len(wheels) != 1 or not wheels[0].name.startswith(WHEEL_PREFIX)
            or wheels[0].suffix != ".whl"):
        raise ExtensionError(
            f"Expected one wheel of {settings.DISTRIBUTION} "
            f"({WHEEL_PREFIX}<version>-...whl) in {given}, found "
            f"{[w.name for w in wheels] or 'none'}.")
    return wheels[0]


def kernel_tags() -> tuple[str, str, str | None]:
    """(Pyodide version, Python tag, platform tag) of the kernel the docs build installs."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_PYTHON_VERSION, PYODIDE_VERSION

    return (PYODIDE_VERSION, "cp" + PYODIDE_PYTHON_VERSION.replace(".", ""),
            PYODIDE_PLATFORMS.get(PYODIDE_VERSION.split(".")[0]))


def check_tags(filename: str) -> None:
    """Refuse a wheel that the kernel's Pyodide cannot install."""
    from packaging.utils import parse_wheel_filename

    tags = parse_wheel_filename(filename)[3]
    pyodide, python, platform = kernel_tags()
    if any(tag.platform == "any" for tag in tags):
        return  # pure Python: installs anywhere
    if any(tag.platform == platform and tag.interpreter == python for tag in tags):
        return
    if platform is None and any(re.fullmatch(r"pyemscripten_\d+_\d+_wasm32", tag.platform)
                                for tag in tags):
        logger.warning(f"interactive_docs: cannot check that {filename} fits Pyodide {pyodide}, "
                       "which this version of the template does not know; `copier update` it.")
        return
    wanted = f"{python}-{python}-{platform or 'pyemscripten_*_wasm32'}"
    raise ExtensionError(
        f"{filename} is tagged {'.'.join(sorted({str(tag) for tag in tags}))}, but the docs "
        f"kernel's Pyodide {pyodide} installs {wanted} (or pure py3-none-any) wheels. Build it "
        f"with cibuildwheel (CIBW_PLATFORM=pyodide, CIBW_PYODIDE_VERSION={pyodide}).")


def _start_build(target: Path, isolated: bool) -> None:
    # In the background: Sphinx reads and writes the pages meanwhile.
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
               "--wheel-dir", str(target), str(PROJECT_ROOT)]
    if not isolated:
        # Seconds faster than making an isolated environment for the build backend.
        command.insert(-1, "--no-build-isolation")
    _state.build = command, target, subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish_build() -> str:
    """Wait for `pip wheel`; retry isolated if the shortcut failed; return the version."""
    command, target, process = _state.build
    output, _ = process.communicate()
    if process.returncode != 0 and "--no-build-isolation" in command:
        logger.info("interactive_docs: building the wheel in this environment failed; "
                    "building it in an isolated one.")
        _start_build(target, isolated=True)
        return _finish_build()
    wheels = sorted(target.glob(f"{WHEEL_PREFIX}*.whl"))
    if process.returncode != 0 or len(wheels) != 1:
        raise ExtensionError(
            f"Could not build a wheel of {settings.DISTRIBUTION} from {PROJECT_ROOT}, which "
            "the interactive examples install so that they run the documented version.\n"
            f"Command: {' '.join(command)}\n{output}\n"
            f"Fix the packaging until `python -m pip wheel --no-deps {PROJECT_ROOT}` "
            "works, then build the docs again.")
    return wheels[0].name.split("-")[1]


def _build_requirements_installed() -> bool:
    """Whether this environment has all that pyproject.toml's [build-system] requires."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11: build in isolation
        return False
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    pyproject = PROJECT_ROOT / "pyproject.toml"
    if not pyproject.is_file():
        return False
    build_system = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("build-system", {})
    if not build_system.get("requires"):
        return False
    for requirement in map(Requirement, build_system["requires"]):
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            return False
        if not requirement.specifier.contains(installed, prereleases=True):
            return False
    return True


def install_line() -> str:
    """The first line of every notebook: install the documented version (waits for it)."""
    if _state.build is not None:
        _state.version = _finish_build()
        _state.build = None
    if _state.version is None:
        return f"%pip install {settings.DISTRIBUTION}"
    return f"%pip install {settings.DISTRIBUTION}=={_state.version}"


def pinned() -> bool:
    """Whether the site holds the project's wheel (after install_line)."""
    return _state.version is not None
