# Managed by copier-interactive-docs: `copier update` rewrites this file.
"""Check that this repository is ready for its interactive docs, and say what to change.

    python <docs>/check_setup.py

Run it from anywhere (it finds the repository from its own place) after the copy, and after
changing the docs' set-up; the docs workflow runs it before the build. Each finding is one
line with its fix. Exit 1 when something would break the docs build or CI, 0 when there is
only advice. Standard library only: it runs before anything is installed.

It reads the answers the interactive docs were generated with from
interactive_docs/settings.py, and the repository's own files: conf.py, pyproject.toml or
setup.py, requirements files, GitHub workflows and .circleci/config.yml, .readthedocs.yaml,
.pre-commit-config.yaml and the docs' Makefile. An answer left at its default is compared with what the repository shows; an
answer given on purpose is trusted, unless it cannot work.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: main() says so
    tomllib = None

HERE = Path(__file__).resolve().parent
ANSWERS = ".copier-answers.interactive-docs.yml"
HOOK = ('import os, sys; sys.path.insert(0, os.path.dirname(__file__)); '
        'extensions.append("interactive_docs")  # copier-interactive-docs')
MANAGED = "Managed by copier-interactive-docs"
# Build backends that compile extension modules, by the module that pyproject.toml names.
COMPILED_BACKENDS = {"mesonpy": "meson-python", "scikit_build_core": "scikit-build-core",
                     "maturin": "maturin"}
# What in a setup.py builds extension modules (also Pybind11Extension, CUDAExtension, ...).
SETUPTOOLS_EXTENSIONS = re.compile(r"Extension\(|\bext_modules\b|\bcythonize\(")
# A workflow that builds or tests the project under Pyodide.
PYODIDE_CI = re.compile(r"CIBW_PLATFORM:\s*[\"']?pyodide|\bpyodide (build|venv)\b|pyodide-build\b",
                        re.IGNORECASE)
# pre-commit hooks that rewrite files (formatters, fixers), by id, with the files they take
# by their suffix (None: every text file).
PYTHON = (".py", ".pyi", ".ipynb")
WEB = (".js", ".mjs", ".cjs", ".ts", ".css", ".scss", ".html", ".json", ".yaml", ".yml", ".md")
REWRITING_HOOKS = {
    **dict.fromkeys(["black", "black-jupyter", "ruff", "ruff-check", "ruff-format", "isort",
                     "autopep8", "yapf", "pyupgrade", "autoflake", "docformatter",
                     "add-trailing-comma", "reorder-python-imports"], PYTHON),
    **dict.fromkeys(["prettier", "biome-format", "biome-check"], WEB),
    **dict.fromkeys(["end-of-file-fixer", "trailing-whitespace", "mixed-line-ending",
                     "fix-byte-order-marker", "codespell"], None),
    "blacken-docs": (".py", ".md", ".rst", ".tex"), "nbstripout": (".ipynb",),
    "pretty-format-json": (".json",), "requirements-txt-fixer": (".txt",),
    "taplo-format": (".toml",), "yamlfix": (".yaml", ".yml"),
}
# Where projects keep their docs requirements, in the docs folder or at the root.
REQUIREMENT_FILES = ["requirements.txt", "requirements-doc.txt", "requirements-docs.txt",
                     "doc-requirements.txt", "docs-requirements.txt", "requirements/doc.txt",
                     "requirements/docs.txt", "requirements/documentation.txt"]
# Names of extras and dependency groups that hold docs requirements.
DOC_NAMES = {"doc", "docs", "documentation", "sphinx"}
# Folders that hold no file of the project's own.
NOT_SOURCES = {"node_modules", "_build", "build", "site-packages", "__pycache__"}


@dataclass
class Finding:
    code: str
    error: bool  # it would break the docs build or CI; else advice
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{'error ' if self.error else 'advice'} {self.code} {self.message} Fix: {self.fix}"


@dataclass
class Repo:
    """The repository, the answers, and what the checks found."""

    root: Path
    docs: Path
    answers: dict
    pyproject: dict = field(default_factory=dict)  # {} when there is none or it is broken
    findings: list[Finding] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def error(self, code: str, message: str, fix: str) -> None:
        self.findings.append(Finding(code, True, message, fix))

    def advice(self, code: str, message: str, fix: str) -> None:
        self.findings.append(Finding(code, False, message, fix))

    @property
    def docs_dir(self) -> str:
        return self.rel(self.docs)

    @property
    def existing(self) -> bool:
        return self.answers.get("PROJECT_KIND") == "existing"

    @property
    def requirements(self) -> Path:
        """The template's pins, beside conf.py."""
        return self.docs / self.answers.get("REQUIREMENTS", "requirements-interactive.txt")

    def default(self, name: str) -> bool:
        """Whether an answer is still its default (as in copier.yml): nobody looked at it."""
        docs = self.answers.get("DOCS_DIR", self.docs_dir)
        return self.answers.get(name) == {
            "DOCS_INSTALL": f"python -m pip install -r {docs}/requirements.txt .",
            "DOCS_BUILD": f"sphinx-build -W --keep-going -b html {docs} {docs}/_build/html"}[name]

    def update(self, *data: str) -> str:
        """The copier command that changes these answers and keeps the others. `copier
        update` refuses a repository with changes, as it is right after the copy."""
        return "commit, then: " + copier_update(*data)

    def workflows(self) -> list[Path]:
        folder = self.root / ".github" / "workflows"
        return sorted(p for p in folder.glob("*.y*ml") if p.is_file()) if folder.is_dir() else []


def copier_update(*data: str) -> str:
    return " ".join(["copier update --defaults -a", ANSWERS,
                     *(f"--data {quote(d)}" for d in data)])


def quote(word: str) -> str:
    """A word as bash reads it: in double quotes when it holds single quotes and nothing that
    bash expands there, which reads better than shlex's '"'"'."""
    if "'" in word and not re.search(r'["$`\\!]', word):
        return f'"{word}"'
    return shlex.quote(word)


def read(path: Path) -> str:
    """A text file, whatever its encoding (the checks read names and commands in it)."""
    return path.read_text(encoding="utf-8", errors="replace")


def managed(path: Path) -> bool:
    """Whether the template owns this file (its first line says so)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return MANAGED in file.readline()
    except OSError:
        return False


def read_settings(path: Path) -> dict:
    """The answers in interactive_docs/settings.py: its NAME = literal lines, never run."""
    answers = {}
    for node in ast.parse(read(path)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            answers[node.targets[0].id] = ast.literal_eval(node.value)
    return answers


# ---------------------------------------------------------------------------------------------
# YAML, enough of it for .readthedocs.yaml and .pre-commit-config.yaml (no PyYAML here).

class YamlError(ValueError):
    pass


class _Unclosed(YamlError):
    """A flow collection or quoted scalar that may go on on the next line."""


def read_yaml(text: str):
    """Block mappings and sequences, flow collections, plain, quoted and block scalars.

    Every scalar is a string, as written (`true`, `3.10`); an empty one is "". This is what
    PyYAML's BaseLoader returns for the same text, without anchors, tags or `?` keys."""
    reader = _YamlReader(text.splitlines())
    data = reader.node(-1)
    if reader.peek():
        raise YamlError(f"line {reader.i + 1}: unexpected indentation")
    return "" if data is None else data


