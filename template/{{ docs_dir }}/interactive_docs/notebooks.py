# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""The notebooks readers open: one per example, run as the project's doctests run."""

from __future__ import annotations

import ast
import hashlib
import importlib
import json
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from jupyterlite_sphinx._try_examples import _convert_links, _process_latex, _strip_ref_identifiers
from jupyterlite_sphinx.jupyterlite_sphinx import TryExamplesDirective, _process_autodoc_docstrings
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from . import settings, wheel

# Code that fetches data needs requests/urllib patched for the browser.
NETWORK = re.compile(r"\b(requests|urllib|pooch|httpx)\b|https?://")
PATCH_NETWORK = "%pip install pyodide-http\nimport pyodide_http\npyodide_http.patch_all()"
NAMESPACE = """\
# As under `pytest --doctest-modules`, the example sees the names of {module}.
import {module} as _module
globals().update({{k: v for k, v in vars(_module).items() if not k.startswith("__")}})"""
# The cells this extension adds; the example's own follow them.
OWN_CELLS = ("install-project", "patch-network", "doctest-namespace", "preamble")


# numpydoc keeps an admonition such as ".. warning::" inside the section that holds it, but
# jupyterlite-sphinx takes one for the next section (napoleon may start a section with it)
# and ends the Examples there: the code after it would get no button.
ADMONITION = re.compile(r"^(\s*)\.\. (attention|caution|danger|error|hint|important|tip|todo|warning)::")
HIDDEN = "..\x00"  # an admonition's ".. " while jupyterlite-sphinx finds the section's end


def examples_with_admonitions(app, what, name, obj, options, lines):
    """autodoc-process-docstring, before jupyterlite-sphinx's own (which then finds the
    directive in place): numpydoc's Examples, admonitions and all, under one button."""
    if (not app.config.global_enable_try_examples
            or not any("!! processed by numpydoc !!" in line for line in lines)
            or not any(ADMONITION.match(line) for line in lines)):
        return
    masked = [ADMONITION.sub(lambda match: f"{match[1]}{HIDDEN}{match[2]}::", line)
              for line in lines]
    _process_autodoc_docstrings(app, what, name, obj, options, masked)
    lines[:] = [line.replace(HIDDEN, ".. ") for line in masked]


class _State:
    warning: str | None = None  # the warning atop every notebook, once config-inited ran
    in_page: bool = False  # the in-page runner runs the gallery's examples too
    # Code cells sphinx-gallery adds to each notebook, before and after the example's.
    gallery_cells: tuple[int, int] = (0, 0)


state = _State()


class TryExamples(TryExamplesDirective):
    """jupyterlite-sphinx's button, opening a notebook of this example's own.

    jupyterlite-sphinx keys each notebook by page and line, which the Examples of several
    objects on one page can share (their docstrings start at the same line): then buttons
    open another object's example. Here the name comes from the page, the documented object
    and the example itself, so it is also the same at every build.
    """

    def run(self):
        documented = self.get_source_info()[0].partition("docstring of ")[2]
        config = self.config
        warning = self.options.get("warning_text", config.try_examples_global_warning_text)
        notebook = example_notebook(self.content, warning, documented,
                                    preamble(settings.PREAMBLE, config.try_examples_preamble))
        if config.interactive_docs_runner == "in-page":
            notebook["metadata"]["interactive_docs"] = {"in_page": True}  # see highlight_cells
        if not shows_code(notebook):
            # Nothing to try: the section stays plain docs, without a button or a notebook.
            shown = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, shown)
            return shown.children
        name = notebook_name(self.env.docname, documented, self.content)
        text = json.dumps(notebook, indent=1, ensure_ascii=False)
        write_notebook(Path(self.env.srcdir) / config.jupyterlite_content_dir, name, text)
        # jupyterlite-sphinx empties the contents folder at every build, and an incremental
        # build does not read unchanged pages again: the environment keeps their notebooks.
        notebooks_of(self.env).setdefault(self.env.docname, {})[name] = text
        # The parent directive opens the notebook it finds under this key.
        notebooks = self.env.temp_data.setdefault("generated_notebooks", {})
        notebooks[f"{self.env.docname}-{self.lineno}"] = name
        # Its element ids are random: number them, so that a page is the same at every build.
        result = stable_ids(super().run(), f"try-examples-{self.env.new_serialno('try_examples')}")
        if config.interactive_docs_runner == "in-page":
            depth = self.env.docname.count("/")
            result = in_page_button(result, "../" * depth + f"lite/files/{name}")
            mark_prose(result, self.content, numbered_blocks(self.content))
        return result


