"""The one batched walk: every enabled rule's `visit_`/`leave_` hooks called in a single
traversal that reads the node dataclasses' fields directly (see docs/performance.md)."""

from __future__ import annotations

import functools
from typing import Callable, Dict, List, Sequence, Tuple

import libcst as cst

from logcheck.lint.context import FileContext
from logcheck.lint.rule import Rule
from logcheck.source.cst import FIELDS, IS_NODE, SEQUENCES, child_fields, is_main_guard, iter_children


@functools.lru_cache(maxsize=64)
def _hooks(rule_types: Tuple[type, ...]) -> Tuple[Tuple[type, bool, int, str], ...]:
    """(node type, is a visit, rule index, method name) for every visit_/leave_ method of
    the rules, read once per rule set rather than once per file."""
    hooks = []
    for index, rule_type in enumerate(rule_types):
        for attr in dir(rule_type):
            if attr.startswith("visit_") or attr.startswith("leave_"):
                node_type = getattr(cst, attr[6:], None)
                if node_type is None:
                    raise TypeError(f"{rule_type.__name__}.{attr}: no libcst node {attr[6:]}")
                hooks.append((node_type, attr[0] == "v", index, attr))
    return tuple(hooks)


def walk_module(ctx: FileContext, rules: Sequence[Rule]) -> None:
    visits: Dict[type, List[Callable]] = {}
    leaves: Dict[type, List[Callable]] = {}
    for node_type, is_visit, index, attr in _hooks(tuple(type(rule) for rule in rules)):
        (visits if is_visit else leaves).setdefault(node_type, []).append(getattr(rules[index], attr))

    field_names = FIELDS
    is_node = IS_NODE
    sequences = SEQUENCES
    except_type, function_types, class_type, if_type = (cst.ExceptHandler, cst.ExceptStarHandler), (cst.FunctionDef, cst.Lambda), cst.ClassDef, cst.If
    comprehension_types = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
    stateful = frozenset((*except_type, *function_types, class_type, if_type, *comprehension_types, cst.Finally))
    scope_nodes = ctx.scope_nodes

    def walk(node: cst.CSTNode) -> None:
        node_type = node.__class__
        handlers = visits.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)
        if node_type in stateful:
            _walk_stateful(node)
        else:
            names = field_names.get(node_type) or child_fields(node_type)
            for name in names:
                value = getattr(node, name)
                value_type = value.__class__
                if value_type in sequences:
                    for item in value:
                        if is_node[item.__class__]:
                            walk(item)
                elif is_node[value_type]:
                    walk(value)
        handlers = leaves.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)

    def walk_children(node: cst.CSTNode) -> None:
        for child in iter_children(node):
            walk(child)

    def _walk_stateful(node: cst.CSTNode) -> None:
        if isinstance(node, except_type):
            ctx.except_handlers.append(node)
            walk_children(node)
            ctx.except_handlers.pop()
        elif isinstance(node, function_types):
            saved, saved_finally = ctx.except_handlers, ctx.finally_blocks
            ctx.except_handlers, ctx.finally_blocks = [], []
            ctx.functions.append(node)
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
            ctx.functions.pop()
            ctx.except_handlers, ctx.finally_blocks = saved, saved_finally
        elif isinstance(node, cst.Finally):
            ctx.finally_blocks.append(len(ctx.except_handlers))
            walk_children(node)
            ctx.finally_blocks.pop()
        elif isinstance(node, class_type):
            ctx.classes.append(node)
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
            ctx.classes.pop()
        elif isinstance(node, comprehension_types):
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
        elif is_main_guard(node):
            walk(node.test)
            ctx.main_guard_depth += 1
            walk(node.body)
            ctx.main_guard_depth -= 1
            if node.orelse is not None:
                walk(node.orelse)
        else:
            walk_children(node)

    module = ctx.module
    try:
        handlers = visits.get(cst.Module)
        if handlers:
            for handler in handlers:
                handler(module)
        for index, stmt in enumerate(module.body):
            ctx.top_level_index = index
            walk(stmt)
        ctx.top_level_index = -1
        handlers = leaves.get(cst.Module)
        if handlers:
            for handler in handlers:
                handler(module)
    finally:
        # the three closures call each other, a reference cycle that holds the rules, the
        # context and the whole tree: emptied here, the tree is freed when the file is done
        # instead of when the cyclic collector next looks
        del walk, walk_children, _walk_stateful
