"""One file, end to end: decode, pre-check, parse once, one batched walk for all rules,
positions only when something was reported, suppression, and the fix loop.

Cost model (see docs/performance.md): libcst's own `visit` rebuilds every node it passes,
and its metadata providers each run a full code generation. So the walk here reads the
node dataclasses' fields directly and never rebuilds anything, and positions are computed
only for files that have a finding, only for the reported nodes (`positions.py`).
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import difflib
import functools
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Type

import libcst as cst

from logcheck import peers
from logcheck.diagnostics import PARSE_ERROR_CODE, PARSE_ERROR_NAME, SAFE, Diagnostic, Edit, FixInfo
from logcheck.loggers import LoggerCall
from logcheck.semantics import FileSemantics, ModuleLoggerPlan
from logcheck.nesting import nesting_problem
from logcheck.positions import reported_ranges
from logcheck.rule import Fix, Rule

MAX_FIX_PASSES = 10

# --------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


class DecodeError(Exception):
    """Source bytes that are not text in their declared (or default UTF-8) encoding; `row`
    and `col` (1-based) point at the offending byte."""

    def __init__(self, message: str, row: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.row = row
        self.col = col


def _byte_position(data: bytes, offset: int) -> Tuple[int, int]:
    """1-based line and column (in bytes) of `offset` in `data` (CRLF, CR, LF end lines)."""
    head = data[:offset]
    row = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    last = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return row, offset - last


def decode_source(data: bytes) -> SourceText:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie)."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise DecodeError("source contains a NUL byte", *_byte_position(data, nul))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = str(exc)
        if "invalid or missing encoding declaration" in message:
            # the first two lines are not UTF-8 and declare no encoding: say where
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                row, col = _byte_position(data, err.start)
                raise DecodeError(f"not valid UTF-8 (byte 0x{data[err.start]:02x}) and no coding "
                                  f"declaration", row, col) from None
        if message.startswith("encoding problem") and data.startswith(codecs.BOM_UTF8):
            message = "a UTF-8 byte order mark and a coding declaration of another encoding"
        raise DecodeError(message.replace(" for '<string>'", "")) from None
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding `{encoding}` in the coding declaration") from None
    except UnicodeDecodeError as exc:
        row, col = _byte_position(data, exc.start)
        declared = "UTF-8" if encoding == "utf-8" else f"{encoding} (from its coding declaration)"
        raise DecodeError(f"not valid {declared}: byte 0x{data[exc.start]:02x} ({exc.reason})",
                          row, col + (3 if bom and row == 1 else 0)) from None
    return SourceText(text, encoding, bom)


# --------------------------------------------------------------------------- walking

# Fields that hold only whitespace, comments or punctuation: never walked.
_SKIPPED_FIELDS = frozenset({
    "lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer", "comma",
    "semicolon", "colon", "equal", "dot", "trailing_whitespace", "newline", "indent",
    "whitespace_before", "whitespace_after", "whitespace_after_func", "whitespace_before_args",
    "whitespace_before_colon", "whitespace_after_colon", "whitespace_after_star",
    "whitespace_after_arg", "whitespace_after_assert", "whitespace_after_at",
    "whitespace_after_class", "whitespace_after_def", "whitespace_after_name",
    "whitespace_before_params", "whitespace_after_import", "whitespace_before_import",
    "whitespace_after_from", "whitespace_after_as", "whitespace_before_as", "whitespace_after_del",
    "whitespace_after_return", "whitespace_after_raise", "whitespace_after_global",
    "whitespace_after_nonlocal", "whitespace_after_if", "whitespace_after_in",
    "whitespace_after_lambda", "whitespace_after_for", "whitespace_before_in",
    "whitespace_before_if", "whitespace_after_while", "whitespace_after_with",
    "whitespace_before_from", "whitespace_after_await", "whitespace_after_match",
    "whitespace_after_case", "whitespace_after_type", "whitespace_after_except",
    "whitespace_before_walrus", "whitespace_after_walrus", "whitespace_after_cls",
    "whitespace_after_indicator", "whitespace_before_expression", "whitespace_after_expression",
    "whitespace_before_value", "whitespace_after_param", "whitespace_after_elif",
    "whitespace_after_else", "whitespace_after_try", "whitespace_after_finally",
    "whitespace_after_yield", "whitespace_after_async", "whitespace_before_else",
    "whitespace_after_print", "whitespace_after_global", "asynchronous", "operator",
    "open_bracket", "close_bracket", "lbrace", "rbrace", "lbracket", "rbracket", "star_tok",
})

_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _child_fields(node_type: type) -> Tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(node_type) if f.name not in _SKIPPED_FIELDS)
        _FIELDS[node_type] = names
    return names


class _NodeTypes(dict):
    """type -> is it a libcst node. `isinstance(x, cst.CSTNode)` goes through ABCMeta's
    Python-level `__instancecheck__` for every value that is not a node (it was a tenth
    of the cold path's time); a dict lookup on the value's class is a C call."""

    def __missing__(self, value_type: type) -> bool:
        is_node = issubclass(value_type, cst.CSTNode)
        self[value_type] = is_node
        return is_node


_IS_NODE = _NodeTypes()
_SEQUENCES = (list, tuple)


def iter_children(node: cst.CSTNode):
    """The semantic children of a node, in field order, without rebuilding anything."""
    is_node = _IS_NODE
    for name in _child_fields(node.__class__):
        value = getattr(node, name)
        value_type = value.__class__
        if value_type in _SEQUENCES:
            for item in value:
                if is_node[item.__class__]:
                    yield item
        elif is_node[value_type]:
            yield value


def _is_main_guard(node: cst.If) -> bool:
    return _is_main_test(node.test)


def _is_main_test(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`, alone or as a term of an `and`
    (`if sys.platform != "win32" and __name__ == "__main__":`)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _is_main_test(test.left) or _is_main_test(test.right)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    comp = test.comparisons[0]
    if not isinstance(comp.operator, cst.Equal):
        return False
    sides = (test.left, comp.comparator)
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    return len(names) == 1 and len(strings) == 1


# --------------------------------------------------------------------------- context


@dataclass
class _Report:
    rule: Type[Rule]
    node: cst.CSTNode
    message: str
    fix: Optional[Fix]
    #: the top-level statement being walked when it was reported (-1: none)
    statement: int


class FileContext:
    """What a rule may know about the file being checked, including walk state that the
    engine keeps (so no rule tracks enclosing functions or except blocks itself)."""

    def __init__(self, path: str, source: str, module: cst.Module, settings) -> None:
        self.path = path
        self.source = source
        self.module = module
        self.settings = settings
        self.reports: List[_Report] = []
        self._semantics: Optional[FileSemantics] = None
        self._logger_calls: Dict[int, Optional[LoggerCall]] = {}
        # walk state
        #: enclosing except handlers, innermost last (reset inside nested functions)
        self.except_handlers: List[cst.ExceptHandler] = []
        #: enclosing function definitions and lambdas, innermost last
        self.functions: List[cst.CSTNode] = []
        #: enclosing class definitions, innermost last
        self.classes: List[cst.ClassDef] = []
        #: enclosing scopes (functions, lambdas, classes, comprehensions), innermost last:
        #: where the semantic layer resolves names used at the current node
        self.scope_nodes: List[cst.CSTNode] = []
        #: did the last `module_logger_name()` hand out the logger a fix would insert
        self._logger_inserted = False
        #: depth of `if __name__ == "__main__":` bodies around the current node
        self.main_guard_depth = 0
        #: index in Module.body of the top-level statement being walked
        self.top_level_index = -1
        self._memo: Dict[str, object] = {}

    def memo(self, key: str, factory: Callable[[], object]) -> object:
        """A per-file value computed once and shared by the rules that need it (e.g. the
        logging-configuration model that every LC5xx rule reads)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]

    @property
    def loggers(self) -> FileSemantics:
        """The file's semantic model (scopes, bindings, logger provenance)."""
        if self._semantics is None:
            self._semantics = FileSemantics.for_file(self.module, self.path, self.settings)
        return self._semantics

    def logger_call(self, call: cst.Call) -> Optional[LoggerCall]:
        """The logging call `call` is at the current walk position, with its receiver's
        provenance; None for anything that is not a stdlib (or unknown) logger's."""
        key = id(call)
        if key not in self._logger_calls:
            self._logger_calls[key] = self.loggers.logger_call(call, self.scope_nodes)
        return self._logger_calls[key]

    def is_builtin(self, name: cst.Name) -> bool:
        """True when `name`, used at the current walk position, certainly refers to the
        builtin of that name (`str`, `print`, `format`): no enclosing scope binds it and no
        star import could."""
        return self.loggers.is_unbound(name.value, self.scope_nodes)

    @staticmethod
    def handler_name(handler: cst.CSTNode) -> Optional[str]:
        """The name an `except ... as name` handler binds, if any."""
        bound = getattr(handler, "name", None)
        return bound.name.value if bound is not None and isinstance(bound.name, cst.Name) else None

    @property
    def in_except(self) -> Optional[cst.ExceptHandler]:
        return self.except_handlers[-1] if self.except_handlers else None

    @property
    def in_function(self) -> bool:
        return bool(self.functions)

    def module_logger_name(self) -> Optional[str]:
        """The module logger a fix may call at the current walk position: an existing one
        that is bound when the call runs and visible from its scope, or one the fix inserts
        (`Fix.needs_module_logger`); None when neither is possible here."""
        found = self.loggers.module_loggers.for_call(self.loggers.chain(self.scope_nodes), self.top_level_index,
                                                     bool(self.functions))
        self._logger_inserted = found is not None and found[1]
        return found[0] if found is not None else None

    def add_report(self, rule: Rule, node: cst.CSTNode, message: str, fix: Optional[Fix]) -> None:
        if fix is not None and fix.needs_module_logger and not self._logger_inserted:
            fix = dataclasses.replace(fix, needs_module_logger=False)  # it reuses an existing logger
        self.reports.append(_Report(type(rule), node, message, fix, self.top_level_index))


