"""The fixes of LC401 (`print`) and LC402 (`pprint`): title, applicability (unsafe, as the
pages say), and the fixed text, which inserts the module logger the call now uses. Each
expected text is written from the pages: `pp(x)` keeps its `sort_dicts=False` default, `end`
and `flush` are dropped, a comment inside the call means no fix."""

from __future__ import annotations

import pytest

from helpers import check, fix, offered, plain_id

HEADER = "import logging\n\nlogger = logging.getLogger(__name__)\n\n"
PP_HEADER = "import pprint\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n"
PPRINT = ("unsafe", 'Use `logger.debug("%s", pprint.pformat(...))`')
PRINT = ("unsafe", "Use `logger.info(...)`")

CASES = [
    ("import pprint\ndef f(x):\n    pprint.pprint(x)\n", "LC402", PPRINT,
     PP_HEADER + 'def f(x):\n    logger.debug("%s", pprint.pformat(x))\n'),
    ("import pprint\ndef f(x):\n    pprint.pp(x)\n", "LC402", PPRINT,
     PP_HEADER + 'def f(x):\n    logger.debug("%s", pprint.pformat(x, sort_dicts=False))\n'),
    ("import pprint\ndef f(x):\n    pprint.pp(x, sort_dicts=True)\n", "LC402", PPRINT,
     PP_HEADER + 'def f(x):\n    logger.debug("%s", pprint.pformat(x, sort_dicts=True))\n'),
    ("import pprint\ndef f(x):\n    pprint.pprint(x  # why\n    )\n", "LC402", None, None),
    ("def f(x):\n    print(x)\n", "LC401", PRINT, HEADER + 'def f(x):\n    logger.info("%s", x)\n'),
    ("def f(x):\n    print(x, flush=False)\n", "LC401", PRINT, HEADER + 'def f(x):\n    logger.info("%s", x)\n'),
    ("def f(x):\n    print(x, flush=True, end='')\n", "LC401", PRINT, HEADER + 'def f(x):\n    logger.info("%s", x)\n'),
    ("def f(x):\n    print(x  # why\n    )\n", "LC401", None, None),
]


@pytest.mark.parametrize("source, code, title, fixed", CASES, ids=[plain_id(c[0]) for c in CASES])
def test_the_fix(source, code, title, fixed):
    settings = {"preview": True}
    found = [d for d in check(source, [code], settings=settings, dedent=False) if d.code == code]
    assert [offered(d) for d in found] == [title]
    after = fix(source, [code], settings=settings, dedent=False, unsafe=True)
    assert after == (source if fixed is None else fixed)
    compile(after, "fixed.py", "exec")
