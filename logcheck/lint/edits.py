"""The text edits of each finding's fix, at the cost of the statements the fixes touch.

What a report shows for a fix is `fixes.fix_edits`: the fix applied alone to the module and
`fixes.text_edits` (a line diff, `difflib.SequenceMatcher`) between the file and that text.
Done per finding, both halves cost the whole file: a transform and a code generation of
the module, and a diff whose longest-match search is quadratic in repeated lines (blank
lines, `return None`). `FixEdits` gives the same edits, byte for byte, locally:

1. *The fixed text.* A replaced node's enclosing statement generates the same code alone
   as in the module when the code generator starts with the enclosing blocks' indentation
   (a statement is never handed arguments by its parent, unlike an argument or an
   element). So the statement is generated twice, as it is and with the fix's replacements;
   the first must be found verbatim where the statement starts in the file, and the second
   is spliced there. The module logger a fix may need is spliced in before the statement
   it is inserted before.
2. *The diff.* `SequenceMatcher` matches the longest common run of lines first, then
   recurses on either side. Where the file and the fixed text agree line for line (a
   run: the text before the first change, between changes, after the last), a run longer
   than every other match is the one it picks. Any other match is made of at most `4m+1`
   pieces (m changed regions), each lying in a changed region or repeating a stretch of the
   file elsewhere, so its length is at most `(4m+1) * max(longest repeated stretch of the
   file, changed regions' lengths)`. Runs above that bound are taken without a search;
   what lies between them is left to `SequenceMatcher` itself, on that part alone.

Anything outside these shapes (a target not found in its statement, a statement not where
its code says, runs that overlap) falls back to `fixes.fix_edits`, the definition.
`tests/test_fix_edits_differential.py` compares both on many files.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Dict, List, Optional, Sequence, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState

from logcheck.diagnostics import Edit
from logcheck.lint.fix import Fix
from logcheck.lint.fixes import _Replacer, fix_edits, logger_insertion
from logcheck.semantics.module_logger import ModuleLoggerPlan
from logcheck.source.cst import iter_children
from logcheck.source.parse import unvalidated_nodes
from logcheck.source.text import line_starts

#: (start offset, end offset, replacement text) in the original file
Splice = Tuple[int, int, str]
#: a run of equal lines: (index in the file's lines, index in the fixed text's lines, length)
Run = Tuple[int, int, int]


class _StatementTypes(dict):
    """type -> is it a statement (a cached `issubclass`, cheaper than `isinstance` on ABCs)."""

    def __missing__(self, node_type: type) -> bool:
        self[node_type] = is_statement = issubclass(node_type, cst.BaseStatement)
        return is_statement


_IS_STATEMENT = _StatementTypes()


class _Offsets(CodegenState):
    """Code generation that notes where each statement's code starts and ends (as token
    indexes, turned into character offsets once at the end)."""

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.spans: Dict[int, List[int]] = {}

    def before_codegen(self, node: cst.CSTNode) -> None:
        if _IS_STATEMENT[node.__class__]:
            self.spans[id(node)] = [len(self.tokens), 0]

    def after_codegen(self, node: cst.CSTNode) -> None:
        if _IS_STATEMENT[node.__class__]:
            self.spans[id(node)][1] = len(self.tokens)

    def char_spans(self) -> Dict[int, Tuple[int, int]]:
        offsets = [0]
        for token in self.tokens:
            offsets.append(offsets[-1] + len(token))
        return {key: (offsets[a], offsets[b]) for key, (a, b) in self.spans.items()}


def _generate(node: cst.CSTNode, module: cst.Module, indents: Sequence[str]) -> str:
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    state.indent_tokens.extend(indents)
    node._codegen(state)
    return "".join(state.tokens)


class _Place:
    """Where a replaced node sits: its innermost enclosing statement, the indentation the
    code generator holds there, and the top-level statement around it."""

    __slots__ = ("statement", "indents", "top")

    def __init__(self, statement: cst.CSTNode, indents: Tuple[str, ...], top: int) -> None:
        self.statement = statement
        self.indents = indents
        self.top = top


class FixEdits:
    """The edits of a checked file's fixes, computed on demand and each at most once."""

    def __init__(self, source: str, module: cst.Module, plan: Optional[ModuleLoggerPlan],
                 row_starts: Optional[List[int]] = None) -> None:
        self.source = source
        self.module = module
        self.plan = plan
        self.lines = source.splitlines(keepends=True)
        self.line_offsets = [0, *accumulate(map(len, self.lines))]
        #: `line_starts(source)`, when the caller has it already
        self._row_starts = row_starts
        self._places: Dict[int, Optional[_Place]] = {}
        #: where each top-level statement's statements start and end in its code
        self._spans: Dict[int, Dict[int, Tuple[int, int]]] = {}
        self._top_offsets: Dict[int, Optional[int]] = {}
        self._repeat: Optional[int] = None
        self._insertion: Optional[Tuple[int, str]] = None

    # ------------------------------------------------------------------ public

    def prepare(self) -> None:
        """Compute now what every later `edits` call shares (the editor does it after a
        check, so that a code action pays only for its own fixes)."""
        self._longest_repeat()
        if self._row_starts is None:
            self._row_starts = line_starts(self.source)

    def edits(self, fix: Fix, statement: int = -1) -> Tuple[Edit, ...]:
        """The edits of `fix` applied alone; `statement` is the index of the top-level
        statement the finding is in (a hint where to look for the fix's nodes)."""
        splices = self._splices(fix, statement)
        if splices is None:
            return fix_edits(self.source, self.module, fix, self.plan)
        new_lines, first, last = self._fixed_lines(splices)
        if new_lines == self.lines:
            return ()
        return self._edits(new_lines, self._matching_blocks(new_lines, splices, first, last))

    # ------------------------------------------------------------------ fixed text

    def _splices(self, fix: Fix, statement: int) -> Optional[List[Splice]]:
        if len(fix.replacements) != 1:
            return None  # several targets: their statements may nest; the definition decides
        old, new = fix.replacements[0]
        place = self._place(old, statement)
        if place is None:
            return None
        span = self._statement_span(place)
        if span is None:
            return None
        with unvalidated_nodes():
            changed = place.statement.visit(_Replacer({id(old): new}))
        splices = [(span[0], span[1], _generate(changed, self.module, place.indents))]
        if fix.needs_module_logger and self.plan is not None:
            insertion = self._logger_insertion(old)
            if insertion is None:
                return None
            splices.insert(0, (insertion[0], insertion[0], insertion[1]))
            if splices[0][0] > splices[1][0]:
                return None
        return splices

    def _fixed_lines(self, splices: Sequence[Splice]) -> Tuple[List[str], int, int]:
        """`fixed.splitlines(keepends=True)` of the file with the splices made, and the
        file's lines `first:last` that it re-splits: the lines wholly before the first
        splice and after the last are the file's own, and only the text from the line
        before the first to the line after the last is split again."""
        offsets = self.line_offsets
        first = max(bisect_right(offsets, splices[0][0] - 1) - 1, 0)  # the line holding the char before
        last = bisect_left(offsets, splices[-1][1] + 1)  # the first line starting after the char after
        parts = []
        at = offsets[first]
        for start, end, text in splices:
            parts.append(self.source[at:start])
            parts.append(text)
            at = end
        parts.append(self.source[at:offsets[last]] if last < len(offsets) else self.source[at:])
        middle = "".join(parts).splitlines(keepends=True)
        return self.lines[:first] + middle + self.lines[last:], first, last

    def _place(self, target: cst.CSTNode, top_hint: int) -> Optional[_Place]:
        if id(target) not in self._places:
            body = self.module.body
            tops = [top_hint] if 0 <= top_hint < len(body) else []
            if not any(self._search(top, target) for top in tops):
                if not any(self._search(top, target) for top in range(len(body)) if top != top_hint):
                    return None
        return self._places[id(target)]

    def _search(self, top: int, target: cst.CSTNode) -> bool:
        """Walk top-level statement `top` until `target`, noting the place of the nodes
        passed (a later search in the same statement starts over, cheaply)."""
        module = self.module
        places = self._places
        root = module.body[top]
        stack: List[Tuple[cst.CSTNode, cst.CSTNode, Tuple[str, ...]]] = [(root, root, ())]
        while stack:
            node, statement, indents = stack.pop()
            places[id(node)] = _Place(statement, indents, top)
            if node is target:
                return True
            if node.__class__ is cst.IndentedBlock:
                indents = indents + (module.default_indent if node.indent is None else node.indent,)
            for child in iter_children(node):
                # an `elif` is generated by its `if` (as `elif`), never alone
                starts = _IS_STATEMENT[child.__class__] and not (node.__class__ is cst.If and child is node.orelse)
                stack.append((child, child if starts else statement, indents))
        return False

    def _statement_span(self, place: _Place) -> Optional[Tuple[int, int]]:
        """Where `place.statement`'s code is in the file: the top-level statement's code,
        found once in the file, and the statement's span inside that code."""
        top_start = self._top_offset(place.top)
        if top_start is None:
            return None
        span = self._spans[place.top].get(id(place.statement))
        return None if span is None else (top_start + span[0], top_start + span[1])

    def _top_offset(self, top: int) -> Optional[int]:
        if top not in self._top_offsets:
            state = _Offsets(self.module)
            self.module.body[top]._codegen(state)
            self._spans[top] = state.char_spans()
            text = "".join(state.tokens)
            at = self.source.find(text)
            unique = at >= 0 and self.source.find(text, at + 1) < 0
            self._top_offsets[top] = at if unique else None
        return self._top_offsets[top]

    def _logger_insertion(self, target: cst.CSTNode) -> Optional[Tuple[int, str]]:
        """(offset, text) of the module logger's statements, as `apply_fixes` inserts them."""
        if self._insertion is None:
            statements, spaced = logger_insertion(self.plan, self.module)
            at = self.plan.anchor_index + 1
            body = self.module.body
            if at >= len(body):
                return None
            offset = self._top_offset(at)
            if offset is None:
                return None
            text = "".join(_generate(s, self.module, ()) for s in statements)
            if spaced:
                text += self.module.default_newline
            self._insertion = (offset, text)
        if target is self.module.body[self.plan.anchor_index + 1]:
            return None  # the statement that gets a blank line is the one replaced
        return self._insertion

    # ------------------------------------------------------------------ diff

    def _matching_blocks(self, new: List[str], splices: Sequence[Splice], first: int, last: int) -> List[Run]:
        """`SequenceMatcher(None, self.lines, new, autojunk=False).get_matching_blocks()`."""
        old = self.lines
        runs = self._runs(old, new, splices, first, last)
        widest = max(_widest_gap([(r[0], r[2]) for r in runs], len(old)),
                     _widest_gap([(r[1], r[2]) for r in runs], len(new)))
        bound = (4 * len(runs) + 1) * max(self._longest_repeat(), widest)
        blocks: List[Run] = []
        pending = [(0, len(old), 0, len(new))]
        while pending:
            alo, ahi, blo, bhi = pending.pop()
            inside = [r for r in (_clipped(run, alo, ahi, blo, bhi) for run in runs) if r is not None]
            best = min(inside, key=lambda r: (-r[2], r[0], r[1]), default=None)
            if best is None or best[2] <= bound:
                matcher = difflib.SequenceMatcher(None, old[alo:ahi], new[blo:bhi], autojunk=False)
                blocks.extend((i + alo, j + blo, k) for i, j, k in matcher.get_matching_blocks()[:-1])
                continue
            i, j, k = best
            blocks.append(best)
            if alo < i and blo < j:
                pending.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                pending.append((i + k, ahi, j + k, bhi))
        return _merged(sorted(blocks), len(old), len(new))

    def _runs(self, old: List[str], new: List[str], splices: Sequence[Splice], first: int, last: int) -> List[Run]:
        """The maximal runs of equal lines (same shift) through the lines that lie wholly
        before, between and after the spliced regions (those are equal by construction;
        only the few lines at the ends of each run are compared). `old[first:last]` is
        the part of the file that `_fixed_lines` split again."""
        runs: List[Run] = []
        grown = len(new) - len(old)
        if first > 0:
            runs.append(_extended(old, new, 0, 0, first))
        if last < len(old):
            runs.append(_extended(old, new, last, last + grown, len(old) - last))
        if len(splices) > 1:  # stretches between splices: find their lines in the re-split part
            offsets = self.line_offsets
            new_offsets = list(accumulate(map(len, new[first:last + grown]), initial=offsets[first]))
            delta = 0
            for (start, end, text), following in zip(splices, splices[1:]):
                delta += len(text) - (end - start)
                a = bisect_left(offsets, end + 1)
                stop = bisect_right(offsets, following[0] - 1) - 1
                if stop > a:
                    b = bisect_left(new_offsets, offsets[a] + delta)
                    if b < len(new_offsets) and new_offsets[b] == offsets[a] + delta:
                        runs.append(_extended(old, new, a, first + b, stop - a))
        return list(dict.fromkeys(runs))

    def _longest_repeat(self) -> int:
        """An upper bound on the longest stretch of lines that occurs twice in the file."""
        if self._repeat is None:
            ids: Dict[str, int] = {}
            numbers = [ids.setdefault(line, len(ids)) for line in self.lines]
            low = 0  # a repeat of this length exists
            for probe in (8, 32):
                if not _repeats(numbers, probe):
                    self._repeat = probe - 1
                    return self._repeat
                low = probe
            high = len(numbers)  # no repeat this long
            while high - low > 1:
                mid = (low + high) // 2
                if _repeats(numbers, mid):
                    low = mid
                else:
                    high = mid
            self._repeat = low
        return self._repeat

    def _edits(self, new: List[str], blocks: List[Run]) -> Tuple[Edit, ...]:
        """`fixes.text_edits` from the matching blocks."""
        old = self.lines
        if self._row_starts is None:
            self._row_starts = line_starts(self.source)
        edits: List[Edit] = []
        i = j = 0
        for ai, bj, size in blocks:
            if i < ai or j < bj:
                a = "".join(old[i:ai])
                b = "".join(new[j:bj])
                prefix = _common_prefix_length(a, b)
                suffix = _common_prefix_length(a[prefix:][::-1], b[prefix:][::-1])
                start = self.line_offsets[i] + prefix
                end = self.line_offsets[i] + len(a) - suffix
                edits.append(Edit(b[prefix:len(b) - suffix], *_row_col(self._row_starts, start),
                                  *_row_col(self._row_starts, end)))
            i, j = ai + size, bj + size
        return tuple(edits)


