"""The guards every fix passes before it is written, proven by rules that break them on
purpose: a fix whose output does not compile, a fix that would delete a comment, and fixes
that overlap. Each bad fix is dropped and reported, and the file keeps its bytes."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from helpers import make_settings

from logcheck.diagnostics import Diagnostic
from logcheck.lint.check import _signature, check_source, fix_source
from logcheck.lint.fixes import is_valid_python, non_overlapping
from logcheck.lint.rule import Fix, Rule
from logcheck.rules import registry
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


def test_of_two_nested_fixes_the_first_is_kept_whichever_is_inside():
    data = "mark(a, c)\n"
    module = cst.parse_module(data)
    result = check_source("m.py", SourceText(data, "utf-8", False), [RenamesCall, RenamesArgument], SETTINGS,
                          module=module)
    outer, inner = [result.fixes[i] for i in sorted(result.fixes)]
    assert non_overlapping(module, [inner, outer]) == [inner]
    assert non_overlapping(module, [outer, inner]) == [outer]


def test_the_fix_loop_applies_safe_fixes_only_unless_told():
    # an unknown receiver's `warn` gets an unsafe fix only
    source = SourceText("def f(logger):\n    logger.warn('x')\n", "utf-8", False)
    rules = registry.rules_for(["LC301"])
    assert fix_source("m.py", source, rules, SETTINGS).text == source.text
    assert fix_source("m.py", source, rules, SETTINGS, unsafe=True).text == "def f(logger):\n    logger.warning('x')\n"


def test_the_fix_loop_leaves_a_file_it_cannot_parse_as_it_is():
    source = SourceText("import logging\nlogging.warn('x'\n", "utf-8", False)
    outcome = fix_source("m.py", source, registry.rules_for(["LC301"]), SETTINGS, unsafe=True)
    assert (outcome.text, outcome.applied, outcome.failed) == (source.text, 0, [])


@pytest.mark.parametrize("code, error", [
    ("x = 1\n", None),
    # the compiler's words, naming the fixed text as the file
    ("return 1\n", "'return' outside function (<fixed>, line 1)"),
    ("def f():\n    nonlocal x\n", "no binding for nonlocal 'x' found (<fixed>, line 2)"),
    # compiled as the file would be, not under logcheck's own `from __future__` imports
    # (with `annotations`, a `yield` in an annotation does not compile)
    ("def f():\n    x: (yield) = 1\n", None),
])
def test_fixed_code_is_valid_when_it_parses_and_compiles_as_written(code, error):
    assert is_valid_python(code) == error


class NamesArguments(Rule):
    """In `mark(...)`: `a` -> `k=a` and `j=...` -> `k=...`. Either fix alone compiles; both
    together repeat the keyword `k`, which only the compiler refuses."""

    code = "LC906"
    name = "test-names-arguments"
    message = "test rule: name the argument k"

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Name) and node.func.value == "mark"):
            return
        for arg in node.args:
            if arg.keyword is None and isinstance(arg.value, cst.Name) and arg.value.value == "a":
                named = arg.with_changes(keyword=cst.Name("k"), equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
                self.report(arg, fix=Fix.replace(arg, named, "name it k"))
            elif arg.keyword is not None and arg.keyword.value == "j":
                self.report(arg, fix=Fix.replace(arg, arg.with_changes(keyword=cst.Name("k")), "name it k"))


def test_fixes_that_break_the_code_only_together_are_all_dropped_and_reported(tmp_path):
    data = b"mark(a, j=b)\n"
    outcome = _fix_file(tmp_path, data, [NamesArguments])
    assert (tmp_path / "m.py").read_bytes() == data
    assert outcome.fixed == 0
    assert outcome.errors == ["m.py:1:6: fixes together produced invalid code; not applied [LC906]",
                              "m.py:1:9: fixes together produced invalid code; not applied [LC906]"]
    # each alone is applied
    for before, after in ((b"mark(a)\n", b"mark(k=a)\n"), (b"mark(c, j=b)\n", b"mark(c, k=b)\n")):
        assert _fix_file(tmp_path, before, [NamesArguments]).fixed == 1
        assert (tmp_path / "m.py").read_bytes() == after



def test_a_dropped_fix_is_known_by_the_code_it_writes_whatever_its_shape():
    stmt = cst.parse_statement("x = 1\n")
    finding = Diagnostic(path="m.py", code="LC999", name="test", message="m", row=1, col=1, end_row=1, end_col=6)
    several = Fix.replace(stmt, cst.FlattenSentinel([stmt, cst.parse_statement("y = 2\n")]), "two")
    removed = Fix.replace(stmt, cst.RemovalSentinel.REMOVE, "none")
    assert _signature(finding, several) == ("LC999", "m", ("x = 1\ny = 2\n",))
    assert _signature(finding, removed) == ("LC999", "m", ("",))
    assert _signature(finding, Fix.replace(stmt, stmt, "same")) == ("LC999", "m", ("x = 1\n",))
