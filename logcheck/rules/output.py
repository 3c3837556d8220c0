"""LC401-LC403: print and other ad-hoc output instead of logging, in code whose output
is not its purpose (see `logcheck.semantics.purpose` for what a file and its code are for)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import libcst as cst

from logcheck.lint.rule import Fix, Rule
from logcheck.semantics.loggers import _top_level_imports, keyword_arg, string_value
from logcheck.semantics.purpose import file_purpose, in_program_code, name_words
from logcheck.source.cst import comment_reason, comments_in
from logcheck.source.precheck import word

_STREAMS = {"sys.stdout": "info", "sys.stderr": "warning"}
#: words in the name of a function or class whose job is output (`print_table`,
#: `_handle_print`, `show_diff`, `ConsolePrinter`, `main`): printing is the point there
OUTPUT_WORDS = frozenset({
    "print", "printer", "pprint", "show", "display", "dump", "dumper", "echo", "output", "usage", "help",
    "banner", "console", "cli", "repl", "prompt", "main",
})
#: words of a docstring that say the function's job is output ("Print the table", "prints
#: the runtime type")
_OUTPUT_DOC_WORDS = frozenset({"print", "prints", "printed", "printing", "display", "displays", "show", "shows",
                               "echo", "echoes"})
#: the last name of a call whose result is a serialised document (`json.dumps(...)`,
#: `yaml.safe_dump(...)`, `model.model_dump_json()`): printing it is a protocol with the
#: program that reads stdout, not a message
SERIALISERS = frozenset({"dumps", "dump", "safe_dump", "to_json", "to_yaml", "model_dump_json", "json_dumps"})
#: words of a comment beside a `print` that say why it prints rather than logs ("shown to the
#: user", "CLI output", "stdout is read by the caller", "logging is not configured yet")
_REASON_WORDS = frozenset({"print", "prints", "printing", "printed", "stdout", "stderr", "user", "users",
                           "terminal", "console", "cli", "output", "screen", "tty", "interactive", "shell",
                           "logging", "logger"})
#: words in the text of a `file=sys.stderr` print that say which level it reports
_ERROR_WORDS = frozenset({"error", "errors", "failed", "failure", "fail", "fails", "fatal", "cannot", "unable",
                          "exception", "traceback", "abort", "aborting", "aborted", "critical"})


def string_literal(text: str) -> cst.SimpleString:
    """A double-quoted literal for `text` (single quotes when the text holds `"` only)."""
    r = repr(text)
    if r.startswith("'") and '"' not in text:
        r = '"' + r[1:-1].replace("\\'", "'") + '"'
    return cst.SimpleString(r)


def _has_comment(node: cst.CSTNode) -> bool:
    return bool(comments_in(node))


def is_output_name(name: str) -> bool:
    return any(w in OUTPUT_WORDS for w in name_words(name))


def is_serialised(expr: cst.BaseExpression) -> bool:
    """`json.dumps(x)`, `yaml.safe_dump(x)`, `obj.to_json()`: a serialised document."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return last in SERIALISERS


def _stderr_level(values: List[cst.BaseExpression]) -> str:
    """`error` when the literal text of the printed values says something failed, else
    `warning`: the lowest level an unconfigured program still writes to stderr
    (logging's last-resort handler), so the message stays visible."""
    text: List[str] = []
    for value in values:
        literal = string_value(value)
        if literal is not None:
            text.append(literal)
        elif isinstance(value, cst.FormattedString):
            text.extend(p.value for p in value.parts if isinstance(p, cst.FormattedStringText))
    words = set(name_words(" ".join(text)))
    return "error" if words & _ERROR_WORDS else "warning"


