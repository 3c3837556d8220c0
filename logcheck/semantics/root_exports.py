"""May a name a file imports from the project be the root logger, or a function returning
it? The project's part of the rules' gates (`AstFacts.may_be_root(expr, exports)`), read
with the interpreter's ast: a superset of what `ProjectIndex.export_origin` and
`call_origin` can conclude, so a gate that asks it still never says no where its rule
reports.

- From outside the project: never. The semantic model takes the root logger only from
  `logging` itself and from the project's modules (`provenance._outside`).
- A project module (`from pkg import util`) is no logger; its attribute is asked in turn
  (`util.get_logger` is `pkg.util.get_logger`).
- `logging`'s own names: maybe (`logging.root` is the root logger).
- A name of a project module: what that module's own facts say of it (`RootNames`), with
  its imports followed the same way.
- Anything that cannot be read or followed (a missing module, a syntax error, an import
  cycle, a star import from another module, a module-level `__getattr__`): maybe.

A file gated out on these answers depends on the modules they read (`consulted`): the
result cache checks it again when one of them changes.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Optional, Sequence, Set, Tuple

from logcheck.semantics.modules import ModuleFinder, absolute_module, search_roots
from logcheck.source.astfacts import AstFacts, facts_of


class ProjectRootExports:
    """The answers for one set of search roots, kept for the run (one per process)."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.finder = ModuleFinder(roots)
        #: path -> (its size and modification time when read, its facts): a long-lived
        #: process (`--watch`, the language server) sees a module change
        self._facts: Dict[Path, Tuple[Tuple[int, int], Optional[AstFacts]]] = {}
        #: the modules an answer is being worked out in: a question back into one of them
        #: (an import cycle) is answered maybe, so no module's answers lean on another's
        #: unfinished ones
        self._asking: Set[Path] = set()
        #: qualified name -> the answer, and the project files it read with their stamps
        #: (a file changed since: asked again)
        self._answers: Dict[str, Tuple[bool, Tuple[Tuple[Path, Optional[Tuple[int, int]]], ...]]] = {}
        #: the `Exports` of each project module asked about (its answers are kept with it)
        self._modules: Dict[Path, FileRootExports] = {}

    def for_file(self, path: Path) -> "FileRootExports":
        return FileRootExports(self, path)

    def facts(self, path: Path) -> Optional[AstFacts]:
        stamp = _stamp(path)
        if stamp is None:
            return None
        kept = self._facts.get(path)
        if kept is None or kept[0] != stamp:
            try:
                facts: Optional[AstFacts] = facts_of(ast.parse(path.read_bytes()))
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
                facts = None
            kept = self._facts[path] = (stamp, facts)
        return kept[1]

    def may_be_root(self, qualified: str, consulted: Set[Path]) -> bool:
        kept = self._answers.get(qualified)
        if kept is not None and any(_stamp(path) != stamp for path, stamp in kept[1]):
            # a module changed (a long-lived process): every kept answer may lean on it
            self._answers.clear()
            self._modules.clear()
            kept = None
        if kept is None:
            read: Set[Path] = set()
            answer = self._answer(qualified, read)
            kept = (answer, tuple((path, self._facts[path][0] if path in self._facts else None) for path in read))
            if not self._asking:  # an answer inside a cycle took a guess for the rest of it
                self._answers[qualified] = kept
        consulted.update(path for path, _ in kept[1])
        return kept[0]

    def _answer(self, qualified: str, consulted: Set[Path]) -> bool:
        if qualified == "logging" or qualified.startswith("logging."):
            return True  # `logging.root`, `logging.getLogger`: the rule's own business
        finder = self.finder
        if finder.module_path(qualified.split(".")[0]) is None:
            return False  # outside the project
        if finder.module_path(qualified) is not None:
            return False  # a module is no logger (a chain on it is asked with its attributes)
        module, _, name = qualified.rpartition(".")
        path = finder.module_path(module) if module else None
        if path is None:
            return True
        consulted.add(path)
        facts = self.facts(path)
        if facts is None or facts.star_import or "__getattr__" in facts.identifiers or path in self._asking:
            return True
        module_exports = self._modules.get(path)
        if module_exports is None or module_exports.facts is not facts:
            module_exports = self._modules[path] = FileRootExports(self, path)
            module_exports.facts = facts
        self._asking.add(path)
        try:
            answer = facts.may_be_root(ast.Name(name, ast.Load()), module_exports)
        finally:
            self._asking.discard(path)
        consulted.update(module_exports.consulted)
        return answer


class FileRootExports:
    """`Exports` for the imports of the module at `path`: relative ones resolve from its
    package. `consulted`: the project files an answer read."""

    def __init__(self, project: ProjectRootExports, path: Path, consulted: Optional[Set[Path]] = None) -> None:
        self.project = project
        self.path = path
        self.consulted: Set[Path] = consulted if consulted is not None else set()
        #: the module's own facts, when these are the `Exports` of a module asked about
        self.facts: Optional[AstFacts] = None

    def __call__(self, target: str) -> bool:
        level = len(target) - len(target.lstrip("."))
        qualified = absolute_module(self.path, level, target[level:]) if level else target
        if not qualified:
            return True
        return self.project.may_be_root(qualified, self.consulted)


def _stamp(path: Path) -> Optional[Tuple[int, int]]:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


_PROJECTS: Dict[Tuple[Path, ...], ProjectRootExports] = {}


def root_exports_for(path: Path, settings) -> FileRootExports:
    """The `Exports` of the file at `path` (its search roots as the project index's)."""
    roots = tuple(search_roots(path, settings))
    project = _PROJECTS.get(roots)
    if project is None:
        project = _PROJECTS[roots] = ProjectRootExports(roots)
    return project.for_file(path)


__all__ = ["FileRootExports", "ProjectRootExports", "root_exports_for"]
