"""Trace and correlation context in log records (LC806): the record fields that carry it,
and what in a project supplies them.

Providers read here: OpenTelemetry's `LoggingInstrumentor().instrument(...)` where it
injects (`set_logging_format=True`, or `inject_trace_context=True`; since
opentelemetry-instrumentation-logging 0.61b0 a plain `instrument()` injects nothing), the
`OTEL_PYTHON_LOG_CORRELATION=true` environment variable in a deployment file (read by the
instrumentor and by `opentelemetry-instrument`), and ddtrace's log injection (`import
ddtrace.auto`, `ddtrace.patch(logging=True)`, `patch_all(logging=True)`,
`DD_LOGS_INJECTION=true`). Filters, adapters and record factories are providers of any
field and are read with the configuration (`python.py`'s `any_record_field`).
"""

from __future__ import annotations

from pathlib import Path
from typing import FrozenSet, Optional, Set

import libcst as cst

from logcheck.semantics.loggers import keyword_arg

OTEL_FIELDS: FrozenSet[str] = frozenset({"otelTraceID", "otelSpanID", "otelServiceName", "otelTraceSampled"})
DD_FIELDS: FrozenSet[str] = frozenset({"dd.trace_id", "dd.span_id", "dd.service", "dd.env", "dd.version"})
#: fields that carry trace or correlation context (rules.md LC806)
CONTEXT_FIELDS: FrozenSet[str] = OTEL_FIELDS | DD_FIELDS | frozenset({
    "trace_id", "span_id", "correlation_id", "request_id", "aws_request_id"})

#: the instrumentor's environment variable is compared with "true" (any case), nothing else
OTEL_VARIABLE = "OTEL_PYTHON_LOG_CORRELATION"
DD_VARIABLE = "DD_LOGS_INJECTION"


def _true(arg: Optional[cst.Arg]) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "True"


def call_supplies(call: cst.Call, qualified: Optional[str]) -> FrozenSet[str]:
    """The context fields a call makes every record carry (`qualified`: the callee's
    qualified name)."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "instrument" and isinstance(func.value, cst.Call) \
            and (_true(keyword_arg(call, "set_logging_format")) or _true(keyword_arg(call, "inject_trace_context"))):
        return OTEL_FIELDS
    if qualified in ("ddtrace.patch", "ddtrace.patch_all") and _true(keyword_arg(call, "logging")):
        return DD_FIELDS
    return frozenset()


def import_supplies(node: cst.CSTNode) -> FrozenSet[str]:
    """`import ddtrace.auto` turns on ddtrace's log injection."""
    if isinstance(node, cst.Import):
        for alias in node.names:
            if cst.Module([]).code_for_node(alias.name) == "ddtrace.auto":
                return DD_FIELDS
    return frozenset()


def deployments_supply(root: Path, consulted: Set[Path]) -> FrozenSet[str]:
    """The context fields the project's deployment files turn on through the environment;
    the files read are added to `consulted` (the result cache's dependencies)."""
    from logcheck.config_model.deployment import project_deployments

    deployments = project_deployments(root)
    consulted.update(deployments.files)
    out = set()
    if any((var.value or "").strip().lower() == "true" for var in deployments.environment(OTEL_VARIABLE)):
        out |= OTEL_FIELDS
    if any((var.value or "").strip().lower() in ("true", "1") for var in deployments.environment(DD_VARIABLE)):
        out |= DD_FIELDS
    return frozenset(out)
