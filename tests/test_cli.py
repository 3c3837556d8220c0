"""The command line through a real subprocess (`python -m logcheck`): exit codes, output
formats, fixing, stdin, rule selection, suppression, configuration and subcommands.

Every test works in its own temporary project whose `pyproject.toml` stops the upward
configuration search, so the repository's own settings never leak in. Tests that need a
rule other than LC101/LC301 skip when that rule is not registered."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import pytest

import logcheck
from logcheck.rules import registry

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<row>\d+):(?P<col>\d+): (?P<code>LC\d{3})(?P<fix> \[\*\])? (?P<msg>.+)$")
SUMMARY = re.compile(r"^Found (\d+) problems? \((\d+) fixable with --fix(?:, (\d+) with --unsafe-fixes)?\)\.$")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

ROOT_AND_WARN = """\
import logging


def f():
    logging.warn("x")
"""
ROOT_AND_WARN_FIXED = """\
import logging

logger = logging.getLogger(__name__)


def f():
    logger.warning("x")
"""
CLEAN = """\
import logging

logger = logging.getLogger(__name__)


def f(user):
    logger.info("hello %s", user)
"""


def need(*codes: str) -> None:
    missing = [c for c in codes if c not in registry.all_rules()]
    if missing:
        pytest.skip(f"rule(s) not registered yet: {', '.join(missing)}")


def run(*args: str, cwd: Path, stdin: Optional[str] = None, env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "logcheck", *args], cwd=cwd, input=stdin, capture_output=True,
        text=True, env=environ, timeout=120,
    )


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- running the tests' bodies concurrently ------------------------------------------------
#
# Each CLI test spends nearly all its time waiting for `python -m logcheck` to start. The
# bodies are plain functions of one argument (an empty project folder); `@cli_test` makes a
# pytest test of each, and the first of them to run executes the bodies of all tests of this
# module that pytest selected, a few at a time in threads (each in its own folder), so the
# subprocesses overlap. Each test then reports its own body's outcome (pass, failure with its
# traceback, or skip) as if it had run alone.

_BODIES: Dict[str, Callable[[Path], None]] = {}
_OUTCOMES: Dict[str, Optional[BaseException]] = {}


def _new_project(tmp_path_factory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name[:40])
    write(root, "pyproject.toml", '[project]\nname = "demo"\nversion = "0"\n')
    return root


def _run_body(name: str, root: Path) -> Optional[BaseException]:
    try:
        _BODIES[name](root)
    except BaseException as exc:  # failures and pytest's skip/fail outcomes travel back
        return exc
    return None


@pytest.fixture(scope="module")
def _outcomes(request, tmp_path_factory) -> Dict[str, Optional[BaseException]]:
    selected = [item.name for item in request.session.items
                if item.module is sys.modules[__name__] and item.name in _BODIES]
    pending = [n for n in selected if n not in _OUTCOMES]
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 1) + 1)) as pool:
        futures = {n: pool.submit(_run_body, n, _new_project(tmp_path_factory, n)) for n in pending}
        for n, f in futures.items():
            _OUTCOMES[n] = f.result()
    return _OUTCOMES


def cli_test(body: Callable[[Path], None], name: Optional[str] = None):
    name = name or body.__name__
    assert name.startswith("test_") and name not in _BODIES, name
    _BODIES[name] = body

    def test(_outcomes, tmp_path_factory) -> None:
        if name not in _outcomes:  # not pre-run (e.g. collected in an unusual way): run now
            _outcomes[name] = _run_body(name, _new_project(tmp_path_factory, name))
        exc = _outcomes[name]
        if exc is not None:
            raise exc

    test.__name__ = test.__qualname__ = name
    test.__doc__ = body.__doc__
    globals()[name] = test
    return test


def cli_cases(name: str, cases: Sequence) -> Callable:
    """`@cli_cases("test_x", [a, b])` on `def body(project, case)`: tests test_x_0, test_x_1..."""
    def register(body):
        for i, case in enumerate(cases):
            cli_test(lambda project, case=case: body(project, case), f"{name}_{i}")
        return body
    return register


def findings(stdout: str) -> List[re.Match]:
    out = []
    for line in stdout.splitlines():
        m = LINE.match(line)
        if m:
            out.append(m)
    return out


def codes_in(stdout: str) -> List[str]:
    return [m["code"] for m in findings(stdout)]


# --- basics: version, exit codes, text format ------------------------------------------

@cli_test
def test_version(project):
    r = run("--version", cwd=project)
    assert r.returncode == 0
    assert r.stdout.strip() == f"logcheck {logcheck.__version__}"


@cli_test
def test_clean_file_exits_0(project):
    write(project, "pkg/mod.py", CLEAN)
    r = run("pkg", cwd=project)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "All checks passed!\n"


@cli_test
def test_text_format_and_summary(project):
    write(project, "pkg/mod.py", ROOT_AND_WARN)
    r = run("pkg", cwd=project)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:2] == [
        "pkg/mod.py:5:5: LC101 [*] Logging call on the root logger; use a module logger (`logging.getLogger(__name__)`)",
        "pkg/mod.py:5:5: LC301 [*] `warn` is deprecated; use `warning`",
    ]
    assert lines[-1] == "Found 2 problems (2 fixable with --fix)."
    assert len(lines) == 3


@cli_test
def test_default_path_is_current_folder(project):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run(cwd=project)
    assert r.returncode == 1
    assert [m["path"] for m in findings(r.stdout)] == ["mod.py", "mod.py"]


@cli_test
def test_unsafe_fix_counted_separately(project):
    need("LC401")
    write(project, "pkg/mod.py", 'import logging\n\n\ndef f(x):\n    print("value", x)\n')
    r = run("--extend-select", "LC401", "pkg", cwd=project)  # LC401 is off by default
    assert r.returncode == 1
    (m,) = findings(r.stdout)
    assert m["code"] == "LC401" and m["fix"] is None  # unsafe: no [*] without --unsafe-fixes
    assert r.stdout.splitlines()[-1] == "Found 1 problem (0 fixable with --fix, 1 with --unsafe-fixes)."
    r = run("--extend-select", "LC401", "--unsafe-fixes", "pkg", cwd=project)
    (m,) = findings(r.stdout)
    assert m["fix"] == " [*]"


@cli_test
def test_missing_path_is_usage_error(project):
    r = run("does/not/exist.py", cwd=project)
    assert r.returncode == 2
    assert "does/not/exist.py" in r.stderr


@cli_test
def test_syntax_error_is_lc000_and_run_goes_on(project):
    # (a file none of whose rules' needles occur is skipped unparsed by the pre-check)
    write(project, "pkg/broken.py", "import logging\n\ndef f(:\n    logging.info('x')\n")
    write(project, "pkg/mod.py", ROOT_AND_WARN)
    r = run("pkg", cwd=project)
    assert r.returncode == 1
    got = [(m["path"], m["code"]) for m in findings(r.stdout)]
    assert ("pkg/broken.py", "LC000") in got
    assert ("pkg/mod.py", "LC101") in got and ("pkg/mod.py", "LC301") in got


@cli_test
def test_syntax_error_in_file_without_logging_words(project):
    """The spec: a file that cannot be parsed is an LC000 finding, also when the pre-check
    knows that no rule could report in it (the interpreter's parser still looks at it)."""
    write(project, "broken.py", "def f(:\n    pass\n")
    r = run("broken.py", cwd=project)
    assert r.returncode == 1 and codes_in(r.stdout) == ["LC000"]


@cli_test
def test_exit_zero(project):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run("--exit-zero", "mod.py", cwd=project)
    assert r.returncode == 0
    assert codes_in(r.stdout) == ["LC101", "LC301"]


@cli_test
def test_quiet_prints_findings_without_summary(project):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run("--quiet", "mod.py", cwd=project)
    assert r.returncode == 1
    assert len(r.stdout.splitlines()) == 2 and codes_in(r.stdout) == ["LC101", "LC301"]
    write(project, "clean.py", CLEAN)
    r = run("-q", "clean.py", cwd=project)
    assert r.returncode == 0 and r.stdout == ""


@cli_test
def test_statistics(project):
    write(project, "a.py", ROOT_AND_WARN)
    write(project, "b.py", "import logging\nlogging.info('x')\n")
    r = run("--statistics", "a.py", "b.py", cwd=project)
    assert r.returncode == 1
    *table, total = r.stdout.splitlines()
    rows = [line.split("\t") for line in table]
    assert [(int(c), code, rest) for c, code, rest in rows] == [
        (2, "LC101", "[*] root-logger-call"),
        (1, "LC301", "[*] deprecated-warn"),
    ]
    assert total == "Found 3 problems (3 fixable with --fix)."


# --- JSON -------------------------------------------------------------------------------

@cli_test
def test_json_output_shape(project):
    write(project, "pkg/mod.py", ROOT_AND_WARN)
    r = run("--output-format", "json", "pkg", cwd=project)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert [d["code"] for d in data] == ["LC101", "LC301"]
    for d in data:
        assert {"code", "message", "filename", "location", "end_location", "fix", "noqa_row", "url"} <= set(d)
        assert Path(d["filename"]) == (project / "pkg" / "mod.py").resolve() or Path(d["filename"]) == project / "pkg" / "mod.py"
        assert d["location"] == {"row": 5, "column": 5}
        assert d["end_location"] == {"row": 5, "column": 22}
        assert d["noqa_row"] == 5
        assert d["url"].startswith("file://") and d["url"].endswith(f"/{d['code']}.md")  # the page shipped
        fix = d["fix"]
        assert fix["applicability"] == "safe" and fix["message"]
        assert fix["edits"], "edits are part of the JSON output"
        for e in fix["edits"]:
            assert set(e) == {"content", "location", "end_location"}
            assert set(e["location"]) == {"row", "column"} and set(e["end_location"]) == {"row", "column"}
    warn = data[1]["fix"]["edits"]
    assert warn == [{"content": "ing", "location": {"row": 5, "column": 17}, "end_location": {"row": 5, "column": 17}}]


@cli_test
def test_json_output_empty_list_when_clean(project):
    write(project, "mod.py", CLEAN)
    r = run("--output-format", "json", "mod.py", cwd=project)
    assert r.returncode == 0
    assert json.loads(r.stdout) == []


@cli_test
def test_json_fix_null_without_fix(project):
    need("LC205")
    write(project, "mod.py", 'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("%s %s", 1)\n')
    r = run("--output-format", "json", "--select", "LC205", "mod.py", cwd=project)
    (d,) = json.loads(r.stdout)
    assert d["code"] == "LC205" and d["fix"] is None


# --- fixing -----------------------------------------------------------------------------

@cli_test
def test_diff_prints_and_writes_nothing(project):
    path = write(project, "mod.py", ROOT_AND_WARN)
    r = run("--diff", "mod.py", cwd=project)
    assert r.returncode == 1
    assert path.read_text() == ROOT_AND_WARN
    assert r.stdout.startswith("--- a/mod.py\n+++ b/mod.py\n@@ ")
    assert "-    logging.warn(\"x\")\n+    logger.warning(\"x\")\n" in r.stdout
    assert "+logger = logging.getLogger(__name__)\n" in r.stdout


@cli_test
def test_diff_exit_0_when_nothing_to_fix(project):
    write(project, "mod.py", CLEAN)
    r = run("--diff", "mod.py", cwd=project)
    assert r.returncode == 0 and r.stdout == ""


@cli_test
def test_fix_writes_and_is_idempotent(project):
    path = write(project, "mod.py", ROOT_AND_WARN)
    r = run("--fix", "mod.py", cwd=project)
    assert r.returncode == 0, r.stdout + r.stderr
    assert path.read_text() == ROOT_AND_WARN_FIXED
    assert "2 fixed, 0 remaining" in r.stdout
    compile(path.read_text(), str(path), "exec")
    r = run("--fix", "mod.py", cwd=project)
    assert r.returncode == 0
    assert path.read_text() == ROOT_AND_WARN_FIXED
    assert run("--diff", "mod.py", cwd=project).stdout == ""


@cli_test
def test_fix_reports_remaining_and_exit_1(project):
    need("LC205")
    src = 'import logging\n\n\ndef f():\n    logging.info("%s %s", 1)\n'
    path = write(project, "mod.py", src)
    r = run("--fix", "mod.py", cwd=project)
    assert r.returncode == 1
    assert "logger.info(" in path.read_text()
    assert codes_in(r.stdout) == ["LC205"]
    assert "1 fixed, 1 remaining" in r.stdout


@cli_test
def test_show_fixes(project):
    write(project, "a.py", ROOT_AND_WARN)
    write(project, "b.py", CLEAN)
    r = run("--fix", "--show-fixes", "a.py", "b.py", cwd=project)
    assert r.returncode == 0
    assert "- a.py: 2 fixes" in r.stdout
    assert "b.py" not in r.stdout


@cli_test
def test_unsafe_fixes_only_with_flag(project):
    need("LC401")
    src = 'import logging\n\n\ndef f(x):\n    print("value", x)\n'
    path = write(project, "pkg/mod.py", src)
    r = run("--extend-select", "LC401", "--fix", "pkg", cwd=project)
    assert r.returncode == 1 and path.read_text() == src
    r = run("--extend-select", "LC401", "--fix", "--unsafe-fixes", "pkg", cwd=project)
    assert r.returncode == 0, r.stdout
    text = path.read_text()
    assert "print(" not in text and 'logger.info("value %s", x)' in text
    compile(text, str(path), "exec")


@cli_test
def test_fix_keeps_crlf_line_endings(project):
    path = project / "mod.py"
    path.write_bytes(ROOT_AND_WARN.replace("\n", "\r\n").encode())
    r = run("--fix", "mod.py", cwd=project)
    assert r.returncode == 0
    assert path.read_bytes() == ROOT_AND_WARN_FIXED.replace("\n", "\r\n").encode()


# --- stdin ------------------------------------------------------------------------------

@cli_test
def test_stdin_check_uses_stdin_filename(project):
    r = run("-", "--stdin-filename", "pkg/mod.py", cwd=project, stdin=ROOT_AND_WARN)
    assert r.returncode == 1
    assert [(m["path"], m["row"], m["code"]) for m in findings(r.stdout)] == [
        ("pkg/mod.py", "5", "LC101"), ("pkg/mod.py", "5", "LC301")]


@cli_test
def test_stdin_fix_writes_fixed_source_to_stdout(project):
    r = run("--fix", "-", "--stdin-filename", "mod.py", cwd=project, stdin=ROOT_AND_WARN)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ROOT_AND_WARN_FIXED
    assert not (project / "mod.py").exists()


@cli_test
def test_stdin_fix_unchanged_source_is_echoed(project):
    r = run("--fix", "-", "--stdin-filename", "mod.py", cwd=project, stdin=CLEAN)
    assert r.returncode == 0 and r.stdout == CLEAN


@cli_test
def test_stdin_filename_picks_config_and_exemptions(project):
    need("LC401")
    src = "def sync():\n    print('hi')\n"
    on = ("--extend-select", "LC401")
    assert codes_in(run(*on, "-", "--stdin-filename", "pkg/mod.py", cwd=project, stdin=src).stdout) == ["LC401"]
    r = run(*on, "-", "--stdin-filename", "tests/test_mod.py", cwd=project, stdin=src)
    assert r.returncode == 0, r.stdout  # `**/tests/**` is in allow-print


# --- selection --------------------------------------------------------------------------

@cli_cases("test_select_ignore_extend_select", [
    (["--select", "LC301"], ["LC301"]),
    (["--select", "LC3"], ["LC301"]),
    (["--select", "lc10"], ["LC101"]),
    (["--ignore", "LC1"], ["LC301"]),
    (["--select", "LC101", "--extend-select", "LC301"], ["LC101", "LC301"]),
    (["--select", "LC1,LC3", "--ignore", "LC101"], ["LC301"]),
])
def _select_case(project, case):
    args, expected = case
    write(project, "mod.py", ROOT_AND_WARN)
    r = run(*args, "mod.py", cwd=project)
    assert codes_in(r.stdout) == expected, r.stdout + r.stderr


@cli_test
def test_extend_select_enables_default_off_rule(project):
    need("LC403")
    write(project, "mod.py", "import sys\n\n\ndef f():\n    sys.stdout.write('x')\n")
    assert run("mod.py", cwd=project).returncode == 0
    r = run("--extend-select", "LC403", "mod.py", cwd=project)
    assert codes_in(r.stdout) == ["LC403"]


@cli_cases("test_unknown_code_on_command_line_is_exit_2", ["--select", "--ignore", "--extend-select"])
def _unknown_code_case(project, flag):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run(flag, "LC999", "mod.py", cwd=project)
    assert r.returncode == 2
    assert "LC999" in r.stderr
    assert r.stdout == ""


# --- suppression ------------------------------------------------------------------------

@cli_test
def test_noqa_forms(project):
    write(project, "mod.py", """\
        import logging


        def f():
            logging.warn("a")  # noqa
            logging.warn("b")  # noqa: LC101
            logging.warn("c")  # noqa: LC301, LC101
            logging.warn("d")  # NOQA:LC301
            logging.warn(
                "e",
            )  # noqa: LC101
        """)
    r = run("mod.py", cwd=project)
    assert [(m["row"], m["code"]) for m in findings(r.stdout)] == [
        ("6", "LC301"), ("8", "LC101"), ("9", "LC301")]


@cli_test
def test_noqa_lc201(project):
    need("LC201")
    write(project, "mod.py", """\
        import logging

        logger = logging.getLogger(__name__)


        def f(user):
            logger.info(f"hello {user}")  # noqa: LC201
            logger.info(f"bye {user}")
            logger.info(f"again {user}")  # noqa: LC301
        """)
    r = run("mod.py", cwd=project)
    assert [(m["row"], m["code"]) for m in findings(r.stdout)] == [("8", "LC201"), ("9", "LC201")]


@cli_test
def test_disable_file(project):
    write(project, "off.py", "# logcheck: disable-file\n" + ROOT_AND_WARN)
    write(project, "some.py", "#!/usr/bin/env python\n# logcheck: disable-file=LC301\n" + ROOT_AND_WARN)
    write(project, "docstring.py", '"""Orders."""\n# logcheck: disable-file\n' + ROOT_AND_WARN)
    write(project, "late.py", ROOT_AND_WARN + "# logcheck: disable-file\n")
    r = run("off.py", "some.py", "docstring.py", "late.py", cwd=project)
    got = sorted((m["path"], m["code"]) for m in findings(r.stdout))
    assert got == [("late.py", "LC101"), ("late.py", "LC301"), ("some.py", "LC101")]
    # below the code it does nothing, and says so
    assert "logcheck: late.py:6: `# logcheck: disable-file` below the first statement is ignored" in r.stderr


# --- configuration ----------------------------------------------------------------------

@cli_test
def test_pyproject_select_and_per_file_ignores(project):
    write(project, "pyproject.toml", """\
        [tool.logcheck]
        select = ["LC1", "LC3"]
        per-file-ignores = { "legacy/*.py" = ["LC101"], "**/gen_*.py" = ["LC3"] }
        """)
    write(project, "app/mod.py", ROOT_AND_WARN)
    write(project, "legacy/old.py", ROOT_AND_WARN)
    write(project, "app/gen_x.py", ROOT_AND_WARN)
    r = run(".", cwd=project)
    got = sorted((m["path"], m["code"]) for m in findings(r.stdout))
    assert got == [("app/gen_x.py", "LC101"), ("app/mod.py", "LC101"), ("app/mod.py", "LC301"),
                   ("legacy/old.py", "LC301")]


@cli_test
def test_nearest_pyproject_wins(project):
    write(project, "pyproject.toml", '[tool.logcheck]\nselect = ["LC101"]\n')
    write(project, "top.py", ROOT_AND_WARN)
    write(project, "sub/pyproject.toml", '[tool.logcheck]\nselect = ["LC301"]\n')
    write(project, "sub/pkg/mod.py", ROOT_AND_WARN)
    r = run(".", cwd=project)
    assert sorted((m["path"], m["code"]) for m in findings(r.stdout)) == [
        ("sub/pkg/mod.py", "LC301"), ("top.py", "LC101")]
    # run from inside the sub-project: same answer for its file
    r = run("pkg", cwd=project / "sub")
    assert [(m["path"], m["code"]) for m in findings(r.stdout)] == [("pkg/mod.py", "LC301")]


@cli_test
def test_config_flag_overrides_discovery(project):
    write(project, "pyproject.toml", '[tool.logcheck]\nselect = ["LC101"]\n')
    write(project, "mod.py", ROOT_AND_WARN)
    write(project, "other/custom.toml", '[tool.logcheck]\nselect = ["LC301"]\n')
    r = run("--config", "other/custom.toml", "mod.py", cwd=project)
    assert codes_in(r.stdout) == ["LC301"]
    r = run("--config", "other/missing.toml", "mod.py", cwd=project)
    assert r.returncode == 2 and "missing.toml" in r.stderr


@cli_test
def test_command_line_select_overrides_config(project):
    write(project, "pyproject.toml", '[tool.logcheck]\nselect = ["LC101"]\n')
    write(project, "mod.py", ROOT_AND_WARN)
    assert codes_in(run("--select", "LC301", "mod.py", cwd=project).stdout) == ["LC301"]


@cli_cases("test_config_errors_exit_2_naming_key_value_and_file", [
    ('selekt = ["LC101"]', ["selekt"]),
    ('select = "LC101"', ["select", "LC101"]),
    ('select = ["LC999"]', ["LC999"]),
    ('ignore = ["XY1"]', ["XY1"]),
    ('per-file-ignores = { "*.py" = ["LC77"] }', ["LC77"]),
    ('logger-names = [1, 2]', ["logger-names"]),
])
def _config_error_case(project, case):
    table, words = case
    write(project, "pyproject.toml", f"[tool.logcheck]\n{table}\n")
    write(project, "mod.py", ROOT_AND_WARN)
    r = run("mod.py", cwd=project)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "pyproject.toml" in r.stderr
    for word in words:
        assert word in r.stderr
    assert r.stdout == ""


@cli_test
def test_invalid_toml_is_exit_2(project):
    write(project, "pyproject.toml", "[tool.logcheck\nselect = \n")
    write(project, "mod.py", CLEAN)
    r = run("mod.py", cwd=project)
    assert r.returncode == 2 and "pyproject.toml" in r.stderr


@cli_test
def test_excluded_folders_are_skipped(project):
    for folder in (".git", ".venv", "build", "node_modules", "__pycache__", ".tox"):
        write(project, f"{folder}/mod.py", ROOT_AND_WARN)
    write(project, "app/mod.py", ROOT_AND_WARN)
    r = run(".", cwd=project)
    assert {m["path"] for m in findings(r.stdout)} == {"app/mod.py"}


# --- subcommands ------------------------------------------------------------------------

@cli_test
def test_rule_page(project):
    r = run("rule", "LC101", cwd=project)
    assert r.returncode == 0
    assert r.stdout.startswith("# LC101 root-logger-call\n")
    assert "## Example" in r.stdout and "## Use instead" in r.stdout
    r = run("rule", "lc301", cwd=project)
    assert r.returncode == 0 and r.stdout.startswith("# LC301 deprecated-warn")
    r = run("rule", "LC999", cwd=project)
    assert r.returncode == 2 and "LC999" in r.stderr


@cli_test
def test_rules_table_lists_registry(project):
    r = run("rules", cwd=project)
    assert r.returncode == 0
    rules_part = r.stdout.split("\n\n")[0]
    rows = [line.split(None, 4) for line in rules_part.splitlines()]
    assert rows[0] == ["code", "name", "default", "fix", "families"]
    expected = [[c, rule.name, "on" if rule.default else "off", rule.fix,
                 ", ".join(registry.covered_families(rule)) or "-"]
                for c, rule in registry.all_rules().items()]
    assert rows[1:] == expected
    by_code = {row[0]: row[4] for row in rows[1:]}
    # the families each rule covers (rules.md, "Logger families")
    assert by_code["LC201"] == "stdlib, powertools, loguru, structlog"
    assert by_code["LC301"] == "stdlib, powertools"
    assert by_code["LC701"] == "loguru" and by_code["LC712"] == "structlog"
    assert by_code["LC502"] == "-"


# --- colour -----------------------------------------------------------------------------

@cli_test
def test_no_colour_when_not_a_tty(project):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run("mod.py", cwd=project)
    assert not ANSI.search(r.stdout)


def _run_in_pty(args: List[str], cwd: Path, env: Dict[str, str]) -> str:
    import pty

    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env)
    proc = subprocess.Popen([sys.executable, "-m", "logcheck", *args], cwd=cwd, stdout=slave,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=environ)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO once the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode()


