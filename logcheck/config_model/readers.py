"""Readers for configuration files: JSON, YAML and TOML into located trees (each value with
its own line and column in the file), and INI files in `fileConfig` format into a `Config`.

`json`, `tomllib` and `configparser` give no positions, so positions are recovered from
the text: JSON by a small scanner over the validated text, TOML and INI from their key and
section lines. PyYAML's composed nodes carry marks. Parse errors are `ReadError`s with the
line and column of the problem.
"""

from __future__ import annotations

import ast
import bisect
import configparser
import json
import json.decoder
import logging
import re
import sys
from typing import Dict, List, Optional, Tuple

from logcheck.config_model.dictconfig import format_error, stdlib_object
from logcheck.config_model.model import (STREAM_HANDLER, Config, FormatterDef, HandlerDef, LDict, LList, Loc, LoggerDef,
                                         LScalar, LUnknown, LVal, Problem, canonical_class, destination_kind)
from logcheck.config_model.templated import has_placeholder
from logcheck.semantics.levels import fixed_level_name, level_name_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ReadError(Exception):
    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class YamlUnavailable(Exception):
    """PyYAML is not installed."""


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def loc(self, offset: int) -> Loc:
        i = bisect.bisect_right(self.starts, offset) - 1
        return Loc(i + 1, offset - self.starts[i] + 1)


# --------------------------------------------------------------------------- JSON

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")


def read_json(text: str) -> LVal:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    lines = _Lines(text)
    value, _ = _json_value(text, _WS.match(text, 0).end(), lines)
    return value


def read_json_shape(text: str) -> LVal:
    """What read_json reads, without positions (every Loc is line 1, column 1), from the C
    decoder: about thirty times cheaper, for the questions that do not need positions
    (does this service-model file hold a dictConfig at all?). Raises ValueError for
    invalid JSON."""
    nowhere = Loc()

    def value(v) -> LVal:
        if isinstance(v, LVal):
            return v
        if isinstance(v, list):
            return LList(nowhere, [value(item) for item in v])
        return LScalar(nowhere, v)

    return value(json.loads(text, object_pairs_hook=lambda pairs: LDict(
        nowhere, [(key, nowhere, value(item)) for key, item in pairs])))


def _json_value(text: str, i: int, lines: _Lines) -> Tuple[LVal, int]:
    loc = lines.loc(i)
    c = text[i]
    if c == "{":
        entries = []
        i = _WS.match(text, i + 1).end()
        if text[i] == "}":
            return LDict(loc), i + 1
        while True:
            key_loc = lines.loc(i)
            key, i = json.decoder.scanstring(text, i + 1)
            i = _WS.match(text, i).end() + 1  # ':'
            i = _WS.match(text, i).end()
            value, i = _json_value(text, i, lines)
            entries.append((key, key_loc, value))
            i = _WS.match(text, i).end()
            if text[i] == "}":
                return LDict(loc, entries), i + 1
            i = _WS.match(text, i + 1).end()  # ','
    if c == "[":
        items = []
        i = _WS.match(text, i + 1).end()
        if text[i] == "]":
            return LList(loc), i + 1
        while True:
            value, i = _json_value(text, i, lines)
            items.append(value)
            i = _WS.match(text, i).end()
            if text[i] == "]":
                return LList(loc, items), i + 1
            i = _WS.match(text, i + 1).end()
    if c == '"':
        s, i = json.decoder.scanstring(text, i + 1)
        return LScalar(loc, s), i
    for word, value in (("true", True), ("false", False), ("null", None)):
        if text.startswith(word, i):
            return LScalar(loc, value), i + len(word)
    m = _NUMBER.match(text, i)
    number = m.group(0)
    return LScalar(loc, float(number) if (m.group(1) or m.group(2)) else int(number)), m.end()


# --------------------------------------------------------------------------- YAML


def read_yaml(text: str, loader=None) -> Optional[LVal]:
    """The located tree of a YAML text, read with `loader` (a `yaml.SafeLoader` subclass;
    SafeLoader itself by default): composing builds no object, and each scalar is then
    constructed by the loader's own constructors, so a tag it does not know leaves that
    one value unknown."""
    try:
        import yaml
    except ImportError:
        raise YamlUnavailable() from None
    loader = loader or yaml.SafeLoader
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if mark is not None:
            raise ReadError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
        raise ReadError(f"invalid YAML: {problem}") from None
    if node is None:
        return None
    return _yaml_value(node, loader(""), yaml)


