"""The module logger that fixes call instead of the root logger or `print` (LC101, LC401,
LC402): an existing one, where it is certainly bound when the call runs and the call's
scope sees it, or one inserted after the module's imports under a name that hides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import takewhile
from typing import FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.helpers import get_full_name_for_node

from logcheck.semantics.loggers import keyword_arg, positional_args
from logcheck.semantics.origin import MODULE_NAME_DUNDERS
from logcheck.semantics.provenance import Semantics
from logcheck.semantics.scopes import ASSIGN, DEFINITION, IMPORT, STAR, Binding, Scope

#: decorators that only wrap or register what they decorate and call nothing of the module
_INERT_DECORATORS: FrozenSet[str] = frozenset({
    "staticmethod", "classmethod", "property", "abc.abstractmethod", "typing.overload", "overload",
    "functools.cache", "functools.lru_cache", "functools.cached_property", "functools.total_ordering",
    "contextlib.contextmanager", "contextlib.asynccontextmanager", "dataclasses.dataclass",
    "typing.final", "final", "enum.unique",
})


@dataclass(frozen=True)
class ModuleLoggerPlan:
    """The logger to insert when no existing module logger can be used: its name, how the
    inserted statement reaches `getLogger`, and where it goes."""

    name: str
    #: name through which the inserted statement calls getLogger: `logging.getLogger`,
    #: `lg.getLogger`, `getLogger` or `_logging.getLogger`
    factory: str
    insert_import: bool
    #: index in Module.body after which the insertion goes (-1: at the top of the body)
    anchor_index: int


class ModuleLoggers:
    def __init__(self, sem: Semantics) -> None:
        self.sem = sem
        self.module = sem.module
        self.table = sem.table
        self.anchor = header_end(self.module.body)
        self._existing: Optional[Tuple[Optional[Binding]]] = None
        self._plan: Optional[Tuple[Optional[ModuleLoggerPlan]]] = None
        self._quiet_before: Optional[int] = None

    # ---------------------------------------------------------------- queries
    def for_call(self, scopes: Sequence[Scope], top_index: int, in_function: bool) -> Optional[Tuple[str, bool]]:
        """(name, inserted) of the module logger a fix may call at this place, or None."""
        existing = self.existing()
        if existing is not None and self._reusable(existing, scopes, top_index, in_function):
            return existing.name, False
        plan = self.plan()
        if plan is None or (not in_function and top_index <= plan.anchor_index):
            return None
        scope, _ = self.table.lookup(plan.name, scopes)
        if scope is not None:
            return None
        return plan.name, True

    def existing(self) -> Optional[Binding]:
        """The module-level name bound once, unconditionally, to `getLogger(__name__)`."""
        if self._existing is None:
            found = None
            for name, bindings in self.table.root.bindings.items():
                if len(bindings) != 1:
                    continue
                b = bindings[0]
                if b.kind == ASSIGN and b.unconditional and self._is_module_getlogger(b.value) and \
                        (found is None or b.order < found.order):
                    found = b
            self._existing = (found,)
        return self._existing[0]

    def plan(self) -> Optional[ModuleLoggerPlan]:
        if self._plan is None:
            self._plan = (self._make_plan(),)
        return self._plan[0]

    # ---------------------------------------------------------------- decisions
    def _is_module_getlogger(self, value: Optional[cst.BaseExpression]) -> bool:
        if not isinstance(value, cst.Call) or self.sem.qualified_name(value.func) != "logging.getLogger":
            return False
        pos = positional_args(value)
        arg = pos[0] if pos else keyword_arg(value, "name")
        # `getLogger(__file__)` and the like are module loggers with a wrong name (LC102
        # fixes the name); reusing them keeps a fix from adding a second module logger
        return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value in MODULE_NAME_DUNDERS

    def _reusable(self, binding: Binding, scopes: Sequence[Scope], top_index: int, in_function: bool) -> bool:
        scope, bindings = self.table.lookup(binding.name, scopes)
        if scope is not self.table.root or bindings != [binding]:
            return False  # shadowed at the call (a parameter, a local, a class attribute)
        if not in_function:
            return top_index > binding.top_index
        # a function may run at import time, before the binding, if code above it can call it
        quiet = self._quiet_prefix()
        if binding.top_index != quiet:
            return binding.top_index < quiet
        # the binding's line is the first that may call the module's code: only the statements
        # before the binding on that line run first (`main(); logger = ...` calls main first)
        line = self.module.body[binding.top_index]
        if not isinstance(line, cst.SimpleStatementLine):
            return False
        # what those statements can call: the functions and classes defined above the line
        defined = self._defined_names(before=binding.top_index)
        first = takewhile(lambda small: not _contains(small, binding.node), line.body)
        return not defined or all(self._quiet_small(small, defined) for small in first)

    def _quiet_prefix(self) -> int:
        """Top-level statements up to this index run no code of the module's own functions
        or classes (imports, constants, plain definitions): a function cannot be called
        before them."""
        if self._quiet_before is None:
            last = -1
            local = self._defined_names()
            for i, stmt in enumerate(self.module.body):
                if not self._quiet(stmt, local):
                    break
                last = i
            self._quiet_before = last + 1
        return self._quiet_before

    def _defined_names(self, before: Optional[int] = None) -> Set[str]:
        """The module-level names a `def` or `class` binds (code a statement may call); with
        `before`, only those bound by a statement above that top-level index."""
        return {name for name, bindings in self.table.root.bindings.items()
                if any(b.kind == DEFINITION and (before is None or b.top_index < before) for b in bindings)}

    def _quiet(self, stmt: cst.CSTNode, local: Set[str]) -> bool:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            for decorator in stmt.decorators:
                target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
                if self.sem.qualified_name(target) not in _INERT_DECORATORS:
                    return False
            if isinstance(stmt, cst.FunctionDef):
                parts: List[cst.CSTNode] = [p.default for p in _all_params(stmt.params) if p.default is not None]
                return not any(_names_in(p, local) for p in parts)
            if any(_names_in(arg.value, local) for arg in stmt.bases + stmt.keywords):
                return False
            body = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else [stmt.body]
            methods = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
            if (stmt.bases or stmt.keywords) and methods & _CLASS_CREATION_HOOKS:
                return False  # an Enum's `__init__`, a metaclass's hooks: run while the class is made
            return all(self._quiet(s, local | methods) for s in body)
        if isinstance(stmt, cst.SimpleStatementLine):
            # an import runs the module it imports; any other statement of the line may call ours
            return all(self._quiet_small(s, local) for s in stmt.body)
        return not _names_in(stmt, local)

    def _quiet_small(self, stmt: cst.BaseSmallStatement, local: Set[str]) -> bool:
        if isinstance(stmt, (cst.Import, cst.ImportFrom)):
            return not self._calls_back(stmt)
        return not _names_in(stmt, local)

    def _calls_back(self, stmt: cst.BaseSmallStatement) -> bool:
        index, own = self.sem.index, self.sem.module_name
        if index is None or not own or not isinstance(stmt, (cst.Import, cst.ImportFrom)):
            return False
        # the module itself and its packages are being imported already: not again
        pending = [t for t in _imported_modules(stmt, self.sem)
                   if index.has_module(t) and t != own and not own.startswith(t + ".")]
        seen: Set[str] = set()
        while pending and len(seen) < _MAX_CALLBACK_MODULES:
            module = pending.pop()
            if module == own:
                return True
            if module in seen:
                continue
            seen.add(module)
            other = index.semantics(module)
            if other is None:
                continue
            self.sem.consulted[other.path] = other
            for bindings in (*other.table.root.bindings.values(), other.table.root.star_imports):
                for b in bindings:
                    if b.kind in (IMPORT, STAR):
                        pending.extend(t for t in _targets(other.qualified_import(b)) if index.has_module(t))
        return bool(pending)  # modules left past the cap: they may call back

    def _make_plan(self) -> Optional[ModuleLoggerPlan]:
        root = self.table.root
        taken = self.table.all_names
        if "__getattr__" in root.bindings:
            return None  # a new module-level name would hide what `__getattr__` serves
        star_names = self._star_names()
        if star_names is None:
            return None  # a star import of unknown content may bind any name
        name = next(n for n in self._candidate_names() if n not in taken and n not in star_names)
        factory, insert_import = None, True
        for local, qualified in self._header_imports():
            if len(root.bindings.get(local, ())) != 1:
                continue
            if qualified == "logging":
                factory, insert_import = f"{local}.getLogger", False
                break
            if qualified == "logging.getLogger" and factory is None:
                factory, insert_import = local, False
        if factory is None:
            same_module = all(b.kind == IMPORT and self.sem.qualified_import(b) == "logging"
                              for b in root.bindings.get("logging", ()))
            if same_module and "logging" not in star_names:  # unbound, or the same module later
                factory = "logging.getLogger"
            elif "_logging" not in taken and "_logging" not in star_names:
                factory = "_logging.getLogger"  # `logging` is taken by something else
            else:
                return None
        return ModuleLoggerPlan(name, factory, insert_import, self.anchor)

    def _header_imports(self) -> Iterator[Tuple[str, str]]:
        for binding_list in self.table.root.bindings.values():
            for b in binding_list:
                if b.kind == IMPORT and b.unconditional and b.top_index <= self.anchor:
                    yield b.name, self.sem.qualified_import(b)

    def _star_names(self) -> Optional[Set[str]]:
        """Names the module's star imports bind, or None when one cannot be read."""
        names: Set[str] = set()
        for star in self.table.root.star_imports:
            module = self.sem.qualified_import(star)
            other = self.sem.index.semantics(module) if self.sem.index is not None else None
            if other is None:
                return None
            self.sem.consulted[other.path] = other
            if other.table.root.star_imports:
                return None
            names.update(other.table.root.bindings)
        return names


    def _candidate_names(self) -> Iterator[str]:
        """`logger`, or `_logger` first when a project module star-imports this one and no
        `__all__` keeps a public name from being exported (it would replace the importing
        module's own `logger`)."""
        facts = getattr(self.sem, "project_facts", None)
        if "__all__" not in self.table.root.bindings and facts is not None \
                and self.sem.module_name in facts().star_imported:
            yield "_logger"
        yield from _candidate_names()


