"""The LC5xx checks over the configuration model and the policy. Source-independent: the
same functions judge a Python dict literal, an INI file and a YAML file. Python-only
facts (calls, walk state) are judged in `python_findings`.

A `Finding` names its location (`Loc`) and, for Python sources, what a fix would do
(`fix`: a small tuple the rule layer turns into node replacements).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

from logcheck.config_model.model import (CLOUDWATCH, CLOUDWATCH_HANDLER, FILE_HANDLER, NULL, ROTATING_FILE_HANDLER,
                                         TIMED_ROTATING_FILE_HANDLER, UNFORMATTED_KINDS, UNKNOWN, WATCHED_FILE_HANDLER,
                                         Config, FormatterDef, HandlerDef, Loc, LScalar, LUnknown, scalar)
from logcheck.config_model.context_fields import CONTEXT_FIELDS
from logcheck.config_model.policy import DESTINATION_KINDS, Policy
from logcheck.config_model.repeats import function_facts, runs_more_than_once
from logcheck.semantics.levels import STANDARD_LEVELS

#: retention periods CloudWatch Logs accepts (PutRetentionPolicy)
CLOUDWATCH_RETENTION_DAYS = frozenset({1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
                                       2192, 2557, 2922, 3288, 3653})


#: the attributes every LogRecord has once a Formatter formats it (the LogRecord attributes
#: of the `logging` docs; `message` and `asctime` are set by `Formatter.format`; `taskName`
#: exists from Python 3.12 on and is accepted so a 3.12 configuration is not reported)
RECORD_ATTRIBUTES = frozenset({
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "taskName", "message", "asctime",
})
#: formatter classes known to add fields, with the record field each added one stands for
#: (None: a field of its own); any other non-stdlib formatter class may add anything
FORMATTER_FIELDS: Dict[str, Dict[str, Optional[str]]] = {
    "uvicorn.logging.DefaultFormatter": {"levelprefix": "levelname"},
    "uvicorn.logging.ColourizedFormatter": {"levelprefix": "levelname"},
    "uvicorn.logging.AccessFormatter": {"levelprefix": "levelname", "client_addr": None, "request_line": None,
                                        "status_code": None},
}
STDLIB_FORMATTER = "logging.Formatter"
WARNING = 30


@dataclass
class Finding:
    code: str
    loc: Loc
    message: str
    #: Python only: ("rotate", HandlerDef) | ("dict-key", Config) | ("kwarg", call, name, value)
    #: | ("string", node, fixed): replace a string literal
    fix: Optional[Tuple[Any, ...]] = None


def format_fields(fmt: str, style: str) -> Optional[set]:
    """The LogRecord fields a format string uses, or None when it cannot be parsed."""
    if style == "%":  # `%%` is a literal percent sign, not the start of a field; a mapping key
        # is any text in the parentheses (`%(dd.trace_id)s`, ddtrace's fields)
        return {m for m in re.findall(r"%(?:%|\(([^()]+)\))", fmt) if m}
    if style == "{":
        try:
            parsed = list(string.Formatter().parse(fmt))
        except ValueError:
            return None
        return {re.split(r"[.\[]", name, 1)[0] for _, name, _, _ in parsed if name}
    if style == "$":  # `$$` is a literal dollar sign
        return {a or b for a, b in re.findall(r"\$(?:\$|(\w+)|\{(\w+)\})", fmt) if a or b}
    return None


def provided_fields(f: FormatterDef, fmt: str) -> Optional[set]:
    """The record fields a formatter's output shows, a known class's own fields counted as
    the field they stand for (uvicorn's `levelprefix` is the level name); None when its
    class is one that may add fields of its own."""
    if f.cls is not None and f.cls != STDLIB_FORMATTER and f.cls not in FORMATTER_FIELDS:
        return None
    fields = format_fields(fmt, f.style)
    if fields is None:
        return None
    aliases = FORMATTER_FIELDS.get(f.cls or STDLIB_FORMATTER, {})
    return {aliases.get(name) or name for name in fields}


def fields_no_record_has(config: Config, supplied: Optional[FrozenSet[str]],
                         context_fields: FrozenSet[str] = CONTEXT_FIELDS) -> List[Finding]:
    """LC508 (and LC806 for the `context_fields`, which carry trace or correlation
    context): a formatter of a root handler that uses a field no LogRecord has, so every
    record reaching the handler without that attribute fails with ValueError. Silent when
    anything may add the attribute: a project filter on the handler or on any logger, a
    formatter class other than `logging.Formatter`, the formatter's `defaults`, or the
    file's own code (`extra=` with the key, a LoggerAdapter, a record factory: `supplied`
    is None when the file's code may add any field). Only handlers of the root logger are
    judged: records of every library reach them, while a named logger's records may all
    come from code (elsewhere) that passes `extra=`. `basicConfig(format=...)` configures
    the root's handler."""
    if supplied is None or config.partial or config.incremental or config.kind not in ("dict", "ini", "basic"):
        return []
    loggers = list(config.loggers.values()) + ([config.root] if config.root is not None else [])
    if any(ref is None or ref in config.project_filters for lg in loggers for ref in lg.filters):
        return []
    root_handlers = set(config.root.handlers if config.root is not None else ())
    if config.kind == "basic":  # the handler basicConfig makes is the root's
        root_handlers.update(config.handlers)
    if "" in config.loggers:
        root_handlers.update(config.loggers[""].handlers)
    out: List[Finding] = []
    reported = set()
    for hid in sorted(root_handlers):
        h = config.handlers.get(hid)
        if h is None or h.kind in UNFORMATTED_KINDS or any(ref is None or ref in config.project_filters
                                                          for ref in h.filters):
            continue
        f = config.formatter_of(h)
        if f is None or id(f) in reported or not (f.fmt_known and f.style_known and f.cls_known) \
                or f.fmt is None or f.defaults is None or (f.cls or STDLIB_FORMATTER) != STDLIB_FORMATTER:
            continue
        fields = format_fields(f.fmt, f.style)
        missing = sorted((fields or set()) - RECORD_ATTRIBUTES - f.defaults - supplied)
        context = [m for m in missing if m in context_fields]
        missing = [m for m in missing if m not in context_fields]
        if context or missing:
            reported.add(id(f))
        where = "basicConfig's format" if config.kind == "basic" else \
            f"formatter `{f.id}` (handler `{hid}` of the root logger)"
        if context:  # LC806's mistake, not also LC508's
            out.append(Finding("LC806", f.fmt_loc or f.loc, context_message(where, context)))
        if missing:
            names = ", ".join(f"`{m}`" for m in missing)
            out.append(Finding("LC508", f.fmt_loc or f.loc,
                               f"{where} uses {names}, which no "
                               "log record has and no filter, formatter class or `extra=` adds: the configuration "
                               "loads, then every record fails with ValueError (Formatting field not found in "
                               "record)"))
    return out


def context_message(where: str, fields) -> str:
    names = ", ".join(f"`{m}`" for m in fields)
    return (f"{where} uses {names}, trace or correlation context which no log record has and nothing in the "
            "project supplies (no injecting LoggingInstrumentor, ddtrace log injection, filter, adapter or record "
            "factory): every record fails with ValueError (Formatting field not found in record)")


def root_level_drops_records(config: Config) -> bool:
    """With the root level unset (WARNING), are INFO/DEBUG records dropped that the
    configuration means to show? Yes when records below WARNING would reach a handler that
    accepts them (its level unset or below WARNING): a handler of the root (records of
    every logger not configured here reach it), or of a configured logger that sets no
    level of its own and so inherits WARNING. Loggers that set their own level and
    handlers do not depend on the root level, and a root without handlers shows nothing
    below WARNING whatever its level (Python's last-resort handler prints WARNING and up)."""
    def accepting(ids) -> bool:
        for hid in ids:
            h = config.handlers.get(hid)
            if h is not None and h.kind == NULL:  # shows nothing at any level
                continue
            value = _level_value(h.level) if h is not None else None
            if h is None or h.level_loc is None or (value is not None and value < WARNING):
                return True
        return False

    root_handlers = config.root.handlers if config.root is not None else []
    return accepting(root_handlers) or any(lg.level is None and lg.level_known and accepting(lg.handlers)
                                           for name, lg in config.loggers.items() if name)


def _names(kinds: Iterable[str]) -> str:
    return ", ".join(k for k in DESTINATION_KINDS if k in set(kinds))


def _level_value(name: Optional[str]) -> Optional[int]:
    return STANDARD_LEVELS.get(name) if name else None


def config_findings(config: Config, policy: Policy, enabled: Iterable[str], root_level_elsewhere: bool = False,
                    supplied_fields: Optional[FrozenSet[str]] = frozenset()) -> List[Finding]:
    """`supplied_fields`: the record fields the file's code adds (`extra=` keys), None when
    it may add any (see `fields_no_record_has`)."""
    enabled = set(enabled)
    out: List[Finding] = []
    python = config.lang == "python"

    for p in config.problems:
        if p.code in enabled:
            fix = ("string", p.loc.node, p.fixed) if (python and p.fixed and p.loc.node is not None) else None
            out.append(Finding(p.code, p.loc, p.message, fix))

    # LC501 format-missing-field
    if "LC501" in enabled and policy.required_fields:
        required = list(policy.required_fields)
        for fid, f in config.formatters.items():
            if not f.fmt_known or not f.style_known:
                continue
            fmt = f.fmt if f.fmt is not None else "%(message)s"
            fields = provided_fields(f, fmt)
            if fields is None:
                continue
            missing = [r for r in required if r not in fields]
            if missing:
                what = ("basicConfig's format" if config.kind == "basic"
                        else f"formatter `{f.id}`" if config.kind != "code" else "Formatter")
                if f.fmt is None:
                    fmt_text = "(default) " + repr(fmt)
                else:
                    fmt_text = repr(fmt) if len(fmt) <= 60 else repr(fmt[:57] + "...")
                out.append(Finding("LC501", f.fmt_loc or f.loc,
                                   f"{what} {fmt_text} lacks {', '.join(missing)} (policy required-fields)"))
        for h in config.handlers.values():
            if h.formatter is None and h.formatter_known and h.kind not in UNFORMATTED_KINDS and h.kind != UNKNOWN \
                    and not (config.partial and config.kind == "dict"):
                out.append(Finding("LC501", h.loc, f"handler `{h.id}` has no formatter: records are written as the "
                                                   "bare message, without time, level or logger name"))

    if "LC508" in enabled or "LC806" in enabled:
        context_fields = CONTEXT_FIELDS | frozenset(policy.context_fields)
        out.extend(f for f in fields_no_record_has(config, supplied_fields, context_fields) if f.code in enabled)

    for h in config.handlers.values():
        out.extend(handler_findings(h, policy, enabled, python))

    # LC505 level-not-set
    if "LC505" in enabled:
        minimum = policy.minimum_level_value
        if config.kind in ("dict", "ini") and not config.partial and not config.incremental \
                and not root_level_elsewhere:
            is_set, _, _ = config.root_level()
            if not is_set and root_level_drops_records(config):
                if config.kind == "ini":
                    loc = config.root.loc if config.root is not None else config.loc
                    msg = "[logger_root] sets no `level`"
                else:
                    loc = config.root.loc if config.root is not None else config.loc
                    msg = "the configuration sets no root level (`root.level`)"
                if config.kind == "dict" or config.root is not None:
                    out.append(Finding("LC505", loc, msg + ": the root logger stays at WARNING and INFO records vanish"))
        root = config.root if config.root is not None else config.loggers.get("")
        if root is not None and root.level is not None and _level_value(root.level) is not None \
                and 0 < _level_value(root.level) < minimum:
            out.append(Finding("LC505", root.level_loc or root.loc,
                               f"root level {root.level} is below the policy minimum-level {policy.minimum_level}"))
        for h in config.handlers.values():
            value = _level_value(h.level)
            if value is not None and 0 < value < minimum:
                out.append(Finding("LC505", h.level_loc or h.loc,
                                   f"handler `{h.id}` level {h.level} is below the policy minimum-level {policy.minimum_level}"))

    # LC506 existing-loggers-disabled
    if "LC506" in enabled and config.kind == "dict" and not config.incremental and not config.partial \
            and config.disable_existing == "missing":
        out.append(Finding("LC506", config.loc,
                           "dictConfig leaves `disable_existing_loggers` at True: every logger created before "
                           "the call (module-level `getLogger(__name__)`) is silenced",
                           ("dict-key", config) if python else None))

    # LC512 unstructured-format
    if "LC512" in enabled:
        # the reason given is the policy's real value: LC512 may be selected while it is false
        why = "policy structured = true" if policy.structured else "LC512 selected; policy structured = false"
        for h in config.handlers.values():
            if h.kind in UNFORMATTED_KINDS or h.kind == UNKNOWN:
                continue
            f = config.formatter_of(h)
            if h.formatter is None:
                if h.formatter_known and not (config.partial and config.kind == "dict"):
                    out.append(Finding("LC512", h.loc, f"handler `{h.id}` has no formatter: plain-text output, "
                                                       f"not JSON ({why})"))
                continue
            if f is None or not f.cls_known:
                continue
            cls = f.cls or "logging.Formatter"
            if not any(fnmatchcase(cls, pattern) for pattern in policy.json_formatters):
                where = f.loc if config.kind == "code" else h.formatter_loc or h.loc
                out.append(Finding("LC512", where, f"handler `{h.id}` formats with {cls}, which does not emit JSON "
                                                   f"({why})"))
    return out


def _zero_or_missing(h: HandlerDef, name: str, position: int) -> Optional[str]:
    known, value = h.arg(name, position)
    if not known:
        return None
    if value is None:
        return "missing"
    if isinstance(value, LScalar) and value.value == 0 and not isinstance(value.value, bool):
        return "0"
    return None


def handler_findings(h: HandlerDef, policy: Policy, enabled, python: bool) -> List[Finding]:
    out: List[Finding] = []
    loc = h.cls_loc if (h.cls_loc is not None and not python) else h.loc
    # LC502
    if "LC502" in enabled and policy.rotation != "none":
        if h.file_subclass:
            out.append(Finding("LC502", loc, f"`{h.cls}` (a FileHandler subclass without rotation) never rotates "
                                             "its file: it grows without bound; derive from RotatingFileHandler"))
        elif h.cls == FILE_HANDLER or (h.cls == WATCHED_FILE_HANDLER and policy.rotation == "required"):
            short = h.cls.rsplit(".", 1)[-1]
            extra = "" if h.cls == FILE_HANDLER else " (policy rotation = \"required\"; set \"external\" when logrotate rotates it)"
            out.append(Finding("LC502", loc, f"{short} `{h.id}` never rotates its file: it grows without bound; use "
                                             f"RotatingFileHandler{extra}", ("rotate", h) if python else None))
    # LC503
    if "LC503" in enabled:
        if h.cls == ROTATING_FILE_HANDLER:
            for name, position in (("maxBytes", 2), ("backupCount", 3)):
                state = _zero_or_missing(h, name, position)
                if state:
                    out.append(Finding("LC503", loc, f"RotatingFileHandler `{h.id}`: {name} is {state} "
                                                     "(default 0), so the file never rolls over"
                                       if name == "maxBytes" else
                                       f"RotatingFileHandler `{h.id}`: {name} is {state} (default 0), so "
                                       "rollover never occurs"))
                    break
        elif h.cls == TIMED_ROTATING_FILE_HANDLER:
            state = _zero_or_missing(h, "backupCount", 3)
            if state:
                out.append(Finding("LC503", loc, f"TimedRotatingFileHandler `{h.id}`: backupCount is {state} "
                                                 "(default 0), so old files are never deleted"))
    # LC504
    if "LC504" in enabled and h.kind != UNKNOWN and not policy.allows(h.kind):
        extra = " (the runtime already ships stdout/stderr to CloudWatch Logs: records would be shipped twice)" \
            if h.kind == CLOUDWATCH and policy.preset == "aws-lambda" else ""
        out.append(Finding("LC504", loc, f"handler `{h.id}` writes to {h.kind}, which the policy "
                                         f"(preset {policy.preset}) does not allow; allowed: "
                                         f"{_names(policy.destinations)}{extra}"))
    # LC509
    if "LC509" in enabled and h.cls == CLOUDWATCH_HANDLER:
        known, group = h.arg("log_group_name", 0)
        if known and group is None and "log_group" not in h.args:
            out.append(Finding("LC509", loc, f"CloudWatchLogHandler `{h.id}` has no log_group_name: records land in "
                                             "the log group `watchtower`"))
        known_c, create = h.arg("create_log_group", 8)
        known_r, retention = h.arg("log_group_retention_days", 9)
        creates = create is None or scalar(create) is True
        if known_c and creates and known_r and retention is None:
            out.append(Finding("LC509", loc, f"CloudWatchLogHandler `{h.id}` may create its log group without "
                                             "log_group_retention_days: the group keeps every event forever"))
        days = scalar(retention, int)
        if days is not None and days not in CLOUDWATCH_RETENTION_DAYS:
            out.append(Finding("LC509", retention.loc if retention.loc.node is not None or not python else loc,
                               f"CloudWatchLogHandler `{h.id}`: log_group_retention_days={days} is not a retention "
                               "CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, "
                               "731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)"))
        for key, position in (("log_stream_name", 1), ("stream_name", None)):
            _, stream = h.arg(key, position)
            text = scalar(stream, str)
            if text is not None and (":" in text or "*" in text):
                out.append(Finding("LC509", stream.loc, f"CloudWatchLogHandler `{h.id}`: log stream name {text!r} "
                                                        "contains `:` or `*`, which CloudWatch Logs rejects"))
    return out


def _guarded(function, resolver=None, module=None) -> bool:
    """Does the function check, remove or clear existing handlers (itself, or through a
    function of `module` it calls), check a run-once flag it declares `global`, or run
    once (cached)?"""
    import libcst as cst

    from logcheck.source.cst import iter_children

    if function is None:
        return True
    for dec in getattr(function, "decorators", ()):
        expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
        tail = expr.attr.value if isinstance(expr, cst.Attribute) else getattr(expr, "value", "")
        if tail in ("cache", "lru_cache", "cached", "once", "run_once", "cached_property", "singleton"):
            return True
    flags: set = set()  # module-level names the function declares `global`: a run-once flag
    tests: List[cst.CSTNode] = []
    helpers: set = set()  # functions it calls by name
    stack = [function]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Global):
            flags.update(n.name.value for n in node.names)
        elif isinstance(node, cst.If):
            tests.append(node.test)
        # the handlers themselves, or whether the logger exists yet (`loggerDict`: made once)
        if isinstance(node, cst.Attribute) and node.attr.value in ("handlers", "hasHandlers", "removeHandler",
                                                                    "loggerDict"):
            if resolver is None or resolver.qualified_name(node) != "logging.handlers":  # the module is no guard
                return True
        if isinstance(node, cst.Name) and node.value == "hasHandlers":
            return True
        if module is not None and isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            helpers.add(node.func.value)
        stack.extend(iter_children(node))
    if helpers and any(isinstance(stmt, cst.FunctionDef) and stmt.name.value in helpers and stmt is not function
                       and _guarded(stmt, resolver) for stmt in module.body):
        return True  # `_remove_handlers(logger)` before adding them again
    while tests:  # `global _configured` ... `if _configured: return`
        node = tests.pop()
        if isinstance(node, cst.Name) and node.value in flags:
            return True
        tests.extend(iter_children(node))
    return False


