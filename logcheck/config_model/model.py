"""The logging-configuration model: one shape for every source (Python dict literals,
`basicConfig`, handlers built in code, INI files in `fileConfig` format, JSON/YAML/TOML
dictConfig files).

Values read from a source are kept as a small *located tree* (`LDict`, `LList`,
`LScalar`, `LUnknown`): every value carries where it was written (`Loc`: line and column
in a file, or the libcst node in Python source, so fixes can edit it). The dictConfig
interpreter and the INI reader turn such trees into a `Config` of formatters, handlers,
filters, loggers and root, each with its location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Set, Tuple

if TYPE_CHECKING:  # only in annotations: reading a JSON, YAML or INI file needs no libcst
    import libcst as cst

#: handler destination kinds (see the policy's `destinations`)
STDOUT, STDERR, FILE, CLOUDWATCH, SYSLOG, SOCKET, HTTP, SMTP, QUEUE, NULL, OTHER = (
    "stdout", "stderr", "file", "cloudwatch", "syslog", "socket", "http", "smtp", "queue", "null", "other")
#: destination that cannot be known statically (a stream held in a variable...): never reported
UNKNOWN = "unknown"

#: handler classes by qualified name -> destination kind (StreamHandler is decided by its stream)
HANDLER_KINDS: Dict[str, str] = {
    "logging.FileHandler": FILE,
    "logging.handlers.WatchedFileHandler": FILE,
    "logging.handlers.RotatingFileHandler": FILE,
    "logging.handlers.TimedRotatingFileHandler": FILE,
    "logging.handlers.SysLogHandler": SYSLOG,
    "logging.handlers.NTEventLogHandler": SYSLOG,
    "logging.handlers.SocketHandler": SOCKET,
    "logging.handlers.DatagramHandler": SOCKET,
    "logging.handlers.HTTPHandler": HTTP,
    "logging.handlers.SMTPHandler": SMTP,
    "logging.handlers.QueueHandler": QUEUE,
    "logging.handlers.QueueListener": QUEUE,
    "logging.NullHandler": NULL,
    "logging.handlers.MemoryHandler": OTHER,
    "logging.handlers.BufferingHandler": OTHER,
    "watchtower.CloudWatchLogHandler": CLOUDWATCH,
}
STREAM_HANDLER = "logging.StreamHandler"
FILE_HANDLER = "logging.FileHandler"
WATCHED_FILE_HANDLER = "logging.handlers.WatchedFileHandler"
ROTATING_FILE_HANDLER = "logging.handlers.RotatingFileHandler"
TIMED_ROTATING_FILE_HANDLER = "logging.handlers.TimedRotatingFileHandler"
CLOUDWATCH_HANDLER = "watchtower.CloudWatchLogHandler"
#: handlers whose output is not formatted by their own formatter (nothing printed, or
#: records forwarded to other handlers)
UNFORMATTED_KINDS = frozenset({NULL, QUEUE})


def canonical_class(name: Optional[str]) -> Optional[str]:
    """`logging.handlers.StreamHandler`-style aliases and watchtower's module paths ->
    the names above."""
    if name is None:
        return None
    if name.startswith("watchtower.") and name.endswith("CloudWatchLogHandler"):
        return CLOUDWATCH_HANDLER
    if name.startswith("logging.handlers.") and name[17:] in ("StreamHandler", "FileHandler", "NullHandler"):
        return "logging." + name[17:]  # logging.handlers re-exports these
    return name


def stream_kind(value: "LVal") -> str:
    """Destination of a StreamHandler's `stream` argument."""
    text = None
    if isinstance(value, LScalar) and isinstance(value.value, str):
        text = value.value
    elif isinstance(value, LUnknown):
        text = value.name
    if text is None:
        return UNKNOWN
    text = text[6:] if text.startswith("ext://") else text
    if text == "sys.stdout":
        return STDOUT
    if text == "sys.stderr":
        return STDERR
    return UNKNOWN if isinstance(value, LUnknown) else OTHER


def destination_kind(cls: Optional[str], stream: Optional["LVal"] = None) -> str:
    cls = canonical_class(cls)
    if cls is None:
        return UNKNOWN
    if cls == STREAM_HANDLER:
        return STDERR if stream is None else stream_kind(stream)
    return HANDLER_KINDS.get(cls, OTHER)


# --------------------------------------------------------------------------- located values


@dataclass(frozen=True)
class Loc:
    """Where something was written: 1-based line and column in a file, or the CST node."""

    line: int = 1
    col: int = 1
    node: Optional[cst.CSTNode] = None


@dataclass
class LVal:
    loc: Loc


@dataclass
class LScalar(LVal):
    value: Any = None


@dataclass
class LUnknown(LVal):
    """A value that is not a literal (a Python name, call, ...). `name` is its qualified
    dotted name when it is a name or attribute chain (`sys.stdout`)."""

    name: Optional[str] = None


@dataclass
class LList(LVal):
    items: List[LVal] = field(default_factory=list)
    #: holds `*spread` or comes from something not fully known
    partial: bool = False


@dataclass
class LDict(LVal):
    entries: List[Tuple[str, Loc, LVal]] = field(default_factory=list)
    #: holds `**spread` or non-literal keys: keys may exist that are not listed
    partial: bool = False

    def get(self, key: str) -> Optional[LVal]:
        for k, _, v in self.entries:
            if k == key:
                return v
        return None

    def key_loc(self, key: str) -> Optional[Loc]:
        for k, loc, _ in self.entries:
            if k == key:
                return loc
        return None

    def keys(self) -> List[str]:
        return [k for k, _, _ in self.entries]

    def __contains__(self, key: str) -> bool:
        return any(k == key for k, _, _ in self.entries)