def _yaml_value(node, constructor, yaml) -> LVal:
    loc = Loc(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        entries = []
        partial = False
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                partial = True
                continue
            try:
                key = constructor.construct_object(key_node, deep=True)
            except yaml.YAMLError:
                partial = True
                continue
            key_loc = Loc(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            entries.append((str(key) if not isinstance(key, str) else key, key_loc,
                            _yaml_value(value_node, constructor, yaml)))
        return LDict(loc, entries, partial)
    if isinstance(node, yaml.SequenceNode):
        return LList(loc, [_yaml_value(v, constructor, yaml) for v in node.value])
    try:
        return LScalar(loc, constructor.construct_object(node, deep=True))
    except yaml.YAMLError:
        return LUnknown(loc)


# --------------------------------------------------------------------------- TOML

_TOML_KEY = re.compile(r'\s*(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)')


def _toml_keys(text: str, i: int) -> Tuple[List[Tuple[str, int]], int]:
    """Dotted key at `i`: [(part, offset)], end offset."""
    parts = []
    while True:
        m = _TOML_KEY.match(text, i)
        if not m:
            return parts, i
        raw = m.group(0).strip()
        start = m.end() - len(raw)
        if raw[0] in "\"'":
            try:
                part = ast.literal_eval(raw) if raw[0] == '"' else raw[1:-1]
            except (ValueError, SyntaxError):
                part = raw[1:-1]
        else:
            part = raw
        parts.append((part, start))
        i = m.end()
        j = len(text[i:]) - len(text[i:].lstrip(" \t"))
        if text[i + j:i + j + 1] == ".":
            i = i + j + 1
            continue
        return parts, i


def _toml_positions(text: str) -> Dict[Tuple[str, ...], Loc]:
    """Key path -> position of the key, from table headers, `key = value` lines and keys
    inside inline tables."""
    positions: Dict[Tuple[str, ...], Loc] = {}
    table: Tuple[str, ...] = ()
    for row, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            double = stripped.startswith("[[")
            parts, _ = _toml_keys(line, indent + (2 if double else 1))
            table = tuple(p for p, _ in parts)
            positions.setdefault(table, Loc(row, indent + 1))
            continue
        parts, end = _toml_keys(line, indent)
        if not parts or "=" not in line[end:end + 3]:
            continue
        path = table + tuple(p for p, _ in parts)
        positions.setdefault(path, Loc(row, parts[-1][1] + 1))
        # keys inside an inline table on the same line: `root = { level = "INFO" }`
        rest = line[end:]
        if "{" in rest:
            base = len(line) - len(rest)
            for m in re.finditer(r'[{,]\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+)\s*=', rest):
                key = m.group(1)
                key = ast.literal_eval(key) if key.startswith('"') else key
                positions.setdefault(path + (key,), Loc(row, base + m.start(1) + 1))
    return positions


def read_toml(text: str) -> LVal:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise ReadError(f"invalid TOML: {re.sub(r' ?[(]at line.*', '', message)}", line, col) from None
    positions = _toml_positions(text)

    def locate(path: Tuple[str, ...]) -> Loc:
        while path:
            if path in positions:
                return positions[path]
            path = path[:-1]
        return Loc(1, 1)

    def build(value, path: Tuple[str, ...]) -> LVal:
        loc = locate(path)
        if isinstance(value, dict):
            return LDict(loc, [(k, locate(path + (k,)), build(v, path + (k,))) for k, v in value.items()])
        if isinstance(value, list):
            return LList(loc, [build(v, path) for v in value])
        return LScalar(loc, value)

    return build(data, ())


# --------------------------------------------------------------------------- INI (fileConfig)

_SECTION = re.compile(r"^\[([^\]]+)\]")
_OPTION = re.compile(r"^([^=:\s][^=:]*?)\s*[=:]")


class _IniText:
    """Positions of sections and options in an INI text, keyed as configparser keys them."""

    def __init__(self, text: str) -> None:
        self.sections: Dict[str, Loc] = {}
        self.options: Dict[Tuple[str, str], Tuple[Loc, int, str]] = {}
        section = None
        for row, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith(("#", ";")):
                continue
            m = _SECTION.match(line)
            if m:
                section = m.group(1).strip()
                self.sections.setdefault(section, Loc(row, 1))
                continue
            if section is None or line[0] in " \t":
                continue
            m = _OPTION.match(line)
            if m:
                key = m.group(1).strip().lower()
                value_col = m.end() + len(line[m.end():]) - len(line[m.end():].lstrip())
                self.options.setdefault((section, key), (Loc(row, 1), value_col, line))

    def section(self, name: str) -> Loc:
        return self.sections.get(name, Loc(1, 1))

    def option(self, section: str, key: str) -> Loc:
        found = self.options.get((section, key))
        return found[0] if found else self.section(section)

    def value(self, section: str, key: str) -> Loc:
        found = self.options.get((section, key))
        return Loc(found[0].line, found[1] + 1) if found else self.section(section)

    def item(self, section: str, key: str, item: str) -> Loc:
        """Position of one item of a comma-separated option value."""
        found = self.options.get((section, key))
        if not found:
            return self.section(section)
        loc, value_col, line = found
        m = re.search(r"(?:^|[\s,=:])(" + re.escape(item) + r")\s*(?:,|$)", line[value_col:])
        return Loc(loc.line, value_col + m.start(1) + 1) if m else Loc(loc.line, value_col + 1)


def looks_like_ini_logging(text: str) -> bool:
    names = set(m.group(1).strip() for m in re.finditer(r"^\[([^\]\n]+)\]", text, re.M))
    return "loggers" in names or len(names & {"loggers", "handlers", "formatters"}) >= 2 or "logger_root" in names


def _split(value: str) -> List[str]:
    return [v.strip() for v in value.split(",")] if value.strip() else []


def _literal(text: str, section: str, key: str, pos: _IniText, problems: List[Problem]):
    """ast.literal_eval of an INI `args=`/`kwargs=` value; (known, value)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        problems.append(Problem("LC508", pos.value(section, key),
                                f"[{section}] {key}: not a Python expression ({exc.msg}); fileConfig raises SyntaxError"))
        return False, None
    try:
        return True, ast.literal_eval(tree)
    except (ValueError, TypeError, SyntaxError):
        return False, None  # names such as sys.stdout, evaluated by fileConfig in logging's namespace


def read_ini(text: str) -> Config:
    """A `fileConfig` INI file -> Config, with the problems that make fileConfig fail
    (CPython's `logging.config._create_formatters`, `_install_handlers`, `_install_loggers`)."""
    cp = configparser.ConfigParser()
    try:
        cp.read_string(text)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None)
        if line is None:
            m = re.search(r"line:?\s*(\d+)", str(exc))
            line = int(m.group(1)) if m else 1
        message = re.sub(r"While reading from '<string>' \[line\s*\d+\]: ", "", str(exc).splitlines()[0])
        raise ReadError(f"invalid INI: {message}", line) from None
    pos = _IniText(text)
    config = Config("ini", "ini", Loc(1, 1), disable_existing="n/a")
    problems = config.problems

    def problem(loc: Loc, message: str, code: str = "LC508", fixed: Optional[str] = None) -> None:
        problems.append(Problem(code, loc, message, fixed))

    def get(section: str, key: str, raw: bool = False) -> Optional[str]:
        try:
            return cp.get(section, key, raw=raw, fallback=None)
        except configparser.Error as exc:
            if not has_placeholder(cp.get(section, key, raw=True, fallback=None)):
                problem(pos.value(section, key), f"[{section}] {key}: {str(exc).splitlines()[0]}")
            return None

    def level(section: str, what: str) -> Tuple[Optional[str], Optional[Loc], bool]:
        if not cp.has_option(section, "level"):
            return None, None, True
        value = get(section, "level")
        loc = pos.value(section, "level")
        if value is None or has_placeholder(value):
            return None, loc, False  # a templated level is unknown until substituted
        fixed = fixed_level_name(value)
        if fixed is not None:
            problem(loc, f"{what}: {level_name_problem(value)}", "LC303")
            return None, loc, False
        bad = level_name_problem(value)
        if bad is not None:
            problem(loc, f"{what}: {bad}")
            return None, loc, False
        return value, loc, True

    missing = [s for s in ("loggers", "handlers", "formatters") if not cp.has_section(s)]
    for s in missing:
        problem(Loc(1, 1), f"fileConfig needs a [{s}] section (with `keys=`); without it fileConfig raises KeyError")
    lists: Dict[str, List[str]] = {}
    for s in ("loggers", "handlers", "formatters"):
        if cp.has_section(s):
            if not cp.has_option(s, "keys"):
                problem(pos.section(s), f"[{s}] has no `keys=`; fileConfig raises KeyError")
                lists[s] = []
            else:
                lists[s] = _split(get(s, "keys", raw=True) or "")
            for item in lists[s]:
                name = f"{s[:-1]}_{item}"
                if not cp.has_section(name):
                    problem(pos.item(s, "keys", item), f"[{s}] keys lists `{item}` but there is no [{name}] section")

    # formatters
    for fid in lists.get("formatters", []):
        sect = f"formatter_{fid}"
        if not cp.has_section(sect):
            continue
        fdef = FormatterDef(fid, pos.section(sect))
        fmt = cp.get(sect, "format", raw=True, fallback=None)
        fdef.fmt = fmt
        fdef.fmt_loc = pos.value(sect, "format") if fmt is not None else None
        fdef.style = cp.get(sect, "style", raw=True, fallback="%")
        if cp.has_option(sect, "defaults"):  # Python 3.12+: an expression, not read here
            fdef.defaults = None
        cls = cp.get(sect, "class", raw=True, fallback=None)
        if cls:
            fdef.cls = cls.strip()
            obj = stdlib_object(fdef.cls)
            if obj is None or ("." not in fdef.cls):
                problem(pos.value(sect, "class"), f"formatter `{fid}`: class {fdef.cls!r} cannot be imported "
                                                  "(use a dotted path such as `logging.Formatter`)")
            if fmt is None and obj is False:
                fdef.fmt_known = False
        if fdef.style not in ("%", "{", "$"):
            problem(pos.value(sect, "style"), f"formatter `{fid}`: style must be one of '%', '{{', '$', got {fdef.style!r}")
            fdef.style_known = False
        elif fmt is not None and (fdef.cls is None or fdef.cls == "logging.Formatter"):
            error = format_error(fmt, fdef.style)
            if error is not None:
                problem(fdef.fmt_loc, f"formatter `{fid}`: {error}")
        config.formatters[fid] = fdef

    # handlers
    handler_ids = set(lists.get("handlers", []))
    for hid in lists.get("handlers", []):
        sect = f"handler_{hid}"
        if not cp.has_section(sect):
            continue
        what = f"handler `{hid}`"
        h = HandlerDef(hid, pos.section(sect))
        cls = cp.get(sect, "class", raw=True, fallback=None)
        if cls is None:
            problem(pos.section(sect), f"{what} has no `class=`; fileConfig raises KeyError")
        else:
            cls = cls.strip()
            h.cls_loc = pos.value(sect, "class")
            qualified = _ini_class(cls)
            if qualified is None and not has_placeholder(cls):
                problem(h.cls_loc, f"{what}: class {cls!r} is neither a name in `logging` nor an importable dotted path")
            h.cls = canonical_class(qualified)
        if cp.has_option(sect, "args") and not has_placeholder(cp.get(sect, "args", raw=True)):
            known, args = _literal(get(sect, "args", raw=True) or "()", sect, "args", pos, problems)
            if known and isinstance(args, tuple):
                h.positional = [LScalar(pos.value(sect, "args"), a) for a in args]
            elif known and not isinstance(args, tuple):
                problem(pos.value(sect, "args"), f"{what}: args must be a tuple (write `({args!r},)`)")
                h.args_known = False
            else:
                h.args_known = False
                text_args = get(sect, "args", raw=True) or ""
                if re.search(r"\bsys\.stdout\b", text_args):
                    h.positional = [LUnknown(pos.value(sect, "args"), "sys.stdout")]
                elif re.search(r"\bsys\.stderr\b", text_args):
                    h.positional = [LUnknown(pos.value(sect, "args"), "sys.stderr")]
        if cp.has_option(sect, "kwargs"):
            known, kwargs = _literal(get(sect, "kwargs", raw=True) or "{}", sect, "kwargs", pos, problems)
            if known and isinstance(kwargs, dict):
                h.args = {str(k): LScalar(pos.value(sect, "kwargs"), v) for k, v in kwargs.items()}
            else:
                h.args_known = False
        stream = h.args.get("stream") or (h.positional[0] if h.positional else None)
        h.kind = destination_kind(h.cls, stream)
        if h.cls == STREAM_HANDLER and isinstance(stream, LScalar) and isinstance(stream.value, str):
            problem(stream.loc, f"{what}: the stream is the string {stream.value!r}, not a stream: fileConfig "
                                "accepts it, then every record fails with AttributeError ('str' object has no "
                                "attribute 'write'); write the expression without quotes (`args=(sys.stdout,)`)")
        fmt = cp.get(sect, "formatter", raw=True, fallback="").strip()
        if fmt:
            h.formatter = fmt
            h.formatter_loc = pos.value(sect, "formatter")
            if "formatters" in lists and fmt not in lists["formatters"]:
                problem(h.formatter_loc, f"{what}: formatter `{fmt}` is referenced but not listed in [formatters]")
        h.level, h.level_loc, _ = level(sect, what)
        target = cp.get(sect, "target", raw=True, fallback="").strip()
        if target and h.cls == "logging.handlers.MemoryHandler" and target not in handler_ids:
            problem(pos.value(sect, "target"), f"{what}: target handler `{target}` is not listed in [handlers]")
        config.handlers[hid] = h

    # loggers
    loggers = lists.get("loggers")
    if loggers is not None:
        if "root" not in loggers:
            problem(pos.option("loggers", "keys") if cp.has_section("loggers") else Loc(1, 1),
                    "[loggers] keys must list `root`; fileConfig raises ValueError")
        for name in loggers:
            sect = f"logger_{name}"
            if not cp.has_section(sect):
                continue
            what = "root logger" if name == "root" else f"logger `{name}`"
            lvl, lvl_loc, ok = level(sect, what)
            ldef = LoggerDef("root" if name == "root" else name, pos.section(sect), lvl, lvl_loc, ok)
            if not cp.has_option(sect, "handlers"):
                problem(pos.section(sect), f"[{sect}] has no `handlers=` (it may be empty); fileConfig raises KeyError")
            else:
                ldef.handlers = _split(cp.get(sect, "handlers", raw=True))
                for ref in ldef.handlers:
                    if ref not in handler_ids:
                        problem(pos.item(sect, "handlers", ref), f"{what}: handler `{ref}` is referenced but not listed in [handlers]")
            if name == "root":
                config.root = ldef
            else:
                if not cp.has_option(sect, "qualname"):
                    problem(pos.section(sect), f"[{sect}] has no `qualname=`; fileConfig raises KeyError")
                    continue
                ldef.name = cp.get(sect, "qualname", raw=True).strip()
                config.loggers[ldef.name] = ldef
                if cp.has_option(sect, "propagate"):
                    try:
                        ldef.propagate = bool(cp.getint(sect, "propagate"))
                    except ValueError:
                        problem(pos.value(sect, "propagate"), f"{what}: propagate must be 0 or 1")
    return config


def _ini_class(cls: str) -> Optional[str]:
    """fileConfig evaluates `class=` in logging's namespace, then imports it as a dotted path."""
    if cls.isidentifier():
        obj = getattr(logging, cls, None)
        return f"logging.{cls}" if obj is not None else None
    if cls.startswith("handlers."):
        cls = "logging." + cls
    parts = cls.split(".")
    if not all(p.isidentifier() for p in parts):
        return None
    if stdlib_object(cls) is None:
        return None
    return cls


def read_text_tree(kind: str, text: str) -> Optional[LVal]:
    if kind == "json":
        return read_json(text)
    if kind == "yaml":
        return read_yaml(text)
    if kind == "toml":
        return read_toml(text)
    raise ValueError(kind)
