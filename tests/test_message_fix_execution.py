"""The message and exception fixes, executed: the original and the fixed call run with real
logging (a capturing handler) over values of many types, and their records are compared.

A safe fix must log the same message for every value on which the original logged one; an
unsafe fix is unsafe because some value type prints differently, and the table names one.
LC205's originals never printed their values (logging formats with `%`), so its fixes are
compared with what the `str.format` template says."""

from __future__ import annotations

import datetime
import decimal
import enum
import itertools
import logging
from typing import Dict, List, Optional, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import check, fix

LOGGER_NAME = "logcheck.execution"
HEADER = f'import logging\nimport sys\nlogger = logging.getLogger("{LOGGER_NAME}")\n'


class Tagged(str):
    """A str subclass with its own `__str__`: `+` and `{:s}` use its data, `%s` its `__str__`."""

    def __str__(self) -> str:
        return "tagged"


class Status(str, enum.Enum):
    OK = "ok"


class Level(enum.IntEnum):
    HIGH = 3


VALUES: List[object] = [
    0, -7, 3.25, 1e21, True, None, "text", "50% {x}", "", Tagged("data"), Status.OK, Level.HIGH,
    decimal.Decimal("1.15"), datetime.date(2020, 1, 2), (1, 2), [3], {"k": 1},
]
BUILTIN_NUMBERS: List[object] = [0, -7, 3.25, 1e21, True, 255]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run(source: str, namespace: Dict[str, object]) -> Optional[List[Tuple[object, ...]]]:
    """(level, message, exception type, exception arguments) of each record the module logs; None
    when running it raises. A message that fails to format is recorded as the error."""
    logger = logging.getLogger(LOGGER_NAME)
    handler = _Capture()
    logger.handlers[:], logger.propagate, logger.level = [handler], False, logging.DEBUG
    try:
        exec(compile(source, "<example>", "exec", dont_inherit=True), dict(namespace))
    except Exception:
        return None
    finally:
        logger.handlers[:] = []
    out = []
    for r in handler.records:
        try:
            message: object = r.getMessage()
        except Exception as exc:
            message = ("formatting failed", type(exc))
        exc_type, exc_args = (r.exc_info[0], r.exc_info[1].args) if r.exc_info else (None, None)
        out.append((r.levelname, message, exc_type, exc_args))
    return out


def fixed(code: str, call: str) -> Tuple[str, str, str]:
    """(original source, fixed source, applicability) for a module with one call."""
    source = HEADER + call + "\n"
    [diagnostic] = [d for d in check(source, [code], dedent=False) if d.code == code]
    assert diagnostic.fix is not None, call
    return source, fix(source, [code], unsafe=True, dedent=False), diagnostic.fix.applicability


def value_pairs(values: List[object]):
    return [{"v0": a, "v1": b} for a, b in itertools.product(values, values[:8])]


# --------------------------------------------------------------------------- LC201, LC203, LC204

# (code, call, applicability, a value for v0 that prints differently, for unsafe fixes)
CONVERSIONS = [
    ("LC201", 'logger.info(f"{v0} and {v1!r}")', "safe", None),
    ("LC201", 'logger.info(f"{v0=} {v1=:} {v0=!s:>6}")', "safe", None),
    ("LC201", 'logger.info(f"{v0!r:>10}|{v1!s:.3}|{v0!a:<5}")', "safe", None),
    ("LC201", 'logger.info(f"{v0:d} of {v1}")', "unsafe", datetime.date(2020, 1, 2)),
    ("LC201", 'logger.info(f"{v0:.1f}")', "unsafe", decimal.Decimal("1.15")),
    ("LC201", 'logger.info(f"<{v0:8s}>")', "unsafe", Tagged("data")),
    ("LC203", 'logger.info("{} {!r}".format(v0, v1))', "safe", None),
    ("LC203", 'logger.info("{1} {0} {1}".format(v0, v1))', "safe", None),
    ("LC203", 'logger.info("{a}-{b}".format(b=v1, a=v0))', "safe", None),
    ("LC203", 'logger.info("{:.1f}".format(v0))', "unsafe", decimal.Decimal("1.15")),
    ("LC204", 'logger.info("a " + str(v0) + " b " + repr(v1))', "safe", None),
    ("LC204", 'logger.info("n=" + "%s" % (v0,) + "{}".format(v1) + f"{v0!r}")', "safe", None),
    ("LC204", 'logger.info("a " + v0)', "unsafe", Status.OK),
    ("LC204", 'logger.info(v0 + " b")', "unsafe", Tagged("data")),
]


@pytest.mark.parametrize("code,call,applicability,differs", CONVERSIONS, ids=[c[1] for c in CONVERSIONS])
def test_conversion_logs_the_same(code, call, applicability, differs):
    source, new, found = fixed(code, call)
    assert found == applicability
    assert new != source
    compared = 0
    for namespace in value_pairs(VALUES):
        before = run(source, namespace)
        if before is None:
            continue  # the original raised for these values: nothing to keep
        after = run(new, namespace)
        if applicability == "safe":
            assert after == before, (call, namespace)
        compared += 1
    assert compared > 20
    if differs is not None:
        # what makes the fix unsafe: a value type the original printed and the fixed call does not
        namespace = {"v0": differs, "v1": "x"}
        before = run(source, namespace)
        assert before is not None
        assert run(new, namespace) != before


# evaluation order: `tick` has a side effect that a name observes (it rebinds v0), `box.value`
# is a property that records its reading; the second record logs the trace
PRELUDE = ("trace = []\n\n\ndef tick(tag):\n    global v0\n    trace.append(tag)\n    v0 = tag\n    return tag\n\n\n"
           "class Box:\n    @property\n    def value(self):\n        trace.append('value')\n        return len(trace)\n\n\n"
           "box = Box()\n")
