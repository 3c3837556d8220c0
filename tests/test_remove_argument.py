"""`exceptions.remove_argument`, which the exc_info fixes (LC305, LC306, LC308) use to drop an
argument: the other arguments keep their formatting, no comment is lost, and None where the
two sides of the removed argument cannot be joined exactly (its docstring). Each expected
text is written by hand from those rules, not taken from a run."""

from __future__ import annotations

import libcst as cst
import pytest

from helpers import plain_id
from logcheck.rules.exceptions import remove_argument

CASES = [
    # one line
    ("f(a, b)", 1, "f(a)"),
    ("f(a, b)", 0, "f(b)"),
    ("f(a, b, c)", 1, "f(a, c)"),
    ("f(a,  b, c)", 1, "f(a,  c)"),          # the previous comma's space leads up to the next
    ("f(a, b )", 1, "f(a )"),                # the space before `)` stays
    ("f(a)", 0, None),                       # the only argument: nothing to join
    ("f(a, b)", 2, None),
    ("f(a, b)", -1, None),
    # one argument a line, with a trailing comma
    ("f(\n    a,\n    b,\n)", 1, "f(\n    a,\n)"),
    ("f(\n    a,\n    b,\n    c,\n)", 1, "f(\n    a,\n    c,\n)"),
    ("f(\n    a,\n    b,\n)", 0, "f(\n    b,\n)"),
    ("f(\n    a,  # keep\n    b,\n    c,\n)", 1, "f(\n    a,  # keep\n    c,\n)"),
    # the first argument's comment would be lost
    ("f(\n    a,  # about a\n    b,\n)", 0, None),
    # without a trailing comma
    ("f(\n    a,\n    b\n)", 1, "f(\n    a\n)"),
    ("f(\n    a,  # note\n    b\n)", 1, "f(\n    a,  # note\n)"),      # the comma stays, before its comment
    ("f(\n    a,\n    b  # about b\n)", 1, "f(\n    a  # about b\n)"),  # the comment moves up, kept
    ("f(\n    a,  # k\n    b  # about b\n)", 1, None),                  # two comments, one place
    # comment lines between the arguments stay, wherever they were
    ("f(\n    a,\n    # before b\n    b,\n    c,\n)", 1, "f(\n    a,\n    # before b\n    c,\n)"),
    ("f(\n    a,\n    b,\n    # before c\n    c,\n)", 1, "f(\n    a,\n    # before c\n    c,\n)"),
    # the removed argument's own comment would be lost, or would meet a space it cannot follow
    ("f(\n    a, b,  # about b\n    c,\n)", 1, None),
    ("f(a, b,  # about b\n)", 1, None),
    # a line-per-argument call with two arguments on one line
    ("f(\n    a,\n    b, c,\n)", 1, "f(\n    a,\n    c,\n)"),
    ("f(\n    a,  # k\n    b, c,\n)", 1, None),
]


@pytest.mark.parametrize("source, index, expected", CASES, ids=[f"{plain_id(s)} [{i}]" for s, i, _ in CASES])
def test_remove_argument(source, index, expected):
    module = cst.parse_module(source + "\n")
    call = module.body[0].body[0].value
    result = remove_argument(call, index)
    assert (None if result is None else module.code_for_node(result)) == expected
