"""The logger resolver's false-positive traps: things that look like logger calls but are
not, and real loggers reached through aliases, imports and attributes."""

from __future__ import annotations

import textwrap
from typing import List, Optional, Tuple

import libcst as cst
import pytest
from helpers import codes, make_settings

from logcheck.lint.check import check_source
from logcheck.lint.rule import Rule
from logcheck.source.text import SourceText


def logger_calls(source: str) -> List[Tuple[str, Optional[Tuple[str, bool]]]]:
    """Every call of `source` with what the engine's semantic model says of it at the
    call's own scope, as a rule about the standard library's call sees it: (method,
    is_root), or None when it is not a logger call (or one of a family such as loguru)."""
    out = []

    class RecordCalls(Rule):
        code, name, message = "LC999", "record", ""

        def visit_Call(self, node: cst.Call) -> None:
            found = self.logger_call(node)  # as a stdlib rule sees it
            text = cst.Module([]).code_for_node(node.func)
            out.append((text, None if found is None else (found.method, found.is_root)))

    text = SourceText(textwrap.dedent(source), "utf-8", False)
    check_source("example.py", text, [RecordCalls], make_settings())
    return out


def resolved(source: str, func: str) -> Optional[Tuple[str, bool]]:
    matches = [r for f, r in logger_calls(source) if f == func]
    assert matches, f"no call of {func}"
    return matches[-1]


NOT_LOGGERS = [
    ("db.info('x')\n", "db.info"),
    ("import math\nmath.log(2)\n", "math.log"),
    ("parser.error('bad option')\n", "parser.error"),
    ("import warnings\nwarnings.warn('x')\n", "warnings.warn"),
    ("import math\nlog = math.log\nlog.info('x')\n", "log.info"),
    ("from math import log\nlog.info('x')\n", "log.info"),
    ("def log(x):\n    pass\nlog.info('x')\n", "log.info"),
    ("class logger:\n    pass\nlogger.info('x')\n", "logger.info"),
    ("from loguru import logger\nlogger.info('x')\n", "logger.info"),
    ("import structlog\nlogger = structlog.get_logger()\nlogger.info('x')\n", "logger.info"),
    ("from structlog import get_logger\nlog = get_logger()\nlog.warning('x')\n", "log.warning"),
    ("class A:\n    def __init__(self):\n        self.log = []\n    def f(self):\n        self.log.info('x')\n",
     "self.log.info"),
    ("log = []\nlog.error('x')\n", "log.error"),
    ("import numpy as np\nnp.log(3)\n", "np.log"),
    ("import logging\nlogging.getLevelName(10)\n", "logging.getLevelName"),
    ("response.log.info('x')\nimport numpy\nnumpy.log.info('y')\n", "numpy.log.info"),
    ("with open('f') as log:\n    log.error('x')\n", "log.error"),
    ("for log in logs:\n    log.info('x')\n", "log.info"),
]


@pytest.mark.parametrize("source,func", NOT_LOGGERS)
def test_not_a_logger(source, func):
    assert resolved(source, func) is None


LOGGERS = [
    ("import logging\nlogging.info('x')\n", "logging.info", ("info", True)),
    ("import logging as lg\nlg.info('x')\n", "lg.info", ("info", True)),
    ("import logging as lg\nlg.getLogger('a').warning('x')\n", "lg.getLogger('a').warning", ("warning", False)),
    ("from logging import info as log_info\nlog_info('x')\n", "log_info", ("info", True)),
    ("from logging import getLogger\nfoo = getLogger('a')\nfoo.debug('x')\n", "foo.debug", ("debug", False)),
    ("from logging import getLogger\nfoo = getLogger()\nfoo.debug('x')\n", "foo.debug", ("debug", True)),
    ("import logging\nroot = logging.getLogger(None)\nroot.error('x')\n", "root.error", ("error", True)),
    ("import logging\nlogging.root.info('x')\n", "logging.root.info", ("info", True)),
    ("import logging\nclass A:\n    _lg = logging.getLogger('a')\n    def f(self):\n        self._lg.info('x')\n",
     "self._lg.info", ("info", False)),
    ("import logging\nclass A:\n    def __init__(self):\n        self.x = logging.getLogger('a')\n"
     "    def f(self):\n        self.x.info('x')\n", "self.x.info", ("info", False)),
    ("import logging\nclass A:\n    @classmethod\n    def f(cls):\n        cls.logger.info('x')\n",
     "cls.logger.info", ("info", False)),
    ("logger.info('x')\n", "logger.info", ("info", False)),
    ("self.log.info('x')\n", "self.log.info", ("info", False)),
    ("import logging\nmain = logging.getLogger('a')\nchild = main.getChild('b')\nchild.info('x')\n",
     "child.info", ("info", False)),
    ("import logging\nx = logging.Logger('a')\nx.info('y')\n", "x.info", ("info", False)),
]


@pytest.mark.parametrize("source,func,expected", LOGGERS)
def test_logger(source, func, expected):
    assert resolved(source, func) == expected


def test_custom_logger_names_setting():
    source = "audit.info('x')\n"
    assert codes("import logging\n" + source, ["LC101"]) == []
    found = codes("import logging\nlogging.info('x')\naudit.warn('x')\n", ["LC301"],
                  settings={"logger-names": ["audit"]})
    assert found == ["LC301"]


def test_rules_do_not_fire_on_traps():
    source = """
    import math
    import warnings
    from loguru import logger

    log = math.log

    def run(parser, db):
        parser.error("bad")
        db.exception("x")
        warnings.warn("careful")
        logger.success("loguru has levels of its own")
        log.fatal(2)
        logger.warning("loguru's logger, not the standard library's")
    """
    assert codes(source) == []
