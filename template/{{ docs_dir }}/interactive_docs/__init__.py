# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""Interactive examples for these docs (Scientific Python SPEC 14).

conf.py turns this extension on with one line. It then:

- sets up jupyterlite-sphinx with the defaults of ``config.py``; any of them set in conf.py,
  or with ``-D`` on the command line, wins (``config.py``);
- gives every example its own notebook, which runs among the names of the documented
  object's module, as ``pytest --doctest-modules`` runs it (``notebooks.py``);
- with the Pyodide kernel, runs the examples in the page itself when "Try it" is clicked,
  in one Pyodide per page (``worker.py`` and ``_static/interactive-docs*.js``), with
  "Open in JupyterLite" beside it, and notebook pages and gallery examples with "Run this
  page" (``narrative.py``); and makes every notebook install the project's wheel of the checkout
  being documented, so readers run the version they read about (``wheel.py``); with the
  Xeus kernel, checks what the kernel needs (``xeus.py``);
- fails the build, saying what to do, when the site would have no working kernel
  (``site.py``).

The answers these docs were generated with are in ``settings.py``. The example check
(``check/``, run by ``check_examples.py``) lives here too: importing this package loads
neither it nor Sphinx, so that the check runs where only Playwright is installed.
"""

from __future__ import annotations

import importlib

MODULES = {"config", "narrative", "notebooks", "settings", "site", "wheel", "xeus"}


def __getattr__(name: str):
    """The extension's modules, loaded when first used (they import Sphinx)."""
    if name in MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name == "gallery_notebook":  # sphinx-gallery finds it by this dotted name
        return importlib.import_module(".notebooks", __name__).gallery_notebook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def setup(app):
    from . import config, narrative, notebooks, settings, site, wheel, xeus

    pyodide = settings.KERNEL == "pyodide"
    app.add_config_value("interactive_docs_wheel", None, "env", types=[str])
    # "in-page" or "jupyterlite" (settings.py); JupyterLite only with Xeus.
    app.add_config_value("interactive_docs_runner", settings.RUNNER if pyodide else "jupyterlite",
                         "env", types=[str])
    # Before jupyterlite-sphinx reads its settings (priority 500) and before sphinx-gallery
    # fills in its own defaults (priority 10).
    app.connect("config-inited", config.set_defaults, priority=5)
    app.connect("config-inited", wheel.start if pyodide else xeus.check_requirements,
                priority=110)
    # After sphinx-gallery adds its contents folder (its handler runs at priority 900).
    app.connect("config-inited", config.gallery_contents_by_folder, priority=950)
    app.setup_extension("jupyterlite_sphinx")
    site.keep_pages_local(app)
    app.add_directive("try_examples", notebooks.TryExamples, override=True)
    # At jupyterlite-sphinx's priority, connected before it (at config-inited) and after
    # numpydoc (an extension before this one in conf.py).
    app.connect("autodoc-process-docstring", notebooks.examples_with_admonitions)
    app.connect("env-purge-doc", notebooks.forget_page)
    app.connect("env-merge-info", notebooks.merge_pages)
    if pyodide:
        app.connect("doctree-read", narrative.mark_page)
    app.add_css_file("interactive-docs.css")
    if pyodide:
        app.add_js_file("interactive-docs.js", loading_method="defer")
    app.connect("builder-inited", site.prepare_html)
    # Before jupyterlite-sphinx builds the lite site from the notebooks (priority 500).
    app.connect("build-finished", notebooks.restore_notebooks, priority=390)
    app.connect("build-finished", notebooks.install_in_notebooks, priority=400)
    # After jupyterlite-sphinx has built the lite site (its handler runs at priority 500).
    app.connect("build-finished", site.check_site, priority=900)
    # Once check_site has found the kernel.
    app.connect("build-finished", site.scope_storage, priority=950)
    if pyodide:
        app.connect("build-finished", site.name_pyodide_url, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
