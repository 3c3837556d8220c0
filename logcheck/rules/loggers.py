"""LC1xx: where a log call goes."""

from __future__ import annotations

import libcst as cst

from logcheck.rule import Fix, Rule


class RootLoggerCall(Rule):
    code = "LC101"
    name = "root-logger-call"
    message = "Logging call on the root logger; use a module logger (`logging.getLogger(__name__)`)"
    fix = "safe"
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.logger_call(node)
        if call is None or not call.is_root:
            return
        name = self.ctx.module_logger_name()
        fix = None
        if name is not None:
            if call.receiver is None:  # `info(...)` imported from logging
                new_func = cst.Attribute(value=cst.Name(name), attr=cst.Name(call.method))
            else:
                new_func = node.func.with_changes(value=cst.Name(name))
            fix = Fix.replace(node.func, new_func, f"Call `{name}.{call.method}` instead", needs_module_logger=True)
        self.report(node, fix=fix)