@cli_test
def test_colour_on_a_tty_unless_no_color(project):
    if sys.platform == "win32":
        pytest.skip("needs a pty")
    write(project, "mod.py", ROOT_AND_WARN)
    coloured = _run_in_pty(["mod.py"], project, {})
    assert ANSI.search(coloured)
    assert "LC101" in ANSI.sub("", coloured)
    plain = _run_in_pty(["mod.py"], project, {"NO_COLOR": "1"})
    assert "LC101" in plain and not ANSI.search(plain)


# --- the example project ------------------------------------------------------------------

@cli_test
def test_examples_show_a_representative_set(project):
    # the README's first command: `logcheck examples/` (exits 1: the examples are full of mistakes)
    r = run(str(EXAMPLES), cwd=project)
    assert r.returncode == 1, r.stderr
    found = {m["code"] for m in findings(r.stdout) if "/app/" in m["path"]}
    # every code rule the example project was written to show, as far as it is registered
    wanted = {"LC101", "LC102", "LC103", "LC201", "LC202", "LC203", "LC204", "LC205", "LC206",
              "LC207", "LC301", "LC302", "LC303", "LC304", "LC305", "LC306", "LC307", "LC401", "LC402", "LC601"}
    registered = set(registry.all_rules())
    assert wanted & registered <= found, sorted((wanted & registered) - found)
    # `print` in the entry point is exempt
    assert not any(m["path"].endswith("__main__.py") and m["code"] == "LC401" for m in findings(r.stdout))