# `key:` or `key: value`; a plain key may hold ":" when no space follows it.
_KEY = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|"""
                  r"""(?:[^ \t\[\]{}#&*!|>'"%@`,?:-]|[-?:][^ \t])(?:[^#]|(?<![ \t])#)*?)"""
                  r"""[ \t]*:(?:[ \t]+(.*)|$)""")


def _is_item(text: str) -> bool:
    return text == "-" or text.startswith("- ")


class _YamlReader:
    """Reads the block structure line by line; values on a line go to _Flow."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.i = 0

    def peek(self) -> tuple[int, str] | None:
        """The indentation and text of the next line with content, past blank lines,
        comments and document markers."""
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if re.match(r"---[ \t]", line):  # the document's start, and its first line
                line = self.lines[self.i] = "   " + line[3:]
            text = line.lstrip(" ")
            if text.strip(" \t") and not text.startswith("#") \
                    and not re.match(r"(---|\.\.\.)$", line.rstrip(" \t")):
                if text.startswith("\t"):
                    raise YamlError(f"line {self.i + 1}: a tab in the indentation (YAML indents "
                                    "with spaces only)")
                return len(line) - len(text), text.rstrip(" \t")
            self.i += 1
        return None

    def node(self, parent: int):
        """The value on the next lines that are indented more than `parent`; None if none."""
        line = self.peek()
        if line is None or line[0] <= parent:
            return None
        column, text = line
        if _is_item(text):
            return self.sequence(column)
        if _KEY.match(text):
            return self.mapping(column)
        return self.scalar(parent, text)

    def sequence(self, column: int) -> list:
        items = []
        while (line := self.peek()) and line[0] == column and _is_item(line[1]):
            rest = line[1][1:].lstrip(" ")
            if not rest or rest.startswith("#"):
                self.i += 1
                item = self.node(column)
            else:
                # What follows "- " is a node at its own column: for "- key: value", the
                # item's next keys line up with "key".
                inner = column + len(line[1]) - len(rest)
                self.lines[self.i] = " " * inner + rest
                item = self.node(inner - 1)
            items.append("" if item is None else item)
        return items

    def mapping(self, column: int) -> dict:
        result = {}
        while (line := self.peek()) and line[0] == column:
            match = _KEY.match(line[1])
            if not match:
                raise YamlError(f"line {self.i + 1}: expected `key: value`")
            key = _Flow(match[1], self.i + 1).document()[0]
            rest = match[2] or ""
            if rest and not rest.startswith("#"):
                value = self.scalar(column, rest)
            else:
                self.i += 1
                value = self.node(column)
                # A sequence may sit at its key's own indentation.
                if value is None and (line := self.peek()) and line[0] == column \
                        and _is_item(line[1]):
                    value = self.sequence(column)
            result[key] = "" if value is None else value
        return result

    def scalar(self, parent: int, text: str):
        """The value that starts with `text` on the current line, and goes on over the lines
        indented more than `parent`."""
        number = self.i + 1
        self.i += 1
        if text[0] in "|>":
            return self.block_scalar(parent, text, number)
        while True:
            following = self.lines[self.i] if self.i < len(self.lines) else None
            goes_on = following is not None and (
                not following.strip(" \t") or len(following) - len(following.lstrip(" ")) > parent)
            try:
                value, plain = _Flow(text, number).document()
            except _Unclosed as error:
                if not goes_on:
                    raise YamlError(f"line {number}: {error}") from None
            else:
                # A plain scalar goes on over the next indented lines, up to a blank line or
                # a comment.
                if not (plain and goes_on and following.strip(" \t")
                        and not following.lstrip(" \t").startswith("#")):
                    return value
            text += "\n" + following
            self.i += 1

    def block_scalar(self, parent: int, header: str, number: int) -> str:
        match = re.fullmatch(r"([|>])([-+]?)([1-9]?)([-+]?)([ \t]+#.*)?", header)
        if not match:
            raise YamlError(f"line {number}: a block scalar header such as | or >- was expected")
        body = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip(" \t") and len(line) - len(line.lstrip(" ")) <= parent:
                break
            body.append(line)
            self.i += 1
        indent = parent + int(match[3]) if match[3] else min(
            (len(line) - len(line.lstrip(" ")) for line in body if line.strip(" \t")), default=0)
        text = "\n".join(line[indent:] for line in body).rstrip("\n")
        if match[1] == ">":
            # Folded: a line break between lines of text is a space; n blank lines, n breaks.
            text = re.sub(r"(?<=[^ \t\n])\n(\n*)(?=[^ \t\n])", lambda m: m[1] or " ", text)
        chomp = match[2] or match[4]
        if chomp == "+":
            return text + "\n" * (len(body) - len(text.split("\n")) + 1)
        return text if chomp == "-" or not text else text + "\n"


class _Flow:
    """A value written on one line, or over a few: a flow collection ([a, {b: c}]), a quoted
    or a plain scalar."""

    ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
               "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
               "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}

    def __init__(self, text: str, number: int):
        self.text = text
        self.pos = 0
        self.number = number

    def document(self) -> tuple[object, bool]:
        """The value, and whether it is a plain scalar."""
        self.space()
        plain = self.text[self.pos:self.pos + 1] not in ("[", "{", '"', "'")
        value = self.value(flow=False)
        self.space()
        if self.pos < len(self.text):
            raise YamlError(f"line {self.number}: unexpected text after the value: "
                            f"{self.text[self.pos:].splitlines()[0]}")
        return value, plain

    def space(self) -> None:
        space = re.compile(r"(?:[ \t\n]|(?<![^ \t\n])#[^\n]*)*")  # and comments
        self.pos = space.match(self.text, self.pos).end()

    def value(self, flow: bool = True):
        char = self.text[self.pos:self.pos + 1]
        if char in ("[", "{"):
            return self.collection(char)
        if char in ("'", '"'):
            return self.quoted(char)
        return self.plain(flow)

    def collection(self, opening: str):
        closing, what = ("]", "list") if opening == "[" else ("}", "mapping")
        result = [] if opening == "[" else {}
        self.pos += 1
        while True:
            self.space()
            if self.pos >= len(self.text):
                raise _Unclosed(f"a flow {what} that does not close")
            if self.text[self.pos] == closing:
                self.pos += 1
                return result
            key, value, pair = self.value(), "", False
            self.space()
            if self.text.startswith(":", self.pos):
                self.pos += 1
                self.space()
                pair = True
                if self.text[self.pos:self.pos + 1] not in (",", closing, ""):
                    value = self.value()
            if isinstance(result, list):
                result.append({self.hashable(key): value} if pair else key)
            else:
                result[self.hashable(key)] = value
            self.space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif self.pos >= len(self.text):
                raise _Unclosed(f"a flow {what} that does not close")
            elif self.text[self.pos] != closing:
                raise YamlError(f"line {self.number}: expected , or {closing} in a flow {what}")

    def hashable(self, key):
        if not isinstance(key, str):
            raise YamlError(f"line {self.number}: a list or mapping as a key")
        return key

    def quoted(self, quote: str) -> str:
        pattern = r"'((?:[^']|'')*)'(?!')" if quote == "'" else r'"((?:[^"\\]|\\.)*)"'
        match = re.compile(pattern, re.DOTALL).match(self.text, self.pos)
        if not match:
            raise _Unclosed("a quoted value that does not close")
        self.pos = match.end()
        if quote == "'":
            return self._fold(match[1]).replace("''", "'")
        # An escaped line break joins the lines; other escapes stand for one character.
        return re.sub(r"\\\n[ \t]*|\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|"
                      r"\\(.)|((?:[ \t]*\n)+[ \t]*)", self._escape, match[1], flags=re.DOTALL)

    def _escape(self, match: re.Match) -> str:
        code = match[1] or match[2] or match[3]
        if code:
            return chr(int(code, 16))
        if match[4] is not None:
            if match[4] not in self.ESCAPES:
                raise YamlError(f"line {self.number}: unknown escape \\{match[4]}")
            return self.ESCAPES[match[4]]
        return self._fold(match[5]) if match[5] else ""

    @staticmethod
    def _fold(text: str) -> str:
        """A line break in a flow scalar is a space; each blank line after it, a line break."""
        return re.sub(r"[ \t]*\n((?:[ \t]*\n)*)[ \t]*",
                      lambda m: "\n" * m[1].count("\n") if m[1] else " ", text)

    def plain(self, flow: bool) -> str:
        # Inside [...] or {...}, a plain scalar also ends at , [ ] { } and at ": ".
        end = r"[,\[\]{}]|:(?=[ \t\n,\[\]{}]|$)|" if flow else ""
        end = rf"[ \t\n]*(?:{end}(?<![^ \t\n])#|$)"
        match = re.compile(r"(.*?)" + end, re.DOTALL).match(self.text, self.pos)
        self.pos = match.end(1)
        return self._fold(match[1])


def load_yaml(repo: Repo, path: Path, code: str):
    try:
        return read_yaml(read(path))
    except YamlError as error:
        repo.error(code, f"{repo.rel(path)} cannot be read as YAML: {error}.",
                   "fix the file (its own tool would refuse it too), then run this again.")
        return None


def table(value) -> dict:
    """A mapping read from YAML or TOML, or {} when it is something else."""
    return value if isinstance(value, dict) else {}


# ---------------------------------------------------------------------------------------------
# Requirements and versions

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")
VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
                     r"(?:[-_.]?(?:post|rev|r)[-_.]?(\d*)|-(\d+))?(?:[-_.]?(dev)[-_.]?(\d*))?"
                     r"(?:\+[a-z0-9.]+)?", re.IGNORECASE)
PRE_RELEASES = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
INFINITY = float("inf")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def release(text: str) -> list[int]:
    return [int(part) for part in VERSION.fullmatch(text)[1].split(".")]


def version_key(text: str) -> tuple | None:
    """A key that orders PEP 440 versions: the release (1.0 == 1), then dev < pre-releases <
    the final release < post-releases. None for what is not a version."""
    match = VERSION.fullmatch(text.strip())
    if not match:
        return None
    parts = release(text.strip())
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    _, pre, pre_number, post, implicit_post, dev, dev_number = match.groups()
    post = post if post is not None else implicit_post
    if pre:
        phase = (PRE_RELEASES[pre.lower()], int(pre_number or 0))
    else:
        phase = (-INFINITY,) if dev and post is None else (INFINITY,)
    return (tuple(parts), phase, int(post or 0) if post is not None else -INFINITY,
            int(dev_number or 0) if dev else INFINITY)


def satisfies(version: str, specifiers: str) -> bool:
    """Whether a version meets every specifier of a comma-separated list. A specifier this does
    not read counts as met: better no finding than a false one."""
    have = version_key(version)
    if have is None:
        return True
    for spec in filter(None, (part.strip() for part in specifiers.split(","))):
        match = re.fullmatch(r"(===|~=|==|!=|<=|>=|<|>)\s*(\S+)", spec)
        if not match:
            continue
        op, wanted = match.groups()
        if op == "===":
            ok = version == wanted
        elif wanted.endswith(".*") and op in ("==", "!="):
            # A prefix match on the release, padded with zeros (1.0 is 1.0.*).
            if not re.fullmatch(r"\d+(\.\d+)*", wanted[:-2]):
                continue
            prefix = [int(part) for part in wanted[:-2].split(".")]
            mine = release(version.strip()) + [0] * len(prefix)
            ok = (mine[:len(prefix)] == prefix) == (op == "==")
        else:
            want = version_key(wanted)
            if want is None:
                continue
            if op == "~=":
                # ~=1.4.5 is >=1.4.5, ==1.4.*: the release without its last part.
                prefix = release(wanted)[:-1]
                mine = release(version.strip()) + [0] * len(prefix)
                ok = have >= want and mine[:len(prefix)] == prefix
            else:
                ok = {"==": have == want, "!=": have != want, "<=": have <= want,
                      ">=": have >= want, "<": have < want, ">": have > want}[op]
        if not ok:
            return False
    return True


def requirement_lines(path: Path, seen: set | None = None):
    """(file, line number, requirement) of a requirements file, following -r and -c."""
    seen = set() if seen is None else seen
    if path.resolve() in seen or not path.is_file():
        return
    seen.add(path.resolve())
    for number, line in enumerate(read(path).splitlines(), 1):
        line = re.split(r"(?:^|\s)#", line)[0].strip()
        nested = re.match(r"(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
        if nested:
            yield from requirement_lines(path.parent / nested[1], seen)
        elif line and not line.startswith("-"):
            # Without the options after it (--hash=...) and a line continuation.
            yield path, number, re.split(r"\s+(?:--?[A-Za-z]|\\$)", line)[0]


def install_targets(command: str) -> tuple[list[str], list[str], list[str]]:
    """What a pip command installs from this repository: requirements (and constraints) files,
    extras of the project, dependency groups of its pyproject.toml."""
    files, extras, groups = [], [], []
    for words in commands(command):
        # The words after `install` (pip, uv pip) or `sync` (uv): not python's own -c.
        start = next((i for i, word in enumerate(words) if word in ("install", "sync")), None)
        if start is not None:
            add_targets(words[start + 1:], files, extras, groups)
    return files, extras, groups


def commands(line: str) -> list[list[str]]:
    """The words of each command of a shell line (a && b; c)."""
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    found = [[]]
    for word in words:
        if word in ("&&", "||", ";", "|"):
            found.append([])
        else:
            found[-1].append(word)
    return found


def add_targets(words: list[str], files: list, extras: list, groups: list) -> None:
    for word, following in zip(words, [*words[1:], ""]):
        option, equals, value = word.partition("=")
        value = value if equals else following
        if option in ("-r", "--requirement", "-c", "--constraint"):
            files.append(value)
        elif word[:2] in ("-r", "-c") and not word.startswith("--") and len(word) > 2:
            files.append(word[2:])
        elif option == "--group":
            # pip's [path:]name: a group of another pyproject.toml is not this one's.
            path, _, name = value.rpartition(":")
            if path in ("", "pyproject.toml", "./pyproject.toml"):
                groups.append(normalize(name))
        elif option == "--extra":  # uv
            extras.append(normalize(value))
        # ".[doc]", "-e.[doc,test]", "./[doc]": the project itself, with extras.
        match = re.fullmatch(r"(?:-e|--editable=)?(?:\.|\.?\.?/[^\[]*)\[([^\]]+)\]", word)
        if match:
            extras += [normalize(extra) for extra in match[1].split(",")]


def group_requirements(pyproject: dict, name: str, seen: tuple = ()) -> list[str]:
    """The requirements of a dependency group, with those of the groups it includes."""
    groups = {normalize(key): value
              for key, value in table(pyproject.get("dependency-groups")).items()}
    found = []
    for entry in groups.get(normalize(name), []):
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("include-group"), str) \
                and normalize(entry["include-group"]) not in seen:
            found += group_requirements(pyproject, entry["include-group"],
                                        (*seen, normalize(name)))
    return found


# ---------------------------------------------------------------------------------------------
# The checks. Each is a function that adds findings; its docstring names it.

def check_project(repo: Repo) -> None:
    """IDS100: the project's pyproject.toml or setup.py is at the repository root."""
    path = repo.root / "pyproject.toml"
    if path.is_file():
        try:
            repo.pyproject = tomllib.loads(read(path))
        except tomllib.TOMLDecodeError as error:
            repo.error("IDS100", f"pyproject.toml cannot be read: {error}.",
                       "make it valid TOML (pip cannot build the project either).")
    elif not (repo.root / "setup.py").is_file():
        repo.error("IDS100", f"neither pyproject.toml nor setup.py is at {repo.root}: the docs "
                   "build installs the project from there.",
                   "run this in the repository of the project (docs_dir is relative to its "
                   "root), or add a pyproject.toml.")


def check_conf(repo: Repo) -> bool:
    """IDS101/IDS102: conf.py is beside this script and turns the extension on."""
    conf = repo.docs / "conf.py"
    if not conf.is_file():
        found = [repo.rel(folder) for folder in sphinx_folders(repo.root)]
        where = f"conf.py is in {', '.join(found)}" if found else "no conf.py was found"
        answer = found[0] if found else "<the folder of conf.py>"
        repo.error("IDS101", f"{repo.docs_dir}/conf.py does not exist ({where}): docs_dir is "
                   "the folder of the Sphinx docs' conf.py.",
                   f"copier recopy --defaults -a {ANSWERS} --data docs_dir={answer} , then "
                   f"delete the files the first copy wrote in {repo.docs_dir}/ (git status "
                   "lists them).")
        return False
    try:
        tree = ast.parse(read(conf), filename=str(conf))
    except SyntaxError as error:
        repo.error("IDS102", f"{repo.docs_dir}/conf.py does not parse: line {error.lineno}: "
                   f"{error.msg}.", "fix that line; Sphinx cannot read it either.")
        return True
    if not any(isinstance(node, ast.Constant) and node.value == "interactive_docs"
               for node in ast.walk(tree)):
        repo.error("IDS102", f"{repo.docs_dir}/conf.py does not turn the interactive docs on: "
                   "the docs would build with no working button.",
                   f"add this line at the end of {repo.docs_dir}/conf.py, after `extensions` "
                   f"is set: {HOOK}")
    return True


def sphinx_folders(root: Path) -> list[Path]:
    """The folders with a conf.py, outside hidden and build folders: Sphinx's first (those
    that set `extensions` or `html_theme`), the shallowest first."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in NOT_SOURCES)
        if "conf.py" in files:
            sphinx = re.search(r"^(extensions|html_theme)\b", read(Path(folder) / "conf.py"),
                               re.MULTILINE)
            found.append((not sphinx, len(Path(folder).relative_to(root).parts), Path(folder)))
    return [folder for *_, folder in sorted(found)]


def read_the_docs_config(repo: Repo) -> Path | None:
    for name in [".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yaml", "readthedocs.yml"]:
        if (repo.root / name).is_file():
            return repo.root / name
    return None


def read_the_docs_installs(repo: Repo) -> tuple[list[Path], list[str]]:
    """The requirements files and the project's extras that the project's own
    .readthedocs.yaml installs (python: install:)."""
    path = read_the_docs_config(repo)
    if path is None or managed(path):
        return [], []
    try:
        config = table(read_yaml(read(path)))
    except YamlError:
        return [], []  # check_read_the_docs says so
    files, extras = [], []
    install = table(config.get("python")).get("install")
    for item in install if isinstance(install, list) else []:
        item = table(item)
        if isinstance(item.get("requirements"), str):
            files.append(repo.root / item["requirements"])
        if item.get("path") in (".", "./") and isinstance(item.get("extra_requirements"), list):
            extras += [normalize(extra) for extra in item["extra_requirements"]]
    return files, extras


def check_pins(repo: Repo) -> None:
    """IDS103: the project's docs requirements do not pin what requirements-interactive.txt
    pins to other versions."""
    ours = repo.requirements
    if not repo.existing or not ours.is_file():
        return
    pins = {}
    for _, _, line in requirement_lines(ours):
        match = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", line)
        if match:
            pins[normalize(match[1])] = match[2]
    files, extras, groups = install_targets(repo.answers.get("DOCS_INSTALL", ""))
    rtd_files, rtd_extras = read_the_docs_installs(repo)
    lines, seen = [], set()
    for source in [repo.root / name for name in files] + rtd_files:
        lines += requirement_lines(source, seen)
    # Extras and groups, found in pyproject.toml by their quoted text.
    pyproject = repo.root / "pyproject.toml"
    text = read(pyproject).splitlines() if repo.pyproject else []
    optional = {normalize(name): value for name, value in table(
        table(repo.pyproject.get("project")).get("optional-dependencies")).items()}
    entries = [entry for extra in dict.fromkeys(extras + rtd_extras)
               for entry in optional.get(extra, [])]
    entries += [entry for group in groups for entry in group_requirements(repo.pyproject, group)]
    for entry in entries:
        number = next((n for n, line in enumerate(text, 1)
                       if f'"{entry}"' in line or f"'{entry}'" in line), 0)
        lines.append((pyproject, number, entry))
    for path, number, line in dict.fromkeys(lines):  # a requirement in an extra and a group
        match = REQUIREMENT.match(line)
        if not match or normalize(match[1]) not in pins:
            continue
        name, wanted = normalize(match[1]), pins[normalize(match[1])]
        if not satisfies(wanted, match[3]):
            repo.error("IDS103", f"{repo.rel(path)}:{number} asks for {line.strip()}, but "
                       f"{repo.rel(ours)} pins {name}=={wanted}: pip cannot install both "
                       "(ResolutionImpossible).",
                       f"delete that requirement of {name} from {repo.rel(path)}:{number} "
                       f"({repo.rel(ours)} pins it, for the kernel the examples are tested "
                       "with).")


def check_backend(repo: Repo) -> None:
    """IDS104: package_kind matches the build backend (compiled extensions or not)."""
    setup_py = repo.root / "setup.py"
    if not repo.pyproject and not setup_py.is_file():
        return  # check_project says so
    backend = table(repo.pyproject.get("build-system")).get("build-backend",
                                                           "setuptools.build_meta")
    compiled = COMPILED_BACKENDS.get(str(backend).split(".")[0])
    if compiled is None and str(backend).startswith("setuptools"):
        setuptools = table(table(repo.pyproject.get("tool")).get("setuptools"))
        if setuptools.get("ext-modules") or (
                setup_py.is_file() and SETUPTOOLS_EXTENSIONS.search(read(setup_py))):
            compiled = "setuptools, ext_modules"
    kind = repo.answers.get("PACKAGE_KIND")
    if compiled and kind == "pure":
        repo.error("IDS104", f"the project compiles extension modules ({compiled}), but "
                   "package_kind is pure: the docs build would make a native wheel that no "
                   "browser can install.", repo.update("package_kind=compiled"))
    elif not compiled and kind == "compiled":
        repo.advice("IDS104", f"the project builds with {backend}, which makes a pure-Python "
                    "wheel, but package_kind is compiled: the docs would wait for a Pyodide "
                    "wheel they do not need.", repo.update("package_kind=pure"))


def check_wasm(repo: Repo) -> None:
    """IDS105: one WebAssembly workflow, and the one the docs workflow calls exists."""
    own = [p for p in repo.workflows() if not managed(p) and PYODIDE_CI.search(read(p))]
    compiled = repo.answers.get("PACKAGE_KIND") == "compiled"
    if own and repo.answers.get("WASM_WORKFLOW") and repo.existing:
        data = ["wasm_workflow=false"] + ([f"pyodide_wheel_workflow={own[0].name}"]
                                          if compiled else [])
        repo.advice("IDS105", f"{', '.join(repo.rel(p) for p in own)} already builds or tests "
                    "the project under Pyodide, and the copy added .github/workflows/wasm.yml "
                    "beside it.", f"{repo.update(*data)} (it removes that wasm.yml).")
    wanted = repo.answers.get("PYODIDE_WHEEL_WORKFLOW")
    if not (wanted and compiled and not repo.answers.get("WASM_WORKFLOW")):
        return
    path = repo.root / ".github" / "workflows" / wanted
    if not path.is_file():
        repo.error("IDS105", f"pyodide_wheel_workflow names .github/workflows/{wanted}, which "
                   "does not exist: the docs workflow calls it.",
                   repo.update("pyodide_wheel_workflow=<your workflow's file name>"))
        return
    # Its text without comments: a trigger or an artifact name that is only mentioned is none.
    text = re.sub(r"(^|\s)#.*", "", read(path))
    missing = [what for what, pattern in [
        ("has no workflow_call trigger", r"\bworkflow_call\b"),
        ("uploads no artifact named pyodide-wheel", r"\bpyodide-wheel\b")]
        if not re.search(pattern, text)]
    if missing:
        repo.error("IDS105", f".github/workflows/{wanted} makes the project's Pyodide wheel for "
                   f"the docs workflow, but it {' and '.join(missing)}: the docs workflow "
                   "cannot call it.",
                   "add `workflow_call:` under its `on:`, and a step that uploads the wheel: "
                   "actions/upload-artifact with name: pyodide-wheel.")


def check_read_the_docs(repo: Repo) -> None:
    """IDS106: Read the Docs installs the interactive docs' pins."""
    path = read_the_docs_config(repo)
    if path is None:
        if repo.answers.get("HOSTING") in {"readthedocs", "both"}:
            repo.error("IDS106", "hosting includes Read the Docs, but there is no "
                       ".readthedocs.yaml.", f"copier recopy --defaults -a {ANSWERS} (it "
                       "writes one).")
        return
    if managed(path):
        return
    config = load_yaml(repo, path, "IDS106")
    requirements = repo.rel(repo.requirements)
    if config is None or requirements in read(path):
        return
    config = table(config)
    build = table(config.get("build"))
    line = f"- python -m pip install -r {requirements}"
    if build.get("commands"):
        fix = f"in build: commands:, after your install command, add the line `{line}`."
    elif table(build.get("jobs")).get("install"):
        fix = f"under build: jobs: install:, add the line `{line}`."
    elif table(config.get("python")).get("install"):
        fix = (f"under python: install:, after your own requirements, add the line "
               f"`- requirements: {requirements}`.")
    else:
        fix = f"add this line at the top level: {read_the_docs_install(repo, requirements)}"
    repo.error("IDS106", f"{repo.rel(path)} does not install {requirements}: Read the Docs "
               "would fail at the conf.py line (no jupyterlite_sphinx).", fix)


def read_the_docs_install(repo: Repo, requirements: str) -> str:
    """A line of YAML that installs what docs_install does, then the template's pins."""
    def plain(text: str) -> str:
        return text if re.fullmatch(r"[\w./-]+", text) else '"' + text.replace('"', '\\"') + '"'

    command = repo.answers.get("DOCS_INSTALL", "")
    files, extras, groups = install_targets(command)
    if groups:  # python: install: knows no dependency groups
        return (f"build: {{jobs: {{install: [{plain(command)}, "
                f"{plain(f'python -m pip install -r {requirements}')}]}}}} (merge it into your "
                "build: section)")
    items = [f"{{requirements: {plain(name)}}}" for name in files + [requirements]]
    extra = f", extra_requirements: [{', '.join(extras)}]" if extras else ""
    return f"python: {{install: [{', '.join(items)}, {{path: .{extra}}}]}}"


def owned_pattern(repo: Repo) -> str:
    """The files the template owns, as a regular expression on paths from the repository root
    (what pre-commit's `exclude:` reads)."""
    def literal(name: str) -> str:
        # These names have letters, digits, "_", "-", "/" and ".": only "." needs escaping.
        return name.replace(".", r"\.")

    inside = ["interactive_docs/", "jupyterlite/", "_static/interactive-docs",
              *(literal(name) + "$" for name in [
                  "check_examples.py", "check_setup.py", "interactive_examples.rst",
                  "requirements-check-examples.txt", repo.requirements.name,
                  "try_examples.json"])]
    outside = [literal(ANSWERS) + "$", "tools/pyodide-tests/"]
    workflows = [literal(p.name) for p in repo.workflows() if managed(p)]
    if workflows:
        outside.append(rf"\.github/workflows/({'|'.join(workflows)})$")
    config = read_the_docs_config(repo)
    if config is not None and managed(config):
        outside.append(literal(config.name) + "$")
    return f"^({repo.docs_dir}/({'|'.join(inside)})|{'|'.join(outside)})"


def repository_files(repo: Repo) -> list[str]:
    """The repository's files, as pre-commit names them, outside hidden and build folders."""
    paths = []
    for folder, dirs, files in os.walk(repo.root):
        dirs[:] = [d for d in dirs if d not in NOT_SOURCES and (
            not d.startswith(".") or d == ".github")]
        paths += [repo.rel(Path(folder) / name) for name in files]
    return sorted(paths)


def check_pre_commit(repo: Repo) -> None:
    """IDS107: the project's pre-commit hooks leave the template's files alone."""
    path = repo.root / ".pre-commit-config.yaml"
    if not path.is_file():
        return
    config = load_yaml(repo, path, "IDS107")
    if not isinstance(config, dict):
        return
    pattern = owned_pattern(repo)
    owned = [p for p in repository_files(repo) if re.search(pattern, p)]

    def selects(selection: dict, name: str) -> bool:
        """Whether pre-commit gives the file to these files:/exclude: settings."""
        try:
            return bool(re.search(str(selection.get("files") or ""), name)) and not (
                selection.get("exclude") and re.search(str(selection["exclude"]), name))
        except re.error:
            return True  # pre-commit refuses the pattern itself

    repos = config.get("repos") if isinstance(config.get("repos"), list) else []
    hooks = [table(hook) for item in repos for hook in table(item).get("hooks") or []]

    def by_hand(hook: dict) -> bool:
        """Whether the hook runs only when asked (`--hook-stage manual`): never in a commit
        or in pre-commit.ci. No stages, or none listed: the top-level default_stages."""
        stages = hook.get("stages") or config.get("default_stages")
        return isinstance(stages, list) and bool(stages) and set(stages) <= {"manual"}

    rewriting = [hook for hook in hooks if hook.get("id") in REWRITING_HOOKS
                 and not by_hand(hook)]

    def rewrites(hook: dict, name: str) -> bool:
        suffixes = REWRITING_HOOKS[hook["id"]]
        return (suffixes is None or name.endswith(suffixes)) and selects(hook, name)

    touched = [name for name in owned if selects(config, name)
               and any(rewrites(hook, name) for hook in rewriting)]
    if not touched:
        return
    exclude = str(config.get("exclude") or "")
    if not exclude:
        fix = f"add this line at the top level of .pre-commit-config.yaml: exclude: '{pattern}'"
    elif "\n" in exclude:
        fix = f"add |{pattern} at the end of the top-level exclude: of .pre-commit-config.yaml"
    else:
        joined = f"{exclude}|{pattern}".replace("'", "''")
        fix = ("replace the top-level exclude: of .pre-commit-config.yaml with: "
               f"exclude: '{joined}'")
    ids = sorted({hook["id"] for hook in rewriting if any(rewrites(hook, n) for n in touched)})
    repo.advice("IDS107", f".pre-commit-config.yaml runs {', '.join(ids)}, which would rewrite "
                f"{len(touched)} files the template owns (e.g. {touched[0]}), and each "
                "`copier update` would then conflict with it.", fix)


def check_install(repo: Repo) -> None:
    """IDS108: docs_install installs what the repository keeps for its docs."""
    command = repo.answers.get("DOCS_INSTALL", "")
    if not repo.existing or not command:
        return
    files, extras, groups = install_targets(command)
    optional = {normalize(name) for name in table(
        table(repo.pyproject.get("project")).get("optional-dependencies"))}
    declared = {normalize(name) for name in table(repo.pyproject.get("dependency-groups"))}
    missing = [f"-r {name}, which does not exist" for name in files
               if not (repo.root / name).is_file()]
    missing += [f"the extra [{name}], which pyproject.toml does not declare" for name in extras
                if name not in optional]
    missing += [f"the dependency group {name}, which pyproject.toml does not declare"
                for name in groups if name not in declared]
    where, suggestion = suggest_install(repo)
    if missing:
        # With the docs job's other commands too, as IDS110 gives them: one update for both.
        data = ci_fix(repo) or []
        if not any(item.startswith("docs_install=") for item in data):
            data = [f"docs_install={suggestion or '<your install command>'}"]
        repo.error("IDS108", f"docs_install ({command}) installs {'; '.join(missing)}"
                   + (f"; {where}." if where else "."), repo.update(*data))
    elif repo.default("DOCS_INSTALL") and suggestion and ci_fix(repo) is None \
            and install_targets(suggestion) != (files, extras, groups):
        repo.advice("IDS108", f"docs_install is its default ({command}), but {where}.",
                    repo.update(f"docs_install={suggestion}"))


def docs_requirements(repo: Repo) -> list[tuple[str, str]]:
    """Where the repository keeps its docs requirements, as (what, install command): a docs
    extra, a docs dependency group, then requirements files, as .readthedocs.yaml names them
    or by their usual names."""
    found = []
    for name in table(table(repo.pyproject.get("project")).get("optional-dependencies")):
        if normalize(name) in DOC_NAMES:
            found.append((f"the extra [{name}]", f'python -m pip install ".[{name}]"'))
    for name in table(repo.pyproject.get("dependency-groups")):
        if normalize(name) in DOC_NAMES:
            found.append((f"the dependency group {name}",
                          f"python -m pip install --group {name} ."))
    # In the docs folder, the folder above it (doc/ of doc/source), and the root (but not the
    # root's requirements.txt: the project's own).
    folders = [repo.docs] + ([repo.docs.parent] if repo.docs.parent != repo.root else [])
    paths = read_the_docs_installs(repo)[0] + [
        folder / name for folder in folders for name in REQUIREMENT_FILES]
    paths += [repo.root / name for name in REQUIREMENT_FILES[1:]]
    for path in dict.fromkeys(p.resolve() for p in paths if p.is_file()):
        if path != repo.requirements.resolve():
            found.append((repo.rel(path), f"python -m pip install -r {repo.rel(path)} ."))
    return found


def suggest_install(repo: Repo) -> tuple[str, str]:
    """What the project's docs job installs with, else what its layout suggests, as (where
    it was found, the install command); ("", "") when nothing does."""
    jobs = docs_jobs(repo)
    if jobs and "docs_install" in jobs[0].answers(repo):
        return (f"{jobs[0].cite(repo, jobs[0].installs[:1])} installs with "
                f"{jobs[0].installs[0][1]}", jobs[0].answers(repo)["docs_install"])
    found = docs_requirements(repo)
    if found:
        return f"the repository keeps its docs requirements in {found[0][0]}", found[0][1]
    return "", ""


def makefile(repo: Repo) -> Path | None:
    """The docs' Sphinx Makefile, with an html target (Sphinx's own catches every target)."""
    for folder in [repo.docs, repo.docs.parent]:
        path = folder / "Makefile"
        if path.is_file():
            text = read(path)
            if re.search(r"sphinx-build|SPHINXBUILD", text) \
                    and re.search(r"^(html|%)\s*:", text, re.MULTILINE):
                return path
    return None


def built_by(repo: Repo, command: str) -> str | None:
    """The folder a docs_build command writes its HTML to, where it can be read: the first of
    its commands that runs Sphinx or make, after `cd doc &&` and VAR=value settings."""
    folder, env = repo.root, {}
    for words in commands(command):
        while words and re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]):
            env.update([words.pop(0).split("=", 1)])
        if words[:1] == ["cd"] and len(words) == 2:
            folder = folder / words[1]
        elif words[:1] in (["make"], ["gmake"]):
            out = make_output(folder, words, env)
            return repo.rel(out) if out else None
        elif (out := sphinx_output(words)) is not None:
            return repo.rel(folder / out)
    return None


