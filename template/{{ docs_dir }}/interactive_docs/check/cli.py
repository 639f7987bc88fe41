# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""The example check's command line: collect, run, judge and report, wired."""

from __future__ import annotations

import argparse
import doctest
import os
import re
from pathlib import Path

from . import collect, judge, pages, report


def shard_spec(text: str) -> str:
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, e.g. 1/4, not {text!r}")
    return text


def site(text: str) -> Path | str:
    """A folder, or the URL of a deployed site (read when the check starts)."""
    return text if re.match(r"https?://", text) else Path(text)


def parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("html_dir", type=site, metavar="SITE",
                        help="the built site, e.g. docs/_build/html, or the URL of the deployed "
                        "one, e.g. https://me.github.io/signal-tools/ (its pages are those its "
                        "searchindex.js names)")
    parser.add_argument("--browser-path", default=os.environ.get("CHECK_EXAMPLES_BROWSER"),
                        help="a Chromium executable to use instead of Playwright's own (e.g. "
                        "/usr/bin/chromium; default: $CHECK_EXAMPLES_BROWSER)")
    parser.add_argument("--offline", action="store_true",
                        help="abort every request to a host other than 127.0.0.1/localhost")
    parser.add_argument("--pypi-mirror", metavar="URL",
                        help="answer the browser's requests to https://pypi.org from this "
                        "mirror of it (its simple index, serving the files itself), e.g. "
                        "where CI has no internet")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds to wait for each step, e.g. an example's cells to run: "
                        "an example still running then fails, its Python is ended, and the "
                        "next example starts a new one (default: %(default)s)")
    parser.add_argument("--start-timeout", type=float, default=120, metavar="SECONDS",
                        help="seconds to wait for a Python to start (the check's Pyodide, a "
                        "page's, JupyterLite's kernel) before --timeout counts for the "
                        "cells: a tight --timeout for the examples does not fail a slow "
                        "start on a busy runner (default: %(default)s)")
    parser.add_argument("--pages", metavar="REGEX",
                        help="check only the pages whose path matches, e.g. 'generated/mylib.io'")
    parser.add_argument("--shard", type=shard_spec,
                        help="check only the K-th of N shares of the examples, e.g. 2/4")
    parser.add_argument("--junit", type=Path, metavar="FILE",
                        help="also write the results as JUnit XML to FILE")
    parser.add_argument("--every-button", action="store_true",
                        help="click every button, and run each example in its page and in "
                        "JupyterLite, not only on the first page of each kind (and there, "
                        "in JupyterLite, its first example)")
    parser.add_argument("--strict", action="store_true",
                        help="also fail on what is otherwise reported apart: output other "
                        "than the docstring's, and failing lines the doctests skip (+SKIP)")
    parser.add_argument("--doctest-optionflags", metavar="FLAGS",
                        help="doctest option flags to compare outputs with, e.g. 'ELLIPSIS "
                        "NORMALIZE_WHITESPACE' (default: doctest_optionflags of the project's "
                        "pytest configuration)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="a line for every example, also those that ran")
    return parser


def main(argv: list[str] | None = None, description: str = "") -> int:
    args = parser(description).parse_args(argv)
    try:
        site = (collect.Deployed(args.html_dir) if isinstance(args.html_dir, str)
                else collect.Folder(args.html_dir))
        examples = collect.select(collect.find_examples(site), args.pages, args.shard)
        # Notebook pages and gallery examples: each a page whose cells share one namespace.
        examples += collect.select(pages.find_pages(site), args.pages, args.shard)
        hidden = collect.hidden_pages(site)
        in_pyodide = collect.pyodide_site(site) and not args.every_button
    except collect.SiteError as error:
        print(error)
        return 1
    if not examples:
        print(f"No page in {site} has interactive examples. If it is the built html, "
              "the docs build did not load interactive_docs: conf.py needs this line at its end:\n"
              "    import os, sys; sys.path.insert(0, os.path.dirname(__file__)); "
              'extensions.append("interactive_docs")  # copier-interactive-docs')
        return 1
    if args.doctest_optionflags is not None:
        flags, origin = judge.optionflags(args.doctest_optionflags), "--doctest-optionflags"
    else:  # the project's, above the site's folder or, for a URL, above this file's
        flags, origin = judge.doctest_optionflags(
            site.root if isinstance(site, collect.Folder) else Path(__file__).resolve())
    print("Outputs are compared as doctest does, with the option flags "
          + (", ".join(name for name, flag in doctest.OPTIONFLAGS_BY_NAME.items() if flags & flag)
             or "(none)") + (f" of {origin}" if origin else " (no pytest configuration found)")
          + ".")
    for example in examples:
        example.optionflags = flags
    problems = {key: judge.check_notebook(example) for key, example in enumerate(examples)}
    for key, example in enumerate(examples):
        if not problems[key] and hidden(example.page):
            problems[key] = "hidden"

    from . import run  # Playwright: only once there is something to run

    options = dict(browser_path=args.browser_path, offline=args.offline,
                   pypi_mirror=args.pypi_mirror, timeout=args.timeout,
                   start_timeout=args.start_timeout, strict=args.strict)
    if isinstance(site, collect.Deployed):  # the check's own page is given at its URL
        ways, seconds = run.run_all(site.url, examples, problems, in_pyodide, route_runner=True,
                                    **options)
    else:
        with collect.serve(site.root, {run.RUNNER_PATH: run.RUNNER_PAGE}) as url:
            ways, seconds = run.run_all(url, examples, problems, in_pyodide, **options)
    results = report.verdicts(examples, problems, ways, seconds, not in_pyodide, args.strict,
                              args.verbose)
    return report.report(results, args.junit)