@cli_test
def test_examples_fix_compiles_and_is_stable(project):
    app = project / "app"
    shutil.copytree(EXAMPLES / "app", app)
    r = run("--fix", "--unsafe-fixes", "app", cwd=project)
    assert r.returncode in (0, 1), r.stderr
    changed = [p for p in app.rglob("*.py")
               if p.read_bytes() != (EXAMPLES / "app" / p.relative_to(app)).read_bytes()]
    assert changed, "the example project has fixable problems"
    for p in changed:
        compile(p.read_text(encoding="utf-8"), str(p), "exec")
    again = run("--diff", "--unsafe-fixes", "app", cwd=project)
    assert again.returncode == 0 and again.stdout == "", again.stdout


# --- issue 13: never pass when nothing was checked ------------------------------------------

NO_FILES = "logcheck: warning: No Python files found under the given path(s)\n"


@cli_test
def test_dangling_symlink_alone_is_an_error(project):
    os.symlink("missing.py", project / "broken.py")
    r = run("broken.py", cwd=project)
    assert r.returncode == 2
    assert r.stderr == "logcheck: error: broken.py: cannot read: broken symbolic link (or a symlink loop)\n"
    assert "All checks passed!" not in r.stdout


@cli_test
def test_dangling_symlink_next_to_a_file_is_a_finding(project):
    os.symlink("missing.py", project / "broken.py")
    write(project, "mod.py", CLEAN)
    r = run("broken.py", "mod.py", cwd=project)
    assert r.returncode == 1
    assert [(m["path"], m["code"], m["msg"]) for m in findings(r.stdout)] == [
        ("broken.py", "LC000", "cannot read: broken symbolic link (or a symlink loop)")]


