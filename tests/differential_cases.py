"""Families of generated programs for the differential fix test (tests/differential.py).

Each family is data: the files of a small project (`app.py` is the program, run by being
imported) with `$slots` drawn per case. Every program logs or prints at import time, so a
behaviour difference shows. Stand-ins for foreign logging libraries are generated sibling
modules that write what they log to stdout; they never use the stdlib `logging` module.
"""

from __future__ import annotations

import textwrap

from differential import Family

# ---------------------------------------------------------------------------- shared parts

#: values every stdlib call below can use
STDLIB_PRELUDE = '''
user = "bob"
n = 42
ratio = 0.5
'''

#: logger calls valid on every stdlib receiver (Logger, child, adapter, subclass)
STDLIB_CALLS = (
    'logger.info(f"user {user} has {n:d} items, {ratio:.2f}")',
    'logger.warn("disk %d%% full" % n)',
    'logger.error("{} failed {}".format(user, n))',
    'logger.debug("user " + user + " done")',
    'logger.info("count: " + str(n) + ", " + repr(user))',
    'logger.log(20, "level twenty %s", user)',
    'logger.warning(f"{n=}")',
    'logger.info(f"{ratio:>8.3f}|{n:+05d}|{user:<6s}|{user!r}")',
    'logger.critical("%s and %s" % (user, n))',
)
#: `fatal` exists on Logger but not on LoggerAdapter
LOGGER_ONLY_CALLS = STDLIB_CALLS + ('logger.fatal(f"{user!r} stopped")',)

HANDLER_CALLS = (
    'logger.error("cannot parse %s", user, exc_info=True)',
    'logger.exception("cannot parse %s", user, exc_info=True)',
    'logger.error(f"cannot parse {user}", exc_info=True)',
)

STDLIB_BODY = '''
$prelude
$call1
$call2


def work():
    $call3
    try:
        int(user)
    except ValueError:
        $handler_call


work()
'''


def stdlib_family(name: str, binding: str, calls=LOGGER_ONLY_CALLS, **extra) -> Family:
    return Family(
        name=name,
        files={"app.py": "import logging\n\n$binding\n" + STDLIB_BODY},
        slots={"binding": [binding] if isinstance(binding, str) else binding, "prelude": [STDLIB_PRELUDE],
               "call1": calls, "call2": calls, "call3": calls, "handler_call": HANDLER_CALLS},
        **extra,
    )


# ---------------------------------------------------------------------------- stand-ins of other libraries

#: logbook formats with str.format (`log.info("{} items", n)`)
FAKE_LOGBOOK = '''
"""A stand-in for logbook: messages are formatted with str.format, written to stdout."""
import sys


class Logger:
    def __init__(self, name):
        self.name = name

    def _emit(self, level, msg, args, kwargs):
        text = msg.format(*args, **kwargs) if args or kwargs else msg
        sys.stdout.write("[logbook " + level + "] " + self.name + ": " + text + "\\n")

    def debug(self, msg, *args, **kwargs):
        self._emit("DEBUG", msg, args, kwargs)

    def info(self, msg, *args, **kwargs):
        self._emit("INFO", msg, args, kwargs)

    def warn(self, msg, *args, **kwargs):
        self._emit("WARNING", msg, args, kwargs)

    warning = warn

    def error(self, msg, *args, **kwargs):
        self._emit("ERROR", msg, args, kwargs)

    def critical(self, msg, *args, **kwargs):
        self._emit("CRITICAL", msg, args, kwargs)
'''

#: loguru's logger: str.format when arguments are given, no `warn`
FAKE_LOGURU = '''
"""A stand-in for loguru: one `logger` object, str.format semantics, written to stdout."""
import sys


class _Logger:
    def _emit(self, level, msg, args, kwargs):
        text = msg.format(*args, **kwargs) if args or kwargs else msg
        sys.stdout.write(level + " | " + text + "\\n")

    def debug(self, msg, *args, **kwargs):
        self._emit("DEBUG", msg, args, kwargs)

    def info(self, msg, *args, **kwargs):
        self._emit("INFO", msg, args, kwargs)

    def warning(self, msg, *args, **kwargs):
        self._emit("WARNING", msg, args, kwargs)

    def error(self, msg, *args, **kwargs):
        self._emit("ERROR", msg, args, kwargs)


logger = _Logger()
'''

#: distutils.log: module functions, `%` with positional args, `warn` but no `warning`
FAKE_DISTUTILS_LOG = '''
"""A stand-in for distutils.log (gone in Python 3.12): `warn` only, no `warning`."""
import sys


def _log(level, msg, args):
    sys.stdout.write(level + ": " + (msg % args if args else msg) + "\\n")


def debug(msg, *args):
    _log("debug", msg, args)


def info(msg, *args):
    _log("info", msg, args)


def warn(msg, *args):
    _log("warn", msg, args)


def error(msg, *args):
    _log("error", msg, args)


def fatal(msg, *args):
    _log("fatal", msg, args)
'''

