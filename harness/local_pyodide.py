"""A local copy of Pyodide, so a built docs site can run its kernel with no internet.

Test infrastructure only: it stands in for the jsDelivr CDN that the real site uses.

Layout of ``build_local_pyodide(cache_dir)``'s result::

    <cache_dir>/pyodide-<version>/
        pyodide/        core files from npm + the kernel's start-up wheels + patched lock
        extra-wheels/   wheels the kernel needs that are not in the lock (``comm``)
"""

import email
import hashlib
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from pathlib import Path

from jupyterlite_pyodide_kernel import constants

#: What the kernel's web worker installs when it starts (``initPackageManager`` and
#: ``initKernel`` in the pyodide-kernel extension's worker JS). Their dependencies are
#: followed through the Pyodide lock and the kernel's bundled wheels.
KERNEL_START_PACKAGES = ("micropip", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython")

_MARKER = ".complete"


def pyodide_version() -> str:
    """The Pyodide version the installed jupyterlite-pyodide-kernel pins."""
    return constants.PYODIDE_VERSION


def build_local_pyodide(cache_dir: Path) -> Path:
    """Build (or reuse) ``<cache_dir>/pyodide-<version>/`` and return it."""
    version = pyodide_version()
    out = Path(cache_dir) / f"pyodide-{version}"
    marker = out / _MARKER
    if marker.is_file() and marker.read_text() == version:
        return out

    out.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename at the end, so a crash never leaves a
    # half-built copy that a later call would take for complete.
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=out.parent))
    work.chmod(0o755)
    scratch = work / "scratch"
    try:
        core = work / "pyodide"
        _npm_unpack(f"pyodide@{version}", scratch / "npm", core)

        lock_path = core / constants.PYODIDE_LOCK
        lock = json.loads(lock_path.read_text())
        in_lock, not_in_lock = _start_packages(lock)
        python = ".".join(lock["info"]["python"].split(".")[:2])

        specs = [f"{p['name']}=={p['version']}" for p in in_lock]
        wheels = _pip_download(specs, scratch / "wheels", python)
        for entry in in_lock:
            wheel = wheels[_canon(entry["name"])]
            # pip's file name may differ in case/separators from what the lock fetches
            target = core / entry["file_name"]
            shutil.move(wheel, target)
            # PyPI's wheels are not byte-identical to Pyodide's rebuilt ones, and the
            # browser checks the lock's sha256 ("Failed to fetch" otherwise).
            entry["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
        lock_path.write_text(json.dumps(lock, indent=1))

        # Not in the lock, so piplite looks for these in the site's own pypi/ index.
        _pip_download(sorted(not_in_lock), work / "extra-wheels", python)

        shutil.rmtree(scratch)
        (work / _MARKER).write_text(version)
        shutil.rmtree(out, ignore_errors=True)  # an incomplete copy
        try:
            work.rename(out)
        except OSError:
            if not marker.is_file():  # else a parallel build (pytest-xdist) finished first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def install_into_lite_dir(local: Path, lite_dir: Path) -> None:
    """Put a ``build_local_pyodide`` result where ``jupyter lite build`` picks it up.

    ``<lite_dir>/static/pyodide/`` is copied into the site and the kernel's
    ``pyodideUrl`` is rewritten to it; wheels in ``<lite_dir>/pypi/`` are indexed for piplite.
    """
    local, lite_dir = Path(local), Path(lite_dir)
    # copy2 keeps mtimes, so the lite build's doit cache sees no change on a re-run
    shutil.copytree(local / "pyodide", lite_dir / "static" / "pyodide",
                    dirs_exist_ok=True, copy_function=shutil.copy2)
    pypi = lite_dir / constants.PYPI_WHEELS
    pypi.mkdir(parents=True, exist_ok=True)
    for wheel in (local / "extra-wheels").glob("*.whl"):
        shutil.copy2(wheel, pypi / wheel.name)


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _start_packages(lock: dict) -> tuple[list[dict], set[str]]:
    """Lock entries the kernel loads at start, and the names found nowhere but PyPI."""
    by_name = {_canon(p["name"]): p for p in lock["packages"].values()}
    bundled = _bundled_requirements()
    in_lock, not_in_lock, seen = [], set(), set()
    todo = list(KERNEL_START_PACKAGES)
    while todo:
        name = _canon(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        if name in bundled:  # shipped inside the kernel extension; follow its deps
            todo += bundled[name]
        elif name in by_name:
            entry = by_name[name]
            if not entry["file_name"].endswith("-none-any.whl"):
                raise RuntimeError(f"{name} is not pure Python in the Pyodide lock: "
                                   f"{entry['file_name']} cannot come from PyPI")
            in_lock.append(entry)
            todo += entry["depends"]
        else:
            not_in_lock.add(name)
    return in_lock, not_in_lock


def _bundled_requirements() -> dict[str, list[str]]:
    """name -> Requires-Dist names of the wheels shipped in the kernel's labextension."""
    pypi = (Path(sysconfig.get_path("data")) / "share/jupyter/labextensions"
            / constants.PYODIDE_KERNEL_NPM_NAME / "static" / constants.PYPI_WHEELS)
    wheels = sorted(pypi.glob("*.whl"))
    if not wheels:
        raise RuntimeError(f"no bundled kernel wheels in {pypi}: "
                           "is jupyterlite-pyodide-kernel installed in this environment?")
    found = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
            msg = email.message_from_bytes(zf.read(meta))
        requires = [r for r in msg.get_all("Requires-Dist", []) if "extra ==" not in r]
        found[_canon(msg["Name"])] = [re.match(r"[A-Za-z0-9._-]+", r).group() for r in requires]
    return found


def _run(cmd: list[str], what: str) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return proc.stdout


def _npm_unpack(spec: str, scratch: Path, dest: Path) -> None:
    """``npm pack`` the package and unpack it to dest, without source maps or typings."""
    scratch.mkdir(parents=True)
    packed = json.loads(_run(["npm", "pack", spec, "--json", "--pack-destination", str(scratch)],
                             f"npm pack {spec}"))
    with tarfile.open(scratch / packed[0]["filename"]) as tar:
        tar.extractall(scratch, filter="data")
    shutil.move(scratch / "package", dest)
    for junk in [*dest.glob("*.map"), *dest.glob("*.d.ts")]:
        junk.unlink()


def _pip_download(specs: list[str], dest: Path, python: str) -> dict[str, Path]:
    """Download pure-Python wheels for the browser's Python; return canonical name -> file."""
    dest.mkdir(parents=True)
    if specs:
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
              "--python-version", python, "--disable-pip-version-check", "--quiet",
              "--dest", str(dest), *specs], "pip download")
    wheels = {_canon(w.name.split("-")[0]): w for w in dest.glob("*.whl")}
    missing = {_canon(re.split("[=<>]", s)[0]) for s in specs} - wheels.keys()
    if missing:
        raise RuntimeError(f"pip download gave no wheel for {sorted(missing)} in {dest}")
    return wheels
