"""Property tests for the message fixes (LC201-LC204): for generated messages and values,
the fixed code compiles, a second fix changes nothing, the bytes outside the call are
unchanged, and the fixed call emits exactly the message text of the original (whenever the
original did not raise)."""

from __future__ import annotations

import functools
import logging
from typing import Dict, List, Optional, Tuple

import pytest
from helpers import check, examples, fix, make_settings
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from logcheck.lint.check import fix_source
from logcheck.rules import registry
from logcheck.rules.messages import formatting
from logcheck.source.text import SourceText

HEADER = 'import logging\nlogger = logging.getLogger("logcheck.property")\n'
FOOTER = "x = 1\n"
SETTINGS = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- running code


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_LOGGER = logging.getLogger("logcheck.property")
_LOGGER.propagate = False
_LOGGER.setLevel(logging.DEBUG)


def emitted(source: str, values: Dict[str, object]) -> Optional[str]:
    """The message text the module logs, or None when running it raises."""
    handler = _Capture()
    _LOGGER.handlers[:] = [handler]
    try:
        exec(compile(source, "<example>", "exec", dont_inherit=True), dict(values))
    except Exception:
        return None
    finally:
        _LOGGER.handlers[:] = []
    assert len(handler.records) == 1
    return handler.records[0].getMessage()


def check_fix(call: str, values: Dict[str, object], select: str, *, unsafe: bool = False,
              must_fix: bool = False) -> Tuple[str, str]:
    """Fix `call` inside a small module and check the properties; returns (original, fixed)."""
    source = HEADER + call + "\n" + FOOTER
    try:
        compile(source, "<example>", "exec", dont_inherit=True)
    except SyntaxError:
        assume(False)
    outcome = fix_source("example.py", SourceText(source, "utf-8", False), _rules(select),
                                _SETTINGS, unsafe=unsafe)
    assert not outcome.failed, outcome.failed
    fixed = outcome.text
    compile(fixed, "<fixed>", "exec", dont_inherit=True)
    assert fixed.startswith(HEADER) and fixed.endswith("\n" + FOOTER), fixed
    # the fix loop ended with nothing left to apply: a second `--fix` changes nothing
    left = [d for d in outcome.result.diagnostics if d.fix is not None and (unsafe or d.fix.applicability == "safe")]
    assert left == [], (fixed, left)
    if must_fix:
        assert fixed != source, source
        assert [d.code for d in outcome.result.diagnostics] == [], fixed
    before = emitted(source, values)
    if before is not None:
        after = emitted(fixed, values)
        assert after == before, (source, fixed, values)
    return source, fixed


_SETTINGS = make_settings({})


def _rules(select: str):
    return registry.rules_for(registry.expand([select], "test"))


def test_second_fix_changes_nothing():
    """What `check_fix` relies on, checked once through the public helper."""
    source = HEADER + 'logger.info(f"{v0!s:>5} {v1!r} 100%" " x")\n' + FOOTER
    once = fix(source, select=["LC201"], dedent=False)
    assert once != source
    assert fix(once, select=["LC201"], dedent=False) == once


# --------------------------------------------------------------------------- values

values_st = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30),
    st.integers(min_value=-5, max_value=300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.booleans(),
    st.text(alphabet="ab %{}'\"\\\né", max_size=6),
)
NAMES = ["v0", "v1", "v2"]
names_values = st.fixed_dictionaries({n: values_st for n in NAMES})

CONVERTIBLE_SPECS = ["", "d", "5d", "<5d", ">5d", "05d", "+d", " d", "#x", "x", "X", "#o", "08.3f", ".2f", "f",
                     "e", ".3E", "g", "G", "F", "+.1e", "#g", "010.2f", "-d", "c", "s", ">8s", "5s", ".3s",
                     " >6d", "#08X"]
UNCONVERTIBLE_SPECS = ["%", ",d", "_d", "^10", "10", ">10", "<10", ".2", "=5d", "*>5", "z.2f", "n", "b",
                       "0>5d", "<05d", "010", ".1%", "i"]
CONVERSIONS = [None, "r", "s", "a"]

