"""LC305/LC306 with `exc_info=sys.exc_info()` and other constants: positives, negatives and
exact fix outputs (the executed comparison is in test_message_fix_execution)."""

from __future__ import annotations

import textwrap

import pytest

from helpers import check, fix

HEADER = "import logging\nimport sys\nlogger = logging.getLogger(__name__)\n"


def in_handler(call: str) -> str:
    return HEADER + "try:\n    run()\nexcept ValueError as err:\n" + textwrap.indent(call, "    ") + "\n"


# (code, call inside a handler, fixed call or None for no fix, applicability)
CASES = [
    ("LC305", 'logger.error("x", exc_info=sys.exc_info())', 'logger.exception("x")', "safe"),
    ("LC305", 'logger.error("x %s", a, exc_info=sys.exc_info(), stacklevel=2)',
     'logger.exception("x %s", a, stacklevel=2)', "safe"),
    ("LC306", 'logger.exception("x", exc_info=sys.exc_info())', 'logger.exception("x")', "safe"),
    ("LC306", 'logger.exception("x", exc_info=1)', 'logger.exception("x")', "safe"),
    ("LC306", 'logger.exception("x", exc_info="yes")', 'logger.exception("x")', "safe"),
    ("LC306", 'logger.exception("x %s", a, exc_info=None)', 'logger.error("x %s", a)', "safe"),
    ("LC306", 'logger.exception("x", exc_info=0)', 'logger.error("x", exc_info=0)', "safe"),
    ("LC306", 'logger.exception("x", exc_info="")', 'logger.error("x", exc_info="")', "safe"),
    ("LC306", 'logger.exception("x", exc_info=b"")', 'logger.error("x", exc_info=b"")', "safe"),
    ("LC306", 'logger.exception("x", exc_info={})', 'logger.error("x", exc_info={})', "safe"),
    ("LC306", 'logger.exception("x", exc_info=False)', 'logger.error("x")', "safe"),
    ("LC306", 'logger.exception("x", exc_info=[])', 'logger.error("x", exc_info=[])', "safe"),
    ("LC306", 'logger.exception("x", exc_info=())', 'logger.error("x", exc_info=())', "safe"),
    ("LC306", 'logger.exception("x", exc_info=b"yes")', 'logger.exception("x")', "safe"),
    # a receiver known only by its name: reported, fixed only with --unsafe-fixes
    ("LC305", 'self._log.error("x", exc_info=sys.exc_info())', 'self._log.exception("x")', "unsafe"),
    ("LC306", 'self._log.exception("x", exc_info=sys.exc_info())', 'self._log.exception("x")', "unsafe"),
]


@pytest.mark.parametrize("code,call,expected,applicability", CASES, ids=[c[1] for c in CASES])
def test_fix(code, call, expected, applicability):
    source = in_handler(call)
    [d] = check(source, [code], dedent=False)
    assert d.code == code
    assert d.fix is not None and d.fix.applicability == applicability
    assert fix(source, [code], unsafe=applicability == "unsafe", dedent=False) == in_handler(expected)
    if applicability == "unsafe":
        assert fix(source, [code], dedent=False) == source


@pytest.mark.parametrize("code,call", [
    ("LC305", 'logger.error("x", exc_info=sys.exc_info)'),  # not called: a function object
    ("LC305", 'logger.warning("y", exc_info=sys.exc_info())'),
    ("LC305", 'logger.error("x", exc_info=os.exc_info())'),
    ("LC305", 'logger.error("x", exc_info=False)'),
    ("LC305", 'logger.error("x", exc_info=b"")'),  # falsy: no traceback, unlike exception()
    ("LC306", 'logger.exception("x", exc_info=err)'),  # the handler's own exception: left alone
    ("LC306", 'logger.exception("x", exc_info=other)'),
    ("LC306", 'logger.exception("x", exc_info=(t, v, tb))'),  # an explicit exc_info tuple
    ("LC306", 'logger.exception("x", exc_info=sys.exc_info)'),
    ("LC306", 'logger.error("x", exc_info=sys.exc_info())'),
])
def test_not_reported(code, call):
    assert check(in_handler(call), [code], dedent=False) == []


def test_from_sys_import_exc_info_is_the_stdlib_function():
    source = ("import logging\nfrom sys import exc_info\nlogger = logging.getLogger(__name__)\n"
              "try:\n    run()\nexcept ValueError:\n    logger.error('x', exc_info=exc_info())\n")
    [d] = check(source, ["LC305"], dedent=False)
    assert d.fix is not None and d.fix.applicability == "safe"
    assert fix(source, ["LC305"], dedent=False).endswith("    logger.exception('x')\n")


def test_sys_exc_info_outside_a_handler_is_lc306_but_not_lc305():
    source = HEADER + 'logger.exception("x", exc_info=sys.exc_info())\nlogger.error("y", exc_info=sys.exc_info())\n'
    assert [d.code for d in check(source, ["LC305", "LC306"], dedent=False)] == ["LC306"]


def test_a_handler_on_one_line_is_read_like_a_block():
    # `exc_info=e` of the handled exception, and the same after `e` is bound again
    head = "import logging\nlogger = logging.getLogger(__name__)\ntry:\n    run()\n"
    handled = head + "except ValueError as e: logger.error('failed', exc_info=e)\n"
    assert fix(handled, ["LC305"], dedent=False) == head + "except ValueError as e: logger.exception('failed')\n"
    rebound = head + "except ValueError as e: e = other(); logger.error('failed', exc_info=e)\n"
    assert check(rebound, ["LC305"], dedent=False) == []
