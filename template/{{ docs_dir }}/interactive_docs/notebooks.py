# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""The notebooks readers open: one per example, run as the project's doctests run."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import sys
from pathlib import Path

from docutils import nodes
from jupyterlite_sphinx._try_examples import examples_to_notebook
from jupyterlite_sphinx.jupyterlite_sphinx import TryExamplesDirective

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


class _State:
    warning: str | None = None  # the warning atop every notebook, once config-inited ran


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


def example_notebook(lines, warning: str | None, documented: str, preamble_code: str) -> dict:
    """The example as a notebook: warning, install, doctest namespace, preamble, example."""
    notebook = examples_to_notebook(lines, warning_text=warning)
    cells = notebook["cells"]
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


def gallery_notebook(notebook, filename):
    """sphinx-gallery's notebook_modification_function: warn, install, patch the network."""
    if settings.KERNEL == "pyodide":
        install_first(notebook)
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
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
