"""Browse, in-page: "Try it" runs the example in the page itself, in one Pyodide per page.

The site is built for real from the default project plus a module whose examples show
HTML, a PNG image and an error; Debian's headless Chromium opens it offline, with the local
Pyodide of the kernel's exact version standing in for the CDN.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import build_project
from harness import local_pyodide
from harness.browser import PHONE, run_in_page, run_try_examples, serve

# One worker builds this module's site and runs its tests.
pytestmark = [pytest.mark.xdist_group("in-page"), pytest.mark.browser]

FIXTURE = Path(__file__).parent / "fixtures" / "in_page"
WHEEL = "lite/pypi/example_project-0.1.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def site(default_project, docs_python, local_pyodide_dir, tmp_path_factory) -> Path:
    """The default project (runner: in-page) with shapes.py documented on shapes.html, and
    the mean page hidden by try_examples.json."""
    project = tmp_path_factory.mktemp("in-page") / "project"
    shutil.copytree(default_project, project)
    shutil.copy(FIXTURE / "shapes.py", project / "src" / "example_project")
    shutil.copy(FIXTURE / "shapes.rst", project / "docs")
    config = project / "docs" / "try_examples.json"
    config.write_text(json.dumps({**json.loads(config.read_text()),
                                  "ignore_patterns": [r"example_project\.mean\.html$"]}))
    local_pyodide.install_into_lite_dir(local_pyodide_dir, project / "docs" / "jupyterlite")
    html, _ = build_project(docs_python, project)
    return html


@pytest.fixture(scope="module")
def url(site):
    with serve(site) as base:
        yield base


def test_an_api_example_runs_in_the_page_with_the_documented_package(site, url, browser):
    page = browser.new_page()
    result = run_in_page(page, url + "generated/example_project.fibonacci.html")
    print(f"\nclick to output: {result.click_to_output_s:.1f} s, "
          f"{result.bytes / 2**20:.1f} MiB in {result.requests} responses")
    # The notebook's cells, the same JupyterLite opens: install, doctest names, example.
    notebook = next((site / "lite" / "files").glob("example_project.stats.fibonacci-*.ipynb"))
    sources = ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]
               if cell["cell_type"] == "code"]
    shown = page.locator(".interactive-docs-input").evaluate_all("cells => cells.map(c => c.value)")
    assert shown == sources and sources[0] == "%pip install example-project==0.1.0"
    assert [cell.setup for cell in result.cells] == [True, True, False, False]
    assert [cell.state for cell in result.cells] == ["done"] * 4
    # fibonacci(10) printed, and sum(fibonacci(20)) returned, computed just now.
    assert result.example[0].stdout == "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n"
    assert result.example[1].text == "10945" and result.example[1].stdout == ""
    assert "runs in your browser with Example Project built from the same source" in \
        page.locator(".interactive-docs-runner").inner_text()
    # The wheel of this checkout, from the site's own index; one worker; nothing else.
    assert any(u.startswith(url + WHEEL) for u in browser.requests)
    assert len(result.workers) == 1
    assert not browser.leaked


def test_rich_output_errors_and_one_python_for_the_page(url, browser):
    page = browser.new_page()
    table = run_in_page(page, url + "shapes.html", index=0)
    # stdout as it came, then the value as HTML (its _repr_html_), not its repr.
    assert table.example[0].stdout == "rows: 2\n"
    assert table.example[1].html == ['<table class="shapes-table"><tbody><tr><td>1</td><td>2</td>'
                                     '</tr><tr><td>3</td><td>4</td></tr></tbody></table>']
    assert page.locator("table.shapes-table td").count() == 4

    swatch = run_in_page(page, None, index=1)
    print(f"\nsecond example: click to output {swatch.click_to_output_s:.2f} s")
    [image] = swatch.example[0].images
    assert image.startswith("data:image/png;base64,")
    size = page.locator(".interactive-docs-output img").evaluate("i => [i.naturalWidth, i.alt]")
    assert size == [12, "<Swatch #ff0000 12x12>"]  # decoded by the browser: a real PNG

    shout = run_in_page(page, None, index=2)
    # The docstring shows the error: its traceback, trimmed to the reader's code, then the
    # next cell still runs.
    error, after = shout.example
    assert error.state == "error"
    assert error.text.startswith("Traceback (most recent call last):\n  File \"<cell 3>\"")
    assert error.text.rstrip().endswith("ValueError: nothing to shout")
    assert "interactive_docs_worker" not in error.text and "_pyodide" not in error.text
    assert (after.state, after.text) == ("done", "'HI!'")

    # One worker, one Pyodide and one wheel download served all three examples.
    assert len(table.workers) == 1 and swatch.workers == shout.workers == []
    assert sum(u.endswith("/pyodide.asm.wasm") for u in browser.requests) == 1
    assert sum(u.startswith(url + WHEEL) for u in browser.requests) == 1
    assert not browser.leaked


def test_cells_are_editable_and_stop_restarts_python(url, browser):
    page = browser.new_page()
    run_in_page(page, url + "shapes.html", index=2)
    runner = page.locator(".interactive-docs-runner")
    last = runner.locator(".interactive-docs-cell").last
    last.locator("textarea").fill('shout("again")')
    last.locator("textarea").press("Shift+Enter")
    page.wait_for_function("c => c.dataset.state === 'done'", arg=last.element_handle())
    assert last.locator(".interactive-docs-output").inner_text() == "'AGAIN!'"

    # %pip install of what the site's own index lacks: the kernel's piplite, which finds
    # this one in the kernel's index (its stand-in for widgetsnbextension).
    last.locator("textarea").fill("%pip install widgetsnbextension\n"
                                  "import importlib.metadata\n"
                                  "importlib.metadata.version('widgetsnbextension')")
    last.locator("textarea").press("Shift+Enter")
    page.wait_for_function("c => c.dataset.state === 'done' || c.dataset.state === 'error'",
                           arg=last.element_handle())
    assert last.locator(".interactive-docs-output").inner_text() == "'4.0.999'"
    # A package of Pyodide's own that the cell imports, with no %pip: loaded first, as the
    # JupyterLite kernel loads it (six is in the lock, and not loaded at start).
    last.locator("textarea").fill("import six\nsix.__name__")
    last.locator("textarea").press("Shift+Enter")
    page.wait_for_function("c => c.dataset.state === 'done' || c.dataset.state === 'error'",
                           arg=last.element_handle())
    assert last.locator(".interactive-docs-output").inner_text() == "'six'"

    # Runaway code: Stop ends this Python; the next run starts a new one, set-up cells first.
    last.locator("textarea").fill("while True:\n    pass")
    last.get_by_role("button", name="Run cell").click()
    page.wait_for_function("c => c.dataset.state === 'running'", arg=last.element_handle())
    runner.get_by_role("button", name="Stop").click()
    assert last.get_attribute("data-state") == "stopped"
    assert runner.get_by_role("status").inner_text().startswith("Python stopped.")
    last.locator("textarea").fill('shout("back")')
    last.locator("textarea").press("Shift+Enter")
    page.wait_for_function("c => c.dataset.state === 'done'", arg=last.element_handle(),
                           timeout=120_000)
    assert last.locator(".interactive-docs-output").inner_text() == "'BACK!'"
    # Show the original brings back the page's example, and the button to run it again.
    runner.get_by_role("button", name="Show the original").click()
    assert runner.is_hidden()
    assert page.locator(".interactive-docs-try").nth(2).is_visible()


def test_open_in_jupyterlite_runs_the_same_notebook(url, browser):
    result = run_try_examples(browser.new_page(), url + "shapes.html", index=2)
    # install, names, then the example: the error it shows, and the next cell after it.
    assert result.execution_counts[:3] == [1, 2, 3]
    assert "ValueError: nothing to shout" in result.outputs[2]
    assert not browser.leaked


def test_an_ignored_page_has_no_button_and_loads_nothing(url, browser):
    page = browser.new_page()
    page.goto(url + "generated/example_project.mean.html", wait_until="networkidle")
    buttons = page.locator(".try_examples_outer_container .try_examples_button")
    assert buttons.count() == 2
    assert all(buttons.nth(i).is_hidden() for i in range(2))
    page.locator(".try_examples_outer_container").hover(force=True)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.interactiveDocs.state") == "off"
    assert not any("pyodide" in u for u in browser.requests)


def test_tutorial_keeps_its_jupyterlite_button_beside_run_this_page(site):
    tutorial = (site / "tutorial.html").read_text()
    assert 'data-notebook="lite/files/tutorial.ipynb" data-page="true">Run this page' in tutorial
    assert "notebooks/index.html?path=tutorial.ipynb" in tutorial


def run_cell(page, index: int, code: str) -> None:
    """Put code in the page's index-th cell and run it with Shift+Enter."""
    page.locator(".interactive-docs-input").nth(index).fill(code)
    page.locator(".interactive-docs-input").nth(index).press("Shift+Enter")
    page.wait_for_function(f"() => ['done', 'error'].includes(document.querySelectorAll("
                           f"'.interactive-docs-cell')[{index}].dataset.state)", timeout=60_000)


