"""Calls of a library's API anywhere in the project: which modules configure a logging
library (`structlog.configure(...)`, loguru's `logger.remove()`), and with what.

A rule about configuration often depends on what other modules of the same program do
(loguru's default sink removed in `main.py` before `cli.py` adds a console sink; the
processors `structlog.configure` installs in `app/logging.py` decide which keys a call in
`app/views.py` may pass). The files are the call graph's (`callgraph.ProjectCallGraph`):
read once per run, searched for the library's name as bytes, and only those parsed, with
the interpreter's `ast`. Names are resolved through the file's imports only
(`from structlog import configure`, `import structlog as sl`); what an import cannot name
(a logger passed around, a chain built elsewhere) is left to the rule as unknown.

The environment a program starts with is read from the files that set it
(`environment_mentions`): `.env` files, Dockerfiles, Procfiles, compose and CI files,
shell scripts, systemd units.
"""

from __future__ import annotations

import ast
import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterator, List, Mapping, Optional, Sequence, Tuple

from logcheck.semantics.callgraph import NamePath, ProjectCallGraph
from logcheck.semantics.project import _NOT_PROJECT as NOT_PROJECT


@dataclass(frozen=True)
class ProjectCall:
    """One call, in one file of the project, of a method or function by its last name."""

    path: Path
    node: ast.Call
    #: the enclosing classes and functions (empty: runs when the module is imported)
    where: NamePath
    #: the file's imports: local name -> qualified name
    imports: Mapping[str, str] = field(repr=False, compare=False)

    @property
    def qualified(self) -> Optional[str]:
        """The called name as the file's imports qualify it (`structlog.configure`,
        `loguru.logger.remove`); None when an import does not name it."""
        return self.resolve(self.node.func)

    def resolve(self, expr: ast.AST) -> Optional[str]:
        """The qualified name of a name or attribute chain (or of what a call calls)."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        if isinstance(expr, ast.Name):
            return self.imports.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.resolve(expr.value) if not isinstance(expr.value, ast.Call) else None
            return f"{base}.{expr.attr}" if base is not None else None
        return None

    def keyword(self, name: str) -> Optional[ast.expr]:
        return next((k.value for k in self.node.keywords if k.arg == name), None)

    @property
    def has_star_keywords(self) -> bool:
        return any(k.arg is None for k in self.node.keywords)


def file_imports(tree: ast.Module) -> Dict[str, str]:
    """local name -> qualified name, for every absolute import of the file (any scope)."""
    out: Dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    out[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def _calls(tree: ast.Module, names: FrozenSet[str]) -> Iterator[Tuple[ast.Call, NamePath]]:
    """Every call of a function or method whose last name is in `names`, with where it is."""
    stack: List[Tuple[ast.AST, NamePath]] = [(tree, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, ast.Call):
            func = node.func
            last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if last in names:
                yield node, where
        inner = where + (node.name,) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                          ast.ClassDef)) else where
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def calls_in_project(graph: ProjectCallGraph, own_path: Optional[Path], own_tree: ast.Module,
                     library: str, names: FrozenSet[str], read: List[Path]) -> Optional[List[ProjectCall]]:
    """The calls of `names` in the project's files that name `library` (the file being
    checked from `own_tree`, its current text), in file order; every file that names the
    library is added to `read` (the answer depends on it). None when the project's files cannot all be listed or one that names the
    library does not parse. A graph of no project (stdin) has the checked file only."""
    found: List[ProjectCall] = []
    imports = file_imports(own_tree)
    found.extend(ProjectCall(own_path or Path("-"), node, where, imports) for node, where in _calls(own_tree, names))
    if graph.root is None:
        return found
    sources = graph.sources()
    if sources is None:
        return None
    word = library.encode()
    for path, data in sources.items():
        if path == own_path or word not in data:
            continue
        read.append(path)  # a file that names the library may start calling `names`
        if not any(n.encode() in data for n in names):
            continue
        parsed = graph.file(path)
        if parsed is None:
            return None
        imports = file_imports(parsed.tree)
        found.extend(ProjectCall(path, node, where, imports) for node, where in _calls(parsed.tree, names))
    return found


#: files that set a program's environment, by name
_ENVIRONMENT_FILES = re.compile(
    r"(\.env(\..*)?|.*\.env|Dockerfile.*|.*\.Dockerfile|Procfile.*|.*\.ya?ml|.*\.toml|.*\.ini|.*\.cfg|.*\.conf"
    r"|.*\.sh|.*\.service|Makefile|.*\.mk|.*\.json)", re.IGNORECASE)
#: environment files larger than this are not read (not written by hand)
_MAX_SIZE = 1_000_000
#: at most this many environment files are read; a project with more is unknown
_MAX_FILES = 5000
#: answers per graph (a graph lives as long as its run keeps it) and variable
_MENTIONS: "weakref.WeakKeyDictionary[ProjectCallGraph, Dict[str, Optional[Tuple[Path, ...]]]]" = \
    weakref.WeakKeyDictionary()


def environment_mentions(graph: ProjectCallGraph, word: str) -> Optional[Tuple[Path, ...]]:
    """The project's files that mention `word` (an environment variable's name): its
    Python sources and the files that set a program's environment. None when the project
    cannot be listed; a graph of no project mentions nothing."""
    if graph.root is None:
        return ()
    known = _MENTIONS.setdefault(graph, {})
    if word in known:
        return known[word]
    sources = graph.sources()
    found: Optional[List[Path]] = None
    if sources is not None:
        needle = word.encode()
        found = [path for path, data in sources.items() if needle in data and _names_variable(graph, path, word)]
        count = 0
        for folder, dirs, files in os.walk(graph.root):
            dirs[:] = [d for d in dirs if d not in NOT_PROJECT and not d.endswith(".egg-info")]
            for name in files:
                if not _ENVIRONMENT_FILES.fullmatch(name):
                    continue
                count += 1
                if count > _MAX_FILES:
                    found = None
                    break
                path = Path(folder, name)
                try:
                    if path.stat().st_size <= _MAX_SIZE and needle in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue
            if found is None:
                break
    known[word] = tuple(found) if found is not None else None
    return known[word]


def _names_variable(graph: ProjectCallGraph, path: Path, word: str) -> bool:
    """The Python file uses the string `word` as a key or an argument (`os.environ[...]`,
    `setdefault(...)`, `{...: value}`, `getenv(...)`), not only as text; True when it
    does not parse (unknown)."""
    parsed = graph.file(path)
    if parsed is None:
        return True
    for node in ast.walk(parsed.tree):
        keys: List[ast.AST] = []
        if isinstance(node, ast.Subscript):
            keys = [node.slice]
        elif isinstance(node, ast.Call):
            keys = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Dict):
            keys = [k for k in node.keys if k is not None]
        if any(isinstance(k, ast.Constant) and k.value == word for k in keys):
            return True
    return False


def literal_sequence(expr: Optional[ast.expr]) -> Optional[Sequence[ast.expr]]:
    """The elements of a list or tuple literal; None for anything else."""
    return list(expr.elts) if isinstance(expr, (ast.List, ast.Tuple)) else None


__all__ = ["ProjectCall", "calls_in_project", "environment_mentions", "file_imports", "literal_sequence"]