def plain(value: Optional[LVal]) -> Any:
    """The Python value of a located tree (unknown parts become None)."""
    if isinstance(value, LScalar):
        return value.value
    if isinstance(value, LList):
        return [plain(v) for v in value.items]
    if isinstance(value, LDict):
        return {k: plain(v) for k, _, v in value.entries}
    return None


def scalar(value: Optional[LVal], kind=None) -> Any:
    """The scalar value, or None when absent, not a literal, or not of `kind`."""
    if isinstance(value, LScalar) and (kind is None or (isinstance(value.value, kind)
                                                        and not (kind is int and isinstance(value.value, bool)))):
        return value.value
    return None


# --------------------------------------------------------------------------- model


@dataclass
class FormatterDef:
    id: str
    loc: Loc
    #: the format string; None when not given (the class default is used)
    fmt: Optional[str] = None
    #: False when the format is not a literal (nothing can be said about its fields)
    fmt_known: bool = True
    fmt_loc: Optional[Loc] = None
    style: str = "%"
    style_known: bool = True
    #: qualified class or `()` factory name; None for logging.Formatter
    cls: Optional[str] = None
    #: the class is a literal (or absent)
    cls_known: bool = True
    #: fields the formatter supplies itself (dictConfig `defaults`, Python 3.12+); None: not known
    defaults: Optional[frozenset] = frozenset()


@dataclass
class HandlerDef:
    id: str
    loc: Loc
    cls: Optional[str] = None
    cls_loc: Optional[Loc] = None
    #: the keyword arguments (dictConfig keys, INI kwargs, constructor keywords)
    args: Dict[str, LVal] = field(default_factory=dict)
    #: positional constructor arguments (code and INI `args=`)
    positional: List[LVal] = field(default_factory=list)
    #: the arguments are fully known (no `*args`/`**kwargs`, no non-literal INI args)
    args_known: bool = True
    kind: str = UNKNOWN
    #: formatter id (dict/INI), or a FormatterDef (code); None: no formatter
    formatter: Any = None
    #: False when it cannot be known whether the handler gets a formatter
    formatter_known: bool = True
    formatter_loc: Optional[Loc] = None
    level: Optional[str] = None
    level_loc: Optional[Loc] = None
    #: filter ids attached to the handler; None stands for a filter given as a non-literal
    filters: List[Optional[str]] = field(default_factory=list)
    #: Python code: constructed from a class of this file that subclasses FileHandler
    #: without rotation (`project_file_handler` in python.py)
    file_subclass: bool = False
    #: Python: the node a fix edits (the handler's dict literal or constructor call)
    node: Optional[cst.CSTNode] = None
    #: Python code: id of the function whose body constructs the handler (0: module level)
    scope: int = 0

    def arg(self, name: str, position: Optional[int] = None) -> Tuple[bool, Optional[LVal]]:
        """(known, value) of an argument given by keyword or at `position`."""
        if name in self.args:
            return True, self.args[name]
        if position is not None and position < len(self.positional):
            return True, self.positional[position]
        return self.args_known, None


@dataclass
class LoggerDef:
    name: str
    loc: Loc
    level: Optional[str] = None
    level_loc: Optional[Loc] = None
    #: level given but not a literal
    level_known: bool = True
    #: handler ids the logger sends its records to
    handlers: List[str] = field(default_factory=list)
    #: filter ids attached to the logger; None stands for a filter given as a non-literal
    filters: List[Optional[str]] = field(default_factory=list)
    #: False only when `propagate` is a literal false
    propagate: bool = True


@dataclass
class Problem:
    """A finding the readers detect directly (LC508 validity, LC303 level names)."""

    code: str
    loc: Loc
    message: str
    #: LC303 in Python: the exact replacement text for the level string
    fixed: Optional[str] = None


@dataclass
class Config:
    #: "dict" (dictConfig schema), "ini" (fileConfig), "basic" (basicConfig), "code"
    kind: str
    #: "python", "ini", "json", "yaml", "toml"
    lang: str
    loc: Loc
    formatters: Dict[str, FormatterDef] = field(default_factory=dict)
    handlers: Dict[str, HandlerDef] = field(default_factory=dict)
    filters: Dict[str, Loc] = field(default_factory=dict)
    #: ids of the filters whose class is not `logging.Filter` (a project class may add
    #: record attributes)
    project_filters: Set[str] = field(default_factory=set)
    loggers: Dict[str, LoggerDef] = field(default_factory=dict)
    root: Optional[LoggerDef] = None
    #: some part of the configuration is not a literal: no "missing" findings
    partial: bool = False
    incremental: bool = False
    #: "missing", True, False, or None (not a literal)
    disable_existing: Any = "missing"
    problems: List[Problem] = field(default_factory=list)
    #: Python: the dict literal / call a fix edits
    node: Optional[cst.CSTNode] = None
    #: the formatter ids the `formatters` section defines may be unknown
    formatters_partial: bool = False

    def all_handlers(self) -> Iterator[HandlerDef]:
        return iter(self.handlers.values())

    def formatter_of(self, handler: HandlerDef) -> Optional[FormatterDef]:
        if isinstance(handler.formatter, FormatterDef):
            return handler.formatter
        if isinstance(handler.formatter, str):
            return self.formatters.get(handler.formatter)
        return None

    def root_level(self) -> Tuple[bool, Optional[str], Optional[Loc]]:
        """(set, level name or None when not a literal, location)."""
        if self.root is not None and (self.root.level is not None or not self.root.level_known):
            return True, self.root.level, self.root.level_loc
        empty = self.loggers.get("")
        if empty is not None and (empty.level is not None or not empty.level_known):
            return True, empty.level, empty.level_loc
        return False, None, None
