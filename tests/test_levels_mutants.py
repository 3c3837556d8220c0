"""LC301-LC303 (logcheck/rules/levels.py), case by case: a source -> its exact findings
(row, message, fix title). Written against the survivors of mutmut's `levels` run: each
table pins one behaviour of the rule page (rules/LC301.md, LC302.md, LC303.md) or of the
standard library (`Logger.log(level, msg)`, `setLevel(level)`, `addLevelName(level,
levelName)`: the names of their parameters, and that level names are case-sensitive)."""

from __future__ import annotations

import textwrap
from typing import List, Optional, Tuple

import pytest
from helpers import check, make_settings

from logcheck.rules import registry
from logcheck.workspace import runner
from logcheck.workspace.files import ReadResult

Finding = Tuple[int, str, Optional[str]]

#: the module logger every LC303 case below starts with: the case's own lines begin at row 3
LOGGER = "import logging\nlogger = logging.getLogger(__name__)\n"

NO_LEVEL = "`log()` without a level; pass a level constant such as `logging.INFO`"
MESSAGE_AS_LEVEL = ("`log()` called with a message but no level; "
                    "pass a level constant first (`logger.log(logging.INFO, msg)`)")
STRING_LEVEL = "`log()` needs an integer level, not a string; use a level constant"


def with_logger(body: str) -> str:
    return LOGGER + textwrap.dedent(body).lstrip("\n")


def findings(source: str, code: str = "LC303") -> List[Finding]:
    return [(d.row, d.message, d.fix.message if d.fix else None) for d in check(source, [code], dedent=False)]


def magic(row: int, number: int, constant: str) -> Finding:
    """An integer equal to a standard level: named, and fixed through the file's `import logging`."""
    return (row, f"Magic level {number}; use `logging.{constant}`", f"Use `logging.{constant}`")


def unregistered(row: int, number: int) -> Finding:
    return (row, f"Magic level {number}: register it with `logging.addLevelName` and name it, "
                 "or use a standard level constant", None)


def wrong_case(row: int, where: str, text: str, fixable: bool = True) -> Finding:
    """A standard level name in another case: `ValueError: Unknown level` at run time."""
    fixed = text.upper()
    return (row, f"{where}: Level names are case-sensitive: {text!r} raises ValueError; use {fixed!r}",
            f"Use {fixed!r}" if fixable else None)


def unknown(row: int, where: str, text: str) -> Finding:
    return (row, f"{where}: Unknown level {text!r} raises ValueError; "
                 "expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET", None)


def cases(*rows):
    """`(id, source, expected)` rows as pytest params with plain ids."""
    return [pytest.param(source, expected, id=name) for name, source, expected in rows]


# --------------------------------------------------------------------------- LC301 / LC302


@pytest.mark.parametrize("code, source, expected", [
    pytest.param("LC301", with_logger('logger.warn("disk full")\n'),
                 [(3, "`warn` is deprecated; use `warning`", "Use `warning`")], id="warn-method"),
    pytest.param("LC301", "import logging\nthreshold = logging.WARN\n",
                 [(2, "`logging.WARN` is deprecated; use `logging.WARNING`", "Use `WARNING`")], id="WARN-constant"),
    pytest.param("LC302", with_logger('logger.fatal("down")\n'),
                 [(3, "`fatal` is an undocumented alias; use `critical`", "Use `critical`")], id="fatal-method"),
    pytest.param("LC302", "import logging\nthreshold = logging.FATAL\n",
                 [(2, "`logging.FATAL` is an undocumented alias; use `logging.CRITICAL`", "Use `CRITICAL`")],
                 id="FATAL-constant"),
])
def test_alias_messages_and_fix_titles(code, source, expected):
    """The method and the constant each have their own message, and the fix says what it renames to."""
    assert findings(source, code) == expected


# --------------------------------------------------------------------------- LC303: log()


@pytest.mark.parametrize("source, expected", cases(
    ("no-arguments", with_logger("logger.log()\n"), [(3, NO_LEVEL, None)]),
    ("message-only", with_logger('logger.log("starting")\n'), [(3, MESSAGE_AS_LEVEL, None)]),
    ("string-level-then-message", with_logger('logger.log("INFO", "starting")\n'), [(3, STRING_LEVEL, None)]),
    # msg= names the message, so the positional string is the level (the first parameter)
    ("string-level-msg-keyword", with_logger('logger.log("INFO", msg="starting")\n'), [(3, STRING_LEVEL, None)]),
    ("string-level-keyword", with_logger('logger.log(level="INFO", msg="starting")\n'), [(3, STRING_LEVEL, None)]),
    ("int-level-keyword", with_logger('logger.log(level=20, msg="starting")\n'), [magic(3, 20, "INFO")]),
    # `**fields` cannot hold `level` again (that is a TypeError): the level is 20
    ("int-level-then-double-star", with_logger("logger.log(20, **fields)\n"), [magic(3, 20, "INFO")]),
    ("unregistered-int", with_logger('logger.log(25, "notice")\n'), [unregistered(3, 25)]),
    # `*args` after the level hides nothing of it; before it, the level is unknown
    ("int-level-then-star", with_logger('logger.log(20, "x %s", *args)\n'), [magic(3, 20, "INFO")]),
    ("string-level-then-star", with_logger('logger.log("starting", *args)\n'), [(3, STRING_LEVEL, None)]),
    ("star-first", with_logger("logger.log(*args)\nlogger.log(**fields)\n"), []),
))
def test_log_level_argument(source, expected):
    """What `Logger.log(level, msg, ...)` got as its level, positional or keyword, decides the message."""
    assert findings(source) == expected


