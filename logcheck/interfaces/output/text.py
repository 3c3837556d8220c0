"""Human-readable output: `path:line:col: CODE [*] message` and a summary line."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from logcheck.interfaces.output.report import Report

_BOLD, _RED, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[0m"


def _line(report: Report, d) -> str:
    marker = " [*]" if d.fixable(report.unsafe_fixes) else ""
    if report.color:
        return f"{_BOLD}{d.path}{_RESET}:{d.row}:{d.col}: {_RED}{_BOLD}{d.code}{_RESET}{marker} {d.message}"
    return f"{d.path}:{d.row}:{d.col}: {d.code}{marker} {d.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write(report: Report, out: TextIO) -> None:
    diagnostics = report.diagnostics
    if report.statistics:
        _write_statistics(report, out)
        return
    for d in diagnostics:
        out.write(_line(report, d) + "\n")
    if report.quiet:  # findings only: no fix list, no summary
        return
    if report.show_fixes and report.fixed_by_file:
        out.write(f"\nFixed {_plural(report.fixed, 'problem')}:\n")
        for path, count in sorted(report.fixed_by_file.items()):
            out.write(f"- {path}: {count} fix{'' if count == 1 else 'es'}\n")
    n = len(diagnostics)
    if report.fix_mode:
        if n or report.fixed:
            out.write(f"Found {_plural(n + report.fixed, 'problem')} ({report.fixed} fixed, {n} remaining).\n")
        elif not report.quiet:
            out.write("All checks passed!\n")
        return
    if n == 0:
        if not report.quiet:
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
        out.write(_line(report, d) + "\n")


def _write_statistics(report: Report, out: TextIO) -> None:
    counts = Counter(d.code for d in report.diagnostics)
    names = {d.code: d.name for d in report.diagnostics}
    fixable = Counter(d.code for d in report.diagnostics if d.fixable(report.unsafe_fixes))
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if fixable[code] else "   "
        out.write(f"{count:6d}\t{code}\t{mark} {names[code]}\n")
