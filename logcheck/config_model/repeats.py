"""Does a function run more than once? For LC511 (a handler added on every call duplicates
output only when there is more than one call), judged on what the code shows: the calls
of the file, and the calls the project call graph sees in other modules that import the
function by name (`semantics/callgraph.py`).

The facts (`FunctionFacts`, `CallPlace`) are gathered from the module by `function_facts`;
the judgement is the small pure function `runs_more_than_once`, true only when shown:

- an entry point (`main()`, a click/typer command) runs once;
- counting only the calls not under a flag or handler check: a call in a loop, more than
  one call, or a call from a function that itself is shown to run more than once;
- a method, a function no module is seen calling, and one whose name is used other than in
  a call (a callback: `atexit.register(setup)`) may run any number of times, but nothing
  shows it: not reported (unknown is not "more than once").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set

import libcst as cst

#: decorators that make a function a command-line entry point (`@click.command()`,
#: `@app.command()`, `@cli.group()`)
ENTRY_DECORATORS = frozenset({"command", "group"})
ENTRY_NAMES = frozenset({"main", "_main"})
#: bodies that may run any number of times (a lambda is a callback)
_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Lambda)
#: a caller chain is followed this deep (recursion, deep chains: not shown)
_MAX_DEPTH = 8


@dataclass(frozen=True, eq=False)
class CallPlace:
    in_loop: bool = False
    #: the function whose body holds the call; None: module level or the `__main__` guard
    caller: Optional["FunctionFacts"] = None
    #: under an `if` that checks a flag it sets, or the existing handlers
    guarded: bool = False


@dataclass(eq=False)
class FunctionFacts:
    name: str
    method: bool = False
    entry_point: bool = False
    calls: List[CallPlace] = field(default_factory=list)
    #: the name is used other than in a call (passed on, stored): called any number of times
    referenced: bool = False


def runs_more_than_once(fn: FunctionFacts, elsewhere: Sequence[CallPlace] = (), depth: int = 0) -> bool:
    """`elsewhere`: the calls other modules make (the project call graph's)."""
    if fn.entry_point or depth > _MAX_DEPTH:
        return False
    counted = [c for c in fn.calls if not c.guarded] + list(elsewhere)
    if len(counted) > 1:
        return True
    return any(c.in_loop or (c.caller is not None and runs_more_than_once(c.caller, (), depth + 1)) for c in counted)


def _decorator_tail(dec: cst.Decorator) -> Optional[str]:
    expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _assigned_names(node: cst.CSTNode, iter_children) -> Set[str]:
    out: Set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.AssignTarget) and isinstance(n.target, cst.Name):
            out.add(n.target.value)
        stack.extend(iter_children(n))
    return out


def _checks_flag_or_handlers(test: cst.BaseExpression, body: cst.CSTNode, iter_children) -> bool:
    """An `if` test that reads a name the body assigns (`if not _configured: ...;
    _configured = True`) or looks at existing handlers."""
    assigned = _assigned_names(body, iter_children)
    stack: List[cst.CSTNode] = [test]
    while stack:
        n = stack.pop()
        if isinstance(n, cst.Name) and (n.value in assigned or n.value == "hasHandlers"):
            return True
        if isinstance(n, cst.Attribute) and n.attr.value in ("handlers", "hasHandlers"):
            return True
        stack.extend(iter_children(n))
    return False


def function_facts(module: cst.Module) -> Dict[int, FunctionFacts]:
    """FunctionFacts of every function in the module, by `id()` of its FunctionDef; calls
    are matched by plain name (`setup()`), which is what a module does with its own
    functions."""
    from logcheck.source.cst import is_main_guard, iter_children

    facts: Dict[int, FunctionFacts] = {}
    by_name: Dict[str, List[FunctionFacts]] = {}
    calls: List[tuple] = []  # (name, in a loop, caller node, guarded)
    references: Set[str] = set()

    def walk(node: cst.CSTNode, function, in_class: bool, loops: int, guarded: bool) -> None:
        if isinstance(node, cst.FunctionDef):
            fn = FunctionFacts(node.name.value, method=in_class,
                               entry_point=node.name.value in ENTRY_NAMES
                               or any(_decorator_tail(d) in ENTRY_DECORATORS for d in node.decorators))
            facts[id(node)] = fn
            by_name.setdefault(fn.name, []).append(fn)
            for child in iter_children(node):
                if child is not node.name:
                    walk(child, node, False, 0, False)
            return
        if isinstance(node, cst.ClassDef):
            for child in iter_children(node.body):
                walk(child, function, True, loops, guarded)
            return
        if isinstance(node, cst.Name):
            references.add(node.value)
            return
        if isinstance(node, cst.Attribute):  # `obj.setup` is not the module's `setup`
            walk(node.value, function, in_class, loops, guarded)
            return
        if isinstance(node, cst.Arg):  # nor is the keyword of `f(setup=...)`
            walk(node.value, function, in_class, loops, guarded)
            return
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            calls.append((node.func.value, loops > 0, function, guarded))
            for arg in node.args:
                walk(arg, function, in_class, loops, guarded)
            return
        if isinstance(node, cst.If) and not is_main_guard(node) \
                and _checks_flag_or_handlers(node.test, node.body, iter_children):
            walk(node.test, function, in_class, loops, guarded)
            walk(node.body, function, in_class, loops, True)
            if node.orelse is not None:
                walk(node.orelse, function, in_class, loops, guarded)
            return
        inner = loops + 1 if isinstance(node, _LOOPS) else loops
        for child in iter_children(node):
            walk(child, function, in_class, inner, guarded)

    for stmt in module.body:
        walk(stmt, None, False, 0, False)
    for name, in_loop, caller, guarded in calls:
        for fn in by_name.get(name, ()):
            fn.calls.append(CallPlace(in_loop, facts.get(id(caller)) if caller is not None else None, guarded))
    for name in references:
        for fn in by_name.get(name, ()):
            fn.referenced = True
    return facts


__all__ = ["CallPlace", "FunctionFacts", "function_facts", "runs_more_than_once"]