SETUP_DONE = ("() => { const cells = document.querySelectorAll('.interactive-docs-setup .interactive-docs-cell');"
              " return cells.length > 0 && [...cells].every(c => c.dataset.state === 'done'); }")


def test_the_next_page_starts_python_before_the_click(url, browser):
    page = browser.new_page()
    # A first visit: nothing starts before intent.
    page.goto(url + "shapes.html", wait_until="networkidle")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.interactiveDocs.state") == "off"
    assert not any("pyodide" in u for u in browser.requests)
    # Once the reader ran an example, the next page starts Python and runs its first
    # example's set-up cells as it loads, with no pointer near a button.
    run_in_page(page, url + "generated/example_project.fibonacci.html")
    assert page.evaluate("() => window.interactiveDocs.restored") is False
    run_cell(page, 2, "import sys\nsys.first_page = True\nsys.first_page")
    assert page.locator(".interactive-docs-output").nth(2).inner_text() == "True"
    page.goto(url + "shapes.html")
    page.wait_for_function(SETUP_DONE, timeout=120_000)
    assert page.evaluate("() => window.interactiveDocs.state") == "ready"
    # Its Python started from the memory snapshot the first page kept, as it was after
    # start-up: its own namespace, nothing of the first page's cells.
    assert page.evaluate("() => window.interactiveDocs.restored") is True
    assert page.locator(".interactive-docs-runner").is_hidden()  # nothing shown unasked
    # The click then only runs the example's own cells.
    table = run_in_page(page, None, index=0)
    assert table.example[0].stdout == "rows: 2\n"
    assert [cell.state for cell in table.cells] == ["done"] * len(table.cells)
    run_cell(page, 2, "import sys\nhasattr(sys, 'first_page')")
    assert page.locator(".interactive-docs-output").nth(2).inner_text() == "False"
    # A page that try_examples.json hides starts nothing.
    page.goto(url + "generated/example_project.mean.html", wait_until="networkidle")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.interactiveDocs.state") == "off"
    assert not browser.leaked


