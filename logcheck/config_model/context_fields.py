"""Trace and correlation context in log records (LC806): the record fields that carry it,
and what in a project supplies them.

Providers read here: OpenTelemetry's `LoggingInstrumentor().instrument(...)` where it
injects (`set_logging_format=True`, or `inject_trace_context=True`; since
opentelemetry-instrumentation-logging 0.61b0 a plain `instrument()` injects nothing), the
`OTEL_PYTHON_LOG_CORRELATION=true` environment variable in a deployment file (read by the
instrumentor and by `opentelemetry-instrument`), and ddtrace's log injection (`import
ddtrace.auto`, `ddtrace.patch(logging=True)`, `patch_all(logging=True)`,
`DD_LOGS_INJECTION=true` in a deployment file or set in the code's own environment,
`ddtrace-run` in a deployment command). Filters, adapters and record factories are providers
of any field and are read with the configuration (`python.py`'s `any_record_field`).

structlog supplies record fields only where its chain ends in `render_to_log_kwargs` (or
`render_to_log_args_and_kwargs`): the event dict then becomes the stdlib call's `extra=`,
so every key a processor adds is a record attribute (`structlog_supplies`). With any other
renderer the keys end up inside the message, never as attributes.

AWS Lambda Powertools is not a provider of record fields: `append_keys(...)`,
`set_correlation_id(...)`, `inject_lambda_context(correlation_id_path=...)` and the
`xray_trace_id` it adds while tracing put keys into the JSON its own formatter writes
(`LambdaPowertoolsFormatter.log_format`), not onto records, so a standard formatter's
`%(correlation_id)s` still finds no such attribute (tests/test_runtime_execution.py runs
it). Powertools' formatter itself is not a `logging.Formatter` format and is not judged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, FrozenSet, Optional, Set, Tuple

import libcst as cst

from logcheck.semantics.loggers import keyword_arg, passes_constant, positional_args, string_value

OTEL_FIELDS: FrozenSet[str] = frozenset({"otelTraceID", "otelSpanID", "otelServiceName", "otelTraceSampled"})
DD_FIELDS: FrozenSet[str] = frozenset({"dd.trace_id", "dd.span_id", "dd.service", "dd.env", "dd.version"})
#: fields that carry trace or correlation context (rules.md LC806)
CONTEXT_FIELDS: FrozenSet[str] = OTEL_FIELDS | DD_FIELDS | frozenset({
    "trace_id", "span_id", "correlation_id", "request_id", "aws_request_id"})

#: the instrumentor's environment variable is compared with "true" (any case), nothing else
OTEL_VARIABLE = "OTEL_PYTHON_LOG_CORRELATION"
DD_VARIABLE = "DD_LOGS_INJECTION"
#: environment variables that turn injection on: the fields, and the values read as on
ENVIRONMENT_SWITCHES: Dict[str, Tuple[FrozenSet[str], FrozenSet[str]]] = {
    OTEL_VARIABLE: (OTEL_FIELDS, frozenset({"true"})),
    DD_VARIABLE: (DD_FIELDS, frozenset({"true", "1"})),
}
#: launchers that run a program with ddtrace's log injection on (ddtrace >= 3.11 injects
#: by default under `ddtrace-run`; older versions with `DD_LOGS_INJECTION=true`)
LAUNCHERS: Dict[str, FrozenSet[str]] = {"ddtrace-run": DD_FIELDS}


def environment_supplies(name: Optional[str], value: Optional[str]) -> FrozenSet[str]:
    """The fields an environment variable set to `value` turns on."""
    fields, on = ENVIRONMENT_SWITCHES.get(name or "", (frozenset(), frozenset()))
    return fields if value is not None and value.strip().lower() in on else frozenset()


def call_supplies(call: cst.Call, qualified: Optional[str]) -> FrozenSet[str]:
    """The context fields a call makes every record carry (`qualified`: the callee's
    qualified name)."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "instrument" and isinstance(func.value, cst.Call) \
            and (passes_constant(keyword_arg(call, "set_logging_format"), "True") or passes_constant(keyword_arg(call, "inject_trace_context"), "True")):
        return OTEL_FIELDS
    if qualified in ("ddtrace.patch", "ddtrace.patch_all") and passes_constant(keyword_arg(call, "logging"), "True"):
        return DD_FIELDS
    if qualified == "os.environ.setdefault" and len(call.args) == 2:
        return environment_supplies(string_value(call.args[0].value), string_value(call.args[1].value))
    if qualified == "os.environ.update":
        return frozenset().union(*(environment_supplies(a.keyword.value, string_value(a.value))
                                   for a in call.args if a.keyword is not None))
    return frozenset()


