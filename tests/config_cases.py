"""Helpers for the LC5xx tests: run one code over a source of any kind."""

from __future__ import annotations

import textwrap
from typing import Any, Dict, List, Optional, Tuple

from helpers import check, make_settings

from logcheck.workspace.config_files import check_config_file

SUFFIX = {"py": ".py", "ini": ".ini", "json": ".json", "yaml": ".yaml", "toml": ".toml"}


def src(text: str) -> str:
    text = textwrap.dedent(text)
    return text[1:] if text.startswith("\n") else text


def run(code: str, kind: str, text: str, settings: Optional[Dict[str, Any]] = None, path: Optional[str] = None):
    table = dict(settings or {})
    table["select"] = [code]
    text = src(text)
    name = path or f"example{SUFFIX[kind]}"
    if kind == "py":
        return check(text, path=name, settings=table, dedent=False)
    diagnostics, messages = check_config_file(name, text.encode(), make_settings(table))
    assert not [m for m in messages if "skipped" not in m], messages
    return diagnostics


def rows(code: str, kind: str, text: str, settings=None, path=None) -> List[int]:
    return [d.row for d in run(code, kind, text, settings, path) if d.code == code]


def positions(code: str, kind: str, text: str, settings=None) -> List[Tuple[int, int]]:
    return [(d.row, d.col) for d in run(code, kind, text, settings) if d.code == code]
