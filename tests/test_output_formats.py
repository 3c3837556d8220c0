"""Every output format through the command line, checked against its schema or consumer:
SARIF against the official 2.1.0 schema, JUnit parsed with the standard library, GitLab
Code Quality and JSON against their documented fields, GitHub workflow commands against
the runner's escaping rules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from logcheck.diagnostics import Diagnostic
from logcheck.interfaces.cli import main
from logcheck.interfaces.output.github import command
from logcheck.interfaces.output.report import Report
from logcheck.rules.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
#: the published OASIS SARIF 2.1.0 schema (errata 01), shipped with the tests
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
#: the messages of the two rules BAD triggers, written here, not read from the registry
LC101 = "Logging call on the root logger; use a module logger (`logging.getLogger(__name__)`)"
LC301 = "`warn` is deprecated; use `warning`"

BAD = textwrap.dedent('''\
    import logging

    log = logging.getLogger(__name__)


    def charge(order):
        logging.info("charging %s", order)
        log.warn("slow")
''')
CLEAN = "import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info('ok %s', 1)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(fmt: str, *args: str) -> tuple:
    out = Path("report.out")
    status = main(["--output-format", fmt, "--output-file", str(out), *args])
    return status, out.read_text(encoding="utf-8")


def apply_edits(text: str, edits) -> str:
    """Apply (row, col, end_row, end_col, content) edits, 1-based, end exclusive."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(row, col):
        return starts[row - 1] + col - 1 if row <= len(lines) else len(text)

    for row, col, end_row, end_col, content in sorted(edits, reverse=True):
        text = text[:offset(row, col)] + content + text[offset(end_row, end_col):]
    return text


# ----------------------------------------------------------------------------- SARIF


def _sarif_validator():
    import jsonschema  # in the test extra

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_validates_against_official_schema(project):
    status, text = run("sarif", "pkg")
    assert status == 1
    log = json.loads(text)
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(str(e) for e in errors[:3])
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1


def test_sarif_rules_and_results(project):
    _, text = run("sarif", "pkg")
    run_ = json.loads(text)["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "logcheck" and driver["version"]
    assert "informationUri" not in driver  # no documentation site exists to point at
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(all_rules())
    by_id = {r["id"]: r for r in rules}
    lc101 = by_id["LC101"]
    assert lc101["name"] == "root-logger-call"
    assert lc101["shortDescription"]["text"] == LC101
    assert "root logger" in lc101["fullDescription"]["text"]
    assert lc101["help"]["markdown"].startswith("# LC101")
    assert lc101["helpUri"].startswith("file://") and lc101["helpUri"].endswith("/LC101.md")
    assert lc101["defaultConfiguration"]["level"] == "error"

    results = run_["results"]
    assert [r["ruleId"] for r in results] == ["LC101", "LC301"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "pkg/bad.py", "uriBaseId": "%SRCROOT%"}
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 8, "startColumn": 5, "endLine": 8, "endColumn": 21}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"


def test_sarif_fixes_apply_to_the_file(project):
    """Applying every result's SARIF fix gives what `logcheck --fix` writes."""
    _, text = run("sarif", "pkg/bad.py")
    results = json.loads(text)["runs"][0]["results"]
    edits = []
    for r in results:
        assert len(r["fixes"]) == 1, r
        change = r["fixes"][0]["artifactChanges"][0]
        assert change["artifactLocation"]["uri"] == "pkg/bad.py"
        for rep in change["replacements"]:
            reg = rep["deletedRegion"]
            edits.append((reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"],
                          rep["insertedContent"]["text"]))
    by_sarif = apply_edits(BAD, edits)
    assert main(["--fix", "-q", "pkg/bad.py"]) == 0
    assert by_sarif == (project / "pkg" / "bad.py").read_text()
    assert "logger = logging.getLogger(__name__)" in by_sarif or "log.info(" in by_sarif


def test_sarif_with_parse_error_and_no_findings(project):
    (project / "pkg" / "broken.py").write_text("import logging\nlogging.info(\n")
    _, text = run("sarif", "pkg/broken.py")
    log = json.loads(text)
    assert not list(_sarif_validator().iter_errors(log))
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "LC000" and result["level"] == "error"
    assert log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "LC000"

    status, text = run("sarif", "pkg/clean.py")
    assert status == 0
    log = json.loads(text)
    assert log["runs"][0]["results"] == []
    assert not list(_sarif_validator().iter_errors(log))


def test_output_format_from_pyproject(project):
    (project / "pyproject.toml").write_text('[tool.logcheck]\noutput-format = "sarif"\n')
    proc = subprocess.run([sys.executable, "-m", "logcheck", "pkg"], cwd=project, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["version"] == "2.1.0"


# ----------------------------------------------------------------------------- GitHub


def test_github_annotations(project):
    status, text = run("github", "pkg")
    assert status == 1
    assert text.splitlines() == [
        f"::error file=pkg/bad.py,line=7,col=5,endLine=7,endColumn=39,title=LC101::{LC101}",
        f"::error file=pkg/bad.py,line=8,col=5,endLine=8,endColumn=21,title=LC301::{LC301}",
    ]


def test_github_escaping():
    d = Diagnostic("dir,x/a:b.py", "LC205", "format-args-mismatch", "100% wrong\r\nnext: a, b", 1, 2, 3, 4)
    assert command(d) == ("::error file=dir%2Cx/a%3Ab.py,line=1,col=2,endLine=3,endColumn=4,title=LC205"
                          "::100%25 wrong%0D%0Anext: a, b")


# ----------------------------------------------------------------------------- GitLab


def test_gitlab_code_quality_fields(project):
    status, text = run("gitlab", "pkg")
    assert status == 1
    issues = json.loads(text)
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["check_name"] in ("LC101", "LC301")
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] == "pkg/bad.py"
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert [i["location"]["lines"]["begin"] for i in issues] == [7, 8]
    assert len({i["fingerprint"] for i in issues}) == 2


