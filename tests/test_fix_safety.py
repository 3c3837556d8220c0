"""Property tests of the fixer over generated whole modules (hypothesis).

Each module mixes generated logging calls (root logger, module logger, `warn`/`fatal`,
f-strings with format specs and conversions, `%`-formatting, `.format()`, concatenation,
`exc_info=`), `print` calls, nested quotes, comments, blank lines and blocks. For every
module, `--fix --unsafe-fixes` (the engine's fix loop):

- produces code that compiles;
- is idempotent: fixing the fixed code changes nothing;
- touches no byte outside the reported ranges of the fixable findings, except the module
  logger (and `import logging`) that a fix may insert after the imports.

(That the lazy message renders to the same text as the eager one is
tests/test_fix_properties.py's job.)
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import List, Tuple

from helpers import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from logcheck.lint.check import check_source, fix_source
from logcheck.rules import registry
from logcheck.rules.selection import enabled_codes
from logcheck.source.text import SourceText
from logcheck.workspace.settings_loader import settings_from_table

SETTINGS = settings_from_table({}, Path.cwd(), None)
RULES = registry.rules_for(enabled_codes(SETTINGS))

NAMES = st.sampled_from(["user", "n", "items", "self.value", "data['k']", "obj.attr", "x", "total"])
PLAIN_WORDS = st.sampled_from(["ok", "done", "it's fine", 'say "hi"', "100%", "a\\tb", "{braces}", "caf\u00e9", ""])
SPECS = st.sampled_from(["", ":d", ":.2f", ":>10", ":10", ":,", "!r", "!s", "=", ":x", ":08.3f", ":%"])
METHODS = st.sampled_from(["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"])
COMMENTS = st.sampled_from(["", "  # noqa", "  # keep this comment", "  # LC201 'quoted' \"text\""])


def quote(text: str, style: str) -> str:
    if style == "'":
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if style == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"""' + text.replace("\\", "\\\\").replace('"', '\\"') + '"""'


@st.composite
def messages(draw) -> str:
    kind = draw(st.sampled_from(["plain", "fstring", "percent", "format", "concat", "name"]))
    words = draw(PLAIN_WORDS)
    q = draw(st.sampled_from(["'", '"', '"""']))
    if kind == "plain":
        return quote(words, q) + (", " + draw(NAMES) if "%" not in words and draw(st.booleans()) else "")
    if kind == "fstring":
        parts = []
        for _ in range(draw(st.integers(1, 3))):
            name = draw(NAMES)
            if q != '"""' and (("'" in name and q == "'") or ('"' in name and q == '"')):
                name = "x"
            parts.append(draw(PLAIN_WORDS).replace("{", "{{").replace("}", "}}") + "{" + name + draw(SPECS) + "}")
        body = " ".join(parts)
        inner = quote(body, q)
        return "f" + inner
    if kind == "percent":
        args = draw(st.lists(NAMES, min_size=1, max_size=3))
        fmt = " ".join(["%s"] * len(args))
        rhs = "(" + ", ".join(args) + ("," if len(args) == 1 else "") + ")" if len(args) > 1 or draw(st.booleans()) else args[0]
        return quote(words.replace("%", "%%") + " " + fmt, q) + " % " + rhs
    if kind == "format":
        args = draw(st.lists(NAMES, min_size=1, max_size=3))
        fmt = " ".join("{}" for _ in args)
        return quote(words.replace("{", "{{").replace("}", "}}") + " " + fmt, q) + ".format(" + ", ".join(args) + ")"
    if kind == "concat":
        pieces = [quote(draw(PLAIN_WORDS), q)]
        for _ in range(draw(st.integers(1, 3))):
            pieces.append(draw(st.sampled_from(["str({})", "repr({})", "{}"])).format(draw(NAMES)))
            if draw(st.booleans()):
                pieces.append(quote(draw(PLAIN_WORDS), q))
        return " + ".join(pieces)
    return draw(NAMES)


@st.composite
def log_calls(draw, receivers: List[str]) -> str:
    receiver = draw(st.sampled_from(receivers))
    method = draw(METHODS)
    msg = draw(messages())
    extra = draw(st.sampled_from(["", ", exc_info=True", ", stacklevel=2", ", extra={'user_id': 1}"]))
    if draw(st.booleans()):
        return f"{receiver}.{method}(\n    {msg}{extra},\n){draw(COMMENTS)}"
    return f"{receiver}.{method}({msg}{extra}){draw(COMMENTS)}"


@st.composite
def statements(draw, receivers: List[str]) -> str:
    kind = draw(st.sampled_from(["log", "log", "log", "print", "comment", "assign", "blank"]))
    if kind == "log":
        return draw(log_calls(receivers))
    if kind == "print":
        args = ", ".join(draw(st.lists(st.one_of(NAMES, PLAIN_WORDS.map(lambda w: quote(w, '"'))), max_size=3)))
        return f"print({args}){draw(COMMENTS)}"
    if kind == "comment":
        return "# " + draw(PLAIN_WORDS) + " 'q' \"qq\" logging.info(f'{x}')"
    if kind == "assign":
        return f"x = {draw(messages())}"
    return ""


def indent(block: List[str], prefix: str = "    ") -> List[str]:
    return [prefix + line if line else line for stmt in block for line in stmt.split("\n")]