def sphinx_output(words: list[str]) -> str | None:
    """The HTML folder of a sphinx-build command (`-b html SRC OUT`, or `-M html SRC BUILDDIR`
    which writes BUILDDIR/html); None for other commands."""
    sphinx = next((i for i, w in enumerate(words) if Path(w).name == "sphinx-build" or (
        w == "sphinx" and words[i - 1:i] == ["-m"])), None)
    if sphinx is None:
        return None
    with_value = {"-b", "-M", "-D", "-c", "-d", "-j", "-t", "-w", "-A", "--jobs", "--builder",
                  "--define", "--doctree-dir", "--conf-dir", "--tag", "--warning-file",
                  "--html-define"}
    positional, builder, i = [], None, sphinx + 1
    while i < len(words):
        if words[i] in with_value:
            builder = words[i + 1] if words[i] == "-M" and i + 1 < len(words) else builder
            i += 2
            continue
        if not words[i].startswith("-"):
            positional.append(words[i])
        i += 1
    if len(positional) < 2 or "$" in positional[1]:
        return None
    return f"{positional[1]}/{builder}" if builder else positional[1]


# make's options that take a value, in their own word.
MAKE_WITH_VALUE = {"-C", "--directory", "-f", "--file", "--makefile", "-I", "--include-dir",
                   "-o", "--old-file", "-W", "--what-if", "--new-file", "--assume-new"}


