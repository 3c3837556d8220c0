"""Non-Python files: logging configuration files (INI, JSON, YAML, TOML)."""

from __future__ import annotations

from typing import List, Tuple

from logcheck.diagnostics import Diagnostic


def check_config_file(display: str, data: bytes, settings) -> Tuple[List[Diagnostic], List[str]]:
    """Diagnostics for a file that is not Python source, and one-line messages."""
    return [], [f"{display}: not a Python file or a logging configuration file; skipped"]


def looks_like_logging_config(path) -> bool:
    """Whether a file found while scanning a folder holds a logging configuration."""
    return False
