"""Searches of a file's bytes for an identifier, without parsing it: the project-wide
questions (the call graph, which functions are program code) read only the files whose
bytes could hold an answer, so each search here finds every file that can (a superset),
and is cheap enough to run over a whole project."""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

WORD = re.compile(rb"\w+")
#: where an import statement's text may end or be continued: a comment (which may hold a
#: parenthesis), a parenthesis, a backslash continuation, a line end
_IMPORT_STOP = re.compile(rb"[#()\\\n]")
_IMPORT = re.compile(rb"\bimport\b")


def word_search(word: str, called: bool = True) -> Callable[[bytes], bool]:
    """Does a text hold `word` as a whole word (not inside a longer one); with `called`
    False, only where it is not followed by `(` (a reference, not a call)? The pattern starts
    with the word's letters, which `re` searches for fast; the byte before is checked here (a
    look-behind first would make `re` try every position)."""
    tail = re.compile(re.escape(word.encode()) + (rb"(?!\w)" if called else rb"(?!\w)(?!\s*\()"))

    def holds(text: bytes) -> bool:
        for match in tail.finditer(text):
            if _starts_word(text, match.start()):
                return True
        return False

    return holds


#: what may be each import statement of a text (`import_statements`)
ImportStatements = Tuple[Tuple[bytes, bytes], ...]


def import_statements(text: bytes) -> ImportStatements:
    """(what comes before the `import` keyword, what comes after it) of what may be each
    import statement of a text: from its logical line's start to its end, through
    parentheses and backslash continuations, past comments. Every import statement is one;
    an `import` in a string or a comment only adds text to look in."""
    found = []
    for keyword in _IMPORT.finditer(text):
        start = _line_start(text, keyword.start())
        found.append((text[start:keyword.start()], text[keyword.end():_statement_end(text, keyword.end())]))
    return tuple(found)


def imports_word(statements: ImportStatements, word: str) -> bool:
    """Does one of the `statements` hold `word` as a whole word?"""
    data = word.encode()
    inside = None
    for head, names in statements:
        if data in names or data in head:
            inside = inside or word_search(word)
            if inside(names) or inside(head):
                return True
    return False


def import_aliases(statements: ImportStatements, word: str) -> List[str]:
    """The names `statements` import `word` as (`word as alias`: each `alias`)."""
    # up to a delimiter, not `\w+`: an identifier may be non-ASCII
    alias = re.compile(rb"(?<![\w.])" + re.escape(word.encode()) + rb"\s+as\s+([^\s,()#;\\]+)")
    return [found.decode("utf-8", "surrogateescape") for _, names in statements for found in alias.findall(names)]


def _line_start(text: bytes, at: int) -> int:
    """The start of the logical line going on at `at` (back over backslash continuations)."""
    start = text.rfind(b"\n", 0, at) + 1
    while start and _continued(text, start):
        start = text.rfind(b"\n", 0, start - 1) + 1
    return start


def _statement_end(text: bytes, at: int) -> int:
    """The end of the logical line going on at `at`: the first line end outside parentheses
    and not continued by a backslash (comments skipped)."""
    depth = 0
    while True:
        stop = _IMPORT_STOP.search(text, at)
        if stop is None:
            return len(text)
        char, at = text[stop.start()], stop.end()
        if char == 0x23:  # `#`: to the line end, which the next search finds
            line_end = text.find(b"\n", at)
            at = len(text) if line_end < 0 else line_end
        elif char == 0x28:
            depth += 1
        elif char == 0x29:
            depth = max(depth - 1, 0)
        elif char == 0x5C:  # a backslash: the line end after it (also `\r\n`) continues
            if text[at:at + 1] == b"\r":
                at += 1
            if text[at:at + 1] == b"\n":
                at += 1
        elif depth == 0:
            return stop.start()


#: a line whose first byte is not indentation, a line end or a comment: at column 0, a
#: statement of the module, or text inside brackets or a string that spans lines (a form
#: feed, which Python's indentation ignores, makes one too: it is then not a definition)
_TOP_LINE = re.compile(rb"^[^ \t\r\n#]", re.MULTILINE)
_DEFINITION = re.compile(rb"(?:async[ \t]+def|def|class)\b")
_IMPORT_LINE = re.compile(rb"(?:import|from)\b")
#: what can carry text across lines other than brackets: a string or a continuation; and a
#: lone `\r`, a line end that `^` does not see
_SPANS_LINES = re.compile(rb"\"\"\"|\'\'\'|\\\r?\n|\r(?!\n)")


def top_lines(text: bytes) -> List[int]:
    """Where each line that starts with code at column 0 starts, in order."""
    return [match.start() for match in _TOP_LINE.finditer(text)]


def only_in_definitions(text: bytes, word: str, tops: Sequence[int]) -> bool:
    """Is every occurrence of `word` (a whole word) certainly inside a top-level `def` or
    `class` (its header or body) or an import statement? Read from the text alone: the
    nearest line at or before the occurrence that starts at column 0 (`tops`, from
    `top_lines`) starts with `def`, `async def`, `class`, `import` or `from`; it does not
    continue the line before (a backslash); and nothing between its start and the
    occurrence can carry text across lines (a triple quote, a backslash continuation), nor,
    after an import, start another statement (`;`). That line is then a statement of the
    module and not text inside a string (a keyword cannot start a line inside brackets), and
    the lines after it up to the occurrence are its own (indented, or inside its brackets).
    Anything else (a decorator, text before the first line at column 0) may be other
    module-level code: False."""
    data = word.encode("utf-8", "surrogateescape")
    at = text.find(data)
    while at >= 0:
        end = at + len(data)
        if _starts_word(text, at) and not WORD.match(text, end):
            i = bisect_right(tops, at) - 1
            if i < 0:
                return False
            top = tops[i]
            if _IMPORT_LINE.match(text, top):
                if text.find(b";", top, at) >= 0:
                    return False
            elif not _DEFINITION.match(text, top):
                return False
            if _SPANS_LINES.search(text, top, at) or _continued(text, top):
                return False
        at = text.find(data, end)
    return True


def _continued(text: bytes, line: int) -> bool:
    """Does the line starting at `line` continue the one before (a backslash before its end)?"""
    before = line - 2
    if before >= 0 and text[before] == 0x0D:
        before -= 1
    return before >= 0 and text[before] == 0x5C


def _starts_word(text: bytes, start: int) -> bool:
    return start == 0 or not WORD.match(text, start - 1)


#: every byte that is not an ASCII word byte (`WORD`'s) -> a space: a text's words are then
#: what `split()` gives, made in C (twice as fast as `WORD.findall`)
_WORDS_ONLY = bytes(c if chr(c).isascii() and (chr(c).isalnum() or c == 0x5F) else 0x20 for c in range(256))


def word_index(sources: Dict[Path, bytes]) -> Dict[bytes, List[Path]]:
    """Each ASCII word (a run of letters, digits and `_`) of the sources -> the files that hold it."""
    index: Dict[bytes, List[Path]] = {}
    for path, text in sources.items():
        for word in set(text.translate(_WORDS_ONLY).split()):
            index.setdefault(word, []).append(path)
    return index


__all__ = ["WORD", "ImportStatements", "import_aliases", "import_statements", "imports_word", "only_in_definitions",
           "top_lines", "word_index", "word_search"]
