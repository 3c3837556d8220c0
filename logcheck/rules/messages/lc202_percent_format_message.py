"""LC202 percent-format-message: a message formatted eagerly with `%` (rules/LC202.md)."""

from __future__ import annotations

import ast
from typing import List, Optional, Sequence

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
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


class PercentFormatMessage(Rule):
    code = "LC202"
    name = "percent-format-message"
    message = "`%`-formatted logging message; pass the arguments to the logging call instead"
    fix = "safe"
    rewrites_message = True
    uses_logger_calls = True
    ast_gate = staticmethod(_percent_gate)

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
        fix = None
        if _fixable_position(call, arg):
            fix = self._fix(node, arg, value, text)
        self.report(node, fix=fix, call=call)

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
