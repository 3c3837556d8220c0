"""Suppression comments: `# noqa[: codes]` on a line and `# logcheck: disable-file[=codes]`
in a file's header, for Python and configuration files alike."""

from __future__ import annotations

import io
import re
import tokenize
from typing import Iterable, List, Optional, Tuple

from logcheck.lint import peers
from logcheck.source.text import LINE_BREAK, line_starts

_NOQA = re.compile(r"[#;]\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:\s*,?\s*[A-Z]+[0-9]*)*))?", re.IGNORECASE)


_DISABLE_FILE = re.compile(r"[#;]\s*logcheck:\s*disable-file(?:\s*=\s*(?P<codes>[A-Za-z0-9, ]+))?")


def _code_matches(code: str, selectors: Iterable[str]) -> bool:
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())


def noqa_codes(line: str) -> Optional[List[str]]:
    """None: no noqa; []: bare noqa (all codes); else the listed codes, with peer linters'
    codes (`# noqa: G004`) translated to their LC codes (see logcheck.peers)."""
    m = _NOQA.search(line)
    if m is None:
        return None
    codes = m.group("codes")
    return peers.lc_codes(re.split(r"[\s,]+", codes.strip())) if codes else []


def _comment_lines(text: str) -> List[Tuple[int, str]]:
    """(row, line) of the lines holding only a comment (`#` or `;`)."""
    rows = []
    for row, line in enumerate(LINE_BREAK.split(text), start=1):
        if line.lstrip().startswith(("#", ";")):
            rows.append((row, line.strip()))
    return rows


def _header_end(text: str) -> Optional[int]:
    """The row of a Python file's first statement that is neither the module docstring nor
    an import (None: the file has none, or does not parse)."""
    import ast

    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    for i, stmt in enumerate(body):
        docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
            and isinstance(stmt.value.value, str)
        if not docstring and not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            # a decorated definition starts at its first decorator, not at its `def`
            return min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", ())])
    return None


def disable_file_directives(text: str, python: bool = True) -> Tuple[Optional[List[str]], List[int]]:
    """`# logcheck: disable-file[=codes]` comments: the codes they disable (None: not
    disabled; []: every code) and the rows of those that are ignored.

    In Python files the directive counts in the file's header: its comments, docstring and
    imports, before the first other statement; one further down is ignored (and reported
    by the runner). Configuration files have no statements: any comment line counts."""
    if "disable-file" not in text:
        return None, []
    candidates = [(row, line) for row, line in _comment_lines(text) if _DISABLE_FILE.match(line)]
    if not candidates:
        return None, []
    end = _header_end(text) if python else None
    codes: Optional[List[str]] = None
    ignored: List[int] = []
    for row, line in candidates:
        if end is not None and row > end:
            ignored.append(row)
            continue
        listed = _DISABLE_FILE.match(line).group("codes")
        if not listed:
            codes = []
        elif codes != []:
            codes = (codes or []) + peers.lc_codes(c for c in re.split(r"[\s,]+", listed.strip()) if c)
    if ignored:  # only real comments: a `#` line inside a string is no directive
        comments = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                    if tok.type == tokenize.COMMENT}
        ignored = [row for row in ignored if row in comments]
    return codes, ignored


def file_disabled_codes(text: str, python: bool = True) -> Optional[List[str]]:
    """Codes disabled by `# logcheck: disable-file[=codes]` (None: not disabled; []: every code)."""
    return disable_file_directives(text, python)[0]


class Suppressions:
    def __init__(self, text: str, python: bool = True) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.file_codes = file_disabled_codes(text, python)

    def line(self, row: int) -> str:
        if row < 1 or row > len(self.starts):
            return ""
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[start:end]

    def suppressed(self, code: str, rows: Iterable[int]) -> bool:
        if self.file_codes is not None and (not self.file_codes or _code_matches(code, self.file_codes)):
            return True
        for row in set(rows):
            line = self.line(row)
            lowered = line.lower()
            if "noqa" in lowered:
                codes = noqa_codes(line)
                if codes is not None and (not codes or _code_matches(code, codes)):
                    return True
            if "pylint" in lowered and code in peers.pylint_disabled(line):
                return True
        return False
