"""`positions.node_ranges` gives exactly libcst's `PositionProvider` ranges, on every node
of real and awkward sources, whichever subset of nodes is asked for."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from helpers import plain_id
from logcheck.source.parse import parse_module
from logcheck.source.positions import node_ranges, reported_ranges

ROOT = Path(__file__).resolve().parents[1]

AWKWARD = {
    "crlf": "import logging\r\n\r\nif x:\r\n    logging.info('a')  # c\r\n    y = (1,\r\n         2)\r\n",
    "lone-cr": "a = 1\rb = [1,\r     2]\rif a:\r    pass\r",
    "mixed": "a = 1\r\nb = 2\nc = '''x\r\ny\n'''\rd = 3\n",
    "no-final-newline": "def f():\n    return 1",
    "tabs-and-continuations": "if a:\n\tb = 1 + \\\n\t    2\n\tc = f(\n\t  x)\n",
    "decorators-and-comments": "# head\n\n@dec  # d\n@other(\n    1)\n# before\ndef f(a,\n      b):\n    '''doc'''\n\n    # inner\n    return a\n    # footer\n\nclass C(B):\n    x: int = 1\n",
    "unicode": "s = 'héllo wörld'  # ünïcode\nt = f'{s!r:>{10}}' + \"ß\"\n",
    "semicolons-and-else": "a = 1; b = 2;\nfor i in x:\n    pass\nelse:\n    c = 3\ntry:\n    d\nexcept* E as e:\n    pass\nfinally:\n    e\n",
    "match-and-walrus": "match p:\n    case [1, *rest] if (n := len(rest)) > 2:\n        pass\n    case {'k': v, **kw}:\n        pass\n    case _:\n        pass\n",
    "empty": "",
    "repeated-statements": "import logging\nlogging.info('x')\nlogging.info('x')\nif a:\n    logging.info('x')\n",
    "last-statement-without-newline": "x = 1\nlogging.info(\n    'x')",
    "only-comment": "# nothing\n",
}


def _case_id(value):
    """A short name as the id, a whole source as none."""
    return plain_id(value) if isinstance(value, str) and len(value) < 40 else ""


def _sources():
    yield from sorted(AWKWARD.items())
    for path in sorted((ROOT / "logcheck").rglob("*.py"))[::3]:
        yield path.name, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "examples").rglob("*.py")):
        yield path.name, path.read_text(encoding="utf-8")


def _all_nodes(module: cst.Module):
    stack = [module]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


@pytest.mark.parametrize("name, source", list(_sources()), ids=_case_id)
def test_ranges_equal_the_position_provider(name, source):
    module = parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = list(_all_nodes(module))
    # every node at once (no early stop) ...
    got = node_ranges(module, nodes)
    for node in nodes:
        assert got[id(node)] == expected[node], (name, type(node).__name__, module.code_for_node(node)[:60])
    # ... and small random subsets, which stop code generation early
    rng = random.Random(name)
    for _ in range(5):
        subset = rng.sample(nodes, min(3, len(nodes)))
        got = node_ranges(module, subset)
        for node in subset:
            assert got[id(node)] == expected[node], (name, type(node).__name__)


def test_nothing_wanted_generates_nothing():
    assert node_ranges(parse_module("x = 1\n"), []) == {}


def _statement_of(module: cst.Module):
    """node id -> index of the top-level statement holding it."""
    index_of = {}
    for index, statement in enumerate(module.body):
        for node in _all_nodes(statement):
            index_of[id(node)] = index
    return index_of


@pytest.mark.parametrize("name, source", list(_sources()), ids=_case_id)
def test_reported_ranges_equal_the_position_provider(name, source):
    """Generating only the statement that holds a node gives the provider's range, and a
    wrong or unknown statement index falls back to the whole module."""
    module = parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    index_of = _statement_of(module)
    nodes = list(_all_nodes(module))
    rng = random.Random(name)
    for _ in range(8):
        subset = rng.sample(nodes, min(4, len(nodes)))
        wanted = [(node, rng.choice([index_of.get(id(node), -1)] * 3 + [-1, len(module.body) - 1]))
                  for node in subset]
        got = reported_ranges(module, source, wanted)
        for node in subset:
            assert got[id(node)] == expected[node], (name, type(node).__name__, module.code_for_node(node)[:60])
