"""Codes of other linters (ruff, flake8-logging, flake8-logging-format, flake8-print,
pylint) that mean what an LC rule means: the one table behind `# noqa: G004`,
`# pylint: disable=logging-fstring-interpolation`, `--select G004`, `logcheck rule G004`,
the table in `logcheck rules` and the README.

A peer code is listed only where its documented meaning matches the LC rule's (checked
against each tool's rule page); where the peer rule covers more or fewer cases than the LC
rule, the table says so in `note`. Importing this module is cheap (no rules, no libcst)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple


@dataclass(frozen=True)
class PeerCode:
    code: str
    #: the peer rule's own name
    name: str
    #: tools that use this code with this meaning
    tools: str
    #: LC rules reporting what the peer rule reports
    lc: Tuple[str, ...]
    note: str = ""


_RUFF_FLF = "ruff, flake8-logging-format"
_RUFF_FL = "ruff, flake8-logging"
_FL = "flake8-logging"
_RUFF_PRINT = "ruff, flake8-print"

PEER_CODES: Tuple[PeerCode, ...] = (
    PeerCode("G001", "logging-string-format", _RUFF_FLF, ("LC203",)),
    PeerCode("G002", "logging-percent-format", _RUFF_FLF, ("LC202",)),
    PeerCode("G003", "logging-string-concat", _RUFF_FLF, ("LC204",)),
    PeerCode("G004", "logging-f-string", _RUFF_FLF, ("LC201",)),
    PeerCode("G010", "logging-warn", _RUFF_FLF, ("LC301",)),
    PeerCode("G101", "logging-extra-attr-clash", _RUFF_FLF, ("LC206",)),
    PeerCode("G201", "logging-exc-info", _RUFF_FLF, ("LC305",)),
    PeerCode("G202", "logging-redundant-exc-info", _RUFF_FLF, ("LC306",),
             "G202 also flags `error(..., exc_info=False)`, which logcheck does not"),
    PeerCode("LOG001", "direct-logger-instantiation", _RUFF_FL, ("LC103",)),
    PeerCode("LOG002", "invalid-get-logger-argument", _RUFF_FL, ("LC102",)),
    PeerCode("LOG003", "extra key clashes with LogRecord attribute", _FL, ("LC206",)),
    PeerCode("LOG004", "log-exception-outside-except-handler", _RUFF_FL, ("LC304",)),
    PeerCode("LOG005", "use exception() within an exception handler", _FL, ("LC305",),
             "LOG005 also flags `error()` without `exc_info` in a handler"),
    PeerCode("LOG006", "redundant exc_info argument for exception()", _FL, ("LC306",)),
    PeerCode("LOG007", "exception-without-exc-info", _RUFF_FL, ("LC306",)),
    PeerCode("LOG008", "warn() is deprecated", _FL, ("LC301",)),
    PeerCode("LOG009", "undocumented-warn", _RUFF_FL, ("LC301",)),
    PeerCode("LOG010", "exception() does not take an exception", _FL, ("LC207",)),
    PeerCode("LOG011", "avoid pre-formatting log messages", _FL, ("LC201", "LC202", "LC203", "LC204")),
    PeerCode("LOG012", "formatting error: placeholders and arguments", _FL, ("LC205",)),
    PeerCode("LOG013", "formatting error: mapping keys", _FL, ("LC205",)),
    PeerCode("LOG014", "exc-info-outside-except-handler", _RUFF_FL, ("LC304",)),
    PeerCode("LOG015", "root-logger-call", _RUFF_FL, ("LC101",)),
    PeerCode("LOG016", "implicitly obtained root logger", _FL, ("LC101",)),
    PeerCode("T201", "print", _RUFF_PRINT, ("LC401",)),
    PeerCode("T203", "p-print", _RUFF_PRINT, ("LC402",)),
    PeerCode("TRY400", "error-instead-of-exception", "ruff", ("LC305",),
             "TRY400 also flags `error()` without `exc_info` in a handler"),
    PeerCode("PLE1205", "logging-too-many-args", "ruff", ("LC205",)),
    PeerCode("PLE1206", "logging-too-few-args", "ruff", ("LC205",)),
    PeerCode("W1201", "logging-not-lazy", "pylint", ("LC202", "LC204")),
    PeerCode("W1202", "logging-format-interpolation", "pylint", ("LC203",)),
    PeerCode("W1203", "logging-fstring-interpolation", "pylint", ("LC201",)),
    PeerCode("E1200", "logging-unsupported-format", "pylint", ("LC205",)),
    PeerCode("E1201", "logging-format-truncated", "pylint", ("LC205",)),
    PeerCode("E1205", "logging-too-many-args", "pylint", ("LC205",)),
    PeerCode("E1206", "logging-too-few-args", "pylint", ("LC205",)),
)

def _ruff_style(p: PeerCode) -> str:
    """The code in ruff's naming: pylint's message ids take ruff's `PL` prefix (`PLW1203`)."""
    return f"PL{p.code}" if p.tools == "pylint" else p.code


