"""`Report`: what one run hands every output writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

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
    #: --fix-only: what is left is not reported, only what was fixed
    fix_only: bool = False
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
    #: the `rule-url` setting: where rule pages are linked (None: the pages shipped with logcheck)
    rule_url: Optional[str] = None
    #: source text of findings' files that are not on disk (stdin), for `full`
    sources: Dict[str, str] = field(default_factory=dict)
