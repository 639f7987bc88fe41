# Managed by copier-interactive-docs: `copier update` rewrites this folder. Set your own values in conf.py.
"""Runs the examples' cells in the page's own Python: Pyodide in a Web Worker.

The build copies this file into the site (``_static/interactive-docs-worker.py``), where
``interactive-docs-worker.js`` imports it. It is plain Python, independent of the browser:
the worker hands it a ``send`` function (one JSON message to the page per call), a ``pip``
coroutine (the kernel's own ``%pip install``: piplite) and the wheels of the site's own
package index, which ``%pip install`` takes straight from the site (as piplite would,
without the 0.2 s that importing piplite costs before the first output).

Each example runs in a namespace of its own, as a fresh notebook would. A cell sends, in
order: its stdout and stderr as they are written, its warnings (shown apart from stderr: a
warning is not an error), what it displays, the value of its last expression, matplotlib
figures (as PNG), and an error with a traceback trimmed to the cell. Each stream, value's
text and traceback shows at most LIMIT characters, then a note of what was cut.
"""

from __future__ import annotations

import ast
import base64
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import io
import json
import os
import re
import shlex
import shutil
import sys
import traceback
import warnings
from collections.abc import Awaitable, Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout

# matplotlib draws with Agg, and its show() sends the figures to the page (see the end).
BACKEND = "interactive_docs_matplotlib"
os.environ.setdefault("MPLBACKEND", f"module://{BACKEND}")

# The richest first: the page shows the first one it can.
REPR_METHODS = (("text/html", "_repr_html_"), ("image/svg+xml", "_repr_svg_"),
                ("image/png", "_repr_png_"), ("image/jpeg", "_repr_jpeg_"),
                ("text/markdown", "_repr_markdown_"), ("text/latex", "_repr_latex_"))
BINARY = {"image/png", "image/jpeg"}

Send = Callable[[str], None]
Pip = Callable[[list[str]], Awaitable[None]]
# A distribution's name, as a requirement starts with it.
NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
# A requirement that names one release: "name" or "name==version".
PINNED = re.compile(rf"({NAME})\s*(?:==\s*([A-Za-z0-9.+!_-]+))?")
# What a cell shows at most of each stream, of a value's text and of a traceback, in
# characters: megabytes of output would freeze the reader's page (and cross from the worker
# to it for nothing). The rest is only counted, and a note says how much it was.
LIMIT = 20_000


def cut_note(size: int) -> str:
    """What the page shows in place of `size` bytes (UTF-8) of output it does not get."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"… {size / scale:.1f} {unit} more not shown"
    return f"… {size} byte{'s' * (size != 1)} more not shown"


def size_after(text: str, start: int) -> int:
    """The UTF-8 bytes of text[start:], without copying an ASCII text."""
    if text.isascii():
        return len(text) - start
    return len(text[start:].encode("utf-8", "surrogatepass"))


class _Stream(io.TextIOBase):
    """stdout or stderr of a cell: every write goes to the page at once, up to LIMIT
    characters; of the rest, only its size, when the cut starts and when the cell ends."""

    def __init__(self, name: str, send: Send):
        self.name, self._send = name, send
        self.left, self.cut, self.noted = LIMIT, 0, 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        shown = text[:self.left]
        if shown:
            self.left -= len(shown)
            self._send(json.dumps({"type": "stream", "name": self.name, "text": shown}))
        if len(shown) < len(text):
            self.cut += size_after(text, len(shown))
            if not self.noted:
                self.note_cut()
        return len(text)

    def note_cut(self) -> None:
        """Say how much was cut, if more than the page was last told."""
        if self.cut > self.noted:
            self.noted = self.cut
            self._send(json.dumps({"type": "cut", "name": self.name, "text": cut_note(self.cut)}))


def mime_bundle(value) -> dict[str, str]:
    """What Jupyter would show for value: its _repr_*_ methods' output, and its repr."""
    bundle: dict[str, str] = {}
    if isinstance(value, type):  # a class: its _repr_*_ are unbound functions
        return {"text/plain": repr(value)}
    method = getattr(value, "_repr_mimebundle_", None)
    if callable(method):
        try:
            data = method()
            bundle.update((data[0] if isinstance(data, tuple) else data) or {})
        except Exception:
            pass
    for mime, name in REPR_METHODS:
        method = getattr(value, name, None)
        if mime in bundle or not callable(method):
            continue
        try:
            data = method()
        except Exception:
            continue
        if isinstance(data, tuple):  # (data, metadata)
            data = data[0]
        if data is None:
            continue
        if isinstance(data, bytes):
            data = base64.b64encode(data).decode("ascii") if mime in BINARY else data.decode()
        bundle[mime] = data
    bundle.setdefault("text/plain", repr(value))
    return {mime: data for mime, data in bundle.items() if isinstance(data, str)}


