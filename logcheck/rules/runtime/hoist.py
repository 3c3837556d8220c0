"""Moving a statement out of a Lambda handler to module level (LC802's fix), and adding a
decorator to a handler (LC803, LC805)."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from logcheck.lint.rule import Fix
from logcheck.rules.runtime._shared import module_level_powertools

_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)


def _is_literal(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Name):
        return expr.value in ("True", "False", "None")
    return isinstance(expr, _LITERALS)


def hoist_fix(ctx, handler: cst.FunctionDef, call: cst.Call) -> Optional[Fix]:
    """Move `name = Logger(<literals>)` from the handler's body to just above the handler.
    Only when the statement is directly in the handler's body, the constructor takes
    literal arguments only (nothing of the invocation), the class means the same at module
    level, the handler binds the name only there, and the module binds nothing of that
    name: then every read of the name sees an equal logger, created once."""
    if not isinstance(handler.body, cst.IndentedBlock) or module_level_powertools(ctx, call) != "Logger" \
            or not all(_is_literal(a.value) and not a.star for a in call.args):
        return None
    statement = next((s for s in handler.body.body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
                      and isinstance(s.body[0], cst.Assign) and s.body[0].value is call), None)
    if statement is None or len(handler.body.body) == 1:
        return None
    assign = statement.body[0]
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
        return None
    name = assign.targets[0].target.value
    scope = ctx.loggers.table.scope(handler, ctx.loggers.table.root)
    if name in scope.globals or len(scope.bindings.get(name, [])) != 1 or name in ctx.loggers.table.root.bindings:
        return None
    hoisted = statement.with_changes(leading_lines=list(handler.leading_lines) + list(statement.leading_lines))
    body = handler.body.with_changes(body=[s for s in handler.body.body if s is not statement])
    new_handler = handler.with_changes(body=body, leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    return Fix(f"Create `{name}` once at module level", ((handler, cst.FlattenSentinel([hoisted, new_handler])),))


def decorate_fix(handler: cst.FunctionDef, decorator: str, message: str, *, unsafe: bool = False) -> Fix:
    """Add `@decorator` as the outermost decorator of the handler (it then sees the event
    and context the runtime passes)."""
    new = cst.Decorator(cst.parse_expression(decorator))
    replacement = handler.with_changes(decorators=[new] + list(handler.decorators))
    return Fix.replace(handler, replacement, message, unsafe=unsafe)
