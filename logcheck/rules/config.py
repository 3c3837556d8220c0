"""LC5xx: logging configuration. One small rule per code; the configuration model is read
once per file (`ctx.memo("config-model", ...)`), judged once against the policy
(`ctx.memo("config-findings", ...)`), and each rule reports the findings with its code."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import libcst as cst

from logcheck.config_model.checks import Finding, config_findings, python_findings
from logcheck.config_model.edits import (call_with_kwargs, dict_with_entries, rotate_call, rotate_dict,
                                         rotating_reference)
from logcheck.config_model.policy import DEPLOYMENT_CODES
from logcheck.config_model.python import NEEDLES, VERSION_KEY, PyModel, build_model
from logcheck.config_model.python_gate import may_hold_config
from logcheck.lint.rule import Fix, Rule
from logcheck.rules.selection import codes_for
from logcheck.semantics.purpose import is_application_code
from logcheck.source.precheck import literal, word

#: the codes the configuration model reports: LC303 (level strings), LC5xx, and LC806 (trace
#: context fields, found where LC508 finds the fields no record has)
_ALL_CODES = frozenset({"LC303", "LC806"} | {f"LC5{n:02d}" for n in range(1, 13)})


def model_of(ctx) -> PyModel:
    return ctx.memo("config-model", lambda: build_model(ctx))


#: one finding per mistake: where a finding of the key's code reports a call, findings of
#: the listed codes on that call (or inside it) are the same mistake seen again. A library's
#: `basicConfig(format=...)` is LC507, not also LC501 for its format and LC504 for its
#: stderr handler: what a configuration the library must not make says (format,
#: destination, rotation, levels, ...) goes with it. A configuration that fails at startup
#: (LC508) or a handler added on every call (LC511) are mistakes of their own.
PRECEDENCE = {"LC507": frozenset(_ALL_CODES - {"LC303", "LC507", "LC508", "LC511", "LC806"})}


def findings_of(ctx) -> List[Finding]:
    def judged(policy) -> List[Finding]:
        model = model_of(ctx)
        out: List[Finding] = []
        for config in model.configs:
            out.extend(config_findings(config, policy, _ALL_CODES, root_level_elsewhere=model.root_level_set,
                                       supplied_fields=model.supplied_fields))
        out.extend(python_findings(model, ctx, _ALL_CODES))
        return out

    def compute() -> List[Finding]:
        policy = ctx.settings.policy
        out = judged(policy)
        if not ctx.settings.is_deployed_path(Path(ctx.path)):
            out = [f for f in out if f.code not in DEPLOYMENT_CODES]
        application = policy.for_application()
        if application != policy:
            # application code (entry points, the code only they run, examples, scripts)
            # is judged by the application's policy, library code by the library's
            out = [f for f in out if not _in_application(ctx, f)] + \
                  [f for f in judged(application) if _in_application(ctx, f)]
        return one_finding_per_mistake(out, enabled_codes(ctx))

    return ctx.memo("config-findings", compute)


def enabled_codes(ctx):
    return ctx.memo("enabled-codes", lambda: codes_for(ctx.settings, Path(ctx.path)))


def _in_application(ctx, finding: Finding) -> bool:
    return finding.loc.node is not None and is_application_code(ctx, finding.loc.node)


def one_finding_per_mistake(findings: List[Finding], enabled) -> List[Finding]:
    """Drop the findings that `PRECEDENCE` says an enabled finding on an enclosing call
    already reports."""
    covered = set()
    for f in findings:
        if f.code in PRECEDENCE and f.code in enabled and f.loc.node is not None:
            covered.update((code, id(node)) for node in _subtree(f.loc.node) for code in PRECEDENCE[f.code])
    if not covered:
        return findings
    return [f for f in findings if f.loc.node is None or (f.code, id(f.loc.node)) not in covered]


def _subtree(node: cst.CSTNode):
    from logcheck.source.cst import iter_children

    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(iter_children(current))


def config_level_problems(ctx):
    """LC303 findings for level strings in dictConfig dict literals: (node, message, fix or
    None). Called by the LC303 rule (logcheck/rules/levels.py) at the end of the module."""
    out = []
    for f in findings_of(ctx):
        if f.code == "LC303" and f.loc.node is not None:
            out.append((f.loc.node, f.message, _fix(ctx, f)))
    return out


def _fix(ctx, finding: Finding) -> Optional[Fix]:
    spec = finding.fix
    if spec is None:
        return None
    kind = spec[0]
    policy = ctx.settings.policy
    if kind == "string":
        node, fixed = spec[1], spec[2]
        if isinstance(node, cst.SimpleString) and node.raw_value == node.evaluated_value:
            return Fix.replace(node, node.with_changes(value=f"{node.prefix}{node.quote}{fixed}{node.quote}"),
                               f"Use {fixed!r}")
        return None
    if kind == "kwarg":
        _, call, name, value = spec
        return Fix.replace(call, call_with_kwargs(call, [(name, value)]), f"Add `{name}={value}`",
                           unsafe=name == "disable_existing_loggers")
    if kind == "dict-key":
        node = spec[1].node
        if not isinstance(node, cst.Dict):
            return None
        return Fix.replace(node, dict_with_entries(node, [("disable_existing_loggers", "False")]),
                           'Add `"disable_existing_loggers": False`', unsafe=True)
    if kind == "rotate":
        handler = spec[1]
        node = handler.node
        message = f"Use RotatingFileHandler (maxBytes={policy.max_bytes}, backupCount={policy.backup_count})"
        if isinstance(node, cst.Dict):
            new = rotate_dict(node, policy.max_bytes, policy.backup_count)
            return Fix.replace(node, new, message, unsafe=True) if new is not None else None
        if isinstance(node, cst.Call):
            reference, add_import = rotating_reference(ctx.module, ctx.loggers)
            if reference is None:
                return None
            new = rotate_call(node, reference, policy.max_bytes, policy.backup_count)
            if new is None:
                return None
            replacements = ((node, new),) + ((add_import,) if add_import else ())
            return Fix(message + (" and import logging.handlers" if add_import else ""), replacements, "unsafe")
    return None


class ConfigRule(Rule):
    """A rule that reports the configuration model's findings of its code."""

    needles = NEEDLES
    ast_gate = staticmethod(may_hold_config)

    def leave_Module(self, node: cst.Module) -> None:
        for finding in findings_of(self.ctx):
            if finding.code == self.code and finding.loc.node is not None:
                self.report(finding.loc.node, finding.message, _fix(self.ctx, finding))


