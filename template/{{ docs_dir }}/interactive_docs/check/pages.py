# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""Finding a built site's narrative pages: notebook pages (MyST-NB) and gallery examples
(sphinx-gallery), whose "Run this page" runs the page's code cells in one namespace, in
order. Standard library only.

Each page is an Example of its own (``narrative`` says which kind) whose cells are the code
cells "Run all" runs: those of the page's notebook but the ones its plan leaves out
(``interactive_docs.run_all``: skip-execution, and cells the notebook only shows). The
outputs a gallery page shows are its cells' stored outputs, compared as an API example's.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from .collect import Example

PAGE_BUTTON = re.compile(r'<button class="[^"]*interactive-docs-try[^"]*"[^>]*'
                         r'data-notebook="[^"]*?lite/files/([^"]+)" data-page="true"')
GALLERY = "sphx-glr-example-title"
# A gallery block's output, as the page shows it: class interactive-docs-output-N.
GALLERY_OUTPUT = re.compile(r'<div class="sphx-glr-script-out interactive-docs-output-(\d+)[^"]*">'
                            r'.*?<pre>(.*?)</pre>', re.DOTALL)


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def reader(site):
    """(read(path) -> text or None, the site's pages): a folder, or a site that reads itself."""
    if isinstance(site, Path):
        def read(path: str) -> str | None:
            file = site / path
            return file.read_text(encoding="utf-8", errors="replace") if file.is_file() else None

        return read, [page.relative_to(site).as_posix() for page in sorted(site.rglob("*.html"))]
    return site.read, site.pages()


def find_pages(site) -> list[Example]:
    """Every narrative page of the site with "Run this page", with the cells it runs."""
    read, pages = reader(site)
    found = []
    for page in pages:
        text = read(page)
        button = PAGE_BUTTON.search(text or "")
        if not button:
            continue
        notebook = html.unescape(button[1])
        content = read(f"lite/files/{notebook}")
        cells = [cell for cell in json.loads(content)["cells"] if cell["cell_type"] == "code"
                 and cell.get("metadata", {}).get("interactive_docs", {}).get("run_all", True)
                 ] if content else []
        kind = "gallery" if GALLERY in text else "notebook"
        if kind == "gallery":
            shown_outputs(cells, text)
        found.append(Example(page, 0, 1, "", notebook, cells, "", text_of(text),
                             in_page=notebook, narrative=kind))
    return found


def shown_outputs(cells: list[dict], page: str) -> None:
    """Give each gallery cell the output its page shows (sphinx-gallery ran it at build)."""
    shown = {int(number): text_of(pre) for number, pre in GALLERY_OUTPUT.findall(page)}
    for cell in cells:
        number = cell.get("metadata", {}).get("interactive_docs", {}).get("page")
        if number in shown and not cell.get("outputs"):
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": shown[number]}]
