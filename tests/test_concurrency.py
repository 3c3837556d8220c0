"""Two `logcheck --fix` processes over the same tree at the same time (pre-commit and an
editor's format-on-save, say) never leave a partial or interleaved file: afterwards every
file is byte for byte either the original or the fully fixed version, and compiles.

Writes are atomic (temporary file in the same folder, fsync, rename) and a file whose
bytes changed since it was read is not overwritten, so whichever process loses the race
leaves the winner's complete result in place.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Dict

import pytest

TEMPLATES = [
    '''import logging


def handler_{i}(user, items):
    logging.warn("user %s", user)
    logging.info(f"{{user}} has {{len(items):d}} items in batch {i}")
    return items
''',
    '''"""Module {i}: a service with a root-logger call."""
import logging
import os


class Service{i}:
    def run(self, path):
        try:
            return os.stat(path)
        except OSError:
            logging.error("cannot stat %s" % path, exc_info=True)
            raise
''',
    '''import logging

log = logging.getLogger(__name__)


def compute_{i}(a, b):
    log.warn("computing {i}: " + str(a) + " and " + repr(b))
    log.fatal("{{}} / {{}}".format(a, b))
    return a / b
''',
    '''# a file without findings, {i}
import logging

logger = logging.getLogger(__name__)


def ok_{i}(value):
    logger.info("value %s", value)
''',
]


def make_tree(root: Path, count: int = 50) -> Dict[str, bytes]:
    files = {}
    for i in range(count):
        text = TEMPLATES[i % len(TEMPLATES)].format(i=i) * (1 + i % 3 if i % 4 == 3 else 1)
        rel = f"pkg{i % 5}/mod_{i}.py"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
        files[rel] = text.encode()
    (root / "pyproject.toml").write_text("[tool.logcheck]\n", encoding="utf-8")
    return files


def logcheck(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "logcheck", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tree_bytes(root: Path) -> Dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The original tree and its fully fixed version (one undisturbed run)."""
    root = tmp_path_factory.mktemp("reference")
    original = make_tree(root)
    proc = logcheck("--fix", "--no-cache", ".", cwd=root)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), err
    fixed = tree_bytes(root)
    assert sum(fixed[k] != original[k] for k in original) >= 30  # most files get fixes
    return original, fixed


@pytest.mark.parametrize("args", [
    ("--fix", "."),                           # worker pools, result cache on
    ("--fix", "--no-cache", "-j", "1", "."),  # one process each, no cache
])
def test_two_fix_runs_at_once_never_leave_a_partial_file(tmp_path, reference, args):
    original, fixed = reference
    root = tmp_path / "tree"
    root.mkdir()
    make_tree(root)
    # the second process starts on a different order of paths to cross the first
    first = logcheck(*args, cwd=root)
    second_args = list(args[:-1]) + sorted({p.split("/")[0] for p in original}, reverse=True)
    second = logcheck(*second_args, cwd=root)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    for proc, (out, err) in zip((first, second), outs):
        assert proc.returncode in (0, 1), err
        assert "Traceback" not in err and "internal error" not in err, err
        for line in err.splitlines():  # losing the race is reported, never a crash
            assert "changed while it was being checked" in line or "cache" in line.lower(), line
    after = tree_bytes(root)
    assert set(after) == set(original)
    for rel, data in after.items():
        assert data in (original[rel], fixed[rel]), f"{rel} is neither the original nor the fixed file"
        compile(data, rel, "exec", dont_inherit=True)
    leftovers = [p.name for p in root.rglob("*") if p.name.endswith(".logcheck-tmp")]
    assert leftovers == []
    # one more run finishes whatever the losing process left
    proc = logcheck("--fix", ".", cwd=root)
    proc.communicate(timeout=300)
    assert tree_bytes(root) == fixed