def make_output(folder: Path, words: list[str], env: dict) -> Path | None:
    """The HTML folder that `make [-C dir] [VAR=value] html` writes, read from the recipe of
    its html target in the Makefile (None when the recipe does not say)."""
    makefile, overrides, targets, i = None, {}, [], 1
    while i < len(words):
        word = option = words[i]
        value = words[i + 1] if i + 1 < len(words) else ""
        if word in MAKE_WITH_VALUE or (word in ("-j", "--jobs", "-l") and value.isdigit()):
            i += 1
        elif re.match(r"--(directory|file|makefile)=", word):
            option, value = word.split("=", 1)
        elif re.match(r"-[Cf].", word):
            option, value = word[:2], word[2:]
        elif re.fullmatch(r"[A-Za-z_][\w.-]*:{0,3}=.*", word):
            name, value = re.split(r":{0,3}=", word, maxsplit=1)
            overrides[name] = value
        elif not word.startswith("-"):
            targets.append(word)
        if option in ("-C", "--directory"):
            folder = folder / value
        elif option in ("-f", "--file", "--makefile"):
            makefile = value
        i += 1
    # Without -f, make reads the first of these it finds.
    path = folder / (makefile or next((name for name in ["GNUmakefile", "makefile"]
                                       if (folder / name).is_file()), "Makefile"))
    target = "html" if "html" in targets else next((t for t in targets if "html" in t), None)
    if target is None or not path.is_file():
        return None
    out = makefile_output(read(path), target, overrides, env)
    return folder / out if out else None


