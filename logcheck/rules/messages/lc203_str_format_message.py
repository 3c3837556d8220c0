"""LC203 str-format-message: a message formatted eagerly with `str.format` (rules/LC203.md)."""

from __future__ import annotations

import ast
from typing import List, Optional, Union

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._eager import Field, covered, eager_message, style_of
from logcheck.rules.messages._shared import (LAZY_FIX_MESSAGE, FieldTarget, _field_segments, _fixable_position,
                                             _message, _messages, _new_literal, _plain_literal, _resolved_fields,
                                             _with_message, same_evaluation)


def _str_format_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.Call) and isinstance(m.func, ast.Attribute) and m.func.attr == "format"
               for m in _messages(facts, settings))


_HEAD = "`str.format` used for the logging message"


def _pieces(value: cst.Call, text: str) -> Optional[List[Union[str, Field]]]:
    """The text and fields of `"...".format(...)` for a family whose style is not `%`:
    each field with its argument, conversion and spec (None: a field without a plain
    argument, attribute or index access, `*`/`**`)."""
    fields = _resolved_fields(text)
    if fields is None or any(a.star for a in value.args):
        return None
    positional = [a.value for a in value.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
    pieces: List[Union[str, Field]] = []
    for literal, target, conversion, spec in fields:
        if literal:
            pieces.append(literal)
        if target is None:
            continue
        expr = keywords.get(target) if isinstance(target, str) else \
            positional[target] if target < len(positional) else None
        if expr is None:
            return None
        pieces.append(Field(expr, conversion, spec))
    return pieces


class StrFormatMessage(Rule):
    code = "LC203"
    name = "str-format-message"
    message = "`str.format` used for the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    rewrites_message = True
    uses_logger_calls = True
    ast_gate = staticmethod(_str_format_gate)
    #: every family with a message style: each gets its own advice and fix
    covers = classmethod(lambda cls, family: covered(family))

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        value = arg.value
        if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "format"):
            return
        template = value.func.value
        text = _plain_literal(template)
        if text is None:
            # `template.format(...)`, `_("...").format(...)`: just as eager, but the template's
            # text is unknown, so there is nothing to convert
            if isinstance(template, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)):
                self.report(node, eager_message(_HEAD, call))
            return
        style = style_of(call)
        fix = None
        if style is not None and style.pieces_fix is not None:
            pieces = _pieces(value, text)
            if pieces is not None:
                fix = style.pieces_fix(self, node, call, arg, template, pieces, [a.value for a in value.args])
        elif _fixable_position(call, arg):
            fix = self._fix(node, arg, value, template, text)
        self.report(node, eager_message(_HEAD, call), fix=fix, call=call)

    def _fix(self, node: cst.Call, arg: cst.Arg, value: cst.Call, template: cst.BaseExpression,
             text: str) -> Optional[Fix]:
        fields = _resolved_fields(text)
        if fields is None or any(a.star for a in value.args):
            return None
        positional = [a.value for a in value.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in value.args if a.keyword is not None}

        def argument(target: FieldTarget) -> Optional[cst.BaseExpression]:
            if isinstance(target, int):
                return positional[target] if target < len(positional) else None
            return keywords.get(target)

        segments = _field_segments(fields, argument)
        if segments is None:
            return None
        used = [seg.arg for seg in segments if seg.placeholder is not None]
        if not same_evaluation([a.value for a in value.args], used):  # type: ignore[arg-type]
            return None
        new = _new_literal(template, segments, arg.value)
        if new is None:
            return None
        extra = []
        seen = set()
        for e in used:
            e = fmt.argument_expression(e)  # type: ignore[arg-type]
            extra.append(cst.Arg(e.deep_clone() if id(e) in seen else e))
            seen.add(id(e))
        exact = all(seg.exact for seg in segments)
        return Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE, unsafe=not exact)
