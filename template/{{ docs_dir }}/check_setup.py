# Managed by copier-interactive-docs: `copier update` rewrites this file.
"""Check that this repository is ready for its interactive docs, and say what to change.

    python <docs>/check_setup.py

Run it from anywhere (it finds the repository from its own place) after the copy, and after
changing the docs' set-up; the docs workflow runs it before the build. Each finding is one
line with its fix. Exit 1 when something would break the docs build or CI, 0 when there is
only advice. Standard library only: it runs before anything is installed.

It reads the answers the interactive docs were generated with from
interactive_docs/settings.py, and the repository's own files: conf.py, pyproject.toml or
setup.py, requirements files, workflows, .readthedocs.yaml, .pre-commit-config.yaml and the
docs' Makefile.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANSWERS = ".copier-answers.interactive-docs.yml"
HOOK = ('import os, sys; sys.path.insert(0, os.path.dirname(__file__)); '
        'extensions.append("interactive_docs")  # copier-interactive-docs')
MANAGED = "Managed by copier-interactive-docs"
# Build backends that compile extension modules.
COMPILED_BACKENDS = {"mesonpy": "meson-python", "scikit_build_core.build": "scikit-build-core",
                     "maturin": "maturin"}
# setup.py or pyproject.toml settings of setuptools that build extension modules.
SETUPTOOLS_EXTENSIONS = re.compile(r"\bExtension\(|\bext_modules\b|\bcythonize\(|^\s*ext-modules\s*=",
                                   re.MULTILINE)
# A workflow that builds or tests the project under Pyodide.
PYODIDE_CI = re.compile(r"CIBW_PLATFORM:\s*[\"']?pyodide|\bpyodide (build|venv)\b|pyodide-build\b",
                        re.IGNORECASE)
# A CI job that builds Sphinx docs.
DOCS_CI = re.compile(r"\bsphinx-build\b|-m sphinx\b|\bmake\b[^\n]*\bhtml\b|\btox\b[^\n]*\bdocs?\b|"
                     r"\bnox\b[^\n]*\bdocs?\b")
# pre-commit hooks that rewrite files (formatters, fixers), by id.
REWRITING_HOOKS = {
    "black", "black-jupyter", "blacken-docs", "ruff", "ruff-check", "ruff-format", "isort",
    "autopep8", "yapf", "pyupgrade", "autoflake", "docformatter", "prettier",
    "end-of-file-fixer", "trailing-whitespace", "mixed-line-ending", "pretty-format-json",
    "codespell", "nbstripout", "add-trailing-comma", "reorder-python-imports",
    "requirements-txt-fixer", "file-contents-sorter", "fix-byte-order-marker", "biome-format",
    "biome-check", "taplo-format", "yamlfix",
}
# Where projects keep their docs requirements (besides what docs_install names).
REQUIREMENT_FILES = ["requirements.txt", "requirements-doc.txt", "requirements-docs.txt",
                     "doc-requirements.txt", "docs-requirements.txt", "requirements/doc.txt",
                     "requirements/docs.txt", "requirements/documentation.txt"]
DOC_NAMES = {"doc", "docs", "documentation", "sphinx"}


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
    """The repository, the answers, and what the checks read from them."""

    root: Path
    docs: Path
    answers: dict
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

    def update(self, *data: str) -> str:
        """The copier command that changes answers."""
        return " ".join(["copier update -a", ANSWERS, *(f"--data {shlex.quote(d)}" for d in data)])

    def pyproject(self) -> dict | None:
        path = self.root / "pyproject.toml"
        if not path.is_file():
            return None
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            self.error("IDS100", f"pyproject.toml cannot be read: {error}.",
                       "make it valid TOML (pip cannot build the project either).")
            return None

    def workflows(self) -> list[Path]:
        folder = self.root / ".github" / "workflows"
        return sorted(p for p in folder.glob("*.y*ml") if p.is_file()) if folder.is_dir() else []


def managed(path: Path) -> bool:
    """Whether the template owns this file (its first line says so)."""
    try:
        with path.open(encoding="utf-8") as file:
            return MANAGED in file.readline()
    except (OSError, UnicodeDecodeError):
        return False


def read_settings(path: Path) -> dict:
    """The answers in interactive_docs/settings.py: its NAME = literal lines, never run."""
    answers = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            answers[node.targets[0].id] = ast.literal_eval(node.value)
    return answers


# ---------------------------------------------------------------------------------------------
# YAML, enough of it for .readthedocs.yaml and .pre-commit-config.yaml (no PyYAML here).

class YamlError(ValueError):
    pass


def read_yaml(text: str):
    """Block mappings and sequences, plain, quoted and block scalars, and flow lists."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or stripped in {"---", "..."}:
            lines.append((number, None, raw))
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if raw[indent:indent + 1] == "\t":
            raise YamlError(f"line {number}: a tab in the indentation")
        lines.append((number, indent, raw))
    data, end = _block(lines, 0, 0)
    rest = [n for n, indent, _ in lines[end:] if indent is not None]
    if rest:
        raise YamlError(f"line {rest[0]}: unexpected indentation")
    return data


