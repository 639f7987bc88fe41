# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""Narrative pages (MyST-NB notebooks, sphinx-gallery examples) run in the page itself.

"Run this page" turns the page's code cells into the in-page runner's cells, where they are
on the page, with the prose between left as it is; every cell shares one namespace, in
order, as in a notebook. The runner reads the cells from the page's notebook in the
JupyterLite site (``lite/files/<page>.ipynb``, the one "Open in JupyterLite" opens): the
build numbers each code cell of the page (class ``interactive-docs-cell-N``) and its
outputs (``interactive-docs-output-N``), and gives each code cell of the notebook, in
``metadata.interactive_docs``, what the runner does with it (``cell_plan``).
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes

from . import notebooks

STRIP = "jupyterlite_sphinx_strip"
RUN_PAGE = "Run this page"
# What the page shows of a cell, by its tags, as MyST-NB reads them.
REMOVE_INPUT = {"remove-input", "remove_input"}
REMOVE_OUTPUT = {"remove-output", "remove_output"}
GALLERY_TITLE = "sphx-glr-example-title"
GALLERY_SOURCE = "GENERATED FROM PYTHON SOURCE LINES"
# What a gallery page shows after its last block: not an output.
GALLERY_AFTER = {"sphx-glr-timing", "sphx-glr-footer", "sphx-glr-signature"}


def cell_plan(tags, page: int | None, stripped: bool) -> dict:
    """What the runner does with a notebook's code cell, from its tags as the page treats
    them and the number of its place on the page (None: the page shows it nowhere).

    ``show``: "code" (a cell in place of the page's), "output" (the page shows its output
    only: remove-input), "hidden" (the page shows nothing of it: remove-cell), "static"
    (a cell the notebook leaves out, jupyterlite_sphinx_strip: the page keeps it as it is,
    and it does not run). ``run_all``: Run all runs it (not skip-execution); ``go_on``:
    Run all goes on when it raises (raises-exception); ``quiet``: only its errors show
    (remove-output)."""
    tags = set(tags or ())
    if stripped and STRIP in tags:
        show = "static"
    elif page is None or "remove-cell" in tags or "remove_cell" in tags:
        show = "hidden"
    elif tags & REMOVE_INPUT:
        show = "output"
    else:
        show = "code"
    plan = {"show": show, "run_all": "skip-execution" not in tags and show != "static",
            "go_on": "raises-exception" in tags,
            "quiet": bool(tags & REMOVE_OUTPUT) or show == "hidden"}
    if page is not None and show != "hidden":
        plan["page"] = page
    return plan


def plan_notebook(notebook: dict, pages: list[int | None], stripped: bool) -> dict:
    """The notebook for the runner: each code cell with its plan, pages[i] being the place
    on the page of the notebook's i-th code cell. The cells the build adds (the install)
    run first, as set-up cells."""
    code = [cell for cell in notebook["cells"]
            if cell["cell_type"] == "code" and cell.get("id") not in notebooks.OWN_CELLS]
    for cell, page in zip(code, [*pages, *[None] * (len(code) - len(pages))]):
        cell.setdefault("metadata", {})["interactive_docs"] = cell_plan(
            cell["metadata"].get("tags"), page, stripped)
    notebook.setdefault("metadata", {})["interactive_docs"] = {"in_page": True, "page": True}
    return notebook


def run_page_button(notebook_url: str, lite_button: bool) -> nodes.raw:
    """"Run this page", and "Open in JupyterLite" unless the page has its own button."""
    lite = notebook_url.replace("lite/files/", "lite/notebooks/index.html?path=", 1)
    html = (f'<div class="interactive-docs-page-buttons">'
            f'<button class="try_examples_button interactive-docs-try" type="button" '
            f'data-notebook="{notebook_url}" data-page="true">{RUN_PAGE}</button>')
    if lite_button:
        html += (f'<button class="try_examples_button interactive-docs-lite" type="button" '
                 f'onclick="window.open(\'{lite}\')">Open in JupyterLite</button>')
    return nodes.raw("", html + "</div>", format="html")


def in_page(app) -> bool:
    return app.config.interactive_docs_runner == "in-page"


def notebook_cells(doctree) -> list[nodes.Element]:
    return [node for node in doctree.findall(nodes.container)
            if node.get("nb_element") == "cell_code"]


def gallery_section(doctree):
    return next((node for node in doctree.findall(nodes.section)
                 if GALLERY_TITLE in node["classes"]), None)


