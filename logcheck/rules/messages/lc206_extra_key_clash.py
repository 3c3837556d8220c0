"""LC206 extra-key-clash: `extra=` keys that clash with LogRecord attributes (rules/LC206.md)."""

from __future__ import annotations

import ast

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.messages._shared import LOG_RECORD_ATTRIBUTES
from logcheck.semantics.loggers import string_value


def _clashing_keys(extra: ast.expr) -> bool:
    def clashes(d: ast.expr) -> bool:
        return isinstance(d, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in LOG_RECORD_ATTRIBUTES
                                               for k in d.keys)
    if isinstance(extra, ast.Call) and isinstance(extra.func, ast.Name) and extra.func.id == "dict":
        return any(k.arg in LOG_RECORD_ATTRIBUTES for k in extra.keywords) or any(map(clashes, extra.args))
    return clashes(extra)


def _extra_key_gate(facts, settings) -> bool:
    return any("extra" in c.keywords and _clashing_keys(c.keywords["extra"]) for c in facts.logger_calls(settings))


_NON_MAPPING_NODES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                      cst.FormattedString, cst.List, cst.Tuple, cst.Set, cst.ListComp, cst.SetComp,
                      cst.GeneratorExp, cst.Lambda)


class ExtraKeyClash(Rule):
    code = "LC206"
    name = "extra-key-clash"
    message = "`extra` key clashes with a LogRecord attribute; `makeRecord` raises KeyError"
    uses_logger_calls = True
    ast_gate = staticmethod(_extra_key_gate)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is None:
            return
        extra = call.keyword("extra")
        if extra is None:
            return
        value = extra.value
        if isinstance(value, cst.Dict):
            for element in value.elements:
                if isinstance(element, cst.DictElement):
                    key = string_value(element.key)
                    if key in LOG_RECORD_ATTRIBUTES:
                        self._report(element.key, key)  # type: ignore[arg-type]
        elif isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict" \
                and "dict" not in self.ctx.loggers.bound_names:
            for a in value.args:
                if a.keyword is not None and a.keyword.value in LOG_RECORD_ATTRIBUTES:
                    self._report(a.keyword, a.keyword.value)
                elif a.keyword is None and not a.star and isinstance(a.value, cst.Dict):
                    for element in a.value.elements:
                        if isinstance(element, cst.DictElement):
                            key = string_value(element.key)
                            if key in LOG_RECORD_ATTRIBUTES:
                                self._report(element.key, key)  # type: ignore[arg-type]

    def _report(self, node: cst.CSTNode, key: str) -> None:
        self.report(node, f"`extra` key {key!r} clashes with a LogRecord attribute; `makeRecord` raises KeyError")
