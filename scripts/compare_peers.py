#!/usr/bin/env python
"""Agreement with peer linters where their rules overlap logcheck's.

Installs ruff, flake8 (+ flake8-logging, flake8-logging-format) and pylint at pinned
versions into a virtualenv under the corpus cache folder (outside the repository), runs
them and logcheck on the example project and on pinned real projects from the corpus
(`bench/corpus.py`), maps overlapping rule codes, and prints for every overlapping rule and
peer: locations both report, only the peer reports, only logcheck reports, with sample
locations (and the source line) for each disagreement.

Two findings agree when they are in the same file and the same statement (the smallest
statement or `except` clause holding the reported line): the tools anchor the same problem
at different nodes (the call, the message argument, the keyword), often on different lines
of a multi-line call.

Usage:
    python scripts/compare_peers.py                      # examples + default projects
    python scripts/compare_peers.py --projects requests gunicorn --samples 10
    python scripts/compare_peers.py --only-examples --json /tmp/peers.json

The cache folder is `$LOGCHECK_CORPUS` or `~/.cache/logcheck-corpus` (`--cache`). The peers'
findings are kept there (`peer-results/`) and re-used while the pins and the files are
unchanged (`--no-peer-cache` re-runs them); logcheck always runs.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import venv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402

PEER_PINS = {
    "ruff": "0.17.6",
    "flake8": "7.5.0",
    "flake8-logging": "1.8.0",
    "flake8-logging-format": "2024.24.12",
    "pylint": "4.1.4",
}
DEFAULT_PROJECTS = ("requests", "paramiko", "gunicorn", "kombu", "celery")
SKIP_DIRS = {".git", ".tox", ".nox", ".venv", "venv", "build", "dist", "__pycache__", "node_modules",
             ".eggs", "site-packages"}

RUFF_SELECT = "G,LOG,T20,PLE1205,PLE1206,S110,S112"
FLAKE8_SELECT = "G,LOG"
PYLINT_ENABLE = ("logging-not-lazy,logging-format-interpolation,logging-fstring-interpolation,"
                 "logging-unsupported-format,logging-format-truncated,logging-too-many-args,"
                 "logging-too-few-args,deprecated-method")


@dataclass(frozen=True)
class Group:
    """logcheck codes vs one peer's codes that mean the same problem."""

    lc: FrozenSet[str]
    peer: str
    codes: FrozenSet[str]
    #: a peer finding counts only if its message matches (e.g. pylint's deprecated-method)
    message: Optional[str] = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{'/'.join(sorted(self.lc))} ~ {self.peer} {'/'.join(sorted(self.codes))}"


def G(lc: str, peer: str, codes: str, message: Optional[str] = None, note: str = "") -> Group:
    return Group(frozenset(lc.split()), peer, frozenset(codes.split()), message, note)


GROUPS: Tuple[Group, ...] = (
    G("LC101", "ruff", "LOG015"),
    G("LC101", "flake8", "LOG015"),
    G("LC102", "ruff", "LOG002"),
    G("LC102", "flake8", "LOG002"),
    G("LC103", "ruff", "LOG001"),
    G("LC103", "flake8", "LOG001", note="flake8-logging only flags module-level Logger()"),
    G("LC201", "ruff", "G004"),
    G("LC201", "flake8", "G004"),
    G("LC201", "pylint", "W1203"),
    G("LC202", "ruff", "G002"),
    G("LC202", "flake8", "G002"),
    G("LC202 LC204", "pylint", "W1201", note="pylint's logging-not-lazy covers `%` and `+`"),
    G("LC203", "ruff", "G001"),
    G("LC203", "flake8", "G001"),
    G("LC203", "pylint", "W1202"),
    G("LC204", "ruff", "G003"),
    G("LC204", "flake8", "G003"),
    G("LC201 LC202 LC203 LC204", "flake8", "LOG011", note="one code for every kind of pre-formatting"),
    G("LC205", "ruff", "PLE1205 PLE1206"),
    G("LC205", "flake8", "LOG012 LOG013"),
    G("LC205", "pylint", "E1200 E1201 E1205 E1206"),
    G("LC206", "ruff", "G101"),
    G("LC206", "flake8", "G101 LOG003"),
    G("LC207", "flake8", "LOG010", note="LOG010 covers exception(e) only; LC207 also error(e) etc."),
    G("LC301", "ruff", "G010 LOG009"),
    G("LC301", "flake8", "G010 LOG008 LOG009"),
    G("LC301", "pylint", "W4902", message=r"\bwarn\(", note="pylint deprecated-method, warn() only"),
    G("LC304", "ruff", "LOG004 LOG014"),
    G("LC304", "flake8", "LOG004 LOG014"),
    G("LC305", "ruff", "G201"),
    G("LC305", "flake8", "G201 LOG005", note="LOG005 also flags error() without exc_info in a handler"),
    G("LC306", "ruff", "G202 LOG007"),
    G("LC306", "flake8", "G202 LOG006 LOG007"),
    G("LC307", "ruff", "S110 S112", note="S110/S112 flag try-except-pass/continue for any exception type"),
    G("LC401", "ruff", "T201", note="logcheck exempts __main__ blocks, scripts, tests, cli.py ..."),
    G("LC402", "ruff", "T203"),
)


