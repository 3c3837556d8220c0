"""LC201-LC207: positives, negatives (false-positive traps) and exact fix outputs."""

from __future__ import annotations

import textwrap

import pytest
from helpers import check, codes, fix, plain_id

from logcheck.rules.messages import formatting

HEADER = "import logging\nlogger = logging.getLogger(__name__)\n"


def src(body: str) -> str:
    return HEADER + textwrap.dedent(body)


# --------------------------------------------------------------------------- detection

# (code, body, number of findings of that code)
DETECTION = [
    # LC201 ------------------------------------------------------------------
    ("LC201", 'logger.info(f"user {user}")', 1),
    ("LC201", 'logger.info(f"no fields")', 1),
    ("LC201", 'logger.log(logging.INFO, f"user {user}")', 1),
    ("LC201", 'logger.info("a " f"{x}")', 1),
    ("LC201", 'logger.info(msg=f"{x}")', 1),
    ("LC201", 'logging.getLogger("x").warning(f"{x}")', 1),
    ("LC201", 'self.logger.error(f"{x}")', 1),
    ("LC201", 'logger.info("user %s", f"{x}")', 0),  # f-string argument, not the message
    ("LC201", 'print(f"{x}")', 0),
    ("LC201", 'warnings.warn(f"{x}")', 0),
    ("LC201", 'parser.error(f"{x}")', 0),
    ("LC201", 'db.info(f"{x}")', 0),
    # LC201 covers every family with a message style (its own fix: tests/test_families.py)
    ("LC201", 'from loguru import logger as lg\nlg.info(f"{x}")', 1),
    ("LC201", 'import structlog\nslog = structlog.get_logger()\nslog.info(f"{x}")', 1),
    ("LC201", 'log = math.log\nlog(f"{x}")', 0),
    ("LC201", 'logger.info("{x}")', 0),
    ("LC201", 'logger.info(b"x")', 0),
    ("LC201", 'logger.info(f"{d["k"]}")', 1),  # Python 3.12 nested quotes
    # LC202 ------------------------------------------------------------------
    ("LC202", 'logger.info("user %s" % user)', 1),
    ("LC202", 'logger.info("%s %s" % (a, b))', 1),
    ("LC202", 'logger.info("%(k)s" % {"k": v})', 1),
    ("LC202", 'logger.info(fmt % user)', 0),  # not a literal: may not even be a string
    ("LC202", 'logger.info("user %s", "%d" % n)', 0),  # an argument, not the message
    ("LC202", 'print("user %s" % user)', 0),
    ("LC202", 'logger.info("100%")', 0),
    # LC203 ------------------------------------------------------------------
    ("LC203", 'logger.info("user {}".format(user))', 1),
    ("LC203", 'logger.info("user {0.name}".format(user))', 1),
    ("LC203", 'logger.info(template.format(user))', 1),
    ("LC203", 'logger.info("%s", "{}".format(x))', 0),
    ("LC203", 'click.echo("user {}".format(user))', 0),
    ("LC203", 'logger.info(format(66, "x"))', 0),  # the builtin, not str.format
    ("LC203", 'logger.info(str.format("{}", x))', 1),  # str.format unbound: a non-literal template
    ("LC203", 'logger.info("{}".format)', 0),
    # LC204 ------------------------------------------------------------------
    ("LC204", 'logger.info("user " + user)', 1),
    ("LC204", 'logger.info(prefix + "user")', 1),
    ("LC204", 'logger.info(a + b)', 0),  # no string literal: maybe numbers
    ("LC204", 'logger.info("a" "b")', 0),  # implicit concatenation is one literal
    ("LC204", 'logger.info("x %s", a + "b")', 0),
    ("LC204", 'logger.info(b"a" + x)', 0),
    ("LC204", 'logger.info("a" + b"x")', 0),  # always a TypeError, not a message
    # only literals: one constant message, nothing is formatted
    ("LC204", 'logger.info("a " + "b")', 0),
    ("LC204", 'logger.info("a " "b" + "c" + ("d" "e"))', 0),
    ("LC204", "logger.info('a' + \"b's\")", 0),
    ("LC204", 'logger.info("a " + f"{x}")', 1),
    # LC205 ------------------------------------------------------------------
    ("LC205", 'logger.info("%s %s", a)', 1),
    ("LC205", 'logger.info("%s", a, b)', 1),
    ("LC205", 'logger.info("done", a)', 1),
    ("LC205", 'logger.info("%(a)s %(b)s", {"a": 1})', 1),
    ("LC205", 'logger.info("%(a)s", 1, 2)', 1),
    ("LC205", 'logger.info("%(a)s", "text")', 1),
    ("LC205", 'logger.info("%y", a)', 1),
    ("LC205", 'logger.info("50%", a)', 1),
    ("LC205", 'logger.info("%(a", {"a": 1})', 1),
    ("LC205", 'logger.info("%*d", 5)', 1),
    ("LC205", 'logger.log(logging.INFO, "%s %s", a)', 1),
    ("LC205", 'logger.info("%d", {"a": 1})', 1),  # formats the mapping itself as a number
    ("LC205", 'logger.info("%s %s", a, b)', 0),
    ("LC205", 'logger.info("100%")', 0),  # no arguments: never formatted
    ("LC205", 'logger.info("%s %s", *args)', 0),
    # placeholders and no arguments at all: logged as written
    ("LC205", 'logger.info("loaded %d rows")', 1),
    ("LC205", 'logger.info("%s")', 1),
    ("LC205", 'logger.info("user %(name)s logged in")', 1),
    ("LC205", 'logger.info(msg="%.2f s")', 1),
    ("LC205", 'logging.warning("%s failed")', 1),
    ("LC205", 'logger.info("100%")', 0),
    ("LC205", 'logger.info("100%% done")', 0),
    ("LC205", 'logger.info("100% done, 50% sure")', 0),  # `% d`, `% s`: text, not placeholders
    ("LC205", 'logger.info("%y")', 0),
    ("LC205", 'logger.info("Blending " + "%s")', 1),  # a constant built with `+` (LOG012)
    ("LC205", 'logger.info("a %s" + " b %s", x)', 1),
    ("LC205", 'logger.info("a %s" + name, x)', 0),  # not a constant
    ("LC205", 'logger.info("%s", *args)', 0),
    ("LC205", 'self._log.info("%s")', 0),  # unknown receiver: not for the new checks
    # a mapping key the message does not use (flake8-logging LOG013)
    ("LC205", 'logger.info("%(a)s", {"a": 1, "b": 2})', 1),
    ("LC205", 'logger.info("%(a)s", {"a": 1, **more})', 0),
    ("LC205", 'logger.info("%(a)s", {})', 1),  # an empty mapping stays positional: TypeError
    ("LC205", 'logger.info("%s", {})', 0),
    # bytes messages are logged as `b'...'`
    ("LC205", 'logger.info(b"x")', 1),
    ("LC205", 'logger.info(b"%s", x)', 1),
    # brace placeholders with arguments: logging formats with %, the values never appear
    ("LC205", 'logger.info("user {}", user)', 1),
    ("LC205", 'logger.info("user {0} {1}", a, b)', 1),
    ("LC205", 'logger.info("user {name}", {"name": n})', 1),
    ("LC205", 'logger.info("user {u.name} {items[0]}", u, items)', 1),
    ("LC205", 'logger.info("user {}")', 0),  # no arguments: printed as written
    ("LC205", 'logger.info("{%s}", x)', 0),  # `%s` takes the argument; the braces are text
    ("LC205", 'logger.info("set {k: %s}", v)', 0),
    ("LC205", 'logger.info(\'{"a": 1} %s\', v)', 0),
    ("LC205", 'self._log.info("user {}", u)', 0),  # unknown receiver: may be a `{}`-style logger
    ("LC205", 'self._log.info("%s %s", u)', 1),
    ("LC205", 'logger.info("%(a)s", mapping)', 0),  # may be a mapping at runtime
    ("LC205", 'logger.info("%(a)s", {**base})', 0),
    ("LC205", 'logger.info("%s", {"a": 1})', 0),
    ("LC205", 'logger.info("%d%% done, %*d", n, 5, m)', 0),
    ("LC205", 'logger.info("%.*f", 2, x)', 0),
    ("LC205", 'logger.info("%ld %hd", a, b)', 0),
    ("LC205", 'logger.info(msg, a)', 0),  # not a literal
    ("LC205", 'logger.info("%s", a, exc_info=True)', 0),
    ("LC205", 'print("%s %s" % (a,))', 0),
    # LC206 ------------------------------------------------------------------
    ("LC206", 'logger.info("x", extra={"name": 1})', 1),
    ("LC206", 'logger.info("x", extra={"message": 1, "asctime": 2, "user": 3})', 2),
    ("LC206", 'logger.info("x", extra=dict(module="m", user=1))', 1),
    ("LC206", 'logger.info("x", extra={"user": 1, "request_id": 2})', 0),
    ("LC206", 'logger.info("x", extra=extras)', 0),
    ("LC206", 'render("x", extra={"name": 1})', 0),
    ("LC206", 'dict = OrderedDict\nlogger.info("x", extra=dict(name=1))', 0),
    # LC207 ------------------------------------------------------------------
    ("LC207", '''\
        try:
            run()
        except ValueError as e:
            logger.exception(e)
        ''', 1),
    ("LC207", '''\
        try:
            run()
        except ValueError as err:
            logger.error(err, exc_info=True)
        ''', 1),
    ("LC207", '''\
        try:
            run()
        except ValueError as err:
            try:
                undo()
            except OSError:
                logger.warning(err)
        ''', 1),
    ("LC207", '''\
        try:
            run()
        except ValueError as e:
            logger.exception("run failed: %s", e)
        ''', 0),
    ("LC207", '''\
        try:
            run()
        except ValueError as e:
            logger.exception(other)
        ''', 0),
    ("LC207", '''\
        try:
            run()
        except ValueError as e:
            def later():
                logger.error(e)
        ''', 0),
    ("LC207", 'logger.error(e)', 0),
    # the module's own exception, raised only with a message written in the code: that
    # text is what to log (locust's `raise InitError("Terminal was not a tty")`)
    ("LC207", '''\
        class InitError(Exception):
            pass
        def poll():
            raise InitError("Terminal was not a tty. Keyboard input disabled")
        def other():
            raise InitError(f"no terminal on {name}" "; input disabled")
        try:
            poll()
        except (InitError, InitError) as e:
            logger.debug(e)
        ''', 0),
    # ... but not when a raise passes something else, or none is in sight, or the class
    # is not (only) this module's, or the handler also catches other exceptions
    *[("LC207", f'''\
        {setup}
        def poll():
            {raising}
        try:
            poll()
        except {caught} as e:
            logger.debug(e)
        ''', 1) for setup, raising, caught in [
        ("class InitError(Exception): pass", "raise InitError(detail)", "InitError"),
        ("class InitError(Exception): pass", 'raise InitError(detail); raise InitError("x")', "InitError"),
        ("class InitError(Exception): pass", "raise InitError", "InitError"),
        ("class InitError(Exception): pass", 'raise InitError(msg="x")', "InitError"),
        ("class InitError(Exception): pass", "pass", "InitError"),
        ("from .errors import InitError", 'raise InitError("x")', "InitError"),
        ("class InitError(Exception): pass\n        InitError = make()", 'raise InitError("x")', "InitError"),
        ("class InitError(Exception): pass", 'raise InitError("x")', "(InitError, OSError)"),
        ("class InitError(Exception): pass", 'raise ValueError("x")', "ValueError"),
        ("import errors", 'raise errors.InitError("x")', "errors.InitError"),
    ]],
    ("LC207", '''\
        try:
            run()
        except ValueError as e:
            print(e)
        ''', 0),
]


