"""Browse: a reader clicks "Try it in your browser!" and sees the package's real output.

Debian's headless Chromium, driven by Playwright, opens the built site from a local http
server. Every request to a host other than 127.0.0.1 is aborted, so passing proves the site
runs with no internet: the site was built with a local Pyodide of the exact version the
kernel pins, standing in for the CDN.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from harness.browser import offline_browser, run_lite_notebook, run_try_examples, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(offline_site):
    with serve(offline_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with offline_browser() as browser:
        yield browser


def test_try_it_runs_the_example_with_the_documented_package(site_url, browser):
    page = browser.new_page()
    result = run_try_examples(page, site_url + "generated/example_project.fibonacci.html")
    print(f"\nclick to output: {result.click_to_output_s:.1f} s, "
          f"{result.bytes / 2**20:.1f} MiB in {result.requests} responses")
    assert not result.error, result.outputs
    # Fresh counts from the kernel: warning cell aside, the %pip install cell, the module's
    # names, then the two example cells, all run in this browser.
    assert result.execution_counts == [1, 2, 3, 4]
    # fibonacci(10) printed to stdout and sum(fibonacci(20)) returned, computed just now.
    assert "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]" in result.outputs[2]
    assert "10945" in result.outputs[3]
    # The wheel built from this checkout came from the site's own package index.
    assert any(url.startswith(site_url + "lite/pypi/example_project-0.1.0-py3-none-any.whl")
               for url in browser.requests)
    assert not browser.leaked


def test_every_api_page_example_runs(site_url, browser):
    for name, expected in [("mean", "50.0"), ("moving_average", "[30.0]")]:
        page = browser.new_page()
        result = run_try_examples(page, site_url + f"generated/example_project.{name}.html")
        assert not result.error, result.outputs
        assert expected in result.outputs[-1]
    assert not browser.leaked


def notebook_button_url(page_html: str, base: str) -> str:
    """The URL a notebooklite button opens in a new tab (window.open('...'))."""
    target = re.search(r"window\.open\('([^']*notebooks/index\.html\?path=[^']*)'\)", page_html)
    assert target, "no notebooklite button on the page"
    return urljoin(base, target.group(1))


def test_tutorial_opens_in_jupyterlite_and_runs(offline_site, site_url, browser):
    url = notebook_button_url((offline_site / "tutorial.html").read_text(), site_url + "tutorial.html")
    result = run_lite_notebook(browser.new_page(), url)
    assert not result.error, result.outputs
    # The install, then the tutorial's three cells and the one the page does not show.
    assert result.execution_counts == [1, 2, 3, 4, 5]
    assert "mean reading: 6.75" in result.stdout[1]
    assert "[4.0, 5.67, 6.0, 7.67, 7.33, 9.33]" in result.stdout[2]
    assert "window 4: 5 values" in result.stdout[3]
    assert not browser.leaked


def test_gallery_jupyterlite_link_runs_the_example(gallery_site, browser):
    html = (gallery_site / "auto_examples" / "smoothing.html").read_text()
    link = re.search(r'href="([^"]*lite/notebooks/index\.html\?path=auto_examples/smoothing\.ipynb)"', html)
    assert link, "no JupyterLite button on the gallery page"
    # The gallery keeps its JupyterLite button beside "Run this page".
    assert 'data-page="true">Run this page</button>' in html
    with serve(gallery_site) as url:
        result = run_lite_notebook(browser.new_page(),
                                   urljoin(url + "auto_examples/smoothing.html", link.group(1)))
    assert not result.error, result.outputs
    assert result.execution_counts == [1, 2]
    assert "3 [4.0, 5.666666666666667, 6.0, 7.666666666666667, 7.333333333333333, 9.333333333333334]" \
        in result.stdout[1]
    assert not browser.leaked