def assignment_supplies(target: cst.BaseAssignTargetExpression, value: cst.BaseExpression,
                        qualified: Optional[str]) -> FrozenSet[str]:
    """`os.environ["DD_LOGS_INJECTION"] = "true"` (`qualified`: the subscripted object's
    qualified name) turns injection on for what the program starts or imports later."""
    if qualified != "os.environ" or not isinstance(target, cst.Subscript) or len(target.slice) != 1 \
            or not isinstance(target.slice[0].slice, cst.Index):
        return frozenset()
    return environment_supplies(string_value(target.slice[0].slice.value), string_value(value))


#: structlog chains whose last processor turns the event dict into the stdlib call's `extra=`
_TO_EXTRA = frozenset({"structlog.stdlib.render_to_log_kwargs", "structlog.stdlib.render_to_log_args_and_kwargs"})
#: structlog's own processors and the keys each adds to the event dict (by the name's last
#: part); one not listed may add any key, and the context mergers add whatever the program
#: binds anywhere (`bind_contextvars`), so both supply any field
_STRUCTLOG_PROCESSOR_KEYS: Dict[str, FrozenSet[str]] = {
    "add_log_level": frozenset({"level"}), "add_log_level_number": frozenset({"level_number"}),
    "add_logger_name": frozenset({"logger"}), "TimeStamper": frozenset({"timestamp"}),
    "format_exc_info": frozenset({"exception"}), "dict_tracebacks": frozenset({"exception"}),
    "ExceptionRenderer": frozenset({"exception"}), "StackInfoRenderer": frozenset({"stack"}),
    "PositionalArgumentsFormatter": frozenset(), "UnicodeDecoder": frozenset(), "filter_by_level": frozenset(),
    "render_to_log_kwargs": frozenset(), "render_to_log_args_and_kwargs": frozenset(),
}


def structlog_supplies(call: cst.Call, qualified_name, module: cst.Module) -> Optional[FrozenSet[str]]:
    """The record fields `structlog.configure(processors=[...])` supplies to stdlib records
    (`qualified_name(expr)`: an expression's qualified name at module level): the keys the
    processors add, when the chain renders to `extra=`; nothing otherwise; None (any field)
    when a processor cannot be read."""
    arg = keyword_arg(call, "processors")
    if arg is None:
        return frozenset()
    if not isinstance(arg.value, (cst.List, cst.Tuple)) or any(isinstance(e, cst.StarredElement)
                                                                  for e in arg.value.elements):
        return None
    processors = [e.value for e in arg.value.elements]
    names = [qualified_name(p.func if isinstance(p, cst.Call) else p) for p in processors]
    if not any(name in _TO_EXTRA for name in names):
        return frozenset()  # the keys are rendered into the message
    keys: Set[str] = set()
    for processor, name in zip(processors, names):
        if name is not None and name.startswith("structlog."):
            added = _STRUCTLOG_PROCESSOR_KEYS.get(name.rpartition(".")[2])
        elif isinstance(processor, cst.Name) and name == processor.value:
            added = processor_keys(_module_function(module, processor.value))
        else:
            added = None
        if added is None:
            return None
        keys |= added
    return frozenset(keys)


def _module_function(module: cst.Module, name: str) -> Optional[cst.FunctionDef]:
    found = [s for s in module.body if isinstance(s, cst.FunctionDef) and s.name.value == name]
    return found[-1] if len(found) == 1 else None


def processor_keys(func: Optional[cst.FunctionDef]) -> Optional[FrozenSet[str]]:
    """The keys a structlog processor function `(logger, method_name, event_dict)` adds to
    its event dict: `event_dict["k"] = ...`, `.setdefault("k", ...)`, `.update(k=...)`;
    None when it writes a key it does not spell out, or returns another dict."""
    params = func.params.params if func is not None else ()
    if len(params) != 3 or func.decorators:
        return None
    event_dict = params[2].name.value
    keys: Set[str] = set()
    unknown = []

    class _Writes(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            if not (isinstance(node.value, cst.Name) and node.value.value == event_dict):
                unknown.append(node)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            target = node.target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name) \
                    and target.value.value == event_dict:
                key = string_value(target.slice[0].slice.value) if isinstance(target.slice[0].slice, cst.Index) else None
                keys.add(key) if key is not None else unknown.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                    and func.value.value == event_dict):
                return
            if func.attr.value == "setdefault" and positional_args(node) \
                    and string_value(positional_args(node)[0].value) is not None:
                keys.add(string_value(positional_args(node)[0].value))
            elif func.attr.value == "update" and not positional_args(node) and all(a.keyword for a in node.args):
                keys.update(a.keyword.value for a in node.args)
            elif func.attr.value not in ("get", "pop", "copy", "items", "keys", "values"):
                unknown.append(node)

    func.body.visit(_Writes())
    return None if unknown else frozenset(keys)


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
    consulted.update(deployments.dependencies)
    out = set()
    for name in ENVIRONMENT_SWITCHES:
        for var in deployments.environment(name):
            out |= environment_supplies(name, var.value)
    for launcher in deployments.launchers:
        out |= LAUNCHERS.get(launcher, frozenset())
    return frozenset(out)