#: a project's own notifier: `warn(msg, **kw)` and `info(msg, **kw)` only
#: twisted.logger.Logger: PEP 3101 format strings with keyword fields, `warn` but no `warning`
FAKE_TWISTED_LOGGER = '''
"""A stand-in for twisted.logger: `log.info("x {n}", n=3)`, written to stdout."""
import sys


class Logger:
    def _emit(self, level, fmt, kwargs):
        sys.stdout.write(level + " " + fmt.format(**kwargs) + "\\n")

    def debug(self, format=None, **kwargs):
        self._emit("debug", format, kwargs)

    def info(self, format=None, **kwargs):
        self._emit("info", format, kwargs)

    def warn(self, format=None, **kwargs):
        self._emit("warn", format, kwargs)

    def error(self, format=None, **kwargs):
        self._emit("error", format, kwargs)

    def critical(self, format=None, **kwargs):
        self._emit("critical", format, kwargs)
'''

#: medusa's logger: `log(message, tb)`, no level argument
FAKE_MEDUSA_LOGGER = '''
"""A stand-in for medusa's logger: `log(message, tb=None)`."""
import sys


class file_logger:
    def log(self, message, tb=None):
        sys.stdout.write("log: " + repr(message) + " " + repr(tb) + "\\n")
'''

PROJECT_NOTIFIER = '''
"""The project's notifier: takes a message and keywords, nothing else."""
import sys


class Notifier:
    def warn(self, msg, **kw):
        sys.stdout.write("WARN " + msg + " " + repr(sorted(kw.items())) + "\\n")

    def info(self, msg, **kw):
        sys.stdout.write("INFO " + msg + " " + repr(sorted(kw.items())) + "\\n")

    def fatal(self, msg, **kw):
        sys.stdout.write("FATAL " + msg + " " + repr(sorted(kw.items())) + "\\n")


logger = Notifier()
'''

FOREIGN_PRELUDE = '''
amount = 12.5
name = "bob"
n = 3
'''

# ---------------------------------------------------------------------------- family builders


def shadow_family(name: str, module_logger: str) -> Family:
    """A root-logger call in a function where `logger` is a parameter or a local."""
    return Family(
        name=name,
        files={"app.py": '''
            import logging

            $module_logger


            def process(items$param):
                $local
                logging.info("processing %d items", len(items))
                return len(items)


            process([1, 2, 3])
            '''},
        slots={"module_logger": [module_logger],
               ("param", "local"): [(", logger=None", "pass"), (", logger=[]", "pass"), (", *, logger=print", "pass"),
                                    ("", "logger = []"), ("", "logger = 'audit'"),
                                    ("", "for logger in ['a']:\n        pass")]},
    )


def fstring_debug_family(name: str, fields) -> Family:
    return Family(
        name=name,
        files={"app.py": '''
            import decimal
            import logging
            import pathlib

            logger = logging.getLogger(__name__)
            user = "bob"
            n = 7
            ratio = 0.25
            price = decimal.Decimal("1.50")
            where = pathlib.PurePosixPath("/srv/app")
            logger.info(f"$field")
            '''},
        slots={"field": fields},
    )


def latin1_family(name: str, messages) -> Family:
    return Family(
        name=name,
        files={"app.py": '''
            # -*- coding: latin-1 -*-
            import logging

            logger = logging.getLogger(__name__)
            name = "café"
            logger.warn("déjà vu")
            logger.warning($message)
            '''},
        slots={"message": messages},
        encoding="latin-1",
    )


# ---------------------------------------------------------------------------- families

