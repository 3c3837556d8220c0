"""What one module's code says about running as a program, read from the interpreter's `ast`
(so that any file of the project can be asked, not only the one being checked):

- whether the module runs as a program: it is a `__main__.py`, or it has a `__main__` guard
  (also as a term of an `and`), and whether it parses a command line (argparse, click,
  typer, ..., `sys.argv`);
- who refers to each name: every use of a top-level function, of a module-level table, of an
  imported name or of an attribute of an imported module, with its *owner*: the top-level
  function it is in, the `__main__` guard (`MAIN`), a table (`COMMANDS = {"run": run}`: the
  table owns the functions it holds until someone looks them up), or other module-level code
  (`MODULE`);
- which names a CLI framework registers as commands: `@cli.command()`, `@app.group()`,
  `@app.callback()` on a top-level function, `parser.set_defaults(func=handler)`,
  `group.add_command(cmd)`, `app.command("x")(handler)`.

`semantics.purpose` joins these facts across the project's files (with the call graph) to
decide which functions are program code.
"""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple, Union

from logcheck.semantics.callgraph import BY_NAME, ProjectCallGraph
from logcheck.source.words import import_aliases, imports_word, only_in_definitions, word_search

#: modules whose use makes a module with a `__main__` guard a command-line program
CLI_MODULES: FrozenSet[str] = frozenset({"argparse", "optparse", "getopt", "click", "typer", "docopt", "fire"})
#: decorator names with which CLI frameworks register a function as a command
#: (`@click.command()`, `@cli.group()`, `@app.command("x")`, `@app.callback()`)
COMMAND_DECORATORS: FrozenSet[str] = frozenset({"command", "group", "callback"})
#: calls that register the function they are given as a command (`parser.set_defaults(func=f)`
#: takes it as a keyword, `group.add_command(f)` positionally)
_REGISTERING_CALLS: FrozenSet[str] = frozenset({"set_defaults", "add_command"})
#: calls inside a table that hold a function without calling it (`partial(run, "x")`, `dict(run=run)`)
_HOLDING_CALLS: FrozenSet[str] = frozenset({"dict", "partial", "partialmethod"})

#: owners of a use that are not functions or tables
MAIN = "<main guard>"
MODULE = "<module>"
#: the key of an attribute use whose object is not an imported module (`self.run`, `x.run`):
#: `UNKNOWN_BASE + "run"`
UNKNOWN_BASE = "?."


