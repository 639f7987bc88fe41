"""Bad input: a wrong answer stops the copy before anything is written, and every valid
combination of answers renders files that load, with each text arriving exactly as typed."""

from __future__ import annotations

import ast
import json
import keyword
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import mistune
import pytest
import yaml
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import roles
from docutils.utils import column_width
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sphinx.util.docutils import docutils_namespace

from conftest import ANSWERS_FILE, ROOT, render
from test_copy import run_conf_py

QUESTIONS = {
    name: question if isinstance(question, dict) else {"default": question}
    for name, question in yaml.safe_load((ROOT / "copier.yml").read_text()).items()
    if not name.startswith("_")
}
FREE_TEXT = sorted(name for name, question in QUESTIONS.items()
                   if "choices" not in question and question.get("type", "str") in {"str", "yaml"})


def choice_values(question: dict) -> list:
    choices = question["choices"]
    values = choices.values() if isinstance(choices, dict) else choices
    return [value["value"] if isinstance(value, dict) else value[1] if isinstance(value, list)
            else value for value in values]


# The start of each validator's message in copier.yml.
ONE_LINE = "Use one line of 1 to {} printable characters"
PROJECT_NAME = ONE_LINE.format(80) + ', without "<" or ">"'
IDENTIFIER = "Use a Python identifier of up to 80 characters that is not a keyword"
PEP_508 = "Use a PEP 508 name of up to 100 characters"
HTTPS_URL = "Use an https:// URL of up to 200 characters"
DOCS_URL = "Leave it empty, or use an https:// URL of up to 200 characters"
DOCS_DIR = "Use a relative folder inside the repository"
BUTTON = ONE_LINE.format(60) + ', without "<" or ">" (the text goes into the page\'s HTML'
A_LIST = "Give a YAML list of up to 50 regular expressions"
WORKFLOW = "Give the file name of a workflow in .github/workflows"
PREAMBLE = "Use up to 2000 printable characters of Python, on one or more lines, with no tabs"
EACH_PATTERN = "Each ignore pattern must be one line of 1 to 200 printable characters"
PYTHON_ONLY = "uses Python-only syntax that browsers reject"
COMMAND = "Use one shell command line of 1 to 300 printable characters"
DOCS_HTML = "Use a relative folder inside the repository, up to 100 characters, other than docs_dir"
INJECTION = '"); import os; os.system("x") #'

