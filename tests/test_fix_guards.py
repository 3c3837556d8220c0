"""The guards every fix passes before it is written, proven by rules that break them on
purpose: a fix whose output does not compile, a fix that would delete a comment, and fixes
that overlap. Each bad fix is dropped and reported, and the file keeps its bytes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from helpers import make_settings

from logcheck.lint.check import check_source
from logcheck.lint.fixes import non_overlapping
from logcheck.lint.rule import Fix, Rule
from logcheck.source.text import SourceText
from logcheck.workspace import runner
from logcheck.workspace.files import read_file

SETTINGS = make_settings({})


def _method_call(node: cst.Call, method: str) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == method


class BreaksTheCode(Rule):
    """`logger.info(...)` -> `logger.return(...)`: a keyword as attribute does not compile."""

    code = "LC901"
    name = "test-breaks-the-code"
    message = "test rule: rename info"

    def visit_Call(self, node: cst.Call) -> None:
        if _method_call(node, "info"):
            broken = node.with_changes(func=node.func.with_changes(attr=cst.Name("return")))
            self.report(node, fix=Fix.replace(node, broken, "rename"))


class RenamesWarn(Rule):
    """`logger.warn(...)` -> `logger.warning(...)`: a good fix, to go with the broken one."""

    code = "LC902"
    name = "test-renames-warn"
    message = "test rule: rename warn"

    def visit_Call(self, node: cst.Call) -> None:
        if _method_call(node, "warn"):
            good = node.with_changes(func=node.func.with_changes(attr=cst.Name("warning")))
            self.report(node, fix=Fix.replace(node, good, "rename"))


class DropsComments(Rule):
    """Rebuilds `logger.debug(...)` on one line: the comments between its arguments are lost."""

    code = "LC903"
    name = "test-drops-comments"
    message = "test rule: rebuild debug"

    def visit_Call(self, node: cst.Call) -> None:
        if _method_call(node, "debug"):
            flat = cst.Call(func=node.func, args=[cst.Arg(a.value) for a in node.args])
            self.report(node, fix=Fix.replace(node, flat, "rebuild"))


class RenamesCall(Rule):
    """`mark(...)` -> `marked(...)`: its target holds the target of NamesArgument's fix."""

    code = "LC904"
    name = "test-renames-call"
    message = "test rule: rename mark"

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "mark":
            self.report(node, fix=Fix.replace(node, node.with_changes(func=cst.Name("marked")), "rename"))


class RenamesArgument(Rule):
    """`a` -> `b` inside `mark(...)` only: once the outer fix ran, it has nothing to fix."""

    code = "LC905"
    name = "test-renames-argument"
    message = "test rule: rename argument"

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "mark":
            for arg in node.args:
                if isinstance(arg.value, cst.Name) and arg.value.value == "a":
                    self.report(arg.value, fix=Fix.replace(arg.value, cst.Name("b"), "rename"))


def _fix_file(tmp_path: Path, data: bytes, rules) -> runner.FileOutcome:
    path = tmp_path / "m.py"
    path.write_bytes(data)
    return runner.run_source("m.py", read_file(path), rules, SETTINGS, runner.Options(mode=runner.FIX), write_to=path)


def test_a_fix_that_does_not_compile_is_dropped_and_reported(tmp_path):
    data = b"import logging\r\nlogger = logging.getLogger(__name__)\r\nlogger.info('x')  # keep\r\n"
    outcome = _fix_file(tmp_path, data, [BreaksTheCode])
    assert (tmp_path / "m.py").read_bytes() == data
    assert outcome.fixed == 0
    [error] = outcome.errors  # the parser's own words between the parentheses
    assert error.startswith("m.py:3:1: fix produced invalid code (") and error.endswith("); not applied [LC901]")
    # the finding itself is still reported
    assert [(d.code, d.row) for d in outcome.diagnostics] == [("LC901", 3)]


def test_a_broken_fix_does_not_take_the_good_ones_with_it(tmp_path):
    data = b"import logging\nlogger = logging.getLogger(__name__)\nlogger.warn('a')\nlogger.info('b')\n"
    outcome = _fix_file(tmp_path, data, [BreaksTheCode, RenamesWarn])
    assert (tmp_path / "m.py").read_bytes() == data.replace(b"logger.warn(", b"logger.warning(")
    assert outcome.fixed == 1
    [error] = outcome.errors
    assert error.startswith("m.py:4:1: fix produced invalid code (") and error.endswith("); not applied [LC901]")


def test_a_fix_that_would_delete_a_comment_is_not_offered(tmp_path):
    data = (b"import logging\nlogger = logging.getLogger(__name__)\n"
            b"logger.debug(\n    'x %s',  # why x\n    x,\n)\n")
    outcome = _fix_file(tmp_path, data, [DropsComments])
    assert (tmp_path / "m.py").read_bytes() == data
    assert outcome.fixed == 0 and outcome.errors == []
    assert [(d.code, d.row, d.fix) for d in outcome.diagnostics] == [("LC903", 3, None)]


def test_the_comment_guard_lets_a_comment_free_call_be_fixed(tmp_path):
    # the same rule on a call without comments: the guard above is what stopped it
    data = b"import logging\nlogger = logging.getLogger(__name__)\nlogger.debug(\n    'x %s',\n    x,\n)\n"
    outcome = _fix_file(tmp_path, data, [DropsComments])
    assert outcome.fixed == 1
    assert (tmp_path / "m.py").read_bytes() == \
        b"import logging\nlogger = logging.getLogger(__name__)\nlogger.debug('x %s', x)\n"


def test_overlapping_fixes_are_not_applied_in_one_pass(tmp_path):
    data = b"x = 1  # a\nmark(a, c)  # b\ny = 2\n"
    module = cst.parse_module(data.decode())
    result = check_source("m.py", SourceText(data.decode(), "utf-8", False),
                                 [RenamesCall, RenamesArgument], SETTINGS, module=module)
    fixes = [result.fixes[i] for i in sorted(result.fixes)]
    assert [d.code for d in result.diagnostics] == ["LC904", "LC905"]
    # the outer call's fix is kept; the argument inside it waits for the next pass
    assert non_overlapping(module, fixes) == fixes[:1]
    # and after the outer fix nothing is left for the inner one: it is dropped, counted nowhere
    outcome = _fix_file(tmp_path, data, [RenamesCall, RenamesArgument])
    assert (tmp_path / "m.py").read_bytes() == b"x = 1  # a\nmarked(a, c)  # b\ny = 2\n"
    assert outcome.fixed == 1
    assert outcome.errors == []
    assert outcome.diagnostics == []


def test_fixes_apart_from_each_other_are_applied_in_one_pass():
    data = "mark(a)\nmark(c)\n"
    module = cst.parse_module(data)
    result = check_source("m.py", SourceText(data, "utf-8", False), [RenamesCall], SETTINGS,
                                 module=module)
    fixes = [result.fixes[i] for i in sorted(result.fixes)]
    assert len(fixes) == 2 and non_overlapping(module, fixes) == fixes
