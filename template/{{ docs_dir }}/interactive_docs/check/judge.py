# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""The verdicts: what went wrong in an example's notebook or in the cells that ran, as the
project's doctests judge it (its doctest flags, lines the doctests skip, outputs compared as
doctest compares them; a warning fails nothing). Standard library only."""

from __future__ import annotations

import ast
import configparser
import doctest
import re
import textwrap
from pathlib import Path

from .collect import Example, source

# "# doctest: +SKIP" and the like, which the page does not show.
DOCTEST_FLAGS = re.compile(r"[ \t]*#\s*doctest:.+$")
# A doctest directive, as doctest reads it: its options, e.g. "+SKIP, -ELLIPSIS".
DIRECTIVE = re.compile(r"#\s*doctest:\s*([^\n'\"]*)$", re.MULTILINE)
# Sphinx's smartquotes on the page's prose (quotes, dashes, ellipsis), undone: the code as
# the docstring has it. Both sides are read this way, so that only these marks are equal.
SMART_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                              "\u2019": "'", "\u2013": "--", "\u2014": "---", "\u2026": "..."})
# micropip finds neither a pure-Python wheel nor one in Pyodide's distribution ("for:" and a
# list with keep_going=True).
NO_PYODIDE_BUILD = re.compile(r"Can't find a pure Python 3 wheel for:? ('[^']+'(?:, '[^']+')*)")
# A warning as Python prints it to stderr (JupyterLite's kernel does): "file:line: Category:
# message", then the source line, indented.
PRINTED_WARNING = re.compile(r"^[^\n]*:\d+: (?:[\w.]+\.)?\w*Warning: [^\n]*\n?(?:[ \t]+[^\n]*\n?)*",
                             re.MULTILINE)
# Cells interactive_docs adds before an example's own (install, doctest names, preamble).
OWN_CELLS = {"install-project", "patch-network", "doctest-namespace", "preamble"}


def check_notebook(example: Example) -> str | None:
    """What is wrong with the example's notebook before it runs, or None."""
    if not example.notebook:
        return "its button names no notebook"
    if not example.cells:
        return f"its notebook {example.notebook} has no code cell (or is missing)"
    own = [cell for cell in example.cells if cell.get("id") not in OWN_CELLS]
    if not own:
        return f"its notebook {example.notebook} has none of the example's code"
    if example.in_page is not None and example.in_page != example.notebook:
        return (f"its in-page runner runs {example.in_page}, not the notebook "
                f"{example.notebook} that JupyterLite opens")
    shown = as_shown(example.shown)
    for cell in own:
        if cell.get("metadata", {}).get("interactive_docs", {}).get("show") in ("hidden", "output"):
            continue  # a narrative page's cell whose code the page hides (remove-cell, ...)
        for line in source(cell).splitlines():
            line = DOCTEST_FLAGS.sub("", line)  # Sphinx hides them (trim_doctest_flags)
            if line.strip() and as_shown(line).strip() not in shown:
                return (f"its notebook {example.notebook} holds code that is not this "
                        f"example's: {line.strip()!r}")
    return None


def as_shown(text: str) -> str:
    """Text as the check compares code with the page: without doctest prompts, smart quotes
    undone, each run of white space one space (docutils turns a tab into spaces)."""
    text = re.sub(r"(?m)^\s*(>>>|\.\.\.) ?", "", text.translate(SMART_QUOTES))
    return re.sub(r"[ \t]+", " ", text)


def go_on(example: Example) -> list[bool]:
    """Per code cell: whether the run goes on when it fails: the docstring shows it raising,
    or the doctests skip a line of it."""
    return [raises or bool(skipped_lines(source(cell)))
            for cell, raises in zip(example.cells, example.may_raise())]


