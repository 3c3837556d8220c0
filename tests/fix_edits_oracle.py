"""The edits of one finding's fix as logcheck computed them before `lint/edits.py`: the fix
applied alone to the whole module, and a line diff of the whole file (kept here, outside
the package, as the oracle of `tests/test_fix_edits_differential.py`)."""

from __future__ import annotations

import difflib
from typing import List, Tuple

from logcheck.diagnostics import Edit
from logcheck.lint.fixes import apply_fixes, module_code
from logcheck.source.text import line_starts


def fix_edits(source, module, fix, plan) -> Tuple[Edit, ...]:
    return text_edits(source, module_code(apply_fixes(module, [fix], plan), source))


def text_edits(old: str, new: str) -> Tuple[Edit, ...]:
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
        prefix = _common_prefix(a, b)
        suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
        rows = line_starts(old)
        edits.append(Edit(b[prefix:len(b) - suffix], *_row_col(rows, starts[i1] + prefix),
                          *_row_col(rows, starts[i1] + len(a) - suffix)))
    return tuple(edits)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _row_col(starts: List[int], offset: int) -> Tuple[int, int]:
    row = max(i for i, s in enumerate(starts) if s <= offset)
    return row + 1, offset - starts[row] + 1
