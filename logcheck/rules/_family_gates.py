"""What the rules of the logger families (LC7xx) share: the ast gate that asks whether a
file imports the family's library, and which of the project's files run in the program of
the file checked."""

from __future__ import annotations

from pathlib import Path
from typing import Callable


def imports_family(family) -> Callable:
    """An ast gate: the file imports one of the family's modules (its needle found the
    library's name, perhaps only in a comment)."""
    def gate(facts, settings) -> bool:
        return any(t.lstrip(".").split(".")[0] in family.modules for targets in facts.import_targets.values()
                   for t in targets)
    return gate


def in_program(ctx, path: Path) -> bool:
    """May code of the project file `path` run in the program of the file `ctx` checks?
    Deployed code does not run the tests or examples (they run it); a test or an example
    may run anything."""
    settings = ctx.settings
    return path == Path(ctx.path).absolute() or not settings.is_deployed_path(Path(ctx.path)) \
        or settings.is_deployed_path(path)
