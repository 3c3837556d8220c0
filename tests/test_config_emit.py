"""LC508's second group: configurations that load, then fail on every record (issue 12), and
the QueueHandler `handlers` cross-check and LC502 on a FileHandler subclass of the file.
Each case gives the rows the rule must report; an empty list: nothing may be reported.
The real loader's verdict on the fixture forms of these cases is in test_config_loader.py."""

from __future__ import annotations

import pytest

from config_cases import rows, run, src
from helpers import fix

FMT = "%(asctime)s %(levelname)s %(name)s"

CASES = [
    # ------------------------------------------------------------------ stream given as a string
    ("stream-py", "LC508", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"console": {"class": "logging.StreamHandler", "stream": "sys.stdout"}},
            "root": {"level": "INFO", "handlers": ["console"]},
        }
        """, [3]),
    ("stream-dictconfig-call", "LC508", "py", """
        import logging.config
        logging.config.dictConfig({
            "version": 1,
            "handlers": {"console": {"class": "logging.StreamHandler", "stream": "sys.stderr"}},
        })
        """, [4]),
    ("stream-any-plain-string", "LC508", "yaml", """
        version: 1
        handlers:
          console:
            class: logging.StreamHandler
            stream: stdout
        """, [5]),
    ("stream-ext-ok", "LC508", "json", """
        {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}}}
        """, []),
    ("stream-cfg-ok", "LC508", "yaml", """
        version: 1
        streams:
          out: ext://sys.stdout
        handlers:
          console:
            class: logging.StreamHandler
            stream: cfg://streams.out
        """, []),
    ("stream-name-in-code-ok", "LC508", "py", """
        import sys
        LOGGING = {
            "version": 1,
            "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stdout}},
        }
        """, []),
    # ------------------------------------------------------------------ fields no record has
    # `request_id` carries correlation context: LC806's finding, not also LC508's
    ("field-py-dict", "LC806", "py", f"""
        LOGGING = {{
            "version": 1,
            "formatters": {{"f": {{"format": "{FMT} %(request_id)s %(message)s"}}}},
            "handlers": {{"h": {{"class": "logging.StreamHandler", "formatter": "f"}}}},
            "root": {{"level": "INFO", "handlers": ["h"]}},
        }}
        """, [3]),
    ("field-basicconfig", "LC508", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        """, [2]),
    ("field-extra-of-another-key", "LC508", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        logging.getLogger(__name__).info("start", extra={"user": "x"})
        """, [2]),
    ("field-on-the-empty-logger", "LC508", "toml", """
        version = 1
        [formatters.f]
        format = "$asctime $user $message"
        style = "$"
        [handlers.h]
        class = "logging.StreamHandler"
        formatter = "f"
        [loggers.""]
        handlers = ["h"]
        """, [3]),
    ("field-stdlib-filter-adds-nothing", "LC508", "yaml", """
        version: 1
        formatters:
          f: {format: "{asctime} {tenant} {message}", style: "{"}
        filters:
          app: {name: app}
        handlers:
          h: {class: logging.StreamHandler, formatter: f, filters: [app]}
        root: {level: INFO, handlers: [h]}
        """, [3]),
    ("field-record-attributes-ok", "LC508", "json", """
        {"version": 1,
         "formatters": {"f": {"format": "%(asctime)s.%(msecs)03d %(levelname)-8s %(name)s %(process)d %(threadName)s %(funcName)s:%(lineno)d %(message)s %%(request_id)s"}},
         "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
         "root": {"level": "INFO", "handlers": ["h"]}}
        """, []),
    ("field-project-filter-on-handler-ok", "LC508", "py", """
        LOGGING = {
            "version": 1,
            "formatters": {"f": {"format": "%(request_id)s %(message)s"}},
            "filters": {"rid": {"()": "myapp.log.RequestIdFilter"}},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f", "filters": ["rid"]}},
            "root": {"level": "INFO", "handlers": ["h"]},
        }
        """, []),
    ("field-project-filter-on-a-logger-ok", "LC508", "yaml", """
        version: 1
        formatters:
          f: {format: "%(request_id)s %(message)s"}
        filters:
          rid: {(): myapp.log.RequestIdFilter}
        handlers:
          h: {class: logging.StreamHandler, formatter: f}
        loggers:
          myapp: {level: INFO, filters: [rid]}
        root: {level: INFO, handlers: [h]}
        """, []),
    ("field-filter-object-ok", "LC508", "py", """
        from myapp.log import RequestIdFilter
        LOGGING = {
            "version": 1,
            "formatters": {"f": {"format": "%(request_id)s %(message)s"}},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f", "filters": [RequestIdFilter()]}},
            "root": {"level": "INFO", "handlers": ["h"]},
        }
        """, []),
    ("field-formatter-factory-ok", "LC508", "json", """
        {"version": 1,
         "formatters": {"f": {"()": "myapp.log.TenantFormatter", "fmt": "%(tenant)s %(message)s"}},
         "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
         "root": {"level": "INFO", "handlers": ["h"]}}
        """, []),
    ("field-formatter-class-ok", "LC508", "yaml", """
        version: 1
        formatters:
          f: {class: myapp.log.TenantFormatter, format: "%(tenant)s %(message)s"}
        handlers:
          h: {class: logging.StreamHandler, formatter: f}
        root: {level: INFO, handlers: [h]}
        """, []),
    ("field-formatter-defaults-ok", "LC508", "json", """
        {"version": 1,
         "formatters": {"f": {"format": "%(request_id)s %(message)s", "defaults": {"request_id": "-"}}},
         "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
         "root": {"level": "INFO", "handlers": ["h"]}}
        """, []),
    ("field-extra-in-the-file-ok", "LC508", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        logging.getLogger(__name__).info("start", extra={"tenant": "acme"})
        """, []),
    ("field-extra-not-a-literal-ok", "LC508", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        def log(context):
            logging.getLogger(__name__).info("start", extra=context)
        """, []),
    ("field-logger-adapter-ok", "LC508", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        log = logging.LoggerAdapter(logging.getLogger(__name__), {"tenant": "acme"})
        """, []),
    ("field-record-factory-ok", "LC508", "py", """
        import logging
        from myapp.log import record_factory
        logging.setLogRecordFactory(record_factory)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(tenant)s %(message)s")
        """, []),
    ("field-filter-added-in-code-ok", "LC508", "py", """
        import logging
        from myapp.log import RequestIdFilter
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(request_id)s %(message)s")
        for handler in logging.getLogger().handlers:
            handler.addFilter(RequestIdFilter())
        """, []),
    ("field-named-logger-only-ok", "LC508", "json", """
        {"version": 1,
         "formatters": {"audit": {"format": "%(asctime)s %(user)s %(message)s"}},
         "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "audit"}},
         "loggers": {"audit": {"level": "INFO", "handlers": ["h"], "propagate": false}}}
        """, []),
    ("field-mutated-dict-ok", "LC508", "py", """
        LOGGING = {
            "version": 1,
            "formatters": {"f": {"format": "%(request_id)s %(message)s"}},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
            "root": {"level": "INFO", "handlers": ["h"]},
        }
        LOGGING["filters"] = {"rid": {"()": "myapp.log.RequestIdFilter"}}
        """, []),
    # ------------------------------------------------------------------ QueueHandler `handlers`
    ("queue-handlers-undefined", "LC508", "yaml", """
        version: 1
        handlers:
          console: {class: logging.StreamHandler}
          queue:
            class: logging.handlers.QueueHandler
            handlers: [console, fiel]
        root: {level: INFO, handlers: [queue]}
        """, [6]),
    ("queue-handlers-defined-ok", "LC508", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {
                "console": {"class": "logging.StreamHandler"},
                "queue": {"class": "logging.handlers.QueueHandler", "handlers": ["console"]},
            },
            "root": {"level": "INFO", "handlers": ["queue"]},
        }
        """, []),
    ("queue-handlers-of-another-class-are-arguments", "LC508", "json", """
        {"version": 1, "handlers": {"m": {"class": "logging.handlers.MemoryHandler", "capacity": 10,
                                          "handlers": ["x"]}}}
        """, [2]),
    # ------------------------------------------------------------------ LC502: FileHandler subclasses
    ("502-subclass", "LC502", "py", """
        import logging
        class AppFileHandler(logging.FileHandler):
            def emit(self, record):
                super().emit(record)
        handler = AppFileHandler("app.log")
        """, [5]),
    ("502-subclass-of-subclass-defined-later", "LC502", "py", """
        from logging import FileHandler
        def make():
            return AuditHandler("audit.log")
        class AuditHandler(BaseHandler):
            pass
        class BaseHandler(FileHandler):
            pass
        """, [3]),
    ("502-subclass-of-rotating-ok", "LC502", "py", """
        import logging.handlers
        class AppFileHandler(logging.handlers.RotatingFileHandler):
            pass
        handler = AppFileHandler("app.log", maxBytes=1000, backupCount=3)
        """, []),
    ("502-subclass-with-foreign-mixin-ok", "LC502", "py", """
        import logging
        from myapp.log import RolloverMixin
        class AppFileHandler(RolloverMixin, logging.FileHandler):
            pass
        handler = AppFileHandler("app.log")
        """, []),
    ("502-subclass-that-rolls-over-ok", "LC502", "py", """
        import logging
        class AppFileHandler(logging.FileHandler):
            def doRollover(self):
                pass
        handler = AppFileHandler("app.log")
        """, []),
    ("502-subclass-not-constructed-ok", "LC502", "py", """
        import logging
        class AppFileHandler(logging.FileHandler):
            pass
        """, []),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case(case):
    name, code, kind, text, expected = case
    assert rows(code, kind, text) == expected


#: one field carrying correlation context (LC806's) and one that does not (LC508's)
TWO_MISSING_FIELDS = """
    version: 1
    formatters:
      f: {format: "%(request_id)s %(tenant)s %(message)s"}
    handlers:
      h: {class: logging.StreamHandler, formatter: f}
    root: {level: INFO, handlers: [h]}
    """


def test_messages_name_the_key_and_the_reason():
    [stream] = run("LC508", "json", """
        {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler", "stream": "sys.stdout"}}}
        """)
    assert stream.message == ("handler `console`: `stream` is the string 'sys.stdout', not a stream: dictConfig "
                              "accepts it, then every record fails with AttributeError ('str' object has no "
                              "attribute 'write'); write 'ext://sys.stdout'")
    [field] = run("LC508", "yaml", TWO_MISSING_FIELDS)
    assert field.message == ("formatter `f` (handler `h` of the root logger) uses `tenant`, which "
                             "no log record has and no filter, formatter class or `extra=` adds: the configuration "
                             "loads, then every record fails with ValueError (Formatting field not found in record)")
    [context] = run("LC806", "yaml", TWO_MISSING_FIELDS)
    assert context.message == ("formatter `f` (handler `h` of the root logger) uses `request_id`, trace or "
                               "correlation context which no log record has and nothing in the project supplies (no "
                               "injecting LoggingInstrumentor, ddtrace log injection, filter, adapter or record "
                               "factory): every record fails with ValueError (Formatting field not found in record)")
    [subclass] = run("LC502", "py", """
        import logging
        class AppFileHandler(logging.FileHandler):
            pass
        h = AppFileHandler("app.log")
        """)
    assert subclass.message == ("`AppFileHandler` (a FileHandler subclass without rotation) never rotates its "
                                "file: it grows without bound; derive from RotatingFileHandler")
    assert subclass.fix is None


STREAM_SOURCE = """\
LOGGING = {
    "version": 1,
    # the console
    'handlers': {'console': {'class': 'logging.StreamHandler', 'stream': 'sys.stderr'}},
    "root": {"handlers": ["console"]},
}
"""


def test_stream_fix_writes_the_ext_form_and_nothing_else():
    fixed = fix(STREAM_SOURCE, select=["LC508"], dedent=False)
    assert fixed == STREAM_SOURCE.replace("'sys.stderr'", "'ext://sys.stderr'")
    assert fix(fixed, select=["LC508"], dedent=False) == fixed
    [d] = run("LC508", "py", STREAM_SOURCE)
    assert d.fix is not None and d.fix.applicability == "safe"


def test_stream_fix_is_offered_only_when_exact():
    for source in (STREAM_SOURCE.replace("'sys.stderr'", "'sys.\\x73tderr'"),  # an escape: not rewritten
                   STREAM_SOURCE.replace("'sys.stderr'", "'stdout'")):  # no known stream to name
        [d] = run("LC508", "py", source)
        assert d.fix is None, source
    [d] = run("LC508", "json", src("""
        {"version": 1, "handlers": {"c": {"class": "logging.StreamHandler", "stream": "sys.stdout"}}}
        """))
    assert d.fix is None  # fixes edit Python sources only


def test_the_fixed_stream_configuration_writes_the_record(tmp_path):
    """Proof by execution: the original fails on its first record, the fixed one writes it."""
    import subprocess
    import sys

    program = "import logging.config\n{config}\nlogging.config.dictConfig(LOGGING)\nlogging.getLogger('x').warning('hello %s', 42)\n"
    for source, ok in ((STREAM_SOURCE, False), (fix(STREAM_SOURCE, select=["LC508"], dedent=False), True)):
        out = subprocess.run([sys.executable, "-c", program.format(config=source)], capture_output=True, text=True,
                             timeout=60, cwd=tmp_path)
        assert (out.stderr == "hello 42\n") == ok, out.stderr
        assert ("AttributeError: 'str' object has no attribute 'write'" in out.stderr) != ok, out.stderr
