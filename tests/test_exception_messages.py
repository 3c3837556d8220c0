"""The exact messages and fix titles of LC304 (a traceback asked for where no exception is in
flight) and LC306 (`exception()` with an `exc_info` that is redundant or contradicts it):
what a user reads in every output format."""

from __future__ import annotations

import pytest

from helpers import check, offered, plain_id

HEAD = "import logging, sys\nlog = logging.getLogger(__name__)\n"
IN_HANDLER = HEAD + "try:\n    pass\nexcept Exception:\n    %s\n"
NO_EXCEPTION = "outside an `except` block: there is no current exception and the traceback reads `NoneType: None`"

CASES = [
    (HEAD + "log.exception('x')\n", "LC304", "`.exception()` " + NO_EXCEPTION, None),
    (HEAD + "log.error('x', exc_info=True)\n", "LC304", "`exc_info=True` " + NO_EXCEPTION, None),
    (HEAD + "log.error('x', exc_info=1)\n", "LC304", "`exc_info=1` " + NO_EXCEPTION, None),
    (IN_HANDLER % "log.exception('x', exc_info=True)", "LC306",
     "`exception()` already logs the traceback; `exc_info=True` is redundant", ("safe", "Remove `exc_info=True`")),
    (IN_HANDLER % "log.exception('x', exc_info=sys.exc_info())", "LC306",
     "`exception()` already logs the traceback; `exc_info=sys.exc_info()` is redundant",
     ("safe", "Remove `exc_info=sys.exc_info()`")),
    (IN_HANDLER % "log.exception('x', exc_info=False)", "LC306",
     "`exception(..., exc_info=False)` logs no traceback; use `error(...)`",
     ("safe", "Use `error(...)` without `exc_info`")),
]


@pytest.mark.parametrize("source, code, message, fix", CASES, ids=[plain_id(c[0][-40:]) for c in CASES])
def test_message_and_fix(source, code, message, fix):
    found = [d for d in check(source, [code], settings={"preview": True}, dedent=False) if d.code == code]
    assert [(d.message, offered(d)) for d in found] == [(message, fix)]


@pytest.mark.parametrize("value", ["True", "False"])
def test_no_fix_where_the_argument_cannot_be_removed_exactly(value):
    """Two comments meet where `exc_info` would go (`remove_argument` gives None): LC306 is
    reported without a fix."""
    source = IN_HANDLER % f"log.exception(\n        'x',  # k\n        exc_info={value}  # about it\n    )"
    found = [d for d in check(source, ["LC306"], settings={"preview": True}, dedent=False) if d.code == "LC306"]
    assert [(d.row, d.fix) for d in found] == [(6, None)]
