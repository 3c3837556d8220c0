"""Mutation testing of the modules named in GROUPS, with a score per group.

    pip install -e '.[test,mutation]'
    python scripts/mutation.py security suppression     # runs them, then prints the scores
    python scripts/mutation.py --report-only security   # the scores of the last run
    python scripts/mutation.py all                      # every group (hours on 2 cores)
    python scripts/mutation.py --fail-under 90 suppression   # the scheduled job: exit 1 below 90%

mutmut 3 (configured in `[tool.mutmut]` of pyproject.toml) copies the package and the
`also_copy` entries into `mutants/`, runs the suite once to learn which tests reach which
function (cached in `mutants/`), then runs each mutant of the requested groups against only
those tests. Every run re-tests every mutant of the groups it names.

The score of a group is killed / (mutants - equivalent): a timeout counts as killed, a mutant
no test reaches ("no tests") counts as surviving. Equivalent mutants are the ones listed in
docs/testing.md's table (`| \\`mutant name\\` | reason |`), each with its reason.

The script fails (exit 1, one line on stderr) instead of printing a score it does not have:
when a group names a module or function that does not exist, mutmut cannot run (its stats or
clean test run fails), a group has no mutants, or a group's mutants were not all tested.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the runtime dependency of logcheck itself
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
DOC = Path("docs") / "testing.md"


class Target(NamedTuple):
    """Code to mutate: a module (path from the repository root) and the top-level functions,
    classes or `Class.method`s of it (none: the whole module)."""
    module: str
    functions: Tuple[str, ...] = ()


#: group name -> what it mutates. When a module moves, change its path here (and
#: `only_mutate` of pyproject.toml when no pattern there matches its new path): the script
#: refuses a path or function that does not exist or that mutmut would not mutate.
GROUPS: Dict[str, Tuple[Target, ...]] = {
    "formatting": (Target("logcheck/rules/messages/formatting.py"),),
    # the part of formatting.py that decides whether a fix is exact: field -> placeholder,
    # and whether a `%` format raises for given arguments
    "percent": (Target("logcheck/rules/messages/formatting.py", ("percent_spec", "PercentFormat.check")),),
    "security": (Target("logcheck/rules/security.py"),),
    "messages": tuple(Target(f"logcheck/rules/messages/{name}.py") for name in (
        "_shared", "_brace", "_eager", "lc201_fstring_message", "lc202_percent_format_message",
        "lc203_str_format_message", "lc204_concat_message", "lc205_format_args_mismatch", "lc206_extra_key_clash",
        "lc207_exception_object_as_message")),
    "exceptions": (Target("logcheck/rules/exceptions.py"),),
    "levels": (Target("logcheck/rules/levels.py"),),
    "loggers": (Target("logcheck/rules/loggers.py"),),
    "output": (Target("logcheck/rules/output.py"),),
    "config": (Target("logcheck/rules/config.py"),),
    # LC7xx: the rules of the other logger families
    "families": tuple(Target(f"logcheck/rules/{name}.py") for name in (
        "_family_gates", "_structlog_chains", "loguru_rules", "structlog_rules")),
    # LC8xx: the runtime and the other signals
    "runtime": tuple(Target(f"logcheck/rules/runtime/{name}.py") for name in (
        "_shared", "hoist", "lc801_lambda_log_event", "lc802_logger_per_invocation", "lc803_lambda_context_missing",
        "lc804_metrics_as_api_calls", "lc805_metrics_not_flushed", "lc806_trace_context_missing",
        "lc807_deprecated_logging_api")),
    # the suppression code: `# noqa` and `# logcheck: disable-file`
    "suppression": (Target("logcheck/lint/suppression.py"),),
    # the fix loop and the guards a fix passes before it is written
    "fixloop": (Target("logcheck/lint/check.py", ("fix_source",)),
                Target("logcheck/lint/fixes.py", ("apply_fixes", "non_overlapping", "is_valid_python",
                                                  "drops_comments", "module_code", "Replacer"))),
    # the semantic layer that proves a call is a stdlib logger call and where a fix may
    # put or reuse the module logger
    "scopes": (Target("logcheck/semantics/scopes.py"),),
    "provenance": (Target("logcheck/semantics/provenance.py"),),
    "project": (Target("logcheck/semantics/project.py"),),
    "module_logger": (Target("logcheck/semantics/module_logger.py"),),
    # the configuration model: what a logging configuration does, for the LC5xx rules
    "config_model": tuple(Target(f"logcheck/config_model/{name}.py") for name in (
        "checks", "context_fields", "dependencies", "deployment", "deployment_files", "dictconfig", "dotenv", "edits",
        "model", "policy", "python", "python_gate", "readers", "repeats", "templated")),
}
RULE_GROUPS = ("security", "messages", "exceptions", "levels", "loggers", "output", "config", "families", "runtime")
GROUPS["rules"] = tuple(t for name in RULE_GROUPS for t in GROUPS[name])
SEMANTIC_GROUPS = ("scopes", "provenance", "project", "module_logger")
GROUPS["semantics"] = tuple(t for name in SEMANTIC_GROUPS for t in GROUPS[name])
GROUPS["all"] = GROUPS["rules"] + GROUPS["formatting"] + GROUPS["suppression"] + GROUPS["fixloop"] + \
    GROUPS["semantics"] + GROUPS["config_model"]

KILLED = ("killed", "timeout", "segfault")
SURVIVING = ("survived", "no tests", "suspicious")
_RESULT = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+)$")
_EQUIVALENT = re.compile(r"^\|\s*`(?P<name>[^`]+__mutmut_\d+)`\s*\|")
#: pytest's summary line of a failing test (`FAILED tests/x.py::test - Error: ...`)
_FAILED_TEST = re.compile(r"^(FAILED|ERROR) \S+")
_LONGEST_CAUSE = 200


class MutationError(Exception):
    """A reason the run has no score; main() prints it as one line."""


# ----------------------------------------------------------------------------- the groups


def mutant_key(name: str) -> Tuple[str, str]:
    """(module, function) of a mutant name: `a.b.x_f__mutmut_3` -> ("a.b", "f");
    `a.b.xǁCǁm__mutmut_1` -> ("a.b", "C.m")."""
    mangled = name.partition("__mutmut_")[0]
    module, _, function = mangled.rpartition(".")
    if function.startswith("xǁ"):
        return module, function[2:].replace("ǁ", ".")
    return module, function[2:]


def dotted(module_path: str) -> str:
    return module_path[:-len(".py")].replace("/", ".").replace(".__init__", "")


def in_target(name: str, target: Target) -> bool:
    module, function = mutant_key(name)
    if module != dotted(target.module):
        return False
    return not target.functions or any(function == f or function.startswith(f + ".") for f in target.functions)


def definitions(source: str) -> Dict[str, bool]:
    """Top-level functions and classes of a module, and `Class.method` for their methods:
    name -> whether it is a class."""
    names = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = isinstance(node, ast.ClassDef)
        if isinstance(node, ast.ClassDef):
            names.update((f"{node.name}.{item.name}", False) for item in node.body
                         if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
    return names


def mutant_globs(targets: Iterable[Target], root: Path) -> List[str]:
    """The mutmut name patterns of `targets` (what `mutmut run` is given). mutmut also
    matches them against its map of tests, whose keys have no `__mutmut_N` (`a.b.x_f`), to
    choose the tests of its clean run: so `x_f*`, which also takes a function `f_other` of
    the module; `score` counts each mutant in its own group only."""
    globs = []
    for target in targets:
        module = dotted(target.module)
        if not target.functions:
            globs.append(f"{module}.*")
            continue
        classes = definitions((root / target.module).read_text(encoding="utf-8"))
        for function in target.functions:
            cls, _, method = function.rpartition(".")
            if cls:
                globs.append(f"{module}.xǁ{cls}ǁ{method}*")
            elif classes[function]:
                globs.append(f"{module}.xǁ{function}ǁ*")
            else:
                globs.append(f"{module}.x_{function}*")
    return globs


def only_mutate(root: Path) -> List[str]:
    with open(root / "pyproject.toml", "rb") as f:
        return tomllib.load(f).get("tool", {}).get("mutmut", {}).get("only_mutate", [])


def check_groups(groups: Sequence[str], root: Path) -> None:
    """Refuse a group whose module or function does not exist, or that mutmut would not
    mutate: after a module moves, the run must not silently have no mutants."""
    patterns = only_mutate(root)
    for group in groups:
        for target in GROUPS[group]:
            path = root / target.module
            if not path.is_file():
                raise MutationError(f"group {group!r} names {target.module}, which does not exist "
                                    "(update GROUPS in scripts/mutation.py)")
            if patterns and not any(fnmatch(target.module, p) for p in patterns):
                raise MutationError(f"group {group!r} names {target.module}, which [tool.mutmut] only_mutate "
                                    "of pyproject.toml leaves out (add it there)")
            defined = definitions(path.read_text(encoding="utf-8")) if target.functions else {}
            missing = [f for f in target.functions if f not in defined]
            if missing:
                raise MutationError(f"group {group!r}: {target.module} defines no {', '.join(missing)} "
                                    "(update GROUPS in scripts/mutation.py)")


# ----------------------------------------------------------------------------- mutmut's answers


def run_failure(returncode: int, output: str) -> str:
    """One line saying why `mutmut run` failed: its last line of output (e.g. "failed to
    collect stats. runner returned 1") and the first test pytest reported failing."""
    lines = [line.strip() for line in re.split(r"[\r\n]+", output) if line.strip()]
    cause = lines[-1] if lines else "no output"
    if len(cause) > _LONGEST_CAUSE:  # an exception listing every test it passed to pytest
        cause = cause[:_LONGEST_CAUSE] + " ..."
    failing = next((line.removeprefix("FAILED ") for line in lines if _FAILED_TEST.match(line)), None)
    message = f"mutmut run failed (exit {returncode}): {cause}"
    return message + (f"; first failing test: {failing}" if failing else "")


def parse_results(text: str) -> Dict[str, str]:
    """mutant name -> status, from `mutmut results --all true`."""
    return {m.group("name"): m.group("status").strip() for line in text.splitlines()
            if (m := _RESULT.match(line))}


def equivalent_mutants(doc: Path) -> Set[str]:
    if not doc.exists():
        return set()
    return {m.group("name") for line in doc.read_text(encoding="utf-8").splitlines()
            if (m := _EQUIVALENT.match(line))}


class Score(NamedTuple):
    group: str
    mutants: int
    killed: int
    survived: int
    equivalent: int
    survivors: Tuple[str, ...]

    @property
    def percent(self) -> float:
        return 100 * self.killed / (self.killed + self.survived)


def score(group: str, results: Dict[str, str], equivalent: Set[str]) -> Score:
    """The group's score, or MutationError when it has none: no mutants, mutants not tested
    (the run stopped early), a status the score does not count, or only equivalent mutants."""
    statuses = {name: status for name, status in results.items()
                if any(in_target(name, t) for t in GROUPS[group])}
    if not statuses:
        raise MutationError(f"group {group!r} has no mutants in mutmut's results "
                            f"({', '.join(dict.fromkeys(t.module for t in GROUPS[group]))}); no score")
    unchecked = [name for name, status in statuses.items() if status == "not checked"]
    if unchecked:
        raise MutationError(f"group {group!r}: {len(unchecked)} of {len(statuses)} mutants were not tested "
                            f"(e.g. {unchecked[0]}); no score")
    counts = Counter()
    survivors = []
    for name, status in sorted(statuses.items()):
        if name in equivalent:
            counts["equivalent"] += 1
        elif status in KILLED:
            counts["killed"] += 1
        elif status in SURVIVING:
            counts["survived"] += 1
            survivors.append(f"{name}: {status}")
        else:
            raise MutationError(f"group {group!r}: mutant {name} is {status!r}, which the score does not count")
    if not counts["killed"] + counts["survived"]:
        raise MutationError(f"group {group!r}: all {len(statuses)} mutants are listed as equivalent; no score")
    return Score(group, len(statuses), counts["killed"], counts["survived"], counts["equivalent"], tuple(survivors))


def table(scores: Sequence[Score]) -> List[str]:
    lines = [f"{'group':<12} {'mutants':>7} {'killed':>6} {'survived':>8} {'equivalent':>10} {'score':>6}"]
    for s in scores:
        lines.append(f"{s.group:<12} {s.mutants:>7} {s.killed:>6} {s.survived:>8} {s.equivalent:>10} "
                     f"{s.percent:>5.1f}%")
    lines.extend(f"  survivor {line}" for s in scores for line in s.survivors)
    return lines


# ----------------------------------------------------------------------------- running mutmut


#: mutmut with `only_mutate` narrowed to the modules of the groups asked for (argv[1], JSON).
#: Every function of a mutated module runs through a trampoline that the stats run traces:
#: with pyproject's whole list, a run for one module paid that for 66 (the suite's traced run
#: of `suppression` never finished in 70 minutes); pyproject.toml keeps the union.
_NARROWED_MUTMUT = """
import json, sys
import mutmut.configuration as configuration
load = configuration._load_config
def narrowed():
    config = load()
    config.only_mutate = json.loads(sys.argv[1])
    return config
configuration._load_config = narrowed
from mutmut.__main__ import cli
sys.argv = ["mutmut"] + sys.argv[2:]
cli()
"""


def forget_what_other_runs_left(modules: Sequence[str], root: Path) -> None:
    """Make mutmut mutate and trace `modules` even when an earlier run in this clone
    mutated others. mutmut takes a copy in `mutants/` newer than its source for an
    up-to-date mutant file, and a run that did not mutate a module left a plain copy
    there (`shutil.copy`, so newer): such a copy, and its `.meta`, are deleted. mutmut
    reuses its map of tests whenever it exists, and a function no traced run reached has
    no tests in it (its mutants would all be "no tests", surviving): the map is deleted
    when its traced run did not mutate all of `modules`."""
    mutants = root / "mutants"
    for module in modules:
        copy = mutants / module
        if copy.is_file() and copy.read_bytes() == (root / module).read_bytes():
            copy.unlink()
            (mutants / (module + ".meta")).unlink(missing_ok=True)
    record, stats = mutants / "logcheck-traced-modules.json", mutants / "mutmut-stats.json"
    traced = set(json.loads(record.read_text(encoding="utf-8"))) if record.is_file() else set()
    if stats.is_file() and set(modules) <= traced:
        return
    stats.unlink(missing_ok=True)
    mutants.mkdir(exist_ok=True)
    record.write_text(json.dumps(sorted(set(modules))), encoding="utf-8")


def run_mutmut(args: List[str], root: Path, modules: Sequence[str], env: Optional[Dict[str, str]] = None,
               echo: bool = False) -> str:
    """mutmut's output (stdout and stderr), mutating only `modules`; MutationError when it
    exits non-zero."""
    if importlib.util.find_spec("mutmut") is None:
        raise MutationError("mutmut is not installed: pip install -e '.[mutation]'")
    command = [sys.executable, "-c", _NARROWED_MUTMUT, json.dumps(sorted(set(modules)))] + args
    chunks = []
    with subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        # raw bytes: mutmut redraws its progress line with `\r`
        for chunk in iter(lambda: proc.stdout.read1(65536), b""):
            chunks.append(chunk)
            if echo:
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
    output = b"".join(chunks).decode("utf-8", "replace")
    if proc.returncode:
        if args[0] == "run":
            raise MutationError(run_failure(proc.returncode, output))
        raise MutationError(f"mutmut {args[0]} failed (exit {proc.returncode}): "
                            f"{output.strip().splitlines()[-1] if output.strip() else 'no output'}")
    return output


def main(argv: List[str], root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="+", choices=sorted(GROUPS))
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutant runs (default 2)")
    parser.add_argument("--report-only", action="store_true", help="print the scores of the last run")
    parser.add_argument("--fail-under", type=float, metavar="PERCENT",
                        help="exit 1 (after the table) when a group scores below PERCENT: the scheduled job's target")
    parser.add_argument("--property-scale", default="0.1",
                        help="LOGCHECK_PROPERTY_SCALE for the runs (default 0.1: a tenth of the CI examples; "
                             "the hand-written cases kill most mutants, the property tests are the slow part)")
    args = parser.parse_args(argv)
    try:
        check_groups(args.groups, root)
        targets = [t for g in args.groups for t in GROUPS[g]]
        modules = [t.module for t in targets]
        if not args.report_only:
            # logcheck reads .gitignore files up to the repository root, and the root one ignores
            # mutants/: a `.git` folder there makes mutants/ its own root for the CLI tests
            (root / "mutants" / ".git").mkdir(parents=True, exist_ok=True)
            forget_what_other_runs_left(modules, root)
            env = dict(os.environ, LOGCHECK_PROPERTY_SCALE=args.property_scale)
            globs = mutant_globs(targets, root)
            run_mutmut(["run", "--max-children", str(args.max_children)] + globs, root, modules, env, echo=True)
        results = parse_results(run_mutmut(["results", "--all", "true"], root, modules))
        equivalent = equivalent_mutants(root / DOC)
        scores = [score(group, results, equivalent) for group in args.groups]
    except MutationError as exc:
        print(f"mutation.py: error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(table(scores)))
    below = [s for s in scores if args.fail_under is not None and s.percent < args.fail_under]
    if below:
        print(f"mutation.py: error: below {args.fail_under:g}%: "
              + ", ".join(f"{s.group} {s.percent:.1f}% ({s.survived} surviving)" for s in below), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
