"""The exact byte pre-check: can any of the enabled rules report anything in this file?

Each rule declares `needles`: texts of which at least one must occur in a file for the
rule to be able to report there. A file that holds none of the enabled rules' needles is
neither decoded nor parsed (libcst's parse is most of a run's cost). It is a proof, not a
heuristic: a needle names what the rule's own logic needs to see, so a rule never fires
without it (`tests/test_precheck.py` checks this on every example and held-in case, and
`bench/bench.py --verify-precheck` on the real corpus).

Three kinds of needle:

- `word("print")`: an identifier, matched only as a whole word. A rule that resolves a
  name (`print`, `logging`, `dictConfig`, a logger name) can only meet it where the name
  is written as a token: `\\bprint\\b` does not match `blueprint` or `printf`, which the
  plain substring did (a conventional logger name `log` is in `catalog`, `dialog`, `blog`).
- `literal(b"Formatter")`: a substring (a suffix of class names like `JsonFormatter`).
- `pattern(rb"...", b"sample")`: a regular expression (the bare `except:` clause).

A rule may add an `ast_gate(facts, settings)`: a test on the facts of the interpreter's
ast (`logcheck.source.astfacts`, gathered in one pass per file; that ast is about nine times
cheaper than libcst's parse) that is False only when the rule certainly reports nothing.
Every built-in rule has one: the logger-call shapes its trigger needs, the calls of the
output functions (LC401-LC403), what the configuration model reads (LC5xx,
`config_model.python.may_hold_config`). A file that only gated rules' needles let
through is parsed with libcst only if a gate says yes.

Import-free of libcst, so a skipped file costs a few regex searches.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence, Set, Tuple, Type

_WORD_CHAR = re.compile(rb"\w")


@dataclass(frozen=True)
class Needle:
    """Text of which one (of a rule's needles) must occur for the rule to report."""

    #: regular expression (bytes) for the words and patterns; None for a literal
    regex: Optional[bytes]
    #: the text itself for a literal; for the others a shortest text that matches
    sample: bytes
    #: an identifier, matched as a whole word
    is_word: bool = False


def literal(text: bytes) -> Needle:
    return Needle(None, text)


def word(name: str) -> Needle:
    """`name` where it is a whole identifier (ASCII word boundaries: a non-ASCII letter
    next to it counts as a boundary, so such a file is parsed, never skipped)."""
    text = name.encode("ascii")
    start = rb"\b" if _WORD_CHAR.match(text[:1]) else b""
    end = rb"\b" if _WORD_CHAR.match(text[-1:]) else b""
    return Needle(start + re.escape(text) + end, text, is_word=True)


def pattern(regex: bytes, sample: bytes) -> Needle:
    return Needle(regex, sample)


#: what rules with `uses_logger_calls` need besides the configured logger names: the
#: standard library, and the libraries of the other logger families (`semantics.families`:
#: `structlog.get_logger().info(...)` names no logger)
LOGGING = word("logging")
FAMILY_LIBRARIES = (word("loguru"), word("structlog"), word("aws_lambda_powertools"))


class _Matcher:
    """One compiled search for a set of needles: substring tests for the literals, one
    regular expression for the rest (the words in one group: one boundary test per
    position, not one per word)."""

    def __init__(self, needles: Iterable[Needle]) -> None:
        #: deduplicated, literals first, in a stable order
        self.needles = tuple(sorted(set(needles), key=lambda n: (n.regex is not None, n.sample)))
        needles = self.needles
        self.literals = tuple(n.sample for n in needles if n.regex is None)
        words = sorted((n.sample for n in needles if n.is_word and n.regex.startswith(rb"\b")
                        and n.regex.endswith(rb"\b")), key=lambda w: (-len(w), w))
        others = [n.regex for n in needles if n.regex is not None and n.sample not in words]
        parts = ([rb"\b(?:" + b"|".join(re.escape(w) for w in words) + rb")\b"] if words else []) + others
        self.regex = re.compile(b"|".join(parts)) if parts else None

    def search(self, data: bytes) -> bool:
        return any(text in data for text in self.literals) or (
            self.regex is not None and self.regex.search(data) is not None)


class Precheck:
    """The needles of a set of rules, compiled: `may_match(data)` is False only when no
    rule of the set can report anything in `data`."""

    def __init__(self, needles: Optional[Iterable[Needle]], ungated: Iterable[Needle] = (),
                 gates: Tuple[Callable, ...] = ()) -> None:
        self._all = _Matcher(needles or ())
        #: None: some rule has no needles, every file is parsed
        self.needles: Optional[Tuple[Needle, ...]] = None if needles is None else self._all.needles
        #: the `ast_gate`s of the rules that have one, and the needles of the other rules
        self.gates = gates if self.needles is not None else ()
        self._ungated = _Matcher(ungated) if self.gates else self._all

    def may_match(self, data: bytes) -> bool:
        """False only when the file certainly holds none of the needles. The needles are
        ASCII, so their absence from the bytes proves their absence from the text only when
        the file's encoding writes ASCII as ASCII: a file declaring any other encoding
        (UTF-7, UTF-16, EBCDIC code pages ...) is always parsed."""
        if self.needles is None or self._all.search(data):
            return True
        return not _ascii_superset_encoding(data)

    def gated_only(self, data: bytes) -> bool:
        """For data that `may_match`: True when only rules with an `ast_gate` can report
        in it (no other rule's needles occur); then the gates decide whether it is parsed."""
        return bool(self.gates) and not self._ungated.search(data) and _ascii_superset_encoding(data)


def precheck_for(rules: Sequence[Type], logger_names: Iterable[str]) -> Precheck:
    """The pre-check of `rules` (Rule subclasses) with the configured logger names."""
    return _precheck_for(tuple(rules), tuple(logger_names))


def _needles_of(rule: Type, logger_names: Tuple[str, ...]) -> Set[Needle]:
    needles = set(rule.needles)
    if rule.uses_logger_calls:
        needles.add(LOGGING)
        needles.update(FAMILY_LIBRARIES)
        needles.update(word(name) for name in logger_names)
    return needles


@functools.lru_cache(maxsize=64)
def _precheck_for(rules: Tuple[Type, ...], logger_names: Tuple[str, ...]) -> Precheck:
    if any(not rule.needles and not rule.uses_logger_calls for rule in rules):
        return Precheck(None)
    needles: Set[Needle] = set()
    ungated: Set[Needle] = set()
    gates = []
    for rule in rules:
        own = _needles_of(rule, logger_names)
        needles |= own
        if rule.ast_gate is None:
            ungated |= own
        else:
            gates.append(rule.ast_gate)
    return Precheck(needles, ungated, tuple(gates))


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.M)
#: encodings (as `codecs.lookup(...).name`) in which every ASCII character is its ASCII
#: byte and no other byte sequence decodes to an ASCII letter, digit or `_`
_ASCII_SUPERSETS = frozenset(
    ["utf-8", "utf-8-sig", "ascii", "latin-1", "iso8859-1"] + [f"iso8859-{i}" for i in range(2, 17)]
    + [f"cp125{i}" for i in range(9)] + ["koi8-r", "koi8-u", "mac-roman", "cp437", "cp850"]
)


def _ascii_superset_encoding(data: bytes) -> bool:
    """True when the source's declared encoding (PEP 263: a `coding` comment in the first
    two lines; none means UTF-8) is one of _ASCII_SUPERSETS."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    head = data if second < 0 else data[:second]
    if b"coding" not in head:
        return True
    m = _CODING.search(head)
    if m is None:
        return True
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return False
    return name in _ASCII_SUPERSETS
