"""Baselines: record today's findings, then report only new ones, even after code moves."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from logcheck.diagnostics import Diagnostic
from logcheck.interfaces.cli import main
from logcheck.workspace.baseline import SourceLines, fingerprints, normalize

LEGACY = textwrap.dedent('''\
    import logging

    log = logging.getLogger(__name__)


    def charge(order):
        logging.info("charging %s", order)
        log.warn("slow")


    def refund(order):
        log.warn("slow")
''')


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "billing.py").write_text(LEGACY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def concise(capsys, *args) -> tuple:
    capsys.readouterr()
    status = main(["--output-format", "concise", *args])
    return status, capsys.readouterr().out.splitlines()


def test_write_baseline_records_fingerprints(project, capsys):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    err = capsys.readouterr().err
    assert "wrote 3 findings" in err
    data = json.loads((project / "baseline.json").read_text())
    assert data["logcheck-baseline"] == 1
    entries = data["findings"]
    assert [(e["path"], e["code"], e["source"], e["occurrence"]) for e in entries] == sorted([
        ("app/billing.py", "LC101", 'logging.info("charging %s", order)', 0),
        ("app/billing.py", "LC301", 'log.warn("slow")', 0),
        ("app/billing.py", "LC301", 'log.warn("slow")', 1),
    ])
    assert all("line" not in e and "row" not in e for e in entries)


def test_baseline_hides_known_findings(project, capsys):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    status, lines = concise(capsys, "--baseline", "baseline.json", "app")
    assert (status, lines) == (0, [])


def test_moving_code_does_not_resurrect_findings_but_new_ones_show(project, capsys):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    billing = project / "app" / "billing.py"
    text = billing.read_text()
    # lines inserted above, a function re-indented into a class, and a new finding
    text = text.replace("import logging\n", "import logging\nimport os\n\nSEP = os.sep\n\n", 1)
    text = text.replace("def refund(order):\n    log.warn(\"slow\")\n",
                        "class Refunds:\n    def refund(self, order):\n        log.warn(\"slow\")\n"
                        "        log.warn(\"slow\")\n")
    billing.write_text(text)
    status, lines = concise(capsys, "--baseline", "baseline.json", "app")
    assert status == 1
    # three identical `log.warn("slow")` lines now; two were known, the last one is new
    assert len(lines) == 1
    assert lines[0].startswith("app/billing.py:18:9: LC301")
    # without the baseline all four are there
    status, lines = concise(capsys, "app")
    assert len(lines) == 4


def test_new_finding_of_another_kind_is_reported(project, capsys):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    billing = project / "app" / "billing.py"
    billing.write_text(billing.read_text() + "\n\ndef audit():\n    logging.info('audit')\n")
    status, lines = concise(capsys, "--baseline", "baseline.json", "app")
    assert status == 1
    assert [line.split()[1] for line in lines] == ["LC101"]
    assert lines[0].startswith("app/billing.py:16:5:")


def test_fixed_findings_just_disappear(project, capsys):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    billing = project / "app" / "billing.py"
    billing.write_text(billing.read_text().replace("log.warn(", "log.warning("))
    assert concise(capsys, "--baseline", "baseline.json", "app") == (0, [])


def test_baseline_works_from_another_folder(project):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    proc = subprocess.run([sys.executable, "-m", "logcheck", "--baseline", "../baseline.json", "."],
                          cwd=project / "app", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_missing_or_invalid_baseline_is_an_error(project, capsys):
    assert main(["--baseline", "nope.json", "app"]) == 2
    assert "cannot read baseline" in capsys.readouterr().err
    (project / "bad.json").write_text('{"findings": []}')
    assert main(["--baseline", "bad.json", "app"]) == 2
    assert "not a logcheck baseline" in capsys.readouterr().err


def test_write_baseline_cannot_be_combined_with_fix(project, capsys):
    assert main(["--write-baseline", "b.json", "--fix", "app"]) == 2


def test_baseline_with_stdin(project):
    assert main(["--write-baseline", "baseline.json", "app"]) == 0
    proc = subprocess.run([sys.executable, "-m", "logcheck", "--baseline", "baseline.json",
                           "--stdin-filename", "app/billing.py", "-"], input=LEGACY, cwd=project,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_fingerprint_ignores_spacing_and_line_numbers(tmp_path):
    a = Diagnostic("m.py", "LC301", "n", "msg", 3, 5, 3, 9)
    b = Diagnostic("m.py", "LC301", "n", "msg", 30, 9, 30, 13)
    lines_a = SourceLines(tmp_path, {"m.py": "\n\n    log.warn( 'x' )\n"})
    lines_b = SourceLines(tmp_path, {"m.py": "\n" * 29 + "        log.warn(  'x'  )\n"})
    assert normalize("  log.warn( 'x' )\r\n") == "log.warn( 'x' )"
    assert fingerprints([a], lines_a) == fingerprints([b], lines_b)
    lines_c = SourceLines(tmp_path, {"m.py": "\n" * 29 + "        log.warn('y')\n"})
    assert fingerprints([a], lines_a) != fingerprints([b], lines_c)
    other_code = Diagnostic("m.py", "LC302", "n", "msg", 3, 5, 3, 9)
    other_path = Diagnostic("n.py", "LC301", "n", "msg", 3, 5, 3, 9)
    assert len(set(fingerprints([a, other_code, other_path], lines_a))) == 3
