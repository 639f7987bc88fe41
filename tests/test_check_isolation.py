"""The example check judges each page as a reader who opens only that page: one Python per
page, so an example that needs what another page's example left fails, naming its page.

Run offline in Debian's Chromium with the local Pyodide, on the site the example check's own
tests share (its isolation*.html pages, tests/fixtures/check_examples/isolation*).
"""

from __future__ import annotations

import pytest

from test_check_examples import check, checks_project, checks_site, verdicts  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_example_that_needs_another_page_fails_on_its_page(checks_project, checks_site):
    result = check(checks_project, checks_site, "--pages", "^isolation", "-v")
    assert result.returncode == 1
    assert verdicts(result.stdout) == {
        "example_project.isolation.writer": "ok, 3 cells",
        # Another page's example wrote the file and set the attribute: not for this page.
        "example_project.isolation.file_reader": "FAILED: cell 3 of 3 wrote to stderr:",
        "example_project.isolation.attribute_reader": "FAILED: cell 3 of 3 wrote to stderr:",
        # Negative control: on the writer's own page, they share its Python, as for a reader.
        "example_project.isolation.writer_here": "ok, 3 cells",
        "example_project.isolation.file_reader_here": "ok, 3 cells",
        "example_project.isolation.attribute_reader_here": "ok, 3 cells"}
    failed = result.stdout.split("2 interactive example(s) failed:\n")[1].splitlines()[:2]
    assert failed == [
        "isolation_b.html, example 1 of 2 (example_project.isolation.file_reader): cell 3 of 3 "
        "wrote to stderr: FileNotFoundError: [Errno 44] No such file or directory: "
        "'left_by_an_example.txt'",
        "isolation_b.html, example 2 of 2 (example_project.isolation.attribute_reader): cell 3 "
        "of 3 wrote to stderr: AttributeError: module 'example_project.isolation' has no "
        "attribute 'LEFT_BY_AN_EXAMPLE'"]
