"""LC304-LC307: exceptions and tracebacks in logging calls, and exceptions swallowed
without a trace."""

from __future__ import annotations

import ast
import re
from typing import Iterator, List, Optional, Union

import libcst as cst

from logcheck.lint.context import FileContext
from logcheck.lint.rule import Fix, Rule
from logcheck.semantics.callgraph import NO
from logcheck.semantics.families import FAMILIES
from logcheck.semantics.purpose import is_test, name_words
from logcheck.semantics.scopes import binds_in
from logcheck.source.cst import comments_in
from logcheck.source.precheck import pattern, word

# --------------------------------------------------------------------------- helpers


def _is_name(expr: cst.BaseExpression, value: str) -> bool:
    return isinstance(expr, cst.Name) and expr.value == value


def _keyword_index(call: cst.Call, name: str) -> Optional[int]:
    for i, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            return i
    return None


def _has_comment(ws) -> bool:
    if isinstance(ws, cst.ParenthesizedWhitespace):
        return ws.first_line.comment is not None or any(line.comment is not None for line in ws.empty_lines)
    return False


def _join_ws(before, after):
    """Whitespace for the place where the line break before a removed argument and the
    whitespace after it meet: the comments of `before` (the line the previous argument
    ends) are kept, the indentation of `after` (what precedes the next token) is used.
    None when the two cannot be joined exactly."""
    if isinstance(before, cst.ParenthesizedWhitespace):
        if isinstance(after, cst.ParenthesizedWhitespace):
            return after.with_changes(first_line=before.first_line,
                                      empty_lines=[*before.empty_lines, *after.empty_lines])
        return None if _has_comment(before) else after
    if _has_comment(after):
        return None
    return after


def remove_argument(call: cst.Call, index: int) -> Optional[cst.Call]:
    """`call` without its argument at `index`, the comma handled so that the other
    arguments keep their formatting and comments (single- and multi-line calls, with or
    without a trailing comma). None when that cannot be done exactly."""
    args = list(call.args)
    if not 0 <= index < len(args) or len(args) < 2:
        return None
    removed = args[index]
    if index < len(args) - 1:
        # the next argument takes the removed one's place; the previous comma's whitespace
        # already leads up to it. Comment lines between the removed argument and the next
        # one are kept.
        if index > 0 and isinstance(removed.comma, cst.Comma):
            prev = args[index - 1]
            if isinstance(prev.comma, cst.Comma):
                joined = _join_ws(prev.comma.whitespace_after, removed.comma.whitespace_after)
                if joined is None:
                    return None
                if isinstance(prev.comma.whitespace_after, cst.ParenthesizedWhitespace) \
                        and isinstance(removed.comma.whitespace_after, cst.ParenthesizedWhitespace):
                    # line-per-argument: keep the previous line's comment, the next line's indent
                    args[index - 1] = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=joined))
                elif _has_comment(removed.comma.whitespace_after):
                    return None
        elif index == 0 and _has_comment(removed.comma.whitespace_after if isinstance(removed.comma, cst.Comma) else None):
            return None
        del args[index]
        return call.with_changes(args=args)
    # the last argument: the previous one becomes last
    prev = args[index - 1]
    prev_ws = prev.comma.whitespace_after if isinstance(prev.comma, cst.Comma) else None
    if isinstance(removed.comma, cst.Comma):
        # trailing comma kept: `a,\n    exc_info=True,\n)` -> `a,\n)`
        if prev_ws is None:
            return None
        joined = _join_ws(prev_ws, removed.comma.whitespace_after)
        if joined is None:
            return None
        new_prev = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=joined),
                                     whitespace_after_arg=removed.whitespace_after_arg)
    else:
        if _has_comment(prev_ws):
            # keep the comma so the comment stays where it was: `a,  # note\n)`
            joined = _join_ws(prev_ws, removed.whitespace_after_arg)
            if joined is None:
                return None
            new_prev = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=joined),
                                         whitespace_after_arg=cst.SimpleWhitespace(""))
        else:
            new_prev = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT,
                                         whitespace_after_arg=removed.whitespace_after_arg)
    if _has_comment(removed.whitespace_after_arg) and new_prev.whitespace_after_arg is not removed.whitespace_after_arg:
        return None
    args[index - 1] = new_prev
    del args[index]
    return call.with_changes(args=args)


