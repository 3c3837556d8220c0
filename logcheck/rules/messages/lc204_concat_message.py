"""LC204 concat-message: a message built with `+` (rules/LC204.md)."""

from __future__ import annotations

import ast
import dataclasses
from typing import List, Optional, Sequence, Union

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._shared import (LAZY_FIX_MESSAGE, _add_operands, _ast_add_operands, _builtin_call,
                                             _first_literal, _fixable_position, _has_fstring, _is_bytes_literal,
                                             _is_str_literal, _literal_segments, _message, _proven_str, _string_parts,
                                             _with_message)
from logcheck.rules.messages._eager import Field, covered, eager_message, fstring_pieces, style_of
from logcheck.rules.messages.formatting import LiteralPart, MessageBuilder, Segment


def _concat_gate(facts, settings) -> bool:
    return any(c.format_args is not None and isinstance(c.message, ast.BinOp) and isinstance(c.message.op, ast.Add)
               and any(_is_str_literal(o) for o in _ast_add_operands(c.message)) for c in facts.logger_calls(settings))


class ConcatMessage(Rule):
    code = "LC204"
    name = "concat-message"
    message = "String concatenation builds the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    rewrites_message = True
    uses_logger_calls = True
    ast_gate = staticmethod(_concat_gate)
    #: every family with a message style: each gets its own advice and fix
    covers = classmethod(lambda cls, family: covered(family))

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        value = arg.value
        if not isinstance(value, cst.BinaryOperation) or not isinstance(value.operator, cst.Add):
            return
        operands = _add_operands(value)
        literals = [o for o in operands if _string_parts(o) is not None]
        if not literals or any(_is_bytes_literal(o) for o in operands):
            return  # no str literal: maybe numbers; a bytes literal: always a TypeError
        if all(_string_parts(o) is not None and not _has_fstring(o) for o in operands):
            return  # only literals: one constant message, nothing is formatted
        if call.format_args is None:
            return  # `"%s " + msg, *args`: a wrapper building a template it formats lazily
        style = style_of(call)
        fix = None
        if style is not None and style.pieces_fix is not None:
            pieces = self._pieces(operands)
            if pieces is not None:
                fix = style.pieces_fix(self, node, call, arg, _first_literal(literals[0]), pieces,
                                       [p.expr for p in pieces if isinstance(p, Field)])
        elif _fixable_position(call, arg):
            fix = self._fix(node, arg, operands, literals[0])
        self.report(node, eager_message("String concatenation builds the logging message", call), fix=fix, call=call)

    def _pieces(self, operands: Sequence[cst.BaseExpression]) -> Optional[List[Union[str, Field]]]:
        """The text and fields of a `+` chain for a family whose style is not `%`: literals
        give their text (and f-string fields), `str(x)` and `repr(x)` a field of `x` with
        `!s`/`!r`, any other operand a field that is exact only for a proven `str` (`+`
        joins a str subclass's data, a field formats the object)."""
        pieces: List[Union[str, Field]] = []
        for operand in operands:
            parts = _string_parts(operand)
            if parts is not None:
                found = fstring_pieces(parts)
                if found is None:
                    return None
                pieces += found
                continue
            inner = _builtin_call(self.ctx, operand, ("str", "repr"))
            if inner is not None:
                pieces.append(Field(fmt.argument_expression(inner[1]), inner[0][0]))
            else:
                pieces.append(Field(operand, exact=_proven_str(self.ctx, operand)))
        return pieces

    def _fix(self, node: cst.Call, arg: cst.Arg, operands: Sequence[cst.BaseExpression],
             first: cst.BaseExpression) -> Optional[Fix]:
        segments: List[Segment] = []
        module = self.ctx.module
        style = _first_literal(first)
        assert style is not None
        prefix, quote = fmt.literal_style(style)
        for operand in operands:
            parts = _string_parts(operand)
            if parts is not None:
                for literal, _ in parts:
                    segs = _literal_segments(literal, module)
                    if segs is None:
                        return None
                    # the parts join into one literal in the first one's style: a text's source
                    # (with its escapes) is kept only from a literal written the same way
                    part_prefix, part_quote = fmt.literal_style(literal)
                    if ("r" in part_prefix.lower(), part_quote) != ("r" in prefix.lower(), quote):
                        segs = [dataclasses.replace(seg, source=None) for seg in segs]
                    segments.extend(segs)
                continue
            inner = _builtin_call(self.ctx, operand, ("str", "repr"))
            if inner is not None:
                segments.append(Segment(placeholder="%r" if inner[0] == "repr" else "%s",
                                        arg=fmt.argument_expression(inner[1])))
            else:
                # `+` joins a str subclass's data, `%s` prints its own `__str__`
                segments.append(Segment(placeholder="%s", arg=operand, exact=_proven_str(self.ctx, operand)))
        builder = MessageBuilder([LiteralPart(prefix, quote, segments)])
        new = builder.build()
        if new is None:
            return None
        extra = [cst.Arg(a) for a in builder.args]
        return Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE, unsafe=not builder.exact)
