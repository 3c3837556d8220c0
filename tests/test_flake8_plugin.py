"""The flake8 plugin, run through the real flake8 in a subprocess."""

from __future__ import annotations

import subprocess
import sys
import textwrap


import flake8  # noqa: F401  (in the test extra; the tests run it in a subprocess)

#: the messages flake8 must show, written here, not read from the registry
LC101 = "Logging call on the root logger; use a module logger (`logging.getLogger(__name__)`)"
LC301 = "`warn` is deprecated; use `warning`"

BAD = textwrap.dedent('''\
    import logging

    logging.info("root")
    log = logging.getLogger(__name__)
    log.warn("old")
    log.warning("fine")
''')


def _flake8(cwd, *args):
    proc = subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def test_plugin_is_registered(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True, timeout=60)
    assert "logcheck" in proc.stdout


def test_flake8_select_lc_reports_logcheck_findings(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    rc, lines, err = _flake8(tmp_path, "--select", "LC", "bad.py")
    assert rc == 1, err
    assert lines == [
        f"bad.py:3:1: LC101 {LC101}",
        f"bad.py:5:1: LC301 {LC301}",
    ]


def test_flake8_select_single_code_and_noqa(tmp_path):
    source = BAD.replace('log.warn("old")', 'log.warn("old")\nlog.warn("again")  # noqa: LC301')
    (tmp_path / "bad.py").write_text(source)
    rc, lines, err = _flake8(tmp_path, "--select", "LC301", "bad.py")
    assert rc == 1, err
    assert lines == [f"bad.py:5:1: LC301 {LC301}"]


def test_columns_are_flake8_style(tmp_path):
    (tmp_path / "m.py").write_text("import logging\n\n\ndef f():\n    logging.info('x')\n")
    rc, lines, err = _flake8(tmp_path, "--select", "LC", "m.py")
    assert lines == [f"m.py:5:5: LC101 {LC101}"]


def test_plugin_honours_tool_logcheck_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck]\nignore = ["LC301"]\n')
    (tmp_path / "bad.py").write_text(BAD)
    rc, lines, err = _flake8(tmp_path, "--select", "LC", "bad.py")
    assert [line.split()[1] for line in lines] == ["LC101"], (lines, err)


def test_clean_file_passes(tmp_path):
    (tmp_path / "ok.py").write_text("import logging\n\nlogger = logging.getLogger(__name__)\nlogger.info('x %s', 1)\n")
    rc, lines, err = _flake8(tmp_path, "--select", "LC", "ok.py")
    assert (rc, lines) == (0, []), err