class _ExemptOutput(Rule):
    """Shared exemptions of LC401-LC403: code whose output is its purpose. Program code (a
    `__main__` guard, entry points, commands, functions only they call), whole programs,
    migrations, files matched by `allow-print`/`extend-allow-print`, functions and
    classes named for output, and serialised documents (a protocol on stdout)."""

    _exempt_file: Optional[bool] = None

    def exempt(self, printed: Optional[cst.BaseExpression] = None) -> bool:
        if printed is not None and is_serialised(printed):
            return True
        if self._exempt_file is None:
            purpose = file_purpose(self.ctx)
            self._exempt_file = purpose.program or purpose.migration or bool(
                self.ctx.settings.print_allowed(Path(self.ctx.path)))
        if self._exempt_file or in_program_code(self.ctx):
            return True
        return any(is_output_name(scope.name.value) for scope in (*self.ctx.classes, *self.ctx.functions)
                   if isinstance(scope, (cst.FunctionDef, cst.ClassDef))) or any(
            self._talks_to_user(f) for f in self.ctx.functions if isinstance(f, cst.FunctionDef))

    def _talks_to_user(self, function: cst.FunctionDef) -> bool:
        """A function documented as printing ("Print the table.") or that asks the user
        (`input()`, `getpass()`): its output is its job."""
        key = f"talks-to-user-{id(function)}"
        return self.ctx.memo(key, lambda: _documented_as_output(function) or _reads_user_input(self.ctx, function))

    def stream_method(self, arg: Optional[cst.Arg]) -> Optional[str]:
        """For a `file=`/`stream=` argument: "info" for sys.stdout (or None, or no argument),
        "warning" for sys.stderr (see `_stderr_level`), None for anything else (a file
        object: not console output)."""
        if arg is None or _is_none(arg.value):
            return "info"
        return _STREAMS.get(self.ctx.loggers.qualified_name(arg.value) or "")


def _documented_as_output(function: cst.FunctionDef) -> bool:
    docstring = function.get_docstring()
    return docstring is not None and bool(set(name_words(docstring)) & _OUTPUT_DOC_WORDS)


def _reads_user_input(ctx, function: cst.FunctionDef) -> bool:
    from logcheck.source.cst import iter_children

    stack: List[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)):
            qualified = ctx.loggers.qualified_name(node.func)
            if qualified in ("getpass.getpass",) or (
                    isinstance(node.func, cst.Name) and node.func.value == "input" and ctx.is_builtin(node.func)):
                return True
        stack.extend(iter_children(node))
    return False


def _first_positional(node: cst.Call) -> Optional[cst.BaseExpression]:
    for arg in node.args:
        if arg.keyword is None and not arg.star:
            return arg.value
    return None


