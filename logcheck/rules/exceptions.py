"""LC304-LC307: exceptions and tracebacks in logging calls, and exceptions swallowed
without a trace."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Union

import libcst as cst

from logcheck.engine import FileContext
from logcheck.precheck import pattern, word
from logcheck.rule import Fix, Rule

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
        return value.evaluated_value != ""
    return False


def _current_exception(value: cst.BaseExpression, handlers) -> bool:
    """`exc_info=e` where `e` is bound by the innermost enclosing handler: inside it,
    sys.exc_info() holds exactly that exception."""
    return bool(handlers) and isinstance(value, cst.Name) and FileContext.handler_name(handlers[-1]) == value.value


class ExceptionOutsideHandler(Rule):
    code = "LC304"
    name = "exception-outside-handler"
    message = ("`{what}` outside an `except` block: there is no current exception and the "
               "traceback reads `NoneType: None`")
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.except_handlers:
            return
        call = self.ctx.logger_call(node)
        if call is None:
            return
        functions = self.ctx.functions
        if functions and isinstance(functions[-1], cst.FunctionDef) \
                and functions[-1].name.value in ("__exit__", "__aexit__"):
            return  # a context manager's exit runs while the exception is being handled
        exc_info = call.keyword("exc_info")
        if exc_info is not None and not _truthy_constant(exc_info.value):
            return  # an exception object, a sys.exc_info() tuple or False: fine anywhere
        if call.method == "exception":
            self.report(node, self.message.format(what=".exception()"))
        elif exc_info is not None:
            self.report(node, self.message.format(what="exc_info=True"))


# --------------------------------------------------------------------------- LC305


class ErrorInsteadOfException(Rule):
    code = "LC305"
    name = "error-instead-of-exception"
    message = "`error(..., exc_info=True)` inside an `except` block; use `exception(...)`"
    fix = "safe"
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.except_handlers:
            return
        call = self.ctx.logger_call(node)
        if call is None or call.method != "error":
            return
        index = _keyword_index(node, "exc_info")
        if index is None:
            return
        value = node.args[index].value
        if not (_truthy_constant(value) or _current_exception(value, self.ctx.except_handlers)):
            return
        fix = None
        new = remove_argument(node, index)
        if new is not None:
            new = _with_method(new, "exception")
        if new is not None:
            fix = Fix.replace(node, new, "Use `exception(...)` without `exc_info`")
        self.report(node, fix=fix, call=call)


# --------------------------------------------------------------------------- LC306


class RedundantExcInfo(Rule):
    code = "LC306"
    name = "redundant-exc-info"
    message = "`exception(..., exc_info=...)`: the keyword is redundant or contradicts the method"
    fix = "safe"
    uses_logger_calls = True

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.logger_call(node)
        if call is None or call.method != "exception":
            return
        index = _keyword_index(node, "exc_info")
        if index is None:
            return
        value = node.args[index].value
        if _is_name(value, "True"):
            new = remove_argument(node, index)
            fix = Fix.replace(node, new, "Remove `exc_info=True`") if new is not None else None
            self.report(node, "`exception()` already logs the traceback; `exc_info=True` is redundant", fix, call)
        elif _is_name(value, "False"):
            new = remove_argument(node, index)
            if new is not None:
                new = _with_method(new, "error")
            fix = Fix.replace(node, new, "Use `error(...)` without `exc_info`") if new is not None else None
            self.report(node, "`exception(..., exc_info=False)` logs no traceback; use `error(...)`", fix, call)


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


def may_swallow(tree: ast.Module) -> bool:
    """False only when LC307 certainly reports nothing in the file: no handler that may be
    broad (bare, or naming `Exception`/`BaseException` or an import alias of them) has a
    body of inert simple statements without calls. A superset of the rule, on the
    interpreter's ast, which is about nine times cheaper to build than libcst's tree: a
    file that only LC307's needles let through is parsed with libcst only when this says
    yes."""
    broad = {"Exception", "BaseException"}
    handlers = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            handlers.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            broad.update(a.asname for a in node.names if a.asname and a.name.rpartition(".")[2] in broad)
    for handler in handlers:
        if handler.type is not None and not any(
                (isinstance(n, ast.Name) and n.id in broad) or (isinstance(n, ast.Attribute) and n.attr in broad)
                for n in ast.walk(handler.type)):
            continue
        if all(isinstance(stmt, _INERT_AST) for stmt in handler.body) and not any(
                isinstance(n, _ACTIVE_AST) for stmt in handler.body for n in ast.walk(stmt)):
            return True
    return False


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    from logcheck.engine import iter_children

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


class SwallowedException(Rule):
    code = "LC307"
    name = "swallowed-exception"
    message = ("Broad `except` that swallows the exception: it neither logs, re-raises nor uses it, "
               "so the failure leaves no trace")
    # `except:`, `except Exception` ... need no logging import at all; `Exception` and
    # `BaseException` are only ever written as words (`builtins.Exception`, an alias import)
    needles = (word("Exception"), word("BaseException"), BARE_EXCEPT)
    ast_gate = staticmethod(may_swallow)

    def visit_ExceptHandler(self, node: Union[cst.ExceptHandler, cst.ExceptStarHandler]) -> None:
        if not self._is_broad(node.type):
            return
        statements = _handler_statements(node.body)
        if statements is None:
            return
        bound = node.name.name.value if node.name is not None and isinstance(node.name.name, cst.Name) else None
        for small in statements:
            if not isinstance(small, _INERT_SMALL):
                return  # raise, assert, import ...: something happens
            if isinstance(small, cst.Expr) and not isinstance(
                    small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString, cst.Name,
                                  cst.Integer)):
                return
            for sub in _walk(small):
                # any call (logging, reporting, cleanup, sys.exit) or await/yield may
                # handle the failure; only bodies that certainly do nothing are reported
                if isinstance(sub, (cst.Call, cst.Await, cst.Yield, cst.Lambda)):
                    return
                if bound is not None and isinstance(sub, cst.Name) and sub.value == bound:
                    return
        self.report(node)

    visit_ExceptStarHandler = visit_ExceptHandler

    def _is_broad(self, type_: Optional[cst.BaseExpression]) -> bool:
        if type_ is None:
            return True
        if isinstance(type_, cst.Tuple):
            return any(self._is_broad(el.value) for el in type_.elements if not isinstance(el, cst.StarredElement))
        if isinstance(type_, (cst.Name, cst.Attribute)):
            qn = self.ctx.loggers.qualified_name(type_)
            if qn in _BROAD:
                name = qn.rpartition(".")[2]
                # a module-level class/function named `Exception` shadows the builtin
                return not (isinstance(type_, cst.Name) and name in self.ctx.loggers.shadowed
                            and type_.value not in self.ctx.loggers.imports)
        return False
