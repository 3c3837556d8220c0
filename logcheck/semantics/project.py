"""The project index: what the project's own modules export, so that `from myapp.log
import logger` or `from .util import get_logger` followed by `get_logger(__name__)` is
followed to its definition.

Modules are found on disk by their dotted name below the search roots (the folder above a
file's top package, the settings root and its `src/`), parsed on first use only (a file
that imports nothing from the project costs nothing) and kept for the run. Every answer
records which files it read (`Semantics.dependencies()`), so the result cache can tell when
a file's findings must be recomputed because a module it depends on changed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from logcheck.semantics import callgraph
from logcheck.semantics.modules import ModuleFinder, absolute_module, package_root, search_roots
from logcheck.semantics.provenance import _UNRESOLVED, Origin, Semantics
from logcheck.semantics.scopes import ASSIGN, DEFINITION, IMPORT

#: project modules kept parsed per run (the most recently used)
MAX_MODULES = 256
#: an attribute assigned in more project files than this is not followed (unknown)
MAX_ATTRIBUTE_FILES = 40


class ProjectIndex:
    def __init__(self, roots: Iterable[Path], conventional: Iterable[str], factories: Iterable[str] = ()) -> None:
        seen: List[Path] = []
        for root in roots:
            root = Path(root).absolute()
            if root not in seen and root.is_dir():
                seen.append(root)
        self.roots: Tuple[Path, ...] = tuple(seen)
        self.conventional = tuple(conventional)
        self.factories = tuple(factories)
        self._finder = ModuleFinder(self.roots)
        self._modules: Dict[Path, Optional[Semantics]] = {}
        #: the text each parsed module was parsed from
        self._texts: Dict[Path, str] = {}
        #: the file being checked in this process, its text and its tree (`share_tree`)
        self._checking: Optional[Tuple[Path, str, object]] = None
        self._exporting: Set[Tuple[str, str]] = set()
        self._facts: Dict[Path, ProjectFacts] = {}
        #: attribute name -> the project files that assign it, parsed (None: cannot be followed)
        self._assigning: Dict[Tuple[str, Optional[str]], Optional[List[Semantics]]] = {}

    # ---------------------------------------------------------------- modules
    def module_path(self, name: str) -> Optional[Path]:
        return self._finder.module_path(name)

    def has_module(self, name: str) -> bool:
        return self.module_path(name) is not None

    def is_package(self, name: str) -> bool:
        path = self.module_path(name)
        return path is not None and path.name == "__init__.py"

    def is_project_name(self, qualified: str) -> bool:
        """Is the top package of `qualified` one of the project's?"""
        return self.has_module(qualified.split(".")[0])

    def semantics(self, name: str) -> Optional[Semantics]:
        path = self.module_path(name)
        if path is None:
            return None
        return self._parse(path, name)

    def _parse(self, path: Path, name: Optional[str]) -> Optional[Semantics]:
        if path in self._modules:
            sem = self._modules.pop(path)
            self._modules[path] = sem  # most recently used last
            return sem
        import libcst as cst

        from logcheck.source.parse import parse_module
        from logcheck.source.text import DecodeError, decode_source

        sem = None
        try:
            text = decode_source(path.read_bytes()).text
            checking = self._checking
            # the file being checked, unchanged on disk: the same text parses to the same tree
            module = checking[2] if checking is not None and checking[0] == path and checking[1] == text \
                else parse_module(text)
        except (OSError, DecodeError, cst.ParserSyntaxError, RecursionError):
            pass  # unreadable or unparsable: its exports cannot be followed (unknown)
        else:
            sem = Semantics(module, self.conventional, self, name, self.factories, text)
            sem.path = path
            self._texts[path] = text
        self._modules[path] = sem
        if len(self._modules) > MAX_MODULES:
            oldest = next(iter(self._modules))
            del self._modules[oldest]
            self._texts.pop(oldest, None)
        return sem

    def share_tree(self, path: Path, text: str, parse: Callable[[str], Any]) -> Any:
        """The tree of the file being checked (`path`, absolute, holding `text`): the one
        this index parsed from the same text, else `parse(text)`. It is kept until the
        next file, so a question about the file itself (an attribute assigned in it) does
        not parse it again. One parse per file and process."""
        sem = self._modules.get(path)
        module = sem.module if sem is not None and self._texts.get(path) == text else parse(text)
        self._checking = (path, text, module)
        return module

    # ---------------------------------------------------------------- exports
    def export_origin(self, module: str, name: str, asker: Optional[Semantics] = None) -> Optional[Origin]:
        """Origin of the module-level `name` of project module `module`; None when it is
        not a logger (a function, a class, a submodule, a literal)."""
        if self.has_module(f"{module}.{name}"):
            return None
        return self._ask(module, name, asker, lambda sem: sem._name_origin(name, [sem.table.root]))

    def call_origin(self, module: str, name: str, asker: Optional[Semantics] = None) -> Optional[Origin]:
        """What calling the module-level `name` of project module `module` returns."""
        def returns(sem: Semantics) -> Optional[Origin]:
            bindings = sem.table.root.bindings.get(name, [])
            if bindings and all(b.kind == DEFINITION for b in bindings):
                return sem._combine(sem._callable_origin(b.node) for b in bindings)
            if len(bindings) == 1 and bindings[0].kind in (IMPORT, ASSIGN):
                # `from x import f` or `get_logger = logging.getLogger`: follow the alias
                b = bindings[0]
                target = sem.qualified_import(b) if b.kind == IMPORT else (
                    sem.imported_name(b.value) if b.value is not None else None)
                if target is not None:
                    return sem._call_origin_of(target)
            return _UNRESOLVED
        return self._ask(module, "()" + name, asker, returns)

    def attribute_origin(self, attr: str, asker: Semantics, rebound_in: Optional[str] = None) -> Optional[Origin]:
        """Every assignment to an attribute named `attr` in the project (`x.attr = v`,
        `self.attr = v`, `attr = v` in a class body), the asking module's own included,
        combined as the bindings of one name are; `_MISSING` when there is none. The files
        read become dependencies of `asker`. `rebound_in` (a class name): only the files
        that may rebind that class's attribute are read: an assignment on an object other
        than `self`/`cls`, or one in a file that names the class (a subclass)."""
        if ("attribute", attr) in self._exporting:
            return _UNRESOLVED  # `self.log = parent.log`: cannot be followed
        others = self._attribute_modules(attr, rebound_in)
        if others is None:
            return _UNRESOLVED
        own = getattr(asker, "file_path", None) or asker.path
        origins: List[Optional[Origin]] = []
        self._exporting.add(("attribute", attr))
        try:
            origins.extend(asker.attribute_assignments(attr))
            for sem in others:
                if sem.path == own:
                    continue
                asker.consulted[sem.path] = sem
                origins.extend(sem.attribute_assignments(attr))
        finally:
            self._exporting.discard(("attribute", attr))
        return Semantics.combine_assignments(origins)

    def _attribute_modules(self, attr: str, rebound_in: Optional[str]) -> Optional[List[Semantics]]:
        """The parsed project files that assign `attr` (found by a byte search, a pattern,
        then the interpreter's ast; at most MAX_ATTRIBUTE_FILES); None when they cannot
        all be read."""
        key = (attr, rebound_in)
        if key in self._assigning:
            return self._assigning[key]
        found: Optional[List[Semantics]] = None
        graph = callgraph.graph_for(self.roots[0]) if self.roots else None
        sources = graph.sources() if graph is not None else None
        if sources is not None:
            word = attr.encode()
            named = rebound_in.encode() if rebound_in else b""

            def candidate(data: bytes) -> bool:
                if word not in data:
                    return False
                if rebound_in is None:
                    return _assigned(data, word, on_other_only=False)
                return _assigned(data, word, on_other_only=True) or (
                    named in data and _assigned(data, word, on_other_only=False))

            paths = [path for path, data in sources.items()
                     if candidate(data) and _assigns_attribute(graph, path, attr, rebound_in is not None)]
            if len(paths) <= MAX_ATTRIBUTE_FILES:
                found = []
                for path in paths:
                    sem = self.semantics_at(path)
                    if sem is None:
                        found = None
                        break
                    found.append(sem)
        self._assigning[key] = found
        return found

    def semantics_at(self, path: Path) -> Optional[Semantics]:
        """The semantics of a project file by its path (under its module name when the
        roots reach it)."""
        top, name = package_root(path)
        if name and self.module_path(name) == path:
            return self.semantics(name)
        return self._parse(path, name or None)

    def _ask(self, module: str, key: str, asker: Optional[Semantics],
             question: Callable[[Semantics], Optional[Origin]]) -> Optional[Origin]:
        """Answer `question` about project module `module`, recording it as a dependency
        of `asker`; an import cycle (the same question asked again meanwhile) or a module
        that cannot be read cannot be followed."""
        if (module, key) in self._exporting:
            return _UNRESOLVED
        sem = self.semantics(module)
        if sem is None:
            return _UNRESOLVED
        if asker is not None:
            asker.consulted[sem.path] = sem
        self._exporting.add((module, key))
        try:
            return question(sem)
        finally:
            self._exporting.discard((module, key))



    # ---------------------------------------------------------------- project-wide facts
    def facts(self, path: Path) -> "ProjectFacts":
        """What the project of the file at `path` does that changes logging for every
        module (read once per project and run: one pass over the bytes of its files,
        `ast` only for the few that hold a needle)."""
        root = project_root(path)
        found = self._facts.get(root)
        if found is None:
            found = self._facts[root] = scan_project([root])
        return found


