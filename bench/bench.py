"""Benchmark logcheck against its peers on a corpus of real code (see docs/performance.md).

    python bench/bench.py                    # everything: corpus, peers, all scenarios, 3 rounds
    python bench/bench.py --runs 5 --tools logcheck,ruff
    python bench/bench.py --verify-precheck  # findings with and without the pre-check are identical
    python bench/bench.py --profile 600      # cProfile of the cold path on 600 corpus files
    python bench/bench.py --stages           # CPU seconds per stage of the cold path, every file

What it does:

1. builds the `bench` corpus (bench/corpus.py: pinned PyPI sdists, unpacked under the
   cache folder, `~/.cache/logcheck-corpus` or `$LOGCHECK_CORPUS`), `.py` files only;
2. installs each peer in its own virtual environment under the cache folder: ruff,
   flake8 + flake8-logging + flake8-logging-format + flake8-print, pylint;
3. times, in rounds that alternate every tool and scenario (so that a change in machine
   load hits all of them alike), the median of `--runs` rounds:
   - logcheck cold (`--no-cache`, all cores), cold with `--jobs 1`, warm (the cache is
     filled), one file changed (warm cache, one file edited before the run), and that
     file's own cost alone (`--no-cache --jobs 1 FILE`); warm on the files of the 244k-line
     subset only (`SUBSET`); one small file warm and cold (`SMALL_FILE`, pre-commit's call);
   - ruff `--select LOG,G,T20 --no-cache` (on the corpus and on the subset), flake8 with the
     three plugins `-j 2`
     (selecting only their codes), pylint with only its logging checker `-j 2`;
   each tool gets the same explicit list of files and its output goes to /dev/null;
4. prints a table: wall, CPU (user+system of the process and its workers), peak RSS
   (largest single process, from the `os.wait4` rusage), lines/s, and the ratios against
   the targets of the performance issue.

`--json FILE` also writes the raw measurements; `--markdown FILE` writes the table.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402
from logcheck.lint.check import check_source
from logcheck.rules.selection import codes_for
from logcheck.source.parse import parse_module
from logcheck.source.text import DecodeError, decode_source

PEERS = {
    "ruff": ["ruff==0.17.6"],
    "flake8": ["flake8==7.5.0", "flake8-logging==1.8.0", "flake8-logging-format==2024.24.12", "flake8-print==5.0.0"],
    "pylint": ["pylint==4.1.4"],
}
#: the file edited for the one-file-changed scenario (relative to the django sdist)
CHANGED_FILE = ("django", "django/core/handlers/exception.py")
#: the projects of the 244k-line subset the performance issue measures re-runs on
SUBSET = ("requests", "urllib3", "paramiko", "kombu", "botocore")
#: a small file with logging in it, what pre-commit passes for a one-file commit
SMALL_FILE = ("urllib3", "src/urllib3/__init__.py")


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    code: int


@dataclass
class Result:
    name: str
    command: str
    samples: List[Sample] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


def run_timed(cmd: Sequence[str], cwd: Path, env: Optional[Dict[str, str]] = None) -> Sample:
    """Run a command, output discarded; wall time, CPU of it and its reaped children, and
    the peak RSS of the largest single process (Linux `wait4` rusage)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(list(cmd), cwd=cwd, stdout=devnull, stderr=devnull,
                                stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_kb = usage.ru_maxrss  # kilobytes on Linux
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024.0, proc.returncode)


# --------------------------------------------------------------------------- setup


def venv_python(cache: Path, name: str) -> Path:
    return cache / "venvs" / name / "bin" / "python"


def install_peers(cache: Path, names: Sequence[str]) -> None:
    for name in names:
        py = venv_python(cache, name)
        marker = py.parent.parent / ".installed"
        want = " ".join(PEERS[name])
        if marker.exists() and marker.read_text() == want:
            continue
        print(f"installing {name} into {py.parent.parent} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(py.parent.parent)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEERS[name]], check=True)
        marker.write_text(want)


def tool_version(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.splitlines()[0] if out else "?"


def snapshot(work: Path) -> str:
    """Copy the repository's `logcheck` package into the work folder and run that copy:
    the code measured cannot change under a round (and the cache's code fingerprint stays
    valid between the cold run that fills the cache and the warm runs)."""
    import shutil

    dest = work / "snapshot"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO / "logcheck", dest / "logcheck", ignore=shutil.ignore_patterns("__pycache__"))
    # byte-compiled as pip compiles an installed package (the peers' venvs have their .pyc
    # files): without it a machine with PYTHONDONTWRITEBYTECODE set would measure logcheck
    # compiling its own modules on every run
    import compileall

    compileall.compile_dir(str(dest / "logcheck"), quiet=1)
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "logcheck"], cwd=REPO, capture_output=True,
                               text=True).stdout.strip()
    except OSError:
        return "?"
    return head + ("+local changes" if dirty else "")


