"""The house rules of docs/architecture.md, kept by a test: logcheck's packages are layers,
each module imports only from its own layer or the layers below it, and the module import
graph has no cycle. Every import counts: module level, function level (the lazy imports that
keep warm runs light) and `if TYPE_CHECKING:` blocks, since a type-only cycle is still a
tangle for a reader.

The imports are read from the source with `ast` (nothing is imported), so the test also
sees imports on paths the suite never runs."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "logcheck"

#: bottom to top; a module may import from its own layer and every layer before it
LAYERS: Tuple[str, ...] = ("base", "source", "semantics", "config_model", "settings", "lint", "rules", "workspace",
                           "interfaces")
#: top-level modules that are not packages: the shared types, and the public entry points
TOP_LEVEL: Dict[str, str] = {"logcheck": "base", "logcheck.errors": "base", "logcheck.diagnostics": "base",
                             "logcheck.flake8_plugin": "interfaces", "logcheck.__main__": "interfaces"}
MAX_MODULE_LINES = 650


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str:
    if module in TOP_LEVEL:
        return TOP_LEVEL[module]
    layer = module.split(".")[1]
    assert layer in LAYERS, f"{module}: not in a layer package; add it to docs/architecture.md and LAYERS"
    return layer


def imports_of(module: str, path: Path, known: Dict[str, Path]) -> List[Tuple[str, int]]:
    """The logcheck modules `module` imports, with line numbers."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if base != "logcheck" and not base.startswith("logcheck."):
                continue
            for alias in node.names:  # `from pkg import module` imports the module
                target = f"{base}.{alias.name}"
                found.append((target if target in known else base, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((a.name, node.lineno) for a in node.names if a.name == "logcheck" or a.name.startswith("logcheck."))
    return [(target, line) for target, line in found if target != module]


def import_graph() -> Dict[str, Set[str]]:
    known = modules()
    return {m: {t for t, _ in imports_of(m, p, known) if t in known} for m, p in known.items()}


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_import_goes_down_the_layers():
    known = modules()
    upward = []
    for module, path in known.items():
        for target, line in imports_of(module, path, known):
            if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module)):
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} ({layer_of(module)}) "
                              f"imports {target} ({layer_of(target)})")
    assert upward == []


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph()) == []


def test_no_module_is_a_room_that_holds_too_much():
    large = {m: n for m, p in modules().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert large == {}


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_cycle_finder(graph, expected):
    assert cycles(graph) == expected


def test_the_checker_sees_function_level_and_type_only_imports(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from logcheck.lint.rule import Rule\n"
                   "def f():\n    from logcheck import errors\n    from .sibling import x\n")
    known = {"logcheck.lint.rule": src, "logcheck.errors": src, "logcheck.source.sibling": src}
    assert imports_of("logcheck.source.m", src, known) == [
        ("logcheck.lint.rule", 3), ("logcheck.errors", 5), ("logcheck.source.sibling", 6)]


def test_the_architecture_page_names_every_layer():
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [layer for layer in LAYERS[1:] if f"logcheck/{layer}/" not in page]
    assert missing == []

