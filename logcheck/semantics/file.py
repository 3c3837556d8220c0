"""`FileSemantics`: the semantic model of the file being checked, and the questions rules
ask it (see the package docstring for the layer as a whole)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set

import libcst as cst

from logcheck.semantics.logger_names import DEFAULT_LOGGER_NAMES
from logcheck.semantics.families import STDLIB as STDLIB_FAMILY
from logcheck.semantics.loggers import LOG_METHODS, NAMED, ROOT, STDLIB, UNKNOWN, LoggerCall
from logcheck.source.astfacts import ANY_LOG_METHODS
from logcheck.semantics.module_logger import ModuleLoggerPlan, ModuleLoggers
from logcheck.semantics.project import ProjectIndex, dependencies, index_for
from logcheck.semantics.provenance import FOREIGN, Semantics
from logcheck.semantics.scopes import DEFINITION, IMPORT, Scope


class FileSemantics(Semantics):
    """`Semantics` of the file being checked, with the questions rules ask. Positions are
    given as the enclosing scope nodes (outermost first; `FileContext.scope_nodes`)."""

    def __init__(self, module: cst.Module, logger_names: Iterable[str] = DEFAULT_LOGGER_NAMES,
                 index: Optional[ProjectIndex] = None, module_name: Optional[str] = None,
                 factories: Iterable[str] = ()) -> None:
        super().__init__(module, logger_names, index, module_name, factories)
        self.module_loggers = ModuleLoggers(self)
        self._imports: Optional[Dict[str, str]] = None
        self._shadowed: Optional[Set[str]] = None

    @classmethod
    def for_file(cls, module: cst.Module, path: str, settings) -> "FileSemantics":
        index, module_name = index_for(Path(path), settings) if path and path != "-" else (None, None)
        return cls(module, settings.logger_names, index, module_name, getattr(settings, "logger_factories", ()))

    def chain(self, scope_nodes: Sequence[cst.CSTNode] = ()) -> List[Scope]:
        return self.table.chain(scope_nodes)

    # ---------------------------------------------------------------- names
    @property
    def imports(self) -> Dict[str, str]:
        """local name -> qualified name, for the imports of the file (any scope)."""
        if self._imports is None:
            self._imports = {}
            for scope in self._all_scopes():
                for name, bindings in scope.bindings.items():
                    for b in bindings:
                        if b.kind == IMPORT:
                            self._imports[name] = self.qualified_import(b)
        return self._imports

    @property
    def shadowed(self) -> Set[str]:
        """Names that something other than an import binds somewhere in the file."""
        if self._shadowed is None:
            self._shadowed = {name for scope in self._all_scopes() for name, bindings in scope.bindings.items()
                              if any(b.kind != IMPORT for b in bindings)}
        return self._shadowed

    @property
    def bound_names(self) -> Set[str]:
        return self.table.all_names

    def is_unbound(self, name: str, scope_nodes: Sequence[cst.CSTNode] = ()) -> bool:
        """Nothing binds `name` where it is used and no star import may: a builtin."""
        scope, _ = self.table.lookup(name, self.chain(scope_nodes))
        return scope is None and not self.table.root.star_imports

    def own_class(self, name: str, scope_nodes: Sequence[cst.CSTNode] = ()) -> Optional[cst.ClassDef]:
        """The class `name` means where it is used, when this module defines it and binds
        the name with nothing else."""
        _, bindings = self.table.lookup(name, self.chain(scope_nodes))
        if bindings and all(b.kind == DEFINITION and isinstance(b.node, cst.ClassDef) for b in bindings):
            return bindings[-1].node
        return None

    def is_logging_name(self, expr: cst.CSTNode, qualified: str) -> bool:
        return self.qualified_name(expr) == qualified

    def _all_scopes(self):
        return [s for s in self.table._scopes.values()]

    # ---------------------------------------------------------------- loggers
    def expression_logger_kind(self, expr: cst.CSTNode, scope_nodes: Sequence[cst.CSTNode] = ()) -> Optional[str]:
        """ROOT or NAMED when `expr` is a stdlib logger or a logger by its name (unknown),
        None when it is another family's, foreign or not a logger."""
        origin = self.origin(expr, self.chain(scope_nodes))
        if origin is None or origin.kind not in (STDLIB, UNKNOWN):
            return None
        return ROOT if origin.root else NAMED

    def receiver_family(self, expr: cst.CSTNode, scope_nodes: Sequence[cst.CSTNode] = ()):
        """The family of `expr` when the code proves it is a logger of one (`Family`), else
        None: for the calls of a family logger that do not log (`bind`, `add`)."""
        origin = self.origin(expr, self.chain(scope_nodes))
        return origin.family if origin is not None else None

    def logger_call(self, call: cst.Call, scope_nodes: Sequence[cst.CSTNode] = ()) -> Optional[LoggerCall]:
        func = call.func
        scopes = self.chain(scope_nodes)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method not in ANY_LOG_METHODS:
                return None
            receiver = func.value
            if self.is_logging_module(receiver, scopes):
                return LoggerCall(call, method, receiver, True) if method in LOG_METHODS else None
            origin = self.origin(receiver, scopes)
            if origin is None or origin.kind == FOREIGN:
                return None
            family = origin.family or STDLIB_FAMILY  # an unknown receiver is taken as a stdlib logger
            if method not in family.methods:
                return None
            return LoggerCall(call, method, receiver, origin.root, origin.kind, family)
        if isinstance(func, cst.Name):
            qualified = self.qualified_name(func, scopes)
            if qualified is not None and qualified.startswith("logging.") and qualified[8:] in LOG_METHODS \
                    and func.value in self.imports:
                return LoggerCall(call, qualified[8:], None, True)
        return None

    def module_logger_plan(self) -> Optional[ModuleLoggerPlan]:
        return self.module_loggers.plan()

    def dependencies(self) -> List[Path]:
        return list(dependencies(self))
