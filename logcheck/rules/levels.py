"""LC3xx: levels and exceptions."""

from __future__ import annotations

import libcst as cst

from logcheck.rule import Fix, Rule


class DeprecatedWarn(Rule):
    code = "LC301"
    name = "deprecated-warn"
    message = "`warn` is deprecated; use `warning`"
    fix = "safe"
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.logger_call(node)
        if call is None or call.method != "warn":
            return
        if isinstance(node.func, cst.Attribute):
            attr = node.func.attr
            self.report(node, fix=Fix.replace(attr, attr.with_changes(value="warning"), "Use `warning`"))
        else:  # `warn` imported from logging: the import would have to change too
            self.report(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "WARN" and self.ctx.loggers.is_logging_module(node.value):
            self.report(node, "`logging.WARN` is deprecated; use `logging.WARNING`",
                        Fix.replace(node.attr, node.attr.with_changes(value="WARNING"), "Use `WARNING`"))