# jupyterlite-sphinx's "Try" button, which opens the notebook in JupyterLite.
LITE_BUTTON = re.compile(r'<button class="try_examples_button" (onclick="window\.tryExamplesShowIframe'
                         r'\([^"]*\)")>(.*?)</button>')


def in_page_button(result: list, notebook_url: str) -> list:
    """The directive's nodes with "Try" running the example in the page (interactive-docs.js
    reads the cells from notebook_url), and "Open in JupyterLite" beside it, doing what
    jupyterlite-sphinx's button does."""

    def buttons(match: re.Match) -> str:
        return (f'<button class="try_examples_button interactive-docs-try" type="button" '
                f'data-notebook="{notebook_url}">{match[2]}</button>'
                f'<button class="try_examples_button interactive-docs-lite" type="button" '
                f'{match[1]}>Open in JupyterLite</button>')

    return rewrite_raw(result, lambda html: LITE_BUTTON.sub(buttons, html))


def rewrite_raw(result: list, rewrite) -> list:
    """The directive's nodes with the HTML of each raw node passed through rewrite."""
    rewritten = []
    for top in result:
        for node in [*top.findall(nodes.raw)]:
            fresh = nodes.raw("", rewrite(node.astext()), format=node.get("format"))
            if node is top:
                top = fresh
            else:
                node.parent.replace(node, fresh)
        rewritten.append(top)
    return rewritten


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def stable_ids(result: list, prefix: str) -> list:
    """The directive's nodes with each random id replaced by prefix-0, prefix-1, ..."""
    names: dict[str, str] = {}

    def rename(text: str) -> str:
        return UUID.sub(lambda match: names.setdefault(match[0], f"{prefix}-{len(names)}"), text)

    for top in result:
        for node in top.findall(nodes.Element):
            if node.get("ids"):
                node["ids"] = [rename(str(name)) for name in node["ids"]]
    return rewrite_raw(result, rename)


def notebooks_of(env) -> dict[str, dict[str, str]]:
    """The example notebooks of each page: {docname: {file name: JSON text}}."""
    if not hasattr(env, "interactive_notebooks"):
        env.interactive_notebooks = {}
    return env.interactive_notebooks


def write_notebook(contents: Path, name: str, text: str) -> None:
    contents.mkdir(parents=True, exist_ok=True)
    (contents / name).write_text(text, encoding="utf-8")


def forget_page(app, env, docname):
    """env-purge-doc: the page is read again, and makes its notebooks anew."""
    notebooks_of(env).pop(docname, None)


def merge_pages(app, env, docnames, other):
    """env-merge-info: take the notebooks of pages read in a parallel process."""
    for docname in docnames:
        if docname in notebooks_of(other):
            notebooks_of(env)[docname] = notebooks_of(other)[docname]


def restore_notebooks(app, exception):
    """Write the notebooks of pages this build did not read again (build-finished)."""
    if exception is not None or app.builder.format != "html":
        return
    contents = Path(app.srcdir) / app.config.jupyterlite_content_dir
    for page in notebooks_of(app.env).values():
        for name, text in page.items():
            if not (contents / name).is_file():
                write_notebook(contents, name, text)


def preamble(*parts: str | None) -> str:
    """The answered preamble and conf.py's try_examples_preamble, in that order."""
    return "\n".join(part.strip("\n") for part in parts if part and part.strip())


def notebook_name(docname: str, documented: str, lines) -> str:
    digest = hashlib.sha256("\n".join([docname, documented, *lines]).encode()).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", documented or docname).strip("._-")[-80:]
    return f"{stem or 'example'}-{digest[:12]}.ipynb"


def doctest_module(documented: str) -> str | None:
    """The module whose names doctest gives the documented object's examples."""
    parts = documented.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        try:
            found = sys.modules.get(name) or importlib.import_module(name)
        except ImportError:
            continue
        module = found.__name__
        for attribute in parts[end:]:
            found = getattr(found, attribute, None)
            owner = getattr(found, "__module__", None)
            if isinstance(owner, str):
                module = owner  # a method's or property's own, else its class's
        return module
    return None


def code_cell(cell_id: str, source: str, **metadata) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": cell_id,
            "metadata": metadata, "outputs": [], "source": source}


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# What an Examples section shows, in the rst of the try_examples directive's content.
DIRECTIVE = re.compile(r"\.\. ([\w:-]+)::(?:\s+(.*))?$")
CODE_DIRECTIVES = {"code-block", "code", "sourcecode"}
LEFT_OUT = {"plot", "only"}  # content the page shows but the notebook leaves out
PYTHON_LANGUAGES = {"", "python", "py", "python3", "pycon", "ipython", "ipython3"}
PROMPT = re.compile(r">>>(?: |$)|In \[\d*\]: ?")
CONTINUATION = re.compile(r"\.\.\.(?: |$)|\s+\.\.\.+: ?")
IPYTHON_OUT = re.compile(r"Out\[\d*\]: ?")
DIRECTIVE_OPTION = re.compile(r":[\w-]+:")


