"""Browse: a reader clicks "Try it in your browser!" and sees the package's real output.

Debian's headless Chromium, driven by Playwright, opens the built site from a local http
server. Every request to a host other than 127.0.0.1 is aborted, so passing proves the site
runs with no internet: the site was built with a local Pyodide of the exact version the
kernel pins, standing in for the CDN.
"""

from __future__ import annotations

import pytest

from harness.browser import offline_browser, run_try_examples, serve

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]


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
    # Fresh counts from the kernel: warning cell aside, the %pip install cell, then the two
    # example cells, all run in this browser.
    assert result.execution_counts == [1, 2, 3]
    # fibonacci(10) printed to stdout and sum(fibonacci(20)) returned, computed just now.
    assert "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]" in result.outputs[1]
    assert "10945" in result.outputs[2]
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