def test_gitlab_fingerprints_stable_and_line_independent(project):
    first = json.loads(run("gitlab", "pkg")[1])
    again = json.loads(run("gitlab", "pkg")[1])
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    bad = project / "pkg" / "bad.py"
    bad.write_text(bad.read_text().replace("import logging\n", "import logging\nimport os\n\nX = os.sep\n", 1))
    moved = json.loads(run("gitlab", "pkg")[1])
    assert [i["location"]["lines"]["begin"] for i in moved] == [10, 11]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]
    # an identical second finding gets its own fingerprint
    bad.write_text(bad.read_text() + '    log.warn("slow")\n')
    more = json.loads(run("gitlab", "pkg")[1])
    assert len({i["fingerprint"] for i in more}) == 3


# ----------------------------------------------------------------------------- JUnit


def test_junit_one_test_case_per_file(project):
    status, text = run("junit", "pkg")
    assert status == 1
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["pkg/bad.py", "pkg/clean.py"]
    assert suites[0].get("tests") == "2" and suites[0].get("failures") == "1"
    failure = cases[0].find("failure")
    assert failure is not None and cases[1].find("failure") is None
    assert failure.get("message") == "2 problems found"
    assert failure.text.splitlines()[0].startswith("pkg/bad.py:7:5: LC101 ")
    assert failure.text.splitlines()[1].startswith("pkg/bad.py:8:5: LC301 ")


def test_junit_escapes_markup_and_control_characters():
    from logcheck.interfaces.output.junit import junit_tree

    d = Diagnostic("a<b>&.py", "LC205", "n", 'bad "<&>" \x01 message', 1, 1, 1, 2)
    tree = junit_tree(Report([d], checked=["a<b>&.py", "ok.py"]))
    text = ET.tostring(tree.getroot(), encoding="unicode")
    parsed = ET.fromstring(text)
    case = parsed.find("testsuite/testcase")
    assert case.get("name") == "a<b>&.py"
    assert '"<&>"' in case.find("failure").text


# ----------------------------------------------------------------------------- JSON, concise, text


def test_json_documented_fields(project):
    status, text = run("json", "pkg")
    assert status == 1
    items = json.loads(text)
    assert [i["code"] for i in items] == ["LC101", "LC301"]
    for item in items:
        assert set(item) >= {"code", "message", "filename", "location", "end_location", "fix", "noqa_row", "url"}
        assert Path(item["filename"]).is_absolute()
        assert set(item["location"]) == {"row", "column"}
        assert item["fix"]["applicability"] in ("safe", "unsafe")
        assert item["fix"]["edits"], "edits are computed for json"


def test_concise_and_output_file(project):
    status, text = run("concise", "pkg")
    assert status == 1
    assert text.splitlines() == [
        f"pkg/bad.py:7:5: LC101 [*] {LC101}",
        f"pkg/bad.py:8:5: LC301 [*] {LC301}",
    ]


# ----------------------------------------------------------------------------- documented commands


def _integration_commands() -> list:
    """`logcheck`/`flake8` command lines from README's Integrations section and the CI
    files in docs/ci.md."""
    import re

    import yaml  # in the test extra
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Integrations", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith(("logcheck ", "flake8 ")) and line != "logcheck server":
                commands.append(line)
    ci = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", ci, re.DOTALL):
        document = yaml.safe_load(block)
        steps = []
        for job in (document.get("jobs") or {}).values():
            steps.extend(s.get("run", "") for s in job["steps"])
        for job in document.values():
            if isinstance(job, dict) and "script" in job:
                steps.extend(job["script"])
        commands.extend(s for s in steps if s.startswith("logcheck "))
    return commands


def test_documented_commands_run(project, monkeypatch):
    import shlex

    commands = _integration_commands()
    assert len(commands) >= 8, commands
    assert any("--output-format sarif" in c for c in commands)
    assert any("--output-format gitlab" in c for c in commands)
    assert any("--baseline" in c for c in commands)
    # --add-noqa edits the files: it runs last
    for command in sorted(commands, key=lambda c: "--add-noqa" in c):
        argv = shlex.split(command)
        if argv[0] == "flake8":
            proc = subprocess.run([sys.executable, "-m", "flake8", *argv[1:]], cwd=project, capture_output=True,
                                  text=True, timeout=120)
            assert proc.returncode == 1 and "LC101" in proc.stdout, (command, proc.stdout, proc.stderr)
            continue
        status = main(argv[1:])
        expected = 0 if any(a in argv for a in ("--exit-zero", "--write-baseline", "--add-noqa", "--baseline")) else 1
        assert status == expected, command
        if "--output-file" in argv:
            out = project / argv[argv.index("--output-file") + 1]
            data = out.read_text(encoding="utf-8")
            if out.suffix in (".json", ".sarif"):
                assert json.loads(data)
            else:
                ET.fromstring(data)
    assert main(["-q", "."]) == 0  # after --add-noqa nothing is left