FORMAT_ARGS = ["v0", "v1", "7", "'s'", "tick('a')", "tick('b')", "box.value", "(n := 3)"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FORMAT_ARGS), min_size=1, max_size=3), st.lists(st.integers(0, 2), max_size=4),
       st.booleans())
def test_format_arguments_are_evaluated_as_before(args, fields, keywords):
    fields = [i for i in fields if i < len(args)]
    if keywords:
        template = " ".join("{k%d}" % i for i in fields)
        call_args = ", ".join(f"k{i}={a}" for i, a in enumerate(args))
    else:
        template = " ".join("{%d}" % i for i in fields)
        call_args = ", ".join(args)
    source = HEADER + PRELUDE + f'logger.info("{template}".format({call_args}))\nlogger.info("%s", trace)\n'
    [d] = check(source, ["LC203"], dedent=False)
    if d.fix is None:
        return
    new = fix(source, ["LC203"], dedent=False)
    assert new != source
    namespace = {"v0": "zero", "v1": 1}
    assert run(new, namespace) == run(source, namespace), new


def test_format_arguments_that_may_move_are_fixed():
    for call in ('"{1} {0} {1}".format(v0, 7)', '"{0} {1}".format(tick("a"), box.value)',
                 '"{k1} {k0}".format(k0=v0, k1=v1)', '"{1}".format(v0, tick("a"))'):
        source = HEADER + PRELUDE + f"logger.info({call})\n"
        [d] = check(source, ["LC203"], dedent=False)
        assert d.fix is not None and d.fix.applicability == "safe", call


# --------------------------------------------------------------------------- LC205

# (call, the values' intended message for (v0, v1), the values to try)
BRACES = [
    ('logger.info("{} and {!r}", v0, v1)', lambda a, b: "{} and {!r}".format(a, b), VALUES),
    ('logger.info("{1} then {0}", v0, v1)', lambda a, b: "{1} then {0}".format(a, b), VALUES),
    ('logger.info("{a} {b!r:>6}", {"a": v0, "b": v1})', lambda a, b: "{a} {b!r:>6}".format(a=a, b=b), VALUES),
    ('logger.info("{:.2f} s, {:+d}", v0, 5)', lambda a, b: "{:.2f} s, {:+d}".format(a, 5), BUILTIN_NUMBERS),
]


@pytest.mark.parametrize("call,intended,values", BRACES, ids=[c[0] for c in BRACES])
def test_brace_fix_logs_what_the_template_says(call, intended, values):
    source, new, found = fixed("LC205", call)
    assert found == "safe"
    for namespace in value_pairs(values):
        before = run(source, namespace)
        assert before is not None and len(before) == 1
        assert before[0][1] != intended(namespace["v0"], namespace["v1"])  # the bug the rule reports
        after = run(new, namespace)
        assert after is not None and after[0][1] == intended(namespace["v0"], namespace["v1"]), (call, namespace)


# --------------------------------------------------------------------------- LC305, LC306


def _handler(call: str) -> str:
    return f"try:\n    raise ValueError(v0)\nexcept ValueError as err:\n    {call}\n"


EXC_INFO = [
    ("LC305", 'logger.error("failed %s", v1, exc_info=True)', "safe"),
    ("LC305", 'logger.error("failed %s", v1, exc_info=sys.exc_info())', "safe"),
    ("LC305", 'logger.error("failed", exc_info=err)', "safe"),
    ("LC306", 'logger.exception("failed %s", v1, exc_info=sys.exc_info())', "safe"),
    ("LC306", 'logger.exception("failed", exc_info=1)', "safe"),
    ("LC306", 'logger.exception("failed", exc_info=None)', "safe"),
    ("LC306", 'logger.exception("failed", exc_info=False)', "safe"),
    ("LC306", 'logger.exception("failed", exc_info=())', "safe"),
]


@pytest.mark.parametrize("code,call,applicability", EXC_INFO, ids=[c[1] for c in EXC_INFO])
def test_exc_info_fix_logs_the_same_record(code, call, applicability):
    source, new, found = fixed(code, _handler(call))
    assert found == applicability
    assert new != source
    for namespace in value_pairs(VALUES[:6]):
        before = run(source, namespace)
        assert before is not None and len(before) == 1
        assert run(new, namespace) == before


@pytest.mark.parametrize("code,method", [("LC305", "error"), ("LC306", "exception")])
def test_exc_info_of_something_only_named_sys_is_fixed_as_unsafe(code, method):
    """`sys` that nothing binds: spelled like the module, not proven (unsafe fix)."""
    source = ("import logging\nlogger = logging.getLogger(__name__)\n\n\ndef report():\n"
              f"    try:\n        run()\n    except ValueError:\n        logger.{method}('failed', exc_info=sys.exc_info())\n")
    [d] = check(source, [code], dedent=False)
    assert d.fix is not None and d.fix.applicability == "unsafe"


@pytest.mark.parametrize("binding", ["def report(sys):", "def report():\n    sys = Tracker()",
                                     "def report():\n    (sys := Tracker())"])
@pytest.mark.parametrize("code,method", [("LC305", "error"), ("LC306", "exception")])
def test_exc_info_of_a_local_named_sys_is_not_the_module(code, method, binding):
    """`sys` bound to something else where the call is (a parameter, an assignment, a
    walrus) while the module imports `sys`: `sys.exc_info()` proves nothing there."""
    source = (f"import logging\nimport sys\nlogger = logging.getLogger(__name__)\n\n\n{binding}\n"
              f"    try:\n        run()\n    except ValueError:\n        logger.{method}('failed', exc_info=sys.exc_info())\n")
    assert check(source, [code], dedent=False) == []