@dataclass
class Finding:
    tool: str
    code: str
    path: Path
    row: int
    message: str


@dataclass
class Result:
    name: str
    files: List[Path]
    findings: Dict[str, List[Finding]] = field(default_factory=dict)
    seconds: Dict[str, float] = field(default_factory=dict)


# --- peers ----------------------------------------------------------------------------------

def peers_venv(cache: Path) -> Path:
    """A virtualenv with the pinned peers; created once, re-used while the pins match."""
    env = cache / "peers-venv"
    marker = env / "pins.json"
    wanted = json.dumps(PEER_PINS, sort_keys=True)
    if marker.is_file() and marker.read_text() == wanted:
        return env
    if not (env / "bin" / "python").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(env)
    pins = [f"{name}=={version}" for name, version in PEER_PINS.items()]
    print(f"installing {' '.join(pins)} into {env}", file=sys.stderr)
    subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *pins],
                   check=True)
    marker.write_text(wanted)
    return env


def _run(cmd: Sequence[str], cwd: Path) -> Tuple[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1) and not proc.stdout.strip():
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout, elapsed


def run_ruff(env: Path, files: List[Path], cwd: Path) -> Tuple[List[Finding], float]:
    out, secs = _run([str(env / "bin" / "ruff"), "check", "--isolated", "--preview", "--no-cache", "--exit-zero",
                      "--select", RUFF_SELECT, "--output-format", "json", *map(str, files)], cwd)
    found = []
    for d in json.loads(out or "[]"):
        if d.get("code"):
            found.append(Finding("ruff", d["code"], Path(d["filename"]).resolve(), d["location"]["row"], d["message"]))
    return found, secs


_FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.*)$")


def run_flake8(env: Path, files: List[Path], cwd: Path) -> Tuple[List[Finding], float]:
    out, secs = _run([str(env / "bin" / "flake8"), "--isolated", "--exit-zero", "--select", FLAKE8_SELECT,
                      "-j", str(os.cpu_count() or 1), *map(str, files)], cwd)
    found = []
    for line in out.splitlines():
        m = _FLAKE8_LINE.match(line)
        if m:
            found.append(Finding("flake8", m["code"], (cwd / m["path"]).resolve(), int(m["row"]), m["msg"]))
    return found, secs


def run_pylint(env: Path, files: List[Path], cwd: Path) -> Tuple[List[Finding], float]:
    out, secs = _run([str(env / "bin" / "pylint"), "--disable=all", f"--enable={PYLINT_ENABLE}", "--exit-zero",
                      "--output-format=json", "--persistent=n", "--score=n", "-j", str(os.cpu_count() or 1),
                      *map(str, files)], cwd)
    found = []
    for d in json.loads(out or "[]"):
        found.append(Finding("pylint", d["message-id"], (cwd / d["path"]).resolve(), d["line"], d["message"]))
    return found, secs


