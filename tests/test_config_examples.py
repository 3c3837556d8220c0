"""`logcheck examples/config examples/lambda` demonstrates the LC5xx family: every planted
configuration mistake is reported (the Lambda folder under its own aws-lambda preset), and
`--fix --unsafe-fixes` on a copy repairs the Python ones and leaves valid code."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<row>\d+):(?P<col>\d+): (?P<code>LC\d+)", re.M)

EXPECTED = {
    ("examples/config/logging.ini", "LC503"), ("examples/config/logging.ini", "LC505"),
    ("examples/config/logging.ini", "LC508"),
    ("examples/config/logging.yaml", "LC508"), ("examples/config/logging.yaml", "LC509"),
    ("examples/config/shopsite/settings.py", "LC303"), ("examples/config/shopsite/settings.py", "LC501"),
    # settings.py sets no root level, but its two loggers set their own levels and handlers (and
    # the root has no handler): nothing is lost, so no LC505
    ("examples/config/shopsite/settings.py", "LC502"),
    ("examples/config/shopsite/settings.py", "LC506"), ("examples/config/shopsite/settings.py", "LC508"),
    ("examples/config/shopsite/worker.py", "LC503"), ("examples/config/shopsite/worker.py", "LC511"),
    ("examples/lambda/handler.py", "LC501"), ("examples/lambda/handler.py", "LC504"),
    ("examples/lambda/handler.py", "LC505"), ("examples/lambda/handler.py", "LC510"),
}


def _run(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "logcheck", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_examples_show_the_family():
    out = _run("examples/config", "examples/lambda")
    assert out.returncode == 1, out.stderr
    found = {(m["path"], m["code"]) for m in LINE.finditer(out.stdout)
             if m["code"].startswith("LC5") or m["code"] == "LC303"}  # other families may add their own
    assert found == EXPECTED, out.stdout


def test_fixing_a_copy_repairs_the_python_findings(tmp_path):
    target = tmp_path / "config"
    shutil.copytree(REPO / "examples" / "config", target)
    out = _run("--fix", "--unsafe-fixes", ".", cwd=target)
    assert "3 fixed" in out.stdout, out.stdout
    settings = (target / "shopsite" / "settings.py").read_text()
    compile(settings, "settings.py", "exec")
    assert '"class": "logging.handlers.RotatingFileHandler"' in settings
    assert '"disable_existing_loggers": False' in settings
    assert '"level": "INFO"' in settings
    again = _run("--fix", "--unsafe-fixes", ".", cwd=target)
    assert "fixed" not in again.stdout.split("Found")[-1] or "(0 fixed" in again.stdout
