"""A loopback stand-in for PyPI, so a test can install packages at run time with no internet.

Test infrastructure only: the generated project and its site keep the real PyPI. When a
notebook runs ``%pip install somepkg`` and the package is in neither the site's own piplite
index nor the Pyodide lock, piplite (jupyterlite-pyodide-kernel 0.8.6) hands the query to
micropip 0.11.1 (the one in Pyodide 314.0.6's lock), which, with its default settings, asks

* ``GET https://pypi.org/simple/<normalized-name>/`` with
  ``accept: application/vnd.pypi.simple.v1+json, */*;q=0.01`` (PEP 691 JSON), then
* ``GET <file url>.metadata`` when the file advertises ``core-metadata`` (PEP 658/714), and
* ``GET <file url>`` (``https://files.pythonhosted.org/packages/...``), checked against the
  listed ``sha256``.

A requirement that the Pyodide lock satisfies (``platformdirs`` alone: the lock has 4.9.4) is
loaded from the lock, at Pyodide's own URL, and never asks PyPI; pin another version to reach
PyPI.

``serve_pypi`` answers these (and the Simple HTML and ``/pypi/<name>/json`` forms) for the
real wheels in a folder, with file paths laid out as PyPI lays them out (the blake2b-256 of the
file), so the URLs a browser sees are the ones PyPI would give. ``route_pypi_to`` sends a
Playwright context's requests for ``pypi.org`` and ``files.pythonhosted.org`` there.
"""

import contextlib
import email
import functools
import hashlib
import html
import json
import re
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version
from playwright.sync_api import BrowserContext, Route

from harness.browser import _QuietHandler, _QuietServer
from harness.local_pyodide import _run

#: The hosts whose requests ``route_pypi_to`` answers from the stand-in.
PYPI_HOSTS = ("pypi.org", "files.pythonhosted.org")
#: The Python the browser runs (Pyodide 314.0.6).
PYTHON_VERSION = "3.14"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"

# What PyPI sends with its index answers (Warehouse's warehouse/utils/cors.py); the stand-in
# sends them with every answer, files and 404s included: a page reads nothing cross-origin
# without Access-Control-Allow-Origin.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Content-Type, If-Match, If-Modified-Since, "
                                    "If-None-Match, If-Unmodified-Since",
    "Access-Control-Allow-Methods": "GET",
    "Access-Control-Max-Age": "86400",
    "Access-Control-Expose-Headers": "X-PyPI-Last-Serial",
}
_FILES_URL = {"pypi.org": "https://files.pythonhosted.org/"}  # by X-Forwarded-Host


