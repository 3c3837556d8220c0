"""LC711-LC712: what only structlog has (rules/LC711.md, LC712.md): keys structlog or the
configured processors own, and a processor chain (`structlog.configure`,
`ProcessorFormatter`) held against the logging policy."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import libcst as cst

from logcheck.config_model.policy import RUNTIME_PRESETS
from logcheck.lint.rule import Rule
from logcheck.semantics import families
from logcheck.semantics.loggers import keyword_arg
from logcheck.source.precheck import word

STRUCTLOG = families.by_name("structlog")
_NEEDLES = (word("structlog"),)


def _imports_structlog(facts, settings) -> bool:
    """The file imports structlog (the needle `structlog` found the word, maybe in a comment)."""
    return any(t.lstrip(".").split(".")[0] in STRUCTLOG.modules for targets in facts.import_targets.values()
               for t in targets)

#: processors (by their last name) that render an exception into the event dict
_EXCEPTION_RENDERERS = frozenset({"format_exc_info", "dict_tracebacks", "ExceptionRenderer", "ExceptionPrettyPrinter"})
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
            return
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in STRUCTLOG.binds \
                and self.ctx.receiver_family(func.value) is STRUCTLOG:
            for key in sorted(STRUCTLOG.reserved_keys):
                arg = keyword_arg(node, key)
                if arg is not None:
                    self.report(arg, f"`{key}=` bound to a structlog logger: every call's event silently "
                                     "replaces it")

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
        if last in _JSON_RENDERERS and not any(n is not None and n.rpartition(".")[2] in _EXCEPTION_RENDERERS
                                               for n in names):
            self.report(node, "`JSONRenderer` with no exception processor before it (`format_exc_info`, "
                              "`dict_tracebacks`): `log.exception()` renders `\"exc_info\": true` and the "
                              "traceback is dropped")
        if "asctime" in policy.required_fields and policy.preset in RUNTIME_PRESETS \
                and not any(n in _TIMESTAMPERS for n in names):
            self.report(node, "no `TimeStamper` in the chain: the policy requires a time on every record")

    def _processor(self, expr: cst.BaseExpression) -> Optional[str]:
        """The qualified name of a processor: `format_exc_info`, `JSONRenderer()`."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return None
        return self.ctx.loggers.imported_name(target, self.ctx.loggers.chain(self.ctx.scope_nodes))