# --------------------------------------------------------------------------- LC303: literals


@pytest.mark.parametrize("source, expected", cases(
    ("hex", with_logger("logger.setLevel(0x14)\n"), [magic(3, 20, "INFO")]),
    ("underscore", with_logger("logger.setLevel(1_0)\n"), [magic(3, 10, "DEBUG")]),
    ("octal", with_logger("logger.setLevel(0o50)\n"), [magic(3, 40, "ERROR")]),
    ("binary-unregistered", with_logger('logger.log(0b11001, "notice")\n'), [unregistered(3, 25)]),
))
def test_int_levels_in_any_spelling(source, expected):
    """An integer literal is judged by its value, whatever base or digit grouping spells it."""
    assert findings(source) == expected


@pytest.mark.parametrize("source, expected", cases(
    ("setLevel", with_logger('logger.setLevel("info")\n'), [wrong_case(3, "setLevel(...)", "info")]),
    ("basicConfig", with_logger('logging.basicConfig(level="debug")\n'),
     [wrong_case(3, "basicConfig(level=...)", "debug")]),
    # two literals: no single quoted text to rewrite, so no exact fix
    ("concatenated", with_logger('logger.setLevel("in" "fo")\n'),
     [wrong_case(3, "setLevel(...)", "info", fixable=False)]),
    ("dictConfig-root", 'import logging.config\nlogging.config.dictConfig({"version": 1, "root": {"level": "info"}})\n',
     [wrong_case(2, "root logger", "info")]),
))
def test_level_strings(source, expected):
    """A level name in the wrong case says where it was given and how to fix it."""
    assert findings(source) == expected


# --------------------------------------------------------------------------- LC303: setLevel arguments


@pytest.mark.parametrize("source, expected", cases(
    ("level-keyword", with_logger("logger.setLevel(level=10)\n"), [magic(3, 10, "DEBUG")]),
    # the level unknown in the first call; the next call is still checked
    ("unpacked-then-checked", with_logger('logger.setLevel(*levels)\nlogger.setLevel("info")\n'),
     [wrong_case(4, "setLevel(...)", "info")]),
    # `value=` is not the `level` parameter of Logger/Handler.setLevel: another API, not judged
    ("other-keyword-then-checked", with_logger('widget.setLevel(value="debug")\nthing.setLevel("debug")\n'),
     [wrong_case(4, "setLevel(...)", "debug")]),
))
def test_set_level_arguments(source, expected):
    """Only a call whose one argument is the level is judged, and judging goes on after one that is not."""
    assert findings(source) == expected


# --------------------------------------------------------------------------- LC303: addLevelName


@pytest.mark.parametrize("register", [
    pytest.param('logging.addLevelName(25, "NOTICE")', id="positional"),
    pytest.param('logging.addLevelName(25, levelName="NOTICE")', id="name-keyword"),
    pytest.param('logging.addLevelName(level=25, levelName="NOTICE")', id="keywords"),
    pytest.param('logging.addLevelName(levelName="NOTICE", level=25)', id="keywords-reversed"),
])
def test_registered_level_in_any_argument_form(register):
    """`addLevelName(level, levelName)` registers 25 and "NOTICE" however its arguments are passed;
    names stay case-sensitive and other numbers stay unregistered."""
    source = with_logger(f"""
    {register}
    logger.log(25, "x")
    logger.setLevel("NOTICE")
    logger.log(26, "x")
    logger.setLevel("notice")
    """)
    assert findings(source) == [unregistered(6, 26), unknown(7, "setLevel(...)", "notice")]


def test_add_level_name_with_a_keyword_it_does_not_take_registers_no_name():
    """`addLevelName(25, name="NOTICE")` raises TypeError (the parameter is `levelName`): "NOTICE" stays unknown."""
    source = with_logger('logging.addLevelName(25, name="NOTICE")\nlogger.setLevel("NOTICE")\n')
    assert findings(source) == [unknown(4, "setLevel(...)", "NOTICE")]


