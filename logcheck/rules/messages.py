"""LC2xx: how the logging message is built and what it carries.

The conversions to `%`-style lazy arguments (LC201-LC204) build their new message with
`logcheck.formatting` and are offered only when they are exact: the fixed call emits the
same text as the original for every input on which the original worked. Anything else is
reported without a fix.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from logcheck import formatting as fmt
from logcheck.formatting import LiteralPart, MessageBuilder, Segment
from logcheck.engine import iter_children
from logcheck.loggers import LoggerCall, string_value
from logcheck.purpose import in_program_code
from logcheck.rule import Fix, Rule

LAZY_FIX_MESSAGE = "Use %-style lazy arguments"

#: LogRecord attributes that `extra` must not contain (`Logger.makeRecord` raises KeyError)
LOG_RECORD_ATTRIBUTES = frozenset(
    "name msg args levelname levelno pathname filename module exc_info exc_text stack_info lineno funcName "
    "created msecs relativeCreated thread threadName processName process taskName message asctime".split()
)

StringNode = Union[cst.SimpleString, cst.FormattedString]


# --------------------------------------------------------------------------- shared helpers


def _message(rule: Rule, node: cst.Call) -> Optional[Tuple[LoggerCall, cst.Arg]]:
    call = rule.ctx.logger_call(node)
    if call is None:
        return None
    arg = call.message_arg
    if arg is None:
        return None
    return call, arg


def _fixable_position(call: LoggerCall, arg: cst.Arg) -> bool:
    """A new message with arguments can be written: the message is positional and the call
    has no format arguments yet (mixing is not convertible exactly) and no `*args`."""
    return arg.keyword is None and call.format_args == []


def _with_message(call: cst.Call, msg_arg: cst.Arg, value: cst.BaseExpression,
                  extra: Sequence[cst.Arg]) -> cst.Call:
    """`call` with the message replaced and `extra` arguments inserted right after it,
    leaving every other argument (and its whitespace and comments) alone."""
    args: List[cst.Arg] = []
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    for a in call.args:
        if a is not msg_arg:
            args.append(a)
            continue
        if not extra:
            args.append(a.with_changes(value=value))
            continue
        args.append(a.with_changes(value=value, comma=space, whitespace_after_arg=cst.SimpleWhitespace("")))
        for e in extra[:-1]:
            # a comma taken over from a tuple element keeps its whitespace and comments
            args.append(e if isinstance(e.comma, cst.Comma) else e.with_changes(comma=space))
        args.append(extra[-1].with_changes(comma=a.comma, whitespace_after_arg=a.whitespace_after_arg))
    return call.with_changes(args=args)


def _string_parts(expr: cst.BaseExpression) -> Optional[List[Tuple[StringNode, Optional[cst.BaseParenthesizableWhitespace]]]]:
    """The literals of a (possibly implicitly concatenated) string, each with the whitespace
    that follows it; None when `expr` is not a str literal."""
    if isinstance(expr, (cst.SimpleString, cst.FormattedString)):
        prefix, _ = fmt.literal_style(expr)
        return None if "b" in prefix.lower() else [(expr, None)]
    if isinstance(expr, cst.ConcatenatedString):
        left, right = _string_parts(expr.left), _string_parts(expr.right)
        if left is None or right is None:
            return None
        left[-1] = (left[-1][0], expr.whitespace_between)
        return left + right
    return None


def _has_fstring(expr: cst.BaseExpression) -> bool:
    parts = _string_parts(expr)
    return parts is not None and any(isinstance(p, cst.FormattedString) for p, _ in parts)


def _fstring_field(part: cst.FormattedStringExpression, module: cst.Module,
                   prefix: str, quote: str) -> Optional[List[Segment]]:
    """Segments for one f-string field, or None when it has no exact `%` form."""
    spec = ""
    if part.format_spec:
        if not all(isinstance(s, cst.FormattedStringText) for s in part.format_spec):
            return None  # nested replacement field in the spec
        spec = "".join(s.value for s in part.format_spec)  # type: ignore[union-attr]
        if "\\" in spec or "{" in spec or "}" in spec:
            return None
    conversion = part.conversion
    segments: List[Segment] = []
    if part.equal is not None:
        # `{x=}` prints the expression text as written, then the value (repr by default)
        text = (module.code_for_node(part.whitespace_before_expression) + module.code_for_node(part.expression)
                + module.code_for_node(part.whitespace_after_expression)
                + module.code_for_node(part.equal.whitespace_before) + "="
                + module.code_for_node(part.equal.whitespace_after))
        segments.append(Segment(text, fmt.text_source(text, prefix, quote)))
        if conversion is None and part.format_spec is None:
            # `{x=}` prints repr(x); with a spec, even an empty one (`{x=:}`), it is format(x, spec)
            conversion = "r"
    placeholder = fmt.percent_spec(conversion, spec)
    if placeholder is None:
        return None
    segments.append(Segment(placeholder=placeholder, arg=fmt.argument_expression(part.expression),
                            exact=fmt.same_for_every_type(conversion, spec)))
    return segments


def _literal_segments(node: StringNode, module: cst.Module) -> Optional[List[Segment]]:
    prefix, quote = fmt.literal_style(node)
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if not isinstance(value, str):
            return None
        return [Segment(value, node.value[len(prefix) + len(quote): len(node.value) - len(quote)])]
    raw = "r" in prefix.lower()
    segments: List[Segment] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            value = fmt.fstring_text_value(part.value, prefix, quote)
            if value is None:
                return None
            segments.append(Segment(value, fmt.unbrace(part.value, raw)))
        else:
            field = _fstring_field(part, module, prefix, quote)  # type: ignore[arg-type]
            if field is None:
                return None
            segments.extend(field)
    return segments


def fstring_builder(expr: cst.BaseExpression, module: cst.Module) -> Optional[MessageBuilder]:
    """The builder for the `%`-style form of an f-string message (with implicitly
    concatenated plain and f-string parts), or None when a field is not convertible."""
    parts = _string_parts(expr)
    if parts is None:
        return None
    literal_parts: List[LiteralPart] = []
    for node, ws in parts:
        segments = _literal_segments(node, module)
        if segments is None:
            return None
        prefix, quote = fmt.literal_style(node)
        literal_parts.append(LiteralPart(prefix, quote, segments, ws))
    return MessageBuilder(literal_parts)


def _inert(expr: cst.BaseExpression) -> bool:
    """Evaluating it can neither cause nor observe a side effect: a number or string
    literal (no f-string), a signed number literal, `True`, `False`, `None`."""
    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return _string_parts(expr) is not None and not _has_fstring(expr)
    if isinstance(expr, cst.UnaryOperation):
        return isinstance(expr.operator, (cst.Minus, cst.Plus)) \
            and isinstance(expr.expression, (cst.Integer, cst.Float, cst.Imaginary))
    return isinstance(expr, cst.Name) and expr.value in ("True", "False", "None")


def same_evaluation(original: Sequence[cst.BaseExpression], new: Sequence[cst.BaseExpression]) -> bool:
    """Evaluating the expressions `new` (nodes taken from `original`, by identity) gives
    the values and side effects that evaluating `original` in order gave. Anything but a
    literal or a plain name may cause a side effect (a call, an attribute or subscript,
    an operator, `await`, `:=`): each of those is evaluated exactly once and in its
    original order. A plain name may observe one: it is read after exactly the same of
    them as before. Literals may be dropped, repeated or moved freely."""
    def effectful(e: cst.BaseExpression) -> bool:
        return not _inert(e) and not isinstance(e, cst.Name)

    if [id(e) for e in original if effectful(e)] != [id(e) for e in new if effectful(e)]:
        return False
    effects_before: Dict[int, int] = {}
    count = 0
    for e in original:
        if effectful(e):
            count += 1
        elif isinstance(e, cst.Name):
            effects_before[id(e)] = count
    count = 0
    for e in new:
        if effectful(e):
            count += 1
        elif isinstance(e, cst.Name) and effects_before[id(e)] != count:
            return False
    return True


def _first_literal(expr: cst.BaseExpression) -> Optional[StringNode]:
    parts = _string_parts(expr)
    return parts[0][0] if parts else None


def _is_builtin_call(ctx, expr: cst.BaseExpression, names: Sequence[str]) -> bool:
    """A call of one of the builtins `names` (not rebound anywhere in the file)."""
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in names \
        and ctx.is_builtin(expr.func)


def _builtin_call(ctx, expr: cst.BaseExpression, names: Sequence[str]) -> Optional[Tuple[str, cst.BaseExpression]]:
    """`str(x)` / `repr(x)` (one plain positional argument, builtin not rebound):
    (name, x)."""
    if not _is_builtin_call(ctx, expr, names) or expr.lpar:  # type: ignore[attr-defined]
        return None
    args = expr.args  # type: ignore[attr-defined]
    if len(args) != 1 or args[0].keyword is not None or args[0].star:
        return None
    return expr.func.value, args[0].value  # type: ignore[attr-defined]


def _proven_str(ctx, expr: cst.BaseExpression) -> bool:
    """The value is certainly an exact `str`, never a subclass (whose own `__str__` is what
    `%s` prints, while `+` joins its data): a str literal or f-string, `str(...)` or
    `repr(...)` of the builtins, and `%` or `.format(...)` applied to a str literal."""
    if _string_parts(expr) is not None or _is_builtin_call(ctx, expr, ("str", "repr")):
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Modulo):
        return _string_parts(expr.left) is not None
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) \
        and expr.func.attr.value == "format" and _string_parts(expr.func.value) is not None


#: a `str.format` field target: the positional index (automatic numbering resolved) or the keyword
FieldTarget = Union[int, str]
#: (literal text before the field, target or None after the last field, conversion, spec)
ResolvedField = Tuple[str, Optional[FieldTarget], Optional[str], str]


def _resolved_fields(template: str) -> Optional[List[ResolvedField]]:
    """The fields of a `str.format` template, or None when the template is malformed or a
    field has no `%` form: attribute or index access, a nested field in the spec."""
    fields = fmt.parse_str_format(template)
    if fields is None:
        return None
    out: List[ResolvedField] = []
    automatic: Optional[bool] = None
    next_index = 0
    for literal, name, spec, conversion in fields:
        if name is None:
            out.append((literal, None, None, ""))
            continue
        spec = spec or ""
        if "{" in spec or "}" in spec:
            return None
        target: FieldTarget
        if name == "":
            if automatic is False:
                return None  # str.format rejects mixed numbering
            automatic, target = True, next_index
            next_index += 1
        elif name.isascii() and name.isdigit():
            if automatic is True:
                return None
            automatic, target = False, int(name)
        elif name.isidentifier():
            target = name
        else:
            return None
        out.append((literal, target, conversion, spec))
    return out


def _field_segments(fields: Sequence[ResolvedField],
                    argument: Callable[[FieldTarget], Optional[cst.BaseExpression]],
                    keyed: bool = False) -> Optional[List[Segment]]:
    """Segments for `fields`, each field taking the expression `argument(target)` (None:
    no fix); `keyed`: `%(name)` placeholders for named fields, for a mapping argument."""
    segments: List[Segment] = []
    for literal, target, conversion, spec in fields:
        if literal:
            segments.append(Segment(literal))
        if target is None:
            continue
        expr = argument(target)
        placeholder = fmt.percent_spec(conversion, spec)
        if expr is None or placeholder is None:
            return None
        if keyed:
            placeholder = f"%({target}){placeholder[1:]}"
        segments.append(Segment(placeholder=placeholder, arg=expr, exact=fmt.same_for_every_type(conversion, spec)))
    return segments


def _new_literal(style_of: cst.BaseExpression, segments: List[Segment],
                 message: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """One new literal from `segments` in the prefix and quotes of the first literal of
    `style_of`, with the parentheses of the `message` it replaces (None when no exact
    literal exists)."""
    first = _first_literal(style_of)
    assert first is not None
    prefix, quote = fmt.literal_style(first)
    new = MessageBuilder([LiteralPart(prefix, quote, segments)]).build()
    if new is not None and message.lpar:
        new = new.with_changes(lpar=message.lpar, rpar=message.rpar)
    return new


# --------------------------------------------------------------------------- ast gates
# On the interpreter's ast, where an implicit concatenation is one node (a JoinedStr when
# any part is an f-string, else a Constant) and parentheses leave no trace.


def _ast_add_operands(expr: ast.expr) -> List[ast.expr]:
    """The leaves of a `+` tree: a superset of `_add_operands`' (which keeps a parenthesized
    sum as one operand)."""
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _ast_add_operands(expr.left) + _ast_add_operands(expr.right)
    return [expr]


def _is_str_literal(expr: ast.expr) -> bool:
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def _messages(facts, settings):
    return (c.message for c in facts.logger_calls(settings) if c.message is not None)


def _fstring_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.JoinedStr) for m in _messages(facts, settings))


def _percent_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.BinOp) and isinstance(m.op, ast.Mod) and isinstance(m.left, ast.Constant)
               and isinstance(m.left.value, str) for m in _messages(facts, settings))


def _str_format_gate(facts, settings) -> bool:
    return any(isinstance(m, ast.Call) and isinstance(m.func, ast.Attribute) and m.func.attr == "format"
               for m in _messages(facts, settings))


def _concat_gate(facts, settings) -> bool:
    return any(c.format_args is not None and isinstance(c.message, ast.BinOp) and isinstance(c.message.op, ast.Add)
               and any(_is_str_literal(o) for o in _ast_add_operands(c.message)) for c in facts.logger_calls(settings))


def _may_mismatch(message: ast.expr, args) -> bool:
    """LC205's checks on a constant message, loosened where they need the argument nodes:
    a keyed or mapping format, or a `{` in a message without placeholders, counts."""
    if isinstance(message, ast.Constant) and isinstance(message.value, bytes):
        return True
    operands = _ast_add_operands(message)
    if args is None or not all(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in operands):
        return False
    text = "".join(o.value for o in operands)  # type: ignore[attr-defined]
    parsed = fmt.parse_percent(text)
    if not args:  # logging does not format: only a placeholder as written counts (`100% done` reads `% d`)
        return any(" " not in p.flags for p in parsed.placeholders)
    return (parsed.error is not None or parsed.has_keys or parsed.positional_count != len(args)
            or isinstance(args[0], ast.Dict) or (not parsed.placeholders and "{" in text))


def _format_args_gate(facts, settings) -> bool:
    return any(c.message is not None and _may_mismatch(c.message, c.format_args) for c in facts.logger_calls(settings))


def _clashing_keys(extra: ast.expr) -> bool:
    def clashes(d: ast.expr) -> bool:
        return isinstance(d, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in LOG_RECORD_ATTRIBUTES
                                               for k in d.keys)
    if isinstance(extra, ast.Call) and isinstance(extra.func, ast.Name) and extra.func.id == "dict":
        return any(k.arg in LOG_RECORD_ATTRIBUTES for k in extra.keywords) or any(map(clashes, extra.args))
    return clashes(extra)


def _extra_key_gate(facts, settings) -> bool:
    return any("extra" in c.keywords and _clashing_keys(c.keywords["extra"]) for c in facts.logger_calls(settings))


def _exception_message_gate(facts, settings) -> bool:
    """LC207 needs, inside an `except` block, a message that is a name some `except ... as`
    binds."""
    return any(c.in_handler and isinstance(c.message, ast.Name) and c.message.id in facts.handler_names
               for c in facts.logger_calls(settings))


# --------------------------------------------------------------------------- LC201


class FStringMessage(Rule):
    code = "LC201"
    name = "fstring-message"
    message = "f-string used as the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_fstring_gate)

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None or not _has_fstring(found[1].value):
            return
        call, arg = found
        fix = None
        if _fixable_position(call, arg):
            builder = fstring_builder(arg.value, self.ctx.module)
            new = builder.build() if builder is not None else None
            if builder is not None and new is not None:
                new = new.with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
                extra = [cst.Arg(a) for a in builder.args]
                fix = Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE,
                                  unsafe=not builder.exact)
        self.report(node, fix=fix, call=call)


# --------------------------------------------------------------------------- LC202

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


def _is_str_or_float_literal(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                             cst.FormattedString))


def _plain_literal(expr: cst.BaseExpression) -> Optional[str]:
    """The value of a plain str literal (no f-string, no bytes)."""
    if _string_parts(expr) is None or _has_fstring(expr):
        return None
    return string_value(expr)


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


# --------------------------------------------------------------------------- LC203


class StrFormatMessage(Rule):
    code = "LC203"
    name = "str-format-message"
    message = "`str.format` used for the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_str_format_gate)

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
                self.report(node)
            return
        fix = None
        if _fixable_position(call, arg):
            fix = self._fix(node, arg, value, template, text)
        self.report(node, fix=fix, call=call)

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


# --------------------------------------------------------------------------- LC204


def _add_operands(expr: cst.BaseExpression) -> List[cst.BaseExpression]:
    """The operands of a left-associated `+` chain; parenthesized sub-expressions are atoms."""
    operands: List[cst.BaseExpression] = []
    node = expr
    while isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) \
            and (node is expr or not node.lpar):
        operands.append(node.right)
        node = node.left
    operands.append(node)
    operands.reverse()
    return operands


def _is_bytes_literal(expr: cst.BaseExpression) -> bool:
    while isinstance(expr, cst.ConcatenatedString):
        expr = expr.left
    return isinstance(expr, cst.SimpleString) and "b" in fmt.literal_style(expr)[0].lower()


class ConcatMessage(Rule):
    code = "LC204"
    name = "concat-message"
    message = "String concatenation builds the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_concat_gate)

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
        fix = None
        if _fixable_position(call, arg):
            fix = self._fix(node, arg, operands, literals[0])
        self.report(node, fix=fix, call=call)

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


# --------------------------------------------------------------------------- LC205


def _argument_count_text(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")


def _constant_text(expr: cst.BaseExpression) -> Optional[str]:
    """The value of a message that is a constant: a plain str literal, or such literals
    joined with `+`."""
    operands = _add_operands(expr) if isinstance(expr, cst.BinaryOperation) else [expr]
    texts = [_plain_literal(o) for o in operands]
    return None if any(t is None for t in texts) else "".join(texts)  # type: ignore[arg-type]


#: a `str.format` field name as people write placeholders: `{}`, `{0}`, `{name}`,
#: `{user.name}`, `{items[0]}` (not `{"key": 1}` or `{ x }`, which are text)
_BRACE_FIELD = re.compile(r"(?:\d+|[^\W\d]\w*)?(?:\.[^\W\d]\w*|\[[^\]]*\])*")


def _brace_placeholders(text: str) -> bool:
    """`text` is a well-formed `str.format` template with at least one field, and every
    field looks like a placeholder."""
    fields = fmt.parse_str_format(text)
    names = [name for _, name, _, _ in fields or () if name is not None]
    return bool(names) and all(_BRACE_FIELD.fullmatch(name) for name in names)


def _dict_keys(expr: cst.BaseExpression) -> Optional[List[str]]:
    """The keys of a dict display whose keys are all string literals (None otherwise)."""
    if not isinstance(expr, cst.Dict):
        return None
    keys = []
    for element in expr.elements:
        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
        if key is None:
            return None  # `**spread` or a computed key
        keys.append(key)
    return keys


class FormatArgsMismatch(Rule):
    code = "LC205"
    name = "format-args-mismatch"
    message = "The message's placeholders do not match the arguments"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_format_args_gate)

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        if _is_bytes_literal(arg.value):
            if call.proven:
                self.report(node, "bytes message: logging calls `str()` on it and logs `b'...'`")
            return
        text = _constant_text(arg.value)
        args = call.format_args
        if text is None or args is None:
            return  # not a constant, or `*args`: the arguments are unknown
        parsed = fmt.parse_percent(text)
        if not args:
            # logging formats only when there are arguments; `100% done` reads `% d`
            written = [p for p in parsed.placeholders if " " not in p.flags]
            if written and call.proven:
                first = text[written[0].start:written[0].end]
                self.report(node, f"`{first}` placeholder but no arguments: logging does not format the message "
                                  f"and logs `{first}` as written")
            return
        if not parsed.placeholders and _brace_placeholders(text):
            if call.proven:  # a receiver known only by its name may be a `{}`-style logger
                self.report(node, "`{}`-style placeholders, but logging formats the message with `%`: "
                                  "the arguments never appear", self._brace_fix(node, arg, text, args), call)
            return
        problem = self._problem(parsed, [a.value for a in args])
        if problem is not None:
            self.report(node, f"Format string does not match the arguments: {problem}")

    def _problem(self, parsed: fmt.PercentFormat, args: List[cst.BaseExpression]) -> Optional[str]:
        if parsed.error is not None:
            return parsed.error
        if len(args) == 1 and isinstance(args[0], cst.Dict) \
                and any(isinstance(e, cst.DictElement) for e in args[0].elements):
            # logging uses a single non-empty mapping as the mapping (an empty one stays positional)
            keys = _dict_keys(args[0])
            problem = parsed.check(mapping=True, mapping_keys=keys)
            if problem is None and keys is not None and parsed.has_keys:
                unused = [k for k in keys if k not in parsed.keys]
                if unused:
                    problem = "mapping key" + ("s " if len(unused) > 1 else " ") + ", ".join(map(repr, unused)) \
                        + " not used by the message"
            return problem
        if parsed.has_keys:
            empty_dict = isinstance(args[0], cst.Dict) and not args[0].elements  # logging keeps it positional
            if len(args) == 1 and not isinstance(args[0], _NON_MAPPING_NODES) and not empty_dict:
                return None  # may be a mapping at runtime
            return "the message uses `%(key)` placeholders but the argument is not a mapping"
        needed = parsed.positional_count
        if needed != len(args):
            return f"{needed} placeholder" + ("" if needed == 1 else "s") + f" but {_argument_count_text(len(args))}"
        return None

    def _brace_fix(self, node: cst.Call, arg: cst.Arg, text: str, args: List[cst.Arg]) -> Optional[Fix]:
        """`{}` -> `%s`, `{0:.2f}` -> `%.2f`, `{name}` with a dict display -> `%(name)s`: when the
        message has no `%` (nothing to escape), every field converts, and every argument
        (every key) is used, positional ones each once and in an order that evaluates the
        same."""
        fields = _resolved_fields(text)
        if fields is None or "%" in text or _string_parts(arg.value) is None:
            return None  # a `+` of literals keeps its form: reported only
        targets = [t for _, t, _, _ in fields if t is not None]
        values = [a.value for a in args]
        keys = _dict_keys(values[0]) if len(values) == 1 else None
        if keys is not None and all(isinstance(t, str) for t in targets):
            if set(keys) != set(targets):
                return None
            segments = _field_segments(fields, lambda t: values[0], keyed=True)
            order = values
        elif all(isinstance(t, int) for t in targets) and sorted(targets) == list(range(len(values))):  # type: ignore[type-var]
            segments = _field_segments(fields, lambda t: values[t])  # type: ignore[index]
            order = [values[t] for t in targets]  # type: ignore[index]
            if not same_evaluation(values, order):
                return None
        else:
            return None
        new = _new_literal(arg.value, segments, arg.value) if segments is not None else None
        if new is None:
            return None
        moved = {id(a): a.with_changes(value=v) for a, v in zip(args, order) if a.value is not v}
        new_args = [arg.with_changes(value=new) if a is arg else moved.get(id(a), a) for a in node.args]
        return Fix.replace(node, node.with_changes(args=new_args), "Use %-style placeholders")


_NON_MAPPING_NODES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                      cst.FormattedString, cst.List, cst.Tuple, cst.Set, cst.ListComp, cst.SetComp,
                      cst.GeneratorExp, cst.Lambda)


# --------------------------------------------------------------------------- LC206


class ExtraKeyClash(Rule):
    code = "LC206"
    name = "extra-key-clash"
    message = "`extra` key clashes with a LogRecord attribute; `makeRecord` raises KeyError"
    uses_logger_calls = True
    ast_gate = staticmethod(_extra_key_gate)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.logger_call(node)
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


# --------------------------------------------------------------------------- LC207


class ExceptionObjectAsMessage(Rule):
    code = "LC207"
    name = "exception-object-as-message"
    message = ("The caught exception is the logging message; write a message that says what failed "
               "(the exception text goes in with `logger.exception` or `exc_info`)")
    uses_logger_calls = True
    ast_gate = staticmethod(_exception_message_gate)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.except_handlers:
            return
        found = _message(self, node)
        if found is None:
            return
        value = found[1].value
        if not isinstance(value, cst.Name):
            return
        handler = next((h for h in reversed(self.ctx.except_handlers) if self.ctx.handler_name(h) == value.value),
                       None)
        if handler is None or in_program_code(self.ctx):
            # a program's own top-level error report (`logger.critical(e)` before exiting)
            # shows the user the exception's text, which is what it is for
            return
        if self._own_messages(handler):
            return
        self.report(node)

    def _own_messages(self, handler: cst.ExceptHandler) -> bool:
        """The handler catches only exception classes this module defines, and every place
        the module raises them passes a message written in the code (`raise
        InitError("Terminal was not a tty")`): that text is meant to be read as it is."""
        caught = handler.type
        names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
        if not names or not all(isinstance(n, cst.Name) for n in names):
            return False
        raised = self.ctx.memo("LC207-raised", lambda: _raise_messages(self.ctx.module))
        return all(self.ctx.loggers.own_class(n.value, self.ctx.scope_nodes) is not None
                   and raised.get(n.value) is True for n in names)


def _raise_messages(module: cst.Module) -> Dict[str, bool]:
    """Class name -> whether every `raise Name(...)` of it in the module passes a literal
    (or f-string) message first; a bare `raise Name` or another argument makes it False."""
    out: Dict[str, bool] = {}
    stack: List[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        # an exact class test: isinstance on libcst's ABC-derived nodes is a Python call
        if node.__class__ is cst.Raise and node.exc is not None:
            exc = node.exc
            call = exc if isinstance(exc, cst.Call) else None
            func = call.func if call is not None else exc
            if isinstance(func, cst.Name):
                first = call.args[0] if call is not None and call.args else None
                literal = first is not None and first.keyword is None and not first.star and isinstance(
                    first.value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
                out[func.value] = out.get(func.value, True) and literal
        stack.extend(iter_children(node))
    return out