def test_edits_survive_a_reload_and_download_as_a_notebook(site, url, browser):
    page = browser.new_page()
    fibonacci = url + "generated/example_project.fibonacci.html"
    run_in_page(page, fibonacci)
    cell = page.locator(".interactive-docs-input").nth(2)
    cell.fill("print(fibonacci(5))")
    page.get_by_role("button", name="Undo my edits").wait_for()
    page.wait_for_timeout(500)  # the edits are saved 0.3 s after the last key
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    notebook = json.loads(Path(download.value.path()).read_text())
    assert download.value.suggested_filename.startswith("example_project.stats.fibonacci-")
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code[2] == "print(fibonacci(5))" and code[0].startswith("%pip install")
    assert notebook["nbformat"] == 4 and all(c.get("outputs") in (None, [])
                                             for c in notebook["cells"])
    # A reload of the same build: the edited cell comes back, and runs.
    result = run_in_page(page, fibonacci)
    assert result.example[0].stdout == "[0, 1, 1, 2, 3]\n"
    # Undo puts the example's own code back, for this reload and the next.
    page.get_by_role("button", name="Undo my edits").click()
    page.wait_for_timeout(500)
    result = run_in_page(page, fibonacci)
    assert result.example[0].stdout == "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n"

    # Another build of the docs (its JupyterLite storage has another name) does not bring
    # back an edit of this one.
    cell.fill("print(fibonacci(5))")
    page.wait_for_timeout(500)
    config_file = site / "lite" / "jupyter-lite.json"
    config = config_file.read_text()
    try:
        assert '"contentsStorageName": "' in config
        config_file.write_text(config.replace('"contentsStorageName": "',
                                              '"contentsStorageName": "another-build-'))
        result = run_in_page(page, fibonacci)
    finally:
        config_file.write_text(config)
    assert result.example[0].stdout == "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n"
    assert page.get_by_role("button", name="Undo my edits").is_hidden()


