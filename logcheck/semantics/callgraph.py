"""The project call graph: who calls a function or method of the project, and from where.

A rule that must know where its code runs (LC304: can an exception be in flight here?
LC511: does this run more than once?) asks this graph instead of guessing from one file.

The graph is built on demand, by name: the callers of `_flush` are found by reading the
project's files that contain the word `_flush` (a byte search over the project's sources,
read once per run), and only those are parsed, with the interpreter's `ast` (about nine
times cheaper than libcst). Every occurrence of the name in them is a call site, with where
it is: in an `except` block or a `finally` clause, in a loop, at import time (no function
around it), and in which function. A run that asks nothing pays nothing.

What the graph cannot see is UNKNOWN, never "no":

- a public name (`run`, `setup`) or a dunder can be called from outside the project;
- a name used other than in a call (`callback=self._flush`, `atexit.register(_cleanup)`,
  `getattr(obj, "_flush")`, a decorator that registers the function): it is called by
  whoever received it, from anywhere;
- a decorated function (other than `staticmethod`/`classmethod`): the decorator may
  register it or call it (a registered exception handler, `@app.errorhandler(500)`, is
  known to run inside the framework's `except`: `EXCEPTION_HANDLER_DECORATORS`);
- a method of a class that derives from a class outside the project: it may override a
  method that library calls;
- a project whose files cannot all be listed (more than `MAX_FILES`).

Callers are matched by name (every `x._flush(...)` is a call of every `_flush` method),
which over-approximates the callers: the answers below only ever become more cautious.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from logcheck.source.words import WORD, ImportStatements, import_statements, top_lines, word_index, word_search

#: a project with more Python files than this is not listed (its callers are unknown)
MAX_FILES = 20000
#: folders that hold no code of the project
_SKIP_DIRS = frozenset({"node_modules", "site-packages", "__pycache__", "build", "dist", "venv", "env"})
#: decorators that neither register nor call the function
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod"})
#: registrations of a function that a framework calls inside its own `except` block, with
#: the exception being handled: decorators (Powertools' event handler resolvers and FastAPI/
#: Starlette `@app.exception_handler(Exc)`, Flask's `@app.errorhandler(500)` and
#: `@bp.app_errorhandler(...)`) and calls given the function (Starlette's
#: `add_exception_handler(Exc, fn)`, Flask's `register_error_handler(500, fn)`), by name
EXCEPTION_HANDLER_DECORATORS = frozenset({"exception_handler", "errorhandler", "app_errorhandler"})
EXCEPTION_HANDLER_CALLS = frozenset({"add_exception_handler", "register_error_handler"})
#: calls that reach a function by a string of its name
BY_NAME = frozenset({"getattr", "hasattr", "methodcaller", "attrgetter", "import_string", "import_module"})
#: files that mark the root of a project above its top package
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
#: caller chains are followed this deep (a longer one is cut: its far end counts as unknown)
_MAX_DEPTH = 6

#: a `def` of a function (`definitions` reads only the files that have one of its name)
_DEF = re.compile(rb"\bdef\s+(\w+)")

#: the three answers
YES, NO, UNKNOWN = "yes", "no", "unknown"

#: a function's path in its module: enclosing class and function names, outermost first
NamePath = Tuple[str, ...]


@dataclass(frozen=True)
class CallSite:
    """One occurrence of a function's name in the project."""

    path: Path
    #: the enclosing classes and functions of the occurrence (empty: module level)
    where: NamePath
    #: the function around the occurrence is a lambda (a callback: its callers are unknown)
    in_lambda: bool
    #: used as `name(...)` / `x.name(...)`; otherwise passed on, stored or named in a string
    called: bool
    #: in an `except` block or a `finally` clause of the function it is in
    in_handler: bool
    #: in a `for`/`while` loop or a comprehension of the function it is in
    in_loop: bool

    @property
    def at_import(self) -> bool:
        return not self.where


@dataclass
class _Function:
    node: ast.AST
    #: the path of the function (`("Pool", "_close")`)
    path: NamePath
    #: the class the function is a method of
    owner: Optional[ast.ClassDef]
    #: the function it is nested in
    parent: Optional["_Function"]