# --------------------------------------------------------------------------- suppression

_NOQA = re.compile(r"[#;]\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:\s*,?\s*[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_DISABLE_FILE = re.compile(r"[#;]\s*logcheck:\s*disable-file(?:\s*=\s*(?P<codes>[A-Za-z0-9, ]+))?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> List[int]:
    """Offsets at which each line starts (CRLF, CR and LF all end a line)."""
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _code_matches(code: str, selectors: Iterable[str]) -> bool:
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())


def noqa_codes(line: str) -> Optional[List[str]]:
    """None: no noqa; []: bare noqa (all codes); else the listed codes, with peer linters'
    codes (`# noqa: G004`) translated to their LC codes (see logcheck.peers)."""
    m = _NOQA.search(line)
    if m is None:
        return None
    codes = m.group("codes")
    return peers.lc_codes(re.split(r"[\s,]+", codes.strip())) if codes else []


def _comment_lines(text: str) -> List[Tuple[int, str]]:
    """(row, line) of the lines holding only a comment (`#` or `;`)."""
    rows = []
    for row, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line.lstrip().startswith(("#", ";")):
            rows.append((row, line.strip()))
    return rows


def _header_end(text: str) -> Optional[int]:
    """The row of a Python file's first statement that is neither the module docstring nor
    an import (None: the file has none, or does not parse)."""
    import ast

    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    for i, stmt in enumerate(body):
        docstring = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
            and isinstance(stmt.value.value, str)
        if not docstring and not isinstance(stmt, (ast.Import, ast.ImportFrom)):
            return stmt.lineno
    return None


def disable_file_directives(text: str, python: bool = True) -> Tuple[Optional[List[str]], List[int]]:
    """`# logcheck: disable-file[=codes]` comments: the codes they disable (None: not
    disabled; []: every code) and the rows of those that are ignored.

    In Python files the directive counts in the file's header: its comments, docstring and
    imports, before the first other statement; one further down is ignored (and reported
    by the runner). Configuration files have no statements: any comment line counts."""
    if "disable-file" not in text:
        return None, []
    candidates = [(row, line) for row, line in _comment_lines(text) if _DISABLE_FILE.match(line)]
    if not candidates:
        return None, []
    end = _header_end(text) if python else None
    codes: Optional[List[str]] = None
    ignored: List[int] = []
    for row, line in candidates:
        if end is not None and row > end:
            ignored.append(row)
            continue
        listed = _DISABLE_FILE.match(line).group("codes")
        if not listed:
            codes = []
        elif codes != []:
            codes = (codes or []) + peers.lc_codes(c for c in re.split(r"[\s,]+", listed.strip()) if c)
    if ignored:  # only real comments: a `#` line inside a string is no directive
        comments = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                    if tok.type == tokenize.COMMENT}
        ignored = [row for row in ignored if row in comments]
    return codes, ignored