@cli_test
def test_folder_without_python_files_says_so(project):
    write(project, "docs/readme.txt", "hello\n")
    r = run("docs", cwd=project)
    assert r.returncode == 0
    assert r.stderr == NO_FILES and r.stdout == ""


@cli_test
def test_output_file_errors_are_one_line(project):
    write(project, "mod.py", ROOT_AND_WARN)
    (project / "reports").mkdir()
    for target, reason in (("missing/out.json", "folder missing does not exist"), ("reports", "is a folder")):
        r = run("--output-format", "json", "--output-file", target, "mod.py", cwd=project)
        assert r.returncode == 2, r.stderr
        assert r.stderr == f"logcheck: error: --output-file {target}: {reason}\n"
        assert "Traceback" not in r.stderr and r.stdout == ""


@cli_test
def test_force_exclude_applies_excludes_to_named_files(project):
    write(project, "pyproject.toml", '[tool.logcheck]\nextend-exclude = ["generated"]\n')
    write(project, "generated/api.py", ROOT_AND_WARN)
    write(project, "app.py", ROOT_AND_WARN)
    assert codes_in(run("generated/api.py", cwd=project).stdout) == ["LC101", "LC301"]  # named: checked
    r = run("--force-exclude", "generated/api.py", "app.py", cwd=project)
    assert {m["path"] for m in findings(r.stdout)} == {"app.py"}
    alone = run("--force-exclude", "generated/api.py", cwd=project)
    assert alone.returncode == 0 and alone.stderr == NO_FILES and alone.stdout == ""
    # the key in pyproject.toml does the same
    write(project, "pyproject.toml", '[tool.logcheck]\nextend-exclude = ["generated"]\nforce-exclude = true\n')
    assert run("generated/api.py", cwd=project).stderr == NO_FILES
    # folders above the project root do not count: a project that lives in `build/` is checked
    inner = project / "build" / "proj"
    write(inner, "pyproject.toml", '[tool.logcheck]\n')  # its own settings root
    write(inner, "app.py", ROOT_AND_WARN)
    assert codes_in(run("--force-exclude", "app.py", cwd=inner).stdout) == ["LC101", "LC301"]


