"""Name resolution for logging: "is this expression a logger, and is it the root logger",
"what does this dotted name refer to", "which name does the module logger have".

One `LoggerResolver` is built per file from a cheap statement-level pre-pass (imports and
assignments at module, class and function level; no expression walk, no libcst metadata),
and every rule asks it instead of tracking imports itself. Precision beats recall: a name
bound to something that is known not to be a logger (`log = math.log`, `def log(...)`,
`from loguru import logger`) is not a logger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

LOG_METHODS: FrozenSet[str] = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
)

from logcheck.logger_names import DEFAULT_LOGGER_NAMES  # noqa: E402,F401 (libcst-free home, for settings)

# Module roots whose objects are known not to be standard-library loggers. A conventional
# logger name bound to one of these (`from loguru import logger`, `log = math.log`) is not
# a logger for logcheck.
NON_LOGGING_ROOTS: FrozenSet[str] = frozenset(
    {"structlog", "loguru", "math", "cmath", "numpy", "np", "torch", "jax", "scipy", "sympy",
     "decimal", "tensorflow", "tf", "pandas", "pd", "mpmath", "operator"}
)

# Qualified names that produce a stdlib logger (or something with the same interface).
LOGGER_FACTORIES: FrozenSet[str] = frozenset(
    {"logging.getLogger", "logging.Logger", "logging.LoggerAdapter", "logging.getLoggerClass"}
)

ROOT, NAMED = "root", "named"

#: where a receiver comes from (see rules.md): proven a stdlib logger, or only named like one.
#: Foreign receivers (other libraries, project classes) never yield a LoggerCall.
STDLIB, UNKNOWN = "stdlib", "unknown"

#: names that `getLogger(...)` gets at module level to name the module's logger
MODULE_NAME_DUNDERS: FrozenSet[str] = frozenset({"__name__", "__file__", "__cached__", "__spec__", "__module__"})

Expr = cst.BaseExpression


def dotted_name(expr: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts: List[str] = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if isinstance(expr, cst.Name):
        parts.append(expr.value)
        return ".".join(reversed(parts))
    return None


def string_value(expr: cst.CSTNode) -> Optional[str]:
    """The value of a plain (non f-) string literal or implicit concatenation of them."""
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except Exception:  # pragma: no cover - libcst validated the literal already
            return None
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = string_value(expr.left), string_value(expr.right)
        if left is None or right is None:
            return None
        return left + right
    return None


def positional_args(call: cst.Call) -> List[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for a in call.args:
        if a.keyword is not None and a.keyword.value == name:
            return a
    return None


def has_star_args(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


@dataclass(frozen=True)
class LoggerCall:
    """A call of a logging method on a logger (or of a `logging` module function)."""

    call: cst.Call
    method: str
    #: the logger expression (`logger`, `self.log`, `logging.getLogger()`), or the
    #: `logging` module name for `logging.info(...)`, or None for `info(...)` imported
    #: from logging.
    receiver: Optional[Expr]
    is_root: bool
    #: STDLIB when the code proves the receiver is a stdlib logger, UNKNOWN when only a
    #: conventional name suggests it. Fixes that change the called method or the message
    #: format are safe only for STDLIB (`Rule.report(..., call=...)` downgrades them).
    provenance: str = STDLIB

    @property
    def proven(self) -> bool:
        return self.provenance == STDLIB

    @property
    def message_index(self) -> int:
        return 1 if self.method == "log" else 0

    @property
    def message_arg(self) -> Optional[cst.Arg]:
        """The message argument (positional, or `msg=`), None when absent or behind `*args`."""
        pos = positional_args(self.call)
        if has_star_args(self.call):
            # positional arguments after a star cannot be counted; before it they can
            first_star = next(i for i, a in enumerate(self.call.args) if a.star)
            pos = [a for a in self.call.args[:first_star] if a.keyword is None]
        if len(pos) > self.message_index:
            return pos[self.message_index]
        return keyword_arg(self.call, "msg")

    @property
    def format_args(self) -> Optional[List[cst.Arg]]:
        """Positional arguments after the message; None when `*args` makes them unknown."""
        if has_star_args(self.call):
            return None
        return positional_args(self.call)[self.message_index + 1:]

    @property
    def level_arg(self) -> Optional[cst.Arg]:
        if self.method != "log":
            return None
        pos = positional_args(self.call)
        if pos:
            return pos[0]
        return keyword_arg(self.call, "level")

    def keyword(self, name: str) -> Optional[cst.Arg]:
        return keyword_arg(self.call, name)


@dataclass(frozen=True)
class ModuleLoggerPlan:
    """How fixes that need a module logger get one: its name, and what must be inserted."""

    name: str
    insert_logger: bool
    #: name through which the inserted statement calls getLogger: `logging.getLogger`,
    #: `lg.getLogger` or `getLogger`
    factory: str
    insert_import: bool
    #: index in Module.body after which the insertion goes (-1: at the top of the body)
    anchor_index: int
    #: index in Module.body of the statement that binds an existing module logger
    binding_index: int = -1


_Body = Sequence[Union[cst.BaseStatement, cst.BaseSmallStatement]]


class LoggerResolver:
    def __init__(self, module: cst.Module, logger_names: Iterable[str] = DEFAULT_LOGGER_NAMES) -> None:
        self.module = module
        self.conventional: FrozenSet[str] = frozenset(logger_names)
        #: local name -> qualified name, for every import in the file (any scope)
        self.imports: Dict[str, str] = {}
        #: names bound to a logger: name -> ROOT/NAMED
        self.logger_bindings: Dict[str, str] = {}
        #: attribute names bound to a logger through `self.x =`/`cls.x =`/class body
        self.logger_attrs: Dict[str, str] = {}
        #: names bound to something known not to be a logger
        self.shadowed: Set[str] = set()
        self.shadowed_attrs: Set[str] = set()
        #: every name bound anywhere (to choose a free name for an inserted logger)
        self.bound_names: Set[str] = set()
        #: a `from x import *` anywhere: any name may be bound by it
        self.star_imports = False
        #: module-level name bound to `getLogger(__name__)` and the index of its statement
        self.module_logger: Optional[Tuple[str, int]] = None
        #: integer levels registered with logging.addLevelName in this module
        self._plan: Optional[ModuleLoggerPlan] = None
        self._scan_body(module.body, depth=0, in_class=False)

    # ------------------------------------------------------------------ pre-pass
    def _scan_body(self, body: _Body, depth: int, in_class: bool, top_index: Optional[int] = None) -> None:
        for index, stmt in enumerate(body):
            ti = index if depth == 0 else top_index
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._scan_small(small, depth, in_class, ti)
            elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                self._bind_other(stmt.name.value, in_class)
                if isinstance(stmt, cst.FunctionDef):
                    for p in _params(stmt.params):
                        self.bound_names.add(p)
                self._scan_suite(stmt.body, depth + 1, isinstance(stmt, cst.ClassDef), ti)
            else:
                self._scan_compound(stmt, depth, in_class, ti)

    def _scan_suite(self, suite: cst.BaseSuite, depth: int, in_class: bool, ti: Optional[int]) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self._scan_body(suite.body, depth, in_class, ti)
        elif isinstance(suite, cst.SimpleStatementSuite):
            for small in suite.body:
                self._scan_small(small, depth, in_class, ti)

    def _scan_compound(self, stmt: cst.CSTNode, depth: int, in_class: bool, ti: Optional[int]) -> None:
        if isinstance(stmt, (cst.For,)):
            for n in _target_names(stmt.target):
                self._bind_other(n, False)
        if isinstance(stmt, cst.With):
            for item in stmt.items:
                if item.asname is not None:
                    for n in _target_names(item.asname.name):
                        self._bind_other(n, False)
        for attr in ("body", "orelse", "finalbody"):
            part = getattr(stmt, attr, None)
            if part is None:
                continue
            if isinstance(part, cst.BaseSuite):
                self._scan_suite(part, depth, in_class, ti)
            elif isinstance(part, (cst.Else, cst.Finally)):
                self._scan_suite(part.body, depth, in_class, ti)
            elif isinstance(part, cst.If):  # elif
                self._scan_compound(part, depth, in_class, ti)
        for handler in getattr(stmt, "handlers", ()):
            self._scan_suite(handler.body, depth, in_class, ti)
        if isinstance(stmt, cst.Match):
            for case in stmt.cases:
                self._scan_suite(case.body, depth, in_class, ti)

    def _scan_small(self, small: cst.BaseSmallStatement, depth: int, in_class: bool, ti: Optional[int]) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                    self._bind_import(local, full)
                else:
                    root = full.split(".")[0]
                    self._bind_import(root, root)
        elif isinstance(small, cst.ImportFrom):
            if small.relative:
                module = None
            else:
                module = dotted_name(small.module) if small.module is not None else None
            if isinstance(small.names, cst.ImportStar):
                self.star_imports = True
                return
            for alias in small.names:
                name = dotted_name(alias.name) or ""
                local = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                if module is None:
                    # relative import: unknown origin, neither logger nor known non-logger
                    self.bound_names.add(local)
                    continue
                self._bind_import(local, f"{module}.{name}")
        elif isinstance(small, (cst.Assign, cst.AnnAssign)):
            value = small.value
            targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
            if value is None:
                return
            kind = self.expression_logger_kind(value) if self._may_be_logger_value(value) else None
            for target in targets:
                self._bind_target(target, value, kind, depth, in_class, ti)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression, kind: Optional[str],
                     depth: int, in_class: bool, ti: Optional[int]) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            self.bound_names.add(name)
            if kind is not None:
                self.logger_bindings[name] = kind
                if in_class:
                    self.logger_attrs[name] = kind
                if depth == 0 and kind == NAMED and self.module_logger is None and _is_module_getlogger(self, value):
                    self.module_logger = (name, ti if ti is not None else 0)
            elif self._known_non_logger(value):
                self._bind_other(name, in_class)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                and target.value.value in ("self", "cls"):
            attr = target.attr.value
            if kind is not None:
                self.logger_attrs[attr] = kind
            elif self._known_non_logger(value):
                self.shadowed_attrs.add(attr)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for n in _target_names(target):
                self.bound_names.add(n)

    def _bind_import(self, local: str, qualified: str) -> None:
        self.imports[local] = qualified
        self.bound_names.add(local)
        if qualified.split(".")[0] in NON_LOGGING_ROOTS:
            self.shadowed.add(local)

    def _bind_other(self, name: str, in_class: bool) -> None:
        self.bound_names.add(name)
        self.shadowed.add(name)
        if in_class:
            self.shadowed_attrs.add(name)

    def _may_be_logger_value(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, (cst.Call, cst.Name, cst.Attribute))

    def _known_non_logger(self, value: cst.BaseExpression) -> bool:
        """True when the value is surely not a logger: a literal, a lambda, a display, or a
        name/call from a library known not to make stdlib loggers."""
        if isinstance(value, (cst.Call, cst.Name, cst.Attribute, cst.Subscript, cst.IfExp, cst.BooleanOperation,
                              cst.Await)):
            target = value.func if isinstance(value, cst.Call) else value
            qn = self.qualified_name(target)
            return qn is not None and qn.split(".")[0] in NON_LOGGING_ROOTS
        return True

    # ------------------------------------------------------------------ queries
    def is_unbound(self, name: str) -> bool:
        """No statement of the file binds `name` and no star import may: it is a builtin
        (or undefined)."""
        return name not in self.bound_names and name not in self.imports and not self.star_imports

    def qualified_name(self, expr: cst.CSTNode) -> Optional[str]:
        """Resolve a Name/Attribute chain through the file's imports: `lg.handlers.X`
        with `import logging as lg` gives `logging.handlers.X`. Names that are not
        imported resolve to themselves (builtins, locals)."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.imports:
            base = self.imports[head]
            return f"{base}.{rest}" if rest else base
        return dotted

    def is_logging_name(self, expr: cst.CSTNode, qualified: str) -> bool:
        """Is `expr` the given logging object (e.g. `logging.FileHandler`), under any alias."""
        return self.qualified_name(expr) == qualified

    def is_logging_module(self, expr: cst.CSTNode) -> bool:
        return isinstance(expr, cst.Name) and self.imports.get(expr.value) == "logging"

    def expression_logger_kind(self, expr: cst.CSTNode) -> Optional[str]:
        """ROOT or NAMED when `expr` evaluates to a stdlib logger, else None."""
        if isinstance(expr, cst.Call):
            qn = self.qualified_name(expr.func)
            if qn == "logging.getLogger":
                return ROOT if _is_root_logger_name(expr) else NAMED
            if qn in LOGGER_FACTORIES:
                return NAMED
            # logger.getChild("x") is a logger
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "getChild":
                return NAMED if self.expression_logger_kind(expr.func.value) else None
            return None
        if isinstance(expr, cst.Name):
            name = expr.value
            if name in self.logger_bindings:
                return self.logger_bindings[name]
            if self.imports.get(name) == "logging.root":
                return ROOT
            if name in self.conventional and name not in self.shadowed:
                return NAMED
            return None
        if isinstance(expr, cst.Attribute):
            if self.qualified_name(expr) == "logging.root":
                return ROOT
            attr = expr.attr.value
            if attr in self.logger_attrs and isinstance(expr.value, cst.Name) and expr.value.value in ("self", "cls"):
                return self.logger_attrs[attr]
            if attr in self.conventional and attr not in self.shadowed_attrs:
                base = self.qualified_name(expr.value)
                if base is not None and base.split(".")[0] in NON_LOGGING_ROOTS:
                    return None
                return NAMED
        return None

    def logger_call(self, call: cst.Call) -> Optional[LoggerCall]:
        func = call.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method not in LOG_METHODS:
                return None
            receiver = func.value
            if self.is_logging_module(receiver):
                return LoggerCall(call, method, receiver, True)
            kind = self.expression_logger_kind(receiver)
            if kind is None:
                return None
            return LoggerCall(call, method, receiver, kind == ROOT, self._receiver_provenance(receiver))
        if isinstance(func, cst.Name):
            qn = self.imports.get(func.value)
            if qn is not None and qn.startswith("logging.") and qn[8:] in LOG_METHODS:
                return LoggerCall(call, qn[8:], None, True)
        return None

    def _receiver_provenance(self, expr: cst.CSTNode) -> str:
        """STDLIB unless the receiver is a logger only by its conventional name."""
        if isinstance(expr, cst.Name):
            return STDLIB if expr.value in self.logger_bindings or self.imports.get(expr.value) == "logging.root" else UNKNOWN
        if isinstance(expr, cst.Attribute):
            if self.qualified_name(expr) == "logging.root":
                return STDLIB
            own = expr.attr.value in self.logger_attrs and isinstance(expr.value, cst.Name) \
                and expr.value.value in ("self", "cls")
            return STDLIB if own else UNKNOWN
        return STDLIB

    # ------------------------------------------------------------------ module logger
    def module_logger_plan(self) -> ModuleLoggerPlan:
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> ModuleLoggerPlan:
        body = self.module.body
        anchor = _header_end(body)
        if self.module_logger is not None:
            name, index = self.module_logger
            return ModuleLoggerPlan(name, False, "", False, anchor, index)
        name = next(n for n in _candidate_names() if n not in self.bound_names and n not in self.imports)
        factory, insert_import = "logging.getLogger", True
        for stmt in body[: anchor + 1]:
            for local, qn in _top_level_imports(stmt):
                if qn == "logging" and local not in self.shadowed:
                    factory, insert_import = f"{local}.getLogger", False
                    break
                if qn == "logging.getLogger" and insert_import:
                    factory, insert_import = local, False
            if not insert_import:
                break
        if insert_import and "logging" in self.bound_names and self.imports.get("logging") != "logging":
            # `logging` is taken by something else: import under a private alias
            factory = "_logging.getLogger"
        return ModuleLoggerPlan(name, True, factory, insert_import, anchor, -1)