def file_disabled_codes(text: str, python: bool = True) -> Optional[List[str]]:
    """Codes disabled by `# logcheck: disable-file[=codes]` (None: not disabled; []: every code)."""
    return disable_file_directives(text, python)[0]


class Suppressions:
    def __init__(self, text: str, python: bool = True) -> None:
        self.text = text
        self.starts = line_starts(text)
        self.file_codes = file_disabled_codes(text, python)

    def line(self, row: int) -> str:
        if row < 1 or row > len(self.starts):
            return ""
        start = self.starts[row - 1]
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[start:end]

    def suppressed(self, code: str, rows: Iterable[int]) -> bool:
        if self.file_codes is not None and (not self.file_codes or _code_matches(code, self.file_codes)):
            return True
        for row in set(rows):
            line = self.line(row)
            lowered = line.lower()
            if "noqa" in lowered:
                codes = noqa_codes(line)
                if codes is not None and (not codes or _code_matches(code, codes)):
                    return True
            if "pylint" in lowered and code in peers.pylint_disabled(line):
                return True
        return False


# --------------------------------------------------------------------------- checking


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    #: fixes by diagnostic index (kept for the fix loop; not serialised)
    fixes: Dict[int, Fix] = field(default_factory=dict)
    module: Optional[cst.Module] = None
    source: Optional[SourceText] = None
    #: the module logger to insert, when a fix needs one
    plan: Optional[ModuleLoggerPlan] = None
    #: project files whose content the findings depend on (imports followed)
    dependencies: Tuple[str, ...] = ()


