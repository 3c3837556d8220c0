"""What an eager message (LC201-LC204) becomes in each message style of a logger family
(rules.md, "Logger families"): `%` lazy arguments (stdlib, powertools), `{}` lazy arguments
(loguru: `str.format` runs only when arguments are given), or a constant event with
key-value pairs (structlog). The rules ask the call's family for its style and take the
style's wording and fix from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._shared import (BRACE_FIELDS, LAZY_FIX_MESSAGE, PERCENT_FIELDS, Placeholders,
                                             _fixable_position, _string_parts, _with_message, fstring_builder)
from logcheck.semantics.families import BRACE, EVENT, PERCENT
from logcheck.semantics.loggers import LoggerCall, dotted_name

#: keys a structlog processor chain commonly owns: a field of that name would be overwritten
_PROCESSOR_KEYS = frozenset({"level", "timestamp", "logger", "logger_name"})


@dataclass(frozen=True)
class Style:
    """One message style: how the rules word the finding and build the fix."""

    #: what to do instead, appended to the rule's own finding text
    advice: str
    fix_message: str
    #: (rule, call node, logger call, message argument) -> the fix of an f-string message
    fstring_fix: Callable[[Rule, cst.Call, LoggerCall, cst.Arg], Optional[Fix]]


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
    total=order.total)`: safe when every field is a plain name or attribute without
    conversion or spec and no key collides; unsafe when a field's conversion or spec is
    dropped or a key is one processors commonly own; None when a field has no key."""
    if not _fixable_position(call, arg):
        return None
    parts = _string_parts(arg.value)
    if parts is None:
        return None
    texts: List[str] = []
    fields: Dict[str, cst.BaseExpression] = {}
    exact = True
    for node_part, _ in parts:
        found = _event_parts(node_part, texts, fields)
        if found is None:
            return None
        exact = exact and found
    taken = {a.keyword.value for a in node.args if a.keyword is not None} | call.family.reserved_keys \
        | call.family.keywords
    if not fields or taken & set(fields) or any(a.star == "**" for a in node.args):
        return None
    event = " ".join(" ".join(texts).split()).strip(" :=,;-")
    if not event:
        return None
    exact = exact and not set(fields) & _PROCESSOR_KEYS
    prefix, quote = fmt.literal_style(parts[0][0])
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


def _event_parts(node: cst.BaseExpression, texts: List[str], fields: Dict[str, cst.BaseExpression]) -> Optional[bool]:
    """Adds the literal text and the keyed fields of one literal; True when every field is
    kept exactly, False when a conversion or spec is dropped, None when a field has no key
    (not a name or attribute) or two different fields want one key."""
    prefix, quote = fmt.literal_style(node)  # type: ignore[arg-type]
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if not isinstance(value, str):
            return None
        texts.append(value)
        return True
    exact = True
    for part in node.parts:  # type: ignore[attr-defined]
        if isinstance(part, cst.FormattedStringText):
            value = fmt.fstring_text_value(part.value, prefix, quote)
            if value is None:
                return None
            texts.append(value)
            continue
        dotted = dotted_name(part.expression)
        if dotted is None:
            return None
        key = dotted.rpartition(".")[2]
        code = cst.Module([]).code_for_node(part.expression)
        if key in fields and cst.Module([]).code_for_node(fields[key]) != code:
            return None
        fields[key] = part.expression
        exact = exact and part.conversion is None and part.format_spec is None and part.equal is None
        texts.append(" ")
    return exact


STYLES: Dict[str, Style] = {
    PERCENT: Style("pass the values as lazy %-style arguments", LAZY_FIX_MESSAGE,
                   _lazy_fix(PERCENT_FIELDS, LAZY_FIX_MESSAGE)),
    BRACE: Style("pass the values as lazy {} arguments", "Use {}-style lazy arguments",
                 _lazy_fix(BRACE_FIELDS, "Use {}-style lazy arguments")),
    EVENT: Style("log a constant event and pass the values as key-value pairs",
                 "Use a constant event with key-value pairs", _event_fix),
}


def style_of(call: LoggerCall) -> Optional[Style]:
    return STYLES.get(call.family.message_style)


def covered(family) -> bool:
    """The family formats messages in a style the message rules know."""
    return family.message_style in STYLES


