"""Browse in Firefox and in WebKit (Safari's engine): "Try it", one edit, the next page's
head start, and Firefox's private mode, on the default project's offline site.

Debian's firefox-esr is driven over WebDriver BiDi (npm's puppeteer-core), WebKitGTK's
MiniBrowser over WebDriver (WebKitWebDriver, under xvfb-run): harness/engines.py. Each
engine runs one scenario in one new browser, and the tests read its results.

A missing engine fails these tests, as it does in CI (.ci/run installs them);
SKIP_MISSING_ENGINES=1 skips them instead, on a machine that cannot install them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from harness import engines
from harness.browser import serve

pytestmark = [pytest.mark.xdist_group("engines"), pytest.mark.engines, pytest.mark.slow]

API_PAGE = "site/generated/example_project.fibonacci.html"
NEXT_PAGE = "site/generated/example_project.moving_average.html"
# The same API page where Pyodide lacks its module (pyodide.asm.mjs): Python cannot start.
BROKEN_PAGE = "broken/generated/example_project.fibonacci.html"
# What fibonacci's example prints and returns, and moving_average's, as documented.
FIBONACCI = ["[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n", "10945"]
MOVING_AVERAGE = ["[1.5, 2.5, 3.5, 4.5]", "[30.0]\n"]
EDIT = "print(6 * 7)"
# A request the page makes to another host: the proxy must see it (and nothing else).
PROBE = "http://engines-probe.invalid/probe"
LEAK_PROBE = f"async () => {{ try {{ await fetch('{PROBE}'); }} catch {{}} }}"
# Cache Storage off in private mode, as SPEC 14 warns it may be (Firefox 153 keeps it in
# memory there): the pref has no effect outside private mode.
NO_PRIVATE_CACHE = {"dom.cache.privateBrowsing.enabled": False}


@pytest.fixture(scope="module")
def url(offline_site, tmp_path_factory):
    """The offline site, and beside it the same site with a Pyodide that cannot load."""
    root = tmp_path_factory.mktemp("engines")
    (root / "site").symlink_to(offline_site, target_is_directory=True)
    broken = shutil.copytree(offline_site, root / "broken", copy_function=os.symlink)
    (broken / "lite" / "static" / "pyodide" / "pyodide.asm.mjs").unlink()
    with serve(root) as base:
        yield base


def scenario(base: str) -> list[tuple]:
    return [
        ("goto", base + BROKEN_PAGE), ("eval", engines.TRY_IT, 0, 60),  # control: no Python
        ("goto", base + NEXT_PAGE), ("eval", engines.HEAD_START, 2),  # control: first visit
        ("eval", LEAK_PROBE),
        ("goto", base + API_PAGE), ("eval", engines.CACHE_STORAGE),
        ("eval", engines.TRY_IT, 0, 120),
        ("eval", engines.EDIT_AND_RUN, 2, EDIT),
        ("goto", base + NEXT_PAGE), ("eval", engines.HEAD_START, 60),
        ("eval", engines.TRY_IT, 0, 60),
    ]


RESULTS = ["broken", "first_visit", "probe", "cache_storage", "try_it", "edit", "head_start",
           "next_try_it"]
RUNS = {"firefox": ("firefox", False), "firefox-private": ("firefox", True),
        "webkit": ("webkit", False)}


@pytest.fixture(scope="module")
def runs(url):
    """Each engine's scenario, run once when a test first asks for it."""
    done: dict[str, tuple[dict, list[str]]] = {}

    def get(name: str) -> tuple[dict, list[str]]:
        if name not in done:
            engine, private = RUNS[name]
            lacking = engines.missing(engine)
            if lacking:
                message = f"{engine} cannot run here: no {lacking}"
                if os.environ.get("SKIP_MISSING_ENGINES") == "1":
                    pytest.skip(message)
                pytest.fail(message + " (apt-get install -y firefox-esr webkit2gtk-driver xvfb; "
                            "scripts/bootstrap.sh; or SKIP_MISSING_ENGINES=1)")
            results, proxied = engines.run(engine, scenario(url), private=private,
                                           prefs=NO_PRIVATE_CACHE if engine == "firefox" else None)
            done[name] = dict(zip(RESULTS, results, strict=True)), proxied
            print(f"\n{name}: click to output {done[name][0]['try_it']['seconds']:.2f} s, "
                  f"next page {done[name][0]['next_try_it']['seconds']:.2f} s")
        return done[name]

    return get


def outputs(result: dict | None) -> list[str] | None:
    """The example's own cells' outputs, if every cell ran."""
    if result is None or any(cell["state"] != "done" for cell in result["cells"]):
        return None
    return [cell["text"] for cell in result["cells"] if not cell["setup"]]


@pytest.mark.parametrize("name", RUNS)
def test_try_it_shows_the_example_real_output(runs, name):
    results, _ = runs(name)
    assert outputs(results["try_it"]) == FIBONACCI
    # Control: where Pyodide cannot start, the same check fails, and the page says why.
    broken = results["broken"]
    assert broken is not None and outputs(broken) is None
    assert "Python could not start." in "".join(cell["text"] for cell in broken["cells"])


@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_one_edit_then_run_shows_the_edited_output(runs, name):
    results, _ = runs(name)
    assert results["edit"] == {"state": "done", "text": "42\n"}
    # Control: the same cell's output before the edit.
    assert outputs(results["try_it"])[0] != results["edit"]["text"]


@pytest.mark.parametrize("name", ["firefox", "webkit"])
def test_the_next_page_starts_python_before_the_click(runs, name):
    results, _ = runs(name)
    # After one example ran, the next page's Python starts from the first page's snapshot
    # as it loads, and its first example's set-up cells run before the click.
    assert results["head_start"] == {"setUp": True, "state": "ready", "restored": True}
    assert outputs(results["next_try_it"]) == MOVING_AVERAGE
    # Control: the same page on a first visit starts nothing.
    assert results["first_visit"] == {"setUp": False, "state": "off", "restored": None}


def test_firefox_private_mode_runs_without_cache_storage(runs):
    results, _ = runs("firefox-private")
    assert results["cache_storage"] is False
    # No snapshot to keep: the next page starts a plain Python, still before the click.
    assert results["head_start"] == {"setUp": True, "state": "ready", "restored": False}
    assert outputs(results["try_it"]) == FIBONACCI
    assert outputs(results["next_try_it"]) == MOVING_AVERAGE
    # Control: the same browser, with the same preference, out of private mode.
    normal, _ = runs("firefox")
    assert normal["cache_storage"] is True and normal["head_start"]["restored"] is True


@pytest.mark.parametrize("name", RUNS)
def test_nothing_leaves_loopback(runs, name):
    _, proxied = runs(name)
    # Control: the page's one request to another host reached the recording proxy (Firefox
    # tries again when the connection closes unanswered).
    assert set(proxied) == {f"GET {PROBE} HTTP/1.1"}