def _merged(blocks: List[Run], la: int, lb: int) -> List[Run]:
    """Adjacent blocks joined, and the (la, lb, 0) sentinel, as difflib returns them."""
    out: List[Run] = []
    for block in blocks:
        if out and out[-1][0] + out[-1][2] == block[0] and out[-1][1] + out[-1][2] == block[1]:
            out[-1] = (out[-1][0], out[-1][1], out[-1][2] + block[2])
        elif block[2]:
            out.append(block)
    out.append((la, lb, 0))
    return out


def _extended(old: List[str], new: List[str], a: int, b: int, length: int) -> Run:
    """The run of equal lines `old[a:a+length] == new[b:b+length]`, made maximal."""
    while a > 0 and b > 0 and old[a - 1] == new[b - 1]:
        a -= 1
        b -= 1
        length += 1
    while a + length < len(old) and b + length < len(new) and old[a + length] == new[b + length]:
        length += 1
    return a, b, length


def _clipped(run: Run, alo: int, ahi: int, blo: int, bhi: int) -> Optional[Run]:
    """The part of `run` inside the ranges, or None."""
    a, b, k = run
    first = max(0, alo - a, blo - b)
    last = min(k, ahi - a, bhi - b)
    return (a + first, b + first, last - first) if last > first else None


def _widest_gap(spans: List[Tuple[int, int]], total: int) -> int:
    """The longest stretch of [0, total) that no (start, length) span covers."""
    widest = at = 0
    for start, length in sorted(spans):
        widest = max(widest, start - at)
        at = max(at, start + length)
    return max(widest, total - at)


def _repeats(numbers: List[int], length: int) -> bool:
    """Whether some `length` consecutive lines occur twice (overlapping allowed)."""
    if length > len(numbers) - 1:
        return False
    seen = set()
    for i in range(len(numbers) - length + 1):
        window = tuple(numbers[i:i + length])
        if window in seen:
            return True
        seen.add(window)
    return False


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    return n


def _row_col(starts: List[int], offset: int) -> Tuple[int, int]:
    row = bisect_right(starts, offset) - 1
    return row + 1, offset - starts[row] + 1
