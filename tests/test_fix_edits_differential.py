"""The edits every finding's fix shows (JSON, SARIF, the editor) are byte for byte those of
the fix applied alone and diffed against the whole file (tests/fix_edits_oracle.py), on the
rule pages' examples, the example project and generated modules of many shapes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from logcheck.lint.check import check_source, with_fix_edits
from logcheck.source.text import SourceText, decode_source
from tests.fix_edits_oracle import fix_edits
from tests.helpers import _rules, make_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.generated import module  # noqa: E402

EVERY_RULE = ["ALL"]


def _compare(path: str, text: str) -> int:
    settings = make_settings()
    source = SourceText(text, "utf-8", False)
    result = check_source(path, source, _rules(settings, path, EVERY_RULE), settings)
    shown = with_fix_edits(result)
    for i, fix in result.fixes.items():
        expected = fix_edits(text, result.module, fix, result.plan)
        assert shown[i].fix.edits == expected, (path, shown[i].code, shown[i].row)
    return len(result.fixes)


def _page_examples():
    for page in sorted((ROOT / "rules").glob("LC*.md")):
        for n, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S)):
            yield pytest.param(block, id=f"{page.stem}-{n}")


@pytest.mark.parametrize("text", list(_page_examples()))
def test_rule_page_examples(text):
    _compare("example.py", text)


def test_example_project():
    fixes = 0
    for path in sorted((ROOT / "examples").rglob("*.py")):
        fixes += _compare(str(path), decode_source(path.read_bytes()).text)
    assert fixes > 10


def _variants(text: str):
    yield "plain", text
    yield "crlf", text.replace("\n", "\r\n")
    yield "cr", text.replace("\n", "\r")
    yield "tabs", text.replace("    ", "\t")
    yield "no-final-newline", text.rstrip("\n")
    # every function inside a class, and inside an `if`/`elif`: nested statements and elifs
    yield "class", "import logging\nlog = logging.getLogger(__name__)\n\nclass Box:\n" + "".join(
        "    " + line if line.strip() else line for line in text.splitlines(keepends=True)[4:])
    yield "elif", re.sub(r"^(    )(log\.\w+\()", r"\1if retries:\n\1    pass\n\1elif items:\n\1    \2", text, flags=re.M)


@pytest.mark.parametrize("root_calls", [False, True], ids=["module-logger", "root-calls"])
@pytest.mark.parametrize("seed", [0, 3])
def test_generated_modules(root_calls, seed):
    fixes = 0
    for name, text in _variants(module(160, root_calls=root_calls, seed=seed)):
        fixes += _compare(f"{name}.py", text)
    assert fixes > 20


def test_repeated_blocks():
    """A file that is one block repeated: every match has a twin elsewhere, the case where
    the line diff may align a change away from where the fix made it."""
    block = 'def f():\n    log.info(f"{x}")\n    return None\n\n\n'
    text = "import logging\nlog = logging.getLogger(__name__)\n\n\n" + block * 30
    assert _compare("repeated.py", text) == 30
    bare = "import logging\n\n\n" + 'def f():\n    logging.info("x")\n\n\n' * 20  # a logger inserted too
    assert _compare("bare.py", bare) == 20


def test_fallback_is_rare(monkeypatch):
    """The whole-file computation is the exception: the generated modules' fixes (one call
    each, a module logger inserted or not) are all computed locally."""
    import logcheck.lint.edits as edits

    calls = []
    monkeypatch.setattr(edits, "fix_edits", lambda *args: calls.append(args) or ())
    for root_calls in (False, True):
        for name, text in _variants(module(160, root_calls=root_calls)):
            if name != "no-final-newline":
                settings = make_settings()
                result = check_source(f"{name}.py", SourceText(text, "utf-8", False),
                                      _rules(settings, "x.py", EVERY_RULE), settings)
                with_fix_edits(result)
    assert calls == []
