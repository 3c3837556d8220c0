#!/usr/bin/env python
"""Real programs still work after `logcheck --fix`: run pinned projects' own unit tests
before and after fixing their source.

For each pinned project (an sdist from PyPI, fetched with pip into the corpus cache of
`bench/corpus.py`, never committed here) the script

1. creates a venv for it under the cache (`<cache>/real-projects/venvs/NAME-VERSION`) and
   installs its test dependencies from PyPI there, once;
2. copies the unpacked sdist into a scratch folder and runs the project's tests with that
   venv's pytest (offline; the project is imported from the copy through PYTHONPATH, its
   own `addopts` are dropped so that no coverage plugin is needed);
3. records logcheck's findings per rule on the project's source (not its tests), runs
   `logcheck --fix` (safe fixes only, this checkout's code, a real subprocess) on it, and
   records the findings again;
4. runs the tests again and compares: the counts and the ids of the tests that failed.

It prints one table (project, version, tests passed/failed/errors before and after, files
fixed, fixes applied) and a per-rule findings table (before -> after) per project, and
exits 1 when a test that passed before fails after the fix, or logcheck itself failed.

Usage:
    python scripts/real_projects.py                          # every pinned project
    python scripts/real_projects.py --projects schedule --keep /tmp/rp --show-diff
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
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    #: folders/files (relative to the sdist's top) holding the package source that is fixed
    source: Tuple[str, ...]
    #: what pytest is given (relative to the sdist's top)
    tests: Tuple[str, ...]
    #: the folder that goes on PYTHONPATH so the tests import the copy
    import_root: str = "."
    #: PyPI requirements of the test run (pytest included)
    test_deps: Tuple[str, ...] = ("pytest",)
    #: pytest arguments that replace the project's own `addopts` (minus coverage options)
    pytest_args: Tuple[str, ...] = ()
    #: folders inside `source` that are not source (tests shipped inside the package)
    not_source: Tuple[str, ...] = ()

    def source_paths(self, root: Path) -> List[str]:
        """What logcheck is given: `source`, without the `not_source` folders."""
        paths = []
        for part in self.source:
            if not any(skip.startswith(part + "/") for skip in self.not_source):
                paths.append(part)
                continue
            for child in sorted((root / part).iterdir()):
                rel = child.relative_to(root).as_posix()
                if rel not in self.not_source and (child.is_dir() or child.suffix == ".py"):
                    paths.append(rel)
        return paths


#: projects not used by bench/corpus.py, scripts/fix_real_projects.py or scripts/corpus_check.py;
#: each logs and has unit tests that run offline in seconds to a minute or two.
PROJECTS: Dict[str, Project] = {p.name: p for p in (
    Project("schedule", "1.2.2", source=("schedule",), tests=("test_schedule.py",), test_deps=("pytest", "pytz")),
    Project("tenacity", "9.0.0", source=("tenacity",), tests=("tests",),
            test_deps=("pytest", "tornado>=4.5", "typeguard")),
    Project("transitions", "0.9.2", source=("transitions",), tests=("tests",),
            test_deps=("pytest", "six", "mock", "dill", "pycodestyle")),
    Project("filelock", "3.16.1", source=("src/filelock",), tests=("tests",), import_root="src",
            test_deps=("pytest", "pytest-asyncio>=0.24", "pytest-mock", "pytest-timeout", "virtualenv")),
    Project("waitress", "3.0.2", source=("src/waitress",), tests=("tests",), import_root="src"),
    # the next three log a lot (f-strings, `%`, warn); the released package itself is installed
    # too for its metadata (entry points, version), the code imported is the copy's
    Project("mkdocs", "1.6.1", source=("mkdocs",), not_source=("mkdocs/tests",), tests=("mkdocs/tests",),
            test_deps=("pytest", "mkdocs==1.6.1", "babel"), pytest_args=("-o", "python_files=*tests.py")),
    Project("twine", "5.1.1", source=("twine",), tests=("tests",),
            test_deps=("pytest", "twine==5.1.1", "pretend", "pytest-socket", "build"),
            pytest_args=("--disable-socket", "--ignore-glob=*integration*.py")),
    # the project of issue 10's report (its own logger classes have `warn(msg, **kw)`)
    Project("supervisor", "4.2.5", source=("supervisor",), not_source=("supervisor/tests",),
            tests=("supervisor/tests",), test_deps=("pytest", "supervisor==4.2.5")),
    # issue 25: stdlib logging everywhere (`app_log`, `gen_log`, `access_log`), ~1,200 offline
    # tests, many of which assert the records logged (`ExpectLog`)
    Project("tornado", "6.4.1", source=("tornado",), not_source=("tornado/test",), tests=("tornado/test",),
            pytest_args=("-o", "python_files=*_test.py")),
)}


@dataclass
class TestRun:
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    not_passing: Set[str] = field(default_factory=set)
    seconds: float = 0.0
    problem: str = ""

    def cell(self) -> str:
        return f"{self.passed}/{self.failed}/{self.errors}"


@dataclass
class Outcome:
    project: Project
    before: TestRun = field(default_factory=TestRun)
    after: TestRun = field(default_factory=TestRun)
    findings_before: Counter = field(default_factory=Counter)
    findings_after: Counter = field(default_factory=Counter)
    files_fixed: int = 0
    fixes_applied: int = 0
    changed: Dict[str, Tuple[bytes, bytes]] = field(default_factory=dict)
    errors: List[str] = field(default_factory=list)

    @property
    def regressions(self) -> Set[str]:
        return self.after.not_passing - self.before.not_passing

    @property
    def ok(self) -> bool:
        return not (self.regressions or self.errors or self.after.problem)


def venv_for(project: Project, cache: Path) -> Path:
    """A venv with the project's test dependencies (created once, reused)."""
    root = cache / "real-projects" / "venvs" / f"{project.name}-{project.version}"
    python = root / "bin" / "python"
    marker = root / ".installed"
    wanted = "\n".join(project.test_deps)
    if marker.exists() and marker.read_text() == wanted:
        return python
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           *project.test_deps], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"installing the test dependencies of {project.name} failed:\n{proc.stderr[-3000:]}")
    marker.write_text(wanted)
    return python


