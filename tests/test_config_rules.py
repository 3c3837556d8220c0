"""Table-driven LC501-LC512 cases across every source kind: Python dict literals, Python
constructors and calls, INI (fileConfig), JSON, YAML and TOML. Each case gives the rows the
rule must report (an empty list: the configuration is fine and must stay silent)."""

from __future__ import annotations

import pytest
from config_cases import positions, rows

LAMBDA = {"policy": {"preset": "aws-lambda"}}
CONTAINER = {"policy": {"preset": "container"}}
LIBRARY = {"policy": {"preset": "library"}}
STRUCTURED = {"policy": {"structured": True}}

GOOD_FMT = "%(asctime)s %(levelname)s %(name)s %(message)s"

CASES = [
    # ------------------------------------------------------------------ LC501
    ("501-py-dict", "LC501", "py", """
        import logging.config
        logging.config.dictConfig({
            "version": 1,
            "formatters": {"f": {"format": "%(levelname)s %(message)s"}},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
        })
        """, [4], None),
    ("501-py-dict-no-formatter", "LC501", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"h": {"class": "logging.StreamHandler"}},
        }
        """, [3], None),
    ("501-py-formatter-call", "LC501", "py", """
        import logging
        fmt = logging.Formatter("{levelname} {message}", style="{")
        """, [2], None),
    ("501-py-formatter-default", "LC501", "py", """
        import logging
        fmt = logging.Formatter()
        """, [2], None),
    ("501-py-handler-added-without-formatter", "LC501", "py", """
        import logging
        h = logging.StreamHandler()
        logging.getLogger("app").addHandler(h)
        """, [2], None),
    ("501-py-handler-with-formatter", "LC501", "py", f"""
        import logging
        h = logging.StreamHandler()
        h.setFormatter(logging.Formatter("{GOOD_FMT}"))
        logging.getLogger("app").addHandler(h)
        """, [], None),
    ("501-py-handler-returned-is-unknown", "LC501", "py", """
        import logging
        def make():
            h = logging.StreamHandler()
            return h
        """, [], None),
    ("501-py-queue-listener-handlers-followed", "LC501", "py", """
        import logging.handlers, queue
        q = queue.Queue()
        console = logging.StreamHandler()
        listener = logging.handlers.QueueListener(q, console)
        logging.getLogger().addHandler(logging.handlers.QueueHandler(q))
        """, [3], None),
    ("501-py-nullhandler-in-library", "LC501", "py", """
        import logging
        logging.getLogger(__name__).addHandler(logging.NullHandler())
        """, [], None),
    ("501-py-basicconfig-default-format", "LC501", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [2], None),
    ("501-py-basicconfig-good-format", "LC501", "py", f"""
        import logging
        logging.basicConfig(level=logging.INFO, format="{GOOD_FMT}")
        """, [], None),
    ("501-py-basicconfig-lambda-fields", "LC501", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
        """, [], LAMBDA),
    ("501-ini", "LC501", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=h
        [formatters]
        keys=f
        [logger_root]
        level=INFO
        handlers=h
        [handler_h]
        class=StreamHandler
        args=(sys.stdout,)
        formatter=f
        [formatter_f]
        format=%(asctime)s %(message)s
        """, [15], None),
    ("501-ini-no-formatter", "LC501", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=h
        [formatters]
        keys=
        [logger_root]
        level=INFO
        handlers=h
        [handler_h]
        class=StreamHandler
        args=(sys.stdout,)
        """, [10], None),
    ("501-json", "LC501", "json", """
        {
          "version": 1,
          "handlers": {"h": {"class": "logging.StreamHandler"}}
        }
        """, [3], None),
    ("501-yaml-brace-style-ok", "LC501", "yaml", """
        version: 1
        formatters:
          f:
            format: "{asctime} {levelname} {name}: {message}"
            style: "{"
        handlers:
          h:
            class: logging.StreamHandler
            formatter: f
        """, [], None),
    ("501-toml-dollar-style", "LC501", "toml", """
        version = 1
        [formatters.f]
        format = "${asctime} ${message}"
        style = "$"
        [handlers.h]
        class = "logging.StreamHandler"
        formatter = "f"
        """, [3], None),
    ("501-yaml-null-handler-ok", "LC501", "yaml", """
        version: 1
        handlers:
          quiet:
            class: logging.NullHandler
        """, [], None),
    # ------------------------------------------------------------------ LC502
    ("502-py-dict", "LC502", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"file": {"class": "logging.FileHandler", "filename": "app.log"}},
        }
        """, [3], None),
    ("502-py-call", "LC502", "py", """
        import logging
        h = logging.FileHandler("app.log")
        """, [2], None),
    ("502-py-alias", "LC502", "py", """
        import logging as lg
        h = lg.FileHandler("app.log")
        """, [2], None),
    ("502-py-from-import", "LC502", "py", """
        from logging import FileHandler as FH
        h = FH("app.log")
        """, [2], None),
    ("502-py-basicconfig-filename", "LC502", "py", """
        import logging
        logging.basicConfig(
            level=logging.INFO,
            filename="app.log",
        )
        """, [4], None),
    ("502-py-rotating-ok", "LC502", "py", """
        from logging.handlers import RotatingFileHandler as RFH
        h = RFH("app.log", maxBytes=1000, backupCount=3)
        """, [], None),
    ("502-ini", "LC502", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=file
        [formatters]
        keys=
        [logger_root]
        handlers=file
        [handler_file]
        class=FileHandler
        args=("app.log",)
        """, [10], None),
    ("502-json", "LC502", "json", """
        {"version": 1,
         "handlers": {
           "file": {"class": "logging.FileHandler", "filename": "a.log"}}}
        """, [3], None),
    ("502-yaml-watched-required", "LC502", "yaml", """
        version: 1
        handlers:
          file:
            class: logging.handlers.WatchedFileHandler
            filename: app.log
        """, [4], None),
    ("502-yaml-watched-external", "LC502", "yaml", """
        version: 1
        handlers:
          file:
            class: logging.handlers.WatchedFileHandler
            filename: app.log
        """, [], {"policy": {"rotation": "external"}}),
    ("502-toml", "LC502", "toml", """
        version = 1
        [handlers.file]
        class = "logging.FileHandler"
        filename = "app.log"
        """, [3], None),
    ("502-rotation-none", "LC502", "toml", """
        version = 1
        [handlers.file]
        class = "logging.FileHandler"
        filename = "app.log"
        """, [], {"policy": {"rotation": "none"}}),
    # ------------------------------------------------------------------ LC503
    ("503-py-call-missing", "LC503", "py", """
        import logging.handlers
        h = logging.handlers.RotatingFileHandler("app.log")
        """, [2], None),
    ("503-py-call-zero", "LC503", "py", """
        import logging.handlers
        h = logging.handlers.RotatingFileHandler("app.log", maxBytes=0, backupCount=3)
        """, [2], None),
    ("503-py-positional-ok", "LC503", "py", """
        import logging.handlers
        h = logging.handlers.RotatingFileHandler("app.log", "a", 1000, 3)
        """, [], None),
    ("503-py-unknown-ok", "LC503", "py", """
        import logging.handlers
        h = logging.handlers.RotatingFileHandler("app.log", maxBytes=MAX, backupCount=COUNT)
        """, [], None),
    ("503-py-timed", "LC503", "py", """
        from logging.handlers import TimedRotatingFileHandler
        h = TimedRotatingFileHandler("app.log", when="midnight")
        """, [2], None),
    ("503-py-dict", "LC503", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {
                "file": {
                    "class": "logging.handlers.RotatingFileHandler",
                    "filename": "app.log",
                    "maxBytes": 1048576,
                },
            },
        }
        """, [4], None),
    ("503-ini", "LC503", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=file
        [formatters]
        keys=
        [logger_root]
        handlers=file
        [handler_file]
        class=handlers.TimedRotatingFileHandler
        args=("app.log", "midnight", 1, 0)
        """, [10], None),
    ("503-json-ok", "LC503", "json", """
        {"version": 1, "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler",
          "filename": "a.log", "maxBytes": 1000, "backupCount": 2}}}
        """, [], None),
    ("503-yaml", "LC503", "yaml", """
        version: 1
        handlers:
          file:
            class: logging.handlers.RotatingFileHandler
            filename: app.log
            maxBytes: 1000
            backupCount: 0
        """, [4], None),
    ("503-toml", "LC503", "toml", """
        version = 1
        [handlers.file]
        class = "logging.handlers.RotatingFileHandler"
        filename = "app.log"
        """, [3], None),
    # ------------------------------------------------------------------ LC504
    ("504-py-dict-lambda-file", "LC504", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler", "filename": "/tmp/a.log"}},
        }
        """, [3], LAMBDA),
    ("504-py-watchtower-lambda", "LC504", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler(log_group_name="app")
        """, [2], LAMBDA),
    ("504-py-watchtower-cloudwatch-preset-ok", "LC504", "py", """
        from watchtower import CloudWatchLogHandler
        h = CloudWatchLogHandler(log_group_name="app")
        """, [], {"policy": {"preset": "cloudwatch"}}),
    ("504-py-basicconfig-filename-container", "LC504", "py", """
        import logging
        logging.basicConfig(filename="app.log", level=logging.INFO)
        """, [2], CONTAINER),
    ("504-py-stream-stderr-lambda-ok", "LC504", "py", """
        import logging, sys
        h = logging.StreamHandler(sys.stderr)
        """, [], LAMBDA),
    ("504-py-stderr-only-stdout-allowed", "LC504", "py", """
        import logging
        h = logging.StreamHandler()
        """, [2], {"policy": {"destinations": ["stdout"]}}),
    ("504-py-stream-variable-unknown", "LC504", "py", """
        import logging
        h = logging.StreamHandler(stream)
        """, [], {"policy": {"destinations": ["stdout"]}}),
    ("504-ini-container", "LC504", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=sys
        [formatters]
        keys=
        [logger_root]
        handlers=sys
        [handler_sys]
        class=handlers.SysLogHandler
        args=(("localhost", 514),)
        """, [10], CONTAINER),
    ("504-json-smtp-lambda", "LC504", "json", """
        {"version": 1,
         "handlers": {"mail": {"class": "logging.handlers.SMTPHandler",
                               "mailhost": "localhost", "fromaddr": "a@b", "toaddrs": ["c@d"], "subject": "x"}}}
        """, [2], LAMBDA),
    ("504-yaml-stdout-lambda-ok", "LC504", "yaml", """
        version: 1
        handlers:
          console:
            class: logging.StreamHandler
            stream: ext://sys.stdout
        """, [], LAMBDA),
    ("504-toml-library", "LC504", "toml", """
        version = 1
        [handlers.console]
        class = "logging.StreamHandler"
        """, [3], LIBRARY),
    ("504-default-allows-all", "LC504", "toml", """
        version = 1
        [handlers.file]
        class = "logging.FileHandler"
        filename = "a.log"
        """, [], None),
    # ------------------------------------------------------------------ LC505
    ("505-py-basicconfig", "LC505", "py", """
        import logging
        logging.basicConfig(format="%(message)s")
        """, [2], None),
    ("505-py-basicconfig-level", "LC505", "py", """
        import logging
        logging.basicConfig(level="INFO")
        """, [], None),
    ("505-py-root-set-in-code", "LC505", "py", """
        import logging
        logging.basicConfig()
        logging.getLogger().setLevel(logging.INFO)
        """, [], None),
    ("505-py-dict-no-root-level", "LC505", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"h": {"class": "logging.StreamHandler"}},
            "root": {"handlers": ["h"]},
        }
        """, [4], None),
    ("505-py-dict-empty-logger-level-ok", "LC505", "py", """
        LOGGING = {
            "version": 1,
            "loggers": {"": {"level": "INFO"}},
        }
        """, [], None),
    ("505-py-handler-level-below-minimum", "LC505", "py", """
        import logging
        h = logging.StreamHandler()
        h.setLevel(logging.DEBUG)
        """, [3], LAMBDA),
    ("505-py-root-setlevel-below-minimum", "LC505", "py", """
        import logging
        logging.getLogger().setLevel(logging.DEBUG)
        """, [], None),
    ("505-ini", "LC505", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=h
        [formatters]
        keys=
        [logger_root]
        handlers=h
        [handler_h]
        class=StreamHandler
        args=(sys.stdout,)
        """, [7], None),
    ("505-ini-root-without-handlers-ok", "LC505", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=
        [formatters]
        keys=
        [logger_root]
        handlers=
        """, [], None),
    ("505-json-no-root", "LC505", "json", """
        {"version": 1,
         "handlers": {"h": {"class": "logging.StreamHandler"}},
         "loggers": {"app": {"handlers": ["h"]}}}
        """, [1], None),
    ("505-json-loggers-with-own-levels-ok", "LC505", "json", """
        {"version": 1,
         "loggers": {"app": {"level": "INFO"}}}
        """, [], None),
    ("505-yaml-debug-under-lambda", "LC505", "yaml", """
        version: 1
        root:
          level: DEBUG
        """, [3], LAMBDA),
    ("505-toml-ok", "LC505", "toml", """
        version = 1
        [root]
        level = "INFO"
        """, [], LAMBDA),
    ("505-incremental-ok", "LC505", "json", """
        {"version": 1, "incremental": true, "handlers": {}}
        """, [], None),
    # ------------------------------------------------------------------ LC506
    ("506-py-django-settings", "LC506", "py", """
        LOGGING = {
            "version": 1,
            "root": {"level": "INFO"},
        }
        """, [1], None),
    ("506-py-dictconfig-literal", "LC506", "py", """
        import logging.config
        logging.config.dictConfig({"version": 1, "root": {"level": "INFO"}})
        """, [2], None),
    ("506-py-explicit-ok", "LC506", "py", """
        LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "INFO"}}
        """, [], None),
    ("506-py-fileconfig", "LC506", "py", """
        import logging.config
        logging.config.fileConfig("logging.ini")
        """, [2], None),
    ("506-py-fileconfig-ok", "LC506", "py", """
        from logging.config import fileConfig
        fileConfig("logging.ini", disable_existing_loggers=False)
        """, [], None),
    ("506-py-incremental-ok", "LC506", "py", """
        LOGGING = {"version": 1, "incremental": True, "root": {"level": "INFO"}}
        """, [], None),
    ("506-json", "LC506", "json", """
        {"version": 1, "root": {"level": "INFO"}}
        """, [1], None),
    ("506-yaml-nested", "LC506", "yaml", """
        app:
          name: shop
        logging:
          version: 1
          root:
            level: INFO
        """, [4], None),
    ("506-toml-ok", "LC506", "toml", """
        version = 1
        disable_existing_loggers = false
        [root]
        level = "INFO"
        """, [], None),
    ("506-ini-never", "LC506", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=
        [formatters]
        keys=
        [logger_root]
        level=INFO
        handlers=
        """, [], None),
    # ------------------------------------------------------------------ LC507
    ("507-basicconfig", "LC507", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [2], LIBRARY),
    ("507-main-guard-ok", "LC507", "py", """
        import logging
        if __name__ == "__main__":
            logging.basicConfig(level=logging.INFO)
        """, [], LIBRARY),
    ("507-entry-point-file-ok", "LC507", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [], LIBRARY, "pkg/cli.py"),
    ("507-nullhandler-ok", "LC507", "py", """
        import logging
        logging.getLogger(__name__).addHandler(logging.NullHandler())
        """, [], LIBRARY),
    ("507-streamhandler", "LC507", "py", """
        import logging
        logging.getLogger(__name__).addHandler(logging.StreamHandler())
        """, [2], LIBRARY),
    ("507-dictconfig-fileconfig", "LC507", "py", """
        import logging.config
        logging.config.dictConfig(CONFIG)
        logging.config.fileConfig("logging.ini")
        """, [2, 3], LIBRARY),
    ("507-off-by-default", "LC507", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [], {"extend-select": []}),
    # ------------------------------------------------------------------ LC508 (Python sources; files: test_config_loader)
    ("508-py-undefined-handler", "LC508", "py", """
        import logging.config
        logging.config.dictConfig({
            "version": 1,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "root": {"level": "INFO", "handlers": ["console", "file"]},
        })
        """, [5], None),
    ("508-py-name-bound-dict", "LC508", "py", """
        import logging.config
        def setup():
            config = {"handlers": {"h": {"class": "logging.StreamHandler"}}, "root": {"handlers": ["h"]}}
            logging.config.dictConfig(config)
        """, [3], None),
    ("508-py-mutated-dict-not-judged", "LC508", "py", """
        LOGGING = {"version": 1, "root": {"level": "INFO", "handlers": ["file"]}}
        LOGGING["handlers"] = {"file": {"class": "logging.NullHandler"}}
        """, [], None),
    ("508-py-spread-not-judged", "LC508", "py", """
        LOGGING = {"version": 1, **BASE, "root": {"level": "INFO", "handlers": ["file"]}}
        """, [], None),
    ("508-py-formatter-style-mismatch", "LC508", "py", """
        import logging
        ok = logging.Formatter("{asctime} {levelname} {name} {message}", style="{")
        bad = logging.Formatter("%(asctime)s %(message)s", None, "{")
        """, [3], None),
    ("508-py-other-dict-with-version-ignored", "LC508", "py", """
        API = {"version": "1.0", "root": "/srv", "handlers": ["a", "b"]}
        """, [], None),
    ("508-yaml-other-config-ignored", "LC508", "yaml", """
        version: 2
        handlers:
          http: {port: 80}
        """, [], None),
    # ------------------------------------------------------------------ LC509
    ("509-no-group", "LC509", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler(log_group_retention_days=30)
        """, [2], None),
    ("509-no-retention", "LC509", "py", """
        from watchtower import CloudWatchLogHandler as CW
        h = CW(log_group_name="orders")
        """, [2], None),
    ("509-no-create-ok", "LC509", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler(log_group_name="orders", create_log_group=False)
        """, [], None),
    ("509-bad-retention", "LC509", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler(log_group_name="orders", log_group_retention_days=10)
        """, [2], None),
    ("509-bad-stream", "LC509", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler("orders", "web:*", log_group_retention_days=30)
        """, [2], None),
    ("509-good", "LC509", "py", """
        import watchtower
        h = watchtower.CloudWatchLogHandler(log_group_name="orders", log_stream_name="{machine_name}/web",
                                            log_group_retention_days=30)
        """, [], None),
    ("509-yaml", "LC509", "yaml", """
        version: 1
        handlers:
          cw:
            class: watchtower.CloudWatchLogHandler
            log_group_name: orders
        """, [4], None),
    ("509-json-good", "LC509", "json", """
        {"version": 1, "handlers": {"cw": {"class": "watchtower.CloudWatchLogHandler",
          "log_group_name": "orders", "log_group_retention_days": 14}}}
        """, [], None),
    ("509-ini", "LC509", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=cw
        [formatters]
        keys=
        [logger_root]
        handlers=cw
        [handler_cw]
        class=watchtower.CloudWatchLogHandler
        kwargs={"log_group_name": "orders", "log_group_retention_days": 7}
        """, [], None),
    ("509-toml", "LC509", "toml", """
        version = 1
        [handlers.cw]
        class = "watchtower.CloudWatchLogHandler"
        log_group_name = "orders"
        log_group_retention_days = 45
        """, [5], None),
    # ------------------------------------------------------------------ LC510
    ("510-lambda", "LC510", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [2], LAMBDA),
    ("510-force-ok", "LC510", "py", """
        import logging
        logging.basicConfig(level=logging.INFO, force=True)
        """, [], LAMBDA),
    ("510-off-by-default", "LC510", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [], {"extend-select": []}),
    # ------------------------------------------------------------------ LC511
    ("511-function", "LC511", "py", """
        import logging
        def get_logger(name):
            logger = logging.getLogger(name)
            logger.addHandler(logging.StreamHandler())
            return logger
        get_logger("a")
        get_logger("b")
        """, [4], None),
    ("511-function-not-shown-to-run-twice", "LC511", "py", """
        import logging
        def get_logger(name):
            logger = logging.getLogger(name)
            logger.addHandler(logging.StreamHandler())
            return logger
        """, [], None),
    ("511-method", "LC511", "py", """
        import logging
        class Service:
            def __init__(self):
                self.log = logging.getLogger("svc")
                self.log.addHandler(logging.StreamHandler())
        """, [], None),  # a method's calls are not followed: not shown to run twice
    ("511-logging-handlers-module-is-no-guard", "LC511", "py", """
        import logging.handlers
        def get_logger(name):
            logger = logging.getLogger(name)
            logger.addHandler(logging.handlers.SysLogHandler())
            return logger
        for name in ("a", "b"):
            get_logger(name)
        """, [4], None),
    ("511-handler-passed-in-ok", "LC511", "py", """
        import logging
        def attach(logger, handler):
            logger.addHandler(handler)
        """, [], None),
    ("511-module-handler-ok", "LC511", "py", """
        import logging
        HANDLER = logging.StreamHandler()
        def attach(logger):
            logger.addHandler(HANDLER)
        """, [], None),
    ("511-bound-in-function", "LC511", "py", """
        import logging
        def attach(logger):
            h = logging.StreamHandler()
            logger.addHandler(h)
        attach(logging.getLogger("a"))
        attach(logging.getLogger("b"))
        """, [4], None),
    ("511-test-file-ok", "LC511", "py", """
        import logging
        def test_output():
            logging.getLogger("t").addHandler(logging.StreamHandler())
        """, [], None, "tests/test_output.py"),
    ("511-guarded", "LC511", "py", """
        import logging
        def get_logger(name):
            logger = logging.getLogger(name)
            if not logger.handlers:
                logger.addHandler(logging.StreamHandler())
            return logger
        """, [], None),
    ("511-guarded-early-return", "LC511", "py", """
        import logging
        def get_logger(name):
            logger = logging.getLogger(name)
            if logger.hasHandlers():
                return logger
            logger.addHandler(logging.StreamHandler())
            return logger
        """, [], None),
    ("511-cached", "LC511", "py", """
        import functools, logging
        @functools.lru_cache(maxsize=None)
        def get_logger(name):
            logger = logging.getLogger(name)
            logger.addHandler(logging.StreamHandler())
            return logger
        """, [], None),
    ("511-module-level-ok", "LC511", "py", """
        import logging
        logging.getLogger("app").addHandler(logging.StreamHandler())
        """, [], None),
    ("511-nullhandler-ok", "LC511", "py", """
        import logging
        def setup():
            logging.getLogger("lib").addHandler(logging.NullHandler())
        """, [], None),
    # ------------------------------------------------------------------ LC512
    ("512-py-dict", "LC512", "py", f"""
        LOGGING = {{
            "version": 1,
            "formatters": {{"text": {{"format": "{GOOD_FMT}"}}}},
            "handlers": {{"h": {{"class": "logging.StreamHandler", "formatter": "text"}}}},
        }}
        """, [4], STRUCTURED),
    ("512-py-dict-json-ok", "LC512", "py", f"""
        LOGGING = {{
            "version": 1,
            "formatters": {{"json": {{"()": "pythonjsonlogger.jsonlogger.JsonFormatter", "format": "{GOOD_FMT}"}}}},
            "handlers": {{"h": {{"class": "logging.StreamHandler", "formatter": "json"}}}},
        }}
        """, [], STRUCTURED),
    ("512-py-code", "LC512", "py", f"""
        import logging
        h = logging.StreamHandler()
        h.setFormatter(logging.Formatter("{GOOD_FMT}"))
        logging.getLogger("app").addHandler(h)
        """, [3], STRUCTURED),
    ("512-py-code-json-ok", "LC512", "py", """
        import logging
        from pythonjsonlogger import jsonlogger
        h = logging.StreamHandler()
        h.setFormatter(jsonlogger.JsonFormatter())
        logging.getLogger("app").addHandler(h)
        """, [], STRUCTURED),
    ("512-py-basicconfig", "LC512", "py", """
        import logging
        logging.basicConfig(level=logging.INFO)
        """, [2], CONTAINER),
    ("512-ini", "LC512", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=h
        [formatters]
        keys=f
        [logger_root]
        handlers=h
        [handler_h]
        class=StreamHandler
        args=(sys.stdout,)
        formatter=f
        [formatter_f]
        format=%(levelname)s %(name)s %(message)s
        """, [12], CONTAINER),
    ("512-yaml-no-formatter", "LC512", "yaml", """
        version: 1
        handlers:
          h:
            class: logging.StreamHandler
        """, [3], STRUCTURED),
    ("512-json-ecs-ok", "LC512", "json", """
        {"version": 1,
         "formatters": {"ecs": {"()": "ecs_logging.StdlibFormatter"}},
         "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "ecs"}}}
        """, [], STRUCTURED),
    ("512-toml", "LC512", "toml", """
        version = 1
        [formatters.plain]
        format = "%(levelname)s %(name)s %(message)s"
        [handlers.console]
        class = "logging.StreamHandler"
        formatter = "plain"
        """, [6], CONTAINER),
    ("512-off-by-default", "LC512", "json", """
        {"version": 1, "handlers": {"h": {"class": "logging.StreamHandler"}}}
        """, [], None),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case(case):
    name, code, kind, text, expected, settings, *path = case
    settings = dict(settings or {})
    settings.pop("extend-select", None)
    if name.endswith("off-by-default"):
        # selection by default (no `select`): the rule must be off
        from config_cases import src
        from helpers import check, make_settings

        from logcheck.workspace.config_files import check_config_file

        if kind == "py":
            found = [d for d in check(src(text), settings=settings, dedent=False) if d.code == code]
        else:
            found = [d for d in check_config_file(f"x.{kind}", src(text).encode(), make_settings(settings))[0]
                     if d.code == code]
        assert found == []
        return
    assert rows(code, kind, text, settings, path[0] if path else None) == expected


def test_every_code_has_cases_in_every_kind_it_reads():
    kinds = {}
    for name, code, kind, *_ in CASES:
        kinds.setdefault(code, set()).add(kind)
    for code in ("LC501", "LC502", "LC503", "LC504", "LC505", "LC506", "LC509", "LC512"):
        assert kinds[code] >= {"py", "json", "yaml", "toml"} - ({"py"} if code == "LC503" else set()), code
    assert {"LC507", "LC510", "LC511"} <= set(kinds)


def test_file_positions_are_the_files_own():
    yaml_text = """
        version: 1
        handlers:
          console:
            class: logging.StreamHandler
        root:
          level: INFO
          handlers: [console, missing]
        """
    assert positions("LC508", "yaml", yaml_text) == [(7, 23)]
    json_text = """
        {
          "version": 1,
          "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "nope"}
          }
        }
        """
    assert positions("LC508", "json", json_text) == [(4, 64)]
    toml_text = """
        version = 1

        [handlers.file]
        class = "logging.FileHandler"
        filename = "app.log"
        """
    assert positions("LC502", "toml", toml_text) == [(4, 1)]
    ini_text = """
        [loggers]
        keys=root,app

        [handlers]
        keys=

        [formatters]
        keys=

        [logger_root]
        level=INFO
        handlers=

        [logger_app]
        handlers=ghost
        qualname=app
        """
    assert positions("LC508", "ini", ini_text) == [(15, 10)]


def test_lc303_levels_in_dict_literals_and_files():
    from config_cases import run

    text = """
        LOGGING = {"version": 1, "root": {"level": "info"}}
        """
    found = run("LC303", "py", text)
    assert [(d.row, d.col) for d in found] == [(1, 44)]
    assert found[0].fix is not None
    assert [d.code for d in run("LC303", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=
        [formatters]
        keys=
        [logger_root]
        level=warning
        handlers=
        """)] == ["LC303"]
    assert positions("LC303", "yaml", """
        version: 1
        root:
          level: Debug
        """) == [(3, 10)]


