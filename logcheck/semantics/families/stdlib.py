"""The standard library's `logging`."""

from logcheck.semantics.families.model import PERCENT, Family

#: what logging's `Formatter.formatException` prints for `exc_info=(None, None, None)`
NO_TRACEBACK = "the traceback reads `NoneType: None`"

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

FAMILY = Family(
    name="stdlib",
    modules=frozenset({"logging"}),
    loggers=frozenset({"logging.root"}),
    factories=frozenset({"logging.getLogger", "logging.Logger", "logging.LoggerAdapter", "logging.RootLogger",
                         "logging.PlaceHolder"}),
    derivations=frozenset({"getChild"}),
    methods=frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}),
    levels=LEVELS,
    message_style=PERCENT,
    keywords=frozenset({"exc_info", "extra", "stack_info", "stacklevel"}),
    exception_keyword="exc_info",
    aliases={"warn": "warning", "fatal": "critical"},
    no_exception_effect=NO_TRACEBACK,
    configuration=frozenset({"logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig"}),
)
