"""AWS Lambda Powertools' `Logger`: a stdlib-compatible logger (`%` arguments, `exc_info`,
`extra`) that writes JSON. Its own methods pass the caller's frame on (`stacklevel`), and
every other attribute is the wrapped `logging.Logger`'s (`Logger.__getattr__`): `warn`,
`fatal`, `setLevel`, `addHandler` behave as the standard library's, deprecations included.
The Lambda rules (LC801-LC805) ask for its Lambda API (`inject_lambda_context`,
`append_keys`) through `semantics/lambda_handlers.py`."""

from logcheck.semantics.families.model import PERCENT, Family
from logcheck.semantics.families.stdlib import LEVELS

FAMILY = Family(
    name="powertools",
    modules=frozenset({"aws_lambda_powertools"}),
    factories=frozenset({"aws_lambda_powertools.Logger", "aws_lambda_powertools.logging.Logger",
                         "aws_lambda_powertools.logging.logger.Logger"}),
    derivations=frozenset(),
    # `warn` and `fatal` reach the wrapped logging.Logger through __getattr__
    methods=frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}),
    levels=LEVELS,
    message_style=PERCENT,
    keywords=frozenset({"exc_info", "extra", "stack_info", "stacklevel"}),
    exception_keyword="exc_info",
    aliases={"warn": "warning", "fatal": "critical"},
    # what sets up the logger or its keys (repeated work when it runs per invocation: LC802)
    configuration_methods=frozenset({"append_keys", "remove_keys", "set_correlation_id", "setLevel", "addHandler",
                                     "structure_logs"}),
)
