"""Rule pages (`rules/LCnnn.md`): installed as `logcheck/pagefiles/`, or read from the
repository's `rules/` folder when running from a checkout or an editable install."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

_PACKAGE = Path(__file__).resolve().parent.parent  # the logcheck package


def pages_dir() -> Path:
    installed = _PACKAGE / "pagefiles"
    return installed if installed.is_dir() else _PACKAGE.parent / "rules"


#: a page's own line for its tests (how tests/test_rule_pages.py runs the examples): not for readers
_METADATA = re.compile(r"^<!-- logcheck: .*? -->\n(?:\n(?=\S))?", re.MULTILINE)


def page_text(code: str) -> str:
    """The rule's page as a reader sees it (without the `<!-- logcheck: ... -->` line)."""
    path = pages_dir() / f"{code}.md"
    try:
        return _METADATA.sub("", path.read_text(encoding="utf-8"))
    except OSError:
        return f"# {code}\n\n(no page found at {path})\n"


def rule_url(code: str, template: Optional[str] = None) -> Optional[str]:
    """Where a reader finds the page of rule `code`: `template` (the `rule-url` setting,
    e.g. the `rules/{code}.md` of the repository logcheck is installed from) with `{code}`
    filled in; by default the page that ships with logcheck, as a `file:` URI (it exists
    wherever logcheck runs). None for a code without a page (LC000)."""
    path = pages_dir() / f"{code}.md"
    if not path.is_file():
        return None
    return template.replace("{code}", code) if template else path.as_uri()