def mark_page(app, doctree):
    """doctree-read: a notebook page or a gallery example gets "Run this page", its code
    cells and outputs their numbers, and (a notebook page) its notebook in the lite site."""
    if not in_page(app):
        return
    env = app.env
    cells = notebook_cells(doctree)
    gallery = None if cells else gallery_section(doctree)
    if not cells and gallery is None:
        return
    if cells:
        if not write_page_notebook(app, env.docname, cells):
            return
        section = next(doctree.findall(nodes.section), None)
    else:
        mark_gallery(gallery)
        section = gallery
    if section is None:
        return
    depth = env.docname.count("/")
    own_lite = any(type(node).__name__.startswith("NotebookLite") for node in doctree.findall())
    title = next((i for i, child in enumerate(section.children)
                  if isinstance(child, nodes.title)), -1)
    section.insert(title + 1, run_page_button("../" * depth + f"lite/files/{env.docname}.ipynb",
                                              lite_button=not own_lite))


def write_page_notebook(app, docname: str, cells: list[nodes.Element]) -> bool:
    """The page's notebook, as MyST-NB reads it, into the lite site's contents, planned for
    the runner; False when the page's cells are not the notebook's (then no button)."""
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, text)
    if reader is None:
        return False
    notebook = json.loads(json.dumps(reader.read(text)))  # plain dicts and lists
    for cell in cells:
        index = cell["cell_index"]
        shown = next((node for node in cell.findall(nodes.literal_block)), None)
        if index >= len(notebook["cells"]) or notebook["cells"][index]["cell_type"] != "code" or (
                shown is not None and "cell_input" in shown.parent.get("classes", [])
                and shown.astext().strip() != notebooks.source(notebook["cells"][index]).strip()):
            return False
    for cell in cells:
        cell["classes"].append(f"interactive-docs-cell-{cell['cell_index']}")
    stripped = app.config.strip_tagged_cells
    on_page = {cell["cell_index"] for cell in cells}
    pages = [index if index in on_page else None
             for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"]
    plan_notebook(notebook, pages, stripped)
    if stripped:
        notebook["cells"] = [cell for cell in notebook["cells"]
                             if STRIP not in cell.get("metadata", {}).get("tags", [])]
    name = f"{docname}.ipynb"
    text = json.dumps(notebook, indent=1, ensure_ascii=False)
    contents = Path(app.srcdir) / app.config.jupyterlite_content_dir
    (contents / name).parent.mkdir(parents=True, exist_ok=True)
    (contents / name).write_text(text, encoding="utf-8")
    notebooks.notebooks_of(app.env).setdefault(docname, {})[name] = text
    return True


def mark_gallery(section: nodes.section) -> None:
    """Number a gallery example's code blocks and, with each, the outputs of its block
    (sphinx-gallery shows them after the code, or before it in a one-block example)."""
    blocks: list[list[nodes.Node]] = []
    for child in section.children:
        if isinstance(child, nodes.comment) and child.astext().startswith(GALLERY_SOURCE):
            blocks.append([])
        elif blocks:
            blocks[-1].append(child)
    number = 0
    for block in blocks:
        code = next((node for node in block if isinstance(node, nodes.literal_block)
                     and node.get("language", "none") != "none"
                     and "sphx-glr-script-out" not in node["classes"]), None)
        if code is None:
            continue
        # In a container of its own: sphinx-gallery swaps the block for one of its own
        # (with links), which keeps no class.
        wrapper = nodes.container(classes=[f"interactive-docs-cell-{number}"])
        code.replace_self(wrapper)
        wrapper += code
        for node in block:
            if (node is not code and isinstance(node, nodes.Element)
                    and not isinstance(node, (nodes.paragraph, nodes.target, nodes.title,
                                              nodes.section))
                    and not GALLERY_AFTER & set(node["classes"])
                    and type(node).__name__ != "only"):
                node["classes"].append(f"interactive-docs-output-{number}")
        number += 1


def plan_gallery_notebook(notebook: dict, first: int = 0, last: int = 0) -> None:
    """sphinx-gallery's notebook of an example: after the `first` code cells of its
    first_notebook_cell, its code cells are the page's code blocks, in order, until the
    `last` of its last_notebook_cell (which run unseen)."""
    count = sum(cell["cell_type"] == "code" for cell in notebook["cells"]) - first - last
    plan_notebook(notebook, [None] * first + list(range(count)) + [None] * last, stripped=False)
