"""LC1xx: where a log call goes."""

from __future__ import annotations

import ast

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.semantics.purpose import is_test


def _root_call_gate(facts, settings) -> bool:
    """LC101 needs a logger call whose receiver may be the root logger, or a log function
    imported from `logging` (`from logging import info`; the model takes no other import of
    a function for one)."""
    return any(c.node.func.id in facts.logging_names if c.receiver is None else facts.may_be_root(c.receiver)
               for c in facts.logger_calls(settings))


class RootLoggerCall(Rule):
    code = "LC101"
    name = "root-logger-call"
    message = "Logging call on the root logger; use a module logger (`logging.getLogger(__name__)`)"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_root_call_gate)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is None or not call.is_root:
            return
        name = self.ctx.module_logger_name()
        fix = None
        if name is not None:
            if call.receiver is None:  # `info(...)` imported from logging
                new_func = cst.Attribute(value=cst.Name(name), attr=cst.Name(call.method))
            else:
                new_func = node.func.with_changes(value=cst.Name(name))
            # a logger class the project installs makes the module logger one of its own,
            # which may format the message another way than the root logger does
            fix = Fix.replace(node.func, new_func, f"Call `{name}.{call.method}` instead", needs_module_logger=True,
                              unsafe=self.ctx.loggers.project_facts().logger_class)
        self.report(node, fix=fix)


#: dunder names that are not the module's dotted name, with what each one is instead
_NOT_MODULE_NAMES = {
    "__file__": "a file path",
    "__cached__": "a .pyc path",
    "__spec__": "a ModuleSpec",
    "__module__": "a class attribute (undefined outside a class body)",
}


def _getlogger_name_arg(call: cst.Call):
    """The `name` argument of a `getLogger(...)` call (first positional or `name=`)."""
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            return arg
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "name":
            return arg
    return None


def _getlogger_dunder_gate(facts, settings) -> bool:
    """LC102 needs a `getLogger` call with one of the dunders as an argument."""
    return any(isinstance(value, ast.Name) and value.id in _NOT_MODULE_NAMES
               for call in facts.calls_to("getLogger")
               for value in (*call.args, *(k.value for k in call.keywords)))


class LoggerNameNotModule(Rule):
    code = "LC102"
    name = "logger-name-not-module"
    message = "Logger name is not the module name; use `__name__` so the logger sits in the module hierarchy"
    fix = "safe"
    uses_logger_calls = True
    ast_gate = staticmethod(_getlogger_dunder_gate)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "getLogger" or isinstance(func, cst.Name)):
            return
        if self.ctx.qualified_name(func) != "logging.getLogger":
            return
        arg = _getlogger_name_arg(node)
        if arg is None or not isinstance(arg.value, cst.Name):
            return
        dunder = arg.value.value
        what = _NOT_MODULE_NAMES.get(dunder)
        if what is None:
            return
        if dunder == "__module__" and self.ctx.classes:
            return
        self.report(node, f"Logger named after `{dunder}` ({what}); use `__name__` so the logger sits in the module hierarchy",
                    Fix.replace(arg.value, cst.Name("__name__"), "Use `__name__`"))


class DirectLoggerInstantiation(Rule):
    code = "LC103"
    name = "direct-logger-instantiation"
    message = ("`logging.Logger(...)` creates a logger outside the hierarchy (no parent handlers, "
               "no configuration); use `logging.getLogger(...)`")
    fix = "unsafe"
    uses_logger_calls = True
    #: a call of `Logger` (an attribute, or a name imported as it)
    ast_gate = staticmethod(lambda facts, settings: any(facts.calls_to("Logger")))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "Logger" or isinstance(func, cst.Name)):
            return
        if is_test(self.ctx):
            return  # a test builds a logger of its own on purpose, away from getLogger's cache
        if self.ctx.qualified_name(func) != "logging.Logger":
            return
        fix = None
        # getLogger(name) takes only the name: a level argument or `*args` cannot move over
        only_name = len(node.args) == 1 and not node.args[0].star and (
            node.args[0].keyword is None or node.args[0].keyword.value == "name")
        if only_name and isinstance(node.func, cst.Attribute):
            fix = Fix.replace(node.func.attr, node.func.attr.with_changes(value="getLogger"),
                              "Use `logging.getLogger(...)`", unsafe=True)
        self.report(node, fix=fix)
