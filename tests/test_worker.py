"""The in-page runner's Python (interactive_docs/worker.py), run here in CPython as the
page's Pyodide runs it: each cell's messages to the page, in order."""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import json
import sys
import warnings

import pytest

from conftest import ROOT

WORKER = ROOT / "template" / "{{ docs_dir }}" / "interactive_docs" / "worker.py"


@pytest.fixture
def worker(monkeypatch):
    # Importing it sets matplotlib's backend and adds an import hook: undone after the test.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    # The name the page's worker imports it by, which matplotlib's backend setting names.
    spec = importlib.util.spec_from_file_location("interactive_docs_worker", WORKER)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "interactive_docs_worker", module)
    spec.loader.exec_module(module)
    return module


class Page:
    """What the page receives, and the %pip installs asked for."""

    def __init__(self, worker, wheels=None, unavailable=()):
        self.messages: list[dict] = []
        self.installs: list[list[str]] = []  # by piplite
        self.wheels: list[list[str]] = []  # straight from the site, by micropip
        installed = set()  # as importlib.metadata sees them

        async def pip(requirements):  # as Pyodide does: what it cannot fetch, it only logs
            self.installs.append(requirements)
            installed.update(worker.canonical(worker.requirement_name(r)) for r in requirements
                             if worker.requirement_name(r) not in unavailable)

        async def install_wheels(urls):
            self.wheels.append(urls)
            installed.update(worker.canonical(url.rpartition("/")[2].split("-")[0]) for url in urls)

        self.runner = worker.runner(lambda text: self.messages.append(json.loads(text)), pip,
                                    wheels, install_wheels)
        self.runner._is_installed = lambda name: worker.canonical(name) in installed

    def run(self, code: str, example: str = "a", number: int = 1) -> tuple[bool, list[dict]]:
        self.messages.clear()
        ok = asyncio.run(self.runner.run_cell(example, code, f"<cell {number}>"))
        return ok, list(self.messages)


def test_stdout_streams_then_the_last_value_is_shown(worker):
    page = Page(worker)
    ok, messages = page.run("print('a')\nprint('b', flush=True)\n6 * 7")
    assert ok
    assert messages == [{"type": "stream", "name": "stdout", "text": "a"},
                        {"type": "stream", "name": "stdout", "text": "\n"},
                        {"type": "stream", "name": "stdout", "text": "b"},
                        {"type": "stream", "name": "stdout", "text": "\n"},
                        {"type": "result", "data": {"text/plain": "42"}}]
    # A statement, or a value of None, shows nothing; stderr is its own stream.
    assert page.run("x = 1") == (True, [])
    assert page.run("None") == (True, [])
    assert page.run("import sys; sys.stderr.write('careful')")[1][0] == {
        "type": "stream", "name": "stderr", "text": "careful"}


def test_each_example_has_its_own_namespace_kept_between_cells(worker):
    page = Page(worker)
    page.run("total = 10", example="a")
    assert page.run("total + 1", example="a")[1] == [{"type": "result", "data": {"text/plain": "11"}}]
    ok, messages = page.run("total", example="b")
    assert not ok and messages[0]["ename"] == "NameError"
    assert page.run("_ * 2", example="a")[1][0]["data"] == {"text/plain": "22"}


def test_rich_values_bring_their_jupyter_representations(worker):
    page = Page(worker)
    page.run('''
class Table:
    def __repr__(self): return "<Table>"
    def _repr_html_(self): return "<table><tr><td>1</td></tr></table>"
    def _repr_png_(self): return b"\\x89PNG..."
class Broken:
    def _repr_html_(self): raise RuntimeError("no HTML today")
''')
    assert page.run("Table()")[1] == [{"type": "result", "data": {
        "text/html": "<table><tr><td>1</td></tr></table>",
        "image/png": base64.b64encode(b"\x89PNG...").decode(), "text/plain": "<Table>"}}]
    # A failing _repr_*_ is skipped, as in Jupyter; a class shows as a class.
    assert list(page.run("Broken()")[1][0]["data"]) == ["text/plain"]
    assert page.run("Table")[1][0]["data"] == {"text/plain": "<class '__main__.Table'>"}
    assert page.run("display(Table(), 'text')")[1][:2] == [
        {"type": "display", "data": {"text/html": "<table><tr><td>1</td></tr></table>",
                                     "image/png": base64.b64encode(b"\x89PNG...").decode(),
                                     "text/plain": "<Table>"}},
        {"type": "display", "data": {"text/plain": "'text'"}}]