def _candidate_names() -> Iterator[str]:
    yield "logger"
    yield "_logger"
    yield "module_logger"
    i = 2
    while True:
        yield f"logger{i}"
        i += 1


def _is_root_logger_name(call: cst.Call) -> bool:
    pos = positional_args(call)
    arg = pos[0] if pos else keyword_arg(call, "name")
    if arg is None:
        return True
    if isinstance(arg.value, cst.Name) and arg.value.value == "None":
        return True
    return string_value(arg.value) == "root"


def _is_module_getlogger(resolver: LoggerResolver, value: cst.BaseExpression) -> bool:
    if not isinstance(value, cst.Call) or resolver.qualified_name(value.func) != "logging.getLogger":
        return False
    pos = positional_args(value)
    arg = pos[0] if pos else keyword_arg(value, "name")
    # `getLogger(__file__)` and the like are module loggers with a wrong name (LC102 fixes
    # the name); reusing them keeps a fix from adding a second module logger
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value in MODULE_NAME_DUNDERS


def _params(params: cst.Parameters) -> Iterator[str]:
    for p in (*params.posonly_params, *params.params, *params.kwonly_params):
        yield p.name.value
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star.name.value


def _target_names(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            yield from _target_names(el.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr)
            and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in stmt.body)


def _suite_is_imports(suite: cst.BaseSuite) -> bool:
    if isinstance(suite, cst.SimpleStatementSuite):
        return all(isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in suite.body)
    return all(_is_import_line(s) or _is_import_block(s) for s in suite.body)