#: the `%` placeholder that prints what a `{field!conversion:spec}` prints, written by hand
#: for every (conversion, spec) pair above that has one (a second oracle beside execution:
#: `test_percent_spec_prints_the_same` runs both forms over generated values). A pair not
#: listed has no exact placeholder: `,d` groups digits, `^10` centres, a bare width `10`
#: aligns strings left and numbers right, `!r` formats a str so `d` raises.
PLACEHOLDERS: Dict[Tuple[Optional[str], str], str] = {
    (None, ""): "%s", (None, "d"): "%d", (None, "5d"): "%5d", (None, "<5d"): "%-5d", (None, ">5d"): "%5d",
    (None, "05d"): "%05d", (None, "+d"): "%+d", (None, " d"): "% d", (None, "#x"): "%#x", (None, "x"): "%x",
    (None, "X"): "%X", (None, "#o"): "%#o", (None, "08.3f"): "%08.3f", (None, ".2f"): "%.2f", (None, "f"): "%f",
    (None, "e"): "%e", (None, ".3E"): "%.3E", (None, "g"): "%g", (None, "G"): "%G", (None, "F"): "%F",
    (None, "+.1e"): "%+.1e", (None, "#g"): "%#g", (None, "010.2f"): "%010.2f", (None, "-d"): "%d",
    (None, "c"): "%c", (None, "s"): "%s", (None, ">8s"): "%8s", (None, "5s"): "%-5s", (None, ".3s"): "%.3s",
    (None, " >6d"): "%6d", (None, "#08X"): "%#08X",
    **{(c, spec): placeholder.replace("s", c)
       for c in ("r", "s", "a")
       for spec, placeholder in [("", "%s"), ("s", "%s"), (">8s", "%8s"), ("5s", "%-5s"), (".3s", "%.3s"),
                                 ("10", "%-10s"), (">10", "%10s"), ("<10", "%-10s"), (".2", "%.2s")]},
}

# --------------------------------------------------------------------------- f-strings (LC201)

QUOTES = ['"', "'", '"""', "'''"]


@functools.lru_cache(maxsize=None)
def _sample_cached(options: tuple):
    return st.sampled_from(options)


def _sample(options):
    return _sample_cached(tuple(options))


_ints = functools.lru_cache(maxsize=None)(st.integers)
_text = functools.lru_cache(maxsize=None)(lambda alphabet, size: st.text(alphabet=alphabet, max_size=size))


def _text_tokens(quote: str, raw: bool) -> List[str]:
    other = "'" if quote[0] == '"' else '"'
    tokens = ["a", "b", " ", "%", "%%", "%s", "%(x)d", "{{", "}}", "{{}}", other, "é", "1"]
    if not raw:
        tokens += ["\\n", "\\t", "\\\\", "\\x25", "\\N{EM DASH}", "\\" + quote[0], "\\u00e9", "\\101"]
    else:
        tokens += ["\\d", "\\n"]
    if len(quote) == 3:
        tokens += ["\n", quote[0]]
    return tokens


# strategies are built once: building them per draw dominates the run time
_TEXT = {(q, raw): st.lists(st.sampled_from(_text_tokens(q, raw)), max_size=4).map("".join)
         for q in QUOTES for raw in (False, True)}
_NAME = st.sampled_from(NAMES)
_CONVERSION = st.sampled_from(CONVERSIONS)
_CONVERTIBLE = st.sampled_from([True, True, True, True, False])
_SPEC = {True: st.sampled_from(CONVERTIBLE_SPECS), False: st.sampled_from(UNCONVERTIBLE_SPECS)}
_EQUAL = st.sampled_from(["", "=", " = "])
_QUOTE = st.sampled_from(QUOTES)
_PREFIX = st.sampled_from(["f", "F", "rf", "fr", "Rf"])
_FIELDS = st.integers(0, 3)
_PLAIN_QUOTE = st.sampled_from(['"', "'"])
_PLAIN_BODY = st.sampled_from(["x %", "%s", "{y}", "100%%", "", "\\101"])
_BOOL = st.booleans()
_SEPARATOR = st.sampled_from([" ", "\n    ", "  # note\n    "])


def fstring_text(draw, quote: str, raw: bool) -> str:
    text = draw(_TEXT[quote, raw])
    if len(quote) == 3 and text.endswith(quote[0]):
        text += "x"
    return text


def fstring_field(draw) -> Tuple[str, bool]:
    name = draw(_NAME)
    conversion = draw(_CONVERSION)
    spec = draw(_SPEC[draw(_CONVERTIBLE)])
    equal = draw(_EQUAL)
    lead = " " if equal == " = " else ""
    body = lead + name + equal
    if conversion:
        body += "!" + conversion
    if spec:
        body += ":" + spec
    # `{x=}` without a spec shows repr(x)
    exact = (conversion or ("r" if equal and not spec else None), spec) in PLACEHOLDERS
    return "{" + body + "}", exact


