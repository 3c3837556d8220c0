"""JSON output in the shape of ruff's `--output-format json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from logcheck.interfaces.output.report import Report

RULE_URL = "https://logcheck.readthedocs.io/en/latest/rules/{code}/"


def diagnostic_dict(d, root: Path) -> dict:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "filename": str((root / d.path).absolute()) if not Path(d.path).is_absolute() else d.path,
        "location": {"row": d.row, "column": d.col},
        "end_location": {"row": d.end_row, "column": d.end_col},
        "fix": d.fix.to_dict() if d.fix is not None else None,
        "noqa_row": d.noqa_row,
        "url": RULE_URL.format(code=d.code) if d.code != "LC000" else None,
    }


def write(report: Report, out: TextIO) -> None:
    json.dump([diagnostic_dict(d, report.root) for d in report.diagnostics], out, indent=2)
    out.write("\n")