@pytest.mark.parametrize("code,body,count", DETECTION, ids=lambda v: plain_id(v) if isinstance(v, str) else None)
def test_detection(code, body, count):
    found = codes(src(body), select=[code])
    assert found == [code] * count


# --------------------------------------------------------------------------- fixes

# (code, body, expected fixed body, unsafe)
FIXES = [
    # LC201: the spec's example, escaping, conversions, `=`
    ("LC201", 'logger.info(f"{user} has {n:d} items, {t:.2f}s")',
     'logger.info("%s has %d items, %.2fs", user, n, t)', True),
    ("LC201", 'logger.info(f"{done} 100% done")', 'logger.info("%s 100%% done", done)', False),
    ("LC201", 'logger.info(f"100% done")', 'logger.info("100% done")', False),
    ("LC201", 'logger.info(f"{{literal}} {x}")', 'logger.info("{literal} %s", x)', False),
    ("LC201", 'logger.info(f"{x!r} {y!s} {z!a}")', 'logger.info("%r %s %a", x, y, z)', False),
    ("LC201", 'logger.info(f"{x=}")', 'logger.info("x=%r", x)', False),
    ("LC201", 'logger.info(f"{ x = :.1f}")', 'logger.info(" x = %.1f", x)', True),
    ("LC201", 'logger.info(f"{x!r:>10}|{x!r:10}|{s:>8s}|{s:8s}|{n:<6d}|{n:+05d}|{h:#x}")',
     'logger.info("%10r|%-10r|%8s|%-8s|%-6d|%+05d|%#x", x, x, s, s, n, n, h)', True),
    ("LC201", 'logger.info(f"{x:.3s}|{x!s:.3}|{f:e}|{f:10.4G}")',
     'logger.info("%.3s|%.3s|%e|%10.4G", x, x, f, f)', True),
    # a conversion formats a str, so its spec is exact for every value: safe
    ("LC201", 'logger.info(f"{x!r:>10}|{y!s:.3}|{z!a:<4}")', 'logger.info("%10r|%.3s|%-4a", x, y, z)', False),
    # `=` with a spec (even an empty one) is format(), not repr()
    ("LC201", 'logger.info(f"{x=:}")', 'logger.info("x=%s", x)', False),
    ("LC201", 'logger.info(f"{x=!r:}")', 'logger.info("x=%r", x)', False),
    ("LC201", 'logger.info(f"{x=!s}")', 'logger.info("x=%s", x)', False),
    ("LC201", 'logger.info(f"{x=:>8d}")', 'logger.info("x=%8d", x)', True),
    ("LC201", 'logger.info(f"{x=:>10}")', None, False),
    # quotes and prefixes are kept
    ("LC201", "logger.info(f'it\\'s {x}')", "logger.info('it\\'s %s', x)", False),
    ("LC201", 'logger.info(rf"C:\\dir\\{name} {x}%")', 'logger.info(r"C:\\dir\\%s %s%%", name, x)', False),
    ("LC201", 'logger.info(F"a {x}")', 'logger.info("a %s", x)', False),
    ("LC201", 'logger.info(f"""a\n{x}\nb""")', 'logger.info("""a\n%s\nb""", x)', False),
    ("LC201", "logger.info(f'{d[\"k\"]=}')", "logger.info('d[\"k\"]=%r', d[\"k\"])", False),
    ("LC201", 'logger.info(f"\\N{EM DASH} {x}")', 'logger.info("\\N{EM DASH} %s", x)', False),
    # Python 3.12 nested same quotes (libcst parses them)
    ("LC201", 'logger.info(f"{d["k"]} x")', 'logger.info("%s x", d["k"])', False),
    # field expressions move out with their exact source text
    ("LC201", 'logger.info(f"{a, b}")', 'logger.info("%s", (a, b))', False),
    ("LC201", 'logger.info(f"{x if y else z}: {call(a, b=1)}")',
     'logger.info("%s: %s", x if y else z, call(a, b=1))', False),
    ("LC201", 'logger.info(f"""a {x +\n  y} b""")', 'logger.info("""a %s b""", x +\n  y)', False),
    # implicit concatenation: merged on one line, layout kept across lines
    ("LC201", 'logger.info(f"a {x} " "b 50%")', 'logger.info("a %s b 50%%", x)', False),
    ("LC201", 'logger.info(\n    f"a {x} "  # why\n    f"b {y}"\n)',
     'logger.info(\n    "a %s "  # why\n    "b %s", x, y\n)', False),
    # multi-line call with keywords
    ("LC201", 'logger.info(\n    f"a {x}",\n    exc_info=True,\n)', 'logger.info(\n    "a %s", x,\n    exc_info=True,\n)', False),
    ("LC201", 'logger.log(logging.INFO, f"a {x}", stacklevel=2)', 'logger.log(logging.INFO, "a %s", x, stacklevel=2)', False),
    ("LC201", 'logger.info((f"a {x}"))', 'logger.info(("a %s"), x)', False),
    # an escape that produces `%` still gets escaped (the literal is rewritten)
    ("LC201", 'logger.info(f"\\x25 {x}")', 'logger.info("%% %s", x)', False),
    # not convertible exactly: reported, not fixed
    ("LC201", 'logger.info(f"{x:10}")', None, False),
    ("LC201", 'logger.info(f"{n:,}")', None, False),
    ("LC201", 'logger.info(f"{n:_d}")', None, False),
    ("LC201", 'logger.info(f"{r:.1%}")', None, False),
    ("LC201", 'logger.info(f"{s:^10s}")', None, False),
    ("LC201", 'logger.info(f"{n:=5d}")', None, False),
    ("LC201", 'logger.info(f"{n:*>5d}")', None, False),
    ("LC201", 'logger.info(f"{n:<05d}")', None, False),
    ("LC201", 'logger.info(f"{x:{width}}")', None, False),
    ("LC201", 'logger.info(f"{when:%Y-%m-%d}")', None, False),
    ("LC201", 'logger.info(f"{x:.2}")', None, False),
    ("LC201", 'logger.info(f"{x}", y)', None, False),  # mixing
    ("LC201", 'logger.info(msg=f"{x}")', None, False),
    ("LC201", 'logger.info(f"{x}", *rest)', None, False),
    # LC202
    ("LC202", 'logger.info("user %s" % user)', 'logger.info("user %s", user)', True),
    ("LC202", 'logger.info("user %s" % str(user))', 'logger.info("user %s", str(user))', False),
    ("LC202", 'logger.info("took %d ms" % (t * 1000.0))', 'logger.info("took %d ms", (t * 1000.0))', False),
    ("LC202", 'logger.info("%s and %s" % (a, b))', 'logger.info("%s and %s", a, b)', False),
    ("LC202", 'logger.info("%s" % (a,))', 'logger.info("%s", a)', False),
    ("LC202", 'logger.info("%s and %s" % pair)', 'logger.info("%s and %s", *pair)', False),
    ("LC202", 'logger.info("%*d" % pair)', 'logger.info("%*d", *pair)', False),
    ("LC202", 'logger.info("%(k)s" % {"k": v})', 'logger.info("%(k)s", {"k": v})', False),
    ("LC202", 'logger.info("%(k)s" % mapping)', 'logger.info("%(k)s", mapping)', True),
    ("LC202", 'logger.info("100%% %s" % x, exc_info=True)', 'logger.info("100%% %s", x, exc_info=True)', True),
    ("LC202", 'logger.info("a %s %s" % (\n    x,  # the x\n    y,\n))', 'logger.info("a %s %s", x,  # the x\n    y)', False),
    ("LC202", 'logger.info("a %s %s" % (*xs, y))', 'logger.info("a %s %s", *xs, y)', False),
    ("LC202", 'logger.info("a %s" % x, y)', None, False),
    ("LC202", 'logger.info("100%%" % ())', None, False),
    ("LC202", 'logger.info("a %s" % {})', None, False),
    ("LC202", 'logger.info("a %" % x)', None, False),
    # LC203
    ("LC203", 'logger.info("{} has {:d} items".format(user, n))', 'logger.info("%s has %d items", user, n)', True),
    ("LC203", 'logger.info("{1} before {0}".format(a, b))', 'logger.info("%s before %s", b, a)', False),
    ("LC203", 'logger.info("{0} and {0!r}".format(a))', 'logger.info("%s and %r", a, a)', False),
    ("LC203", 'logger.info("{user} at 100%".format(user=u.name))', 'logger.info("%s at 100%%", u.name)', False),
    ("LC203", "logger.info('{{x}} {:.2f}'.format(t))", "logger.info('{x} %.2f', t)", True),
    ("LC203", 'logger.info("{} {}".format(load(), save()))', 'logger.info("%s %s", load(), save())', False),
    ("LC203", 'logger.info("done".format())', 'logger.info("done")', False),
    ("LC203", 'logger.info("{1} {0}".format(load(), save()))', None, False),  # evaluation order
    ("LC203", 'logger.info("{0} {0}".format(load()))', None, False),  # evaluated twice
    ("LC203", 'logger.info("{x}".format(x=load()))', 'logger.info("%s", load())', False),  # evaluated once
    # reordering: only literals and names move, names never across a call
    ("LC203", 'logger.info("{1} {0} {2}".format(a, 7, -1.5))', 'logger.info("%s %s %s", 7, a, -1.5)', False),
    ("LC203", 'logger.info("{y} {x}".format(x=a, y=b))', 'logger.info("%s %s", b, a)', False),
    ("LC203", 'logger.info("{0} {1} {0}".format(a, b))', 'logger.info("%s %s %s", a, b, a)', False),
    ("LC203", 'logger.info("{1} {0}".format(a.name, b))', None, False),  # a property runs before b is read
    ("LC203", 'logger.info("{1} {0}".format(a, b.name))', None, False),
    ("LC203", 'logger.info("{1} {0}".format(items[0], b))', None, False),
    ("LC203", 'logger.info("{1} {0}".format(a, f()))', None, False),  # f() may rebind a
    ("LC203", 'logger.info("{0} {1} {0}".format(a, f()))', None, False),  # the second `a` is read after f()
    ("LC203", 'logger.info("{1} {0}".format(a, (n := 3)))', None, False),
    ("LC203", 'logger.info("{0}".format(a, f()))', None, False),  # f() would no longer run
    ("LC203", 'logger.info("{0} {0}".format(a.name))', None, False),  # a property read twice
    ("LC203", 'logger.info("{0.name}".format(user))', None, False),
    ("LC203", 'logger.info("{[0]}".format(items))', None, False),
    ("LC203", 'logger.info("{:>10}".format(x))', None, False),
    ("LC203", 'logger.info("{} {}".format(*xs))', None, False),
    ("LC203", 'logger.info("{} {}".format(a))', None, False),  # raises IndexError today
    ("LC203", 'logger.info("{} {0}".format(a))', None, False),
    ("LC203", 'logger.info("{}".format(a), b)', None, False),
    # LC204
    # a bare operand may be a str subclass (`class Status(str, Enum)`): `+` joins its data,
    # `%s` prints its `__str__`, so only proven plain str operands make the fix safe
    ("LC204", 'logger.info("user " + name + " logged in")', 'logger.info("user %s logged in", name)', True),
    ("LC204", 'logger.info("at " + Status.OK)', 'logger.info("at %s", Status.OK)', True),
    ("LC204", 'logger.info("a" + user.name + "b")', 'logger.info("a%sb", user.name)', True),
    ("LC204", 'logger.info("a" + load())', 'logger.info("a%s", load())', True),
    ("LC204", 'logger.info("n=" + "%d" % n + " m=" + "{}".format(m))', 'logger.info("n=%s m=%s", "%d" % n, "{}".format(m))',
     False),
    ("LC204", 'logger.info("a " + f"{x}" + "b" "c")', 'logger.info("a %sbc", x)', False),
    ("LC204", 'logger.info("a" + str(x) + repr(y) + str())', 'logger.info("a%s%r%s", x, y, str())', False),
    ("LC204", 'str = unicode\nlogger.info("a" + str(x))', 'str = unicode\nlogger.info("a%s", str(x))', True),
    ("LC204", 'logger.info("n=" + str(n) + ", r=" + repr(r))', 'logger.info("n=%s, r=%r", n, r)', False),
    ("LC204", 'logger.info(prefix + ": 100% " + str(x))', 'logger.info("%s: 100%% %s", prefix, x)', True),
    ("LC204", 'logger.info("a" + f"{x:>4d}" + (b + c))', 'logger.info("a%4d%s", x, (b + c))', True),
    ("LC204", 'logger.info("a" + str(x, "utf-8"))', 'logger.info("a%s", str(x, "utf-8"))', False),
    ("LC204", 'logger.info("a" + x, y)', None, False),
    # joined literals keep the escapes they were written with where the style matches
    ("LC204", 'logger.info("\\u2022 " + "\\N{EM DASH}" + str(x))', 'logger.info("\\u2022 \\N{EM DASH}%s", x)', False),
    ("LC204", "logger.info('it\\'s ' + \"\\t\" + str(x))", "logger.info('it\\'s \\t%s', x)", False),
    ("LC204", 'logger.info(r"C:\\dir " + "\\x41" + str(x))', 'logger.info(r"C:\\dir A%s", x)', False),
    # LC205: brace placeholders become %-style when every field and argument converts exactly
    ("LC205", 'logger.info("user {} took {:.2f}s", u, t)', 'logger.info("user %s took %.2fs", u, t)', False),
    ("LC205", 'logger.info("{1} then {0}", a, b)', 'logger.info("%s then %s", b, a)', False),
    ("LC205", 'logger.info("{} {}", a, b, exc_info=True)', 'logger.info("%s %s", a, b, exc_info=True)', False),
    ("LC205", 'logger.log(logging.INFO, "{!r}", a)', 'logger.log(logging.INFO, "%r", a)', False),
    ("LC205", 'logger.info("a {}" " b {{x}} {}", x, y)', 'logger.info("a %s b {x} %s", x, y)', False),
    ("LC205", 'logger.info("user {name}", {"name": n})', 'logger.info("user %(name)s", {"name": n})', False),
    ("LC205", "logger.info('{name!r:>8} {n:d}', {'name': a, 'n': 3})", "logger.info('%(name)8r %(n)d', {'name': a, 'n': 3})",
     False),
    ("LC205", 'logger.info("{1} then {0}", a, f())', None, False),  # f() would run before a is read
    ("LC205", 'logger.info("{name} {other}", {"name": n})', None, False),
    ("LC205", 'logger.info("{name}", {"name": n, "more": m})', None, False),
    ("LC205", 'logger.info("{} 100%", x)', None, False),
    ("LC205", 'logger.info("{} {}", x)', None, False),
    ("LC205", 'logger.info("{}", x, y)', None, False),
    ("LC205", 'logger.info("{0} {0}", a)', None, False),
    ("LC205", 'logger.info("{0.name}", u)', None, False),
    ("LC205", 'logger.info("{:,}", n)', None, False),
    ("LC205", 'logger.info("{name}", n)', None, False),
    ("LC205", 'logger.info("a {}" + " b", x)', None, False),  # a `+` of literals: reported only
    ("LC204", 'logger.info("a" + f"{x:10}")', None, False),
]


