"""The rule framework: a rule is a small class with its code, name and message, and
`visit_<Node>` / `leave_<Node>` methods that look at libcst nodes and call `report`.

A rule only decides and reports. The engine owns parsing, the single batched walk, walk
state (enclosing functions, except handlers, `__main__` guards), positions, suppression and
fix application. A fix is a set of node replacements (old node -> new node, by identity)
plus, optionally, a request for the module logger to exist (see `loggers.ModuleLoggerPlan`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Callable, ClassVar, FrozenSet, Optional, Tuple

import libcst as cst

from logcheck.diagnostics import SAFE, UNSAFE
from logcheck.lint.fix import Fix
from logcheck.source.precheck import Needle

if TYPE_CHECKING:  # pragma: no cover
    from logcheck.lint.context import FileContext
    from logcheck.semantics.families import Family
    from logcheck.semantics.loggers import LoggerCall
    from logcheck.settings.model import Settings
    from logcheck.source.astfacts import AstFacts

__all__ = ["Rule", "Fix", "SAFE", "UNSAFE"]


class Rule:
    """Base class of every rule. Subclasses set the class attributes and define
    `visit_<NodeType>(self, node)` / `leave_<NodeType>(self, node)` methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    #: on without configuration
    default: ClassVar[bool] = True
    #: "safe", "unsafe" or "none": what `--fix` can do for this rule
    fix: ClassVar[str] = "none"
    #: texts (`precheck.word`, `literal`, `pattern`) of which at least one must occur in a
    #: file for the rule to be able to report anything in it: the exact pre-check that lets
    #: the runner skip parsing a file. Empty (and `uses_logger_calls` false): always run.
    needles: ClassVar[Tuple[Needle, ...]] = ()
    #: the rule only reports on logger calls / logging names, so it can only fire in a file
    #: that has the word `logging` or one of the configured logger names (added to `needles`)
    uses_logger_calls: ClassVar[bool] = False
    #: optional second pre-check, `ast_gate(facts, settings) -> bool` on the facts
    #: (`logcheck.source.astfacts.AstFacts`) of the interpreter's ast of a file (~9x cheaper than
    #: libcst's parse): False only when the rule certainly reports nothing there with these
    #: settings. Used for files that only gated rules' needles let through.
    ast_gate: ClassVar[Optional[Callable[["AstFacts", "Settings"], bool]]] = None
    #: the rule's fix moves values between the message and its arguments: unsafe where the
    #: project formats records itself (`FileSemantics.formats_messages_itself`)
    rewrites_message: ClassVar[bool] = False

    #: families the rule covers only in preview (set from `rules.preview.PREVIEW_FAMILIES`
    #: by the registry, the one table of what is in preview)
    preview_families: ClassVar[FrozenSet[str]] = frozenset()

    def __init__(self, ctx: "FileContext") -> None:
        self.ctx = ctx

    @classmethod
    def covers(cls, family: "Family") -> bool:
        """Does the rule's concept exist for loggers of that family (rules.md, "Logger
        families")? By default a rule is about the standard library's call (`%` arguments,
        `exc_info`, `extra`): stdlib and stdlib-compatible families. A rule that holds for
        other families asks their record here."""
        return family.stdlib_compatible

    def logger_call(self, node: cst.Call) -> Optional["LoggerCall"]:
        """`ctx.logger_call(node)` when its family is one this rule covers (a family in
        `preview_families` only with preview on), else None."""
        call = self.ctx.logger_call(node)
        if call is None or not self.covers(call.family):
            return None
        if call.family.name in self.preview_families and not self.settings.preview:
            return None
        return call

    def report(self, node: cst.CSTNode, message: Optional[str] = None, fix: Optional[Fix] = None,
               call: Optional["LoggerCall"] = None) -> None:
        """Report `node`. Pass the `LoggerCall` a fix rewrites as `call`: a safe fix on a
        receiver that is not proven a stdlib logger is downgraded to unsafe, since the
        object may not have the method or may format messages another way; so is a
        message rewrite (`rewrites_message`) where the project formats records itself."""
        if fix is not None and call is not None and fix.applicability == SAFE and (
                not call.proven or (self.rewrites_message and self.ctx.loggers.formats_messages_itself(call))):
            fix = dataclasses.replace(fix, applicability=UNSAFE)
        self.ctx.add_report(self, node, message or self.message, fix)

    # Convenience for rules
    @property
    def settings(self):
        return self.ctx.settings

