"""Read on a phone: every page of a new project fits a 390 px wide touch screen, in both
themes the template offers, and so does an example after "Try it" ran it.

A phone's browser widens its layout to the widest content (so does Chromium emulating one:
`innerWidth` grew to 511 with the old title), so the check compares with the screen's 390 px.
Its own Playwright, in a module of its own: the sync API allows one at a time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from harness.browser import PHONE, offline_browser, run_in_page, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH = PHONE["viewport"]["width"]

# What makes a page wider than the screen: an element that crosses its right edge (a
# drawer waiting wholly beyond it is fine), or a box that scrolls sideways. Code, tables
# and a cell's input or HTML output are boxes made to scroll; what is inside them may be wider.
OVERFLOW = """width => {
  const SCROLLS = 'pre, .highlight, table, .pst-scrollable-table-container, .table-wrapper,'
    + ' .interactive-docs-editor, .interactive-docs-input, .interactive-docs-html';
  const name = el => el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
  const problems = [];
  if (document.scrollingElement.scrollWidth > width)
    problems.push(`the page is ${document.scrollingElement.scrollWidth} px wide`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(SCROLLS) || getComputedStyle(el).visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5 && box.left < width - 0.5)
      problems.push(`${name(el)} reaches ${Math.round(box.right)} px: `
                    + el.textContent.trim().slice(0, 50));
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth}`);
  }
  return problems;
}"""

# What an existing project's pages have that the new project's do not: Sphinx's own title
# (its conf.py keeps it), and long words in prose, as in numpy-financial's docs.
SPHINX_TITLE = """() => document.querySelectorAll('.logo__title, .mobile-header .header-center a')
  .forEach(el => { el.textContent = 'Example Project 0.1.0 documentation'; })"""
LONG_WORDS = """() => {
  const prose = document.createElement('p');
  prose.innerHTML = 'Fork <code class="docutils literal notranslate"><span class="pre">'
    + 'https://github.com/&lt;your_username&gt;/numpy-financial</span></code> and see'
    + ' <cite>numpy_financial.tests.test_financial.TestFinancial.test_decimal_with_when</cite>.';
  document.querySelector('article section, [role=main] section').append(prose);
}"""


def overflow(page) -> list[str]:
    return page.evaluate(OVERFLOW, WIDTH)


def longest_api_page(site: Path) -> str:
    """The API page with the longest dotted name."""
    return max((p.relative_to(site).as_posix() for p in site.glob("generated/*.html")), key=len)


@pytest.fixture(scope="module")
def browser():
    with offline_browser() as browser:
        yield browser


def without_template_css(page) -> None:
    page.route(re.compile(r"/_static/interactive-docs\.css(\?|$)"),
               lambda route: route.fulfill(body="", content_type="text/css"))


@pytest.mark.parametrize("site_fixture", ["offline_site", "furo_site"])
def test_every_page_fits_a_phone(request, browser, site_fixture):
    site = request.getfixturevalue(site_fixture)
    api = longest_api_page(site)
    with serve(site) as url:
        for name in ["index.html", "tutorial.html", api]:
            page = browser.new_page(**PHONE)
            page.goto(url + name, wait_until="networkidle")
            assert overflow(page) == [], name
            page.evaluate(SPHINX_TITLE)
            page.evaluate(LONG_WORDS)
            assert overflow(page) == [], name
            page.context.close()
        # After "Try it": the example's cells and outputs, and a long line the reader typed.
        page = browser.new_page(**PHONE)
        result = run_in_page(page, url + api, tap=True)
        assert {cell.state for cell in result.cells} == {"done"}
        cell = page.locator(".interactive-docs-cell").last
        cell.locator(".interactive-docs-input").fill(
            "values = list(range(60)); print('a_long_identifier_' * 20, values)\nvalues")
        cell.get_by_role("button", name=re.compile(r"^Run cell \d+$")).tap()
        page.wait_for_function("() => [...document.querySelectorAll('.interactive-docs-cell')]"
                               ".pop().dataset.state === 'done'", timeout=60_000)
        assert overflow(page) == []
        page.context.close()
    assert not browser.leaked


def test_without_the_template_css_a_page_is_too_wide(offline_site, browser):
    # The negative control: the same pages without the template's CSS do not fit, for the
    # reasons the CSS is there. The API page's long name widens it...
    api = longest_api_page(offline_site)
    with serve(offline_site) as url:
        page = browser.new_page(**PHONE)
        without_template_css(page)
        page.goto(url + api, wait_until="networkidle")
        problems = overflow(page)
        assert any("scrolls sideways" in problem for problem in problems), problems
        page.context.close()
        # ... and so do long words in an existing project's prose, and Sphinx's own title
        # (511 px on the 390 px screen).
        page = browser.new_page(**PHONE)
        without_template_css(page)
        page.goto(url + "index.html", wait_until="networkidle")
        assert overflow(page) == []
        page.evaluate(LONG_WORDS)
        problems = overflow(page)
        for culprit in ["code.docutils.literal.notranslate", "cite"]:
            assert any(problem.startswith(culprit + " ") for problem in problems), problems
        page.reload(wait_until="networkidle")
        page.evaluate(SPHINX_TITLE)
        problems = overflow(page)
        assert any(problem.startswith("p.title.logo__title ") for problem in problems), problems
        page.context.close()