def is_main_guard(test: ast.expr) -> bool:
    """`__name__ == "__main__"`, alone or as a term of an `and`."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(is_main_guard(v) for v in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    return sum(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) == 1 and sum(
        isinstance(s, ast.Constant) and s.value == "__main__" for s in sides) == 1


def _table_value(value: ast.expr) -> bool:
    """A value that holds functions without calling them: a dict, list, tuple or set display
    (nested too), `dict(run=run)`, or a bare name or attribute (an alias, `start = run`)."""
    if isinstance(value, (ast.Dict, ast.List, ast.Tuple, ast.Set, ast.Name, ast.Attribute)):
        return True
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict"


def _is_table(stmt: ast.stmt) -> bool:
    """A module-level binding of names (not dunders: `__all__` exports) to a table value."""
    if not isinstance(stmt, (ast.Assign, ast.AnnAssign)) or stmt.value is None or not _table_value(stmt.value):
        return False
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return all(isinstance(t, ast.Name) and not t.id.startswith("__") for t in targets)


@dataclass
class ModuleFacts:
    path: Path
    #: top-level function name -> whether it is decorated (the last definition of a name):
    #: no syntax tree is kept, a project's worth of them would not fit in memory
    functions: Dict[str, bool] = field(default_factory=dict)
    #: names bound at module level to a table of functions or an alias of one
    tables: Set[str] = field(default_factory=set)
    #: local name -> what an import binds it to ("pkg.cli.main", or a module "pkg.cli")
    imports: Dict[str, str] = field(default_factory=dict)
    #: use key -> owners: a local name as written (`run`), an imported name or an attribute of
    #: an imported module as its qualified name (`pkg.cli.main`), another attribute as
    #: `UNKNOWN_BASE + attr`
    uses: Dict[str, Set[str]] = field(default_factory=dict)
    #: use keys a CLI framework registers as commands
    registered: Set[str] = field(default_factory=set)
    has_main_guard: bool = False
    parses_command_line: bool = False

    @property
    def dunder_main(self) -> bool:
        return self.path.name == "__main__.py"

    @property
    def whole_program(self) -> bool:
        """The module as a whole is a command-line program: `__main__.py`, or a `__main__`
        guard in a module that parses a command line."""
        return self.dunder_main or (self.has_main_guard and self.parses_command_line)

    def owners(self, key: str) -> Set[str]:
        return self.uses.get(key, set())


def module_facts(tree: ast.Module, path: Path, package: Optional[str]) -> ModuleFacts:
    """The facts of a module; `package` is the dotted package relative imports start from
    (None: relative imports are not resolved)."""
    facts = ModuleFacts(Path(path))
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            facts.functions[stmt.name] = bool(stmt.decorator_list)
        elif _is_table(stmt):
            for target in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                if isinstance(target, ast.Name):
                    facts.tables.add(target.id)
    for node in _statements(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _record_import(facts, node, package)
    _Walker(facts).module(tree)
    return facts


#: the fields of a statement that hold statements (an import is a statement: no need to
#: visit the expressions, which are most of a tree's nodes)
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(body: List[ast.stmt]) -> Iterator[ast.AST]:
    """Every statement of `body` and of the blocks inside it, at any depth (functions and
    classes included), and the `except` handlers and `match` cases that hold blocks."""
    stack: List[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        yield node
        for name in _BODIES:
            inner = getattr(node, name, None)
            if inner:
                stack.extend(inner)


def _record_import(facts: ModuleFacts, node: Union[ast.Import, ast.ImportFrom], package: Optional[str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.split(".")[0] in CLI_MODULES:
                facts.parses_command_line = True
            if alias.asname:
                facts.imports[alias.asname] = alias.name
            else:  # `import pkg.cli` binds `pkg`
                top = alias.name.split(".")[0]
                facts.imports[top] = top
        return
    base = node.module or ""
    if node.level:
        if package is None:
            return
        parts = package.split(".") if package else []
        if node.level - 1 > len(parts):
            return
        base = ".".join(parts[:len(parts) - (node.level - 1)] + ([node.module] if node.module else []))
    elif base.split(".")[0] in CLI_MODULES or (base == "sys" and any(a.name == "argv" for a in node.names)):
        facts.parses_command_line = True
    for alias in node.names:
        if alias.name != "*" and base:
            facts.imports[alias.asname or alias.name] = f"{base}.{alias.name}"


#: node class -> the fields that may hold child nodes (all but `ctx`), filled as met
_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}


class _Walker:
    """One pass over the module recording every use with its owner."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts

    def module(self, tree: ast.Module) -> None:
        facts = self.facts
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(_decorator_attr(d) in COMMAND_DECORATORS for d in stmt.decorator_list):
                    facts.registered.add(stmt.name)
                self.walk(stmt.decorator_list, MODULE)
                self.walk([stmt.args, *stmt.body, *([stmt.returns] if stmt.returns else [])], stmt.name)
            elif _is_table(stmt):
                names = [t.id for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
                         if isinstance(t, ast.Name)]
                # a table with several names (`A = B = {...}`) is owned by the first; the
                # others refer to it
                self.walk([stmt.value], names[0] if names else MODULE, table=True)
                for other in names[1:]:
                    self.use(names[0], other)
            else:
                self.walk([stmt], MODULE)

    def use(self, key: str, owner: str) -> None:
        self.facts.uses.setdefault(key, set()).add(owner)

    def walk(self, nodes: Iterable[ast.AST], owner: str, table: bool = False) -> None:
        """Record the uses in `nodes` as `owner`'s (inside a table's value when `table`). A
        hot loop over every node of the module: exact class tests, children pushed without
        their `ctx` (`Load()`); what changes the owner is walked by a call of its own."""
        facts = self.facts
        uses, imports = facts.uses, facts.imports
        at_module = owner == MODULE
        stack: List[ast.AST] = list(nodes)
        push, extend = stack.append, stack.extend
        while stack:
            node = stack.pop()
            cls = node.__class__
            if cls is ast.Name:
                key = imports.get(node.id, node.id)  # type: ignore[attr-defined]
                found = uses.get(key)
                if found is None:
                    found = uses[key] = set()
                found.add(owner)
                continue
            if cls is ast.Attribute:
                key = self._attribute_key(node)  # type: ignore[arg-type]
                self.use(key, owner)
                if key.startswith(UNKNOWN_BASE):
                    push(node.value)  # type: ignore[attr-defined]
                # else `pkg.cli.main`: the chain is the use
                continue
            if cls is ast.Call:
                self._call(node, owner, table, stack)  # type: ignore[arg-type]
                continue
            if at_module:
                if cls is ast.If and is_main_guard(node.test):  # type: ignore[attr-defined]
                    facts.has_main_guard = True
                    self.walk(node.body, MAIN)  # type: ignore[attr-defined]
                    extend(node.orelse)  # type: ignore[attr-defined]
                    push(node.test)  # type: ignore[attr-defined]
                    continue
                if cls is ast.Constant and isinstance(node.value, str) and (  # type: ignore[attr-defined]
                        node.value in facts.functions or node.value in facts.tables):  # type: ignore[attr-defined]
                    self.use(node.value, owner)  # `__all__ = ["main"]` exports it
                    continue
            if cls is ast.Import or cls is ast.ImportFrom:
                continue
            fields = _CHILD_FIELDS.get(cls)
            if fields is None:
                fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if f != "ctx")
            for name in fields:
                value = getattr(node, name, None)
                if isinstance(value, ast.AST):
                    push(value)
                elif value.__class__ is list:
                    extend([item for item in value if isinstance(item, ast.AST)])

    def _call(self, node: ast.Call, owner: str, table: bool, stack: List[ast.AST]) -> None:
        facts = self.facts
        name = _last_name(node.func)
        if name in _REGISTERING_CALLS:
            for value in [*(a for a in node.args if name == "add_command"), *(k.value for k in node.keywords)]:
                key = self._key(value)
                if key is not None:
                    facts.registered.add(key)
        elif isinstance(node.func, ast.Call) and _last_name(node.func.func) in COMMAND_DECORATORS:
            for value in node.args:  # `app.command("x")(handler)`: the decorator applied by hand
                key = self._key(value)
                if key is not None:
                    facts.registered.add(key)
        if name in BY_NAME:
            for arg in node.args:  # `getattr(module, "run")`: a use of whatever is named so
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    self.use(UNKNOWN_BASE + arg.value, owner)
        if not table:
            stack.append(node.func)
            stack.extend(node.args)
            stack.extend(node.keywords)
            return
        # a call inside a table runs at import: what it calls and is given belongs to the
        # module, except what `partial(...)` holds for later
        self.walk([node.func], MODULE)
        holding = name in _HOLDING_CALLS
        self.walk([*node.args, *node.keywords], owner if holding else MODULE, holding)

    def _key(self, expr: ast.expr) -> Optional[str]:
        if isinstance(expr, ast.Name):
            return self.facts.imports.get(expr.id, expr.id)
        if isinstance(expr, ast.Attribute):
            return self._attribute_key(expr)
        return None

    def _attribute_key(self, node: ast.Attribute) -> Optional[str]:
        """`pkg.cli.main` for an attribute chain on an imported module (or name), else
        `UNKNOWN_BASE + attr`; sys.argv is noted."""
        parts = [node.attr]
        value = node.value
        while isinstance(value, ast.Attribute):
            parts.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name):
            if value.id == "sys" and parts[-1] == "argv":
                self.facts.parses_command_line = True
            target = self.facts.imports.get(value.id)
            if target is not None:
                return ".".join([target, *reversed(parts)])
        return UNKNOWN_BASE + node.attr


