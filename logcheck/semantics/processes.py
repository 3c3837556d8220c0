"""The project's process model: which of its code runs once in every worker process.

A sink, handler or file opened by such code is opened once per process, each on its own
(LC702: loguru's rotating file sink under one name, rotated by every worker). What the
code proves, and nothing else, is worker code:

- the function a `multiprocessing.Process(target=f)` runs, and the `initializer=` of a
  process pool (`multiprocessing.Pool`, `concurrent.futures.ProcessPoolExecutor`): it runs
  in every child process;
- gunicorn's worker hooks (`post_fork`, `post_worker_init`) defined in a gunicorn
  configuration file (`gunicorn.conf.py`, `gunicorn_conf.py`, `gunicorn_config.py`);
- the receivers of Celery's `worker_process_init` signal (`@worker_process_init.connect`);
- the module of the application that `uvicorn.run("pkg.main:app", workers=N)` (N > 1)
  imports in every worker process it spawns;
- a module-level function of the project that such a function calls by its plain name
  (defined in the same module, or imported by name from its module), a few calls deep.

Anything else (a function passed around, a method, code that may or may not run in a
child) is not known to be worker code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from logcheck.semantics.callgraph import NamePath, ProjectCallGraph, _FileGraph
from logcheck.semantics.project import package_root
from logcheck.semantics.project_calls import ProjectCall, calls_in_project, file_imports

#: callables that start processes -> the keyword naming the function every process runs
PROCESS_STARTERS: Dict[str, str] = {
    "multiprocessing.Process": "target",
    "multiprocessing.context.Process": "target",
    "multiprocessing.Pool": "initializer",
    "multiprocessing.pool.Pool": "initializer",
    "concurrent.futures.ProcessPoolExecutor": "initializer",
    "concurrent.futures.process.ProcessPoolExecutor": "initializer",
}
#: servers that import the application module in every worker: qualified runner -> the
#: keyword that sets the number of workers
SERVER_RUNNERS: Dict[str, str] = {"uvicorn.run": "workers"}
#: signals whose receivers run in every worker process (Celery's prefork pool)
WORKER_SIGNALS = frozenset({"celery.signals.worker_process_init"})
#: gunicorn configuration files and the hooks that run in every worker
GUNICORN_CONFIG = re.compile(r"gunicorn([._-]conf(ig)?)?\.py")
GUNICORN_WORKER_HOOKS = frozenset({"post_fork", "post_worker_init"})
#: calls are followed this many levels below a worker's entry function
_MAX_DEPTH = 3


@dataclass(frozen=True)
class WorkerCode:
    #: (file, module-level function) pairs that every worker process runs
    entries: FrozenSet[Tuple[Path, str]]
    #: dotted names of the modules every worker process imports
    modules: FrozenSet[str]


def _libraries() -> Set[str]:
    return {q.split(".")[0] for q in [*PROCESS_STARTERS, *SERVER_RUNNERS]}


def worker_code(graph: ProjectCallGraph, own: _FileGraph, read: List[Path]) -> Optional[WorkerCode]:
    """The worker code of the project, the file being checked read from `own` (its
    current text); None when the project cannot be read whole."""
    entries: Set[Tuple[Path, str]] = set()
    modules: Set[str] = set()
    names = frozenset(q.rpartition(".")[2] for q in [*PROCESS_STARTERS, *SERVER_RUNNERS])
    for library in sorted(_libraries()):
        calls = calls_in_project(graph, own.path, own.tree, library, names, read)
        if calls is None:
            return None
        for call in calls:
            qualified = call.qualified
            if qualified in PROCESS_STARTERS:
                target = call.keyword(PROCESS_STARTERS[qualified])
                found = _function(graph, own, call, target) if target is not None else None
                if found is not None:
                    entries.add(found)
            elif qualified in SERVER_RUNNERS:
                module = _served_module(call, SERVER_RUNNERS[qualified])
                if module is not None:
                    modules.add(module)
    for path, data in (graph.sources() or {}).items():
        if any(signal.rpartition(".")[2].encode() in data for signal in WORKER_SIGNALS):
            parsed = own if path == own.path else graph.file(path)
            if parsed is not None:
                read.append(path)
                imports = file_imports(parsed.tree)
                for name in _signal_receivers(parsed.tree, imports):
                    found = _named_function(graph, own, path, imports, name)
                    if found is not None:
                        entries.add(found)
        if GUNICORN_CONFIG.fullmatch(path.name):
            parsed = graph.file(path)
            if parsed is not None:
                read.append(path)
                entries.update((path, hook) for hook in GUNICORN_WORKER_HOOKS if (hook,) in parsed.functions)
    return WorkerCode(frozenset(entries), frozenset(modules))


def _signal_receivers(tree: ast.Module, imports: Dict[str, str]) -> Set[str]:
    """Names of the functions connected to a worker signal at module level:
    `@worker_process_init.connect` (with or without arguments) or
    `worker_process_init.connect(f)`."""
    probe = ProjectCall(Path("-"), ast.Call(ast.Name("_"), [], []), (), imports)

    def connects(expr: ast.expr) -> bool:
        target = expr.func if isinstance(expr, ast.Call) else expr
        return isinstance(target, ast.Attribute) and target.attr == "connect" \
            and probe.resolve(target.value) in WORKER_SIGNALS

    found: Set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(connects(d) for d in node.decorator_list):
            found.add(node.name)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and connects(node.value) \
                and node.value.args and isinstance(node.value.args[0], ast.Name):
            found.add(node.value.args[0].id)
    return found


def _function(graph: ProjectCallGraph, own: _FileGraph, call: ProjectCall,
              target: ast.expr) -> Optional[Tuple[Path, str]]:
    """The module-level function of the project a plain name refers to in `call`'s file."""
    if not isinstance(target, ast.Name):
        return None
    return _named_function(graph, own, call.path, call.imports, target.id)


