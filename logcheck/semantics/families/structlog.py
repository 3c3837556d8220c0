"""structlog: bound loggers that log a constant event with key-value pairs, rendered by
the configured processor chain (`structlog.configure`, `structlog.stdlib.ProcessorFormatter`).

Sources: structlog's documentation (`get_logger`, `wrap_logger`, `BoundLoggerBase.bind/new/
unbind`, "Logging best practices") and `structlog/_native.py` of 24-26 (`warn`, `fatal` are
plain aliases there, `exception()` sets `exc_info=True`)."""

from logcheck.semantics.families.model import EVENT, Family

FAMILY = Family(
    name="structlog",
    modules=frozenset({"structlog"}),
    factories=frozenset({"structlog.get_logger", "structlog.getLogger", "structlog.wrap_logger",
                         "structlog.stdlib.get_logger", "structlog.stdlib.wrap_logger"}),
    derivations=frozenset({"bind", "new", "unbind", "try_unbind"}),
    context_managers=frozenset(),
    binds=frozenset({"bind", "new"}),
    context_binders=frozenset({"bind_contextvars", "bind_threadlocal"}),
    methods=frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
                       "msg"}),
    levels=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
    message_style=EVENT,
    keywords=frozenset({"exc_info", "stack_info"}),
    keyword_data=True,
    exception_keyword="exc_info",
    aliases={},
    configuration=frozenset({"structlog.configure", "structlog.stdlib.ProcessorFormatter"}),
    reserved_keys=frozenset({"event"}),
    # `meth(self, event, *args, **kw)` -> `_proxy_to_logger(self, method_name, event, **kw)`
    parameter_keys=frozenset({"self", "method_name"}),
    # structlog 26: `exception()` sets `exc_info=True`; with no current exception the
    # exception processors drop it, a bare JSONRenderer prints it, the stdlib formats it
    no_exception_effect=("structlog logs the record without a traceback (`\"exc_info\": true` under a JSON "
                         "renderer without an exception processor, `NoneType: None` through the standard library)"),
    # `_native._maybe_interpolate` and `stdlib.PositionalArgumentsFormatter`: `event % args`
    argument_mismatch_effect=("structlog fills them with `event % args` (its default logger in the call, "
                              "`PositionalArgumentsFormatter` in the chain) and the call raises; "
                              "a logger that does neither never shows them"),
)