@st.composite
def modules(draw) -> str:
    header = draw(st.sampled_from([[], ['"""Generated module."""'], ["#!/usr/bin/env python", "# -*- coding: utf-8 -*-"]]))
    imports = draw(st.sampled_from([["import logging"], ["import logging", "import os"], ["import os", "import logging"],
                                    ["from logging import getLogger", "import logging"]]))
    has_logger = draw(st.booleans())
    receivers = ["logging"] + (["logger"] if has_logger else [])
    lines = header + imports + [""]
    if has_logger:
        lines += ["logger = logging.getLogger(__name__)", ""]
    top = draw(st.lists(statements(receivers), max_size=4))
    lines += top
    for i in range(draw(st.integers(0, 2))):
        body = draw(st.lists(statements(receivers), min_size=1, max_size=4))
        wrapper = draw(st.sampled_from(["def", "try", "class"]))
        lines += ["", ""]
        if wrapper == "def":
            lines += [f"def func_{i}(user, n, items, x, total, obj, data):"] + indent(body) + ["    return None"]
        elif wrapper == "try":
            lines += ["try:", "    pass", "except Exception as exc:"] + indent(body) + ["    raise"]
        else:
            lines += [f"class Thing{i}:", "    def method(self, user, n, items, x, total, obj, data):"] + \
                indent(body, "        ") + ["        return self"]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + newline


_INSERTED = re.compile(r"^\s*(?:import logging(?: as \w+)?|\w+ = [\w.]*getLogger\(__name__\))?\s*$")


def fixable_ranges(text: str) -> List[Tuple[int, int, int, int]]:
    result = check_source("m.py", SourceText(text, "utf-8", False), RULES, SETTINGS)
    return [(d.row, d.col, d.end_row, d.end_col) for d in result.diagnostics if d.fix is not None]


def outside_edits(old: str, new: str, ranges: List[Tuple[int, int, int, int]]) -> List[str]:
    """Changed regions of `new` that lie outside every fixable finding's range."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    # take out the lines a fix inserts after the imports (the module logger, `import
    # logging`) so the diff does not pair them with edited lines further down
    for pattern in (r"^\w+ = [\w.]*getLogger\(__name__\)\s*$", r"^import logging(?:\.handlers)?\s*$"):
        old_count = sum(bool(re.match(pattern, line)) for line in a)
        extra = sum(bool(re.match(pattern, line)) for line in b) - old_count
        for _ in range(max(0, extra)):
            index = next(i for i, line in enumerate(b) if re.match(pattern, line)
                         and sum(bool(re.match(pattern, x)) for x in b[:i]) >= old_count)
            del b[index]
            if pattern.startswith(r"^\w+ =") and index > 0 and not b[index - 1].strip():
                del b[index - 1]  # the blank line the logger statement is inserted with
    problems = []
    if len(a) == len(b):
        # no line added or removed: the changed rows are the differing ones (a diff could pair
        # a rewritten line with an identical line elsewhere and report an insertion there)
        opcodes = [("replace", i, i + 1, i, i + 1) for i in range(len(a)) if a[i] != b[i]]
    else:
        opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        first, last = i1 + 1, i2  # 1-based rows of the old text that changed
        inserted = [line.rstrip("\r\n") for line in b[j1:j2]]
        if all(not line.strip() for line in inserted) and all(not line.strip() for line in a[i1:i2]):
            continue  # blank lines around the inserted module logger
        if tag == "insert":
            covered = any(r[0] <= first <= r[2] + 1 for r in ranges)
        else:  # every changed row lies in some fixable finding's range
            covered = all(any(r[0] <= row <= r[2] for r in ranges) for row in range(first, last + 1))
        covering = [r for r in ranges if r[0] <= first and last <= r[2]]
        if not covered:
            problems.append(f"{tag} rows {first}-{last}: {inserted!r}")
            continue
        if tag == "replace" and i2 - i1 == j2 - j1 == 1 and len(covering) == 1:
            # one line, one finding: the text before its column and after its end is kept
            row, col, end_row, end_col = covering[0]
            old_line, new_line = a[i1], b[j1]
            if row == first and old_line[:col - 1] != new_line[:col - 1]:
                problems.append(f"prefix changed on row {first}: {old_line!r} -> {new_line!r}")
            if end_row == first and not new_line.endswith(old_line[end_col - 1:]):
                problems.append(f"suffix changed on row {first}: {old_line!r} -> {new_line!r}")
    return problems


@settings(max_examples=examples(500), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(modules())
def test_fixed_module_compiles_is_stable_and_edits_only_findings(source):
    compile(source, "generated.py", "exec", dont_inherit=True)  # the generator makes valid code
    outcome = fix_source("m.py", SourceText(source, "utf-8", False), RULES, SETTINGS, unsafe=True)
    assert not outcome.failed, outcome.failed
    fixed = outcome.text
    compile(fixed, "fixed.py", "exec", dont_inherit=True)
    again = fix_source("m.py", SourceText(fixed, "utf-8", False), RULES, SETTINGS, unsafe=True)
    assert again.text == fixed, "a second fix changed the code again"
    assert outside_edits(source, fixed, fixable_ranges(source)) == []


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules(), st.sampled_from(["\r\n", "\r"]))
def test_line_endings_survive_the_fix(source, newline):
    text = source.replace("\r\n", "\n").replace("\n", newline)
    outcome = fix_source("m.py", SourceText(text, "utf-8", False), RULES, SETTINGS, unsafe=True)
    assert not outcome.failed, outcome.failed
    fixed = outcome.text
    # every line ending is the file's own: none of another kind appears (the generated
    # code holds no CR or LF inside a string), and the last one is kept
    assert "\r" not in fixed.replace(newline, "") and "\n" not in fixed.replace(newline, ""), fixed
    assert fixed.endswith(newline)
    assert fixed != text or not fixable_ranges(text)
