"""Where a project's modules are: the folder above a file's top package, the search roots
its imports resolve in, and the file of a dotted module name below them.

Import-free of libcst: the rules' gates (`root_exports`) and the project index
(`project.ProjectIndex`) both find modules this way.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple


def package_root(path: Path) -> Tuple[Path, str]:
    """The folder above `path`'s top package (walking up while `__init__.py` exists) and
    the module's dotted name below it."""
    path = path.absolute()
    parts = [path.stem] if path.stem != "__init__" else []
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.append(folder.name)
        folder = folder.parent
    return folder, ".".join(reversed(parts))


def search_roots(path: Path, settings) -> List[Path]:
    """The folders a file's imports resolve in: above its top package, and the settings
    root with its `src/`."""
    roots: List[Path] = [package_root(path)[0]]
    settings_root = getattr(settings, "root", None)
    if settings_root is not None:
        settings_root = Path(settings_root).absolute()
        roots += [settings_root, settings_root / "src"]
    return roots


class ModuleFinder:
    """The file of a dotted module name below the search roots (kept per name)."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = tuple(roots)
        self._paths: Dict[str, Optional[Path]] = {}

    def module_path(self, name: str) -> Optional[Path]:
        if name in self._paths:
            return self._paths[name]
        found = None
        if name and not name.startswith("."):
            rel = name.replace(".", os.sep)
            for root in self.roots:
                for candidate in (root / (rel + ".py"), root / rel / "__init__.py"):
                    if candidate.is_file():
                        found = candidate
                        break
                if found is not None:
                    break
        self._paths[name] = found
        return found


def absolute_module(path: Path, level: int, module: str) -> str:
    """The dotted name `from {"." * level}{module} import ...` names in the module at `path`."""
    if not level:
        return module
    _, own = package_root(path)
    package = own.split(".") if path.name == "__init__.py" else own.split(".")[:-1]
    base = package[:len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, module] if module else base)


__all__ = ["ModuleFinder", "absolute_module", "package_root", "search_roots"]
