"""Fix application: node replacements applied once per pass, the module logger inserted
when a fix needs it, and the text edits a report shows."""

from __future__ import annotations

import difflib
from typing import Dict, List, Optional, Sequence, Set, Tuple

import libcst as cst

from logcheck.diagnostics import Edit
from logcheck.lint.rule import Fix
from logcheck.semantics.module_logger import ModuleLoggerPlan
from logcheck.source.cst import comments_in, iter_children
from logcheck.source.parse import parse_module, unvalidated_nodes
from logcheck.source.text import line_starts


def drops_comments(fix: Fix) -> bool:
    """True when applying `fix` would lose a comment that its replaced nodes hold."""
    return any(comments_in(old) - comments_in(new) for old, new in fix.replacements)


class Replacer(cst.CSTTransformer):
    """Replaces nodes by identity (`id(old) -> new`)."""

    def __init__(self, replacements: Dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        # no replacement target lies inside another (checked before), so stop descending
        # into a target; other subtrees are walked as usual
        return id(node) not in self.replacements

    def on_leave(self, original_node, updated_node):
        new = self.replacements.get(id(original_node))
        return updated_node if new is None else new


def non_overlapping(module: cst.Module, fixes: Sequence[Fix]) -> List[Fix]:
    """Greedily keep fixes whose target nodes neither contain nor lie inside the targets
    of fixes already kept; the others wait for the next pass of the fix loop."""
    owner: Dict[int, int] = {}
    for i, fix in enumerate(fixes):
        for old, _ in fix.replacements:
            owner.setdefault(id(old), i)
    conflicts: Dict[int, Set[int]] = {i: set() for i in range(len(fixes))}
    open_targets: List[int] = []

    def walk(node: cst.CSTNode) -> None:
        i = owner.get(id(node))
        if i is not None:
            for j in open_targets:
                if j != i:
                    conflicts[i].add(j)
                    conflicts[j].add(i)
            open_targets.append(i)
        for child in iter_children(node):
            walk(child)
        if i is not None:
            open_targets.pop()

    walk(module)
    del walk  # it calls itself through its closure: a reference cycle
    kept: List[int] = []
    for i in range(len(fixes)):
        if not (conflicts[i] & set(kept)):
            kept.append(i)
    return [fixes[i] for i in kept]


def _logger_statements(plan: ModuleLoggerPlan, module: cst.Module) -> List[cst.BaseStatement]:
    stmts: List[cst.BaseStatement] = []
    if plan.insert_import:
        alias = " as _logging" if plan.factory.startswith("_logging.") else ""
        stmts.append(cst.parse_statement(f"import logging{alias}\n", config=module.config_for_parsing))
    logger_line = cst.parse_statement(f"{plan.name} = {plan.factory}(__name__)\n", config=module.config_for_parsing)
    stmts.append(logger_line.with_changes(leading_lines=[cst.EmptyLine()]))
    return stmts


def logger_insertion(plan: ModuleLoggerPlan, module: cst.Module) -> Tuple[List[cst.BaseStatement], bool]:
    """The statements that create the module logger, and whether the statement they go
    before needs a blank line first (it has none of its own)."""
    at = plan.anchor_index + 1
    inserted = _logger_statements(plan, module)
    if at == 0:
        inserted[0] = inserted[0].with_changes(leading_lines=[])
    return inserted, at < len(module.body) and not module.body[at].leading_lines


def apply_fixes(module: cst.Module, fixes: Sequence[Fix], plan: Optional[ModuleLoggerPlan]) -> cst.Module:
    """Apply non-overlapping fixes in one transform (plus the module-logger insertion)."""
    replacements = {id(old): new for fix in fixes for old, new in fix.replacements}
    with unvalidated_nodes():  # only parser-made ancestors are rebuilt here
        new_module = module.visit(Replacer(replacements)) if replacements else module
        if plan is not None and any(f.needs_module_logger for f in fixes):
            body = list(new_module.body)
            at = plan.anchor_index + 1
            inserted, _ = logger_insertion(plan, module)
            if at < len(body) and not body[at].leading_lines:
                body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine()])
            body[at:at] = inserted
            new_module = new_module.with_changes(body=body)
    return new_module


def module_code(module: cst.Module, original: str) -> str:
    """`module.code`, keeping a final lone CR: libcst drops the last `\\r` of a file whose
    last line ends with a bare CR (old Mac line endings), which would change a byte
    outside every fix."""
    code = module.code
    if original.endswith("\r"):
        code += "\r"
    return code


def is_valid_python(code: str) -> Optional[str]:
    """None when `code` parses with libcst and compiles; else the error message."""
    try:
        parse_module(code)
        compile(code, "<fixed>", "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except RecursionError:
        return "too deeply nested"
    return None


def unwritable(code: str, encoding: str) -> Optional[str]:
    """Why fixed source `code` cannot replace the file: it does not parse and compile, or
    holds a character the file's encoding cannot write (None when it can)."""
    error = is_valid_python(code)
    if error is not None:
        return f"fix produced invalid code ({error})"
    try:
        code.encode(encoding)
    except UnicodeEncodeError as exc:
        return f"fix produced text the file's encoding {encoding} cannot hold ({code[exc.start]!r})"
    return None


def fix_edits(source: str, module: cst.Module, fix: Fix, plan: Optional[ModuleLoggerPlan]) -> Tuple[Edit, ...]:
    """The text edits `fix` makes when applied alone (for JSON/SARIF/editor output)."""
    new_code = module_code(apply_fixes(module, [fix], plan), source)
    return text_edits(source, new_code)


def text_edits(old: str, new: str) -> Tuple[Edit, ...]:
    """Minimal line-hunk edits turning `old` into `new`, trimmed to changed characters."""
    if old == new:
        return ()
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: List[Edit] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a = "".join(old_lines[i1:i2])
        b = "".join(new_lines[j1:j2])
        prefix = len(_common_prefix(a, b))
        suffix = len(_common_prefix(a[prefix:][::-1], b[prefix:][::-1]))
        start = starts[i1] + prefix
        end = starts[i1] + len(a) - suffix
        edits.append(_edit_at(old, start, end, b[prefix:len(b) - suffix]))
    return tuple(edits)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    return a[:n]


def _edit_at(text: str, start: int, end: int, content: str) -> Edit:
    starts = line_starts(text)
    return Edit(content, *_row_col(starts, start), *_row_col(starts, end))


def _row_col(starts: List[int], offset: int) -> Tuple[int, int]:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - starts[lo] + 1
