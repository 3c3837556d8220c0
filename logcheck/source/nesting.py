"""A cheap guard against input that is too deeply nested for the parser.

libcst's native parser recurses on the machine stack: a few thousand nested brackets,
unary operators or chained operators in one statement crash the whole process with a
segmentation fault (nothing Python can catch), and long operator chains take time
quadratic in their length (a 5,000-term `a + b + ...` takes minutes). So before a file is
handed to libcst, one linear scan over its text estimates the deepest syntax tree any
statement could produce, and a file above `MAX_DEPTH` is reported as LC000 "too deeply
nested" instead of being parsed.

The estimate is an upper bound of the real tree depth (never lower), computed per
statement: every operator, keyword operator (`not and or if else lambda await in is`),
attribute dot, string literal (adjacent literals nest) and opening bracket adds one level; a comma, semicolon or the end of a
statement (outside brackets) starts a new operand at the same level; string literals and
comments are skipped. Real code stays far below the limit (the deepest statement of the
robustness corpus, 1.1 million lines, estimates 34; see docs/robustness.md).
"""

from __future__ import annotations

import re
from typing import Optional

#: deepest estimated nesting handed to the parser: libcst parses this depth in a fraction of
#: a second, far below any stack limit, and the Python-side walk and code generation stay
#: within the default recursion limit (CPython itself refuses 200 nested brackets)
MAX_DEPTH = 300

# string literals (prefixes need no handling: they are letters, dropped as inert) and comments
_STRINGS_AND_COMMENTS = re.compile(
    r"""'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
    |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
    |'[^'\\\r\n]*(?:\\.[^'\\\r\n]*)*'
    |"[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*"
    |\#[^\r\n]*""",
    re.VERBOSE | re.DOTALL,
)
_KEYWORD_OPS = re.compile(r"\b(?:not|and|or|i[fns]|else|lambda|await)\b")
#: everything that neither nests nor separates: names, numbers, blanks, `=`, `:`, `!`
_INERT = re.compile(r"[^()\[\]{},;\r\n\\*/%@&|^~.<>+\-]+")
_CONTINUATION = re.compile(r"\\(?:\r\n|\r|\n)?")
_PIECES = re.compile(r"[(\[{]|[)\]}]|[,;]|\r\n|\r|\n|[^()\[\]{},;\r\n]+")
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")


def _string_or_comment(m: "re.Match[str]") -> str:
    return " " if m.group().startswith("#") else "~"


def max_nesting(text: str) -> int:
    """An upper bound of the syntax-tree depth of the deepest statement in `text`."""
    # reduce the text to what nests or separates (all at C speed), then walk the pieces
    # a string counts as one operator: adjacent literals nest (`"a" "b" "c"` is a chain)
    text = _STRINGS_AND_COMMENTS.sub(_string_or_comment, text)
    text = _KEYWORD_OPS.sub("~", text)
    text = _INERT.sub("", text)
    text = _CONTINUATION.sub("", text)
    stack = []
    base = 0  # levels contributed by enclosing brackets
    level = 0  # operators chained at the current bracket level since the last comma
    deepest = 0
    for piece in _PIECES.findall(text):
        first = piece[0]
        if first in _OPEN:
            level += 1
            stack.append(level)
            base += level
            level = 0
            if base > deepest:
                deepest = base
        elif first in _CLOSE:
            if stack:
                level = stack.pop()
                base -= level
        elif first == "," or first == ";":
            level = 0
        elif first == "\n" or first == "\r":
            if not stack:
                level = 0
        else:
            level += len(piece)
            if base + level > deepest:
                deepest = base + level
    return deepest


def nesting_problem(text: str, limit: int = MAX_DEPTH) -> Optional[str]:
    """None, or the LC000 message for a file too deeply nested to parse safely."""
    depth = max_nesting(text)
    if depth > limit:
        return f"too deeply nested to parse (nesting depth estimate {depth} > {limit})"
    return None
