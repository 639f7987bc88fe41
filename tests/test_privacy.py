"""Browse: what a reader's browser requests, and from where, as it happens in Chromium.

Recorded, not routed (Playwright's routing turns the HTTP cache off): a browser with a
reader's profile, in which every host but loopback is refused by a proxy that never answers,
so each request to another host is seen and fails. Its own Playwright, in a module of its own:
the sync API allows one at a time.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from harness.browser import reader_browser, serve

pytestmark = pytest.mark.browser


# What a reader's browser may fetch from other hosts once they ask for Python: the kernel's
# Pyodide from its CDN, packages from PyPI.
AFTER_INTENT = {"cdn.jsdelivr.net", "pypi.org", "files.pythonhosted.org"}


def other_hosts(requests: list[str]) -> set[str]:
    return {urlparse(url).hostname for url in requests} - {"127.0.0.1", "localhost"}


def every_page(site: Path) -> list[str]:
    """The site's pages: all but JupyterLite's own app, which opens only at the click."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                  if not path.relative_to(site).parts[0].startswith(("lite", "_")))


@pytest.mark.slow
@pytest.mark.parametrize("site_fixture", ["built_site", "furo_site", "gallery_site"])
def test_no_page_asks_another_host_before_the_reader_asks_for_python(request, site_fixture):
    # Every page of the default site, of the furo one and of the one with a gallery (its
    # assets and any MathJax, which Sphinx takes from a CDN for a page with math), as a
    # reader browsing the site reads them, to the end.
    site = request.getfixturevalue(site_fixture)
    pages = every_page(site)
    assert "index.html" in pages and "tutorial.html" in pages
    with serve(site) as url, reader_browser() as reader:
        page = reader.new_page()
        for name in pages:
            page.goto(url + name, wait_until="networkidle")
            page.mouse.wheel(0, 5000)
            page.wait_for_load_state("networkidle")
            assert other_hosts(reader.requests) == set(), name
        page.context.close()


@pytest.mark.slow
def test_once_the_reader_points_at_try_it_python_comes_from_the_kernels_cdn(built_site):
    # Recorded, not routed (routing turns the HTTP cache off): the site as deployed, with
    # Pyodide on its CDN, and other hosts refused by a proxy that never answers.
    with serve(built_site) as url, reader_browser() as reader:
        page = reader.new_page()
        page.goto(url + "generated/example_project.fibonacci.html", wait_until="networkidle")
        assert other_hosts(reader.requests) == set()
        # Intent: the reader points at "Try it". Now Python's own files may come, from the
        # kernel's CDN; the negative control that the recording sees other hosts at all.
        with page.context.expect_event("request", lambda request: other_hosts([request.url]),
                                       timeout=30_000):
            page.hover(".interactive-docs-try")
        hosts = other_hosts(reader.requests)
        assert hosts and hosts <= AFTER_INTENT, hosts
        page.context.close()