# (question, answer as typed after --data, start of the message that rejects it)
BAD_ANSWERS = [
    ("project_name", "", PROJECT_NAME),
    ("project_name", 'Evil"""\nimport os', PROJECT_NAME),
    ("project_name", "Signal Tools\n", PROJECT_NAME),
    ("project_name", "x" * 81, PROJECT_NAME),
    ("project_name", " Signal Tools", PROJECT_NAME),
    ("project_name", "<script>alert(1)</script>", PROJECT_NAME),
    ("project_name", "Signal\tTools", PROJECT_NAME),
    ("package_name", "import", IDENTIFIER),
    ("package_name", "1signal", IDENTIFIER),
    ("package_name", "signal-tools", IDENTIFIER),
    ("package_name", INJECTION, IDENTIFIER),
    ("package_name", "signal_tools\n", IDENTIFIER),
    ("package_name", "{{ 7*7 }}", IDENTIFIER),
    ("package_name", "sïgnal", IDENTIFIER),
    ("distribution_name", "-signal-tools", PEP_508),
    ("distribution_name", "signal tools", PEP_508),
    ("distribution_name", "s" * 101, PEP_508),
    ("description", '"""\nimport os\nos.system("x")\n"""', ONE_LINE.format(200)),
    ("description", "d" * 201, ONE_LINE.format(200)),
    ("description", "Next line\x85here", ONE_LINE.format(200)),
    ("author", "Ada\x00Lovelace", ONE_LINE.format(100)),
    ("author", "Ada Lovelace ", ONE_LINE.format(100)),
    ("repository_url", "http://github.com/me/signal-tools", HTTPS_URL),
    ("repository_url", "https://github.com/me/signal-tools?tab=readme", HTTPS_URL),
    ("repository_url", "https://github.com/me/x" + INJECTION, HTTPS_URL),
    ("repository_url", "github.com/me/signal-tools", HTTPS_URL),
    ("repository_url", "https://github.com/" + "a" * 190, HTTPS_URL),
    ("docs_url", "http://signal-tools.readthedocs.io/", DOCS_URL),
    ("docs_url", "https://signal-tools.readthedocs.io/?x=1", DOCS_URL),
    ("docs_url", "https://x.io/" + INJECTION, DOCS_URL),
    ("docs_url", "https://x.io/\n", DOCS_URL),
    ("docs_dir", "../docs", DOCS_DIR),
    ("docs_dir", "/srv/docs", DOCS_DIR),
    ("docs_dir", "docs/../..", DOCS_DIR),
    ("docs_dir", "docs/", DOCS_DIR),
    ("docs_dir", ".docs", DOCS_DIR),
    ("docs_dir", "-docs", DOCS_DIR),
    ("docs_dir", "doc source", DOCS_DIR),
    ("docs_dir", "src/docs", DOCS_DIR),
    ("docs_dir", "{{ docs }}", DOCS_DIR),
    ("docs_install", "pip install .\nrm -rf /", COMMAND),
    ("docs_install", "pip install ${{ github.token }}", COMMAND),
    ("docs_install", " pip install .", COMMAND),
    ("docs_install", "p" * 301, COMMAND),
    ("docs_build", "make html\r", COMMAND),
    ("docs_build", "make ${{ inputs.target }}", COMMAND),
    ("docs_build", "", COMMAND),
    ("docs_html", "../site", DOCS_HTML),
    ("docs_html", "/srv/site", DOCS_HTML),
    ("docs_html", "docs/../../site", DOCS_HTML),
    ("docs_html", "docs", DOCS_HTML),
    ("docs_html", ".site", DOCS_HTML),
    ("docs_html", "doc build/html", DOCS_HTML),
    ("button_text", "<b>Try it</b>", BUTTON),
    ("button_text", "b" * 61, BUTTON),
    ("button_text", "Try\nit", BUTTON),
    ("warning_text", "Line one\nline two", ONE_LINE.format(400)),
    ("warning_text", "w" * 401, ONE_LINE.format(400)),
    ("warning_text", "Line one\u2028line two", ONE_LINE.format(400)),
    ("example_preamble", "import numpy as np\n\tx = 1", PREAMBLE),
    ("example_preamble", "import numpy as np\r\n", PREAMBLE),
    ("example_preamble", "x = 1\x00", PREAMBLE),
    ("example_preamble", "x = 1\n" * 400, PREAMBLE),
    ("pyodide_wheel_workflow", "../emscripten.yml", WORKFLOW),
    ("pyodide_wheel_workflow", "emscripten", WORKFLOW),
    ("pyodide_wheel_workflow", "emscripten.yml\n", WORKFLOW),
    ("ignore_patterns", '["("]', "missing ), unterminated subpattern at position 0"),
    ("ignore_patterns", '["*.html"]', "nothing to repeat at position 0"),
    ("ignore_patterns", '"reference/.*"', A_LIST),
    ("ignore_patterns", "{pattern: reference}", A_LIST),
    ("ignore_patterns", str(["p"] * 51), A_LIST),
    ("ignore_patterns", '[""]', EACH_PATTERN),
    ("ignore_patterns", "[42]", EACH_PATTERN),
    ("ignore_patterns", '["reference\\nlegacy"]', EACH_PATTERN),
    ("ignore_patterns", '["(?P<name>x)"]', 'Ignore pattern "(?P<name>x)" ' + PYTHON_ONLY),
    ("ignore_patterns", '["(?i)reference"]', 'Ignore pattern "(?i)reference" ' + PYTHON_ONLY),
]


