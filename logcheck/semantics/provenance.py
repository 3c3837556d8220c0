"""Logger provenance: for an expression at a place in the code, is it a logger of a known
family (`families`: stdlib, powertools, loguru, structlog; proven by the code), an object
of another library or of the project (foreign), a name that only looks like a logger
(unknown), or nothing logger-like at all (None)?

The answer follows bindings through the scopes of `scopes.ScopeTable`, through the
functions and classes of the file, and through the project's own modules (`ProjectIndex`).
A conventional name (`logger`, `log`, ...) is only ever a hint: it turns "origin cannot be
followed" into UNKNOWN, never into STDLIB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Protocol, Sequence

import libcst as cst

from logcheck.semantics import families
from logcheck.semantics.families import Family
from logcheck.semantics.loggers import STDLIB, UNKNOWN, dotted_name, keyword_arg, positional_args, string_value
from logcheck.semantics.scopes import (ASSIGN, DEFINITION, DELETE, IMPORT, PARAM, Binding, Scope, ScopeTable,
                                       small_statements)

FOREIGN = "foreign"

#: callables of `logging` that return a stdlib logger (or an object with its interface)
_STDLIB_FACTORIES: FrozenSet[str] = families.STDLIB.factories
#: bases whose subclasses are stdlib loggers
_STDLIB_LOGGER_CLASSES: FrozenSet[str] = frozenset({"logging.Logger", "logging.LoggerAdapter", "logging.RootLogger"})
#: top-level packages with math-like `log` functions: not loggers (the logging libraries
#: with loggers of their own are the families, `families.owning`)
FOREIGN_LIBRARIES: FrozenSet[str] = frozenset({
    "math", "cmath", "numpy", "np", "torch", "jax", "scipy", "sympy", "decimal", "tensorflow", "tf",
    "pandas", "pd", "mpmath", "operator",
})
#: `Optional[X]` and `Union[X, None]` say "X", as `X | None` does
_OPTIONAL_WRAPPERS: FrozenSet[str] = frozenset({"typing.Optional", "typing.Union", "Optional", "Union"})
#: names that `getLogger(...)` takes to name the module's own logger
MODULE_NAME_DUNDERS: FrozenSet[str] = frozenset({"__name__", "__file__", "__cached__", "__spec__", "__module__"})


@dataclass(frozen=True)
class Origin:
    """Where a logger-like value comes from: a family's name (STDLIB, "loguru", ...) when
    the code proves it, FOREIGN or UNKNOWN; for STDLIB whether it is the root logger."""

    kind: str
    root: bool = False

    @property
    def family(self) -> Optional[Family]:
        """The proven family, None for FOREIGN/UNKNOWN."""
        return _PROVEN.get(self.kind)


_FOREIGN = Origin(FOREIGN)
#: a proven logger of each family that rules may report on
_PROVEN: Dict[str, Family] = {f.name: f for f in families.FAMILIES if not f.silent}
_FAMILY_ORIGINS: Dict[str, Origin] = {name: Origin(name) for name in _PROVEN}
_UNKNOWN = Origin(UNKNOWN)
_NAMED = Origin(STDLIB)
_ROOT = Origin(STDLIB, True)
#: "cannot be followed": becomes UNKNOWN for a conventional name, else not a logger
_UNRESOLVED = Origin("unresolved")


class ModuleIndex(Protocol):
    """What provenance asks of the project's own modules (`project.ProjectIndex` answers;
    declared here so that the model does not import the index that builds it)."""

    def has_module(self, name: str) -> bool: ...

    def is_package(self, name: str) -> bool: ...

    def is_project_name(self, qualified: str) -> bool: ...

    def export_origin(self, module: str, name: str, asker: "Semantics") -> Optional[Origin]: ...

    def call_origin(self, module: str, name: str, asker: "Semantics") -> Optional[Origin]: ...
#: a binding that says nothing about what the name holds (`x = None`, `del x`)
_NEUTRAL = Origin("neutral")
#: a binding met again while its own value is followed (`log = log.bind(...)`): the other
#: bindings of the name decide
_CYCLE = Origin("cycle")
#: an attribute no class of the file binds
_MISSING = Origin("missing")


def is_root_logger_call(call: cst.Call) -> bool:
    """`getLogger()`, `getLogger(None)`, `getLogger("")`, `getLogger("root")`."""
    if any(a.star for a in call.args):
        return False
    pos = positional_args(call)
    arg = pos[0] if pos else keyword_arg(call, "name")
    if arg is None:
        return True
    if isinstance(arg.value, cst.Name) and arg.value.value == "None":
        return True
    return string_value(arg.value) in ("", "root")


class Semantics:
    """What names mean in one module. Built once per file (statement-level pass); every
    rule asks it through `FileContext`."""

    def __init__(self, module: cst.Module, conventional: Iterable[str], index: Optional[ModuleIndex] = None,
                 module_name: Optional[str] = None, factories: Iterable[str] = ()) -> None:
        self.module = module
        self.table = ScopeTable(module)
        self.conventional: FrozenSet[str] = frozenset(conventional)
        self.index = index
        #: dotted name of this module in its project (for relative imports), if known
        self.module_name = module_name
        self.factories: FrozenSet[str] = frozenset(factories)
        self._returns: Dict[int, Origin] = {}
        self._bindings_done: Dict[int, Optional[Origin]] = {}
        self._active: set = set()
        #: project modules whose semantics answered a question about this one (by path)
        self.consulted: Dict[object, "Semantics"] = {}
        #: the file this module was read from, when the project index read it
        self.path = None

    # ---------------------------------------------------------------- names
    def qualified_import(self, binding: Binding) -> str:
        """The absolute dotted target of an import binding (relative imports resolved
        against this module's package when it is known)."""
        target = binding.qualified or ""
        if not target.startswith("."):
            return target
        dots = len(target) - len(target.lstrip("."))
        rest = target[dots:]
        if self.module_name is None:
            return target
        package = self.module_name.split(".")
        is_package = bool(self.index and self.index.is_package(self.module_name))
        keep = len(package) - dots + (1 if is_package else 0)
        if keep < 0:
            return target
        base = ".".join(package[:keep])
        return f"{base}.{rest}" if base and rest else (base or rest)

    def resolve_name(self, name: str, scopes: Sequence[Scope]) -> List[Binding]:
        return self.table.lookup(name, scopes)[1]

    def qualified_name(self, expr: cst.CSTNode, scopes: Optional[Sequence[Scope]] = None) -> Optional[str]:
        """`lg.handlers.X` with `import logging as lg` -> `logging.handlers.X`, resolved at
        `scopes` (module scope by default). A head name bound other than by one import, or
        bound in a nearer scope, stays as it is written."""
        return self.imported_name(expr, scopes) or dotted_name(expr)

    def imported_name(self, expr: cst.CSTNode, scopes: Optional[Sequence[Scope]] = None) -> Optional[str]:
        """The qualified name of a Name/Attribute chain whose head is bound (at `scopes`)
        only by imports of one target; None otherwise."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bindings = self.resolve_name(head, scopes or [self.table.root])
        if bindings and all(b.kind == IMPORT for b in bindings) and len({b.qualified for b in bindings}) == 1:
            base = self.qualified_import(bindings[0])
            return f"{base}.{rest}" if rest else base
        return None

    def is_logging_module(self, expr: cst.CSTNode, scopes: Optional[Sequence[Scope]] = None) -> bool:
        return isinstance(expr, cst.Name) and self.imported_name(expr, scopes) == "logging"

    # ---------------------------------------------------------------- provenance
    def origin(self, expr: cst.CSTNode, scopes: Sequence[Scope]) -> Optional[Origin]:
        """The provenance of `expr` evaluated at `scopes`: STDLIB/FOREIGN/UNKNOWN origin,
        or None when it is certainly not a logger."""
        found = self._origin(expr, scopes)
        if found is _UNRESOLVED:
            return _UNKNOWN if self._conventional(expr) else None
        return found

    def _conventional(self, expr: cst.CSTNode) -> bool:
        if isinstance(expr, cst.Name):
            return expr.value in self.conventional
        if isinstance(expr, cst.Attribute):
            return expr.attr.value in self.conventional
        return False

    def _origin(self, expr: cst.CSTNode, scopes: Sequence[Scope]) -> Optional[Origin]:
        if isinstance(expr, cst.Name):
            return self._name_origin(expr.value, scopes)
        if isinstance(expr, cst.Attribute):
            return self._attribute_origin(expr, scopes)
        if isinstance(expr, cst.Call):
            return self._call_origin(expr, scopes)
        return None

    def _name_origin(self, name: str, scopes: Sequence[Scope]) -> Optional[Origin]:
        scope, bindings = self.table.lookup(name, scopes)
        if not bindings:
            star = self._star_origin(name)
            if star is not None:
                return star
            return _UNRESOLVED  # a builtin, or defined where the file does not show
        return self._combine(self._binding_origin(b) for b in bindings)

    def _star_origin(self, name: str) -> Optional[Origin]:
        stars = self.table.root.star_imports
        if not stars:
            return None
        for star in stars:
            module = self.qualified_import(star)
            if module == "logging":
                return None
            exported = self.index.export_origin(module, name, self) if self.index is not None else None
            if exported is not None:
                return exported
        return _UNRESOLVED

    @staticmethod
    def _combine(origins: Iterable[Optional[Origin]]) -> Optional[Origin]:
        """All bindings of a name: one that is not a logger or foreign decides against;
        one that cannot be followed makes the whole unresolved; loggers of two families
        are foreign (no family's rules hold for both); else that family (for STDLIB, root
        only when every binding is the root logger)."""
        seen: List[Origin] = []
        for origin in origins:
            if origin is None:
                return None
            if origin.kind == FOREIGN:
                return _FOREIGN
            seen.append(origin)
        seen = [o for o in seen if o is not _NEUTRAL and o is not _CYCLE]
        if not seen:
            return _UNRESOLVED
        if any(o is _UNRESOLVED or o.kind == UNKNOWN for o in seen):
            return _UNRESOLVED
        kinds = {o.kind for o in seen}
        if len(kinds) > 1:
            return _FOREIGN
        if kinds != {STDLIB}:
            return seen[0]
        return _ROOT if all(o.root for o in seen) else _NAMED

    def _binding_origin(self, binding: Binding) -> Optional[Origin]:
        """Memoised per binding; a binding whose value leads back to itself (`self.log =
        self.log or x`, `a = b` / `b = a`) cannot be followed."""
        key = id(binding)
        if key in self._bindings_done:
            return self._bindings_done[key]
        if key in self._active:
            return _CYCLE
        self._active.add(key)
        try:
            result = self._binding_origin_uncached(binding)
        finally:
            self._active.discard(key)
        self._bindings_done[key] = result
        return result

    def _binding_origin_uncached(self, binding: Binding) -> Optional[Origin]:
        kind = binding.kind
        if kind == IMPORT:
            return self._import_origin(self.qualified_import(binding))
        if kind == ASSIGN:
            value = binding.value
            if isinstance(value, cst.Name) and value.value == "None":
                return _NEUTRAL  # `logger = None`, set up later
            if binding.annotation is not None:
                annotated = self._annotation_origin(binding.annotation, binding.home)
                if annotated is not None:
                    return annotated
            if binding.home.is_class and isinstance(value, cst.Name) and value.value == binding.name:
                # `logger = logger` in a class body reads the enclosing scopes' `logger`
                return self._name_origin(value.value, self.scopes_of(binding.home)[:-1])
            return self._value_origin(value, binding.home)
        if kind == PARAM:
            if binding.annotation is not None:
                return self._annotation_origin(binding.annotation, binding.home) or _UNRESOLVED
            return _UNRESOLVED
        if kind == DELETE:
            return _NEUTRAL
        return None  # a definition, loop/with/except target, unpacking: not a logger

    def _value_origin(self, value: Optional[cst.BaseExpression], home: Scope) -> Optional[Origin]:
        if value is None:
            return _UNRESOLVED
        if isinstance(value, (cst.Name, cst.Attribute, cst.Call)):
            return self._origin(value, self.scopes_of(home))
        if isinstance(value, (cst.IfExp, cst.BooleanOperation, cst.Await, cst.Subscript)):
            return _UNRESOLVED
        return None  # a literal, display, lambda, arithmetic: not a logger

    def _annotation_origin(self, annotation: cst.BaseExpression, home: Scope) -> Optional[Origin]:
        """STDLIB for `logging.Logger`, `Optional[logging.Logger]`, `Logger | None` (and
        LoggerAdapter); None when the annotation proves nothing."""
        scopes = self.scopes_of(home)
        named: List[Optional[str]] = []
        stack = [annotation]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Subscript) and self.qualified_name(node.value, scopes) in _OPTIONAL_WRAPPERS:
                stack.extend(e.slice.value for e in node.slice if isinstance(e.slice, cst.Index))
            elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
                stack.extend((node.left, node.right))
            elif isinstance(node, cst.Name) and node.value == "None":
                continue
            else:
                named.append(self.qualified_name(node, scopes))
        if named and all(q in _STDLIB_LOGGER_CLASSES for q in named):
            return _NAMED
        return None

    def _import_origin(self, qualified: str) -> Optional[Origin]:
        if qualified == "logging.root":
            return _ROOT
        if qualified == "logging" or qualified.startswith("logging."):
            return None  # the module itself, a function or a class: not a logger instance
        if self.index is not None:
            module, _, name = qualified.rpartition(".")
            if module and self.index.has_module(module):
                exported = self.index.export_origin(module, name, self)
                return exported if exported is not None else _UNRESOLVED
            if self.index.has_module(qualified):
                return None  # a project module
            if qualified.startswith(".") or (self.index.is_project_name(qualified)):
                return _UNRESOLVED
        elif qualified.startswith("."):
            return _UNRESOLVED
        return _outside(qualified)

    def _attribute_origin(self, expr: cst.Attribute, scopes: Sequence[Scope]) -> Optional[Origin]:
        qualified = self.qualified_name(expr, scopes)
        if qualified == "logging.root":
            return _ROOT
        base = expr.value
        attr = expr.attr.value
        if isinstance(base, cst.Name) and base.value in ("self", "cls"):
            cls = self.table.class_of_method(scopes)
            found = self._class_attribute(cls, attr, set()) if cls is not None else _MISSING
            return _UNRESOLVED if found is _MISSING else found
        imported = self.imported_name(expr, scopes)
        if imported is not None:
            module = imported.rpartition(".")[0]
            if self.index is not None and self.index.has_module(module):
                exported = self.index.export_origin(module, attr, self)
                return exported if exported is not None else _UNRESOLVED
            if module == "logging" or module.startswith("logging."):
                return None
            return _outside(imported)
        return _UNRESOLVED

    def _class_attribute(self, cls: Scope, attr: str, seen: set) -> Optional[Origin]:
        """Origin of `self.attr` from the class body, its methods' `self.attr = ...` and
        its bases defined in the file; `_MISSING` when none of them binds it."""
        if id(cls) in seen:
            return _MISSING
        seen.add(id(cls))
        bindings = list(cls.bindings.get(attr, ())) + list(cls.attributes.get(attr, ()))
        if bindings:
            return self._combine(self._binding_origin(b) for b in bindings)
        for base in self._class_bases(cls):
            found = self._class_attribute(base, attr, seen)
            if found is not _MISSING:
                return found
        return _MISSING

    def _class_bases(self, cls: Scope) -> List[Scope]:
        node = cls.node
        assert isinstance(node, cst.ClassDef)
        out = []
        parent = cls.parent or self.table.root
        for arg in node.bases:
            if isinstance(arg.value, cst.Name):
                for b in self.resolve_name(arg.value.value, self.scopes_of(parent)):
                    if b.kind == DEFINITION and isinstance(b.node, cst.ClassDef):
                        out.append(self.table.scope(b.node))
        return out

    def _call_origin(self, call: cst.Call, scopes: Sequence[Scope]) -> Optional[Origin]:
        func = call.func
        qualified = self.qualified_name(func, scopes)
        if qualified == "logging.getLogger":
            return _ROOT if is_root_logger_call(call) else _NAMED
        if qualified in _STDLIB_FACTORIES:
            return _NAMED
        if qualified is not None and qualified in self.factories:
            return _NAMED
        if isinstance(func, cst.Call) and self.qualified_name(func.func, scopes) == "logging.getLoggerClass":
            return _NAMED
        if isinstance(func, cst.Attribute):
            derived = self._derived_origin(func, scopes)
            if derived is not None:
                return derived
        imported = self.imported_name(func, scopes)
        if imported is not None:
            return self._imported_call_origin(imported)
        if isinstance(func, cst.Name):
            bindings = self.resolve_name(func.value, scopes)
            if bindings and all(b.kind == DEFINITION for b in bindings):
                return self._combine(self._callable_origin(b.node) for b in bindings)
        return _UNRESOLVED

    def _derived_origin(self, func: cst.Attribute, scopes: Sequence[Scope]) -> Optional[Origin]:
        """`parent.getChild(...)`, `log.bind(...)`, `logger.opt(...)`: a logger of the
        parent's family when the family derives loggers with that method; an unknown
        parent's `getChild` stays unknown. None: not a derivation."""
        attr = func.attr.value
        if attr not in _DERIVATIONS:
            return None
        parent = self._origin(func.value, scopes)
        family = parent.family if parent is not None else None
        if family is not None:
            if attr not in family.derivations:
                return None
            return _NAMED if family.name == STDLIB else _FAMILY_ORIGINS[family.name]
        return parent if attr == "getChild" else None

    def _call_origin_of(self, qualified: str) -> Optional[Origin]:
        """What calling the callable of that qualified name returns (`logging.getLogger`
        included): for an alias bound in another project module."""
        if qualified == "logging.getLogger" or qualified in _STDLIB_FACTORIES:
            return _NAMED
        return self._imported_call_origin(qualified)

    def _imported_call_origin(self, qualified: str) -> Optional[Origin]:
        if qualified in self.factories:
            return _NAMED
        if qualified.startswith("logging."):
            return None
        if self.index is not None:
            module, _, name = qualified.rpartition(".")
            if module and self.index.has_module(module):
                result = self.index.call_origin(module, name, self)
                return result if result is not None else _UNRESOLVED
            if qualified.startswith(".") or self.index.is_project_name(qualified):
                return _UNRESOLVED
        elif qualified.startswith("."):
            return _UNRESOLVED
        return _outside(qualified, called=True)

    def _callable_origin(self, node: cst.CSTNode) -> Optional[Origin]:
        """What calling a definition of this file returns: a class makes its instances
        (stdlib when it subclasses `logging.Logger`/`LoggerAdapter`), a function what all
        its `return`s give."""
        key = id(node)
        if key in self._returns:
            return self._returns[key]
        if key in self._active:
            return _UNRESOLVED
        self._active.add(key)
        try:
            if isinstance(node, cst.ClassDef):
                result = self._class_origin(node)
            else:
                result = self._function_returns(node)
        finally:
            self._active.discard(key)
        self._returns[key] = result
        return result

    def _class_origin(self, node: cst.ClassDef) -> Optional[Origin]:
        scope = self.table.scope(node)
        parent_scopes = self.scopes_of(scope.parent or self.table.root)
        for arg in node.bases:
            if self.qualified_name(arg.value, parent_scopes) in _STDLIB_LOGGER_CLASSES:
                return _NAMED
            if isinstance(arg.value, cst.Name):
                for b in self.resolve_name(arg.value.value, parent_scopes):
                    if b.kind == DEFINITION and isinstance(b.node, cst.ClassDef):
                        inherited = self._callable_origin(b.node)
                        if inherited is not None and inherited.kind == STDLIB:
                            return _NAMED
        return _FOREIGN  # a project class that is not a stdlib logger

    def _function_returns(self, node: cst.FunctionDef) -> Optional[Origin]:
        scope = self.table.scope(node)
        origins = [self._value_origin(ret.value, scope) if ret.value is not None else None
                   for ret in small_statements(node.body) if isinstance(ret, cst.Return)]
        if not origins:
            return None
        return self._combine(origins)

    def scopes_of(self, scope: Scope) -> List[Scope]:
        chain = []
        current: Optional[Scope] = scope
        while current is not None:
            chain.append(current)
            current = current.parent
        return chain[::-1]


#: every method that derives a logger in some family (a quick no for every other call)
_DERIVATIONS: FrozenSet[str] = frozenset(m for f in families.FAMILIES for m in f.derivations)


def _outside(qualified: str, called: bool = False) -> Origin:
    """An object from outside the project and the standard library's `logging` (or what
    calling it returns, when `called`): a family's logger when the family's record names
    it (`loguru.logger`, `structlog.get_logger()`); foreign when it comes from another part
    of a logging library, a silent family's or one with `log` functions; else it cannot be
    followed (a wrapper such as `kombu.log.get_logger` may well return a stdlib logger, but
    nothing here shows it): unknown for a conventional name."""
    proven = families.of_call(qualified) if called else families.of_object(qualified)
    if proven is not None and not proven.silent:
        return _FAMILY_ORIGINS[proven.name]
    if families.owning(qualified) is not None:
        return _FOREIGN
    top = qualified.lstrip(".").split(".")[0]
    if top in FOREIGN_LIBRARIES:
        return _FOREIGN
    return _UNRESOLVED
