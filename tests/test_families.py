"""Logger families as data: provenance names the family of every receiver it proves, the
records say what each library expects, and a rule sees only the families it covers."""

from __future__ import annotations

import textwrap
from typing import List, Optional, Tuple

import libcst as cst
import pytest
from helpers import check, fix, make_settings

from logcheck.lint.check import check_source
from logcheck.lint.rule import Rule
from logcheck.semantics import families
from logcheck.source.astfacts import ANY_LOG_METHODS
from logcheck.source.precheck import FAMILY_LIBRARIES
from logcheck.source.text import SourceText


def calls(source: str) -> List[Tuple[str, Optional[Tuple[str, str, str]]]]:
    """(call text, (family, provenance, method) or None) for every call of `source`."""
    out = []

    class Record(Rule):
        code, name, message = "LC999", "record", ""

        def visit_Call(self, node: cst.Call) -> None:
            found = self.ctx.logger_call(node)
            text = cst.Module([]).code_for_node(node.func)
            out.append((text, None if found is None else (found.family.name, found.provenance, found.method)))

    check_source("example.py", SourceText(textwrap.dedent(source), "utf-8", False), [Record], make_settings())
    return out


def family_of(source: str, func: str) -> Optional[Tuple[str, str, str]]:
    found = [r for f, r in calls(source) if f == func]
    assert found, f"no call of {func}"
    return found[-1]


PROVEN = [
    ("from loguru import logger\nlogger.info('x')\n", "logger.info", "loguru"),
    ("import loguru\nloguru.logger.success('x')\n", "loguru.logger.success", "loguru"),
    ("from loguru import logger as lg\nlg.opt(exception=True).error('x')\n", "lg.opt(exception=True).error", "loguru"),
    ("from loguru import logger\nlog = logger.bind(user=1)\nlog.trace('x')\n", "log.trace", "loguru"),
    ("from loguru import logger\nlog = logger.patch(f).bind(a=1)\nlog.warning('x')\n", "log.warning", "loguru"),
    ("import structlog\nlog = structlog.get_logger()\nlog.info('x')\n", "log.info", "structlog"),
    ("from structlog import get_logger\nlog = get_logger().bind(a=1)\nlog.msg('x')\n", "log.msg", "structlog"),
    ("import structlog\nlog = structlog.stdlib.get_logger(__name__)\nlog.error('x')\n", "log.error", "structlog"),
    ("import logging, structlog\nlog = structlog.wrap_logger(logging.getLogger())\nlog.new(a=1).warn('x')\n",
     "log.new(a=1).warn", "structlog"),
    ("from aws_lambda_powertools import Logger\nlogger = Logger()\nlogger.info('x')\n", "logger.info", "powertools"),
    ("import logging\nlog = logging.getLogger(__name__).getChild('a')\nlog.info('x')\n", "log.info", "stdlib"),
]


@pytest.mark.parametrize("source,func,family", PROVEN)
def test_provenance_names_the_family(source, func, family):
    found = family_of(source, func)
    assert found is not None and found[0] == family and found[1] == family


NOT_LOGGER_CALLS = [
    # a method the family does not have: not a logging call
    ("from loguru import logger\nlogger.add(sink)\n", "logger.add"),
    ("from loguru import logger\nlogger.warn('x')\n", "logger.warn"),
    ("import structlog\nstructlog.configure(processors=[])\n", "structlog.configure"),
    # other parts of a family's library, and the silent families
    ("from loguru import _defaults\n_defaults.info('x')\n", "_defaults.info"),
    ("import logbook\nlog = logbook.Logger('x')\nlog.info('x')\n", "log.info"),
    ("from distutils import log\nlog.info('x')\n", "log.info"),
    # a name bound to loggers of two families: neither family's rules hold for both
    ("import logging\nfrom loguru import logger\nif x:\n    logger = logging.getLogger()\nlogger.info('x')\n",
     "logger.info"),
]


@pytest.mark.parametrize("source,func", NOT_LOGGER_CALLS)
def test_not_a_family_logger_call(source, func):
    assert family_of(source, func) is None


def test_unknown_receiver_is_taken_as_stdlib():
    assert family_of("def f(logger):\n    logger.info('x')\n", "logger.info") == ("stdlib", "unknown", "info")


def test_records_are_consistent():
    names = [f.name for f in families.FAMILIES]
    assert len(names) == len(set(names))
    for family in families.FAMILIES:
        assert families.by_name(family.name) is family
        # the ast gates see every family's logging methods
        assert family.methods <= ANY_LOG_METHODS, family.name
        assert set(family.aliases) <= family.methods and not set(family.aliases.values()) - family.methods
        if family.exception_keyword:
            assert family.exception_keyword in family.keywords
        # the pre-check lets a file that names the family's library through
        if not family.silent and family is not families.STDLIB:
            assert any(m.split(".")[0].encode() in {n.sample for n in FAMILY_LIBRARIES} for m in family.modules)
    assert families.STDLIB.stdlib_compatible and families.by_name("powertools").stdlib_compatible
    assert not families.by_name("loguru").stdlib_compatible and not families.by_name("structlog").stdlib_compatible


