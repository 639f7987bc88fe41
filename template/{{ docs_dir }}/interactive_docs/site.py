# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""The built site: its static files, and a check that its buttons have a kernel to run."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset_file

from . import settings, wheel

STATIC = Path(__file__).resolve().parent.parent / "_static"


# jupyterlite-sphinx adds this stylesheet to every page, though none of its CSS uses the font:
# every reader's browser would ask a font host for it before they ask for Python.
REMOTE_FONT = "https://fonts.googleapis.com/css?family=Vibur"


def keep_pages_local(app):
    """Drop jupyterlite-sphinx's font stylesheet, so a page loads nothing from another host."""
    app.registry.css_files = [(name, attributes) for name, attributes in app.registry.css_files
                              if name != REMOTE_FONT]


def prepare_html(app):
    if app.builder.format != "html":
        return
    copy_asset_file(STATIC / "interactive-docs.css", Path(app.outdir) / "_static")
    if settings.KERNEL == "pyodide":
        # Prefetches Pyodide when a reader points at a button; runs the examples in the page
        # (with either runner: check_examples.py runs every example with it), in cells with
        # their own editor.
        copy_asset_file(STATIC / "interactive-docs.js", Path(app.outdir) / "_static")
        copy_asset_file(STATIC / "interactive-docs-worker.js", Path(app.outdir) / "_static")
        copy_asset_file(STATIC / "interactive-docs-editor.js", Path(app.outdir) / "_static")
        shutil.copyfile(Path(__file__).with_name("worker.py"),
                        Path(app.outdir) / "_static" / "interactive-docs-worker.py")
    # jupyterlite-sphinx writes the example notebooks here at each build; they ignore
    # themselves, so git stays clean whatever the project's own .gitignore says.
    contents = Path(app.srcdir) / app.config.jupyterlite_content_dir
    contents.mkdir(parents=True, exist_ok=True)
    (contents / ".gitignore").write_text("# Written by each docs build.\n*\n")


def check_site(app, exception):
    """Fail the build rather than ship buttons that do nothing."""
    if exception is not None or app.builder.format != "html":
        return
    # The lite build's task database; jupyterlite-sphinx looks for it in the wrong folder.
    (Path(app.srcdir) / ".jupyterlite.doit.db").unlink(missing_ok=True)
    lite = Path(app.outdir) / "lite"
    requirements = Path(app.confdir) / settings.REQUIREMENTS
    fix = ("Build with `-D jupyterlite_silence=0` to see the JupyterLite build's output, "
           f"and check that {requirements} is installed.")
    config_file = lite / "jupyter-lite.json"
    if not config_file.is_file():
        raise ExtensionError(f"The docs have no JupyterLite site ({lite} is missing). {fix}")
    extensions = [extension["name"] for extension in json.loads(config_file.read_text())
                  ["jupyter-config-data"].get("federated_extensions", [])]
    if settings.KERNEL == "pyodide":
        if "@jupyterlite/pyodide-kernel-extension" not in extensions:
            raise ExtensionError(
                f"The JupyterLite site in {lite} has no Pyodide kernel, so the examples "
                f"cannot run. Install jupyterlite-pyodide-kernel (pinned in "
                f"{settings.REQUIREMENTS}). {fix}")
        index = lite / "pypi" / "all.json"
        if wheel.pinned() and (not index.is_file()
                               or wheel.INDEX_NAME not in json.loads(index.read_text())):
            raise ExtensionError(
                f"The JupyterLite site has no wheel of {settings.DISTRIBUTION} in {index}, so "
                f"the examples would not run the documented version. {fix}")
    else:
        # A lite build can end without error yet without a kernel (e.g. an environment with
        # no xeus-python): such a site must not ship.
        kernels = lite / "xeus" / "kernels.json"
        names = ([kernel.get("kernel") for kernel in json.loads(kernels.read_text())]
                 if kernels.is_file() else [])
        if "xpython" not in names or "@jupyterlite/xeus-extension" not in extensions:
            raise ExtensionError(
                f"The JupyterLite site in {lite} has no xeus-python kernel ({kernels} lists "
                f"{names or 'none'}). Keep `xeus-python` in jupyterlite/environment.yml. {fix}")


def name_pyodide_url(app, exception):
    """Write the kernel's Pyodide URL into the site's settings, where interactive-docs.js
    finds what to prefetch (the kernel's default, the CDN, is otherwise not written)."""
    if exception is not None or app.builder.format != "html":
        return
    from jupyterlite_pyodide_kernel.constants import PYODIDE_CDN_URL, PYODIDE_MJS

    config_file = Path(app.outdir) / "lite" / "jupyter-lite.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    kernel = config["jupyter-config-data"].setdefault("litePluginSettings", {}).setdefault(
        "@jupyterlite/pyodide-kernel-extension:kernel", {})
    kernel.setdefault("pyodideUrl", f"{PYODIDE_CDN_URL}/{PYODIDE_MJS}")
    config_file.write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")


def scope_storage(app, exception):
    """Keep readers' saved notebooks to this build of the docs (build-finished).

    JupyterLite opens a notebook from the browser's storage when the reader saved one there:
    with one storage for every build, a returning reader would see an old copy instead of
    the updated docs (and its install cell would name a version the site no longer has).
    The name follows the release and the notebooks' content, so an unchanged build keeps
    it, and another version served from the same host (/stable/, /latest/) has its own.
    Settings (the theme, ...) stay per project.
    """
    if exception is not None or app.builder.format != "html":
        return
    lite = Path(app.outdir) / "lite"
    digest = hashlib.sha256(str(app.config.release).encode())
    for path in sorted((lite / "files").rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(lite).as_posix().encode() + b"\0" + path.read_bytes())
    config_file = lite / "jupyter-lite.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    data = config["jupyter-config-data"]
    base = data.get("contentsStorageName", "JupyterLite Storage")
    data["contentsStorageName"] = f"{base}-{digest.hexdigest()[:12]}"
    config_file.write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")