def judge(example: Example, ran: list[dict]) -> str | None:
    """What went wrong in the cells that ran ({"ok", "stderr", and "shown" when known: stdout
    and the last value's text}), as the project's doctests judge it, or None. A failing line
    that the doctests skip, and output other than the docstring's, go to example.notes."""
    expected = len(example.cells)
    for number, (cell, run, raises) in enumerate(zip(example.cells, ran, example.may_raise()),
                                                  start=1):
        code, failed = source(cell), run["stderr"].strip()
        if raises:  # the docstring shows it raising
            continue
        if not run["ok"] or failed:
            if not skipped_failure(code, failed, number):
                return failure(number, expected, failed or "it failed")
            example.notes.setdefault(number, (
                f"cell {number} of {expected}: a line the doctests skip (+SKIP) failed:\n{failed}"))
        elif (run.get("shown") is not None and cell.get("id") not in OWN_CELLS
              and not skipped_lines(code) and (not example.narrative or cell.get("outputs"))):
            # A narrative page's cell is compared where the page stored its output.
            difference = output_difference(cell, run["shown"], example.optionflags,
                                            run.get("cut", ""))
            if difference:
                example.notes.setdefault(number, f"cell {number} of {expected} {difference}")
    if len(ran) < expected:  # the run stopped where it should have gone on
        return f"cell {len(ran) + 1} of {expected} did not run"
    return None


def in_page_problem(example: Example, cells: list[dict]) -> str | None:
    """What went wrong running the example's cells in the page, or None."""
    expected = len(example.cells)
    if len(cells) != expected:
        return f"the page shows {len(cells)} of its notebook's {expected} code cells"
    ran = next((number for number, cell in enumerate(cells) if cell["state"] not in ("done", "error")),
               expected)
    problem = judge(example, cells[:ran])
    if ran < expected and problem == f"cell {ran + 1} of {expected} did not run":
        return f"{problem} (it is {cells[ran]['state']})"
    return problem


def apart(example: Example) -> str:
    """What is reported apart of the example (a failure with --strict), or ""."""
    return "\n".join(example.notes[cell] for cell in sorted(example.notes))


def failure(number: int, expected: int, failed: str) -> str:
    """The problem of a cell that failed: an install Pyodide cannot do says so first."""
    no_build = NO_PYODIDE_BUILD.search(failed)
    if no_build:
        return (f"cell {number} of {expected}: Pyodide cannot install {no_build[1]}: it has no "
                f"build for Pyodide (no pure-Python wheel, and not in Pyodide's distribution):\n"
                f"{failed}")
    return f"cell {number} of {expected} wrote to stderr:\n{failed}"


def timed_out(timeout_ms: float, cell: int | None = None, cells: int = 0, where: str = "") -> str:
    """The problem of a step that took longer than the timeout: a cell still running, when
    it is known which."""
    running = f" running cell {cell} of {cells}{where}" if cell else ""
    return f"timed out after {timeout_ms / 1000:g} s{running}"


def directives(code: str) -> list[str]:
    """The doctest directives of the code, e.g. ["+SKIP", "-ELLIPSIS"]."""
    return [option for options in DIRECTIVE.findall(code)
            for option in re.split(r"[\s,]+", options.strip()) if option]


def skipped_lines(code: str) -> set[int]:
    """The lines of the statements that have "# doctest: +SKIP": doctest skips the whole
    example (statement) that a directive is on."""
    lines = code.splitlines()
    try:
        tree = compile(code, "<cell>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        spans = [(min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]),
                  node.end_lineno) for node in tree.body]
    except SyntaxError:  # e.g. a %pip line: line by line
        spans = [(number, number) for number in range(1, len(lines) + 1)]
    skipped = set()
    for first, last in spans:
        if any("+SKIP" in directives(line) for line in lines[first - 1:last]):
            skipped.update(range(first, last + 1))
    return skipped