def snapshot(root: Path) -> dict[str, bytes | None]:
    return {str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
            for path in sorted(root.rglob("*"))}


def existing_destination(root: Path) -> Path:
    """A repository with files of its own, some where the template would write."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "conf.py").write_text('project = "mine"\n')
    (root / "README.md").write_text("# Mine\n")
    return root


def test_every_question_is_answerable_and_covered():
    for name, question in QUESTIONS.items():
        assert question.get("help") and "default" in question, name
    for name in FREE_TEXT:
        assert QUESTIONS[name].get("validator"), f"{name} takes free text but has no validator"
    # A new free-text question needs bad cases above and a strategy for valid text below.
    assert {question for question, _, _ in BAD_ANSWERS} == set(FREE_TEXT)
    assert set(VALID_TEXT) == set(FREE_TEXT)
    assert len(BAD_ANSWERS) >= 30


@pytest.mark.parametrize(("question", "answer", "message"), BAD_ANSWERS,
                         ids=[f"{q}-{i}" for i, (q, _, _) in enumerate(BAD_ANSWERS)])
def test_bad_answer_stops_the_copy_before_anything_is_written(
        copier_template, tmp_path, question, answer, message):
    missing = tmp_path / "new-project"
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        render(copier_template, missing, **{question: answer})
    assert str(error.value).startswith(f"Validation error for question '{question}': ")
    assert not missing.exists()

    existing = existing_destination(tmp_path / "existing-project")
    before = snapshot(existing)
    with pytest.raises(ValueError, match=re.escape(message)):
        render(copier_template, existing, **{question: answer})
    assert snapshot(existing) == before


@pytest.mark.parametrize("jobs", [0, 21, -1])
def test_a_number_of_check_jobs_out_of_range_stops_the_copy(copier_template, tmp_path, jobs):
    existing = existing_destination(tmp_path / "project")
    before = snapshot(existing)
    with pytest.raises(ValueError, match="Use a whole number of jobs from 1 to 20"):
        render(copier_template, existing, check_jobs=jobs)
    assert snapshot(existing) == before


CHOICE_QUESTIONS = sorted(name for name, question in QUESTIONS.items() if "choices" in question)


@pytest.mark.parametrize("question", CHOICE_QUESTIONS)
def test_answer_outside_the_choices_stops_the_copy(copier_template, tmp_path, question):
    existing = existing_destination(tmp_path / "project")
    before = snapshot(existing)
    with pytest.raises(ValueError, match=f"Invalid choice for '{question}'"):
        render(copier_template, existing, **{question: "not-a-choice"})
    assert snapshot(existing) == before


@pytest.mark.parametrize(("question", "answer", "message"), [
    ("package_name", INJECTION, IDENTIFIER),
    ("docs_dir", "../outside", DOCS_DIR),
    ("ignore_patterns", '["("]', "missing ), unterminated subpattern at position 0"),
])
def test_cli_exits_non_zero_with_the_validator_message(
        copier_template, tmp_path, question, answer, message):
    existing = existing_destination(tmp_path / "project")
    before = snapshot(existing)
    result = subprocess.run(
        [sys.executable, "-m", "copier", "copy", "--defaults", "--data", f"{question}={answer}",
         str(copier_template), str(existing)],
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    # Under --defaults/--data copier reports a bad answer as a traceback ending in the message.
    assert "Traceback" in result.stderr
    assert f"Validation error for question '{question}': {message}" in result.stderr
    assert snapshot(existing) == before


# Valid but awkward text: quotes, backslashes, escapes, template and markup syntax, code,
# non-ASCII letters, emoji (also joined), combining marks, invisible and bidi characters.
AWKWARD = [
    '"', "'", "\\", '"""', "'''", '\\"', "\\n", "\\N{BULLET}", "\\x00", "\\u0041",
    "{{ 7*7 }}", "{%", "%}", "{#", "${HOME}", "$(id)", "`id`", INJECTION,
    ".. include:: /etc/passwd", "::", "*", "**", "_", "|", "[1]_", "# ", "- ", "1. ", "A. ",
    "&amp;", "$x$", "[x](https://e.org)", "~~", "====", "---", ">>> ", ":role:`x`",
    "日本語", "Ελληνικά", "العربية", "🐍", "👩‍🔬", "e\u0301", "\u200b", "\u202e", "\ufeff", "Ω",
]
PRINTABLE_EXCLUDED = "\u2028\u2029\ufffe\uffff"  # with categories Cc and Cs


