"""LC801 lambda-log-event: Powertools logs every invocation's full event (rules/LC801.md).

In Python: `@logger.inject_lambda_context(log_event=True)` on a proven Powertools `Logger`,
and `POWERTOOLS_LOGGER_LOG_EVENT` set true in a CDK function's `environment={...}`. In
deployment files (templates, serverless.yml) the variable is reported by
`workspace/config_files.py` with `deployment_findings` below."""

from __future__ import annotations

import ast
from typing import Iterator, Tuple

import libcst as cst

from logcheck.config_model.deployment import TRUE_VALUES, Deployment, EnvVar, passes_log_event_false
from logcheck.lint.rule import Fix, Rule
from logcheck.rules.runtime._shared import module_level_powertools, powertools
from logcheck.semantics.lambda_handlers import decorator_receiver
from logcheck.semantics.loggers import keyword_arg, string_value
from logcheck.source.precheck import word

VARIABLE = "POWERTOOLS_LOGGER_LOG_EVENT"
MESSAGE = ("Powertools logs every invocation's full event (tokens, personal data) to CloudWatch Logs; "
           "log the fields you need instead")


def without_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """`call` without the argument `arg` (a removed last argument leaves its own trailing
    comma, or none, to the argument before it)."""
    args = [a for a in call.args if a is not arg]
    if args and call.args[-1] is arg:
        args[-1] = args[-1].with_changes(comma=arg.comma)
    return call.with_changes(args=args)


def is_true(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Name):
        return value.value == "True"
    text = string_value(value)
    return text is not None and text.strip().lower() in TRUE_VALUES


def _keyword_gate(facts, settings) -> bool:
    """What the rule reads, from the interpreter's tree: `log_event=` given to an
    `inject_lambda_context(...)`, or an `environment={...}` display with the variable as a key."""
    for _, call in facts.calls:
        for keyword in call.keywords:
            if keyword.arg == "log_event" and isinstance(call.func, ast.Attribute) \
                    and call.func.attr == "inject_lambda_context":
                return True
            if keyword.arg == "environment" and isinstance(keyword.value, ast.Dict) and any(
                    isinstance(key, ast.Constant) and key.value == VARIABLE for key in keyword.value.keys):
                return True
    return False


class LambdaLogEvent(Rule):
    code = "LC801"
    name = "lambda-log-event"
    message = MESSAGE
    fix = "safe"
    needles = (word("log_event"), word(VARIABLE))
    ast_gate = staticmethod(_keyword_gate)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute) \
                or call.func.attr.value != "inject_lambda_context":
            return
        arg = keyword_arg(call, "log_event")
        if arg is None or not is_true(arg.value):
            return
        receiver = decorator_receiver(node)
        kind = (module_level_powertools if not self.ctx.scope_nodes else powertools)(self.ctx, receiver)
        if kind != "Logger":
            return
        fix = Fix.replace(call, without_arg(call, arg), "Remove `log_event=True`")
        self.report(arg, fix=fix)

    def visit_Call(self, node: cst.Call) -> None:
        environment = keyword_arg(node, "environment")
        if environment is None or not isinstance(environment.value, cst.Dict):
            return
        for element in environment.value.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == VARIABLE \
                    and isinstance(element.value, cst.SimpleString) and is_true(element.value):
                quote = element.value.quote
                new = element.value.with_changes(value=f"{element.value.prefix}{quote}false{quote}")
                self.report(element.value, fix=Fix.replace(element.value, new, f"Set {VARIABLE} to \"false\""))


def deployment_findings(deployment: Deployment) -> Iterator[Tuple[EnvVar, str]]:
    """(variable, message) for each `POWERTOOLS_LOGGER_LOG_EVENT` a deployment file sets true,
    unless every handler it reaches passes `log_event=False`, which overrides the variable."""
    for var in deployment.environment:
        if var.name != VARIABLE or not var.is_true:
            continue
        if var.handlers and all(passes_log_event_false(h) for h in var.handlers):
            continue
        yield var, f"{VARIABLE}={var.value}: {MESSAGE}"
