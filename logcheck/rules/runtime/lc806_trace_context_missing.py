"""LC806 trace-context-missing: a format field carrying trace or correlation context that
nothing in the project supplies (rules/LC806.md). The configuration model finds it
(`config_model/checks.py`, where LC508 finds the other fields no record has); deployment
files are read for `OTEL_PYTHON_LOG_CORRELATION` values the instrumentor does not read as
true."""

from __future__ import annotations

from typing import Iterator, Tuple

from logcheck.config_model.context_fields import OTEL_VARIABLE
from logcheck.config_model.deployment import Deployment, EnvVar
from logcheck.rules.config import ConfigRule
from logcheck.source.precheck import literal


class TraceContextMissing(ConfigRule):
    code = "LC806"
    name = "trace-context-missing"
    message = "Log format uses trace or correlation context that nothing supplies"
    needles = (literal(b"otel"), literal(b"trace_id"), literal(b"span_id"), literal(b"correlation_id"),
               literal(b"request_id"))


def deployment_findings(deployment: Deployment) -> Iterator[Tuple[EnvVar, str]]:
    """`OTEL_PYTHON_LOG_CORRELATION` set to a value meant as true that the instrumentor does
    not read as true: it compares the value with `true` (any case) only, so `1`, `yes` or
    `on` inject nothing and every format using `%(otelTraceID)s` fails."""
    for var in deployment.environment:
        if var.name == OTEL_VARIABLE and var.is_true and var.value.strip().lower() != "true":
            yield var, (f"{OTEL_VARIABLE}={var.value} injects nothing: opentelemetry-instrumentation-logging "
                        "turns trace context on only for `true`; write `true`")