def _next(lines, i):
    while i < len(lines) and lines[i][1] is None:
        i += 1
    return i


def _block(lines, i, indent):
    i = _next(lines, i)
    if i >= len(lines) or lines[i][1] < indent:
        return None, i
    indent = lines[i][1]
    if lines[i][2].lstrip().startswith("- ") or lines[i][2].strip() == "-":
        items = []
        while i < len(lines) and lines[i][1] == indent and lines[i][2].lstrip().startswith("-"):
            number, _, raw = lines[i]
            content = raw.strip()[1:].lstrip()
            if not content:
                value, i = _block(lines, i + 1, indent + 1)
            elif _key(content):
                # "- key: value": a mapping whose keys sit at the item's content column.
                column = indent + len(raw.lstrip()) - len(content)
                shifted = (number, column, " " * column + content)
                value, i = _mapping([shifted, *lines[i + 1:]], 0, column, lines, i)
            else:
                value, i = _scalar(content, number, lines, i + 1, indent), _skip_block(lines, i + 1, indent)
            items.append(value)
            i = _next(lines, i)
        return items, i
    return _mapping(lines, i, indent, None, None)


def _mapping(lines, i, indent, outer, outer_i):
    """A block mapping at `indent`; with `outer`, `lines` is a view starting at outer[outer_i]."""
    result = {}
    while True:
        i = _next(lines, i)
        if i >= len(lines) or lines[i][1] != indent:
            break
        number, _, raw = lines[i]
        match = _key(raw.strip())
        if not match:
            raise YamlError(f"line {number}: expected 'key: value'")
        key, value = _unquote(match[1], number), (match[2] or "").strip()
        if value and not value.startswith("#"):
            result[key] = _scalar(value, number, lines, i + 1, indent)
            i = _skip_block(lines, i + 1, indent)
        else:
            child, i = _block(lines, i + 1, indent + 1)
            if child is None:
                # A sequence may sit at the key's own indentation.
                j = _next(lines, i)
                if j < len(lines) and lines[j][1] == indent and lines[j][2].lstrip().startswith("-"):
                    child, i = _block(lines, j, indent)
            result[key] = child
    if outer is not None:
        return result, outer_i + i
    return result, i


def _key(text):
    return re.match(r"""((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?))\s*:(?:\s+(.*)|$)""", text)


def _skip_block(lines, i, indent):
    """Past the lines that belong to a value started on an earlier line (block scalars)."""
    while i < len(lines) and (lines[i][1] is None or lines[i][1] > indent):
        i += 1
    return i


def _scalar(value, number, lines, i, indent):
    value = re.sub(r"\s+#.*$", "", value) if value[:1] not in "\"'" else value
    if value[:1] in "|>":
        body = [raw for _, ind, raw in lines[i:_skip_block(lines, i, indent)]]
        width = min((len(r) - len(r.lstrip(" ")) for r in body if r.strip()), default=0)
        text = "\n".join(r[width:] for r in body).strip("\n") + "\n"
        return text if value[0] == "|" else " ".join(text.split())
    if value.startswith("["):
        if not value.rstrip().endswith("]"):
            raise YamlError(f"line {number}: a flow list that does not close on its line")
        inner = value.strip()[1:-1].strip()
        return [_unquote(part.strip(), number) for part in inner.split(",")] if inner else []
    if value.startswith("{"):
        if not value.rstrip().endswith("}"):
            raise YamlError(f"line {number}: a flow mapping that does not close on its line")
        return {}
    return _unquote(value, number)


