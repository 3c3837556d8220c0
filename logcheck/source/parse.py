"""Parsing text into a libcst module, once, and the LC000 diagnostic for what cannot be parsed."""

from __future__ import annotations

import contextlib
import re
import threading

import libcst as cst

from logcheck.diagnostics import PARSE_ERROR_CODE, PARSE_ERROR_NAME, Diagnostic


def parse_error(path: str, message: str, row: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(path, PARSE_ERROR_CODE, PARSE_ERROR_NAME, message, row, col, row, col)


@contextlib.contextmanager
def unvalidated_nodes():
    """Build libcst nodes without running their `_validate()`, for trees the parser made.

    Every node's `__post_init__` re-checks invariants that the parser has just
    established (libcst's own PERF note there says as much); on real code that is ~20% of
    the parse. Worse, a few validators reject valid code (e.g. `() if 0 else(lambda:())`,
    Instagram/LibCST#1061), which would turn a valid file into an internal error. Used
    while parsing, and while fixes rebuild the parser-made ancestors of a replaced node;
    nodes that rules build are still validated when they are created, and fixed code is
    checked with `compile()` before it is written."""
    global _unvalidated_depth, _validating
    node_class = cst.CSTNode
    with _unvalidated_lock:  # the editor server builds nodes on two threads
        if _unvalidated_depth == 0:
            _validating = node_class.__dict__.get("__post_init__")
            if _validating is not None:  # a libcst without the hook: nothing to skip
                node_class.__post_init__ = _skip_validation
        _unvalidated_depth += 1
    try:
        yield
    finally:
        with _unvalidated_lock:
            _unvalidated_depth -= 1
            if _unvalidated_depth == 0 and _validating is not None:
                node_class.__post_init__ = _validating


_unvalidated_lock = threading.Lock()
#: how many `unvalidated_nodes` blocks are open (in any thread), and the hook they replaced
_unvalidated_depth = 0
_validating = None


def _skip_validation(self) -> None:
    pass


def parse_module(text: str) -> cst.Module:
    with unvalidated_nodes():
        return cst.parse_module(text)


def _parser_message(exc: cst.ParserSyntaxError) -> str:
    return f"SyntaxError: {exc.message}"


_LIBCST_AT = re.compile(r"^(?:parser|tokenizer) error: (?:error at (\d+):(\d+): )?")


def syntax_error(path: str, text: str, exc: cst.ParserSyntaxError) -> Diagnostic:
    """LC000 for a file libcst cannot parse. libcst's native parser reports column 0 and
    a position inside its message, so the interpreter's own parser is asked first: when it
    also rejects the file, its message and line:column are used (`invalid syntax`, `'(' was
    never closed`, ...); otherwise it is a limit of libcst's, said so, with libcst's message
    and the position it names."""
    try:
        compile(text, path, "exec", dont_inherit=True, flags=0x400)  # ast.PyCF_ONLY_AST
    except SyntaxError as err:
        row = err.lineno or 1
        col = err.offset or 1
        msg = err.msg or "invalid syntax"
        return parse_error(path, f"{type(err).__name__}: {msg}", max(row, 1), max(col, 1))
    except Exception:  # RecursionError, MemoryError, ValueError: fall back to libcst
        pass
    m = _LIBCST_AT.match(exc.message)
    message = exc.message[m.end():] if m else exc.message
    if m and m.group(1):
        row, col = int(m.group(1)), int(m.group(2)) + 1
    else:
        row, col = exc.raw_line, exc.raw_column + 1
    # the interpreter accepts it: a limit of libcst's (e.g. thousands of adjacent string
    # literals), said as such rather than as the user's syntax error
    return parse_error(path, f"libcst cannot parse this (Python can): {message}", max(row, 1), max(col, 1))
