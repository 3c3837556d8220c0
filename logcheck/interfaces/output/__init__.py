"""Output writers: small, separate functions over one list of Diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, TextIO

from logcheck.diagnostics import Diagnostic


@dataclass
class Report:
    diagnostics: List[Diagnostic]
    #: fixes applied in this run (with --fix)
    fixed: int = 0
    files: int = 0
    #: the run allowed unsafe fixes (so "[*]" covers them too)
    unsafe_fixes: bool = False
    fix_mode: bool = False
    show_fixes: bool = False
    statistics: bool = False
    quiet: bool = False
    color: bool = False
    #: folder that relative paths are taken from (SARIF's %SRCROOT%)
    root: Path = field(default_factory=Path.cwd)
    #: per-file fix counts, for --show-fixes
    fixed_by_file: Dict[str, int] = field(default_factory=dict)
    #: display paths of every file checked, in order (JUnit: one test case per file)
    checked: List[str] = field(default_factory=list)


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
