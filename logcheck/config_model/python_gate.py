"""The ast gate of the configuration rules (LC5xx, and LC303's configuration levels): whether
a file may hold logging configuration at all, read from the interpreter's ast facts without
libcst (see docs/performance.md)."""

from __future__ import annotations

import ast
from typing import Set

#: the last parts of the `logging` functions and classes `_Builder.visit_call` reads
#: (handler classes all end in `Handler`)
_CONFIG_FUNCTIONS = frozenset({"basicConfig", "dictConfig", "fileConfig", "QueueListener"})


def may_hold_config(facts, settings) -> bool:
    """The ast gate of the LC5xx rules: False only when `build_model` reads nothing to
    judge from the file, which is when it has none of

    - a top-level `NAME = {...}` whose dict has a `"version"` key (a dictConfig schema);
    - a call of a `logging` (or watchtower) config function or handler class: through a
      name imported from a module that may be one of them (a relative import may be
      anything), or an attribute of such a name or of the name `logging`/`watchtower`
      as written (what `qualified_name` falls back to);
    - a call of a formatter class: any dotted or imported capitalised name ending in
      `Formatter`;
    - a call of a top-level class built on `FileHandler` (`project_file_handlers`);
    - `<expr>.setLevel(...)` on what may be the root logger.

    Every other call the model follows (`setFormatter`, `addHandler`, ...) changes
    only handlers made by such a call, and `extra=` keys only configurations."""
    if any(_is_version_dict_binding(stmt) for stmt in facts.tree.body):
        return True
    handler_classes = _module_handler_classes(facts)
    for called, call in facts.calls:
        func = call.func
        if type(func) is ast.Name:
            if func.id in handler_classes:
                return True
            targets = facts.import_targets.get(func.id)
            if targets and any(_is_config_class_or_function(name) and _may_be_logging(targets) or
                               _is_formatter_name(name) for name in facts.imported[func.id]):
                return True
        elif type(func) is ast.Attribute:
            attr = func.attr
            if _is_formatter_name(attr):
                return True
            if _is_config_class_or_function(attr) and _head_may_be_logging(func, facts):
                return True
            if attr == "setLevel" and facts.may_be_root(func.value):
                return True
    return False


def _is_config_class_or_function(name: str) -> bool:
    return name in _CONFIG_FUNCTIONS or name.endswith("Handler")


def _is_formatter_name(name: str) -> bool:
    """As `_is_formatter_class` tests the last part (not `setFormatter`)."""
    return name.endswith("Formatter") and name[:1].isupper()


def _may_be_logging(targets) -> bool:
    """Import targets of which one may be a name in `logging` or `watchtower`."""
    return any(t.startswith(".") or t.split(".", 1)[0] in ("logging", "watchtower") for t in targets)


def _head_may_be_logging(func, facts) -> bool:
    head = func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return False  # `f().X`: no dotted name, no qualified name
    return head.id in ("logging", "watchtower") or _may_be_logging(facts.import_targets.get(head.id, ()))


def _is_version_dict_binding(stmt) -> bool:
    """`NAME = {"version": ...}` at the top (what `_Builder.walk` collects as a module dict
    and `_has_version_key` tests)."""
    if type(stmt) is ast.Assign or type(stmt) is ast.AnnAssign:
        value = stmt.value
        return type(value) is ast.Dict and any(
            type(k) is ast.Constant and k.value == "version" for k in value.keys)
    return False


def _module_handler_classes(facts) -> Set[str]:
    """Names of the module's top-level classes whose every base may be `FileHandler` (its
    written name or an import's name for it is `FileHandler`, which `canonical_class`
    needs) or is such a class of the module: a superset of `project_file_handlers`, on
    the interpreter's ast."""
    def base_names(expr) -> Set[str]:
        if isinstance(expr, ast.Attribute):
            return {expr.attr}
        if isinstance(expr, ast.Name):
            return {expr.id, *facts.imported.get(expr.id, ())}
        return set()

    classes = {stmt.name: [base_names(b) for b in stmt.bases]
               for stmt in facts.tree.body if isinstance(stmt, ast.ClassDef) and stmt.bases}
    found: Set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, bases in classes.items():
            if name not in found and all("FileHandler" in names or names & found for names in bases):
                found.add(name)
                changed = True
    return found
