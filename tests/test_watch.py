"""The deployed site is watched: check_examples.py takes a site's URL as well as a folder, and
the watch workflow's issue opens, grows and closes with its runs.

The sites are served here (loopback) as a host serves them, with nothing beside them; the
GitHub API is a stand-in on loopback that keeps issues as GitHub does. The real API is never
called.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from xml.etree import ElementTree

import pytest

from conftest import ROOT
from harness.browser import serve
from harness.check import load_check
from test_check_examples import check, checks_project, checks_site, verdicts  # noqa: F401

TEMPLATE_DOCS = ROOT / "template" / "{{ docs_dir }}"


@pytest.fixture(scope="module")
def modules():
    return load_check(TEMPLATE_DOCS)


# Checking a site at its URL.

@pytest.mark.slow
@pytest.mark.browser
def test_a_site_at_a_url_passes_as_its_folder_does(default_project, offline_site):
    with serve(offline_site) as url:  # a plain host: no page of the check's own beside it
        result = check(default_project, url, "-v")
    assert result.returncode == 0
    # Its pages found from its search index, its examples run as the folder's are.
    assert verdicts(result.stdout, how=True) == {
        "example_project.fibonacci": "ok, 4 cells (in Pyodide, in its page and in JupyterLite)",
        "example_project.mean": "ok, 4 cells (in Pyodide)",
        "example_project.moving_average": "ok, 4 cells (in Pyodide)"}
    assert "3 examples: 3 ran, 0 failed, 0 hidden." in result.stdout
    # The project's pytest settings, found above the check itself.
    assert f"(none) of {default_project / 'pyproject.toml'}." in result.stdout


@pytest.mark.slow
@pytest.mark.browser
def test_a_raising_example_of_a_site_at_a_url_fails_naming_it(checks_project, checks_site,
                                                               tmp_path):
    junit = tmp_path / "watch.xml"
    with serve(checks_site) as url:
        result = check(checks_project, url, "--pages", r"^generated/example_project\.mean",
                       "--junit", str(junit))
    assert result.returncode == 1
    assert verdicts(result.stdout) == {"example_project.mean": "FAILED: cell 3 of 4 wrote to stderr:"}
    assert "ValueError: mean() of an empty sequence" in result.stdout
    assert '    "generated/example_project\\\\.mean\\\\.html$",' in result.stdout
    assert f"with the option flags ELLIPSIS of {checks_project / 'pyproject.toml'}." in result.stdout
    # What the watch's issue then says.
    with github_stand_in() as api:
        assert watch(checks_project / "docs", api, "failure", junit, url).stdout == "opened #1\n"
    assert "| generated/example_project.mean.html | example_project.mean | cell 3 of 4 wrote to " \
           "stderr: ValueError: mean() of an empty sequence |" in api.issues[1]["body"]


def site_files(root: Path, builder: str, suffix: str) -> Path:
    (root / "_static").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Index</title>")
    (root / "searchindex.js").write_text(
        'Search.setIndex({"alltitles": {}, "docnames": ["api", "generated/m.f", "index", '
        '"guide/index"], "envversion": {}})')
    (root / "_static" / "documentation_options.js").write_text(
        f"const DOCUMENTATION_OPTIONS = {{\n    VERSION: '0.1',\n    BUILDER: '{builder}',\n"
        f"    FILE_SUFFIX: '{suffix}',\n}};\n")
    return root


@pytest.mark.parametrize("builder, suffix, pages", [
    ("html", ".html", ["api.html", "generated/m.f.html", "guide/index.html", "index.html"]),
    ("dirhtml", "", ["", "api/", "generated/m.f/", "guide/"]),
])
def test_the_pages_of_a_site_at_a_url_are_those_its_search_index_names(
        modules, tmp_path, builder, suffix, pages):
    with serve(site_files(tmp_path / "site", builder, suffix)) as url:
        assert modules.collect.Deployed(url + "index.html").pages() == pages
    # Negative control: a folder that no Sphinx built says so.
    with serve(tmp_path / "site" / "_static") as url:
        with pytest.raises(modules.collect.SiteError, match="searchindex.js lists no pages"):
            modules.collect.Deployed(url).pages()


def test_a_site_url_that_redirects_is_read_where_it_leads(modules, tmp_path):
    # As Read the Docs sends its root to the default version, and Pages to a custom domain.
    site_files(tmp_path / "en" / "stable", "html", ".html")
    with serve(tmp_path) as target, redirecting(target + "en/stable/") as url:
        deployed = modules.collect.Deployed(url)
        assert deployed.url == target + "en/stable/"
        assert "api.html" in deployed.pages()
    with pytest.raises(modules.collect.SiteError, match="cannot be read"):
        modules.collect.Deployed(url)  # its server is gone


@contextmanager
def redirecting(to: str) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", to)
            self.end_headers()

        def log_message(self, *args):
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


# The watch's address of the site.

@pytest.mark.parametrize("hosting, repository, url", [
    ("github-pages", "Me/signal-tools", "https://me.github.io/signal-tools/"),
    ("both", "me/me.github.io", "https://me.github.io/"),  # a user's site is at the root
    ("readthedocs", "me/signal-tools", "https://signal-tools.readthedocs.io/"),
])
def test_the_watched_url_follows_from_the_answers(modules, hosting, repository, url):
    assert modules.watch.site_url(hosting, "Signal_Tools", repository) == url
    given = "https://docs.signal.org/en/stable"  # the answer docs_url wins
    assert modules.watch.site_url(hosting, "Signal_Tools", repository, given) == given + "/"


# The watch's issue, against a stand-in of GitHub's REST API.

class StandIn(http.server.ThreadingHTTPServer):
    """GitHub's issues API for one repository, as far as the watch uses it."""

    def __init__(self, repository: str):
        super().__init__(("127.0.0.1", 0), StandInHandler)
        self.prefix = f"/repos/{repository}"
        self.issues: dict[int, dict] = {}
        self.comments: dict[int, list[str]] = {}
        self.requests: list[tuple[str, str]] = []

    def add(self, **issue) -> dict:
        number = len(self.issues) + 1
        self.issues[number] = {"number": number, "state": "open", "body": "", **issue}
        self.comments[number] = []
        return self.issues[number]


class StandInHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self) -> None:
        api, url = self.server, urlparse(self.path)
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or "null")
        api.requests.append((self.command, url.path))
        if self.headers["Authorization"] != "Bearer the-token":
            return self.answer(401, {"message": "Bad credentials"})
        path = url.path.removeprefix(api.prefix)
        parts = path.strip("/").split("/")
        if self.command == "GET" and path == "/issues":
            query = parse_qs(url.query)
            assert query["state"] == ["open"]
            size, page = int(query["per_page"][0]), int(query.get("page", ["1"])[0])
            found = [issue for issue in api.issues.values() if issue["state"] == "open"]
            return self.answer(200, found[(page - 1) * size:page * size])
        if self.command == "POST" and path == "/issues":
            return self.answer(201, api.add(title=data["title"], body=data["body"]))
        if self.command == "POST" and len(parts) == 3 and parts[2] == "comments":
            api.comments[int(parts[1])].append(data["body"])
            return self.answer(201, {"body": data["body"]})
        if self.command == "PATCH" and len(parts) == 2:
            api.issues[int(parts[1])].update(data)
            return self.answer(200, api.issues[int(parts[1])])
        self.answer(404, {"message": "Not Found"})

    do_GET = do_POST = do_PATCH = handle_any


@contextmanager
def github_stand_in() -> Iterator[StandIn]:
    with StandIn("me/signal-tools") as api:
        threading.Thread(target=api.serve_forever, daemon=True).start()
        api.url = f"http://127.0.0.1:{api.server_address[1]}"
        try:
            yield api
        finally:
            api.shutdown()