def _unquote(value, number):
    if value[:1] in "\"'":
        quote = value[0]
        end = value.rfind(quote)
        if end == 0:
            raise YamlError(f"line {number}: a quoted value that does not close")
        if quote == "'":
            return value[1:end].replace("''", "'")
        try:
            return json.loads(value[:end + 1])  # YAML's double quotes escape as JSON's do
        except ValueError:
            return value[1:end]
    return value


def load_yaml(repo: Repo, path: Path, code: str):
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except (YamlError, UnicodeDecodeError) as error:
        repo.error(code, f"{repo.rel(path)} cannot be read as YAML: {error}.",
                   "fix the file (its own tool would refuse it too), then run this again.")
        return None


# ---------------------------------------------------------------------------------------------
# Requirements

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(text: str) -> tuple:
    release = re.match(r"\d+(?:\.\d+)*", text.strip())
    parts = [int(p) for p in release[0].split(".")] if release else [0]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def satisfies(version: str, specifiers: str) -> bool:
    """Whether a version meets every specifier (PEP 440's release-segment comparisons)."""
    for spec in filter(None, (s.strip() for s in specifiers.split(","))):
        match = re.fullmatch(r"(===|==|!=|~=|>=|<=|>|<)\s*(\S+)", spec)
        if not match:
            continue  # not a version specifier we read: give it the benefit of the doubt
        op, wanted = match.groups()
        if op in {"==", "!="} and wanted.endswith(".*"):
            prefix = version_key(wanted[:-2])
            equal = version_key(version)[:len(prefix)] + (0,) * max(0, len(prefix) - len(version_key(version))) == prefix
        else:
            equal = version_key(version) == version_key(wanted)
        have, want = version_key(version), version_key(wanted)
        ok = {"==": equal, "===": version == wanted, "!=": not equal, ">=": have >= want,
              "<=": have <= want, ">": have > want, "<": have < want,
              "~=": have >= want and have[:max(1, len(want) - 1)] == want[:max(1, len(want) - 1)]}[op]
        if not ok:
            return False
    return True


def requirement_lines(path: Path, seen: set | None = None):
    """(file, line number, requirement) of a requirements file, following -r."""
    seen = set() if seen is None else seen
    if path.resolve() in seen or not path.is_file():
        return
    seen.add(path.resolve())
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split(" #")[0].strip()
        nested = re.match(r"(?:-r|--requirement)\s*=?\s*(\S+)", line)
        if nested:
            yield from requirement_lines(path.parent / nested[1], seen)
        elif line and not line.startswith(("#", "-")):
            yield path, number, line


def install_targets(command: str) -> tuple[list[str], list[str], list[str]]:
    """What a pip command installs: requirements files, extras of the project, groups."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    files, extras, groups = [], [], []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in {"-r", "--requirement"}:
            files.append(following)
        elif word.startswith("-r") and len(word) > 2:
            files.append(word[2:])
        elif word.startswith("--requirement="):
            files.append(word.split("=", 1)[1])
        elif word == "--group":
            groups.append(following.split(":")[-1])
        elif word.startswith("--group="):
            groups.append(word.split("=", 1)[1].split(":")[-1])
        match = re.fullmatch(r"\.?/?\.?\[([^\]]+)\]", word.replace("-e", ""))
        if match:
            extras += [normalize(e.strip()) for e in match[1].split(",")]
    return files, extras, groups


def group_requirements(pyproject: dict, name: str, seen=()) -> list[str]:
    groups = pyproject.get("dependency-groups", {})
    found = []
    for entry in groups.get(name, []):
        if isinstance(entry, dict) and "include-group" in entry and entry["include-group"] not in seen:
            found += group_requirements(pyproject, entry["include-group"], (*seen, name))
        elif isinstance(entry, str):
            found.append(entry)
    return found


# ---------------------------------------------------------------------------------------------
# The checks. Each is a function that adds findings; its docstring names it.

def check_conf(repo: Repo) -> bool:
    """IDS101/IDS102: conf.py is beside this script and turns the extension on."""
    conf = repo.docs / "conf.py"
    if not conf.is_file():
        found = [repo.rel(folder) for folder in folders_with(repo.root, "conf.py")]
        where = f"conf.py is in {', '.join(found)}" if found else "no conf.py was found"
        answer = found[0] if found else "<the folder of conf.py>"
        repo.error("IDS101", f"{repo.docs_dir}/conf.py does not exist ({where}): docs_dir is "
                   "the folder of the Sphinx docs' conf.py.",
                   f"copier recopy -a {ANSWERS} --data docs_dir={answer} , then delete the "
                   f"files the first copy wrote in {repo.docs_dir}/ (git status lists them).")
        return False
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"), filename=str(conf))
    except SyntaxError as error:
        repo.error("IDS102", f"{repo.docs_dir}/conf.py does not parse: line {error.lineno}: "
                   f"{error.msg}.", "fix that line; Sphinx cannot read it either.")
        return True
    named = any(isinstance(node, ast.Constant) and node.value == "interactive_docs"
                for node in ast.walk(tree))
    if not named:
        repo.error("IDS102", f"{repo.docs_dir}/conf.py does not turn the interactive docs on: "
                   "the docs would build with no working button.",
                   f"add this line at the end of {repo.docs_dir}/conf.py, after `extensions` "
                   f"is set: {HOOK}")
    return True


def folders_with(root: Path, name: str) -> list[Path]:
    """The folders that hold a file of that name, outside hidden and build folders."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in {
            "node_modules", "_build", "build", "site-packages", "__pycache__"})
        if name in files:
            found.append(Path(folder))
    return found


