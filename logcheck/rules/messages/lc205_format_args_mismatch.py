"""LC205 format-args-mismatch: placeholders and arguments that do not match (rules/LC205.md)."""

from __future__ import annotations

import ast
import re
from typing import List, Optional

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.rules._structlog_chains import configured_chains
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._shared import (_add_operands, _ast_add_operands, _field_segments, _is_bytes_literal,
                                             _message, _new_literal, _plain_literal, _resolved_fields, _string_parts,
                                             same_evaluation)
from logcheck.rules.messages.lc206_extra_key_clash import _NON_MAPPING_NODES
from logcheck.rules.messages._brace import brace_problem
from logcheck.semantics.families import BRACE, EVENT, PERCENT
from logcheck.semantics.loggers import LoggerCall, string_value
from logcheck.semantics.purpose import is_test


#: argument nodes that are never a mapping (`_NON_MAPPING_NODES`, in the interpreter's tree;
#: `True` and `None` are names there)
_NON_MAPPING_CONSTANTS = (int, float, complex, str, bytes)
_NON_MAPPING_AST = (ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.ListComp, ast.SetComp, ast.GeneratorExp,
                    ast.Lambda)


def _may_mismatch(call) -> bool:
    """LC205's checks on a call's constant message (`LogCall`), from the interpreter's tree:
    `_percent`'s and `_event`'s exactly (`_ast_problem`); any `{` formatted with arguments
    or keywords for `_brace` (a `{}`-style family)."""
    message, args = call.message, call.format_args
    if isinstance(message, ast.Constant) and isinstance(message.value, bytes):
        return True
    operands = _ast_add_operands(message)
    if args is None or not all(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in operands):
        return False
    text = "".join(o.value for o in operands)  # type: ignore[attr-defined]
    if "{" in text and (args or call.keywords):
        return True
    parsed = fmt.parse_percent(text)
    if not args:  # logging does not format: only a placeholder as written counts (`100% done` reads `% d`)
        return any(" " not in p.flags for p in parsed.placeholders)
    return _ast_problem(parsed, args)


def _ast_problem(parsed: fmt.PercentFormat, args) -> bool:
    """Does `FormatArgsMismatch._problem` find one, for these argument nodes of the interpreter's tree?"""
    if parsed.error is not None:
        return True
    first = args[0]
    if len(args) == 1 and isinstance(first, ast.Dict) and any(key is not None for key in first.keys):
        keys = [key.value for key in first.keys] if all(
            isinstance(key, ast.Constant) and isinstance(key.value, str) for key in first.keys) else None
        if parsed.check(mapping=True, mapping_keys=keys) is not None:
            return True
        return keys is not None and parsed.has_keys and any(key not in parsed.keys for key in keys)
    if parsed.has_keys:
        empty_dict = isinstance(first, ast.Dict) and not first.keys
        non_mapping = isinstance(first, _NON_MAPPING_AST) or (
            isinstance(first, ast.Constant) and type(first.value) in _NON_MAPPING_CONSTANTS)
        return not (len(args) == 1 and not non_mapping and not empty_dict)
    return parsed.positional_count != len(args)


def _format_args_gate(facts, settings) -> bool:
    """A mismatch LC205 may report, outside tests (where it is silent)."""
    if facts.path is not None and settings.is_test_path(facts.path):
        return False
    return any(c.message is not None and _may_mismatch(c) for c in facts.logger_calls(settings))


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
    #: the message styles whose placeholders are checked, each by its own method
    _checks = {PERCENT: "_percent", BRACE: "_brace", EVENT: "_event"}
    covers = classmethod(lambda cls, family: family.message_style in cls._checks)

    def visit_Call(self, node: cst.Call) -> None:
        if is_test(self.ctx):
            return  # a test logs odd messages on purpose (bytes, stray `%`) to test a formatter or handler
        found = _message(self, node)
        if found is None:
            return
        call, arg = found
        getattr(self, self._checks[call.family.message_style])(node, call, arg)

    def _brace(self, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> None:
        """`{}` fields against the arguments, as `str.format` does when the call has any."""
        text = _constant_text(arg.value)
        args = call.format_args
        keywords = [a for a in node.args if a.keyword is not None]
        if text is None or args is None or not (args or keywords):
            return  # not a constant, `*args`, or nothing to format with: the message is kept as written
        if fmt.parse_percent(text).placeholders and not _brace_placeholders(text):
            return  # `%s` with arguments: LC701's (loguru never fills them)
        known = None if any(a.star == "**" for a in node.args) else {a.keyword.value for a in keywords}
        problem = brace_problem(text, len(args), known)
        if problem is not None:
            self.report(node, f"The message's `{{}}` fields do not match the arguments: {problem}")

    def _event(self, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> None:
        """A constant event with positional arguments, which the family fills with `%`
        (`family.argument_mismatch_effect`): only calls that pass positional arguments, the
        only ones the library formats."""
        text = _constant_text(arg.value)
        args = call.format_args
        if text is None or not args:
            return  # not a constant, `*args`, or no arguments: the event is logged as written
        configured = configured_chains(self.ctx)
        if configured is not None and configured.positional_unrendered:
            return  # the program's chains never fill them, so nothing raises: LC711 reports that
        effect = call.family.argument_mismatch_effect
        parsed = fmt.parse_percent(text)
        if not parsed.placeholders and _brace_placeholders(text):
            self.report(node, f"`{{}}`-style placeholders with positional arguments, which are not `{{}}` "
                              f"fields: {effect}")
            return
        problem = self._problem(parsed, [a.value for a in args])
        if problem is not None:
            self.report(node, f"The event's `%` placeholders do not match the positional arguments: {problem}; "
                              f"{effect}")

    def _percent(self, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> None:
        if self.ctx.loggers.formats_messages_itself(call):
            return  # a record factory, logger class or adapter of the project may format it another way
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