# The phone's screen, not innerWidth: a mobile browser widens its layout to the content.
NO_SIDEWAYS_SCROLL = f"() => document.documentElement.scrollWidth <= {PHONE['viewport']['width']}"


def test_a_phone_shows_try_it_and_runs_the_example(url, browser):
    page = browser.new_page(**PHONE)
    page.goto(url + "generated/example_project.fibonacci.html", wait_until="networkidle")
    # jupyterlite-sphinx hides both buttons on phones; "Try it" needs no JupyterLab.
    assert page.locator(".interactive-docs-try").is_visible()
    assert page.locator(".interactive-docs-lite").is_hidden()
    result = run_in_page(page, None, tap=True)
    assert [cell.state for cell in result.cells] == ["done"] * 4
    # A tap puts the focus on the example, not in a cell: no keyboard pops up over it.
    assert page.evaluate("() => document.activeElement.classList.contains('interactive-docs-runner')")
    assert result.example[0].stdout == "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n"
    # A tap on a cell's Run runs it again, and the cells fit the phone's width.
    cell = page.locator(".interactive-docs-cell").nth(3)
    cell.locator(".interactive-docs-input").fill("print('x' * 300)\nsum(fibonacci(20))")
    page.get_by_role("button", name="Run cell 4").tap()
    page.wait_for_function("() => document.querySelectorAll('.interactive-docs-cell')[3]"
                           ".dataset.state === 'done'", timeout=60_000)
    assert cell.locator(".interactive-docs-stdout").inner_text().strip() == "x" * 300
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert not browser.leaked


def test_a_phone_keeps_ignored_pages_without_buttons(url, browser):
    page = browser.new_page(**PHONE)
    page.goto(url + "generated/example_project.mean.html", wait_until="networkidle")
    buttons = page.locator(".try_examples_outer_container .try_examples_button")
    assert buttons.count() == 2 and buttons.first.is_hidden() and buttons.last.is_hidden()
    # The control: the page try_examples.json does not name shows "Try it" on the phone.
    page.goto(url + "generated/example_project.fibonacci.html", wait_until="networkidle")
    assert buttons.first.is_visible() and buttons.last.is_hidden()