@cli_test
def test_config_files_named_by_pre_commit(project):
    # what the logcheck-config hook passes: every file with a configuration suffix
    # LC502, the finding expected here, is in preview
    write(project, "pyproject.toml", '[project]\nname = "demo"\nversion = "0"\n[tool.logcheck]\npreview = true\n')
    write(project, "package.json", '{"name": "demo", "version": "1.0.0"}\n')
    write(project, ".pre-commit-config.yaml", "repos: []\n")
    write(project, "setup.cfg", "[metadata]\nname = demo\n")
    write(project, "logging.json", '{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", '
                                   '"filename": "a.log"}}, "root": {"level": "INFO", "handlers": ["f"]}}\n')
    r = run("--force-exclude", "pyproject.toml", "package.json", ".pre-commit-config.yaml", "setup.cfg",
            "logging.json", cwd=project)
    assert r.returncode == 1
    assert r.stderr == ""  # the files that hold no logging configuration are passed over silently
    assert {m["path"] for m in findings(r.stdout)} == {"logging.json"}
    assert "LC502" in codes_in(r.stdout)


def test_pre_commit_hooks_use_force_exclude_and_cover_config_files():
    yaml = pytest.importorskip("yaml")
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert all("--force-exclude" in h["entry"].split() for h in hooks.values()), hooks
    files = re.compile(hooks["logcheck-config"]["files"])
    for name in ("logging.ini", "setup.cfg", "deploy/logging.conf", "log.json", "log.yaml", "log.yml", "x.toml"):
        assert files.search(name), name
    assert not files.search("mod.py") and not files.search("notes.txt")