def download_wheels(requirements: list[str], dest: Path) -> list[Path]:
    """Pure-Python (``*-none-any``) wheels for Python 3.14, one per requirement, in dest.

    dest is a cache: a wheel already there that satisfies a requirement is reused (pin
    versions for the same files on every machine); anything else comes from ``pip download
    --only-binary :all: --no-deps``.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    reqs = [Requirement(r) for r in requirements]
    missing = [str(r) for r in reqs if _cached(r, dest) is None]
    if missing:
        _run([sys.executable, "-m", "pip", "download", "--only-binary", ":all:", "--no-deps",
              "--python-version", PYTHON_VERSION, "--implementation", "py", "--abi", "none",
              "--platform", "any", "--disable-pip-version-check", "--quiet",
              "--dest", str(dest), *missing], "pip download")
    found = [_cached(r, dest) for r in reqs]
    if None in found:
        lost = [str(r) for r, w in zip(reqs, found) if w is None]
        raise RuntimeError(f"no pure-Python wheel in {dest} for {lost}")
    return found


def _cached(req: Requirement, dest: Path) -> Path | None:
    """The newest wheel in dest that satisfies req, if any."""
    best = None
    for wheel in dest.glob("*-none-any.whl"):
        name, version, _, _ = parse_wheel_filename(wheel.name)
        wanted = name == canonicalize_name(req.name) and req.specifier.contains(version, True)
        if wanted and (best is None or version > best[0]):
            best = (version, wheel)
    return best and best[1]


class _Index:
    """What the stand-in knows of a folder of wheels, read once."""

    def __init__(self, wheels_dir: Path, metadata_dir: Path):
        self.projects: dict[str, list[dict]] = {}  # normalized name -> files, oldest first
        self.paths: dict[str, Path] = {}  # URL path -> file on disk (wheels and .metadata)
        for wheel in sorted(Path(wheels_dir).glob("*.whl")):
            data = wheel.read_bytes()
            with zipfile.ZipFile(wheel) as zf:
                meta_name = next(n for n in zf.namelist()
                                 if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
                metadata = zf.read(meta_name)
            msg = email.message_from_bytes(metadata)
            blake = hashlib.blake2b(data, digest_size=32).hexdigest()
            path = f"/packages/{blake[:2]}/{blake[2:4]}/{blake[4:]}/{wheel.name}"
            (metadata_dir / f"{blake}.metadata").write_bytes(metadata)
            self.paths[path] = wheel
            self.paths[path + ".metadata"] = metadata_dir / f"{blake}.metadata"
            self.projects.setdefault(canonicalize_name(msg["Name"]), []).append({
                "name": msg["Name"], "version": msg["Version"], "path": path,
                "filename": wheel.name, "size": len(data), "summary": msg["Summary"],
                "requires_python": msg["Requires-Python"],
                "requires_dist": msg.get_all("Requires-Dist"),
                "sha256": hashlib.sha256(data).hexdigest(), "md5": hashlib.md5(data).hexdigest(),
                "blake2b_256": blake, "metadata_sha256": hashlib.sha256(metadata).hexdigest(),
            })
        for files in self.projects.values():
            files.sort(key=lambda f: (Version(f["version"]), f["filename"]))

    def simple_json(self, name: str, files_url: str) -> dict:
        """PEP 691 project page, as PyPI's Simple API gives it (api-version 1.1 fields)."""
        files = self.projects[name]
        return {
            "meta": {"api-version": "1.1", "_last-serial": 1},
            "name": name,
            "versions": sorted({f["version"] for f in files}, key=Version),
            "files": [{
                "filename": f["filename"],
                "url": files_url + f["path"].lstrip("/"),
                "hashes": {"sha256": f["sha256"]},
                "requires-python": f["requires_python"],
                "size": f["size"],
                "yanked": False,
                "core-metadata": {"sha256": f["metadata_sha256"]},
                "data-dist-info-metadata": {"sha256": f["metadata_sha256"]},
            } for f in files],
        }

    def simple_html(self, name: str, files_url: str) -> str:
        """PEP 503 project page (what PyPI gives a client that does not ask for JSON)."""
        links = []
        for f in self.projects[name]:
            rp = (f' data-requires-python="{html.escape(f["requires_python"])}"'
                  if f["requires_python"] else "")
            core = f'sha256={f["metadata_sha256"]}'
            links.append(f'<a href="{files_url}{f["path"].lstrip("/")}#sha256={f["sha256"]}"'
                         f'{rp} data-dist-info-metadata="{core}" data-core-metadata="{core}">'
                         f'{f["filename"]}</a><br />')
        return ('<!DOCTYPE html>\n<html>\n<head>\n<meta name="pypi:repository-version" '
                f'content="1.1">\n<title>Links for {name}</title>\n</head>\n<body>\n'
                f'<h1>Links for {name}</h1>\n' + "\n".join(links) + "\n</body>\n</html>\n")

    def json_api(self, name: str, files_url: str) -> dict:
        """``/pypi/<name>/json``, as PyPI's JSON API gives it (the fields clients read)."""
        files = self.projects[name]
        releases: dict[str, list[dict]] = {}
        for f in files:
            releases.setdefault(f["version"], []).append({
                "filename": f["filename"],
                "url": files_url + f["path"].lstrip("/"),
                "digests": {"blake2b_256": f["blake2b_256"], "md5": f["md5"],
                            "sha256": f["sha256"]},
                "md5_digest": f["md5"],
                "packagetype": "bdist_wheel",
                "python_version": f["filename"].split("-")[-3],
                "requires_python": f["requires_python"],
                "size": f["size"],
                "yanked": False,
                "yanked_reason": None,
            })
        latest = files[-1]
        return {
            "info": {"name": latest["name"], "version": latest["version"],
                     "summary": latest["summary"], "requires_python": latest["requires_python"],
                     "requires_dist": latest["requires_dist"], "yanked": False},
            "last_serial": 1,
            "releases": releases,
            "urls": releases[latest["version"]],
        }


