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
  argparse, click, typer, ...), which top-level functions are program code (entry-point
  functions, command functions a CLI framework registers, and functions referenced only
  from the `__main__` guard or from other program code, transitively within the file),
  whether it is an Alembic or Django migration.
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

#: modules whose use makes a module with a `__main__` guard a command-line program
CLI_MODULES: FrozenSet[str] = frozenset({"argparse", "optparse", "getopt", "click", "typer", "docopt", "fire"})
#: entry-point groups that are programs (the others are plugins loaded into a process)
PROGRAM_GROUPS: FrozenSet[str] = frozenset({"console_scripts", "gui_scripts"})
#: decorator names with which CLI frameworks register a function as a command
#: (`@click.command()`, `@cli.group()`, `@app.command("x")`, `@app.callback()`)
COMMAND_DECORATORS: FrozenSet[str] = frozenset({"command", "group", "callback"})
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
    #: ids of the top-level function definitions that are program code (see module doc)
    program_functions: FrozenSet[int]

    @property
    def library(self) -> bool:
        """Importable library code, as a whole file (program functions aside)."""
        return not (self.test or self.application_path or self.migration or self.program)

    def is_program_function(self, functions: List["cst.CSTNode"]) -> bool:
        """Is code inside these enclosing functions (outermost first) program code?"""
        return bool(functions) and id(functions[0]) in self.program_functions


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
    facts = _ModuleFacts(ctx)
    roots = {name for name in project.entries_of(names)} | facts.commands
    program = path.name == "__main__.py" or (facts.has_main_guard and facts.parses_command_line)
    return FilePurpose(
        test=is_test(ctx),
        application_path=settings.is_application_path(path),
        migration=is_migration(path),
        program=program,
        runs_as_program=program or facts.has_main_guard or project.is_entry_module(names),
        program_functions=facts.program_functions(roots),
    )


_MAIN = "<main guard>"
_MODULE = "<module>"