def _last_name(expr: ast.expr) -> Optional[str]:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def _decorator_attr(dec: ast.expr) -> Optional[str]:
    """`command` for `@cli.command()` or `@cli.command` (an attribute: a bare `@command` is
    no framework's registration we can tell)."""
    expr = dec.func if isinstance(dec, ast.Call) else dec
    return expr.attr if isinstance(expr, ast.Attribute) else None


# --------------------------------------------------------------------------- across the project

#: a question is followed through this many functions and tables (further: not shown, so no)
_MAX_HOPS = 6
#: a name more of the project's files mention (or, for a root elsewhere, hold) than this is
#: not followed (not shown, so no), but for the `__main__.py`s: in a large project (salt) a few
#: common names (`glob` in `match`) would read hundreds of files for one question, while the
#: median question reads one
_MAX_FILES = 100

_FACTS: "weakref.WeakKeyDictionary[ProjectCallGraph, Dict[Path, Optional[ModuleFacts]]]" = \
    weakref.WeakKeyDictionary()


def facts_on_disk(graph: ProjectCallGraph, path: Path) -> Optional[ModuleFacts]:
    """The facts of a project file as it is on disk (kept with the graph that read it; the
    file's tree is not: a question may read hundreds of files)."""
    cache = _FACTS.setdefault(graph, {})
    if path not in cache:
        tree = graph.tree(path)
        cache[path] = module_facts(tree, path, package_of(path)) if tree is not None else None
    return cache[path]


