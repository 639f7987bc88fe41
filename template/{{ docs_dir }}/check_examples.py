# Managed by copier-interactive-docs: `copier update` rewrites this file.
"""Prove that every "Try it" example of the built docs runs, in headless Chromium.

    python -m pip install -r <docs>/requirements-check-examples.txt
    python -m playwright install chromium
    python <docs>/check_examples.py <docs>/_build/html
    python <docs>/check_examples.py https://me.github.io/signal-tools/  # the deployed site

The code is in interactive_docs/check/ (collect, run, judge, report); this file only starts it.

Serves the site on 127.0.0.1 (a deployed site is read at its URL: its pages are those its
searchindex.js names). Every example's notebook (the file in the site) must hold the
code its page shows and at least one cell of it. Then, with the Pyodide kernel, every
example's code cells run in one Pyodide: the site's own in-page runner (the worker that
"Try it" starts: the Pyodide the kernel loads, the kernel's ``%pip install``), each example
in a namespace of its own, failing when a cell raises or writes to stderr, unless the
docstring shows that exception. Each page's examples get that Python as it started (a
reader's page starts its own): what earlier pages' examples left is undone, but for
modules with compiled code or of the standard library imported since and installed
packages (interactive_docs/worker.py, Startup). It judges as the project's doctests do: a
warning fails nothing; a line the doctests skip (``# doctest: +SKIP``) that fails, and a
cell whose output differs from the docstring's (compared as doctest compares, with the
doctest_optionflags of the project's pytest configuration), are reported apart and fail the
run only with ``--strict``. Then the examples of the first page of each kind (folder)
run as readers run them: with the in-page runner, "Try it" is clicked and the page must
run every code cell of the notebook; and the first of the page is opened in JupyterLite
(which opens every notebook alike, and whose start is most of the check's fixed cost) and
all cells of its notebook run: it passes when every code cell ran in a fresh kernel, in
order (execution counts 1, 2, ..., N, N read from the notebook file). ``--every-button``
does both for every example, one at a time, instead of the run in one Pyodide (always so with the Xeus
kernel). A timeout, an empty notebook or another example's notebook is a failure naming
the page and the documented object. ``--timeout`` holds in every phase but a Python's
start, which has ``--start-timeout``: an example still running after it fails, naming the
cell; its Python is ended with its page, and the next example runs in a new one. Each
output shows at most 20,000 characters (the in-page runner's cut, as readers see it), and
is compared with the docstring's as cut.
"""

import os
import sys

# interactive_docs/check/, beside this file; importing it loads neither Sphinx nor the
# extension, only Playwright (to run the examples).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from interactive_docs.check.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(description=__doc__.splitlines()[0]))
