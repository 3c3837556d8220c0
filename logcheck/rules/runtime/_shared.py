"""What the LC8xx rules share: the Lambda handlers of the file being checked (from the
project's deployment files and `lambda-paths`), and where the walk is relative to them."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

import libcst as cst

from logcheck.config_model.deployment import project_deployments
from logcheck.semantics.lambda_handlers import (ast_has_event_context_signature, decorator_name, handler_functions,
                                                local_callees, powertools_kind)


def lambda_handlers(ctx) -> Dict[str, cst.FunctionDef]:
    """The module-level functions of the file that are Lambda handlers (by name)."""
    def compute() -> Dict[str, cst.FunctionDef]:
        path = Path(ctx.path)
        entry = ctx.settings.is_lambda_path(path)
        named = {}
        if ctx.path and ctx.path != "-":
            deployments = project_deployments(ctx.settings.root)
            named = deployments.handlers_in(path)
            # also without a handler here: a template that names one later changes the answer
            ctx.dependencies.update(deployments.dependencies)
        return handler_functions(ctx.module, named, entry)

    return ctx.memo("lambda-handlers", compute)


def may_have_handler(facts, settings) -> bool:
    """Can the file have a Lambda handler (`lambda_handlers`, asked of the interpreter's tree
    for a rule's gate): a module-level function a deployment file names, or under
    `lambda-paths` one with the `(event, context)` signature? The deployment files read are
    the verdict's dependencies (a template that names a handler later changes it)."""
    if facts.path is None:
        return True
    functions = [stmt for stmt in facts.tree.body if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not functions:
        return False
    if settings.is_lambda_path(facts.path) and any(map(ast_has_event_context_signature, functions)):
        return True
    deployments = project_deployments(settings.root)
    facts.dependencies.extend(deployments.dependencies)
    named = deployments.handlers_in(facts.path)
    return any(f.name in named for f in functions)


def helpers(ctx, handler: cst.FunctionDef) -> List[cst.FunctionDef]:
    """The functions of the file the handler calls by name (transitively): they run inside
    its invocation."""
    return ctx.memo(("lambda-helpers", id(handler)), lambda: local_callees(ctx.loggers, handler))


def reached_calls(ctx, handler: cst.FunctionDef) -> Optional[FrozenSet[str]]:
    """The names the handler may call, through its decorators and the project's functions
    (the call graph, by name: an over-approximation); None when the graph cannot see them."""
    decorators = [name for name in map(decorator_name, handler.decorators) if name is not None]
    return ctx.memo(("lambda-reach", id(handler)),
                    lambda: ctx.loggers.reached_calls(ctx.source, handler.name.value, decorators))


def runs_in_handler(ctx) -> bool:
    """Is the walk in the body of a handler, or of a function of the file a handler calls?"""
    if not ctx.functions:
        return False
    innermost = ctx.functions[-1]
    return any(innermost is handler or any(innermost is h for h in helpers(ctx, handler))
               for handler in lambda_handlers(ctx).values())


def is_handler(ctx, func: cst.CSTNode) -> bool:
    return any(func is handler for handler in lambda_handlers(ctx).values())


def current_handler(ctx) -> Optional[cst.FunctionDef]:
    """The handler whose own body the walk is in (not a function nested in it)."""
    if ctx.functions and is_handler(ctx, ctx.functions[-1]):
        return ctx.functions[-1]
    return None


def powertools(ctx, expr: cst.BaseExpression) -> Optional[str]:
    """`Logger`/`Metrics` when the code proves `expr` is that Powertools object,
    evaluated where the walk is."""
    return powertools_kind(ctx.loggers, expr, ctx.loggers.chain(ctx.scope_nodes))


def module_level_powertools(ctx, expr: cst.BaseExpression) -> Optional[str]:
    """As `powertools`, evaluated at module level (a decorator of a module-level def)."""
    return powertools_kind(ctx.loggers, expr, ctx.loggers.chain(()))