def test_a_rule_sees_only_the_families_it_covers():
    seen = []

    class StdlibView(Rule):
        code, name, message = "LC998", "stdlib-view", ""

        def visit_Call(self, node: cst.Call) -> None:
            found = self.logger_call(node)
            if found is not None:
                seen.append(found.family.name)

    source = ("import logging, structlog\nfrom loguru import logger\nlogging.getLogger('a').info('x')\n"
              "logger.info('x')\nstructlog.get_logger().info('x')\n")
    check_source("example.py", SourceText(source, "utf-8", False), [StdlibView], make_settings())
    assert seen == ["stdlib"]


# ---------------------------------------------------------------------------- eager messages per family
LOGURU = "from loguru import logger\n"
STRUCTLOG = "import structlog\nlog = structlog.get_logger()\n"

#: (prelude, call, fixed call or None for no fix, applicability of the fix)
EAGER_FSTRING = [
    (LOGURU, 'logger.info(f"a {x} b {y!r:>5} {{c}}")', 'logger.info("a {} b {!r:>5} {{c}}", x, y)', "safe"),
    (LOGURU, 'logger.info(f"{x=} {t:.2f}")', 'logger.info("x={!r} {:.2f}", x, t)', "safe"),
    (LOGURU, 'logger.info(f"100% {{x}}")', 'logger.info("100% {x}")', "safe"),
    (LOGURU, 'logger.bind(a=1).success(f"a {x}")', 'logger.bind(a=1).success("a {}", x)', "safe"),
    (LOGURU, 'logger.info(f"a {x}", user=u)', 'logger.info("a {}", x, user=u)', "unsafe"),
    (LOGURU, 'logger.opt(lazy=True).info(f"a {x}")', 'logger.opt(lazy=True).info("a {}", x)', "unsafe"),
    (LOGURU, 'logger.opt(record=True).info(f"a {x}")', 'logger.opt(record=True).info("a {}", x)', "unsafe"),
    (LOGURU, 'logger.info(f"a {x}", y)', None, None),
    (STRUCTLOG, 'log.info(f"user {uid} paid {order.total}")', 'log.info("user paid", uid=uid, total=order.total)',
     "safe"),
    (STRUCTLOG, 'log.info(f"user {uid}:", a=1)', 'log.info("user", a=1, uid=uid)', "safe"),
    (STRUCTLOG, 'log.info(f"user {uid!r} {t:.2f}")', 'log.info("user", uid=uid, t=t)', "unsafe"),
    (STRUCTLOG, 'log.info(f"at {level}")', 'log.info("at", level=level)', "unsafe"),
    # `render_to_log_kwargs` makes key-values the stdlib's `extra`: KeyError on a LogRecord attribute
    (STRUCTLOG, 'log.info(f"user {user.name}")', 'log.info("user", name=user.name)', "unsafe"),
    (STRUCTLOG, 'log.info(f"user {uid}", uid=2)', None, None),
    (STRUCTLOG, 'log.info(f"user {event}")', None, None),
    (STRUCTLOG, 'log.info(f"user {self}")', None, None),  # TypeError: multiple values for `self`
    (STRUCTLOG, 'log.info(f"user {task.method_name}")', None, None),
    (STRUCTLOG, 'log.info(f"user {a.uid} {b.uid}")', None, None),
    (STRUCTLOG, 'log.info(f"user {uid()}")', None, None),
    (STRUCTLOG, 'log.info(f"{uid}")', None, None),
]


@pytest.mark.parametrize("prelude,call,fixed,applicability", EAGER_FSTRING)
def test_eager_fstring_fix_per_family(prelude, call, fixed, applicability):

    found = check(prelude + call + "\n", ["LC201"])
    assert [d.code for d in found] == ["LC201"]
    got = found[0].fix
    if fixed is None:
        assert got is None
        return
    assert got is not None and got.applicability == applicability
    assert fix(prelude + call + "\n", ["LC201"], unsafe=True) == prelude + fixed + "\n"


