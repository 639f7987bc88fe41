# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""jupyterlite-sphinx's settings: defaults that conf.py and ``-D`` override."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.errors import ConfigError
from sphinx.util import logging

from . import notebooks, settings, wheel

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent.parent
LITE_DIR = HERE / "jupyterlite"

# The first sentence of the warning atop every example: whether it runs the documented version.
SYNCED = "This example runs in your browser with {name} built from the same source as this page."
UNSYNCED = ("This example installs {name} in your browser from Pyodide's packages or PyPI, "
            "whose version may differ from the one this page documents.")


def defaults(synced: bool) -> dict:
    sentence = (SYNCED if synced else UNSYNCED).format(name=settings.PROJECT_NAME)
    return {
        # A button on every numpydoc "Examples" section; try_examples.json can hide some.
        "global_enable_try_examples": True,
        "try_examples_global_button_text": settings.BUTTON_TEXT,
        "try_examples_global_warning_text": f"{sentence} {settings.WARNING_TEXT}",
        # Cells tagged "jupyterlite_sphinx_strip" show on the page, not in the notebook.
        "strip_tagged_cells": True,
        # By default jupyterlite-sphinx hides the JupyterLite build's output, and a failed
        # build then crashes in its error handler: show the real error instead.
        "jupyterlite_silence": False,
        "jupyterlite_dir": str(LITE_DIR),
        # The contents' own .gitignore (see site.prepare_html) is not a notebook.
        "jupyterlite_ignore_contents": [r"/\.gitignore$"],
        # Notebooks are MyST Markdown (.md); leaving .ipynb to myst-nb avoids pages read twice.
        "jupyterlite_bind_ipynb_suffix": False,
    }


# A warning text that tells readers the example may not run the documented version.
MAY_DIFFER = re.compile(r"(\bnot|n't)\b.{0,40}\b(sync|match|same)|\bdiffer", re.IGNORECASE)
KERNELS = {"pyodide": "jupyterlite-pyodide-kernel", "xeus": "jupyterlite-xeus"}


def advisories(config, chosen: set[str], synced: bool, requirements: Path) -> list[str]:
    """One line for each of the user's settings that defeats the template; theirs still win."""
    lines = []
    if "jupyterlite_silence" in chosen and config.jupyterlite_silence:
        lines.append("jupyterlite_silence = True hides why a JupyterLite build fails (its "
                     "error is lost); the template's default is False.")
    if ("try_examples_global_warning_text" in chosen and synced
            and MAY_DIFFER.search(config.try_examples_global_warning_text or "")):
        lines.append("try_examples_global_warning_text says the examples may not run the "
                     "documented version, but this build installs exactly that version; "
                     "drop it from conf.py to use the template's warning, which says so.")
    lines += kernel_pin_mismatch(requirements)
    return [f"interactive_docs: {line}" for line in lines]


def kernel_pin_mismatch(requirements: Path) -> list[str]:
    """A line when the installed kernel is not the one the requirements pin."""
    kernel = KERNELS[settings.KERNEL]
    pin = re.search(rf"^{kernel}==(\S+)", requirements.read_text(encoding="utf-8"),
                    re.MULTILINE) if requirements.is_file() else None
    try:
        installed = version(kernel)
    except PackageNotFoundError:
        return []  # the site check says what to install
    if pin and pin[1] != installed:
        return [f"{kernel} {installed} is installed, but {requirements.name} pins {pin[1]}: "
                "readers would run another Python than the one the examples are tested with; "
                f"install the pinned one (and drop other pins of {kernel} from your "
                "requirements)."]
    return []


def user_settings(config) -> set[str]:
    """Names set in conf.py or with -D."""
    # Sphinx has no public way to tell a value set in conf.py from a default, hence
    # _raw_config; -D values are in config.overrides.
    return set(config._raw_config) | set(config.overrides)


def set_defaults(app, config):
    runners = ("in-page", "jupyterlite") if settings.KERNEL == "pyodide" else ("jupyterlite",)
    if config.interactive_docs_runner not in runners:
        raise ConfigError(f"interactive_docs_runner = {config.interactive_docs_runner!r}: use "
                          + " or ".join(map(repr, runners))
                          + ("" if settings.KERNEL == "pyodide" else
                             " (the in-page runner needs the Pyodide kernel)"))
    chosen = user_settings(config)
    synced = wheel.synced(app, config)
    for name, value in defaults(synced).items():
        if name not in chosen:
            config[name] = value
    notebooks.state.warning = config.try_examples_global_warning_text
    notebooks.state.in_page = config.interactive_docs_runner == "in-page"
    for line in advisories(config, chosen, synced, Path(app.confdir) / settings.REQUIREMENTS):
        logger.info(line)
    # The JupyterLite folder holds settings, wheels and notebooks, not pages; so does a build
    # written inside the source folder, as `make html` does (its lite/files/*.ipynb, and the
    # notebooks myst-nb writes beside it, would be read back as pages).
    lite = Path(config.jupyterlite_dir).resolve()
    build = Path(app.outdir).parent
    config.exclude_patterns = [*config.exclude_patterns, *inside(
        app.srcdir, lite, app.outdir, app.doctreedir, build / "jupyter_execute",
        build / ".jupyter_cache")]
    if "sphinx_gallery.gen_gallery" in config.extensions:
        # sphinx-gallery's JupyterLite button; a dotted name keeps the config picklable.
        own = config.sphinx_gallery_conf
        notebooks.state.gallery_cells = (int(own.get("first_notebook_cell") is not None),
                                         int(own.get("last_notebook_cell") is not None))
        gallery = config.sphinx_gallery_conf.setdefault("jupyterlite", {})
        if gallery is not None:
            gallery.setdefault("notebook_modification_function",
                               "interactive_docs.gallery_notebook")
            gallery.setdefault("jupyterlite_contents", str(lite / "_gallery"))
            gallery.setdefault("use_jupyter_lab", False)
        # The gallery writes a .ipynb beside each page's .rst: only the .rst is a page.
        dirs = config.sphinx_gallery_conf.get("gallery_dirs", "auto_examples")
        config.exclude_patterns = [*config.exclude_patterns, *(
            f"{folder}/**.ipynb" for folder in ([dirs] if isinstance(dirs, str) else dirs))]


def inside(srcdir, *folders) -> list[str]:
    """The folders that lie inside the source folder, as exclude_patterns entries."""
    srcdir = Path(srcdir).resolve()
    return [Path(folder).resolve().relative_to(srcdir).as_posix() for folder in folders
            if Path(folder).resolve().is_relative_to(srcdir)
            and Path(folder).resolve() != srcdir]


def gallery_contents_by_folder(app, config):
    """Keep the gallery's folder names in the lite site, where its buttons point.

    jupyterlite-sphinx copies a contents folder as a subfolder of the contents; naming the
    folders inside sphinx-gallery's contents puts ``auto_examples/`` at the top.
    """
    gallery = getattr(config, "sphinx_gallery_conf", {}).get("jupyterlite")
    if gallery and config.jupyterlite_contents:
        folder = gallery["jupyterlite_contents"]
        config.jupyterlite_contents = [f"{folder}/*" if entry == folder else entry
                                       for entry in config.jupyterlite_contents]