class _ModuleFacts:
    """One walk of the module: which code refers to each top-level function, which
    functions a CLI framework registers, whether a command line is parsed."""

    def __init__(self, ctx) -> None:
        import libcst as cst

        from logcheck.source.cst import is_main_guard, iter_children

        self.cst = cst
        self._children = iter_children
        self.is_main_guard = is_main_guard
        self.functions: Dict[str, "cst.FunctionDef"] = {}
        #: function name -> the owners of the references to it (function names, _MAIN, _MODULE)
        self.references: Dict[str, Set[str]] = {}
        self.commands: Set[str] = set()
        self.has_main_guard = False
        self.parses_command_line = False
        module = ctx.module
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef):
                self.functions[stmt.name.value] = stmt
        for stmt in module.body:
            if isinstance(stmt, cst.FunctionDef):
                self._decorators(stmt)
                self._walk_all(stmt.decorators, _MODULE)
                self._walk_all((stmt.params, stmt.body), stmt.name.value)
            else:
                self._walk(stmt, _MODULE)

    def _decorators(self, function: "cst.FunctionDef") -> None:
        cst = self.cst
        for decorator in function.decorators:
            expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            if isinstance(expr, cst.Attribute) and expr.attr.value in COMMAND_DECORATORS:
                self.commands.add(function.name.value)

    def _walk_all(self, nodes, owner: str) -> None:
        for node in nodes:
            self._walk(node, owner)

    def _walk(self, node: "cst.CSTNode", owner: str) -> None:
        cst = self.cst
        stack = [(node, owner)]
        while stack:
            current, owner = stack.pop()
            kind = type(current)
            if kind is cst.Name:
                if current.value in self.functions:
                    self.references.setdefault(current.value, set()).add(owner)
                continue
            if kind is cst.If and self.is_main_guard(current):
                self.has_main_guard = True
                stack.append((current.body, _MAIN))
                if current.orelse is not None:
                    stack.append((current.orelse, owner))
                continue
            if kind is cst.Import or kind is cst.ImportFrom:
                self._imports(current)
                continue
            if kind is cst.Attribute and current.attr.value == "argv" and isinstance(current.value, cst.Name) \
                    and current.value.value == "sys":
                self.parses_command_line = True
            elif kind is cst.Call:
                self._registered_command(current)
            elif kind is cst.SimpleString and owner == _MODULE:
                # `__all__ = ["main"]` exports it: a name in a string is a reference
                text = current.value.strip("'\"")
                if text in self.functions:
                    self.references.setdefault(text, set()).add(owner)
            stack.extend((child, owner) for child in self._children(current))

    def _imports(self, node) -> None:
        # TODO(semantics): "does this module import a CLI framework" is a question for the
        # semantic model's import table once it answers it for imports at any depth
        cst = self.cst
        if isinstance(node, cst.Import):
            modules = [self._dotted(alias.name) for alias in node.names]
        else:
            modules = [self._dotted(node.module)] if node.module is not None and not node.relative else []
            if modules == ["sys"] and not isinstance(node.names, cst.ImportStar) and any(
                    alias.name.value == "argv" for alias in node.names if isinstance(alias.name, cst.Name)):
                self.parses_command_line = True
        if any(m.split(".")[0] in CLI_MODULES for m in modules):
            self.parses_command_line = True

    def _dotted(self, expr) -> str:
        cst = self.cst
        if isinstance(expr, cst.Name):
            return expr.value
        if isinstance(expr, cst.Attribute):
            return f"{self._dotted(expr.value)}.{expr.attr.value}"
        return ""

    def _registered_command(self, call: "cst.Call") -> None:
        """argparse's `parser.set_defaults(func=handler)` registers `handler` as a command."""
        cst = self.cst
        if isinstance(call.func, cst.Attribute) and call.func.attr.value == "set_defaults":
            for arg in call.args:
                if arg.keyword is not None and isinstance(arg.value, cst.Name) and arg.value.value in self.functions:
                    self.commands.add(arg.value.value)

    def program_functions(self, roots: Iterable[str]) -> FrozenSet[int]:
        """Roots (entry points, commands) plus every function whose references all come
        from the `__main__` guard, from program functions, or from itself."""
        program = {name for name in roots if name in self.functions}
        changed = True
        while changed:
            changed = False
            for name, owners in self.references.items():
                if name in program:
                    continue
                if owners and owners <= program | {_MAIN, name} and owners - {name}:
                    program.add(name)
                    changed = True
        return frozenset(id(self.functions[name]) for name in program)


def in_program_code(ctx) -> bool:
    """At the engine's current walk position: is this code that runs only as a program
    (a `__main__` guard body, or inside a program function)?"""
    return ctx.main_guard_depth > 0 or file_purpose(ctx).is_program_function(ctx.functions)


def program_region(ctx) -> FrozenSet[int]:
    """Ids of every node inside program code (main guard bodies, program functions), for
    rules that judge nodes after the walk (the LC5xx configuration rules)."""
    def compute() -> FrozenSet[int]:
        import libcst as cst

        from logcheck.source.cst import is_main_guard, iter_children

        program = file_purpose(ctx).program_functions
        found: Set[int] = set()
        stack: List[Tuple[cst.CSTNode, bool]] = [(stmt, id(stmt) in program) for stmt in ctx.module.body]
        while stack:
            node, inside = stack.pop()
            if inside:
                found.add(id(node))
            if isinstance(node, cst.If) and is_main_guard(node):
                stack.append((node.body, True))
                if node.orelse is not None:
                    stack.append((node.orelse, inside))
                continue
            stack.extend((child, inside) for child in iter_children(node))
        return frozenset(found)

    return ctx.memo("program-region", compute)


def is_application_code(ctx, node: "cst.CSTNode") -> bool:
    """Is `node` application code rather than library code: in a file that is not library
    code (tests, application paths, migrations, programs), or in program code?"""
    return not file_purpose(ctx).library or id(node) in program_region(ctx)


__all__ = ["FilePurpose", "Project", "file_purpose", "fingerprint", "in_program_code", "is_application_code", "is_test", "name_words", "program_region", "project_of"]