def workdir(cache: Path) -> Path:
    """Where the tools run: a folder with a pyproject.toml (so logcheck's cache lands there)."""
    work = cache / "bench-run"
    work.mkdir(parents=True, exist_ok=True)
    (work / "pyproject.toml").write_text("[project]\nname = 'logcheck-bench'\nversion = '0'\n")
    return work


# --------------------------------------------------------------------------- scenarios


def commands(cache: Path, work: Path, files_arg: List[str], changed: Path, jobs: int,
             subset_arg: List[str], small: Path) -> Dict[str, List[str]]:
    lc = [sys.executable, "-m", "logcheck", "-q", "--exit-zero", "--cache-dir", str(work / "lc-cache")]
    flake8_codes = "LOG,G,T20"  # flake8-logging (LOG), flake8-logging-format (G), flake8-print (T20)
    ruff = [str(venv_python(cache, "ruff").parent / "ruff"), "check", "--no-cache", "--exit-zero", "--quiet",
            "--isolated", "--select", "LOG,G,T20"]
    return {
        # cold: no cache present (an empty cache folder, which this run fills for the warm runs)
        "logcheck cold": lc + files_arg,
        "logcheck warm": lc + files_arg,
        "logcheck one file changed": lc + files_arg,
        "logcheck that file alone": lc + ["--no-cache", "--jobs", "1", str(changed)],
        # the same cache, filled by the cold run: a re-run on the subset's files only
        "logcheck subset warm": lc + subset_arg,
        "logcheck small file warm": lc + [str(small)],
        "logcheck small file cold": lc + ["--no-cache", str(small)],
        "ruff": ruff + files_arg,
        "ruff subset": ruff + subset_arg,
        "flake8": [str(venv_python(cache, "flake8")), "-m", "flake8", "--isolated", "-j", str(jobs), "--exit-zero",
                   "--select", flake8_codes, *files_arg],
        "pylint": [str(venv_python(cache, "pylint")), "-m", "pylint", "-j", str(jobs), "--exit-zero",
                   "--disable=all", "--enable=logging", "--score=n", "--persistent=n", *files_arg],
        # last: the slowest logcheck run, and only a ratio against "logcheck cold"
        "logcheck cold --jobs 1": lc + ["--no-cache", "--jobs", "1"] + files_arg,
    }


