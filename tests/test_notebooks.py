"""An Examples section becomes a notebook: every piece of code it shows is a code cell.

Each shape is checked against jupyterlite-sphinx's own conversion, which recognises only
``>>>`` at the start of a line: the negative control shows what it loses.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from jupyterlite_sphinx._try_examples import examples_to_notebook

from conftest import build_project
from harness.check import load_check
from test_extension import extension  # noqa: F401  (the fixture)

FIXTURE = Path(__file__).parent / "fixtures" / "docstring_shapes"


@pytest.fixture
def notebooks(extension):  # noqa: F811
    return extension().notebooks


def rst(text: str) -> list[str]:
    return textwrap.dedent(text).strip("\n").split("\n")


def code_of(cells) -> list[tuple[str, str]]:
    """Each code cell's source and the output the docstring shows for it."""
    return [("".join(cell["source"]),
             "".join(out["data"]["text/plain"] for out in cell["outputs"]))
            for cell in cells if cell["cell_type"] == "code"]


def kinds(cells) -> list[str]:
    return [cell["cell_type"] for cell in cells]


SHAPES = {
    "a doctest after prose ending in '::'": (rst("""
        General usage::

            >>> from mylib import thing
            >>> thing(3)
            6
        """), [("from mylib import thing\nthing(3)", "6")]),
    "a literal block of plain Python": (rst("""
        Smooth a signal::

            data = [1, 2, 3]
            smooth(data, width=2)
        """), [("data = [1, 2, 3]\nsmooth(data, width=2)", "")]),
    "a code-block directive": (rst("""
        Smooth a signal:

        .. code-block:: python
           :caption: smoothing

           for width in (2, 3):
               print(smooth([1, 2, 3], width))
        """), [("for width in (2, 3):\n    print(smooth([1, 2, 3], width))", "")]),
    "a doctest in a code directive": (rst("""
        .. code:: pycon

           >>> smooth([1, 3])
           [2.0]
        """), [("smooth([1, 3])", "[2.0]")]),
    "an IPython session in a code directive": (rst("""
        .. code-block:: ipython

           In [1]: smooth([1, 3])
           Out[1]: [2.0]
        """), [("smooth([1, 3])", "[2.0]")]),
    # With its own blank line, a comment would be a cell that runs nothing, apart from
    # the code it describes.
    "a comment cell inside a doctest": (rst("""
        >>> # A window wider than the data gives nothing.

        >>> smooth([1, 2], width=5)
        []
        """), [("# A window wider than the data gives nothing.\nsmooth([1, 2], width=5)", "[]")]),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_piece_of_code_shown_is_a_code_cell(notebooks, shape):
    lines, code = SHAPES[shape]
    assert code_of(notebooks.example_cells(lines)) == code
    # Negative control: jupyterlite-sphinx's conversion loses it.
    assert code_of(examples_to_notebook(lines).cells) != code


def test_prose_before_a_literal_block_reads_as_the_page_shows_it(notebooks):
    cells = notebooks.example_cells(SHAPES["a doctest after prose ending in '::'"][0])
    assert kinds(cells) == ["markdown", "code"]
    assert cells[0]["source"] == "General usage:"  # rst shows "::" as ":"
    ends = notebooks.without_literal_marker
    assert [ends("Use::"), ends("Use ::"), ends("    ::")] == ["Use:", "Use", ""]


def test_blocks_keep_the_page_order_with_the_prose_between(notebooks):
    lines = rst("""
        First make the data, with :math:`n = 3`:

        >>> data = [1, 2, 3]

        then smooth it, as `the guide <https://example.org/guide>`_ says::

            result = smooth(data)

        .. code-block:: python

           print(result)

        and that is all.
        """)
    cells = notebooks.example_cells(lines)
    assert kinds(cells) == ["markdown", "code", "markdown", "code", "code", "markdown"]
    assert [source for source, _ in code_of(cells)] == [
        "data = [1, 2, 3]", "result = smooth(data)", "print(result)"]
    assert cells[0]["source"] == "First make the data, with $n = 3$:"
    assert cells[2]["source"] == "then smooth it, as [the guide](https://example.org/guide) says:"
    assert cells[5]["source"] == "and that is all."
    # Negative control: jupyterlite-sphinx's conversion keeps the doctest alone.
    assert [source for source, _ in code_of(examples_to_notebook(lines).cells)] == [
        "data = [1, 2, 3]"]


def test_output_and_other_languages_in_literal_blocks_stay_markdown(notebooks):
    lines = rst("""
        The result is::

            [1.5, 2.5]

        Install it first:

        .. code-block:: bash

           pip install signal-tools
        """)
    cells = notebooks.example_cells(lines)
    assert kinds(cells) == ["markdown"]
    assert cells[0]["source"] == ("The result is:\n\n```\n[1.5, 2.5]\n```\n\n"
                                  "Install it first:\n\n```bash\npip install signal-tools\n```")
    # Negative control: the shown value parses as Python; only the rule that a bare
    # value is output keeps it out of the code.
    ast.parse("[1.5, 2.5]")
    assert notebooks.is_python("[1.5, 2.5]\nresult") is False
    assert notebooks.is_python("result = [1.5, 2.5]") is True
    assert notebooks.is_python("pip install signal-tools") is False


def test_doctest_contracts_are_kept(notebooks):
    lines = rst("""
        >>> data = fetch("x.csv")  # doctest: +SKIP
        >>> smooth([])
        Traceback (most recent call last):
        ValueError: no data

        .. plot::

           >>> plot(data)

        .. only:: latex

           >>> latex_only()

        >>> smooth([1, 3])
        [2.0]
        """)
    notebook = notebooks.example_notebook(lines, None, "", "")
    assert code_of(notebook["cells"]) == [
        ("%pip install signal-tools", ""),
        ('data = fetch("x.csv")  # doctest: +SKIP\nsmooth([])',
         "Traceback (most recent call last):\nValueError: no data"),
        ("smooth([1, 3])", "[2.0]")]
    cells = notebook["cells"]
    assert [cell["id"] for cell in cells] == ["install-project", "cell-0", "cell-1"]
    assert cells[1]["metadata"] == {"tags": ["raises-exception"]}
    assert cells[1]["outputs"][0]["output_type"] == "execute_result"
    json.dumps(notebook)


def test_a_section_without_code_has_nothing_to_try(notebooks):
    no_code = notebooks.example_notebook(rst("""
        There is nothing to run here; the output looks like::

            [1, 2]
        """), "Careful.", "json.dumps", "import os")
    assert not notebooks.shows_code(no_code)
    # Negative control: its notebook still has code cells, the ones every example gets.
    assert [cell["id"] for cell in no_code["cells"] if cell["cell_type"] == "code"] == [
        "install-project", "doctest-namespace", "preamble"]
    assert notebooks.shows_code(notebooks.example_notebook([">>> 1"], None, "", ""))
    assert not notebooks.shows_code(notebooks.example_notebook([">>> # just this"], None, "", ""))


# A real build of docstrings of every shape.

def test_a_built_site_has_every_shape_s_code_in_its_notebooks(default_project, docs_python,
                                                             tmp_path):
    project = tmp_path / "project"
    shutil.copytree(default_project, project)
    shutil.copy(FIXTURE / "shapes.py", project / "src" / "example_project")
    shutil.copy(FIXTURE / "shapes.rst", project / "docs")
    html, _ = build_project(docs_python, project)

    def example(name: str) -> list[tuple[str, str]]:
        [notebook] = (html / "lite" / "files").glob(f"example_project.shapes.{name}-*.ipynb")
        cells = json.loads(notebook.read_text())["cells"]
        return code_of(cell for cell in cells if cell["id"].startswith("cell-"))  # the example's

    assert example("literal_doctest") == [
        ("from example_project.shapes import literal_doctest\nliteral_doctest(3)", "6")]
    assert example("literal_python") == [("total = literal_python(2)\nprint(total)", "")]
    assert example("code_block") == [
        ("for n in (1, 2):\n    print(code_block(n))", "")]
    assert example("blocks_and_prose") == [
        ("first = blocks_and_prose(1)", ""), ("second = blocks_and_prose(first)", ""),
        ("print(second)", ""), ("second", "3")]
    assert example("comment_cell") == [("# Twice the input.\ncomment_cell(2)", "4")]
    # jupyterlite-sphinx alone ends the Examples at the admonition: no code, no button.
    assert example("with_warning") == [("with_warning(4)", "2.0")]

    page = (html / "shapes.html").read_text()
    sections = {section.split('"')[0].rsplit(".", 1)[1]: section for section in
                re.split(r'<dt class="sig sig-object py" id="', page)[1:]}
    assert "The output looks like" in sections["no_code"]  # shown, as plain docs
    assert "try_examples" not in sections.pop("no_code")
    assert len(sections) == 6
    assert "Odd numbers give a fraction." in sections["with_warning"]
    assert all("interactive-docs-try" in section for section in sections.values())
    assert not list((html / "lite" / "files").glob("example_project.shapes.no_code-*"))
    # The example check finds each notebook's code on its page.
    check = load_check(project / "docs")
    examples = [example for example in check.collect.find_examples(html)
                if example.page == "shapes.html"]
    assert [(example.name, check.judge.check_notebook(example)) for example in examples] == [
        (f"example_project.shapes.{name}", None) for name in
        ["literal_doctest", "literal_python", "code_block", "blocks_and_prose", "comment_cell",
         "with_warning"]]


def test_the_text_between_code_is_numbered_and_placed(notebooks):
    """Each Markdown cell names the part of the page that renders it (mark_prose), by the
    lines its text starts at; code between two texts makes two cells."""
    lines = rst("""
        Some text.

        >>> x = 1

        More text::

            y = x + 1

        Last words, then a value shown as output:

        .. code-block:: text

           not python
        """)
    numbered = notebooks.numbered_blocks(lines)
    texts = [(block.at, prose) for block, prose in numbered if prose is not None]
    codes = [block.at for block, prose in numbered if prose is None]
    assert texts == [(0, 0), (3, 1), (8, 2), (10, 2)]  # the text block joins its prose
    assert codes == [2, 6]  # a literal block starts at its first line, as docutils places it
    cells = notebooks.example_cells(lines)
    assert [cell["metadata"].get("interactive_docs", {}).get("prose") for cell in cells] == [0, None, 1, None, 2]


def test_the_build_and_the_page_mark_up_code_alike(notebooks):
    """The build's markup of an example's code and the page's Python's markup of an edit
    are the same Pygments spans, and hold exactly the code (the editor lays them under it)."""
    from test_worker import WORKER
    spec = importlib.util.spec_from_file_location("worker_for_markup", WORKER)
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    sys.meta_path.pop()  # the import hook it adds
    for code in ['import numpy as np\nnp.arange(3)', '%pip install x\nf"{x!r}" # done',
                 "def f(a):\n\treturn (a, [a])\n", "x = '''\n  y\n'''"]:
        markup = notebooks.highlighted(code)
        assert markup == worker.highlighted(code)
        assert re.sub(r"<[^>]+>", "", markup).replace("&#39;", "'").replace("&quot;", '"').rstrip("\n") \
            == code.rstrip("\n")
        assert '<span class="' in markup