def test_an_error_shows_a_traceback_trimmed_to_the_reader_code(worker):
    page = Page(worker)
    page.run("def shout(text):\n    if not text:\n        raise ValueError('nothing to shout')\n"
             "    return text.upper() + '!'", number=1)
    ok, messages = page.run("print('before')\nshout('')", number=2)
    assert not ok
    assert messages[0] == {"type": "stream", "name": "stdout", "text": "before"}
    error = messages[-1]
    assert (error["type"], error["ename"], error["evalue"]) == ("error", "ValueError",
                                                                "nothing to shout")
    lines = error["traceback"].splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1].startswith('  File "<cell 2>", line 2')
    assert any(line.startswith('  File "<cell 1>", line 3, in shout') for line in lines)
    assert lines[-1] == "ValueError: nothing to shout"
    assert "worker.py" not in error["traceback"]  # the runner's own frames are not shown
    # A syntax error is the error alone.
    ok, messages = page.run("1 +", number=3)
    assert not ok and messages[-1]["ename"] == "SyntaxError"
    assert messages[-1]["traceback"].startswith('  File "<cell 3>", line 1')
    # The next cell still runs.
    assert page.run("shout('hi')")[1] == [{"type": "result", "data": {"text/plain": "'HI!'"}}]


def test_top_level_await_as_in_a_notebook(worker):
    page = Page(worker)
    assert page.run("import asyncio\nawait asyncio.sleep(0)\n'slept'")[1][-1]["data"] == {
        "text/plain": "'slept'"}


def test_pip_installs_once_per_requirement_and_is_not_python(worker):
    page = Page(worker)
    assert page.run("%pip install example-project==0.1.0\nimport json") == (True, [])
    page.run("  %pip install example-project==0.1.0", example="b")  # another example
    page.run("%pip install --quiet tabulate 'numpy>=2'", example="b")
    assert page.installs == [["example-project==0.1.0"], ["tabulate", "numpy>=2"]]
    # Other magics are not Python here.
    ok, messages = page.run("%timeit 1")
    assert not ok and messages[-1]["ename"] == "SyntaxError"


def test_the_site_wheels_come_straight_from_the_site(worker):
    site = "http://127.0.0.1:8000/lite/pypi/"
    page = Page(worker, wheels={"example-project": {
        "0.1.0": site + "example_project-0.1.0-py3-none-any.whl",
        "0.10.0": site + "example_project-0.10.0-py3-none-any.whl"}})
    page.run("%pip install example-project==0.1.0")
    assert page.run("%pip install Example_Project", example="b") == (True, [])  # the newest
    assert page.wheels == [[site + "example_project-0.1.0-py3-none-any.whl"],
                           [site + "example_project-0.10.0-py3-none-any.whl"]]
    # A version the site lacks, a range, or anything else the site does not have: piplite.
    page.run("%pip install example-project==0.2.0", example="c")
    page.run("%pip install 'example-project>=0.1'", example="c")
    page.run("%pip install example-project tabulate", example="c")
    assert page.installs == [["example-project==0.2.0"], ["example-project>=0.1"],
                             ["example-project", "tabulate"]]
    assert len(page.wheels) == 2


def test_a_package_pyodide_could_not_fetch_fails_the_install_cell(worker):
    page = Page(worker, unavailable={"PyWavelets"})
    ok, messages = page.run("%pip install PyWavelets")
    assert not ok
    assert messages[-1]["ename"] == "ModuleNotFoundError"
    assert messages[-1]["evalue"] == (
        "%pip install could not install PyWavelets: the browser could not fetch it (offline?), "
        "or it has no wheel for Pyodide")
    # Installed for real, as importlib.metadata sees it (here: pytest, in this venv).
    assert worker.distribution_installed("pytest") and not worker.distribution_installed("no-such-thing")


def test_matplotlib_figures_are_shown_as_png_and_closed(worker):
    pyplot = pytest.importorskip("matplotlib.pyplot")
    assert pyplot.get_backend() == "module://interactive_docs_matplotlib"
    page = Page(worker)
    ok, messages = page.run("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()")
    assert ok
    images = [m["data"]["image/png"] for m in messages if m["type"] == "display"]
    assert len(images) == 1 and base64.b64decode(images[0]).startswith(b"\x89PNG\r\n\x1a\n")
    assert pyplot.get_fignums() == []
    # Without show(), the cell's open figures are shown when it ends, as Jupyter does.
    ok, messages = page.run("fig, ax = plt.subplots()\nax.bar([1, 2], [3, 4]);")
    assert [m["type"] for m in messages] == ["display"]
    assert page.run("1")[1] == [{"type": "result", "data": {"text/plain": "1"}}]