class _PyPIHandler(_QuietHandler):
    """The Simple API (JSON or HTML), the JSON API, and the files; 404 for anything else."""

    def end_headers(self):
        for key, value in CORS_HEADERS.items():
            self.send_header(key, value)
        super().end_headers()

    def do_OPTIONS(self):  # a CORS preflight
        self.send_response(204)
        self.end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if match := re.fullmatch(r"/simple/([^/]+)/?", path):
            self._project(match[1], "/simple/{}/", self._simple)
        elif match := re.fullmatch(r"/pypi/([^/]+)/json", path):
            self._project(match[1], "/pypi/{}/json", self._json_api)
        else:
            super().do_GET()  # a file, through translate_path

    def translate_path(self, path):
        found = self.server.index.paths.get(urlsplit(path).path)
        return str(found) if found else "/nonexistent"

    def _project(self, name, form, answer):
        files = self.server.index.projects.get(canonicalize_name(name))
        if files is None:
            if form.startswith("/pypi/"):
                return self._send(404, "application/json", b'{"message": "Not Found"}')
            return self.send_error(404)
        # PyPI redirects other spellings to the project's own URL: the normalized name in the
        # Simple API, the name as registered in the JSON API.
        own = canonicalize_name(name) if form.startswith("/simple/") else files[-1]["name"]
        where = form.format(own)
        if urlsplit(self.path).path != where:
            self.send_response(301)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        forwarded = self.headers.get("X-Forwarded-Host")
        answer(canonicalize_name(name), _FILES_URL.get(forwarded, self.server.base_url))

    def _simple(self, name, files_url):
        accept = self.headers.get("Accept", "")
        if SIMPLE_JSON in accept:
            body = json.dumps(self.server.index.simple_json(name, files_url)).encode()
            self._send(200, SIMPLE_JSON, body, vary=True)
        else:
            body = self.server.index.simple_html(name, files_url).encode()
            self._send(200, "text/html; charset=utf-8", body, vary=True)

    def _json_api(self, name, files_url):
        body = json.dumps(self.server.index.json_api(name, files_url)).encode()
        self._send(200, "application/json", body)

    def _send(self, status, content_type, body, vary=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if vary:
            self.send_header("Vary", "Accept")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_pypi(wheels_dir: Path) -> Iterator[str]:
    """Serve the wheels in wheels_dir as PyPI would, on 127.0.0.1; yield the base URL (ending
    in /). The Simple API is at ``<base>simple/<name>/``, the JSON API at
    ``<base>pypi/<name>/json``; file URLs point at the stand-in itself, or at
    ``https://files.pythonhosted.org/`` for a request with ``X-Forwarded-Host: pypi.org``
    (what ``route_pypi_to`` sends)."""
    # The handler serves files by translate_path; its directory holds the .metadata files.
    with tempfile.TemporaryDirectory(prefix="local-pypi-") as metadata_dir, \
            _QuietServer(("127.0.0.1", 0), functools.partial(_PyPIHandler,
                                                             directory=metadata_dir)) as server:
        server.index = _Index(Path(wheels_dir), Path(metadata_dir))
        server.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.base_url
        finally:
            server.shutdown()
            thread.join()


def route_pypi_to(context: BrowserContext, base_url: str) -> list[str]:
    """Answer the context's requests to ``https://pypi.org/`` and
    ``https://files.pythonhosted.org/`` from the stand-in at base_url.

    Call it after the catch-all route that keeps the browser offline (``OfflineBrowser``
    registers its own in ``new_page``): Playwright tries the routes registered last first, so
    these hosts reach the stand-in while every other host is still aborted and recorded in
    ``OfflineBrowser.blocked``. Returns the live list of the URLs answered here: the browser
    asked for them, but they never left the machine, so take them out of
    ``OfflineBrowser.leaked`` before calling anything a leak.
    """
    base = base_url.rstrip("/")
    served: list[str] = []

    def answer(route: Route) -> None:
        url = urlsplit(route.request.url)
        local = base + url.path + (f"?{url.query}" if url.query else "")
        # Redirects (other spellings of a name) are followed here: a request that Chromium
        # makes to follow a fulfilled redirect bypasses every route, and goes out.
        response = route.fetch(url=local, headers={
            **route.request.headers, "x-forwarded-host": url.hostname})
        served.append(route.request.url)
        route.fulfill(response=response)

    for host in PYPI_HOSTS:
        context.route(f"https://{host}/**", answer)
    return served