def run_tests(project: Project, python: Path, root: Path, label: str) -> TestRun:
    report = root.parent / f"{project.name}-{label}.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST"))}
    env["PYTHONPATH"] = str(root / project.import_root)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    cmd = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
           f"--junitxml={report}", *project.pytest_args, *project.tests]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    run = TestRun(seconds=time.perf_counter() - start)
    if not report.exists():
        run.problem = f"pytest exited {proc.returncode} without a report:\n{(proc.stdout + proc.stderr)[-3000:]}"
        return run
    for case in ET.parse(report).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        if "error" in tags:
            run.errors += 1
            run.not_passing.add(test_id)
        elif "failure" in tags:
            run.failed += 1
            run.not_passing.add(test_id)
        elif "skipped" in tags:
            run.skipped += 1
        else:
            run.passed += 1
    return run


def logcheck(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True)


def findings_per_rule(project: Project, root: Path, out: Outcome) -> Counter:
    proc = logcheck(["--output-format", "json", "--exit-zero", *project.source_paths(root)], root)
    if proc.returncode != 0:
        out.errors.append(f"logcheck exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
        return Counter()
    return Counter(d["code"] for d in json.loads(proc.stdout))


def snapshot(root: Path, project: Project) -> Dict[str, bytes]:
    files = {}
    for part in project.source_paths(root):
        base = root / part
        for path in sorted([base] if base.is_file() else base.rglob("*.py")):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


_FIXED_LINE = re.compile(r"^- (.+): (\d+) fix(?:es)?$")


def check_project(project: Project, cache: Path, work: Path) -> Outcome:
    out = Outcome(project)
    top = corpus.unpack(corpus.download(project.name, project.version, cache), cache)
    python = venv_for(project, cache)
    root = work / f"{project.name}-{project.version}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(top, root, symlinks=True)

    out.before = run_tests(project, python, root, "before")
    out.findings_before = findings_per_rule(project, root, out)
    original = snapshot(root, project)
    fix = logcheck(["--fix", "--show-fixes", *project.source_paths(root)], root)
    if fix.returncode not in (0, 1):
        out.errors.append(f"logcheck --fix exited {fix.returncode}: {fix.stderr.strip()[-2000:]}")
    for line in (fix.stdout + fix.stderr).splitlines():
        if "internal error" in line.lower():
            out.errors.append(line)
        match = _FIXED_LINE.match(line.strip())
        if match:
            out.files_fixed += 1
            out.fixes_applied += int(match.group(2))
    fixed = snapshot(root, project)
    out.changed = {rel: (original[rel], fixed[rel]) for rel in fixed if fixed[rel] != original.get(rel)}
    if len(out.changed) != out.files_fixed:
        out.errors.append(f"--show-fixes lists {out.files_fixed} files, {len(out.changed)} changed on disk")
    out.findings_after = findings_per_rule(project, root, out)
    out.after = run_tests(project, python, root, "after")
    return out


def print_report(outcomes: Sequence[Outcome], show_diff: bool) -> None:
    print("\ntests: passed/failed/errors (skipped)")
    print(f"{'project':12} {'version':8} {'tests before':>18} {'tests after':>18} {'files fixed':>11} "
          f"{'fixes':>6} {'new failures':>12}")
    for o in outcomes:
        before = f"{o.before.cell()} ({o.before.skipped})"
        after = f"{o.after.cell()} ({o.after.skipped})"
        print(f"{o.project.name:12} {o.project.version:8} {before:>18} {after:>18} {o.files_fixed:11d} "
              f"{o.fixes_applied:6d} {len(o.regressions):12d}")
    for o in outcomes:
        codes = sorted(set(o.findings_before) | set(o.findings_after))
        print(f"\n{o.project.name} {o.project.version}: findings per rule (before -> after --fix): "
              + (", ".join(f"{c} {o.findings_before[c]}->{o.findings_after[c]}" for c in codes) or "none"))
        print(f"  tests took {o.before.seconds:.1f} s before, {o.after.seconds:.1f} s after")
        for problem in (o.before.problem, o.after.problem):
            if problem:
                print(f"  test run problem: {problem}")
        for test_id in sorted(o.regressions):
            print(f"  REGRESSION: {test_id} passed before the fix and does not after")
        for line in o.errors:
            print(f"  error: {line}")
        if show_diff:
            for rel, (old, new) in sorted(o.changed.items()):
                sys.stdout.writelines(difflib.unified_diff(
                    old.decode("utf-8", "replace").splitlines(True), new.decode("utf-8", "replace").splitlines(True),
                    f"a/{rel}", f"b/{rel}"))


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--projects", nargs="*", default=list(PROJECTS), choices=sorted(PROJECTS))
    p.add_argument("--cache", type=Path, default=None,
                   help="sdist and venv cache (default: $LOGCHECK_CORPUS or ~/.cache/logcheck-corpus)")
    p.add_argument("--keep", type=Path, help="work in this folder and keep the fixed copies")
    p.add_argument("--show-diff", action="store_true", help="print the diff of every fixed file")
    ns = p.parse_args(argv)
    cache = ns.cache or corpus.default_cache()
    work = ns.keep or Path(tempfile.mkdtemp(prefix="logcheck-real-"))
    work.mkdir(parents=True, exist_ok=True)
    outcomes = []
    try:
        for name in ns.projects:
            print(f"{name}: tests, fix, tests ...", file=sys.stderr)
            outcomes.append(check_project(PROJECTS[name], cache, work))
    finally:
        if ns.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_report(outcomes, ns.show_diff)
    ok = all(o.ok for o in outcomes)
    print("\nno test that passed before fails after `logcheck --fix`" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
