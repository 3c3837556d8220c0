"""A fix as a rule proposes it: node replacements by identity, how safe they are, and whether
the module logger must exist (see `semantics.module_logger.ModuleLoggerPlan`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

import libcst as cst

from logcheck.diagnostics import SAFE, UNSAFE


@dataclass(frozen=True)
class Fix:
    """A fix: replace each `old` node (by identity) with `new`.

    `needs_module_logger` asks the engine to make sure the module-level logger that
    `FileContext.module_logger_name()` promised exists (inserting `import logging` and
    `logger = logging.getLogger(__name__)` after the top-level imports if needed).
    """

    message: str
    replacements: Tuple[Tuple[cst.CSTNode, cst.CSTNode], ...]
    applicability: str = SAFE
    needs_module_logger: bool = False

    @classmethod
    def replace(cls, old: cst.CSTNode, new: cst.CSTNode, message: str, *, unsafe: bool = False,
                needs_module_logger: bool = False) -> "Fix":
        return cls(message, ((old, new),), UNSAFE if unsafe else SAFE, needs_module_logger)
