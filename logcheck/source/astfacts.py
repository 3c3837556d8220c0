"""What the rules' `ast_gate`s ask about a file, gathered in one pass over the
interpreter's ast (about nine times cheaper to build than libcst's tree).

The facts are syntactic supersets of what the semantic model (`logcheck.semantics`) can
conclude, so a gate built on them never says no where its rule reports:

- `log_calls`: every call that may be a logger call. `FileSemantics.logger_call` only
  returns a `LoggerCall` for `<expr>.<method>(...)` with `method` in LOG_METHODS, or for a
  plain name bound by an import of such a method (`from logging import info as note`);
  here every import of a name ending in a log method counts, from any module.
  `logger_calls(settings)` leaves out the calls on a name that only `import module`
  binds: a module is no logger, unless its name is a configured logger name (then the
  model takes it for an unknown logger).
- `calls`: every call with the names it may be calling (the attribute, or the name and
  what any import binds to it), for the rules that look at other calls (`getLogger`,
  `setLevel`, ...).
- `may_be_root(expr)`: False only when the expression cannot be the root logger however
  the names resolve (the root logger comes from `logging.root`, from `getLogger()` with no
  name, from `logging.<method>` itself, or from another module through an import).

Import-free of libcst.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

LOG_METHODS: FrozenSet[str] = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)

#: the logging methods of every logger family (`semantics.families`; loguru's `trace` and
#: `success`, structlog's `msg`): a superset the gates of family-aware rules read
ANY_LOG_METHODS: FrozenSet[str] = LOG_METHODS | frozenset({"trace", "success", "msg"})

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass(frozen=True)
class LogCall:
    """A call shaped like a logger call, with the parts `LoggerCall` names."""

    node: ast.Call
    method: str
    #: `logger` in `logger.info(...)`; None for a name imported from a module
    receiver: Optional[ast.expr]
    #: the message (positional, or `msg=`), None when absent or behind `*args`
    message: Optional[ast.expr]
    #: positional arguments after the message; None when `*args` makes them unknown
    format_args: Optional[Tuple[ast.expr, ...]]
    keywords: Mapping[str, ast.expr]
    #: inside an `except` block of the same function (as `FileContext.except_handlers`)
    in_handler: bool
    #: the receiver's name when nothing but `import name` binds it: a module, a logger
    #: only when the name is a configured logger name (then it may be an unknown one)
    module_receiver: Optional[str] = None

    @property
    def level(self) -> Optional[ast.expr]:
        """The level argument of `log(level, msg)`."""
        if self.method != "log":
            return None
        if self.node.args and not isinstance(self.node.args[0], ast.Starred):
            return self.node.args[0]
        return self.keywords.get("level")


@dataclass(frozen=True)
class AstFacts:
    """The facts of one file (`facts_of`), shared by every gate."""

    tree: ast.Module
    log_calls: Tuple[LogCall, ...]
    #: (names the call may be calling, the call)
    calls: Tuple[Tuple[FrozenSet[str], ast.Call], ...]
    #: attribute names written as `<name>.<attr>` (`logging.WARN`)
    name_attributes: FrozenSet[str]
    #: every identifier: names, attributes, imported names and their aliases
    identifiers: FrozenSet[str]
    #: names bound by `except ... as name`
    handler_names: FrozenSet[str]
    #: every `except` clause (of `except*` too)
    handlers: Tuple[ast.ExceptHandler, ...]
    #: local name -> the last parts of the names imported as it
    imported: Mapping[str, FrozenSet[str]]
    #: local name -> the dotted targets imported as it (`logging.handlers` for `import
    #: logging.handlers as h`, `logging` for `import logging.handlers`); relative imports
    #: keep their leading dots
    import_targets: Mapping[str, FrozenSet[str]]
    #: what `may_be_root` asks: which names (and `self.` attributes) may hold the root logger
    roots: "RootNames"
    #: names imported from `logging` (the module itself included)
    logging_names: FrozenSet[str]
    #: names bound to other modules by `import x` (a module is no logger; its attributes may be)
    modules: FrozenSet[str]
    #: a star import from a module other than `logging`: any name may come from it
    star_import: bool
    #: every str constant of the file (a docstring, a key, a dotted path in a string)
    strings: Tuple[str, ...] = ()
    #: what the project says of the names the file imports (`may_be_root`); None: anything
    exports: Optional["Exports"] = None
    #: the file (as the run names it), for a gate that reads what the path or the project
    #: says of it; None: unknown (a gate then says maybe)
    path: Optional[Path] = None
    #: files a gate's verdict read (the result cache's dependencies of a file gated out)
    dependencies: List[Path] = dataclass_field(default_factory=list, compare=False)

    def logger_calls(self, settings) -> Iterator[LogCall]:
        """The log calls whose receiver may be a logger with these settings."""
        names = settings.logger_names
        return (c for c in self.log_calls if c.module_receiver is None or c.module_receiver in names)

    def calls_to(self, *names: str) -> Iterator[ast.Call]:
        wanted = frozenset(names)
        return (call for called, call in self.calls if called & wanted)

    def may_be_root(self, expr: Optional[ast.expr], exports: Optional[Exports] = None) -> bool:
        """False only when `expr` cannot be the root logger. `exports` (from the project,
        `semantics.root_exports`): whether an imported name (its dotted target) may be the
        root logger or return it; without it, any import may."""
        return _may_be_root(expr, self.roots.asked(exports if exports is not None else self.exports))


def facts_of(tree: ast.Module, exports: Optional["Exports"] = None, path: Optional[Path] = None) -> AstFacts:
    return _Collector(tree).facts(exports, path)


def root_logger_arguments(call: ast.Call) -> bool:
    """`getLogger()`, `getLogger(None)`, `getLogger("")`, `getLogger("root")` (as
    `semantics.provenance.is_root_logger_call`)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False
    arg = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)
    return arg is None or (isinstance(arg, ast.Constant) and arg.value in (None, "", "root"))