def run_bench(ns) -> int:
    cache = Path(ns.cache) if ns.cache else corpus.default_cache()
    roots = corpus.build("bench", cache)
    files: List[Path] = []
    for root in roots.values():
        files.extend(corpus.list_py(root))
    if ns.limit:
        changed_path = roots[CHANGED_FILE[0]] / CHANGED_FILE[1]
        small_path = roots[SMALL_FILE[0]] / SMALL_FILE[1]
        files = sorted(set(files[:: max(1, len(files) // ns.limit)][: ns.limit] + [changed_path, small_path]))
    lines = corpus.count_lines(files)
    tools = [t.strip() for t in ns.tools.split(",")] if ns.tools else ["logcheck", *PEERS]
    install_peers(cache, [t for t in tools if t in PEERS])
    work = workdir(cache)
    changed = (roots[CHANGED_FILE[0]] / CHANGED_FILE[1])
    jobs = os.cpu_count() or 1
    files_arg = [str(f) for f in files]
    subset_roots = [roots[name] for name in SUBSET if name in roots]
    subset_arg = [str(f) for f in files if any(f.is_relative_to(r) for r in subset_roots)]
    small = roots[SMALL_FILE[0]] / SMALL_FILE[1]
    cmds = commands(cache, work, files_arg, changed, jobs, subset_arg, small)
    wanted = [name for name in cmds if name.split()[0] in tools]
    if ns.scenarios:
        keep = [s.strip() for s in ns.scenarios.split(",")]
        wanted = [n for n in wanted if any(k in n for k in keep)]
    print(f"corpus: {len(files)} files, {lines} lines; {jobs} cores; {ns.runs} rounds; tools: {', '.join(tools)}",
          file=sys.stderr)

    results = {name: Result(name, _show(cmds[name])) for name in wanted}
    original = changed.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(work / "snapshot"))
    commits: List[str] = []
    if "logcheck warm" in wanted and "logcheck cold" not in wanted:
        wanted.insert(0, "logcheck cold")  # it fills the cache the warm runs read
        results["logcheck cold"] = Result("logcheck cold", _show(cmds["logcheck cold"]))
    try:
        for round_ in range(ns.runs):
            commits.append(snapshot(work))
            import shutil

            shutil.rmtree(work / "lc-cache", ignore_errors=True)
            for name in wanted:
                if name == "logcheck one file changed":
                    changed.write_bytes(original + f"\n# logcheck bench edit {time.time_ns()}\n".encode())
                try:
                    sample = run_timed(cmds[name], work, env if name.startswith("logcheck") else None)
                finally:
                    if name == "logcheck one file changed":
                        changed.write_bytes(original)
                results[name].samples.append(sample)
                print(f"round {round_ + 1}/{ns.runs} {name:28} {sample.wall:8.2f} s wall {sample.cpu:8.2f} s cpu "
                      f"{sample.rss_mb:7.0f} MB (exit {sample.code}) load {os.getloadavg()[0]:.1f}", file=sys.stderr)
                _write_outputs(ns, results, lines, len(files), {"logcheck commits": ", ".join(commits)}, jobs,
                               round_ + 1)
    finally:
        changed.write_bytes(original)

    versions = {"logcheck": tool_version([sys.executable, "-m", "logcheck", "--version"]) +
                f" (commits {', '.join(commits)})", "python": platform.python_version()}
    if "ruff" in tools:
        versions["ruff"] = tool_version([cmds["ruff"][0], "--version"])
    if "flake8" in tools:
        versions["flake8"] = tool_version([cmds["flake8"][0], "-m", "flake8", "--version"])
    if "pylint" in tools:
        versions["pylint"] = tool_version([cmds["pylint"][0], "-m", "pylint", "--version"])
    print(_write_outputs(ns, results, lines, len(files), versions, jobs, ns.runs))
    return 0


def _write_outputs(ns, results, lines, nfiles, versions, jobs, rounds) -> str:
    """The table (and raw JSON), rewritten after every sample so an interrupted run keeps
    what it measured."""
    table = render(results, lines, nfiles, versions, rounds)
    if ns.markdown:
        Path(ns.markdown).write_text(table + "\n")
    if ns.json:
        payload = {"files": nfiles, "lines": lines, "cores": jobs, "versions": versions,
                   "load": os.getloadavg(),
                   "results": {n: {"command": r.command, "samples": [asdict(s) for s in r.samples]}
                               for n, r in results.items()}}
        Path(ns.json).write_text(json.dumps(payload, indent=2))
    return table


def _show(cmd: Sequence[str]) -> str:
    shown = []
    files_elided = False
    for part in cmd:
        if part.endswith(".py") and "/" in part and len(cmd) > 20:
            if not files_elided:
                shown.append("FILES...")
                files_elided = True
            continue
        shown.append(os.path.basename(part) if part == sys.executable or "/venvs/" in part else part)
    return " ".join(shown)


def render(results: Dict[str, Result], lines: int, nfiles: int, versions: Dict[str, str], runs: int) -> str:
    out = [f"Corpus: {nfiles} files, {lines:,} lines. Medians of {runs} alternated round(s). "
           f"Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), "",
           "| tool / scenario | wall (s) | CPU (s) | peak RSS (MB) | lines/s |", "|---|---:|---:|---:|---:|"]
    for name, r in results.items():
        if not r.samples:
            continue
        wall = r.median("wall")
        whole = not any(part in name for part in ("subset", "small", "alone"))  # lines/s of the corpus runs
        out.append(f"| {name} | {wall:.3f} | {r.median('cpu'):.3f} | {max(s.rss_mb for s in r.samples):.0f} | "
                   f"{f'{lines / wall:,.0f}' if whole else ''} |")
    med = {n: r.median("wall") for n, r in results.items() if r.samples}
    rss = {n: max(s.rss_mb for s in r.samples) for n, r in results.items() if r.samples}
    checks = []

    def target(label: str, value: Optional[float], limit: float, fmt: str = "{:.3f}") -> None:
        if value is None:
            checks.append(f"| {label} | n/a | {fmt.format(limit)} | not measured |")
        else:
            checks.append(f"| {label} | {fmt.format(value)} | {fmt.format(limit)} | {'met' if value <= limit else 'MISSED'} |")

    def ratio(a: str, b: str) -> Optional[float]:
        return med[a] / med[b] if a in med and b in med else None

    # the limits of the performance issues (round two where it set one)
    target("cold / flake8", ratio("logcheck cold", "flake8"), 0.2)
    target("cold / pylint", ratio("logcheck cold", "pylint"), 0.25)
    target("warm / ruff", ratio("logcheck warm", "ruff"), 1.0)
    target("subset warm / ruff on the subset", ratio("logcheck subset warm", "ruff subset"), 2.0)
    if "logcheck one file changed" in med and "logcheck warm" in med and "logcheck that file alone" in med:
        target("one file changed / (warm + that file alone)",
               med["logcheck one file changed"] / (med["logcheck warm"] + med["logcheck that file alone"]), 1.0)
    else:
        target("one file changed / (warm + that file alone)", None, 1.0)
    target("cold (all cores) / cold --jobs 1", ratio("logcheck cold", "logcheck cold --jobs 1"), 0.6)
    target("small file warm (s)", med.get("logcheck small file warm"), 0.060)
    target("small file cold (s)", med.get("logcheck small file cold"), 0.250)
    lc_rss = [v for n, v in rss.items() if n.startswith("logcheck")]
    target("logcheck peak RSS, any process (MB)", max(lc_rss) if lc_rss else None, 200.0, "{:.0f}")
    out += ["", "| target | measured | limit | |", "|---|---:|---:|---|"] + checks
    return "\n".join(out)


# --------------------------------------------------------------------------- pre-check


def verify_precheck(ns) -> int:
    """Every Nth corpus file (both sets), all rules: findings with and without the
    pre-check must be identical."""
    from logcheck.rules import registry
    from logcheck.source.astfacts import facts_of
    from logcheck.source.precheck import precheck_for
    from logcheck.workspace import runner
    from logcheck.workspace.files import ReadResult
    from logcheck.workspace.settings_loader import settings_from_table

    cache = Path(ns.cache) if ns.cache else corpus.default_cache()
    files = corpus.py_files("all", cache)
    sample = files[:: max(1, ns.every)]
    settings = settings_from_table({"select": ["ALL"]}, Path.cwd(), None)
    checked = skipped = gated = findings = 0
    mismatches: List[str] = []
    crashes: List[str] = []
    start = time.perf_counter()
    for path in sample:
        data = path.read_bytes()
        rules = registry.rules_for(codes_for(settings, path))
        try:
            with_precheck = runner.run_source(str(path), ReadResult(data, (len(data), 0)), rules, settings,
                                              runner.Options())
            try:
                source = decode_source(data)
            except DecodeError:
                continue
            without = check_source(str(path), source, rules, settings).diagnostics
        except Exception as exc:  # a crash is not a pre-check question; report it apart
            crashes.append(f"{path}: {type(exc).__name__}: {exc}")
            continue
        check = precheck_for(rules, settings.logger_names)
        if not check.may_match(data):
            skipped += 1
        elif check.gated_only(data):
            try:
                facts = facts_of(ast.parse(data))
                gated += not any(gate(facts, settings) for gate in check.gates)
            except (SyntaxError, ValueError):
                pass
        checked += 1
        findings += len(without)
        if without != with_precheck.diagnostics:
            mismatches.append(str(path))
    print(f"pre-check verified on {checked} files (every {ns.every}th of {len(files)}): "
          f"{skipped} skipped by the pre-check, {gated} more by the ast gates, {findings} findings, {len(mismatches)} mismatches "
          f"({time.perf_counter() - start:.0f} s)")
    for m in mismatches[:20]:
        print(f"MISMATCH {m}")
    for c in crashes[:20]:
        print(f"CRASH (not compared) {c}")
    return 1 if mismatches else 0


# --------------------------------------------------------------------------- stages


def stages(ns) -> int:
    """CPU seconds of each stage of the cold path, one process, every corpus file: what
    `runner.run_source` does, timed stage by stage (no profiler overhead)."""
    from logcheck.interfaces import cli
    from logcheck.rules import registry
    from logcheck.source.astfacts import facts_of
    from logcheck.source.precheck import precheck_for
    from logcheck.workspace import runner
    from logcheck.workspace.settings_loader import SettingsResolver

    cache = Path(ns.cache) if ns.cache else corpus.default_cache()
    files = corpus.py_files("bench", cache)
    resolver = SettingsResolver()
    registry.all_rules()
    cli._collect_cycles_less_often()  # as the command line does before it checks files
    seconds: Dict[str, float] = {}
    counts: Dict[str, int] = {}
    sizes: Dict[str, int] = {}

    def timed(stage: str, size: int, work):
        start = time.process_time()
        result = work()
        seconds[stage] = seconds.get(stage, 0.0) + time.process_time() - start
        counts[stage] = counts.get(stage, 0) + 1
        sizes[stage] = sizes.get(stage, 0) + size
        return result

    for path in files:
        data, settings, rules, check = timed("read, settings, needles", 0, lambda: _prepare(path, resolver, precheck_for))
        if not check.may_match(data):
            timed("syntax check (no needle: symbol table)", len(data), lambda: runner._interpreter_accepts(data, str(path)))
            continue
        tree = timed("interpreter ast (needle files)", len(data), lambda: runner._interpreter_ast(data, str(path)))
        if tree is None:
            continue
        facts = timed("ast facts", len(data), lambda: facts_of(tree))
        admitted = timed("gates", len(data), lambda: runner._rules_gates_admit(rules, facts, settings))
        if not admitted:
            continue
        source = decode_source(data)
        module = timed("libcst parse", len(data), lambda: parse_module(source.text))
        timed("rules (walk, semantics, positions)", len(data),
              lambda: check_source(str(path), source, admitted, settings, module=module))
    print("| stage | files | MB | CPU s |\n|---|---:|---:|---:|")
    for stage in seconds:
        print(f"| {stage} | {counts[stage]:,} | {sizes[stage] / 1e6:.1f} | {seconds[stage]:.2f} |")
    print(f"| total | {len(files):,} | | {sum(seconds.values()):.2f} |")
    return 0


def _prepare(path: Path, resolver, precheck_for):
    from logcheck.rules import registry

    data = path.read_bytes()
    settings = resolver.for_path(path)
    rules = registry.rules_for(codes_for(settings, path))
    return data, settings, rules, precheck_for(rules, settings.logger_names)


# --------------------------------------------------------------------------- profile


def profile(ns) -> int:
    """cProfile of the cold check path (one process) over a slice of the corpus."""
    import cProfile
    import pstats

    from logcheck.workspace import runner
    from logcheck.workspace.files import display_path
    from logcheck.workspace.settings_loader import SettingsResolver

    cache = Path(ns.cache) if ns.cache else corpus.default_cache()
    files = corpus.py_files("bench", cache)
    step = max(1, len(files) // ns.profile)
    sample = files[::step][: ns.profile]
    resolver = SettingsResolver()
    jobs = [runner.Job(f, display_path(f), resolver.for_path(f)) for f in sample]
    options = runner.Options()
    import logcheck.lint.check  # noqa: F401  (import cost is not the cold path's per-file cost)
    from logcheck.interfaces import cli
    from logcheck.rules import registry
    registry.all_rules()
    cli._collect_cycles_less_often()  # as the command line does before it checks files
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    outcomes = runner.run(jobs, options, workers=1)
    prof.disable()
    wall = time.perf_counter() - start
    lines = sum(o.lines for o in outcomes)
    print(f"profiled {len(jobs)} files, {lines} lines, {sum(len(o.diagnostics) for o in outcomes)} findings, "
          f"{wall:.1f} s under the profiler")
    stats = pstats.Stats(prof)
    stats.sort_stats(ns.sort).print_stats(ns.top)
    if ns.profile_out:
        stats.dump_stats(ns.profile_out)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark logcheck against ruff, flake8 and pylint.")
    p.add_argument("--cache", help="corpus/venv cache folder (default: $LOGCHECK_CORPUS or ~/.cache/logcheck-corpus)")
    p.add_argument("--runs", type=int, default=3, help="alternated rounds; medians are reported (default 3)")
    p.add_argument("--tools", help="comma-separated subset of: logcheck, ruff, flake8, pylint")
    p.add_argument("--scenarios", help="comma-separated substrings of scenario names to keep")
    p.add_argument("--limit", type=int, help="smoke test: only about N files of the corpus")
    p.add_argument("--markdown", help="also write the table to this file")
    p.add_argument("--json", help="also write the raw measurements to this file")
    p.add_argument("--verify-precheck", action="store_true", help="compare findings with and without the pre-check")
    p.add_argument("--every", type=int, default=7, help="with --verify-precheck: check every Nth file (default 7)")
    p.add_argument("--stages", action="store_true", help="CPU seconds per stage of the cold path (one process)")
    p.add_argument("--profile", type=int, metavar="N", help="cProfile the cold path on N corpus files")
    p.add_argument("--sort", default="tottime", help="with --profile: pstats sort key (default tottime)")
    p.add_argument("--top", type=int, default=25, help="with --profile: rows to print")
    p.add_argument("--profile-out", help="with --profile: write the raw stats here")
    ns = p.parse_args(argv)
    if ns.verify_precheck:
        return verify_precheck(ns)
    if ns.stages:
        return stages(ns)
    if ns.profile:
        return profile(ns)
    return run_bench(ns)


if __name__ == "__main__":
    sys.exit(main())