def parse_error(path: str, message: str, row: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(path, PARSE_ERROR_CODE, PARSE_ERROR_NAME, message, row, col, row, col)


@contextlib.contextmanager
def _unvalidated_nodes():
    """Build libcst nodes without running their `_validate()`, for trees the parser made.

    Every node's `__post_init__` re-checks invariants that the parser has just
    established (libcst's own PERF note there says as much); on real code that is ~20% of
    the parse. Worse, a few validators reject valid code (e.g. `() if 0 else(lambda:())`,
    Instagram/LibCST#1061), which would turn a valid file into an internal error. Used
    while parsing, and while fixes rebuild the parser-made ancestors of a replaced node;
    nodes that rules build are still validated when they are created, and fixed code is
    checked with `compile()` before it is written."""
    node_class = cst.CSTNode
    validating = node_class.__dict__.get("__post_init__")
    if validating is None:  # a libcst without the hook: nothing to skip
        yield
        return
    node_class.__post_init__ = _skip_validation
    try:
        yield
    finally:
        node_class.__post_init__ = validating


def _skip_validation(self) -> None:
    pass


def parse_module(text: str) -> cst.Module:
    with _unvalidated_nodes():
        return cst.parse_module(text)


def _parser_message(exc: cst.ParserSyntaxError) -> str:
    return f"SyntaxError: {exc.message}"


_LIBCST_AT = re.compile(r"^(?:parser|tokenizer) error: (?:error at (\d+):(\d+): )?")


def syntax_error(path: str, text: str, exc: cst.ParserSyntaxError) -> Diagnostic:
    """LC000 for a file libcst cannot parse. libcst's native parser reports column 0 and
    a position inside its message, so the interpreter's own parser is asked first: when it
    also rejects the file, its message and line:column are used (`invalid syntax`, `'(' was
    never closed`, ...); otherwise libcst's message, with the position it names."""
    try:
        compile(text, path, "exec", dont_inherit=True, flags=0x400)  # ast.PyCF_ONLY_AST
    except SyntaxError as err:
        row = err.lineno or 1
        col = err.offset or 1
        msg = err.msg or "invalid syntax"
        return parse_error(path, f"{type(err).__name__}: {msg}", max(row, 1), max(col, 1))
    except Exception:  # RecursionError, MemoryError, ValueError: fall back to libcst
        pass
    m = _LIBCST_AT.match(exc.message)
    message = exc.message[m.end():] if m else exc.message
    if m and m.group(1):
        row, col = int(m.group(1)), int(m.group(2)) + 1
    else:
        row, col = exc.raw_line, exc.raw_column + 1
    return parse_error(path, f"SyntaxError: {message}", max(row, 1), max(col, 1))


def check_source(path: str, source: SourceText, rules: Sequence[Type[Rule]], settings,
                 module: Optional[cst.Module] = None) -> FileResult:
    """Run `rules` over one decoded file. Never raises for bad input: parse failures and
    too-deep nesting become LC000 diagnostics."""
    result = FileResult(path, source=source)
    if module is None:
        too_deep = nesting_problem(source.text)  # libcst would crash or hang on it
        if too_deep is not None:
            result.diagnostics.append(parse_error(path, too_deep))
            return result
        try:
            module = parse_module(source.text)
        except cst.ParserSyntaxError as exc:
            result.diagnostics.append(syntax_error(path, source.text, exc))
            return result
        except RecursionError:
            result.diagnostics.append(parse_error(path, "too deeply nested to parse"))
            return result
    result.module = module
    ctx = FileContext(path, source.text, module, settings)
    try:
        _walk_module(ctx, [rule(ctx) for rule in rules])
    except RecursionError:
        result.diagnostics.append(parse_error(path, "too deeply nested to analyse"))
        return result
    if ctx._semantics is not None:
        result.dependencies = tuple(str(p) for p in ctx._semantics.dependencies())
    if not ctx.reports:
        return result
    try:
        positions = reported_ranges(module, source.text, [(r.node, r.statement) for r in ctx.reports])
    except RecursionError:
        result.diagnostics.append(parse_error(path, "too deeply nested to analyse"))
        return result
    if any(r.fix is not None and r.fix.needs_module_logger for r in ctx.reports):
        result.plan = ctx.loggers.module_logger_plan()
    suppressions = Suppressions(source.text)
    seen: Set[Tuple[str, int, int, str]] = set()
    for report in ctx.reports:
        pos = positions[id(report.node)]
        row, col = pos.start.line, pos.start.column + 1
        end_row, end_col = pos.end.line, pos.end.column + 1
        if suppressions.suppressed(report.rule.code, (row, end_row)):
            continue
        key = (report.rule.code, row, col, report.message)
        if key in seen:
            continue
        seen.add(key)
        fix = report.fix
        if fix is not None and drops_comments(fix):
            fix = None  # a fix never deletes a comment: report without one
        info = FixInfo(fix.applicability, fix.message) if fix is not None else None
        if fix is not None:
            result.fixes[len(result.diagnostics)] = fix
        result.diagnostics.append(Diagnostic(path, report.rule.code, report.rule.name, report.message,
                                             row, col, end_row, end_col, info, row))
    order = sorted(range(len(result.diagnostics)), key=lambda i: result.diagnostics[i].sort_key)
    new_index = {old: new for new, old in enumerate(order)}
    result.fixes = {new_index[i]: f for i, f in result.fixes.items()}
    result.diagnostics = [result.diagnostics[i] for i in order]
    return result


def comments_in(node: cst.CSTNode) -> Counter:
    """The comments inside a node, whitespace fields included."""
    found: Counter = Counter()
    if isinstance(node, cst.FlattenSentinel):
        stack = list(node.nodes)
    else:
        stack = [node] if isinstance(node, cst.CSTNode) else []  # RemovalSentinel
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            found[current.value.strip()] += 1
            continue
        for f in dataclasses.fields(current):
            value = getattr(current, f.name)
            if isinstance(value, cst.CSTNode):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(v for v in value if isinstance(v, cst.CSTNode))
    return found


def drops_comments(fix: Fix) -> bool:
    """True when applying `fix` would lose a comment that its replaced nodes hold."""
    return any(comments_in(old) - comments_in(new) for old, new in fix.replacements)


@functools.lru_cache(maxsize=64)
def _hooks(rule_types: Tuple[type, ...]) -> Tuple[Tuple[type, bool, int, str], ...]:
    """(node type, is a visit, rule index, method name) for every visit_/leave_ method of
    the rules, read once per rule set rather than once per file."""
    hooks = []
    for index, rule_type in enumerate(rule_types):
        for attr in dir(rule_type):
            if attr.startswith("visit_") or attr.startswith("leave_"):
                node_type = getattr(cst, attr[6:], None)
                if node_type is None:
                    raise TypeError(f"{rule_type.__name__}.{attr}: no libcst node {attr[6:]}")
                hooks.append((node_type, attr[0] == "v", index, attr))
    return tuple(hooks)


def _walk_module(ctx: FileContext, rules: Sequence[Rule]) -> None:
    visits: Dict[type, List[Callable]] = {}
    leaves: Dict[type, List[Callable]] = {}
    for node_type, is_visit, index, attr in _hooks(tuple(type(rule) for rule in rules)):
        (visits if is_visit else leaves).setdefault(node_type, []).append(getattr(rules[index], attr))

    field_names = _FIELDS
    is_node = _IS_NODE
    sequences = _SEQUENCES
    except_type, function_types, class_type, if_type = (cst.ExceptHandler, cst.ExceptStarHandler), (cst.FunctionDef, cst.Lambda), cst.ClassDef, cst.If
    comprehension_types = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
    stateful = frozenset((*except_type, *function_types, class_type, if_type, *comprehension_types))
    scope_nodes = ctx.scope_nodes

    def walk(node: cst.CSTNode) -> None:
        node_type = node.__class__
        handlers = visits.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)
        if node_type in stateful:
            _walk_stateful(node)
        else:
            names = field_names.get(node_type) or _child_fields(node_type)
            for name in names:
                value = getattr(node, name)
                value_type = value.__class__
                if value_type in sequences:
                    for item in value:
                        if is_node[item.__class__]:
                            walk(item)
                elif is_node[value_type]:
                    walk(value)
        handlers = leaves.get(node_type)
        if handlers:
            for handler in handlers:
                handler(node)

    def walk_children(node: cst.CSTNode) -> None:
        for child in iter_children(node):
            walk(child)

    def _walk_stateful(node: cst.CSTNode) -> None:
        if isinstance(node, except_type):
            ctx.except_handlers.append(node)
            walk_children(node)
            ctx.except_handlers.pop()
        elif isinstance(node, function_types):
            saved = ctx.except_handlers
            ctx.except_handlers = []
            ctx.functions.append(node)
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
            ctx.functions.pop()
            ctx.except_handlers = saved
        elif isinstance(node, class_type):
            ctx.classes.append(node)
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
            ctx.classes.pop()
        elif isinstance(node, comprehension_types):
            scope_nodes.append(node)
            walk_children(node)
            scope_nodes.pop()
        elif _is_main_guard(node):
            walk(node.test)
            ctx.main_guard_depth += 1
            walk(node.body)
            ctx.main_guard_depth -= 1
            if node.orelse is not None:
                walk(node.orelse)
        else:
            walk_children(node)

    module = ctx.module
    handlers = visits.get(cst.Module)
    if handlers:
        for handler in handlers:
            handler(module)
    for index, stmt in enumerate(module.body):
        ctx.top_level_index = index
        walk(stmt)
    ctx.top_level_index = -1
    handlers = leaves.get(cst.Module)
    if handlers:
        for handler in handlers:
            handler(module)