#: (rule, prelude, call, fixed call or None for no fix, applicability of the fix): LC202-LC204
#: on loguru (`{}` lazy arguments) and structlog (constant event + key-values)
EAGER_BUILT = [
    # LC202: `%` operator
    ("LC202", LOGURU, 'logger.info("x %s" % v)', 'logger.info("x {}", v)', "unsafe"),  # `v` may be a 1-tuple
    ("LC202", LOGURU, 'logger.info("x %s" % str(v))', 'logger.info("x {}", str(v))', "safe"),
    ("LC202", LOGURU, 'logger.info("x %s and %r {b} 100%%" % (a, b))', 'logger.info("x {} and {!r} {{b}} 100%", a, b)',
     "safe"),
    ("LC202", LOGURU, 'logger.info("[%-6s|%8r|%.2s]" % (a, b, c))', 'logger.info("[{!s:<6}|{!r:>8}|{!s:.2}]", a, b, c)',
     "safe"),
    ("LC202", LOGURU, 'logger.info("%d items, %05.1f%%" % (n, t))', 'logger.info("{:d} items, {:05.1f}%", n, t)',
     "unsafe"),
    ("LC202", LOGURU, 'logger.bind(a=1).warning("x %s" % (v,))', 'logger.bind(a=1).warning("x {}", v)', "safe"),
    ("LC202", LOGURU, 'logger.info("x %s" % (v,), user=u)', 'logger.info("x {}", v, user=u)', "unsafe"),
    ("LC202", LOGURU, 'logger.opt(colors=True).info("x %s" % (v,))', 'logger.opt(colors=True).info("x {}", v)',
     "unsafe"),
    ("LC202", LOGURU, 'logger.opt(record=True).info("x %s" % (v,))', 'logger.opt(record=True).info("x {}", v)',
     "unsafe"),  # `record=True` formats even a message without arguments
    ("LC202", LOGURU, 'logger.info("x %(k)s" % {"k": v})', None, None),
    ("LC202", LOGURU, 'logger.info("x %s %s" % pair)', None, None),
    ("LC202", LOGURU, 'logger.info("x %*d" % (w, v))', None, None),
    ("LC202", STRUCTLOG, 'log.info("user %s paid %s" % (uid, order.total))',
     'log.info("user paid", uid=uid, total=order.total)', "safe"),
    ("LC202", STRUCTLOG, 'log.info("user %r paid %.2f" % (uid, amount))',
     'log.info("user paid", uid=uid, amount=amount)', "unsafe"),
    ("LC202", STRUCTLOG, 'log.info("user %s" % uid)', 'log.info("user", uid=uid)', "unsafe"),
    ("LC202", STRUCTLOG, 'log.info("user %s" % uid())', None, None),
    ("LC202", STRUCTLOG, 'log.bind(uid=1).info("user %s" % (uid,))', 'log.bind(uid=1).info("user", uid=uid)', "unsafe"),
    ("LC202", STRUCTLOG + "structlog.contextvars.bind_contextvars(uid=1)\n", 'log.info("user %s" % (uid,))',
     'log.info("user", uid=uid)', "unsafe"),  # the call's key-value replaces the context's
    ("LC202", STRUCTLOG + "log = log.bind(**ctx)\n", 'log.info("user %s" % (uid,))', 'log.info("user", uid=uid)',
     "unsafe"),
    ("LC202", STRUCTLOG + "log = log.bind(order=1)\n", 'log.info("user %s" % (uid,))', 'log.info("user", uid=uid)',
     "safe"),
    ("LC202", STRUCTLOG, 'log.info("user %s" % (uid,), uid=1)', None, None),
    # LC203: str.format
    ("LC203", LOGURU, 'logger.info("a {} b {:>5.2f} {{c}}".format(x, y))', 'logger.info("a {} b {:>5.2f} {{c}}", x, y)',
     "safe"),
    ("LC203", LOGURU, 'logger.info("{1} {0!r}".format(x, y))', 'logger.info("{} {!r}", y, x)', "safe"),
    ("LC203", LOGURU, 'logger.info("{name} in {where}".format(name=n, where=w))', 'logger.info("{} in {}", n, w)',
     "safe"),
    ("LC203", LOGURU, 'logger.info("{1} {0}".format(f(), g()))', None, None),  # evaluation order
    ("LC203", LOGURU, 'logger.info("{0.name}".format(x))', None, None),
    ("LC203", LOGURU, 'logger.info("{}".format(*xs))', None, None),
    ("LC203", LOGURU, 'logger.info("a {}".format(x), k=1)', 'logger.info("a {}", x, k=1)', "unsafe"),
    ("LC203", STRUCTLOG, 'log.info("user {} paid {}".format(uid, order.total))',
     'log.info("user paid", uid=uid, total=order.total)', "safe"),
    ("LC203", STRUCTLOG, 'log.info("user {!r}".format(uid))', 'log.info("user", uid=uid)', "unsafe"),
    ("LC203", STRUCTLOG, 'log.info("user {} {}".format(a.uid, b.uid))', None, None),
    ("LC203", STRUCTLOG, 'log.info("user {}".format(uid + 1))', None, None),
    # LC204: `+`
    ("LC204", LOGURU, 'logger.info("user " + str(u) + " has " + repr(n) + " {x}")',
     'logger.info("user {!s} has {!r} {{x}}", u, n)', "safe"),
    ("LC204", LOGURU, 'logger.info("user " + name + f" at {t:.1f}")', 'logger.info("user {} at {:.1f}", name, t)',
     "unsafe"),  # `name` not proven a str
    ("LC204", LOGURU, 'logger.info("a " + "%s" % x + " b")', 'logger.info("a {} b", "%s" % x)', "safe"),
    ("LC204", LOGURU, 'logger.info("a " + "{}".format(x))', 'logger.info("a {}", "{}".format(x))', "safe"),
    ("LC204", STRUCTLOG, 'log.info("user " + "{}".format(uid) + " left")', None, None),
    ("LC204", STRUCTLOG, 'log.info("user " + uid + " left")', 'log.info("user left", uid=uid)', "unsafe"),
    ("LC204", STRUCTLOG, 'log.info("user " + str(uid) + " left")', 'log.info("user left", uid=uid)', "unsafe"),
    ("LC204", STRUCTLOG, 'log.info("user " + f"{uid}" + " left")', 'log.info("user left", uid=uid)', "safe"),
]


