"""The LC7xx rules that ask what other modules of the project do (semantics/project_calls.py):
loguru's default sink removed elsewhere (LC703), the processors the project's
`structlog.configure` installs (LC711), configuration after cached use (LC712), and sinks
added in every worker process (LC702). Every case is a small project on disk, checked
in-process with the project's root as the settings root."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from helpers import make_settings, package_project

from logcheck.lint.check import check_source
from logcheck.rules import registry
from logcheck.source.text import SourceText


def project_codes(root: Path, files: Dict[str, str], checked: str, codes: List[str],
                  extra: Optional[Dict[str, str]] = None, settings: Optional[dict] = None) -> List[str]:
    """The codes reported in `pkg/<checked>` of a project made of `files` (package `pkg`)
    and `extra` files at the project's root (environment and deployment files)."""
    package_project(root, "pkg", files)
    for rel, text in (extra or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    path = root / "pkg" / checked
    found = check_source(str(path), SourceText(path.read_text(), "utf-8", False), registry.rules_for(codes),
                         make_settings(settings, root=root))
    return [d.code for d in found.diagnostics]


# ---------------------------------------------------------------------------- LC703
CONSOLE = "import sys\nfrom loguru import logger\nlogger.add(sys.stderr, format='{message}')\n"

#: (case, files besides `cli.py` (the module that adds a console sink), root files, reported)
DEFAULT_SINK = [
    ("nothing removes the default sink", {}, {}, True),
    ("another module removes it", {"main.py": "from loguru import logger\nlogger.remove()\n"}, {}, False),
    ("another module removes it by id", {"main.py": "import loguru\nloguru.logger.remove(0)\n"}, {}, False),
    ("another module configures the handlers",
     {"setup.py": "from loguru import logger\ndef setup():\n    logger.configure(handlers=[])\n"}, {}, False),
    ("a module of the project that does not use loguru removes from a list",
     {"util.py": "items = [1]\nitems.remove(1)\n"}, {}, True),
    ("only a test removes it", {}, {"tests/test_cli.py": "from loguru import logger\nlogger.remove()\n"}, True),
    ("LOGURU_AUTOINIT set in code",
     {"boot.py": "import os\nos.environ['LOGURU_AUTOINIT'] = 'False'\n"}, {}, False),
    ("LOGURU_AUTOINIT only quoted in text", {"doc.py": "'''see LOGURU_AUTOINIT'''\n"}, {}, True),
    ("LOGURU_AUTOINIT in a .env file", {}, {".env": "LOGURU_AUTOINIT=False\n"}, False),
    ("LOGURU_AUTOINIT in a Dockerfile", {}, {"Dockerfile": "FROM python\nENV LOGURU_AUTOINIT=0\n"}, False),
    ("LOGURU_AUTOINIT in a compose file", {}, {"deploy/compose.yml": "environment:\n  LOGURU_AUTOINIT: 'false'\n"},
     False),
]


@pytest.mark.parametrize("case,files,extra,reported", DEFAULT_SINK, ids=[c[0] for c in DEFAULT_SINK])
def test_default_sink_removed_anywhere_in_the_program(tmp_path, case, files, extra, reported):
    found = project_codes(tmp_path, {"cli.py": CONSOLE, **files}, "cli.py", ["LC703"], extra)
    assert found == (["LC703"] if reported else [])


def test_loguru_autoinit_false_means_no_default_sink():
    """The oracle of LOGURU_AUTOINIT: the real loguru adds no default sink when it is false."""
    import subprocess
    import sys

    pytest.importorskip("loguru")
    program = "from loguru import logger\nlogger.info('hello')\n"
    for value, expected in (("False", b""), ("True", b"hello")):
        out = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60,
                             env={"LOGURU_AUTOINIT": value, "PATH": ""})
        assert (expected in out.stderr) if expected else out.stderr == b"", (value, out.stderr)
