"""Keys a module binds into the context of later records: the keywords of `log.bind(...)`,
`log.new(...)`, loguru's `contextualize(...)` and structlog's `bind_contextvars(...)`.

A key-value a fix adds under one of those keys would replace the bound value in that
record (structlog merges the call's key-values over the context). Read by the name of the
method or function alone, whatever the receiver: an over-approximation, which can only
make a fix less safe."""

from __future__ import annotations

from typing import FrozenSet, Iterable, Optional, Set

import libcst as cst


def bound_keys(module: cst.Module, names: Iterable[str]) -> Optional[FrozenSet[str]]:
    """The keywords of every call in `module` of a method or function named in `names`;
    None when such a call spreads a mapping (`bind(**ctx)`): any key may be bound."""
    wanted = frozenset(names)
    keys: Set[str] = set()
    spread = False

    class Visitor(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal spread
            func = node.func
            called = func.attr.value if isinstance(func, cst.Attribute) else \
                func.value if isinstance(func, cst.Name) else None
            if called not in wanted:
                return
            for arg in node.args:
                if arg.star == "**":
                    spread = True
                elif arg.keyword is not None:
                    keys.add(arg.keyword.value)

    module.visit(Visitor())
    return None if spread else frozenset(keys)
