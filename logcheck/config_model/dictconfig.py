"""The dictConfig schema, read from a located tree (Python dict literal, JSON, YAML, TOML)
into a `Config`, with the problems that make `logging.config.dictConfig` fail at startup
(LC508) and level names in the wrong case (LC303).

What "fails" means follows CPython's `DictConfigurator.configure` exactly: the checks
below are the ones it performs (version, references between sections, class resolution,
constructor arguments of the standard handlers, formatter style validation, levels).
"""

from __future__ import annotations

import importlib
import inspect
import logging
import logging.handlers
from typing import List, Optional, Set

from logcheck.config_model.model import (QUEUE, STREAM_HANDLER, Config, FormatterDef, HandlerDef, LDict, LList, Loc,
                                         LoggerDef, LScalar, LUnknown, LVal, Problem, canonical_class, destination_kind,
                                         scalar)
from logcheck.semantics.levels import fixed_level_name, level_name_problem

SECTIONS = ("formatters", "filters", "handlers", "loggers", "root")
#: handler keys dictConfig consumes itself (never passed to the constructor)
_HANDLER_META = {"class", "()", "formatter", "level", "filters", "."}


def is_dictconfig(d: LVal) -> bool:
    """A mapping holding the dictConfig schema: a section (`formatters`, `filters`,
    `handlers`, `loggers`, `root`) that is a mapping, and either `version: 1` or a
    `handlers` mapping of handler definitions (with `class` or `()`); the second form finds
    configurations whose `version` is missing or wrong, which dictConfig rejects."""
    if not isinstance(d, LDict):
        return False
    if not any(isinstance(d.get(s), (LDict, LUnknown)) for s in SECTIONS):
        return False
    version = d.get("version")
    if isinstance(version, LScalar) and version.value == 1 and not isinstance(version.value, bool):
        return True
    handlers = d.get("handlers")
    return (isinstance(handlers, LDict) and bool(handlers.entries)
            and all(isinstance(v, LDict) and ("class" in v or "()" in v) for _, _, v in handlers.entries))


def find_dictconfigs(value: LVal, depth: int = 0) -> List[LDict]:
    """dictConfig mappings in a parsed file: the top level, or nested mappings (an
    application config with a `logging:` section)."""
    if isinstance(value, LDict):
        if is_dictconfig(value):
            return [value]
        if depth >= 4:
            return []
        return [d for _, _, v in value.entries for d in find_dictconfigs(v, depth + 1)]
    return []


def _is_dotted(name: str) -> bool:
    parts = name.split(".")
    return len(parts) >= 2 and all(p.isidentifier() for p in parts)


def stdlib_object(name: str):
    """The object a `logging.`-qualified dotted name refers to, None when it does not exist,
    and False when the name is not under `logging` (cannot be checked without importing)."""
    if name != "logging" and not name.startswith("logging."):
        return False
    parts = name.split(".")
    obj = logging
    for i, part in enumerate(parts[1:], 1):
        if not hasattr(obj, part):
            if i == 1 and part == "config":
                obj = importlib.import_module("logging.config")
                continue
            return None
        obj = getattr(obj, part)
    return obj


def _loc(d: LDict, key: str) -> Loc:
    return d.key_loc(key) or d.loc