# --------------------------------------------------------------------------- LC303: receivers


@pytest.mark.parametrize("source, expected", cases(
    ("annotated-handler", with_logger("console: logging.Handler = logging.StreamHandler()\nconsole.setLevel(10)\n"),
     [magic(4, 10, "DEBUG")]),
    ("handler-call", with_logger("logging.StreamHandler().setLevel(10)\n"), [magic(3, 10, "DEBUG")]),
    ("logging-handlers-class", with_logger("""
        import logging.handlers
        rotating = logging.handlers.RotatingFileHandler("app.log")
        rotating.setLevel(10)
        """), [magic(5, 10, "DEBUG")]),
    ("cls-attribute", with_logger("""
        class App:
            @classmethod
            def configure(cls):
                cls.handler = logging.StreamHandler()
                cls.handler.setLevel(10)
        """), [magic(7, 10, "DEBUG")]),
))
def test_handlers_own_a_level(source, expected):
    """`setLevel` on a `logging`/`logging.handlers` `*Handler(...)` (a name, `cls.x`, or the call itself) is judged."""
    assert findings(source) == expected


@pytest.mark.parametrize("source", [
    pytest.param("from gui.input import KeyHandler\nkeys = KeyHandler()\nkeys.setLevel(3)\n", id="other-module-Handler"),
    pytest.param("import logging.handlers\nspare = logging.handlers.contrib.SpareHandler()\nspare.setLevel(3)\n",
                 id="deeper-than-logging-handlers"),
    pytest.param(with_logger("""
        class App:
            def __init__(self):
                self.config.handler = logging.StreamHandler()
                self.handler.setLevel(3)
        """), id="handler-of-another-object"),
    pytest.param(with_logger("""
        class App:
            def start(self):
                self.factory().setLevel(3)
        """), id="unknown-call"),
    pytest.param('app.volume.setLevel(3)\napp.volume.setLevel("verbose")\n', id="unknown-attribute"),
])
def test_other_objects_are_not_judged(source):
    """Not a logger nor a handler of `logging`/`logging.handlers`: a number or an unknown word is
    not reported, the object's `setLevel` may be anything."""
    assert findings(source) == []


def test_handler_stored_under_a_key_does_not_stop_the_rule():
    """`self["console"] = Handler()` (a mapping, not an attribute) is no handler binding."""
    source = with_logger("""
    class Handlers(dict):
        def __init__(self):
            self["console"] = logging.StreamHandler()
    logger.setLevel("info")
    """)
    assert findings(source) == [wrong_case(6, "setLevel(...)", "info")]


def test_a_name_is_what_its_own_scope_imports():
    """Two functions import different `basicConfig`s under one name: only logging's is judged."""
    source = textwrap.dedent("""\
    def configure_stdlib():
        from logging import basicConfig as configure
        configure(level="debug")

    def configure_structured():
        from myapp.structured.setup import basicConfig as configure
        configure(level="debug")
    """)
    assert findings(source) == [wrong_case(3, "basicConfig(level=...)", "debug")]


def test_a_name_another_function_imports_from_logging_otherwise():
    """`log` is logging's `basicConfig` where it is called, though another function of the
    file imports logging's `log` under that name (the file's last import is not the answer)."""
    source = textwrap.dedent("""\
    def configure():
        from logging import basicConfig as log
        log(level="debug")

    def report():
        from logging import log
        log(20, "ready")
    """)
    # no `import logging` to name the constant through: the magic level has no fix
    assert findings(source) == [wrong_case(3, "basicConfig(level=...)", "debug"),
                                (7, "Magic level 20; use `logging.INFO`", None)]


def test_a_parameter_named_like_an_import_is_not_the_import():
    """Where a parameter holds the name, the call is to whatever was passed: not judged."""
    source = textwrap.dedent("""\
    def report():
        from logging import log
        log(20, "ready")

    def forward(log):
        log(20, "ready")
    """)
    assert findings(source) == [(3, "Magic level 20; use `logging.INFO`", None)]


# --------------------------------------------------------------------------- LC303: the ast gate


def test_the_gate_admits_a_log_finding_next_to_another_basic_config():
    """A `basicConfig(level=<literal>)` the rule does not resolve (reached through a star import)
    must not make the gate skip the file's `log()` finding: the runner, which applies the needles
    and the gate, reports what the engine reports."""
    source = with_logger("""
    from logging import *
    basicConfig(level="DEBUG")
    logger.log("starting")
    """)
    data = source.encode("utf-8")
    outcome = runner.run_source("example.py", ReadResult(data, (len(data), 0)), registry.rules_for(["LC303"]),
                                make_settings(), runner.Options())
    assert [(d.row, d.message) for d in outcome.diagnostics] == [(5, MESSAGE_AS_LEVEL)]
