"""LC302-LC307: level aliases, invalid levels, exceptions and tracebacks."""

from __future__ import annotations

import textwrap

import pytest
from helpers import check, codes, fix

from logcheck.semantics.levels import fixed_level_name, level_constant_for, level_name_problem

# --------------------------------------------------------------------------- levels.py


def test_level_helpers():
    assert level_constant_for(10) == "DEBUG"
    assert level_constant_for(50) == "CRITICAL"
    assert level_constant_for(25) is None
    assert level_constant_for(0) is None
    assert level_constant_for(True) is None
    assert fixed_level_name("info") == "INFO"
    assert fixed_level_name("Warning") == "WARNING"
    assert fixed_level_name("INFO") is None
    assert fixed_level_name("verbose") is None
    assert level_name_problem("INFO") is None
    assert level_name_problem("WARN") is None
    assert "case-sensitive" in level_name_problem("debug")
    assert "Unknown level" in level_name_problem("verbose")
    assert level_name_problem("TRACE", ["TRACE"]) is None
    assert level_name_problem(" INFO") is not None


# --------------------------------------------------------------------------- LC302


def test_lc302_method_and_constant():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.fatal("down")
    logging.fatal("down")
    level = logging.FATAL
    """
    assert codes(source, ["LC302"]) == ["LC302", "LC302", "LC302"]
    assert fix(source, ["LC302"]) == textwrap.dedent("""
    import logging
    logger = logging.getLogger(__name__)
    logger.critical("down")
    logging.critical("down")
    level = logging.CRITICAL
    """)


def test_lc302_imported_function_has_no_fix_and_traps_are_clean():
    found = check("from logging import fatal\nfatal('x')\n", ["LC302"])
    assert [d.code for d in found] == ["LC302"] and found[0].fix is None
    assert codes("import os\nos.fatal('x')\nparser.fatal('x')\nx = other.FATAL\n", ["LC302"]) == []


# --------------------------------------------------------------------------- LC303


def test_lc303_log_without_level():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.log("starting")
    logger.log("INFO", "starting")
    logger.log()
    """
    found = check(source, ["LC303"])
    assert [d.row for d in found] == [4, 5, 6]
    assert all(d.fix is None for d in found)


def test_lc303_integer_levels_fixed_to_constants():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.log(20, "x")
    logger.setLevel(10)
    handler = logging.StreamHandler()
    handler.setLevel(40)
    logging.basicConfig(level=30)
    logging.getLogger("a").setLevel(50)
    """
    assert codes(source, ["LC303"]) == ["LC303"] * 5
    assert fix(source, ["LC303"]) == textwrap.dedent("""
    import logging
    logger = logging.getLogger(__name__)
    logger.log(logging.INFO, "x")
    logger.setLevel(logging.DEBUG)
    handler = logging.StreamHandler()
    handler.setLevel(logging.ERROR)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("a").setLevel(logging.CRITICAL)
    """)


def test_lc303_fix_uses_the_available_import():
    source = "import logging as lg\nlg.getLogger('a').setLevel(20)\n"
    assert fix(source, ["LC303"]) == "import logging as lg\nlg.getLogger('a').setLevel(lg.INFO)\n"
    source = "from logging import getLogger, INFO\ngetLogger('a').setLevel(20)\n"
    assert fix(source, ["LC303"]) == "from logging import getLogger, INFO\ngetLogger('a').setLevel(INFO)\n"
    # logging only imported inside a function: no exact reference at module level
    source = "from logging import getLogger\ngetLogger('a').setLevel(20)\n"
    found = check(source, ["LC303"])
    assert [d.code for d in found] == ["LC303"] and found[0].fix is None


def test_lc303_magic_values_and_addlevelname():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.log(5, "trace")
    logger.log(25, "notice")
    logging.addLevelName(25, "NOTICE")
    logger.setLevel(0)
    logger.setLevel("NOTICE")
    logger.setLevel(logging.INFO)
    logger.setLevel(level)
    """
    found = check(source, ["LC303"])
    assert [d.row for d in found] == [4]
    assert found[0].fix is None


