"""What a `{}`-style message (loguru: `message.format(*args, **kwargs)`, run only when the
call has arguments or keyword arguments) does with its arguments: the error `str.format`
raises from the logging call itself, or the positional arguments it never shows."""

from __future__ import annotations

from typing import List, Optional, Set

from logcheck.rules.messages import formatting as fmt


def brace_problem(text: str, positional: int, keywords: Optional[Set[str]]) -> Optional[str]:
    """The mismatch of template `text` with `positional` arguments and the `keywords`
    (None: unknown, a `**` spread), or None. Assumes formatting happens (some argument or
    keyword is given)."""
    fields = fmt.parse_str_format(text)
    if fields is None:
        try:
            text.format(*range(positional), **{k: 0 for k in keywords or ()})
        except ValueError as exc:
            return f"ValueError: {exc}"
        return None  # pragma: no cover - parse and format reject the same templates
    automatic = manual = False
    used: Set[int] = set()
    missing: List[str] = []
    next_index = 0
    for _, name, spec, _ in fields:
        if name is None:
            continue
        if spec and ("{" in spec or "}" in spec):
            return None  # nested fields: not followed
        head = name.split(".")[0].split("[")[0]
        if head == "":
            automatic, index = True, next_index
            next_index += 1
        elif head.isdigit():
            manual, index = True, int(head)
        else:
            if keywords is not None and head not in keywords:
                missing.append(head)
            continue
        if automatic and manual:
            return "ValueError: the message mixes automatic `{}` and numbered `{0}` fields"
        if index >= positional:
            return f"IndexError: field {{{head}}} but {_count(positional)}" if head else \
                f"IndexError: {next_index} `{{}}` fields but {_count(positional)}"
        used.add(index)
    if missing:
        return f"KeyError: no keyword argument {missing[0]!r} for the `{{{missing[0]}}}` field"
    unused = positional - len(used)
    if unused > 0:
        return f"{_count(positional)} but the message shows {len(used)}: the rest never appear"
    return None


def _count(n: int) -> str:
    return f"{n} positional argument" + ("" if n == 1 else "s")