_BY_CODE: Dict[str, PeerCode] = {
    **{_ruff_style(p): p for p in PEER_CODES}, **{p.code: p for p in PEER_CODES}}
#: pylint's symbolic names (`logging-not-lazy`) next to its message ids (`W1201`)
_PYLINT_NAMES: Dict[str, PeerCode] = {p.name: p for p in PEER_CODES if p.tools == "pylint"}
_LETTERS = re.compile(r"[A-Z]+")


def peer(selector: str) -> Optional[PeerCode]:
    """The table entry for a peer code (`G004`, `w1203`, `PLW1203`) or pylint name, else None."""
    sel = selector.strip()
    return _BY_CODE.get(sel.upper()) or _PYLINT_NAMES.get(sel.lower())


def family(selector: str) -> Tuple[PeerCode, ...]:
    """The entries a selector stands for: one peer code, or a prefix in ruff's naming that
    names a whole family or part of one (`G`, `LOG`, `T20`, `PLE12`, `PLW12`), as ruff
    selects; () when it names none. A prefix must spell the code's letters in full (`T2`
    is flake8-print's `T20x`, but `PL` or `LO` select nothing), and pylint's own ids are
    matched only in full (`E`/`W` are pycodestyle's families in ruff, not pylint's)."""
    entry = peer(selector)
    if entry is not None:
        return (entry,)
    sel = selector.strip().upper()
    members = []
    for p in PEER_CODES:
        name = _ruff_style(p)
        if name.startswith(sel) and len(sel) >= len(_LETTERS.match(name).group()):
            members.append(p)
    return tuple(members)


def lc_codes(selectors: Iterable[str]) -> List[str]:
    """`selectors` with every peer code or family replaced by its LC codes (others kept as
    they are)."""
    out: List[str] = []
    for selector in selectors:
        members = family(selector)
        out.extend(dict.fromkeys(c for p in members for c in p.lc) if members else (selector,))
    return out


def note(selector: str) -> Optional[str]:
    """One line telling the user which LC codes a peer code or family stands for (None:
    neither)."""
    members = family(selector)
    if not members:
        return None
    lc = ", ".join(sorted({c for p in members for c in p.lc}))
    if len(members) == 1 and peer(selector) is not None:
        entry = members[0]
        return f"`{selector}` ({entry.name} in {entry.tools}) is {lc} in logcheck"
    codes = ", ".join(dict.fromkeys(_ruff_style(p) for p in members))
    return f"`{selector}` ({codes}) is {lc} in logcheck"


_PYLINT_DISABLE = re.compile(r"#\s*pylint\s*:\s*disable\s*=\s*(?P<names>[\w\-]+(?:\s*,\s*[\w\-]+)*)", re.IGNORECASE)


def pylint_disabled(line: str) -> List[str]:
    """LC codes a `# pylint: disable=...` comment on `line` turns off ([] when none)."""
    m = _PYLINT_DISABLE.search(line)
    if m is None:
        return []
    return [c for name in m.group("names").split(",") if (entry := peer(name)) for c in entry.lc]


def table_rows() -> List[Tuple[str, str, str, str]]:
    """(peer code, tools and name, LC codes, note) for the README and `logcheck rules`."""
    rows = []
    for p in PEER_CODES:
        label = f"{p.name} ({p.tools})" if p.tools != "pylint" else f"{p.name} (pylint)"
        rows.append((p.code, label, ", ".join(p.lc), p.note))
    return rows