@pytest.mark.parametrize("code,prelude,call,fixed,applicability", EAGER_BUILT)
def test_eager_built_message_fix_per_family(code, prelude, call, fixed, applicability):
    found = check(prelude + call + "\n", [code])
    assert [d.code for d in found] == [code]
    got = found[0].fix
    if fixed is None:
        assert got is None
        return
    assert got is not None and got.applicability == applicability
    assert fix(prelude + call + "\n", [code], unsafe=True) == prelude + fixed + "\n"


#: calls that look like LC202-LC204 on loguru/structlog but are not those loggers by
#: provenance (foreign: silent), or build nothing
EAGER_BUILT_CLEAN = [
    ("LC202", "from twisted.logger import Logger\nlogger = Logger()\n", 'logger.info("x %s" % v)'),
    ("LC203", "import eliot\nlog = eliot.Logger()\n", 'log.info("x {}".format(v))'),
    ("LC204", "from logbook import Logger\nlog = Logger()\n", 'log.info("x " + v)'),
    ("LC204", "class Log:\n    def info(self, m):\n        pass\nlogger = Log()\n", 'logger.info("x " + v)'),
    ("LC204", LOGURU, 'logger.info("a " + "b")'),
    ("LC202", STRUCTLOG, 'log.info("x %s", v)'),
    ("LC203", STRUCTLOG, 'log.info("x {}", v=1)'),
]


@pytest.mark.parametrize("code,prelude,call", EAGER_BUILT_CLEAN)
def test_eager_built_message_lookalikes_are_clean(code, prelude, call):
    assert check(prelude + call + "\n", [code]) == []


def test_eager_message_wording_names_the_family_fix():
    assert "lazy {} arguments" in check(LOGURU + 'logger.info(f"{x}")\n', ["LC201"])[0].message
    assert "key-value pairs" in check(STRUCTLOG + 'log.info(f"a {x}")\n', ["LC201"])[0].message


# ---------------------------------------------------------------------------- placeholders (LC205)
BRACE_MISMATCH = [
    ('logger.info("a {} {}", x)', "IndexError"),
    ('logger.info("a {1}", x)', "IndexError"),
    ('logger.info("a {0} {}", x, y)', "ValueError"),
    ('logger.info("a {name}", x)', "KeyError"),
    ('logger.info("a {name}", user=x)', "KeyError"),
    ('logger.info("a {x} {", x=1)', "ValueError"),
    ('logger.info("a {}", x, y)', "never appear"),
    ('logger.opt(depth=1).error("{} {}", x)', "IndexError"),
]
BRACE_MATCH = [
    'logger.info("a {}")',  # no arguments: loguru does not format
    'logger.info("a {} {name}", x, name=y)',
    'logger.info("a {0} {0}", x)',
    'logger.info("{user.name} {items[0]}", user=u, items=i, extra=1)',
    'logger.info("{}", *args)',
    'logger.info("{k}", **kw)',
    'logger.info("a %s", x)',  # LC701's
    'logger.info(message, x)',
]


@pytest.mark.parametrize("call,error", BRACE_MISMATCH)
def test_loguru_brace_mismatch(call, error):
    found = check(LOGURU + call + "\n", ["LC205"])
    assert [d.code for d in found] == ["LC205"] and error in found[0].message


@pytest.mark.parametrize("call", BRACE_MATCH)
def test_loguru_brace_match(call):
    assert check(LOGURU + call + "\n", ["LC205"]) == []


@pytest.mark.parametrize("call", [c for c, _ in BRACE_MISMATCH if "never" not in _])
def test_loguru_mismatch_raises_in_the_caller(call):
    """The oracle: the real loguru raises from the logging call itself."""
    loguru = pytest.importorskip("loguru")
    import sys

    loguru.logger.remove()
    sink = loguru.logger.add(sys.stderr, level="TRACE")
    try:
        with pytest.raises((IndexError, KeyError, ValueError)):
            exec(call, {"logger": loguru.logger, "x": 1, "y": 2})
    finally:
        loguru.logger.remove(sink)


#: structlog: positional arguments are filled with `event % args` (native logger)
EVENT_ARGS_MISMATCH = [
    ('log.info("a %s %s", x)', "2 placeholders but 1 argument"),
    ('log.info("a {}", x)', "`{}`-style placeholders"),
    ('log.info("a", x)', "0 placeholders but 1 argument"),
    ('log.info("a %s", x, y)', "1 placeholder but 2 arguments"),
    ('log.info("a %(k)s", {"j": x})', "mapping has no key 'k'"),
    ('log.bind(u=1).error("100%", x)', "incomplete format"),
    ('log.info("a %s %s", (x, y))', "2 placeholders but 1 argument"),
    ('log.log(logging.INFO, "a %s %s", x)', "2 placeholders but 1 argument"),
    ('log.msg("a %d", x, y)', "1 placeholder but 2 arguments"),
]
EVENT_ARGS_MATCH = [
    'log.info("a %s")',  # no positional arguments: the event is logged as written
    'log.info("a {}", k=x)',
    'log.info("a %s", x)',
    'log.info("a %s %r", x, y, k=1)',
    'log.info("a %(k)s", {"k": x})',
    'log.info("a %s", *args)',
    'log.info(event, x)',
]