FAMILIES = (
    # -- stdlib receivers: fixes must keep every record
    stdlib_family("stdlib-getLogger", ["logger = logging.getLogger(__name__)",
                                       "logger = logging.getLogger('app.core')",
                                       "from logging import getLogger\nlogger = getLogger(__name__)"]),
    stdlib_family("stdlib-getChild", ["logger = logging.getLogger(__name__).getChild('db')",
                                      "logger = logging.getLogger().getChild('worker')"]),
    stdlib_family("stdlib-LoggerAdapter",
                  ["logger = logging.LoggerAdapter(logging.getLogger(__name__), {'request': 7})"],
                  calls=STDLIB_CALLS),
    stdlib_family("stdlib-Logger-subclass", [
        "class AppLogger(logging.Logger):\n    pass\n\n\nlogging.setLoggerClass(AppLogger)\n"
        "logger = logging.getLogger(__name__)\nlogging.setLoggerClass(logging.Logger)",
        # outside the hierarchy: WARNING and above go to logging.lastResort (stderr)
        "class AppLogger(logging.Logger):\n    pass\n\n\nlogger = AppLogger('direct')",
    ]),
    Family(
        name="stdlib-root-logger",
        files={"app.py": '''
            import logging

            $binding
            user = "bob"
            n = 7
            $call1


            def work():
                $call2
                $call3


            work()
            '''},
        slots={"binding": ["", "logger = logging.getLogger(__name__)", "log = logging.getLogger(__name__)"],
               **{f"call{i}": ['logging.info("root %s", user)', 'logging.warning(f"root {n:d}")',
                               'logging.getLogger().error("e %d", n)', 'logging.log(logging.INFO, "lvl %s", n)',
                               'logging.root.debug("dbg " + user)', 'logging.warn("old %s" % user)',
                               'logging.getLogger("").critical("empty name")']
                  for i in (1, 2, 3)}},
    ),
    Family(
        name="stdlib-getLogger-file",
        files={"app.py": 'import logging\n\nlogger = logging.getLogger(__file__)\nlogger.info("from %s", "file")\n'
                         'logger.warning("second")\n'},
    ),
    stdlib_family("encoding-crlf", ["logger = logging.getLogger(__name__)"], newline="\r\n"),
    # -- foreign receivers: no fix may change them
    Family(
        name="foreign-logbook-style",
        files={"logbook.py": FAKE_LOGBOOK, "app.py": '''
            $logging_import
            import logbook

            log = logbook.Logger("billing")
            $prelude
            log.info(f"charging {amount:.2f} EUR")
            log.$method($message)
            '''},
        slots={"logging_import": ["", "import logging"], "prelude": [FOREIGN_PRELUDE],
               "method": ["info", "warn", "error"],
               "message": ['f"user {name}"', '"user %s" % name', '"user " + name', '"{} of {}".format(n, name)']},
        expect_fix=False,
    ),
    Family(
        name="foreign-loguru-style",
        files={"loguru.py": FAKE_LOGURU, "applog.py": "from loguru import logger  # noqa: F401\n", "app.py": '''
            from applog import logger

            $prelude
            logger.info(f"charging {amount:.2f} EUR")
            logger.$method($message)
            '''},
        slots={"prelude": [FOREIGN_PRELUDE], "method": ["info", "warning", "error"],
               "message": ['f"user {name}"', '"user %s" % name', '"user " + name', '"{} of {}".format(n, name)']},
        expect_fix=False,
    ),
    Family(
        name="foreign-distutils-log-style",
        files={"legacy/__init__.py": "", "legacy/log.py": FAKE_DISTUTILS_LOG, "app.py": '''
            from legacy import log

            $prelude
            log.warn("no %s found", name)
            log.$method($message)
            '''},
        slots={"prelude": [FOREIGN_PRELUDE], "method": ["info", "warn", "fatal"],
               "message": ['f"user {name}"', '"user %s" % name', '"user " + name']},
        expect_fix=False,
    ),
    Family(
        name="foreign-project-class",
        files={"notify.py": PROJECT_NOTIFIER, "app.py": '''
            $logging_import
            $import

            $prelude
            logger.warn(f"disk {n}% full")
            logger.$method($message, code=n)
            '''},
        slots={"logging_import": ["", "import logging"],
               "import": ["from notify import logger", "import notify\n\nlogger = notify.Notifier()"],
               "prelude": [FOREIGN_PRELUDE], "method": ["info", "warn", "fatal"],
               "message": ['f"user {name}"', '"user %s" % name', '"user " + name']},
        expect_fix=False,
    ),
    Family(
        name="foreign-twisted-style",
        files={"twisted/__init__.py": "", "twisted/logger.py": FAKE_TWISTED_LOGGER, "app.py": '''
            $logging_import
            from twisted.logger import Logger

            log = Logger()
            $prelude
            log.warn("no {what} found", what=name)
            log.$method($message)
            '''},
        slots={"logging_import": ["", "import logging"], "prelude": [FOREIGN_PRELUDE],
               "method": ["info", "warn", "error"],
               "message": ['f"user {name}"', '"user %s" % name', '"user " + name']},
        expect_fix=False,
    ),
    Family(
        name="foreign-medusa-style",
        files={"medusa/__init__.py": "", "medusa/logger.py": FAKE_MEDUSA_LOGGER, "app.py": '''
            $logging_import
            from medusa import logger as medusa_logger

            logger = medusa_logger.file_logger()
            logger.log($message, $tb)
            '''},
        slots={"logging_import": ["", "import logging"],
               "message": ['"request done"', '20', '"x %s" % 3', 'f"took {1.5:.1f}s"'],
               "tb": ['None', '"trace"', '20']},
        expect_fix=False,
    ),
    Family(
        name="unknown-parameter-logger",
        files={"notify.py": PROJECT_NOTIFIER, "app.py": '''
            import notify


            def work(logger, name, n):
                logger.$method1(f"working on {name}")
                logger.$method2($message)


            work(notify.Notifier(), "bob", 3)
            '''},
        slots={"method1": ["info", "warn"], "method2": ["info", "warn", "fatal"],
               "message": ['"user %s" % name', '"user " + name', '"{} of {}".format(n, name)']},
        expect_fix=False,
    ),
    Family(
        name="unknown-local-from-attribute",
        files={"notify.py": PROJECT_NOTIFIER, "app.py": '''
            import notify


            class Options:
                logger = notify.Notifier()


            class Dispatcher:
                def __init__(self, options):
                    self.options = options

                def handle(self, name, n):
                    $binding
                    logger.$method($message)


            Dispatcher(Options()).handle("cat", 3)
            '''},
        slots={"binding": ["logger = self.options.logger", "options = self.options\n        logger = options.logger"],
               "method": ["info", "warn", "fatal"],
               "message": ['"%s %s" % (name, n)', '"user " + name', 'f"user {name}"']},
        expect_fix=False,
    ),
    # -- shadowing: the fix's module logger must not resolve to another binding
    shadow_family("shadow-logger-no-module-logger", ""),
    shadow_family("shadow-logger-over-module-logger", "logger = logging.getLogger(__name__)"),
    Family(
        name="shadow-logging-name",
        files={"app.py": '''
            import logging
            import sys


            class Recorder:
                def info(self, msg, *args):
                    sys.stdout.write("recorded " + repr(msg) + " " + repr(args) + "\\n")

                warn = info


            def run($param):
                $local
                value = 5
                logging.$method($message)


            run($arg)
            logging.getLogger(__name__).info("done")
            '''},
        slots={("param", "local", "arg"): [("logging", "", "Recorder()"), ("", "logging = Recorder()", "")],
               "method": ["info", "warn"],
               "message": ['f"value {value}"', '"value %s" % value', '"value " + str(value)']},
        expect_fix=False,  # `logging` is a Recorder at the call: the exact answer is no fix
    ),
    # -- late and conditional bindings of the module logger
    Family(
        name="late-binding-import-time",
        files={"app.py": '''
            import logging

            $early

            logger = logging.getLogger(__name__)
            logger.info("ready")
            '''},
        slots={"early": [
            'def register(fn):\n    logging.info("registering %s", fn.__name__)\n    return fn\n\n\n'
            '@register\ndef handler():\n    return 1',
            'def setup():\n    logging.warning("setting up")\n\n\nsetup()',
            'def setup():\n    logging.warning("setting up")\n\n\nclass Plugin:\n    setup()',
        ]},
    ),
    Family(
        name="conditional-binding",
        files={"app.py": '''
            import logging
            import os
            import sys

            if $condition:
                logger = logging.getLogger(__name__)
                logger.setLevel(logging.DEBUG)


            def work():
                logging.warning("working")


            work()
            '''},
        slots={"condition": ['os.environ.get("APP_DEBUG")', '"APP_DEBUG" in os.environ', "sys.flags.debug"]},
    ),
    # -- star imports: an inserted module logger must not hide the imported one
    Family(
        name="star-import-logger",
        files={"shared_log.py": 'import logging\n\nlogger = logging.getLogger("shared")\n', "app.py": '''
            import logging
            from shared_log import *  # noqa: F403


            def work():
                logger.info("from the shared logger")
                logging.$root_call


            work()
            '''},
        slots={"root_call": ['info("from the root logger")', 'warning("root %s", 1)', 'error("root " + "x")']},
    ),
    # -- rewrites that are exact only for some values
    Family(
        name="concat-str-subclass-or-enum",
        files={"app.py": '''
            import enum
            import logging

            logger = logging.getLogger(__name__)


            class Status(str, enum.Enum):
                OK = "ok"


            class Tag(str):
                def __str__(self):
                    return "<tag>"


            value = $value
            logger.info("status: " + value)
            logger.info("state " + value + " reached")
            '''},
        slots={"value": ["Status.OK", 'Tag("blue")']},
        expect_fix=False,  # `value` is not proven a plain str: the fix is unsafe only
    ),
    Family(
        name="format-side-effects-reordered",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)
            counter = [0]
            items = [1, 2, 3]


            def bump():
                counter[0] += 1
                return counter[0]


            logger.info($message)
            '''},
        slots={"message": ['"{1} {0}".format(bump(), counter[0])', '"{1}-{0}".format(counter[0], bump())',
                           '"{0} {2} {1}".format(bump(), bump(), counter[0])',
                           '"{b} {a}".format(a=bump(), b=counter[0])', '"{1} {0}".format(items.pop(), len(items))']},
        expect_fix=False,  # the exact answer may be no fix at all
    ),
    fstring_debug_family("fstring-debug-conversion-or-type",
                         ["{user=}", "{user=!s}", "{user=:s}", "{n=:d}", "{price=!r}", "{ratio=:.2f}", "{user=:>6}"]),
    # an explicit spec, even an empty one, means format() (str for these values), not repr()
    fstring_debug_family("fstring-debug-explicit-spec", ["{user=:}", "{price=:}", "{where=:}"]),
    Family(
        name="percent-tuple-operand",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)
            pair = ("a", "b")
            single = ("only",)
            logger.info($message)
            '''},
        slots={"message": ['"pair %s %s" % pair', '"single %s" % single', '"nested %s" % (pair,)',
                           '"%s and %s" % (pair, single)', '"one %r" % single']},
        expect_fix=False,  # the exact answer may be no fix at all
    ),
    Family(
        name="exc-info-rebound",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)

            try:
                raise ValueError("bad input")
            except ValueError as exc:
                $rebind
                logger.error("failed", exc_info=exc)
            '''},
        slots={"rebind": ['exc = RuntimeError("wrapped")', 'exc = KeyError("other")']},
        expect_fix=False,  # `exc` no longer holds the handler's exception: no LC305 at all
    ),
    latin1_family("encoding-latin1-unencodable-fix-text",
                  ['"\\u2022 " + name', '"\\N{BULLET} " + name', 'name + " \\u2192 done"']),
    latin1_family("encoding-latin1-representable",
                  ['"été: " + name', 'f"été {name!r}"', '"été %s" % name', '"{} à {}".format(name, 3)',
                   'f"\\u2022 {name}"', '"\\N{BULLET} %s" % name']),
    # -- AWS Lambda Powertools' Logger (the real library): stdlib-compatible, writes JSON to
    # stdout; the timestamp is removed so that two runs can be compared byte for byte
    Family(
        name="powertools-Logger",
        files={"app.py": "$binding\n" + STDLIB_BODY},
        slots={"binding": [
            'from aws_lambda_powertools import Logger\n\nlogger = Logger(service="app")\n'
            'logger.remove_keys(["timestamp"])',
            'from aws_lambda_powertools.logging import Logger as PowertoolsLogger\n\n'
            'logger = PowertoolsLogger(service="app", level="DEBUG")\nlogger.remove_keys(["timestamp"])',
            'import aws_lambda_powertools\n\nlogger = aws_lambda_powertools.Logger(service="app", level="DEBUG")\n'
            'logger.append_keys(request="7")\nlogger.remove_keys(["timestamp"])',
        ], "prelude": [STDLIB_PRELUDE], "call1": LOGGER_ONLY_CALLS, "call2": LOGGER_ONLY_CALLS,
            "call3": LOGGER_ONLY_CALLS, "handler_call": HANDLER_CALLS},
        libraries=("aws_lambda_powertools",),
    ),
    Family(
        name="powertools-Lambda-handler",
        files={"template.yaml": """
            Resources:
              Orders:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: app.handler
            """,
               "app.py": """
            from aws_lambda_powertools import Logger

            $binding


            def handler(event, context):
                $local
                $call1
                try:
                    int(event["user"])
                except ValueError:
                    $handler_call


            handler({"user": "bob", "n": 42}, None)
            handler({"user": "ann", "n": 7}, None)
            """},
        slots={"binding": ['logger = Logger(service="app")\nlogger.remove_keys(["timestamp"])'],
               "local": ['user, n = event["user"], event["n"]'],
               ("call1", "handler_call"): [
                   ('logger.info(f"user {user} has {n:d} items")', 'logger.error(f"cannot parse {user}", exc_info=True)'),
                   ('logger.warn("user %s" % user)', 'logger.exception("bad %s", user, exc_info=True)'),
                   ('logger.info("count " + str(n))', 'logger.error("bad " + repr(user), exc_info=True)'),
               ]},
        libraries=("aws_lambda_powertools",),
    ),
)


# ---------------------------------------------------------------------------- logger families
# Programs using the real loguru and structlog (the `test` extra installs them); the runner
# captures each record's level, message, extra/key-values and exception.

LIBRARY_PRELUDE = '''
amount = 12.5
name = "bo{b}"
n = 3
items = ["a", "b"]


