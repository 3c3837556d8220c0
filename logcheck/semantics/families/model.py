"""The record type of a logger family (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import FrozenSet, Mapping, Tuple

#: `logger.info("a %s", x)`: printf-style placeholders, filled lazily from the arguments
PERCENT = "percent"
#: `logger.info("a {}", x)`: `str.format` placeholders, filled lazily only when arguments
#: (positional or keyword) are given
BRACE = "brace"
#: `log.info("event", key=value)`: a constant event and key-value pairs
EVENT = "event"


@dataclass(frozen=True)
class Family:
    """What one logging library's loggers are and expect. Qualified names are absolute
    dotted paths as the code imports them."""

    name: str
    #: packages (top-level, or dotted prefixes) that belong to the library
    modules: FrozenSet[str]
    #: qualified names bound to a logger object (`loguru.logger`)
    loggers: FrozenSet[str] = frozenset()
    #: qualified callables whose result is a logger (`logging.getLogger`, `structlog.get_logger`)
    factories: FrozenSet[str] = frozenset()
    #: methods of a logger that return a logger of the same family (`bind`, `opt`, `getChild`)
    derivations: FrozenSet[str] = frozenset()
    #: methods of a logger that add context for a block without returning a logger
    context_managers: FrozenSet[str] = frozenset()
    #: methods whose keyword arguments become key-values of every later record
    #: (`log.bind(user=u)`, loguru's `contextualize`)
    binds: FrozenSet[str] = frozenset()
    #: methods that log a record
    methods: FrozenSet[str] = frozenset()
    #: the level names, lowest first
    levels: Tuple[str, ...] = ()
    #: how the message is formatted: PERCENT, BRACE or EVENT (None: not modelled)
    message_style: str = PERCENT
    #: keyword arguments the logging call takes as options (not as message data)
    keywords: FrozenSet[str] = frozenset()
    #: other keyword arguments are data: loguru's format fields and `extra`, structlog's
    #: key-values (False: the call rejects them)
    keyword_data: bool = False
    #: the keyword that attaches the exception being handled (None: the family has none)
    exception_keyword: str = ""
    #: the option of a derivation that attaches it to the calls of the derived logger
    #: (loguru's `logger.opt(exception=True)`; "": none)
    exception_option: str = ""
    #: functions of the library whose keyword arguments become key-values of every later
    #: record, by their last name (structlog's `bind_contextvars`)
    context_binders: FrozenSet[str] = frozenset()
    #: deprecated or undocumented method aliases and what to call instead
    aliases: Mapping[str, str] = field(default_factory=dict)
    #: qualified calls that configure the library (`structlog.configure`)
    configuration: FrozenSet[str] = frozenset()
    #: methods of the family's logger that configure it (loguru's `logger.add`)
    configuration_methods: FrozenSet[str] = frozenset()
    #: keywords of a derivation (`logger.opt(lazy=True)`) that change how the message and
    #: its arguments are treated: a message fix on such a receiver is not exact
    formatting_options: FrozenSet[str] = frozenset()
    #: the standard library's logger methods this family lacks (AttributeError), with the
    #: method to call instead ("" when there is none)
    missing_methods: Mapping[str, str] = field(default_factory=dict)
    #: what `exception()` (or a true `exception_keyword`) logs when no exception is being
    #: handled, completing "there is no current exception and ..." ("": not reported)
    no_exception_effect: str = ""
    #: what a message whose placeholders do not match the call's positional arguments does,
    #: for a family that fills them into a constant event ("": the style's own wording)
    argument_mismatch_effect: str = ""
    #: keys the library owns in the key-values of a call (structlog's `event`)
    reserved_keys: FrozenSet[str] = frozenset()
    #: other parameters of the logging methods (and what they call) that a key-value of the
    #: same name collides with: the call raises TypeError (structlog's `self`, `method_name`)
    parameter_keys: FrozenSet[str] = frozenset()
    #: known, but no rule reports on it: its loggers stay "foreign"
    silent: bool = False

    @property
    def stdlib_compatible(self) -> bool:
        """Takes the standard library's call: `%` arguments, `exc_info`, `extra`."""
        return self.message_style == PERCENT and "extra" in self.keywords
