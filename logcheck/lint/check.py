"""One file, end to end: decode, parse once, one batched walk for all rules, positions only
when something was reported, suppression, and the fix loop.

Cost model (see docs/performance.md): libcst's own `visit` rebuilds every node it passes,
and its metadata providers each run a full code generation. So the walk reads the node
dataclasses' fields directly and never rebuilds anything, and positions are computed only
for files that have a finding, only for the reported nodes (`source/positions.py`)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple, Type

import libcst as cst

from logcheck.diagnostics import PARSE_ERROR_CODE, SAFE, Diagnostic, FixInfo
from logcheck.lint.context import FileContext
from logcheck.lint.edits import FixEdits
from logcheck.lint.fixes import apply_fixes, drops_comments, module_code, non_overlapping, unwritable
from logcheck.lint.rule import Fix, Rule
from logcheck.lint.suppression import Suppressions
from logcheck.lint.walk import walk_module
from logcheck.semantics.module_logger import ModuleLoggerPlan
from logcheck.semantics.project import index_for
from logcheck.source.cst import replacement_code
from logcheck.source.nesting import allow_deep_trees, nesting_problem
from logcheck.source.parse import parse_error, parse_module, syntax_error
from logcheck.source.positions import reported_ranges
from logcheck.source.text import SourceText

MAX_FIX_PASSES = 10


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    #: fixes by diagnostic index (kept for the fix loop; not serialised)
    fixes: Dict[int, Fix] = field(default_factory=dict)
    #: by diagnostic index: the top-level statement the finding is in (-1: none)
    statements: Dict[int, int] = field(default_factory=dict)
    module: Optional[cst.Module] = None
    source: Optional[SourceText] = None
    #: the module logger to insert, when a fix needs one
    plan: Optional[ModuleLoggerPlan] = None
    #: project files whose content the findings depend on (imports followed)
    dependencies: Tuple[str, ...] = ()


def _parse(path: str, text: str, settings) -> cst.Module:
    """The file's tree, parsed once in this process: the project index may have parsed
    the same text already (a module another file imports), and may ask about this file
    while it is checked."""
    if not path or path == "-":
        return parse_module(text)
    index, _ = index_for(Path(path), settings)
    return index.share_tree(Path(path).absolute(), text, parse_module)


def _message_node(node: cst.CSTNode) -> Optional[cst.CSTNode]:
    """The first positional argument of a reported call (a logging call's message), whose
    row a `# noqa` may name as well as the call's first and last rows."""
    if isinstance(node, cst.Call) and node.args and node.args[0].keyword is None and not node.args[0].star:
        return node.args[0].value
    return None


def check_source(path: str, source: SourceText, rules: Sequence[Type[Rule]], settings,
                 module: Optional[cst.Module] = None, tree: Optional[ast.Module] = None) -> FileResult:
    """Run `rules` over one decoded file. Never raises for bad input: parse failures and
    too-deep nesting become LC000 diagnostics. `tree` is the interpreter's ast of the same
    text when the caller has it (the project-wide questions start from it)."""
    result = FileResult(path, source=source)
    allow_deep_trees()  # a chain of MAX_CHAIN operands is as deep a tree
    if module is None:
        too_deep = nesting_problem(source.text)  # libcst would crash or hang on it
        if too_deep is not None:
            result.diagnostics.append(parse_error(path, too_deep))
            return result
        try:
            module = _parse(path, source.text, settings)
        except cst.ParserSyntaxError as exc:
            result.diagnostics.append(syntax_error(path, source.text, exc))
            return result
        except RecursionError:
            result.diagnostics.append(parse_error(path, "too deeply nested to parse"))
            return result
    result.module = module
    ctx = FileContext(path, source.text, module, settings, tree)
    try:
        walk_module(ctx, [rule(ctx) for rule in rules])
    except RecursionError:
        result.diagnostics.append(parse_error(path, "too deeply nested to analyse"))
        return result
    modules = ctx._semantics.dependencies() if ctx._semantics is not None else []
    result.dependencies = tuple(str(p) for p in list(modules) + sorted(ctx.dependencies))
    if not ctx.reports:
        return result
    try:
        wanted = [(r.node, r.statement) for r in ctx.reports]
        # a call's message row: where the peers (ruff's G rules) report, and so where a
        # formatted multi-line call's `# noqa: G004` sits
        wanted += [(m, r.statement) for r in ctx.reports if (m := _message_node(r.node)) is not None]
        positions = reported_ranges(module, source.text, wanted)
    except RecursionError:
        result.diagnostics.append(parse_error(path, "too deeply nested to analyse"))
        return result
    if any(r.fix is not None and r.fix.needs_module_logger for r in ctx.reports):
        result.plan = ctx.loggers.module_logger_plan()
    suppressions = Suppressions(source.text)
    seen: Set[Tuple[str, int, int, str]] = set()
    for report in ctx.reports:
        pos = positions[id(report.node)]
        row, col = pos.start.line, pos.start.column + 1
        end_row, end_col = pos.end.line, pos.end.column + 1
        message = _message_node(report.node)
        rows = (row, end_row) if message is None else (row, end_row, positions[id(message)].start.line)
        if suppressions.suppressed(report.rule.code, rows):
            continue
        key = (report.rule.code, row, col, report.message)
        if key in seen:
            continue
        seen.add(key)
        fix = report.fix
        if fix is not None and drops_comments(fix):
            fix = None  # a fix never deletes a comment: report without one
        info = FixInfo(fix.applicability, fix.message) if fix is not None else None
        if fix is not None:
            result.fixes[len(result.diagnostics)] = fix
            result.statements[len(result.diagnostics)] = report.statement
        result.diagnostics.append(Diagnostic(path, report.rule.code, report.rule.name, report.message,
                                             row, col, end_row, end_col, info, row))
    order = sorted(range(len(result.diagnostics)), key=lambda i: result.diagnostics[i].sort_key)
    new_index = {old: new for new, old in enumerate(order)}
    result.fixes = {new_index[i]: f for i, f in result.fixes.items()}
    result.statements = {new_index[i]: top for i, top in result.statements.items()}
    result.diagnostics = [result.diagnostics[i] for i in order]
    return result


@dataclass
class FixOutcome:
    text: str
    #: diagnostics still present after fixing (as in the final pass)
    result: FileResult
    applied: int = 0
    #: (rule code, message) for fixes dropped because their output did not compile or
    #: could not be encoded
    failed: List[Tuple[str, str]] = field(default_factory=list)


def fix_source(path: str, source: SourceText, rules: Sequence[Type[Rule]], settings,
               unsafe: bool = False) -> FixOutcome:
    """The fix loop: check, apply every applicable non-overlapping fix at once, re-parse and
    check again, until nothing applicable is left (at most MAX_FIX_PASSES passes). A
    batch whose output does not parse and compile, or cannot be written in the file's
    encoding, is narrowed down fix by fix; the fixes that break it are dropped and reported."""
    text = source.text
    applied = 0
    failed: List[Tuple[str, str]] = []
    banned: Set[Tuple[str, str, Tuple[str, ...]]] = set()
    result = check_source(path, source, rules, settings)
    for _ in range(MAX_FIX_PASSES):
        if result.module is None:
            break
        candidates = [
            (result.diagnostics[i], fix) for i, fix in sorted(result.fixes.items())
            if (fix.applicability == SAFE or unsafe)
            and (not banned or _signature(result.diagnostics[i], fix) not in banned)
        ]
        if not candidates:
            break
        module, plan = result.module, result.plan
        fixes = non_overlapping(module, [f for _, f in candidates])
        by_fix = {id(f): d for d, f in candidates}
        try:
            new_text = module_code(apply_fixes(module, fixes, plan), text)
        except RecursionError:
            failed.append((PARSE_ERROR_CODE, "1:1: too deeply nested to apply fixes; remaining fixes not applied"))
            break
        error = unwritable(new_text, source.encoding)
        if error is not None:
            good = []
            for fix in fixes:
                alone = module_code(apply_fixes(module, [fix], plan), text)
                alone_error = unwritable(alone, source.encoding)
                if alone_error is None:
                    good.append(fix)
                else:
                    d = by_fix[id(fix)]
                    banned.add(_signature(d, fix))
                    failed.append((d.code, f"{d.row}:{d.col}: {alone_error}; not applied"))
            new_text = module_code(apply_fixes(module, good, plan), text) if good else text
            if good and unwritable(new_text, source.encoding) is not None:
                for fix in good:
                    d = by_fix[id(fix)]
                    banned.add(_signature(d, fix))
                    failed.append((d.code, f"{d.row}:{d.col}: fixes together produced invalid code; not applied"))
                new_text, good = text, []
            fixes = good
        if new_text == text:
            break
        applied += len(fixes)
        text = new_text
        source = SourceText(text, source.encoding, source.bom)
        result = check_source(path, source, rules, settings)
    return FixOutcome(text, result, applied, failed)


def _signature(diagnostic: Diagnostic, fix: Fix) -> Tuple[str, str, Tuple[str, ...]]:
    """A dropped fix as the next passes see it again: its rule, message and replacement
    code, not its position (a fix applied beside it may move it to another line, and it
    would be dropped and reported once more)."""
    return diagnostic.code, diagnostic.message, tuple(replacement_code(new) for _, new in fix.replacements)


def with_fix_edits(result: FileResult, only: Optional[Set[int]] = None) -> List[Diagnostic]:
    """The result's diagnostics with the text edits of each fix filled in (of the
    diagnostics whose indexes are in `only`, when given; the others keep none)."""
    if result.module is None or not result.fixes or result.source is None:
        return list(result.diagnostics)
    edits = FixEdits(result.source.text, result.module, result.plan)
    out = list(result.diagnostics)
    for i, fix in result.fixes.items():
        if only is not None and i not in only:
            continue
        d = out[i]
        fixed = edits.edits(fix, result.statements.get(i, -1))
        out[i] = dataclasses.replace(d, fix=FixInfo(fix.applicability, fix.message, fixed))
    return out