def _with_method(call: cst.Call, method: str) -> Optional[cst.Call]:
    if not isinstance(call.func, cst.Attribute):
        return None  # `error` imported from logging: the import would have to change too
    return call.with_changes(func=call.func.with_changes(attr=call.func.attr.with_changes(value=method)))


# --------------------------------------------------------------------------- LC304


def _truthy_constant(value: cst.BaseExpression) -> bool:
    """`exc_info` values that logging treats like `True` (any truthy value that is neither an
    exception nor a tuple means "use sys.exc_info()"): `True`, `1`, `"exc"`."""
    if _is_name(value, "True"):
        return True
    if isinstance(value, cst.Integer):
        return value.evaluated_value != 0
    if isinstance(value, cst.SimpleString):
        return bool(value.evaluated_value)  # `b""` is falsy too
    return False


def _falsy_constant(value: cst.BaseExpression) -> bool:
    """`exc_info` values that mean "no traceback": `False`, `None`, `0`, `""`, `[]`, `()`, `{}`."""
    if _is_name(value, "False") or _is_name(value, "None"):
        return True
    if isinstance(value, (cst.Integer, cst.SimpleString)):
        return not value.evaluated_value
    return isinstance(value, (cst.List, cst.Tuple, cst.Dict)) and not value.elements


def _sys_exc_info(ctx: FileContext, value: cst.BaseExpression) -> Optional[bool]:
    """For `exc_info=sys.exc_info()` (or `exc_info()` imported from `sys`): True when `sys`
    is certainly the stdlib module (an import is the binding in scope), False when it is
    only spelled so (nothing binds `sys`); None for any other value. Inside a handler the
    tuple holds the handled exception, which is what `exc_info=True` makes logging fetch
    itself."""
    if not isinstance(value, cst.Call) or value.args or ctx.qualified_name(value.func) != "sys.exc_info":
        return None
    return ctx.loggers.imported_name(value.func, ctx.loggers.chain(ctx.scope_nodes)) == "sys.exc_info"


def _current_exception(value: cst.BaseExpression, handlers) -> bool:
    """`exc_info=e` where `e` is bound by the innermost enclosing handler and nothing in
    the handler binds `e` again: then sys.exc_info() holds exactly that exception."""
    return bool(handlers) and isinstance(value, cst.Name) and FileContext.handler_name(handlers[-1]) == value.value \
        and not binds_in(handlers[-1].body, value.value)


def _may_be_truthy(value) -> bool:
    """On the interpreter's ast: a superset of `_truthy_constant`."""
    return isinstance(value, ast.Constant) and bool(value.value)


#: options of a derivation that attach the current exception (`logger.opt(exception=True)`)
_EXCEPTION_OPTIONS = frozenset(f.exception_option for f in FAMILIES if f.exception_option)


def _exception_outside_handler_gate(facts, settings) -> bool:
    """LC304 can report only on `exception(...)` without a falsy `exc_info`, on a truthy
    constant `exc_info=` or on a receiver derived with a truthy exception option, outside
    every `except` block of its function."""
    return any(not c.in_handler and (_may_be_truthy(c.keywords.get("exc_info"))
                                     or (c.method == "exception" and "exc_info" not in c.keywords)
                                     or _ast_exception_option(c.receiver))
               for c in facts.logger_calls(settings))


def _ast_exception_option(receiver) -> bool:
    """On the interpreter's ast: a superset of `_exception_option`."""
    while isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute):
        if any(k.arg in _EXCEPTION_OPTIONS and _may_be_truthy(k.value) for k in receiver.keywords):
            return True
        receiver = receiver.func.value
    return False


def _exception_option(call) -> Optional[str]:
    """`opt(exception=True)` when the call's receiver is derived with the family's
    exception option set to a truthy constant (an exception object is fine anywhere)."""
    option = call.family.exception_option
    receiver = call.receiver
    while option and isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
        for arg in receiver.args:
            if arg.keyword is not None and arg.keyword.value == option and _truthy_constant(arg.value):
                return f"{receiver.func.attr.value}({option}={cst.Module([]).code_for_node(arg.value)})"
        receiver = receiver.func.value
    return None


