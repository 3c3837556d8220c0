"""The purpose settings through the real command line: `allow-print`/`extend-allow-print`,
`test-paths`, `application-paths`, `swallowed-exception`, their errors, and the result
cache following a project's entry points."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List

PRINTS = 'def f():\n    print("x")\n'
SWALLOW = "def f():\n    try:\n        run()\n    except Exception:\n        pass\n"
CONFIGURES = "import logging\n\n\ndef setup():\n    logging.basicConfig(level=logging.INFO)\n"


def _project(root: Path, pyproject: str, files: dict) -> Path:
    (root / "pyproject.toml").write_text(textwrap.dedent(pyproject), encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "logcheck", *args], cwd=root, capture_output=True, text=True,
                          env=env, timeout=120)


def _found(result: subprocess.CompletedProcess) -> List[str]:
    """`path CODE` for each finding of the concise output."""
    out = []
    for line in result.stdout.splitlines():
        parts = line.split(" ")
        if len(parts) > 1 and parts[1].startswith("LC"):
            out.append(f"{parts[0].split(':')[0]} {parts[1]}")
    return sorted(out)


def test_extend_allow_print_adds_to_the_defaults(tmp_path):
    _project(tmp_path, '[tool.logcheck]\nextend-allow-print = ["ui/**"]\n',
             {"ui/view.py": PRINTS, "tests/test_a.py": PRINTS, "core/sync.py": PRINTS})
    r = _run(tmp_path, "--no-cache", "--output-format", "concise", "--select", "LC401", ".")
    assert r.returncode == 1, r.stderr
    assert _found(r) == ["core/sync.py LC401"]


def test_allow_print_replaces_the_defaults(tmp_path):
    _project(tmp_path, '[tool.logcheck]\nallow-print = ["ui/**"]\n',
             {"ui/view.py": PRINTS, "tests/test_a.py": PRINTS})
    r = _run(tmp_path, "--no-cache", "--output-format", "concise", "--select", "LC401", ".")
    assert _found(r) == ["tests/test_a.py LC401"]


def test_test_paths_and_swallowed_exception(tmp_path):
    _project(tmp_path, '[tool.logcheck]\nextend-select = ["LC307"]\nextend-test-paths = ["qa/**"]\n',
             {"qa/check.py": SWALLOW, "tests/test_a.py": SWALLOW, "core/io.py": SWALLOW})
    r = _run(tmp_path, "--no-cache", "--output-format", "concise", ".")
    assert _found(r) == ["core/io.py LC307"]
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck]\nextend-select = ["LC307"]\n'
                                             'swallowed-exception = "strict"\n', encoding="utf-8")
    r = _run(tmp_path, "--no-cache", "--output-format", "concise", ".")
    assert _found(r) == ["core/io.py LC307", "qa/check.py LC307", "tests/test_a.py LC307"]


def test_application_paths_under_the_library_preset(tmp_path):
    _project(tmp_path, '[tool.logcheck]\nextend-application-paths = ["demo/**"]\n'
                       '[tool.logcheck.policy]\npreset = "library"\n',
             {"demo/run.py": CONFIGURES, "examples/x.py": CONFIGURES, "pkg/setup_logging.py": CONFIGURES})
    r = _run(tmp_path, "--no-cache", "--output-format", "concise", "--select", "LC504,LC507", ".")
    assert _found(r) == ["pkg/setup_logging.py LC507"]


def test_bad_values_are_exit_2_naming_the_key(tmp_path):
    _project(tmp_path, '[tool.logcheck]\nswallowed-exception = "loose"\n', {"a.py": "x = 1\n"})
    r = _run(tmp_path, ".")
    assert r.returncode == 2 and "`swallowed-exception` has unknown value 'loose'" in r.stderr
    _project(tmp_path, '[tool.logcheck]\nextend-allow-print = "tools/**"\n', {})
    r = _run(tmp_path, ".")
    assert r.returncode == 2 and "`extend-allow-print` must be a list of strings" in r.stderr
    _project(tmp_path, '[tool.logcheck]\nextend-allow-prints = []\n', {})
    r = _run(tmp_path, ".")
    assert r.returncode == 2 and "unknown key `extend-allow-prints`" in r.stderr


def test_cache_follows_the_entry_points(tmp_path):
    # the entry point is read from pyproject.toml, not from the checked file: a cached result
    # must not outlive a change of [project.scripts]
    source = "def run():\n    print('x')\n"
    _project(tmp_path, '[project]\nname = "t"\n[project.scripts]\nt = "tool:run"\n[tool.logcheck]\n',
             {"tool.py": source})
    # older than the cache's racy window, so that the second run answers tool.py from its
    # size and modification time: only a recorded dependency can send it back to the rules
    past = os.stat(tmp_path / "tool.py").st_mtime_ns - 10_000_000_000
    os.utime(tmp_path / "tool.py", ns=(past, past))
    first = _run(tmp_path, "--output-format", "concise", "--select", "LC401", "tool.py")
    assert first.returncode == 0, first.stdout + first.stderr
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "t"\n[tool.logcheck]\n', encoding="utf-8")
    second = _run(tmp_path, "--output-format", "concise", "--select", "LC401", "tool.py")
    assert _found(second) == ["tool.py LC401"]