@dataclass
class Code:
    source: str
    output: str = ""  # what the docstring shows the code gives
    at: int = 0  # the line of the section it starts at


@dataclass
class Text:
    markdown: str
    at: int = 0


def numbered_blocks(lines) -> list[tuple[Code | Text, int | None]]:
    """The section's blocks in order, each Text with the number of the Markdown cell that
    holds it (one cell for the text between two pieces of code)."""
    numbered, prose, after_text = [], -1, False
    for block in with_comments_joined(example_blocks([line.rstrip() for line in lines])):
        is_text = isinstance(block, Text)
        if is_text and not after_text:
            prose += 1
        numbered.append((block, prose if is_text else None))
        after_text = is_text
    return numbered


def example_cells(lines) -> list[dict]:
    """The cells of an Examples section: every piece of code it shows, doctest or not, in
    the page's order, with the prose between as Markdown. A Markdown cell says which part of
    the page it is (``interactive_docs.prose``), for the in-page runner to show it as the
    page renders it (see mark_prose)."""
    cells = []
    for block, prose in numbered_blocks(lines):
        if prose is not None:
            if cells and cells[-1]["metadata"].get("interactive_docs", {}).get("prose") == prose:
                cells[-1]["source"] += f"\n\n{block.markdown}"
            else:
                cells.append(new_markdown_cell(block.markdown, metadata={"interactive_docs": {"prose": prose}}))
            continue
        cell = new_code_cell(block.source)
        if block.output:
            cell["outputs"].append(new_output("execute_result", data={"text/plain": block.output}))
        cells.append(cell)
    return cells


def mark_prose(result: list, content, numbered: list[tuple[Code | Text, int | None]]) -> None:
    """Give each part of the page that renders a Markdown cell's text the class
    interactive-docs-prose-N (N: the cell's ``interactive_docs.prose``): the in-page runner
    shows those parts, as the page renders them, between the cells."""
    index = {offset: i for i, (_, offset) in enumerate(content.items)}
    starts: list[tuple[int, int | None]] = []  # the first block at each line of the section
    for block, prose in numbered:
        if not starts or block.at > starts[-1][0]:
            starts.append((block.at, prose))
    lines = [at for at, _ in starts]
    for top in result:
        for container in top.findall(nodes.container):
            if "try_examples_content" not in container["classes"]:
                continue
            for node in container.children:
                at = index.get((getattr(node, "line", None) or 0) - 1)
                found = bisect_right(lines, at) - 1 if at is not None else -1
                if found >= 0 and starts[found][1] is not None and isinstance(node, nodes.Element):
                    node["classes"].append(f"interactive-docs-prose-{starts[found][1]}")


def highlighted(code: str) -> str:
    """The code as the page's Pygments marks it up: its spans, which the page's own style
    colours (the worker's ``highlighted`` does the same for a reader's edits)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(code, PythonLexer(stripnl=False, ensurenl=False), HtmlFormatter(nowrap=True))


def example_blocks(lines: list[str]) -> list[Code | Text]:
    """The section as code and Markdown, in order."""
    blocks: list[Code | Text] = []
    prose: list[str] = []
    prose_at = 0  # the line the prose starts at
    literal_marker = None  # the index in prose of the line ending in "::", and its indent
    start = 0
    while start < len(lines):
        line = lines[start]
        text, depth = line.lstrip(), indent(line)
        directive = DIRECTIVE.match(text)
        if not prose:
            prose_at = start
        if not text:
            prose.append(line)
            start += 1
            continue
        if literal_marker and (depth > literal_marker[1] or PROMPT.match(text)):
            end = block_end(lines, start, literal_marker[1])
            if depth <= literal_marker[1]:  # a doctest right after "::": a quoted literal block
                end = blank_or_end(lines, start)
            prose[literal_marker[0]] = without_literal_marker(prose[literal_marker[0]])
            blocks += [prose_block(prose, prose_at), *code_blocks(lines[start:end], at=start)]
            prose, literal_marker, start = [], None, end
            continue
        literal_marker = None
        if directive and directive[1] in LEFT_OUT:
            start = block_end(lines, start + 1, depth)
        elif directive and directive[1] in CODE_DIRECTIVES:
            end = block_end(lines, start + 1, depth)
            body = lines[start + 1:end]
            while body and DIRECTIVE_OPTION.match(body[0].lstrip()):
                body = body[1:]
            blocks += [prose_block(prose, prose_at),
                       *code_blocks(body, (directive[2] or "").strip().lower(), at=start)]
            prose, start = [], end
        elif PROMPT.match(text):
            end = blank_or_end(lines, start)
            blocks += [prose_block(prose, prose_at), *code_blocks(lines[start:end], at=start)]
            prose, start = [], end
        else:
            if text.endswith("::") and not directive:
                literal_marker = (len(prose), depth)
            prose.append(line)
            start += 1
    blocks.append(prose_block(prose, prose_at))
    return [block for block in blocks if not (isinstance(block, Text) and not block.markdown)]


def indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def block_end(lines: list[str], start: int, outer: int) -> int:
    """Where the block indented deeper than `outer` that starts at `start` ends."""
    end = start
    while end < len(lines) and (not lines[end].strip() or indent(lines[end]) > outer):
        end += 1
    return end


def blank_or_end(lines: list[str], start: int) -> int:
    """Where a doctest block ends: at the first blank line, as in rst."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def without_literal_marker(line: str) -> str:
    """The line as rst shows it: "Use::" reads "Use:", "Use ::" and "::" read "Use" and ""."""
    if line.strip() == "::" or line[-3:-2].isspace():
        return line[:-2].rstrip()
    return line[:-1]