class Runner:
    """The examples of one page: a namespace per example, cells run one at a time."""

    def __init__(self, send: Send, pip: Pip, wheels: dict | None = None,
                 install_wheels: Pip | None = None,
                 is_installed: Callable[[str], bool] | None = None):
        self._send = send
        self._is_installed = is_installed or distribution_installed
        self._pip = pip
        # The site's own index: {name: {version: wheel URL}}, installed by install_wheels.
        self.wheels = {canonical(name): releases for name, releases in (wheels or {}).items()}
        self._install_wheels = install_wheels
        self.namespaces: dict[str, dict] = {}
        self.installed: set[tuple[str, ...]] = set()  # %pip installs done in this Python
        self.startup: Startup | None = None  # see fresh_page

    def fresh_page(self, root: str = "/") -> None:
        """Before a page's examples, when one Python runs the examples of many pages (the
        example check): the first call remembers this Python as it is, each later one brings
        it back to that, so that no page sees what another page's examples left."""
        if self.startup is None:
            self.startup = Startup(root)
            # Each page imports the project again: from bytecode, not by compiling its source.
            sys.dont_write_bytecode = False
        else:
            self.startup.restore()
        self.namespaces.clear()

    def namespace(self, example: str) -> dict:
        if example not in self.namespaces:
            self.namespaces[example] = {"__name__": "__main__", "__builtins__": builtins,
                                        "display": self.display}
        return self.namespaces[example]

    def message(self, **message) -> None:
        self._send(json.dumps(message))

    def show(self, kind: str, data: dict[str, str]) -> None:
        """A value's representations, its text cut at LIMIT (with a note of what was cut)."""
        text = data.get("text/plain", "")
        if len(text) > LIMIT:
            self.message(type=kind, data={**data, "text/plain": text[:LIMIT]},
                         cut=cut_note(size_after(text, LIMIT)))
        else:
            self.message(type=kind, data=data)

    def display(self, *values) -> None:
        """IPython's display(): each value's richest representation, below the cell."""
        for value in values:
            self.show("display", mime_bundle(value))

    async def run_cell(self, example: str, code: str, filename: str = "<cell>") -> bool:
        """Run one cell in the example's namespace; False when it raised."""
        namespace = self.namespace(example)
        stdout, stderr = _Stream("stdout", self._send), _Stream("stderr", self._send)
        # Not catch_warnings(): the filters a cell sets stay for the next, as in a notebook.
        showwarning, warnings.showwarning = warnings.showwarning, self.show_warning
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                await self._install(code)
                await load_imported_packages(strip_magics(code))
                value = await run_code(strip_magics(code), namespace, filename)
            except BaseException as error:  # noqa: BLE001 -- the reader's code, reported
                text = trimmed_traceback(error, filename)
                cut = {"cut": cut_note(size_after(text, LIMIT))} if len(text) > LIMIT else {}
                self.message(type="error", ename=type(error).__name__,
                             evalue=str(error)[:LIMIT], traceback=text[:LIMIT], **cut)
                return False
            finally:
                self.show_figures()
                warnings.showwarning = showwarning
                stdout.note_cut()
                stderr.note_cut()
        if value is not None and not code.rstrip().endswith(";"):  # ";" hides it, as in IPython
            namespace["_"] = value
            self.show("result", mime_bundle(value))
        return True

    def show_warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        """warnings.showwarning: the warning as Python prints it, in a message of its own."""
        self.message(type="warning", category=category.__name__,
                     text=warnings.formatwarning(message, category, filename, lineno, line))

    async def _install(self, code: str) -> None:
        for line in code.splitlines():
            if not line.lstrip().startswith(PIP):
                continue
            words = shlex.split(line)
            requirements = tuple(word for word in words[2:] if not word.startswith("-"))
            if requirements not in self.installed:  # a second example needs no second fetch
                urls = [self.site_wheel(requirement) for requirement in requirements]
                if self._install_wheels is not None and all(urls):
                    await self._install_wheels(urls)
                else:
                    await self._pip(list(requirements))
                # Pyodide only logs a package it could not fetch: say so at the install.
                missing = [name for name in map(requirement_name, requirements)
                           if name and not self._is_installed(name)]
                if missing:
                    raise ModuleNotFoundError(
                        f"%pip install could not install {', '.join(missing)}: the browser "
                        "could not fetch it (offline?), or it has no wheel for Pyodide")
                self.installed.add(requirements)

    def site_wheel(self, requirement: str) -> str | None:
        """The URL of the site's wheel that the requirement names, if the site has it."""
        match = PINNED.fullmatch(requirement.strip())
        releases = self.wheels.get(canonical(match[1])) if match else None
        if not releases:
            return None
        if match[2] is None:  # the newest, as pip would take
            return releases[max(releases, key=_version_key)]
        return releases.get(match[2])

    def show_figures(self) -> None:
        """Send the open matplotlib figures as PNG images and close them, as Jupyter does."""
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot is None:
            return
        for number in pyplot.get_fignums():
            figure = pyplot.figure(number)
            image = io.BytesIO()
            figure.savefig(image, format="png", bbox_inches="tight")
            self.message(type="display", data={
                "image/png": base64.b64encode(image.getvalue()).decode("ascii"),
                "text/plain": repr(figure)})
        pyplot.close("all")


