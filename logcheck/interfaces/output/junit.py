"""JUnit XML: one test suite, one test case per file checked; a file with findings is a
failed test case whose failure lists them (`path:line:col: CODE message`). CI systems that
read JUnit reports (GitLab `artifacts: reports: junit`, Jenkins, Azure DevOps) then show
each file as a test."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import OrderedDict
from typing import List, TextIO

from logcheck.interfaces.output.report import Report

# characters that XML 1.0 cannot hold, even escaped
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def junit_tree(report: Report) -> ET.ElementTree:
    by_file: "OrderedDict[str, List]" = OrderedDict((path, []) for path in report.checked)
    for d in report.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(1 for found in by_file.values() if found)
    suites = ET.Element("testsuites", name="logcheck", tests=str(len(by_file)), failures=str(failures),
                        errors="0")
    suite = ET.SubElement(suites, "testsuite", name="logcheck", tests=str(len(by_file)),
                          failures=str(failures), errors="0", skipped="0")
    for path, found in by_file.items():
        case = ET.SubElement(suite, "testcase", name=_clean(path), classname="logcheck", file=_clean(path))
        if not found:
            continue
        codes = sorted({d.code for d in found})
        failure = ET.SubElement(case, "failure", type=",".join(codes),
                                message=_clean(f"{_plural(len(found), 'problem')} found"))
        failure.text = _clean("\n".join(f"{d.path}:{d.row}:{d.col}: {d.code} {d.message}" for d in found))
    return ET.ElementTree(suites)


def write(report: Report, out: TextIO) -> None:
    tree = junit_tree(report)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree.getroot(), encoding="unicode"))
    out.write("\n")
