"""The command-line habits a ruff user brings: family prefixes, --fix-only and
--exit-non-zero-on-fix, --no-fix, -e/-n/-v, --isolated, --color (and FORCE_COLOR /
NO_COLOR), --fix --diff, --statistics as JSON and with a total, the `full` format, --watch.
Each expected output here is written out by hand from what the option means in ruff."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest

from helpers import checkout_env
from logcheck.interfaces.cli import main

#: three findings: LC101 (safe fix), LC301 (safe fix), LC201 (safe fix)
BAD = ('import logging\n'
       '\n'
       'def charge(order):\n'
       '    logging.info("charging %s", order)\n'
       '    logging.getLogger(__name__).warn(f"slow {order}")\n')
PRINTS = 'print("hello")\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def codes(out: str) -> list:
    return [line.split()[1] for line in out.splitlines() if line.startswith("pkg/")]


# ----------------------------------------------------------------------------- family prefixes

@pytest.mark.parametrize("selector, expected", [
    ("G", ["LC201", "LC301"]),          # G004 f-string, G010 warn
    ("LOG", ["LC101", "LC201", "LC301"]),  # LOG015 root call, LOG011 pre-formatted, LOG009 warn
    ("LOG015", ["LC101"]),
    ("G,LOG", ["LC101", "LC201", "LC301"]),
    ("PLW12", ["LC201"]),  # pylint's W1203 in ruff's naming
])
def test_family_prefixes_select_their_lc_rules(project, capsys, selector, expected):
    assert main(["-n", "--select", selector, "pkg"]) == 1
    out, err = capsys.readouterr()
    assert sorted(codes(out)) == expected
    assert f"`{selector.split(',')[0]}` (" in err  # the note names what the family stands for


def test_family_prefixes_in_ignore_per_file_ignores_and_noqa(project, capsys):
    assert main(["-n", "--ignore", "G", "pkg"]) == 1
    assert codes(capsys.readouterr()[0]) == ["LC101"]
    assert main(["-n", "--per-file-ignores", "pkg/*:LOG", "pkg"]) == 0
    capsys.readouterr()
    (project / "pkg" / "p.py").write_text('print("a")  # noqa: T20\nprint("b")\n')
    assert main(["-n", "--select", "T20", "pkg/p.py"]) == 1
    assert [line.split(":")[1] for line in capsys.readouterr()[0].splitlines() if line.startswith("pkg/")] == ["2"]


def test_prefixes_ruff_does_not_know_stay_errors(project, capsys):
    # `E`/`W` are pycodestyle's in ruff, `PL` alone spells no code's letters
    for selector in ("E", "W", "PL", "LO"):
        assert main(["-n", "--select", selector, "pkg"]) == 2
        assert f"unknown rule code or prefix `{selector}`" in capsys.readouterr()[1]


# ----------------------------------------------------------------------------- fixing

def test_fix_only_fixes_and_reports_only_what_it_fixed(project, capsys):
    assert main(["-n", "--fix-only", "pkg"]) == 0
    out, _ = capsys.readouterr()
    assert out == "Fixed 3 problems.\n"
    assert '.warning("slow %s", order)' in (project / "pkg" / "bad.py").read_text()
    assert main(["-n", "--fix-only", "pkg"]) == 0  # nothing left to fix: nothing said
    assert capsys.readouterr()[0] == ""


def test_fix_only_does_not_fail_on_what_is_left(project, capsys):
    (project / "pkg" / "bad.py").write_text(PRINTS)
    assert main(["-n", "--fix-only", "--select", "LC401", "pkg"]) == 0  # unsafe fix only: left
    assert capsys.readouterr()[0] == ""


def test_exit_non_zero_on_fix(project, capsys):
    assert main(["-n", "--fix", "--exit-non-zero-on-fix", "pkg"]) == 1  # fixed, nothing left
    assert capsys.readouterr()[0] == "Found 3 problems (3 fixed, 0 remaining).\n"
    assert main(["-n", "--fix", "--exit-non-zero-on-fix", "pkg"]) == 0  # nothing fixed this time
    (project / "pkg" / "bad.py").write_text(BAD)
    assert main(["-n", "--fix-only", "--exit-non-zero-on-fix", "pkg"]) == 1
    (project / "pkg" / "bad.py").write_text(BAD)
    assert main(["-n", "-e", "--fix-only", "--exit-non-zero-on-fix", "pkg"]) == 0  # --exit-zero wins, as ruff


def test_no_fix_overrides_fix(project, capsys):
    assert main(["-n", "--fix", "--no-fix", "pkg"]) == 1
    assert (project / "pkg" / "bad.py").read_text() == BAD
    assert sorted(codes(capsys.readouterr()[0])) == ["LC101", "LC201", "LC301"]


def test_fix_diff_shows_the_fix_and_writes_nothing(project, capsys):
    assert main(["-n", "--fix", "--diff", "pkg"]) == 1
    with_fix = capsys.readouterr()
    assert main(["-n", "--diff", "pkg"]) == 1
    assert capsys.readouterr() == with_fix
    assert (project / "pkg" / "bad.py").read_text() == BAD
    assert '+    logging.getLogger(__name__).warning("slow %s", order)\n' in with_fix[0]


# ----------------------------------------------------------------------------- short options, isolation

def test_short_options_mean_what_they_mean_in_ruff(project, capsys):
    assert main(["-e", "pkg"]) == 0  # --exit-zero
    capsys.readouterr()
    cache = project / ".logcheck_cache"
    assert cache.is_dir()
    shutil.rmtree(cache)
    assert main(["-n", "-e", "pkg"]) == 0 and not cache.exists()  # --no-cache
    capsys.readouterr()
    assert main(["-v", "-e", "pkg"]) == 0
    err = capsys.readouterr()[1].splitlines()
    assert err[0] == "logcheck: verbose: settings from defaults"
    assert err[1].startswith("logcheck: verbose: 1 file checked (0 answered from the cache) in ")
    assert main(["-v", "-e", "pkg"]) == 0
    assert capsys.readouterr()[1].splitlines()[1].startswith("logcheck: verbose: 1 file checked (1 answered from the cache)")


def test_isolated_ignores_configuration_files(project, capsys):
    (project / "pyproject.toml").write_text('[tool.logcheck]\nignore = ["LC101", "LC201", "LC301"]\n')
    assert main(["-n", "pkg"]) == 0
    capsys.readouterr()
    assert main(["-n", "-v", "--isolated", "pkg"]) == 1
    out, err = capsys.readouterr()
    assert sorted(codes(out)) == ["LC101", "LC201", "LC301"]
    assert "logcheck: verbose: settings from defaults (--isolated)" in err.splitlines()
    assert main(["-n", "--isolated", "--select", "LC101", "pkg"]) == 1  # the command line still applies
    assert codes(capsys.readouterr()[0]) == ["LC101"]


# ----------------------------------------------------------------------------- colour

@pytest.mark.parametrize("args, env, colored", [
    ([], {}, False),  # captured stdout is no terminal
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": ""}, False),  # empty: not set (force-color.org)
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True),
    (["--color", "always"], {"NO_COLOR": "1"}, True),
    (["--color", "auto"], {"NO_COLOR": "1"}, False),
])
def test_color(project, capsys, monkeypatch, args, env, colored):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    main(["-n", *args, "pkg"])
    out = capsys.readouterr()[0]
    assert ("\x1b[" in out) is colored
    if colored:
        assert "\x1b[1mpkg/bad.py\x1b[0m:4:5: \x1b[31m\x1b[1mLC101\x1b[0m [*] " in out


def test_color_never_reaches_machine_formats(project, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["-n", "--output-format", "json", "pkg"])
    assert "\x1b[" not in capsys.readouterr()[0]


# ----------------------------------------------------------------------------- statistics, full

def test_statistics_as_json(project, capsys):
    (project / "pkg" / "p.py").write_text('print("a")\nprint("b")\n')
    assert main(["-n", "--statistics", "--output-format", "json", "--extend-select", "LC401", "pkg"]) == 1
    assert json.loads(capsys.readouterr()[0]) == [
        {"code": "LC401", "name": "print-call", "count": 2, "fixable_count": 0},  # unsafe: not without the flag
        {"code": "LC101", "name": "root-logger-call", "count": 1, "fixable_count": 1},
        {"code": "LC201", "name": "fstring-message", "count": 1, "fixable_count": 1},
        {"code": "LC301", "name": "deprecated-warn", "count": 1, "fixable_count": 1},
    ]


def test_statistics_table_marks_partly_fixable_rules_and_ends_with_the_total(project, capsys):
    (project / "pkg" / "p.py").write_text('import logging\nlogging.info(f"{1}")\nlogging.info(f"{1:,}")\n')
    assert main(["-n", "--statistics", "--select", "LC201", "pkg"]) == 1
    assert capsys.readouterr()[0] == (
        "     3\tLC201\t[~] fstring-message\n"
        "Found 3 problems (2 fixable with --fix).\n")


def test_full_format_shows_source_and_carets(project, capsys):
    assert main(["-n", "--output-format", "full", "--select", "LC301", "pkg"]) == 1
    assert capsys.readouterr()[0] == (
        "pkg/bad.py:5:5: LC301 [*] `warn` is deprecated; use `warning`\n"
        "  |\n"
        "4 |     logging.info(\"charging %s\", order)\n"
        "5 |     logging.getLogger(__name__).warn(f\"slow {order}\")\n"
        "  |     " + "^" * len('logging.getLogger(__name__).warn(f"slow {order}")') + " LC301\n"
        "  |\n"
        "\n"
        "Found 1 problem (1 fixable with --fix).\n")


def test_full_format_on_stdin(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"import logging\nlogging.warn('x')\n")))
    assert main(["-n", "--output-format", "full", "--stdin-filename", "s.py"]) == 1
    out = capsys.readouterr()[0]
    assert "2 | logging.warn('x')\n  | " + "^" * len("logging.warn('x')") + " LC301\n" in out


# ----------------------------------------------------------------------------- watch

def test_watch_checks_again_when_a_file_changes(project):
    env = {k: v for k, v in checkout_env().items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.Popen([sys.executable, "-u", "-m", "logcheck", "-n", "--watch", "pkg"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        def wait_for(stream, needle: str) -> str:
            seen = ""
            deadline = time.monotonic() + 60
            while needle not in seen:
                assert time.monotonic() < deadline, seen
                line = stream.readline()
                assert line, seen  # the process ended
                seen += line
            return seen

        first = wait_for(proc.stdout, "Found 3 problems")
        assert "pkg/bad.py:4:5: LC101" in first
        wait_for(proc.stderr, "watching for file changes")
        (project / "pkg" / "bad.py").write_text('import logging\n\nlogging.info("x")\n')
        second = wait_for(proc.stdout, "Found 1 problem ")
        assert "pkg/bad.py:3:1: LC101" in second
        assert proc.poll() is None  # still watching
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()


def test_show_files_says_a_missing_path_instead_of_listing_it(project, capsys):
    assert main(["--show-files", "pkg", "nope.py"]) == 0
    out, err = capsys.readouterr()
    assert out == "pkg/bad.py\n"
    assert err == "logcheck: nope.py: cannot read: no such file or directory\n"