class _FileGraph:
    """What one parsed file says: its functions by path and every name occurrence."""

    def __init__(self, path: Path, tree: ast.Module) -> None:
        self.path = path
        self.tree = tree
        self.functions: Dict[NamePath, List[_Function]] = {}
        self.classes: Dict[str, List[ast.ClassDef]] = {}
        self.imports: Dict[str, str] = {}  # local name -> "module.name" for `from module import name`
        self.occurrences: Dict[str, List[CallSite]] = {}
        #: attribute names the file assigns (`x.attr = v`) or binds in a class body
        self.assigned_attributes: Set[str] = set()
        #: those assigned where they may rebind another class's attribute: on an object other
        #: than `self`/`cls`, or in a class that has a base (a subclass)
        self.rebound_attributes: Set[str] = set()
        self._class_paths: Dict[NamePath, List[ast.ClassDef]] = {}
        self._called: Dict[NamePath, Set[str]] = {}
        #: names of functions the file registers as exception handlers by a call
        self.exception_handlers: Set[str] = set()
        self._walk(tree.body, (), None, None, False, False, False)

    def _class_of(self, where: NamePath) -> Optional[ast.ClassDef]:
        """The class whose body or method `where` is in (the class path's last class)."""
        for end in range(len(where), 0, -1):
            if len(where) - end > 1:
                return None  # deeper than a method: a nested function
            classes = [c for c in self._class_paths.get(where[:end], ())]
            if classes:
                return classes[0]
        return None

    def called_in(self, path: NamePath) -> Set[str]:
        """The names called (`name(...)`, `x.name(...)`) in the function at `path`, its nested
        functions included."""
        out = self._called.get(path)
        if out is None:
            out = self._called[path] = {name for name, sites in self.occurrences.items()
                                        if any(s.called and s.where[:len(path)] == path for s in sites)}
        return out

    def _add(self, name: str, where: NamePath, in_lambda: bool, called: bool, in_handler: bool, in_loop: bool) -> None:
        self.occurrences.setdefault(name, []).append(CallSite(self.path, where, in_lambda, called, in_handler, in_loop))

    def _walk(self, nodes, where: NamePath, owner: Optional[ast.ClassDef], function: Optional[_Function],
              in_lambda: bool, in_handler: bool, in_loop: bool) -> None:
        stack: List[Tuple[ast.AST, bool, bool]] = [(n, in_handler, in_loop) for n in reversed(list(nodes))]
        while stack:
            node, handler, loop = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for dec in node.decorator_list:
                    stack.append((dec, handler, loop))
                for default in [*node.args.defaults, *[d for d in node.args.kw_defaults if d is not None]]:
                    stack.append((default, handler, loop))
                inner = where + (node.name,)
                fn = _Function(node, inner, owner, function)
                self.functions.setdefault(inner, []).append(fn)
                self._walk(node.body, inner, None, fn, False, False, False)
                continue
            if isinstance(node, ast.ClassDef):
                if not where:
                    self.classes.setdefault(node.name, []).append(node)
                self._class_paths.setdefault(where + (node.name,), []).append(node)
                for expr in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
                    stack.append((expr, handler, loop))
                self._walk(node.body, where + (node.name,), node, function, in_lambda, handler, loop)
                continue
            if isinstance(node, ast.Lambda):
                self._walk([node.body], where, None, function, True, False, False)
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                subclass = self._class_of(where) is not None and bool(self._class_of(where).bases)
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Attribute):
                        self.assigned_attributes.add(target.attr)
                        on_self = isinstance(target.value, ast.Name) and target.value.id in ("self", "cls")
                        if subclass or not on_self:
                            self.rebound_attributes.add(target.attr)
                    elif isinstance(target, ast.Name) and owner is not None and where \
                            and where[-1] == owner.name:
                        self.assigned_attributes.add(target.id)  # a class-body binding
                        if owner.bases:
                            self.rebound_attributes.add(target.id)
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            if isinstance(node, ast.Call):
                func = node.func
                if _name_of(func) in EXCEPTION_HANDLER_CALLS:
                    self.exception_handlers.update(a.id for a in node.args if isinstance(a, ast.Name))
                if isinstance(func, ast.Name):
                    self._add(func.id, where, in_lambda, True, handler, loop)
                elif isinstance(func, ast.Attribute):
                    self._add(func.attr, where, in_lambda, True, handler, loop)
                    stack.append((func.value, handler, loop))
                else:
                    stack.append((func, handler, loop))
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _name_of(func) in BY_NAME:
                        self._add(arg.value, where, in_lambda, False, handler, loop)  # getattr(obj, "name")
                    stack.append((arg, handler, loop))
                continue
            if isinstance(node, ast.Name):
                self._add(node.id, where, in_lambda, False, handler, loop)
                continue
            if isinstance(node, ast.Attribute):
                self._add(node.attr, where, in_lambda, False, handler, loop)
                stack.append((node.value, handler, loop))
                continue
            if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                for child in node.body:
                    stack.append((child, handler, loop))
                for h in node.handlers:
                    stack.append((h, True, loop))
                for child in node.orelse:
                    stack.append((child, handler, loop))
                for child in node.finalbody:
                    stack.append((child, True, loop))
                continue
            looped = loop or isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp,
                                               ast.DictComp, ast.GeneratorExp))
            for child in ast.iter_child_nodes(node):
                stack.append((child, handler, looped))


