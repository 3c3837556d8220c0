"""Reading libcst trees without rebuilding them: a node's semantic children, and the
few node shapes every layer asks about (`if __name__ == "__main__"`, comments)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Dict, Tuple

import libcst as cst

# Fields that hold only whitespace, comments or punctuation: never walked.
_SKIPPED_FIELDS = frozenset({
    "lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "comma",
    "semicolon", "colon", "equal", "dot", "trailing_whitespace", "newline", "indent",
    "whitespace_before", "whitespace_after", "whitespace_after_func", "whitespace_before_args",
    "whitespace_before_colon", "whitespace_after_colon", "whitespace_after_star",
    "whitespace_after_arg", "whitespace_after_assert", "whitespace_after_at",
    "whitespace_after_class", "whitespace_after_def", "whitespace_after_name",
    "whitespace_before_params", "whitespace_after_import", "whitespace_before_import",
    "whitespace_after_from", "whitespace_after_as", "whitespace_before_as", "whitespace_after_del",
    "whitespace_after_return", "whitespace_after_raise", "whitespace_after_global",
    "whitespace_after_nonlocal", "whitespace_after_if", "whitespace_after_in",
    "whitespace_after_lambda", "whitespace_after_for", "whitespace_before_in",
    "whitespace_before_if", "whitespace_after_while", "whitespace_after_with",
    "whitespace_before_from", "whitespace_after_await", "whitespace_after_match",
    "whitespace_after_case", "whitespace_after_type", "whitespace_after_except",
    "whitespace_before_walrus", "whitespace_after_walrus", "whitespace_after_cls",
    "whitespace_after_indicator", "whitespace_before_expression", "whitespace_after_expression",
    "whitespace_before_value", "whitespace_after_param", "whitespace_after_elif",
    "whitespace_after_else", "whitespace_after_try", "whitespace_after_finally",
    "whitespace_after_yield", "whitespace_after_async", "whitespace_before_else",
    "whitespace_after_print", "whitespace_after_global", "asynchronous", "operator",
    "open_bracket", "close_bracket", "lbrace", "rbrace", "lbracket", "rbracket", "star_tok",
})


FIELDS: Dict[type, Tuple[str, ...]] = {}


def child_fields(node_type: type) -> Tuple[str, ...]:
    names = FIELDS.get(node_type)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(node_type) if f.name not in _SKIPPED_FIELDS)
        FIELDS[node_type] = names
    return names


class _NodeTypes(dict):
    """type -> is it a libcst node. `isinstance(x, cst.CSTNode)` goes through ABCMeta's
    Python-level `__instancecheck__` for every value that is not a node (it was a tenth
    of the cold path's time); a dict lookup on the value's class is a C call."""

    def __missing__(self, value_type: type) -> bool:
        is_node = issubclass(value_type, cst.CSTNode)
        self[value_type] = is_node
        return is_node


IS_NODE = _NodeTypes()


SEQUENCES = (list, tuple)


def iter_children(node: cst.CSTNode):
    """The semantic children of a node, in field order, without rebuilding anything."""
    is_node = IS_NODE
    for name in child_fields(node.__class__):
        value = getattr(node, name)
        value_type = value.__class__
        if value_type in SEQUENCES:
            for item in value:
                if is_node[item.__class__]:
                    yield item
        elif is_node[value_type]:
            yield value


def is_main_guard(node: cst.If) -> bool:
    return _is_main_test(node.test)


def _is_main_test(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`, alone or as a term of an `and`
    (`if sys.platform != "win32" and __name__ == "__main__":`)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _is_main_test(test.left) or _is_main_test(test.right)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return False
    sides = (test.left, comp.comparator)
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


def replacement_code(node) -> str:
    """The code a fix's replacement writes: a node, several statements (a FlattenSentinel)
    or none (a RemovalSentinel)."""
    if isinstance(node, cst.FlattenSentinel):
        return "".join(replacement_code(n) for n in node.nodes)
    if isinstance(node, cst.RemovalSentinel):
        return ""
    return _EMPTY_MODULE.code_for_node(node)


_EMPTY_MODULE = cst.Module([])


def comments_in(node: cst.CSTNode) -> Counter:
    """The comments inside a node, whitespace fields included."""
    found: Counter = Counter()
    if isinstance(node, cst.FlattenSentinel):
        stack = list(node.nodes)
    else:
        stack = [node] if isinstance(node, cst.CSTNode) else []  # RemovalSentinel
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            found[current.value.strip()] += 1
            continue
        for f in dataclasses.fields(current):
            value = getattr(current, f.name)
            if isinstance(value, cst.CSTNode):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, cst.CSTNode))
    return found


#: the part of a comment that directs a tool and gives no reason (`# pragma: no cover`,
#: `# type: ignore[misc]`, `# noqa: T201`, `# pylint: disable=print-statement`), up to the next `#`
TOOL_DIRECTIVE = re.compile(r"#\s*(?:pragma:|type:|fmt:|isort:|nosec\b|noqa\b|pylint:|mypy:|pyright:|ruff:)[^#]*",
                            re.IGNORECASE)


def comment_reason(comment: str) -> str:
    """What a comment says besides tool directives (`# noqa: T201  # shown to the user` ->
    "shown to the user"); empty when it only directs tools."""
    return TOOL_DIRECTIVE.sub("", comment).replace("#", " ").strip()
