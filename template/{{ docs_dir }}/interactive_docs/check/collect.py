# Managed by copier-interactive-docs: `copier update` rewrites this folder.
"""Finding the examples of a built site, in a folder or deployed at a URL, and serving the
folder: standard library only."""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlparse

# The button's handler names the examples' container and the notebook it opens.
SHOW_IFRAME = re.compile(r"tryExamplesShowIframe\('([^']*)',\s*'[^']*',\s*'[^']*',\s*'([^']*)'")
# With the in-page runner, "Try it" names the notebook whose cells it runs in the page.
IN_PAGE_BUTTON = re.compile(r'class="[^"]*interactive-docs-try[^"]*"[^>]*data-notebook="[^"]*?lite/files/([^"]+)"')
# Sphinx's search index names every page it built; documentation_options.js, how their names
# become paths (html: "api" is api.html; dirhtml: api/).
DOCNAMES = re.compile(r'"docnames":\s*(\[[^\]]*\])')
FILE_SUFFIX = re.compile(r"FILE_SUFFIX:\s*'([^']*)'")
BUILDER = re.compile(r"BUILDER:\s*'([^']*)'")


class Folder:
    """A built site in a folder (e.g. docs/_build/html)."""

    def __init__(self, root: Path):
        self.root = root

    def __str__(self) -> str:
        return str(self.root)

    def read(self, path: str) -> str | None:
        """The text of the file at the path in the site, or None without one."""
        file = self.root / path
        return file.read_text(encoding="utf-8", errors="replace") if file.is_file() else None

    def read_all(self, paths: Iterable[str]) -> list[str | None]:
        return [self.read(path) for path in paths]

    def pages(self) -> list[str]:
        return [page.relative_to(self.root).as_posix() for page in sorted(self.root.rglob("*.html"))]


class SiteError(Exception):
    """The deployed site cannot be read: the message says why."""


class Deployed:
    """A deployed site, read at its URL as a browser reads it. Its pages are those Sphinx's
    search index (searchindex.js) names: every page Sphinx built, which the site lists in
    one file whatever the theme (JupyterLite's contents, lite/api/contents/all.json, list the
    notebooks, not the pages that show them)."""

    def __init__(self, url: str, workers: int = 8):
        try:  # where the address leads: Read the Docs' default version, a custom domain
            with urllib.request.urlopen(url, timeout=60) as response:
                url = response.geturl()
        except (urllib.error.URLError, OSError) as error:
            raise SiteError(f"{url} cannot be read: {error}") from None
        self.url = urljoin(url, ".")  # its folder, when it names index.html
        self.workers = workers

    def __str__(self) -> str:
        return self.url

    def read(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.url + quote(path), timeout=60) as response:
                return response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise SiteError(f"{self.url}{path} cannot be read: {error}") from None
        except (urllib.error.URLError, OSError) as error:
            raise SiteError(f"{self.url}{path} cannot be read: {error}") from None

    def read_all(self, paths: Iterable[str]) -> list[str | None]:
        with ThreadPoolExecutor(self.workers) as pool:  # a large site has thousands of pages
            return list(pool.map(self.read, paths))

    def pages(self) -> list[str]:
        index = self.read("searchindex.js")
        docnames = DOCNAMES.search(index or "")
        if not docnames:
            raise SiteError(f"{self.url}searchindex.js lists no pages: is it the root of a site "
                            "that Sphinx built (html or dirhtml)?")
        options = self.read("_static/documentation_options.js") or ""
        builder = BUILDER.search(options)
        suffix = FILE_SUFFIX.search(options)
        suffix = suffix[1] if suffix else ".html"
        if builder and builder[1] == "dirhtml":  # "a/index" is a/, "a/b" is a/b/
            return sorted(name[:-len("index")] if name == "index" or name.endswith("/index")
                          else name + "/" for name in json.loads(docnames[1]))
        return sorted(name + suffix for name in json.loads(docnames[1]))


def as_site(site: Folder | Deployed | Path) -> Folder | Deployed:
    return Folder(site) if isinstance(site, Path) else site


@dataclass
class Example:
    page: str  # the page's path in the site
    index: int  # among the page's examples, from 0
    of: int  # examples on the page
    container: str  # id of the examples' element on the page
    notebook: str  # path of its notebook in the JupyterLite contents
    cells: list[dict]  # the notebook's code cells
    name: str  # the documented object (its id on the page), or ""
    shown: str  # the text of the example on the page
    in_page: str | None = None  # the notebook the in-page runner's "Try it" runs, if any
    optionflags: int = 0  # the project's doctest option flags
    # What is reported apart, by code cell: a line the doctests skip failed, or the output
    # differs from the docstring's. It fails the run only with --strict.
    notes: dict[int, str] = field(default_factory=dict)
    # A narrative page ("notebook" or "gallery"): its "Run this page" runs every code cell
    # of the page in one namespace (pages.py); "" for an API example.
    narrative: str = ""

    @property
    def label(self) -> str:
        if self.narrative:
            return f"{self.page}, {self.narrative} page"
        return (f"{self.page}, example {self.index + 1} of {self.of}"
                + (f" ({self.name})" if self.name else ""))

    @property
    def kind(self) -> str:
        """Pages of one kind share a folder (e.g. generated/ for API pages); narrative
        pages are kinds of their own."""
        folder = self.page.rpartition("/")[0]
        return f"{self.narrative}:{folder}" if self.narrative else folder

    def may_raise(self) -> list[bool]:
        """Per code cell: whether the docstring shows it raising."""
        return ["raises-exception" in cell.get("metadata", {}).get("tags", [])
                for cell in self.cells]


