"""Logging libraries with loggers of their own that no rule reports on yet: their loggers
stay "foreign" (silent). Adding rules for one means giving it its own module and record."""

from typing import Tuple

from logcheck.semantics.families.model import Family

FAMILIES: Tuple[Family, ...] = tuple(
    Family(name=name, modules=frozenset(modules), message_style="", silent=True)
    for name, modules in (
        ("distutils", ("distutils", "setuptools._distutils")),
        ("twisted", ("twisted",)),
        ("logbook", ("logbook",)),
        ("eliot", ("eliot",)),
        ("medusa", ("medusa",)),
        ("absl", ("absl",)),
        ("picologging", ("picologging",)),
    )
)
