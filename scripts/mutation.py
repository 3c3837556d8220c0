"""Mutation testing of the modules named in docs/testing.md, with a score per module.

    pip install -e '.[test,mutation]'
    python scripts/mutation.py formatting security suppression     # a bounded run
    python scripts/mutation.py all                                  # every configured module

mutmut 3 (configured in `[tool.mutmut]` of pyproject.toml) copies the package into
`mutants/`, runs the suite once to learn which tests reach which function, then runs each
mutant against only those tests (test selection per mutant). Its results are cached in
`mutants/`, so a second run re-tests only mutants whose function or tests changed.

The score of a module is killed / (mutants - equivalent): a timeout counts as killed, a
mutant no test reaches ("no tests") counts as surviving. Equivalent mutants are the ones
listed in docs/testing.md's table (`| \`mutant name\` | reason |`), each with its reason.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Dict, List, Set

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "testing.md"

#: group name -> mutmut mutant-name globs (`module.x_function__mutmut_N`,
#: `module.xǁClassǁmethod__mutmut_N`)
GROUPS: Dict[str, List[str]] = {
    "formatting": ["logcheck.formatting.*"],
    # the part of formatting.py that decides whether a fix is exact: field -> placeholder,
    # and whether a `%` format raises for given arguments
    "percent": ["logcheck.formatting.x_percent_spec*", "logcheck.formatting.xǁPercentFormatǁcheck*"],
    "security": ["logcheck.rules.security.*"],
    "messages": ["logcheck.rules.messages.*"],
    "exceptions": ["logcheck.rules.exceptions.*"],
    "levels": ["logcheck.rules.levels.*"],
    "loggers": ["logcheck.rules.loggers.*"],
    "output": ["logcheck.rules.output.*"],
    "config": ["logcheck.rules.config.*"],
    # the suppression code: `# noqa` and `# logcheck: disable-file`
    "suppression": ["logcheck.engine.x_noqa_codes*", "logcheck.engine.x_file_disabled_codes*",
                    "logcheck.engine.x__code_matches*", "logcheck.engine.xǁSuppressionsǁ*"],
    # the fix loop and the guards a fix passes before it is written
    "fixloop": ["logcheck.engine.x_fix_source*", "logcheck.engine.x_apply_fixes*",
                "logcheck.engine.x__non_overlapping*", "logcheck.engine.x_is_valid_python*",
                "logcheck.engine.x_drops_comments*", "logcheck.engine.x_comments_in*",
                "logcheck.engine.x_module_code*", "logcheck.engine.xǁ_Replacerǁ*"],
}
GROUPS["rules"] = [g for name in ("security", "messages", "exceptions", "levels", "loggers", "output", "config")
                   for g in GROUPS[name]]
GROUPS["all"] = GROUPS["rules"] + GROUPS["formatting"] + GROUPS["suppression"] + GROUPS["fixloop"]

#: mutmut's exit codes for "survived" (0) and "no tests" (5, 33)
SURVIVING_EXIT_CODES = (0, 5, 33)
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+)$")
_EQUIVALENT = re.compile(r"^\|\s*`(?P<name>[^`]+__mutmut_\d+)`\s*\|")


def equivalent_mutants() -> Set[str]:
    if not DOC.exists():
        return set()
    return {m.group("name") for line in DOC.read_text(encoding="utf-8").splitlines()
            if (m := _EQUIVALENT.match(line))}


def retest_survivors(patterns: List[str]) -> int:
    """Forget the cached verdict of every surviving mutant matching `patterns`: mutmut
    re-tests a mutant only when its function changes, not when new tests are added."""
    count = 0
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        verdicts = data.get("exit_code_by_key", {})
        again = [name for name, code in verdicts.items()
                 if code in SURVIVING_EXIT_CODES and any(fnmatchcase(name, p) for p in patterns)]
        for name in again:
            verdicts[name] = None
        if again:
            meta.write_text(json.dumps(data), encoding="utf-8")
            count += len(again)
    return count


def group_of(name: str, groups: List[str]) -> str:
    for group in groups:
        if any(fnmatchcase(name, pattern) for pattern in GROUPS[group]):
            return group
    return ""


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="+", choices=sorted(GROUPS))
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs (default 2)")
    parser.add_argument("--report-only", action="store_true", help="print the scores of the cached results")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="re-test the cached survivors (after adding tests that should kill them)")
    parser.add_argument("--property-scale", default="0.1",
                        help="LOGCHECK_PROPERTY_SCALE for the runs (default 0.1: a tenth of the CI examples; "
                             "the hand-written cases kill most mutants, the property tests are the slow part)")
    args = parser.parse_args(argv)
    patterns = [p for g in args.groups for p in GROUPS[g]]
    mutmut = [sys.executable, "-m", "mutmut"]
    if not args.report_only:
        # logcheck reads .gitignore files up to the repository root, and the root one ignores
        # mutants/: a `.git` folder there makes mutants/ its own root for the CLI tests
        (ROOT / "mutants" / ".git").mkdir(parents=True, exist_ok=True)
        if args.retest_survivors:
            print(f"re-testing {retest_survivors(patterns)} surviving mutants", flush=True)
        env = dict(os.environ, LOGCHECK_PROPERTY_SCALE=args.property_scale)
        subprocess.run(mutmut + ["run", "--max-children", str(args.max_children)] + patterns, cwd=ROOT, env=env,
                       check=False)
    out = subprocess.run(mutmut + ["results", "--all", "true"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    equivalent = equivalent_mutants()
    counts: Dict[str, Counter] = defaultdict(Counter)
    survivors: List[str] = []
    for line in out.splitlines():
        m = _RESULT.match(line)
        if not m:
            continue
        name, status = m.group("name"), m.group("status").strip()
        group = group_of(name, args.groups)
        if not group or status == "not checked":
            continue
        if name in equivalent:
            status = "equivalent"
        counts[group][status] += 1
        if status in ("survived", "no tests", "suspicious"):
            survivors.append(f"{name}: {status}")
    print(f"{'module':<12} {'mutants':>7} {'killed':>6} {'survived':>8} {'equivalent':>10} {'score':>6}")
    for group in args.groups:
        c = counts[group]
        total = sum(c.values())
        killed = c["killed"] + c["timeout"] + c["segfault"]
        scored = total - c["equivalent"]
        score = f"{100 * killed / scored:.1f}%" if scored else "-"
        print(f"{group:<12} {total:>7} {killed:>6} {scored - killed:>8} {c['equivalent']:>10} {score:>6}")
    for line in survivors:
        print("  survivor", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