def one_line(limit: int, without: str = "") -> st.SearchStrategy[str]:
    """Text a one-line validator accepts: printable, trimmed, 1 to `limit` characters."""
    characters = st.characters(exclude_categories=("Cc", "Cs"),
                               exclude_characters=PRINTABLE_EXCLUDED + without)
    piece = st.one_of(st.sampled_from([text for text in AWKWARD if not set(text) & set(without)]),
                      st.text(characters, min_size=1, max_size=limit))
    return (st.one_of(st.lists(piece, min_size=1, max_size=6).map("".join),
                      st.text(characters, min_size=limit, max_size=limit))
            .map(lambda text: text[:limit].strip()).filter(bool))


REGEXES = [".*", "generated/.*_private", "^api/", "[Rr]eference", "(?:legacy|old)/",
           "x(?=y)", "(?<!a)b", "\\d+\\.html$", "a{2,3}", "[^/]+/index"]
VALID_TEXT = {
    "project_name": one_line(80, without="<>"),
    "package_name": st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,79}", fullmatch=True)
                      .filter(lambda name: not keyword.iskeyword(name)),
    "distribution_name": st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?",
                                       fullmatch=True),
    "description": one_line(200),
    "author": one_line(100),
    "repository_url": st.from_regex(
        r"https://[A-Za-z0-9]([A-Za-z0-9.-]{0,30}[A-Za-z0-9])?(:[0-9]{1,5})?"
        r"(/[A-Za-z0-9._~%+-]{1,30}){0,4}/?", fullmatch=True),
    "docs_url": st.one_of(st.just(""), st.from_regex(
        r"https://[A-Za-z0-9]([A-Za-z0-9.-]{0,30}[A-Za-z0-9])?(:[0-9]{1,5})?"
        r"(/[A-Za-z0-9._~%+-]{1,30}){0,4}/?", fullmatch=True)),
    "docs_dir": st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,19}(/[A-Za-z0-9_][A-Za-z0-9_-]{0,19}){0,3}",
                              fullmatch=True).filter(lambda d: d.split("/")[0] not in {"src", "tests"}),
    # Shell lines: GitHub would read "${{" as an expression.
    "docs_install": one_line(300).filter(lambda line: "${{" not in line),
    "docs_build": one_line(300).filter(lambda line: "${{" not in line),
    "docs_html": st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,19}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,19}){0,3}",
                               fullmatch=True).filter(lambda d: ".." not in d.split("/")),
    "button_text": one_line(60, without="<>"),
    "warning_text": one_line(400),
    # Lines of Python: printable text, newlines between.
    "example_preamble": st.one_of(st.just(""), st.lists(one_line(60), min_size=1, max_size=5)
                                  .map("\n".join)),
    "pyodide_wheel_workflow": st.one_of(st.just(""), st.from_regex(
        r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}\.ya?ml", fullmatch=True)),
    "ignore_patterns": st.lists(st.one_of(st.sampled_from(REGEXES), one_line(100).map(re.escape)),
                                max_size=5),
}
# Left out at times, so that their defaults, made from project_name, are checked too.
DERIVED_FROM_PROJECT_NAME = {"author"}