class ProjectCallGraph:
    """The call graph of one project (the tree below its root), answered by name."""

    def __init__(self, root: Optional[Path]) -> None:
        #: None: a file outside any project (stdin), whose own functions are all it shows
        self.root = root
        self._sources: Optional[Dict[Path, bytes]] = None
        self._listed = False
        self._files: Dict[Path, Optional[_FileGraph]] = {}
        self._sites: Dict[str, Optional[List[CallSite]]] = {}
        #: files whose content an answer depended on, per name asked
        self._read: Dict[str, Tuple[Path, ...]] = {}
        #: function name -> the files that may define it (`definitions`)
        self._definers: Optional[Dict[str, List[Path]]] = None
        #: word -> the project files whose bytes hold it (`files_containing`)
        self._containing: Dict[str, Tuple[Path, ...]] = {}
        #: every ASCII word of the project -> the files that hold it, built once many words
        #: have been asked (one pass over the project instead of one per word)
        self._words: Optional[Dict[bytes, List[Path]]] = None
        #: path -> what may be its import statements (`import_statements`)
        self._import_statements: Dict[Path, ImportStatements] = {}
        #: path -> where its lines at column 0 start (`top_lines`)
        self._top_lines: Dict[Path, List[int]] = {}

    # ---------------------------------------------------------------- files
    def sources(self) -> Optional[Dict[Path, bytes]]:
        """Every Python file of the project and its bytes (none for a folder without
        Python files); None when there are too many, or no project is known (stdin)."""
        if not self._listed:
            self._sources = project_sources(self.root) if self.root is not None else None
            self._listed = True
        return self._sources

    def files_containing(self, word: str) -> Optional[Tuple[Path, ...]]:
        """The project's files whose bytes hold the word `word` (not inside a longer word:
        every use of an identifier is one; kept per word); None when the project cannot be
        listed."""
        sources = self.sources()
        if sources is None:
            return None
        found = self._containing.get(word)
        if found is None:
            data = word.encode()
            if len(self._containing) >= _SCANS_BEFORE_INDEX and WORD.fullmatch(data):
                if self._words is None:
                    self._words = word_index(sources)
                found = tuple(self._words.get(data, ()))
            else:
                holds = word_search(word)
                found = tuple(path for path, text in sources.items() if data in text and holds(text))
            self._containing[word] = found
        return found

    def import_statements(self, path: Path) -> ImportStatements:
        """What may be each import statement of a project file (`words.import_statements`,
        kept: the project-wide questions ask a file about many words)."""
        found = self._import_statements.get(path)
        if found is None:
            found = self._import_statements[path] = import_statements((self.sources() or {}).get(path, b""))
        return found

    def top_lines(self, path: Path) -> List[int]:
        """Where each line of a project file that starts at column 0 starts (`words.top_lines`, kept)."""
        found = self._top_lines.get(path)
        if found is None:
            found = self._top_lines[path] = top_lines((self.sources() or {}).get(path, b""))
        return found

    def tree(self, path: Path) -> Optional[ast.Module]:
        """The interpreter's tree of a project file as it is on disk (not kept; the graph of
        the file is, when `file` built it); None when it does not parse."""
        parsed = self._files.get(path)
        if parsed is not None:
            return parsed.tree
        source = (self.sources() or {}).get(path)
        if source is None:
            return None
        try:
            return ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            return None

    def file(self, path: Path, text: Optional[str] = None, tree: Optional[ast.Module] = None) -> Optional[_FileGraph]:
        """The parsed file (`text` for the file being checked, whose text may not be on
        disk yet, and `tree` its ast when the caller has it); None when it does not parse."""
        if text is None and path in self._files:
            return self._files[path]
        source = text if text is not None else (self.sources() or {}).get(path)
        graph = None
        if tree is not None and text is not None:
            graph = _FileGraph(path, tree)
        elif source is not None:
            try:
                graph = _FileGraph(path, ast.parse(source))
            except (SyntaxError, ValueError, RecursionError):
                graph = None
        if text is None:
            self._files[path] = graph
        return graph

    def sites(self, name: str) -> Optional[List[CallSite]]:
        """Every occurrence of `name` in the project; None when a file that mentions it
        cannot be read or parsed, or the project cannot be listed."""
        if name in self._sites:
            return self._sites[name]
        sources = self.sources()
        found: Optional[List[CallSite]] = None
        read: List[Path] = []
        if sources is not None:
            word = name.encode()
            found = []
            for path, data in sources.items():
                if word not in data:
                    continue
                read.append(path)
                graph = self.file(path)
                if graph is None:
                    found = None
                    break
                found.extend(graph.occurrences.get(name, ()))
        self._sites[name] = found
        self._read[name] = tuple(read)
        return found

    def read_for(self, name: str) -> Tuple[Path, ...]:
        return self._read.get(name, ())

    # ---------------------------------------------------------------- questions
    def callers(self, graph: _FileGraph, fn: _Function, consulted: Set[Path]) -> Optional[List[CallSite]]:
        """The call sites of `fn` when the project shows all of them; None when some caller
        cannot be seen (see the module docstring)."""
        name = fn.path[-1]
        node = fn.node
        if any(_decorator_name(d) not in _PLAIN_DECORATORS for d in node.decorator_list):
            return None
        if fn.parent is not None and fn.owner is None:
            # a nested function: its name is seen only in the function around it
            prefix = fn.parent.path
            sites = [s for s in graph.occurrences.get(name, ()) if s.where[:len(prefix)] == prefix]
        else:
            if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                return None  # public, or a protocol method: called from outside the project
            if fn.owner is not None and not self._bases_in_project(graph, fn.owner, set()):
                return None  # may override a method a library calls
            sites = self.sites(name)
            consulted.update(self.read_for(name))
            if sites is None:
                return None
            if graph.path not in self.read_for(name):
                sites = sites + graph.occurrences.get(name, [])  # the checked file, not on disk as it is
        if any(not s.called or s.in_lambda for s in sites):
            return None
        return sites

    def _bases_in_project(self, graph: _FileGraph, cls: ast.ClassDef, seen: Set[int]) -> bool:
        """Every base of `cls` is `object` or a class of the project whose bases are too."""
        if id(cls) in seen:
            return True
        seen.add(id(cls))
        for base in cls.bases:
            if isinstance(base, ast.Name) and base.id == "object":
                continue
            found = self._project_class(graph, base)
            if found is None or not self._bases_in_project(found[0], found[1], seen):
                return False
        return True

    def _project_class(self, graph: _FileGraph, base: ast.expr) -> Optional[Tuple[_FileGraph, ast.ClassDef]]:
        """The project class a base names: one of the file, or one imported by name
        (`from myapp.base import Base`) from a module of the project."""
        if not isinstance(base, ast.Name):
            return None
        local = graph.classes.get(base.id)
        if local:
            return (graph, local[0]) if len(local) == 1 else None
        imported = graph.imports.get(base.id)
        if imported is None:
            return None
        module, _, cls_name = imported.rpartition(".")
        rel = module.replace(".", "/")
        for path in self.sources() or {}:
            posix = path.as_posix()
            if posix.endswith("/" + rel + ".py") or posix.endswith("/" + rel + "/__init__.py"):
                other = self.file(path)
                if other is not None and len(other.classes.get(cls_name, ())) == 1:
                    return other, other.classes[cls_name][0]
        return None

    def imported_call_sites(self, module: Optional[str], name: str, own: Path) -> List[CallSite]:
        """The calls of the module-level function `name` of `module` made by other files
        that import it by name (`from module import name`)."""
        if not module:
            return []
        target = f"{module}.{name}"
        out: List[CallSite] = []
        for site in self.sites(name) or ():
            if site.path == own or not site.called:
                continue
            graph = self.file(site.path)
            if graph is not None and graph.imports.get(name) == target:
                out.append(site)
        return out

    def definitions(self, name: str, consulted: Set[Path]) -> Optional[List[Tuple[_FileGraph, _Function]]]:
        """Every function and method of the project named `name`; None when a file that
        may define one cannot be parsed, or the project cannot be listed."""
        sources = self.sources()
        if sources is None and self.root is not None:
            return None
        if self._definers is None:
            self._definers = {}
            for path, data in (sources or {}).items():
                for found in set(_DEF.findall(data)):
                    self._definers.setdefault(found.decode("ascii", "replace"), []).append(path)
        out: List[Tuple[_FileGraph, _Function]] = []
        for path in self._definers.get(name, ()):
            consulted.add(path)
            graph = self.file(path)
            if graph is None:
                return None
            out.extend((graph, fn) for key, fns in graph.functions.items() if key[-1] == name for fn in fns)
        return out

    def reached_calls(self, graph: _FileGraph, names: Set[str], consulted: Set[Path]) -> Optional[FrozenSet[str]]:
        """`names` (what a function calls) and every name called by a project function of
        one of those names, transitively (`_MAX_DEPTH` levels): what the function may reach.
        Matched by name, so the answer over-approximates; None when some definition cannot
        be read. `graph` (the file being checked, which may differ from the disk) is searched
        for definitions too."""
        reached = set(names)
        frontier = set(names)
        for _ in range(_MAX_DEPTH):
            found: Set[str] = set()
            for name in frontier:
                definitions = self.definitions(name, consulted)
                if definitions is None:
                    return None
                own = [(graph, fn) for key, fns in graph.functions.items() if key[-1] == name for fn in fns]
                for where, fn in own + [(g, f) for g, f in definitions if g.path != graph.path]:
                    found |= where.called_in(fn.path)
            frontier = found - reached
            reached |= found
            if not frontier:
                break
        return frozenset(reached)

    def exception_in_flight(self, graph: _FileGraph, where: NamePath, consulted: Set[Path]) -> str:
        """Can an exception be being handled when the code at `where` runs? NO at module
        level and in a function whose every caller is known and none calls it inside an
        `except` block or `finally` clause (nor from a helper that such a caller reaches);
        YES when a caller does; UNKNOWN when some caller cannot be seen."""
        return self._in_flight(graph, where, consulted, 0, set())

    def _in_flight(self, graph: _FileGraph, where: NamePath, consulted: Set[Path], depth: int,
                   active: Set[Tuple[Path, NamePath]]) -> str:
        functions = _innermost_functions(graph, where)
        if functions is None:
            return NO  # module level or a class body: runs at import
        if depth > _MAX_DEPTH:
            return UNKNOWN
        key = (graph.path, functions[0].path)
        if key in active:
            return NO  # recursion adds no caller
        active.add(key)
        try:
            for fn in functions:
                if _handles_exceptions(graph, fn):
                    return YES
                sites = self.callers(graph, fn, consulted)
                if sites is None:
                    return UNKNOWN
                for site in sites:
                    if site.in_handler:
                        return YES
                    if site.at_import:
                        continue
                    caller_graph = graph if site.path == graph.path else self.file(site.path)
                    if caller_graph is None:
                        return UNKNOWN
                    # a caller whose own callers cannot be seen is a known caller outside a
                    # handler; a helper with known callers passes on what they say
                    if self._in_flight(caller_graph, site.where, consulted, depth + 1, active) == YES:
                        return YES
            return NO
        finally:
            active.discard(key)