def makefile_output(text: str, target: str, overrides: dict, env: dict) -> str | None:
    """Where the recipe of a target (or of the rules it depends on) runs Sphinx to: its
    simple variables expanded (NAME = value, ?=, :=, +=), command-line ones first, as make
    does."""
    variables, rules, recipe = dict(env), [], None
    # A backslash at the end of a line joins it with the next.
    for line in re.sub(r"\\\n[ \t]*", " ", text).splitlines():
        if line.startswith("\t"):
            if recipe is not None:
                recipe.append(line[1:])
            continue
        line = re.sub(r"(?<!\\)#.*", "", line).rstrip()
        assignment = re.fullmatch(
            r"(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?|\+|!|:{1,3})?=\s*(.*)", line)
        rule = re.fullmatch(r"([^:=$#\t][^:=#]*?)\s*::?(?!=)\s*([^;]*)(?:;\s*(.*))?", line)
        if assignment:
            name, op, value = assignment.groups()
            recipe = None
            if name in overrides or (op == "?" and name in variables):
                continue
            if op == "+":
                value = f"{variables.get(name, '')} {value}".strip()
            variables[name] = "" if op == "!" else value  # != runs a shell: unknown here
        elif rule:
            recipe = [rule[3]] if rule[3] else []
            rules.append((rule[1].split(), rule[2].split(), recipe))
        elif line.strip():
            recipe = None
    variables.update(overrides)

    def output(name: str, seen: tuple) -> str | None:
        explicit = [rule for rule in rules if name in rule[0]]
        # A pattern rule (Sphinx's `%: Makefile`) makes the target asked for when no explicit
        # rule has a recipe for it; the prerequisites followed are explicit targets.
        pattern = [rule for rule in rules if not seen and any(
            "%" in t and re.fullmatch(re.escape(t).replace("%", ".+"), name) for t in rule[0])]
        for targets, prerequisites, lines in explicit + ([] if any(
                rule[2] for rule in explicit) else pattern):
            for line in lines:
                line = expand(line.lstrip("@-+ \t"), variables, name)
                cd = Path()
                for words in commands(line):
                    if words[:1] == ["cd"] and len(words) == 2:
                        cd = cd / words[1]
                    elif (out := sphinx_output(words)) is not None:
                        return (cd / out).as_posix()
            for prerequisite in prerequisites:
                if prerequisite not in seen and (out := output(prerequisite, (*seen, name))):
                    return out
        return None

    return output(target, ())


