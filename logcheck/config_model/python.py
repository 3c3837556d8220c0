"""The Python reader: the logging configuration a module writes, read from its CST once
(`build_model(ctx)`, memoised per file as "config-model" and shared by every LC5xx rule).

Sources: `basicConfig(...)`; `dictConfig(X)` with a dict literal or a name bound to one;
module-level dict literals holding the dictConfig schema (Django `LOGGING`, gunicorn
`logconfig_dict`, uvicorn `LOGGING_CONFIG`); `fileConfig("path")` (followed to the file);
handlers and formatters built in code with `setFormatter`/`setLevel`/`addHandler`.

The reader walks the module with `source.cst.iter_children` (no libcst visitor, no metadata)
and resolves names through `ctx.loggers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from logcheck.config_model.dictconfig import format_error, is_dictconfig, read_dictconfig
from logcheck.config_model.context_fields import (assignment_supplies, call_supplies, deployments_supply,
                                                  import_supplies, structlog_supplies)
from logcheck.config_model.model import (FILE, FILE_HANDLER, HANDLER_KINDS, STDERR, STREAM_HANDLER, Config,
                                         FormatterDef, HandlerDef, LDict, LList, Loc, LoggerDef, LScalar, LUnknown,
                                         LVal, Problem, canonical_class, destination_kind)
from logcheck.semantics.levels import LEVEL_CONSTANTS, STANDARD_LEVELS
from logcheck.semantics.loggers import ROOT, keyword_arg, positional_args, string_value
from logcheck.source.precheck import Needle, Precheck, literal, word

#: the dictConfig schema's `"version"` key, as the model recognises it (`_has_version_key`)
VERSION_KEY: Tuple[Needle, ...] = (literal(b'"version"'), literal(b"'version'"))


#: one of these must occur in a file for any configuration to be read from it
NEEDLES: Tuple[Needle, ...] = (
    # what the model reads is named in the file, in the call or in its import: the config
    # functions, handler classes (all named `...Handler`, and `QueueListener`) and formatter
    # classes (`logging.Formatter`, `JsonFormatter` ...)
    word("basicConfig"), word("dictConfig"), word("fileConfig"),
    literal(b"Handler"), word("QueueListener"), literal(b"Formatter"),
    # the handler methods the model follows on any receiver
    word("setLevel"), word("setFormatter"), word("addHandler"), word("addFilter"), word("removeHandler"),
) + VERSION_KEY


BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"


#: names whose use lets code add any attribute to records (`addFilter`: a filter attached in
#: code, maybe to a handler a configuration made)
#: text of the fields a deployment's environment or launcher can turn on (`otelTraceID`,
#: `dd.trace_id`): a file without it does not read (nor depend on) the deployment files
_INJECTED_FIELD = re.compile(r"otel|\bdd\.")
_RECORD_CHANGERS = frozenset({"LoggerAdapter", "setLogRecordFactory", "setLoggerClass", "makeRecord", "addFilter"})


#: methods a handler that rotates by itself defines
_ROTATION_METHODS = frozenset({"shouldRollover", "doRollover", "rotate", "rollover"})


def project_file_handlers(module: cst.Module, resolver) -> Set[str]:
    """Names of the classes this module defines that are `logging.FileHandler`s without
    rotation: every base is `logging.FileHandler` or such a class of the module (a base
    from anywhere else might rotate), and the class defines no rollover method.
    TODO(semantics): the project index should answer this for classes of other modules."""
    classes = {stmt.name.value: stmt for stmt in module.body if isinstance(stmt, cst.ClassDef)}
    found: Set[str] = set()
    changed = True
    while changed:  # a class may derive from one defined above or below it
        changed = False
        for name, cls in classes.items():
            if name in found or not cls.bases or any(a.keyword is not None for a in cls.keywords):
                continue
            bases = [resolver.qualified_name(b.value) for b in cls.bases]
            if all(canonical_class(b) == FILE_HANDLER or b in found for b in bases) \
                    and not any(isinstance(st, cst.FunctionDef) and st.name.value in _ROTATION_METHODS
                                for st in cls.body.body):
                found.add(name)
                changed = True
    return found


def to_lval(expr: cst.BaseExpression, resolver) -> LVal:
    loc = Loc(node=expr)
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = string_value(expr)
        return LScalar(loc, value) if value is not None else LUnknown(loc)
    if isinstance(expr, cst.Integer):
        try:
            return LScalar(loc, int(expr.value.replace("_", ""), 0))
        except ValueError:
            return LUnknown(loc)
    if isinstance(expr, cst.Float):
        return LScalar(loc, float(expr.value.replace("_", "")))
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) \
            and isinstance(expr.expression, (cst.Integer, cst.Float)):
        inner = to_lval(expr.expression, resolver)
        return LScalar(loc, -inner.value) if isinstance(inner, LScalar) else LUnknown(loc)
    if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
        return LScalar(loc, {"True": True, "False": False, "None": None}[expr.value])
    if isinstance(expr, cst.Dict):
        entries = []
        partial = False
        for el in expr.elements:
            if not isinstance(el, cst.DictElement):
                partial = True
                continue
            key = string_value(el.key)
            if key is None:
                partial = True
                continue
            entries.append((key, Loc(node=el.key), to_lval(el.value, resolver)))
        return LDict(loc, entries, partial)
    if isinstance(expr, (cst.List, cst.Tuple)):
        items, partial = [], False
        for el in expr.elements:
            if isinstance(el, cst.StarredElement):
                partial = True
            else:
                items.append(to_lval(el.value, resolver))
        return LList(loc, items, partial)
    if isinstance(expr, (cst.Name, cst.Attribute)):
        return LUnknown(loc, resolver.qualified_name(expr))
    return LUnknown(loc)


def level_of_expr(expr: Optional[cst.BaseExpression], resolver) -> Tuple[bool, Optional[str]]:
    """(known, level name) of a level argument: `"INFO"`, `logging.INFO`, `INFO`, `20`."""
    if expr is None:
        return True, None
    text = string_value(expr)
    if text is not None:
        return text in STANDARD_LEVELS, text if text in STANDARD_LEVELS else None
    if isinstance(expr, cst.Integer):
        try:
            value = int(expr.value.replace("_", ""), 0)
        except ValueError:
            return False, None
        name = LEVEL_CONSTANTS.get(value)
        return name is not None, name
    qn = resolver.qualified_name(expr) if isinstance(expr, (cst.Name, cst.Attribute)) else None
    if qn and qn.startswith("logging.") and qn[8:] in STANDARD_LEVELS:
        return True, qn[8:]
    return False, None


def _is_handler_class(qn: Optional[str]) -> bool:
    if qn is None:
        return False
    qn = canonical_class(qn)
    if qn in HANDLER_KINDS or qn == STREAM_HANDLER or qn == FILE_HANDLER:
        return True
    return (qn.startswith("logging.handlers.") and qn.endswith("Handler")) or \
        (qn.startswith("watchtower.") and qn.endswith("Handler"))


def _is_formatter_class(qn: Optional[str]) -> bool:
    if qn is None or "." not in qn:
        return False
    last = qn.rsplit(".", 1)[1]
    return last.endswith("Formatter") and last[:1].isupper()


@dataclass
class CallSite:
    """A configuration call with the walk state around it."""

    kind: str  # basicConfig, dictConfig, fileConfig, addHandler
    node: cst.Call
    function: Optional[cst.CSTNode]
    main_guard: bool
    #: addHandler: the handler added (None when not known)
    handler: Optional[HandlerDef] = None
    #: addHandler: the added handler is certainly a NullHandler
    null: bool = False


@dataclass
class PyModel:
    configs: List[Config] = field(default_factory=list)
    #: the configuration built in code (constructors, setFormatter, addHandler)
    code: Config = field(default_factory=lambda: Config("code", "python", Loc()))
    basic: List[Tuple[Config, cst.Call]] = field(default_factory=list)
    calls: List[CallSite] = field(default_factory=list)
    #: root level set in code (`logging.getLogger().setLevel(...)`, dictConfig root, ...)
    root_level_set: bool = False
    #: fileConfig calls whose file exists: (call, path, its Config)
    followed: List[Tuple[cst.Call, Path, Config]] = field(default_factory=list)
    #: the module's `import` facts the LC502 fix needs
    module: Optional[cst.Module] = None
    #: record fields the module's code adds (`extra=` keys of its calls); None when it may
    #: add any (a non-literal `extra=`, a LoggerAdapter, a record factory or logger class)
    supplied_fields: Optional[frozenset] = frozenset()


_MAY_HOLD_CONFIG = Precheck(NEEDLES)


def build_model(ctx) -> PyModel:
    # the file passed the pre-check of some rule; the model's own walk needs its needles
    if not _MAY_HOLD_CONFIG.may_match(ctx.source.encode("utf-8", "surrogatepass")):
        return PyModel(module=ctx.module)
    return _Builder(ctx).build()


class _Builder:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.resolver = ctx.loggers
        self.model = PyModel(module=ctx.module)
        self.functions: List[cst.CSTNode] = []
        self.main_guard = 0
        #: (scope, name) -> value bound by an assignment
        self.bindings: Dict[Tuple[int, str], cst.BaseExpression] = {}
        self.handlers_by_call: Dict[int, HandlerDef] = {}
        self.formatters_by_call: Dict[int, FormatterDef] = {}
        self.handler_names: Dict[Tuple[int, str], HandlerDef] = {}
        self.name_uses: Dict[Tuple[int, str], int] = {}
        self.known_uses: Dict[Tuple[int, str], int] = {}
        self.mutated: Set[str] = set()
        self.escaped: Set[int] = set()
        self.escaped_names: Set[Tuple[int, str]] = set()
        self.attached: Set[int] = set()
        self.events: List[Tuple[str, cst.Call, int]] = []  # (method, call, scope)
        self.dict_configs: Dict[int, Config] = {}
        self.module_dicts: List[Tuple[str, cst.Dict]] = []
        self.file_subclasses = project_file_handlers(ctx.module, self.resolver)
        self.extra_keys: Set[str] = set()
        self.any_record_field = False

    @property
    def scope(self) -> int:
        return id(self.functions[-1]) if self.functions else 0

    # ------------------------------------------------------------------ walk
    def build(self) -> PyModel:
        from logcheck.source.cst import is_main_guard, iter_children

        self.is_main_guard = is_main_guard
        self._children = iter_children
        for stmt in self.ctx.module.body:
            self.walk(stmt, top=True)
        self.finish()
        return self.model

    def walk(self, node: cst.CSTNode, top: bool = False) -> None:
        # dispatch on the exact node type: isinstance checks against libcst's abstract
        # classes are what made this walk slow
        t = type(node)
        if t is cst.Name:
            key = (self.scope, node.value)
            self.name_uses[key] = self.name_uses.get(key, 0) + 1
            if node.value in _RECORD_CHANGERS:
                self.any_record_field = True
            return
        if t is cst.Attribute or t is cst.Arg:
            if t is cst.Attribute and node.attr.value in _RECORD_CHANGERS:
                self.any_record_field = True
            self.walk(node.value)
            return
        if t is cst.Import or t is cst.ImportFrom:
            self.extra_keys |= import_supplies(node)
            return
        if t is cst.FunctionDef or t is cst.Lambda:
            self.functions.append(node)
            self._walk_children(node)
            self.functions.pop()
            return
        if t is cst.If and self.is_main_guard(node):
            self.walk(node.test)
            self.main_guard += 1
            self.walk(node.body)
            self.main_guard -= 1
            if node.orelse is not None:
                self.walk(node.orelse)
            return
        if t is cst.Call:
            self.visit_call(node)
        elif t is cst.SimpleStatementLine and top:
            for small in node.body:
                if type(small) in (cst.Assign, cst.AnnAssign) and type(small.value) is cst.Dict:
                    targets = [x.target for x in small.targets] if type(small) is cst.Assign else [small.target]
                    for target in targets:
                        if type(target) is cst.Name:
                            self.module_dicts.append((target.value, small.value))
        elif (t is cst.Assign or t is cst.AnnAssign) and node.value is not None:
            targets = [x.target for x in node.targets] if t is cst.Assign else [node.target]
            for target in targets:
                if type(target) is cst.Name:
                    self.bindings[(self.scope, target.value)] = node.value
                elif type(target) is cst.Subscript:
                    base = _subscript_base(target)
                    if base is not None:
                        self.mutated.add(base)
                    self.extra_keys |= assignment_supplies(target, node.value,
                                                           self.resolver.qualified_name(target.value))
        elif t is cst.AugAssign and type(node.target) is cst.Subscript:
            base = _subscript_base(node.target)
            if base is not None:
                self.mutated.add(base)
        elif t is cst.Del:
            for n in _names_in(node.target):
                self.mutated.add(n)
        self._walk_children(node)

    def _walk_children(self, node: cst.CSTNode) -> None:
        for child in self._children(node):
            self.walk(child)

    def visit_call(self, node: cst.Call) -> None:
        func = node.func
        qn = self.resolver.qualified_name(func)
        extra = keyword_arg(node, "extra")
        if extra is not None:
            self.note_extra(extra.value)
        self.extra_keys |= call_supplies(node, qn)
        if qn == "structlog.configure":
            supplied = structlog_supplies(node, self.resolver.qualified_name, self.ctx.module)
            self.any_record_field |= supplied is None
            self.extra_keys |= supplied or frozenset()
        where = (self.functions[-1] if self.functions else None, self.main_guard > 0)
        if qn == "logging.basicConfig":
            self.model.calls.append(CallSite("basicConfig", node, *where))
            self.read_basic(node)
        elif qn == "logging.config.dictConfig":
            self.model.calls.append(CallSite("dictConfig", node, *where))
            self.events.append(("dictConfig", node, self.scope))
        elif qn == "logging.config.fileConfig":
            self.model.calls.append(CallSite("fileConfig", node, *where))
        elif _is_handler_class(qn):
            self.handlers_by_call[id(node)] = self.read_handler(node, canonical_class(qn))
            if canonical_class(qn) == "logging.handlers.QueueListener":
                # records go on to the listener's handlers: they are attached like addHandler
                self.events.append(("listener", node, self.scope))
        elif qn in self.file_subclasses and isinstance(func, cst.Name):
            h = self.read_handler(node, qn)
            h.kind, h.file_subclass = "unknown", True  # what else the class changes is not read
            self.handlers_by_call[id(node)] = h
        elif _is_formatter_class(qn):
            self.formatters_by_call[id(node)] = self.read_formatter(node, qn)
        elif isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in ("setFormatter", "setLevel", "addHandler", "addFilter", "removeHandler"):
                self.events.append((method, node, self.scope))
                if method == "addHandler":
                    site = CallSite("addHandler", node, *where)
                    self.model.calls.append(site)
                    self.events.append(("addHandlerSite", node, len(self.model.calls) - 1))
            elif method in ("update", "setdefault", "pop", "clear", "popitem") and isinstance(func.value, cst.Name):
                self.mutated.add(func.value.value)

    def note_extra(self, value: cst.BaseExpression) -> None:
        """`extra=` of a call: its literal keys are record fields the code supplies."""
        keys = [string_value(el.key) if isinstance(el, cst.DictElement) else None
                for el in value.elements] if isinstance(value, cst.Dict) else [None]
        if None in keys:
            self.any_record_field = True
        self.extra_keys.update(k for k in keys if k is not None)

    # ------------------------------------------------------------------ readers
    def read_handler(self, node: cst.Call, cls: str) -> HandlerDef:
        short = cls.rsplit(".", 1)[-1]
        h = HandlerDef(short, Loc(node=node), cls=cls, cls_loc=Loc(node=node.func), node=node, scope=self.scope)
        for arg in node.args:
            if arg.star:
                h.args_known = False
            elif arg.keyword is not None:
                h.args[arg.keyword.value] = to_lval(arg.value, self.resolver)
            else:
                h.positional.append(to_lval(arg.value, self.resolver))
        stream = h.args.get("stream") or h.args.get("strm") or (h.positional[0] if h.positional else None)
        if cls == STREAM_HANDLER and stream is None and not h.args_known:
            h.kind = "unknown"
        else:
            h.kind = destination_kind(cls, stream)
        h.formatter = None
        self.model.code.handlers[str(len(self.model.code.handlers))] = h
        return h

    def read_formatter(self, node: cst.Call, cls: str) -> FormatterDef:
        f = FormatterDef(cls.rsplit(".", 1)[-1], Loc(node=node), cls=None if cls == "logging.Formatter" else cls)
        pos = positional_args(node)
        fmt = keyword_arg(node, "fmt") or (pos[0] if pos else None)
        style = keyword_arg(node, "style") or (pos[2] if len(pos) > 2 else None)
        if any(a.star for a in node.args):
            f.fmt_known = fmt is not None and string_value(fmt.value) is not None
        if fmt is not None:
            f.fmt = string_value(fmt.value)
            f.fmt_known = f.fmt is not None
            f.fmt_loc = Loc(node=fmt.value)
        elif f.cls is not None:
            f.fmt_known = False
        if style is not None:
            s = string_value(style.value)
            f.style_known = s is not None
            f.style = s or "%"
        validate = keyword_arg(node, "validate")
        if validate is not None and not (isinstance(validate.value, cst.Name) and validate.value.value == "True"):
            f.style_known = False
        elif f.cls is None and f.fmt is not None and f.style_known and not any(a.star for a in node.args):
            if f.style not in ("%", "{", "$"):
                self.model.code.problems.append(Problem("LC508", Loc(node=style.value),
                                                        f"Formatter style must be one of '%', '{{', '$', got {f.style!r}"))
                f.style_known = False
            else:
                error = format_error(f.fmt, f.style)
                if error is not None:
                    self.model.code.problems.append(Problem("LC508", f.fmt_loc, f"Formatter: {error}"))
                    f.style_known = False
        self.model.code.formatters[str(len(self.model.code.formatters))] = f
        return f

    def read_basic(self, node: cst.Call) -> None:
        config = Config("basic", "python", Loc(node=node), node=node)
        if any(a.star for a in node.args):
            config.partial = True
        kw = {a.keyword.value: a for a in node.args if a.keyword is not None}
        fmt = FormatterDef("basicConfig", Loc(node=node), BASIC_FORMAT)
        if "format" in kw:
            fmt.fmt = string_value(kw["format"].value)
            fmt.fmt_known = fmt.fmt is not None
            fmt.fmt_loc = Loc(node=kw["format"].value)
        elif config.partial:
            fmt.fmt_known = False
        if "style" in kw:
            s = string_value(kw["style"].value)
            fmt.style_known = s is not None
            fmt.style = s or "%"
        config.formatters["basicConfig"] = fmt
        if "handlers" not in kw and not config.partial:
            if "filename" in kw:
                h = HandlerDef("basicConfig(filename=...)", Loc(node=kw["filename"]), cls=FILE_HANDLER, kind=FILE,
                               cls_loc=Loc(node=kw["filename"]))
                h.args["filename"] = to_lval(kw["filename"].value, self.resolver)
            else:
                stream = to_lval(kw["stream"].value, self.resolver) if "stream" in kw else None
                h = HandlerDef("basicConfig()", Loc(node=node), cls=STREAM_HANDLER,
                               kind=destination_kind(STREAM_HANDLER, stream) if stream is not None else STDERR)
            h.formatter = "basicConfig"
            config.handlers[h.id] = h
        elif "handlers" in kw:
            # basicConfig sets its formatter on the given handlers that have none
            value = kw["handlers"].value
            if isinstance(value, (cst.List, cst.Tuple)):
                for el in value.elements:
                    self._mark_escaped(el.value)
        level = kw.get("level")
        known, name = level_of_expr(level.value if level else None, self.resolver)
        config.root = LoggerDef("root", Loc(node=node), name, Loc(node=level.value) if level else None,
                                level_known=known or level is None)
        if level is not None:
            self.model.root_level_set = True
        self.model.basic.append((config, node))
        self.model.configs.append(config)

    def _mark_escaped(self, expr: cst.BaseExpression) -> None:
        if isinstance(expr, cst.Call) and id(expr) in self.handlers_by_call:
            self.escaped.add(id(self.handlers_by_call[id(expr)]))
        elif isinstance(expr, cst.Name):
            self.escaped_names.add((self.scope, expr.value))

    # ------------------------------------------------------------------ linking
    def lookup(self, scope: int, name: str) -> Optional[cst.BaseExpression]:
        return self.bindings.get((scope, name), self.bindings.get((0, name)))

    def handler_of(self, expr: cst.BaseExpression, scope: int) -> Optional[HandlerDef]:
        if isinstance(expr, cst.Call):
            return self.handlers_by_call.get(id(expr))
        if isinstance(expr, cst.Name):
            value = self.lookup(scope, expr.value)
            if isinstance(value, cst.Call):
                return self.handlers_by_call.get(id(value))
        return None

    def formatter_of(self, expr: cst.BaseExpression, scope: int) -> Optional[FormatterDef]:
        if isinstance(expr, cst.Call):
            return self.formatters_by_call.get(id(expr))
        if isinstance(expr, cst.Name):
            value = self.lookup(scope, expr.value)
            if isinstance(value, cst.Call):
                return self.formatters_by_call.get(id(value))
        return None

    def _known_use(self, expr: cst.BaseExpression, scope: int) -> None:
        if isinstance(expr, cst.Name):
            key = (scope, expr.value)
            self.known_uses[key] = self.known_uses.get(key, 0) + 1

    def finish(self) -> None:
        model, resolver = self.model, self.resolver
        # handler names and their assignment targets
        for (scope, name), value in self.bindings.items():
            if isinstance(value, cst.Call) and id(value) in self.handlers_by_call:
                h = self.handlers_by_call[id(value)]
                h.id = name
                self.known_uses[(scope, name)] = self.known_uses.get((scope, name), 0) + 1
        for method, node, scope in self.events:
            if method in ("dictConfig", "addHandlerSite"):
                continue
            receiver = node.func.value if isinstance(node.func, cst.Attribute) else node.func
            pos = positional_args(node)
            arg = pos[0].value if len(pos) == 1 and len(node.args) == 1 else None
            if method in ("setFormatter", "setLevel", "addFilter"):
                h = self.handler_of(receiver, scope)
                if h is not None:
                    self._known_use(receiver, scope)
                    if method == "setFormatter":
                        f = self.formatter_of(arg, scope) if arg is not None else None
                        h.formatter = f
                        h.formatter_known = f is not None
                        h.formatter_loc = Loc(node=node)
                    elif method == "setLevel" and arg is not None:
                        known, name = level_of_expr(arg, resolver)
                        h.level, h.level_loc = name, Loc(node=arg)
                elif method == "setLevel" and resolver.expression_logger_kind(receiver) == ROOT:
                    model.root_level_set = True
                    known, name = level_of_expr(arg, resolver) if arg is not None else (False, None)
                    model.code.root = LoggerDef("root", Loc(node=node), name, Loc(node=arg) if arg is not None else None,
                                                level_known=known)
            elif method == "addHandler":
                h = self.handler_of(arg, scope) if arg is not None else None
                if h is not None:
                    self._known_use(arg, scope)
                    self.attached.add(id(h))
            elif method == "listener":
                for a in positional_args(node)[1:]:
                    h = self.handler_of(a.value, scope)
                    if h is not None:
                        self._known_use(a.value, scope)
                        self.attached.add(id(h))
        for index, site in enumerate(model.calls):
            if site.kind == "addHandler":
                pos = positional_args(site.node)
                arg = pos[0].value if len(pos) == 1 else None
                scope = id(site.function) if site.function is not None else 0
                site.handler = self.handler_of(arg, scope) if arg is not None else None
                site.null = site.handler is not None and site.handler.kind == "null"
        # a bound handler used anywhere else (returned, passed on, stored) may get a
        # formatter elsewhere: nothing is said about its formatter
        for (scope, name), value in self.bindings.items():
            if isinstance(value, cst.Call) and id(value) in self.handlers_by_call:
                h = self.handlers_by_call[id(value)]
                if self.name_uses.get((scope, name), 0) > self.known_uses.get((scope, name), 0) or \
                        (scope, name) in self.escaped_names:
                    self.escaped.add(id(h))
        for key, h in list(model.code.handlers.items()):
            if id(h) in self.escaped or id(h) not in self.attached:
                if h.formatter is None:
                    h.formatter_known = False
        model.code.partial = True  # code configurations are never complete
        # dict configurations
        seen: Set[int] = set()
        for name, node in self.module_dicts:
            if _has_version_key(node):
                self.add_dict(node, name in self.mutated)
                seen.add(id(node))
        for method, node, scope in self.events:
            if method != "dictConfig":
                continue
            pos = positional_args(node)
            if len(pos) != 1:
                continue
            value = pos[0].value
            mutated = False
            if isinstance(value, cst.Name):
                mutated = value.value in self.mutated
                value = self.lookup(scope, value.value)
            if isinstance(value, cst.Dict) and id(value) not in seen:
                seen.add(id(value))
                self.add_dict(value, mutated, force=True)
        for config in model.configs:
            if config.kind == "dict":
                root_set, _, _ = config.root_level()
                if root_set:
                    model.root_level_set = True
        model.configs.append(model.code)
        if self.ctx.path not in ("", "-") and _INJECTED_FIELD.search(self.ctx.source):
            self.extra_keys |= deployments_supply(self.ctx.settings.root, self.ctx.dependencies)
        model.supplied_fields = None if self.any_record_field else frozenset(self.extra_keys)
        self.follow_file_configs()

    def add_dict(self, node: cst.Dict, mutated: bool, force: bool = False) -> None:
        tree = to_lval(node, self.resolver)
        if not isinstance(tree, LDict) or (not force and not is_dictconfig(tree)):
            return
        if mutated:
            tree.partial = True
        config = read_dictconfig(tree, "python")
        self.model.configs.append(config)

    def follow_file_configs(self) -> None:
        from logcheck.config_model.readers import ReadError, read_ini

        here = Path(self.ctx.path).parent
        for site in self.model.calls:
            if site.kind != "fileConfig":
                continue
            pos = positional_args(site.node)
            arg = pos[0].value if pos else (keyword_arg(site.node, "fname").value if keyword_arg(site.node, "fname") else None)
            name = string_value(arg) if arg is not None else None
            if not name:
                continue
            for base in (here, Path.cwd()):
                candidate = base / name
                try:
                    if candidate.is_file() and candidate.stat().st_size < 2_000_000:
                        text = candidate.read_text(encoding="utf-8", errors="replace")
                    else:
                        continue
                except OSError:
                    continue
                try:
                    config = read_ini(text)
                except ReadError:
                    continue
                self.model.followed.append((site.node, candidate, config))
                if config.root is not None and config.root.level is not None:
                    self.model.root_level_set = True
                break


def _has_version_key(node: cst.Dict) -> bool:
    """A `"version"` or `'version'` key (prefixes and triple quotes allowed): written so,
    and only so, the key is what VERSION_KEY finds in the bytes."""
    return any(isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString)
               and el.key.raw_value == "version" and "b" not in el.key.prefix.lower()
               for el in node.elements)


def _subscript_base(node: cst.Subscript) -> Optional[str]:
    value = node.value
    while isinstance(value, cst.Subscript):
        value = value.value
    return value.value if isinstance(value, cst.Name) else None


def _names_in(target) -> List[str]:
    out = []
    if isinstance(target, cst.Subscript):
        base = _subscript_base(target)
        if base:
            out.append(base)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            out.extend(_names_in(el.value))
    return out
