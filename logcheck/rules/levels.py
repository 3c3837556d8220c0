"""LC3xx: levels and exceptions."""

from __future__ import annotations

import ast
from typing import List, Optional, Set, Tuple

import libcst as cst

from logcheck.config_model.python import VERSION_KEY
from logcheck.config_model.python_gate import may_hold_config
from logcheck.lint.rule import Fix, Rule
from logcheck.semantics.levels import fixed_level_name, level_constant_for, level_name_problem
from logcheck.semantics.loggers import _top_level_imports, keyword_arg, string_value
from logcheck.source.precheck import word


class _AliasRule(Rule):
    """A logger method and a `logging` constant that have a preferred spelling: the fix
    renames only the attribute (`logger.warn` -> `logger.warning`, `logging.WARN` ->
    `logging.WARNING`)."""

    method: str
    preferred_method: str
    constant: str
    preferred_constant: str
    constant_message: str
    fix = "safe"
    uses_logger_calls = True

    @classmethod
    def ast_gate(cls, facts, settings) -> bool:
        """The method called, or `<name>.<constant>` written."""
        return cls.constant in facts.name_attributes or any(c.method == cls.method for c in facts.logger_calls(settings))

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is None or call.method != self.method:
            return
        if isinstance(node.func, cst.Attribute):
            attr = node.func.attr
            self.report(node, fix=Fix.replace(attr, attr.with_changes(value=self.preferred_method),
                                              f"Use `{self.preferred_method}`"), call=call)
        else:  # imported with `from logging import ...`: the import would have to change too
            self.report(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == self.constant and self.ctx.loggers.is_logging_module(node.value):
            self.report(node, self.constant_message,
                        Fix.replace(node.attr, node.attr.with_changes(value=self.preferred_constant),
                                    f"Use `{self.preferred_constant}`"))


class DeprecatedWarn(_AliasRule):
    code = "LC301"
    name = "deprecated-warn"
    message = "`warn` is deprecated; use `warning`"
    method, preferred_method = "warn", "warning"
    constant, preferred_constant = "WARN", "WARNING"
    constant_message = "`logging.WARN` is deprecated; use `logging.WARNING`"


class FatalAlias(_AliasRule):
    code = "LC302"
    name = "fatal-alias"
    message = "`fatal` is an undocumented alias; use `critical`"
    method, preferred_method = "fatal", "critical"
    constant, preferred_constant = "FATAL", "CRITICAL"
    constant_message = "`logging.FATAL` is an undocumented alias; use `logging.CRITICAL`"


# --------------------------------------------------------------------------- LC303


def _int_literal(expr: cst.BaseExpression) -> Optional[int]:
    if isinstance(expr, cst.Integer):
        try:
            return int(expr.value.replace("_", ""), 0)
        except ValueError:
            return None
    return None


def _is_string(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


def _upper_case_string(node: cst.SimpleString, fixed: str) -> Optional[cst.SimpleString]:
    """`node` with its text replaced by `fixed`, same prefix and quotes; None when the
    literal holds escapes (its source text is not its value)."""
    if not isinstance(node, cst.SimpleString) or "b" in node.prefix.lower():
        return None
    if node.raw_value != node.evaluated_value:
        return None
    return node.with_changes(value=f"{node.prefix}{node.quote}{fixed}{node.quote}")


#: receivers that certainly have `setLevel`: handler classes of `logging`/`logging.handlers`
def _is_handler_class(qualified: Optional[str]) -> bool:
    return (qualified is not None and qualified.endswith("Handler")
            and (qualified.startswith("logging.") and qualified.count(".") <= 2))


#: last names of the calls LC303 looks at (a cheap filter before resolving names)
_LEVEL_CALLS = frozenset({"addLevelName", "basicConfig", "setLevel", "log"})


def _last_name(func: cst.BaseExpression) -> Optional[str]:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return None


def _is_level_literal(value: Optional[ast.expr]) -> bool:
    """On the interpreter's ast: a literal `_check_level`/`_check_log` may judge."""
    return isinstance(value, ast.JoinedStr) or (
        isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes, int)))