_HOLDINGS: "weakref.WeakKeyDictionary[ProjectCallGraph, Dict[Path, Optional[FrozenSet[str]]]]" = \
    weakref.WeakKeyDictionary()
#: text without which a file registers no function it imports as a command (`_Walker._call`:
#: a registering call, or a command decorator applied by hand)
_REGISTRATION = re.compile(rb"\b(?:" + b"|".join(sorted(n.encode() for n in _REGISTERING_CALLS)) + rb")\b|\b(?:"
                           + b"|".join(sorted(n.encode() for n in COMMAND_DECORATORS)) + rb")\s*\(")


def table_holdings(graph: ProjectCallGraph, path: Path) -> Optional[FrozenSet[str]]:
    """Every name a project file's module-level tables hold (a name, or an attribute's last
    name, anywhere in their values): read from the top-level statements only, so much
    cheaper than the file's `ModuleFacts`; None when it does not parse."""
    cache = _HOLDINGS.setdefault(graph, {})
    if path not in cache:
        tree = graph.tree(path)
        if tree is None:
            cache[path] = None
        else:
            # a name imported under another (`from pkg.actions import run as do_run`) is held
            # as the alias
            aliases = {alias.asname: alias.name for node in _statements(tree.body) if isinstance(node, ast.ImportFrom)
                       for alias in node.names if alias.asname}
            held: Set[str] = set()
            for stmt in tree.body:
                if _is_table(stmt):
                    for node in ast.walk(stmt.value):  # type: ignore[arg-type]
                        if isinstance(node, ast.Name):
                            held.update((node.id, aliases.get(node.id, node.id)))
                        elif isinstance(node, ast.Attribute):
                            held.add(node.attr)
            cache[path] = frozenset(held)
    return cache[path]


def may_make_root(graph: ProjectCallGraph, path: Path, name: str) -> bool:
    """Can the project file make another module's function `name` an entry point or a
    command (`ProgramQuery._root_elsewhere`): it is a `__main__.py`, its text may register a
    command, or one of its module-level tables holds the name (or it does not parse: unknown)?
    A file whose text shows the name (and every alias an import gives it) only inside
    top-level functions, classes and imports is not parsed."""
    text = (graph.sources() or {}).get(path, b"")
    if path.name == "__main__.py" or _REGISTRATION.search(text):
        return True
    tops = graph.top_lines(path)
    if all(only_in_definitions(text, word, tops) for word in [name, *import_aliases(graph.import_statements(path), name)]):
        return False
    held = table_holdings(graph, path)
    return held is None or name in held


def package_of(path: Path) -> Optional[str]:
    """The dotted package a module's relative imports start from."""
    module = module_of(path)
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imports_of(graph: ProjectCallGraph, name: str, module: str) -> Callable[[Path], bool]:
    """Can a project file refer to function `name` of module `module` (its last dotted part)
    through an import: the module named in an import statement (`from pkg import module`,
    `import pkg.module`, `from .module import name`), or the chain `module.name` on an
    imported package? A use that `ModuleFacts` resolves to the function is one of these (a
    package's re-export is followed for a `__main__.py`, which is always read); a text that
    only mentions both words (salt's `__salt__["match.glob"]`) is not read."""
    chain = re.compile(rb"\.\s*" + re.escape(module.encode()) + rb"\s*\.\s*" + re.escape(name.encode()) + rb"(?!\w)")

    def imports(path: Path) -> bool:
        return imports_word(graph.import_statements(path), module) or \
            chain.search((graph.sources() or {}).get(path, b"")) is not None

    return imports


