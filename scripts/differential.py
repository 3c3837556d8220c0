#!/usr/bin/env python
"""The long run of the differential fix test: many generated programs, fixed and executed.

Generates `--examples` programs per family of tests/differential_cases.py (seeded,
deterministic), runs `logcheck --fix` (safe fixes only) over all of them at once, executes
every original and fixed program in its own interpreter and compares records, stdout,
stderr and exit status (tests/differential.py; announced differences as in
tests/test_fix_differential.py). Prints per family how many cases the fix changed and how
many behave differently, then a reproducer (source before, after, the difference) for the
first failing cases of each family. Exits 1 when a family not listed as a known defect
behaves differently, or a listed one no longer does.

Usage:
    python scripts/differential.py --examples 50
    python scripts/differential.py --examples 5 --families star-import-logger --show 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from differential import generate, run_cases  # noqa: E402
from differential_cases import BY_NAME, FAMILIES  # noqa: E402
from test_fix_differential import ANNOUNCED, KNOWN_DEFECTS  # noqa: E402


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--examples", type=int, default=20, help="programs per family (default 20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--families", nargs="*", choices=sorted(BY_NAME), help="only these families")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--show", type=int, default=1, metavar="N", help="reproducers per failing family")
    p.add_argument("--keep", type=Path, help="work in this folder and keep the programs")
    ns = p.parse_args(argv)
    families = [BY_NAME[name] for name in ns.families] if ns.families else list(FAMILIES)
    work = ns.keep or Path(tempfile.mkdtemp(prefix="logcheck-differential-"))
    start = time.perf_counter()
    try:
        outcomes = run_cases(generate(families, ns.examples, ns.seed), work, ANNOUNCED, jobs=ns.jobs)
    finally:
        if ns.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - start
    print(f"{'family':36} {'cases':>5} {'fixed':>5} {'differ':>6}  known defect")
    unexpected = False
    for family in families:
        mine = [o for o in outcomes if o.case.family is family]
        differ = [o for o in mine if o.differences]
        known = KNOWN_DEFECTS.get(family.name, "")
        if known and not differ:  # as the suite's strict xfail: a fixed defect leaves the table
            known = "none differs: remove it from KNOWN_DEFECTS (" + known + ")"
        unexpected |= bool(differ) != bool(KNOWN_DEFECTS.get(family.name))
        print(f"{family.name:36} {len(mine):5d} {sum(o.changed for o in mine):5d} {len(differ):6d}  {known}")
    for family in families:
        differ = [o for o in outcomes if o.case.family is family and o.differences]
        for outcome in differ[:ns.show]:
            print("\n" + "=" * 78 + "\n" + outcome.reproducer())
    print(f"\n{len(outcomes)} programs in {seconds:.1f} s")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
