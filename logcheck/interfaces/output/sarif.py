"""SARIF 2.1.0 output (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer).

One run; `tool.driver.rules` lists every rule with its name, short description (the rule's
message), full description and help (from the rule page), help URI (the `rule-url` setting, else the
page file shipped with logcheck) and default level;
results point at files relative to `%SRCROOT%` (the folder logcheck ran in) and carry their
fixes as SARIF `fixes` when the fix's edits were computed (the CLI computes them for this
format)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List, Optional, TextIO

from logcheck import __version__
from logcheck.interfaces.output.report import Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
PARSE_ERROR = "LC000"


def level_of(rule) -> str:
    """Rules that are on by default are errors (they fail the run); opt-in rules warnings."""
    return "error" if getattr(rule, "default", True) else "warning"


def page_summary(page: str) -> str:
    """The "What it does" section of a rule page, as one paragraph (else the first
    paragraph after the title)."""
    m = re.search(r"^##\s+What it does\s*\n(.*?)(?=^##\s|\Z)", page, re.MULTILINE | re.DOTALL)
    if m:
        body = m.group(1)
    else:
        body = re.sub(r"\A#[^\n]*\n", "", page.lstrip())
        body = body.split("\n\n", 1)[0]
    return " ".join(body.split())


def _rule_descriptors(codes_seen, rule_url_template: Optional[str]) -> List[dict]:
    from logcheck.rules.pages import page_text, rule_url
    from logcheck.rules.registry import all_rules

    descriptors = []
    for code, rule in all_rules().items():
        page = page_text(code)
        descriptor = {
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.message},
            "fullDescription": {"text": page_summary(page) or rule.message},
            "help": {"text": page, "markdown": page},
            "defaultConfiguration": {"level": level_of(rule), "enabled": bool(rule.default)},
            "properties": {"fix": rule.fix, "tags": [_family(code)]},
        }
        url = rule_url(code, rule_url_template)
        if url is not None:
            descriptor["helpUri"] = url
        descriptors.append(descriptor)
    if PARSE_ERROR in codes_seen:
        descriptors.append({
            "id": PARSE_ERROR,
            "name": "parse-error",
            "shortDescription": {"text": "The file could not be read or parsed"},
            "fullDescription": {"text": "The file could not be decoded or parsed, so no rule could check it."},
            "defaultConfiguration": {"level": "error"},
        })
    return descriptors


def _family(code: str) -> str:
    return {
        "1": "loggers", "2": "messages", "3": "levels-and-exceptions", "4": "print",
        "5": "logging-configuration", "6": "security",
    }.get(code[2:3], "other")


def _uri(path: str, root: Path) -> dict:
    p = Path(path)
    if p.is_absolute():
        try:
            rel = p.resolve().relative_to(root.resolve())
        except (ValueError, OSError):
            return {"uri": p.as_uri()}
        return {"uri": rel.as_posix(), "uriBaseId": "%SRCROOT%"}
    return {"uri": p.as_posix(), "uriBaseId": "%SRCROOT%"}


def _region(row: int, col: int, end_row: int, end_col: int) -> dict:
    # SARIF columns are 1-based and the end column is exclusive, as in Diagnostic
    end_row, end_col = max(end_row, row), end_col
    if end_row == row and end_col < col:
        end_col = col
    return {"startLine": row, "startColumn": col, "endLine": end_row, "endColumn": end_col}


def _fixes(d, root: Path) -> List[dict]:
    if d.fix is None or not d.fix.edits:
        return []
    replacements = []
    for e in d.fix.edits:
        replacements.append({
            "deletedRegion": _region(e.row, e.col, e.end_row, e.end_col),
            "insertedContent": {"text": e.content},
        })
    return [{
        "description": {"text": f"{d.fix.message} ({d.fix.applicability} fix)"},
        "artifactChanges": [{"artifactLocation": _uri(d.path, root), "replacements": replacements}],
    }]


def sarif_log(report: Report) -> dict:
    from logcheck.rules.registry import all_rules
    from logcheck.workspace.baseline import SourceLines, fingerprints

    root = report.root
    codes_seen = {d.code for d in report.diagnostics}
    rules = _rule_descriptors(codes_seen, report.rule_url)
    index: Dict[str, int] = {r["id"]: i for i, r in enumerate(rules)}
    table = all_rules()
    prints = fingerprints(report.diagnostics, SourceLines(root))
    results = []
    for d, fp in zip(report.diagnostics, prints):
        rule = table.get(d.code)
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": level_of(rule) if rule is not None else "error",
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": _uri(d.path, root),
                    "region": _region(d.row, d.col, d.end_row, d.end_col),
                },
            }],
            "partialFingerprints": {"logcheck/v1": fp},
        }
        fixes = _fixes(d, root)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "logcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def write(report: Report, out: TextIO) -> None:
    json.dump(sarif_log(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
