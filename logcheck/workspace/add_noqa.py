"""`--add-noqa`: silence every current finding with a `# noqa: CODE` comment on its line.

The comment goes on the diagnostic's noqa row (the line where the reported node starts);
when a comment cannot go there (the line ends inside a multi-line string or f-string, or
with a backslash continuation), on the line where the node ends, which the engine's
suppression also reads. An existing `# noqa: X` on that line is extended (`# noqa: X,
LC201`); a bare `# noqa` already silences everything and is left alone. Files are written
atomically and only when they did not change since they were read.

Logging configuration files get the comment their format has: `# noqa: LC5xx` at the end
of the line in YAML and TOML; in INI files `; noqa: LC5xx` after the `[section]` header
(a comment after a value would become part of the value for fileConfig). The file is
parsed before and after: when the comment would change what it holds (a line inside a
block scalar, say), nothing is added and the findings are listed. JSON has no comments.
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from logcheck.diagnostics import Diagnostic
from logcheck.workspace.config_files import KINDS

#: `# noqa: A1, B2` (or `; noqa: ...` in INI files) with codes (the form that can be extended)
_NOQA_CODES = re.compile(r"[#;]\s*noqa\s*:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,?\s*[A-Z]+[0-9]+)*)", re.IGNORECASE)
_NOQA_BARE = re.compile(r"[#;]\s*noqa(?!\s*:)", re.IGNORECASE)
_PARSE_ERROR = "LC000"


@dataclass
class NoqaOutcome:
    #: comments added or extended, per display path
    added: Dict[str, int] = field(default_factory=dict)
    #: one-line messages for findings that could not get a comment
    errors: List[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.added.values())


@functools.lru_cache(maxsize=8)  # the editor server asks again for each code action
def unsafe_rows(text: str) -> FrozenSet[int]:
    """1-based rows whose end is inside a token (a multi-line string or f-string) or that
    end with a backslash continuation: a comment appended there would change the code."""
    rows: Set[int] = set()
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    open_fstrings: List[int] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            (srow, _), (erow, _) = tok.start, tok.end
            if tok.type == fstring_start:
                open_fstrings.append(srow)
            elif tok.type == fstring_end and open_fstrings:
                start = open_fstrings.pop()
                rows.update(range(start, erow))
            elif erow > srow and tok.type not in (tokenize.NEWLINE, tokenize.NL):
                rows.update(range(srow, erow))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return frozenset(range(1, text.count("\n") + 2))  # cannot tell: nothing is safe
    from logcheck.source.text import line_starts

    starts = line_starts(text)
    for row in range(1, len(starts) + 1):
        line = _line(text, starts, row)
        if line.rstrip("\r\n").endswith("\\"):
            rows.add(row)
    return frozenset(rows)


def _line(text: str, starts: List[int], row: int) -> str:
    end = starts[row] if row < len(starts) else len(text)
    return text[starts[row - 1]:end]


def add_codes(line: str, codes: Iterable[str], marker: str = "#") -> str:
    """`line` (with its line break) with `codes` added to its noqa comment (a new one
    starts with `marker`)."""
    body = line.rstrip("\r\n")
    newline = line[len(body):]
    m = _NOQA_CODES.search(body)
    if m is not None:
        present = [c.upper() for c in re.split(r"[\s,]+", m.group("codes")) if c]
        new = [c for c in codes if c not in present]
        if not new:
            return line
        merged = ", ".join(present + new)
        return body[:m.start("codes")] + merged + body[m.end("codes"):] + newline
    if _NOQA_BARE.search(body):
        return line
    stripped = body.rstrip()
    return f"{stripped}  {marker} noqa: {', '.join(codes)}" + newline


def add_noqa_to_text(text: str, diagnostics: Iterable[Diagnostic]) -> Tuple[str, int, List[Diagnostic]]:
    """The text with noqa comments for `diagnostics` (all in this text); the number of lines
    changed; and the diagnostics that could not be given a comment."""
    from logcheck.source.text import line_starts

    starts = line_starts(text)
    bad = unsafe_rows(text)
    by_row: Dict[int, List[str]] = defaultdict(list)
    skipped: List[Diagnostic] = []
    for d in diagnostics:
        if d.code == _PARSE_ERROR:
            skipped.append(d)
            continue
        candidates = [r for r in (d.noqa_row, d.row, d.end_row) if r is not None]
        row = next((r for r in candidates if 1 <= r <= len(starts) and r not in bad), None)
        if row is None:
            skipped.append(d)
            continue
        if d.code not in by_row[row]:
            by_row[row].append(d.code)
    if not by_row:
        return text, 0, skipped
    pieces: List[str] = []
    changed = 0
    for row in range(1, len(starts) + 1):
        line = _line(text, starts, row)
        if row in by_row:
            new = add_codes(line, sorted(by_row[row]))
            if new != line:
                changed += 1
            line = new
        pieces.append(line)
    return "".join(pieces), changed, skipped


def _config_meaning(kind: str, text: str):
    """What a configuration file holds, to compare before and after adding comments
    (None when it does not parse: then no comment can be proven harmless)."""
    if kind == "ini":
        import configparser

        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            return None
        return {name: dict(parser.items(name, raw=True)) for name in parser.sections()}, parser.defaults()
    if kind == "toml":
        from logcheck.workspace.settings_loader import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
    try:
        import yaml
    except ImportError:  # the YAML file was reported without PyYAML: no findings get here
        return None
    try:
        return list(yaml.safe_load_all(text))
    except (yaml.YAMLError, RecursionError):
        return None


def _section_header_row(lines: List[str], row: int) -> Optional[int]:
    for i in range(min(row, len(lines)) - 1, -1, -1):
        if lines[i].startswith("["):
            return i + 1
    return None


def add_noqa_to_config(text: str, kind: str, diagnostics: Iterable[Diagnostic]) -> Tuple[str, int, List[Diagnostic]]:
    """As add_noqa_to_text, for a logging configuration file of `kind` (ini/yaml/toml)."""
    from logcheck.source.text import line_starts

    diagnostics = list(diagnostics)
    lines = text.splitlines()
    by_row: Dict[int, List[str]] = defaultdict(list)
    skipped: List[Diagnostic] = []
    for d in diagnostics:
        row = _section_header_row(lines, d.row) if kind == "ini" else d.row
        if d.code == _PARSE_ERROR or row is None or not 1 <= row <= len(lines):
            skipped.append(d)
        elif d.code not in by_row[row]:
            by_row[row].append(d.code)
    starts = line_starts(text)
    marker = ";" if kind == "ini" else "#"
    pieces = [_line(text, starts, row) for row in range(1, len(starts) + 1)]
    changed = 0
    for row, codes in by_row.items():
        new = add_codes(pieces[row - 1], sorted(codes), marker)
        changed += new != pieces[row - 1]
        pieces[row - 1] = new
    new_text = "".join(pieces)
    before = _config_meaning(kind, text)
    if changed and (before is None or _config_meaning(kind, new_text) != before):
        return text, 0, diagnostics
    return new_text, changed, skipped


def _is_python(path: Path, data: bytes) -> bool:
    if path.suffix in (".py", ".pyi"):
        return True
    return path.suffix == "" and data.startswith(b"#!") and b"python" in data.split(b"\n", 1)[0]


def add_noqa(diagnostics: Iterable[Diagnostic], root: Optional[Path] = None) -> NoqaOutcome:
    """Add noqa comments for `diagnostics` (display paths relative to `root`, default the
    working folder) to their files."""
    from logcheck.source.text import DecodeError, decode_source
    from logcheck.workspace.files import WriteError, atomic_write, read_file

    root = root or Path.cwd()
    outcome = NoqaOutcome()
    by_path: Dict[str, List[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_path[d.path].append(d)
    for display, found in by_path.items():
        path = Path(display) if Path(display).is_absolute() else root / display
        try:
            read = read_file(path)
        except OSError as exc:
            outcome.errors.append(f"{display}: cannot read: {exc.strerror or exc}")
            continue
        left = f"({len(found)} finding{'s' if len(found) != 1 else ''} left)"
        python = _is_python(path, read.data)
        kind = None if python else KINDS.get(path.suffix.lower())
        if not python and kind not in ("ini", "yaml", "toml"):
            reason = "JSON has no comments" if kind == "json" else "not a Python or configuration file"
            outcome.errors.append(f"{display}: {reason}; no noqa comments added {left}")
            continue
        try:
            source = decode_source(read.data)
        except DecodeError as exc:
            outcome.errors.append(f"{display}: cannot decode: {exc}")
            continue
        if python:
            text, changed, skipped = add_noqa_to_text(source.text, found)
        else:
            text, changed, skipped = add_noqa_to_config(source.text, kind, found)
        for d in skipped:
            outcome.errors.append(f"{display}:{d.row}:{d.col}: {d.code}: no line can hold a noqa comment")
        if not changed:
            continue
        try:
            atomic_write(path, source.encode(text), expected=read)
        except WriteError as exc:
            outcome.errors.append(f"{display}: {exc}")
            continue
        outcome.added[display] = changed
    return outcome
