"""How long a flat operator chain takes: CPython's compiler, libcst's parser, and a whole
logcheck check of the file (the numbers behind `source/nesting.py` and docs/robustness.md).

    python bench/chains.py                       # + chains of 400, 800, 1000, 2000 terms
    python bench/chains.py --terms 400,800,5000 --op or --runs 5

Prints the median of `--runs` runs for each length. A length above nesting.MAX_CHAIN
shows libcst's time anyway (it is what the guard spares) and logcheck's LC000 time."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import libcst

from logcheck.lint.check import check_source
from logcheck.rules import registry
from logcheck.settings.model import Settings
from logcheck.source.text import SourceText


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", default="400,800,1000,2000")
    parser.add_argument("--op", default="+", help="the operator between terms: + or and or ...")
    parser.add_argument("--runs", type=int, default=3)
    ns = parser.parse_args()
    rules = registry.rules_for(registry.all_rules())
    settings = Settings(root=Path.cwd())
    print(f"{'terms':>6} {'compile s':>10} {'libcst s':>9} {'logcheck s':>11}  result")
    for terms in (int(t) for t in ns.terms.split(",")):
        text = f"import logging\nlogging.warn('x')\nx = {f' {ns.op} '.join(f'a{i}' for i in range(terms))}\n"
        compiled = _median(ns.runs, lambda: compile(text, "chain.py", "exec"))
        parsed = _median(ns.runs, lambda: libcst.parse_module(text))
        result = []
        checked = _median(ns.runs, lambda: result.append(check_source(
            "chain.py", SourceText(text, "utf-8", False), rules, settings).diagnostics))
        codes = ",".join(sorted({d.code for d in result[-1]}))
        print(f"{terms:>6} {compiled:>10.3f} {parsed:>9.3f} {checked:>11.3f}  {codes}")


if __name__ == "__main__":
    main()
