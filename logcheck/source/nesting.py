"""A guard against input too deeply nested for the parser, which measures real nesting.

libcst's native parser recurses on the machine stack for what truly nests (brackets, unary
and `not`, `**`, `lambda`, conditional expressions): a few thousand levels crash the whole
process with a segmentation fault, which nothing in Python can catch. Chains of operands at
one level (`a + b + ... + z`, `a.b.c`, `f()()`, `x[0][1]`, `a or b or c`) are parsed in a
loop, not recursively, yet libcst nests each operand one level deeper in the tree it builds
(left-deep, as CPython's ast), so the Python-side walk, positions and code generation
recurse once per operand; and its parse time for arithmetic and attribute/call/subscript
chains grows with the square of their length (measured with libcst 1.9 on this project's
CI machine: 400 terms 0.04 s, 800 0.22 s, 2,000 1.9 s, 5,000 25 s).

So, before a file is handed to libcst:

1. one linear scan over its text (`max_nesting`) bounds the deepest tree any statement
   could produce from above, counting every operator, dot, string literal and bracket; a
   file at or below `MAX_DEPTH` (all real code: the deepest statement of the robustness
   corpus, 1.1 million lines, estimates 34; see docs/robustness.md) goes straight on;
2. only above it, the interpreter's own parser (which guards its recursion and refuses
   200 nested brackets) builds the ast, and one iterative pass measures the real nesting,
   where continuing a chain costs no level, and the longest chain. A file is LC000 only
   when the interpreter refuses it too, when it truly nests deeper than `MAX_DEPTH`, or
   when a chain is longer than `MAX_CHAIN`; the message says which.

Below those limits a tree is at most `MAX_DEPTH + MAX_CHAIN` levels deep, and
`allow_deep_trees()` raises the interpreter's recursion limit to cover walking it.
"""

from __future__ import annotations

import ast
import re
import sys
from typing import Optional, Tuple

#: deepest real nesting handed to the parser: libcst parses this depth in a fraction of a
#: second, far below any stack limit (CPython itself refuses 200 nested brackets)
MAX_DEPTH = 300
#: longest chain of operators at one level handed to the parser: about 0.5 s of libcst's
#: quadratic parse for `+` or `.` chains (see above); CPython compiles far longer ones
MAX_CHAIN = 1000
#: Python frames per tree level that walking, positions and code generation take (libcst's
#: `_codegen` -> `_codegen_impl` per node, plus the context managers it enters)
_FRAMES_PER_LEVEL = 4
RECURSION_LIMIT = _FRAMES_PER_LEVEL * (MAX_DEPTH + MAX_CHAIN) + 1000

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
    """An upper bound of the syntax-tree depth of the deepest statement in `text`, per
    statement: every operator, keyword operator (`not and or if else lambda await in is`),
    attribute dot, string literal (adjacent literals nest) and opening bracket adds one
    level; a comma, semicolon or the end of a statement (outside brackets) starts a new
    operand at the same level; string literals and comments are skipped."""
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


def allow_deep_trees() -> None:
    """Raise the recursion limit so that a tree within the limits can be walked and
    regenerated (never lowered: it is one setting for the whole interpreter, and threads
    may be checking other files)."""
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)


#: parent types whose first operand continues the chain they are part of
_CHAINS = {ast.BinOp: "left", ast.Attribute: "value", ast.Call: "func", ast.Subscript: "value"}


def measure(tree: ast.AST) -> Tuple[int, int, int]:
    """(real nesting, operators in the longest chain, its line) of an ast, in one
    iterative pass.

    A child that continues its parent's chain (the left operand of `+` that is itself a
    `+`-style operation, the object of `.attr`, `()` or `[]` that is itself one of those)
    stays at its parent's level and lengthens the chain; every other child is one level
    deeper and starts afresh. `a or b or c` is one node in the ast but a left-deep chain
    in libcst: its operands count as a chain too."""
    deepest = longest = line = 0
    stack = [(tree, 0, 0)]
    while stack:
        node, depth, chain = stack.pop()
        if isinstance(node, ast.BoolOp):
            chain = len(node.values) - 1
        if chain > longest:
            longest, line = chain, getattr(node, "lineno", 0)
        if depth > deepest:
            deepest = depth
        link = _CHAINS.get(type(node))
        continued = getattr(node, link) if link is not None else None
        for child in ast.iter_child_nodes(node):
            if child is continued and type(child) in _CHAINS:
                stack.append((child, depth, chain + 1))
            else:
                stack.append((child, depth + 1, 1 if type(child) in _CHAINS else 0))
    return deepest, longest, line


def nesting_problem(text: str, limit: int = MAX_DEPTH, chain_limit: int = MAX_CHAIN) -> Optional[str]:
    """None, or the LC000 message for a file libcst cannot be given safely."""
    if max_nesting(text) <= limit:
        return None
    allow_deep_trees()  # the ast of a long chain is as deep as libcst's
    try:
        tree = ast.parse(text)
    except SyntaxError as err:
        return f"{type(err).__name__}: {err.msg} (line {err.lineno or 1}; the interpreter refuses it too)"
    except (RecursionError, MemoryError) as err:  # "too complex": the interpreter gives up
        reason = str(err) or "its parser's stack overflowed"
        return f"too deeply nested to parse: the interpreter's own parser gives up too ({reason})"
    except ValueError as err:
        return f"cannot parse: {err}"
    depth, chain, line = measure(tree)
    if depth > limit:
        return f"too deeply nested to parse (nesting depth {depth} > {limit})"
    if chain > chain_limit:
        return (f"too long to parse: a chain of {chain} operators at one level (line {line}; `+`, `.`, `()`, "
                f"`[]`, `or`...), more than {chain_limit}: libcst nests each operand one level deeper than the "
                f"previous one and parses such chains in time that grows with the square of their length")
    return None