def skipped_failure(code: str, failed: str, number: int) -> bool:
    """Whether the cell failed in a line that the doctests skip: the line its traceback
    names (in the in-page runner "<cell N>", in JupyterLite "Cell In[N]"), or, without one,
    when the doctests skip all of the cell."""
    skipped = skipped_lines(code)
    if not skipped:
        return False
    where = (re.search(rf'File "<cell {number}>", line (\d+)', failed)
             or re.search(r"Cell In\[\d+\], line (\d+)", failed))
    if where:
        return int(where[1]) in skipped
    return all(number in skipped for number, line in enumerate(code.splitlines(), start=1)
               if line.strip())


def documented(cell: dict) -> str:
    """The output the docstring documents for the cell (the notebook's execute_result), or
    a narrative page stored (its stdout too)."""
    texts = [output.get("data", {}).get("text/plain", "") if output.get("output_type") ==
             "execute_result" else output.get("text", "") for output in cell.get("outputs", [])
             if output.get("output_type") == "execute_result"
             or (output.get("output_type") == "stream" and output.get("name") == "stdout")]
    return "".join("".join(text) if isinstance(text, list) else text for text in texts)


def output_difference(cell: dict, shown: str, optionflags: int, cut: str = "") -> str | None:
    """How the cell's output differs from the docstring's, as doctest compares them (its
    option flags, and the cell's own directives), or None. A long output is compared as
    the runner cut it; cut is its note of how much more there was."""
    for option in directives(source(cell)):
        flag = doctest.OPTIONFLAGS_BY_NAME.get(option[1:])
        if flag:
            optionflags = optionflags | flag if option[0] == "+" else optionflags & ~flag
    want = documented(cell)
    want += "\n" if want and not want.endswith("\n") else ""
    if doctest.OutputChecker().check_output(want, shown, optionflags):
        return None
    flags = ", ".join(name for name, flag in doctest.OPTIONFLAGS_BY_NAME.items()
                      if optionflags & flag)
    return ("shows other output than its docstring documents"
            + (f" (doctest flags: {flags})" if flags else "") + ":\n"
            + "  the docstring documents:\n" + block(want) + "\n"
            + "  the browser shows:\n" + block(shown) + (f"\n    {cut}" if cut else ""))


def block(text: str) -> str:
    return textwrap.indent(text.rstrip("\n") or "(nothing)", "    ", lambda line: True)


def doctest_optionflags(html_dir: Path) -> tuple[int, str | None]:
    """The doctest option flags of the project's pytest configuration, as pytest finds it:
    the first folder above the site with pytest.ini, pyproject.toml's
    [tool.pytest.ini_options], tox.ini's [pytest] or setup.cfg's [tool:pytest], up to the
    repository's root. (flags, the file they come from or None)."""
    for folder in html_dir.resolve().parents:
        for name, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest"),
                              ("pyproject.toml", None), ("tox.ini", "pytest"),
                              ("setup.cfg", "tool:pytest")):
            file = folder / name
            if not file.is_file():
                continue
            if section is None:
                try:
                    import tomllib
                except ImportError:  # Python 3.10: pyproject.toml is not read
                    continue
                options = tomllib.loads(file.read_text(encoding="utf-8")).get(
                    "tool", {}).get("pytest", {}).get("ini_options")
                if options is None:
                    continue
                names = options.get("doctest_optionflags", [])
            else:
                config = configparser.ConfigParser(interpolation=None)
                config.read(file, encoding="utf-8")
                if not config.has_section(section) and name != "pytest.ini":
                    continue
                names = config.get(section, "doctest_optionflags", fallback="")
            return optionflags(names), str(file)
        if (folder / ".git").exists():
            break
    return 0, None


def optionflags(names: str | list[str]) -> int:
    """doctest's flags by name ("ELLIPSIS NORMALIZE_WHITESPACE"); pytest's own (NUMBER,
    ALLOW_UNICODE, ALLOW_BYTES) are not doctest's, and not honoured here."""
    if isinstance(names, str):
        names = re.split(r"[\s,]+", names)
    flags = 0
    for name in names:
        flags |= doctest.OPTIONFLAGS_BY_NAME.get(name.strip(), 0)
    return flags
