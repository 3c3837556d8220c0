"""LC2xx: how the logging message is built and what it carries.

The conversions to `%`-style lazy arguments (LC201-LC204) build their new message with
`logcheck.formatting` and are offered only when they are exact: the fixed call emits the
same text as the original for every input on which the original worked. Anything else is
reported without a fix.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from logcheck import formatting as fmt
from logcheck.formatting import LiteralPart, MessageBuilder, Segment
from logcheck.loggers import LoggerCall, dotted_name, string_value
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
        if conversion is None and not spec:
            conversion = "r"
    placeholder = fmt.percent_spec(conversion, spec)
    if placeholder is None:
        return None
    segments.append(Segment(placeholder=placeholder, arg=fmt.argument_expression(part.expression)))
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


def _is_plain(expr: cst.BaseExpression) -> bool:
    """Evaluating it has no side effects worth keeping in order: a name, a dotted name, a
    number or string literal."""
    if isinstance(expr, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return _string_parts(expr) is not None and not _has_fstring(expr)
    return dotted_name(expr) is not None


def _first_literal(expr: cst.BaseExpression) -> Optional[StringNode]:
    parts = _string_parts(expr)
    return parts[0][0] if parts else None


def _builtin_call(ctx, expr: cst.BaseExpression, names: Sequence[str]) -> Optional[Tuple[str, cst.BaseExpression]]:
    """`str(x)` / `repr(x)` (one plain positional argument, builtin not rebound):
    (name, x)."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Name) or expr.lpar:
        return None
    name = expr.func.value
    if name not in names or name in ctx.loggers.bound_names:
        return None
    if len(expr.args) != 1 or expr.args[0].keyword is not None or expr.args[0].star:
        return None
    return name, expr.args[0].value


# --------------------------------------------------------------------------- LC201


class FStringMessage(Rule):
    code = "LC201"
    name = "fstring-message"
    message = "f-string used as the logging message; pass the values as lazy %-style arguments"
    fix = "safe"
    uses_logger_calls = True

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
                fix = Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE)
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
            and func.value not in ctx.loggers.bound_names and not any(a.star for a in expr.args)
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
        fields = fmt.parse_str_format(text)
        if fields is None or any(a.star for a in value.args):
            return None
        positional = [a.value for a in value.args if a.keyword is None]
        keywords: Dict[str, cst.BaseExpression] = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
        segments: List[Segment] = []
        used: List[Tuple[str, Union[int, str]]] = []
        automatic: Optional[bool] = None
        next_index = 0
        for literal, name, spec, conversion in fields:
            if literal:
                segments.append(Segment(literal))
            if name is None:
                continue
            if spec and ("{" in spec or "}" in spec):
                return None
            target: Tuple[str, Union[int, str]]
            if name == "":
                if automatic is False:
                    return None
                automatic, target = True, ("pos", next_index)
                next_index += 1
            elif name.isascii() and name.isdigit():
                if automatic is True:
                    return None
                automatic, target = False, ("pos", int(name))
            elif name.isidentifier():
                target = ("kw", name)
            else:
                return None  # attribute or index access
            if target[0] == "pos":
                if target[1] >= len(positional):  # type: ignore[operator]
                    return None
                expr = positional[target[1]]  # type: ignore[index]
            else:
                if target[1] not in keywords:
                    return None
                expr = keywords[target[1]]  # type: ignore[index]
            placeholder = fmt.percent_spec(conversion, spec or "")
            if placeholder is None:
                return None
            segments.append(Segment(placeholder=placeholder, arg=expr))
            used.append(target)
        if not _same_evaluation(positional, keywords, used):
            return None
        first = _first_literal(template)
        assert first is not None
        prefix, quote = fmt.literal_style(first)
        new = MessageBuilder([LiteralPart(prefix, quote, segments)]).build()
        if new is None:
            return None
        if arg.value.lpar:
            new = new.with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
        extra = []
        seen = set()
        for s in segments:
            if s.placeholder is None:
                continue
            e = fmt.argument_expression(s.arg)  # type: ignore[arg-type]
            extra.append(cst.Arg(e.deep_clone() if id(s.arg) in seen else e))
            seen.add(id(s.arg))
        return Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE)


