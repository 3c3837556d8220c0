#!/usr/bin/env python
"""Findings per rule on the `bench/corpus.py` corpus, for one checkout's code, and what changed
between two runs (the recall figures of docs/precision.md: what a change made disappear).

    python scripts/bench_findings.py --code /path/to/checkout --out before.json [--all-rules]
    python scripts/bench_findings.py --compare before.json after.json [--show 5]

A run checks every project of the set (`--set bench` by default) from its own folder, as a
user who runs `logcheck .` there: `python -m logcheck . --output-format json --no-cache`
in a subprocess whose PYTHONPATH is the checkout. With `--preview` (when the checkout has the
preview group) the preview rules run too, so that code from before the group existed (whose
defaults still ran them) is compared rule for rule. `--all-rules` adds `--select ALL`.

A finding is keyed without its line number (project, path, code, the stripped text of the
reported line, and an occurrence number among identical keys), so that findings that only
moved are not counted as gone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402


def has_preview(code: Path, env: Dict[str, str]) -> bool:
    proc = subprocess.run([sys.executable, "-c", "import logcheck.rules.preview"], env=env, cwd=str(code),
                          capture_output=True)
    return proc.returncode == 0


def run(code: Path, set_name: str, all_rules: bool) -> dict:
    env = dict(os.environ, PYTHONPATH=str(code))
    flags = ["--select", "ALL"] if all_rules else []
    if has_preview(code, env):
        flags.append("--preview")
    findings: List[dict] = []
    for name, root in corpus.build(set_name).items():
        proc = subprocess.run([sys.executable, "-m", "logcheck", ".", "--output-format", "json", "--no-cache",
                               "--exit-zero", "-q", *flags], env=env, cwd=str(root), capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(f"logcheck failed on {name}: {proc.stderr[-2000:]}")
        seen: Counter = Counter()
        for d in sorted(json.loads(proc.stdout), key=lambda d: (d["filename"], d["location"]["row"], d["code"])):
            path = Path(d["filename"]).resolve()
            rel = path.relative_to(root.resolve()).as_posix()
            try:
                line = path.read_text(encoding="utf-8", errors="replace").splitlines()[d["location"]["row"] - 1]
            except (OSError, IndexError):
                line = ""
            key = (name, rel, d["code"], line.strip())
            seen[key] += 1
            findings.append({"project": name, "path": rel, "row": d["location"]["row"], "code": d["code"],
                             "line": line.strip(), "occurrence": seen[key], "message": d["message"]})
    return {"code": str(code), "flags": flags, "set": set_name, "findings": findings}


def _key(f: dict) -> tuple:
    return (f["project"], f["path"], f["code"], f["line"], f["occurrence"])


def compare(before: dict, after: dict, show: int) -> str:
    old = {_key(f): f for f in before["findings"]}
    new = {_key(f): f for f in after["findings"]}
    codes = sorted({k[2] for k in old} | {k[2] for k in new})
    lines = ["| rule | before | after | gone | new |", "|---|---:|---:|---:|---:|"]
    for code in codes:
        b = [k for k in old if k[2] == code]
        a = [k for k in new if k[2] == code]
        lines.append(f"| {code} | {len(b)} | {len(a)} | {sum(1 for k in b if k not in new)} | "
                     f"{sum(1 for k in a if k not in old)} |")
    lines.append(f"| **all** | {len(old)} | {len(new)} | {sum(1 for k in old if k not in new)} | "
                 f"{sum(1 for k in new if k not in old)} |")
    for label, keys, table in (("gone", [k for k in old if k not in new], old),
                               ("new", [k for k in new if k not in old], new)):
        by_code: Dict[str, List[tuple]] = {}
        for k in keys:
            by_code.setdefault(k[2], []).append(k)
        for code, group in sorted(by_code.items()):
            lines.append(f"\n{label} {code} ({len(group)}):")
            for k in group[:show]:
                f = table[k]
                lines.append(f"  {f['project']}: {f['path']}:{f['row']}: {f['line'][:100]}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--code", type=Path, default=REPO, help="checkout whose logcheck is run (default: this one)")
    p.add_argument("--set", default="bench", help="corpus set of bench/corpus.py (default: bench)")
    p.add_argument("--all-rules", action="store_true", help="run with --select ALL")
    p.add_argument("--out", type=Path, help="write the findings of the run to this JSON file")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"),
                   help="per-rule counts of two runs, and the findings that disappeared or appeared")
    p.add_argument("--show", type=int, default=10, help="with --compare, list at most this many per rule")
    ns = p.parse_args(argv)
    if ns.compare:
        before, after = (json.loads(path.read_text(encoding="utf-8")) for path in ns.compare)
        print(compare(before, after, ns.show))
        return 0
    result = run(ns.code, ns.set, ns.all_rules)
    counts = Counter(f["code"] for f in result["findings"])
    print(", ".join(f"{c} {n}" for c, n in sorted(counts.items())) + f"; {len(result['findings'])} in all")
    if ns.out:
        ns.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
