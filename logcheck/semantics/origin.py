"""`Origin`: what provenance says an expression is (a family's logger, root or named;
foreign; unknown), the few origins every answer shares, and the library facts it starts from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional

from logcheck.semantics import families
from logcheck.semantics.families import Family
from logcheck.semantics.loggers import STDLIB, UNKNOWN

FOREIGN = "foreign"


#: callables of `logging` that return a stdlib logger (or an object with its interface)
_STDLIB_FACTORIES: FrozenSet[str] = families.STDLIB.factories


#: bases whose subclasses are stdlib loggers
_STDLIB_LOGGER_CLASSES: FrozenSet[str] = frozenset({"logging.Logger", "logging.LoggerAdapter", "logging.RootLogger"})


#: top-level packages with math-like `log` functions: not loggers (the logging libraries
#: with loggers of their own are the families, `families.owning`)
FOREIGN_LIBRARIES: FrozenSet[str] = frozenset({
    "math", "cmath", "numpy", "np", "torch", "jax", "scipy", "sympy", "decimal", "tensorflow", "tf",
    "pandas", "pd", "mpmath", "operator",
})


#: `Optional[X]` and `Union[X, None]` say "X", as `X | None` does
_OPTIONAL_WRAPPERS: FrozenSet[str] = frozenset({"typing.Optional", "typing.Union", "Optional", "Union"})


#: names that `getLogger(...)` takes to name the module's own logger
MODULE_NAME_DUNDERS: FrozenSet[str] = frozenset({"__name__", "__file__", "__cached__", "__spec__", "__module__"})


@dataclass(frozen=True)
class Origin:
    """Where a logger-like value comes from: a family's name (STDLIB, "loguru", ...) when
    the code proves it, FOREIGN or UNKNOWN; for STDLIB whether it is the root logger."""

    kind: str
    root: bool = False
    #: an instance of a project subclass of Logger/LoggerAdapter that overrides a method
    #: (`process()`, `makeRecord()`, ...): it may format the message its own way
    own_class: bool = False

    @property
    def family(self) -> Optional[Family]:
        """The proven family, None for FOREIGN/UNKNOWN."""
        return _PROVEN.get(self.kind)


_FOREIGN = Origin(FOREIGN)


#: a proven logger of each family that rules may report on
_PROVEN: Dict[str, Family] = {f.name: f for f in families.FAMILIES if not f.silent}


_FAMILY_ORIGINS: Dict[str, Origin] = {name: Origin(name) for name in _PROVEN}


_UNKNOWN = Origin(UNKNOWN)


_NAMED = Origin(STDLIB)


_ROOT = Origin(STDLIB, True)


_OWN_CLASS = Origin(STDLIB, own_class=True)


#: "cannot be followed": becomes UNKNOWN for a conventional name, else not a logger
_UNRESOLVED = Origin("unresolved")


#: a binding that says nothing about what the name holds (`x = None`, `del x`)
_NEUTRAL = Origin("neutral")


#: a binding met again while its own value is followed (`log = log.bind(...)`): the other
#: bindings of the name decide
_CYCLE = Origin("cycle")


#: an attribute no class of the file binds
_MISSING = Origin("missing")