class Order:
    total = 7.25
    owner = "ann"


order = Order()
'''


def _loguru_eager(name: str, first, second) -> Family:
    """LC201-LC204 on loguru: an eager message becomes `{}` lazy arguments (two messages per
    program, so the suite's three cases cover six)."""
    return Family(
        name=name,
        files={"app.py": '''
            from loguru import logger
            $prelude
            logger.$method($first)
            logger.$method($second)
            try:
                1 / 0
            except ZeroDivisionError:
                logger.exception($first)
            logger.bind(user=name).$method($second)
            logger.opt(depth=0).$method($first)
            '''},
        slots={"prelude": [LIBRARY_PRELUDE], "method": ["info", "debug", "warning", "error", "success", "trace"],
               "first": first, "second": second},
        libraries=("loguru",),
    )


def _structlog_eager(name: str, first, second) -> Family:
    """LC201-LC204 on structlog: an eager message becomes a constant event with key-value
    pairs."""
    return Family(
        name=name,
        files={"app.py": '''
            import structlog
            $prelude
            log = structlog.get_logger()
            log.$method($first)
            log.bind($bound).$method($second, size=3)
            try:
                {}["missing"]
            except KeyError:
                log.exception($first)
            log.$method($second)
            '''},
        # a bound `amount` (a key the fixes would add) leaves those fixes unsafe; so does the
        # key `name` (a LogRecord attribute) everywhere
        slots={"prelude": [LIBRARY_PRELUDE], "method": ["info", "debug", "warning", "error", "critical"],
               "bound": ['request="r1"', 'amount=0'], "first": first, "second": second},
        libraries=("structlog",),
    )


FAMILIES = FAMILIES + (
    _loguru_eager("loguru-fstring-lazy-args",
                  ['f"user {name} paid {amount:.2f}"', 'f"{name!r} {n:>4} {{literal}}"', 'f"items={items} {n=}"'],
                  ['f"{order.total:08.3f} for {order.owner!s:^9}"', 'f"100% {name} {amount:,}"',
                   'f"{name}" f" and {n}"']),
    _structlog_eager("structlog-fstring-event",
                     ['f"user {name} paid {amount}"', 'f"order {order.total} of {order.owner}"'],
                     ['f"{n} items: {items}"', 'f"user {name!r} paid {amount:.2f}"', 'f"paid {amount}!"']),
    Family(
        name="structlog-exc-info",
        files={"app.py": '''
            import structlog

            log = structlog.get_logger().bind(job=7)
            try:
                int("seven")
            except ValueError as exc:
                log.$call
            '''},
        slots={"call": ['error("parse failed", exc_info=True)', 'exception("parse failed", exc_info=True)',
                        'exception("parse failed", exc_info=False)', 'error("parse failed", size=3, exc_info=1)',
                        'exception("parse failed", exc_info=True, size=3)']},
        libraries=("structlog",),
    ),
    Family(
        name="loguru-stdlib-api",
        files={"app.py": '''
            import sys
            from loguru import logger

            logger.add(sys.stdout, format="{level} {message}")
            $prelude
            try:
                int("seven")
            except ValueError:
                logger.$call
            logger.info("done")
            '''},
        slots={"prelude": [LIBRARY_PRELUDE],
               "call": ['error("parse failed", exc_info=True)', 'warning("parse failed", exc_info=True)',
                        'info("user %s paid %r", name, amount)', 'error("%s of %s failed; 100%% sure", n, items)',
                        'bind(job=1).error("parse failed", exc_info=True)',
                        'error("parse {} failed {{ok}}", name, exc_info=True)']},
        libraries=("loguru",),
    ),
    Family(
        name="loguru-extra-bind",
        files={"app.py": '''
            import sys
            from loguru import logger

            logger.remove()
            logger.add(sys.stdout, format="{level} {message}")
            $prelude
            log = logger.bind(job=7)
            log.$call1
            try:
                int("seven")
            except ValueError:
                logger.$call2
            '''},
        slots={"prelude": [LIBRARY_PRELUDE],
               "call1": ['info("user {} paid", name, extra={"order": n, "total": amount})',
                         'info("retry {}", n, extra={"job": 2, "items": items})',
                         'info("user {name}", name=name, extra={"order": order.owner})'],
               "call2": ['warning("parse failed", extra={"job": 1})',
                         'error("parse {} failed", name, extra={"user": name, "n": n})',
                         'exception("parse failed", extra={"amount": amount})']},
        libraries=("loguru",),
    ),
    Family(
        # another sink added before the console one: `remove()` would remove it too (LC703's
        # fix is withheld); added after it: kept, the fix is safe
        name="loguru-default-sink-other-sink",
        files={"app.py": '''
            import sys
            from loguru import logger

            $before
            logger.add(sys.stderr, format="{level} | {message}")
            $after
            logger.info("user {} paid {}", name, amount)
            '''},
        slots={("before", "after"): [
            ('def early(message):\n    print("early", message, end="")\nlogger.add(early)\nname, amount = "ann", 3',
             ""),
            ('name, amount = "ann", 3', 'logger.add(lambda message: print("late", message, end=""))'),
            ('name, amount = "ann", 3\ndef setup():\n    logger.add(lambda m: print("setup", m, end=""))\nsetup()',
             ""),
        ]},
        libraries=("loguru",),
        expect_fix=False,
    ),
    Family(
        name="loguru-default-sink-kept",
        files={"app.py": '''
            import sys
            from loguru import logger

            $prelude
            # the console
            logger.add($stream, format="{level} | {message}", level="$level")
            logger.info("user {} paid {}", name, amount)
            logger.warning("done")
            '''},
        slots={"prelude": [LIBRARY_PRELUDE], "stream": ["sys.stderr", "sys.stdout"],
               "level": ["DEBUG", "INFO", "WARNING"]},
        libraries=("loguru",),
    ),
)


FAMILIES = FAMILIES + (
    _loguru_eager("loguru-percent-lazy-args",
                  ['"user %s paid %r" % (name, amount)', '"{%s} 100%% [%-6s|%8r|%.2s]" % (n, name, amount, name)',
                   '"user %s" % str(name)'],
                  ['"%d items, %05.1f%%" % (n, amount)', '"%s of %s" % (items, order.owner)',
                   '"{x} %a" % (name,)']),
    _loguru_eager("loguru-format-lazy-args",
                  ['"{} paid {:>8.2f} {{x}}".format(name, amount)', '"{1} {0!r}".format(name, n)',
                   '"{who} in {where}".format(who=name, where=items)'],
                  ['"{:,} {!s:^9}|".format(n * 1000, name)', '"{0} and {0!r}".format(order.owner)',
                   '"{}%".format(amount)']),
    _loguru_eager("loguru-concat-lazy-args",
                  ['"user " + str(name) + " paid " + repr(amount) + " {x}"', '"a " + f"{name!r} {amount:.1f}"',
                   '"{" + str(n) + "}"'],
                  ['"items: " + str(items) + ", owner " + order.owner', '"n=" + repr(n) + " 100%"',
                   '"user " + name']),
    _structlog_eager("structlog-percent-event",
                     ['"user %s paid %s" % (name, amount)', '"order %s of %s" % (order.total, order.owner)',
                      '"%s items: %s" % (n, items)'],
                     ['"user %r paid %.2f" % (name, amount)', '"paid %s" % (amount,)', '"at %s" % (n,)']),
    _structlog_eager("structlog-format-event",
                     ['"user {} paid {}".format(name, amount)', '"{who} paid".format(who=name)',
                      '"order {0.total}".format(order)'],
                     ['"{} of {}".format(order.total, order.owner)', '"user {!r}".format(name)',
                      '"{1} then {0}".format(n, amount)']),
    _structlog_eager("structlog-concat-event",
                     ['"user " + f"{name}" + " left"', '"user " + str(name) + " left"', '"user " + name + ":"'],
                     ['"items " + f"{items} of {order.owner}"', '"n=" + repr(n)', '"paid " + f"{amount}!"']),
)

# ---------------------------------------------------------------------------- issue 25's classes

#: not a logger: what it is asked to log goes to stdout (`getLogger` returns itself)
RECORDER_CLASS = '''
class Recorder:
    kind = "recorder"

    def getLogger(self, name=None):
        return self

    def _out(self, method, msg, args):
        sys.stdout.write(method + " " + repr(msg) + " " + repr(args) + "\\n")

    def info(self, msg, *args):
        self._out("info", msg, args)

    def warn(self, msg, *args):
        self._out("warn", msg, args)

    def log(self, level, msg, *args):
        self._out("log " + repr(level), msg, args)
