"""Scopes and bindings of one module, with Python's rules.

One statement-level pass over the module (no expression walk) records, for every scope
(module, class, function), which names it binds, how (import, assignment, parameter,
definition, loop target, ...), where (the top-level statement, the order within the
scope), and whether the binding is unconditional (directly in the scope's body, not under
an `if`/`try`/`for`/`while`/`with`/`match`). `global` and `nonlocal` move a function's
assignments to the scope they name, whichever of the functions is defined first. Lambdas
and comprehensions are scopes too; their bindings (parameters, loop targets) are read when
first asked for.

Names bound inside expressions are bindings too: a walrus (`(x := value)`) binds in the
scope the expression runs in, and inside a comprehension in the function (or module) around
it, as Python does; `match` captures (`case Logger() as x`, `case [x, *rest]`,
`case {**rest}`) bind in the scope of the `match`. Both are conditional (a walrus may be
short-circuited, a case may not match). The expression walk for walruses runs only when the
source can hold one (`may_have_walrus`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from logcheck.semantics.loggers import dotted_name
from logcheck.source.cst import iter_children

# binding kinds
IMPORT = "import"          #: `import x`, `from x import y`: `qualified` holds the target
STAR = "star"              #: `from x import *`: `qualified` holds the module
ASSIGN = "assign"          #: `x = value`, `x: T = value` (value may be None for a bare annotation)
PARAM = "param"            #: a parameter: `annotation`, `value` (its default)
DEFINITION = "def"         #: `def x` / `class x`: `node` is the definition
OTHER = "other"            #: loop/with/except targets, tuple unpacking, augmented assignment
DELETE = "del"



@dataclass(frozen=True)
class Binding:
    name: str
    kind: str
    #: the statement (or parameter, or definition) that binds
    node: cst.CSTNode
    #: `scope` and `home`, held weakly (the table holds every scope): a scope holds its
    #: bindings, and a strong reference back made each scope a reference cycle, which kept
    #: the file's whole tree alive until the cyclic collector found it (4% of a cold run)
    scope_ref: "weakref.ReferenceType[Scope]"
    home_ref: "weakref.ReferenceType[Scope]"
    value: Optional[cst.BaseExpression] = None
    qualified: Optional[str] = None
    annotation: Optional[cst.BaseExpression] = None
    #: index in Module.body of the top-level statement holding the binding
    top_index: int = -1
    #: order of the binding among all bindings of the file (statement order)
    order: int = 0
    #: directly in its scope's body, not under a compound statement
    unconditional: bool = True

    @property
    def scope(self) -> "Scope":
        """The scope whose name it is (for `global x` in a function: the module)."""
        return self.scope_ref()  # type: ignore[return-value]

    @property
    def home(self) -> "Scope":
        """The scope the binding's value is evaluated in (differs from `scope` under `global`)."""
        return self.home_ref()  # type: ignore[return-value]


@dataclass
class Scope:
    node: cst.CSTNode
    parent: Optional["Scope"]
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    globals: Set[str] = field(default_factory=set)
    nonlocals: Set[str] = field(default_factory=set)
    #: `self.x = ...` / `cls.x = ...` in the methods of this class: attr -> bindings
    attributes: Dict[str, List[Binding]] = field(default_factory=dict)
    #: `from x import *` at this scope (module only in Python 3)
    star_imports: List[Binding] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, cst.ClassDef)

    @property
    def is_module(self) -> bool:
        return isinstance(self.node, cst.Module)

    def add(self, binding: Binding) -> None:
        self.bindings.setdefault(binding.name, []).append(binding)


