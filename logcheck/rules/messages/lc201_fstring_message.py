"""LC201 fstring-message: an f-string as a logging message (rules/LC201.md)."""

from __future__ import annotations

import ast

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages._shared import (LAZY_FIX_MESSAGE, _fixable_position, _has_fstring, _message, _messages,
                                             _with_message, fstring_builder)


def _fstring_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.JoinedStr) for m in _messages(facts, settings))


class FStringMessage(Rule):
    code = "LC201"
    name = "fstring-message"
    message = "f-string used as the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    rewrites_message = True
    uses_logger_calls = True
    ast_gate = staticmethod(_fstring_gate)

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None or not _has_fstring(found[1].value):
            return
        call, arg = found
        fix = None
        if _fixable_position(call, arg):
            builder = fstring_builder(arg.value, self.ctx.module)
            new = builder.build() if builder is not None else None
            if builder is not None and new is not None:
                new = new.with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
                extra = [cst.Arg(a) for a in builder.args]
                fix = Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE,
                                  unsafe=not builder.exact)
        self.report(node, fix=fix, call=call)
