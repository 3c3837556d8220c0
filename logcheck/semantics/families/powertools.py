"""AWS Lambda Powertools' `Logger`: a stdlib-compatible logger (`%` arguments, `exc_info`,
`extra`) that writes JSON. Its own methods pass the caller's frame on (`stacklevel`), and
every other attribute is the wrapped `logging.Logger`'s (`Logger.__getattr__`): `warn`,
`fatal`, `setLevel`, `addHandler` behave as the standard library's, deprecations included.
The Lambda rules (LC801-LC805) ask for its Lambda API (`inject_lambda_context`,
`append_keys`) through `semantics/lambda_handlers.py`."""

from logcheck.semantics.families import stdlib
from logcheck.semantics.families.model import Family

FAMILY = Family(
    name="powertools",
    modules=frozenset({"aws_lambda_powertools"}),
    factories=frozenset({"aws_lambda_powertools.Logger", "aws_lambda_powertools.logging.Logger",
                         "aws_lambda_powertools.logging.logger.Logger"}),
    derivations=frozenset(),
    # the standard library's call, `warn` and `fatal` included (through __getattr__)
    methods=stdlib.FAMILY.methods,
    levels=stdlib.LEVELS,
    message_style=stdlib.FAMILY.message_style,
    keywords=stdlib.FAMILY.keywords,
    exception_keyword=stdlib.FAMILY.exception_keyword,
    aliases=stdlib.FAMILY.aliases,
    no_exception_effect=stdlib.FAMILY.no_exception_effect,
    # what sets up the logger or its keys (repeated work when it runs per invocation: LC802)
    configuration_methods=frozenset({"append_keys", "remove_keys", "set_correlation_id", "setLevel", "addHandler",
                                     "structure_logs"}),
)
