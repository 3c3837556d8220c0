"""Templated configuration: a configuration whose values the program fills in before it
loads them (`string.Template(text).substitute(...)`, `os.path.expandvars`, `str.format`,
Jinja). A value with a placeholder (`${LEVEL}`, `$LEVEL`, `{level}`, `{{ level }}`,
`{% ... %}`) says nothing until it is substituted: it is an unknown value, never an unknown
level, class or handler name. Only what substitution cannot change is judged.

Format strings (`format`, `fmt`, `datefmt`) are left as written: `$`-style formats use
`${field}` for the record's own fields, and a placeholder in a `%`-style format is text
to logging.
"""

from __future__ import annotations

import re

from logcheck.config_model.model import LDict, LList, LScalar, LUnknown, LVal

PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{.*?\}\}|\{%.*?%\}|\{[A-Za-z_][A-Za-z0-9_.]*\}")
#: keys whose values are format strings, checked as logging reads them
FORMAT_KEYS = frozenset({"format", "fmt", "datefmt"})


def has_placeholder(text: object) -> bool:
    return isinstance(text, str) and PLACEHOLDER.search(text) is not None


def untemplated(value: LVal, key: str = "") -> LVal:
    """`value` with every string that holds a placeholder turned into an unknown value (and
    every mapping with a placeholder key marked partial)."""
    if isinstance(value, LScalar):
        return LUnknown(value.loc) if key not in FORMAT_KEYS and has_placeholder(value.value) else value
    if isinstance(value, LList):
        return LList(value.loc, [untemplated(item) for item in value.items], value.partial)
    if isinstance(value, LDict):
        entries = [(k, loc, untemplated(v, k)) for k, loc, v in value.entries]
        return LDict(value.loc, entries, value.partial or any(has_placeholder(k) for k, _, _ in value.entries))
    return value