@cli_test
def test_policy_of_a_missing_path_is_an_error(project):
    r = run("policy", "missing/", cwd=project)
    assert r.returncode == 2 and r.stderr == "logcheck: error: missing/: no such file or directory\n"
    r = run("policy", cwd=project)
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "# effective policy for . (defaults)"
    r = run("policy", "--preset", "container", cwd=project)
    assert r.stdout.splitlines()[0] == "# effective policy for . (from --preset container)"
    write(project, "pyproject.toml", '[tool.logcheck.policy]\npreset = "server"\n')
    r = run("policy", cwd=project)
    assert r.stdout.splitlines()[0] == f"# effective policy for . (from {project / 'pyproject.toml'})"


@cli_test
def test_stdin_filename_alone_reads_stdin(project):
    write(project, "mod.py", CLEAN)  # would be clean if `.` were checked instead
    r = run("--stdin-filename", "pkg/mod.py", cwd=project, stdin=ROOT_AND_WARN)
    assert r.returncode == 1
    assert [(m["path"], m["code"]) for m in findings(r.stdout)] == [("pkg/mod.py", "LC101"), ("pkg/mod.py", "LC301")]


@cli_cases("test_options_that_would_be_ignored_are_refused", [
    (["--statistics", "--output-format", "sarif"],
     "--statistics prints a table (text formats) or json; it cannot be used with --output-format sarif"),
    (["--statistics", "--diff"], "--statistics prints a table (text formats) or json; it cannot be used with --diff"),
    (["--exit-non-zero-on-fix"], "--exit-non-zero-on-fix is about what --fix changed; use it with --fix or --fix-only"),
    (["--isolated", "--config", "pyproject.toml"],
     "--isolated reads no configuration file; it cannot be used with --config"),
    (["--watch", "--show-files"], "--watch re-checks files as they change; it cannot be used with stdin, --add-noqa, "
                                  "--write-baseline, --show-files or --show-settings"),
    (["--show-fixes"], "--show-fixes lists what --fix changed; use it with --fix"),
    (["--show-fixes", "--diff"], "--show-fixes lists what --fix changed; use it with --fix"),
    (["--diff", "--output-file", "out.txt"], "--diff prints the diff to stdout; it cannot be used with --output-file"),
])
def _refused_case(project, case):
    args, message = case
    write(project, "mod.py", ROOT_AND_WARN)
    r = run(*args, "mod.py", cwd=project)
    assert r.returncode == 2 and r.stderr == f"logcheck: error: {message}\n" and r.stdout == ""


