"""LC804 metrics-as-api-calls: `put_metric_data` on a CloudWatch client inside a Lambda
handler (rules/LC804.md)."""

from __future__ import annotations

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.runtime._shared import runs_in_handler
from logcheck.semantics.loggers import positional_args, string_value
from logcheck.semantics.scopes import ASSIGN
from logcheck.source.precheck import word


def is_cloudwatch_client(ctx, expr: cst.BaseExpression) -> bool:
    """`<boto3 or a session>.client("cloudwatch")` / `.resource("cloudwatch")`, or a name
    every binding of which (where the walk is) is one."""
    if isinstance(expr, cst.Call):
        args = positional_args(expr)
        return isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("client", "resource") \
            and bool(args) and string_value(args[0].value) == "cloudwatch"
    if isinstance(expr, cst.Name):
        bindings = ctx.loggers.resolve_name(expr.value, ctx.loggers.chain(ctx.scope_nodes))
        return bool(bindings) and all(b.kind == ASSIGN and b.value is not None and is_cloudwatch_client(ctx, b.value)
                                      for b in bindings)
    return False


def _gate(facts, settings) -> bool:
    return any(facts.calls_to("put_metric_data"))


class MetricsAsApiCalls(Rule):
    code = "LC804"
    name = "metrics-as-api-calls"
    message = ("put_metric_data() in a Lambda handler makes one synchronous CloudWatch API call per invocation; "
               "write metrics in the Embedded Metric Format (Powertools Metrics, aws-embedded-metrics)")
    needles = (word("put_metric_data"),)
    ast_gate = staticmethod(_gate)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "put_metric_data" \
                and runs_in_handler(self.ctx) and is_cloudwatch_client(self.ctx, func.value):
            self.report(node)
