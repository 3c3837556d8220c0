"""LC701-LC703: what only loguru has (rules/LC701.md ... LC703.md): the standard library's
API used on a loguru logger, `logger.add()` sinks held against the logging policy, and the
default stderr sink kept next to an added one."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from keyword import iskeyword
from typing import List, Optional, Tuple

import libcst as cst

from logcheck.config_model.policy import RUNTIME_PRESETS
from logcheck.lint.rule import SAFE, UNSAFE, Fix, Rule
from logcheck.rules._family_gates import imports_family, in_program
from logcheck.rules.messages import formatting as fmt
from logcheck.rules.messages._eager import _formatting_option
from logcheck.rules.messages._shared import _plain_literal, _string_parts, same_evaluation
from logcheck.semantics import families
from logcheck.semantics.loggers import LoggerCall, keyword_arg, passes_constant, positional_args, string_value
from logcheck.source.precheck import word

LOGURU = families.by_name("loguru")
_NEEDLES = (word("loguru"),)

_imports_loguru = imports_family(LOGURU)


def _is_loguru(family) -> bool:
    return family is LOGURU


def _loguru_method_call(rule: Rule, node: cst.Call, methods) -> Optional[str]:
    """The method name when `node` calls one of `methods` on a proven loguru logger."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value in methods \
            and rule.ctx.receiver_family(func.value) is LOGURU:
        return func.attr.value
    return None


# --------------------------------------------------------------------------- LC701

#: `%` placeholders with an exact `{}` form: `%s` -> `{}`, `%r` -> `{!r}`, `%a` -> `{!a}`
_EXACT_PERCENT = {"s": "{}", "r": "{!r}", "a": "{!a}"}