@dataclass(frozen=True)
class ProjectFacts:
    #: the project installs a logger class other than `logging.Logger` (`setLoggerClass`):
    #: loggers made by `getLogger` after that are of its class, which may format on its own
    logger_class: bool = False
    #: the project installs a record factory (`setLogRecordFactory`): every record may be
    #: made (and its message formatted) by project code
    record_factory: bool = False
    #: dotted names of the modules some project module imports with `from x import *`
    star_imported: FrozenSet[str] = frozenset()
    #: the files these facts come from (dependencies of every answer that used them)
    files: Tuple[Path, ...] = ()


#: folders never part of a project's own code (as `settings.model.DEFAULT_EXCLUDE`)
_NOT_PROJECT = frozenset({".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", "env", "build", "dist",
                          "__pycache__", "node_modules", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
                          ".ruff_cache", ".logcheck_cache", "site-packages", "__pypackages__", ".eggs"})
#: at most this many files are read for project-wide facts (a root that is not a project,
#: such as a home or temp folder, stops there)
MAX_SCANNED_FILES = 20000


#: files that mark the top folder of a project
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def project_root(path: Path) -> Path:
    """The project a file belongs to: the nearest folder above it with a project marker
    (`pyproject.toml`, `setup.py`, `setup.cfg`, `.git`), else the folder above its top
    package."""
    path = path.absolute()
    for folder in path.parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return package_root(path)[0]


