"""Lambda entry points and the AWS Lambda Powertools objects of a module.

Which functions of a module are Lambda handlers is decided from two sources: the names a
deployment file gives (`config_model/deployment.py` reads SAM/CloudFormation templates,
`serverless.yml` and CDK apps; the caller passes the names for this file), and, for a
module under a path the user declares (`lambda-paths`), every module-level function with
the `(event, context)` signature. A conventional name alone (`lambda_handler`) is a hint,
never a proof: without one of these sources no function is a handler.

Powertools objects (`Logger()`, whose family record is `families/powertools.py`, and
`Metrics()`) are recognised by what the code proves:
a module-level name every binding of which is a call of the class imported from
`aws_lambda_powertools`.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterable, List, Optional, Sequence, Union

import libcst as cst

from logcheck.semantics.families import of_call
from logcheck.semantics.families.powertools import FAMILY as POWERTOOLS
from logcheck.semantics.loggers import dotted_name
from logcheck.semantics.provenance import Semantics
from logcheck.semantics.scopes import ASSIGN, DEFINITION, Scope

#: Powertools' metrics classes, by every public import path (its `Logger` is a logger
#: family: `semantics/families/powertools.py`)
POWERTOOLS_METRICS = frozenset({"aws_lambda_powertools.Metrics", "aws_lambda_powertools.metrics.Metrics",
                                "aws_lambda_powertools.metrics.EphemeralMetrics",
                                "aws_lambda_powertools.metrics.metrics.Metrics"})

#: aws-embedded-metrics' factory of a metrics logger that writes only on `flush()` /
#: `flush_sync()` (`@metric_scope` creates one and flushes it when the function returns)
EMF_FACTORIES = frozenset({"aws_embedded_metrics.logger.metrics_logger_factory.create_metrics_logger"})

#: parameter names of the `(event, context)` signature (a leading underscore says unused)
EVENT_NAMES = frozenset({"event", "evt", "_event"})
CONTEXT_NAMES = frozenset({"context", "ctx", "_context", "lambda_context"})


def handler_functions(module: cst.Module, named: Iterable[str], entry_module: bool) -> Dict[str, cst.FunctionDef]:
    """The module-level functions that are Lambda handlers: those `named` by a deployment
    file, and in an entry module (`lambda-paths`) those with the `(event, context)`
    signature. A name bound more than once at module level is its last `def`."""
    wanted = set(named)
    out: Dict[str, cst.FunctionDef] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            name = stmt.name.value
            if name in wanted or (entry_module and has_event_context_signature(stmt)):
                out[name] = stmt
    return out


def has_event_context_signature(func: cst.FunctionDef) -> bool:
    params = func.params
    positional = list(params.posonly_params) + list(params.params)
    if len(positional) != 2 or params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) or params.kwonly_params:
        return False
    first, second = (p.name.value for p in positional)
    return first in EVENT_NAMES and second in CONTEXT_NAMES


def ast_has_event_context_signature(func: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> bool:
    """`has_event_context_signature` of the interpreter's tree (the rules' gates read it)."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    if len(positional) != 2 or args.vararg is not None or args.kwonlyargs:
        return False
    return positional[0].arg in EVENT_NAMES and positional[1].arg in CONTEXT_NAMES


def powertools_kind(sem: Semantics, expr: cst.BaseExpression, scopes: Sequence[Scope]) -> Optional[str]:
    """`Logger` or `Metrics` when `expr` is a Powertools object the code proves: a call of
    the class, or a name every binding of which (where `expr` is evaluated) is such a call;
    None otherwise."""
    if isinstance(expr, cst.Call):
        qualified = sem.qualified_name(expr.func, scopes) or ""
        if of_call(qualified) is POWERTOOLS:
            return "Logger"
        return "Metrics" if qualified in POWERTOOLS_METRICS else None
    if isinstance(expr, cst.Name):
        bindings = sem.resolve_name(expr.value, scopes)
        kinds = {powertools_kind(sem, b.value, [b.home]) if b.kind == ASSIGN and isinstance(b.value, cst.Call)
                 else None for b in bindings}
        if len(kinds) == 1:
            return kinds.pop()
    return None


def decorator_call(func: cst.FunctionDef, method: str) -> Optional[cst.Decorator]:
    """The decorator `@<object>.<method>` or `@<object>.<method>(...)` of `func`, if any."""
    for decorator in func.decorators:
        target = decorator.decorator
        if isinstance(target, cst.Call):
            target = target.func
        if isinstance(target, cst.Attribute) and target.attr.value == method:
            return decorator
    return None


def decorator_receiver(decorator: cst.Decorator) -> Optional[cst.BaseExpression]:
    """`logger` of `@logger.inject_lambda_context(...)`."""
    target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
    return target.value if isinstance(target, cst.Attribute) else None


def calls_method(node: cst.CSTNode, methods: Iterable[str]) -> bool:
    """Does `node` contain a call of `<anything>.<method>(...)` for one of `methods`?"""
    wanted = frozenset(methods)
    found = []

    class _Finder(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> Optional[bool]:
            name = dotted_name(call.func)
            if name is not None and name.rpartition(".")[2] in wanted:
                found.append(call)
            return not found

    node.visit(_Finder())
    return bool(found)


def calls_qualified(sem: Semantics, node: cst.CSTNode, scopes: Sequence[Scope], names: Iterable[str]) -> bool:
    """Does `node` (evaluated in `scopes`) contain a call whose callee's qualified name is one
    of `names`?"""
    wanted = frozenset(names)
    found = []

    class _Finder(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> Optional[bool]:
            if sem.qualified_name(call.func, scopes) in wanted:
                found.append(call)
            return not found

    node.visit(_Finder())
    return bool(found)


def local_callees(sem: Semantics, func: cst.FunctionDef) -> List[cst.FunctionDef]:
    """The module-level functions of the file that `func` calls by name, transitively: each
    a plain `def` (no decorator) that is the name's only binding where it is called. They
    run inside `func`'s invocation."""
    out: List[cst.FunctionDef] = []
    pending = [func]
    while pending:
        current = pending.pop()
        scopes = sem.table.chain([current])

        class _Calls(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                if not isinstance(call.func, cst.Name):
                    return
                bindings = sem.resolve_name(call.func.value, scopes)
                if len(bindings) != 1 or bindings[0].kind != DEFINITION or bindings[0].scope is not sem.table.root:
                    return
                target = bindings[0].node
                if isinstance(target, cst.FunctionDef) and not target.decorators and target is not func \
                        and all(target is not known for known in out):
                    out.append(target)
                    pending.append(target)

            def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
                return False  # a nested function runs when it is called, not here

        for statement in current.body.body if isinstance(current.body, cst.IndentedBlock) else ():
            statement.visit(_Calls())
    return out


def decorator_name(decorator: cst.Decorator) -> Optional[str]:
    """`with_context` of `@with_context`, `@tools.with_context(...)`."""
    target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
    if isinstance(target, cst.Attribute):
        return target.attr.value
    return target.value if isinstance(target, cst.Name) else None