def watch(docs: Path, api: StandIn, outcome: str, junit: Path,
          site: str = "https://me.github.io/signal-tools/") -> subprocess.CompletedProcess:
    """The workflow's issue step, as it runs it (GitHub sets the GITHUB_ variables)."""
    env = {**os.environ, "PYTHONPATH": str(docs), "GITHUB_API_URL": api.url,
           "GITHUB_REPOSITORY": "me/signal-tools", "GITHUB_TOKEN": "the-token",
           "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "42"}
    result = subprocess.run([sys.executable, "-m", "interactive_docs.check.watch", "issue",
                             "--outcome", outcome, "--junit", str(junit), "--site", site],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


def failing_junit(modules, path: Path) -> Path:
    """The check's JUnit XML of a run where mean's example raised and another passed."""
    example = modules.collect.Example
    mean = example("generated/example_project.mean.html", 0, 1, "c", "m-0.ipynb", [],
                   "example_project.mean", "")
    fib = example("generated/example_project.fibonacci.html", 0, 1, "c", "f-0.ipynb", [],
                  "example_project.fibonacci", "")
    problem = ("cell 3 of 4 wrote to stderr:\nTraceback (most recent call last):\n"
               "ValueError: mean() of an empty sequence")
    modules.report.write_junit(path, [(mean, problem, 1.0), (fib, None, 1.0)])
    return path


def test_the_watch_opens_one_issue_comments_on_it_and_closes_it(default_project, modules,
                                                                tmp_path):
    docs = default_project / "docs"
    junit = failing_junit(modules, tmp_path / "watch.xml")
    with github_stand_in() as api:
        # Not the watch's: a reader's issue of the same title, and a pull request quoting it.
        api.add(title="Interactive examples fail on the deployed docs", body="Seen here too.")
        api.add(title="Fix mean", body=modules.watch.MARK, pull_request={"url": "x"})

        assert watch(docs, api, "failure", junit).stdout == "opened #3\n"
        issue = api.issues[3]
        assert issue["title"] == "Interactive examples fail on the deployed docs"
        body = issue["body"]
        assert ("The example check of the deployed docs at https://me.github.io/signal-tools/ "
                "failed ([the run](https://github.com/me/signal-tools/actions/runs/42)).") in body
        assert "2 examples: 1 ran, 1 failed, 0 hidden." in body
        assert ("| generated/example_project.mean.html | example_project.mean | cell 3 of 4 "
                "wrote to stderr: ValueError: mean() of an empty sequence |") in body
        assert "fibonacci" not in body
        assert 'in `docs/try_examples.json`' in body
        assert '    "generated/example_project\\\\.mean\\\\.html$",' in body

        # The next failing run comments on it: still one issue of the watch's.
        assert watch(docs, api, "failure", junit).stdout == "commented on #3\n"
        assert len(api.issues) == 3 and api.comments[3] == [body]
        assert api.comments[1] == api.comments[2] == []
        assert api.issues[1]["state"] == api.issues[2]["state"] == "open"

        # A run that passes closes it, saying so; the next finds nothing to close.
        assert watch(docs, api, "success", tmp_path / "none.xml").stdout == "closed #3\n"
        assert api.issues[3]["state"] == "closed"
        assert api.comments[3][-1].startswith("The examples of the deployed docs pass again")
        assert watch(docs, api, "success", junit).stdout == "no issue to close\n"
        assert api.issues[1]["state"] == "open"

        # A check that did not run (an install failed) leaves the issues as they are.
        before = len(api.requests)
        assert "stays as it is" in watch(docs, api, "skipped", junit).stdout
        assert len(api.requests) == before

        # A failure with no report (the site could not be read) opens a new one, saying so.
        assert watch(docs, api, "failure", tmp_path / "none.xml").stdout == "opened #4\n"
        assert "It stopped before it judged an example" in api.issues[4]["body"]
    assert {path for _, path in api.requests} <= {
        "/repos/me/signal-tools/issues", "/repos/me/signal-tools/issues/3",
        "/repos/me/signal-tools/issues/3/comments"}


def test_the_watch_finds_its_issue_among_many(default_project, modules, tmp_path):
    junit = failing_junit(modules, tmp_path / "watch.xml")
    with github_stand_in() as api:
        for number in range(150):
            api.add(title=f"Issue {number}", body="")
        api.add(title="Interactive examples fail on the deployed docs", body=modules.watch.MARK)
        assert watch(default_project / "docs", api, "failure", junit).stdout == "commented on #151\n"
        # Negative control: a token GitHub refuses fails the step.
        env = {**os.environ, "PYTHONPATH": str(default_project / "docs"),
               "GITHUB_API_URL": api.url, "GITHUB_REPOSITORY": "me/signal-tools",
               "GITHUB_TOKEN": "wrong"}
        refused = subprocess.run([sys.executable, "-m", "interactive_docs.check.watch", "issue",
                                  "--outcome", "failure", "--junit", str(junit), "--site", "x"],
                                 capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode != 0 and "401" in refused.stderr


def test_the_watch_url_step_prints_the_site_for_the_workflow(default_project):
    result = subprocess.run(
        [sys.executable, "-m", "interactive_docs.check.watch", "url"], capture_output=True,
        text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(default_project / "docs"),
                                    "GITHUB_REPOSITORY": "me/signal-tools"})
    assert result.stdout == "url=https://me.github.io/signal-tools/\n"


def test_a_very_long_failure_list_fits_an_issue(modules, tmp_path):
    example = modules.collect.Example
    many = [(example(f"generated/m.f{number}.html", 0, 1, "c", "n", [], f"m.f{number}", ""),
             "cell 3 of 4 wrote to stderr:\nValueError: " + "x" * 200, 1.0) for number in range(2000)]
    modules.report.write_junit(tmp_path / "watch.xml", many)
    body = modules.watch.body("https://me.github.io/m/", "https://run", tmp_path / "watch.xml", "docs")
    assert len(body) <= 65_536  # GitHub's limit for a body
    assert "2000 examples: 0 ran, 2000 failed" in body
    # Each part cut where it would not fit, saying how much is left out.
    left_out = re.findall(r"\.\.\. (\d+) more in the run's log", body)
    assert len(left_out) == 2
    shown = body.count("| generated/m.f"), body.count('    "generated/m\\\\.f')
    assert [int(count) + seen for count, seen in zip(left_out, shown)] == [2000, 2000]
    assert body.rstrip().endswith("```")