#: methods that run while the class statement runs, for a class with a base or metaclass
#: that calls them (Enum members are made by `__new__`/`__init__`; `_generate_next_value_`
#: gives `auto()` values; `__init_subclass__`/`__set_name__` run for subclasses and owners)
_CLASS_CREATION_HOOKS = frozenset({"__init__", "__new__", "_generate_next_value_", "_missing_",
                                   "__init_subclass__", "__set_name__", "__class_getitem__"})
#: project modules followed when asking whether an import leads back to the module
_MAX_CALLBACK_MODULES = 200


def _imported_modules(stmt: cst.CSTNode, sem: Semantics) -> List[str]:
    """Absolute module names an import statement makes Python import (`import pkg.b` binds
    `pkg` and imports `pkg.b` too)."""
    if isinstance(stmt, cst.Import):  # every dotted name, whatever it binds
        return [t for alias in stmt.names for t in _targets(get_full_name_for_node(alias.name) or "") if t]
    found = []
    for binding_list in sem.table.root.bindings.values():
        for b in binding_list:
            if b.node is stmt and b.kind == IMPORT:
                found.extend(_targets(sem.qualified_import(b)))
    for b in sem.table.root.star_imports:
        if b.node is stmt:
            found.extend(_targets(sem.qualified_import(b)))
    return found