class LoguruStdlibApi(Rule):
    code = "LC701"
    name = "loguru-stdlib-api"
    message = "The standard library's logging API used on a loguru logger"
    fix = "safe"
    needles = _NEEDLES
    ast_gate = staticmethod(_imports_loguru)
    covers = classmethod(lambda cls, family: _is_loguru(family))

    def visit_Call(self, node: cst.Call) -> None:
        missing = _loguru_method_call(self, node, LOGURU.missing_methods)
        if missing is not None:
            self._missing_method(node, missing)
            return
        call = self.logger_call(node)
        if call is None:
            return
        for keyword in sorted(families.STDLIB.keywords - call.family.keywords):
            arg = call.keyword(keyword)
            if arg is not None:
                self._stdlib_keyword(node, call, arg)
                return
        self._percent_placeholders(node, call)

    def _missing_method(self, node: cst.Call, method: str) -> None:
        instead = LOGURU.missing_methods[method]
        assert isinstance(node.func, cst.Attribute)
        fix = Fix.replace(node.func.attr, cst.Name(instead), f"Use `{instead}`") if instead else None
        advice = f"; use `{instead}`" if instead else ""
        self.report(node, f"loguru's logger has no `{method}`: the call raises AttributeError{advice}", fix)

    def _stdlib_keyword(self, node: cst.Call, call: LoggerCall, arg: cst.Arg) -> None:
        keyword = arg.keyword.value  # type: ignore[union-attr]
        fix = None
        if keyword == "exc_info":
            fix = self._exception_fix(node, arg)
        elif keyword == "extra":
            fix = self._bind_fix(node, call, arg)
        what = {"exc_info": "no traceback is logged (use `logger.opt(exception=True)` or `logger.exception()`)",
                "extra": "it nests under `extra['extra']` (use `logger.bind(...)`)"}.get(
            keyword, "loguru ignores it")
        self.report(node, f"`{keyword}=` on a loguru call is captured as extra data and formats the message: "
                          f"{what}", fix, call)

    @staticmethod
    def _exception_fix(node: cst.Call, arg: cst.Arg) -> Optional[Fix]:
        """`exc_info=True` -> `logger.opt(exception=True).<level>(...)`."""
        if not (passes_constant(arg, "True") and isinstance(node.func, cst.Attribute)):
            return None
        receiver = cst.Call(cst.Attribute(node.func.value, cst.Name("opt")),
                            [cst.Arg(cst.Name("True"), keyword=cst.Name("exception"), equal=_NO_SPACE)])
        new = _without(node, arg).with_changes(func=node.func.with_changes(value=receiver))
        # a receiver made with `opt(...)` would lose its options: `opt()` resets the others
        exact = _stays_formatted(node, arg) and not _has_opt(node.func.value)
        return Fix.replace(node, new, "Use `logger.opt(exception=True)`", unsafe=not exact)

    @staticmethod
    def _bind_fix(node: cst.Call, call: LoggerCall, arg: cst.Arg) -> Optional[Fix]:
        """`extra={"k": v}` -> `logger.bind(k=v).<level>(...)`: the keys become keys of the
        record's `extra` instead of nesting under `extra["extra"]`. Only for a dict literal
        whose keys are distinct identifier strings. Exact when the message reads the same
        without the keyword, no other keyword of the call takes one of the keys (it would
        override the bound value), the receiver has no formatting option (`opt(lazy=True)`
        calls the keyword values, `opt(capture=False)` keeps them out of `extra`) and
        evaluating the values before the call's other arguments gives the same."""
        pairs = _identifier_items(arg.value)
        if not pairs or not isinstance(node.func, cst.Attribute):
            return None
        bind = cst.Call(cst.Attribute(node.func.value, cst.Name("bind")),
                        [cst.Arg(value, keyword=cst.Name(key), equal=_NO_SPACE,
                                 comma=_COMMA if i < len(pairs) - 1 else cst.MaybeSentinel.DEFAULT)
                         for i, (key, value) in enumerate(pairs)])
        new = _without(node, arg).with_changes(func=node.func.with_changes(value=bind))
        others = [a for a in node.args if a is not arg]
        taken = {a.keyword.value for a in others if a.keyword is not None}
        moved = [value for _, value in pairs]
        order = [v for a in node.args for v in (moved if a is arg else [a.value])]
        exact = _stays_formatted(node, arg) and not taken & {k for k, _ in pairs} \
            and not any(a.star for a in others) and not _formatting_option(call) \
            and same_evaluation(order, moved + [a.value for a in others])
        return Fix.replace(node, new, "Use `logger.bind(...)`", unsafe=not exact)

    def _percent_placeholders(self, node: cst.Call, call: LoggerCall) -> None:
        arg = call.message_arg
        args = call.format_args
        if arg is None or not args:
            return
        text = _plain_literal(arg.value)
        if text is None:
            return
        parsed = fmt.parse_percent(text)
        if parsed.error is not None or not parsed.placeholders or parsed.has_keys:
            return
        fields = fmt.parse_str_format(text)
        if fields and any(name is not None for _, name, _, _ in fields):
            return  # `{}` fields too: LC205 judges the message
        self.report(node, "`%`-style placeholders on a loguru call: loguru formats with `str.format`, the "
                          "arguments never appear; use `{}`", self._brace_fix(node, arg, text, parsed, len(args)), call)

    def _brace_fix(self, node: cst.Call, arg: cst.Arg, text: str, parsed, count: int) -> Optional[Fix]:
        """`%s` -> `{}`, `%r` -> `{!r}` (exact without flags, width or precision); other
        types as `{:d}`-like specs, unsafe (`"%d" % 3.7` is `3`, `"{:d}".format(3.7)` raises)."""
        if parsed.positional_count != count or _string_parts(arg.value) is None or len(_string_parts(arg.value)) != 1:
            return None
        out: List[str] = []
        exact = True
        position = 0
        for placeholder in parsed.placeholders:
            out.append(fmt.escape_braces(text[position:placeholder.start]).replace("%%", "%"))
            piece = text[placeholder.start:placeholder.end]
            kind = piece[-1]
            if piece == "%%":
                out.append("%")
            elif re.fullmatch(r"%[sra]", piece):
                out.append(_EXACT_PERCENT[kind])
            elif re.fullmatch(r"%[-+ #0]*\d*(\.\d+)?[diouxXeEfFgG]", piece):
                flags_width = piece[1:-1]
                out.append("{:" + flags_width.replace("-", "<") + ("d" if kind in "iu" else kind) + "}")
                exact = False
            else:
                return None
            position = placeholder.end
        out.append(fmt.escape_braces(text[position:]).replace("%%", "%"))
        prefix, quote = fmt.literal_style(arg.value)  # type: ignore[arg-type]
        literal = fmt.make_string("".join(out), fmt.plain_prefix(prefix), quote)
        if literal is None:
            return None
        new = cst.SimpleString(literal).with_changes(lpar=arg.value.lpar, rpar=arg.value.rpar)
        return Fix.replace(arg.value, new, "Use `{}` placeholders", unsafe=not exact)


