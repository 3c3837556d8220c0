"""LC711-LC712: what only structlog has (rules/LC711.md, LC712.md): keys structlog or the
configured processors own, and a processor chain (`structlog.configure`,
`ProcessorFormatter`) held against the logging policy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import libcst as cst

from logcheck.config_model.policy import RUNTIME_PRESETS
from logcheck.lint.rule import Rule
from logcheck.rules._family_gates import imports_family
from logcheck.rules._structlog_chains import CONFIGURE, EXCEPTION_RENDERERS, configured_chains
from logcheck.semantics import families
from logcheck.semantics.loggers import LoggerCall, keyword_arg, passes_constant
from logcheck.source.precheck import word

STRUCTLOG = families.by_name("structlog")
_NEEDLES = (word("structlog"),)

_imports_structlog = imports_family(STRUCTLOG)

_CONSOLE_RENDERERS = frozenset({"structlog.dev.ConsoleRenderer", "structlog.processors.ConsoleRenderer"})
_JSON_RENDERERS = frozenset({"structlog.processors.JSONRenderer"})
_TIMESTAMPERS = frozenset({"structlog.processors.TimeStamper"})


# --------------------------------------------------------------------------- LC711

class StructlogReservedKey(Rule):
    code = "LC711"
    name = "structlog-reserved-key"
    message = "A key that structlog owns is passed as a key-value"
    needles = _NEEDLES
    ast_gate = staticmethod(_imports_structlog)
    covers = classmethod(lambda cls, family: family is STRUCTLOG)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is not None:
            for key in sorted(call.family.reserved_keys):
                arg = call.keyword(key)
                if arg is not None:
                    self.report(arg, f"`{key}=` passed to a structlog call: the event is the first argument, "
                                     "the call raises TypeError (multiple values)")
            self._exc_info(call.keyword(call.family.exception_keyword))
            self._processor_keys(node, _logs_exception(call))
            self._positional(node, call)
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in STRUCTLOG.binds \
                and self.ctx.receiver_family(func.value) is STRUCTLOG:
            for key in sorted(STRUCTLOG.reserved_keys):
                arg = keyword_arg(node, key)
                if arg is not None:
                    self.report(arg, f"`{key}=` bound to a structlog logger: every call's event silently "
                                     "replaces it")
            self._processor_keys(node, False)

    def _processor_keys(self, node: cst.Call, with_exception: bool) -> None:
        """Key-values (of a log call or a `bind`) that a configured processor sets again."""
        keywords = [a for a in node.args if a.keyword is not None and a.keyword.value not in STRUCTLOG.keywords]
        if not keywords:
            return
        configured = configured_chains(self.ctx)
        if configured is None:
            return
        for arg in keywords:
            key = arg.keyword.value  # type: ignore[union-attr]
            owner = configured.keys.get(key) or (configured.exception_keys.get(key) if with_exception else None)
            if owner is not None:
                self.report(arg, f"`{key}=` is overwritten by the configured `{owner}` processor: the value "
                                 "passed here never shows; use another key")

    def _positional(self, node: cst.Call, call: LoggerCall) -> None:
        if not call.format_args or any(a.star for a in node.args):
            return
        configured = configured_chains(self.ctx)
        if configured is not None and configured.positional_unrendered:
            self.report(node, "positional arguments on a `structlog.stdlib.BoundLogger` with no "
                              "`PositionalArgumentsFormatter` in the chain: they stay in `positional_args` and "
                              "the event is never formatted; pass key-values")

    def _exc_info(self, arg: Optional[cst.Arg]) -> None:
        """`exc_info=` takes an exception, a `sys.exc_info()` tuple or a truth value; a
        string or number literal other than 0/1 is none of them."""
        if arg is None:
            return
        value = arg.value
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Float)) or (
                isinstance(value, cst.Integer) and value.value not in ("0", "1")):
            self.report(arg, "`exc_info=` given a value that is not an exception, a tuple or a bool: exception "
                             "processors take it as true (the current exception, if any), renderers without "
                             "one print it as it is")


# --------------------------------------------------------------------------- LC712


class StructlogRendererPolicy(Rule):
    code = "LC712"
    name = "structlog-renderer-policy"
    message = "A structlog processor chain that does not fit the logging policy"
    needles = _NEEDLES
    ast_gate = staticmethod(_imports_structlog)
    covers = classmethod(lambda cls, family: family is STRUCTLOG)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.ctx.loggers.imported_name(node.func, self.ctx.loggers.chain(self.ctx.scope_nodes))
        if not self.ctx.in_function:
            self._cached_use(node, qualified)
        if qualified not in STRUCTLOG.configuration or not self.settings.is_deployed_path(Path(self.ctx.path)):
            return
        chain = keyword_arg(node, "processors")
        if chain is None or not isinstance(chain.value, (cst.List, cst.Tuple)):
            return  # built elsewhere: not followed
        names = [self._processor(e.value) for e in chain.value.elements]
        if qualified.endswith("ProcessorFormatter"):
            single = keyword_arg(node, "processor")
            names += [self._processor(single.value)] if single is not None else []
        last = names[-1] if names else None
        policy = self.settings.policy
        if last in _CONSOLE_RENDERERS and policy.preset in RUNTIME_PRESETS:
            self.report(node, f"`ConsoleRenderer` renders the records under the `{policy.preset}` preset: colours "
                              "and multi-line tracebacks in production logs; use `JSONRenderer`")
        elif last in _CONSOLE_RENDERERS and policy.structured:
            self.report(node, "the policy asks for structured output: `ConsoleRenderer` is not JSON")
        if last in _JSON_RENDERERS and not any(n is not None and n.rpartition(".")[2] in EXCEPTION_RENDERERS
                                               for n in names):
            self.report(node, "`JSONRenderer` with no exception processor before it (`format_exc_info`, "
                              "`dict_tracebacks`): `log.exception()` renders `\"exc_info\": true` and the "
                              "traceback is dropped")
        if "asctime" in policy.required_fields and policy.preset in RUNTIME_PRESETS \
                and not any(n in _TIMESTAMPERS for n in names):
            self.report(node, "no `TimeStamper` in the chain: the policy requires a time on every record")

    def _cached_use(self, node: cst.Call, qualified: Optional[str]) -> None:
        """At import time, in the module's order: a logger used (a log call, `bind`) while
        `cache_logger_on_first_use=True` is in effect keeps that configuration for good; a
        later `configure()` does not reach it."""
        state = self.ctx.memo("LC712.cache", dict)
        assert isinstance(state, dict)
        if qualified in CONFIGURE:
            if state.get("used") is not None:
                self.report(node, f"`configure()` after `{state['used']}(...)` used a logger with "
                                  "`cache_logger_on_first_use=True`: that logger keeps the earlier configuration")
            cache = keyword_arg(node, "cache_logger_on_first_use")
            if cache is not None:
                state["on"] = passes_constant(cache, "True")
            return
        func = node.func
        if state.get("on") and state.get("used") is None and isinstance(func, cst.Attribute) \
                and (func.attr.value in STRUCTLOG.methods or func.attr.value in STRUCTLOG.derivations) \
                and self.ctx.receiver_family(func.value) is STRUCTLOG:
            state["used"] = self.ctx.module.code_for_node(func)

    def _processor(self, expr: cst.BaseExpression) -> Optional[str]:
        """The qualified name of a processor: `format_exc_info`, `JSONRenderer()`."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return None
        return self.ctx.loggers.imported_name(target, self.ctx.loggers.chain(self.ctx.scope_nodes))


def _logs_exception(call: LoggerCall) -> bool:
    """The call logs an exception: `exception()`, or an `exc_info` that is not a false
    literal."""
    arg = call.keyword(call.family.exception_keyword)
    if arg is None:
        return call.method == "exception"
    value = arg.value
    return not (isinstance(value, cst.Name) and value.value in ("False", "None")) \
        and not (isinstance(value, cst.Integer) and value.value == "0")
