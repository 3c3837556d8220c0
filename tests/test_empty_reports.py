"""A report is always a valid report: a run that checks no file, or finds nothing, still
writes `[]` (json, gitlab), a SARIF log with one run and no results, a JUnit suite, to
stdout or to `--output-file` (which is always written, so a CI upload step finds it)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from logcheck.interfaces.cli import main

SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
CLEAN = "import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info('ok %s', 1)\n"
NO_FILES = "logcheck: warning: No Python files found under the given path(s)\n"


def _sarif_errors(log) -> list:
    import jsonschema  # in the test extra

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return list(jsonschema.validators.validator_for(schema)(schema).iter_errors(log))


def _valid_json(text: str, files: int) -> None:
    assert json.loads(text) == []


def _valid_gitlab(text: str, files: int) -> None:
    assert json.loads(text) == []


def _valid_sarif(text: str, files: int) -> None:
    log = json.loads(text)
    assert not _sarif_errors(log)
    assert [run["results"] for run in log["runs"]] == [[]]


def _valid_junit(text: str, files: int) -> None:
    root = ET.fromstring(text)
    suites = root.findall("testsuite")
    assert len(suites) == 1
    assert suites[0].get("tests") == str(files) and suites[0].get("failures") == "0"
    assert len(suites[0].findall("testcase")) == files


def _valid_text(text: str, files: int) -> None:
    # nothing checked: nothing claimed (the warning is on stderr); else ruff's line
    assert text == ("All checks passed!\n" if files else "")


def _valid_nothing(text: str, files: int) -> None:
    assert text == ""


FORMATS = {"json": _valid_json, "gitlab": _valid_gitlab, "sarif": _valid_sarif, "junit": _valid_junit,
           "text": _valid_text, "concise": _valid_nothing, "github": _valid_nothing}


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not python\n")
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "mod.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("where", ["no-files", "no-findings"])
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
def test_empty_run_writes_a_valid_report(tree, capsys, fmt, where, to_file):
    folder, files = ("empty", 0) if where == "no-files" else ("clean", 1)
    args = ["--no-cache", "--output-format", fmt, folder]
    target = tree / "reports" / f"out.{fmt}"
    target.parent.mkdir()
    if to_file:
        args += ["--output-file", str(target)]
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert err == (NO_FILES if not files else "")
    if to_file:
        assert out == ""
        assert target.is_file(), "--output-file is always written"
        FORMATS[fmt](target.read_text(encoding="utf-8"), files)
    else:
        assert not target.exists()
        FORMATS[fmt](out, files)