_NO_SPACE = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _stays_formatted(node: cst.Call, removed: cst.Arg) -> bool:
    """Dropping a keyword keeps the message as loguru shows it. loguru formats the message
    with `str.format` only when the call has arguments or keyword arguments: a literal
    without braces reads the same formatted or not; one with braces is still formatted the
    same when other arguments remain and no field names the dropped keyword."""
    call_message = positional_args(node)[:1]
    text = _plain_literal(call_message[0].value) if call_message else None
    if text is None:
        return False
    if "{" not in text and "}" not in text:
        return True
    fields = fmt.parse_str_format(text)
    keyword = removed.keyword.value if removed.keyword is not None else None
    remaining = [a for a in node.args if a is not removed and a is not call_message[0]]
    return fields is not None and bool(remaining) and not any(a.star for a in remaining) \
        and not any(name is not None and re.split(r"[.\[]", name)[0] == keyword for _, name, _, _ in fields)


def _identifier_items(expr: cst.BaseExpression) -> Optional[List[Tuple[str, cst.BaseExpression]]]:
    """The (key, value) pairs of a dict literal whose keys are distinct string literals
    that are Python identifiers (keyword arguments of `bind`); None otherwise."""
    if not isinstance(expr, cst.Dict):
        return None
    pairs: List[Tuple[str, cst.BaseExpression]] = []
    for element in expr.elements:
        key = _plain_literal(element.key) if isinstance(element, cst.DictElement) else None
        if key is None or not key.isidentifier() or iskeyword(key) or key in dict(pairs):
            return None
        pairs.append((key, element.value))
    return pairs


def _has_opt(receiver: cst.BaseExpression) -> bool:
    while isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
        if receiver.func.attr.value == "opt":
            return True
        receiver = receiver.func.value
    return not isinstance(receiver, (cst.Name, cst.Attribute))


def _without(node: cst.Call, removed: cst.Arg) -> cst.Call:
    """The call without one argument; when it was the last, the new last argument takes
    its comma and the space after it (a trailing comma and the line break before the
    closing parenthesis stay)."""
    args = [a for a in node.args if a is not removed]
    if args and node.args[-1] is removed:
        args[-1] = args[-1].with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
    return node.with_changes(args=args)


# --------------------------------------------------------------------------- LC702

#: `logger.add()` sinks that write to a file: a path string, `Path(...)`, an f-string path
_STREAMS = {"sys.stderr": "stderr", "sys.stdout": "stdout"}


def _sink_kind(ctx, sink: cst.BaseExpression) -> Optional[str]:
    """`file`, `stdout`, `stderr`, or None when the sink is a callable, handler or unknown."""
    qualified = ctx.loggers.qualified_name(sink) if isinstance(sink, (cst.Name, cst.Attribute)) else None
    if qualified in _STREAMS:
        return _STREAMS[qualified]
    if _string_parts(sink) is not None:
        return "file"
    if isinstance(sink, cst.Call) and ctx.loggers.qualified_name(sink.func) in ("pathlib.Path", "pathlib.PurePath"):
        return "file"
    return None


