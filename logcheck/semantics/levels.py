"""Shared knowledge about logging levels: the standard names and values, and what is wrong
with a level written as a string or an integer.

Used by LC303 (levels in Python calls) and by the configuration checks (levels in
dictConfig literals and INI/JSON/YAML/TOML files). Pure functions, no libcst.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Mapping, Optional

#: Names `logging` registers at import time, with their values. `WARN` and `FATAL` are
#: registered aliases (accepted by `setLevel`, but deprecated: LC301/LC302).
STANDARD_LEVELS: Mapping[str, int] = {
    "CRITICAL": 50,
    "FATAL": 50,
    "ERROR": 40,
    "WARNING": 30,
    "WARN": 30,
    "INFO": 20,
    "DEBUG": 10,
    "NOTSET": 0,
}

#: The canonical constant for each standard value (what an integer literal should become).
LEVEL_CONSTANTS: Mapping[int, str] = {
    50: "CRITICAL",
    40: "ERROR",
    30: "WARNING",
    20: "INFO",
    10: "DEBUG",
    0: "NOTSET",
}

#: Canonical level names, most severe first (no aliases).
CANONICAL_NAMES = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET")

#: Values for which an integer literal has an exact constant that LC303 proposes. NOTSET (0)
#: is left out on purpose: `setLevel(0)` is a common, readable idiom for "inherit".
FIXABLE_VALUES: FrozenSet[int] = frozenset({10, 20, 30, 40, 50})


def level_value(name: str) -> Optional[int]:
    """The value of a registered standard level name (exact, upper case), else None."""
    return STANDARD_LEVELS.get(name)


def is_standard_name(name: str) -> bool:
    return name in STANDARD_LEVELS


def level_constant_for(value: int) -> Optional[str]:
    """`10 -> "DEBUG"`, `20 -> "INFO"`, `30 -> "WARNING"`, `40 -> "ERROR"`, `50 ->
    "CRITICAL"`; None for any other value (including 0: see FIXABLE_VALUES)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return LEVEL_CONSTANTS[value] if value in FIXABLE_VALUES else None


def fixed_level_name(value: str) -> Optional[str]:
    """The exact fix for an invalid level string: the upper-case standard name when `value`
    is a standard name in another case (`"info"`, `"Warning"`). Only the case is ever
    fixed (`" info"` has no exact fix). None when there is no exact fix, including when
    `value` is already valid."""
    if not isinstance(value, str) or value in STANDARD_LEVELS:
        return None
    upper = value.upper()
    if upper in STANDARD_LEVELS:
        return upper
    return None


def level_name_problem(value: str, extra_names: Iterable[str] = ()) -> Optional[str]:
    """Why `value` is not a valid level name for `setLevel`/`basicConfig(level=)`/config
    files (they raise `ValueError: Unknown level: ...`), or None when it is valid.

    `extra_names` are names registered with `logging.addLevelName` in the same module or
    configuration (accepted as written, case-sensitive like logging itself)."""
    if not isinstance(value, str):
        return None
    if value in STANDARD_LEVELS or value in set(extra_names):
        return None
    fixed = fixed_level_name(value)
    if fixed is not None:
        return f"Level names are case-sensitive: {value!r} raises ValueError; use {fixed!r}"
    if value.strip().upper() in STANDARD_LEVELS:
        return (f"Unknown level {value!r} (stray whitespace) raises ValueError; "
                f"use {value.strip().upper()!r}")
    if value.strip().lstrip("-").isdigit():
        return (f"Level string {value!r} is not a level name and raises ValueError; "
                "use an integer or a level constant")
    return (f"Unknown level {value!r} raises ValueError; expected one of "
            + ", ".join(CANONICAL_NAMES))


def name_to_value_map() -> Dict[str, int]:
    """A fresh copy of the standard name -> value map."""
    return dict(STANDARD_LEVELS)


__all__ = [
    "STANDARD_LEVELS", "LEVEL_CONSTANTS", "CANONICAL_NAMES", "FIXABLE_VALUES", "level_value",
    "is_standard_name", "level_constant_for", "fixed_level_name", "level_name_problem",
    "name_to_value_map",
]