def run_logcheck(files: List[Path], cwd: Path, flags: Sequence[str] = ()) -> Tuple[List[Finding], float]:
    # every rule (`ALL`), so a default-off rule that overlaps a peer is compared too; `flags`
    # adds options (`--preview`, for the rules of the preview group)
    out, secs = _run([sys.executable, "-m", "logcheck", "--output-format", "json", "--exit-zero", "--no-cache",
                      "--select", "ALL", *flags, *map(str, files)], cwd)
    found = []
    for d in json.loads(out or "[]"):
        found.append(Finding("logcheck", d["code"], Path(d["filename"]).resolve(), d["location"]["row"], d["message"]))
    return found, secs


def cached_peer_run(peer: str, runner, env: Path, files: List[Path], root: Path, folder: Path,
                    refresh: bool) -> Tuple[List[Finding], float]:
    """A peer's findings, re-used while the pins, the selection and the files are unchanged
    (the peers do not change between runs; only logcheck does)."""
    h = hashlib.sha256(json.dumps([PEER_PINS, RUFF_SELECT, FLAKE8_SELECT, PYLINT_ENABLE]).encode())
    for f in files:
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    path = folder / f"{peer}-{h.hexdigest()[:24]}.json"
    if path.is_file() and not refresh:
        data = json.loads(path.read_text())
        return [Finding(d["tool"], d["code"], Path(d["path"]), d["row"], d["message"]) for d in data["findings"]], data["seconds"]
    found, secs = runner(env, files, root)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"seconds": secs, "findings": [
        {"tool": f.tool, "code": f.code, "path": str(f.path), "row": f.row, "message": f.message} for f in found]}))
    tmp.replace(path)
    return found, secs


# --- matching -------------------------------------------------------------------------------

class Spans:
    """For each file: the smallest statement or `except` clause that holds a line."""

    def __init__(self) -> None:
        self._cache: Dict[Path, Optional[List[Tuple[int, int]]]] = {}
        self._text: Dict[Path, List[str]] = {}

    def _spans(self, path: Path) -> Optional[List[Tuple[int, int]]]:
        if path not in self._cache:
            try:
                source = path.read_text(encoding="utf-8", errors="replace")
                tree = ast.parse(source)
            except (SyntaxError, ValueError, OSError):
                self._cache[path] = None
            else:
                spans = []
                for node in ast.walk(tree):
                    if isinstance(node, (ast.stmt, ast.ExceptHandler)):
                        # a compound statement's own span is its header only
                        end = node.end_lineno or node.lineno
                        body = getattr(node, "body", None)
                        if isinstance(body, list) and body and isinstance(body[0], ast.AST):
                            end = max(node.lineno, body[0].lineno - 1)
                        spans.append((node.lineno, end))
                self._cache[path] = spans
        return self._cache[path]

    def key(self, path: Path, row: int) -> Tuple[int, int]:
        spans = self._spans(path)
        best = (row, row)
        if spans:
            size = None
            for start, end in spans:
                if start <= row <= end and (size is None or end - start < size):
                    best, size = (start, end), end - start
        return best

    def line(self, path: Path, row: int) -> str:
        if path not in self._text:
            try:
                self._text[path] = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                self._text[path] = []
        lines = self._text[path]
        return lines[row - 1].strip() if 0 < row <= len(lines) else ""


@dataclass
class Comparison:
    group: Group
    both: Set[Tuple[Path, Tuple[int, int]]] = field(default_factory=set)
    only_peer: Dict[Tuple[Path, Tuple[int, int]], Finding] = field(default_factory=dict)
    only_lc: Dict[Tuple[Path, Tuple[int, int]], Finding] = field(default_factory=dict)


def compare(result: Result, spans: Spans) -> List[Comparison]:
    out = []
    lc = result.findings.get("logcheck", [])
    for group in GROUPS:
        if group.peer not in result.findings:
            continue
        pattern = re.compile(group.message) if group.message else None
        mine = {(f.path, spans.key(f.path, f.row)): f for f in lc if f.code in group.lc}
        theirs = {(f.path, spans.key(f.path, f.row)): f for f in result.findings[group.peer]
                  if f.code in group.codes and (pattern is None or pattern.search(f.message))}
        c = Comparison(group)
        c.both = set(mine) & set(theirs)
        c.only_peer = {k: v for k, v in theirs.items() if k not in mine}
        c.only_lc = {k: v for k, v in mine.items() if k not in theirs}
        out.append(c)
    return out


