"""LC807 deprecated-logging-api: an import or dotted path of a logging API that moved
(rules/LC807.md, which cites each library's changelog)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, Iterator, Optional, Tuple

import libcst as cst

from logcheck.config_model.dependencies import project_admits
from logcheck.lint.rule import Fix, Rule
from logcheck.semantics.loggers import dotted_name, string_value
from logcheck.source.precheck import word


@dataclass(frozen=True)
class Move:
    #: the module that held the API, and the names of it that moved (empty: the module)
    module: str
    names: FrozenSet[str]
    new_module: str
    #: the distribution that has the new path, from which version
    package: str
    since: str
    #: False where no rewrite keeps what the program does (see the rule page)
    fixable: bool = True

    def describe(self, name: str = "") -> str:
        old = f"{self.module}.{name}" if name else self.module
        new = f"{self.new_module}.{name}" if name else self.new_module
        return f"`{old}` moved to `{new}` ({self.package} {self.since})"


MOVES: Tuple[Move, ...] = (
    Move("pythonjsonlogger.jsonlogger", frozenset({"JsonFormatter", "JsonEncoder"}), "pythonjsonlogger.json",
         "python-json-logger", "3.1.0"),
    Move("opentelemetry.sdk._logs", frozenset({"LoggingHandler"}), "opentelemetry.instrumentation.logging.handler",
         "opentelemetry-instrumentation-logging", "0.61b0"),
    # threadlocal and contextvars differ under asyncio (a task's bindings stay in its
    # context) and in their names: reported, never rewritten
    Move("structlog.threadlocal", frozenset(), "structlog.contextvars", "structlog", "22.1.0", fixable=False),
)


def moved(path: str) -> Optional[Tuple[Move, str]]:
    """The move and the moved name for a dotted path (`a.b.Name` or a module)."""
    for move in MOVES:
        if path == move.module and not move.names:
            return move, ""
        head, _, name = path.rpartition(".")
        if head == move.module and (not move.names or name in move.names):
            return move, name if move.names else ""
        if not move.names and path.startswith(move.module + "."):
            return move, ""
    return None


_PATHS = re.compile(r"\b(?:pythonjsonlogger\.jsonlogger\.\w+|opentelemetry\.sdk\._logs\.LoggingHandler|"
                    r"structlog\.threadlocal\b(?:\.\w+)?)")


def text_findings(text: str) -> Iterator[Tuple[int, int, str]]:
    """(line, column, message) for each moved dotted path in a configuration file's text."""
    for row, line in enumerate(text.splitlines(), 1):
        for m in _PATHS.finditer(line):
            found = moved(m.group(0))
            if found is not None:
                yield row, m.start() + 1, found[0].describe(found[1])


def _gate(facts, settings) -> bool:
    """An import of a moved module or name (`import structlog.threadlocal` keeps only its
    last part among the identifiers), or a string naming a moved path."""
    modules = tuple(move.module for move in MOVES)
    if {"jsonlogger", "threadlocal"} & facts.identifiers or any(
            target.startswith(modules) for targets in facts.import_targets.values() for target in targets):
        return True
    # one search over the strings joined: no path spans a line break
    return _PATHS.search("\n".join(facts.strings)) is not None


class DeprecatedLoggingApi(Rule):
    code = "LC807"
    name = "deprecated-logging-api"
    message = "Logging API that moved"
    fix = "safe"
    needles = (word("jsonlogger"), word("_logs"), word("threadlocal"))
    ast_gate = staticmethod(_gate)

    def _fixable(self, move: Move) -> bool:
        return move.fixable and project_admits(self.ctx.settings.root, move.package, move.since)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        names = [] if isinstance(node.names, cst.ImportStar) else [dotted_name(a.name) for a in node.names]
        for move in MOVES:
            if module == move.module:
                used = [n for n in names if not move.names or n in move.names]
                if move.names and not used:
                    continue
                fix = None
                if self._fixable(move) and names and all(n in move.names for n in names):
                    fix = Fix.replace(node.module, cst.parse_expression(move.new_module),
                                      f"Import from `{move.new_module}`")
                self.report(node, move.describe(used[0] if move.names and len(used) == 1 else ""), fix)
            elif module is not None and f"{module}.{'.'.join(names)}" == move.module and len(names) == 1:
                self.report(node, move.describe())  # `from pythonjsonlogger import jsonlogger`

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            found = moved(dotted_name(alias.name) or "")
            if found is not None and not found[1]:
                self.report(node, found[0].describe())

    def visit_DictElement(self, node: cst.DictElement) -> None:
        """A dictConfig factory or class (`"()": "..."`, `"class": "..."`): a dotted path that
        is imported when the configuration loads."""
        value = string_value(node.value)
        found = moved(value) if string_value(node.key) in ("()", "class") and value else None
        # a path to an object, not a bare module name
        if found is None or (found[0].names and not found[1]) or value == found[0].module:
            return
        move, name = found
        string = node.value
        fix = None
        if self._fixable(move) and isinstance(string, cst.SimpleString) and string.raw_value == value:
            new_value = value.replace(move.module, move.new_module, 1)
            fix = Fix.replace(string, string.with_changes(value=f"{string.prefix}{string.quote}{new_value}{string.quote}"),
                              f"Use {new_value!r}")
        self.report(string, move.describe(name), fix)
