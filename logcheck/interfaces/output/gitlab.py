"""GitLab Code Quality report (a JSON array of Code Climate issues), shown in merge
requests when a job publishes it as `artifacts: reports: codequality`.

Each issue has `description`, `check_name`, `fingerprint`, `severity` and
`location.path`/`location.lines.begin`. The fingerprint is logcheck's baseline
fingerprint (path, code, normalized source line, occurrence), so it is stable across runs
and does not change when lines are inserted above a finding: GitLab then shows the finding
as unchanged rather than fixed-and-new."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from logcheck.interfaces.output.report import Report

#: Code Climate severities: info, minor, major, critical, blocker
PARSE_ERROR_SEVERITY = "critical"


def _severity(code: str) -> str:
    from logcheck.rules.registry import all_rules

    rule = all_rules().get(code)
    if rule is None:
        return PARSE_ERROR_SEVERITY
    return "major" if rule.default else "minor"


def _category(code: str) -> str:
    if code.startswith("LC6"):
        return "Security"
    if code.startswith(("LC5", "LC0")):
        return "Bug Risk"
    return "Style"


def _path(path: str, root: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            return p.as_posix()
    return p.as_posix()


def issues(report: Report) -> list:
    from logcheck.workspace.baseline import SourceLines, fingerprints

    lines = SourceLines(report.root)
    prints = fingerprints(report.diagnostics, lines, lambda p: _path(p, report.root))
    out = []
    for d, fp in zip(report.diagnostics, prints):
        out.append({
            "type": "issue",
            "description": f"{d.code} {d.message}",
            "check_name": d.code,
            "categories": [_category(d.code)],
            "fingerprint": fp,
            "severity": _severity(d.code),
            "location": {
                "path": _path(d.path, report.root),
                "lines": {"begin": d.row, "end": max(d.end_row, d.row)},
            },
        })
    return out


def write(report: Report, out: TextIO) -> None:
    json.dump(issues(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