@cli_test
def test_add_noqa_in_configuration_files(project):
    import configparser

    yaml = pytest.importorskip("yaml")
    ini = write(project, "logging.ini", """\
        [loggers]
        keys=root

        [handlers]
        keys=file

        [formatters]
        keys=plain

        [logger_root]
        level=INFO
        handlers=file

        [handler_file]
        class=FileHandler
        formatter=plain
        args=('app.log',)

        [formatter_plain]
        format=%(asctime)s %(levelname)s %(name)s %(message)s
        """)
    yml = write(project, "logging.yaml", """\
        version: 1
        disable_existing_loggers: false
        handlers:
          file:
            class: logging.FileHandler
            filename: app.log
        root:
          level: INFO
          handlers: [file]
        """)
    before_ini = configparser.ConfigParser(interpolation=None)
    before_ini.read(ini)
    before_yaml = yaml.safe_load(yml.read_text())
    first = run("--preview", ".", cwd=project)  # LC502 is in preview
    assert {(m["path"], m["code"]) for m in findings(first.stdout)} >= {("logging.ini", "LC502"), ("logging.yaml", "LC502")}
    r = run("--preview", "--add-noqa", ".", cwd=project)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "[handler_file]  ; noqa: LC502\n" in ini.read_text()
    assert "    class: logging.FileHandler  # noqa: LC502\n" in yml.read_text()
    again = run("--preview", ".", cwd=project)
    assert again.returncode == 0, again.stdout
    # the files still mean what they meant, and fileConfig still loads the INI file
    after_ini = configparser.ConfigParser(interpolation=None)
    after_ini.read(ini)
    assert {s: dict(after_ini[s]) for s in after_ini.sections()} == {s: dict(before_ini[s]) for s in before_ini.sections()}
    assert yaml.safe_load(yml.read_text()) == before_yaml
    probe = subprocess.run([sys.executable, "-c", "import logging, logging.config; logging.config.fileConfig('logging.ini');"
                            " print(type(logging.getLogger().handlers[0]).__name__)"],
                           cwd=project, capture_output=True, text=True, timeout=60)
    assert probe.stdout == "FileHandler\n", probe.stderr


@cli_test
def test_add_noqa_says_json_has_no_comments(project):
    write(project, "logging.json", '{"version": 1, "handlers": {"f": {"class": "logging.FileHandler", '
                                   '"filename": "a.log"}}, "root": {"level": "INFO", "handlers": ["f"]}}\n')
    r = run("--preview", "--add-noqa", "logging.json", cwd=project)  # LC502 is in preview
    assert "logcheck: logging.json: JSON has no comments; no noqa comments added" in r.stderr


@cli_test
def test_dogfooding_logcheck_checks_its_own_package_clean(project):
    r = run("--no-cache", "--output-format", "concise", str(REPO / "logcheck"), cwd=project)
    found = {(Path(m["path"]).relative_to(REPO).as_posix(), m["code"]) for m in findings(r.stdout)}
    assert found == set()
    assert r.returncode == 0 and "Traceback" not in r.stderr


# --- issue 13: habits of ruff and flake8 users ----------------------------------------------

@cli_test
def test_peer_codes_in_noqa_and_pylint_comments(project):
    need("LC201", "LC401")
    write(project, "mod.py", """\
        import logging

        logger = logging.getLogger(__name__)


        def f(user):
            logger.info(f"hello {user}")  # noqa: G004
            logger.info(f"hello {user}")  # pylint: disable=logging-fstring-interpolation
            logger.info(f"hello {user}")  # pylint: disable=W1203
            logging.warning("root")  # noqa: LOG015
            print(user)  # noqa: T201
            logger.info(f"hello {user}")  # noqa: G003
            logger.info(f"hello {user}")
        """)
    r = run("mod.py", cwd=project)
    assert [(m["row"], m["code"]) for m in findings(r.stdout)] == [("12", "LC201"), ("13", "LC201")]


@cli_test
def test_peer_codes_in_select_and_ignore(project):
    write(project, "mod.py", ROOT_AND_WARN)
    r = run("--select", "G010", "mod.py", cwd=project)
    assert codes_in(r.stdout) == ["LC301"]
    assert r.stderr == "logcheck: note: `G010` (logging-warn in ruff, flake8-logging-format) is LC301 in logcheck\n"
    r = run("--ignore", "LOG015", "mod.py", cwd=project)
    assert codes_in(r.stdout) == ["LC301"]
    assert r.stderr == "logcheck: note: `LOG015` (root-logger-call in ruff, flake8-logging) is LC101 in logcheck\n"


@cli_test
def test_rule_page_for_a_peer_code(project):
    r = run("rule", "G004", cwd=project)
    assert r.returncode == 0 and r.stdout.startswith("# LC201 fstring-message\n")
    assert r.stderr == "logcheck: note: `G004` (logging-f-string in ruff, flake8-logging-format) is LC201 in logcheck\n"
    r = run("rule", "logging-not-lazy", cwd=project)
    assert r.returncode == 0 and "# LC202 " in r.stdout and "# LC204 " in r.stdout