def expand(text: str, variables: dict, target: str) -> str:
    """A Makefile line with its variables ($(NAME), ${NAME}, nested) replaced; $@ is the
    target. A function call such as $(shell ...) stays: what it makes is unknown here."""
    text = text.replace("$$", "\0").replace("$@", target)
    for _ in range(20):  # a variable that names itself would never end
        expanded = re.sub(r"\$[({]([\w.-]*)[)}]|\$(\w)",
                          lambda m: variables.get(m[1] or m[2], ""), text)
        if expanded == text:
            break
        text = expanded
    return text.replace("\0", "$")


def check_build(repo: Repo) -> None:
    """IDS109: docs_build builds as the repository does, into docs_html, never from sources."""
    command = repo.answers.get("DOCS_BUILD", "")
    html = repo.answers.get("DOCS_HTML", "")
    if not command:
        return
    writes = built_by(repo, command)
    if writes and html and writes != repo.rel(repo.root / html):
        repo.error("IDS109", f"docs_build ({command}) writes the site to {writes}, but "
                   f"docs_html is {html}: the check and the deployment would find no site.",
                   repo.update(f"docs_html={writes}"))
    found = makefile(repo)
    if found and repo.existing and repo.default("DOCS_BUILD") and ci_fix(repo) is None:
        folder = repo.rel(found.parent)
        target = f"make -C {folder} html" if folder != "." else "make html"
        data = [f"docs_build={target}"]
        if built_by(repo, target) not in (None, html):
            data.append(f"docs_html={built_by(repo, target)}")
        repo.advice("IDS109", f"{repo.rel(found)} builds the docs, but docs_build is its "
                    f"default ({command}): the site may differ from yours (steps before "
                    "Sphinx, options).", repo.update(*data))
    flat = any((repo.root / name / "__init__.py").is_file() for name in package_names(repo))
    if re.search(r"(python3?|\$\(PYTHON\))\s+-m\s+sphinx\b", command) \
            and repo.answers.get("PACKAGE_KIND") == "compiled" and flat:
        repo.error("IDS109", "docs_build runs `python -m sphinx` from the repository root, "
                   "which puts the uncompiled source tree first on the import path.",
                   repo.update("docs_build=" + re.sub(r"(python3?|\$\(PYTHON\))\s+-m\s+sphinx\b",
                                                       "sphinx-build", command)))