def answer_combinations() -> st.SearchStrategy[dict]:
    required, optional = {}, {}
    for name, question in QUESTIONS.items():
        if name in VALID_TEXT:
            strategy = VALID_TEXT[name]
        elif "choices" in question:
            strategy = st.sampled_from(choice_values(question))
        elif question.get("type") == "bool":
            strategy = st.booleans()
        elif question.get("type") == "int":
            strategy = st.integers(1, 20)
        else:
            raise AssertionError(f"no strategy for question {name}")
        (optional if name in DERIVED_FROM_PROJECT_NAME else required)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional).filter(
        lambda answers: answers["docs_html"] != answers["docs_dir"])


def assert_files_load(project: Path) -> None:
    for path in project.rglob("*"):
        if path.suffix == ".py":
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        elif path.suffix in {".json", ".ipynb"}:
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(path.read_text(encoding="utf-8"))


def plain_text(node: nodes.Element) -> str:
    """The text of a reST paragraph or title that must hold no markup at all.

    A URL or an e-mail address typed as text becomes a link to itself, as on any page.
    """
    for child in node.children:
        assert isinstance(child, nodes.Text) or (
            isinstance(child, nodes.reference)
            and child["refuri"] in {child.astext(), f"mailto:{child.astext()}"}), node
    return node.astext()


def assert_index_rst(index: Path, answers: dict) -> None:
    lines = index.read_text(encoding="utf-8").splitlines()
    overline, title, underline = lines[:3]
    assert overline == underline and set(underline) == {"="}
    assert len(underline) >= column_width(title)
    # The title and the paragraphs before the first directive, parsed as Sphinx would.
    intro = index.read_text(encoding="utf-8").split("\n.. ")[0]
    with docutils_namespace():
        roles.register_local_role("doc", roles.GenericRole("doc", nodes.inline))
        doctree = publish_doctree(intro, settings_overrides={
            "report_level": 5, "halt_level": 5, "warning_stream": False})
    assert not list(doctree.findall(nodes.system_message))
    assert doctree["title"] == answers["project_name"]
    assert plain_text(doctree[0]) == answers["project_name"]
    paragraphs = list(doctree.findall(nodes.paragraph))
    assert plain_text(paragraphs[0]) == answers["description"]
    assert f'"{answers["button_text"]}"' in paragraphs[1].astext()


def markdown_text(tokens: list[dict]) -> str:
    """The text of Markdown tokens that must hold no markup at all."""
    assert {token["type"] for token in tokens} == {"text"}, tokens
    return "".join(token["raw"] for token in tokens)


def assert_readme(readme: Path, answers: dict) -> None:
    # GitHub's extensions that change text; bare URLs becoming links to themselves is fine.
    parse = mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])
    tokens = [token for token in parse(readme.read_text(encoding="utf-8"))
              if token["type"] != "blank_line"]
    assert tokens[0]["type"] == "heading"
    assert markdown_text(tokens[0]["children"]) == answers["project_name"]
    assert tokens[1]["type"] == "paragraph"
    assert markdown_text(tokens[1]["children"]) == answers["description"]


