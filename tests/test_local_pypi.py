"""The loopback stand-in for PyPI answers what micropip asks, and the offline browser reaches it.

micropip 0.11.1 (Pyodide 314.0.6) looks a package up at ``https://pypi.org/simple/<name>/``
asking for PEP 691 JSON, then fetches ``<file url>.metadata`` and the wheel from
``files.pythonhosted.org``. Here the real wheels answer from 127.0.0.1, and the browser still
reaches no other host.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from harness.browser import offline_browser, serve
from harness.local_pypi import download_wheels, route_pypi_to, serve_pypi

WHEELS = Path(__file__).resolve().parents[1] / ".cache" / "pypi-wheels"
# Not the version in Pyodide 314.0.6's lock (4.9.4): micropip looks only at the lock for a
# requirement the lock satisfies, and goes to the index for this one.
REQUIREMENT = "platformdirs==4.9.6"
WHEEL_URL = ("https://files.pythonhosted.org/packages/75/a6/"
             "a0a304dc33b49145b21f4808d763822111e67d1c3a32b524a1baf947b6e1/"
             "platformdirs-4.9.6-py3-none-any.whl")  # where PyPI keeps this file
MICROPIP_ACCEPT = "application/vnd.pypi.simple.v1+json, */*;q=0.01"  # package_index.py


@pytest.fixture(scope="module")
def wheel() -> Path:
    [found] = download_wheels([REQUIREMENT], WHEELS)
    return found


@pytest.fixture(scope="module")
def pypi(wheel) -> str:
    with serve_pypi(wheel.parent) as url:
        yield url


def get(url: str, **headers: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.status, response.url, response.headers, response.read()


def test_download_reuses_the_cached_wheel(wheel):
    before = wheel.stat().st_mtime_ns
    assert download_wheels([REQUIREMENT], WHEELS) == [wheel]
    assert wheel.stat().st_mtime_ns == before
    assert wheel.name.endswith("-py3-none-any.whl")


def test_simple_json_is_what_micropip_reads(pypi, wheel):
    status, _, headers, body = get(pypi + "simple/platformdirs/", accept=MICROPIP_ACCEPT)
    assert status == 200
    assert headers["Content-Type"] == "application/vnd.pypi.simple.v1+json"
    assert headers["Access-Control-Allow-Origin"] == "*"
    page = json.loads(body)
    assert page["name"] == "platformdirs" and page["versions"] == ["4.9.6"]
    [entry] = page["files"]
    data = wheel.read_bytes()
    assert entry["filename"] == wheel.name
    assert entry["hashes"] == {"sha256": hashlib.sha256(data).hexdigest()}
    assert entry["size"] == len(data)
    assert entry["requires-python"] == ">=3.10"
    assert entry["yanked"] is False
    # The file and its PEP 658 metadata, at the stand-in, with the digests listed.
    assert entry["url"].startswith(pypi + "packages/75/a6/")
    assert get(entry["url"])[3] == data
    metadata = get(entry["url"] + ".metadata")[3]
    assert entry["core-metadata"] == {"sha256": hashlib.sha256(metadata).hexdigest()}
    assert b"\nVersion: 4.9.6\n" in metadata


def test_other_forms_redirects_and_unknown_projects(pypi, wheel):
    # A browser sent through route_pypi_to gets PyPI's own file URLs.
    page = json.loads(get(pypi + "simple/platformdirs/", accept=MICROPIP_ACCEPT,
                          **{"X-Forwarded-Host": "pypi.org"})[3])
    assert page["files"][0]["url"] == WHEEL_URL
    # No JSON asked for: PEP 503 HTML, as PyPI gives pip.
    _, _, headers, body = get(pypi + "simple/platformdirs/")
    assert headers["Content-Type"].startswith("text/html")
    assert f'{wheel.name}#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}' in body.decode()
    # The JSON API (micropip's index_urls form https://pypi.org/pypi/{package_name}/json).
    info = json.loads(get(pypi + "pypi/platformdirs/json")[3])
    assert info["info"]["version"] == "4.9.6"
    assert info["urls"][0]["digests"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    # Other spellings redirect to the normalized name, as PyPI does.
    assert get(pypi + "simple/PlatformDirs")[1] == pypi + "simple/platformdirs/"
    # Unknown projects and files: 404, with CORS headers so a page can read the status.
    for path in ["simple/no-such-project/", "pypi/no-such-project/json",
                 "packages/00/00/0000/nothing-1.0-py3-none-any.whl"]:
        with pytest.raises(urllib.error.HTTPError) as error:
            get(pypi + path, accept=MICROPIP_ACCEPT)
        assert error.value.code == 404, path
        assert error.value.headers["Access-Control-Allow-Origin"] == "*"


# What micropip does in the browser (pyfetch is fetch): the index page with its Accept
# header, then the file it names; the digest is checked as micropip checks it.
_FETCH_LIKE_MICROPIP = """async ([project, accept]) => {
  const index = await fetch(project, {headers: {accept}});
  const page = await index.json();
  const file = page.files[0];
  const bytes = await (await fetch(file.url)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return {
    status: index.status, type: index.headers.get('content-type'), url: file.url,
    listed: file.hashes.sha256, size: bytes.byteLength,
    sha256: [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''),
  };
}"""
_FETCH_FAILS = "url => fetch(url).then(() => 'fetched', e => `${e.name}: ${e.message}`)"


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("page")
    (root / "index.html").write_text("<!DOCTYPE html><title>loopback page</title>")
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_offline_browser_reaches_the_stand_in_for_pypi_only(pypi, wheel, page_url):
    with offline_browser() as offline:
        page = offline.new_page()
        served = route_pypi_to(page.context, pypi)
        page.goto(page_url)
        got = page.evaluate(_FETCH_LIKE_MICROPIP,
                            ["https://pypi.org/simple/platformdirs/", MICROPIP_ACCEPT])
        assert got["status"] == 200
        assert got["type"] == "application/vnd.pypi.simple.v1+json"
        assert got["url"] == WHEEL_URL
        assert got["size"] == wheel.stat().st_size
        assert got["sha256"] == got["listed"] == hashlib.sha256(wheel.read_bytes()).hexdigest()

        # Another spelling: PyPI's redirect is followed at the stand-in, not by the browser.
        again = page.evaluate(_FETCH_LIKE_MICROPIP,
                              ["https://pypi.org/simple/PlatformDirs", MICROPIP_ACCEPT])
        assert again["status"] == 200 and again["url"] == WHEEL_URL

        # Every other host is still cut off.
        assert page.evaluate(_FETCH_FAILS, "https://example.org/").startswith("TypeError")
        assert offline.blocked == ["https://example.org/"]
        assert served == ["https://pypi.org/simple/platformdirs/", WHEEL_URL,
                          "https://pypi.org/simple/PlatformDirs", WHEEL_URL]
        assert [url for url in offline.leaked if url not in served] == []


@pytest.mark.browser
def test_without_the_route_pypi_stays_unreachable(page_url):
    with offline_browser() as offline:
        page = offline.new_page()
        page.goto(page_url)
        url = "https://pypi.org/simple/platformdirs/"
        assert page.evaluate(_FETCH_FAILS, url).startswith("TypeError")
        assert offline.blocked == [url]
        assert offline.leaked == []


_MICROPIP_INSTALL = """async ([requirement]) => {
  const pyodide = await loadPyodide({indexURL: '/pyodide/'});
  await pyodide.loadPackage('micropip');
  return await pyodide.runPythonAsync(`
import micropip
await micropip.install(${JSON.stringify(requirement)})
import platformdirs
platformdirs.__version__
`);
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_micropip_in_pyodide_installs_from_the_stand_in(pypi, local_pyodide_dir, tmp_path):
    """Real micropip, with its default settings, in the Pyodide the kernel pins."""
    (tmp_path / "pyodide").symlink_to(local_pyodide_dir / "pyodide")
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><script src="pyodide/pyodide.js"></script>')
    with serve(tmp_path) as site, offline_browser() as offline:
        page = offline.new_page()
        served = route_pypi_to(page.context, pypi)
        page.goto(site)
        assert page.evaluate(_MICROPIP_INSTALL, [REQUIREMENT]) == "4.9.6"
        # The index page, then the PEP 658 metadata and the wheel (fetched together).
        assert served[0] == "https://pypi.org/simple/platformdirs/"
        assert sorted(served[1:]) == [WHEEL_URL, WHEEL_URL + ".metadata"]
        assert [url for url in offline.leaked if url not in served] == []


@pytest.mark.browser
def test_pip_magic_in_jupyterlite_installs_from_the_stand_in(pypi, offline_site):
    """``%pip install`` in the site's own Pyodide kernel (piplite, then micropip)."""
    code = [f"%pip install {REQUIREMENT}",
            "import platformdirs; print('installed', platformdirs.__version__)"]
    with serve(offline_site) as site, offline_browser() as offline:
        page = offline.new_page()
        served = route_pypi_to(page.context, pypi)
        page.goto(site + "lite/repl/index.html?kernel=python&"
                  + "&".join("code=" + urllib.parse.quote(c) for c in code))
        page.wait_for_function("() => document.body.innerText.includes('installed 4.9.6')",
                               polling=200, timeout=180_000)
        assert served[0] == "https://pypi.org/simple/platformdirs/"
        assert sorted(served[1:]) == [WHEEL_URL, WHEEL_URL + ".metadata"]
        assert [url for url in offline.leaked if url not in served] == []
