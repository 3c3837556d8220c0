"""LC102 logger-name-not-module and LC103 direct-logger-instantiation."""

from __future__ import annotations

import pytest

from helpers import check, codes, fix


@pytest.mark.parametrize("dunder", ["__file__", "__cached__", "__spec__", "__module__"])
def test_lc102_flags_non_module_dunders(dunder):
    source = f"import logging\nlogger = logging.getLogger({dunder})\n"
    found = check(source, ["LC102"])
    assert [d.code for d in found] == ["LC102"]
    assert dunder in found[0].message
    assert fix(source, ["LC102"]) == "import logging\nlogger = logging.getLogger(__name__)\n"


def test_lc102_keyword_alias_and_from_import():
    source = """
    import logging as lg
    from logging import getLogger
    a = lg.getLogger(name=__file__)
    b = getLogger(__file__)  # keep me
    """
    assert codes(source, ["LC102"]) == ["LC102", "LC102"]
    assert fix(source, ["LC102"]) == (
        "\nimport logging as lg\nfrom logging import getLogger\n"
        "a = lg.getLogger(name=__name__)\nb = getLogger(__name__)  # keep me\n")


def test_lc102_clean_cases():
    source = """
    import logging
    a = logging.getLogger(__name__)
    b = logging.getLogger("app.db")
    c = logging.getLogger()
    d = logging.getLogger(__spec__.name)
    e = other.getLogger(__file__)

    class Service:
        log = logging.getLogger(__module__)

        def run(self):
            return logging.getLogger(__module__)
    """
    assert codes(source, ["LC102"]) == []


def test_lc103_flags_and_fixes_unsafe():
    source = "import logging\nlog = logging.Logger('app')\n"
    found = check(source, ["LC103"])
    assert [d.code for d in found] == ["LC103"]
    assert found[0].fix is not None and found[0].fix.applicability == "unsafe"
    assert fix(source, ["LC103"]) == source  # unsafe: not applied by --fix
    assert fix(source, ["LC103"], unsafe=True) == "import logging\nlog = logging.getLogger('app')\n"


def test_lc103_keyword_name_and_alias():
    source = "import logging as lg\nlog = lg.Logger(name='app')\n"
    assert fix(source, ["LC103"], unsafe=True) == "import logging as lg\nlog = lg.getLogger(name='app')\n"


@pytest.mark.parametrize("call", ["logging.Logger('app', logging.DEBUG)", "logging.Logger('app', level=10)",
                                  "logging.Logger(*args)", "Logger('app')"])
def test_lc103_no_fix_when_not_exact(call):
    source = f"import logging\nfrom logging import Logger\nlog = {call}\n"
    found = check(source, ["LC103"])
    assert [d.code for d in found] == ["LC103"]
    assert found[0].fix is None


def test_lc103_clean_cases():
    source = """
    import logging
    class MyLogger(logging.Logger):
        def __init__(self, name):
            super().__init__(name)
    logging.setLoggerClass(MyLogger)
    manager = logging.Logger.manager
    other.Logger("x")
    """
    assert codes(source, ["LC103"]) == []


# LC103 and LC205 are silent in test code (rules/LC103.md, rules/LC205.md): a test builds a
# logger of its own or logs odd messages on purpose. Every default test path, and a file
# outside them that still reports.
_TEST_PATHS = ["tests/test_log.py", "test/helpers.py", "pkg/testing/util.py", "conftest.py", "pkg/log_test.py",
               "test_formatter.py"]
_CASES = {
    "LC103": "import logging\nlog = logging.Logger('isolated')\n",
    "LC205": "import logging\nlogger = logging.getLogger(__name__)\nlogger.info(b'raw bytes')\n"
             "logger.info('%s %s', 1)\nlogger.info('{} done', 2)\n",
}


@pytest.mark.parametrize("code", sorted(_CASES))
@pytest.mark.parametrize("path", _TEST_PATHS)
def test_lc103_lc205_silent_in_tests(code, path):
    assert codes(_CASES[code], [code], path=path) == []


@pytest.mark.parametrize("code", sorted(_CASES))
def test_lc103_lc205_reported_outside_tests(code):
    assert codes(_CASES[code], [code], path="pkg/log.py")
