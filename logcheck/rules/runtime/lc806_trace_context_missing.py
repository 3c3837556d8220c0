"""LC806 trace-context-missing: a format field carrying trace or correlation context that
nothing in the project supplies (rules/LC806.md). The configuration model finds it
(`config_model/checks.py`, where LC508 finds the other fields no record has); deployment
files are read for `OTEL_PYTHON_LOG_CORRELATION` values the instrumentor does not read as
true."""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Tuple

import libcst as cst

from logcheck.config_model.context_fields import OTEL_VARIABLE
from logcheck.config_model.deployment import Deployment, EnvVar
from logcheck.rules.config import ConfigRule
from logcheck.semantics.loggers import ROOT, keyword_arg, passes_constant, positional_args, string_value
from logcheck.semantics.scopes import ASSIGN
from logcheck.source.precheck import literal, word

#: OpenTelemetry's handlers that export records (the SDK's, deprecated, and its successor)
OTEL_HANDLERS = frozenset({"opentelemetry.sdk._logs.LoggingHandler",
                           "opentelemetry.sdk._logs._internal.LoggingHandler",
                           "opentelemetry.instrumentation.logging.handler.LoggingHandler"})


class TraceContextMissing(ConfigRule):
    code = "LC806"
    name = "trace-context-missing"
    message = "Log format uses trace or correlation context that nothing supplies"
    needles = (literal(b"otel"), literal(b"trace_id"), literal(b"span_id"), literal(b"correlation_id"), literal(b"dd."),
               literal(b"request_id"), word("LoggingHandler"))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        #: function (None: module level) -> the line adding an OTel handler to the root
        self._otel_root_handler: Dict[Optional[int], cst.Call] = {}

    def visit_Call(self, node: cst.Call) -> None:
        """A configuration that replaces the root's handlers after an OpenTelemetry
        `LoggingHandler` was added to it, in the same function (or both at module level):
        the records are no longer exported. (Since 0.61b0 the instrumentor's own handler
        is put back by the instrumentor; a handler added by hand is not.)"""
        where = id(self.ctx.functions[-1]) if self.ctx.functions else None
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "addHandler" and len(node.args) == 1 \
                and self.ctx.loggers.expression_logger_kind(func.value, self.ctx.scope_nodes) == ROOT \
                and self._is_otel_handler(node.args[0].value):
            self._otel_root_handler.setdefault(where, node)
            return
        if where not in self._otel_root_handler:
            return
        qualified = self.ctx.loggers.qualified_name(func, self.ctx.loggers.chain(self.ctx.scope_nodes))
        if qualified == "logging.basicConfig" and passes_constant(keyword_arg(node, "force"), "True") \
                or qualified == "logging.config.fileConfig" \
                or qualified == "logging.config.dictConfig" and self._sets_root_handlers(node):
            self.report(node, "this configuration replaces the root logger's handlers, dropping the OpenTelemetry "
                              "LoggingHandler added before it: records are no longer exported; add the handler "
                              "after configuring (or name it in the configuration)")

    def _scopes(self):
        return self.ctx.loggers.chain(self.ctx.scope_nodes)

    def _is_otel_handler(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            return self.ctx.loggers.qualified_name(expr.func, self._scopes()) in OTEL_HANDLERS
        if isinstance(expr, cst.Name):
            bindings = self.ctx.loggers.resolve_name(expr.value, self._scopes())
            return bool(bindings) and all(b.kind == ASSIGN and isinstance(b.value, cst.Call) and
                                          self.ctx.loggers.qualified_name(b.value.func, [b.home]) in OTEL_HANDLERS
                                          for b in bindings)
        return False

    def _sets_root_handlers(self, call: cst.Call) -> bool:
        """dictConfig of a dict literal (or a name bound only to one) with `root.handlers`
        and not incremental."""
        args = positional_args(call)
        value = args[0].value if args else None
        if isinstance(value, cst.Name):
            bindings = self.ctx.loggers.resolve_name(value.value, self._scopes())
            value = bindings[0].value if len(bindings) == 1 and bindings[0].kind == ASSIGN else None
        if not isinstance(value, cst.Dict):
            return False
        entries = {string_value(e.key): e.value for e in value.elements if isinstance(e, cst.DictElement)}
        root = entries.get("root")
        incremental = entries.get("incremental")
        if isinstance(incremental, cst.Name) and incremental.value == "True":
            return False
        return isinstance(root, cst.Dict) and any(isinstance(e, cst.DictElement) and string_value(e.key) == "handlers"
                                                  for e in root.elements)


def deployment_findings(deployment: Deployment) -> Iterator[Tuple[EnvVar, str]]:
    """`OTEL_PYTHON_LOG_CORRELATION` set to a value meant as true that the instrumentor does
    not read as true: it compares the value with `true` (any case) only, so `1`, `yes` or
    `on` inject nothing and every format using `%(otelTraceID)s` fails."""
    for var in deployment.environment:
        if var.name == OTEL_VARIABLE and var.is_true and var.value.strip().lower() != "true":
            yield var, (f"{OTEL_VARIABLE}={var.value} injects nothing: opentelemetry-instrumentation-logging "
                        "turns trace context on only for `true`; write `true`")