def test_a_small_window_keeps_an_open_example(url, browser):
    # An example already open keeps its cells' buttons when the screen becomes small
    # (jupyterlite-sphinx hides every "try_examples_button" then).
    page = browser.new_page()
    run_in_page(page, url + "generated/example_project.fibonacci.html")
    page.set_viewport_size({"width": 400, "height": 700})
    page.wait_for_function("() => document.querySelector('.interactive-docs-lite')"
                           ".classList.contains('hidden')")
    assert page.get_by_role("button", name="Run cell 3").is_visible()
    assert page.get_by_role("button", name="Stop").is_visible()
    # The example fits the window (the theme's own header may not, at 400 px on a desktop).
    # A long line's coloured copy runs on inside its box, which clips it as the cell scrolls.
    assert page.locator(".interactive-docs-runner").evaluate(
        "runner => [runner, ...runner.querySelectorAll('*:not(.interactive-docs-layer *)')].every("
        "e => e.getBoundingClientRect().right <= document.documentElement.clientWidth)")


CONTRAST = """(el, behind) => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  // The first opaque background at or above `behind` (default: the element itself).
  let back = behind ? document.querySelector(behind) : el;
  while (back && (getComputedStyle(back).backgroundColor.startsWith('rgba') && rgb(getComputedStyle(back).backgroundColor)[3] === 0)) back = back.parentElement;
  const [a, b] = [lum(getComputedStyle(el).color), lum(getComputedStyle(back ?? document.body).backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_keyboard_opens_the_example_and_cells_are_readable(url, browser, theme):
    page = browser.new_page()
    page.goto(url + "generated/example_project.fibonacci.html", wait_until="networkidle")
    page.evaluate(f"() => document.documentElement.dataset.theme = '{theme}'")  # the theme's switch
    page.locator(".interactive-docs-try").focus()
    page.keyboard.press("Enter")
    runner = page.locator('.interactive-docs-runner[data-run="finished"]')
    runner.wait_for(timeout=120_000)
    # Focus moved to the example's first cell, which says what it is.
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Code cell 3"
    # What the reader reads is the coloured code under the cell's see-through text: each
    # token, and the caret's colour, against the code's background.
    box = ".interactive-docs-cell:nth-of-type(2) .interactive-docs-highlight"
    tokens = page.locator(".interactive-docs-layer").nth(2).locator("span")
    assert tokens.count() >= 5
    for token in tokens.all():
        assert token.evaluate(CONTRAST, box) >= 4.5, (theme, token.inner_html())  # WCAG AA
    assert page.locator(".interactive-docs-input").nth(2).evaluate(CONTRAST, box) >= 4.5, theme
    assert page.locator(".interactive-docs-try").evaluate(CONTRAST) >= 3, theme  # its label
    assert runner.get_by_role("status").count() == 1
    # Tab leaves the cell for its Run button: the coloured copy under it takes no focus.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Run cell 3"


# For each class of the page's Pygments markup in the cell's coloured copy: the colour it
# has there, and the colour the page's own code has for it.
TOKEN_COLOURS = """layer => {
  const page = layer.closest('.try_examples_outer_container').querySelector('.try_examples_content');
  const theirs = {};
  for (const span of page.querySelectorAll('.highlight span[class]')) theirs[span.className] ??= getComputedStyle(span).color;
  return [...layer.querySelectorAll('span[class]')].filter(span => span.className in theirs)
    .map(span => [span.className, getComputedStyle(span).color, theirs[span.className]]);
}"""

# Where the textarea's text starts (its content box), and where the coloured copy's first
# line and character are: with the same font and line height, each character lies over its own.
PLACES = """editor => {
  const input = editor.querySelector('textarea'), layer = editor.querySelector('.interactive-docs-layer');
  const box = input.getBoundingClientRect(), style = getComputedStyle(input);
  const walk = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT); walk.nextNode();
  const range = document.createRange(); range.setStart(walk.currentNode, 0); range.setEnd(walk.currentNode, 1);
  const first = range.getBoundingClientRect();
  return {text: [box.left + input.clientLeft + parseFloat(style.paddingLeft), box.top + input.clientTop + parseFloat(style.paddingTop)],
          copy: [first.left, layer.getBoundingClientRect().top], lineHeights: [style.lineHeight, getComputedStyle(layer).lineHeight],
          fonts: [style.font, getComputedStyle(layer).font],
          fill: style.webkitTextFillColor, layerText: layer.textContent, value: input.value};
}"""

BRACKETS = """() => [...document.querySelectorAll('.interactive-docs-bracket')].map(mark => {
  const layer = mark.closest('.interactive-docs-layer');
  const range = document.createRange(); range.setStart(layer, 0); range.setEndBefore(mark);
  return [range.toString().length, mark.textContent, mark.classList.contains('interactive-docs-unmatched')];
})"""


def test_cells_look_like_the_page_and_help_write_python(url, browser):
    page = browser.new_page()
    run_in_page(page, url + "shapes.html", index=3)  # repeat(): prose with markup between
    runner = page.locator(".try_examples_outer_container").nth(3).locator(".interactive-docs-runner")
    editors = runner.locator(".interactive-docs-editor")
    # The prose between the cells is the page's own rendering: inline code, a link.
    prose = runner.locator(".interactive-docs-prose")
    assert prose.count() == 2
    # The notebook's warning, which the page does not show, is Markdown made paragraphs.
    assert "experimental" in runner.locator(".interactive-docs-markdown p").first.inner_text()
    assert prose.first.locator("code").inner_text() == "times=2"
    assert prose.nth(1).locator("a code").inner_text() == "shout()"
    assert prose.nth(1).locator("a").get_attribute("href").endswith("#example_project.shapes.shout")
    # Every cell shows its code in the page's colours at once: the build marked it up, and
    # the page's Python has loaded no Pygments for it.
    assert editors.evaluate_all("es => es.map(e => e.dataset.highlighted)") == ["true"] * 4
    assert not any("/pygments-" in u for u in browser.requests)  # its wheel
    for theme in ("light", "dark"):  # shout(repeat("ab", times=3))
        page.evaluate(f"() => document.documentElement.dataset.theme = '{theme}'")
        colours = editors.nth(3).locator(".interactive-docs-layer").evaluate(TOKEN_COLOURS)
        assert {name for name, _, _ in colours} >= {"n", "p", "s2", "o", "mi"}, colours
        assert all(ours == theirs for _, ours, theirs in colours), (theme, colours)
        assert len({ours for _, ours, _ in colours}) >= 3, colours  # really coloured
    places = editors.nth(2).evaluate(PLACES)
    assert places["layerText"].rstrip("\n") == places["value"] == 'repeat("ab")'
    assert places["text"] == pytest.approx(places["copy"], abs=0.5), places
    assert places["lineHeights"][0] == places["lineHeights"][1]
    assert places["fonts"][0] == places["fonts"][1]
    assert places["fill"] == "rgba(0, 0, 0, 0)"  # the textarea's own text is see-through

    # Enter keeps the indentation: one level more after ":", one less after break.
    cell = runner.locator(".interactive-docs-input").nth(2)
    cell.click()
    page.keyboard.press("Control+End")
    for keys in ["Enter", "for i in range(3):", "Enter", "if i:", "Enter", "break", "Enter",
                 "print((i, [i]))"]:
        page.keyboard.press(keys) if keys == "Enter" else page.keyboard.type(keys)
    code = 'repeat("ab")\nfor i in range(3):\n    if i:\n        break\n    print((i, [i]))'
    assert cell.input_value() == code
    # The edit is coloured by the page's Python, with the page's Pygments classes.
    page.wait_for_function("() => document.querySelectorAll('.interactive-docs-editor')[2]"
                           ".dataset.highlighted === 'true'", timeout=60_000)
    assert any("/pygments-" in u for u in browser.requests)
    layer = editors.nth(2).locator(".interactive-docs-layer")
    places = editors.nth(2).evaluate(PLACES)
    assert places["layerText"].rstrip("\n") == code
    assert layer.locator(".k").all_inner_texts()[:3] == ["for", "if", "break"]
    # The bracket before the caret and its match are marked; then one without a match.
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(100)
    start = code.index("((") + 1
    assert page.evaluate(BRACKETS) == [[start, "(", False], [len(code) - 2, ")", False]]
    page.keyboard.press("End")
    page.keyboard.press("Backspace")  # print((i, [i]): the first "(" has no match
    page.wait_for_function("() => document.querySelectorAll('.interactive-docs-editor')[2]"
                           ".dataset.highlighted === 'true'", timeout=60_000)
    page.keyboard.press("Home")
    for _ in range(len("    print(")):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    assert page.evaluate(BRACKETS) == [[start - 1, "(", True]]
    # The edited cell runs as typed.
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => document.querySelectorAll('.interactive-docs-cell')[2]"
                           ".dataset.state !== 'running'", timeout=60_000)
    # Inside an open bracket, Enter indents one level more than its line; once the bracket
    # closes, the statement it was in decides (here a return: one level less).
    cell.fill("")
    cell.focus()
    for keys in ["def f(x):", "Enter", "return [x,", "Enter", "x]", "Enter", "Enter", "z = {'a': 1,", "Enter"]:
        page.keyboard.press(keys) if keys == "Enter" else page.keyboard.type(keys)
    assert cell.input_value() == "def f(x):\n    return [x,\n        x]\n\nz = {'a': 1,\n    ", cell.input_value()

    # A set-up cell that fails shows its error: the folded set-up cells open.
    setup = runner.locator(".interactive-docs-setup")
    setup.locator("summary").click()
    setup.locator(".interactive-docs-input").first.fill("raise ValueError('set-up failed')")
    setup.locator("summary").click()
    assert not setup.evaluate("details => details.open")
    runner.get_by_role("button", name="Run all").click()
    page.wait_for_function("runner => runner.dataset.run === 'finished' && runner.querySelector("
                           "'.interactive-docs-setup .interactive-docs-cell').dataset.state === 'error'",
                           arg=runner.element_handle(), timeout=60_000)
    assert setup.evaluate("details => details.open")
    assert "set-up failed" in setup.locator(".interactive-docs-output").first.inner_text()

    # The control: without the editor (it failed to load), a cell is a plain textarea,
    # uncoloured, and still runs.
    plain = browser.new_page()
    plain.route("**/interactive-docs-editor.js", lambda route: route.abort())
    result = run_in_page(plain, url + "shapes.html", index=3)
    assert [cell.state for cell in result.example] == ["done", "done"]
    assert plain.locator(".interactive-docs-editor").count() == 0
    assert not browser.leaked


def test_a_cell_that_prints_megabytes_shows_the_start_and_how_much_more(url, browser):
    page = browser.new_page()
    run_in_page(page, url + "shapes.html", index=0)
    # 20 MB: the worker sends the page 20,000 characters and a note of the rest.
    run_cell(page, 2, "print('x' * 20_000_000)")
    output = page.locator(".interactive-docs-output").nth(2)
    assert output.locator(".interactive-docs-stdout").evaluate("o => o.textContent") == "x" * 20_000
    assert output.locator(".interactive-docs-cut").inner_text() == "… 20.0 MB more not shown"
    # The page still answers: the next cell runs, and shows what it prints in full.
    run_cell(page, 3, "print('y' * 19_999)")
    output = page.locator(".interactive-docs-output").nth(3)
    assert output.locator(".interactive-docs-stdout").evaluate("o => o.textContent") == "y" * 19_999 + "\n"
    assert output.locator(".interactive-docs-cut").count() == 0
    assert not browser.leaked
