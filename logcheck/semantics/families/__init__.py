"""Logger families as data: what each logging library's loggers are and expect.

A `Family` record says how a logger of the library is obtained and derived, which methods
log and at which levels, how the message is formatted, which keyword arguments the call
understands and which calls configure the library. Provenance (`semantics.provenance`)
names the family of every receiver it proves; rules ask the record they are handed
(`call.family.message_style`), never the library's name. A new family is a new module
here, listed in `FAMILIES`.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from logcheck.semantics.families.model import BRACE, EVENT, PERCENT, Family
from logcheck.semantics.families import foreign, loguru, powertools, stdlib, structlog

__all__ = ["Family", "PERCENT", "BRACE", "EVENT", "FAMILIES", "STDLIB", "by_name", "of_object", "of_call",
           "owning"]

STDLIB: Family = stdlib.FAMILY

#: every known family, the silent ones included
FAMILIES: Tuple[Family, ...] = (stdlib.FAMILY, powertools.FAMILY, loguru.FAMILY, structlog.FAMILY) + foreign.FAMILIES

_BY_NAME: Dict[str, Family] = {f.name: f for f in FAMILIES}
_OBJECTS: Dict[str, Family] = {q: f for f in FAMILIES for q in f.loggers}
_CALLS: Dict[str, Family] = {q: f for f in FAMILIES for q in f.factories}
_MODULES: Dict[str, Family] = {m: f for f in FAMILIES for m in f.modules}


def by_name(name: str) -> Family:
    return _BY_NAME[name]


def of_object(qualified: str) -> Optional[Family]:
    """The family of the logger object bound to that qualified name (`loguru.logger`)."""
    return _OBJECTS.get(qualified)


def of_call(qualified: str) -> Optional[Family]:
    """The family of the logger that calling that qualified name returns
    (`structlog.get_logger`, `aws_lambda_powertools.Logger`)."""
    return _CALLS.get(qualified)


def owning(qualified: str) -> Optional[Family]:
    """The family whose library that qualified name belongs to (by its top-level package,
    or a longer registered prefix such as `setuptools._distutils`)."""
    parts = qualified.lstrip(".").split(".")
    for end in range(len(parts), 0, -1):
        found = _MODULES.get(".".join(parts[:end]))
        if found is not None:
            return found
    return None