def assert_project(project: Path, given_answers: dict) -> None:
    assert_files_load(project)
    recorded = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    for name, answer in given_answers.items():
        if name in recorded:
            assert recorded[name] == answer, name
    docs_dir = given_answers.get("docs_dir", recorded["docs_dir"])
    defaults = {"docs_install": f"python -m pip install -r {docs_dir}/requirements.txt .",
                "docs_build": f"sphinx-build -W --keep-going -b html {docs_dir} {docs_dir}/_build/html",
                "docs_html": f"{docs_dir}/_build/html"}
    answers = {**defaults, **recorded, **given_answers}
    project_name = answers["project_name"]
    if "author" not in given_answers and "author" in recorded:
        assert answers["author"] == f"The {project_name} developers"

    docs = project / answers["docs_dir"]
    settings = run_conf_py(docs / "interactive_docs" / "settings.py")
    assert settings["PROJECT_NAME"] == project_name
    assert settings["DISTRIBUTION"] == answers["distribution_name"]
    assert settings["BUTTON_TEXT"] == answers["button_text"]
    assert settings["WARNING_TEXT"] == answers["warning_text"]
    assert settings["PREAMBLE"] == answers["example_preamble"]
    for name in ["docs_install", "docs_build", "docs_html"]:
        assert settings[name.upper()] == answers[name]
    # The docs workflow and Read the Docs run the commands exactly as typed.
    for workflow in (project / ".github" / "workflows").glob("*docs.yml"):
        runs = [line for step in yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
                ["build"]["steps"] for line in step.get("run", "").splitlines()]
        assert answers["docs_install"] in runs and answers["docs_build"] in runs, workflow
    if (project / ".readthedocs.yaml").is_file():
        jobs = yaml.safe_load((project / ".readthedocs.yaml").read_text(encoding="utf-8"))
        assert answers["docs_install"] in jobs["build"]["jobs"]["install"]
        assert answers["docs_build"] in jobs["build"]["jobs"]["build"]["html"]
    try_examples = json.loads((docs / "try_examples.json").read_text(encoding="utf-8"))
    assert try_examples["ignore_patterns"] == answers["ignore_patterns"]
    lite = json.loads((docs / "jupyterlite" / "jupyter-lite.json").read_text(encoding="utf-8"))
    assert lite["jupyter-config-data"]["appName"] == f"{project_name} examples"

    if answers.get("project_kind", "new") != "new":
        return
    settings = run_conf_py(docs / "conf.py")
    assert settings["project"] == project_name
    assert settings["author"] == answers["author"]
    assert answers["repository_url"] in settings["html_theme_options"].values()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert pyproject["name"] == answers["distribution_name"]
    assert pyproject["description"] == answers["description"]
    assert pyproject["authors"] == [{"name": answers["author"]}]
    assert pyproject["urls"]["Source"] == answers["repository_url"]
    package = project / "src" / answers["package_name"] / "__init__.py"
    docstring = ast.get_docstring(ast.parse(package.read_text(encoding="utf-8")), clean=False)
    assert docstring == answers["description"]
    assert_index_rst(docs / "index.rst", answers)
    assert_readme(project / "README.md", answers)


@pytest.fixture(scope="module")
def template_folder(tmp_path_factory) -> Path:
    """This template (copier.yml and template/) in a plain folder: copier renders it where it
    is, without the clone and the git call per file that a repository costs each render."""
    folder = tmp_path_factory.mktemp("template")
    shutil.copy(ROOT / "copier.yml", folder)
    shutil.copytree(ROOT / "template", folder / "template")
    return folder


@pytest.mark.slow
def test_valid_answers_render_valid_files(template_folder):
    examples = []

    # Temporary folders made here, not pytest's function-scoped tmp_path: one per example.
    @settings(max_examples=200, deadline=None, database=None, print_blob=True)
    @given(answers=answer_combinations())
    # Found by this test: a one-character title, and backslashes alone, which escaped look
    # like a reST section rule.
    @example(answers={"project_name": '"', "package_name": "q", "description": "::",
                      "author": "A. Smith"})
    @example(answers={"project_name": "\\", "package_name": "b", "description": "\\" * 4,
                      "button_text": "\\"})
    def render_and_check(answers):
        examples.append(answers)
        with tempfile.TemporaryDirectory() as folder:
            assert_project(render(template_folder, Path(folder) / "project", **answers), answers)

    start = time.perf_counter()
    render_and_check()
    seconds = time.perf_counter() - start
    print(f"\n{len(examples)} valid answer combinations rendered and checked in {seconds:.1f} s")
    assert len(examples) >= 200