class Startup:
    """What a fresh Python holds, brought back by restore(): the files outside the installed
    packages, the working folder, the environment, the import path and hooks, the builtins,
    the modules and what is set on those that were there. Some modules that came later
    stay, with what was set on them: those with compiled code (a process can load an
    extension module only once: NumPy refuses a second time) and the pure-Python modules
    they refer to; the standard library's (Pyodide compiles them from source at each import,
    and unchanged they are what a fresh import gives); and the runner's own tools. So do the
    installed packages, whose files live beside the standard library's."""

    # The file system's own folders, and the one of Python and its installed packages.
    KEPT_FOLDERS = {"dev", "proc", "sys", "lib"}
    # What %pip install uses, and Pyodide's bridge to JavaScript.
    RUNNER_MODULES = {"micropip", "piplite", "pyodide", "_pyodide", "js", "pyodide_js"}

    def __init__(self, root: str = "/"):
        self.root = root
        self.folders, self.files = set(), {}
        for path, is_folder in self._walk():
            if is_folder:
                self.folders.add(path)
            else:
                self.files[path] = _read(path)
        self.cwd = os.getcwd()
        self.environ = dict(os.environ)
        self.path, self.meta_path = list(sys.path), list(sys.meta_path)
        self.finders = dict(sys.path_importer_cache)
        self.builtins = dict(vars(builtins))
        self.modules = set(sys.modules)
        # sys, builtins and this module's own state are restored above or are the runner's.
        self.globals = {name: dict(vars(module)) for name, module in sys.modules.items()
                        if name not in {"sys", "builtins", __name__}
                        and isinstance(getattr(module, "__dict__", None), dict)}

    def _walk(self) -> Iterator[tuple[str, bool]]:
        """Every folder and file under root, each folder before what it holds."""
        for folder, folders, files in os.walk(self.root):
            if folder == self.root:
                folders[:] = [name for name in folders if name not in self.KEPT_FOLDERS]
            for name in folders:
                yield os.path.join(folder, name), True
            for name in files:
                yield os.path.join(folder, name), False

    def restore(self) -> None:
        os.chdir(self.root)  # the working folder may be one that goes
        for path, is_folder in list(self._walk()):
            if (path in self.folders) if is_folder else (path in self.files):
                continue
            if is_folder:
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):  # not in a folder removed before it
                os.remove(path)
        for path in sorted(self.folders):
            os.makedirs(path, exist_ok=True)
        for path, content in self.files.items():
            if not os.path.isfile(path) or _read(path) != content:
                with open(path, "wb") as file:
                    file.write(content)
        os.chdir(self.cwd)
        os.environ.clear()
        os.environ.update(self.environ)
        sys.path[:], sys.meta_path[:] = self.path, self.meta_path
        # Not importlib.invalidate_caches(): the finders of the standard library's zip
        # and of installed packages' metadata would read their folders again (0.7 s).
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(self.finders)
        for finder in self.finders.values():
            if isinstance(finder, importlib.machinery.FileFinder):
                finder.invalidate_caches()
        names = vars(builtins)
        for name in set(names) - set(self.builtins):
            del names[name]
        names.update(self.builtins)
        self._forget_modules()
        for name, saved in self.globals.items():
            module = sys.modules.get(name)
            if module is None:
                continue
            names = vars(module)
            for key in set(names) - set(saved):
                value = names[key]  # a submodule that stays stays bound to its package
                if not (isinstance(value, type(sys)) and sys.modules.get(value.__name__) is value):
                    del names[key]
            names.update(saved)

    def _forget_modules(self) -> None:
        """Drop the modules imported since, but those with compiled code (their whole
        package), the modules those refer to, the standard library's and the runner's."""
        new = set(sys.modules) - self.modules
        compiled = {name.partition(".")[0] for name in new if _compiled(sys.modules[name])}
        kept = {name for name in new if name.partition(".")[0] in compiled}
        fixed = {name for name in new if name.partition(".")[0] in sys.stdlib_module_names
                 or name.partition(".")[0] in self.RUNNER_MODULES}
        todo = list(kept)
        while todo:
            for value in list(getattr(sys.modules[todo.pop()], "__dict__", {}).values()):
                name = getattr(value, "__name__", None) if isinstance(value, type(sys)) else None
                if name in new and name not in kept:
                    kept.add(name)
                    todo.append(name)
        for name in new - kept - fixed:
            del sys.modules[name]


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _compiled(module) -> bool:
    """Whether the module is an extension module (a whole package with one stays)."""
    loader = getattr(getattr(module, "__spec__", None), "loader", None)
    return isinstance(loader, importlib.machinery.ExtensionFileLoader)