@pytest.mark.parametrize("call,problem", EVENT_ARGS_MISMATCH)
def test_structlog_positional_mismatch(call, problem):
    found = check(STRUCTLOG + call + "\n", ["LC205"])
    assert [d.code for d in found] == ["LC205"] and problem in found[0].message and "event % args" in found[0].message


@pytest.mark.parametrize("call", EVENT_ARGS_MATCH)
def test_structlog_positional_match(call):
    assert check(STRUCTLOG + call + "\n", ["LC205"]) == []


@pytest.mark.parametrize("prelude", ["from twisted.logger import Logger\nlog = Logger()\n",
                                     "import eliot\nlog = eliot.Logger()\n"])
def test_positional_mismatch_on_a_foreign_lookalike_is_silent(prelude):
    assert check(prelude + 'log.info("a {}", x)\nlog.info("a %s %s", x)\n', ["LC205"]) == []


@pytest.mark.parametrize("call", [c for c, _ in EVENT_ARGS_MISMATCH])
def test_structlog_mismatch_raises_in_the_caller(call):
    """The oracle: the real structlog's default logger raises from the logging call, and
    so does a stdlib BoundLogger with `PositionalArgumentsFormatter`."""
    structlog = pytest.importorskip("structlog")
    import logging

    try:
        structlog.reset_defaults()
        structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
        with pytest.raises((TypeError, ValueError, KeyError)):
            exec(call, {"log": structlog.get_logger(), "x": 1, "y": 2, "logging": logging})
        if call.startswith("log.msg("):
            return  # structlog.stdlib.BoundLogger has no `msg`
        structlog.configure(processors=[structlog.stdlib.PositionalArgumentsFormatter(),
                                        structlog.processors.KeyValueRenderer()],
                            wrapper_class=structlog.stdlib.BoundLogger, logger_factory=structlog.stdlib.LoggerFactory())
        logging.getLogger("oracle").setLevel(logging.DEBUG)
        with pytest.raises((TypeError, ValueError, KeyError)):
            exec(call, {"log": structlog.get_logger("oracle"), "x": 1, "y": 2, "logging": logging})
    finally:
        structlog.reset_defaults()


@pytest.mark.parametrize("call", [c for c in EVENT_ARGS_MATCH if "args" not in c and "event" not in c])
def test_structlog_match_logs_in_the_caller(call):
    structlog = pytest.importorskip("structlog")
    try:
        structlog.reset_defaults()
        structlog.configure(logger_factory=structlog.ReturnLoggerFactory())
        exec(call, {"log": structlog.get_logger(), "x": 1, "y": 2})
    finally:
        structlog.reset_defaults()


# ---------------------------------------------------------------------------- secrets (LC601)
SECRETS = [
    (LOGURU, 'logger.info("login {}", user, password=pw)', 1),
    (LOGURU, 'logger.bind(api_key=key).info("x")', 1),
    (LOGURU, 'with logger.contextualize(token=t):\n    pass', 1),
    (LOGURU, 'logger.info("login", count=3, user=u)', 0),
    (STRUCTLOG, 'log.info("login", auth_token=tok)', 1),
    (STRUCTLOG, 'log = log.bind(session_id=s)\nlog.info("x")', 1),
    (STRUCTLOG, 'log.info("x", value=self.secret)', 1),
    (STRUCTLOG, 'log.info("x", exc_info=True, user=u)', 0),
    # the stdlib's other keywords are options, not logged data
    ("import logging\nlogger = logging.getLogger()\n", 'logger.info("x", stacklevel=token_level)', 0),
    # and a keyword the stdlib does not take is no logged data (a TypeError)
    ("import logging\nlogger = logging.getLogger()\n", 'logger.info("x", password=pw)', 0),
    (STRUCTLOG, 'log = log.bind(**credentials)\nlog.info("x")', 1),  # bound by unpacking
    # a bind method of another family: not this logger's context
    (STRUCTLOG, 'log.contextualize(token=t)', 0),
    (LOGURU, 'logger.new(token=t)', 0),
    # the key is a name the code shows a plain value for; the value is still checked
    (STRUCTLOG, 'token = 0\nlog.info("x", token=secret_key)', 1),
]


@pytest.mark.parametrize("prelude,call,count", SECRETS)
def test_secrets_in_key_values_and_bind(prelude, call, count):
    assert [d.code for d in check(prelude + call + "\n", ["LC601"])] == ["LC601"] * count


def test_a_secret_key_is_named_in_the_message():
    [found] = check(STRUCTLOG + 'log.info("login", auth_token=tok)\n', ["LC601"])
    assert found.message.startswith("key 'auth_token' looks like a secret (`token`)"), found.message


