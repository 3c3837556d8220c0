"""Rule pages (`rules/LCnnn.md`): installed as `logcheck/pagefiles/`, or read from the
repository's `rules/` folder when running from a checkout or an editable install."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the logcheck package


def pages_dir() -> Path:
    installed = _PACKAGE / "pagefiles"
    return installed if installed.is_dir() else _PACKAGE.parent / "rules"


def page_text(code: str) -> str:
    path = pages_dir() / f"{code}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"# {code}\n\n(no page found at {path})\n"