def _targets(qualified: str) -> List[str]:
    """`a.b.c` may be module `a.b.c` or name `c` of module `a.b`: both, and the packages
    that importing them imports first."""
    parts = qualified.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _candidate_names() -> Iterator[str]:
    yield "logger"
    yield "_logger"
    yield "module_logger"
    i = 2
    while True:
        yield f"logger{i}"
        i += 1


def _all_params(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from (*params.posonly_params, *params.params, *params.kwonly_params)


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`node` and every node inside it."""
    from logcheck.source.cst import iter_children

    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(iter_children(current))


def _contains(node: cst.CSTNode, target: cst.CSTNode) -> bool:
    """Is `target` `node` or inside it?"""
    return any(current is target for current in _nodes(node))


def _names_in(node: cst.CSTNode, names: Set[str]) -> bool:
    """Does the code of `node` mention one of `names`?"""
    return any(isinstance(current, cst.Name) and current.value in names for current in _nodes(node))


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr)
            and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in stmt.body)


def _suite_is_imports(suite: cst.BaseSuite) -> bool:
    if isinstance(suite, cst.SimpleStatementSuite):
        return all(isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in suite.body)
    return all(_is_import_line(s) or _is_import_block(s) for s in suite.body)


def _is_import_block(stmt: cst.CSTNode) -> bool:
    """A top-level `try:`/`if ...:` whose every branch holds only imports (conditional
    imports, `if TYPE_CHECKING:`): part of the import header, never an insertion point."""
    if isinstance(stmt, cst.Try):
        return (_suite_is_imports(stmt.body)
                and all(_suite_is_imports(h.body) for h in stmt.handlers)
                and (stmt.orelse is None or _suite_is_imports(stmt.orelse.body))
                and (stmt.finalbody is None or _suite_is_imports(stmt.finalbody.body)))
    if isinstance(stmt, cst.If):
        if not _suite_is_imports(stmt.body):
            return False
        orelse = stmt.orelse
        if orelse is None:
            return True
        if isinstance(orelse, cst.If):
            return _is_import_block(orelse)
        return _suite_is_imports(orelse.body)
    return False


def header_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index of the last statement of the module header: docstring, `__future__` and other
    imports, and import-only conditional blocks. -1 when the module starts with code."""
    end = -1
    for i, stmt in enumerate(body):
        if (i == 0 and _is_docstring(stmt)) or _is_import_line(stmt) or _is_import_block(stmt):
            end = i
        else:
            break
    return end