class _Reader:
    def __init__(self, root: LDict, lang: str) -> None:
        self.d = root
        self.config = Config("dict", lang, root.loc, node=root.loc.node, partial=root.partial)
        self.problems = self.config.problems

    def problem(self, loc: Loc, message: str, code: str = "LC508", fixed: Optional[str] = None) -> None:
        self.problems.append(Problem(code, loc, message, fixed))

    # ------------------------------------------------------------------ levels
    def level(self, value: Optional[LVal], where: str) -> Optional[str]:
        """The standard level name a level value stands for (None when absent, not a
        literal, or invalid); reports what `logging._checkLevel` would reject."""
        if not isinstance(value, LScalar) or value.value is None:
            return None
        raw = value.value
        if isinstance(raw, int):  # bool too: _checkLevel accepts any int
            name = logging.getLevelName(int(raw))
            return name if isinstance(name, str) and not name.startswith("Level ") else None
        if not isinstance(raw, str):
            self.problem(value.loc, f"{where}: level must be a level name or an integer, got {raw!r}; "
                                    "dictConfig raises TypeError")
            return None
        fixed = fixed_level_name(raw)
        if fixed is not None:
            self.problem(value.loc, f"{where}: {level_name_problem(raw)}", "LC303", fixed)
            return None
        problem = level_name_problem(raw)
        if problem is not None:
            self.problem(value.loc, f"{where}: {problem}")
            return None
        return raw

    def _level_of(self, body: LDict, where: str):
        value = body.get("level")
        return self.level(value, where), (value.loc if value is not None else None), None

    # ------------------------------------------------------------------ sections
    def section(self, name: str) -> Optional[LDict]:
        value = self.d.get(name)
        if value is None:
            return None
        if isinstance(value, LDict):
            return value
        if isinstance(value, LScalar):
            self.problem(value.loc, f"`{name}` must be a mapping of ids to definitions, got {value.value!r}")
        else:
            self.config.partial = True
        return None

    def entries(self, section: LDict, what: str):
        for key, key_loc, body in section.entries:
            if isinstance(body, LDict):
                yield key, key_loc, body
            elif isinstance(body, LScalar):
                self.problem(body.loc, f"{what} `{key}` must be a mapping, got {body.value!r}")
            else:
                self.config.partial = True

    def check_factory(self, body: LDict, what: str) -> Optional[str]:
        value = body.get("()")
        if value is None:
            return None
        name = scalar(value, str)
        if name is None:
            return None
        if not _is_dotted(name):
            self.problem(value.loc, f"{what}: the `()` factory {name!r} is not a dotted path "
                                    "(`module.callable`); dictConfig cannot import it")
            return None
        if stdlib_object(name) is None:
            self.problem(value.loc, f"{what}: the `()` factory {name!r} does not exist")
        return name

    def check_class(self, value: Optional[LVal], what: str) -> Optional[str]:
        name = scalar(value, str)
        if name is None:
            return None
        if not _is_dotted(name):
            self.problem(value.loc, f"{what}: `class` {name!r} is not a dotted path "
                                    f"(e.g. `logging.{name}`); dictConfig cannot import it")
            return None
        if stdlib_object(name) is None:
            self.problem(value.loc, f"{what}: `class` {name!r} does not exist")
            return None
        return name

    def refs(self, body: LDict, key: str, defined: Optional[Set[str]], what: str, kind: str) -> List[Optional[str]]:
        """The ids listed under `key` (None for an item that is not a literal id), reporting
        the ones `defined` lacks."""
        value = body.get(key)
        if value is None:
            return []
        if isinstance(value, LScalar) and isinstance(value.value, str):
            self.problem(value.loc, f"{what}: `{key}` must be a list of {kind} ids, not a string "
                                    f"(dictConfig would look up each character)")
            return []
        if not isinstance(value, LList):
            return [None] if isinstance(value, LUnknown) else []
        out: List[Optional[str]] = [None] if value.partial else []
        for item in value.items:
            ref = scalar(item, str)
            out.append(ref)  # None: an object or expression, not an id
            if ref is None:
                continue
            if defined is not None and ref not in defined:
                self.problem(item.loc, f"{what}: {kind} `{ref}` is referenced but not defined")
        return out

    # ------------------------------------------------------------------ read
    def read(self) -> Config:
        d, config = self.d, self.config
        version = d.get("version")
        if version is None:
            if not d.partial:
                self.problem(d.loc, "dictConfig needs `\"version\": 1`; without it `dictConfig` raises ValueError")
        elif isinstance(version, LScalar) and (version.value != 1 or isinstance(version.value, bool)):
            self.problem(version.loc, f"Unsupported dictConfig version {version.value!r}; only 1 is accepted")
        incremental = d.get("incremental")
        config.incremental = scalar(incremental) is True or isinstance(incremental, LUnknown)
        dis = d.get("disable_existing_loggers")
        if dis is not None:
            config.disable_existing = scalar(dis) if isinstance(dis, LScalar) else None
        if config.incremental:
            self.read_incremental()
            return config

        formatters = self.section("formatters")
        filters = self.section("filters")
        handlers = self.section("handlers")
        formatter_ids = set(formatters.keys()) if formatters is not None and not formatters.partial else None
        if formatters is None and ("formatters" in d or d.partial):
            formatter_ids = None
        if formatters is None and "formatters" not in d and not d.partial:
            formatter_ids = set()
        filter_ids = self._ids(filters, "filters")
        handler_ids = self._ids(handlers, "handlers")
        config.formatters_partial = formatter_ids is None

        if formatters is not None:
            for fid, key_loc, body in self.entries(formatters, "formatter"):
                config.formatters[fid] = self.read_formatter(fid, key_loc, body)
        if filters is not None:
            for fid, key_loc, body in self.entries(filters, "filter"):
                factory = self.check_factory(body, f"filter `{fid}`")
                config.filters[fid] = key_loc
                # without `()` dictConfig builds a `logging.Filter(name)`, which adds nothing
                if ("()" in body and factory != "logging.Filter") or body.partial:
                    config.project_filters.add(fid)
        if handlers is not None:
            for hid, key_loc, body in self.entries(handlers, "handler"):
                config.handlers[hid] = self.read_handler(hid, key_loc, body, formatter_ids, filter_ids, handler_ids)
        loggers = self.section("loggers")
        if loggers is not None:
            for name, key_loc, body in self.entries(loggers, "logger"):
                config.loggers[name] = self.read_logger(name, key_loc, body, handler_ids, filter_ids)
        root = self.d.get("root")
        if isinstance(root, LDict):
            config.root = self.read_logger("root", _loc(d, "root"), root, handler_ids, filter_ids)
        elif isinstance(root, LScalar):
            self.problem(root.loc, f"`root` must be a mapping, got {root.value!r}")
        elif root is not None:
            config.partial = True
        return config

    def _ids(self, section: Optional[LDict], name: str) -> Optional[Set[str]]:
        if section is None:
            return None if (name in self.d or self.d.partial) else set()
        return None if section.partial else set(section.keys())

    def read_incremental(self) -> None:
        for name in ("handlers", "loggers"):
            section = self.section(name)
            if section is None:
                continue
            for key, _, body in self.entries(section, name[:-1]):
                self.level(body.get("level"), f"{name[:-1]} `{key}`")
        root = self.d.get("root")
        if isinstance(root, LDict):
            self.level(root.get("level"), "root")

    def read_formatter(self, fid: str, key_loc: Loc, body: LDict) -> FormatterDef:
        what = f"formatter `{fid}`"
        fdef = FormatterDef(fid, key_loc)
        factory = self.check_factory(body, what)
        cls_value = body.get("class")
        cls = self.check_class(cls_value, what) if cls_value is not None else None
        fdef.cls = factory or cls
        fdef.cls_known = not (("()" in body and factory is None) or (cls_value is not None and cls is None)
                              or body.partial)
        fmt_value = body.get("format")
        if fmt_value is None and factory is not None:
            fmt_value = body.get("fmt")
        if fmt_value is not None:
            fdef.fmt = scalar(fmt_value, str)
            fdef.fmt_known = fdef.fmt is not None
            fdef.fmt_loc = fmt_value.loc
        elif body.partial or (fdef.cls is not None and not _is_stdlib_formatter(fdef.cls)):
            fdef.fmt_known = False  # a custom class chooses its own default
        defaults = body.get("defaults")
        if isinstance(defaults, LDict):
            fdef.defaults = None if defaults.partial else frozenset(defaults.keys())
        elif defaults is not None:
            fdef.defaults = None
        style_value = body.get("style")
        if style_value is not None:
            style = scalar(style_value, str)
            fdef.style_known = style is not None
            if style is not None:
                fdef.style = style
                if style not in ("%", "{", "$"):
                    self.problem(style_value.loc, f"{what}: style must be one of '%', '{{', '$', got {style!r}")
                    fdef.style_known = False
        validate = body.get("validate")
        if (fdef.fmt is not None and fdef.style_known and fdef.style in ("%", "{", "$")
                and scalar(validate) is not False and _is_stdlib_formatter(fdef.cls)):
            error = format_error(fdef.fmt, fdef.style)
            if error is not None:
                self.problem(fdef.fmt_loc or key_loc, f"{what}: {error}")
        return fdef

    def read_handler(self, hid: str, key_loc: Loc, body: LDict, formatter_ids, filter_ids, handler_ids) -> HandlerDef:
        what = f"handler `{hid}`"
        h = HandlerDef(hid, key_loc, node=body.loc.node)
        factory = self.check_factory(body, what)
        cls_value = body.get("class")
        if factory is not None:
            h.cls = factory
        elif "()" in body:
            h.cls = None
        elif cls_value is None:
            if not body.partial:
                self.problem(body.loc, f"{what} has no `class` (or `()` factory); dictConfig raises KeyError")
        else:
            h.cls = canonical_class(self.check_class(cls_value, what))
            h.cls_loc = cls_value.loc
        h.args = {k: v for k, _, v in body.entries if k not in _HANDLER_META}
        h.args_known = not body.partial
        h.kind = destination_kind(h.cls, h.args.get("stream")) if h.cls else destination_kind(None)
        formatter = body.get("formatter")
        if formatter is not None:
            ref = scalar(formatter, str)
            h.formatter_loc = formatter.loc
            if ref is None:
                h.formatter_known = False
            else:
                h.formatter = ref
                if formatter_ids is not None and ref not in formatter_ids:
                    self.problem(formatter.loc, f"{what}: formatter `{ref}` is referenced but not defined")
        elif body.partial:
            h.formatter_known = False
        h.level, h.level_loc, _ = self._level_of(body, what)
        h.filters = self.refs(body, "filters", filter_ids, what, "filter")
        if h.cls is not None and factory is None and not body.partial:
            self.check_arguments(h, what, handler_ids)
        if _is_queue_handler(h.cls):
            # Python 3.12+: the handlers a QueueHandler's listener sends the records to
            self.refs(body, "handlers", handler_ids, what, "handler")
        if h.cls == STREAM_HANDLER:
            self.check_stream(h, what)
        return h

    def check_stream(self, h: HandlerDef, what: str) -> None:
        """A `stream` that is a plain string: dictConfig converts only `ext://` and
        `cfg://` strings, so the handler keeps the string and every emit fails."""
        value = h.args.get("stream")
        text = scalar(value, str)
        if text is None or text.startswith(("ext://", "cfg://")):
            return
        fixed = "ext://" + text if text in ("sys.stdout", "sys.stderr") else None
        hint = f"; write {fixed!r}" if fixed else " (write `ext://module.attribute` for an object)"
        self.problem(value.loc, f"{what}: `stream` is the string {text!r}, not a stream: dictConfig accepts it, "
                                f"then every record fails with AttributeError ('str' object has no attribute "
                                f"'write'){hint}", fixed=fixed)

    def check_arguments(self, h: HandlerDef, what: str, handler_ids) -> None:
        cls = stdlib_object(h.cls) if h.cls else False
        if not inspect.isclass(cls) or h.kind == QUEUE:
            return
        if issubclass(cls, logging.handlers.MemoryHandler) and "target" in h.args:
            target = scalar(h.args["target"], str)
            if target is not None and handler_ids is not None and target not in handler_ids:
                self.problem(h.args["target"].loc, f"{what}: target handler `{target}` is not defined")
        try:
            params = inspect.signature(cls.__init__).parameters
        except (TypeError, ValueError):  # pragma: no cover
            return
        if any(p.kind == p.VAR_KEYWORD for p in params.values()):
            return
        names = [n for n in params if n != "self"]
        given = {k for k in h.args if k.isidentifier()}
        for key in sorted(given - set(names)):
            if key == "stream" and "strm" in names:
                continue
            self.problem(self._arg_loc(h, key), f"{what}: {h.cls.rsplit('.', 1)[-1]} has no argument `{key}`"
                                                f" (accepted: {', '.join(names)}); dictConfig raises TypeError")
        for name, p in params.items():
            if name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if p.default is p.empty and name not in given:
                self.problem(h.loc, f"{what}: {h.cls.rsplit('.', 1)[-1]} needs the argument `{name}`; "
                                    "dictConfig raises TypeError")

    def _arg_loc(self, h: HandlerDef, key: str) -> Loc:
        value = h.args[key]
        return value.loc

    def read_logger(self, name: str, key_loc: Loc, body: LDict, handler_ids, filter_ids) -> LoggerDef:
        what = "root logger" if name == "root" else f"logger `{name}`"
        level_value = body.get("level")
        level = self.level(level_value, what)
        ldef = LoggerDef(name, key_loc, level, level_value.loc if level_value is not None else None,
                         level_known=level_value is None or level is not None)
        if isinstance(level_value, LScalar) and level_value.value is None:
            ldef.level_known = True  # `level: null` leaves the level alone
        ldef.handlers = [ref for ref in self.refs(body, "handlers", handler_ids, what, "handler") if ref is not None]
        ldef.filters = self.refs(body, "filters", filter_ids, what, "filter")
        propagate = body.get("propagate")
        ldef.propagate = not (isinstance(propagate, LScalar) and not propagate.value)
        return ldef


def _is_queue_handler(cls: Optional[str]) -> bool:
    obj = stdlib_object(cls) if cls else False
    return inspect.isclass(obj) and issubclass(obj, logging.handlers.QueueHandler)


def _is_stdlib_formatter(cls: Optional[str]) -> bool:
    return cls is None or cls == "logging.Formatter"


def format_error(fmt: str, style: str) -> Optional[str]:
    """Why `logging.Formatter(fmt, style=style)` raises ValueError, or None."""
    try:
        logging.Formatter(fmt, None, style)
    except ValueError as exc:
        return f"format {fmt!r} is not valid for style {style!r} ({exc}); the Formatter raises ValueError"
    except Exception as exc:  # pragma: no cover - any other failure also stops startup
        return f"format {fmt!r}: {exc}"
    return None


def read_dictconfig(d: LDict, lang: str) -> Config:
    from logcheck.config_model.templated import untemplated

    tree = untemplated(d)
    assert isinstance(tree, LDict)
    return _Reader(tree, lang).read()


__all__ = ["read_dictconfig", "find_dictconfigs", "is_dictconfig", "stdlib_object", "format_error", "SECTIONS",
           "STREAM_HANDLER"]