# --------------------------------------------------------------------------- templated configuration

#: placeholders of string.Template, os.path.expandvars, str.format and Jinja
_PLACEHOLDERS = ["${LOG_LEVEL}", "$LOG_LEVEL", "{level}", "{{ level }}", "{% if x %}DEBUG{% endif %}",
                 "prefix-${X}"]


@pytest.mark.parametrize("placeholder", _PLACEHOLDERS)
@pytest.mark.parametrize("where", ["handler level", "logger level", "root level", "handler class",
                                   "handler reference", "formatter reference"])
def test_lc508_placeholders_are_unknown_values_not_errors(placeholder, where):
    handler = {"class": "logging.StreamHandler", "level": "INFO", "formatter": "plain"}
    logger = {"level": "INFO", "handlers": ["console"]}
    root = {"level": "INFO", "handlers": ["console"]}
    if where == "handler level":
        handler["level"] = placeholder
    elif where == "logger level":
        logger["level"] = placeholder
    elif where == "root level":
        root["level"] = placeholder
    elif where == "handler class":
        handler["class"] = placeholder
    elif where == "handler reference":
        logger["handlers"] = ["console", placeholder]
    else:
        handler["formatter"] = placeholder
    import json

    text = json.dumps({"version": 1, "disable_existing_loggers": False,
                       "formatters": {"plain": {"format": "%(levelname)s %(message)s"}},
                       "handlers": {"console": handler}, "loggers": {"app": logger}, "root": root})
    assert rows("LC508", "json", text) == []
    assert rows("LC508", "yaml", text) == []  # JSON is YAML


@pytest.mark.parametrize("placeholder", _PLACEHOLDERS)
def test_lc508_templated_ini_values(placeholder):
    text = ("[loggers]\nkeys=root\n[handlers]\nkeys=console\n[formatters]\nkeys=plain\n"
            f"[logger_root]\nlevel={placeholder}\nhandlers=console\n"
            f"[handler_console]\nclass={placeholder}\nlevel={placeholder}\nformatter=plain\nargs=({placeholder!r},)\n"
            "[formatter_plain]\nformat=%%(message)s\n")
    assert rows("LC508", "ini", text) == []


def test_lc508_still_judges_what_substitution_cannot_change():
    # a wrong level and an undefined handler written without placeholders stay errors; a
    # `$`-style format's `${field}` is the record's own field, checked as before
    text = """
        version: 1
        formatters:
          dollar:
            format: "${nosuchfield} ${message}"
            style: "$"
        handlers:
          console:
            class: logging.StreamHandler
            level: ${LOG_LEVEL}
            formatter: dollar
        root:
          level: LOUD
          handlers: [console, missing]
        """
    assert rows("LC508", "yaml", text) == [4, 12, 13]
