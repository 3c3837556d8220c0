"""`--fix` on a file whose declared encoding cannot hold a fix's new text: that one fix is
withheld and reported, the run goes on and the file's other fixes are applied (a joined
literal keeps the escapes it was written with, so it stays encodable)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SNIPPET_PROJECT, fix, make_settings

from logcheck.lint.check import fix_source
from logcheck.rules import registry
from logcheck.source.text import SourceText

SOURCE = (
    "# -*- coding: latin-1 -*-\n"
    "import logging\n"
    "logger = logging.getLogger(__name__)\n"
    'logger.warning("\\u2022 {}".format(name))\n'
    'logger.warning("\\u2022 " + "x" + str(name))\n'
    'logger.info(f"caf\u00e9 {user}")\n'
    'logger.warn("done")\n'
)
FIXED = (
    "# -*- coding: latin-1 -*-\n"
    "import logging\n"
    "logger = logging.getLogger(__name__)\n"
    'logger.warning("\\u2022 {}".format(name))\n'
    'logger.warning("\\u2022 x%s", name)\n'
    'logger.info("caf\u00e9 %s", user)\n'
    'logger.warning("done")\n'
)


def test_unencodable_fix_is_withheld_and_the_others_apply(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "0"\n', encoding="utf-8")
    target = tmp_path / "legacy.py"
    target.write_bytes(SOURCE.encode("latin-1"))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run([sys.executable, "-m", "logcheck", "--fix", "--select", "LC201,LC203,LC204,LC301", "legacy.py"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert "internal error" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)  # the LC203 finding remains
    assert target.read_bytes() == FIXED.encode("latin-1")
    assert "legacy.py:4:1: fix produced text the file's encoding iso-8859-1 cannot hold ('\u2022'); not applied [LC203]" \
        in done.stderr, done.stderr
    assert "legacy.py:4:1: LC203" in done.stdout, done.stdout


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_a_fixed_file_keeps_its_line_endings_to_the_last_byte(newline):
    lines = ["import logging", "logger = logging.getLogger(__name__)", "logger.warn('x')", ""]
    source = newline.join(lines)
    assert fix(source, ["LC301"], dedent=False) == source.replace(".warn(", ".warning(")


def test_a_withheld_fix_leaves_the_others_their_inserted_logger():
    # one pass holds LC101's fix (which brings the module logger) and LC203's, whose bullet
    # the file cannot hold: the batch is tried again without LC203, with the logger
    source = ("# -*- coding: latin-1 -*-\nimport logging\nother = logging.getLogger('other')\nlogging.info('start')\n"
              "other.warning('\\u2022 {}'.format(name))\n")
    outcome = fix_source(str(SNIPPET_PROJECT / "legacy.py"), SourceText(source, "iso-8859-1", False),
                         registry.rules_for(["LC101", "LC203"]), make_settings({}, SNIPPET_PROJECT))
    assert outcome.text == ("# -*- coding: latin-1 -*-\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n"
                            "other = logging.getLogger('other')\nlogger.info('start')\n"
                            "other.warning('\\u2022 {}'.format(name))\n")
    assert outcome.applied == 1
    assert outcome.failed == [("LC203", "5:1: fix produced text the file's encoding iso-8859-1 cannot hold ('\u2022'); "
                                        "not applied")]