def test_lc303_level_strings():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.setLevel("info")
    logger.setLevel('Warning')
    logger.setLevel("verbose")
    logging.basicConfig(level="debug")
    logger.setLevel("INFO")
    logger.setLevel("WARN")
    """
    found = check(source, ["LC303"])
    assert [d.row for d in found] == [4, 5, 6, 7]
    assert [d.fix is not None for d in found] == [True, True, False, True]
    assert fix(source, ["LC303"]) == textwrap.dedent("""
    import logging
    logger = logging.getLogger(__name__)
    logger.setLevel("INFO")
    logger.setLevel('WARNING')
    logger.setLevel("verbose")
    logging.basicConfig(level="DEBUG")
    logger.setLevel("INFO")
    logger.setLevel("WARN")
    """)


def test_lc303_unknown_receivers_only_for_clear_level_names():
    source = """
    import logging
    widget.setLevel(3)
    widget.setLevel("verbose")
    widget.setLevel("loud")
    thing.setLevel("debug")
    """
    found = check(source, ["LC303"])
    assert [d.row for d in found] == [6]
    assert fix(source, ["LC303"]).endswith('thing.setLevel("DEBUG")\n')


def test_lc303_handler_attributes_and_file_without_logging_import():
    source = """
    import logging
    class App:
        def __init__(self):
            self.handler = logging.FileHandler("app.log")
            self.handler.setLevel(20)
    """
    assert codes(source, ["LC303"]) == ["LC303"]
    # no `logging`, no logger name in the file: the setLevel needle still lets it run
    assert codes("widget.setLevel('info')\n", ["LC303"]) == ["LC303"]


def test_lc303_imported_under_other_names():
    source = """
    from logging import basicConfig as setup, addLevelName as register, getLogger
    register(25, "NOTICE")
    setup(level="notice")
    getLogger("a").log(25, "x")
    """
    found = check(source, ["LC303"])
    assert [d.row for d in found] == [4]
    assert "case-sensitive" not in found[0].message  # "notice" is not a standard name


def test_lc303_escaped_string_has_no_fix():
    found = check("import logging\nlogging.getLogger('a').setLevel('\\x69nfo')\n", ["LC303"])
    assert [d.code for d in found] == ["LC303"] and found[0].fix is None


# --------------------------------------------------------------------------- LC304


def test_lc304_outside_handler():
    source = """
    import logging
    logger = logging.getLogger(__name__)
    logger.exception("boom")
    logger.error("boom", exc_info=True)
    logging.exception("root")

    def handler():
        try:
            run()
        except ValueError:
            def later():
                logger.exception("no current exception here")
            callback = lambda: logger.exception("nor here")
        finally:
            logger.error("cleanup", exc_info=True)
    """
    found = check(source, ["LC304"])
    # module level, and `later` (nested, never called: every caller known, none in a
    # handler); not the lambda (a callback, called from anywhere) nor the `finally` clause
    # of a public function (an exception may be in flight there)
    assert [d.row for d in found] == [4, 5, 6, 13]


def test_lc304_clean():
    source = """
    import logging
    import sys
    logger = logging.getLogger(__name__)
    try:
        run()
    except Exception as err:
        logger.exception("failed")
        logger.error("failed", exc_info=True)
        keep = err
    logger.error("failed", exc_info=keep)
    logger.error("failed", exc_info=sys.exc_info())
    logger.error("failed", exc_info=False)
    try:
        run()
    except* ValueError:
        logger.exception("group")

    class Guard:
        def __exit__(self, exc_type, exc, tb):
            if exc_type is not None:
                logger.error("block failed", exc_info=True)

        async def __aexit__(self, exc_type, exc, tb):
            logger.exception("block failed")
    """
    assert codes(source, ["LC304"]) == []


# --------------------------------------------------------------------------- LC305 / LC306


def _in_handler(body: str) -> str:
    return ("import logging\nlogger = logging.getLogger(__name__)\ntry:\n    run()\nexcept ValueError as err:\n"
            + textwrap.indent(textwrap.dedent(body), "    "))


@pytest.mark.parametrize("before,after", [
    ('logger.error("failed", exc_info=True)\n', 'logger.exception("failed")\n'),
    ('logger.error("failed %s", err, exc_info=True)\n', 'logger.exception("failed %s", err)\n'),
    ('logger.error("x", exc_info=True, extra={"a": 1})\n', 'logger.exception("x", extra={"a": 1})\n'),
    ('logger.error("x", exc_info = True , stacklevel=2)\n', 'logger.exception("x", stacklevel=2)\n'),
    ('logger.error(\n    "failed %s",\n    err,  # why\n    exc_info=True,\n)\n',
     'logger.exception(\n    "failed %s",\n    err,  # why\n)\n'),
    ('logger.error(\n    "failed %s",\n    err,\n    exc_info=True\n)\n',
     'logger.exception(\n    "failed %s",\n    err\n)\n'),
    ('logger.error(\n    "failed",  # note\n    exc_info=True\n)\n',
     'logger.exception(\n    "failed",  # note\n)\n'),
    ('logger.error(\n    "x",\n    exc_info=True,\n    # about extra\n    extra={"a": 1},\n)\n',
     'logger.exception(\n    "x",\n    # about extra\n    extra={"a": 1},\n)\n'),
    ('logger.error("x",\n             exc_info=True)\n', 'logger.exception("x")\n'),
])
def test_lc305_fix_removes_keyword_cleanly(before, after):
    source = _in_handler(before)
    assert codes(source, ["LC305"]) == ["LC305"]
    assert fix(source, ["LC305"]) == _in_handler(after)


def test_lc305_clean_and_unfixable():
    source = _in_handler("""
    logger.error("failed", exc_info=other)
    logger.exception("failed")
    logger.warning("failed", exc_info=True)
    """)
    assert codes(source, ["LC305"]) == []
    assert codes('import logging\nlogging.getLogger("a").error("x", exc_info=True)\n', ["LC305"]) == []
    source = "from logging import error\ntry:\n    run()\nexcept OSError:\n    error('x', exc_info=True)\n"
    found = check(source, ["LC305"])
    assert [d.code for d in found] == ["LC305"] and found[0].fix is None


def test_lc306():
    source = _in_handler("""
    logger.exception("a", exc_info=True)
    logger.exception("b %s", err, exc_info=False)
    logger.exception("c", exc_info=err)
    """)
    assert codes(source, ["LC306"]) == ["LC306", "LC306"]
    assert fix(source, ["LC306"]) == _in_handler("""
    logger.exception("a")
    logger.error("b %s", err)
    logger.exception("c", exc_info=err)
    """)


def test_lc305_and_lc306_fix_together_with_others():
    source = _in_handler('logger.error("x", exc_info=True)\n')
    assert fix(source) == _in_handler('logger.exception("x")\n')


# --------------------------------------------------------------------------- LC307


@pytest.mark.parametrize("clause,body", [
    ("except:", "pass"),
    ("except Exception:", "pass"),
    ("except BaseException:", "continue"),
    ("except (ValueError, Exception):", "result = None"),
    ("except Exception as err:", "return None"),
    ("except Exception:", "..."),
    ("except builtins.Exception:", "pass"),
])
def test_lc307_flags(clause, body):
    source = f"import builtins\ndef f():\n    for x in y:\n        try:\n            run()\n        {clause}\n            {body}\n"
    assert codes(source, ["LC307"]) == ["LC307"]


@pytest.mark.parametrize("clause,body", [
    ("except ValueError:", "pass"),
    ("except (KeyError, IndexError):", "pass"),
    ("except Exception:", "logger.exception('failed')"),
    ("except Exception:", "raise"),
    ("except Exception as err:", "raise RuntimeError('x') from err"),
    ("except Exception as err:", "self.error = err"),
    ("except Exception as err:", "errors.append(err)"),
    ("except Exception:", "cleanup()"),
    ("except Exception:", "sys.exit(1)"),
    ("except Exception:", "if retry:\n                pass"),
])
def test_lc307_clean(clause, body):
    source = f"def f():\n    for x in y:\n        try:\n            run()\n        {clause}\n            {body}\n"
    assert codes(source, ["LC307"]) == []


def test_lc307_shadowed_exception_and_no_logging_import():
    assert codes("class Exception:\n    pass\ntry:\n    x()\nexcept Exception:\n    pass\n", ["LC307"]) == []
    # needs no `import logging` to run
    assert codes("try:\n    x()\nexcept:\n    pass\n", ["LC307"]) == ["LC307"]
    assert codes("try:\n    x()\nexcept* Exception:\n    pass\n", ["LC307"]) == ["LC307"]


@pytest.mark.parametrize("src, expected", [
    # truthy constants mean "use sys.exc_info()", exactly like True
    ('try:\n    f()\nexcept OSError:\n    logger.error("x", exc_info=1)\n',
     'try:\n    f()\nexcept OSError:\n    logger.exception("x")\n'),
    # the innermost handler's own exception is the current one
    ('try:\n    f()\nexcept OSError as e:\n    logger.error("x", exc_info=e)\n',
     'try:\n    f()\nexcept OSError as e:\n    logger.exception("x")\n'),
])
def test_error_with_truthy_exc_info_in_handler(src, expected):
    head = "import logging\nlogger = logging.getLogger(__name__)\n"
    assert fix(head + src, ["LC305"], dedent=False) == head + expected


@pytest.mark.parametrize("src, flagged", [
    ('logger.error("x", exc_info=1)', True),
    ('logger.error("x", exc_info="exc")', True),
    ('logger.error("x", exc_info=0)', False),
    ('logger.error("x", exc_info=err)', False),
])
def test_truthy_exc_info_outside_handler(src, flagged):
    head = "import logging\nlogger = logging.getLogger(__name__)\n"
    assert codes(head + src + "\n", ["LC304"], dedent=False) == (["LC304"] if flagged else [])