class ProgramQuery:
    """Which top-level functions of the project are program code, asked one at a time from
    the file being checked (`own`) across the project's files. A function is program code
    when the code shows it:

    - an entry point: named by the project's manifest (`entries_of`), or used by the
      module-level code of a `__main__.py` (`pkg_cli/__main__.py` calling `pkg.cli.main()`);
    - a command: registered with a CLI framework (in its module or another), or held by a
      table (`COMMANDS = {"run": run}`, a list or tuple of functions, an alias) that only
      program code uses;
    - used only from program code: every use in its module is in program code (as before
      the call graph), or, for a private function (`_name`) whose uses the project shows
      in full, every use in every file of the project is.

    Anything the project cannot show (a public function another program may import, a file
    that does not parse, a chain longer than `_MAX_HOPS`) is not program code."""

    def __init__(self, graph: ProjectCallGraph, own: ModuleFacts, entries_of: Callable[[Path], FrozenSet[str]],
                 resolve: Callable[[str], str], is_test: Callable[[Path], bool] = lambda path: False) -> None:
        self.graph = graph
        self.own = own
        self.entries_of = entries_of
        self.resolve = resolve
        #: a test file (by `test-paths`) makes no other module's function an entry point or a
        #: command: it registers or tables a function to exercise it
        self.is_test = is_test
        #: the project files an answer read (dependencies of the checked file's results)
        self.consulted: Set[Path] = set()

    def is_program(self, name: str) -> bool:
        return self._function(self.own, name, 0, frozenset())

    # ---------------------------------------------------------------- one module
    def _facts(self, path: Path) -> Optional[ModuleFacts]:
        if path == self.own.path:
            return self.own
        self.consulted.add(path)
        return facts_on_disk(self.graph, path)

    def _function(self, facts: ModuleFacts, name: str, depth: int, active: FrozenSet[Tuple[Path, str]]) -> bool:
        key = (facts.path, name)
        if depth > _MAX_HOPS or key in active or name not in facts.functions:
            return False
        active = active | {key}
        if name in self.entries_of(facts.path) or name in facts.registered:
            return True
        owners = facts.owners(name) - {name}
        if any(o in facts.tables and self._table(facts, o, depth + 1, active) for o in owners):
            return True  # dispatched: a table only program code uses holds it
        if owners and all(self._owner(facts, o, depth + 1, active) for o in owners):
            return True
        return self._root_elsewhere(facts, name, depth, active) or self._used_only_by_program(
            facts, name, depth, active)

    def _owner(self, facts: ModuleFacts, owner: str, depth: int, active: FrozenSet[Tuple[Path, str]]) -> bool:
        if facts.whole_program or owner == MAIN:
            return True
        if owner in facts.tables:
            return self._table(facts, owner, depth, active)
        return owner != MODULE and self._function(facts, owner, depth, active)

    def _table(self, facts: ModuleFacts, table: str, depth: int, active: FrozenSet[Tuple[Path, str]]) -> bool:
        """Is every use of the table, in its module and in the modules that import it, in
        program code?"""
        key = (facts.path, "table " + table)
        if depth > _MAX_HOPS or key in active:
            return False
        active = active | {key}
        owners = facts.owners(table) - {table}
        if not owners or not all(self._owner(facts, o, depth + 1, active) for o in owners):
            return False
        return self._uses_elsewhere(facts, table, lambda other, uses: all(
            self._owner(other, o, depth + 1, active) for o in uses))

    # ---------------------------------------------------------------- other modules
    def _files_with(self, facts: ModuleFacts, name: str, module: Optional[str] = None) -> Optional[List[ModuleFacts]]:
        """The facts of the project's other files whose text holds the word `name` (a byte
        search, as the call graph's). When `module` is given, the files that may make the
        function a root: a `__main__.py` (which may import the name through a package's
        re-export, and call it), or a file whose text imports it (`_imports_of`) and holds it
        other than called (`run` not followed by `(`), and that `may_make_root`; no test; only the
        `__main__.py`s when more than `_MAX_FILES` hold it. None when the project cannot be
        listed, one of them cannot be parsed, or (without `module`: every use) more than
        `_MAX_FILES` mention it."""
        with_name = self.graph.files_containing(name)
        if with_name is None:
            return None
        with_module = set(self.graph.files_containing(module) or ()) if module else None
        paths = [path for path in with_name if path != facts.path and (
            with_module is None or path in with_module or path.name == "__main__.py")]
        if module is not None:
            # a file can make the function an entry point or a command only by holding it
            # (a table, a registration: the name not called) where it imports it, or as a
            # `__main__.py`
            sources = self.graph.sources() or {}
            held = word_search(name, called=False)
            imports = _imports_of(self.graph, name, module)
            paths = [path for path in paths if (path.name == "__main__.py" or (
                held(sources.get(path, b"")) and imports(path))) and not self.is_test(path)]
            if len(paths) > _MAX_FILES:
                # a name much of the project holds: not followed, but for what `python -m` runs
                paths = [path for path in paths if path.name == "__main__.py"]
            # the full facts only of a file that may (a module-level table's names are read
            # from its top-level statements alone)
            paths = [path for path in paths if may_make_root(self.graph, path, name)]
        elif len(paths) > _MAX_FILES:
            return None  # every use of a name much of the project mentions: not followed
        found: List[ModuleFacts] = []
        for path in paths:
            other = self._facts(path)
            if other is None:
                return None
            found.append(other)
        return found

    def _keys_in(self, other: ModuleFacts, facts: ModuleFacts, name: str, unknown: bool) -> List[str]:
        """The use keys of `other` that are `facts`' module-level `name`: imported (also
        through a re-export) or an attribute of the imported module; with `unknown`, also an
        attribute of an object `other` does not show (`x.name`), which may be the module."""
        target = f"{module_of(facts.path)}.{name}"
        found = [UNKNOWN_BASE + name] if unknown else []
        for key in other.uses:
            if key.rpartition(".")[2] == name and not key.startswith(UNKNOWN_BASE) and (
                    key == target or self.resolve(key) == target):
                found.append(key)
        return found

    def _uses_elsewhere(self, facts: ModuleFacts, name: str, judge: Callable[[ModuleFacts, Set[str]], bool]) -> bool:
        """`judge(other_facts, owners)` for the uses of `facts`' `name` in every other file
        of the project that mentions the name; False when one cannot be read."""
        others = self._files_with(facts, name)
        if others is None:
            return False
        for other in others:
            owners = set().union(*(other.owners(k) for k in self._keys_in(other, facts, name, True)))
            if owners and not judge(other, owners):
                return False
        return True

    def _root_elsewhere(self, facts: ModuleFacts, name: str, depth: int, active) -> bool:
        """Does another module make the function an entry point or a command: the module-level
        code (or guard) of a `__main__.py` uses it, a CLI framework registers it there, or a
        table that only program code uses holds it? Only files that name the
        function and its module are read (an import of it names both), and `__main__.py`s."""
        module = module_of(facts.path)
        for other in self._files_with(facts, name, module.rpartition(".")[2]) or ():
            for key in self._keys_in(other, facts, name, False):
                owners = other.owners(key)
                # what `python -m` runs: a `__main__.py`'s module-level code and guard (a call
                # from one of its functions, or from another module's guard, is a caller like
                # any other: an example's or a test script's guard calls library functions)
                if other.dunder_main and (MODULE in owners or MAIN in owners) or key in other.registered:
                    return True
                if any(o in other.tables and self._table(other, o, depth + 1, active) for o in owners):
                    return True
        return False

    def _used_only_by_program(self, facts: ModuleFacts, name: str, depth: int, active) -> bool:
        """A private function (`_name`, undecorated) whose every use in the project is in
        program code: reachable only from entry points. (A public one may be imported by
        code outside the project: unknown.)"""
        if not name.startswith("_") or name.endswith("__") or facts.functions[name]:
            return False
        own = (facts.owners(name) | facts.owners(UNKNOWN_BASE + name)) - {name}
        if not all(self._owner(facts, o, depth + 1, active) for o in own):
            return False
        seen = bool(own)

        def judge(other: ModuleFacts, owners: Set[str]) -> bool:
            nonlocal seen
            seen = True
            return all(self._owner(other, o, depth + 1, active) for o in owners)

        return self._uses_elsewhere(facts, name, judge) and seen


def module_of(path: Path) -> str:
    """The dotted name a project file is imported as (its package chain)."""
    from logcheck.semantics.project import package_root

    return package_root(path)[1]


__all__ = ["CLI_MODULES", "COMMAND_DECORATORS", "MAIN", "MODULE", "ModuleFacts", "ProgramQuery", "UNKNOWN_BASE",
           "facts_on_disk", "is_main_guard", "module_facts", "module_of", "package_of"]