def _is_import_block(stmt: cst.CSTNode) -> bool:
    """A top-level `try:`/`if ...:` whose every branch holds only imports (conditional
    imports, `if TYPE_CHECKING:`): part of the import header, never an insertion point."""
    if isinstance(stmt, cst.Try):
        return (_suite_is_imports(stmt.body)
                and all(_suite_is_imports(h.body) for h in stmt.handlers)
                and (stmt.orelse is None or _suite_is_imports(stmt.orelse.body))
                and (stmt.finalbody is None or _suite_is_imports(stmt.finalbody.body)))
    if isinstance(stmt, cst.If):
        if not _suite_is_imports(stmt.body):
            return False
        orelse = stmt.orelse
        if orelse is None:
            return True
        if isinstance(orelse, cst.If):
            return _is_import_block(orelse)
        return _suite_is_imports(orelse.body)
    return False


def _header_end(body: Sequence[cst.BaseStatement]) -> int:
    """Index of the last statement of the module header: docstring, `__future__` and other
    imports, and import-only conditional blocks. -1 when the module starts with code."""
    end = -1
    for i, stmt in enumerate(body):
        if (i == 0 and _is_docstring(stmt)) or _is_import_line(stmt) or _is_import_block(stmt):
            end = i
        else:
            break
    return end


def _top_level_imports(stmt: cst.CSTNode) -> Iterator[Tuple[str, str]]:
    """(local name, qualified name) for unconditional imports on a top-level line."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return
    for small in stmt.body:
        if isinstance(small, cst.Import):
            for alias in small.names:
                full = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    yield alias.asname.name.value, full
                else:
                    yield full.split(".")[0], full.split(".")[0]
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None \
                and not isinstance(small.names, cst.ImportStar):
            module = dotted_name(small.module)
            for alias in small.names:
                name = dotted_name(alias.name) or ""
                local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
                yield local, f"{module}.{name}"
