"""`--output-format full`: each finding's line as in `text`, then the source lines it spans
(with the line before and after) and carets under the reported range, as ruff's `full`
format; the same summary line as `text`.

```
shop/orders.py:28:5: LC201 [*] f-string used as the logging message; ...
   |
27 | def total(order):
28 |     logging.info(f"order {order.id}")
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ LC201
29 |     return order.total
   |
```
"""

from __future__ import annotations

from typing import List, TextIO

from logcheck.interfaces.output.report import Report
from logcheck.interfaces.output.text import RED, RESET, finding_line, write_summary

#: lines of context shown before and after the reported range
CONTEXT = 1
#: a range spanning more lines shows its first and last ones with `...` between
MAX_SPAN = 6


def snippet(d, lines, color: bool = False) -> List[str]:
    """The framed source lines of one finding, or [] when its file cannot be read."""
    last_row = max(d.end_row, d.row)
    first, last = max(1, d.row - CONTEXT), last_row + CONTEXT
    rows = []
    for row in range(first, last + 1):
        text = lines.line(d.path, row)
        if not text and row > last_row:
            break
        rows.append((row, text.rstrip("\r\n").expandtabs(1)))
    if not rows or not any(text for _, text in rows):
        return []
    width = len(str(rows[-1][0]))
    gutter = " " * width + " |"
    out = [gutter]
    for i, (row, text) in enumerate(rows):
        if last_row - d.row >= MAX_SPAN and d.row + 2 < row < last_row - 1:
            if row == d.row + 3:
                out.append(" " * width + " ...")
            continue
        out.append(f"{row:>{width}} | {text}".rstrip())
        if d.row <= row <= last_row:
            start = d.col - 1 if row == d.row else len(text) - len(text.lstrip())
            end = d.end_col - 1 if row == last_row else len(text)
            if end <= start:
                end = start + 1
            carets = "^" * (end - start)
            label = f" {d.code}" if row == last_row else ""
            mark = f"{RED}{carets}{label}{RESET}" if color else f"{carets}{label}"
            out.append(f"{gutter} {' ' * start}{mark}")
    out.append(gutter)
    return out


def write(report: Report, out: TextIO) -> None:
    from logcheck.workspace.baseline import SourceLines

    if not report.files:  # nothing was checked (said on stderr)
        return
    lines = SourceLines(report.root, report.sources)
    for d in report.diagnostics:
        out.write(finding_line(report, d) + "\n")
        for line in snippet(d, lines, report.color):
            out.write(line + "\n")
        out.write("\n")
    write_summary(report, out)
