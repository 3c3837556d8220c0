"""What an eager message (LC201-LC204) becomes in each message style of a logger family
(rules.md, "Logger families"): `%` lazy arguments (stdlib, powertools), `{}` lazy arguments
(loguru: `str.format` runs only when arguments are given), or a constant event with
key-value pairs (structlog). The rules ask the call's family for its style and take the
style's wording and fix from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Union

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._shared import (BRACE_FIELDS, LAZY_FIX_MESSAGE, LOG_RECORD_ATTRIBUTES, PERCENT_FIELDS,
                                             Placeholders, _first_literal, _fixable_position, _new_literal, _string_parts,
                                             _with_message, fstring_builder, fstring_conversion, fstring_equal_text,
                                             fstring_spec, same_evaluation)
from logcheck.rules.messages.formatting import Segment
from logcheck.semantics.families import BRACE, EVENT, PERCENT
from logcheck.semantics.loggers import LoggerCall, dotted_name

#: keys a structlog processor chain commonly owns (a field of that name would be
#: overwritten), and the LogRecord attributes (`render_to_log_kwargs` passes the key-values
#: to the standard library as `extra`, and `makeRecord` raises KeyError on those)
_PROCESSOR_KEYS = frozenset({"level", "timestamp", "logger", "logger_name"}) | LOG_RECORD_ATTRIBUTES


@dataclass(frozen=True)
class Field:
    """One value of an eagerly built message (LC202-LC204), written as a `str.format`
    field: `{expr!conversion:spec}`."""

    expr: cst.BaseExpression
    conversion: Optional[str] = None
    spec: str = ""
    #: that field prints what the original printed for a value of any type (False: only
    #: for some, e.g. `%d` of a float, or a `+` operand not proven a `str`)
    exact: bool = True


#: an eager message as the rules read it: literal text (its value) and fields, in order
Pieces = Sequence[Union[str, Field]]


@dataclass(frozen=True)
class Style:
    """One message style: how the rules word the finding and build the fix."""

    #: what to do instead, appended to the rule's own finding text
    advice: str
    fix_message: str
    #: (rule, call node, logger call, message argument) -> the fix of an f-string message
    fstring_fix: Callable[[Rule, cst.Call, LoggerCall, cst.Arg], Optional[Fix]]
    #: (rule, call node, logger call, message argument, the literal whose prefix and quotes
    #: the new message takes, pieces, the expressions the original message evaluated, in
    #: order) -> the fix of a message built eagerly with `%`, `str.format` or `+` (None:
    #: the rules build this style's fix themselves)
    pieces_fix: Optional[Callable[[Rule, cst.Call, LoggerCall, cst.Arg, cst.BaseExpression, Pieces,
                                   Sequence[cst.BaseExpression]], Optional[Fix]]] = None


def _lazy_fix(placeholders: Placeholders, fix_message: str):
    def fix(rule: Rule, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> Optional[Fix]:
        if not _fixable_position(call, arg):
            return None
        keyword_data = call.family.keyword_data and any(a.keyword is not None for a in node.args)
        builder = fstring_builder(arg.value, rule.ctx.module, placeholders)
        new = builder.build() if builder is not None else None
        if builder is None or new is None:
            return None
        if keyword_data and not builder.args:
            return None  # the keywords format the message already: nothing would change
        new = new.with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
        extra = [cst.Arg(a) for a in builder.args]
        # keyword data (loguru formats the message with it too) or a formatting option of
        # the receiver (`opt(lazy=True)` calls the arguments) make the new call differ
        exact = builder.exact and not keyword_data and not _formatting_option(call)
        return Fix.replace(node, _with_message(node, arg, new, extra), fix_message, unsafe=not exact)
    return fix


def _brace_pieces_fix(rule: Rule, node: cst.Call, call: LoggerCall, arg: cst.Arg, template: cst.BaseExpression,
                      pieces: Pieces, evaluated: Sequence[cst.BaseExpression]) -> Optional[Fix]:
    """`"user %s paid %r" % (u, a)` -> `"user {} paid {!r}", u, a`: each field keeps its
    conversion and spec (the same `format()` call loguru makes), literal braces are doubled
    once the message has arguments. Unsafe where a field is not exact, the call has keyword
    data (it formats the message too) or the receiver has a formatting option."""
    if not _fixable_position(call, arg):
        return None
    segments = [Segment(piece) if isinstance(piece, str) else
                Segment(placeholder=fmt.brace_spec(piece.conversion, piece.spec),
                        arg=fmt.argument_expression(piece.expr), exact=piece.exact) for piece in pieces]
    if not same_evaluation(evaluated, [p.expr for p in pieces if isinstance(p, Field)]):
        return None
    new = _new_literal(template, segments, arg.value, fmt.escape_braces)
    if new is None:
        return None
    builder_args = [s.arg for s in segments if s.arg is not None]
    seen = set()
    extra = []
    for e in builder_args:
        extra.append(cst.Arg(e.deep_clone() if id(e) in seen else e))
        seen.add(id(e))
    keyword_data = call.family.keyword_data and any(a.keyword is not None for a in node.args)
    exact = all(s.exact for s in segments) and not keyword_data and not _formatting_option(call)
    return Fix.replace(node, _with_message(node, arg, new, extra), STYLES[BRACE].fix_message, unsafe=not exact)


def _formatting_option(call: LoggerCall) -> bool:
    """The receiver is derived with an option that changes how arguments are formatted."""
    options = call.family.formatting_options
    receiver = call.receiver
    while options and isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
        if any(a.keyword is not None and a.keyword.value in options for a in receiver.args) \
                or any(a.star == "**" for a in receiver.args):
            return True
        receiver = receiver.func.value
    return False


def _event_fix(rule: Rule, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> Optional[Fix]:
    """`log.info(f"user {uid} paid {order.total}")` -> `log.info("user paid", uid=uid,
    total=order.total)` (see `_event_pieces_fix`)."""
    parts = _string_parts(arg.value)
    pieces = fstring_pieces(parts) if parts is not None else None
    if pieces is None:
        return None
    return _event_pieces_fix(rule, node, call, arg, parts[0][0], pieces,  # type: ignore[index]
                             [p.expr for p in pieces if isinstance(p, Field)])


def fstring_pieces(parts) -> Optional[List[Union[str, Field]]]:
    """The text and fields of the literals `parts` (`_string_parts`: plain strings and
    f-strings); `{x=}` is its text and a field with `!r` unless it has a conversion or a
    spec. None when a text cannot be read or a spec has a nested field."""
    pieces: List[Union[str, Field]] = []
    for node, _ in parts:
        prefix, quote = fmt.literal_style(node)
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if not isinstance(value, str):
                return None
            pieces.append(value)
            continue
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                value = fmt.fstring_text_value(part.value, prefix, quote)
                if value is None:
                    return None
                pieces.append(value)
                continue
            spec = fstring_spec(part)
            if spec is None:
                return None
            if part.equal is not None:
                text = fstring_equal_text(part, cst.Module([]))
                if text is None:
                    return None
                pieces.append(text)
            pieces.append(Field(part.expression, fstring_conversion(part), spec))
    return pieces


def eager_message(head: str, call: LoggerCall) -> Optional[str]:
    """The finding's text for a family whose style is not the rule's default `%` one:
    `head` and the style's advice (None: the rule's own message)."""
    style = style_of(call)
    if style is None or call.family.message_style == PERCENT:
        return None
    return f"{head}; {style.advice}"


def _event_pieces_fix(rule: Rule, node: cst.Call, call: LoggerCall, arg: cst.Arg, template: cst.BaseExpression,
                      pieces: Pieces, evaluated: Sequence[cst.BaseExpression]) -> Optional[Fix]:
    """The text becomes a constant event (whitespace collapsed, separators at its ends
    dropped), each field a key-value pair keyed by the last part of its name or attribute:
    safe when every field is exact, without conversion or spec, and no key is one
    processors commonly own or the module binds into the context; unsafe otherwise; None
    when a field has no key (not a name or attribute), two different fields want one key,
    or a key is taken by the call."""
    if not _fixable_position(call, arg):
        return None
    texts: List[str] = []
    fields: Dict[str, cst.BaseExpression] = {}
    exact = True
    for piece in pieces:
        if isinstance(piece, str):
            texts.append(piece)
            continue
        dotted = dotted_name(piece.expr)
        if dotted is None:
            return None
        key = dotted.rpartition(".")[2]
        code = cst.Module([]).code_for_node(piece.expr)
        if key in fields and cst.Module([]).code_for_node(fields[key]) != code:
            return None
        fields.setdefault(key, piece.expr)
        exact = exact and piece.exact and piece.conversion is None and not piece.spec
        texts.append(" ")
    taken = {a.keyword.value for a in node.args if a.keyword is not None} | call.family.reserved_keys \
        | call.family.parameter_keys | call.family.keywords
    if not fields or taken & set(fields) or any(a.star == "**" for a in node.args):
        return None
    if not same_evaluation(evaluated, list(fields.values())):
        return None
    event = " ".join(" ".join(texts).split()).strip(" :=,;-")
    if not event:
        return None
    # a key the module binds elsewhere (`log.bind(user=...)`, `bind_contextvars`) would
    # replace the bound value in this record
    bound = rule.ctx.loggers.bound_keys(call.family)
    exact = exact and not set(fields) & _PROCESSOR_KEYS and bound is not None and not set(fields) & bound
    first = _first_literal(template)
    assert first is not None
    prefix, quote = fmt.literal_style(first)
    literal = fmt.make_string(event, fmt.plain_prefix(prefix), quote)
    if literal is None:
        return None
    new_args = []
    for a in node.args:
        if a is arg:
            new_args.append(a.with_changes(value=cst.SimpleString(literal).with_changes(
                lpar=arg.value.lpar, rpar=arg.value.rpar)))
        else:
            new_args.append(a)
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if new_args and not isinstance(new_args[-1].comma, cst.Comma):
        new_args[-1] = new_args[-1].with_changes(comma=space)
    added = [cst.Arg(value, keyword=cst.Name(key), equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                                          cst.SimpleWhitespace("")), comma=space)
             for key, value in fields.items()]
    last_comma = node.args[-1].comma if node.args else cst.MaybeSentinel.DEFAULT
    added[-1] = added[-1].with_changes(comma=last_comma)
    return Fix.replace(node, node.with_changes(args=new_args + added), STYLES[EVENT].fix_message, unsafe=not exact)


STYLES: Dict[str, Style] = {
    PERCENT: Style("pass the values as lazy %-style arguments", LAZY_FIX_MESSAGE,
                   _lazy_fix(PERCENT_FIELDS, LAZY_FIX_MESSAGE)),
    BRACE: Style("pass the values as lazy {} arguments", "Use {}-style lazy arguments",
                 _lazy_fix(BRACE_FIELDS, "Use {}-style lazy arguments"), _brace_pieces_fix),
    EVENT: Style("log a constant event and pass the values as key-value pairs",
                 "Use a constant event with key-value pairs", _event_fix, _event_pieces_fix),
}


def style_of(call: LoggerCall) -> Optional[Style]:
    return STYLES.get(call.family.message_style)


def covered(family) -> bool:
    """The family formats messages in a style the message rules know."""
    return family.message_style in STYLES