@pytest.mark.parametrize("code,body,expected,unsafe", FIXES, ids=[f"{c}-{i}" for i, (c, *_rest) in enumerate(FIXES)])
def test_fix(code, body, expected, unsafe):
    source = src(body + "\n")
    found = check(source, select=[code], dedent=False)
    assert [d.code for d in found] == [code]
    diagnostic = found[0]
    if expected is None:
        assert diagnostic.fix is None
        assert fix(source, select=[code], unsafe=True, dedent=False) == source
        return
    assert diagnostic.fix is not None
    assert diagnostic.fix.applicability == ("unsafe" if unsafe else "safe")
    if unsafe:
        assert fix(source, select=[code], dedent=False) == source
    fixed = fix(source, select=[code], unsafe=unsafe, dedent=False)
    assert fixed == src(expected + "\n")
    # the result is clean for every message rule and stable
    assert codes(fixed, select=["LC2"], dedent=False) == []


def test_fixes_of_several_rules_in_one_file():
    source = src('''\
        logger.info(f"a {x}")
        logger.warn("b %s" % (y,))
        logger.info("c " + str(z))
        ''')
    fixed = fix(source, select=["LC2", "LC301"], dedent=False)
    assert fixed == src('''\
        logger.info("a %s", x)
        logger.warning("b %s", y)
        logger.info("c %s", z)
        ''')


