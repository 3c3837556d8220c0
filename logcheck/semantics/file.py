"""`FileSemantics`: the semantic model of the file being checked, and the questions rules
ask it (see the package docstring for the layer as a whole)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Set

import libcst as cst

from logcheck.semantics import callgraph
from logcheck.semantics.logger_names import DEFAULT_LOGGER_NAMES
from logcheck.semantics.loggers import LOG_METHODS, NAMED, ROOT, LoggerCall
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
        #: the file being checked, when it has one
        self.file_path: Optional[Path] = None
        #: project files the call graph read to answer a question about this file
        self.graph_files: Set[Path] = set()
        self._own_graph: Optional[object] = None

    @classmethod
    def for_file(cls, module: cst.Module, path: str, settings) -> "FileSemantics":
        index, module_name = index_for(Path(path), settings) if path and path != "-" else (None, None)
        sem = cls(module, settings.logger_names, index, module_name, getattr(settings, "logger_factories", ()))
        if index is not None:
            sem.file_path = Path(path).absolute()
        return sem

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
        None when it is foreign or not a logger."""
        origin = self.origin(expr, self.chain(scope_nodes))
        if origin is None or origin.kind == FOREIGN:
            return None
        return ROOT if origin.root else NAMED

    def logger_call(self, call: cst.Call, scope_nodes: Sequence[cst.CSTNode] = ()) -> Optional[LoggerCall]:
        func = call.func
        scopes = self.chain(scope_nodes)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method not in LOG_METHODS:
                return None
            receiver = func.value
            if self.is_logging_module(receiver, scopes):
                return LoggerCall(call, method, receiver, True)
            origin = self.origin(receiver, scopes)
            if origin is None or origin.kind == FOREIGN:
                return None
            return LoggerCall(call, method, receiver, origin.root, origin.kind)
        if isinstance(func, cst.Name):
            qualified = self.qualified_name(func, scopes)
            if qualified is not None and qualified.startswith("logging.") and qualified[8:] in LOG_METHODS \
                    and func.value in self.imports:
                return LoggerCall(call, qualified[8:], None, True)
        return None

    def module_logger_plan(self) -> Optional[ModuleLoggerPlan]:
        return self.module_loggers.plan()

    # ---------------------------------------------------------------- call graph
    def _call_graph(self, source: str):
        """The project's call graph and this file's own part of it (from `source`, the text
        being checked); None when `ast` rejects the text. A file outside any project
        (stdin) gets a graph of its own functions only."""
        known = self.index is not None and self.file_path is not None and self.index.roots
        graph = callgraph.graph_for(self.index.roots[0] if known else None)  # type: ignore[union-attr]
        if self._own_graph is None:
            self._own_graph = graph.file(self.file_path or Path("-"), source) or False
        return (graph, self._own_graph) if self._own_graph else None

    def exception_in_flight(self, source: str, names: Sequence[Optional[str]]) -> str:
        """Can an exception be being handled where the code at `names` (the enclosing class
        and function names, None for a lambda) runs? `callgraph.YES`, `NO` or `UNKNOWN`."""
        where = callgraph.name_path(names)
        if where is None:
            return callgraph.UNKNOWN
        if not where:
            return callgraph.NO
        found = self._call_graph(source)
        if found is None:
            return callgraph.UNKNOWN
        graph, own = found
        return graph.exception_in_flight(own, where, self.graph_files)

    def imported_call_sites(self, source: str, name: str) -> list:
        """Calls of this module's function `name` in the project's other modules that
        import it by name (`callgraph.CallSite`s)."""
        found = self._call_graph(source)
        if found is None or self.file_path is None:
            return []
        graph = found[0]
        sites = graph.imported_call_sites(self.module_name, name, self.file_path)
        self.graph_files.update(graph.read_for(name))
        return sites

    def dependencies(self) -> List[Path]:
        return list(dict.fromkeys([*dependencies(self), *sorted(self.graph_files)]))