def _calls_elsewhere(ctx, fn) -> list:
    """The calls of a module-level function made by the project's other modules."""
    from logcheck.config_model.repeats import CallPlace

    if fn.method:
        return []
    return [CallPlace(in_loop=site.in_loop) for site in ctx.loggers.imported_call_sites(ctx.source, fn.name)]


def python_findings(model, ctx, enabled: Iterable[str]) -> List[Finding]:
    """Findings about configuration calls in Python code (and the files they load)."""
    from logcheck.semantics.loggers import keyword_arg, positional_args
    from logcheck.semantics.purpose import is_application_code, is_test

    enabled = set(enabled)
    out: List[Finding] = []
    test_file = is_test(ctx)
    facts = None
    for site in model.calls:
        call = site.node
        starred = any(a.star for a in call.args)
        # whether the call is program code is a question about the whole project: asked
        # only of a call that configures
        configures = site.kind in ("basicConfig", "dictConfig", "fileConfig")
        adds_handler = site.kind == "addHandler" and site.handler is not None and not site.null
        if "LC507" in enabled and (configures or adds_handler) and not is_application_code(ctx, call):
            if configures:
                out.append(Finding("LC507", Loc(node=call), f"library code calls `{site.kind}`: configuring logging "
                                                            "is the application's job (add a NullHandler at most)"))
            else:
                out.append(Finding("LC507", Loc(node=call), f"library code adds a {site.handler.cls.rsplit('.', 1)[-1]}: "
                                                            "only NullHandler belongs in a library"))
        if site.kind == "basicConfig" and not starred:
            if "LC505" in enabled and keyword_arg(call, "level") is None and not model.root_level_set:
                out.append(Finding("LC505", Loc(node=call), "basicConfig() without level=: the root logger stays at "
                                                            "WARNING and INFO records vanish"))
            if "LC510" in enabled and keyword_arg(call, "force") is None:
                out.append(Finding("LC510", Loc(node=call), "basicConfig() without force=True does nothing when the "
                                                            "root logger already has a handler (AWS Lambda installs one)",
                                   ("kwarg", call, "force", "True")))
        elif site.kind == "fileConfig" and not starred:
            pos = positional_args(call)
            if "LC506" in enabled and keyword_arg(call, "disable_existing_loggers") is None and len(pos) <= 2:
                out.append(Finding("LC506", Loc(node=call), "fileConfig() leaves `disable_existing_loggers` at True: "
                                                            "every logger created before the call is silenced",
                                   ("kwarg", call, "disable_existing_loggers", "False")))
        elif site.kind == "addHandler":
            # only a handler constructed in the same function is a new object on every call
            # (adding the same handler object twice is a no-op); tests run once
            if "LC511" in enabled and site.function is not None and site.handler is not None and not site.null \
                    and site.handler.scope == id(site.function) and not test_file \
                    and not _guarded(site.function, ctx.loggers, ctx.module):
                facts = facts if facts is not None else function_facts(ctx.module)
                fn = facts.get(id(site.function))
                if fn is not None and runs_more_than_once(fn, _calls_elsewhere(ctx, fn)):
                    out.append(Finding("LC511", Loc(node=call), "addHandler() inside a function without a check "
                                                                "of existing handlers: every call adds another "
                                                                "handler and each record is emitted again"))
    if "LC508" in enabled:
        for call, path, config in model.followed:
            errors = [p for p in config.problems if p.code == "LC508"]
            if errors:
                first = errors[0]
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                out.append(Finding("LC508", Loc(node=call), f"fileConfig would fail at startup: {path.name}:"
                                                            f"{first.loc.line}: {first.message}{more}"))
    return out


__all__ = ["python_findings", "Finding", "config_findings", "handler_findings", "format_fields", "CLOUDWATCH_RETENTION_DAYS", "NULL",
           "LUnknown"]