def test_noqa_suppresses_on_first_and_last_line_of_a_call():
    source = src('''\
        logger.info(f"a {x}")  # noqa: LC201
        logger.info(  # noqa: LC201
            f"b {x}",
        )
        logger.info(
            f"c {x}",
        )  # noqa
        logger.info(f"d {x}")
        ''')
    assert [d.row for d in check(source, select=["LC201"], dedent=False)] == [10]


def test_messages_and_positions():
    source = src('''\
        logger.info("%s %s", a)
        logger.info("x", extra={"name": 1})
        ''')
    found = check(source, select=["LC205", "LC206"], dedent=False)
    assert [(d.code, d.row, d.col) for d in found] == [("LC205", 3, 1), ("LC206", 4, 25)]
    assert "2 placeholders but 1 argument" in found[0].message
    assert "'name'" in found[1].message


# --------------------------------------------------------------------------- formatting helpers


@pytest.mark.parametrize("conversion,spec,expected", [
    (None, "", "%s"), ("r", "", "%r"), ("s", "", "%s"), ("a", "", "%a"),
    (None, "d", "%d"), (None, ">5d", "%5d"), (None, "<5d", "%-5d"), (None, "05d", "%05d"),
    (None, "+.2f", "%+.2f"), (None, " e", "% e"), (None, "#x", "%#x"), (None, "#o", "%#o"),
    (None, "c", "%c"), (None, "s", "%s"), (None, "5s", "%-5s"), (None, ">5s", "%5s"),
    (None, ".3s", "%.3s"), ("r", "10", "%-10r"), ("r", ">10", "%10r"), ("s", ".2", "%.2s"),
    (None, " >6d", "%6d"),
    (None, "10", None), (None, ">10", None), (None, ".2", None), (None, ",d", None), (None, "_x", None),
    (None, "%", None), (None, "n", None), (None, "b", None), (None, "^5d", None), (None, "=5d", None),
    (None, "x>5d", None), (None, "<05d", None), (None, "05s", None), (None, "+s", None), (None, ".2d", None),
    (None, "+c", None), (None, "z.1f", None), ("r", "d", None), ("s", "#", None), (None, "i", None),
    # `{:05c}` pads with zeros, `%05c` with spaces; `{!r:05}` fills with `0` on the right
    (None, "05c", None), (None, " c", None), ("r", "05", None),
])
def test_percent_spec(conversion, spec, expected):
    assert formatting.percent_spec(conversion, spec) == expected


