"""GitHub Actions workflow commands: one `::error ...::message` line per finding, which
GitHub shows as an annotation on the pull request's diff.

Escaping follows GitHub's runner (`toolkit/core` `escapeData`/`escapeProperty`): in the
message `%`, CR and LF are percent-encoded; in property values `:` and `,` are too."""

from __future__ import annotations

from typing import TextIO

from logcheck.interfaces.output.report import Report


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(d) -> str:
    props = [
        ("file", d.path),
        ("line", str(d.row)),
        ("col", str(d.col)),
        ("endLine", str(d.end_row)),
        ("endColumn", str(d.end_col)),
        ("title", d.code),
    ]
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::error {rendered}::{escape_data(d.message)}"


def write(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(command(d) + "\n")
