"""Engine behaviour shared by every rule: where the module logger goes, overlapping fixes,
comments, suppression."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import check, codes, fix


def _fix101(src: str) -> str:
    return fix(src, ["LC101"])


@pytest.mark.parametrize("source, expected", [
    # after docstring, __future__ and imports
    ('''\
     """Doc."""
     from __future__ import annotations
     import os
     import logging


     def f():
         logging.info("x")
     ''', '''\
     """Doc."""
     from __future__ import annotations
     import os
     import logging

     logger = logging.getLogger(__name__)


     def f():
         logger.info("x")
     '''),
    # a conditional import block stays whole; the logger goes after it
    ('''\
     import logging
     try:
         import ujson as json
     except ImportError:
         import json
     if TYPE_CHECKING:
         from typing import Any

     def f():
         logging.info("x")
     ''', '''\
     import logging
     try:
         import ujson as json
     except ImportError:
         import json
     if TYPE_CHECKING:
         from typing import Any

     logger = logging.getLogger(__name__)

     def f():
         logger.info("x")
     '''),
    # no logging import at the top: added, aliases reused when present
    ('''\
     import os

     def f():
         from logging import info
         info("x")
     ''', '''\
     import os
     import logging

     logger = logging.getLogger(__name__)

     def f():
         from logging import info
         logger.info("x")
     '''),
    ('''\
     import logging as lg

     def f():
         lg.warning("x")
     ''', '''\
     import logging as lg

     logger = lg.getLogger(__name__)

     def f():
         logger.warning("x")
     '''),
    # an existing module logger is reused under its own name, and `logger` taken elsewhere
    ('''\
     import logging
     log = logging.getLogger(__name__)

     def f(logger):
         logging.info("x")
     ''', '''\
     import logging
     log = logging.getLogger(__name__)

     def f(logger):
         log.info("x")
     '''),
    ('''\
     import logging

     def f(logger):
         logging.info("x")
     ''', '''\
     import logging

     _logger = logging.getLogger(__name__)

     def f(logger):
         _logger.info("x")
     '''),
])
def test_module_logger_insertion(source, expected):
    assert _fix101(textwrap.dedent(source)) == textwrap.dedent(expected)


def test_module_level_call_before_the_logger_exists_gets_an_inserted_logger():
    # `log` is bound after the call runs, so the fix cannot reuse it: a module logger is
    # inserted after the imports instead (rules.md, LC101), under a name that hides nothing
    src = """\
    import logging
    logging.basicConfig()
    logging.info("starting")
    log = logging.getLogger(__name__)
    """
    assert _fix101(src) == textwrap.dedent("""\
    import logging

    logger = logging.getLogger(__name__)

    logging.basicConfig()
    logger.info("starting")
    log = logging.getLogger(__name__)
    """)


def test_a_call_inside_an_import_fallback_runs_before_the_header_ends():
    # the try block is not import-only, so the logger goes before it, not after
    src = """\
    import logging
    try:
        import ujson as json
    except ImportError:
        logging.warning("no ujson")
        import json
    """
    out = _fix101(src)
    assert out.index("logger = logging.getLogger(__name__)") < out.index("try:")
    compile(out, "x", "exec")


def test_overlapping_fixes_are_applied_over_several_passes():
    src = """\
    import logging
    logger = logging.getLogger(__name__)

    def f(x):
        logging.warn(f"value {x}")
    """
    assert fix(src, ["LC101", "LC201", "LC301"]) == textwrap.dedent("""\
    import logging
    logger = logging.getLogger(__name__)

    def f(x):
        logger.warning("value %s", x)
    """)


def test_a_fix_that_would_drop_a_comment_is_not_offered():
    src = """\
    import logging
    logger = logging.getLogger(__name__)
    logger.info("a {} b {}".format(
        x,  # the x
        y,
    ))
    """
    [d] = check(src, ["LC203"])
    assert d.fix is None
    assert fix(src, ["LC203"]) == textwrap.dedent(src)


@pytest.mark.parametrize("line, suppressed", [
    ('logging.info("x")  # noqa', True),
    ('logging.info("x")  # noqa: LC101', True),
    ('logging.info("x")  # noqa:LC1', True),
    ('logging.info("x")  # NOQA: LC201, LC101', True),
    ('logging.info("x")  # noqa: LC201', False),
    ('logging.info("x")  # noqa: E501', False),
])
def test_noqa(line, suppressed):
    assert codes(f"import logging\n{line}\n", ["LC101"], dedent=False) == ([] if suppressed else ["LC101"])


def test_noqa_on_the_last_line_of_a_multiline_call():
    src = 'import logging\nlogging.info(\n    "x",\n)  # noqa: LC101\n'
    assert codes(src, ["LC101"], dedent=False) == []


#: a multi-line call as a formatter writes it: the rows a `# noqa` counts on are the call's
#: first and last and its message's (where ruff reports G003/G004); another row does not
MULTILINE = ('import logging\nlogger = logging.getLogger(__name__)\nlogger.info({0}\n    "v: " + str(v),{1}\n'
             '    extra={{"k": 1}},{2}\n){3}\n')


@pytest.mark.parametrize("row, suppressed", [(0, True), (1, True), (2, False), (3, True)])
def test_noqa_on_the_rows_of_a_multiline_call(row, suppressed):
    comments = ["", "", "", ""]
    comments[row] = "  # noqa: G003"
    assert codes(MULTILINE.format(*comments), ["LC204"], dedent=False) == ([] if suppressed else ["LC204"])


@pytest.mark.parametrize("header, remaining", [
    ("# logcheck: disable-file\n", []),
    ("#!/usr/bin/env python\n# logcheck: disable-file=LC101\n", ["LC301"]),
    ("import os\n# logcheck: disable-file\n", []),  # after an import: still the header
    ('"""Doc."""\n# logcheck: disable-file=LC301\n', ["LC101"]),  # after the docstring
    ("\n\n# logcheck: disable-file\n", []),  # blank lines before the first comment block
    ("# logcheck: disable-file=LC101, LC301\n", []),
    ("# logcheck: disable-file=LC3\n", ["LC101"]),
])
def test_disable_file(header, remaining):
    src = header + "import logging\nlogging.warn('x')\n"
    assert sorted(set(codes(src, ["LC101", "LC301"], dedent=False))) == remaining


def test_a_logger_named_after_the_file_is_reused_not_duplicated():
    src = """\
    import logging
    log = logging.getLogger(__file__)

    def f(x):
        print(x)
    """
    out = fix(src, ["LC102", "LC401"], unsafe=True)
    assert out.count("getLogger(") == 1, out
    assert 'log.info("%s", x)' in out, out


# --------------------------------------------------------------------------- parsing

#: valid Python that libcst parses but one of its node validators rejects
#: (Instagram/LibCST#1061): the parser's own output is not re-validated, so it is checked
#: and fixed like any other file instead of ending in an internal error
VALIDATOR_REJECTS = 'import logging\nx = () if 0 else(lambda:())\nlogging.info(f"{x}")\n'


def test_valid_code_that_a_libcst_validator_rejects_is_checked():
    assert codes(VALIDATOR_REJECTS) == ["LC101", "LC201"]


def test_valid_code_that_a_libcst_validator_rejects_is_fixed():
    fixed = fix(VALIDATOR_REJECTS, ["LC101", "LC201"])
    assert fixed.endswith('x = () if 0 else(lambda:())\nlogger.info("%s", x)\n')
    compile(fixed, "<fixed>", "exec")


def test_nodes_built_outside_the_parser_are_still_validated():
    import libcst as cst

    from logcheck.source.parse import parse_module

    parse_module("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("x", lpar=[cst.LeftParen()])  # a left paren without a right one


def test_parsed_tree_is_the_one_libcst_builds_with_validation():
    import libcst as cst

    from logcheck.source.parse import parse_module

    source = Path(__file__).read_text(encoding="utf-8")
    assert parse_module(source).deep_equals(cst.parse_module(source))


def test_suppression_lines_outside_the_file_are_empty():
    from logcheck.lint.suppression import Suppressions

    s = Suppressions("a = 1  # noqa\nb = 2\n")
    assert [s.line(row) for row in (0, 1, 2, 3, 4)] == ["", "a = 1  # noqa\n", "b = 2\n", "", ""]
    assert s.suppressed("LC101", [1]) and not s.suppressed("LC101", [2, 3, 9])


def test_noqa_on_a_last_line_without_a_line_break():
    from logcheck.lint.suppression import Suppressions

    s = Suppressions("a = 1\nb = 2  # noqa")
    assert s.line(2) == "b = 2  # noqa" and s.suppressed("LC101", [2])
