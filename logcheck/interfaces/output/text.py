"""Human-readable output: `path:line:col: CODE [*] message` and a summary line."""

from __future__ import annotations

from collections import Counter
from typing import List, TextIO, Tuple

from logcheck.interfaces.output.report import Report

BOLD, RED, RESET = "\x1b[1m", "\x1b[31m", "\x1b[0m"


def finding_line(report: Report, d) -> str:
    marker = " [*]" if d.fixable(report.unsafe_fixes) else ""
    if report.color:
        return f"{BOLD}{d.path}{RESET}:{d.row}:{d.col}: {RED}{BOLD}{d.code}{RESET}{marker} {d.message}"
    return f"{d.path}:{d.row}:{d.col}: {d.code}{marker} {d.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write(report: Report, out: TextIO) -> None:
    if not report.files:  # nothing was checked (said on stderr): not "All checks passed!"
        return
    if report.statistics:
        _write_statistics(report, out)
    else:
        for d in report.diagnostics:
            out.write(finding_line(report, d) + "\n")
    write_summary(report, out)


def write_summary(report: Report, out: TextIO) -> None:
    """The fix list (--show-fixes) and the summary line, unless --quiet."""
    if report.quiet:  # findings only: no fix list, no summary
        return
    if report.show_fixes and report.fixed_by_file:
        out.write(f"\nFixed {_plural(report.fixed, 'problem')}:\n")
        for path, count in sorted(report.fixed_by_file.items()):
            out.write(f"- {path}: {count} fix{'' if count == 1 else 'es'}\n")
    diagnostics = report.diagnostics
    n = len(diagnostics)
    if report.fix_only:  # what is left is not reported (as ruff's --fix-only)
        if report.fixed:
            out.write(f"Fixed {_plural(report.fixed, 'problem')}.\n")
        return
    if report.fix_mode:
        if n or report.fixed:
            out.write(f"Found {_plural(n + report.fixed, 'problem')} ({report.fixed} fixed, {n} remaining).\n")
        else:
            out.write("All checks passed!\n")
        return
    if n == 0:
        out.write("All checks passed!\n")
        return
    safe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == "unsafe")
    parts = [f"{safe} fixable with --fix"]
    if unsafe:
        parts.append(f"{unsafe} with --unsafe-fixes" if not report.unsafe_fixes else f"{unsafe} more with --fix --unsafe-fixes")
    out.write(f"Found {_plural(n, 'problem')} ({', '.join(parts)}).\n")


def write_concise(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(finding_line(report, d) + "\n")


def statistics(report: Report) -> List[Tuple[str, str, int, int]]:
    """(code, rule name, count, fixable count) per rule, most frequent first (as ruff)."""
    counts = Counter(d.code for d in report.diagnostics)
    names = {d.code: d.name for d in report.diagnostics}
    fixable = Counter(d.code for d in report.diagnostics if d.fixable(report.unsafe_fixes))
    return [(code, names[code], count, fixable[code])
            for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _write_statistics(report: Report, out: TextIO) -> None:
    # as ruff: [*] every finding of the rule is fixable, [~] some are, blank none
    for code, name, count, fixable in statistics(report):
        mark = "[*]" if fixable == count else "[~]" if fixable else "   "
        out.write(f"{count:6d}\t{code}\t{mark} {name}\n")
