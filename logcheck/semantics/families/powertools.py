"""AWS Lambda Powertools' `Logger`: a stdlib-compatible logger (`%` arguments, `exc_info`,
`extra`) that writes JSON. Minimal record; the Lambda rules (LC8xx) extend it."""

from logcheck.semantics.families.model import PERCENT, Family
from logcheck.semantics.families.stdlib import LEVELS

FAMILY = Family(
    name="powertools",
    modules=frozenset({"aws_lambda_powertools"}),
    factories=frozenset({"aws_lambda_powertools.Logger", "aws_lambda_powertools.logging.Logger",
                         "aws_lambda_powertools.logging.logger.Logger"}),
    derivations=frozenset(),
    methods=frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"}),
    levels=LEVELS,
    message_style=PERCENT,
    keywords=frozenset({"exc_info", "extra", "stack_info", "stacklevel"}),
    exception_keyword="exc_info",
    aliases={},
)
