"""What kind of value a name holds, where the code shows it: a number, a bool, an enum
member, a count, a fresh `uuid4()`. LC601 asks it: a `session_id` that is an int, a
`borrowed_tokens` counter or an `api_key` that is a wire protocol's request-type number
holds no secret, whatever its name says.

A name *shows a plain value* when every binding the name has where it is used (assignments,
augmented assignments, parameters; `x = None` and `del x` say nothing) gives one of them:

- a number or `True`/`False`, a comparison, `not ...`, arithmetic with a number
  (`count + 1`), `len(...)`, `int(...)`, `bool(...)`, `float(...)`, `hash(...)`, `id(...)`;
- `uuid.uuid4()` (or `uuid1`), also as `str(uuid4())` or `uuid4().hex`: a fresh random
  identifier, not a credential anyone issued;
- a member of an enum class of the file (`Kind.API_KEY` where `class Kind(IntEnum)`);
- another name that shows a plain value (a protocol constant: `API_KEY = 18`);
- `x += 1` (any augmented assignment of a number): a count;
- an annotation `int`, `float`, `bool` (on an assignment or a parameter), or a parameter
  whose default is a number or a bool.

Anything else (a call, a parameter without annotation, a loop target, an imported name) is
not shown: the name may hold anything, and the rule goes by its name.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Set

import libcst as cst

from logcheck.semantics.scopes import ASSIGN, DEFINITION, DELETE, OTHER, PARAM, Binding, Scope

_NUMBER_CALLS = frozenset({"len", "int", "bool", "float", "hash", "id", "round", "abs", "ord"})
_UUID_CALLS = frozenset({"uuid.uuid4", "uuid.uuid1", "uuid4", "uuid1"})
_PLAIN_ANNOTATIONS = frozenset({"int", "float", "bool"})
_ENUM_BASES = ("Enum", "Flag")


def shows_plain_value(sem, expr: cst.BaseExpression, scopes: Sequence[Scope]) -> bool:
    """Does the code show that `expr` (a name, or `self.attr`) holds a plain value?"""
    return _expr_plain(sem, expr, scopes, set())


def _expr_plain(sem, expr: cst.BaseExpression, scopes: Sequence[Scope], seen: Set[int]) -> bool:
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False"):
            return True
        return _bindings_plain(sem, sem.resolve_name(expr.value, scopes), seen)
    if isinstance(expr, cst.Attribute):
        base = expr.value
        if isinstance(base, cst.Name) and base.value in ("self", "cls"):
            cls = sem.table.class_of_method(scopes)
            if cls is None:
                return False
            bindings = list(cls.bindings.get(expr.attr.value, ())) + list(cls.attributes.get(expr.attr.value, ()))
            return _bindings_plain(sem, bindings, seen)
        if isinstance(base, cst.Name) and _is_enum_class(sem, base.value, scopes):
            return True
        if expr.attr.value == "hex" and isinstance(base, cst.Call):
            return _value_plain(sem, base, scopes, seen)  # `uuid4().hex`
        return False
    return False


def _bindings_plain(sem, bindings: List[Binding], seen: Set[int]) -> bool:
    shown = False
    for b in bindings:
        if id(b) in seen:
            return False  # `a = b; b = a`: not shown
        seen.add(id(b))
        value = b.value
        if b.kind == DELETE or (b.kind == ASSIGN and isinstance(value, cst.Name) and value.value == "None"):
            continue
        if b.annotation is not None and _plain_annotation(b.annotation):
            shown = True
            continue
        scopes = sem.scopes_of(b.home)
        if b.kind == ASSIGN and value is not None and _value_plain(sem, value, scopes, seen):
            shown = True
        elif b.kind == PARAM and value is not None and _number_literal(value):
            shown = True
        elif b.kind == OTHER and isinstance(b.node, cst.AugAssign) and _value_plain(sem, b.node.value, scopes, seen):
            shown = True  # `count += 1`
        else:
            return False
    return shown


def _value_plain(sem, value: cst.BaseExpression, scopes: Sequence[Scope], seen: Set[int]) -> bool:
    if _number_literal(value) or isinstance(value, cst.Comparison):
        return True
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.operator, cst.Not) or _value_plain(sem, value.expression, scopes, seen)
    if isinstance(value, cst.BinaryOperation):
        return any(_number_literal(side) for side in (value.left, value.right)) \
            or all(_value_plain(sem, side, scopes, seen) for side in (value.left, value.right))
    if isinstance(value, cst.Call):
        called = sem.qualified_name(value.func, scopes)
        if called in _UUID_CALLS:
            return True
        if isinstance(value.func, cst.Name) and value.func.value in _NUMBER_CALLS and sem.table.lookup(
                value.func.value, scopes)[0] is None:
            return True
        if isinstance(value.func, cst.Name) and value.func.value == "str" and len(value.args) == 1:
            inner = value.args[0].value
            return isinstance(inner, cst.Call) and sem.qualified_name(inner.func, scopes) in _UUID_CALLS
        return False
    if isinstance(value, (cst.Name, cst.Attribute)):
        return _expr_plain(sem, value, scopes, seen)
    return False


def _number_literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, (cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        return _number_literal(value.expression)
    return isinstance(value, cst.Name) and value.value in ("True", "False")


def _plain_annotation(annotation: cst.BaseExpression) -> bool:
    return isinstance(annotation, cst.Name) and annotation.value in _PLAIN_ANNOTATIONS


def _is_enum_class(sem, name: str, scopes: Sequence[Scope]) -> bool:
    """`name` is a class of the file whose bases name an enum (`Enum`, `IntEnum`, `Flag`,
    `enum.IntFlag`)."""
    bindings = sem.resolve_name(name, scopes)
    if not bindings or not all(b.kind == DEFINITION and isinstance(b.node, cst.ClassDef) for b in bindings):
        return False
    for b in bindings:
        bases = [_tail(arg.value) for arg in b.node.bases]
        if not any(base is not None and base.endswith(_ENUM_BASES) for base in bases):
            return False
    return True


def _tail(expr: cst.BaseExpression) -> Optional[str]:
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return expr.value if isinstance(expr, cst.Name) else None