def _innermost_functions(graph: _FileGraph, where: NamePath) -> Optional[List[_Function]]:
    """The definitions of the innermost function `where` is in; None when it is module
    level or a class body (code that runs at import)."""
    for end in range(len(where), 0, -1):
        found = graph.functions.get(where[:end])
        if found:
            return found
    return None


def _handles_exceptions(graph: _FileGraph, fn: _Function) -> bool:
    """Is `fn` registered as an exception handler (`EXCEPTION_HANDLER_DECORATORS`, or passed
    by name to one of `EXCEPTION_HANDLER_CALLS` in its file)? The framework calls it inside
    its `except` block."""
    if any(_decorator_name(d) in EXCEPTION_HANDLER_DECORATORS for d in fn.node.decorator_list):
        return True
    return fn.parent is None and fn.owner is None and fn.path[-1] in graph.exception_handlers


def _name_of(expr: ast.expr) -> Optional[str]:
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else None


def _decorator_name(dec: ast.expr) -> Optional[str]:
    return _name_of(dec.func if isinstance(dec, ast.Call) else dec)


#: words searched file by file before `files_containing` indexes every word of the project
_SCANS_BEFORE_INDEX = 16


def project_root(top: Path) -> Path:
    """The project a package belongs to: the nearest folder at or up to two levels above
    `top` (the folder above the top package) with a project marker, else `top`."""
    folder = top
    for _ in range(3):
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return top


