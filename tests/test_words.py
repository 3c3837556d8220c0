"""The byte searches the project-wide questions filter files with (`logcheck/source/words.py`):
each must find every file that can hold an answer. The oracle is the interpreter's `ast` (and
`re`), never the searches themselves."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from logcheck.source.words import (import_aliases, import_statements, imports_word, only_in_definitions, top_lines,
                                   word_index, word_search)

REPO = Path(__file__).resolve().parents[1]


def test_the_word_index_is_every_ascii_word_of_every_file():
    sources = {path: path.read_bytes() for path in sorted((REPO / "logcheck").rglob("*.py"))[:40]}
    sources[Path("odd")] = "héllo wörld_x ok\xa0z".encode() + bytes(range(256))
    expected = {}
    for path, text in sources.items():
        for word in set(re.findall(rb"\w+", text)):
            expected.setdefault(word, []).append(path)
    assert word_index(sources) == expected


@pytest.mark.parametrize("text, word, found", [
    (b"import salt.pillar\n", "pillar", True),
    (b"from salt import (\n  a,  # x (y\n  pillar,\n)\n", "pillar", True),  # a parenthesis in a comment
    (b"from salt \\\n  import pillar\n", "pillar", True),
    (b"from salt \\\r\n  import pillar\n", "pillar", True),
    (b"from .match import glob\n", "match", True),
    (b"from . import match as m\n", "match", True),
    (b"if x: from a import b; y = match\n", "match", True),  # past the statement: more text, never less
    (b"x = 'match.glob'\nimport os\n", "match", False),
    (b"from a import b\nmatch = 1\n", "match", False),
    (b"from a import matches\n", "match", False),
])
def test_a_word_in_an_import_statement(text, word, found):
    assert imports_word(import_statements(text), word) is found


@pytest.mark.parametrize("text, aliases", [
    (b"from p import run as do_run, stop\n", ["do_run"]),
    (b"from p import (\n    run as r1,\n)\nfrom q import run as r2\n", ["r1", "r2"]),
    ("from p import run as été\n".encode(), ["été"]),  # an identifier need not be ASCII
    (b"import p.run as r\nfrom p import runner as x\n", []),  # a module's path; another name
])
def test_the_aliases_an_import_gives_a_name(text, aliases):
    assert import_aliases(import_statements(text), "run") == aliases


@pytest.mark.parametrize("text, inside", [
    (b"def f():\n    return run\n", True),
    (b"class A:\n    x = [run]\n", True),
    (b"x = 1\nasync  def f():\n# a comment at column 0\n    run\n", True),
    (b"def f():\n    '''A docstring.'''\n    run\n", False),  # a string between: unknown
    (b"from a import run\n", True),
    (b"from a import (\n  x,\n  run)\n", True),
    (b"T = [run]\n", False),
    (b"def f():\n    pass\nT = [\n    run,\n]\n", False),
    (b"import a; T = [run]\n", False),  # another statement after the import
    (b'T = {"h": """\ndef x\n    more""", "r": run}\n', False),  # `def` inside a string
    (b"T = ['a\\\ndef', run]\n", False),  # `def` on a line a backslash continues
    (b"T = ['a\\\r\ndef', run]\n", False),
    (b"@app.command(run)\ndef f(): pass\n", False),  # a decorator is module-level code
    (b"def f():\n    pass\n\x0cT = [run]\n", False),  # a form feed at column 0
    (b"def f():\r    pass\rT = [run]\r", False),  # lone `\r` line ends
    (b"def f(a,\nb=run): pass\n", False),
    (b"  run\n", False),  # before any line at column 0
    (b"def run_x(): run_x\n", True),  # `run` only inside a longer word
])
def test_a_word_only_inside_definitions(text, inside):
    assert only_in_definitions(text, "run", top_lines(text)) is inside


def _outside_definitions(tree: ast.Module) -> set:
    """Every name and attribute of module-level code that is not a `def`, a `class` (their
    decorators are) or an import."""
    found = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        nodes = stmt.decorator_list if isinstance(
            stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [stmt]
        for node in nodes:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name):
                    found.add(inner.id)
                elif isinstance(inner, ast.Attribute):
                    found.add(inner.attr)
    return found


def test_only_inside_definitions_is_never_said_of_a_name_module_level_code_uses():
    """On real code (this repository's modules and tests): a word the search says occurs only
    inside definitions is never a name of other module-level code; and the search says it of
    many words (it is worth its cost)."""
    said = 0
    for path in sorted([*(REPO / "logcheck").rglob("*.py"), *(REPO / "tests").glob("test_*.py")]):
        text = path.read_bytes()
        outside = _outside_definitions(ast.parse(text))
        tops = top_lines(text)
        for word in sorted({w.decode() for w in re.findall(rb"[A-Za-z_]\w*", text)}):
            if only_in_definitions(text, word, tops):
                said += 1
                assert word not in outside, (path, word)
    assert said > 1000


def test_word_search_called_or_held():
    assert word_search("run")(b"x.run()") and not word_search("run")(b"rerun()")
    assert not word_search("run", called=False)(b"run (1)") and word_search("run", called=False)(b"[run]")
