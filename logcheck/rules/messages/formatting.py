"""Message-format helpers shared by the LC2xx rules.

- `parse_percent`: a `%`-format string into placeholders, exactly as CPython's
  `str.__mod__` reads it (the first structural error stops the parse), and
  `PercentFormat.check` to decide, for a given argument shape, whether `fmt % args` raises.
- `percent_spec`: a `str.format`/f-string conversion + format spec into the `%` placeholder
  that prints the same text for every builtin `str`/`int`/`float` value on which the
  original works, or None; `same_for_every_type` says whether it does so for values of
  every type (a fix is safe only then).
- `escape_percent`, `make_string`, `fstring_text_value`: building the new message literal.
- `MessageBuilder`: collects text and placeholders + argument expressions and produces the
  new message literal (LC201, LC203, LC204 share it).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import Callable, FrozenSet, List, Optional, Sequence, Tuple, Union

import libcst as cst

#: conversion characters CPython's `%` operator accepts
PERCENT_CONVERSIONS: FrozenSet[str] = frozenset("srauidoxXeEfFgGc")
_FLAGS = "-+ #0"

# ----------------------------------------------------------------------------- % parsing


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    key: Optional[str]
    flags: str
    #: digits, "*" or None
    width: Optional[str]
    #: digits, "*" or None
    precision: Optional[str]
    conversion: str

    @property
    def stars(self) -> int:
        return (self.width == "*") + (self.precision == "*")


@dataclass(frozen=True)
class PercentFormat:
    placeholders: Tuple[Placeholder, ...]
    #: the first structural error (`incomplete format`, `unsupported format character ...`),
    #: which CPython raises whenever the string is formatted with arguments
    error: Optional[str] = None

    @property
    def keys(self) -> Tuple[str, ...]:
        return tuple(p.key for p in self.placeholders if p.key is not None)

    @property
    def has_keys(self) -> bool:
        return any(p.key is not None for p in self.placeholders)

    @property
    def positional_count(self) -> int:
        """Arguments consumed from a tuple: every unkeyed placeholder and every `*`."""
        return sum((p.key is None) + p.stars for p in self.placeholders)

    def check(self, count: Optional[int] = None, mapping_keys: Optional[Sequence[str]] = None,
              mapping: bool = False) -> Optional[str]:
        """Why `text % args` raises, or None when it does not (for the argument shapes
        that logging produces). `count`: the args are a tuple of that many values.
        `mapping`: the args are one mapping, whose keys are `mapping_keys` (None: unknown).
        Mirrors CPython's `PyUnicode_Format`: a keyed placeholder rebinds the current
        argument to the mapping value, every `*` and every conversion takes one argument."""
        if self.error is not None:
            return self.error
        available = 1 if mapping else (count or 0)
        #: in mapping mode, the argument an unkeyed placeholder takes is the mapping itself
        itself = mapping
        for p in self.placeholders:
            if p.key is not None:
                if not mapping:
                    return "format requires a mapping"
                if mapping_keys is not None and p.key not in mapping_keys:
                    return f"mapping has no key {p.key!r}"
                available, itself = 1, False
            needed = p.stars + 1
            if needed > available:
                return "not enough arguments for format string"
            if itself and p.conversion not in "sra":
                return f"`%{p.conversion}` would format the mapping itself as a number"
            available -= needed
        if not mapping and available > 0:
            return "not all arguments converted during string formatting"
        return None


def parse_percent(text: str) -> PercentFormat:
    """Parse a `%`-format string the way CPython does. `%%` right after `%` is a literal
    percent sign; anything else is a placeholder: `(key)`, flags, width (`*` or digits),
    `.precision`, one optional length modifier (`h`, `l`, `L`), a conversion character."""
    placeholders: List[Placeholder] = []
    n = len(text)
    i = text.find("%")
    while i != -1:
        start = i
        i += 1
        if i < n and text[i] == "%":
            i = text.find("%", i + 1)
            continue
        key = None
        if i < n and text[i] == "(":
            depth = 1
            j = i + 1
            while j < n and depth:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                j += 1
            if depth:
                return PercentFormat(tuple(placeholders), "incomplete format key")
            key = text[i + 1:j - 1]
            i = j
        flags = ""
        while i < n and text[i] in _FLAGS:
            flags += text[i]
            i += 1
        width = None
        if i < n and text[i] == "*":
            width = "*"
            i += 1
        else:
            j = i
            while j < n and text[j].isdigit() and text[j].isascii():
                j += 1
            if j > i:
                width = text[i:j]
            i = j
        precision = None
        if i < n and text[i] == ".":
            i += 1
            if i < n and text[i] == "*":
                precision = "*"
                i += 1
            else:
                j = i
                while j < n and text[j].isdigit() and text[j].isascii():
                    j += 1
                precision = text[i:j]
                i = j
        if i < n and text[i] in "hlL":
            i += 1
        if i >= n:
            return PercentFormat(tuple(placeholders), "incomplete format")
        conversion = text[i]
        if conversion not in PERCENT_CONVERSIONS:
            return PercentFormat(tuple(placeholders),
                                 f"unsupported format character {conversion!r} (0x{ord(conversion):x}) at index {i}")
        i += 1
        placeholders.append(Placeholder(start, i, key, flags, width, precision, conversion))
        i = text.find("%", i)
    return PercentFormat(tuple(placeholders))


def escape_percent(text: str) -> str:
    return text.replace("%", "%%")


# ----------------------------------------------------------------------------- spec conversion

_SPEC = re.compile(
    r"(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?(?P<z>z)?(?P<alt>\#)?(?P<zero>0)?"
    r"(?P<width>[0-9]+)?(?P<grouping>[,_])?(?:\.(?P<precision>[0-9]+))?(?P<type>[bcdeEfFgGnosxX%])?",
    re.S,
)
_INT_TYPES = frozenset("doxX")
_FLOAT_TYPES = frozenset("eEfFgG")


def escape_braces(text: str) -> str:
    """Text that `str.format` prints as itself."""
    return text.replace("{", "{{").replace("}", "}}")


def brace_spec(conversion: Optional[str], spec: str) -> str:
    """The automatic `str.format` field that prints what the f-string field `{x!c:spec}`
    printed: both call `format(conv(x), spec)`, so it is exact for every spec."""
    return "{" + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"


def percent_spec(conversion: Optional[str], spec: str) -> Optional[str]:
    """The `%` placeholder equivalent to an f-string / `str.format` field with the given
    conversion (`None`, `"s"`, `"r"`, `"a"`) and format spec, or None when no placeholder
    prints the same text for every value on which the field works.

    Converted: the types `d o x X c e E f F g G s`, a width, a precision, the flags
    `+`, ` `, `#`, `0`, and an alignment that `%` can express: `<` (the `-` flag) and `>`
    when the type (or a conversion) fixes the default alignment. A width with neither a
    type nor a conversion is not exact (strings are left-aligned, numbers right-aligned),
    nor are fills, `^`, `=`, grouping, `z`, `n`, `%`, `b` and nested fields."""
    if conversion not in (None, "s", "r", "a"):
        return None
    m = _SPEC.fullmatch(spec)
    if m is None:
        return None
    g = m.groupdict()
    if g["grouping"] or g["z"] or (g["fill"] is not None and g["fill"] != " "):
        return None
    align, kind = g["align"], g["type"]
    width, precision = g["width"], g["precision"]
    if align in ("^", "="):
        return None
    if conversion is not None or kind == "s":
        # the value formatted is a str: left-aligned by default, no sign/#/0
        if conversion is not None and kind not in (None, "s"):
            return None
        if g["sign"] or g["alt"] or g["zero"]:  # a width never starts with 0: that 0 is `zero`
            return None
        flags = "-" if width is not None and align != ">" else ""
        char = conversion or "s"
        return "%" + flags + (width or "") + ("." + precision if precision is not None else "") + char
    if kind is None:
        return "%s" if spec == "" else None
    if kind not in _INT_TYPES and kind not in _FLOAT_TYPES and kind != "c":
        return None
    if g["zero"] and (align is not None or kind == "c"):
        return None
    if (g["sign"] in ("+", " ") or g["alt"]) and kind == "c":
        return None
    if precision is not None and kind not in _FLOAT_TYPES:
        return None
    flags = "-" if align == "<" and width is not None else ""
    flags += g["sign"] if g["sign"] in ("+", " ") else ""
    flags += "#" if g["alt"] else ""
    flags += "0" if g["zero"] else ""
    return "%" + flags + (str(int(width)) if width is not None else "") + \
        ("." + precision if precision is not None else "") + kind


def same_for_every_type(conversion: Optional[str], spec: str) -> bool:
    """Whether the placeholder `percent_spec` gives for this field prints what the field
    prints for a value of any type, not only for builtin `str`, `int` and `float` values.

    A conversion (`!r`, `!s`, `!a`) is applied first, so the spec formats a `str`; an empty
    spec is `str(value)` by the language's rule for `__format__`. A non-empty spec without
    a conversion is read by the value's own `__format__`, while `%` converts with `str()`,
    `int()` or `float()`: `Decimal("1.15")` prints `1.2` under `{:.1f}` but `1.1` under
    `%.1f`, a `date` prints `{:d}` as `d`, and a `str` subclass formats its data under
    `{:8s}` where `%-8s` calls its `__str__`."""
    return conversion is not None or spec == ""


# ----------------------------------------------------------------------------- string literals

_PREFIX = re.compile(r"^([A-Za-z]*)('''|\"\"\"|'|\")", re.S)


def literal_style(node: Union[cst.SimpleString, cst.FormattedString]) -> Tuple[str, str]:
    """(prefix, quote) of a string literal, e.g. ("rf", '\"\"\"')."""
    if isinstance(node, cst.FormattedString):
        quote = node.end
        return node.start[: len(node.start) - len(quote)], quote
    m = _PREFIX.match(node.value)
    assert m is not None
    return m.group(1), m.group(2)


def plain_prefix(prefix: str) -> str:
    """The prefix of the plain string replacing a literal: no `f`."""
    return "".join(c for c in prefix if c not in "fF")


def _evaluate(source: str) -> Optional[str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = ast.literal_eval(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, str) else None


def string_literal_ok(source: str, value: str) -> bool:
    """`source` is one string literal (as libcst and CPython read it) whose value is `value`."""
    if _evaluate(source) != value:
        return False
    try:
        node = cst.parse_expression(source)
    except (cst.ParserSyntaxError, RecursionError):
        return False  # not one expression libcst can read: not a literal to write
    return isinstance(node, cst.SimpleString)


def _escape_char(ch: str, quote: str) -> str:
    if ch == "\\":
        return "\\\\"
    if ch == quote[0]:
        return "\\" + ch
    if ch == "\n":
        return "\n" if len(quote) == 3 else "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if ch.isprintable():  # the space too
        return ch
    o = ord(ch)
    if o < 0x100:
        return f"\\x{o:02x}"
    if o < 0x10000:
        return f"\\u{o:04x}"
    return f"\\U{o:08x}"


def text_source(value: str, prefix: str, quote: str) -> str:
    """A guess at the body that writes `value` inside a literal of this style (checked by
    the caller: `MessageBuilder` falls back to `make_string` when it is wrong)."""
    if "r" in prefix.lower():
        return value
    return "".join(_escape_char(ch, quote) for ch in value)


def make_string(value: str, prefix: str, quote: str) -> Optional[str]:
    """Source of a plain string literal with value `value`, in the style of the original
    (prefix without `f`, same quotes) as far as possible: a raw prefix is kept when the
    value can be written raw, else dropped and the value escaped."""
    prefix = plain_prefix(prefix)
    if "r" in prefix.lower():
        candidate = prefix + quote + value + quote
        if string_literal_ok(candidate, value):
            return candidate
        prefix = "".join(c for c in prefix if c not in "rR")
    body = "".join(_escape_char(ch, quote) for ch in value)
    candidate = prefix + quote + body + quote
    return candidate if string_literal_ok(candidate, value) else None


_UNBRACE = re.compile(r"\\(?:N\{[^{}]*\}|[^{}])|\{\{|\}\}", re.S)
_UNBRACE_RAW = re.compile(r"\{\{|\}\}")


def unbrace(source: str, raw: bool) -> str:
    """f-string text source with `{{`/`}}` turned into single braces (leaving `\\N{...}`
    escapes of non-raw strings alone): the source of the same text in a plain string."""
    if raw:
        return _UNBRACE_RAW.sub(lambda m: m.group(0)[0], source)
    return _UNBRACE.sub(lambda m: m.group(0) if m.group(0)[0] == "\\" else m.group(0)[0], source)


def fstring_text_value(source: str, prefix: str, quote: str) -> Optional[str]:
    """The value of a FormattedStringText part of an f-string with this prefix and quote."""
    if "r" in prefix.lower():
        return unbrace(source, True)  # raw: the text is its own value (it may end in `\\`)
    return _evaluate(plain_prefix(prefix) + quote + unbrace(source, False) + quote)


# ----------------------------------------------------------------------------- message building


@dataclass
class Segment:
    """One piece of a new message: literal text (value, and optionally the source body it
    had in a literal of the part's style) or a placeholder with its argument."""

    text: str = ""
    source: Optional[str] = None
    placeholder: Optional[str] = None
    arg: Optional[cst.BaseExpression] = None
    #: the placeholder prints what the original printed for a value of any type (False:
    #: only for some, e.g. a typed spec that builtin numbers and `%` agree on)
    exact: bool = True


@dataclass
class LiteralPart:
    """The segments of one string literal of the message, with its style."""

    prefix: str
    quote: str
    segments: List[Segment] = field(default_factory=list)
    #: whitespace (and comments) between this part and the next, for implicit concatenation
    whitespace_after: Optional[cst.BaseParenthesizableWhitespace] = None


def argument_expression(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`expr` made safe to stand as one call argument: an unparenthesized tuple or yield
    gets parentheses."""
    if isinstance(expr, (cst.Tuple, cst.Yield)) and not expr.lpar:
        return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expr


class MessageBuilder:
    """Build the new message from literal parts. Text is escaped (`escape`: `%` for the
    `%` style, braces for the `{}` style) only when the message gets arguments (logging
    formats only then)."""

    def __init__(self, parts: Sequence[LiteralPart], escape: Callable[[str], str] = None) -> None:
        self.parts = list(parts)
        self.escape = escape or escape_percent

    @property
    def args(self) -> List[cst.BaseExpression]:
        return [s.arg for p in self.parts for s in p.segments if s.placeholder is not None]

    @property
    def exact(self) -> bool:
        """Every placeholder prints what the original printed, for values of any type."""
        return all(s.exact for p in self.parts for s in p.segments)

    def _expected(self, part: LiteralPart, escape: bool) -> str:
        return "".join(s.placeholder if s.placeholder is not None else (self.escape(s.text) if escape else s.text)
                       for s in part.segments)

    def _part_source(self, part: LiteralPart, escape: bool) -> Optional[str]:
        """The part's new literal: each text written as it was in the source where known
        (keeping its escapes), if that reads back exactly, else written afresh."""
        expected = self._expected(part, escape)
        prefix = plain_prefix(part.prefix)

        def body(s: Segment) -> str:
            if s.placeholder is not None:
                return s.placeholder
            if s.source is not None:
                return self.escape(s.source) if escape else s.source
            return text_source(self.escape(s.text) if escape else s.text, prefix, part.quote)

        candidate = prefix + part.quote + "".join(body(s) for s in part.segments) + part.quote
        if string_literal_ok(candidate, expected):
            return candidate
        return make_string(expected, prefix, part.quote)

    def build(self, merge: bool = True) -> Optional[cst.BaseExpression]:
        """The new message expression (a SimpleString, or a ConcatenatedString keeping the
        original parts and the whitespace between them), or None when no exact literal exists."""
        escape = bool(self.args)
        sources = [self._part_source(p, escape) for p in self.parts]
        if any(s is None for s in sources):
            return None
        if len(sources) > 1 and merge and self._mergeable(sources):  # type: ignore[arg-type]
            return cst.SimpleString(self._merged)
        nodes: List[cst.BaseExpression] = [cst.SimpleString(s) for s in sources]  # type: ignore[arg-type]
        result = nodes[-1]
        for part, node in zip(reversed(self.parts[:-1]), reversed(nodes[:-1])):
            ws = part.whitespace_after if part.whitespace_after is not None else cst.SimpleWhitespace(" ")
            result = cst.ConcatenatedString(left=node, right=result, whitespace_between=ws)
        return result

    def _mergeable(self, sources: List[str]) -> bool:
        """Parts on one line with the same prefix and quotes are merged into one literal."""
        for part in self.parts[:-1]:
            ws = part.whitespace_after
            if ws is not None and not (isinstance(ws, cst.SimpleWhitespace) and "\\" not in ws.value):
                return False
        styles = {literal_style(cst.SimpleString(s)) for s in sources}
        if len(styles) != 1:
            return False
        prefix, quote = styles.pop()
        bodies = [s[len(prefix) + len(quote): len(s) - len(quote)] for s in sources]
        merged = prefix + quote + "".join(bodies) + quote
        expected = "".join(self._expected(p, bool(self.args)) for p in self.parts)
        if not string_literal_ok(merged, expected):
            return False
        self._merged = merged
        return True


def parse_str_format(template: str) -> Optional[List[Tuple[str, Optional[str], Optional[str], Optional[str]]]]:
    """`string.Formatter().parse` of a `str.format` template, or None when malformed."""
    import string

    try:
        return list(string.Formatter().parse(template))
    except ValueError:
        return None


__all__ = [
    "Placeholder", "PercentFormat", "parse_percent", "escape_percent", "escape_braces", "brace_spec", "percent_spec", "same_for_every_type",
    "literal_style",
    "plain_prefix", "make_string", "text_source", "string_literal_ok", "unbrace", "fstring_text_value", "Segment",
    "LiteralPart", "MessageBuilder", "argument_expression", "parse_str_format",
]
