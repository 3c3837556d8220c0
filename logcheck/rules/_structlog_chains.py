"""The structlog processor chains a program installs, read from every
`structlog.configure` of the project's modules: which keys the processors own and whether
positional arguments are ever rendered. LC711 reports what the chains overwrite; LC205
asks whether `%` placeholders are ever filled."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from logcheck.rules._family_gates import in_program
from logcheck.semantics import families
from logcheck.semantics.project_calls import ProjectCall, literal_sequence

STRUCTLOG = families.by_name("structlog")
#: processors (by their last name) that render an exception into the event dict
EXCEPTION_RENDERERS = frozenset({"format_exc_info", "dict_tracebacks", "ExceptionRenderer", "ExceptionPrettyPrinter"})

_LIBRARY = min(STRUCTLOG.modules)
#: the calls that install the processor chain for every logger
CONFIGURE = frozenset({"structlog.configure", "structlog.configure_once"})
#: processors that set a key of every event dict, whatever the call passed
_OWNED_KEYS: Dict[str, Tuple[str, ...]] = {
    "structlog.processors.add_log_level": ("level",),
    "structlog.stdlib.add_log_level": ("level",),
    "structlog.stdlib.add_log_level_number": ("level_number",),
    "structlog.stdlib.add_logger_name": ("logger",),
}
#: processors whose keyword argument names the key they set, with its default
_KEYWORD_KEYS = {"structlog.processors.TimeStamper": ("key", "timestamp")}
_CALLSITE_ADDER = "structlog.processors.CallsiteParameterAdder"
#: what `CallsiteParameterAdder()` adds without `parameters` (the ones of every version)
_CALLSITE_DEFAULT = ("pathname", "filename", "module", "func_name", "lineno", "thread", "thread_name", "process",
                     "process_name")
#: processors that pass positional arguments on or format them into the event
_POSITIONAL_RENDERERS = frozenset({"structlog.stdlib.PositionalArgumentsFormatter",
                                   "structlog.stdlib.render_to_log_args_and_kwargs",
                                   "structlog.stdlib.ProcessorFormatter.wrap_for_formatter"})
_STDLIB_BOUND_LOGGER = "structlog.stdlib.BoundLogger"


@dataclass(frozen=True)
class Configured:
    """What every processor chain the program's `structlog.configure` calls install does."""

    #: key -> the processor that sets it on every event
    keys: Dict[str, str]
    #: key -> the processor that sets it when an exception is logged
    exception_keys: Dict[str, str]
    #: every configuration wraps loggers in `structlog.stdlib.BoundLogger` and no
    #: processor of any chain renders positional arguments
    positional_unrendered: bool


def _chain_keys(call: ProjectCall, chain) -> Optional[Tuple[Dict[str, str], Dict[str, str], bool]]:
    """(keys set on every event, keys set with an exception, renders positional
    arguments or may) of one literal processor chain."""
    keys: Dict[str, str] = {}
    exception_keys: Dict[str, str] = {}
    renders = False
    for element in chain:
        name = call.resolve(element)
        if name is None or name.split(".")[0] not in STRUCTLOG.modules:
            renders = True  # a processor of the project or another library: it may
            continue
        short = name.rpartition(".")[2]
        keys.update((k, short) for k in _OWNED_KEYS.get(name, ()))
        if name in _KEYWORD_KEYS and isinstance(element, ast.Call):
            keyword, default = _KEYWORD_KEYS[name]
            given = next((k.value for k in element.keywords if k.arg == keyword), None)
            if given is None:
                keys[default] = short
            elif isinstance(given, ast.Constant) and isinstance(given.value, str):
                keys[given.value] = short
        elif name == _CALLSITE_ADDER and isinstance(element, ast.Call):
            keys.update((k, short) for k in _callsite_parameters(element))
        if short in EXCEPTION_RENDERERS and short != "ExceptionPrettyPrinter":
            exception_keys["exception"] = short
        renders = renders or name in _POSITIONAL_RENDERERS
    return keys, exception_keys, renders


def _callsite_parameters(adder: ast.Call) -> Tuple[str, ...]:
    """The keys a `CallsiteParameterAdder(...)` sets: `parameters` written as a literal
    of `CallsiteParameter.NAME` members, or the default ones."""
    given = next((k.value for k in adder.keywords if k.arg == "parameters"), adder.args[0] if adder.args else None)
    if given is None:
        return _CALLSITE_DEFAULT
    if not isinstance(given, (ast.List, ast.Tuple, ast.Set)):
        return ()
    return tuple(e.attr.lower() for e in given.elts if isinstance(e, ast.Attribute))


def _intersection(maps: List[Dict[str, str]]) -> Dict[str, str]:
    common = set.intersection(*(set(m) for m in maps)) if maps else set()
    return {k: maps[0][k] for k in sorted(common)}


def _read_chains(ctx) -> Optional[Configured]:
    """What the program's processor chains do, when the project shows all of them:
    every `structlog.configure` of the program's modules passes a literal chain (one
    at least) and no `**options`; None otherwise (unknown)."""
    calls = ctx.project_calls(_LIBRARY, {q.rpartition(".")[2] for q in CONFIGURE})
    if calls is None:
        return None
    chains: List[Tuple[Dict[str, str], Dict[str, str], bool]] = []
    wrappers: List[Optional[str]] = []
    for call in calls:
        if call.qualified not in CONFIGURE or not in_program(ctx, call.path):
            continue
        if call.has_star_keywords:
            return None
        processors, wrapper = call.keyword("processors"), call.keyword("wrapper_class")
        if processors is not None:
            chain = literal_sequence(processors)
            if chain is None:
                return None
            chains.append(_chain_keys(call, chain))  # type: ignore[arg-type]
        if wrapper is not None:
            wrappers.append(call.resolve(wrapper))
    if not chains:
        return None
    return Configured(_intersection([c[0] for c in chains]), _intersection([c[1] for c in chains]),
                       bool(wrappers) and all(w == _STDLIB_BOUND_LOGGER for w in wrappers)
                       and not any(c[2] for c in chains))


def configured_chains(ctx) -> Optional[Configured]:
    """What the program's processor chains do (computed once per checked file), or None
    when the project does not show every chain."""
    return ctx.memo("structlog.configured", lambda: _read_chains(ctx))  # type: ignore[return-value]
