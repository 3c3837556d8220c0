"""Small facts about logging calls in libcst trees: the logger methods, the parts of a
logging call (`LoggerCall`: method, message, format arguments, level), and helpers for
dotted names and string literals. What names *mean* (scopes, imports, whether a receiver is
a stdlib logger) is the semantic layer's business: `logcheck.semantics`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Tuple

import libcst as cst

from logcheck.semantics.families import STDLIB as STDLIB_FAMILY
from logcheck.semantics.families import Family
from logcheck.source.astfacts import LOG_METHODS  # defined with the ast gates, which need it without libcst

__all__ = ["LOG_METHODS"]


ROOT, NAMED = "root", "named"

#: where a receiver comes from (see rules.md): proven a stdlib logger (or a logger of another
#: family: the family's name), or only named like one. Foreign receivers (silent libraries,
#: project classes) never yield a LoggerCall.
STDLIB, UNKNOWN = "stdlib", "unknown"

Expr = cst.BaseExpression


def dotted_name(expr: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: List[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def string_value(expr: cst.CSTNode) -> Optional[str]:
    """The value of a plain (non f-) string literal or implicit concatenation of them."""
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except (SyntaxError, ValueError):  # pragma: no cover - libcst validated the literal already
            return None
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = string_value(expr.left), string_value(expr.right)
        if left is None or right is None:
            return None
        return left + right
    return None


def positional_args(call: cst.Call) -> List[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a
    return None


def passes_constant(arg: Optional[cst.Arg], constant: str) -> bool:
    """Is the argument written as the constant `True`, `False` or `None` (by its name)?"""
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == constant


def has_star_args(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


@dataclass(frozen=True)
class LoggerCall:
    """A call of a logging method on a logger (or of a `logging` module function)."""

    call: cst.Call
    method: str
    #: the logger expression (`logger`, `self.log`, `logging.getLogger()`), or the
    #: `logging` module name for `logging.info(...)`, or None for `info(...)` imported
    #: from logging.
    receiver: Optional[Expr]
    is_root: bool
    #: the family's name when the code proves the receiver is a logger of that family
    #: (STDLIB, "loguru", ...), UNKNOWN when only a conventional name suggests a logger.
    #: Fixes that change the called method or the message format are safe only for a
    #: proven receiver (`Rule.report(..., call=...)` downgrades them).
    provenance: str = STDLIB
    #: what the receiver's library expects (an unknown receiver is taken as a stdlib one)
    family: Family = STDLIB_FAMILY
    #: the receiver is an instance of a project subclass of Logger/LoggerAdapter that
    #: overrides a method (`process()` may rewrite the message)
    own_class: bool = False

    @property
    def proven(self) -> bool:
        return self.provenance != UNKNOWN

    @property
    def message_index(self) -> int:
        return 1 if self.method == "log" else 0

    @property
    def message_arg(self) -> Optional[cst.Arg]:
        """The message argument (positional, or `msg=`), None when absent or behind `*args`."""
        pos = positional_args(self.call)
        if has_star_args(self.call):
            # positional arguments after a star cannot be counted; before it they can
            first_star = next(i for i, a in enumerate(self.call.args) if a.star)
            pos = [a for a in self.call.args[:first_star] if a.keyword is None]
        if len(pos) > self.message_index:
            return pos[self.message_index]
        return keyword_arg(self.call, "msg")

    @property
    def format_args(self) -> Optional[List[cst.Arg]]:
        """Positional arguments after the message; None when `*args` makes them unknown."""
        if has_star_args(self.call):
            return None
        return positional_args(self.call)[self.message_index + 1:]

    @property
    def level_arg(self) -> Optional[cst.Arg]:
        if self.method != "log":
            return None
        pos = positional_args(self.call)
        if pos:
            return pos[0]
        return keyword_arg(self.call, "level")

    def keyword(self, name: str) -> Optional[cst.Arg]:
        return keyword_arg(self.call, name)


def _top_level_imports(stmt: cst.CSTNode) -> Iterator[Tuple[str, str]]:
    """(local name, qualified name) for unconditional imports on a top-level line."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return
    for small in stmt.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    yield alias.asname.name.value, full
                else:
                    yield full.split(".")[0], full.split(".")[0]
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
                and not isinstance(small.names, cst.ImportStar):
            module = dotted_name(small.module)
            for alias in small.names:
                name = dotted_name(alias.name) or ""
                local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                yield local, f"{module}.{name}"
