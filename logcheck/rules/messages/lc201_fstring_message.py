"""LC201 fstring-message: an f-string as a logging message (rules/LC201.md)."""

from __future__ import annotations

import ast

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.messages._eager import covered, style_of
from logcheck.rules.messages._shared import _has_fstring, _message, _messages
from logcheck.semantics.families import PERCENT


def _fstring_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.JoinedStr) for m in _messages(facts, settings))


class FStringMessage(Rule):
    code = "LC201"
    name = "fstring-message"
    message = "f-string used as the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_fstring_gate)
    #: every family with a message style: each gets its own advice and fix
    covers = classmethod(lambda cls, family: covered(family))

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None or not _has_fstring(found[1].value):
            return
        call, arg = found
        style = style_of(call)
        assert style is not None  # `covers` let only styled families through
        message = None if call.family.message_style == PERCENT else \
            f"f-string used as the logging message; {style.advice}"
        self.report(node, message, fix=style.fstring_fix(self, node, call, arg), call=call)