class ScopeTable:
    """Every scope of one module. `scope(node)` for a Module/FunctionDef/ClassDef/Lambda/
    comprehension node; `lookup(name, chain)` resolves a name as Python does."""

    def __init__(self, module: cst.Module, may_have_walrus: bool = True) -> None:
        self.module = module
        self._walrus = may_have_walrus
        self.root = Scope(module, None)
        self._scopes: Dict[int, Scope] = {id(module): self.root}
        self._order = 0
        #: every name bound anywhere in the file, in any scope
        self.all_names: Set[str] = set()
        #: bindings of `nonlocal` names, placed once every scope's own bindings are known
        self._pending_nonlocals: List[Binding] = []
        self._pending_globals: List[Tuple[Scope, Binding]] = []
        #: every assignment to an attribute (`x.attr = v`, `self.attr: T = v`): attr -> bindings,
        #: evaluated in the scope of the assignment
        self.attribute_targets: Dict[str, List[Binding]] = {}
        for index, stmt in enumerate(module.body):
            self._statement(stmt, self.root, index, True, None)
        self._place_nonlocals()

    # ---------------------------------------------------------------- queries
    def scope(self, node: cst.CSTNode, parent: Optional[Scope] = None) -> Scope:
        found = self._scopes.get(id(node))
        if found is None:  # a lambda or comprehension, read on demand
            found = Scope(node, parent or self.root)
            self._scopes[id(node)] = found
            self._expression_scope(found)
        return found

    def chain(self, nodes: Sequence[cst.CSTNode]) -> List[Scope]:
        """Scopes for the enclosing scope nodes (outermost first), module first."""
        scopes = [self.root]
        for node in nodes:
            scopes.append(self.scope(node, scopes[-1]))
        return scopes

    def lookup(self, name: str, scopes: Sequence[Scope]) -> Tuple[Optional[Scope], List[Binding]]:
        """The scope `name` resolves to from the innermost of `scopes`, and its bindings
        there. Class scopes are seen only from their own body, never from methods."""
        innermost = scopes[-1]
        for i in range(len(scopes) - 1, -1, -1):
            scope = scopes[i]
            if scope.is_class and scope is not innermost:
                continue
            if name in scope.globals:
                return self.root, self.root.bindings.get(name, [])
            bound = scope.bindings.get(name)
            if bound:
                return scope, bound
        return None, []

    def class_of_method(self, scopes: Sequence[Scope]) -> Optional[Scope]:
        """The class whose method body the innermost function scope is (for `self.x`)."""
        for i in range(len(scopes) - 1, 0, -1):
            if isinstance(scopes[i].node, cst.FunctionDef):
                parent = scopes[i - 1]
                return parent if parent.is_class else None
        return None

    # ---------------------------------------------------------------- the pass
    def _bind(self, scope: Scope, name: str, kind: str, node: cst.CSTNode, index: int, unconditional: bool,
              **extra) -> None:
        self._order += 1
        self.all_names.add(name)
        if name in scope.nonlocals:
            # the enclosing function that owns the name may bind it later in the file
            # (`def outer(): def inner(): nonlocal x ...; x = 1`): placed after the pass
            self._pending_nonlocals.append(Binding(name, kind, node, weakref.ref(scope), weakref.ref(scope), top_index=index,
                                                   order=self._order, unconditional=False, **extra))
            return
        target = self.root if name in scope.globals else scope
        target.add(Binding(name, kind, node, weakref.ref(target), weakref.ref(scope), top_index=index, order=self._order,
                           unconditional=unconditional and target is scope, **extra))

    def _place_nonlocals(self) -> None:
        for binding in self._pending_nonlocals:
            target = self._nonlocal_target(binding.scope, binding.name)
            bindings = target.bindings.setdefault(binding.name, [])
            bindings.append(replace(binding, scope_ref=weakref.ref(target), unconditional=binding.unconditional and target is binding.scope))
            bindings.sort(key=lambda b: b.order)
        self._pending_nonlocals = []

    def _nonlocal_target(self, scope: Scope, name: str) -> Scope:
        """The nearest enclosing function that binds `name` itself (not through its own
        `nonlocal`); the scope itself when there is none (a SyntaxError in Python)."""
        parent = scope.parent
        while parent is not None and not parent.is_module:
            if not parent.is_class and name not in parent.nonlocals and name in parent.bindings:
                return parent
            parent = parent.parent
        return scope

    def _statement(self, stmt: cst.CSTNode, scope: Scope, index: int, direct: bool,
                   cls: Optional[Scope]) -> None:
        if self._walrus:
            for part in _header_expressions(stmt):
                self._walruses(part, scope, index, False)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self._small(small, scope, index, direct, cls)
        elif isinstance(stmt, cst.FunctionDef):
            self._bind(scope, stmt.name.value, DEFINITION, stmt, index, direct)
            inner = Scope(stmt, scope)
            self._scopes[id(stmt)] = inner
            self._declarations(stmt.body, inner)
            for param, annotation, default in _parameters(stmt.params):
                self._bind(inner, param.name.value, PARAM, param, index, True, annotation=annotation, value=default)
            method_of = scope if scope.is_class else None
            self._suite(stmt.body, inner, index, True, method_of)
        elif isinstance(stmt, cst.ClassDef):
            self._bind(scope, stmt.name.value, DEFINITION, stmt, index, direct)
            inner = Scope(stmt, scope)
            self._scopes[id(stmt)] = inner
            self._suite(stmt.body, inner, index, True, None)
        else:
            self._compound(stmt, scope, index, cls)

    def _suite(self, suite: cst.BaseSuite, scope: Scope, index: int, direct: bool, cls: Optional[Scope]) -> None:
        if isinstance(suite, cst.IndentedBlock):
            for stmt in suite.body:
                self._statement(stmt, scope, index, direct, cls)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self._small(small, scope, index, direct, cls)

    def _compound(self, stmt: cst.CSTNode, scope: Scope, index: int, cls: Optional[Scope]) -> None:
        if isinstance(stmt, cst.For):
            for name in target_names(stmt.target):
                self._bind(scope, name, OTHER, stmt, index, False)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    for name in target_names(item.asname.name):
                        self._bind(scope, name, OTHER, stmt, index, False)
        for part_name in ("body", "orelse", "finalbody"):
            part = getattr(stmt, part_name, None)
            if part is None:
                continue
            if isinstance(part, cst.BaseSuite):
                self._suite(part, scope, index, False, cls)
            elif isinstance(part, (cst.Else, cst.Finally)):
                self._suite(part.body, scope, index, False, cls)
            elif isinstance(part, cst.If):  # elif
                self._compound(part, scope, index, cls)
        for handler in getattr(stmt, "handlers", ()):
            if handler.name is not None:
                for name in target_names(handler.name.name):
                    self._bind(scope, name, OTHER, handler, index, False)
            self._suite(handler.body, scope, index, False, cls)
        if isinstance(stmt, cst.Match):
            for case in stmt.cases:
                for name in capture_names(case.pattern):
                    self._bind(scope, name, OTHER, case, index, False)
                self._suite(case.body, scope, index, False, cls)

    def _small(self, small: cst.BaseSmallStatement, scope: Scope, index: int, direct: bool,
               cls: Optional[Scope]) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self._bind(scope, alias.asname.name.value, IMPORT, small, index, direct, qualified=full)
                else:
                    root = full.split(".")[0]
                    self._bind(scope, root, IMPORT, small, index, direct, qualified=root)
        elif isinstance(small, cst.ImportFrom):
            module = dotted_name(small.module) if small.module is not None else ""
            dots = "." * len(small.relative)
            source = f"{dots}{module}"
            if isinstance(small.names, cst.ImportStar):
                self._order += 1
                scope.star_imports.append(Binding("*", STAR, small, weakref.ref(scope), weakref.ref(scope), qualified=source,
                                                  top_index=index, order=self._order, unconditional=direct))
                return
            for alias in small.names:
                name = dotted_name(alias.name) or ""
                local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                joined = f"{source}.{name}" if module else f"{source}{name}"
                self._bind(scope, local, IMPORT, small, index, direct, qualified=joined)
        elif isinstance(small, (cst.Assign, cst.AnnAssign)):
            value = small.value
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            annotation = small.annotation.annotation if isinstance(small, cst.AnnAssign) else None
            if isinstance(small, cst.AnnAssign) and value is None:
                return  # `x: int` binds nothing
            for target in targets:
                self._target(target, value, annotation, small, scope, index, direct, cls)
        elif isinstance(small, cst.AugAssign):
            for name in target_names(small.target):
                self._bind(scope, name, OTHER, small, index, direct)
        elif isinstance(small, cst.Del):
            for name in target_names(small.target):
                self._bind(scope, name, DELETE, small, index, direct)

    def _target(self, target: cst.BaseExpression, value, annotation, stmt, scope: Scope, index: int,
                direct: bool, cls: Optional[Scope]) -> None:
        if isinstance(target, cst.Attribute):
            self.attribute_targets.setdefault(target.attr.value, []).append(
                Binding(target.attr.value, ASSIGN, stmt, weakref.ref(scope), weakref.ref(scope), value=value, annotation=annotation,
                        top_index=index, unconditional=False))
        if isinstance(target, cst.Name):
            self._bind(scope, target.value, ASSIGN, stmt, index, direct, value=value, annotation=annotation)
        elif isinstance(target, cst.Attribute) and cls is not None and isinstance(target.value, cst.Name) \
                and target.value.value in ("self", "cls"):
            self._order += 1
            cls.attributes.setdefault(target.attr.value, []).append(
                Binding(target.attr.value, ASSIGN, stmt, weakref.ref(cls), weakref.ref(scope), value=value, top_index=index,
                        order=self._order, unconditional=False))
        elif isinstance(target, (cst.Tuple, cst.List, cst.StarredElement)):
            for name in target_names(target):
                self._bind(scope, name, OTHER, stmt, index, direct)

    def _declarations(self, suite: cst.BaseSuite, scope: Scope) -> None:
        """`global`/`nonlocal` anywhere in a function body apply to the whole body."""
        for small in small_statements(suite):
            if isinstance(small, cst.Global):
                scope.globals.update(n.name.value for n in small.names)
            elif isinstance(small, cst.Nonlocal):
                scope.nonlocals.update(n.name.value for n in small.names)

    def _walruses(self, node: cst.CSTNode, scope: Scope, index: int, in_comprehension: bool) -> None:
        """Bind the targets of the walruses in an expression (not inside a lambda: its own
        scope; inside a comprehension: the value runs in the comprehension's scope, so it
        is not followed)."""
        if isinstance(node, cst.NamedExpr) and isinstance(node.target, cst.Name):
            self._bind(scope, node.target.value, ASSIGN, node, index, False,
                       value=None if in_comprehension else node.value)
        elif isinstance(node, (cst.Lambda, cst.BaseSuite, cst.FunctionDef, cst.ClassDef)):
            return
        in_comprehension = in_comprehension or isinstance(node, _COMPREHENSIONS)
        for child in iter_children(node):
            self._walruses(child, scope, index, in_comprehension)

    def _expression_scope(self, scope: Scope) -> None:
        node = scope.node
        if isinstance(node, cst.Lambda):
            for param, annotation, default in _parameters(node.params):
                self._bind(scope, param.name.value, PARAM, param, -1, True, annotation=annotation, value=default)
            if self._walrus:
                self._walruses(node.body, scope, -1, False)
            return
        comp_for = getattr(node, "for_in", None)
        while comp_for is not None:
            for name in target_names(comp_for.target):
                self._bind(scope, name, OTHER, node, -1, False)
            comp_for = comp_for.inner_for_in


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _header_expressions(stmt: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The parts of a statement that run in the scope around it, bodies excluded: a
    simple line, a compound statement's header (test, iterable, items, subject, handler
    types, case patterns and guards: `_walruses` stops at the bodies), a definition's
    decorators, defaults, annotations and bases."""
    if isinstance(stmt, cst.FunctionDef):
        yield from (d.decorator for d in stmt.decorators)
        for param in (*_all_params(stmt.params), stmt.params.star_arg, stmt.params.star_kwarg):
            if isinstance(param, cst.Param):
                yield from (part for part in (param.default, param.annotation) if part is not None)
        if stmt.returns is not None:
            yield stmt.returns
    elif isinstance(stmt, cst.ClassDef):
        yield from (d.decorator for d in stmt.decorators)
        yield from (arg.value for arg in (*stmt.bases, *stmt.keywords))
    else:
        yield stmt


def _all_params(params: cst.Parameters) -> Iterator[cst.Param]:
    yield from (*params.posonly_params, *params.params, *params.kwonly_params)


def capture_names(pattern: cst.CSTNode) -> Iterator[str]:
    """Names a `match` pattern binds: `as x`, a bare capture `x`, `*rest`, `**rest`."""
    stack = [pattern]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.MatchAs) and node.name is not None:
            yield node.name.value
        elif isinstance(node, cst.MatchStar) and node.name is not None:
            yield node.name.value
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            yield node.rest.value
        if isinstance(node, cst.MatchValue):
            continue  # `case Color.RED` reads names, binds none
        stack.extend(iter_children(node))


def _parameters(params: cst.Parameters) -> Iterator[Tuple[cst.Param, Optional[cst.BaseExpression], Optional[cst.BaseExpression]]]:
    for p in (*params.posonly_params, *params.params, *params.kwonly_params):
        yield p, p.annotation.annotation if p.annotation is not None else None, p.default
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star, None, None


def small_statements(suite: cst.BaseSuite) -> Iterator[cst.BaseSmallStatement]:
    """Small statements of a function body, through compound statements, not into nested
    functions or classes."""
    stack: List[cst.CSTNode] = [suite]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.SimpleStatementSuite):
            yield from node.body
        elif isinstance(node, cst.SimpleStatementLine):
            yield from node.body
        elif isinstance(node, cst.IndentedBlock):
            stack.extend(node.body)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        else:
            for part_name in ("body", "orelse", "finalbody"):
                part = getattr(node, part_name, None)
                if isinstance(part, (cst.BaseSuite, cst.If)):
                    stack.append(part)
                elif isinstance(part, (cst.Else, cst.Finally)):
                    stack.append(part.body)
            for handler in getattr(node, "handlers", ()):
                stack.append(handler.body)
            for case in getattr(node, "cases", ()):
                stack.append(case.body)


def target_names(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)


def binds_in(suite: cst.BaseSuite, name: str) -> bool:
    """Does any statement of `suite` (not nested functions or classes) bind `name`?
    For questions such as "does the handler's exception name still hold the exception"."""
    table_scope = ScopeTable(cst.Module(body=list(suite.body) if isinstance(suite, cst.IndentedBlock) else
                                        [cst.SimpleStatementLine(body=list(suite.body))]))
    return bool(table_scope.root.bindings.get(name))
