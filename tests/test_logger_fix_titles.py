"""The fixes of the logger rules: their titles (shown by `--show-fixes`, JSON and SARIF) and
their applicability, as the rule pages give them (LC101 and LC102 safe, LC103 unsafe)."""

from __future__ import annotations

import pytest

from helpers import check, offered, plain_id

CASES = [
    ("import logging\nlogging.info('x')\n", "LC101", ("safe", "Call `logger.info` instead")),
    ("import logging\n\ndef f():\n    logging.warning('x')\n", "LC101", ("safe", "Call `logger.warning` instead")),
    ("import logging\nlog = logging.getLogger(__file__)\n", "LC102", ("safe", "Use `__name__`")),
    ("import logging\nlog = logging.getLogger(name=__spec__)\n", "LC102", ("safe", "Use `__name__`")),
    ("import logging\nlog = logging.Logger('app')\n", "LC103", ("unsafe", "Use `logging.getLogger(...)`")),
]


@pytest.mark.parametrize("source, code, expected", CASES, ids=[plain_id(c[0]) + " " + c[1] for c in CASES])
def test_the_fix_offered(source, code, expected):
    found = [d for d in check(source, [code], dedent=False) if d.code == code]
    assert len(found) == 1
    assert offered(found[0]) == expected
