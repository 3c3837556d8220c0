"""LC805 metrics-not-flushed: metrics added in a Lambda handler that nothing flushes
(rules/LC805.md): Powertools `Metrics` without `@metrics.log_metrics` or `flush_metrics()`,
and an aws-embedded-metrics logger from `create_metrics_logger()` without `flush()` /
`flush_sync()` (under `@metric_scope` the decorator flushes)."""

from __future__ import annotations

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.runtime._shared import helpers, is_handler, reached_calls
from logcheck.rules.runtime.hoist import decorate_fix
from logcheck.rules.runtime.lc803_lambda_context_missing import module_objects_used
from logcheck.semantics.lambda_handlers import EMF_FACTORIES, calls_method, calls_qualified, decorator_call
from logcheck.semantics.loggers import keyword_arg
from logcheck.semantics.scopes import ASSIGN
from logcheck.source.precheck import word


def _gate(facts, settings) -> bool:
    return any(facts.calls_to("add_metric", "put_metric"))


class MetricsNotFlushed(Rule):
    code = "LC805"
    name = "metrics-not-flushed"
    message = ("Powertools metrics added in a Lambda handler without @metrics.log_metrics or flush_metrics(): "
               "they stay buffered across invocations and are written late or never")
    fix = "safe"
    needles = (word("add_metric"), word("put_metric"))
    ast_gate = staticmethod(_gate)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.ctx.scope_nodes or not is_handler(self.ctx, node):
            return
        self._embedded_metrics(node)
        adding = [f for f in [node, *helpers(self.ctx, node)] if calls_method(f.body, ("add_metric",))]
        if not adding or self._may_flush(node, ("log_metrics", "flush_metrics")):
            return
        metrics = [name for f in adding for name in module_objects_used(self.ctx, f, "Metrics")]
        if not metrics:
            return
        # flushing without a namespace raises SchemaValidationError at the end of the
        # invocation: the fix is safe only when the constructor names one
        unsafe = not self._has_namespace(metrics[0])
        self.report(node.name, fix=decorate_fix(node, f"{metrics[0]}.log_metrics", f"Add @{metrics[0]}.log_metrics",
                                                unsafe=unsafe))

    def _embedded_metrics(self, node: cst.FunctionDef) -> None:
        """A metrics logger the handler creates and puts metrics on, never flushed: its
        buffer is dropped when the invocation returns. No fix: `@metric_scope` passes the
        logger as an argument, a change of the handler's signature."""
        if decorator_call(node, "metric_scope") or not calls_method(node.body, ("put_metric",)) \
                or not calls_qualified(self.ctx.loggers, node.body, self.ctx.loggers.chain([node]), EMF_FACTORIES) \
                or self._may_flush(node, ("flush", "flush_sync")):
            return
        self.report(node.name, "aws-embedded-metrics logger created in the Lambda handler and never flushed: its "
                               "metrics are never written; decorate the handler with @metric_scope or call "
                               "flush_sync() before returning")

    def _may_flush(self, handler: cst.FunctionDef, methods) -> bool:
        """One of `methods` among what the handler reaches (its decorators, the project's
        functions it calls, by name), or a call graph that cannot tell."""
        reached = reached_calls(self.ctx, handler)
        return reached is None or any(m in reached for m in methods)

    def _has_namespace(self, name: str) -> bool:
        bindings = self.ctx.loggers.table.root.bindings.get(name, [])
        return len(bindings) == 1 and bindings[0].kind == ASSIGN and isinstance(bindings[0].value, cst.Call) \
            and keyword_arg(bindings[0].value, "namespace") is not None