def package_names(repo: Repo) -> list[str]:
    name = repo.answers.get("DISTRIBUTION", "")
    return sorted({name.replace("-", "_"), repo.answers.get("PACKAGE_NAME", "")} - {""})


# ---------------------------------------------------------------------------------------------
# The project's own CI: the shell lines of its jobs

@dataclass
class Job:
    """A job of the project's own CI, with the shell lines it runs, as (line number in the
    file or 0, the line, the folder it runs in from the repository root)."""

    path: Path
    name: str
    lines: list[tuple[int, str, str]]

    @property
    def github(self) -> bool:
        return self.path.parent.parts[-2:] == (".github", "workflows")

    @property
    def builds(self) -> list[tuple[int, str, str]]:
        return [line for line in self.lines if builds_docs(line[1])]

    @property
    def installs(self) -> list[tuple[int, str, str]]:
        """Its lines that install the project or its docs requirements, two at most,
        leaving out those that add nothing (`pip install -e .` after `pip install -e .[doc]`)."""
        found, seen = [], set()
        for line in self.lines:
            targets = project_targets(line[1])
            if targets - seen and len(found) < 2:
                found.append(line)
            seen |= targets
        return found

    def cite(self, repo: Repo, lines: list[tuple[int, str, str]]) -> str:
        """Where these lines are: file:line, ..."""
        return ", ".join(f"{repo.rel(self.path)}:{number}" if number else repo.rel(self.path)
                         for number, _, _ in lines)

    def answers(self, repo: Repo) -> dict[str, str]:
        """Its install and build lines as docs_install, docs_build and docs_html, run from the
        repository root (user installs are for a machine, not for CI)."""
        def adapted(line: str, folder: str) -> str:
            line = re.sub(r"\s+--user\b", "", re.sub(r"\s+#[^'\"]*$", "", line))
            return f"cd {folder} && {line}" if folder not in ("", ".") else line

        found = {}
        if self.installs:
            found["docs_install"] = " && ".join(adapted(line, folder)
                                                for _, line, folder in self.installs)
        builds = [(line, folder) for _, line, folder in self.builds if runs_sphinx(line)]
        if builds:
            found["docs_build"] = adapted(*builds[0])
            html = built_by(repo, found["docs_build"])
            if html:
                found["docs_html"] = html
        # What copier would refuse as an answer (docs_install's validator) is no answer.
        return {name: value for name, value in found.items()
                if len(value) <= 300 and "${{" not in value and value.isprintable()}


def ci_jobs(repo: Repo) -> list[Job]:
    """The jobs of the project's own GitHub workflows and CircleCI config."""
    circle = repo.root / ".circleci" / "config.yml"
    jobs = []
    for path in [p for p in repo.workflows() if not managed(p)] + [circle] * circle.is_file():
        text = read(path)
        try:
            config = table(read_yaml(text))
        except YamlError:
            continue  # its CI refuses it too
        reusable = table(config.get("commands"))  # CircleCI's commands, named in steps
        folder = table(table(config.get("defaults")).get("run")).get("working-directory")
        for name, job in (table(config.get("jobs")) or {"": config}).items():
            scripts = []
            shell_steps(job, str(folder or ""), reusable, scripts, ())
            jobs.append(Job(path, name, shell_lines(scripts, text.splitlines())))
    return jobs


def shell_steps(node, folder: str, reusable: dict, found: list, seen: tuple) -> None:
    """The scripts of a job's steps, in order, as (script, folder): GitHub's `run:` and
    `working-directory:`, CircleCI's `run:` (or its `command:` and `working_directory:`) and
    the reusable commands its steps name."""
    if isinstance(node, list):
        for item in node:
            name = item if isinstance(item, str) else (
                next(iter(item)) if isinstance(item, dict) and len(item) == 1 else None)
            if name in reusable and name not in seen:
                shell_steps(reusable[name], folder, reusable, found, (*seen, name))
            else:
                shell_steps(item, folder, reusable, found, seen)
    elif isinstance(node, dict):
        folder = str(table(table(node.get("defaults")).get("run")).get("working-directory")
                     or folder)
        run = node.get("run")
        if isinstance(run, str):
            found.append((run, str(node.get("working-directory") or folder)))
        elif isinstance(run, dict) and isinstance(run.get("command"), str):
            found.append((run["command"], str(run.get("working_directory") or folder)))
        for key, value in node.items():
            if key != "run":
                shell_steps(value, folder, reusable, found, seen)


def shell_lines(scripts: list[tuple[str, str]], text: list[str]) -> list[tuple[int, str, str]]:
    """The lines of these scripts (a line ending in \\ joined with the next), each with its
    line number in the file's text and the folder it runs in."""
    found, cursor = [], 0
    for script, folder in scripts:
        # A folder outside the checkout (~/repo, /tmp, $HOME/...) is taken for its root.
        folder = "" if re.match(r"[~/$]", folder) else folder
        physical = script.splitlines()
        i = 0
        while i < len(physical):
            first = line = physical[i].strip()
            while line.endswith("\\") and i + 1 < len(physical):
                i += 1
                line = line[:-1].rstrip() + " " + physical[i].strip()
            i += 1
            if not line or line.startswith("#"):
                continue
            cd = re.fullmatch(r"cd\s+([^\s;&|]+)", line)
            if cd:  # the next lines of this script run there
                folder = "" if re.match(r"[~/$]", cd[1]) else (Path(folder) / cd[1]).as_posix()
                continue
            # Its line in the file: the next that holds it, else any (a reusable command
            # is written before the job that names it).
            number = next((n for n in [*range(cursor, len(text)), *range(cursor)]
                           if first in text[n]), None)
            if number is not None:
                cursor = number + 1
            found.append((number + 1 if number is not None else 0, line, folder))
    return found


def runs_sphinx(line: str) -> bool:
    """Whether a shell line runs Sphinx itself or through make."""
    for words in commands(line):
        while words and re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]):
            words = words[1:]
        if any(Path(word).name == "sphinx-build" or (word == "sphinx" and words[i - 1:i] == ["-m"])
               for i, word in enumerate(words)):
            return True
        targets = [word for word in words[1:] if not word.startswith("-") and "=" not in word]
        if words[:1] in (["make"], ["gmake"]) and any("html" in word for word in targets):
            return True
    return False


