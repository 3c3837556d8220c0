"""Baselines: adopt logcheck on legacy code and block only new problems.

A finding's fingerprint is (path, code, normalized text of its source line, occurrence
index among findings with the same first three parts), hashed. It does not contain the line
number, so code that moves (lines inserted above, a function moved down) keeps its
fingerprint, while a new finding (even an identical one on a copied line: it gets the next
occurrence index) does not match the baseline.

`--write-baseline FILE` records the current findings; `--baseline FILE` drops the findings
whose fingerprint is recorded. The same fingerprints are the stable ids of the GitLab Code
Quality report and of SARIF's `partialFingerprints`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from logcheck import __version__
from logcheck.diagnostics import Diagnostic
from logcheck.errors import ConfigError

FORMAT_VERSION = 1
_SPACE = re.compile(r"\s+")


def normalize(line: str) -> str:
    """A source line without indentation, line break, or differences in inner spacing."""
    return _SPACE.sub(" ", line).strip()


class SourceLines:
    """Lines of the files that diagnostics point into, read on demand (once per file)."""

    def __init__(self, root: Optional[Path] = None, texts: Optional[Dict[str, str]] = None) -> None:
        self.root = Path(root) if root is not None else Path.cwd()
        self._texts: Dict[str, Optional[Tuple[str, List[int]]]] = {}
        for path, text in (texts or {}).items():
            self._texts[path] = self._index(text)

    @staticmethod
    def _index(text: str) -> Tuple[str, List[int]]:
        from logcheck.source.text import line_starts

        return text, line_starts(text)

    def _load(self, path: str) -> Optional[Tuple[str, List[int]]]:
        if path not in self._texts:
            entry = None
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                data = None
            if data is not None:
                from logcheck.source.text import DecodeError, decode_source

                try:
                    text = decode_source(data).text
                except DecodeError:
                    text = data.decode("utf-8", "replace")
                entry = self._index(text)
            self._texts[path] = entry
        return self._texts[path]

    def line(self, path: str, row: int) -> str:
        """The text of 1-based `row` in `path` ("" when unknown)."""
        entry = self._load(path)
        if entry is None:
            return ""
        text, starts = entry
        if row < 1 or row > len(starts):
            return ""
        end = starts[row] if row < len(starts) else len(text)
        return text[starts[row - 1]:end]


def fingerprint_parts(diagnostics: Sequence[Diagnostic], lines: SourceLines,
                      path_of=None) -> List[Tuple[str, str, str, int]]:
    """(path, code, normalized line, occurrence) for each diagnostic, in the given order.
    `path_of` maps a diagnostic's path to the path recorded (default: unchanged)."""
    seen: Counter = Counter()
    out = []
    for d in sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].sort_key):
        diag = diagnostics[d]
        path = path_of(diag.path) if path_of else diag.path
        key = (path, diag.code, normalize(lines.line(diag.path, diag.row)))
        out.append((d, (*key, seen[key])))
        seen[key] += 1
    out.sort()
    return [parts for _, parts in out]


def hash_parts(parts: Tuple[str, str, str, int]) -> str:
    path, code, text, occurrence = parts
    blob = "\0".join((path, code, text, str(occurrence))).encode("utf-8", "surrogatepass")
    return hashlib.sha256(blob).hexdigest()[:32]


def fingerprints(diagnostics: Sequence[Diagnostic], lines: SourceLines, path_of=None) -> List[str]:
    return [hash_parts(p) for p in fingerprint_parts(diagnostics, lines, path_of)]


def _relative_to(folder: Path, cwd: Path):
    """Map display paths (relative to `cwd`) to posix paths relative to `folder`."""
    folder = folder.resolve()

    def path_of(display: str) -> str:
        absolute = Path(display) if Path(display).is_absolute() else cwd / display
        try:
            return absolute.resolve().relative_to(folder).as_posix()
        except (ValueError, OSError):
            return Path(display).as_posix()

    return path_of


def write_baseline(file: Path, diagnostics: Sequence[Diagnostic], lines: Optional[SourceLines] = None,
                   cwd: Optional[Path] = None) -> int:
    """Record `diagnostics` in `file` (JSON). Paths are stored relative to the baseline's
    folder, so the baseline works from any working folder. Returns the count written."""
    cwd = cwd or Path.cwd()
    lines = lines or SourceLines(cwd)
    file = Path(file)
    path_of = _relative_to(file.absolute().parent, cwd)
    parts = fingerprint_parts(diagnostics, lines, path_of)
    findings = []
    for d, p in sorted(zip(diagnostics, parts), key=lambda dp: dp[1]):
        findings.append({
            "fingerprint": hash_parts(p),
            "path": p[0],
            "code": d.code,
            "source": p[2],
            "occurrence": p[3],
            "message": d.message,
        })
    document = {"logcheck-baseline": FORMAT_VERSION, "version": __version__, "findings": findings}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{file}: cannot write baseline: {exc.strerror or exc}") from None
    return len(findings)


def read_baseline(file: Path) -> Counter:
    """The fingerprints recorded in `file` (ConfigError when missing or malformed)."""
    file = Path(file)
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{file}: not a logcheck baseline (invalid JSON: {exc})") from None
    if not isinstance(document, dict) or document.get("logcheck-baseline") != FORMAT_VERSION \
            or not isinstance(document.get("findings"), list):
        raise ConfigError(f"{file}: not a logcheck baseline (write one with --write-baseline)")
    known: Counter = Counter()
    for entry in document["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise ConfigError(f"{file}: malformed baseline entry {entry!r}")
        known[entry["fingerprint"]] += 1
    return known


def filter_baseline(file: Path, diagnostics: Sequence[Diagnostic], lines: Optional[SourceLines] = None,
                    cwd: Optional[Path] = None) -> Tuple[List[Diagnostic], int]:
    """The diagnostics not recorded in the baseline `file`, and how many were dropped."""
    known = read_baseline(file)
    cwd = cwd or Path.cwd()
    lines = lines or SourceLines(cwd)
    path_of = _relative_to(Path(file).absolute().parent, cwd)
    kept: List[Diagnostic] = []
    for d, fp in zip(diagnostics, fingerprints(diagnostics, lines, path_of)):
        if known[fp] > 0:
            known[fp] -= 1
        else:
            kept.append(d)
    return kept, len(diagnostics) - len(kept)

