# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""The Xeus kernel: it installs the project from environment.yml at build time."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.errors import ConfigError


def check_requirements(app, config):
    """Stop early, saying what to do, when the Xeus kernel cannot be built (config-inited)."""
    environment = Path(config.jupyterlite_dir) / "environment.yml"
    if not environment.is_file():
        raise ConfigError(
            f"{environment} is missing. The Xeus kernel installs the packages the examples "
            "use from it at build time; restore it with `copier update` "
            "(or `git checkout` it) and build again.")
    import yaml  # jupyterlite-xeus depends on PyYAML

    content = yaml.safe_load(environment.read_text(encoding="utf-8"))
    if not isinstance(content, dict) or not content.get("name"):
        raise ConfigError(
            f"{environment} has no `name:`; jupyterlite-xeus needs one to create the "
            "kernel's environment. Add a line such as `name: docs-kernel`.")
    if shutil.which("micromamba") is None:
        raise ConfigError(
            "The Xeus kernel needs the `micromamba` program to install the packages of "
            f"{environment} for WebAssembly, and it is not on PATH. Install it:\n"
            "  - with conda or mamba: `conda install -c conda-forge micromamba`;\n"
            "  - on GitHub Actions: the `mamba-org/setup-micromamba` action (the generated "
            "docs workflow does this);\n"
            "  - elsewhere: https://mamba.readthedocs.io/en/latest/installation/"
            "micromamba-installation.html\n"
            "then build the docs again.")