class FormatMissingField(ConfigRule):
    code = "LC501"
    name = "format-missing-field"
    message = "Log format lacks a field the policy requires"
    #: on under a runtime preset (`policy.policy_enabled_codes`): which fields a format
    #: needs depends on where its records go, which the default policy does not know
    default = False


class FileHandlerWithoutRotation(ConfigRule):
    code = "LC502"
    name = "file-handler-without-rotation"
    message = "FileHandler without rotation: the file grows without bound"
    fix = "unsafe"


class RotationDisabled(ConfigRule):
    code = "LC503"
    name = "rotation-disabled"
    message = "Rotating handler that never rotates or never deletes old files"
    needles = (literal(b"Handler"),)  # `RotatingFileHandler(...)` or its dictConfig class name


class DestinationNotAllowed(ConfigRule):
    code = "LC504"
    name = "destination-not-allowed"
    message = "Handler destination not allowed by the policy"


class LevelNotSet(ConfigRule):
    code = "LC505"
    name = "level-not-set"
    message = "Root level never set, or below the policy's minimum level"
    #: on under a runtime preset, as LC501: without one, which records must reach the
    #: root cannot be told from one file (docs/precision.md)
    default = False


class ExistingLoggersDisabled(ConfigRule):
    code = "LC506"
    name = "existing-loggers-disabled"
    message = "disable_existing_loggers left at True silences existing loggers"
    fix = "unsafe"
    needles = (word("dictConfig"), word("fileConfig")) + VERSION_KEY


class LibraryConfiguresLogging(ConfigRule):
    code = "LC507"
    name = "library-configures-logging"
    message = "Library code configures logging"
    default = False
    needles = (word("basicConfig"), word("dictConfig"), word("fileConfig"), word("addHandler"))


class InvalidConfig(ConfigRule):
    code = "LC508"
    name = "invalid-config"
    message = "Logging configuration fails at startup or on every record"
    fix = "safe"
    needles = (word("basicConfig"), word("dictConfig"), word("fileConfig"), literal(b"Formatter")) + VERSION_KEY


class CloudWatchHandlerConfig(ConfigRule):
    code = "LC509"
    name = "cloudwatch-handler-config"
    message = "CloudWatchLogHandler configuration problem"
    needles = (word("CloudWatchLogHandler"),)


class BasicConfigIneffective(ConfigRule):
    code = "LC510"
    name = "basicconfig-ineffective"
    message = "basicConfig() without force=True is ignored when the root logger has a handler"
    fix = "safe"
    default = False
    needles = (word("basicConfig"),)


class HandlerAddedPerCall(ConfigRule):
    code = "LC511"
    name = "handler-added-per-call"
    message = "addHandler() on every call duplicates output"
    needles = (word("addHandler"),)


class UnstructuredFormat(ConfigRule):
    code = "LC512"
    name = "unstructured-format"
    message = "Handler output is not structured (JSON)"
    default = False