# ---------------------------------------------------------------------------- exceptions (LC304-LC306)
EXCEPTIONS = [
    (LOGURU, 'logger.exception("outside")', ["LC304"]),  # loguru logs `NoneType: None` too
    (LOGURU, 'logger.opt(exception=True).error("outside")', ["LC304"]),  # so does opt(exception=True)
    (LOGURU, 'logger.opt(exception=1).bind(a=1).info("outside")', ["LC304"]),
    (LOGURU, 'logger.opt(exception=err).error("outside")', []),  # an exception object: fine anywhere
    (LOGURU, 'logger.opt(exception=False).error("outside")', []),
    (LOGURU, 'try:\n    pass\nexcept Exception:\n    logger.opt(exception=True).error("inside")', []),
    ("from mylib import logger\n", 'logger.opt(exception=True).error("outside")', []),
    (STRUCTLOG, 'log.exception("outside")', ["LC304"]),  # structlog logs the record without a traceback
    (STRUCTLOG, 'log.info("outside", exc_info=True)', ["LC304"]),
    (STRUCTLOG, 'log.info("outside", exc_info=err)', []),
    (STRUCTLOG, 'def f():\n    log.exception("maybe inside a caller\'s handler")', []),
    ("from twisted.logger import Logger\nlog = Logger()\n", 'log.exception("outside")', []),
    (STRUCTLOG, 'try:\n    pass\nexcept Exception:\n    log.error("x", exc_info=True)', ["LC305"]),
    (STRUCTLOG, 'try:\n    pass\nexcept Exception:\n    log.exception("x", exc_info=True)', ["LC306"]),
    (LOGURU, 'try:\n    pass\nexcept Exception:\n    logger.error("x", exc_info=True)', []),  # LC701's
]


@pytest.mark.parametrize("call", ['logger.exception("outside")', 'logger.opt(exception=True).error("outside")'])
def test_loguru_exception_outside_a_handler_logs_nonetype(call):
    """The finding's words, held against the real loguru."""
    assert "`NoneType: None`" in check(LOGURU + call + "\n", ["LC304"])[0].message
    loguru = pytest.importorskip("loguru")
    import io

    out = io.StringIO()
    loguru.logger.remove()
    sink = loguru.logger.add(out, format="{message}")
    try:
        exec(call, {"logger": loguru.logger})
    finally:
        loguru.logger.remove(sink)
    assert out.getvalue() == "outside\nNoneType: None\n"


def test_structlog_exception_outside_a_handler_says_what_structlog_logs():
    """The finding's words, held against the real structlog: the exception processors drop
    `exc_info=True` when no exception is being handled, a bare JSONRenderer prints it."""
    message = check(STRUCTLOG + 'log.exception("outside")\n', ["LC304"])[0].message
    assert "without a traceback" in message and '"exc_info": true' in message
    structlog = pytest.importorskip("structlog")
    import json

    try:
        for processors, expected in (([structlog.processors.format_exc_info], {"event": "outside"}),
                                     ([structlog.processors.dict_tracebacks], {"event": "outside"}),
                                     ([], {"event": "outside", "exc_info": True})):
            structlog.configure(processors=processors + [structlog.processors.JSONRenderer()],
                                logger_factory=structlog.ReturnLoggerFactory())
            assert json.loads(structlog.get_logger().exception("outside")) == expected
    finally:
        structlog.reset_defaults()


@pytest.mark.parametrize("prelude,source,expected", EXCEPTIONS)
def test_exception_rules_per_family(prelude, source, expected):
    assert [d.code for d in check(prelude + source + "\n", ["LC304", "LC305", "LC306"])] == expected


# ---------------------------------------------------------------------------- LC7xx
LOGURU_SINKS = "import sys\nfrom loguru import logger\n"

#: (source after the prelude, codes expected, settings)
OWN_RULES = [
    (LOGURU, 'logger.warn("x")', ["LC701"], {}),
    (LOGURU, 'logger.setLevel("INFO")', ["LC701"], {}),
    (LOGURU, 'logger.info("x", extra={"a": 1})', ["LC701"], {}),
    (LOGURU, 'logger.info("a %s", x)', ["LC701"], {}),
    (LOGURU, 'logger.info("a %s")', [], {}),  # no arguments: nothing is formatted
    (LOGURU, 'logger.info("a {}", x)', [], {}),
    ("import logging\nlogger = logging.getLogger()\n", 'logger.warn("x")', [], {}),  # LC301's
    (LOGURU_SINKS, 'logger.add("app.log")', ["LC702"], {}),
    (LOGURU_SINKS, 'logger.add("app.log", rotation="1 MB")', ["LC702"], {}),
    (LOGURU_SINKS, 'logger.add("app.log", rotation="1 MB", retention=3)', [], {}),
    (LOGURU_SINKS, 'logger.add("app.log", rotation="1 MB", retention=3)', ["LC702"],
     {"policy": {"preset": "container"}}),  # no files; diagnose on
    (LOGURU_SINKS, 'logger.remove()\nlogger.add(sys.stdout, diagnose=False, serialize=True)', [],
     {"policy": {"preset": "container"}}),
    (LOGURU_SINKS, 'logger.remove()\nlogger.add(sys.stdout, diagnose=False)', ["LC702"],
     {"policy": {"preset": "container"}}),  # structured output asked for
    (LOGURU_SINKS, 'logger.add(sys.stderr)', ["LC703"], {}),
    (LOGURU_SINKS, 'logger.remove()\nlogger.add(sys.stderr)', [], {}),
    (LOGURU_SINKS, 'logger.configure(handlers=[{"sink": sys.stderr}])\nlogger.add(sys.stdout)', [], {}),
    (LOGURU_SINKS, 'logger.add(sink_function)', [], {}),
    (STRUCTLOG, 'log.info("x", event="y")', ["LC711"], {}),
    (STRUCTLOG, 'log = log.bind(event="y")', ["LC711"], {}),
    (STRUCTLOG, 'log.info("x", exc_info="yes")', ["LC711"], {}),
    (STRUCTLOG, 'log.info("x", exc_info=err)', [], {}),
    (STRUCTLOG, 'structlog.configure(processors=[structlog.processors.JSONRenderer()])', ["LC712"], {}),
    (STRUCTLOG, 'structlog.configure(processors=[structlog.processors.format_exc_info, '
                'structlog.processors.JSONRenderer()])', [], {}),
    (STRUCTLOG, 'structlog.configure(processors=[structlog.processors.TimeStamper(), '
                'structlog.dev.ConsoleRenderer()])', ["LC712"], {"policy": {"preset": "server"}}),
    (STRUCTLOG, 'structlog.configure(processors=[structlog.processors.TimeStamper(), '
                'structlog.dev.ConsoleRenderer()])', [], {}),
    (STRUCTLOG, 'structlog.configure(processors=chain)', [], {}),
]