def _one_name(ctx, sink: cst.BaseExpression) -> bool:
    """The file sink is the same file in every process: a literal path without loguru's
    `{time}`-style fields (as a string or `Path(...)`)."""
    if isinstance(sink, cst.Call) and ctx.loggers.qualified_name(sink.func) in ("pathlib.Path", "pathlib.PurePath"):
        sink = sink.args[0].value if len(sink.args) == 1 and not sink.args[0].keyword else sink
    text = _plain_literal(sink)
    return text is not None and "{" not in text


class LoguruSinkPolicy(Rule):
    code = "LC702"
    name = "loguru-sink-policy"
    message = "A loguru sink that does not fit the logging policy"
    needles = _NEEDLES
    ast_gate = staticmethod(_imports_loguru)
    covers = classmethod(lambda cls, family: _is_loguru(family))

    def visit_Call(self, node: cst.Call) -> None:
        if _loguru_method_call(self, node, ("add",)) is None or not self.settings.is_deployed_path(Path(self.ctx.path)):
            return
        sinks = positional_args(node)
        sink = sinks[0].value if sinks else (keyword_arg(node, "sink").value if keyword_arg(node, "sink") else None)
        if sink is None:
            return
        policy = self.settings.policy
        kind = _sink_kind(self.ctx, sink)
        if kind == "file":
            rotation, retention = keyword_arg(node, "rotation"), keyword_arg(node, "retention")
            if not policy.allows("file"):
                self.report(node, f"loguru file sink: the `{policy.preset}` policy allows no file destination")
            elif policy.rotation == "required" and rotation is None:
                self.report(node, "loguru file sink without `rotation`: the file grows without bound")
            elif rotation is not None and retention is None:
                self.report(node, "loguru file sink with `rotation` but no `retention`: old files are never deleted")
            if rotation is not None and _one_name(self.ctx, sink) and self.ctx.runs_in_every_worker():
                self.report(node, "a rotating file sink added in every worker process under one name: each process "
                                  "rotates the file on its own (duplicated or split files); add it once before the "
                                  "workers start, with `enqueue=True`, or give each process its own file")
        elif kind is not None and not policy.allows(kind):
            self.report(node, f"loguru sink to {kind}: the `{policy.preset}` policy does not allow that destination")
        if policy.preset in RUNTIME_PRESETS and not passes_constant(keyword_arg(node, "diagnose"), "False"):
            self.report(node, f"`diagnose` left on under the `{policy.preset}` preset: tracebacks print the values "
                              "of local variables (secrets); pass `diagnose=False`")
        if policy.structured and kind is not None and not passes_constant(keyword_arg(node, "serialize"), "True"):
            self.report(node, "the policy asks for structured output: pass `serialize=True`")


# --------------------------------------------------------------------------- LC703

_LIBRARY = min(LOGURU.modules)
#: the calls that remove sinks: `logger.remove(...)`, `logger.configure(handlers=[...])`
_REMOVERS = frozenset({"remove", "configure"})
#: loguru adds no default sink when this environment variable is false
_AUTOINIT = "LOGURU_AUTOINIT"


def _method(call) -> Optional[str]:
    func = call.node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _may_add_sink(call) -> bool:
    """`x.add(...)` in a module that imports loguru, on loguru's logger or on a receiver
    its imports do not name (a logger passed around, or a set: not told apart)."""
    if _method(call) != "add" or not isinstance(call.node.func, ast.Attribute) \
            or not any(q.split(".")[0] in LOGURU.modules for q in call.imports.values()):
        return False
    receiver = call.resolve(call.node.func.value)
    return receiver is None or receiver.split(".")[0] in LOGURU.modules


def _removes_sinks(call) -> bool:
    """A call named like a remover that may remove loguru's default sink (on any
    receiver: a logger passed around is not followed)."""
    method = _method(call)
    return method == "remove" or (method == "configure" and call.keyword("handlers") is not None)