def _named_function(graph: ProjectCallGraph, own: _FileGraph, path: Path, imports: Dict[str, str],
                    name: str) -> Optional[Tuple[Path, str]]:
    """(file, function) of the module-level function `name` means in the file `path`:
    defined there, or imported by name from a module of the project."""
    parsed = own if path == own.path else graph.file(path)
    if parsed is not None and (name,) in parsed.functions:
        return path, name
    imported = imports.get(name)
    if imported is None:
        return None
    module, _, original = imported.rpartition(".")
    found = module_path(graph, module)
    return (found, original) if found is not None else None


def module_path(graph: ProjectCallGraph, module: str) -> Optional[Path]:
    """The project file of a dotted module name (the first found below the root)."""
    rel = module.replace(".", "/")
    for path in graph.sources() or {}:
        posix = path.as_posix()
        if posix.endswith("/" + rel + ".py") or posix.endswith("/" + rel + "/__init__.py"):
            return path
    return None


def _served_module(call: ProjectCall, workers_keyword: str) -> Optional[str]:
    """`uvicorn.run("pkg.main:app", workers=4)`: `pkg.main` (more than one worker)."""
    workers = call.keyword(workers_keyword)
    app = call.node.args[0] if call.node.args else call.keyword("app")
    if not (isinstance(workers, ast.Constant) and isinstance(workers.value, int) and workers.value > 1):
        return None
    if isinstance(app, ast.Constant) and isinstance(app.value, str) and ":" in app.value:
        return app.value.partition(":")[0]
    return None


def runs_in_every_worker(graph: ProjectCallGraph, own: _FileGraph, code: WorkerCode, path: Path,
                         module: Optional[str], where: NamePath, read: List[Path], depth: int = 0) -> bool:
    """Does the code at `where` in the file `path` (module `module`) run in every worker
    process, as far as the code proves? Module level: the module is one every worker
    imports. In a module-level function: it is an entry, or a function that is worker
    code calls it by its plain name."""
    if not where:
        return module is not None and module in code.modules
    if len(where) != 1 or depth > _MAX_DEPTH:
        return False  # a method or a nested function: not followed
    name = where[0]
    if (path, name) in code.entries:
        return True
    sites = [s for s in graph.sites(name) or () if s.path != own.path] + own.occurrences.get(name, [])
    read.extend(graph.read_for(name))
    for site in sites:
        if not site.called or len(site.where) != 1 or site.in_lambda:
            continue
        caller = own if site.path == own.path else graph.file(site.path)
        if caller is None:
            continue
        same_module = site.path == path and (name,) in caller.functions
        imported = module is not None and caller.imports.get(name) == f"{module}.{name}"
        if (same_module or imported) and runs_in_every_worker(graph, own, code, site.path,
                                                              package_root(site.path)[1], site.where, read,
                                                              depth + 1):
            return True
    return False


__all__ = ["WorkerCode", "worker_code", "runs_in_every_worker", "module_path"]
