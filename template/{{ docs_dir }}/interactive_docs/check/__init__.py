# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""The example check (``python <docs>/check_examples.py``), by job, as pytest's own flow:

- ``collect.py`` finds the examples of a built site, in its folder or at its URL (the Example
  dataclass), and serves the folder;
- ``run.py`` runs them in headless Chromium with Playwright: in one Pyodide, in their pages,
  in JupyterLite;
- ``judge.py`` says what went wrong, as the project's doctests judge it (doctest flags,
  skipped lines, outputs, warnings);
- ``report.py`` prints the verdicts and the summary, and writes the job summary and JUnit XML;
- ``cli.py`` reads the arguments and wires them (``main()``).

``watch.py`` is the weekly watch of the deployed site (.github/workflows/
interactive-docs-watch.yml): its URL, and the issue that says its examples fail.

Only ``run.py`` imports Playwright, and nothing here imports Sphinx: the check runs where
only Playwright is installed, and the extension (``interactive_docs``) never loads this.
"""
