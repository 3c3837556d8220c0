"""What the rules of one logger family (LC7xx) share: the ast gate that asks whether a file
imports the family's library."""

from __future__ import annotations

from typing import Callable


def imports_family(family) -> Callable:
    """An ast gate: the file imports one of the family's modules (its needle found the
    library's name, perhaps only in a comment)."""
    def gate(facts, settings) -> bool:
        return any(t.lstrip(".").split(".")[0] in family.modules for targets in facts.import_targets.values()
                   for t in targets)
    return gate