# --------------------------------------------------------------------------- fixing


class _Replacer(cst.CSTTransformer):
    def __init__(self, replacements: Dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        # no replacement target lies inside another (checked before), so stop descending
        # into a target; other subtrees are walked as usual
        return id(node) not in self.replacements

    def on_leave(self, original_node, updated_node):
        new = self.replacements.get(id(original_node))
        return updated_node if new is None else new


def _non_overlapping(module: cst.Module, fixes: Sequence[Fix]) -> List[Fix]:
    """Greedily keep fixes whose target nodes neither contain nor lie inside the targets
    of fixes already kept; the others wait for the next pass of the fix loop."""
    owner: Dict[int, int] = {}
    for i, fix in enumerate(fixes):
        for old, _ in fix.replacements:
            owner.setdefault(id(old), i)
    conflicts: Dict[int, Set[int]] = {i: set() for i in range(len(fixes))}
    open_targets: List[int] = []

    def walk(node: cst.CSTNode) -> None:
        i = owner.get(id(node))
        if i is not None:
            for j in open_targets:
                if j != i:
                    conflicts[i].add(j)
                    conflicts[j].add(i)
            open_targets.append(i)
        for child in iter_children(node):
            walk(child)
        if i is not None:
            open_targets.pop()

    walk(module)
    kept: List[int] = []
    for i in range(len(fixes)):
        if not (conflicts[i] & set(kept)):
            kept.append(i)
    return [fixes[i] for i in kept]


def _logger_statements(plan: ModuleLoggerPlan, module: cst.Module) -> List[cst.BaseStatement]:
    stmts: List[cst.BaseStatement] = []
    if plan.insert_import:
        alias = " as _logging" if plan.factory.startswith("_logging.") else ""
        stmts.append(cst.parse_statement(f"import logging{alias}\n", config=module.config_for_parsing))
    logger_line = cst.parse_statement(f"{plan.name} = {plan.factory}(__name__)\n", config=module.config_for_parsing)
    stmts.append(logger_line.with_changes(leading_lines=[cst.EmptyLine()]))
    return stmts


def apply_fixes(module: cst.Module, fixes: Sequence[Fix], plan: Optional[ModuleLoggerPlan]) -> cst.Module:
    """Apply non-overlapping fixes in one transform (plus the module-logger insertion)."""
    replacements = {id(old): new for fix in fixes for old, new in fix.replacements}
    with _unvalidated_nodes():  # only parser-made ancestors are rebuilt here
        new_module = module.visit(_Replacer(replacements)) if replacements else module
        if plan is not None and any(f.needs_module_logger for f in fixes):
            body = list(new_module.body)
            at = plan.anchor_index + 1
            inserted = _logger_statements(plan, module)
            if at == 0:
                inserted[0] = inserted[0].with_changes(leading_lines=[])
            if at < len(body) and not body[at].leading_lines:
                body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine()])
            body[at:at] = inserted
            new_module = new_module.with_changes(body=body)
    return new_module


