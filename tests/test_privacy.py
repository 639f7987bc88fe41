"""Browse: what a reader's browser requests, and from where, as it happens in Chromium.

Recorded, not routed (Playwright's routing turns the HTTP cache off): a browser with a
reader's profile, in which every host but loopback is refused by a proxy that never answers,
so each request to another host is seen and fails. Its own Playwright, in a module of its own:
the sync API allows one at a time.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from harness.browser import reader_browser, serve

pytestmark = pytest.mark.browser


# What a reader's browser may fetch from other hosts once they ask for Python: the kernel's
# Pyodide from its CDN, packages from PyPI.
AFTER_INTENT = {"cdn.jsdelivr.net", "pypi.org", "files.pythonhosted.org"}


def other_hosts(requests: list[str]) -> set[str]:
    return {urlparse(url).hostname for url in requests} - {"127.0.0.1", "localhost"}


@pytest.mark.slow
def test_no_request_leaves_the_site_before_the_reader_asks_for_python(built_site):
    # Recorded, not routed (routing turns the HTTP cache off): the site as deployed, with
    # Pyodide on its CDN, and other hosts refused by a proxy that never answers.
    pages = ["index.html", "tutorial.html", "generated/example_project.fibonacci.html"]
    with serve(built_site) as url, reader_browser() as reader:
        for name in pages:
            page = reader.new_page()
            page.goto(url + name, wait_until="networkidle")
            page.mouse.wheel(0, 5000)  # read to the end of the page
            page.wait_for_load_state("networkidle")
            assert other_hosts(reader.requests) == set(), name
            page.context.close()
        # Intent: the reader points at "Try it". Now Python's own files may come, from the
        # kernel's CDN; the negative control that the recording sees other hosts at all.
        page = reader.new_page()
        page.goto(url + pages[-1], wait_until="networkidle")
        with page.context.expect_event("request", lambda request: other_hosts([request.url]),
                                       timeout=30_000):
            page.hover(".interactive-docs-try")
        hosts = other_hosts(reader.requests)
        assert hosts and hosts <= AFTER_INTENT, hosts
        page.context.close()
