"""LC207 exception-object-as-message: an exception object logged as the message (rules/LC207.md)."""

from __future__ import annotations

import ast
from typing import Dict, List

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.messages._shared import _message
from logcheck.semantics.purpose import in_program_code
from logcheck.source.cst import iter_children


def _exception_message_gate(facts, settings) -> bool:
    """LC207 needs, inside an `except` block, a message that is a name some `except ... as`
    binds."""
    return any(c.in_handler and isinstance(c.message, ast.Name) and c.message.id in facts.handler_names
               for c in facts.logger_calls(settings))


class ExceptionObjectAsMessage(Rule):
    code = "LC207"
    name = "exception-object-as-message"
    message = ("The caught exception is the logging message; write a message that says what failed "
               "(the exception text goes in with `logger.exception` or `exc_info`)")
    uses_logger_calls = True
    ast_gate = staticmethod(_exception_message_gate)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.except_handlers:
            return
        found = _message(self, node)
        if found is None:
            return
        value = found[1].value
        if not isinstance(value, cst.Name):
            return
        handler = next((h for h in reversed(self.ctx.except_handlers) if self.ctx.handler_name(h) == value.value),
                       None)
        # the local question first: whether code is a program's asks the whole project
        if handler is None or self._own_messages(handler):
            return
        if in_program_code(self.ctx):
            # a program's own top-level error report (`logger.critical(e)` before exiting)
            # shows the user the exception's text, which is what it is for
            return
        self.report(node)

    def _own_messages(self, handler: cst.ExceptHandler) -> bool:
        """The handler catches only exception classes this module defines, and every place
        the module raises them passes a message written in the code (`raise
        InitError("Terminal was not a tty")`): that text is meant to be read as it is."""
        caught = handler.type
        names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
        if not names or not all(isinstance(n, cst.Name) for n in names):
            return False
        if not all(self.ctx.loggers.own_class(n.value, self.ctx.scope_nodes) is not None for n in names):
            return False
        raised = self.ctx.memo("LC207-raised", lambda: _raise_messages(self.ctx.module))
        return all(raised.get(n.value) is True for n in names)


def _raise_messages(module: cst.Module) -> Dict[str, bool]:
    """Class name -> whether every `raise Name(...)` of it in the module passes a literal
    (or f-string) message first; a bare `raise Name` or another argument makes it False."""
    out: Dict[str, bool] = {}
    stack: List[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        # an exact class test: isinstance on libcst's ABC-derived nodes is a Python call
        if node.__class__ is cst.Raise and node.exc is not None:
            exc = node.exc
            call = exc if isinstance(exc, cst.Call) else None
            func = call.func if call is not None else exc
            if isinstance(func, cst.Name):
                first = call.args[0] if call is not None and call.args else None
                literal = first is not None and first.keyword is None and not first.star and isinstance(
                    first.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
                out[func.value] = out.get(func.value, True) and literal
        stack.extend(iter_children(node))
    return out
