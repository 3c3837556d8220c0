"""LC802 logger-per-invocation: a logger created or configured inside a Lambda handler
(rules/LC802.md)."""

from __future__ import annotations

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.runtime._shared import current_handler, may_have_handler, powertools
from logcheck.rules.runtime.hoist import hoist_fix
from logcheck.semantics.scopes import ASSIGN
from logcheck.source.precheck import word

#: `addHandler` on every invocation is LC511 handler-added-per-call (one finding per mistake)
CONFIGURING = frozenset({"setLevel"})


def _gate(facts, settings) -> bool:
    """A call it may report, in a file that may have a handler (it reports only inside one)."""
    return any(facts.calls_to("Logger", "basicConfig", "setLevel")) and may_have_handler(facts, settings)


class LoggerPerInvocation(Rule):
    code = "LC802"
    name = "logger-per-invocation"
    message = "Logger created or configured inside the Lambda handler: the work is repeated on every invocation"
    fix = "safe"
    needles = (word("Logger"), word("basicConfig"), word("setLevel"))
    ast_gate = staticmethod(_gate)

    def visit_Call(self, node: cst.Call) -> None:
        handler = current_handler(self.ctx)
        if handler is None:
            return
        if powertools(self.ctx, node) == "Logger":
            self.report(node, "Powertools Logger created inside the Lambda handler: the setup runs and keys are "
                              "appended on every invocation; create it once at module level",
                        hoist_fix(self.ctx, handler, node))
            return
        qualified = self.ctx.loggers.qualified_name(node.func, self.ctx.loggers.chain(self.ctx.scope_nodes))
        if qualified == "logging.basicConfig":
            self.report(node, "basicConfig() inside the Lambda handler runs on every invocation; configure logging "
                              "once at module level")
            return
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in CONFIGURING \
                and self._created_here(node.func.value):
            self.report(node, f"{node.func.attr.value}() on a logger obtained inside the Lambda handler: every warm "
                              "invocation configures it again (handlers pile up and records are written again); "
                              "set the logger up once at module level")

    def _created_here(self, receiver: cst.BaseExpression) -> bool:
        """`logging.getLogger(...)` itself, or a name the handler binds only to it."""
        scopes = self.ctx.loggers.chain(self.ctx.scope_nodes)
        if isinstance(receiver, cst.Call):
            return self.ctx.loggers.qualified_name(receiver.func, scopes) == "logging.getLogger"
        if not isinstance(receiver, cst.Name):
            return False
        scope, bindings = self.ctx.loggers.table.lookup(receiver.value, scopes)
        return scope is scopes[-1] and bool(bindings) and all(
            b.kind == ASSIGN and isinstance(b.value, cst.Call) and self._created_here(b.value) for b in bindings)


