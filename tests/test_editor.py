"""The cells' editor's own logic (_static/interactive-docs-editor.js), imported by Node as
the page imports it: where Enter puts the next line, which brackets match. The browser test
(test_in_page.py) types into real cells; this covers the shapes a reader types."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import ROOT

EDITOR = ROOT / "template" / "{{ docs_dir }}" / "_static" / "interactive-docs-editor.js"

INDENTS = [
    ("x = 1", ""),
    ("def f(x):", "    "),
    ("def f(x):  # a comment", "    "),
    ("def f(x):\n    return [x,", "        "),
    ("def f(x):\n    return [x,\n        x]", ""),  # the return ends: one level less
    ("y = f(a,\n      b)", ""),
    ("z = {'a': 1,", "    "),
    ("for i in range(3):\n    if i:\n        break", "    "),
    ("    pass", ""),
    ("x = '('  # (", ""),  # brackets in strings and comments do not count
    ('x = "a:"', ""),
    ("    ", "    "),
    ("\tif x:", "\t    "),
]

PAIRS = [
    ("f(x)", {1: 3, 3: 1}),
    ("f((x)", {1: -1, 2: 4, 4: 2}),
    ("[x)]", {0: 3, 2: -1, 3: 0}),
    ("{[()]}", {0: 5, 1: 4, 2: 3, 3: 2, 4: 1, 5: 0}),
]


@pytest.fixture(scope="module")
def node():
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is needed (scripts/bootstrap.sh installs tests/node with npm)")
    return found


def run(node: str, script: str):
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                            text=True, timeout=60, check=True)
    return json.loads(result.stdout)


def test_enter_indents_as_python_reads_the_lines(node):
    texts = [text for text, _ in INDENTS]
    got = run(node, f"import {{ indentAt }} from {json.dumps(EDITOR.as_uri())};"
                    f"console.log(JSON.stringify({json.dumps(texts)}.map(indentAt)));")
    assert list(zip(texts, got)) == INDENTS


def test_brackets_pair_with_their_match_or_none(node):
    # The page passes the brackets Pygments marks as punctuation: here, every bracket.
    texts = [text for text, _ in PAIRS]
    got = run(node, f"import {{ bracketPairs }} from {json.dumps(EDITOR.as_uri())};"
                    f"console.log(JSON.stringify({json.dumps(texts)}.map(t => Object.fromEntries("
                    f"bracketPairs([...t].map((c, i) => [i, c]).filter(([, c]) => '()[]{{}}'.includes(c)))))));")
    assert [{int(k): v for k, v in pairs.items()} for pairs in got] == [pairs for _, pairs in PAIRS]
