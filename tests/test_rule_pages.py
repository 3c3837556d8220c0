"""Every rule has a page in rules/, and every page's examples are executed:
the Example triggers exactly that rule, Use instead is clean, and the Fix block is what
`--fix` makes of the Example."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
from helpers import check, fix, make_settings

from logcheck.rules import registry

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
SECTIONS = ["What it does", "Why it matters", "Example", "Use instead", "Fix", "Options", "See also"]
_FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
_SETTINGS = re.compile(r"<!--\s*logcheck:\s*(\{.*?\})\s*-->", re.S)
SUFFIX = {"python": ".py", "ini": ".ini", "json": ".json", "yaml": ".yaml", "toml": ".toml"}


def parse_page(text: str) -> Tuple[str, Dict[str, str], dict]:
    title = text.splitlines()[0]
    sections: Dict[str, str] = {}
    for part in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = part.partition("\n")
        sections[head.strip()] = body
    m = _SETTINGS.search(text)
    options = json.loads(m.group(1)) if m else {}
    return title, sections, options


PAGES = sorted(RULES_DIR.glob("LC*.md"))


def test_every_rule_has_a_page_and_every_page_a_rule():
    pages = {p.stem for p in PAGES}
    rules = set(registry.all_rules())
    assert rules - pages == set(), "rules without a page"
    assert pages - rules == set(), "pages without a rule"


def _run(code: str, lang: str, source: str, options: dict):
    filename = options.get("filename", "example" + SUFFIX[lang])
    _on_disk(filename, source)
    settings = options.get("settings", {})
    table = dict(settings)
    table["extend-select"] = list(table.get("extend-select", [])) + [code]
    if lang == "python":
        return check(source, path=filename, settings=table, dedent=False)
    from logcheck.workspace.config_files import check_config_file

    diagnostics, _ = check_config_file(filename, source.encode(), make_settings(table))
    return diagnostics


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page(page: Path, tmp_path, monkeypatch):
    # each example is a file of a project of its own: what the rules read of the project
    # (its other files, environment and deployment files) is not this repository's
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = page.stem
    rule = registry.all_rules()[code]
    title, sections, options = parse_page(page.read_text(encoding="utf-8"))
    assert title == f"# {code} {rule.name}"
    required = [s for s in SECTIONS if s != "Fix" or rule.fix != "none"]
    assert [s for s in sections if s in SECTIONS] == required, f"sections of {page.name}"

    # every block of Example is an example (the first for the standard library, the next
    # ones, e.g., per logger family); the n-th block of Use instead and of Fix belong to it
    examples = all_blocks(sections["Example"])
    cleans = all_blocks(sections["Use instead"])
    fixes = all_blocks(sections.get("Fix", "")) if rule.fix != "none" else []
    assert examples and cleans, f"{page.name}: Example and Use instead need a code block"
    if rule.fix != "none":
        assert fixes, f"{page.name}: Fix section needs a code block with the fix output"
    for index, (lang, example) in enumerate(examples):
        found = _run(code, lang, example, options)
        assert found, f"example {index + 1} of {code} triggers nothing"
        assert {d.code for d in found} == {code}, [f"{d.row}:{d.col} {d.code} {d.message}" for d in found]
        if index < len(fixes):
            assert lang == "python"
            table = dict(options.get("settings", {}))
            table["extend-select"] = [code]
            _on_disk(options.get("filename", "example.py"), example)
            fixed = fix(example, select=[code], unsafe=rule.fix == "unsafe", path=options.get("filename", "example.py"),
                        settings=table, dedent=False)
            assert fixed == fixes[index][1], f"fix of example {index + 1}"
    for lang2, clean in cleans:
        leftover = _run(code, lang2, clean, options)
        assert leftover == [], [f"{d.row}:{d.col} {d.code} {d.message}" for d in leftover]


def _on_disk(filename: str, source: str) -> None:
    """The example as a file of the project (in the working folder): the rules that read the
    project (its call graph, its programs) see it as they would a project's file."""
    path = Path(filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def all_blocks(section: str) -> List[Tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(section)]


def test_every_package_of_logcheck_is_in_the_wheel():
    # the wheel lists its packages by name: a new subpackage left out installs a logcheck
    # that cannot import (pre-commit and `pip install .` use the wheel, not the checkout)
    from pathlib import Path

    try:
        import tomllib as toml_reader
    except ImportError:  # Python < 3.11: the tomli dependency
        import tomli as toml_reader

    repo = Path(__file__).resolve().parent.parent
    listed = set(toml_reader.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(repo).parts) for p in (repo / "logcheck").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