def _error_with_exc_info_gate(facts, settings) -> bool:
    """LC305 needs, inside an `except` block, `error(..., exc_info=X)` with X a truthy
    constant, a call without arguments (`sys.exc_info()`) or a name some `except ... as`
    binds (`_current_exception`)."""
    for c in facts.logger_calls(settings):
        value = c.keywords.get("exc_info") if c.method == "error" and c.in_handler else None
        if value is not None and (_may_be_truthy(value)
                                  or (isinstance(value, ast.Call) and not value.args and not value.keywords)
                                  or (isinstance(value, ast.Name) and value.id in facts.handler_names)):
            return True
    return False


def _exception_with_exc_info_gate(facts, settings) -> bool:
    """LC306 needs `exception(..., exc_info=...)`."""
    return any(c.method == "exception" and "exc_info" in c.keywords for c in facts.logger_calls(settings))


def _takes_exc_info(family) -> bool:
    """`exc_info=` attaches the exception and `exception(...)` is `error(..., exc_info=True)`
    (stdlib, powertools, structlog; loguru's stdlib-only keyword is LC701's)."""
    return family.exception_keyword == "exc_info" and {"error", "exception"} <= family.methods


class ExceptionOutsideHandler(Rule):
    code = "LC304"
    name = "exception-outside-handler"
    message = "`{what}` outside an `except` block: there is no current exception and {effect}"
    uses_logger_calls = True
    ast_gate = staticmethod(_exception_outside_handler_gate)
    #: families whose record says what their `exception()` logs without an exception
    covers = classmethod(lambda cls, family: "exception" in family.methods and bool(family.no_exception_effect))

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.except_handlers:
            return
        call = self.logger_call(node)
        if call is None:
            return
        functions = self.ctx.functions
        if functions and isinstance(functions[-1], cst.FunctionDef) \
                and functions[-1].name.value in ("__exit__", "__aexit__"):
            return  # a context manager's exit runs while the exception is being handled
        keyword = call.family.exception_keyword
        exc_info = call.keyword(keyword) if keyword else None
        if exc_info is not None and not _truthy_constant(exc_info.value):
            return  # an exception object, a sys.exc_info() tuple or False: fine anywhere
        option = _exception_option(call)
        if call.method == "exception":
            what = ".exception()"
        elif exc_info is not None:
            # as written (`exc_info=1` is not `exc_info=True` to the reader)
            what = f"{keyword}={self.ctx.module.code_for_node(exc_info.value)}"
        elif option is not None:
            what = option
        else:
            return
        # only where the project shows that no exception can be in flight: a helper called
        # from handlers, a registered exception handler or a public function may well run
        # inside one
        if self.ctx.exception_in_flight() == NO:
            self.report(node, self.message.format(what=what, effect=call.family.no_exception_effect))


# --------------------------------------------------------------------------- LC305


class ErrorInsteadOfException(Rule):
    code = "LC305"
    name = "error-instead-of-exception"
    message = "`error(..., exc_info=True)` inside an `except` block; use `exception(...)`"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_error_with_exc_info_gate)
    covers = classmethod(lambda cls, family: _takes_exc_info(family))

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.except_handlers:
            return
        call = self.logger_call(node)
        if call is None or call.method != "error":
            return
        index = _keyword_index(node, "exc_info")
        if index is None:
            return
        value = node.args[index].value
        sys_exc_info = _sys_exc_info(self.ctx, value)
        if not (_truthy_constant(value) or sys_exc_info is not None
                or _current_exception(value, self.ctx.except_handlers)):
            return
        if not (_truthy_constant(value) or sys_exc_info is not None) and self.ctx.other_exception_may_be_in_flight:
            # `exc_info=e` in a `finally:` inside the handler: another exception may be
            # propagating, and `exception()` would log that one instead of `e`
            return
        fix = None
        new = remove_argument(node, index)
        if new is not None:
            new = _with_method(new, "exception")
        if new is not None:
            fix = Fix.replace(node, new, "Use `exception(...)` without `exc_info`", unsafe=sys_exc_info is False)
        written = self.ctx.module.code_for_node(value)
        self.report(node, f"`error(..., exc_info={written})` inside an `except` block; use `exception(...)`", fix, call)


# --------------------------------------------------------------------------- LC306