def fstring_literal(draw) -> Tuple[str, bool]:
    quote = draw(_QUOTE)
    prefix = draw(_PREFIX)
    raw = "r" in prefix.lower()
    pieces: List[str] = []
    exact = True
    for _ in range(draw(_FIELDS)):
        pieces.append(fstring_text(draw, quote, raw))
        field, ok = fstring_field(draw)
        pieces.append(field)
        exact = exact and ok
    pieces.append(fstring_text(draw, quote, raw))
    return prefix + quote + "".join(pieces) + quote, exact


@st.composite
def fstring_message(draw) -> Tuple[str, bool]:
    first, exact = fstring_literal(draw)
    parts = [first]
    for _ in range(draw(_ints(0, 2))):
        if draw(_BOOL):
            part, ok = fstring_literal(draw)
            exact = exact and ok
        else:
            quote = draw(_PLAIN_QUOTE)
            part = quote + draw(_PLAIN_BODY) + quote
        parts.append(part)
    separator = draw(_SEPARATOR)
    return separator.join(parts), exact


@SETTINGS
@given(fstring_message(), names_values, st.sampled_from(["info", "warning"]))
def test_fstring_fix_is_exact(message, values, method):
    text, exact = message
    # typed specs give unsafe fixes (exact for these builtin values, not for every type)
    check_fix(f"logger.{method}(\n    {text},\n    exc_info=False,\n)", values, "LC201", unsafe=True, must_fix=exact)


# --------------------------------------------------------------------------- % (LC202)

PERCENT_PLACEHOLDERS = ["%s", "%d", "%r", "%5.2f", "%-4s", "%x", "%+d", "%.3s", "%a", "%05d"]


@st.composite
def percent_case(draw) -> Tuple[str, Dict[str, object]]:
    count = draw(_ints(0, 3))
    quote = draw(_sample(['"', "'"]))
    texts = [draw(_sample(["", "a ", " %% ", "100%% ", "é"])) for _ in range(count + 1)]
    placeholders = [draw(_sample(PERCENT_PLACEHOLDERS)) for _ in range(count)]
    body = texts[0] + "".join(p + t for p, t in zip(placeholders, texts[1:]))
    fmt_literal = quote + body + quote
    values = {n: draw(values_st) for n in NAMES}
    form = draw(_sample(["tuple", "name", "name-tuple", "repeated-tuple", "dict", "call"]))
    if form == "tuple":
        items = ", ".join(NAMES[:count]) + ("," if count == 1 else "")
        operand = f"({items})"
    elif form == "name":
        operand = "v0"
    elif form == "name-tuple":
        values["t"] = tuple(values[n] for n in NAMES[:count])
        operand = "t"
    elif form == "repeated-tuple":
        # `tuple * int` is a tuple too: a 1-tuple formats as its item
        values["t"] = tuple(values[n] for n in NAMES[:count])
        operand = draw(_sample(["(t * 1)", "(1 * t)", "(t * v2)"]))
    elif form == "call":
        operand = draw(_sample(["str(v0)", "len(v1)", "v0 - 1", "-v0"]))
    else:
        keyed = quote + "%(k)s and %(j)r " + body.replace("%", "%%") + quote
        return f"{keyed} % {{'k': v0, 'j': v1}}", values
    return f"{fmt_literal} % {operand}", values


@SETTINGS
@given(percent_case())
def test_percent_fix_is_exact(case):
    message, values = case
    check_fix(f"logger.info({message})", values, "LC202")


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(percent_case())
def test_percent_unsafe_fix_is_exact_for_non_tuples(case):
    message, values = case
    assume(not any(isinstance(v, tuple) for v in values.values()))
    check_fix(f"logger.info({message})", values, "LC202", unsafe=True)


def test_a_repeated_tuple_operand_gets_no_safe_fix():
    # `t * 1` is a tuple when `t` is one: `"got %s" % (("a",) * 1)` formats the item
    call = 'logger.info("got %s" % (t * 1))'
    source = HEADER + call + "\n" + FOOTER
    assert emitted(source, {"t": ("a",)}) == "got a"
    assert [(d.code, d.fix.applicability) for d in check(source, ["LC202"], dedent=False)] == [("LC202", "unsafe")]
    _, fixed = check_fix(call, {"t": ("a",)}, "LC202")
    assert fixed == source


