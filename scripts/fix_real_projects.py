#!/usr/bin/env python
"""`logcheck --fix --unsafe-fixes` on real code: every changed file compiles, and a second
run changes nothing.

Copies the example project and pinned open-source projects from the corpus
(`bench/corpus.py`: sdists from PyPI, cached outside the repository) into a scratch folder,
runs `logcheck --fix --unsafe-fixes` on each copy, then checks that

- every file the fix changed still compiles (`compile()` with this Python), and
- a second `--fix --unsafe-fixes` run changes no byte, and `--diff --unsafe-fixes` is empty,

and prints a summary: files, files changed, fixes applied per rule, findings remaining,
failures. Exits 1 when a check fails.

Usage:
    python scripts/fix_real_projects.py                      # examples + requests, paramiko, gunicorn
    python scripts/fix_real_projects.py --projects kombu celery --keep /tmp/fixed
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402

DEFAULT_PROJECTS = ("requests", "paramiko", "gunicorn")


@dataclass
class Outcome:
    name: str
    files: int = 0
    changed: List[str] = field(default_factory=list)
    fixed_by_code: Counter = field(default_factory=Counter)
    before: int = 0
    remaining: int = 0
    not_compiling: List[str] = field(default_factory=list)
    skipped_compile: List[str] = field(default_factory=list)
    second_run_changed: List[str] = field(default_factory=list)
    diff_after: bool = False
    errors: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.not_compiling or self.second_run_changed or self.diff_after or self.errors)


def logcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)


def snapshot(root: Path) -> Dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py")) if p.is_file()}


def findings(root: Path) -> List[dict]:
    r = logcheck("--output-format", "json", "--exit-zero", "--unsafe-fixes", ".", cwd=root)
    if r.returncode != 0:
        raise RuntimeError(f"logcheck failed on {root} ({r.returncode}):\n{r.stderr[-3000:]}")
    return json.loads(r.stdout)


def compiles(source: bytes, name: str) -> Optional[str]:
    try:
        compile(source, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def fix_project(name: str, src: Path, work: Path, show_diff: int) -> Outcome:
    out = Outcome(name)
    root = work / name
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(src, root, symlinks=True)
    # the copy is a project of its own: logcheck must not pick up settings from the scratch folder
    if not (root / "pyproject.toml").exists():
        (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "0"\n')

    original = snapshot(root)
    out.files = len(original)
    before = findings(root)
    out.before = len(before)

    t0 = time.perf_counter()
    first = logcheck("--fix", "--unsafe-fixes", ".", cwd=root)
    out.seconds = time.perf_counter() - t0
    if first.returncode not in (0, 1):
        out.errors.append(f"first --fix exited {first.returncode}: {first.stderr.strip()[-2000:]}")
    for line in first.stderr.splitlines():
        if "internal error" in line.lower():
            out.errors.append(line)

    fixed = snapshot(root)
    out.changed = sorted(k for k in fixed if fixed[k] != original.get(k))
    for rel in out.changed:
        if compiles(original[rel], rel) is not None:  # not valid for this Python before either
            out.skipped_compile.append(rel)
            continue
        problem = compiles(fixed[rel], rel)
        if problem:
            out.not_compiling.append(f"{rel}: {problem}")

    after = findings(root)
    out.remaining = len(after)
    count_before = Counter(d["code"] for d in before)
    count_after = Counter(d["code"] for d in after)
    for code in count_before:
        if count_before[code] > count_after[code]:
            out.fixed_by_code[code] = count_before[code] - count_after[code]

    second = logcheck("--fix", "--unsafe-fixes", ".", cwd=root)
    if second.returncode not in (0, 1):
        out.errors.append(f"second --fix exited {second.returncode}: {second.stderr.strip()[-2000:]}")
    again = snapshot(root)
    out.second_run_changed = sorted(k for k in again if again[k] != fixed.get(k))
    diff = logcheck("--diff", "--unsafe-fixes", ".", cwd=root)
    out.diff_after = bool(diff.stdout.strip())

    for rel in out.changed[:show_diff]:
        sys.stdout.writelines(difflib.unified_diff(
            original[rel].decode("utf-8", "replace").splitlines(True),
            fixed[rel].decode("utf-8", "replace").splitlines(True), f"a/{name}/{rel}", f"b/{name}/{rel}"))
    return out


def sources(projects: Sequence[str], cache: Path) -> List[Tuple[str, Path]]:
    out = [("examples-app", REPO / "examples" / "app")]
    for name in projects:
        version = corpus.PINS[name]
        top = corpus.unpack(corpus.download(name, version, cache), cache)
        sub = corpus.PACKAGE_ONLY.get(name)
        out.append((f"{name}-{version}", top / sub if sub and (top / sub).is_dir() else top))
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--projects", nargs="*", default=list(DEFAULT_PROJECTS), choices=sorted(corpus.PINS))
    p.add_argument("--cache", type=Path, default=None, help="corpus cache (default: $LOGCHECK_CORPUS or ~/.cache/logcheck-corpus)")
    p.add_argument("--keep", type=Path, help="work in this folder and keep the fixed copies")
    p.add_argument("--show-diff", type=int, default=0, metavar="N", help="print the diff of the first N changed files per project")
    ns = p.parse_args(argv)
    cache = Path(ns.cache) if ns.cache else corpus.default_cache()

    work = ns.keep or Path(tempfile.mkdtemp(prefix="logcheck-fix-"))
    work.mkdir(parents=True, exist_ok=True)
    outcomes = []
    try:
        for name, src in sources(ns.projects, cache):
            print(f"fixing {name} ...", file=sys.stderr)
            outcomes.append(fix_project(name, src, work, ns.show_diff))
    finally:
        if ns.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\n{'project':24} {'files':>6} {'changed':>8} {'findings':>9} {'fixed':>6} {'remain':>7} "
          f"{'compile':>8} {'2nd run':>8} {'secs':>6}")
    for o in outcomes:
        fixed = sum(o.fixed_by_code.values())
        compile_ok = "ok" if not o.not_compiling else f"{len(o.not_compiling)} FAIL"
        stable = "stable" if not (o.second_run_changed or o.diff_after) else "CHANGED"
        print(f"{o.name:24} {o.files:6d} {len(o.changed):8d} {o.before:9d} {fixed:6d} {o.remaining:7d} "
              f"{compile_ok:>8} {stable:>8} {o.seconds:6.1f}")
    for o in outcomes:
        print(f"\n{o.name}: fixed per rule: " + (", ".join(f"{c} {n}" for c, n in sorted(o.fixed_by_code.items())) or "none"))
        for line in o.not_compiling:
            print(f"  does not compile after the fix: {line}")
        for rel in o.second_run_changed:
            print(f"  changed again by a second run: {rel}")
        if o.diff_after:
            print("  `--diff --unsafe-fixes` after fixing is not empty")
        for rel in o.skipped_compile:
            print(f"  (not compilable before the fix either, not checked: {rel})")
        for line in o.errors:
            print(f"  error: {line}")
    ok = all(o.ok for o in outcomes)
    print("\nall changed files compile and a second run changes nothing" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