def builds_docs(line: str) -> bool:
    """Whether a shell line builds the docs: Sphinx, make html, or a docs environment,
    session or task of tox, nox or pixi."""
    if runs_sphinx(line):
        return True
    docs = re.compile(r"(?<![a-z])docs?(?![a-z])")  # docs, build_docs, docs-build; not doctest
    for words in commands(line):
        # The tool, after what launches it (python -m tox, uvx nox, pipx run tox).
        tool = next((i for i, word in enumerate(words)
                     if word not in ("python", "python3", "-m", "uv", "uvx", "pipx", "run")), 0)
        rest = words[tool + 1:]
        options = rest[:rest.index("--")] if "--" in rest else rest  # not the tests' own
        if words[tool:tool + 1] in (["tox"], ["nox"]) and any(
                docs.search(word) for word in options if not word.startswith("--")):
            return True
        if words[tool:tool + 1] == ["pixi"] and rest[:1] == ["run"]:
            # The task: the first word that is neither an option nor an option's value.
            rest = rest[1:]
            while rest and rest[0].startswith("-"):
                rest = rest[2:] if rest[0] in ("-e", "--environment", "--manifest-path") \
                    else rest[1:]
            if rest and docs.search(rest[0]):
                return True
    return False


def project_targets(line: str) -> set[str]:
    """What a pip install line installs of this repository: the project (".", with its
    extras ".[doc]"), docs requirements files (-r), dependency groups (--group); empty for
    other lines."""
    found = set()
    for words in commands(line):
        start = next((i for i, word in enumerate(words) if word == "install" and i
                      and Path(words[i - 1]).name in ("pip", "pip3")), None)
        if start is None:
            continue
        files, extras, groups = [], [], []
        add_targets(words[start + 1:], files, extras, groups)
        project = any(re.fullmatch(r"(?:-[A-Za-z]*e=?|--editable=)?\./?(?:\[[^\]]*\])?", word)
                      for word in words[start + 1:])
        found |= {f"-r {name}" for name in files if "doc" in name.lower()}
        found |= {f"--group {name}" for name in groups}
        if project:
            found |= {"."} | {f".[{extra}]" for extra in extras}
    return found


def docs_jobs(repo: Repo) -> list[Job]:
    """The jobs that build the docs, the one whose commands could be answers first: one that
    runs Sphinx (or make) itself and installs the project."""
    jobs = [job for job in ci_jobs(repo) if job.builds]
    return sorted(jobs, key=lambda job: (not any(runs_sphinx(line) for _, line, _ in job.builds),
                                         not job.installs))


def ci_answers_due(repo: Repo) -> bool:
    """Whether the template's workflow builds the docs with the default docs_install and
    docs_build while a docs job of the project's own builds them otherwise."""
    return (repo.existing and repo.answers.get("DOCS_CI") == "template"
            and repo.default("DOCS_INSTALL") and repo.default("DOCS_BUILD")
            and bool(docs_jobs(repo)))


def own_without_github(repo: Repo) -> bool:
    """Whether docs_ci is own while no GitHub Actions job builds the docs to call the check."""
    jobs = docs_jobs(repo)
    return (repo.existing and repo.answers.get("DOCS_CI") == "own" and bool(jobs)
            and not any(job.github for job in jobs))


def ci_answers(repo: Repo) -> dict[str, str]:
    """The docs job's commands as the answers that differ from the given ones."""
    answers = docs_jobs(repo)[0].answers(repo)
    return {name: value for name, value in answers.items()
            if value != repo.answers.get(name.upper())}


def ci_fix(repo: Repo) -> list[str] | None:
    """The --data of IDS110's fix that makes the template's workflow build as the docs job
    does; None when IDS110 gives none (then IDS108 and IDS109 advise answers of their own,
    else they give this one)."""
    data = [f"{name}={value}" for name, value in ci_answers(repo).items()] if (
        ci_answers_due(repo) or own_without_github(repo)) else None
    if data is None:
        return None
    data = data or ["docs_install=<what your docs job installs with>",
                    "docs_build=<what it builds with>"]
    return ["docs_ci=template", *data] if own_without_github(repo) else data


def check_docs_ci(repo: Repo) -> None:
    """IDS110: one docs build in CI, and the example check runs in it."""
    if not repo.existing:
        return
    jobs = docs_jobs(repo)
    actions = list(dict.fromkeys(repo.rel(job.path) for job in jobs if job.github))
    if ci_answers_due(repo):
        files = list(dict.fromkeys(repo.rel(job.path) for job in jobs))
        job = jobs[0]
        yours = "; ".join(f"{job.cite(repo, [line])}: {line[1]}"
                          for line in job.installs + job.builds[:1])
        keep = copier_update(*ci_fix(repo))
        if actions:
            repo.advice("IDS110", f"{', '.join(files)} already build{'s' * (len(files) == 1)} "
                        f"the docs ({yours}), and interactive-docs.yml builds them a second "
                        "time, with the default docs_install and docs_build.",
                        f"{repo.update('docs_ci=own')} , then in {actions[0]} upload the site "
                        "and call .github/workflows/interactive-docs-check.yml (README: An "
                        f"existing project); or, to keep both builds: {keep}")
        else:
            repo.advice("IDS110", f"{', '.join(files)} builds the docs ({yours}), but the "
                        "example check runs only on GitHub Actions: there interactive-docs.yml "
                        "builds them with the default docs_install and docs_build.",
                        f"commit, then: {keep}")
    calls = [p for p in repo.workflows() if not managed(p)
             and "interactive-docs-check.yml" in read(p)]
    if repo.answers.get("DOCS_CI") != "own" or calls:
        return
    if own_without_github(repo):
        # Only a GitHub workflow can call the check: the template's workflow must build.
        repo.advice("IDS110", f"docs_ci is own, but {repo.rel(jobs[0].path)} builds the docs, "
                    "and only a GitHub Actions job can call interactive-docs-check.yml: the "
                    "examples are never run in CI.", repo.update(*ci_fix(repo)))
    else:
        job = next((job for job in jobs if job.github), None)
        repo.advice("IDS110", "docs_ci is own, but no workflow calls "
                    "interactive-docs-check.yml: the examples are never run in CI.",
                    f"in {repo.rel(job.path) if job else 'your docs workflow'}, upload the "
                    "built site (actions/upload-artifact, name: docs-html) and add a job: "
                    f"`check: {{needs: {job.name if job else '<your docs job>'}, uses: "
                    "./.github/workflows/interactive-docs-check.yml, with: "
                    "{artifact: docs-html}}`.")


# In the order of their IDs, as they report.
CHECKS = [check_pins, check_backend, check_wasm, check_read_the_docs, check_pre_commit,
          check_install, check_build, check_docs_ci]


def run(docs: Path, answers: dict) -> Repo:
    root = (docs / answers.get("PROJECT_ROOT", "..")).resolve()
    repo = Repo(root=root, docs=docs, answers=answers)
    check_project(repo)
    if check_conf(repo):
        for check in CHECKS:
            check(repo)
    return repo


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        print(__doc__.strip().splitlines()[0], "Takes no arguments.", file=sys.stderr)
        return 2
    if tomllib is None:
        print("check_setup.py needs Python 3.11 or later (it reads pyproject.toml with "
              "tomllib).", file=sys.stderr)
        return 2
    settings = HERE / "interactive_docs" / "settings.py"
    try:
        answers = read_settings(settings)
    except (OSError, SyntaxError, ValueError) as error:
        print(f"{settings} cannot be read ({error}): run `copier recopy --defaults -a "
              f"{ANSWERS}` to restore the interactive docs' files.", file=sys.stderr)
        return 1
    repo = run(HERE, answers)
    errors = sum(f.error for f in repo.findings)
    print(f"Interactive docs set-up of {repo.root.name} ({repo.docs_dir}/):")
    for finding in repo.findings:
        print(f"  {finding}")
    if not repo.findings:
        print("  nothing to change.")
    print(f"{errors} error(s), {len(repo.findings) - errors} advice: "
          + ("fix the errors before the docs build or CI runs." if errors else "ready."))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