class RedundantExcInfo(Rule):
    code = "LC306"
    name = "redundant-exc-info"
    message = "`exception(..., exc_info=...)`: the keyword is redundant or contradicts the method"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_exception_with_exc_info_gate)
    covers = classmethod(lambda cls, family: _takes_exc_info(family))

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is None or call.method != "exception":
            return
        index = _keyword_index(node, "exc_info")
        if index is None:
            return
        value = node.args[index].value
        written = self.ctx.module.code_for_node(value)
        sys_exc_info = _sys_exc_info(self.ctx, value)
        if _truthy_constant(value) or sys_exc_info is not None:
            # what `exception()` logs anyway: the current exception
            new = remove_argument(node, index)
            fix = Fix.replace(node, new, f"Remove `exc_info={written}`", unsafe=sys_exc_info is False) \
                if new is not None else None
            self.report(node, f"`exception()` already logs the traceback; `exc_info={written}` is redundant", fix,
                        call)
        elif _falsy_constant(value):
            if _is_name(value, "False") or _is_name(value, "None"):
                new = remove_argument(node, index)
                what = "Use `error(...)` without `exc_info`"
            else:
                # `0`, `""`, `()`: the record keeps that value as its `exc_info` (`None`
                # without the keyword), so the keyword stays as written
                new, what = node, f"Use `error(..., exc_info={written})`"
            if new is not None:
                new = _with_method(new, "error")
            fix = Fix.replace(node, new, what) if new is not None else None
            self.report(node, f"`exception(..., exc_info={written})` logs no traceback; use `error(...)`", fix, call)


# --------------------------------------------------------------------------- LC307

#: `except:`; only blanks and backslash continuations can stand between the two tokens
BARE_EXCEPT = pattern(rb"\bexcept[ \t\f\\\r\n]*:", b"except:")
_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})

#: statements that do nothing with the exception
_INERT_SMALL = (cst.Pass, cst.Continue, cst.Break, cst.Return, cst.Assign, cst.AugAssign, cst.AnnAssign,
                cst.Del, cst.Global, cst.Nonlocal, cst.Expr)
#: the same statements in the interpreter's ast, and what makes a body do something
_INERT_AST = (ast.Pass, ast.Continue, ast.Break, ast.Return, ast.Assign, ast.AugAssign, ast.AnnAssign,
              ast.Delete, ast.Global, ast.Nonlocal, ast.Expr)
_ACTIVE_AST = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.Lambda)


def may_swallow(facts, settings) -> bool:
    """False only when LC307 certainly reports nothing in the file: no handler that may be
    broad (bare, or naming `Exception`/`BaseException` or an import alias of them) has a
    body of inert simple statements without calls. A superset of the rule, on the
    interpreter's ast, which is about nine times cheaper to build than libcst's tree: a
    file that only LC307's needles let through is parsed with libcst only when this says
    yes."""
    broad = {"Exception", "BaseException"}
    broad.update(local for local, names in facts.imported.items() if names & broad)
    for handler in facts.handlers:
        if handler.type is not None and not any(
                (isinstance(n, ast.Name) and n.id in broad) or (isinstance(n, ast.Attribute) and n.attr in broad)
                for n in ast.walk(handler.type)):
            continue
        if all(isinstance(stmt, _INERT_AST) for stmt in handler.body) and not any(
                isinstance(n, _ACTIVE_AST) for stmt in handler.body for n in ast.walk(stmt)):
            return True
    return False


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    from logcheck.source.cst import iter_children

    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(iter_children(current))


def _handler_statements(body: cst.BaseSuite) -> Optional[List[cst.BaseSmallStatement]]:
    """The small statements of an except body, or None when it holds a compound statement."""
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)
    out: List[cst.BaseSmallStatement] = []
    for stmt in body.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return None
        out.extend(stmt.body)
    return out


#: calls that release a resource: a failure there is routinely ignored on purpose
_CLEANUP_CALLS = frozenset({"close", "aclose", "unlink", "remove", "rmdir", "rmtree", "shutdown", "terminate",
                            "kill", "disconnect", "release", "cleanup", "cancel", "stop"})
#: comments that direct a tool and give no reason (`# pragma: no cover`, `# type: ignore`)
_TOOL_DIRECTIVE = re.compile(r"#\s*(pragma:|type:|fmt:|isort:|nosec\b)", re.IGNORECASE)
#: words of a method's name that make it teardown code (`__del__`, `__exit__`, `tearDown`,
#: `close`, `cleanup`): its handlers are best effort by nature
_TEARDOWN_WORDS = frozenset({"del", "exit", "aexit", "teardown", "tear", "cleanup", "close", "aclose",
                             "shutdown", "dispose", "release", "destroy", "finalize", "stop"})