PIP = "%pip install "


def requirement_name(requirement: str) -> str | None:
    match = re.match(NAME, requirement.strip())
    return match[0] if match else None


def distribution_installed(name: str) -> bool:
    from importlib import metadata

    try:
        metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else -1 for part in re.split(r"[.+!-]", version))


def strip_magics(code: str) -> str:
    """The cell without its %pip lines, which run_cell installs first. Other IPython magics
    are a SyntaxError here: JupyterLite runs them."""
    return "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(PIP))


async def run_code(code: str, namespace: dict, filename: str):
    """Run code as a notebook cell: top-level await allowed; the value of a last
    expression (other than None) is returned."""
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    for node, mode in ((tree, "exec"), (last, "eval")):
        if node is None:
            continue
        result = eval(compile(node, filename, mode, flags=flags), namespace)
        if inspect.iscoroutine(result):
            result = await result
    return result if last is not None else None


def trimmed_traceback(error: BaseException, filename: str) -> str:
    """The traceback from the cell's own frame on: this module's frames are not the reader's."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    if tb is None:  # a SyntaxError, or raised here: the exception alone
        return "".join(traceback.format_exception_only(type(error), error))
    return "".join(traceback.format_exception(type(error), error, tb))


# matplotlib's backend (MPLBACKEND above): Agg draws, and show() hands the figures to the
# runner of the cell being run. The module is made when matplotlib asks for it, as
# matplotlib is not installed when this one is imported.
current: Runner | None = None


def show(*args, **kwargs) -> None:
    if current is not None:
        current.show_figures()


class _MatplotlibBackend(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, self) if name == BACKEND else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        from matplotlib.backend_bases import FigureManagerBase
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        module.FigureCanvas, module.FigureManager, module.show = (
            FigureCanvasAgg, FigureManagerBase, show)


sys.meta_path.append(_MatplotlibBackend())


async def load_imported_packages(code: str) -> None:
    """Load the packages of Pyodide's own that the code imports (numpy, scipy, ...), as the
    JupyterLite kernel does before each cell: readers need no %pip install for them."""
    if sys.platform == "emscripten":
        from pyodide_js import loadPackagesFromImports

        await loadPackagesFromImports(code)


def highlighted(code: str) -> str:
    """A reader's edited cell as the page's Pygments marks it up (the build does the same
    for the example's own code: notebooks.highlighted). Pygments, from Pyodide's own
    packages, is loaded when a reader first edits a cell."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return highlight(code, PythonLexer(stripnl=False, ensurenl=False), HtmlFormatter(nowrap=True))


def setup(indexes: list[str], disable_pypi: bool, piplite_wheel: str) -> tuple[Pip, Pip]:
    """In Pyodide, with micropip loaded: (the kernel's %pip install, piplite, which looks in
    the site's wheels first; micropip's install, for wheels of the site)."""

    async def pip(requirements: list[str]) -> None:
        import micropip

        if "piplite" not in sys.modules:  # installed when first needed: it costs 0.2 s
            await micropip.install(piplite_wheel)
        from piplite import piplite

        piplite._PIPLITE_URLS = list(indexes)
        piplite._PIPLITE_DISABLE_PYPI = disable_pypi
        await piplite.install(requirements)

    async def install_wheels(urls: list[str]) -> None:
        import micropip

        await micropip.install(urls)

    return pip, install_wheels


def runner(send: Send, pip: Pip, wheels: dict | None = None,
           install_wheels: Pip | None = None) -> Runner:
    """The worker's runner, the one that matplotlib's show() reports to."""
    global current
    current = Runner(send, pip, wheels, install_wheels)
    return current