class PrintCall(_ExemptOutput):
    code = "LC401"
    name = "print-call"
    message = "`print()` in library code; use a logger"
    fix = "unsafe"
    #: off by default: on projects it was not tuned on, the prints left after every
    #: exemption were mostly tools' and programs' own output (docs/precision.md)
    default = False
    needles = (word("print"),)
    #: a call of a name `print` (an attribute's call is never the builtin)
    ast_gate = staticmethod(lambda facts, settings: any(facts.calls_to("print")))

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        #: the statement lines and indented blocks around the walk position, innermost last
        self._lines: List[cst.SimpleStatementLine] = []
        self._blocks: List[cst.IndentedBlock] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._lines.append(node)

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._lines.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.append(node)

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._blocks.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Name) or func.value != "print":
            return
        resolver = self.ctx.loggers
        if "print" in resolver.bound_names or "print" in resolver.imports:
            return  # shadowed (def print, print = ..., a parameter, an import)
        method = self.stream_method(keyword_arg(node, "file"))
        if method is None:
            return
        if self.exempt(_first_positional(node)) or self._explained(node):
            return
        self.report(node, fix=self._fix(node, method))

    def _explained(self, node: cst.Call) -> bool:
        """A comment on the print's line (or inside the call), or on the line just above it,
        that says why it prints (`# shown to the user`, `# CLI output`, `# print, not logging:
        ...`): the choice was made on purpose. Tool directives (`# noqa`) give no reason."""
        comments = list(comments_in(node))
        line = self._lines[-1] if self._lines else None
        if line is not None:
            if line.trailing_whitespace.comment is not None:
                comments.append(line.trailing_whitespace.comment.value)
            if line.leading_lines and line.leading_lines[-1].comment is not None:
                comments.append(line.leading_lines[-1].comment.value)
            block = self._blocks[-1] if self._blocks else None
            if block is not None and block.body and block.body[0] is line and not line.leading_lines \
                    and block.header.comment is not None:
                comments.append(block.header.comment.value)  # `if quiet:  # terminal only`
        return any(set(name_words(comment_reason(c))) & _REASON_WORDS for c in comments)

    def _fix(self, node: cst.Call, method: str) -> Optional[Fix]:
        if self._output_may_be_captured():
            return None
        name = self.ctx.module_logger_name()
        if name is None or self._output_would_vanish():
            return None
        values: List[cst.BaseExpression] = []
        sep = " "
        for arg in node.args:
            if arg.star:
                return None
            if arg.keyword is None:
                values.append(arg.value)
                continue
            key = arg.keyword.value
            if key in ("sep", "end"):
                if _is_none(arg.value):
                    continue
                text = string_value(arg.value)
                if text is None:
                    return None
                if key == "sep":
                    sep = text
            elif key == "flush":
                if not (isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False")):
                    return None
            elif key != "file":
                return None
        if not values or _has_comment(node):
            return None
        if method == "warning":
            method = _stderr_level(values)
        new_args = _message_args(values, sep)
        new = cst.Call(func=cst.Attribute(value=cst.Name(name), attr=cst.Name(method)), args=new_args)
        return Fix.replace(node, new, f"Use `{name}.{method}(...)`", unsafe=True, needs_module_logger=True)

    def _output_may_be_captured(self) -> bool:
        """Does the file redirect the standard streams (`contextlib.redirect_stdout`/
        `redirect_stderr`)? A print under the redirection (in the `with` body, or in a
        function called there) writes into the capture; a logger call would not."""
        ctx = self.ctx
        return bool(ctx.memo("redirects-std-streams", lambda: "redirect_std" in ctx.source and any(
            q == "contextlib" or q.startswith("contextlib.redirect_std") for q in ctx.loggers.imports.values())))

    def _output_would_vanish(self) -> bool:
        """A module run as a program that configures no logging: its records at INFO
        would go nowhere (logging's last resort writes WARNING and above only)."""
        from logcheck.rules.config import model_of

        return file_purpose(self.ctx).runs_as_program and not model_of(self.ctx).calls


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _is_str_literal(expr: cst.BaseExpression) -> bool:
    """A str (not bytes) literal: plain, f-string, or an implicit concatenation."""
    return isinstance(expr, cst.FormattedString) or string_value(expr) is not None


def _builds_string(expr: cst.BaseExpression) -> bool:
    """An expression that certainly evaluates to a str built from a literal template."""
    if isinstance(expr, cst.FormattedString):
        return True
    if isinstance(expr, cst.BinaryOperation):
        if isinstance(expr.operator, cst.Modulo):
            return string_value(expr.left) is not None
        if isinstance(expr.operator, cst.Add):
            return _is_str_literal(expr.left) or _is_str_literal(expr.right)
        return False
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "format":
        return string_value(expr.func.value) is not None
    return False


def _message_args(values: List[cst.BaseExpression], sep: str) -> List[cst.Arg]:
    """`print(*values, sep=sep)` as logging arguments: literal strings go into the format,
    every other value becomes a `%s` argument (str() of it, exactly what print writes)."""
    if len(values) == 1 and _builds_string(values[0]):
        # a single f-string, `"..." % x`, `"...".format(x)` or `"..." + x` is the message
        # itself (without arguments logging does not %-format it); LC201-LC204 then make
        # it lazy
        return [cst.Arg(values[0])]
    literal: List[Optional[str]] = [string_value(v) for v in values]
    has_args = any(t is None for t in literal)
    parts: List[str] = []
    rest: List[cst.BaseExpression] = []
    for text, value in zip(literal, values):
        if text is None:
            parts.append("%s")
            rest.append(value)
        else:
            parts.append(text.replace("%", "%%") if has_args else text)
    joiner = sep.replace("%", "%%") if has_args else sep
    message = string_literal(joiner.join(parts))
    return [cst.Arg(message)] + [cst.Arg(v) for v in rest]


class PprintCall(_ExemptOutput):
    code = "LC402"
    name = "pprint-call"
    message = "`pprint()` writes to stdout; log the formatted value at debug level instead"
    fix = "unsafe"
    needles = (word("pprint"),)  # `pp` and `pformat` come from `pprint` too
    #: `pprint.pprint`/`pprint.pp` end in `pprint` or `pp`, as written or as imported
    ast_gate = staticmethod(lambda facts, settings: any(facts.calls_to("pprint", "pp")))

    _FORMAT_KEYWORDS = frozenset({"indent", "width", "depth", "compact", "sort_dicts", "underscore_numbers"})

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in ("pprint", "pp") or isinstance(func, cst.Name)):
            return
        qn = self.ctx.loggers.qualified_name(func)
        if qn not in ("pprint.pprint", "pprint.pp"):
            return
        positional = [a for a in node.args if a.keyword is None]
        # `pprint(obj, stream)`: the stream is the second positional argument (not known
        # after a `*args`)
        stream = positional[1] if len(positional) > 1 and not positional[0].star else keyword_arg(node, "stream")
        if (stream is not None and stream.star) or self.stream_method(stream) is None:
            return
        if self.exempt(_first_positional(node)):
            return
        self.report(node, fix=self._fix(node, qn))

    def _fix(self, node: cst.Call, qualified: str) -> Optional[Fix]:
        name = self.ctx.module_logger_name()
        module = self._pprint_module()
        if name is None or module is None or _has_comment(node):
            return None
        positional = [a for a in node.args if a.keyword is None]
        keywords = [a for a in node.args if a.keyword is not None]
        if len(positional) != 1 or positional[0].star:
            return None
        if any(a.keyword.value not in self._FORMAT_KEYWORDS for a in keywords):
            return None  # stream= (even sys.stdout/stderr) changes the method: left to the user
        fmt_args = [cst.Arg(positional[0].value)] + [cst.Arg(a.value, keyword=cst.Name(a.keyword.value),
                                                               equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
                                                       for a in keywords]
        if qualified == "pprint.pp" and not any(a.keyword.value == "sort_dicts" for a in keywords):
            # pp() does not sort dictionaries; pformat() does by default
            fmt_args.append(cst.Arg(cst.Name("False"), keyword=cst.Name("sort_dicts"),
                                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        pformat = cst.Call(func=cst.Attribute(value=cst.Name(module), attr=cst.Name("pformat")), args=fmt_args)
        new = cst.Call(func=cst.Attribute(value=cst.Name(name), attr=cst.Name("debug")),
                       args=[cst.Arg(string_literal("%s")), cst.Arg(pformat)])
        return Fix.replace(node, new, f"Use `{name}.debug(\"%s\", {module}.pformat(...))`",
                           unsafe=True, needs_module_logger=True)

    def _pprint_module(self) -> Optional[str]:
        """A name bound to the `pprint` module by an unconditional top-level import."""
        resolver = self.ctx.loggers
        for stmt in self.ctx.module.body:
            for local, qualified in _top_level_imports(stmt):
                if qualified == "pprint" and local not in resolver.shadowed and resolver.imports.get(local) == "pprint":
                    return local
        return None


class StdStreamWrite(_ExemptOutput):
    code = "LC403"
    name = "std-stream-write"
    message = "Direct write to `sys.stdout`/`sys.stderr`; use a logger"
    default = False
    needles = (word("stdout"), word("stderr"))
    ast_gate = staticmethod(lambda facts, settings: any(facts.calls_to("write", "writelines")))

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in ("write", "writelines"):
            return
        qn = self.ctx.loggers.qualified_name(node.func.value)
        if qn not in _STREAMS:
            return
        if self.exempt(_first_positional(node)):
            return
        self.report(node, f"Direct `{qn}.{node.func.attr.value}()`; use a logger")
