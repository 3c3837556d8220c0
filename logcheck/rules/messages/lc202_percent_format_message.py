"""LC202 percent-format-message: a message formatted eagerly with `%` (rules/LC202.md)."""

from __future__ import annotations

import ast
from typing import List, Optional, Sequence, Union

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._eager import Field, covered, eager_message, style_of
from logcheck.rules.messages._shared import (_fixable_position, _is_str_or_float_literal, _message, _messages,
                                             _plain_literal, _with_message)


def _percent_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.BinOp) and isinstance(m.op, ast.Mod) and isinstance(m.left, ast.Constant)
               and isinstance(m.left.value, str) for m in _messages(facts, settings))


_SAFE_NON_TUPLE_CALLS = ("str", "repr", "len", "int", "float", "format", "ascii", "hex", "oct", "bin")


_NON_TUPLE_NODES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                    cst.FormattedString, cst.List, cst.Set, cst.ListComp, cst.SetComp, cst.DictComp,
                    cst.GeneratorExp, cst.Dict, cst.Lambda)


def _provably_not_tuple(ctx, expr: cst.BaseExpression) -> bool:
    """The value can never be a tuple: a literal or display, a call of a builtin that
    returns a str or a number, or arithmetic that cannot produce a tuple."""
    if isinstance(expr, _NON_TUPLE_NODES):
        return True
    if isinstance(expr, cst.Call):
        func = expr.func
        return isinstance(func, cst.Name) and func.value in _SAFE_NON_TUPLE_CALLS \
            and ctx.is_builtin(func) and not any(a.star for a in expr.args)
    if isinstance(expr, cst.UnaryOperation):
        return True  # - + ~ not: never a tuple
    if isinstance(expr, cst.BinaryOperation):
        op = expr.operator
        if isinstance(op, cst.Add):
            # tuple + x works only for a tuple x (and x + tuple only for a tuple x)
            return _provably_not_tuple(ctx, expr.left) or _provably_not_tuple(ctx, expr.right)
        if isinstance(op, cst.Multiply):
            # tuple * int is a tuple
            return (_provably_not_tuple(ctx, expr.left) and _provably_not_tuple(ctx, expr.right)) \
                or _is_str_or_float_literal(expr.left) or _is_str_or_float_literal(expr.right)
        return True  # - / // % ** << >> & | ^ @: never a tuple for builtin operands
    return False


def _element_args(elements: Sequence[cst.BaseElement]) -> List[cst.Arg]:
    """Call arguments for tuple elements, keeping the commas (and comments) between them."""
    args = []
    for i, el in enumerate(elements):
        comma = el.comma if i < len(elements) - 1 else cst.MaybeSentinel.DEFAULT
        if isinstance(el, cst.StarredElement):
            args.append(cst.Arg(el.value, star="*", comma=comma,
                                whitespace_after_star=el.whitespace_before_value))
        else:
            args.append(cst.Arg(el.value, comma=comma))
    return args


def _placeholder_field(p: fmt.Placeholder, expr: cst.BaseExpression, exact: bool) -> Optional[Field]:
    """The `str.format` field printing what placeholder `p` printed: `%s` -> `{}`, `%r` ->
    `{!r}`, `%-8s` -> `{!s:<8}`, exact; a typed one (`%d` -> `{:d}`, `%05.1f` -> `{:05.1f}`)
    is not (`"%d" % 3.7` is `3`, `"{:d}".format(3.7)` raises). None: no such field (`*`,
    `%c`, a precision on an integer, flags a string ignores)."""
    if p.stars or p.key is not None:
        return None
    flags = p.flags
    width = p.width or ""
    precision = "." + p.precision if p.precision is not None else ""
    if p.conversion in "sra":
        if set(flags) - {"-"}:
            return None
        if not width and not precision:
            return Field(expr, None if p.conversion == "s" else p.conversion, "", exact)
        align = ("<" if "-" in flags else ">") if width else ""
        return Field(expr, p.conversion, align + width + precision, exact)
    kind = "d" if p.conversion in "iu" else p.conversion
    if kind == "c" or (precision and kind in "doxX"):
        return None
    align = "<" if "-" in flags and width else ""
    sign = "+" if "+" in flags else " " if " " in flags else ""
    zero = "0" if "0" in flags and not align and width else ""
    return Field(expr, None, align + sign + ("#" if "#" in flags else "") + zero + width + precision + kind, False)