'''


def _recorder_app(body: str) -> str:
    """A program with a module logger and a `Recorder`; `body` (dedented) follows."""
    return ("import logging\nimport sys\n\nlogger = logging.getLogger(__name__)\n" + RECORDER_CLASS
            + textwrap.dedent(body))


ISSUE_25_FAMILIES = (
    # 1. bindings the scopes see: walrus (also in a comprehension) and `match` captures hide
    # the module logger, and a module-level walrus binds the name an insertion would take
    Family(
        name="walrus-and-match-bindings",
        files={"app.py": _recorder_app('''

            def work(obj, n):
            $body


            work(Recorder(), 3)
            ''')},
        slots={"body": [
            '    if (logger := obj):\n        logging.info("root %s", n)\n        logger.warn("w %s", n)\n'
            '        logger.info(f"n={n}")',
            '    [logger := obj for _ in range(1)]\n    logging.info("root %s", n)\n    logger.warn("w %s", n)',
            '    match obj:\n        case Recorder() as logger:\n            logging.info("root %s", n)\n'
            '            logger.warn("w %s" % n)',
            '    match [obj]:\n        case [logger]:\n            logging.warning("root")\n            logger.warn("w")',
            '    match {"k": obj}:\n        case {"k": logger}:\n            logging.info("root")\n'
            '            logger.log(20, "lvl %s", n)',
            '    match obj:\n        case Recorder(kind=kind) as logger:\n            logging.info(kind)\n'
            '            logger.info("k " + kind)',
            '    if (logging := obj):\n        logger.log(20, "lvl %s", n)\n        logging.warn("not the module")',
        ]},
    ),
    Family(
        name="walrus-binds-the-inserted-name",
        files={"app.py": '''
            import logging
            import sys
            $recorder

            def work():
                logging.info("work %s", 1)


            $binding
            work()
            logger.info("module-level walrus: " + logger.kind)
            '''},
        slots={"recorder": [RECORDER_CLASS], "binding": [
            "if (logger := Recorder()):\n    pass", "[logger := Recorder() for _ in range(2)]",
            "match Recorder():\n    case logger:\n        pass", "print((logger := Recorder()).kind)"]},
    ),
    Family(
        name="nonlocal-defined-first",
        files={"app.py": _recorder_app('''

            def outer(n):
            $inner_and_binding
                inner()
                logger.warn("w %s", n)
                logger.info(f"n={n}")


            outer(3)
            ''')},
        slots={"inner_and_binding": [
            f"    def inner():\n        nonlocal logger\n        logger = {value}\n    logger = logging.getLogger('app.x')"
            for value in ("Recorder()", "logging.getLogger('app.inner')")] + [
            # the order that was always read right, with the value that is not a logger
            "    logger = logging.getLogger('app.x')\n\n    def inner():\n        nonlocal logger\n"
            "        logger = Recorder()"]},
    ),
    # 2. proof from bindings: `logging` bound to something else; decorated factories
    Family(
        name="logging-name-rebound",
        files={"app.py": _recorder_app('''

            $definition
            ''')},
        slots={"definition": [
            'def work(logging, n):\n    logging.getLogger("x").warn("w %s" % n)\n    logging.info(f"n={n}")\n\n\n'
            'work(Recorder(), 3)',
            'def work(n):\n    logging = Recorder()\n    logging.getLogger("x").warn("w %s" % n)\n    logging.log(20, "l")\n\n\n'
            'work(3)',
            'def work(n):\n    for logging in [Recorder()]:\n        logging.getLogger(__file__).info("n " + str(n))\n\n\n'
            'work(3)',
            'logging = Recorder()\nlogging.getLogger("x").warn("w %s" % 3)\nlogging.info(f"n={3}")',
        ]},
        expect_fix=False,  # `logging` is a Recorder at every call: the exact answer is no fix
    ),
    Family(
        name="decorated-factory",
        files={"app.py": '''
            import functools
            import logging
            import sys
            $recorder

            def traced(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    return fn(*args, **kwargs)
                return wrapper


            def replaced(fn):
                def wrapper(*args, **kwargs):
                    return Recorder()
                return wrapper


            $decorator
            def get_logger():
                return logging.getLogger("app.factory")


            log = get_logger()
            n = 3
            log.warn("w %s", n)
            log.info(f"n={n}")
            log.info("n=%s" % n)
            '''},
        slots={"recorder": [RECORDER_CLASS], "decorator": [
            "@traced", "@functools.lru_cache(maxsize=None)", "@functools.cache", "@replaced", "@traced\n@replaced"]},
    ),
    # 4. loggers that format on their own: an adapter's `process()`, a project-wide logger
    # class or record factory (braces)
    Family(
        name="adapter-process-override",
        files={"app.py": '''
            import logging


            class Prefixed(logging.LoggerAdapter):
                def process(self, msg, kwargs):
                    return $prefix + msg, kwargs


            log = Prefixed(logging.getLogger("app.adapter"), {})
            n = 3
            user = "bob"
            log.warning($message)
            log.warn("old %s", n)
            '''},
        slots={"prefix": ['"[100%] "', '"[%s] " % 7', '"%(user)s "'],
               "message": ['f"n={n}"', '"n=%s" % (n,)', '"n={}".format(n)', '"user " + user']},
    ),
    Family(
        name="project-logger-class",
        files={"braces.py": '''
            import logging


            class BraceRecord(logging.LogRecord):
                def getMessage(self):
                    msg = str(self.msg)
                    return msg.format(*self.args) if self.args else msg


            class BraceLogger(logging.Logger):
                def makeRecord(self, *args, **kwargs):
                    record = super().makeRecord(*args, **kwargs)
                    record.__class__ = BraceRecord
                    return record


            def install():
                $install
            ''', "app.py": '''
            import logging

            import braces

            braces.install()
            log = logging.getLogger("app.braces")
            n = 3
            log.info(f"n={n} {{braces}}")
            log.info("n=%s" % n)
            log.info("n=" + str(n))
            logging.info("root %s", n)
            '''},
        slots={"install": ["logging.setLoggerClass(BraceLogger)", "logging.setLogRecordFactory(BraceRecord)"]},
    ),
    # 5. the inserted or reused module logger: star imports, `__getattr__`, import-time code
    Family(
        name="star-imported-module",
        files={"lib.py": '''
            import logging
            $all

            def work():
                logging.info("lib work")
            ''', "consumer.py": '''
            import logging

            logger = logging.getLogger("consumer")
            from lib import *  # noqa: F403


            def report():
                work()
                logger.info("the consumer's own logger")
            ''', "app.py": "import consumer\n\nconsumer.report()\n"},
        slots={"all": ["", "__all__ = ['work']"]},
    ),
    Family(
        name="module-getattr",
        files={"lib.py": '''
            import logging


            def work():
                logging.info("lib work")


            $getattr
            ''', "app.py": "import lib\n\nlib.work()\nlib.logger.info('served by __getattr__')\n"},
        slots={"getattr": [
            'def __getattr__(name):\n    if name == "logger":\n        return logging.getLogger("served")\n'
            '    raise AttributeError(name)',
            '__getattr__ = {"logger": logging.getLogger("served")}.__getitem__']},
        expect_fix=False,  # a new module-level name would hide what `__getattr__` serves: no fix
    ),
    Family(
        name="import-time-hooks",
        files={"app.py": '''
            import enum
            import logging


            def note(value):
                logging.info("note %s", value)


            $cls

            logger = logging.getLogger(__name__)
            logger.info("ready")
            '''},
        slots={"cls": [
            "class Color(enum.Enum):\n    RED = 1\n\n    def __init__(self, value):\n        note(value)\n",
            "class Color(enum.Enum):\n    RED = 1\n\n    def __new__(cls, value):\n        note(value)\n"
            "        obj = object.__new__(cls)\n        obj._value_ = value\n        return obj\n",
            "class Color(enum.Enum):\n    def _generate_next_value_(name, start, count, last):\n        note(name)\n"
            "        return count\n\n    RED = enum.auto()\n",
            "class Base:\n    def __init_subclass__(cls):\n        note(cls.__name__)\n\n\nclass Sub(Base):\n    pass\n",
            "class Field:\n    def __set_name__(self, owner, name):\n        note(name)\n\n\nclass Model:\n    x = Field()\n",
            "class Model:\n    def helper():\n        note('h')\n\n    x = helper()\n",
        ]},
    ),
    Family(
        name="import-cycle-callback",
        files={"lib.py": '''
            import logging


            def work():
                logging.info("work")


            import $helper

            logger = logging.getLogger(__name__)
            logger.info("lib ready")
            ''', "helper.py": "import lib\n\nlib.work()\n", "middle.py": "import helper\n",
            "app.py": "import lib\n\nlib.work()\n"},
        slots={"helper": ["helper", "middle"]},
    ),
    # 6. LC305 in `finally`: another exception may be propagating there
    Family(
        name="exc-info-in-finally",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)

            try:
                try:
                    raise ValueError("bad input")
                except ValueError as exc:
                    try:
                        $inner
                    finally:
                        logger.error("failed", exc_info=exc)
                    logger.error("after", exc_info=exc)
            except KeyError:
                pass
            '''},
        slots={"inner": ['raise KeyError("propagating")', "pass",
                         'try:\n                raise OSError("caught")\n            except OSError:\n'
                         '                pass']},
    ),
    # 7. LC201 `{expr=}`: the printed text is the expression as written, over lines too
    Family(
        name="fstring-debug-multiline",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)
            items = [1, 2]


            def work():
                if items:
                    logger.info(f"""$field""")


            work()
            '''},
        slots={"field": ["{len(\n                        items)=}", "{items[\n0]=}",
                         "{items=} and {len(items)=}"]},
    ),
    # 8. LC306 keeps a falsy `exc_info` that the record would otherwise not keep
    Family(
        name="exception-falsy-exc-info",
        files={"app.py": '''
            import logging

            logger = logging.getLogger(__name__)
            try:
                raise ValueError("bad")
            except ValueError:
                logger.exception("handled", exc_info=$value)
            '''},
        slots={"value": ["0", '""', "()", "[]", "{}", 'b""', "False", "None"]},
    ),
)

FAMILIES = FAMILIES + ISSUE_25_FAMILIES
BY_NAME = {family.name: family for family in FAMILIES}