@cli_test
def test_rules_lists_the_peer_codes(project):
    r = run("rules", cwd=project)
    peers_part = r.stdout.split("\n\n")[1].splitlines()
    assert peers_part[0].startswith("Peer codes")
    rows = {line.split()[0]: line.split()[1] for line in peers_part[1:]}
    assert rows["G004"] == "LC201" and rows["LOG015"] == "LC101" and rows["T201"] == "LC401"
    assert rows["W1203"] == "LC201"


@cli_test
def test_check_is_an_alias_of_the_default_action(project):
    write(project, "mod.py", ROOT_AND_WARN)
    plain, aliased = run("mod.py", cwd=project), run("check", "mod.py", cwd=project)
    assert aliased.returncode == plain.returncode == 1 and aliased.stdout == plain.stdout
    assert run("check", cwd=project).stdout == plain.stdout  # default path `.`


@cli_test
def test_exclude_and_per_file_ignores_on_the_command_line(project):
    write(project, "app/mod.py", ROOT_AND_WARN)
    write(project, "legacy/old.py", ROOT_AND_WARN)
    write(project, "vendor/lib.py", ROOT_AND_WARN)
    r = run("--extend-exclude", "vendor", "--per-file-ignores", "legacy/*:LC101", ".", cwd=project)
    assert sorted((m["path"], m["code"]) for m in findings(r.stdout)) == [
        ("app/mod.py", "LC101"), ("app/mod.py", "LC301"), ("legacy/old.py", "LC301")]
    r = run("--exclude", "legacy,vendor", ".", cwd=project)
    assert {m["path"] for m in findings(r.stdout)} == {"app/mod.py"}
    bad = run("--per-file-ignores", "legacy", ".", cwd=project)
    assert bad.returncode == 2 and "expected PATTERN:CODES" in bad.stderr
    unknown = run("--per-file-ignores", "legacy/*:LC999", ".", cwd=project)
    assert unknown.returncode == 2 and "`LC999`" in unknown.stderr


@cli_test
def test_show_files_and_show_settings(project):
    write(project, "pyproject.toml", '[tool.logcheck]\nextend-exclude = ["vendor"]\nignore = ["LC301"]\n')
    write(project, "app/mod.py", ROOT_AND_WARN)
    write(project, "vendor/lib.py", ROOT_AND_WARN)
    r = run("--show-files", cwd=project)
    assert r.returncode == 0 and r.stdout == "app/mod.py\n"
    r = run("--show-settings", "app/mod.py", cwd=project)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == f"# settings for app/mod.py (from {project / 'pyproject.toml'}; relative globs from {project})"
    assert 'ignore = ["LC301"]' in lines and 'extend-exclude = ["vendor"]' in lines
    enabled = next(line for line in lines if line.startswith("enabled = "))
    assert '"LC101"' in enabled and '"LC301"' not in enabled
    assert "[tool.logcheck.policy]" in lines


@cli_test
def test_extend_allow_print(project):
    need("LC401")
    # (tools/ is in the defaults, and so is a function named `main`: a library module here)
    write(project, "ui/report.py", "def sync(x):\n    print(x)\n")
    assert codes_in(run("--extend-select", "LC401", "ui", cwd=project).stdout) == ["LC401"]
    r = run("--extend-select", "LC401", "--extend-allow-print", "ui/*.py", "ui", cwd=project)
    assert r.returncode == 0 and codes_in(r.stdout) == []
    write(project, "pyproject.toml", '[tool.logcheck]\nextend-select = ["LC401"]\nextend-allow-print = ["ui/*.py"]\n')
    assert run("ui", cwd=project).returncode == 0


def _run_in_pty_with_stderr(args: List[str], cwd: Path, env: Dict[str, str]) -> str:
    """What a user sees on the terminal (stdout and stderr both on the pty)."""
    import pty

    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env)
    proc = subprocess.Popen([sys.executable, "-m", "logcheck", *args], cwd=cwd, stdout=slave, stderr=slave,
                            stdin=subprocess.DEVNULL, env=environ)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode()


@cli_test
def test_progress_bar_only_on_a_terminal_and_for_people(project):
    if sys.platform == "win32":
        pytest.skip("needs a pty")
    for i in range(3):
        write(project, f"m{i}.py", ROOT_AND_WARN)
    # the bar waits ~2 s before it appears; the test makes that wait 0 to see it at once
    now = {"LOGCHECK_PROGRESS_DELAY": "0", "NO_COLOR": "1"}
    shown = _run_in_pty_with_stderr(["--no-cache", "-j", "1", "."], project, now)
    assert "] 3/3 files, " in shown and "Found 6 problems" in shown
    assert "\r\x1b[K" in shown  # erased before the report
    machine = _run_in_pty_with_stderr(["--no-cache", "-j", "1", "--output-format", "json", "."], project, now)
    assert "files, " not in machine
    assert json.loads(machine)
    piped = run("--no-cache", "-j", "1", ".", cwd=project, env=now)
    assert "files, " not in piped.stderr and piped.stderr == ""
    # a run shorter than the delay shows no bar (a delay far above this run's time: with the
    # default 2 s, a loaded machine or mutmut's traced run takes longer and rightly shows it)
    later = {"LOGCHECK_PROGRESS_DELAY": "600", "NO_COLOR": "1"}
    quick = _run_in_pty_with_stderr(["--no-cache", "."], project, later)
    assert "files, " not in quick and "Found 6 problems" in quick


def test_readme_describes_no_release_that_does_not_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install logcheck\n" not in readme and "pip install logcheck " not in readme
    assert "rev: v0.1.0" not in readme
    assert 'python -m pip install "logcheck @ git+URL@COMMIT"' in readme
