"""`FileSemantics`: the semantic model of the file being checked, and the questions rules
ask it (see the package docstring for the layer as a whole)."""

from __future__ import annotations

import ast
import weakref
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set

import libcst as cst

from logcheck.semantics import callgraph
from logcheck.semantics.bound_keys import bound_keys
from logcheck.semantics.logger_names import DEFAULT_LOGGER_NAMES
from logcheck.semantics.families import STDLIB as STDLIB_FAMILY
from logcheck.semantics.loggers import LOG_METHODS, NAMED, ROOT, STDLIB, UNKNOWN, LoggerCall
from logcheck.source.astfacts import ANY_LOG_METHODS
from logcheck.semantics.module_logger import ModuleLoggerPlan, ModuleLoggers
from logcheck.semantics.project import ProjectFacts, ProjectIndex, dependencies, file_facts, index_for
from logcheck.semantics.provenance import FOREIGN, Semantics
from logcheck.semantics import processes, project_calls
from logcheck.semantics.scopes import DEFINITION, IMPORT, Scope


class FileSemantics(Semantics):
    """`Semantics` of the file being checked, with the questions rules ask. Positions are
    given as the enclosing scope nodes (outermost first; `FileContext.scope_nodes`)."""

    def __init__(self, module: cst.Module, logger_names: Iterable[str] = DEFAULT_LOGGER_NAMES,
                 index: Optional[ProjectIndex] = None, module_name: Optional[str] = None,
                 factories: Iterable[str] = (), source: Optional[str] = None) -> None:
        super().__init__(module, logger_names, index, module_name, factories, source)
        # through a weak proxy: a strong reference back would make the pair a cycle, which
        # keeps the tree alive until the cyclic collector runs (the module loggers live only
        # as long as this object)
        self.module_loggers = ModuleLoggers(weakref.proxy(self))
        self._imports: Optional[Dict[str, str]] = None
        self._source = source
        self._facts: Optional[ProjectFacts] = None
        #: the file checked, when it is part of a project on disk
        self.file: Optional[Path] = None
        self._shadowed: Optional[Set[str]] = None
        #: the file being checked, when it has one
        self.file_path: Optional[Path] = None
        #: project files the call graph read to answer a question about this file
        self.graph_files: Set[Path] = set()
        self._own_graph: Optional[object] = None
        #: the interpreter's ast of `source`, when the caller has one (not parsed again)
        self.own_tree: Optional[ast.Module] = None
        #: family name -> `bound_keys` of this module for that family
        self._bound_keys: Dict[str, Optional[FrozenSet[str]]] = {}

    @classmethod
    def for_file(cls, module: cst.Module, path: str, settings, source: Optional[str] = None) -> "FileSemantics":
        index, module_name = index_for(Path(path), settings) if path and path != "-" else (None, None)
        sem = cls(module, settings.logger_names, index, module_name, getattr(settings, "logger_factories", ()),
                  source)
        sem.file = Path(path) if index is not None else None
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
            return LoggerCall(call, method, receiver, origin.root, origin.kind, family, origin.own_class)
        if isinstance(func, cst.Name):
            qualified = self.qualified_name(func, scopes)
            if qualified is not None and qualified.startswith("logging.") and qualified[8:] in LOG_METHODS \
                    and func.value in self.imports:
                return LoggerCall(call, qualified[8:], None, True)
        return None

    def project_facts(self) -> ProjectFacts:
        """What the project does that changes logging everywhere (`project.ProjectFacts`);
        for a file outside any project (stdin), what the file itself does."""
        if self._facts is None:
            if self.index is not None and self.file is not None:
                self._facts = self.index.facts(self.file)
            else:
                text = self._source if self._source is not None else self.module.code
                self._facts = file_facts(text, None) or ProjectFacts()
        return self._facts

    def formats_messages_itself(self, call: LoggerCall) -> bool:
        """May the record of this call be formatted by project code rather than by
        `LogRecord.getMessage()`'s `msg % args`: a receiver of a project class overriding
        a logger method (`LoggerAdapter.process()`), a logger class or record factory
        installed by the project? Then moving values from the message into arguments may
        change what is logged."""
        facts = self.project_facts()
        return call.own_class or facts.record_factory or (facts.logger_class and not call.is_root)

    def bound_keys(self, family) -> Optional[FrozenSet[str]]:
        """Keys this module binds into the context of the family's later records (its
        `binds` methods and `context_binders` functions, `semantics.bound_keys`); None when
        a spread may bind any key."""
        if family.name not in self._bound_keys:
            self._bound_keys[family.name] = bound_keys(self.module, family.binds | family.context_binders)
        return self._bound_keys[family.name]

    def module_logger_plan(self) -> Optional[ModuleLoggerPlan]:
        return self.module_loggers.plan()

    # ---------------------------------------------------------------- call graph
    def project_graph(self) -> "callgraph.ProjectCallGraph":
        """The project's call graph (a file outside any project, stdin, gets one of its
        own functions only)."""
        known = self.index is not None and self.file_path is not None and self.index.roots
        return callgraph.graph_for(self.index.roots[0] if known else None)  # type: ignore[union-attr]

    def own_ast(self, source: str) -> Optional[ast.Module]:
        """The interpreter's ast of `source` (the text being checked): the caller's when it
        has one, else parsed once; None when `ast` rejects the text."""
        if source == self._source and self.own_tree is not None:
            return self.own_tree
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            return None
        if source == self._source:
            self.own_tree = tree
        return tree

    def call_graph(self, source: str):
        """The project's call graph and this file's own part of it (from `source`, the text
        being checked); None when `ast` rejects the text."""
        graph = self.project_graph()
        if self._own_graph is None:
            tree = self.own_ast(source)
            self._own_graph = (graph.file(self.file_path or Path("-"), source, tree) if tree is not None
                               else None) or False
        return (graph, self._own_graph) if self._own_graph else None

    def exception_in_flight(self, source: str, names: Sequence[Optional[str]]) -> str:
        """Can an exception be being handled where the code at `names` (the enclosing class
        and function names, None for a lambda) runs? `callgraph.YES`, `NO` or `UNKNOWN`."""
        where = callgraph.name_path(names)
        if where is None:
            return callgraph.UNKNOWN
        if not where:
            return callgraph.NO
        found = self.call_graph(source)
        if found is None:
            return callgraph.UNKNOWN
        graph, own = found
        return graph.exception_in_flight(own, where, self.graph_files)

    def reached_calls(self, source: str, function: str, decorators: Sequence[str] = ()) -> Optional[FrozenSet[str]]:
        """The names the module-level function `function` may call, through the project's
        functions it calls (by name) and the `decorators` named (their definitions in the
        project); None when the call graph cannot see them all."""
        found = self.call_graph(source)
        if found is None:
            return None
        graph, own = found
        start = own.called_in((function,)) | set(decorators)
        return graph.reached_calls(own, start, self.graph_files)

    def imported_call_sites(self, source: str, name: str) -> list:
        """Calls of this module's function `name` in the project's other modules that
        import it by name (`callgraph.CallSite`s)."""
        found = self.call_graph(source)
        if found is None or self.file_path is None:
            return []
        graph = found[0]
        sites = graph.imported_call_sites(self.module_name, name, self.file_path)
        self.graph_files.update(graph.read_for(name))
        return sites

    def project_calls(self, source: str, library: str, names: Iterable[str]) -> Optional[list]:
        """The calls of functions or methods named `names` in the project's files that
        name `library`, this file's included (`project_calls.ProjectCall`s); None when the
        project cannot be read whole (unknown)."""
        found = self.call_graph(source)
        if found is None:
            return None
        graph, own = found
        read: List[Path] = []
        calls = project_calls.calls_in_project(graph, self.file_path, own.tree, library, frozenset(names), read)
        self.graph_files.update(read)
        return calls

    def environment_mentions(self, source: str, variable: str) -> Optional[tuple]:
        """The project's files (code and environment files) that name the environment
        variable; None when the project cannot be listed."""
        found = self.call_graph(source)
        if found is None:
            return None
        mentions = project_calls.environment_mentions(found[0], variable)
        if mentions:
            self.graph_files.update(mentions)
        return mentions

    def runs_in_every_worker(self, source: str, names: Sequence[Optional[str]]) -> bool:
        """Does the code at `names` (the enclosing class and function names) run in every
        worker process of the program, as the project proves (`semantics/processes.py`)?"""
        where = callgraph.name_path(names)
        found = self.call_graph(source)
        if where is None or found is None:
            return False
        graph, own = found
        read: List[Path] = []
        code = processes.worker_code(graph, own, read)
        answer = code is not None and processes.runs_in_every_worker(
            graph, own, code, own.path, self.module_name, where, read)
        self.graph_files.update(read)
        return answer

    def dependencies(self) -> List[Path]:
        found = list(dict.fromkeys([*dependencies(self), *sorted(self.graph_files)]))
        if self._facts is not None:
            found += [p for p in self._facts.files if p not in found]
        return found