@pytest.mark.parametrize("prelude,source,expected,settings", OWN_RULES)
def test_family_own_rules(prelude, source, expected, settings):
    codes = ["LC701", "LC702", "LC703", "LC711", "LC712"]
    found = check(prelude + source + "\n", codes, settings=settings or None)
    assert sorted({d.code for d in found}) == expected, [d.message for d in found]


def test_own_rules_are_silent_in_tests_for_deployment_policy():
    found = check(LOGURU_SINKS + 'logger.add("app.log")\n', ["LC702"], path="tests/test_app.py")
    assert found == []


def test_default_sink_fix_inserts_remove_before_the_first_add():
    source = LOGURU_SINKS + "# console\nlogger.add(sys.stderr)\nlogger.add(sys.stdout, level='INFO')\n"
    assert fix(source, ["LC703"]) == LOGURU_SINKS + \
        "# console\nlogger.remove()\nlogger.add(sys.stderr)\nlogger.add(sys.stdout, level='INFO')\n"
    unsafe = check(LOGURU_SINKS + "logger.add(sys.stderr, level='WARNING')\n", ["LC703"])
    assert unsafe[0].fix.applicability == "unsafe"  # the default sink showed INFO records, the new one does not


#: LC701's fixes: (call, fixed call or None for no fix, applicability)
LOGURU_STDLIB_FIXES = [
    ('logger.info("x", extra={"k": v})', 'logger.bind(k=v).info("x")', "safe"),
    ('logger.info("x {}", a, extra={"k": v, "n": 2})', 'logger.bind(k=v, n=2).info("x {}", a)', "safe"),
    ('logger.bind(a=1).warning("x", extra={"k": v}, y=1)', 'logger.bind(a=1).bind(k=v).warning("x", y=1)', "safe"),
    ('logger.info(\n    "x",\n    extra={"k": v},\n)', 'logger.bind(k=v).info(\n    "x",\n)', "safe"),
    # the message was formatted with the keyword and no longer is (or names it)
    ('logger.info("x {k}", extra={"k": v})', 'logger.bind(k=v).info("x {k}")', "unsafe"),
    ('logger.info("x {{y}}", extra={"k": v})', 'logger.bind(k=v).info("x {{y}}")', "unsafe"),
    ('logger.info("x {extra}", a, extra={"k": v})', 'logger.bind(k=v).info("x {extra}", a)', "unsafe"),
    # another keyword overrides the bound key; a formatting option; evaluation order
    ('logger.info("x", extra={"k": v}, k=2)', 'logger.bind(k=v).info("x", k=2)', "unsafe"),
    ('logger.opt(capture=False).info("x", extra={"k": v})', 'logger.opt(capture=False).bind(k=v).info("x")',
     "unsafe"),
    ('logger.info("x {}", f(), extra={"k": g()})', 'logger.bind(k=g()).info("x {}", f())', "unsafe"),
    ('logger.info("x {}", a, extra={"k": g()})', 'logger.bind(k=g()).info("x {}", a)', "unsafe"),
    # keys that are not keyword arguments, or not a dict literal: no fix
    ('logger.info("x", extra={"a-b": v})', None, None),
    ('logger.info("x", extra={"class": v})', None, None),
    ('logger.info("x", extra={"k": 1, "k": 2})', None, None),
    ('logger.info("x", extra={**base, "k": v})', None, None),
    ('logger.info("x", extra=data)', None, None),
    ('logger.info("x", extra={})', None, None),
    ('logger.error("x", exc_info=True)', 'logger.opt(exception=True).error("x")', "safe"),
    ('logger.error("x {}", a, exc_info=True)', 'logger.opt(exception=True).error("x {}", a)', "safe"),
    ('logger.error("x {exc_info}", a, exc_info=True)', 'logger.opt(exception=True).error("x {exc_info}", a)',
     "unsafe"),
    ('logger.error("x", exc_info=err)', None, None),
]


