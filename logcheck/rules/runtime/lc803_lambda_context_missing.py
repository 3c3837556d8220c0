"""LC803 lambda-context-missing: a Lambda handler logs with a Powertools Logger that does
not inject the Lambda context (rules/LC803.md)."""

from __future__ import annotations

from typing import List

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.rules.runtime._shared import helpers, is_handler, module_level_powertools, reached_calls
from logcheck.rules.runtime.hoist import decorate_fix
from logcheck.source.precheck import word


def names_used(node: cst.CSTNode) -> List[str]:
    """Every Name read in `node`, in order."""
    found: List[str] = []

    class _Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name.value)

    node.visit(_Names())
    return found


def module_objects_used(ctx, handler: cst.FunctionDef, kind: str) -> List[str]:
    """The module-level names the handler's body reads that hold a Powertools `kind`
    (`Logger`, `Metrics`), in order of first use; names the handler binds itself are not."""
    local = ctx.loggers.table.scope(handler, ctx.loggers.table.root).bindings
    out: List[str] = []
    for name in names_used(handler.body):
        if name in out or name in local:
            continue
        if module_level_powertools(ctx, cst.Name(name)) == kind:
            out.append(name)
    return out


def imports_powertools(facts, settings) -> bool:
    return any(target.split(".")[0] == "aws_lambda_powertools"
               for targets in facts.import_targets.values() for target in targets)


class LambdaContextMissing(Rule):
    code = "LC803"
    name = "lambda-context-missing"
    message = ("Lambda handler logs with a Powertools Logger without @logger.inject_lambda_context: records carry "
               "no request id, function name or cold start")
    #: the decorator reads `context.function_name` and the other attributes: a handler
    #: called with another context (`None` in a test, a local run) then raises
    fix = "unsafe"
    needles = (word("aws_lambda_powertools"),)
    ast_gate = staticmethod(imports_powertools)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.ctx.scope_nodes or not is_handler(self.ctx, node):
            return
        loggers = module_objects_used(self.ctx, node, "Logger")
        for helper in helpers(self.ctx, node):
            loggers += [name for name in module_objects_used(self.ctx, helper, "Logger") if name not in loggers]
        if not loggers or self._may_inject(node, loggers):
            return
        fix = decorate_fix(node, f"{loggers[0]}.inject_lambda_context", f"Add @{loggers[0]}.inject_lambda_context",
                           unsafe=True)
        self.report(node.name, fix=fix)

    def _may_inject(self, handler: cst.FunctionDef, loggers: List[str]) -> bool:
        """`inject_lambda_context` among what the handler reaches (its decorators, a
        decorator of the project that applies it, a function it calls), a decorator given
        one of the loggers (it may apply it), or a call graph that cannot tell."""
        reached = reached_calls(self.ctx, handler)
        if reached is None or "inject_lambda_context" in reached:
            return True
        return any(isinstance(d.decorator, cst.Call) and any(isinstance(a.value, cst.Name) and a.value.value in loggers
                                                             for a in d.decorator.args)
                   for d in handler.decorators)