def scan_project(roots: Sequence[Path]) -> ProjectFacts:
    logger_class = record_factory = False
    star: Set[str] = set()
    files: List[Path] = []
    for path, data in _project_files(roots):
        one = file_facts(data, path)
        if one is not None:
            logger_class |= one.logger_class
            record_factory |= one.record_factory
            star |= one.star_imported
            files.append(path)
    return ProjectFacts(logger_class, record_factory, frozenset(star), tuple(files))


def _project_files(roots: Sequence[Path]) -> Iterator[Tuple[Path, bytes]]:
    """The project's own Python files and their bytes (at most MAX_SCANNED_FILES): taken
    from the call graph's read of the project (`callgraph.project_sources`, one read per
    project and process), else read here."""
    seen: Set[Path] = set()
    count = 0
    for root in roots:
        sources = callgraph.project_sources(root)
        # the call graph's walk prunes fewer folders: keep the files of folders of code
        listed = ((p, d) for p, d in sources.items() if _in_project_folder(p, root)) if sources is not None \
            else _read_project(root)
        for path, data in listed:
            if path in seen:
                continue
            seen.add(path)
            count += 1
            if count > MAX_SCANNED_FILES:
                return
            if data is not None:
                yield path, data


def _read_project(root: Path) -> Iterator[Tuple[Path, Optional[bytes]]]:
    """The Python files below `root` and their bytes (None: unreadable)."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _NOT_PROJECT and not d.startswith(".") and not d.endswith(".egg-info")]
        for name in names:
            if name.endswith(".py"):
                path = Path(folder, name)
                try:
                    yield path, path.read_bytes()
                except OSError:
                    yield path, None


def _in_project_folder(path: Path, root: Path) -> bool:
    """Is `path` below no folder that `scan_project`'s walk leaves out?"""
    folders = path.parent.relative_to(root).parts
    return not any(d in _NOT_PROJECT or d.startswith(".") or d.endswith(".egg-info") for d in folders)