def dedented(lines: list[str]) -> list[str]:
    """The lines without their common indent and the blank lines around them."""
    lines = [*lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    common = min((indent(line) for line in lines if line.strip()), default=0)
    return [line[common:] for line in lines]


def prose_block(lines: list[str], at: int) -> Text:
    """Prose as Markdown, as jupyterlite-sphinx converts it: math, links, references."""
    markdown = "\n".join(lines).strip("\n")
    return Text(_convert_links(_strip_ref_identifiers(_process_latex(markdown))), at)


def fenced(lines: list[str], language: str = "") -> Text:
    return Text("\n".join([f"```{language}", *lines, "```"]))


def code_blocks(lines: list[str], language: str = "", at: int = 0) -> list[Code | Text]:
    """A doctest, a literal block or a code directive's content (from line at of the
    section): its code, or, when it is not Python, a fenced block."""
    blocks = code_or_fenced(dedented(lines), language)
    for block in blocks:
        block.at = at
    return blocks


def code_or_fenced(lines: list[str], language: str) -> list[Code | Text]:
    """The dedented lines as code cells, or as a fenced block when they are not Python."""
    if not lines:
        return []
    if language not in PYTHON_LANGUAGES:
        return [fenced(lines, language)]
    if PROMPT.match(lines[0]):
        return session_blocks(lines)
    code = "\n".join(lines)
    # A literal block in the default language may be anything, output too.
    return [Code(code)] if language or is_python(code) else [fenced(lines)]


def session_blocks(lines: list[str]) -> list[Code | Text]:
    """The cells of a doctest (or IPython) session, split as jupyterlite-sphinx splits them:
    at a blank line and after an output."""
    blocks: list[Code | Text] = []
    code: list[str] = []
    output: list[str] = []
    other: list[str] = []  # text between examples, kept as shown
    ipython = lines[0].startswith("In [")
    for line in [*lines, ""]:
        prompt = PROMPT.match(line)
        continued = CONTINUATION.match(line)
        if prompt and (output or other) or not line.strip():
            if code:
                blocks.append(Code("\n".join(code), "\n".join(output)))
            if other:
                blocks.append(fenced(other))
            code, output, other = [], [], []
        if prompt:
            code.append(line[prompt.end():])
        elif code and not output and continued:
            code.append(line[continued.end():])
        elif code:
            output.append(IPYTHON_OUT.sub("", line, count=1) if ipython and not output else line)
        elif line.strip():
            other.append(line)
    return blocks


def is_python(code: str) -> bool:
    """Whether a literal block is code to run: Python that is not only shown values."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return not all(isinstance(statement, ast.Expr) and shown_value(statement.value)
                   for statement in tree.body)


def shown_value(expression: ast.expr) -> bool:
    """Whether the expression is a value as output shows it: a literal, or a bare name."""
    if isinstance(expression, ast.Name):
        return True
    try:
        ast.literal_eval(expression)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def comments_only(code: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in code.splitlines())


def with_comments_joined(blocks: list[Code | Text]) -> list[Code | Text]:
    """The blocks, with a cell of only comments joined to the code after it, which the
    comments describe: alone, it would be a cell that runs nothing."""
    joined: list[Code | Text] = []
    for block in blocks:
        before = joined[-1] if joined else None
        if (isinstance(block, Code) and isinstance(before, Code) and not before.output
                and comments_only(before.source)):
            joined[-1] = Code(f"{before.source}\n{block.source}", block.output, before.at)
        else:
            joined.append(block)
    return joined


def shows_code(notebook: dict) -> bool:
    """Whether the notebook has code of the example's own, beyond comments."""
    return any(cell["cell_type"] == "code" and cell.get("id") not in OWN_CELLS
               and not comments_only(source(cell)) for cell in notebook["cells"])


def example_notebook(lines, warning: str | None, documented: str, preamble_code: str) -> dict:
    """The example as a notebook: warning, install, doctest namespace, preamble, example."""
    notebook = new_notebook(metadata={
        "kernelspec": {"display_name": "Python", "language": "python", "name": "python"},
        "language_info": {"name": "python"}})
    cells = notebook["cells"]
    if warning is not None:
        # The blank lines make JupyterLab read the text inside the div as Markdown.
        cells.append(new_markdown_cell(f"<div class='alert alert-warning'>\n\n{warning}\n\n</div>"))
    cells += example_cells(lines)
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"  # the same at every build
        expected = "".join(out.get("data", {}).get("text/plain", "") for out in
                           cell.get("outputs", []))
        if cell["cell_type"] == "code" and expected.startswith("Traceback"):
            # The docstring shows an exception: Run All goes on past it.
            cell["metadata"]["tags"] = ["raises-exception"]
    own = []
    if settings.KERNEL == "pyodide":
        own.append(code_cell("install-project", f"%pip install {settings.DISTRIBUTION}"))
    module = doctest_module(documented) if documented else None
    if module:
        own.append(code_cell("doctest-namespace", NAMESPACE.format(module=module)))
    if preamble_code:
        own.append(code_cell("preamble", preamble_code))
    first = 1 if warning is not None else 0  # after the warning
    cells[first:first] = own
    return notebook


def install_first(notebook: dict) -> None:
    """Make the notebook install the documented version before its first code cell."""
    line = wheel.install_line()
    cells = notebook["cells"]
    for cell in cells:
        first, *rest = source(cell).split("\n")
        if cell["cell_type"] == "code" and first.split("==")[0] == f"%pip install {settings.DISTRIBUTION}":
            cell["source"] = "\n".join([line, *rest])  # pin the version this build made
            break
    else:
        first_code = next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"),
                          len(cells))
        cells.insert(first_code, code_cell("install-project", line))
    code = "\n".join(source(cell) for cell in cells
                     if cell["cell_type"] == "code" and cell.get("id") not in OWN_CELLS)
    if NETWORK.search(code) and not any(cell.get("id") == "patch-network" for cell in cells):
        install = next(i for i, cell in enumerate(cells) if source(cell).startswith(line))
        cells.insert(install + 1, code_cell("patch-network", PATCH_NETWORK))