def test_parse_percent():
    parsed = formatting.parse_percent("%(a)s %%, %-5.2f %*d %.*s %ld")
    assert [(p.key, p.flags, p.width, p.precision, p.conversion) for p in parsed.placeholders] == [
        ("a", "", None, None, "s"), (None, "-", "5", "2", "f"), (None, "", "*", None, "d"),
        (None, "", None, "*", "s"), (None, "", None, None, "d")]
    assert parsed.error is None
    assert formatting.parse_percent("100%").error == "incomplete format"
    assert formatting.parse_percent("%(a").error == "incomplete format key"
    assert formatting.parse_percent("%y").error.startswith("unsupported format character 'y'")
    assert formatting.parse_percent("%s %*d").positional_count == 3


@pytest.mark.parametrize("value,prefix,quote,expected", [
    ("a %s", "", '"', '"a %s"'),
    ('it\'s "x"', "", "'", "'it\\'s \"x\"'"),
    ("C:\\dir %s", "r", '"', 'r"C:\\dir %s"'),
    ('ends with \\', "r", '"', '"ends with \\\\"'),
    ('a"b\\', "R", '"', '"a\\"b\\\\"'),
    ("two\nlines", "", '"', '"two\\nlines"'),
    ("two\nlines", "", '"""', '"""two\nlines"""'),
    ('q"', "", '"""', '"""q\\""""'),
    ("tab\t\x00", "", "'", "'tab\\t\\x00'"),
    # unprintable characters by their shortest escape; a printable one as it is
    ("cr\r sp\u200b \U000e0001 \u0100", "", '"', '"cr\\r sp\\u200b \\U000e0001 \u0100"'),
])
def test_make_string(value, prefix, quote, expected):
    assert formatting.make_string(value, prefix, quote) == expected


