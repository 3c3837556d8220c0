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

from typing import Dict, FrozenSet, Iterable, List, Optional, Protocol, Sequence

import libcst as cst

from logcheck.semantics import families
from logcheck.semantics.loggers import STDLIB, UNKNOWN, dotted_name, keyword_arg, positional_args, string_value
from logcheck.semantics.origin import (_CYCLE, _FAMILY_ORIGINS, _FOREIGN, _MISSING, _NAMED, _NEUTRAL,
                                       _OPTIONAL_WRAPPERS, _OWN_CLASS, _ROOT, _STDLIB_FACTORIES, _STDLIB_LOGGER_CLASSES,
                                       _UNKNOWN, _UNRESOLVED, FOREIGN, FOREIGN_LIBRARIES, Origin)
from logcheck.semantics.scopes import (ASSIGN, DEFINITION, DELETE, IMPORT, PARAM, Binding, Scope, ScopeTable, binds_in,
                                       small_statements)
from logcheck.source.cst import iter_children


class ModuleIndex(Protocol):
    """What provenance asks of the project's own modules (`project.ProjectIndex` answers;
    declared here so that the model does not import the index that builds it)."""

    def has_module(self, name: str) -> bool: ...

    def is_package(self, name: str) -> bool: ...

    def is_project_name(self, qualified: str) -> bool: ...

    def export_origin(self, module: str, name: str, asker: "Semantics") -> Optional[Origin]: ...

    def call_origin(self, module: str, name: str, asker: "Semantics") -> Optional[Origin]: ...

    def semantics(self, name: str) -> Optional["Semantics"]: ...

    def attribute_origin(self, attr: str, asker: "Semantics", rebound_in: Optional[str] = None) -> Optional[Origin]: ...


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
                 module_name: Optional[str] = None, factories: Iterable[str] = (),
                 source: Optional[str] = None) -> None:
        self.module = module
        self.table = ScopeTable(module, may_have_walrus=source is None or ":=" in source)
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
        `scopes` (module scope by default). A head name that nothing binds (a builtin, or a
        snippet without its imports) or bound by the file's own `def`/`class` stays as it
        is written; one bound other than by one import (`logging = Recorder()`, a parameter `logging`, a walrus) has no qualified
        name: the text `logging.getLogger` proves nothing then."""
        imported = self.imported_name(expr, scopes)
        if imported is not None:
            return imported
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        bindings = self.resolve_name(dotted.partition(".")[0], scopes or [self.table.root])
        if any(b.kind != DEFINITION for b in bindings):
            return None
        return dotted  # unbound, or the file's own class or function (a handler class, ...)

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
        if any(o.own_class for o in seen):
            return _OWN_CLASS
        return _ROOT if all(o.root for o in seen) else _NAMED

    @staticmethod
    def combine_assignments(origins: Iterable[Optional[Origin]]) -> Optional[Origin]:
        """Every assignment to one attribute name across the project: all stdlib, stdlib;
        all foreign (or not loggers), foreign; all of one other family, that family; mixed,
        or one that cannot be followed,
        unresolved; `_MISSING` when nothing but `None` is assigned."""
        seen = [o for o in origins if o is not _NEUTRAL]
        if not seen:
            return _MISSING
        if any(o is not None and (o is _UNRESOLVED or o.kind == UNKNOWN) for o in seen):
            return _UNRESOLVED
        if all(o is not None and o.kind == STDLIB for o in seen):
            return _ROOT if all(o.root for o in seen) else _NAMED  # type: ignore[union-attr]
        if all(o is None or o.kind == FOREIGN for o in seen):
            return _FOREIGN if any(o is not None for o in seen) else None
        if None not in seen and len({o.kind for o in seen}) == 1:  # type: ignore[union-attr]
            return seen[0]  # every assignment a logger of one other family (loguru, structlog)
        return _UNRESOLVED

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
        named: List[cst.BaseExpression] = []
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
                named.append(node)
        # also `LoggerAdapter[Logger]` and the file's own subclasses and aliases of them
        if named and all(self._is_stdlib_logger_class(n, scopes, 0) for n in named):
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
            if found is _MISSING:
                return self._project_attribute(attr)
            if found is not None and found.kind == STDLIB:
                # a subclass may rebind it, code elsewhere may assign it on an instance
                if self.index is None:
                    return found
                return self._project_attribute(attr, rebound_in=cls.node.name.value)  # type: ignore[union-attr]
            return found
        imported = self.imported_name(expr, scopes)
        if imported is not None:
            module = imported.rpartition(".")[0]
            if self.index is not None and self.index.has_module(module):
                exported = self.index.export_origin(module, attr, self)
                return exported if exported is not None else _UNRESOLVED
            if module == "logging" or module.startswith("logging."):
                return None
            return _outside(imported)
        # `self.options.logger`, `app.log`: what every assignment to the attribute says
        return self._project_attribute(attr)

    def _project_attribute(self, attr: str, rebound_in: Optional[str] = None) -> Optional[Origin]:
        """Every assignment to `.attr` (and every class-body `attr = ...`) in the project,
        combined: all stdlib, stdlib; all foreign, foreign; mixed or none, unresolved.
        `rebound_in`: for `self.attr` that class proves, only the other files that may
        rebind it (a subclass, an instance elsewhere) are read, with this module's own."""
        if self.index is None:
            return _UNRESOLVED
        found = self.index.attribute_origin(attr, self, rebound_in)
        return _UNRESOLVED if found is None or found is _MISSING else found

    def attribute_assignments(self, attr: str) -> List[Optional[Origin]]:
        """The origin of every value this module assigns to an attribute named `attr`
        (`x.attr = v`, `self.attr: T = v`) or binds to `attr` in a class body."""
        bindings = [b for scope in self.table._scopes.values() if scope.is_class
                    for b in scope.bindings.get(attr, ())]
        bindings += self.table.attribute_targets.get(attr, ())
        return [self._binding_origin(b) for b in bindings]

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
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            # `self.make_logger(...)`: a method of the class that returns a logger is a factory
            cls = self.table.class_of_method(scopes)
            methods = cls.bindings.get(func.attr.value, []) if cls is not None else []
            if methods and all(b.kind == DEFINITION and isinstance(b.node, cst.FunctionDef) for b in methods):
                return self._combine(self._callable_origin(b.node) for b in methods)
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
        is one of the stdlib factories): for an alias bound in another project module."""
        if qualified in _STDLIB_FACTORIES:
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
        """A subclass of `logging.Logger`/`LoggerAdapter` (here or through the file's own
        classes) makes stdlib loggers; `_OWN_CLASS` when it, or a base of the file,
        overrides a method other than `__init__` (`process()` may edit the message)."""
        scope = self.table.scope(node)
        parent_scopes = self.scopes_of(scope.parent or self.table.root)
        found = None
        for arg in node.bases:
            if self._is_stdlib_logger_class(arg.value, parent_scopes, 0):
                found = found or _NAMED
                if isinstance(arg.value, cst.Name):  # a base of the file that formats its own way
                    for b in self.resolve_name(arg.value.value, parent_scopes):
                        if b.kind == DEFINITION and isinstance(b.node, cst.ClassDef):
                            inherited = self._callable_origin(b.node)
                            if inherited is not None and inherited.own_class:
                                found = inherited
        if found is None:
            return _FOREIGN  # a project class that is not a stdlib logger
        return _OWN_CLASS if overrides_methods(node) else found

    def _is_stdlib_logger_class(self, base: cst.BaseExpression, scopes: Sequence[Scope], depth: int) -> bool:
        """`base` is `logging.Logger`/`LoggerAdapter` or a subclass of the file: also
        subscripted (`LoggerAdapter[Logger]`) and through an alias (`Adapter =
        logging.LoggerAdapter`, `Adapter = LoggerAdapter[Logger]`)."""
        if isinstance(base, cst.Subscript):
            base = base.value  # a generic base counts as its origin
        if self.qualified_name(base, scopes) in _STDLIB_LOGGER_CLASSES:
            return True
        if not isinstance(base, cst.Name) or depth > 4:
            return False
        for b in self.resolve_name(base.value, scopes):
            if b.kind == DEFINITION and isinstance(b.node, cst.ClassDef):
                inherited = self._callable_origin(b.node)
                if inherited is not None and inherited.kind == STDLIB:
                    return True
            elif b.kind == ASSIGN and isinstance(b.value, (cst.Name, cst.Attribute, cst.Subscript)) \
                    and self._is_stdlib_logger_class(b.value, self.scopes_of(b.home), depth + 1):
                return True
        return False

    def _function_returns(self, node: cst.FunctionDef) -> Optional[Origin]:
        scope = self.table.scope(node)
        outer = self.scopes_of(scope.parent or self.table.root)
        if not all(self._keeps_return(d.decorator, outer) for d in node.decorators):
            return _UNRESOLVED  # the decorator may return anything in place of the function
        origins = [self._value_origin(ret.value, scope) if ret.value is not None else None
                   for ret in small_statements(node.body) if isinstance(ret, cst.Return)]
        if not origins:
            return None
        return self._combine(origins)

    def _keeps_return(self, decorator: cst.BaseExpression, scopes: Sequence[Scope]) -> bool:
        """Does calling the decorated function still return what its body returns?
        `functools.cache`/`lru_cache`, `staticmethod`/`classmethod`, and a wrapper of the
        file or the project written the `functools.wraps` way (`_is_passthrough_wrapper`)."""
        if isinstance(decorator, cst.Call):
            return self.qualified_name(decorator.func, scopes) == "functools.lru_cache"
        qualified = self.qualified_name(decorator, scopes)
        if qualified in _RETURN_KEEPING_DECORATORS:
            return True
        if isinstance(decorator, cst.Name):
            bindings = self.resolve_name(decorator.value, scopes)
            if len(bindings) == 1 and bindings[0].kind == DEFINITION and isinstance(bindings[0].node, cst.FunctionDef):
                return self._is_passthrough_wrapper(bindings[0].node)
        imported = self.imported_name(decorator, scopes)
        if imported is not None and self.index is not None:
            module, _, name = imported.rpartition(".")
            other = self.index.semantics(module) if module and self.index.has_module(module) else None
            bindings = other.table.root.bindings.get(name, []) if other is not None else []
            if len(bindings) == 1 and bindings[0].kind == DEFINITION and isinstance(bindings[0].node, cst.FunctionDef):
                self.consulted[other.path] = other
                return other._is_passthrough_wrapper(bindings[0].node)
        return False

    def _is_passthrough_wrapper(self, node: cst.FunctionDef) -> bool:
        """`def deco(fn): @functools.wraps(fn) def wrapper(*a, **k): ...; return fn(*a, **k)
        ...; return wrapper`: every `return` of the wrapper returns a call of `fn`, every
        `return` of the decorator returns the wrapper, and neither rebinds a name."""
        params = [*node.params.posonly_params, *node.params.params]
        if not params or node.asynchronous is not None:
            return False
        wrapped = params[0].name.value
        inner = {s.name.value: s for s in _suite_statements(node.body) if isinstance(s, cst.FunctionDef)}
        returns = [r for r in small_statements(node.body) if isinstance(r, cst.Return)]
        if not returns or not all(isinstance(r.value, cst.Name) and r.value.value in inner for r in returns):
            return False
        scopes = self.scopes_of(self.table.scope(node))
        for r in returns:
            wrapper = inner[r.value.value]
            if wrapper.asynchronous is not None or _contains(wrapper.body, (cst.Yield, cst.Await)):
                return False
            if not any(isinstance(d.decorator, cst.Call)
                       and self.qualified_name(d.decorator.func, scopes) == "functools.wraps"
                       and d.decorator.args and _is_name(d.decorator.args[0].value, wrapped)
                       for d in wrapper.decorators) or len(wrapper.decorators) != 1:
                return False
            results = [s for s in small_statements(wrapper.body) if isinstance(s, cst.Return)]
            if not results or not all(isinstance(s.value, cst.Call) and _is_name(s.value.func, wrapped)
                                      for s in results):
                return False
            if binds_in(wrapper.body, wrapped) or binds_in(node.body, wrapped):
                return False
        return True

    def scopes_of(self, scope: Scope) -> List[Scope]:
        chain = []
        current: Optional[Scope] = scope
        while current is not None:
            chain.append(current)
            current = current.parent
        return chain[::-1]


#: decorators whose result, called, returns what the decorated function returns
_RETURN_KEEPING_DECORATORS: FrozenSet[str] = frozenset({"functools.cache", "functools.lru_cache", "staticmethod",
                                                        "classmethod"})


def overrides_methods(node: cst.ClassDef) -> bool:
    """Does the class body define a method other than `__init__`?"""
    return any(isinstance(s, cst.FunctionDef) and s.name.value != "__init__" for s in _suite_statements(node.body))


def _suite_statements(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else ()


def _is_name(node: cst.CSTNode, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _contains(node: cst.CSTNode, types) -> bool:
    """Does `node` hold a node of `types` (not inside nested functions or lambdas)?"""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, types):
            return True
        if current is not node and isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        stack.extend(iter_children(current))
    return False


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