def module_code(module: cst.Module, original: str) -> str:
    """`module.code`, keeping a final lone CR: libcst drops the last `\\r` of a file whose
    last line ends with a bare CR (old Mac line endings), which would change a byte
    outside every fix."""
    code = module.code
    if original.endswith("\r") and not original.endswith("\r\n"):
        code += "\r"
    return code


def is_valid_python(code: str) -> Optional[str]:
    """None when `code` parses with libcst and compiles; else the error message."""
    try:
        parse_module(code)
        compile(code, "<fixed>", "exec", dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except RecursionError:
        return "too deeply nested"
    return None


def unwritable(code: str, encoding: str) -> Optional[str]:
    """Why fixed source `code` cannot replace the file: it does not parse and compile, or
    holds a character the file's encoding cannot write (None when it can)."""
    error = is_valid_python(code)
    if error is not None:
        return f"fix produced invalid code ({error})"
    try:
        code.encode(encoding)
    except UnicodeEncodeError as exc:
        return f"fix produced text the file's encoding {encoding} cannot hold ({code[exc.start]!r})"
    return None


def fix_edits(source: str, module: cst.Module, fix: Fix, plan: Optional[ModuleLoggerPlan]) -> Tuple[Edit, ...]:
    """The text edits `fix` makes when applied alone (for JSON/SARIF/editor output)."""
    new_code = module_code(apply_fixes(module, [fix], plan), source)
    return text_edits(source, new_code)


def text_edits(old: str, new: str) -> Tuple[Edit, ...]:
    """Minimal line-hunk edits turning `old` into `new`, trimmed to changed characters."""
    if old == new:
        return ()
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits: List[Edit] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a = "".join(old_lines[i1:i2])
        b = "".join(new_lines[j1:j2])
        prefix = len(_common_prefix(a, b))
        suffix = len(_common_prefix(a[prefix:][::-1], b[prefix:][::-1]))
        start = starts[i1] + prefix
        end = starts[i1] + len(a) - suffix
        edits.append(_edit_at(old, start, end, b[prefix:len(b) - suffix]))
    return tuple(edits)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[n] == b[n]:
        n += 1
    return a[:n]


def _edit_at(text: str, start: int, end: int, content: str) -> Edit:
    starts = line_starts(text)
    return Edit(content, *_row_col(starts, start), *_row_col(starts, end))


def _row_col(starts: List[int], offset: int) -> Tuple[int, int]:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - starts[lo] + 1


@dataclass
class FixOutcome:
    text: str
    #: diagnostics still present after fixing (as in the final pass)
    result: FileResult
    applied: int = 0
    #: (rule code, message) for fixes dropped because their output did not compile or
    #: could not be encoded
    failed: List[Tuple[str, str]] = field(default_factory=list)


def fix_source(path: str, source: SourceText, rules: Sequence[Type[Rule]], settings,
               unsafe: bool = False) -> FixOutcome:
    """The fix loop: check, apply every applicable non-overlapping fix at once, re-parse and
    check again, until nothing applicable is left (at most MAX_FIX_PASSES passes). A
    batch whose output does not parse and compile, or cannot be written in the file's
    encoding, is narrowed down fix by fix; the fixes that break it are dropped and reported."""
    text = source.text
    applied = 0
    failed: List[Tuple[str, str]] = []
    banned: Set[Tuple[str, int, int]] = set()
    result = check_source(path, source, rules, settings)
    for _ in range(MAX_FIX_PASSES):
        if result.module is None:
            break
        candidates = [
            (result.diagnostics[i], fix) for i, fix in sorted(result.fixes.items())
            if (fix.applicability == SAFE or unsafe)
            and (result.diagnostics[i].code, result.diagnostics[i].row, result.diagnostics[i].col) not in banned
        ]
        if not candidates:
            break
        module, plan = result.module, result.plan
        fixes = _non_overlapping(module, [f for _, f in candidates])
        by_fix = {id(f): d for d, f in candidates}
        try:
            new_text = module_code(apply_fixes(module, fixes, plan), text)
        except RecursionError:
            failed.append((PARSE_ERROR_CODE, "1:1: too deeply nested to apply fixes; remaining fixes not applied"))
            break
        error = unwritable(new_text, source.encoding)
        if error is not None:
            good = []
            for fix in fixes:
                alone = module_code(apply_fixes(module, [fix], plan), text)
                alone_error = unwritable(alone, source.encoding)
                if alone_error is None:
                    good.append(fix)
                else:
                    d = by_fix[id(fix)]
                    banned.add((d.code, d.row, d.col))
                    failed.append((d.code, f"{d.row}:{d.col}: {alone_error}; not applied"))
            new_text = module_code(apply_fixes(module, good, plan), text) if good else text
            if good and unwritable(new_text, source.encoding) is not None:
                for fix in good:
                    d = by_fix[id(fix)]
                    banned.add((d.code, d.row, d.col))
                    failed.append((d.code, f"{d.row}:{d.col}: fixes together produced invalid code; not applied"))
                new_text, good = text, []
            fixes = good
        if new_text == text:
            break
        applied += len(fixes)
        text = new_text
        source = SourceText(text, source.encoding, source.bom)
        result = check_source(path, source, rules, settings)
    return FixOutcome(text, result, applied, failed)


def with_fix_edits(result: FileResult) -> List[Diagnostic]:
    """The result's diagnostics with the text edits of each fix filled in."""
    if result.module is None or not result.fixes or result.source is None:
        return list(result.diagnostics)
    plan = result.plan
    out = list(result.diagnostics)
    for i, fix in result.fixes.items():
        d = out[i]
        edits = fix_edits(result.source.text, result.module, fix, plan)
        out[i] = dataclasses.replace(d, fix=FixInfo(fix.applicability, fix.message, edits))
    return out