#: whether an imported object (its dotted name, a relative one with its dots) may be the
#: root logger or a function returning it
Exports = Callable[[str], bool]


class RootNames:
    """Which names of a module may hold the root logger, or be a function returning it:
    an import of anything but `logging`'s own names (another module's logger may be the
    root), a name a star import from another module may bind, and, to a fixed point,
    every name assigned a value that may be the root and every function returning one.
    Scopes are ignored (a name is one name everywhere): a superset.

    With the project's `Exports`, an import counts only when the module it comes from may
    export the root logger under that name; `Exports` is asked only for the imports an
    answer depends on (a name is followed back through the values that define it)."""

    def __init__(self, imports: Mapping[str, FrozenSet[str]], modules: Mapping[str, FrozenSet[str]],
                 star_names: FrozenSet[str], definitions: Mapping[str, Tuple[ast.expr, ...]],
                 logging_names: FrozenSet[str]) -> None:
        #: names bound by `from x import y` (but `logging`'s own), and by `import x` (modules)
        self.imports = imports
        self.modules = modules
        self.star_names = star_names
        #: name -> the values assigned to it, and the values a function of that name returns
        self.definitions = definitions
        self.logging = logging_names
        self._asked: Dict[int, _Names] = {}

    def asked(self, exports: Optional[Exports]) -> "_Names":
        names = self._asked.get(id(exports))
        if names is None or names.exports is not exports:
            names = self._asked[id(exports)] = _Names(self, exports)
        return names


class _Names:
    """`RootNames` with one `Exports`: the answers, computed on demand and kept."""

    def __init__(self, roots: RootNames, exports: Optional[Exports]) -> None:
        # what it needs of `roots`, not `roots` itself: `roots` keeps this object, and the
        # pair would be a reference cycle, which keeps the module's ast values alive until
        # the cyclic collector finds them (its scans of such garbage were 8% of a cold run)
        self.imports = roots.imports
        self.modules = roots.modules
        self.star_names = roots.star_names
        self.definitions = roots.definitions
        self.exports = exports
        self.logging = roots.logging
        self._known: Dict[str, bool] = {}
        #: while a fixed point runs: the names it takes for roots so far, of those it decides
        self._assumed: Optional[Set[str]] = None
        self._closure: Set[str] = set()

    def _exported(self, targets: Iterable[str], chain: Sequence[str] = ()) -> bool:
        suffix = "".join("." + part for part in chain)
        return self.exports is None or any(self.exports(target + suffix) for target in targets)

    def _seed(self, name: str) -> bool:
        if name in self.star_names:
            return True
        targets = self.imports.get(name)
        return targets is not None and self._exported(targets)

    def holds_root(self, name: str) -> bool:
        known = self._known.get(name)
        if known is not None:
            return known
        if self._assumed is not None:
            # inside a fixed point: its names as assumed so far (an `Exports` that could
            # come back into this module answers maybe instead: `root_exports`)
            return name in self._assumed if name in self._closure else True
        definitions = self.definitions
        # what the answer can depend on: the name, and the names `_may_be_root` asks about
        # the values that define it, transitively (the others are known already)
        closure = {name}
        stack = [name]
        while stack:
            for value in definitions.get(stack.pop(), ()):
                for mentioned in _consulted(value):
                    if mentioned not in closure and mentioned not in self._known:
                        closure.add(mentioned)
                        stack.append(mentioned)
        roots = {n for n in closure if self._seed(n)}
        self._assumed, self._closure = roots, closure
        try:
            changed = True
            while changed:
                changed = False
                for n in closure - roots:
                    if any(_may_be_root(value, self) for value in definitions.get(n, ())):
                        roots.add(n)
                        changed = True
        finally:
            self._assumed, self._closure = None, set()
        for n in closure:
            self._known[n] = n in roots
        return name in roots

    def through(self, head: Optional[str], chain: Sequence[str]) -> bool:
        """May `head.chain...` be the root logger (or return it) for what `head` is: a
        name that may hold it, or an import whose object may have such an attribute?"""
        if head is None:
            return False
        if self.holds_root(head):
            return True
        for imports in (self.imports, self.modules):
            targets = imports.get(head)
            if targets is not None and self._exported(targets, chain):
                return True
        return False


