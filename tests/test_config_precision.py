"""The false-positive classes of issue 11 for LC501, LC505 and LC511, each in its general
form, next to the true findings that must stay. Rows to report; [] means silent."""

from __future__ import annotations

import textwrap

import pytest
import libcst as cst

from config_cases import rows
from logcheck.config_model.repeats import CallPlace, FunctionFacts, function_facts, runs_more_than_once

CASES = [
    # ------------------------------------------------------------------ LC501: formatter classes
    ("501-factory-may-add-fields", "LC501", "py", """
        LOGGING = {
            "version": 1,
            "formatters": {"f": {"()": "myapp.log.Formatter", "fmt": "%(message)s"}},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f"}},
        }
        """, []),
    ("501-class-key-may-add-fields", "LC501", "yaml", """
        version: 1
        formatters:
          f: {class: myapp.log.Formatter, format: "%(message)s"}
        handlers:
          h: {class: logging.StreamHandler, formatter: f}
        """, []),
    ("501-ini-class-may-add-fields", "LC501", "ini", """
        [loggers]
        keys=root
        [handlers]
        keys=
        [formatters]
        keys=f
        [logger_root]
        level=INFO
        handlers=
        [formatter_f]
        class=myapp.log.Formatter
        format=%(message)s
        """, []),
    ("501-formatter-subclass-in-code", "LC501", "py", """
        import logging
        from myapp.log import JsonFormatter
        class Plain(logging.Formatter):
            pass
        class ColorFormatter(Plain):
            pass
        a = JsonFormatter("%(message)s")
        b = Plain("%(message)s")
        c = ColorFormatter("%(message)s")
        """, []),
    ("501-stdlib-class-still-judged", "LC501", "json", """
        {"version": 1,
         "formatters": {"f": {"()": "logging.Formatter", "format": "%(message)s"}}}
        """, [2]),
    ("501-uvicorn-levelprefix-is-the-level-name", "LC501", "py", """
        LOGGING_CONFIG = {
            "version": 1,
            "formatters": {"default": {"()": "uvicorn.logging.DefaultFormatter",
                                       "fmt": "%(asctime)s %(levelprefix)s %(name)s %(message)s"}},
        }
        """, []),
    ("501-uvicorn-format-still-lacks-time", "LC501", "py", """
        LOGGING_CONFIG = {
            "version": 1,
            "formatters": {"access": {"()": "uvicorn.logging.AccessFormatter",
                                      "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'}},
        }
        """, [4]),
    ("501-padded-fields-count", "LC501", "yaml", """
        version: 1
        formatters:
          f: {format: "%(asctime)-15s %(levelname)-8s %(name)20s %(message)s"}
        """, []),
    ("501-escaped-percent-is-no-field", "LC501", "yaml", """
        version: 1
        formatters:
          f: {format: "%%(asctime)s %(levelname)s %(name)s %(message)s"}
        """, [3]),
    # ------------------------------------------------------------------ LC505: what is dropped
    ("505-loggers-with-own-levels-and-handlers-ok", "LC505", "py", """
        LOGGING = {
            "version": 1,
            "handlers": {"console": {"class": "logging.StreamHandler"}},
            "loggers": {
                "django": {"handlers": ["console"], "level": "INFO"},
                "myapp": {"handlers": ["console"], "level": "DEBUG", "propagate": False},
            },
        }
        """, []),
    ("505-root-without-handlers-ok", "LC505", "yaml", """
        version: 1
        root: {handlers: []}
        loggers:
          app: {level: INFO}
        """, []),
    ("505-root-handler-at-warning-ok", "LC505", "json", """
        {"version": 1,
         "handlers": {"h": {"class": "logging.StreamHandler", "level": "WARNING"}},
         "root": {"handlers": ["h"]}}
        """, []),
    ("505-root-null-handler-ok", "LC505", "yaml", """
        version: 1
        handlers:
          null: {class: logging.NullHandler}
        root: {handlers: [null]}
        """, []),
    ("505-root-handler-shows-info", "LC505", "json", """
        {"version": 1,
         "handlers": {"h": {"class": "logging.StreamHandler", "level": "INFO"}},
         "root": {"handlers": ["h"]}}
        """, [3]),
    ("505-root-handler-beside-leveled-loggers", "LC505", "toml", """
        version = 1
        [handlers.h]
        class = "logging.StreamHandler"
        [root]
        handlers = ["h"]
        [loggers.app]
        level = "INFO"
        """, [4]),
    ("505-logger-with-handlers-inherits-warning", "LC505", "yaml", """
        version: 1
        handlers:
          h: {class: logging.StreamHandler}
        loggers:
          app: {handlers: [h]}
        """, [1]),
    ("505-ini-root-handler", "LC505", "ini", """
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
        level=ERROR
        args=(sys.stdout,)
        """, []),
    # ------------------------------------------------------------------ LC511: code that runs once
    ("511-main-runs-once", "LC511", "py", """
        import logging
        def main():
            logger = logging.getLogger("tool")
            logger.addHandler(logging.StreamHandler())
        if __name__ == "__main__":
            main()
        """, []),
    ("511-click-command-runs-once", "LC511", "py", """
        import click, logging
        @click.command()
        def cli():
            logging.getLogger("tool").addHandler(logging.StreamHandler())
        """, []),
    ("511-called-once-at-module-level", "LC511", "py", """
        import logging
        def setup():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        setup()
        """, []),
    ("511-called-only-from-main-guard", "LC511", "py", """
        import logging
        def configure(level):
            root = logging.getLogger()
            root.addHandler(logging.StreamHandler())
            root.setLevel(level)
        def run():
            configure("INFO")
        if __name__ == "__main__":
            run()
        """, []),
    ("511-caller-checks-a-flag-it-sets", "LC511", "py", """
        import logging
        _configured = False
        def _setup():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        def get_logger(name):
            global _configured
            if not _configured:
                _setup()
                _configured = True
            return logging.getLogger(name)
        """, []),
    ("511-body-checks-a-global-flag", "LC511", "py", """
        import logging
        _configured = False
        def setup():
            global _configured
            if _configured:
                return
            logging.getLogger("app").addHandler(logging.StreamHandler())
            _configured = True
        """, []),
    ("511-called-in-a-loop", "LC511", "py", """
        import logging
        def attach(name):
            logging.getLogger(name).addHandler(logging.StreamHandler())
        for name in ("a", "b"):
            attach(name)
        """, [3]),
    ("511-called-twice", "LC511", "py", """
        import logging
        def attach():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        attach()
        attach()
        """, [3]),
    ("511-called-from-a-method", "LC511", "py", """
        import logging
        def attach():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        class Job:
            def run(self):
                attach()
        """, []),  # one call, from a method whose callers are not followed: not shown
    ("511-called-from-a-function-called-in-a-loop", "LC511", "py", """
        import logging
        def attach():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        def handle(request):
            attach()
        def serve(requests):
            for r in requests:
                handle(r)
        serve([])
        """, [3]),
    ("511-passed-as-a-callback", "LC511", "py", """
        import atexit, logging
        def setup():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        setup()
        atexit.register(setup)
        """, []),  # a callback may run any number of times, but nothing shows it
    ("511-same-name-attribute-and-keyword-are-not-uses", "LC511", "py", """
        import logging
        def setup():
            logging.getLogger("app").addHandler(logging.StreamHandler())
        setup()
        config = object()
        config.setup
        dict(setup=1)
        """, []),
    ("511-request-handler", "LC511", "py", """
        import logging
        from flask import Flask
        app = Flask(__name__)
        @app.route("/")
        def index():
            logging.getLogger("web").addHandler(logging.StreamHandler())
            return "ok"
        """, []),  # called by the framework: not shown to run twice
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case(case):
    name, code, kind, text, expected = case
    assert rows(code, kind, text) == expected


def _facts(source: str):
    module = cst.parse_module(textwrap.dedent(source))
    facts = function_facts(module)
    return {f.name: f for f in facts.values()}


def test_decision_function():
    once = CallPlace()
    assert not runs_more_than_once(FunctionFacts("get_logger"))  # no call seen: not shown
    assert runs_more_than_once(FunctionFacts("get_logger"), [once, once])  # called from two other modules
    assert runs_more_than_once(FunctionFacts("get_logger"), [CallPlace(in_loop=True)])
    assert not runs_more_than_once(FunctionFacts("__init__", method=True, calls=[once]))
    assert not runs_more_than_once(FunctionFacts("main"  , entry_point=True))
    assert not runs_more_than_once(FunctionFacts("setup", calls=[once]))
    assert runs_more_than_once(FunctionFacts("setup", calls=[once, once]))
    assert not runs_more_than_once(FunctionFacts("setup", calls=[once, CallPlace(guarded=True)]))
    assert runs_more_than_once(FunctionFacts("setup", calls=[CallPlace(in_loop=True)]))
    assert not runs_more_than_once(FunctionFacts("setup", calls=[CallPlace(in_loop=True, guarded=True)]))
    many = FunctionFacts("handle", calls=[once, once])
    assert runs_more_than_once(FunctionFacts("setup", calls=[CallPlace(caller=many)]))
    unseen = FunctionFacts("handle")  # never called here: not shown
    assert not runs_more_than_once(FunctionFacts("setup", calls=[CallPlace(caller=unseen)]))
    single = FunctionFacts("run", calls=[once])
    assert not runs_more_than_once(FunctionFacts("setup", calls=[CallPlace(caller=single)]))
    loop = FunctionFacts("loop")
    loop.calls.append(CallPlace(caller=loop))  # recursion alone shows nothing
    assert not runs_more_than_once(loop)


def test_facts_read_from_a_module():
    facts = _facts("""
        import click
        def main(): pass
        @click.group()
        def cli(): pass
        class A:
            def m(self):
                helper()
        def helper(): pass
        def setup(): pass
        def twice(): pass
        if __name__ == "__main__":
            setup()
        while True:
            twice()
        [twice() for _ in range(3)]
        """)
    assert facts["main"].entry_point and facts["cli"].entry_point and not facts["setup"].entry_point
    assert facts["m"].method and not facts["helper"].method
    assert [c.caller.name for c in facts["helper"].calls] == ["m"]
    assert [(c.in_loop, c.caller) for c in facts["setup"].calls] == [(False, None)]
    assert [c.in_loop for c in facts["twice"].calls] == [True, True]
    assert not any(f.referenced for f in facts.values())
    assert _facts("def cb(): pass\nregister(cb)\n")["cb"].referenced


def test_lc511_a_check_that_the_logger_exists_is_a_run_once_guard():
    # redis: the handler is added only when the logger is made for the first time
    from helpers import codes

    source = """\
    import logging

    def push_logger():
        if "push_response" not in logging.root.manager.loggerDict:
            log = logging.getLogger("push_response")
            log.addHandler(logging.StreamHandler())
        return logging.getLogger("push_response")

    class Client:
        def handle(self):
            push_logger().info("x")
            logging.getLogger("other").addHandler(logging.StreamHandler())
    """
    # neither: the guarded one is guarded, and the method's callers are not followed
    assert [c for c in codes(source, ["LC511"])] == []


# ------------------------------------------------------------------ not deployed: tests, examples

#: one source per deployment-policy rule that reports it in deployed code (row 3 or the
#: INI/JSON row given), under the policy that switches the rule on
DEPLOYMENT_SOURCES = [
    ("LC501", "py", {"policy": {"preset": "server"}},
     'import logging\n\nlogging.basicConfig(level=logging.INFO, format="%(message)s")\n', [3]),
    ("LC502", "py", None, 'import logging\n\nlogging.basicConfig(filename="game.log", level=logging.INFO)\n', [3]),
    ("LC503", "py", None,
     'import logging.handlers\n\nh = logging.handlers.RotatingFileHandler("a.log")\n', [3]),
    ("LC504", "py", {"policy": {"preset": "container"}},
     'import logging\n\nh = logging.FileHandler("a.log")\n', [3]),
    ("LC505", "py", {"policy": {"preset": "server"}},
     'import logging\n\nlogging.basicConfig(format="%(asctime)s %(levelname)s %(name)s %(process)d")\n', [3]),
    ("LC512", "py", {"policy": {"structured": True}},
     'import logging\n\nh = logging.StreamHandler()\nh.setFormatter(logging.Formatter("%(message)s"))\n', [4]),
    ("LC502", "json", None,
     '{"version": 1,\n "handlers": {"f": {"class": "logging.FileHandler", "filename": "a.log"}},\n'
     ' "root": {"level": "INFO", "handlers": ["f"]}}\n', [2]),
]


@pytest.mark.parametrize("code,kind,settings,text,expected", DEPLOYMENT_SOURCES,
                         ids=[f"{c[0]}-{c[1]}" for c in DEPLOYMENT_SOURCES])
@pytest.mark.parametrize("folder,deployed", [
    ("app", True), ("src/app/service", True), ("scripts", True),
    ("examples/space_invaders", False), ("example", False), ("docs/howto", False), ("demo", False),
    ("tests/unit", False), ("test", False),
])
def test_deployment_rules_are_silent_where_nothing_is_deployed(code, kind, settings, text, expected, folder,
                                                                deployed):
    path = f"{folder}/conf{'.py' if kind == 'py' else '.' + kind}"
    assert rows(code, kind, text, settings, path=path) == (expected if deployed else [])


def test_example_paths_are_configurable():
    code, kind, settings, text, expected = DEPLOYMENT_SOURCES[1]
    assert rows(code, kind, text, {"extend-example-paths": ["**/samples/**"]}, path="samples/conf.py") == []
    # extending keeps the defaults; replacing drops them
    assert rows(code, kind, text, {"extend-example-paths": ["**/samples/**"]}, path="examples/conf.py") == []
    assert rows(code, kind, text, {"example-paths": ["**/samples/**"]}, path="examples/conf.py") == expected


@pytest.mark.parametrize("code", ["LC506", "LC508", "LC509"])
def test_configuration_mistakes_are_reported_in_examples_too(code):
    # a configuration that fails or silences loggers is wrong wherever it runs
    text = {"LC506": 'import logging.config\n\nlogging.config.fileConfig("x.ini")\n',
            "LC508": 'import logging.config\n\nlogging.config.dictConfig({"handlers": {"h": {"class": "x"}}})\n',
            "LC509": 'import watchtower\n\nh = watchtower.CloudWatchLogHandler()\n'}[code]
    assert set(rows(code, "py", text, path="examples/conf.py")) == {3}
