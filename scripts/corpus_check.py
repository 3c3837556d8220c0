#!/usr/bin/env python
"""Run logcheck over a corpus of real code and prove that checking and fixing it is safe.

The corpus is built by `bench/corpus.py` (pinned sdists from PyPI, unpacked into a cache
folder outside the repository; `--set robustness` by default: django, celery, scrapy,
sentry-sdk, tornado, gunicorn, twisted). The script copies it into a scratch folder, then:

1. checks every file (the runner the command line uses, all workers, no cache) and counts
   files, lines, findings per code, and crashes (internal errors, dead workers);
2. runs `logcheck --fix --unsafe-fixes` on the copy (a real subprocess, as users run it);
3. compiles every file the fix changed (`compile()` of the bytes, so coding cookies and BOMs
   count) -- files that did not compile before the fix are listed apart;
4. runs `--fix --unsafe-fixes` again and counts the files it changes (must be none);
5. compares each changed file's diff hunks with the line ranges of the findings that have
   a fix, allowing the module-logger lines a fix inserts after the imports: a hunk outside
   every such range is a stray edit;

and prints the figures (also as JSON with `--json FILE`). Exit status 1 when a crash, a
non-compiling fix, a non-idempotent fix or a stray edit was found.

Usage:
    python scripts/corpus_check.py                    # robustness set, scratch in a temp folder
    python scripts/corpus_check.py --set bench --keep /tmp/corpus-fixed --json figures.json
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402

#: lines a fix may insert outside the finding's range: the module logger and the imports
#: fixes need (`import logging`, `import logging.handlers` for the LC502 fix)
_INSERTED_OK = re.compile(r"^\s*(?:import logging(?:\.handlers)?(?: as \w+)?|\w+ = [\w.]*getLogger\(__name__\))?\s*$")


def snapshot(root: Path) -> Dict[str, bytes]:
    out = {}
    for path in corpus.list_py(root):
        try:
            out[path.relative_to(root).as_posix()] = path.read_bytes()
        except OSError:
            pass
    return out


def compiles(data: bytes, name: str) -> Optional[str]:
    try:
        compile(data, name, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    except (RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}"
    return None


def run_cli(args: Sequence[str], cwd: Path) -> Tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)
    return proc, time.perf_counter() - start


def check_in_process(root: Path, workers: int):
    """Findings of every file under `root` through the runner (what the CLI calls)."""
    from logcheck.workspace import runner
    from logcheck.workspace.files import discover, display_path
    from logcheck.workspace.settings_loader import Overrides, SettingsResolver

    resolver = SettingsResolver(None, Overrides())
    cwd = os.getcwd()
    os.chdir(root)
    try:
        targets, warnings = discover([Path(".")], resolver)
        jobs = [runner.Job(t.path, display_path(t.path), resolver.for_path(t.path), t.explicit) for t in targets]
        start = time.perf_counter()
        try:
            outcomes = runner.run(jobs, runner.Options(), workers)
            dead = None
        except Exception as exc:  # a worker killed by a signal (BrokenProcessPool)
            outcomes, dead = [], f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
    finally:
        os.chdir(cwd)
    return jobs, outcomes, warnings, dead, seconds


def hunks(old: bytes, new: bytes) -> List[Tuple[int, int, List[str]]]:
    """(first old row, last old row, inserted lines) of each changed region (1-based rows;
    a pure insertion has last == first - 1)."""
    a = old.decode("latin-1").splitlines(keepends=True)
    b = new.decode("latin-1").splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((i1 + 1, i2, [line.rstrip("\r\n") for line in b[j1:j2]]))
    return out


def stray_hunks(old: bytes, new: bytes, ranges: List[Tuple[int, int]]) -> List[str]:
    out = []
    for first, last, inserted in hunks(old, new):
        if last < first:  # pure insertion between rows last and first
            if all(_INSERTED_OK.match(line) for line in inserted):
                continue  # the module logger (and `import logging`) after the imports
            touches = any(lo - 1 <= last and first <= hi + 1 for lo, hi in ranges)
        else:
            touches = any(lo <= last and first <= hi for lo, hi in ranges)
            if not touches and all(_INSERTED_OK.match(line) for line in inserted):
                # a blank line next to the inserted logger replaced in place
                touches = first == last and not old.decode("latin-1").splitlines()[first - 1].strip()
        if not touches:
            out.append(f"rows {first}-{last}: {' | '.join(inserted)[:160]}")
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--set", default="robustness", help="corpus set of bench/corpus.py (default: robustness)")
    p.add_argument("--cache", type=Path, help="corpus cache folder (default: bench/corpus.py's)")
    p.add_argument("--keep", type=Path, help="scratch folder to use and keep (default: a temporary one)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--show", type=int, default=20, help="list at most this many problems of each kind")
    ns = p.parse_args(argv)

    roots = corpus.build(ns.set, ns.cache)
    scratch = ns.keep or Path(tempfile.mkdtemp(prefix="logcheck-corpus-"))
    work = scratch / "corpus"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    # a pyproject.toml with an empty [tool.logcheck] stops the configuration search here
    (work / "pyproject.toml").write_text("[tool.logcheck]\n", encoding="utf-8")
    for name, root in roots.items():
        shutil.copytree(root, work / name, symlinks=True)
    before = snapshot(work)
    lines = sum(data.count(b"\n") for data in before.values())
    print(f"corpus {ns.set}: {len(roots)} projects, {len(before)} Python files, {lines} lines in {work}",
          file=sys.stderr)

    # 1. check
    jobs, outcomes, warnings, dead, check_seconds = check_in_process(work, ns.jobs)
    crashes = [e for o in outcomes if o.fixed < 0 for e in o.errors]
    if dead:
        crashes.append(f"worker died: {dead}")
    per_code: Counter = Counter()
    fixable: Counter = Counter()
    ranges: Dict[str, List[Tuple[int, int]]] = {}
    parse_errors: List[str] = []
    for o in outcomes:
        for d in o.diagnostics:
            per_code[d.code] += 1
            if d.code == "LC000":
                parse_errors.append(f"{d.path}:{d.row}:{d.col}: {d.message}")
            if d.fix is not None:
                fixable[d.code] += 1
                ranges.setdefault(Path(d.path).as_posix(), []).append((d.row, d.end_row))
    analysed = len([j for j in jobs if j.path.suffix in (".py", ".pyi")])
    print(f"check: {sum(per_code.values())} findings in {check_seconds:.1f}s", file=sys.stderr)

    # 2. fix
    fix_proc, fix_seconds = run_cli(["--fix", "--unsafe-fixes", "--exit-zero", "-q", "-j", str(ns.jobs), "."], work)
    if fix_proc.returncode not in (0, 1) or "internal error" in fix_proc.stderr or "Traceback" in fix_proc.stderr:
        crashes.append(f"--fix exited {fix_proc.returncode}: {fix_proc.stderr.strip()[-500:]}")
    fix_messages = [line for line in fix_proc.stderr.splitlines() if line.startswith("logcheck: ")]
    after = snapshot(work)
    changed = sorted(k for k in after if before.get(k) != after[k])
    print(f"fix: {len(changed)} files changed in {fix_seconds:.1f}s", file=sys.stderr)

    # 3. compile
    not_compiling, broken_before = [], []
    for rel in changed:
        error = compiles(after[rel], rel)
        if error is None:
            continue
        if compiles(before[rel], rel) is not None:
            broken_before.append(rel)  # not Python this interpreter accepts, before the fix
        else:
            not_compiling.append(f"{rel}: {error}")

    # 4. idempotence
    second, second_seconds = run_cli(["--fix", "--unsafe-fixes", "--exit-zero", "-q", "-j", str(ns.jobs), "."], work)
    if second.returncode not in (0, 1) or "internal error" in second.stderr:
        crashes.append(f"second --fix exited {second.returncode}: {second.stderr.strip()[-500:]}")
    again = snapshot(work)
    not_idempotent = sorted(k for k in again if after.get(k) != again[k])

    # 5. stray edits
    stray = []
    for rel in changed:
        for hunk in stray_hunks(before[rel], after[rel], ranges.get(rel, [])):
            stray.append(f"{rel}: {hunk}")

    figures = {
        "set": ns.set,
        "projects": {name: corpus.PINS[name] for name in roots},
        "python_files": len(before),
        "files_analysed": analysed,
        "lines": lines,
        "findings": sum(per_code.values()),
        "findings_per_code": dict(sorted(per_code.items())),
        "fixable_per_code": dict(sorted(fixable.items())),
        "check_seconds": round(check_seconds, 1),
        "fix_seconds": round(fix_seconds, 1),
        "second_fix_seconds": round(second_seconds, 1),
        "files_fixed": len(changed),
        "crashes": len(crashes),
        "fixed_files_not_compiling": len(not_compiling),
        "fixed_files_not_compiling_before_too": len(broken_before),
        "files_changed_by_second_fix": len(not_idempotent),
        "stray_edits": len(stray),
        "fixes_dropped_as_invalid": len([m for m in fix_messages if "invalid code" in m]),
        "discovery_warnings": len(warnings),
    }
    print(f"\n## logcheck corpus check ({ns.set})\n")
    print(f"projects: {', '.join(f'{n} {v}' for n, v in figures['projects'].items())}")
    for key in ("python_files", "lines", "findings", "check_seconds", "fix_seconds", "second_fix_seconds",
                "files_fixed", "crashes", "fixed_files_not_compiling", "fixed_files_not_compiling_before_too",
                "files_changed_by_second_fix", "stray_edits", "fixes_dropped_as_invalid"):
        print(f"{key:40} {figures[key]}")
    print("\nfindings per code (fixable):")
    for code, n in sorted(per_code.items()):
        print(f"  {code}  {n:7}  ({fixable.get(code, 0)})")
    for title, items in (("crashes", crashes), ("fixed files that do not compile", not_compiling),
                         ("files a second --fix changes", not_idempotent), ("stray edits", stray),
                         ("fix messages", fix_messages), ("LC000", parse_errors),
                         ("not compiling before the fix either", broken_before)):
        if items:
            print(f"\n{title} ({len(items)}):")
            for item in items[:ns.show]:
                print(f"  {item}")
            if len(items) > ns.show:
                print(f"  ... {len(items) - ns.show} more")
    if ns.json:
        figures["details"] = {"crashes": crashes, "not_compiling": not_compiling, "not_idempotent": not_idempotent,
                              "stray": stray, "fix_messages": fix_messages, "lc000": parse_errors}
        ns.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if not ns.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    bad = figures["crashes"] + figures["fixed_files_not_compiling"] + figures["files_changed_by_second_fix"] + figures["stray_edits"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