def _consulted(value: ast.expr) -> Tuple[str, ...]:
    """The names `_may_be_root(value)` asks `holds_root` about (it never looks inside a
    call's arguments)."""
    if isinstance(value, ast.Name):
        return (value.id,)
    if isinstance(value, ast.Attribute):
        head, _ = _chain(value)
        return (value.attr, head) if head is not None else (value.attr,)
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name):
            return (func.id,)
        if isinstance(func, ast.Attribute):
            head, _ = _chain(func)
            return (func.attr, head) if head is not None else (func.attr,)
    return ()


def _may_be_root(expr: Optional[ast.expr], names: _Names) -> bool:
    """A superset of `Semantics.origin(expr).root` (and of `is_logging_module`)."""
    if isinstance(expr, ast.Name):
        return names.holds_root(expr.id) or expr.id in names.logging
    if isinstance(expr, ast.Attribute):
        head, chain = _chain(expr)
        # `module.logger` of another module, `logging.root`, `self.log` assigned the root
        return expr.attr == "root" or names.holds_root(expr.attr) or head in names.logging \
            or names.through(head, chain)
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Name):
            # an imported callable (another module's factory), or a function of this file
            # returning the root logger; `getLogger()` imported from logging
            return names.holds_root(func.id) or (func.id in names.logging and root_logger_arguments(expr))
        if isinstance(func, ast.Attribute):
            if func.attr == "getLogger" and root_logger_arguments(expr):
                return True
            if func.attr == "getChild":
                return False  # a child is never the root
            # `module.make_logger()`, or `self.setup()`: a method of that name returning it
            return (func.attr in names.definitions and names.holds_root(func.attr)) \
                or names.through(*_chain(func))
    return False


def _chain(expr: ast.Attribute) -> Tuple[Optional[str], Tuple[str, ...]]:
    """`a` and `("b", "c")` for `a.b.c`; None for the head of a chain on anything but a name."""
    parts: List[str] = []
    node: ast.expr = expr
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), tuple(reversed(parts))


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Attribute):
        yield target.attr  # `self.log = ...`
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _module_bound(body: List[ast.stmt]) -> Set[str]:
    """Names the module scope binds for certain: definitions, imports, assignment, `for`,
    `with ... as` and `except ... as` targets, in the module's statements and the blocks
    of its compound statements (not in functions or classes). Leaving a binding out only
    makes `_root_names` larger."""
    bound: Set[str] = set()
    stack = list(body)
    while stack:
        stmt = stack.pop()
        kind = type(stmt)
        if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            bound.add(stmt.name)  # type: ignore[attr-defined]
            continue
        if kind is ast.Import or kind is ast.ImportFrom:
            bound.update(a.asname or a.name.split(".")[0] for a in stmt.names if a.name != "*")  # type: ignore[attr-defined]
            continue
        targets: List[ast.expr] = []
        if kind is ast.Assign:
            targets = stmt.targets  # type: ignore[attr-defined]
        elif kind in (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor):
            targets = [stmt.target]  # type: ignore[attr-defined]
        elif kind in (ast.With, ast.AsyncWith):
            targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]  # type: ignore[attr-defined]
        for target in targets:
            # only names stored to: `a.b = x` and `a[i] = x` do not bind `a`
            bound.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
        for field in ("body", "orelse", "finalbody"):
            stack.extend(getattr(stmt, field, ()))
        for handler in getattr(stmt, "handlers", ()):
            if handler.name:
                bound.add(handler.name)
            stack.extend(handler.body)
    return bound


@dataclass(frozen=True)
class _Context:
    """A marker in `_Collector._walk`'s stack: from here on, this is the walk's state."""

    in_handler: bool
    function: Optional[str]


