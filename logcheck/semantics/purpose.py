"""What a file, and the code in it, is for: library code, a program, a test, a migration.

Rules about output (LC401-LC403), swallowed exceptions (LC307) and configuration
(LC504/LC507) are right in library and service code and wrong where printing or
configuring logging is the point of the code. This module answers that question once:

- per project (the nearest folder above a file holding `pyproject.toml`, `setup.cfg` or
  `setup.py`, cached per folder): the application entry points its manifest declares:
  `[project.scripts]`, `[project.gui-scripts]`, the `console_scripts`/`gui_scripts` groups
  of `[project.entry-points]`, `[tool.poetry.scripts]`, `console_scripts` in `setup.cfg`
  and in a literal `entry_points=` of `setup.py`. Plugin groups (`pytest11`,
  `flake8.extension`, ...) are not programs: their code runs inside someone else's process.
- per file (`FilePurpose`, computed once per file): whether the module runs as a program
  (`__main__.py`, or a `__main__` guard in a module that parses a command line with
  argparse, click, typer, ...), whether it is an Alembic or Django migration;
- per top-level function, asked when a rule needs it (`is_program_function`, with the facts
  of `semantics.programs` and the project's call graph): whether it is program code: an
  entry point (the manifest's, or one the module-level code of a `__main__.py` calls), a
  command (registered with a CLI framework, or held by a dispatch table
  that only program code uses), or a function used only from program code (within its
  file; across the project for a private one).
- per path (settings globs): tests (`test-paths`), files that are programs rather than
  importable library code (`application-paths`: examples, docs, tools, scripts, bin, CLI
  modules), files where printing is fine (`allow-print`, by default both of these).

This module imports no libcst at import time: the result cache asks `fingerprint` for
what it reads from disk without loading the rules.
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:  # pragma: no cover
    import libcst as cst

#: entry-point groups that are programs (the others are plugins loaded into a process)
PROGRAM_GROUPS: FrozenSet[str] = frozenset({"console_scripts", "gui_scripts"})
_MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py")


# --------------------------------------------------------------------------- project


@dataclass(frozen=True)
class Project:
    """What a project's manifests say about it."""

    #: the folder holding the manifests (None: no project found above the file)
    root: Optional[Path]
    #: module name -> attributes its program entry points name (`pkg.cli:main` -> {"main"})
    entry_points: Tuple[Tuple[str, FrozenSet[str]], ...] = ()

    def entries_of(self, modules: Iterable[str]) -> FrozenSet[str]:
        table = dict(self.entry_points)
        out: Set[str] = set()
        for module in modules:
            out |= table.get(module, frozenset())
        return frozenset(out)

    def is_entry_module(self, modules: Iterable[str]) -> bool:
        table = dict(self.entry_points)
        return any(m in table for m in modules)


@lru_cache(maxsize=1024)
def project_root(folder: Path) -> Optional[Path]:
    """The nearest folder at or above `folder` with a project manifest."""
    for candidate in (folder, *folder.parents):
        if any((candidate / name).is_file() for name in _MANIFESTS):
            return candidate
    return None


@lru_cache(maxsize=64)
def read_project(root: Optional[Path]) -> Project:
    """The project at `root`. Unreadable manifests count as declaring nothing: their own
    errors are reported where they are read (settings), not here."""
    if root is None:
        return Project(None)
    specs: List[str] = []
    specs += _pyproject_entry_points(root / "pyproject.toml")
    specs += _setup_cfg_entry_points(root / "setup.cfg")
    specs += _setup_py_entry_points(root / "setup.py")
    table: Dict[str, Set[str]] = {}
    for spec in specs:
        module, attr = _parse_entry_spec(spec)
        if module:
            table.setdefault(module, set()).update({attr} if attr else set())
    _follow_reexports(root, table)
    return Project(root, tuple(sorted((m, frozenset(a)) for m, a in table.items())))


#: how many `from .cli import main` steps an entry point is followed through
_REEXPORT_HOPS = 4


def _follow_reexports(root: Path, table: Dict[str, Set[str]]) -> None:
    """An entry point that names a re-export (`pkg.__main__:main` where `__main__.py` says
    `from .cli import main`) makes the function where it is defined an entry point too."""
    todo = [(module, attr, 0) for module, attrs in table.items() for attr in attrs]
    while todo:
        module, attr, hops = todo.pop()
        if hops >= _REEXPORT_HOPS:
            continue
        found = _reexport_source(root, module, attr)
        if found is not None and found[1] not in table.get(found[0], set()):
            table.setdefault(found[0], set()).add(found[1])
            todo.append((found[0], found[1], hops + 1))