# --- driver ---------------------------------------------------------------------------------

def py_files(root: Path) -> List[Path]:
    return [p.resolve() for p in corpus.list_py(root) if not (set(p.relative_to(root).parts[:-1]) & SKIP_DIRS)]


def targets(ns, cache: Path) -> List[Tuple[str, Path]]:
    out = [("examples", REPO / "examples")]
    if ns.only_examples:
        return out
    for name in ns.projects:
        version = corpus.PINS[name]
        top = corpus.unpack(corpus.download(name, version, cache), cache)
        sub = corpus.PACKAGE_ONLY.get(name)
        out.append((f"{name}-{version}", top / sub if sub and (top / sub).is_dir() else top))
    return out


def rel(path: Path, roots: Iterable[Path]) -> str:
    for root in roots:
        try:
            return f"{root.name}/{path.relative_to(root.resolve())}"
        except ValueError:
            continue
    return str(path)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cache", type=Path, default=None)
    p.add_argument("--projects", nargs="*", default=list(DEFAULT_PROJECTS), choices=sorted(corpus.PINS))
    p.add_argument("--only-examples", action="store_true")
    p.add_argument("--peers", nargs="*", default=["ruff", "flake8", "pylint"], choices=["ruff", "flake8", "pylint"])
    p.add_argument("--samples", type=int, default=5, help="sample locations per disagreement (default 5)")
    p.add_argument("--json", type=Path, help="also write every comparison to this JSON file")
    p.add_argument("--no-peer-cache", action="store_true", help="re-run the peers even when their cached results are current")
    ns = p.parse_args(argv)

    cache = Path(ns.cache) if ns.cache else corpus.default_cache()
    env = peers_venv(cache)
    runners = {"ruff": run_ruff, "flake8": run_flake8, "pylint": run_pylint}
    spans = Spans()
    roots = []
    totals: Dict[Group, List[int]] = defaultdict(lambda: [0, 0, 0])
    samples: Dict[Group, Dict[str, List[str]]] = defaultdict(lambda: {"only_peer": [], "only_lc": []})
    dump = []
    for name, root in targets(ns, cache):
        roots.append(root)
        files = py_files(root)
        result = Result(name, files)
        result.findings["logcheck"], result.seconds["logcheck"] = run_logcheck(files, root)
        for peer in ns.peers:
            result.findings[peer], result.seconds[peer] = cached_peer_run(
                peer, runners[peer], env, files, root, cache / "peer-results", ns.no_peer_cache)
        timing = ", ".join(f"{tool} {secs:.1f}s" for tool, secs in result.seconds.items())
        print(f"{name}: {len(files)} files; {timing}", file=sys.stderr)
        for c in compare(result, spans):
            t = totals[c.group]
            t[0] += len(c.both)
            t[1] += len(c.only_peer)
            t[2] += len(c.only_lc)
            for kind, items in (("only_peer", c.only_peer), ("only_lc", c.only_lc)):
                for (path, _), f in sorted(items.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
                    text = f"{rel(path, roots)}:{f.row}: {f.code} | {spans.line(path, f.row)[:100]}"
                    if len(samples[c.group][kind]) < ns.samples:
                        samples[c.group][kind].append(text)
                    dump.append({"project": name, "group": c.group.label, "kind": kind, "path": str(path),
                                 "row": f.row, "code": f.code, "message": f.message})

    print(f"\n{'logcheck ~ peer':48} {'both':>6} {'peer only':>10} {'logcheck only':>14}")
    for group in GROUPS:
        if group not in totals:
            continue
        both, only_peer, only_lc = totals[group]
        print(f"{group.label:48} {both:6d} {only_peer:10d} {only_lc:14d}")
    print()
    for group in GROUPS:
        s = samples.get(group)
        if not s or not (s["only_peer"] or s["only_lc"]):
            continue
        print(f"## {group.label}" + (f"  ({group.note})" if group.note else ""))
        for kind, title in (("only_peer", f"only {group.peer}"), ("only_lc", "only logcheck")):
            if s[kind]:
                print(f"  {title}:")
                for line in s[kind]:
                    print(f"    {line}")
    if ns.json:
        ns.json.write_text(json.dumps(dump, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