@pytest.mark.parametrize("src", [
    'logger.info(template.format(user))',
    'logger.info(self.MESSAGE.format(user=user))',
    'logger.warning(_("disk {} full").format(disk))',
])
def test_str_format_on_a_non_literal_template_is_reported_without_fix(src):
    full = "import logging\nlogger = logging.getLogger(__name__)\n" + src + "\n"
    [d] = check(full, ["LC203"], dedent=False)
    assert d.fix is None


def test_lc204_template_prefix_in_a_forwarding_wrapper_is_not_eager():
    # sqlalchemy's mapper: the prefix joins a format template, the values stay lazy
    source = """\
    import logging
    logger = logging.getLogger(__name__)

    def log(msg, *args):
        logger.info("(%s) " + msg, "mapper", *args)
    """
    assert codes(source, ["LC204"]) == []
    assert codes(source.replace(', *args)', ', name)').replace('*args):', 'name):'), ["LC204"]) == ["LC204"]


def test_lc207_not_in_a_programs_own_error_report():
    source = """\
    import logging
    import sys
    logger = logging.getLogger(__name__)

    def load():
        try:
            return open("x").read()
        except OSError as e:
            logger.error(e)

    def main():
        try:
            open("config").close()
        except OSError as e:
            logger.critical(e)
            return 1

    if __name__ == "__main__":
        sys.exit(main())
    """
    assert [(d.code, d.row) for d in check(source, ["LC207"])] == [("LC207", 9)]