def source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",  # WebAssembly.instantiateStreaming needs it
        ".mjs": "text/javascript",  # module workers refuse other types
    }
    pages: dict[str, str] = {}

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        page = self.pages.get(urlparse(self.path).path.lstrip("/"))
        if page is None:
            return super().do_GET()
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(html_dir: Path, pages: dict[str, str] | None = None) -> Iterator[str]:
    """Serve html_dir on a free 127.0.0.1 port (JupyterLite needs http, not file://), and
    the check's own pages beside it ({path: HTML})."""
    handler = type("Handler", (_SiteHandler,), {"pages": pages or {}})
    with http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(html_dir))) as server:
        server.daemon_threads = True
        server.handle_error = lambda request, address: None  # the browser drops connections
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


def find_examples(site: Folder | Deployed | Path) -> list[Example]:
    """Every example of the site, with the code cells of the notebook its button opens."""
    site = as_site(site)
    pages = site.pages()
    found = []  # (page, its text, its buttons)
    for page, text in zip(pages, site.read_all(pages)):
        if text is not None:
            found.append((page, text, SHOW_IFRAME.findall(text)))
    notebooks = sorted({parse_qs(urlparse(html.unescape(src)).query).get("path", [""])[0]
                        for _, _, buttons in found for _, src in buttons} - {""})
    contents = dict(zip(notebooks, site.read_all(f"lite/files/{name}" for name in notebooks)))
    examples = []
    for page, text, buttons in found:
        for index, (container, src) in enumerate(buttons):
            notebook = parse_qs(urlparse(html.unescape(src)).query).get("path", [""])[0]
            cells = []
            if contents.get(notebook):
                cells = [cell for cell in json.loads(contents[notebook])["cells"]
                         if cell["cell_type"] == "code"]
            examples.append(Example(page, index, len(buttons), container, notebook, cells,
                                    *described(text, container)))
    return examples


def described(page: str, container: str) -> tuple[str, str, str | None]:
    """The documented object (the id of the signature before the examples), the text of the
    examples on the page, and the notebook its in-page "Try it" runs (None without one)."""
    start = page.find(f'id="{container}"')
    end = page.find("try_examples_outer_iframe", start)
    before = page[:start]
    signature = before.rfind('<dt class="sig sig-object')
    name = re.search(r'\bid="([^"]+)"', before[signature:]) if signature >= 0 else None
    shown = html.unescape(re.sub(r"<[^>]+>", "", page[start:end]))
    in_page = IN_PAGE_BUTTON.search(page, start, end)
    return (name[1] if name else ""), shown, html.unescape(in_page[1]) if in_page else None


def hidden_pages(site: Folder | Deployed | Path):
    """Whether try_examples.json (or .disable_try_examples) hides a page's buttons."""
    site = as_site(site)
    if site.read(".disable_try_examples") is not None:
        return lambda page: True
    config = site.read("try_examples.json")
    patterns = json.loads(config).get("ignore_patterns", []) if config else []
    # The page reads them as JavaScript regular expressions on its URL's path.
    return lambda page: any(re.search(pattern, "/" + page) for pattern in patterns)


def pyodide_site(site: Folder | Deployed | Path) -> bool:
    """Whether the site's kernel is Pyodide, with the URL of its Pyodide written down, and
    the site has the in-page runner's worker."""
    site = as_site(site)
    config = site.read("lite/jupyter-lite.json")
    if not config or site.read("_static/interactive-docs-worker.js") is None:
        return False
    settings = json.loads(config)["jupyter-config-data"]
    kernel = settings.get("litePluginSettings", {}).get(
        "@jupyterlite/pyodide-kernel-extension:kernel", {})
    return bool(kernel.get("pyodideUrl"))


def select(examples: list[Example], pages: str | None, spec: str | None) -> list[Example]:
    """The examples of pages matching the regex, then the K-th of N interleaved shares
    ("K/N"), so that CI jobs can split them."""
    if pages:
        examples = [example for example in examples if re.search(pages, example.page)]
    if not spec:
        return examples
    k, n = map(int, spec.split("/"))
    return examples[k - 1::n]