class PercentFormatMessage(Rule):
    code = "LC202"
    name = "percent-format-message"
    message = "`%`-formatted logging message; pass the arguments to the logging call instead"
    fix = "safe"
    rewrites_message = True
    uses_logger_calls = True
    ast_gate = staticmethod(_percent_gate)
    #: every family with a message style: each gets its own advice and fix
    covers = classmethod(lambda cls, family: covered(family))

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        value = arg.value
        if not isinstance(value, cst.BinaryOperation) or not isinstance(value.operator, cst.Modulo):
            return
        text = _plain_literal(value.left)
        if text is None:
            return
        style = style_of(call)
        fix = None
        if style is not None and style.pieces_fix is not None:
            pieces = self._pieces(value, text)
            if pieces is not None:
                fix = style.pieces_fix(self, node, call, arg, value.left, pieces,
                                       [p.expr for p in pieces if isinstance(p, Field)])
        elif _fixable_position(call, arg):
            fix = self._fix(node, arg, value, text)
        self.report(node, eager_message("`%`-formatted logging message", call), fix=fix, call=call)

    def _pieces(self, value: cst.BinaryOperation, text: str) -> Optional[List[Union[str, Field]]]:
        """The text and fields of `"..." % operand` for a family whose style is not `%`:
        a tuple display gives one field per placeholder; a single operand fills a single
        placeholder (exactly only when it can never be a tuple). None for keys, `*`, a
        mapping, an operand of several values that is not a display, or a count mismatch."""
        parsed = fmt.parse_percent(text)
        operand = value.right
        if parsed.error is not None or parsed.has_keys:
            return None
        if isinstance(operand, cst.Tuple) and operand.lpar:
            if any(isinstance(e, cst.StarredElement) for e in operand.elements):
                return None
            values, single = [e.value for e in operand.elements], True
        elif isinstance(operand, cst.Dict) or parsed.positional_count != 1:
            return None
        else:
            values, single = [operand], _provably_not_tuple(self.ctx, operand)
        if len(values) != parsed.positional_count:
            return None
        pieces: List[Union[str, Field]] = []
        end = 0
        for p, expr in zip(parsed.placeholders, values):
            field = _placeholder_field(p, expr, single)
            if field is None:
                return None
            pieces += [text[end:p.start].replace("%%", "%"), field]
            end = p.end
        pieces.append(text[end:].replace("%%", "%"))
        return [p for p in pieces if p != ""]

    def _fix(self, node: cst.Call, arg: cst.Arg, value: cst.BinaryOperation, text: str) -> Optional[Fix]:
        parsed = fmt.parse_percent(text)
        if parsed.error is not None:
            return None
        operand = value.right
        unsafe = False
        if isinstance(operand, cst.Tuple) and operand.lpar:
            if not operand.elements:
                return None  # `% ()`: the fixed call would not format at all
            extra = _element_args(operand.elements)
        elif isinstance(operand, cst.Dict):
            # logging treats a single non-empty mapping argument as the mapping
            if not any(isinstance(e, cst.DictElement) for e in operand.elements):
                return None
            extra = [cst.Arg(operand)]
        elif parsed.has_keys:
            # needs a mapping at runtime; logging accepts only `collections.abc.Mapping`s
            extra, unsafe = [cst.Arg(operand)], True
        elif parsed.positional_count >= 2:
            # only a tuple of that length works: unpack it
            extra = [cst.Arg(fmt.argument_expression(operand), star="*")]
        elif parsed.positional_count == 1:
            extra = [cst.Arg(fmt.argument_expression(operand))]
            # a 1-tuple at runtime would print its item, not the tuple
            unsafe = not _provably_not_tuple(self.ctx, operand)
        else:
            return None
        left = value.left
        if value.lpar:
            left = left.with_changes(lpar=value.lpar, rpar=value.rpar) if not left.lpar else left
        new_call = _with_message(node, arg, left, extra)
        return Fix.replace(node, new_call, "Pass the arguments to the logging call", unsafe=unsafe)
