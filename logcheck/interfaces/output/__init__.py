"""Output writers: small, separate functions over one list of Diagnostics."""

from __future__ import annotations

import os
from typing import Callable, TextIO

from logcheck.interfaces.output.report import Report

Writer = Callable[[Report, TextIO], None]


def writer_for(name: str) -> Writer:
    if name == "text":
        from logcheck.interfaces.output.text import write
    elif name == "concise":
        from logcheck.interfaces.output.text import write_concise as write
    elif name == "json":
        from logcheck.interfaces.output.json import write
    else:
        import importlib

        try:
            write = importlib.import_module(f"logcheck.interfaces.output.{name}").write
        except ImportError:
            raise ValueError(f"unknown output format `{name}`") from None
    return write


def use_color(choice: str, stream: TextIO) -> bool:
    """--color: `always`, `never`, or `auto`: FORCE_COLOR (set and not empty) forces colour,
    NO_COLOR (set and not empty, no-color.org) turns it off, otherwise colour on a terminal
    that is not `TERM=dumb`."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"
