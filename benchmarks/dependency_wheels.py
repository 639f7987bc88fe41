"""What shipping a project's pure runtime dependencies in its docs site would cost.

    .venv/bin/python benchmarks/dependency_wheels.py

For the runtime dependencies of a few real libraries, this sorts out which ones the reader's
browser gets from Pyodide's own packages (they are in the kernel's Pyodide lock, so the site
could not ship them anyway) and which from PyPI, downloads the latter's wheels for Pyodide's
Python, and prints their size beside the size of the JupyterLite site the template builds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import local_pyodide, local_pypi  # noqa: E402

# Runtime dependencies as each library's pyproject.toml lists them (late 2026).
LIBRARIES = {
    "sigstats (the tests' dependent repo)": ["tabulate"],
    "pooch": ["platformdirs", "packaging", "requests"],
    "scikit-image": ["numpy", "scipy", "networkx", "pillow", "imageio", "tifffile",
                     "packaging", "lazy-loader"],
    "xarray": ["numpy", "packaging", "pandas"],
    "mne": ["decorator", "jinja2", "lazy-loader", "matplotlib", "numpy", "packaging", "pooch",
            "scipy", "tqdm"],
}
# The lite folder of the default generated site (benchmarks/README.md, "Site size").
SITE_LITE_MIB = 22.6


def main() -> None:
    lock = json.loads((local_pyodide.build_local_pyodide(ROOT / ".cache" / "pyodide")
                       / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    print("| library | from Pyodide | from PyPI | their wheels | × default site's lite/ |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for library, requirements in LIBRARIES.items():
            in_lock = [r for r in requirements if r in lock]
            from_pypi = [r for r in requirements if r not in lock]
            try:
                wheels = local_pypi.download_wheels(from_pypi, Path(scratch)) if from_pypi else []
            except subprocess.CalledProcessError as error:
                print(f"| {library} | could not download {from_pypi}: {error} |")
                continue
            size = sum(wheel.stat().st_size for wheel in wheels) / 2**20
            print(f"| {library} | {', '.join(in_lock) or '-'} | {', '.join(from_pypi) or '-'} | "
                  f"{size:.2f} MiB | {size / SITE_LITE_MIB:.3f} |")


if __name__ == "__main__":
    main()
