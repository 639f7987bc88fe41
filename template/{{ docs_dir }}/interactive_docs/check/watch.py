# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""The watch of the deployed docs (.github/workflows/interactive-docs-watch.yml): the site's
URL, and the one issue that says its examples fail. Standard library only: GitHub's REST API
with the workflow's GITHUB_TOKEN.

    PYTHONPATH=<docs> python -m interactive_docs.check.watch url
    PYTHONPATH=<docs> python -m interactive_docs.check.watch issue --outcome failure --junit FILE --site URL

``url`` prints ``url=<the site>`` (for $GITHUB_OUTPUT): the answer docs_url when it was
given (settings.py's DOCS_URL), else GitHub Pages' address of the repository, or Read the
Docs' of the distribution (settings.py's HOSTING). ``issue`` opens an issue when the check
failed, or comments on the open one it opened before (it carries a hidden mark), with the
failures and the ``ignore_patterns`` lines that hide them; when the check passed, it closes
that issue.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.request
from pathlib import Path
from xml.etree import ElementTree

from .report import hiding_pattern

MARK = "<!-- interactive-docs-watch -->"
TITLE = "Interactive examples fail on the deployed docs"
# GitHub refuses an issue body or comment over 65,536 characters.
MOST = 60_000


def site_url(hosting: str, distribution: str, repository: str, url: str = "") -> str:
    """The URL of the deployed docs, ending in "/"."""
    if not url:
        owner, _, name = repository.lower().partition("/")
        if hosting in ("github-pages", "both"):
            # A repository named <owner>.github.io is published at the root.
            url = f"https://{owner}.github.io/" + ("" if name == f"{owner}.github.io" else name)
        else:  # Read the Docs' project slug: lower case, "-" for the rest
            url = f"https://{re.sub(r'[^a-z0-9]+', '-', distribution.lower()).strip('-')}.readthedocs.io/"
    return url if url.endswith("/") else url + "/"


def failures(junit: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """The counts line and (page, example, what went wrong) of each failure, from the
    check's JUnit XML; ("", []) when there is none to read."""
    try:
        suite = ElementTree.parse(junit).getroot()
    except (OSError, ElementTree.ParseError):
        return "", []
    failed = [(case.get("classname", ""), case.get("name", ""), failure.get("message", ""))
              for case in suite.iter("testcase") for failure in case.iter("failure")]
    hidden = int(suite.get("skipped", 0))
    total = int(suite.get("tests", 0))
    counts = (f"{total} examples: {total - len(failed) - hidden} ran, {len(failed)} failed, "
              f"{hidden} hidden.")
    return counts, failed


def body(site: str, run_url: str, junit: Path, docs_dir: str) -> str:
    """What the issue (or a comment on it) says about a failing run."""
    counts, failed = failures(junit)
    text = [MARK, f"The example check of the deployed docs at {site} failed ([the run]({run_url})).", ""]
    if not failed:
        text.append("It stopped before it judged an example: the run's log says why (the site "
                    "could not be read, or no example ran).")
        return "\n".join(text) + "\n"
    rows = ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ")
                              for cell in (page, name, problem)) + " |"
            for page, name, problem in failed]
    patterns = sorted({json.dumps(hiding_pattern(page)) for page, _, _ in failed})
    # A very long run: what fits, half each; its log has the rest.
    text += [counts, "", "| page | example | what went wrong |", "|---|---|---|",
             *fitting(rows, MOST // 2, "| ... {} more in the run's log | | |"), "",
             "To hide their buttons until they are fixed, add to `\"ignore_patterns\"` in "
             f"`{docs_dir}/try_examples.json`, and deploy:", "", "```",
             *fitting([f"    {pattern}," for pattern in patterns], MOST // 2,
                      "    ... {} more in the run's log"), "```"]
    return "\n".join(text) + "\n"


def fitting(lines: list[str], most: int, more: str) -> list[str]:
    """The first lines, up to `most` characters, then a line that says how many are left out."""
    size = 0
    for count, line in enumerate(lines):
        size += len(line) + 1
        if size > most:
            return [*lines[:count], more.format(len(lines) - count)]
    return lines


class GitHub:
    """GitHub's REST API, with a token (the workflow's GITHUB_TOKEN)."""

    def __init__(self, api: str, repository: str, token: str):
        self.base = f"{api.rstrip('/')}/repos/{repository}"
        self.token = token

    def __call__(self, method: str, path: str, data: dict | None = None):
        request = urllib.request.Request(
            self.base + path, method=method,
            data=None if data is None else json.dumps(data).encode(),
            headers={"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
                     "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or "null")

    def watch_issue(self) -> dict | None:
        """The open issue the watch opened (it carries the mark), or None."""
        for page in range(1, 11):
            issues = self("GET", f"/issues?state=open&per_page=100&page={page}")
            for issue in issues:
                if "pull_request" not in issue and MARK in (issue.get("body") or ""):
                    return issue
            if len(issues) < 100:
                break
        return None


def update_issue(github: GitHub, passed: bool, text: str, run_url: str) -> str:
    """Open, comment on or close the watch's issue; what it did."""
    issue = github.watch_issue()
    if passed:
        if issue is None:
            return "no issue to close"
        github("POST", f"/issues/{issue['number']}/comments",
               {"body": f"The examples of the deployed docs pass again ([the run]({run_url}))."})
        github("PATCH", f"/issues/{issue['number']}", {"state": "closed", "state_reason": "completed"})
        return f"closed #{issue['number']}"
    if issue is None:
        issue = github("POST", "/issues", {"title": TITLE, "body": text})
        return f"opened #{issue['number']}"
    github("POST", f"/issues/{issue['number']}/comments", {"body": text})
    return f"commented on #{issue['number']}"


def main(argv: list[str] | None = None) -> int:
    from .. import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("url", help="print url=<the deployed site>")
    issue = commands.add_parser("issue", help="open, comment on or close the watch's issue")
    issue.add_argument("--outcome", required=True,
                       help="the check step's outcome: success, failure, cancelled or skipped")
    issue.add_argument("--junit", type=Path, required=True, help="the check's JUnit XML")
    issue.add_argument("--site", required=True, help="the URL the check ran on")
    args = parser.parse_args(argv)
    env = os.environ
    repository = env.get("GITHUB_REPOSITORY", "")
    if args.command == "url":
        print("url=" + site_url(settings.HOSTING, settings.DISTRIBUTION, repository,
                                settings.DOCS_URL))
        return 0
    if args.outcome not in ("success", "failure"):  # the check did not run: nothing to say
        print(f"The check's outcome is {args.outcome}: the issue stays as it is.")
        return 0
    run_url = (f"{env.get('GITHUB_SERVER_URL', 'https://github.com')}/{repository}"
               f"/actions/runs/{env.get('GITHUB_RUN_ID', '')}")
    github = GitHub(env.get("GITHUB_API_URL", "https://api.github.com"), repository,
                    env["GITHUB_TOKEN"])
    text = body(args.site, run_url, args.junit, settings.DOCS_DIR)
    print(update_issue(github, args.outcome == "success", text, run_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