def file_facts(data: "str | bytes", path: Optional[Path]) -> Optional[ProjectFacts]:
    """The project-wide facts one file contributes, None when it contributes none."""
    import ast

    needles = ("setLoggerClass", "setLogRecordFactory", "import *")
    if isinstance(data, bytes):
        if not any(n.encode() in data for n in needles):
            return None
    elif not any(n in data for n in needles):
        return None
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError):
        return None
    logger_class = record_factory = False
    star: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            if path is not None or not node.level:
                star.add(absolute_module(path, node.level, node.module or "") if path else node.module or "")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == "setLogRecordFactory":
                record_factory = True
            elif called == "setLoggerClass" and ast.unparse(node.args[0]) not in ("logging.Logger", "Logger"):
                logger_class = True
    if not (logger_class or record_factory or star):
        return None
    return ProjectFacts(logger_class, record_factory, frozenset(star))


#: what follows an attribute name that is assigned: an annotation, then `=` (not `==`)
_ASSIGNED_TAIL = rb"\s*(?::[^=\n]*)?=(?!=)"
_WHITESPACE = frozenset(b" \t\n\r\f\v")  # the bytes `\s` matches


def _assigned(data: bytes, word: bytes, on_other_only: bool) -> bool:
    r"""Is `word` assigned as an attribute in `data`: `.word = ` after any whitespace, or
    `word = ` indented at the start of a line (a class body); with `on_other_only`,
    `.word = ` directly after an object other than `self`/`cls`. The byte patterns
    `(?:\.\s*|^[ \t]+)word<tail>` (multiline) and `(?<!self)(?<!cls)\.word<tail>`, searched
    from the occurrences of `word` (a literal the search finds fast) instead of from every
    byte of the file."""
    if any(word[i:] == word[:len(word) - i] for i in range(1, len(word))):
        # occurrences may overlap, which a search from the occurrences would skip
        head = rb"(?<!self)(?<!cls)\." if on_other_only else rb"(?:\.\s*|^[ \t]+)"
        return re.search(head + re.escape(word) + _ASSIGNED_TAIL, data, re.MULTILINE) is not None
    for match in re.finditer(re.escape(word) + rb"(?=" + _ASSIGNED_TAIL + rb")", data):
        start = match.start()
        if on_other_only:
            if start and data[start - 1] == 0x2E and not data.endswith(b"self", 0, start - 1) \
                    and not data.endswith(b"cls", 0, start - 1):
                return True
            continue
        before = start
        while before and data[before - 1] in _WHITESPACE:
            before -= 1
        if before and data[before - 1] == 0x2E:  # `.` then whitespace
            return True
        line = start
        while line and data[line - 1] in b" \t":
            line -= 1
        if line < start and (not line or data[line - 1] == 0x0A):  # indented at a line's start
            return True
    return False


def _assigns_attribute(graph: "callgraph.ProjectCallGraph", path: Path, attr: str, rebound_only: bool) -> bool:
    """On the interpreter's ast (the call graph's parse, about nine times cheaper than
    libcst's): does the file assign an attribute `attr` or bind it in a class body (with
    `rebound_only`, where it may rebind another class's)? True when it does not parse
    (libcst then decides)."""
    parsed = graph.file(path)
    return parsed is None or attr in (parsed.rebound_attributes if rebound_only else parsed.assigned_attributes)


_INDEXES: Dict[Tuple[Path, ...], ProjectIndex] = {}


def index_for(path: Path, settings) -> Tuple[ProjectIndex, str]:
    """The index a file's imports resolve in (one per set of search roots per process), and
    the file's own dotted module name."""
    roots = search_roots(path, settings)
    factories = tuple(getattr(settings, "logger_factories", ()))
    key = tuple(roots) + (tuple(settings.logger_names), factories)  # type: ignore[operator]
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = ProjectIndex(roots, settings.logger_names, factories)
    return index, package_root(path)[1]


def dependencies(sem: Semantics) -> Sequence[Path]:
    """Every project file whose content the answers about `sem`'s module depended on."""
    out: Dict[Path, None] = {}
    stack = list(sem.consulted.values())
    while stack:
        other = stack.pop()
        path = getattr(other, "path", None)
        if path is None or path in out:
            continue
        out[path] = None
        stack.extend(other.consulted.values())
    return list(out)