def _same_evaluation(positional: Sequence[cst.BaseExpression], keywords: Dict[str, cst.BaseExpression],
                     used: Sequence[Tuple[str, Union[int, str]]]) -> bool:
    """The new argument list evaluates what the `.format` call evaluated, in an order that
    cannot be observed: an expression that is not plain must be positional, used exactly
    once, and in the same order relative to the other non-plain ones; everything that is
    dropped, repeated, reordered or passed by keyword must be plain."""
    counts: Dict[Tuple[str, Union[int, str]], int] = {}
    for t in used:
        counts[t] = counts.get(t, 0) + 1
    for name, expr in keywords.items():
        if not _is_plain(expr):
            return False
    order = [t[1] for t in used if t[0] == "pos" and not _is_plain(positional[t[1]])]  # type: ignore[index]
    for i, expr in enumerate(positional):
        if not _is_plain(expr) and counts.get(("pos", i), 0) != 1:
            return False
    return order == sorted(order)


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
        fix = None
        if _fixable_position(call, arg):
            fix = self._fix(node, arg, operands, literals[0])
        self.report(node, fix=fix, call=call)

    def _fix(self, node: cst.Call, arg: cst.Arg, operands: Sequence[cst.BaseExpression],
             first: cst.BaseExpression) -> Optional[Fix]:
        segments: List[Segment] = []
        module = self.ctx.module
        for operand in operands:
            parts = _string_parts(operand)
            if parts is not None:
                for literal, _ in parts:
                    segs = _literal_segments(literal, module)
                    if segs is None:
                        return None
                    # the parts are joined into one new literal: keep values, not sources
                    segments.extend(Segment(s.text, None, s.placeholder, s.arg) for s in segs)
                continue
            inner = _builtin_call(self.ctx, operand, ("str", "repr"))
            if inner is not None:
                segments.append(Segment(placeholder="%r" if inner[0] == "repr" else "%s",
                                        arg=fmt.argument_expression(inner[1])))
            else:
                segments.append(Segment(placeholder="%s", arg=operand))
        style = _first_literal(first)
        assert style is not None
        prefix, quote = fmt.literal_style(style)
        builder = MessageBuilder([LiteralPart(prefix, quote, segments)])
        new = builder.build()
        if new is None:
            return None
        extra = [cst.Arg(a) for a in builder.args]
        return Fix.replace(node, _with_message(node, arg, new, extra), LAZY_FIX_MESSAGE)


# --------------------------------------------------------------------------- LC205


def _argument_count_text(n: int) -> str:
    return f"{n} argument" + ("" if n == 1 else "s")


class FormatArgsMismatch(Rule):
    code = "LC205"
    name = "format-args-mismatch"
    message = "The message's placeholders do not match the arguments"
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        args = call.format_args
        if not args or arg.keyword is not None:
            return  # no arguments: logging does not format the message; *args: unknown
        text = _plain_literal(arg.value)
        if text is None:
            return
        parsed = fmt.parse_percent(text)
        problem = self._problem(parsed, [a.value for a in args])
        if problem is not None:
            self.report(node, f"Format string does not match the arguments: {problem}")

    def _problem(self, parsed: fmt.PercentFormat, args: List[cst.BaseExpression]) -> Optional[str]:
        if parsed.error is not None:
            return parsed.error
        if len(args) == 1 and isinstance(args[0], cst.Dict):
            d = args[0]
            if not any(isinstance(e, cst.DictElement) for e in d.elements):
                pass  # an empty dict stays a positional argument
            else:
                keys: Optional[List[str]] = []
                for e in d.elements:
                    key = string_value(e.key) if isinstance(e, cst.DictElement) else None
                    if key is None:
                        keys = None  # `**spread` or computed key: keys unknown
                        break
                    keys.append(key)  # type: ignore[union-attr]
                return parsed.check(mapping=True, mapping_keys=keys)
        if parsed.has_keys:
            if len(args) == 1 and not isinstance(args[0], _NON_MAPPING_NODES):
                return None  # may be a mapping at runtime
            return "the message uses `%(key)` placeholders but the argument is not a mapping"
        needed = parsed.positional_count
        if needed != len(args):
            return f"{needed} placeholder" + ("" if needed == 1 else "s") + f" but {_argument_count_text(len(args))}"
        return None


_NON_MAPPING_NODES = (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString,
                      cst.FormattedString, cst.List, cst.Tuple, cst.Set, cst.ListComp, cst.SetComp,
                      cst.GeneratorExp, cst.Lambda)


# --------------------------------------------------------------------------- LC206


class ExtraKeyClash(Rule):
    code = "LC206"
    name = "extra-key-clash"
    message = "`extra` key clashes with a LogRecord attribute; `makeRecord` raises KeyError"
    uses_logger_calls = True

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

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.except_handlers:
            return
        found = _message(self, node)
        if found is None:
            return
        value = found[1].value
        if not isinstance(value, cst.Name):
            return
        if any(self.ctx.handler_name(h) == value.value for h in self.ctx.except_handlers):
            self.report(node)