def check_pins(repo: Repo) -> None:
    """IDS103: the project's docs requirements do not pin what requirements-interactive.txt pins
    to other versions."""
    ours = repo.docs / repo.answers.get("REQUIREMENTS", "requirements-interactive.txt")
    if repo.answers.get("PROJECT_KIND") == "new" or not ours.is_file():
        return
    pins = {}
    for _, _, line in requirement_lines(ours):
        match = re.match(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", line)
        if match:
            pins[normalize(match[1])] = match[2]
    files, extras, groups = install_targets(repo.answers.get("DOCS_INSTALL", ""))
    sources = [repo.root / f for f in files]
    if (repo.docs / "requirements.txt").is_file():
        sources.append(repo.docs / "requirements.txt")
    sources += read_the_docs_requirements(repo)
    lines = []
    seen: set = set()
    for source in sources:
        lines += list(requirement_lines(source, seen))
    pyproject = repo.pyproject() or {}
    optional = {normalize(k): v for k, v in pyproject.get("project", {}).get(
        "optional-dependencies", {}).items()}
    text = (repo.root / "pyproject.toml").read_text(encoding="utf-8") if pyproject else ""
    for entry in [r for e in extras for r in optional.get(e, [])] + [
            r for g in groups for r in group_requirements(pyproject, g)]:
        number = next((n for n, line in enumerate(text.splitlines(), 1) if entry in line), 0)
        lines.append((repo.root / "pyproject.toml", number, entry))
    for path, number, line in lines:
        match = REQUIREMENT.match(line)
        if not match or normalize(match[1]) not in pins:
            continue
        name, wanted = normalize(match[1]), pins[normalize(match[1])]
        if not satisfies(wanted, match[3]):
            repo.error("IDS103", f"{repo.rel(path)}:{number} asks for {line.strip()}, but "
                       f"{repo.rel(ours)} pins {name}=={wanted}: pip cannot install both "
                       "(ResolutionImpossible).",
                       f"delete that requirement of {name} ({repo.rel(ours)} pins it, for the "
                       "kernel the examples are tested with).")


def read_the_docs_config(repo: Repo) -> Path | None:
    for name in [".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yaml", "readthedocs.yml"]:
        if (repo.root / name).is_file():
            return repo.root / name
    return None


def read_the_docs_requirements(repo: Repo) -> list[Path]:
    path = read_the_docs_config(repo)
    if path is None or managed(path):
        return []
    try:
        config = read_yaml(path.read_text(encoding="utf-8"))
    except (YamlError, UnicodeDecodeError):
        return []  # check_read_the_docs says so
    install = ((config or {}).get("python") or {}).get("install") or []
    return [repo.root / item["requirements"] for item in install
            if isinstance(item, dict) and isinstance(item.get("requirements"), str)]


def check_backend(repo: Repo) -> None:
    """IDS104: package_kind matches the build backend (compiled extensions or not)."""
    pyproject = repo.pyproject()
    setup_py = repo.root / "setup.py"
    if pyproject is None and not setup_py.is_file():
        if not (repo.root / "pyproject.toml").is_file():
            repo.error("IDS104", f"neither pyproject.toml nor setup.py is at {repo.root}: the "
                       "docs build makes a wheel of the project from there.",
                       "run this from the repository of the project (docs_dir is relative to "
                       "its root), or add a pyproject.toml.")
        return
    backend = ((pyproject or {}).get("build-system") or {}).get("build-backend",
                                                                "setuptools.build_meta")
    compiled = COMPILED_BACKENDS.get(backend)
    if compiled is None and backend.startswith("setuptools"):
        texts = [setup_py.read_text(encoding="utf-8")] if setup_py.is_file() else []
        texts.append((repo.root / "pyproject.toml").read_text(encoding="utf-8")
                     if pyproject is not None else "")
        if any(SETUPTOOLS_EXTENSIONS.search(text) for text in texts):
            compiled = "setuptools with extension modules"
    kind = repo.answers.get("PACKAGE_KIND")
    if compiled and kind == "pure":
        repo.error("IDS104", f"the project builds with {compiled}, which compiles extension "
                   "modules, but package_kind is pure: the docs build would make a native "
                   "wheel that no browser can install.", repo.update("package_kind=compiled"))
    elif not compiled and kind == "compiled":
        repo.advice("IDS104", f"the project builds with {backend}, which makes a pure-Python "
                    "wheel, but package_kind is compiled: the docs would wait for a Pyodide "
                    "wheel they do not need.", repo.update("package_kind=pure"))


def check_wasm(repo: Repo) -> None:
    """IDS105: one WebAssembly workflow, and the one the docs workflow calls exists."""
    own = [p for p in repo.workflows() if not managed(p)
           and PYODIDE_CI.search(p.read_text(encoding="utf-8", errors="replace"))]
    wanted = repo.answers.get("PYODIDE_WHEEL_WORKFLOW")
    if own and repo.answers.get("WASM_WORKFLOW") and repo.answers.get("PROJECT_KIND") == "existing":
        names = ", ".join(repo.rel(p) for p in own)
        data = ["wasm_workflow=false"]
        if repo.answers.get("PACKAGE_KIND") == "compiled":
            data.append(f"pyodide_wheel_workflow={own[0].name}")
        repo.advice("IDS105", f"{names} already builds or tests the project under Pyodide, "
                    "and the copy added .github/workflows/wasm.yml beside it.",
                    f"{repo.update(*data)} , then delete .github/workflows/wasm.yml.")
    if wanted and repo.answers.get("PACKAGE_KIND") == "compiled" \
            and not repo.answers.get("WASM_WORKFLOW"):
        path = repo.root / ".github" / "workflows" / wanted
        text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
        if not text:
            repo.error("IDS105", f"pyodide_wheel_workflow names .github/workflows/{wanted}, "
                       "which does not exist: the docs workflow calls it.",
                       repo.update("pyodide_wheel_workflow=<your workflow's file name>"))
        elif "workflow_call" not in text or "pyodide-wheel" not in text:
            repo.error("IDS105", f".github/workflows/{wanted} is called by the docs workflow "
                       "for the project's Pyodide wheel, but it "
                       + ("has no workflow_call trigger" if "workflow_call" not in text else
                          "uploads no artifact named pyodide-wheel") + ".",
                       "add `workflow_call:` under its `on:`, and a step that uploads the "
                       "wheel: actions/upload-artifact with name: pyodide-wheel.")


def check_read_the_docs(repo: Repo) -> None:
    """IDS106: Read the Docs installs the interactive docs' pins."""
    path = read_the_docs_config(repo)
    hosting = repo.answers.get("HOSTING", "github-pages")
    if path is None:
        if hosting != "github-pages":
            repo.error("IDS106", "hosting includes Read the Docs, but there is no "
                       ".readthedocs.yaml.", f"copier recopy -a {ANSWERS} (it writes one).")
        return
    if managed(path):
        return
    config = load_yaml(repo, path, "IDS106")
    if config is None:
        return
    requirements = f"{repo.docs_dir}/{repo.answers.get('REQUIREMENTS', 'requirements-interactive.txt')}"
    text = path.read_text(encoding="utf-8")
    if requirements in text:
        return
    build = (config or {}).get("build") or {}
    jobs = build.get("jobs") or {} if isinstance(build, dict) else {}
    if isinstance(build, dict) and build.get("commands"):
        fix = (f"in build: commands:, after your install command, add the line "
               f"`- python -m pip install -r {requirements}`.")
    elif isinstance(jobs, dict) and jobs.get("install"):
        fix = f"under build: jobs: install:, add `- python -m pip install -r {requirements}`."
    elif isinstance(config.get("python"), dict) and config["python"].get("install"):
        fix = (f"under python: install:, add `- requirements: {requirements}` (after your own "
               "requirements).")
    else:
        fix = (f"add this at the top level: python: {{install: [{{requirements: {requirements}}}, "
               "{path: .}]}")
    repo.error("IDS106", f"{repo.rel(path)} does not install {requirements}: Read the Docs "
               "would fail at the conf.py line (no jupyterlite_sphinx).", fix)


def owned_files(repo: Repo) -> list[str]:
    docs = repo.docs
    paths = [p for p in docs.rglob("*") if p.is_file() and (
        p.is_relative_to(docs / "interactive_docs") or p.is_relative_to(docs / "jupyterlite")
        or p.name.startswith("interactive-docs") or p.name in {
            "check_examples.py", "check_setup.py", "requirements-interactive.txt",
            "requirements-check-examples.txt", "interactive_examples.rst"})
        and "_build" not in p.parts and "__pycache__" not in p.parts]
    paths += [p for p in repo.workflows() if managed(p)]
    paths += [p for p in (repo.root / "tools" / "pyodide-tests").glob("*") if p.is_file()]
    return sorted(repo.rel(p) for p in paths)


def check_pre_commit(repo: Repo) -> None:
    """IDS107: the project's pre-commit hooks leave the template's files alone."""
    path = repo.root / ".pre-commit-config.yaml"
    if not path.is_file():
        return
    config = load_yaml(repo, path, "IDS107")
    if not isinstance(config, dict):
        return
    ids = sorted({hook.get("id") for r in config.get("repos") or [] if isinstance(r, dict)
                  for hook in r.get("hooks") or [] if isinstance(hook, dict)} & REWRITING_HOOKS)
    if not ids:
        return
    exclude = config.get("exclude") or ""
    try:
        covered = re.compile(exclude) if exclude else None
    except re.error:
        covered = None
    touched = [p for p in owned_files(repo) if not (covered and covered.search(p))]
    if not touched:
        return
    docs = re.escape(repo.docs_dir)
    pattern = (f"^({docs}/(interactive_docs|jupyterlite)/|{docs}/_static/interactive-docs|"
               f"{docs}/(check_examples|check_setup)\\.py$|{docs}/requirements-(interactive|"
               "check-examples)\\.txt$|\\.github/workflows/(interactive-docs|wasm)|tools/pyodide-tests/)")
    fix = (f"add this line at the top level of .pre-commit-config.yaml: exclude: '{pattern}'"
           if not exclude else f"extend your top-level exclude with |{pattern}")
    repo.advice("IDS107", f".pre-commit-config.yaml runs {', '.join(ids)}, which would rewrite "
                f"{len(touched)} files the template owns (e.g. {touched[0]}), and each "
                "`copier update` would then conflict with it.", fix)


def check_install(repo: Repo) -> None:
    """IDS108: docs_install installs what the repository keeps for its docs."""
    command = repo.answers.get("DOCS_INSTALL", "")
    if repo.answers.get("PROJECT_KIND") == "new" or not command:
        return
    files, extras, groups = install_targets(command)
    pyproject = repo.pyproject() or {}
    optional = {normalize(k) for k in pyproject.get("project", {}).get("optional-dependencies", {})}
    declared = set(pyproject.get("dependency-groups", {}))
    missing = [f"-r {name}, which does not exist" for name in files
               if not (repo.root / name).is_file()]
    missing += [f"the extra [{name}], which pyproject.toml does not declare" for name in extras
                if name not in optional]
    missing += [f"the dependency group {name}, which pyproject.toml does not declare"
                for name in groups if name not in declared]
    if missing:
        repo.error("IDS108", f"docs_install ({command}) installs {'; '.join(missing)}.",
                   repo.update(f"docs_install={suggest_install(repo) or '<your install command>'}"))
        return
    # What the repository keeps for its docs, that the answer leaves out.
    unused = [f"the extra [{e}]" for e in sorted(optional & DOC_NAMES) if e not in extras]
    unused += [f"the dependency group {g}" for g in sorted(declared) if normalize(g) in DOC_NAMES
               and g not in groups]
    named = {(repo.root / f).resolve() for f in files}
    unused += [f"{repo.rel(p)}" for p in candidate_files(repo) if p.resolve() not in named]
    if unused:
        repo.advice("IDS108", f"the repository keeps docs requirements in {', '.join(unused)}, "
                    f"which docs_install ({command}) does not install.",
                    repo.update(f"docs_install={suggest_install(repo)}"))


def candidate_files(repo: Repo) -> list[Path]:
    found = [repo.docs / name for name in REQUIREMENT_FILES] + [
        repo.root / name for name in REQUIREMENT_FILES[1:]]
    found += read_the_docs_requirements(repo)
    unique = []
    for path in found:
        if path.is_file() and path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    return unique


def suggest_install(repo: Repo) -> str:
    """The install command the repository's own layout suggests."""
    pyproject = repo.pyproject() or {}
    extras = [e for e in pyproject.get("project", {}).get("optional-dependencies", {})
              if normalize(e) in DOC_NAMES]
    if extras:
        return f'python -m pip install ".[{extras[0]}]"'
    groups = [g for g in pyproject.get("dependency-groups", {}) if normalize(g) in DOC_NAMES]
    if groups:
        return f"python -m pip install --group {groups[0]} ."
    files = candidate_files(repo)
    if files:
        return f"python -m pip install -r {repo.rel(files[0])} ."
    return ""


def makefile(repo: Repo) -> Path | None:
    for folder in [repo.docs, repo.docs.parent]:
        path = folder / "Makefile"
        if path.is_file() and re.search(r"^html\s*:|sphinx-build|SPHINXBUILD",
                                        path.read_text(encoding="utf-8", errors="replace"),
                                        re.MULTILINE):
            return path
    return None


def built_by(repo: Repo, command: str) -> str | None:
    """The folder a docs_build command writes its HTML to, where it can be read."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    make = next((i for i, w in enumerate(words) if w == "make"), None)
    if make is not None:
        folder = repo.root
        for i, word in enumerate(words[make:], make):
            if word == "-C" and i + 1 < len(words):
                folder = repo.root / words[i + 1]
        path = folder / "Makefile"
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        builddir = re.search(r"^BUILDDIR\s*[:?]?=\s*(\S+)", text, re.MULTILINE)
        override = next((w.split("=", 1)[1] for w in words if w.startswith("BUILDDIR=")), None)
        builddir = override or (builddir[1] if builddir else None)
        return repo.rel(folder / builddir / "html") if builddir else None
    if "sphinx-build" in words or "sphinx" in words:
        options_with_value = {"-b", "-M", "-D", "-c", "-d", "-j", "-t", "-w", "-A", "--jobs",
                              "--builder", "--define", "--doctree-dir", "--conf-dir",
                              "--tag", "--warning-file", "--html-define"}
        start = words.index("sphinx-build" if "sphinx-build" in words else "sphinx") + 1
        positional, i = [], start
        while i < len(words):
            if words[i] in options_with_value:
                i += 2
                continue
            if not words[i].startswith("-"):
                positional.append(words[i])
            i += 1
        if "-M" in words and len(positional) >= 2:
            return repo.rel(repo.root / positional[1] / words[words.index("-M") + 1])
        if len(positional) >= 2:
            return repo.rel(repo.root / positional[1])
    return None


def check_build(repo: Repo) -> None:
    """IDS109: docs_build builds as the repository does, into docs_html, never from sources."""
    command = repo.answers.get("DOCS_BUILD", "")
    html = repo.answers.get("DOCS_HTML", "")
    if not command:
        return
    writes = built_by(repo, command)
    if writes and html and writes != html:
        repo.error("IDS109", f"docs_build ({command}) writes the site to {writes}, but "
                   f"docs_html is {html}: the check and the deployment would find no site.",
                   repo.update(f"docs_html={writes}"))
    found = makefile(repo)
    if found and "make" not in command.split() and repo.answers.get("PROJECT_KIND") == "existing":
        folder = repo.rel(found.parent)
        target = f"make -C {folder} html" if folder != "." else "make html"
        repo.advice("IDS109", f"{repo.rel(found)} builds the docs, but docs_build calls Sphinx "
                    "itself: the site may differ from yours (steps before Sphinx, options).",
                    repo.update(f"docs_build={target}", f"docs_html={built_by(repo, target) or html}"))
    flat = any((repo.root / p / "__init__.py").is_file() for p in package_names(repo))
    if re.search(r"(python3?|\$\(PYTHON\))\s+-m\s+sphinx\b", command) \
            and repo.answers.get("PACKAGE_KIND") == "compiled" and flat:
        repo.error("IDS109", f"docs_build runs `python -m sphinx` from the repository root, "
                   "which puts the uncompiled source tree first on the import path.",
                   repo.update(f"docs_build={command.replace('python -m sphinx', 'sphinx-build')}"))


def package_names(repo: Repo) -> list[str]:
    name = repo.answers.get("DISTRIBUTION", "")
    return sorted({name.replace("-", "_"), repo.answers.get("PACKAGE_NAME", "")} - {""})


def check_docs_ci(repo: Repo) -> None:
    """IDS110: one docs build in CI, and the example check runs in it."""
    if repo.answers.get("PROJECT_KIND") != "existing":
        return
    theirs = [p for p in repo.workflows() if not managed(p)]
    circle = repo.root / ".circleci" / "config.yml"
    builders = [p for p in theirs + ([circle] if circle.is_file() else [])
                if DOCS_CI.search(p.read_text(encoding="utf-8", errors="replace"))]
    calls = [p for p in theirs if "interactive-docs-check.yml" in p.read_text(
        encoding="utf-8", errors="replace")]
    if repo.answers.get("DOCS_CI") == "template" and builders:
        lines = [f"{repo.rel(p)}:{n}: {line.strip()}" for p in builders
                 for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace")
                                          .splitlines(), 1)
                 if re.search(r"pip install|sphinx-build|-m sphinx|make\b.*html", line)][:4]
        repo.advice("IDS110", f"{', '.join(repo.rel(p) for p in builders)} already builds the "
                    "docs, and interactive-docs.yml builds them a second time"
                    + (f" (yours runs: {'; '.join(lines)})" if lines else "") + ".",
                    f"{repo.update('docs_ci=own')} , then call "
                    ".github/workflows/interactive-docs-check.yml from your docs workflow "
                    "(README: An existing project); or keep both and make docs_install and "
                    "docs_build the commands your job runs.")
    if repo.answers.get("DOCS_CI") == "own" and not calls:
        repo.advice("IDS110", "docs_ci is own, but no workflow calls "
                    "interactive-docs-check.yml: the examples are never run in CI.",
                    "in your docs workflow, upload the built site (actions/upload-artifact, "
                    "name: docs-html) and add a job: `check: {needs: <your docs job>, uses: "
                    "./.github/workflows/interactive-docs-check.yml, with: {artifact: docs-html}}`.")


CHECKS = [check_backend, check_pins, check_install, check_build, check_wasm,
          check_read_the_docs, check_pre_commit, check_docs_ci]


def run(docs: Path) -> Repo:
    settings = docs / "interactive_docs" / "settings.py"
    answers = read_settings(settings)
    root = (docs / answers.get("PROJECT_ROOT", "..")).resolve()
    repo = Repo(root=root, docs=docs, answers=answers)
    if check_conf(repo):
        for check in CHECKS:
            check(repo)
    return repo


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        print(__doc__.strip().splitlines()[0], "Takes no arguments.", file=sys.stderr)
        return 2
    settings = HERE / "interactive_docs" / "settings.py"
    if not settings.is_file():
        print(f"{settings} is missing: run `copier recopy -a {ANSWERS}` to restore the "
              "interactive docs' files.", file=sys.stderr)
        return 1
    repo = run(HERE)
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
