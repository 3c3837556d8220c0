"""What the message rules (LC201-LC207) share: finding a logger call's message argument,
reading string literals and f-strings as segments, rebuilding a message with lazy
arguments, and the ast helpers their gates use."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages.formatting import LiteralPart, MessageBuilder, Segment
from logcheck.semantics.loggers import LoggerCall, string_value

LAZY_FIX_MESSAGE = "Use %-style lazy arguments"


@dataclass(frozen=True)
class Placeholders:
    """How a message style writes a field: its placeholder for `{x!c:spec}` (None: none
    exact), whether that prints the same for every value type, and how literal text is
    escaped once the message has arguments."""

    field: Callable[[Optional[str], str], Optional[str]]
    exact: Callable[[Optional[str], str], bool]
    escape: Callable[[str], str]


#: `%`-style placeholders (stdlib logging)
PERCENT_FIELDS = Placeholders(fmt.percent_spec, fmt.same_for_every_type, fmt.escape_percent)
#: automatic `{}` fields (loguru's `str.format`): the same `format()` call as the f-string
BRACE_FIELDS = Placeholders(fmt.brace_spec, lambda conversion, spec: True, fmt.escape_braces)


#: LogRecord attributes that `extra` must not contain (`Logger.makeRecord` raises KeyError)
LOG_RECORD_ATTRIBUTES = frozenset(
    "name msg args levelname levelno pathname filename module exc_info exc_text stack_info lineno funcName "
    "created msecs relativeCreated thread threadName processName process taskName message asctime".split()
)


StringNode = Union[cst.SimpleString, cst.FormattedString]


def _message(rule: Rule, node: cst.Call) -> Optional[Tuple[LoggerCall, cst.Arg]]:
    call = rule.logger_call(node)
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


def fstring_spec(part: cst.FormattedStringExpression) -> Optional[str]:
    """The format spec of an f-string field as text ("" for none), or None when it has a
    nested replacement field or an escape."""
    if not part.format_spec:
        return ""
    if not all(isinstance(s, cst.FormattedStringText) for s in part.format_spec):
        return None  # nested replacement field in the spec
    spec = "".join(s.value for s in part.format_spec)  # type: ignore[union-attr]
    return None if "\\" in spec or "{" in spec or "}" in spec else spec


def fstring_equal_text(part: cst.FormattedStringExpression, module: cst.Module) -> Optional[str]:
    """The text a `{x=}` field prints before the value (the expression as written and the
    `=`), or None when the expression spans lines: it prints its lines as written,
    indentation of the enclosing block included, which code generated for the node alone
    drops."""
    assert part.equal is not None
    text = (module.code_for_node(part.whitespace_before_expression) + module.code_for_node(part.expression)
            + module.code_for_node(part.whitespace_after_expression)
            + module.code_for_node(part.equal.whitespace_before) + "="
            + module.code_for_node(part.equal.whitespace_after))
    return None if "\n" in text or "\r" in text else text


def fstring_conversion(part: cst.FormattedStringExpression) -> Optional[str]:
    """The conversion a field applies: `{x=}` prints repr(x); with a spec, even an empty
    one (`{x=:}`), it is format(x, spec)."""
    if part.equal is not None and part.conversion is None and part.format_spec is None:
        return "r"
    return part.conversion


def _fstring_field(part: cst.FormattedStringExpression, module: cst.Module,
                   prefix: str, quote: str, style: Placeholders) -> Optional[List[Segment]]:
    """Segments for one f-string field, or None when it has no exact placeholder."""
    spec = fstring_spec(part)
    if spec is None:
        return None
    conversion = fstring_conversion(part)
    segments: List[Segment] = []
    if part.equal is not None:
        # `{x=}` prints the expression text as written, then the value
        text = fstring_equal_text(part, module)
        if text is None:
            return None
        segments.append(Segment(text, fmt.text_source(text, prefix, quote)))
    placeholder = style.field(conversion, spec)
    if placeholder is None:
        return None
    segments.append(Segment(placeholder=placeholder, arg=fmt.argument_expression(part.expression),
                            exact=style.exact(conversion, spec)))
    return segments


def _literal_segments(node: StringNode, module: cst.Module,
                      style: Placeholders = PERCENT_FIELDS) -> Optional[List[Segment]]:
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
            field = _fstring_field(part, module, prefix, quote, style)  # type: ignore[arg-type]
            if field is None:
                return None
            segments.extend(field)
    return segments


def fstring_builder(expr: cst.BaseExpression, module: cst.Module,
                    style: Placeholders = PERCENT_FIELDS) -> Optional[MessageBuilder]:
    """The builder for the lazy form (`%`-style by default) of an f-string message (with
    implicitly concatenated plain and f-string parts), or None when a field is not
    convertible."""
    parts = _string_parts(expr)
    if parts is None:
        return None
    literal_parts: List[LiteralPart] = []
    for node, ws in parts:
        segments = _literal_segments(node, module, style)
        if segments is None:
            return None
        prefix, quote = fmt.literal_style(node)
        literal_parts.append(LiteralPart(prefix, quote, segments, ws))
    return MessageBuilder(literal_parts, style.escape)


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


def _new_literal(style_of: cst.BaseExpression, segments: List[Segment], message: cst.BaseExpression,
                 escape: Callable[[str], str] = fmt.escape_percent) -> Optional[cst.BaseExpression]:
    """One new literal from `segments` in the prefix and quotes of the first literal of
    `style_of`, with the parentheses of the `message` it replaces (None when no exact
    literal exists); `escape` writes text once the message has arguments."""
    first = _first_literal(style_of)
    assert first is not None
    prefix, quote = fmt.literal_style(first)
    new = MessageBuilder([LiteralPart(prefix, quote, segments)], escape).build()
    if new is not None and message.lpar:
        new = new.with_changes(lpar=message.lpar, rpar=message.rpar)
    return new


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


def _is_str_or_float_literal(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                             cst.FormattedString))


def _plain_literal(expr: cst.BaseExpression) -> Optional[str]:
    """The value of a plain str literal (no f-string, no bytes)."""
    if _string_parts(expr) is None or _has_fstring(expr):
        return None
    return string_value(expr)


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