@pytest.mark.parametrize("call,fixed,applicability", LOGURU_STDLIB_FIXES)
def test_loguru_stdlib_api_fixes(call, fixed, applicability):
    found = check(LOGURU + call + "\n", ["LC701"])
    assert [d.code for d in found] == ["LC701"]
    if fixed is None:
        assert found[0].fix is None
        return
    assert found[0].fix is not None and found[0].fix.applicability == applicability
    assert fix(LOGURU + call + "\n", ["LC701"], unsafe=True) == LOGURU + fixed + "\n"


@pytest.mark.parametrize("call", ['info("x", extra={"k": v})', 'info("x {}", a, extra={"k": v, "n": 2})'])
def test_bind_is_what_extra_meant(call):
    """The oracle of the `extra=` finding and fix: the real loguru nests `extra=` under
    `extra["extra"]`, and `bind(...)` puts the same keys in `extra` itself."""
    loguru = pytest.importorskip("loguru")
    records = []
    loguru.logger.remove()
    sink = loguru.logger.add(lambda m: records.append(m.record), level="TRACE")
    try:
        names = {"logger": loguru.logger, "v": 1, "a": 2}
        exec("logger." + call, names)
        exec(fix(LOGURU + "logger." + call + "\n", ["LC701"])[len(LOGURU):], names)
    finally:
        loguru.logger.remove(sink)
    before, after = records
    assert before["message"] == after["message"]
    assert "extra" in before["extra"] and after["extra"] == before["extra"]["extra"]


#: LC703's fix removes every sink added before it: exact only when no other sink can be there
DEFAULT_SINK_FIX = [
    ('logger.add(sys.stderr)', "safe"),
    ('logger.add(sys.stderr)\nlogger.add("f.log")', "safe"),  # added after: kept
    ('seen = set()\nseen.add(1)\nlogger.add(sys.stderr)', "safe"),
    ('def setup():\n    logger.add(sys.stderr)', "safe"),
    ('logger.add("f.log")\nlogger.add(sys.stderr)', "unsafe"),  # removed with the default sink
    ('def setup():\n    logger.add(sys.stderr)\n    logger.add("f.log")', "unsafe"),  # setup may run twice
    ('logger.add(sys.stderr)\ndef later():\n    logger.add("f.log")', "unsafe"),
    ('logger.add(sys.stderr, level="INFO")', "unsafe"),  # DEBUG records were shown by the default sink
    ('logger.add(sys.stderr, filter="app")', "unsafe"),
]


@pytest.mark.parametrize("source,applicability", DEFAULT_SINK_FIX)
def test_default_sink_fix_is_safe_only_when_no_other_sink_is_removed(source, applicability):
    found = check(LOGURU_SINKS + source + "\n", ["LC703"])
    assert [d.code for d in found] == ["LC703"] and found[0].fix.applicability == applicability


# ---------------------------------------------------------------------------- LC712: cached loggers
_CHAIN = "processors=[structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]"
CACHING = f"structlog.configure({_CHAIN}, cache_logger_on_first_use=True)\n"
NOT_CACHING = f"structlog.configure({_CHAIN})\n"
USE = "log = structlog.get_logger()\nlog.info('ready')\n"

#: (module body after `import structlog`, reported)
CACHED_USE = [
    (CACHING + USE + NOT_CACHING, True),
    (CACHING + "log = structlog.get_logger().bind(job=1)\n" + NOT_CACHING, True),
    (CACHING + "log = structlog.get_logger()\n" + NOT_CACHING + "log.info('ready')\n", False),  # used after
    (USE + CACHING, False),  # used before caching was on: not cached
    (NOT_CACHING + USE + NOT_CACHING, False),
    (CACHING + CACHING.replace("=True", "=False") + USE + NOT_CACHING, False),  # turned off before the use
    (CACHING + "log = structlog.get_logger()\ndef run():\n    log.info('x')\n" + NOT_CACHING, False),  # not at import
]


@pytest.mark.parametrize("body,reported", CACHED_USE)
def test_configure_after_a_cached_use(body, reported):
    found = check("import structlog\n" + body, ["LC712"])
    assert [d.code for d in found] == (["LC712"] if reported else []), [d.message for d in found]


def test_a_cached_logger_keeps_the_earlier_configuration():
    """The oracle: the real structlog renders a logger used with caching on through the
    chain of that time, whatever `configure()` says later."""
    structlog = pytest.importorskip("structlog")
    seen = []

    def chain(name):
        def capture(logger, method, event_dict):
            seen.append((name, event_dict["event"]))
            raise structlog.DropEvent
        return [capture]

    try:
        structlog.configure(processors=chain("first"), cache_logger_on_first_use=True)
        log = structlog.get_logger()
        log.info("ready")
        structlog.configure(processors=chain("second"))
        log.info("later")
        structlog.get_logger().info("new")
    finally:
        structlog.reset_defaults()
    assert seen == [("first", "ready"), ("first", "later"), ("second", "new")]