class LoguruDefaultSinkKept(Rule):
    code = "LC703"
    name = "loguru-default-sink-kept"
    message = ("loguru's default stderr sink is kept next to an added console sink: every record is written twice; "
               "call `logger.remove()` first")
    fix = "safe"
    needles = _NEEDLES
    ast_gate = staticmethod(_imports_loguru)
    covers = classmethod(lambda cls, family: _is_loguru(family))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
            if isinstance(value, cst.Call) and self._console_add(value):
                first = not self.ctx.memo("LC703.reported", list)
                self.ctx.memo("LC703.reported", list).append(value)
                exact = self._shows_all(value) and self._only_sink_so_far()
                self.report(value, fix=self._fix(node, value, exact) if first else None)

    def _only_sink_so_far(self) -> bool:
        """No other sink can have been added when the first console sink is: `remove()`
        removes them all. The project's other modules add none, and this one adds none
        before it (one added in a function may run first, unless this add runs at import
        time and is the file's only one)."""
        calls = self.ctx.project_calls(_LIBRARY, ("add",))
        if calls is None:
            return False
        own = Path(self.ctx.path).absolute()
        adds = [c for c in calls if _may_add_sink(c) and in_program(self.ctx, c.path)]
        if any(c.path != own for c in adds):
            return False
        earlier = self.ctx.memo("LC703.adds", list)
        return len(adds) == 1 or (not self.ctx.in_function and not earlier and all(not c.where for c in adds))

    def visit_Call(self, node: cst.Call) -> None:
        if _loguru_method_call(self, node, ("add",)) is not None:
            self.ctx.memo("LC703.adds", list).append(node)  # type: ignore[attr-defined]

    def _console_add(self, call: cst.Call) -> bool:
        if _loguru_method_call(self, call, ("add",)) is None:
            return False
        sinks = positional_args(call)
        if not sinks or _sink_kind(self.ctx, sinks[0].value) not in ("stderr", "stdout"):
            return False
        return not self.ctx.memo("LC703.removed", self._default_removed)

    def _default_removed(self) -> bool:
        """Something in the program may remove the default sink or keep it from being
        made (unknown counts): `logger.remove()` (any id: the code knows its sinks) or
        `logger.configure(handlers=[...])`, which removes every sink added before, in this
        module or another module of the project (deployed code only, when this file is:
        a test's removal does not run in the program), or `LOGURU_AUTOINIT` named in the
        project's code or environment files (`false` leaves no default sink)."""
        calls = self.ctx.project_calls(_LIBRARY, _REMOVERS)
        mentions = self.ctx.environment_mentions(_AUTOINIT)
        if calls is None or mentions is None:
            return True
        return any(in_program(self.ctx, path) for path in mentions) \
            or any(_removes_sinks(call) for call in calls if in_program(self.ctx, call.path))

    @staticmethod
    def _shows_all(call: cst.Call) -> bool:
        """The added sink shows every record the default sink showed (its level DEBUG or
        lower, no filter): removing the default loses none."""
        level = keyword_arg(call, "level")
        if keyword_arg(call, "filter") is not None or any(a.star for a in call.args):
            return False
        if level is None:
            return True
        value = level.value
        return string_value(value) in ("TRACE", "DEBUG") or (
            isinstance(value, cst.Integer) and value.evaluated_value <= 10)

    @staticmethod
    def _fix(statement: cst.SimpleStatementLine, call: cst.Call, exact: bool) -> Fix:
        """`logger.remove()` on a line of its own before the statement of the first `add`."""
        assert isinstance(call.func, cst.Attribute)
        remove = cst.SimpleStatementLine([cst.Expr(cst.Call(cst.Attribute(call.func.value, cst.Name("remove"))))],
                                         leading_lines=statement.leading_lines)
        new = cst.FlattenSentinel([remove, statement.with_changes(leading_lines=())])
        return Fix("Call `logger.remove()` before adding the sink", ((statement, new),),  # type: ignore[arg-type]
                   SAFE if exact else UNSAFE)