# --------------------------------------------------------------------------- str.format (LC203)


@st.composite
def format_case(draw) -> Tuple[str, bool]:
    mode = draw(_sample(["auto", "manual", "named"]))
    count = draw(_ints(0, 3))
    quote = draw(_sample(['"', "'", '"""']))
    pieces = [draw(_sample(["", "a", " %", "{{", "}}", "%s", "é "]))]
    exact = True
    for i in range(count):
        conversion = draw(_sample(CONVERSIONS))
        spec = draw(_sample(CONVERTIBLE_SPECS + UNCONVERTIBLE_SPECS))
        exact = exact and (conversion, spec) in PLACEHOLDERS
        if mode == "auto":
            name = ""
        elif mode == "manual":
            name = str(draw(_ints(0, 2)))
        else:
            name = draw(_sample(["k0", "k1"]))
        field = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
        pieces.append(field)
        pieces.append(draw(_sample(["", "b", " % ", "}}"])))
    template = quote + "".join(pieces) + quote
    if mode == "named":
        args = "k0=v0, k1=v1"
    else:
        n = count if mode == "auto" else 3
        args = ", ".join(NAMES[:n])
    return f"{template}.format({args})", exact


@SETTINGS
@given(format_case(), names_values)
def test_str_format_fix_is_exact(case, values):
    message, exact = case
    check_fix(f"logger.info({message})", values, "LC203", unsafe=True, must_fix=exact)


# --------------------------------------------------------------------------- concatenation (LC204)


@st.composite
def concat_case(draw) -> str:
    operands = []
    for _ in range(draw(_ints(1, 4))):
        kind = draw(_sample(["literal", "name", "str", "repr", "fstring"]))
        if kind == "literal":
            operands.append(repr(draw(_text("ab %{}'\"\\", 4))))
        elif kind == "name":
            operands.append(draw(_sample(NAMES)))
        elif kind == "str":
            operands.append(f"str({draw(_sample(NAMES))})")
        elif kind == "repr":
            operands.append(f"repr({draw(_sample(NAMES))})")
        else:
            operands.append(f"f'<{{{draw(_sample(NAMES))}:>6s}}>'")
    operands.insert(draw(_ints(0, len(operands))), repr(draw(_text("x %", 3))))
    return " + ".join(operands)


@SETTINGS
@given(concat_case(), names_values)
def test_concat_fix_is_exact(message, values):
    # a bare name operand gives an unsafe fix (it may be a str subclass); only literals is no finding
    formatted = not all(operand[:1] in "'\"" for operand in message.split(" + "))
    check_fix(f"logger.info({message})", values, "LC204", unsafe=True, must_fix=formatted)


# --------------------------------------------------------------------------- the % parser


percent_format = st.lists(st.sampled_from(
    ["a", " ", "%", "%%", "%s", "%d", "%(k)s", "%(j)d", "%*d", "%.*f", "%-5s", "%l", "%hd", "%y", "%(",
     "%5", "%.", "(", ")", "k"]), max_size=6).map("".join)


@settings(max_examples=examples(200), deadline=None)
@given(percent_format, st.integers(0, 4), st.booleans())
def test_percent_parser_agrees_with_cpython(text, count, mapping):
    parsed = formatting.parse_percent(text)
    if mapping:
        args: object = {"k": 65, "j": 66}
        verdict = parsed.check(mapping=True, mapping_keys=["k", "j"])
    else:
        args = (65,) * count
        verdict = parsed.check(count=count)
    try:
        text % args
        raised = False
    except (TypeError, ValueError, KeyError):
        raised = True
    assert (verdict is not None) == raised, (text, args, verdict)


@pytest.mark.parametrize("text, args", [
    ("%(k)s", (1,)), ("%s %s", (1,)), ("%s", (1, 2)), ("%y", (1,)), ("%(k)s %s", {"k": 1}), ("%*d", (1,)),
    # one mapping is one argument: an unkeyed placeholder takes it, a second finds none
    ("%s %s", {"k": 1}),
    # the string ends inside a placeholder: after a width, a `.` or a precision
    ("%5", (1,)), ("%.", (1,)), ("%.5", (1,)), ("%(k", {"k": 1}), ("%(k(j)", {"k": 1}),
])
def test_percent_parser_says_what_cpython_says(text, args):
    # CPython's own TypeError/ValueError text is the oracle
    with pytest.raises((TypeError, ValueError)) as raised:
        text % args
    parsed = formatting.parse_percent(text)
    verdict = parsed.check(mapping=True, mapping_keys=list(args)) if isinstance(args, dict) \
        else parsed.check(count=len(args))
    assert verdict == str(raised.value)