def _probes_import(body: cst.BaseSuite) -> bool:
    """A try body of imports (and the flags or fallbacks they set, `HAS_X = True`): a probe
    for an optional module, whose absence the handler accepts."""
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    smalls: List[cst.BaseSmallStatement] = []
    for line in lines:
        if not isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return False
        smalls.extend(line.body)
    return any(isinstance(small, (cst.Import, cst.ImportFrom)) for small in smalls) and all(
        isinstance(small, (cst.Import, cst.ImportFrom, cst.Assign, cst.AnnAssign)) for small in smalls)


def _calls_cleanup(body: cst.CSTNode) -> bool:
    for sub in _walk(body):
        if isinstance(sub, cst.Call):
            func = sub.func
            last = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
            if last in _CLEANUP_CALLS:
                return True
    return False


class SwallowedException(Rule):
    code = "LC307"
    name = "swallowed-exception"
    message = ("Broad `except` that swallows the exception: it neither logs, re-raises nor uses it, "
               "and gives no reason, so the failure leaves no trace")
    # `except:`, `except Exception` ... need no logging import at all; `Exception` and
    # `BaseException` are only ever written as words (`builtins.Exception`, an alias import)
    # off by default: on unseen projects most broad handlers that do nothing are deliberate
    # even without a comment (`except Exception: return False` in a predicate, a fallback
    # value, a probe); see rules/LC307.md
    default = False
    needles = (word("Exception"), word("BaseException"), BARE_EXCEPT)
    ast_gate = staticmethod(may_swallow)

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._finally_depth = 0
        self._strict = ctx.settings.swallowed_exception == "strict"

    def visit_Finally(self, node: cst.Finally) -> None:
        self._finally_depth += 1

    def leave_Finally(self, node: cst.Finally) -> None:
        self._finally_depth -= 1

    def visit_Try(self, node: Union[cst.Try, cst.TryStar]) -> None:
        for handler in node.handlers:
            if self._swallows(handler) and (self._strict or not self._has_reason(node, handler)):
                self.report(handler)

    visit_TryStar = visit_Try

    def _has_reason(self, try_: Union[cst.Try, cst.TryStar], handler: cst.CSTNode) -> bool:
        """The signs of a deliberate swallow: a comment, an optional-import probe, resource
        cleanup, teardown code, a test."""
        if any(not _TOOL_DIRECTIVE.match(comment) for comment in comments_in(handler)):
            return True
        if _probes_import(try_.body):
            return True
        if self._finally_depth or _calls_cleanup(try_.body):
            return True
        if any(isinstance(f, cst.FunctionDef) and _TEARDOWN_WORDS & set(name_words(f.name.value))
               for f in self.ctx.functions):
            return True
        return is_test(self.ctx)

    def _swallows(self, node: cst.CSTNode) -> bool:
        """A broad handler that does nothing with the failure."""
        if not self._is_broad(node.type):
            return False
        statements = _handler_statements(node.body)
        if statements is None:
            return False
        bound = FileContext.handler_name(node)
        for small in statements:
            if not isinstance(small, _INERT_SMALL):
                return False  # raise, assert, import ...: something happens
            if isinstance(small, cst.Expr) and not isinstance(
                    small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString, cst.Name,
                                  cst.Integer)):
                return False
            for sub in _walk(small):
                # any call (logging, reporting, cleanup, sys.exit) or await/yield may
                # handle the failure; only bodies that certainly do nothing are reported
                if isinstance(sub, (cst.Call, cst.Await, cst.Yield, cst.Lambda)):
                    return False
                if bound is not None and isinstance(sub, cst.Name) and sub.value == bound:
                    return False
        return True

    def _is_broad(self, type_: Optional[cst.BaseExpression]) -> bool:
        if type_ is None:
            return True
        if isinstance(type_, cst.Tuple):
            return any(self._is_broad(el.value) for el in type_.elements if not isinstance(el, cst.StarredElement))
        if isinstance(type_, (cst.Name, cst.Attribute)):
            qn = self.ctx.qualified_name(type_)
            if qn in _BROAD:
                name = qn.rpartition(".")[2]
                # a module-level class/function named `Exception` shadows the builtin
                return not (isinstance(type_, cst.Name) and name in self.ctx.loggers.shadowed
                            and type_.value not in self.ctx.loggers.imports)
        return False
