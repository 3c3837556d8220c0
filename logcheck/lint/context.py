"""What a rule may know about the file being checked: `FileContext`, including the walk
state the engine keeps (so no rule tracks enclosing functions or except blocks itself)."""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Set

import libcst as cst

from logcheck.lint.fix import Fix
from logcheck.semantics.file import FileSemantics
from logcheck.semantics.loggers import LoggerCall


@dataclass
class _Report:
    #: the reporting rule's class (a `lint.rule.Rule`)
    rule: type
    node: cst.CSTNode
    message: str
    fix: Optional[Fix]
    #: the top-level statement being walked when it was reported (-1: none)
    statement: int


class FileContext:
    """What a rule may know about the file being checked, including walk state that the
    engine keeps (so no rule tracks enclosing functions or except blocks itself)."""

    def __init__(self, path: str, source: str, module: cst.Module, settings,
                 tree: Optional[ast.Module] = None) -> None:
        self.path = path
        self.source = source
        self.module = module
        self.settings = settings
        #: the interpreter's ast of `source`, when the runner parsed it for the rules' gates
        self.interpreter_tree = tree
        self.reports: List[_Report] = []
        self._semantics: Optional[FileSemantics] = None
        self._logger_calls: Dict[int, Optional[LoggerCall]] = {}
        # walk state
        #: enclosing except handlers, innermost last (reset inside nested functions)
        self.except_handlers: List[cst.ExceptHandler] = []
        #: for each enclosing `finally:` block, how many except handlers enclosed it
        #: (reset inside nested functions like `except_handlers`)
        self.finally_blocks: List[int] = []
        #: enclosing function definitions and lambdas, innermost last
        self.functions: List[cst.CSTNode] = []
        #: enclosing class definitions, innermost last
        self.classes: List[cst.ClassDef] = []
        #: enclosing scopes (functions, lambdas, classes, comprehensions), innermost last:
        #: where the semantic layer resolves names used at the current node
        self.scope_nodes: List[cst.CSTNode] = []
        #: did the last `module_logger_name()` hand out the logger a fix would insert
        self._logger_inserted = False
        #: depth of `if __name__ == "__main__":` bodies around the current node
        self.main_guard_depth = 0
        #: index in Module.body of the top-level statement being walked
        self.top_level_index = -1
        self._memo: Dict[str, object] = {}
        #: files other than project modules that the findings depend on (deployment files
        #: naming Lambda handlers): the result cache holds only while they are unchanged
        self.dependencies: Set[Path] = set()

    def memo(self, key: str, factory: Callable[[], object]) -> object:
        """A per-file value computed once and shared by the rules that need it (e.g. the
        logging-configuration model that every LC5xx rule reads)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    @property
    def loggers(self) -> FileSemantics:
        """The file's semantic model (scopes, bindings, logger provenance)."""
        if self._semantics is None:
            self._semantics = FileSemantics.for_file(self.module, self.path, self.settings, self.source)
            self._semantics.own_tree = self.interpreter_tree
        return self._semantics

    def logger_call(self, call: cst.Call) -> Optional[LoggerCall]:
        """The logging call `call` is at the current walk position, with its receiver's
        provenance and family; None for anything that is not a logger call of a family rules
        report on (or of an unknown, logger-named receiver). Rules ask `Rule.logger_call`,
        which keeps the families the rule covers."""
        key = id(call)
        if key not in self._logger_calls:
            self._logger_calls[key] = self.loggers.logger_call(call, self.scope_nodes)
        return self._logger_calls[key]

    def receiver_family(self, expr: cst.CSTNode):
        """The family of the logger `expr` is at the current walk position (None: not a
        proven logger): for calls of a logger that do not log (`bind`, `add`)."""
        return self.loggers.receiver_family(expr, self.scope_nodes)

    def qualified_name(self, expr: cst.CSTNode) -> Optional[str]:
        """The qualified name of a Name/Attribute chain used at the current walk position
        (`logging.getLogger` only when `logging` is bound to the module there)."""
        return self.loggers.qualified_name(expr, self.loggers.chain(self.scope_nodes))

    def is_builtin(self, name: cst.Name) -> bool:
        """True when `name`, used at the current walk position, certainly refers to the
        builtin of that name (`str`, `print`, `format`): no enclosing scope binds it and no
        star import could."""
        return self.loggers.is_unbound(name.value, self.scope_nodes)

    @staticmethod
    def handler_name(handler: cst.CSTNode) -> Optional[str]:
        """The name an `except ... as name` handler binds, if any."""
        bound = getattr(handler, "name", None)
        return bound.name.value if bound is not None and isinstance(bound.name, cst.Name) else None

    @property
    def in_except(self) -> Optional[cst.ExceptHandler]:
        return self.except_handlers[-1] if self.except_handlers else None

    @property
    def other_exception_may_be_in_flight(self) -> bool:
        """Inside a `finally:` entered after the innermost except handler: an exception
        may be propagating there, and it, not the handler's, is `sys.exc_info()`."""
        return bool(self.finally_blocks) and self.finally_blocks[-1] >= len(self.except_handlers)

    @property
    def in_function(self) -> bool:
        return bool(self.functions)

    def enclosing_names(self) -> List[Optional[str]]:
        """The names of the classes and functions around the current node, outermost first;
        None for a lambda (comprehensions run where they are written and are left out)."""
        out: List[Optional[str]] = []
        for node in self.scope_nodes:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                out.append(node.name.value)
            elif isinstance(node, cst.Lambda):
                out.append(None)
        return out

    def exception_in_flight(self) -> str:
        """Can an exception be being handled at the current node, as far as the project's
        call graph shows (`callgraph.YES`/`NO`/`UNKNOWN`)? Inside an `except` block: YES."""
        from logcheck.semantics.callgraph import YES

        if self.except_handlers:
            return YES
        return self.loggers.exception_in_flight(self.source, self.enclosing_names())

    def project_calls(self, library: str, names) -> Optional[list]:
        """Calls of functions or methods named `names` in the project's files that name
        `library`, this file's included (`semantics.project_calls.ProjectCall`); None
        when the project cannot be read whole."""
        return self.loggers.project_calls(self.source, library, names)

    def environment_mentions(self, variable: str) -> Optional[tuple]:
        """The project's files that name an environment variable (None: unknown)."""
        return self.loggers.environment_mentions(self.source, variable)

    def runs_in_every_worker(self) -> bool:
        """Does the current node run once in every worker process of the program, as the
        project proves (a process target or initializer, a server's worker hook or the
        module its workers import)?"""
        return self.loggers.runs_in_every_worker(self.source, self.enclosing_names())

    def module_logger_name(self) -> Optional[str]:
        """The module logger a fix may call at the current walk position: an existing one
        that is bound when the call runs and visible from its scope, or one the fix inserts
        (`Fix.needs_module_logger`); None when neither is possible here."""
        found = self.loggers.module_loggers.for_call(self.loggers.chain(self.scope_nodes), self.top_level_index,
                                                     bool(self.functions))
        self._logger_inserted = found is not None and found[1]
        return found[0] if found is not None else None

    def add_report(self, rule, node: cst.CSTNode, message: str, fix: Optional[Fix]) -> None:
        if fix is not None and fix.needs_module_logger and not self._logger_inserted:
            fix = dataclasses.replace(fix, needs_module_logger=False)  # it reuses an existing logger
        self.reports.append(_Report(type(rule), node, message, fix, self.top_level_index))