#: the sources of the projects read most recently in this process (`project_sources`)
_SOURCES: Dict[Path, Optional[Dict[Path, bytes]]] = {}


def project_sources(root: Path) -> Optional[Dict[Path, bytes]]:
    """Every Python file below `root` (folders of code only) and its bytes, in the order
    `os.walk` lists them; None when there are more than MAX_FILES. Read once per project
    and process: the call graph, attribute provenance and the project-wide facts
    (`project.scan_project`) all search these bytes (the most recent two projects kept)."""
    if root in _SOURCES:
        found = _SOURCES.pop(root)
    else:
        found = {}
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
            for name in names:
                if name.endswith(".py"):
                    path = Path(folder, name)
                    try:
                        found[path] = path.read_bytes()
                    except OSError:
                        continue
                    if len(found) > MAX_FILES:
                        found = None
                        break
            if found is None:
                break
    _SOURCES[root] = found
    while len(_SOURCES) > 2:
        _SOURCES.pop(next(iter(_SOURCES)))
    return found


_GRAPHS: Dict[Path, ProjectCallGraph] = {}


def graph_for(top: Optional[Path]) -> ProjectCallGraph:
    """The call graph of the project `top` (the folder above a file's top package) is in,
    one per project per process (the most recent two kept: their sources stay in memory);
    for None, a graph that knows no file but the one asked about."""
    if top is None:
        return ProjectCallGraph(None)
    root = project_root(top.absolute())
    graph = _GRAPHS.pop(root, None) or ProjectCallGraph(root)
    _GRAPHS[root] = graph
    while len(_GRAPHS) > 2:
        _GRAPHS.pop(next(iter(_GRAPHS)))
    return graph


def name_path(names: Sequence[Optional[str]]) -> Optional[NamePath]:
    """The path of a position from its enclosing class and function names; None inside a
    lambda (a callback)."""
    if any(n is None for n in names):
        return None
    return tuple(n for n in names if n is not None)


__all__ = ["BY_NAME", "CallSite", "ProjectCallGraph", "graph_for", "name_path", "project_root", "YES", "NO", "UNKNOWN"]