#: LC201's fixed message for an f-string message, written by hand
FSTRING_FIXES = [
    # parts on one line with one style are merged into one literal
    ('f"a {x}" "b" "c"', '"a %sbc", x'),
    # a part on the next line, after the first or a later one: the parts stay apart
    ('\n    f"a{x}" "b"\n    "c"\n', '\n    "a%s" "b"\n    "c", x\n'),
    ('f"a {x}" \\\n            "b"', '"a %s" \\\n            "b", x'),
    # parts with different quotes stay apart
    ('"a " f\'{x}\'', '"a " \'%s\', x'),
    # merged, `\1` and `2` would read as the escape `\12`
    ('"a\\1" f"2{x}"', '"a\\1" "2%s", x'),
    # the text keeps its escapes as written; `%` is doubled only when the message gets arguments
    ('f"100% \\x41"', '"100% \\x41"'),
    ('f"100% \\x41 {n}"', '"100%% \\x41 %s", n'),
    # `{x=}` brings text of its own: written beside the kept escapes, `%` doubled
    ('f"\\x41 {x = }"', '"\\x41 x = %r", x'),
    ('f"\\x41 {x%2=}"', '"\\x41 x%%2=%r", x%2'),
    # a raw f-string's doubled braces are single braces in the plain string
    ('rf"C:\\dir {{x}} {n}"', 'r"C:\\dir {x} %s", n'),
]


@pytest.mark.parametrize("message, expected", FSTRING_FIXES)
def test_fstring_fix_writes_the_text_as_it_was(message, expected):
    head = "import logging\nlogger = logging.getLogger(__name__)\nn = 1\nx = 2\n"
    assert fix(head + f"logger.info({message})\n", ["LC201"], dedent=False) == head + f"logger.info({expected})\n"
