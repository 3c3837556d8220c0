"""Suppression comments, in process: `# noqa[: codes]`, `# pylint: disable=...` and
`# logcheck: disable-file[=codes]` (logcheck/lint/suppression.py). The command-line tests
check the same behaviour through a child process; these call the module directly, so a
mutation run (which only sees in-process tests) can tell when it breaks."""

from __future__ import annotations

import pytest

from logcheck.lint.suppression import Suppressions, disable_file_directives, file_disabled_codes, noqa_codes


@pytest.mark.parametrize("line, codes", [
    ("x = 1\n", None),
    ("x = 1  # noqa\n", []),
    ("x = 1  # NOQA\n", []),
    ("x = 1  # noqa: LC101\n", ["LC101"]),
    ("x = 1  #noqa:LC101,LC2 - because\n", ["LC101", "LC2"]),
    ("x = 1  # noqa: LC101 LC201\n", ["LC101", "LC201"]),
    ("level = INFO ; noqa: LC101\n", ["LC101"]),
    ("x = 1  # noqa: G004\n", ["LC201"]),  # a peer linter's code, translated
])
def test_noqa_codes(line, codes):
    assert noqa_codes(line) == codes


# ----------------------------------------------------------------------------- disable-file


@pytest.mark.parametrize("text, codes, ignored", [
    # the header: comments, the docstring and imports
    ("# logcheck: disable-file\nimport logging\nlogging.info('x')\n", [], []),
    ('"""Doc."""\n# logcheck: disable-file=LC101\nimport os\nx = 1\n', ["LC101"], []),
    ("import os\nfrom os import path\n# logcheck: disable-file\nx = 1\n", [], []),
    # an indented comment line is still a comment line of the header
    ("  # logcheck: disable-file=LC2\nimport logging\n", ["LC2"], []),
    # below the first other statement: ignored, and its row reported (rows count from 1)
    ("x = 1\n# logcheck: disable-file\n", None, [2]),
    ("import os\n\nx = 1\n\n# logcheck: disable-file\n", None, [5]),
    # a first statement that is an expression but not a string is no docstring
    ("1\n# logcheck: disable-file\n", None, [2]),
    # a string that is not the first statement is no docstring either
    ('import os\n"not the docstring"\n# logcheck: disable-file\n', None, [3]),
    # a decorated definition starts at its first decorator: a directive between the
    # decorators and the `def` (or class) is below the code
    ("import os\n@staticmethod\n# logcheck: disable-file\ndef f(): pass\n", None, [3]),
    ("@a\n@b\n# logcheck: disable-file\nclass C: pass\n", None, [3]),
    ("# logcheck: disable-file\n@a\ndef f(): pass\n", [], []),
    # every one below the code is reported
    ("x = 1\n# logcheck: disable-file\n# logcheck: disable-file=LC1\n", None, [2, 3]),
    # one in the header counts, one below the code is reported
    ("# logcheck: disable-file=LC101\nx = 1\n# logcheck: disable-file\n", ["LC101"], [3]),
    # a directive-like line inside a string below the code is no comment: not reported
    ('x = 1\ns = """\n# logcheck: disable-file\n"""\n', None, []),
    ('x = 1\ns = """\n# logcheck: disable-file"""; y = 2\n', None, []),  # code after the string on its row
    # codes of several directives add up; a bare one disables every code, in either order
    ("# logcheck: disable-file=LC101\n# logcheck: disable-file=LC2, LC3\n", ["LC101", "LC2", "LC3"], []),
    ("# logcheck: disable-file\n# logcheck: disable-file=LC101\n", [], []),
    ("# logcheck: disable-file=LC101\n# logcheck: disable-file\n", [], []),
    ("# logcheck: disable-file=G004\n", ["LC201"], []),  # a peer linter's code, translated
    # not a directive
    ("# logcheck disable-file\nx = 1\n", None, []),
    ("x = 1  # logcheck: disable-file\n", None, []),  # not a line of its own
    ("x = 1\n", None, []),
])
def test_python_disable_file_directives(text, codes, ignored):
    assert disable_file_directives(text) == (codes, ignored)
    assert disable_file_directives(text, python=True) == (codes, ignored)
    assert file_disabled_codes(text) == codes


def test_a_python_file_that_does_not_parse_has_no_header_end():
    # the runner reports the syntax error; a directive anywhere counts rather than guessing
    assert disable_file_directives("x = (\n# logcheck: disable-file\n") == ([], [])


@pytest.mark.parametrize("text, codes", [
    # configuration files have no statements: any comment line counts, `#` or `;`
    ("[loggers]\nkeys = root\n# logcheck: disable-file\n", []),
    ("[loggers]\nkeys = root\n; logcheck: disable-file=LC501\n", ["LC501"]),
    ("version: 1\n    # logcheck: disable-file=LC5\n", ["LC5"]),
    ("version: 1\n", None),
])
def test_configuration_disable_file_directives(text, codes):
    assert disable_file_directives(text, python=False) == (codes, [])
    assert file_disabled_codes(text, python=False) == codes


# ----------------------------------------------------------------------------- Suppressions


def test_disable_file_codes_suppress_by_prefix():
    s = Suppressions("# logcheck: disable-file= lc1 , LC201\nimport logging\n")
    assert s.suppressed("LC101", [2]) and s.suppressed("LC103", [2]) and s.suppressed("LC201", [2])
    assert not s.suppressed("LC202", [2]) and not s.suppressed("LC301", [2])


def test_disable_file_without_codes_suppresses_everything():
    s = Suppressions("# logcheck: disable-file\nimport logging\n")
    assert s.suppressed("LC101", []) and s.suppressed("LC999", [2])


def test_a_configuration_file_is_disabled_by_any_comment_line():
    # text that also parses as Python: there the directive is below the first statement
    text = "keys = 1\n# logcheck: disable-file=LC5\n"
    assert Suppressions(text, python=False).suppressed("LC501", [1])
    assert not Suppressions(text).suppressed("LC501", [1])


def test_noqa_suppresses_its_codes_on_its_rows():
    text = "a = 1  # noqa: LC1, LC201\nb = 2  # noqa\nc = 3\nd = 4  # noqa: E501\n"
    s = Suppressions(text)
    assert s.suppressed("LC101", [1]) and s.suppressed("LC201", [1]) and not s.suppressed("LC202", [1])
    assert s.suppressed("LC999", [2]) and s.suppressed("LC202", [3, 2])
    assert not s.suppressed("LC101", [3]) and not s.suppressed("LC101", [4])
    assert not s.suppressed("LC101", [])


@pytest.mark.parametrize("comment, suppressed, kept", [
    ("# pylint: disable=logging-fstring-interpolation", ["LC201"], ["LC101", "LC202"]),
    ("# PYLINT: DISABLE=W1203", ["LC201"], ["LC101"]),
    ("# pylint: disable=unused-import", [], ["LC201", "LC101"]),
    ("# pylint is another linter; W1203", [], ["LC201", "LC101"]),
    ("# noqa: E501  # pylint: disable=logging-fstring-interpolation", ["LC201"], ["LC101"]),
])
def test_pylint_disable_comments(comment, suppressed, kept):
    s = Suppressions(f"x = 1\nlogger.info(f'{{x}}')  {comment}\n")
    assert [code for code in suppressed if s.suppressed(code, [2])] == suppressed
    assert [code for code in kept if s.suppressed(code, [2])] == []
    assert not any(s.suppressed(code, [1]) for code in suppressed + kept)