def test_a_fresh_page_sees_nothing_that_another_page_left(worker, tmp_path, monkeypatch):
    # The example check runs many pages in one Python; a reader's page has its own.
    root, packages = tmp_path / "root", tmp_path / "packages"
    (root / "home").mkdir(parents=True)
    (root / "home" / "kept.txt").write_text("as at start")
    packages.mkdir()
    (packages / "pagemod.py").write_text("VALUE = 1\n")
    monkeypatch.chdir(root / "home")
    monkeypatch.syspath_prepend(str(packages))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "dont_write_bytecode", sys.dont_write_bytecode)
    monkeypatch.delitem(sys.modules, "xxlimited", raising=False)
    for name in ["json", "pagemod"]:
        monkeypatch.delitem(sys.modules, name, raising=False)
    import json  # noqa: F401 -- there at start
    page = Page(worker)
    page.runner.fresh_page(str(root))

    other_page = """
import builtins, json, os, pagemod, xxlimited
os.makedirs("made/deeper")
open("made/deeper/left.txt", "w").write("left")
open("kept.txt", "w").write("changed")
os.chdir("made")
os.environ["LEFT_BY_OTHER_PAGE"] = "1"
pagemod.VALUE = 2
json.left = 3
builtins.left_builtin = 4
xxlimited.left = 5
"""
    assert page.run(other_page, "other")[0]
    page.runner.fresh_page(str(root))
    assert page.runner.namespaces == {}
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["home", "home/kept.txt"]
    assert (root / "home" / "kept.txt").read_text() == "as at start"
    ok, messages = page.run("""
import builtins, json, os, pagemod, xxlimited
print(os.getcwd().endswith("home"), "LEFT_BY_OTHER_PAGE" in os.environ, pagemod.VALUE,
      hasattr(json, "left"), hasattr(builtins, "left_builtin"), xxlimited.left)
""", "this")
    assert ok, messages
    # A compiled module cannot be loaded twice: it is the one thing that stays.
    assert "".join(m["text"] for m in messages) == "True False 1 False False 5\n"
def test_a_warning_is_a_message_of_its_own_not_stderr(worker):
    page = Page(worker)
    before = warnings.showwarning
    ok, messages = page.run("import warnings\nwarnings.warn('careful', FutureWarning)\n'went on'",
                            number=4)
    assert ok
    assert messages == [
        {"type": "warning", "category": "FutureWarning",
         "text": "<cell 4>:2: FutureWarning: careful\n"},
        {"type": "result", "data": {"text/plain": "'went on'"}}]
    # A filter a cell sets holds in the next cells, as in a notebook; outside a cell,
    # warnings go where they went before.
    page.run("warnings.simplefilter('ignore', FutureWarning)")
    assert page.run("warnings.warn('hushed', FutureWarning)") == (True, [])
    assert warnings.showwarning is before
    # Negative control: a write to stderr stays stderr.
    assert page.run("import sys; sys.stderr.write('careful')")[1] == [
        {"type": "stream", "name": "stderr", "text": "careful"},
        {"type": "result", "data": {"text/plain": "7"}}]


def test_long_outputs_are_cut_with_a_note_of_what_was_left_out(worker):
    page = Page(worker)
    limit = worker.LIMIT
    # Up to the limit, a stream is streamed whole; one character more is cut, and said.
    ok, messages = page.run(f"print('y' * {limit - 1})")
    assert ok and "".join(m["text"] for m in messages) == "y" * (limit - 1) + "\n"
    assert all(m["type"] == "stream" for m in messages)
    ok, messages = page.run(f"print('y' * {limit})")
    assert "".join(m.get("text", "") for m in messages if m["type"] == "stream") == "y" * limit
    assert messages[-1] == {"type": "cut", "name": "stdout", "text": "… 1 byte more not shown"}
    # Megabytes: the limit goes to the page as it is written, the rest only as a size, said
    # when the cut starts and again when the cell ends.
    ok, messages = page.run("print('x' * 20_000_000)\nprint('é' * 1000)\nimport sys\n"
                            "sys.stderr.write('e' * 30_000)")
    assert ok
    stdout = [m for m in messages if m.get("name") == "stdout"]
    assert "".join(m.get("text", "") for m in stdout if m["type"] == "stream") == "x" * limit
    assert [m["text"] for m in stdout if m["type"] == "cut"] == [
        "… 20.0 MB more not shown", "… 20.0 MB more not shown"]
    assert sum(len(json.dumps(m)) for m in messages) < 3 * limit
    stderr = [m for m in messages if m.get("name") == "stderr"]
    assert stderr[-1] == {"type": "cut", "name": "stderr", "text": "… 10.0 kB more not shown"}
    # Each cell has its own limit; a value's text and a traceback are cut too.
    assert page.run("print('short')")[1] == [{"type": "stream", "name": "stdout", "text": "short"},
                                             {"type": "stream", "name": "stdout", "text": "\n"}]
    ok, messages = page.run(f"'v' * {limit}")
    assert messages == [{"type": "result", "data": {"text/plain": "'" + "v" * (limit - 1)},
                         "cut": "… 2 bytes more not shown"}]
    ok, messages = page.run("raise ValueError('w' * 2_000_000)")
    assert not ok and len(messages[-1]["traceback"]) == limit
    assert messages[-1]["cut"] == "… 2.0 MB more not shown"


def test_the_note_gives_the_size_in_bytes_of_the_text_left_out(worker):
    assert [worker.cut_note(size) for size in (1, 999, 1000, 19_980_001, 3 * 10**9)] == [
        "… 1 byte more not shown", "… 999 bytes more not shown", "… 1.0 kB more not shown",
        "… 20.0 MB more not shown", "… 3.0 GB more not shown"]
    assert worker.size_after("aé€", 1) == 5  # UTF-8: 2 + 3