class _AskedKeys(dict):
    """A mapping that records every key `%` looks up in it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list = []

    def __getitem__(self, key):
        self.asked.append(key)
        return 65


@pytest.mark.parametrize("text", ["%()s", "%(a(b)c)s", "%((a))s and %(b)d", "%(a)s %(a(b)s", "%(a))s", "%(()s"])
def test_percent_parser_reads_the_keys_cpython_looks_up(text):
    # CPython is the oracle: the keys it asks the mapping for, or the error it raises
    parsed = formatting.parse_percent(text)
    mapping = _AskedKeys()
    try:
        text % mapping
    except (TypeError, ValueError):
        assert parsed.error is not None
    else:
        assert parsed.error is None and parsed.keys == tuple(mapping.asked)


@pytest.mark.parametrize("text", ["%-+5d", "%+-5d", "% 05d", "%#-8x", "%0-#5o", "%Ld", "%ld", "%hd", "%-*.*f"])
def test_a_placeholder_rebuilt_from_its_parts_prints_what_it_printed(text):
    [p] = formatting.parse_percent(text).placeholders
    rebuilt = "%" + p.flags + (p.width or "") + ("." + p.precision if p.precision is not None else "") + p.conversion
    args = (7, 3, 42) if p.stars == 2 else (42,)
    assert rebuilt % args == text % args
    assert formatting.parse_percent(text).check(count=len(args)) is None


def test_the_placeholders_before_an_error_are_kept():
    parsed = formatting.parse_percent("%s and %(k")
    assert parsed.error == "incomplete format key" and len(parsed.placeholders) == 1


def test_percent_parser_messages_where_cpython_has_no_text_of_its_own():
    assert formatting.parse_percent("%(k)s").check(mapping=True, mapping_keys=["j"]) == "mapping has no key 'k'"
    assert formatting.parse_percent("%d").check(mapping=True) == "`%d` would format the mapping itself as a number"
    assert formatting.parse_percent("%X").check(mapping=True) == "`%X` would format the mapping itself as a number"
    # CPython: `* wants int`; a `*` needs a second argument, and a mapping is one
    assert formatting.parse_percent("%*d").check(mapping=True) == "not enough arguments for format string"
    for conversion in "sra":  # `%s` of a mapping prints the mapping
        assert formatting.parse_percent("%" + conversion).check(mapping=True) is None
    assert formatting.parse_percent("%(k)s").check(mapping=True, mapping_keys=None) is None


_STRING_VALUES = st.text(max_size=8)
_CONVERTED_VALUES = st.one_of(st.text(alphabet="ab %\\'\"é", max_size=8), values_st)
_INT_VALUES = st.one_of(st.integers(0, 0x10FFFF), st.integers(-10**20, 10**20), st.booleans())
_FLOAT_VALUES = st.one_of(st.floats(), st.integers(-10**20, 10**20), st.booleans())


def _values_for(conversion, spec):
    kind = spec[-1:] if spec[-1:].isalpha() else ""
    if conversion:
        return _CONVERTED_VALUES
    if kind == "s":
        return _STRING_VALUES
    if kind in ("d", "x", "X", "o", "c"):
        return _INT_VALUES
    return _FLOAT_VALUES


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(sorted(PLACEHOLDERS.items(), key=repr)), st.data())
def test_percent_spec_prints_the_same(field_placeholder, data):
    (conversion, spec), placeholder = field_placeholder
    assert formatting.percent_spec(conversion, spec) == placeholder
    value = data.draw(_values_for(conversion, spec))
    field = "{0" + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
    try:
        expected = field.format(value)
    except Exception:
        return  # the field itself rejects this value: nothing to preserve
    assert placeholder % (value,) == expected, (field, placeholder, value)


def test_fields_without_an_exact_placeholder_are_not_converted():
    refused = [(c, spec) for c in CONVERSIONS for spec in CONVERTIBLE_SPECS + UNCONVERTIBLE_SPECS
               if (c, spec) not in PLACEHOLDERS and formatting.percent_spec(c, spec) is not None]
    assert refused == []