def _module_file(root: Path, module: str) -> Optional[Path]:
    for base in (root, root / "src", root / "lib"):
        stem = base.joinpath(*module.split("."))
        for candidate in (stem.with_suffix(".py"), stem / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def _reexport_source(root: Path, module: str, attr: str) -> Optional[Tuple[str, str]]:
    """(module, name) that `module`'s top-level `from ... import` binds `attr` from."""
    path = _module_file(root, module)
    if path is None:
        return None
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        for alias in node.names:
            if (alias.asname or alias.name) != attr or alias.name == "*":
                continue
            if node.level:  # relative to the package, one level up per extra dot
                parts = package.split(".") if package else []
                if node.level - 1 > len(parts):
                    return None
                base = parts[:len(parts) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            return (source, alias.name) if source else None
    return None


def _parse_entry_spec(spec: str) -> Tuple[str, str]:
    """`"pkg.cli:main [extra]"` -> ("pkg.cli", "main"); the first name of a dotted
    attribute (`Class.method` -> `Class`) is what the module defines."""
    spec = re.sub(r"\[.*\]\s*$", "", spec).strip()
    module, _, attr = spec.partition(":")
    return module.strip(), attr.strip().split(".")[0]


def _pyproject_entry_points(path: Path) -> List[str]:
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    tables = [project.get("scripts"), project.get("gui-scripts")]
    groups = project.get("entry-points")
    if isinstance(groups, dict):
        tables += [groups.get(g) for g in PROGRAM_GROUPS]
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    tables.append(poetry.get("scripts"))
    out = []
    for table in tables:
        if isinstance(table, dict):
            for value in table.values():
                if isinstance(value, str):
                    out.append(value)
                elif isinstance(value, dict) and isinstance(value.get("reference"), str):
                    out.append(value["reference"])  # poetry's long form
    return out


def _entry_lines(text: str) -> List[str]:
    """`name = module:attr` lines (setup.cfg and setup.py's string form) -> the specs."""
    return [line.partition("=")[2].strip() for line in text.splitlines() if "=" in line]


def _setup_cfg_entry_points(path: Path) -> List[str]:
    if not path.is_file():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, configparser.Error):
        return []
    if not parser.has_section("options.entry_points"):
        return []
    out: List[str] = []
    for group in PROGRAM_GROUPS:
        if parser.has_option("options.entry_points", group):
            out += _entry_lines(parser.get("options.entry_points", group))
    return out


def _setup_py_entry_points(path: Path) -> List[str]:
    """The program groups of a literal `entry_points=` keyword of a `setup(...)` call."""
    if not path.is_file():
        return []
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    out: List[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "entry_points":
                continue
            try:
                value = ast.literal_eval(keyword.value)
            except ValueError:
                continue
            if not isinstance(value, dict):
                continue
            for group in PROGRAM_GROUPS:
                entries = value.get(group)
                if isinstance(entries, str):
                    out += _entry_lines(entries)
                elif isinstance(entries, (list, tuple)):
                    out += [e.partition("=")[2].strip() for e in entries if isinstance(e, str)]
    return out


def module_names(path: Path, root: Optional[Path]) -> Tuple[str, ...]:
    """The dotted names a file may be imported as: its path from the project root (with
    and without a leading `src`/`lib` folder) and its package chain (`__init__.py` files)."""
    path = path.resolve()
    parts = list(path.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    names = set()
    package = [parts[-1]] if parts else []
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder != folder.parent:
        package.insert(0, folder.name)
        folder = folder.parent
    names.add(".".join(package))
    if root is not None:
        try:
            rel = list(path.with_suffix("").relative_to(root.resolve()).parts)
        except ValueError:
            rel = []
        if rel and rel[-1] == "__init__":
            rel.pop()
        if rel:
            names.add(".".join(rel))
            if rel[0] in ("src", "lib") and len(rel) > 1:
                names.add(".".join(rel[1:]))
    names.discard("")
    return tuple(sorted(names))


@lru_cache(maxsize=1024)
def is_migration_folder(folder: Path) -> bool:
    """An Alembic `versions/` folder (beside `env.py`, `alembic.ini` or `script.py.mako`)."""
    if folder.name != "versions":
        return False
    parent = folder.parent
    return any((parent / name).is_file() for name in ("env.py", "alembic.ini", "script.py.mako")) \
        or (parent.parent / "alembic.ini").is_file()


def is_migration(path: Path) -> bool:
    """A database migration: a file in an Alembic `versions/` folder, Alembic's `env.py`
    beside one, or a file in a Django `migrations/` package."""
    return _is_migration_in(path.resolve().parent, path.name == "env.py")


@lru_cache(maxsize=1024)
def _is_migration_in(folder: Path, env_py: bool) -> bool:
    if is_migration_folder(folder):
        return True
    if env_py and is_migration_folder(folder / "versions"):
        return True
    return folder.name == "migrations" and (folder / "__init__.py").is_file()


def project_of(path: Path) -> Project:
    return read_project(project_root(Path(path).resolve().parent))


def fingerprint(path: Path) -> bytes:
    """What this module reads from disk besides the file itself, as bytes for the result
    cache key: a changed entry point or a new `alembic.ini` changes the results."""
    path = Path(path)
    # a file that is no symlink resolves to its resolved folder (one lstat, not a realpath)
    folder = path.resolve().parent if os.path.islink(path) else _resolved(path.parent.absolute())
    return _folder_fingerprint(folder, path.name == "env.py")


def manifest_files(path: Path) -> Tuple[str, ...]:
    """The project manifests the entry points of `path`'s project are read from, for the
    result cache's dependencies: a run that answers a file from its size and modification
    time must still see a changed `[project.scripts]`."""
    return _manifests_of(_resolved(Path(path).parent.absolute()))


@lru_cache(maxsize=1024)
def _manifests_of(folder: Path) -> Tuple[str, ...]:
    root = project_root(folder)
    return () if root is None else tuple(str(root / name) for name in _MANIFESTS if (root / name).is_file())


@lru_cache(maxsize=1024)
def _resolved(folder: Path) -> Path:
    """An absolute folder, resolved (memoised: the files of a run share few folders)."""
    return folder.resolve()


@lru_cache(maxsize=1024)
def _folder_fingerprint(folder: Path, env_py: bool) -> bytes:
    # what `fingerprint` hashes depends on the file's folder and on whether it is an `env.py`
    project = read_project(project_root(folder))
    return hashlib.blake2b(repr((str(project.root), project.entry_points, _is_migration_in(folder, env_py)))
                           .encode(), digest_size=8).digest()


# --------------------------------------------------------------------------- file


def name_words(name: str) -> List[str]:
    """The words of an identifier, lower case: `_handle_print` -> ["handle", "print"],
    `tearDown` -> ["tear", "down"], `__exit__` -> ["exit"]. What a function or class is
    for is often said by its name."""
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)]


@dataclass(frozen=True)
class FilePurpose:
    #: matched by `test-paths`
    test: bool
    #: matched by `application-paths`
    application_path: bool
    #: a database migration (Alembic `versions/` and its `env.py`, Django `migrations/`)
    migration: bool
    #: the whole module is a command-line program: `__main__.py`, or a `__main__` guard in
    #: a module that parses a command line
    program: bool
    #: the module may be run as a program: `__main__.py`, a `__main__` guard, an entry-point module
    runs_as_program: bool

    @property
    def library(self) -> bool:
        """Importable library code, as a whole file (program functions aside)."""
        return not (self.test or self.application_path or self.migration or self.program)


def file_purpose(ctx) -> FilePurpose:
    """The purpose of the file a FileContext checks, computed once per file."""
    return ctx.memo("purpose", lambda: _compute(ctx))


def is_test(ctx) -> bool:
    """Is the checked file a test (`test-paths`)? What the path says: no walk of the file."""
    return ctx.memo("purpose-test", lambda: ctx.settings.is_test_path(Path(ctx.path)))


def _compute(ctx) -> FilePurpose:
    path = Path(ctx.path)
    settings = ctx.settings
    project = project_of(path)
    names = module_names(path, project.root)
    facts = _own_facts(ctx)
    program = path.name == "__main__.py" or (facts is not None and facts.whole_program)
    return FilePurpose(
        test=is_test(ctx),
        application_path=settings.is_application_path(path),
        migration=is_migration(path),
        program=program,
        runs_as_program=program or (facts is not None and facts.has_main_guard) or project.is_entry_module(names),
    )


def _own_facts(ctx):
    """`programs.ModuleFacts` of the checked file, from the interpreter's ast of its text
    (parsed once); None when `ast` rejects the text."""
    def compute():
        from logcheck.semantics.programs import module_facts, package_of

        tree = ctx.loggers.own_ast(ctx.source)
        if tree is None:
            return None
        path = ctx.loggers.file_path or Path(ctx.path).absolute()
        return module_facts(tree, path, package_of(path))

    return ctx.memo("program-facts", compute)


def _entries_of(path: Path) -> FrozenSet[str]:
    """The functions of a module the project's manifests name as program entry points."""
    project = project_of(path)
    return project.entries_of(module_names(path, project.root))


def is_program_function(ctx, name: str) -> bool:
    """Is the checked file's top-level function `name` program code (`programs.ProgramQuery`:
    an entry point, a command, or used only from program code, across the project)? The
    project files the answer read become dependencies of the file's results."""
    def compute() -> bool:
        from logcheck.semantics.programs import ProgramQuery

        facts = _own_facts(ctx)
        if facts is None:
            return False
        root = project_of(Path(ctx.path)).root
        query = ProgramQuery(ctx.loggers.project_graph(), facts, _entries_of, lambda key: _reexported(root, key),
                             ctx.settings.is_test_path)
        answer = query.is_program(name)
        ctx.loggers.graph_files.update(query.consulted)
        return answer

    return bool(ctx.memo(f"program-function {name}", compute))


def _reexported(root: Optional[Path], qualified: str) -> str:
    """Where `pkg.main` is defined when the package re-exports it (`from .cli import main` in
    `pkg/__init__.py`): `pkg.cli.main`; `qualified` itself otherwise."""
    module, _, attr = qualified.rpartition(".")
    for _ in range(_REEXPORT_HOPS):
        found = _reexport_source(root, module, attr) if root is not None and module else None
        if found is None:
            break
        module, attr = found
    return f"{module}.{attr}"


def _top_level_function(ctx, functions: List["cst.CSTNode"]) -> Optional[str]:
    """The name of the top-level function the outermost of `functions` is, if it is one."""
    if not functions:
        return None

    def compute() -> Dict[int, str]:
        import libcst as cst

        return {id(stmt): stmt.name.value for stmt in ctx.module.body if isinstance(stmt, cst.FunctionDef)}

    return ctx.memo("top-level-functions", compute).get(id(functions[0]))


def in_program_code(ctx) -> bool:
    """At the engine's current walk position: is this code that runs only as a program
    (a `__main__` guard body, or inside a program function)?"""
    if ctx.main_guard_depth > 0:
        return True
    name = _top_level_function(ctx, ctx.functions)
    return name is not None and is_program_function(ctx, name)


def _program_owners(ctx) -> Dict[int, str]:
    """Node id -> the top-level function it is in, or `programs.MAIN` inside a `__main__`
    guard body, for rules that judge nodes after the walk (the LC5xx configuration rules)."""
    def compute() -> Dict[int, str]:
        import libcst as cst

        from logcheck.semantics.programs import MAIN
        from logcheck.source.cst import is_main_guard, iter_children

        found: Dict[int, str] = {}
        stack: List[Tuple[cst.CSTNode, Optional[str]]] = [
            (stmt, stmt.name.value if isinstance(stmt, cst.FunctionDef) else None) for stmt in ctx.module.body]
        while stack:
            node, owner = stack.pop()
            if owner is not None:
                found[id(node)] = owner
            if isinstance(node, cst.If) and is_main_guard(node):
                stack.append((node.body, MAIN))
                if node.orelse is not None:
                    stack.append((node.orelse, owner))
                continue
            stack.extend((child, owner) for child in iter_children(node))
        return found

    return ctx.memo("program-owners", compute)


def is_application_code(ctx, node: "cst.CSTNode") -> bool:
    """Is `node` application code rather than library code: in a file that is not library
    code (tests, application paths, migrations, programs), or in program code?"""
    if not file_purpose(ctx).library:
        return True
    from logcheck.semantics.programs import MAIN

    owner = _program_owners(ctx).get(id(node))
    return owner == MAIN or (owner is not None and is_program_function(ctx, owner))


__all__ = ["FilePurpose", "Project", "file_purpose", "fingerprint", "in_program_code", "is_application_code",
           "is_program_function", "is_test", "name_words", "project_of"]