def highlight_cells(notebook: dict) -> None:
    """In a notebook the in-page runner opens, each code cell's code as the page marks it
    up (``interactive_docs.html``), so that the cells look like the page's code at once."""
    if not notebook.get("metadata", {}).get("interactive_docs", {}).get("in_page"):
        return
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["metadata"].setdefault("interactive_docs", {})["html"] = highlighted(source(cell))


def gallery_notebook(notebook, filename):
    """sphinx-gallery's notebook_modification_function: warn, install, patch the network;
    with the in-page runner, each code cell's place on the page (see narrative.py)."""
    if state.in_page:
        from . import narrative

        narrative.plan_gallery_notebook(notebook, *state.gallery_cells)
    if settings.KERNEL == "pyodide":
        install_first(notebook)
    highlight_cells(notebook)
    if state.warning is not None:
        notebook["cells"].insert(0, {
            "cell_type": "markdown", "id": "interactive-warning", "metadata": {},
            "source": f"<div class='alert alert-warning'>\n\n{state.warning}\n\n</div>"})


def install_in_notebooks(app, exception):
    """Every notebook of the site (notebooklite pages too) installs the documented version."""
    if exception is not None or app.builder.format != "html" or settings.KERNEL != "pyodide":
        return
    wheel.install_line()  # the wheel is in the site before JupyterLite indexes it, notebooks or not
    for path in (Path(app.srcdir) / app.config.jupyterlite_content_dir).rglob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        install_first(notebook)
        for number, cell in enumerate(notebook["cells"]):
            if cell.get("id") not in OWN_CELLS:
                cell["id"] = f"cell-{number}"  # jupytext's are random: the same at every build
        highlight_cells(notebook)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