def _invalid_level_gate(facts, settings) -> bool:
    """LC303 needs a configuration the model reads (levels in dictConfig schemas and the
    files fileConfig loads: `may_hold_config`), or a literal level in `setLevel(...)`,
    `basicConfig(level=...)` or `log(...)` (or a `log()` without one)."""
    if may_hold_config(facts, settings):
        return True
    for call in facts.calls_to("setLevel"):
        args = [*call.args, *(k.value for k in call.keywords)]
        if len(args) == 1 and _is_level_literal(args[0]):
            return True
    if any(_is_level_literal(k.value) for call in facts.calls_to("basicConfig") for k in call.keywords
           if k.arg == "level"):
        return True
    return any(c.method == "log" and (c.level is None or _is_level_literal(c.level)) for c in facts.logger_calls(settings))


class InvalidLevel(Rule):
    code = "LC303"
    name = "invalid-level"
    message = "Invalid or magic logging level"
    fix = "safe"
    uses_logger_calls = True
    # `x.setLevel("info")` on an object not known to be a logger is still reported
    # version/dictConfig: level strings in dictConfig literals
    needles = (word("setLevel"), word("dictConfig")) + VERSION_KEY
    ast_gate = staticmethod(_invalid_level_gate)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        #: candidate reports, decided at the end of the module once every
        #: `addLevelName` and handler binding is known: (kind, node, receiver-or-None)
        self._pending: List[Tuple[str, cst.Call, Optional[cst.BaseExpression]]] = []
        self._registered_ints: Set[int] = set()
        self._registered_names: Set[str] = set()
        self._handler_names: Set[str] = set()
        self._handler_attrs: Set[str] = set()

    # ---------------------------------------------------------------- collection
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = _last_name(func)
        if isinstance(func, cst.Name) and last in self.ctx.loggers.imports:
            # `from logging import basicConfig as setup`: what the name is where it is
            # called (another function may import the same name from elsewhere)
            last = (self.ctx.qualified_name(func) or last).rpartition(".")[2]
        if last not in _LEVEL_CALLS:
            return
        qn = self.ctx.qualified_name(func) if last in ("addLevelName", "basicConfig") else None
        if qn == "logging.addLevelName":
            pos = [a for a in node.args if a.keyword is None and not a.star]
            level = pos[0].value if pos else None
            name = pos[1].value if len(pos) > 1 else None
            for a in node.args:
                if a.keyword is not None and a.keyword.value == "level":
                    level = a.value
                if a.keyword is not None and a.keyword.value == "levelName":
                    name = a.value
            value = _int_literal(level) if level is not None else None
            if value is not None:
                self._registered_ints.add(value)
            text = string_value(name) if name is not None else None
            if text is not None:
                self._registered_names.add(text)
            return
        if qn == "logging.basicConfig":
            if keyword_arg(node, "level") is not None:
                self._pending.append(("basicConfig", node, None))
            return
        if isinstance(func, cst.Attribute) and func.attr.value == "setLevel":
            self._pending.append(("setLevel", node, func.value))
            return
        call = self.logger_call(node)
        if call is not None and call.method == "log" and call.proven:
            # `log(msg, ...)` on an object only named like a logger may be another API
            # (medusa's `logger.log(message, tb)`): the level checks are for stdlib loggers
            self._pending.append(("log", node, None))

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Call) and (_last_name(value.func) or "").endswith("Handler") \
                and _is_handler_class(self.ctx.qualified_name(value.func)):
            for target in node.targets:
                t = target.target
                if isinstance(t, cst.Name):
                    self._handler_names.add(t.value)
                elif isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and t.value.value in ("self", "cls"):
                    self._handler_attrs.add(t.attr.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.visit_Assign(cst.Assign(targets=[cst.AssignTarget(node.target)], value=node.value))

    # ---------------------------------------------------------------- decision
    def leave_Module(self, node: cst.Module) -> None:
        from logcheck.rules.config import config_level_problems  # levels inside dictConfig dict literals

        for level_node, message, fix in config_level_problems(self.ctx):
            self.report(level_node, message, fix)
        for kind, call, receiver in self._pending:
            if kind == "log":
                self._check_log(call)
            elif kind == "basicConfig":
                arg = keyword_arg(call, "level")
                self._check_level(call, arg.value, certain=True, what="basicConfig(level=...)")
            else:
                certain = self._is_level_owner(receiver)
                args = [a for a in call.args if not a.star]
                if len(args) != 1 or len(call.args) != 1:
                    continue
                arg = args[0]
                if arg.keyword is not None and arg.keyword.value != "level":
                    continue
                self._check_level(call, arg.value, certain=certain, what="setLevel(...)")

    def _is_level_owner(self, receiver: cst.BaseExpression) -> bool:
        resolver = self.ctx.loggers
        if resolver.expression_logger_kind(receiver) is not None:
            return True
        if isinstance(receiver, cst.Name):
            return receiver.value in self._handler_names
        if isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name) \
                and receiver.value.value in ("self", "cls"):
            return receiver.attr.value in self._handler_attrs
        if isinstance(receiver, cst.Call):
            return _is_handler_class(resolver.qualified_name(receiver.func))
        return False

    def _check_log(self, node: cst.Call) -> None:
        pos = [a for a in node.args if a.keyword is None]
        if any(a.star for a in pos[:1]):
            return  # `log(*args)`, `log(**fields)`: the level is not shown (after it, `*args` hides nothing)
        level = keyword_arg(node, "level")
        if not pos and level is None:
            self.report(node, "`log()` without a level; pass a level constant such as `logging.INFO`")
            return
        value = pos[0].value if pos else level.value
        if _is_string(value):
            if len(pos) == 1 and level is None and keyword_arg(node, "msg") is None:
                self.report(node, "`log()` called with a message but no level; "
                                  "pass a level constant first (`logger.log(logging.INFO, msg)`)")
            else:
                self.report(node, "`log()` needs an integer level, not a string; use a level constant")
            return
        self._check_int(node, value)

    def _check_level(self, node: cst.Call, value: cst.BaseExpression, *, certain: bool, what: str) -> None:
        text = string_value(value)
        if text is not None:
            fixed = fixed_level_name(text)
            if not certain and fixed is None:
                return  # an unknown object's setLevel: only a clear level name is reported
            problem = level_name_problem(text, self._registered_names)
            if problem is None:
                return
            fix = None
            if fixed is not None:
                new = _upper_case_string(value, fixed)
                if new is not None:
                    fix = Fix.replace(value, new, f"Use {fixed!r}")
            self.report(node, f"{what}: {problem}", fix)
            return
        if certain:
            self._check_int(node, value)

    def _check_int(self, node: cst.Call, value: cst.BaseExpression) -> None:
        number = _int_literal(value)
        if number is None or number == 0 or number in self._registered_ints:
            return
        constant = level_constant_for(number)
        if constant is None:
            self.report(node, f"Magic level {number}: register it with `logging.addLevelName` "
                              "and name it, or use a standard level constant")
            return
        fix = None
        ref = self._constant_reference(constant)
        if ref is not None:
            fix = Fix.replace(value, ref, f"Use `{cst.Module([]).code_for_node(ref)}`")
        self.report(node, f"Magic level {number}; use `logging.{constant}`", fix)

    def _constant_reference(self, constant: str) -> Optional[cst.BaseExpression]:
        """`logging.INFO` through a module-level `import logging [as x]`, or `INFO` when
        imported with `from logging import INFO`; None when neither is available."""
        resolver = self.ctx.loggers
        for local, qualified in resolver.imports.items():
            if qualified == f"logging.{constant}" and local not in resolver.shadowed \
                    and _top_level_binding(self.ctx.module, local):
                return cst.Name(local)
        for local, qualified in resolver.imports.items():
            if qualified == "logging" and local not in resolver.shadowed \
                    and _top_level_binding(self.ctx.module, local):
                return cst.Attribute(value=cst.Name(local), attr=cst.Name(constant))
        return None


def _top_level_binding(module: cst.Module, local: str) -> bool:
    """Is `local` bound by an unconditional top-level import (so it exists everywhere)?"""
    return any(name == local for stmt in module.body for name, _ in _top_level_imports(stmt))
