"""JSON output in the shape of ruff's `--output-format json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, TextIO

from logcheck.interfaces.output.report import Report

def diagnostic_dict(d, root: Path, rule_url_template: Optional[str] = None) -> dict:
    from logcheck.rules.pages import rule_url

    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": str((root / d.path).absolute()) if not Path(d.path).is_absolute() else d.path,
        "location": {"row": d.row, "column": d.col},
        "end_location": {"row": d.end_row, "column": d.end_col},
        "fix": d.fix.to_dict() if d.fix is not None else None,
        "noqa_row": d.noqa_row,
        "url": rule_url(d.code, rule_url_template),
    }


def write(report: Report, out: TextIO) -> None:
    if report.statistics:  # ruff's shape: one object per rule, most frequent first
        from logcheck.interfaces.output.text import statistics

        data = [{"code": code, "name": name, "count": count, "fixable_count": fixable}
                for code, name, count, fixable in statistics(report)]
    else:
        data = [diagnostic_dict(d, report.root, report.rule_url) for d in report.diagnostics]
    json.dump(data, out, indent=2)
    out.write("\n")