#: node class -> its fields that may hold nodes (`ctx`, always Load/Store/Del, left out;
#: str and None, which lists also hold, have none)
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _push_children(node, stack: List[object], fields_of) -> None:
    """Push the child nodes of `node` (as `ast.iter_child_nodes` finds them, without its
    generators); lists are pushed whole, their str and None items have no fields."""
    kind = node.__class__
    fields = fields_of(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f != "ctx") \
            if issubclass(kind, ast.AST) else ()
    for field in fields:
        value = getattr(node, field, None)
        if value.__class__ is list:
            stack.extend(value)
        elif isinstance(value, ast.AST):
            stack.append(value)


def _is_logging_module(module: Optional[str]) -> bool:
    return module is not None and (module == "logging" or module.startswith("logging."))


class _Collector:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        #: local name -> the last parts of the names imported as it
        self.imported: Dict[str, Set[str]] = {}
        self.import_targets: Dict[str, Set[str]] = {}
        self.logging_names: Set[str] = set()
        self.modules: Set[str] = set()
        self.roots: Set[str] = set()
        #: names bound other than by `import module`
        self.stored: Set[str] = set()
        self.star = False
        self.assignments: List[Tuple[Tuple[str, ...], ast.expr]] = []
        self.returns: List[Tuple[str, ast.expr]] = []
        self.raw_calls: List[Tuple[ast.Call, bool]] = []
        self.name_attributes: Set[str] = set()
        self.identifiers: Set[str] = set()
        self.handler_names: Set[str] = set()
        self.handlers: List[ast.ExceptHandler] = []
        self.strings: List[str] = []

    def facts(self, exports: Optional["Exports"] = None, path: Optional[Path] = None) -> AstFacts:
        self._walk()
        log_calls = []
        calls = []
        # in the order of the source (the walk's stack visits it backwards)
        for call, in_handler in sorted(self.raw_calls, key=lambda c: (c[0].lineno, c[0].col_offset)):
            func = call.func
            if isinstance(func, ast.Attribute):
                called = frozenset({func.attr})
                methods = called & ANY_LOG_METHODS
                receiver: Optional[ast.expr] = func.value
            elif isinstance(func, ast.Name):
                called = frozenset({func.id} | self.imported.get(func.id, set()))
                methods = frozenset(self.imported.get(func.id, ())) & LOG_METHODS
                receiver = None
            else:
                continue
            calls.append((called, call))
            module = receiver.id if isinstance(receiver, ast.Name) and receiver.id in self.modules \
                and receiver.id not in self.stored and not self.star else None
            for method in methods:
                log_calls.append(_log_call(call, method, receiver, in_handler, module))
        return AstFacts(self.tree, tuple(log_calls), tuple(calls), frozenset(self.name_attributes),
                        frozenset(self.identifiers), frozenset(self.handler_names), tuple(self.handlers),
                        {local: frozenset(names) for local, names in self.imported.items()},
                        {local: frozenset(targets) for local, targets in self.import_targets.items()},
                        self._root_names(), frozenset(self.logging_names), frozenset(self.modules), self.star,
                        tuple(self.strings), exports, path)

    def _root_names(self) -> RootNames:
        """A star import from another module may bind any name the module scope does not
        bind itself (the semantic model follows the star only for a name without a binding
        where it is used): those are candidates too."""
        star_names = frozenset(self.identifiers - _module_bound(self.tree.body)) if self.star else frozenset()
        definitions: Dict[str, List[ast.expr]] = {}
        for targets, value in self.assignments:
            for target in targets:
                definitions.setdefault(target, []).append(value)
        for function, value in self.returns:
            definitions.setdefault(function, []).append(value)
        targets = self.import_targets
        return RootNames({local: frozenset(targets[local]) for local in self.roots},
                         {local: frozenset(targets[local]) for local in self.modules}, star_names,
                         {name: tuple(values) for name, values in definitions.items()}, frozenset(self.logging_names))

    def _walk(self) -> None:
        # A depth-first walk that keeps `in_handler` (inside an except block of the
        # current function) and `function` (the current def's name) as state: a
        # `_Context` marker pushed below a block's children sets it for them, another
        # restores it after them. Children come from each class's node fields, read once.
        in_handler, function = False, None
        stack: List[object] = [self.tree]
        fields_of = _FIELDS.get
        while stack:
            node = stack.pop()
            kind = node.__class__
            if kind is _Context:
                in_handler, function = node.in_handler, node.function  # type: ignore[attr-defined]
                continue
            if kind is ast.Call:
                self.raw_calls.append((node, in_handler))  # type: ignore[arg-type]
            elif kind is ast.Name:
                self.identifiers.add(node.id)  # type: ignore[attr-defined]
                if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                    self.stored.add(node.id)  # type: ignore[attr-defined]
                continue
            elif kind is ast.Constant:
                if node.value.__class__ is str:  # type: ignore[attr-defined]
                    self.strings.append(node.value)  # type: ignore[attr-defined]
                continue  # no child nodes
            elif kind is ast.arg:
                self.stored.add(node.arg)  # type: ignore[attr-defined]
            elif kind is ast.ClassDef or kind is ast.MatchAs or kind is ast.MatchStar:
                if node.name:  # type: ignore[attr-defined]
                    self.stored.add(node.name)  # type: ignore[attr-defined]
            elif kind is ast.MatchMapping:
                if node.rest:  # type: ignore[attr-defined]
                    self.stored.add(node.rest)  # type: ignore[attr-defined]
            elif kind is ast.Attribute:
                self.identifiers.add(node.attr)  # type: ignore[attr-defined]
                if isinstance(node.value, ast.Name):  # type: ignore[attr-defined]
                    self.name_attributes.add(node.attr)  # type: ignore[attr-defined]
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._import(node)
                continue
            elif kind is ast.Assign or kind is ast.AnnAssign or kind is ast.AugAssign or kind is ast.NamedExpr:
                targets = node.targets if kind is ast.Assign else [node.target]  # type: ignore[attr-defined]
                if node.value is not None:  # type: ignore[attr-defined]
                    self.assignments.append((tuple(n for t in targets for n in _target_names(t)),
                                             node.value))  # type: ignore[attr-defined]
            elif kind is ast.Return:
                if function is not None and node.value is not None:  # type: ignore[attr-defined]
                    self.returns.append((function, node.value))  # type: ignore[attr-defined]
            elif kind is ast.ExceptHandler:  # also the handlers of `except*`
                self.handlers.append(node)  # type: ignore[arg-type]
                if node.name:  # type: ignore[attr-defined]
                    self.handler_names.add(node.name)  # type: ignore[attr-defined]
                    self.stored.add(node.name)  # type: ignore[attr-defined]
                # popped in reverse: the type where the handler is, then its body inside it
                stack.append(_Context(in_handler, function))
                stack.extend(node.body)  # type: ignore[attr-defined]
                stack.append(_Context(True, function))
                if node.type is not None:  # type: ignore[attr-defined]
                    stack.append(node.type)  # type: ignore[attr-defined]
                continue
            elif kind in _FUNCTIONS:
                name = getattr(node, "name", None)
                if name is not None:
                    self.identifiers.add(name)
                    self.stored.add(name)
                stack.append(_Context(in_handler, function))
                _push_children(node, stack, fields_of)
                stack.append(_Context(False, name))
                continue
            _push_children(node, stack, fields_of)

    def _import(self, node) -> None:
        from_logging = isinstance(node, ast.Import) or (node.level == 0 and _is_logging_module(node.module))
        for alias in node.names:
            if alias.name == "*":
                if not (node.level == 0 and _is_logging_module(node.module)):
                    self.star = True
                continue
            if isinstance(node, ast.Import):
                local = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else local
                from_logging = _is_logging_module(alias.name)
            else:
                local = alias.asname or alias.name
                target = "." * node.level + (f"{node.module}.{alias.name}" if node.module else alias.name)
            self.import_targets.setdefault(local, set()).add(target)
            self.identifiers.update((local, alias.name.rpartition(".")[2]))
            self.imported.setdefault(local, set()).add(alias.name.rpartition(".")[2])
            if isinstance(node, ast.Import) and not from_logging and not (alias.asname and "." in alias.name):
                self.modules.add(local)  # `import a.b` binds the module `a`
                continue
            self.stored.add(local)
            if from_logging and alias.name != "root":
                self.logging_names.add(local)
            else:
                # another module's logger, or `logging.root`; `import a.b as c` is looked
                # up as the name `b` of the project module `a`
                self.roots.add(local)


def _log_call(call: ast.Call, method: str, receiver: Optional[ast.expr], in_handler: bool,
              module: Optional[str]) -> LogCall:
    index = 1 if method == "log" else 0
    positional: List[ast.expr] = []
    starred = False
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            starred = True
            break
        positional.append(arg)
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    message = positional[index] if len(positional) > index else keywords.get("msg")
    format_args = None if starred or any(k.arg is None for k in call.keywords) else tuple(positional[index + 1:])
    return LogCall(call, method, receiver, message, format_args, keywords, in_handler, module)
