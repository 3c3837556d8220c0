#!/usr/bin/env python
"""Per-rule precision of logcheck on real projects nobody tuned a rule on.

The protocol (docs/precision.md explains it in full):

1. pinned sdists of the projects in PROJECTS are downloaded with pip and unpacked into the
   corpus cache of `bench/corpus.py` (outside the repository; never committed);
2. logcheck -- the code of a checkout, `--code DIR`, this repository by default -- runs on each
   whole project with its default settings (`python -m logcheck . --output-format json` in a
   subprocess whose working directory is the project, which has no `[tool.logcheck]` table),
   plus `--preview` when the checkout has a preview group: its rules are measured too (the
   table marks them `preview`), so that a first look can show them precise enough to leave it;
3. a seeded sample of up to PER_RULE findings per rule is drawn across the projects: every
   finding gets the rank sha256(SEED + its fingerprint) and the lowest ranks are sampled, so a
   finding that stays reported stays sampled while code changes remove or add others;
4. a person judges every sampled finding by reading it against its page `rules/LCnnn.md` and
   records the verdict (true / false / debatable, with a one-line reason) in
   `docs/precision-verdicts.json`, keyed by the finding's fingerprint: project, version,
   relative path, enclosing class/function, code and the stripped text of the reported lines
   (no line number);
5. `--report` re-checks the stored verdicts against the findings of the current code and
   writes the per-rule table into docs/precision.md.

The projects come in ROUNDS: each round has its own projects, seed and sample size, and its
own table in the doc.  A new round starts with projects nobody has judged or tuned a rule on
(a first look); the verdicts of every round live in the same file (a fingerprint names its
project and version, so rounds never share one).  `--all-rules` runs a round with every rule
enabled and samples only the off-by-default rules, in a table of their own.

Usage:
    python scripts/precision.py --sample              # sampled findings without a verdict
    python scripts/precision.py --add-verdicts FILE   # lines "ID true|false|debatable reason"
    python scripts/precision.py --report              # table on stdout and in docs/precision.md
    python scripts/precision.py --report --code /path/to/other/checkout
    python scripts/precision.py --report --round first-look-3              # one round only
    python scripts/precision.py --sample --round first-look-3 --all-rules  # its off-by-default rules
    python scripts/precision.py --ruff-recall --round first-look-3         # how many of ruff's G/LOG
                                                                            # findings logcheck reports
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
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402

#: projects nobody working on logcheck had run it on or tuned a rule on, pinned to the newest
#: release with an sdist at the time of the first judging (tox 4.67.16 was dropped: its sdist
#: needs hatchling built from source, which `--no-binary :all:` cannot do)
PROJECTS: Dict[str, str] = {
    "sqlalchemy": "2.1.9",
    "sphinx": "9.0.4",
    "flask": "3.1.3",
    "werkzeug": "3.1.9",
    "dramatiq": "2.2.1",
    "redis": "8.1.0",
    "starlette": "1.10.0",
    # added in the second judging round (2026-12-03), to sample rules the first seven barely
    # reach: LC101 outside tests (all 335 of redis's were in its test suite), LC207, LC304
    "rq": "2.6.1",
    "apscheduler": "3.11.1",
    "locust": "2.42.5",
}
SEED = "logcheck-precision-1"
PER_RULE = 15
#: the third round, a first look (issue 20): projects used nowhere in the repository nor in the
#: issue that asked for the round (prefect was a candidate until its findings turned out to be
#: the issue's own examples), judged on the rules as they were at d3a821b before any rule was
#: changed for the issue; newest releases with an sdist on 2026-12-07, of different kinds (a task
#: pipeline, an HTTP client/server library, a notebook server, a web framework, a task queue, a
#: distributed scheduler, an ML platform, a cloud API library)
FIRST_LOOK_3: Dict[str, str] = {
    "luigi": "3.8.1",
    "aiohttp": "3.14.5",
    "jupyter_server": "2.21.1",
    "sanic": "25.12.1",
    "huey": "3.5.4",
    "distributed": "2026.8.0",
    "mlflow": "3.18.0",
    "apache-libcloud": "3.9.1",
}
#: the families round, a first look (issue 21, item 5): projects that log with loguru or with
#: structlog, used nowhere in the repository, judged on the rules as they were on main before the
#: session's family rules (branches `famrules`, `lc7xx`) were merged; newest releases with an sdist
#: on 2026-12-07.  loguru: a voice-agent framework with ~2,400 loguru calls (also the clean-code
#: check), an agent framework, a network-config parser, a trading platform, a chat-bot framework;
#: structlog: an ELT data tool, a browser-automation agent service, Airflow's task SDK.
FAMILIES_1: Dict[str, str] = {
    "pipecat-ai": "1.14.0",
    "swarms": "16.0.3",
    "ciscoconfparse2": "0.9.18",
    "vnpy": "4.5.0",
    "graia-ariadne": "0.11.7",
    "meltano": "4.4.1",
    "skyvern": "1.0.56",
    "apache-airflow-task-sdk": "1.3.2",
}
#: the logging library each project of the families round is built on: the sample is drawn per
#: rule and library, so a rule's loguru findings cannot crowd out its structlog ones
FAMILIES_1_LIBRARY: Dict[str, str] = {
    "pipecat-ai": "loguru", "swarms": "loguru", "ciscoconfparse2": "loguru", "vnpy": "loguru",
    "graia-ariadne": "loguru", "meltano": "structlog", "skyvern": "structlog", "apache-airflow-task-sdk": "structlog",
}
VERDICTS = ("true", "false", "debatable")
VERDICTS_FILE = REPO / "docs" / "precision-verdicts.json"
DOC_FILE = REPO / "docs" / "precision.md"
TABLE_BEGIN = "<!-- precision-table: begin (written by scripts/precision.py --report) -->"
TABLE_END = "<!-- precision-table: end -->"
#: the reported lines whose text is in a fingerprint: a call's first line alone is often just
#: `logger.info(`, which would leave only the occurrence number to tell findings apart
KEY_LINES = 3
#: source lines shown before the reported line in `--sample` (and after its last line)
CONTEXT_BEFORE = 3
CONTEXT_AFTER = 2


@dataclass(frozen=True)
class Round:
    """One judging round: its projects, the seed and size of its sample, and whether its table
    shows acceptance (true / all judged) next to precision."""

    name: str
    projects: Dict[str, str]
    seed: str
    per_rule: int
    #: findings sampled per off-by-default rule by `--all-rules` (0: the round samples none)
    off_per_rule: int = 0
    acceptance: bool = False
    #: project -> the group it is sampled in (the families round: its logging library); a round
    #: without groups samples per rule only
    groups: Mapping[str, str] = field(default_factory=dict)
    #: run logcheck with `--preview` (the preview rules, and the rules' reach to a family in
    #: preview, are judged too)
    preview: bool = False

    def group_of(self, finding: "Finding") -> str:
        return self.groups.get(finding.project, "")

    def markers(self, all_rules: bool = False) -> Tuple[str, str]:
        """The doc's markers around this round's table (the first round keeps the markers the
        doc had before there were rounds)."""
        if self.name == FIRST_ROUND and not all_rules:
            return TABLE_BEGIN, TABLE_END
        label = f"{self.name} all-rules" if all_rules else self.name
        return (f"<!-- precision-table {label}: begin (written by scripts/precision.py --report) -->",
                f"<!-- precision-table {label}: end -->")

    def saved_run(self, cache: Path, all_rules: bool = False) -> Path:
        if self.name == FIRST_ROUND and not all_rules:
            return cache / "precision-run.json"
        return cache / f"precision-run-{self.name}{'-all-rules' if all_rules else ''}.json"


FIRST_ROUND = "ten-projects"
ROUNDS: Dict[str, Round] = {
    FIRST_ROUND: Round(FIRST_ROUND, PROJECTS, SEED, PER_RULE),
    "first-look-3": Round("first-look-3", FIRST_LOOK_3, "logcheck-first-look-3", 10, off_per_rule=5,
                          acceptance=True),
    "families-1": Round("families-1", FAMILIES_1, "logcheck-families-1", 10, acceptance=True,
                        groups=FAMILIES_1_LIBRARY, preview=True),
}


@dataclass(frozen=True)
class Finding:
    project: str
    version: str
    #: path relative to the unpacked sdist, with forward slashes
    path: str
    #: the classes and functions around the reported line, dotted ("" at module level)
    scope: str
    code: str
    #: the text of the reported lines (the first KEY_LINES of them), each stripped, joined by a space
    line: str
    #: 1 for the first finding of this code on identical lines of one scope, 2 for the next...
    occurrence: int
    row: int
    end_row: int
    message: str

    @property
    def key(self) -> str:
        return fingerprint(self.project, self.version, self.path, self.scope, self.code, self.line, self.occurrence)

    @property
    def short_id(self) -> str:
        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class Verdict:
    key: str
    code: str
    verdict: str
    reason: str


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    default: bool
    #: in the preview group (runs only with `--preview`)
    preview: bool = False
    #: the logger families whose loggers the rule reaches only with `--preview`
    preview_families: FrozenSet[str] = frozenset()


@dataclass
class Row:
    rule: Rule
    #: the round's group of projects the row counts ("" for a round without groups)
    group: str = ""
    findings: int = 0
    sampled: int = 0
    true: int = 0
    false: int = 0
    debatable: int = 0
    unjudged: int = 0

    @property
    def precision(self) -> Optional[float]:
        judged = self.true + self.false
        return self.true / judged if judged else None

    @property
    def acceptance(self) -> Optional[float]:
        """true / every judged finding: debatable ones count against it, so they cannot hide
        the denominator."""
        judged = self.true + self.false + self.debatable
        return self.true / judged if judged else None


def fingerprint(project: str, version: str, path: str, scope: str, code: str, line: str, occurrence: int) -> str:
    """Stable across edits that only move the reported lines (no line number in it)."""
    key = f"{project}=={version}:{path}:{scope}:{code}:{line}"
    return key if occurrence == 1 else f"{key}#{occurrence}"


def make_findings(project: str, version: str, diagnostics: Iterable[Mapping],
                  lines_of) -> List[Finding]:
    """Findings from logcheck's JSON diagnostics (`path` already relative); `lines_of(path)`
    gives a file's lines.  Identical lines of one scope reported with the same code are told
    apart by their order in the file."""
    ordered = sorted(diagnostics, key=lambda d: (d["path"], d["row"], d["column"], d["code"]))
    seen: Counter = Counter()
    out: List[Finding] = []
    trees: Dict[str, Optional[ast.AST]] = {}
    for d in ordered:
        lines = lines_of(d["path"])
        if d["path"] not in trees:
            trees[d["path"]] = parse_or_none("\n".join(lines))
        scope = enclosing_scope(trees[d["path"]], d["row"])
        last = min(d.get("end_row", d["row"]), d["row"] + KEY_LINES - 1, len(lines))
        text = " ".join(line.strip() for line in lines[d["row"] - 1:last])
        seen[(d["path"], scope, d["code"], text)] += 1
        out.append(Finding(project, version, d["path"], scope, d["code"], text,
                           seen[(d["path"], scope, d["code"], text)], d["row"], d.get("end_row", d["row"]),
                           d["message"]))
    return out


def parse_or_none(source: str) -> Optional[ast.AST]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):  # a file this Python cannot parse: no scopes, text only
        return None


def enclosing_scope(tree: Optional[ast.AST], row: int) -> str:
    """Dotted names of the classes and functions around a line (`Pool._close.inner`), "" at
    module level."""
    names: List[str] = []
    node = tree
    while node is not None:
        inner = None
        for child in ast.iter_child_nodes(node):
            if getattr(child, "lineno", row + 1) <= row <= getattr(child, "end_lineno", 0):
                inner = child
                break
        if inner is not None and isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(inner.name)
        node = inner
    return ".".join(names)


def rank(finding: Finding, seed: str = SEED) -> str:
    return hashlib.sha256(f"{seed}\0{finding.key}".encode("utf-8")).hexdigest()


def no_group(finding: Finding) -> str:
    return ""


def stratum(code: str, group: str) -> str:
    """The sample's key for a rule's findings in one group of projects (the code alone when the
    round has no groups)."""
    return f"{code} {group}" if group else code


def draw_sample(findings: Iterable[Finding], per_rule: int = PER_RULE, seed: str = SEED,
                group_of=no_group) -> Dict[str, List[Finding]]:
    """Up to `per_rule` findings per code (and per group of projects, `group_of`): those of
    lowest rank (a uniform random sample that keeps every still-reported finding of the
    previous sample)."""
    by_stratum: Dict[str, List[Finding]] = {}
    for f in findings:
        by_stratum.setdefault(stratum(f.code, group_of(f)), []).append(f)
    return {key: sorted(group, key=lambda f: rank(f, seed))[:per_rule] for key, group in sorted(by_stratum.items())}


def load_verdicts(path: Path) -> Dict[str, Verdict]:
    if not path.exists():
        return {}
    out: Dict[str, Verdict] = {}
    for entry in json.loads(path.read_text(encoding="utf-8")):
        key = entry_key(entry)
        if entry["verdict"] not in VERDICTS:
            raise SystemExit(f"{path}: {key}: verdict {entry['verdict']!r} is not one of {', '.join(VERDICTS)}")
        out[key] = Verdict(key, entry["code"], entry["verdict"], entry["reason"])
    return out


def entry_key(entry: Mapping) -> str:
    return fingerprint(entry["project"], entry["version"], entry["path"], entry["scope"], entry["code"],
                       entry["line"], entry.get("occurrence", 1))


def verdict_entry(finding: Finding, verdict: str, reason: str) -> dict:
    entry = {"project": finding.project, "version": finding.version, "path": finding.path,
             "scope": finding.scope, "code": finding.code, "line": finding.line}
    if finding.occurrence != 1:
        entry["occurrence"] = finding.occurrence
    entry.update(verdict=verdict, reason=reason)
    return entry


def save_verdicts(path: Path, entries: Sequence[dict]) -> None:
    ordered = sorted(entries, key=lambda e: (e["code"], e["project"], e["path"], e["scope"], e["line"],
                                             e.get("occurrence", 1)))
    path.write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def tabulate(findings: Sequence[Finding], sample: Mapping[str, List[Finding]], verdicts: Mapping[str, Verdict],
             rules: Mapping[str, Rule], group_of=no_group) -> Tuple[List[Row], List[Verdict]]:
    """Per-rule rows (every rule with a finding; one per group of projects with a finding when
    `group_of` groups them) and the stored verdicts whose finding the current code no longer
    reports ("gone": not counted)."""
    counts = Counter((f.code, group_of(f)) for f in findings)
    rows: List[Row] = []
    for (code, group), count in sorted(counts.items()):
        rule = rules.get(code)
        if rule is None:
            continue
        key = stratum(code, group)
        row = Row(rule, group, findings=count, sampled=len(sample.get(key, ())))
        for f in sample.get(key, ()):
            v = verdicts.get(f.key)
            if v is None:
                row.unjudged += 1
            else:
                setattr(row, v.verdict, getattr(row, v.verdict) + 1)
        rows.append(row)
    reported = {f.key for f in findings}
    gone = [v for key, v in sorted(verdicts.items()) if key not in reported]
    return rows, gone


def percent(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def default_label(rule: Rule, group: str = "") -> str:
    """on/off, or preview for a preview rule and for a rule's row on a family it reaches only in
    preview (the round's group names the family)."""
    return "preview" if rule.preview or group in rule.preview_families else "on" if rule.default else "off"


def render_table(rows: Sequence[Row], acceptance: bool = False) -> str:
    grouped = any(r.group for r in rows)
    head = (f"| rule | name |{' projects |' if grouped else ''} default | findings | sampled | true | false | "
            "debatable | unjudged | precision |")
    rule = f"|---|---|{'---|' if grouped else ''}---|---:|---:|---:|---:|---:|---:|---:|"
    if acceptance:
        head, rule = head + " acceptance |", rule + "---:|"
    lines = [head, rule]
    for r in rows:
        group = f" {r.group} |" if grouped else ""
        line = (f"| {r.rule.code} | {r.rule.name} |{group} {default_label(r.rule, r.group)} | {r.findings} | "
                f"{r.sampled} | {r.true} | {r.false} | {r.debatable} | {r.unjudged} | {percent(r.precision)} |")
        lines.append(line + (f" {percent(r.acceptance)} |" if acceptance else ""))
    return "\n".join(lines)


def replace_between_markers(text: str, body: str, begin: str = TABLE_BEGIN, end_marker: str = TABLE_END) -> str:
    start, end = text.find(begin), text.find(end_marker)
    if start < 0 or end < start:
        raise SystemExit(f"{DOC_FILE}: the markers {begin!r} and {end_marker!r} are missing")
    return text[: start + len(begin)] + "\n" + body.rstrip("\n") + "\n" + text[end:]


def verdicts_of_run(verdicts: Mapping[str, Verdict], round_: Round, rules: Mapping[str, Rule],
                    all_rules: bool) -> Dict[str, Verdict]:
    """The stored verdicts a run of the round measures: those on the round's projects and, when
    `rules` is given, on the rules the run samples (the off-by-default ones with `all_rules`,
    the default-on ones without)."""
    pins = {f"{name}=={version}" for name, version in round_.projects.items()}
    return {k: v for k, v in verdicts.items() if k.split(":", 1)[0] in pins
            and (not rules or v.code not in rules or rules[v.code].default != all_rules)}


def off_by_default(findings: Iterable[Finding], rules: Mapping[str, Rule]) -> List[Finding]:
    """The findings of the rules the default settings do not run (what `--all-rules` judges)."""
    return [f for f in findings if f.code in rules and not rules[f.code].default]


# -- running the checkout's logcheck -------------------------------------------------------

def checkout_env(code: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def check_imports_checkout(code: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", "import logcheck; print(logcheck.__file__)"],
                          env=checkout_env(code), cwd=str(code), capture_output=True, text=True)
    imported = Path(proc.stdout.strip()).resolve()
    if proc.returncode or (code.resolve() / "logcheck") not in imported.parents:
        raise SystemExit(f"`python -m logcheck` would not run {code}'s code (it imports {imported}): {proc.stderr}")


def load_rules(code: Path) -> Dict[str, Rule]:
    proc = subprocess.run([sys.executable, "-m", "logcheck", "rules"], env=checkout_env(code), cwd=str(code),
                          capture_output=True, text=True, check=True)
    preview, preview_families = preview_codes(code)
    rules: Dict[str, Rule] = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"(LC\d{3})\s+(\S+)\s+(on|off)\s", line)
        if m:
            code_ = m.group(1)
            rules[code_] = Rule(code_, m.group(2), m.group(3) == "on", code_ in preview,
                                frozenset(preview_families.get(code_, ())))
        elif rules and not line.strip():
            break  # the peer-code table follows
    return rules


def preview_codes(code: Path) -> Tuple[set, Dict[str, List[str]]]:
    """The codes of the checkout's preview group, and per code the families it reaches only in
    preview (none for code from before there was a preview group)."""
    script = ("import json; from logcheck.rules import preview as p; "
              "print(json.dumps([list(p.PREVIEW), {c: list(f) for c, f in getattr(p, 'PREVIEW_FAMILIES', {}).items()}]))")
    proc = subprocess.run([sys.executable, "-c", script], env=checkout_env(code), cwd=str(code),
                          capture_output=True, text=True)
    if proc.returncode:
        return set(), {}
    codes, families = json.loads(proc.stdout)
    return set(codes), families


def code_revision(code: Path) -> str:
    proc = subprocess.run(["git", "-C", str(code), "describe", "--always", "--dirty", "--abbrev=10"],
                          capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def package_tree(code: Path) -> Optional[str]:
    """The git tree of the checkout's `logcheck/` package, or None when it has uncommitted
    changes (or is not in git): a saved run is reused only for the very same code."""
    tree = subprocess.run(["git", "-C", str(code), "rev-parse", "HEAD:logcheck"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(code), "status", "--porcelain", "--", "logcheck"],
                           capture_output=True, text=True)
    if tree.returncode or dirty.returncode or dirty.stdout.strip():
        return None
    return tree.stdout.strip()


def has_project_config(root: Path) -> Optional[Path]:
    for folder, dirs, files in os.walk(root):
        if "pyproject.toml" in files:
            path = Path(folder) / "pyproject.toml"
            if re.search(r"^\[tool\.logcheck[\].]", path.read_text(encoding="utf-8", errors="replace"), re.M):
                return path
    return None


def run_project(code: Path, name: str, version: str, root: Path, all_rules: bool = False,
                preview: bool = False) -> Tuple[List[Finding], List[str]]:
    """The findings on one project, and logcheck's internal errors there (a file logcheck
    crashed on loses its findings; the run goes on and the report lists the file)."""
    config = has_project_config(root)
    if config is not None:
        raise SystemExit(f"{config} configures logcheck; the protocol measures the defaults")
    select = (["--select", "ALL"] if all_rules else []) + (["--preview"] if preview else [])
    proc = subprocess.run([sys.executable, "-m", "logcheck", ".", "--output-format", "json", "--exit-zero",
                           "--no-cache", "-q", *select], env=checkout_env(code), cwd=str(root),
                          capture_output=True, text=True)
    errors = [f"{name} {version}: {line.partition(': ')[2]}" for line in proc.stderr.splitlines()
              if ": internal error: " in line]
    if proc.returncode and not (errors and proc.stdout.lstrip().startswith("[")):
        raise SystemExit(f"logcheck failed on {name} (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    for error in errors:
        print(f"note: {error}", file=sys.stderr)
    diagnostics = []
    for d in json.loads(proc.stdout):
        if d["code"] == "LC000":  # a file logcheck could not read: not a claim about code
            print(f"note: {name}: {d['filename']}: {d['message']}", file=sys.stderr)
            continue
        diagnostics.append({"path": Path(d["filename"]).resolve().relative_to(root.resolve()).as_posix(),
                            "row": d["location"]["row"], "column": d["location"]["column"],
                            "end_row": d["end_location"]["row"], "code": d["code"], "message": d["message"]})
    return make_findings(name, version, diagnostics, lambda rel: source_lines(root / rel)), errors


def source_lines(path: Path) -> List[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def project_roots(cache: Path, projects: Mapping[str, str] = PROJECTS) -> Dict[str, Path]:
    return {name: corpus.unpack(corpus.download(name, version, cache), cache) for name, version in projects.items()}


def collect(code: Path, cache: Path, reuse: bool, round_: Round = ROUNDS[FIRST_ROUND],
            all_rules: bool = False) -> Tuple[List[Finding], Dict[str, Path], List[str]]:
    """Every finding on every project of the round and logcheck's internal errors, from a fresh
    run (saved in the cache) or, with `reuse`, from the saved run of the same code revision."""
    saved = round_.saved_run(cache, all_rules)
    tree = package_tree(code)
    roots = project_roots(cache, round_.projects)
    if reuse and saved.exists():
        run = json.loads(saved.read_text(encoding="utf-8"))
        if tree is not None and run["package_tree"] == tree and run["projects"] == round_.projects:
            return [Finding(**f) for f in run["findings"]], roots, run.get("errors", [])
        print(f"note: {saved} is of other code or other projects; running logcheck again", file=sys.stderr)
    check_imports_checkout(code)
    preview = any(preview_codes(code))  # a checkout with a preview group runs it
    findings: List[Finding] = []
    errors: List[str] = []
    for name, root in roots.items():
        found, failed = run_project(code, name, round_.projects[name], root, all_rules, round_.preview or preview)
        findings += found
        errors += failed
    saved.write_text(json.dumps({"code": str(code.resolve()), "package_tree": tree, "projects": round_.projects,
                                 "findings": [asdict(f) for f in findings], "errors": errors}), encoding="utf-8")
    return findings, roots, errors


# -- recall against ruff -------------------------------------------------------------------

#: ruff's logging rules whose findings logcheck should report too (T20 is print, LC401's)
RECALL_PREFIXES = ("G", "LOG", "T20")


def load_compare_peers():
    """scripts/compare_peers.py, which pins ruff, runs it and logcheck, and maps the codes."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("compare_peers", REPO / "scripts" / "compare_peers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("compare_peers", module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return sys.modules["compare_peers"]


@dataclass
class RecallRow:
    peer_code: str
    lc_codes: Tuple[str, ...]
    peer: int = 0
    also: int = 0

    @property
    def recall(self) -> Optional[float]:
        return self.also / self.peer if self.peer else None


def ruff_recall_rows(peer_findings: Iterable, lc_findings: Iterable, key, groups) -> Tuple[List[RecallRow], List]:
    """Per ruff code: its findings and how many of them logcheck reports with a mapped code at
    the same statement (`key(path, row)`); and the ruff findings logcheck misses.  A ruff code
    no group maps to an LC code counts as missed."""
    mapped: Dict[str, set] = {}
    for group in groups:
        if group.peer == "ruff":
            for code in group.codes:
                mapped.setdefault(code, set()).update(group.lc)
    reported = {(f.path, key(f.path, f.row), f.code) for f in lc_findings}
    rows: Dict[str, RecallRow] = {}
    missed = []
    for f in peer_findings:
        if not f.code.startswith(RECALL_PREFIXES):
            continue
        lc = mapped.get(f.code, set())
        row = rows.setdefault(f.code, RecallRow(f.code, tuple(sorted(lc))))
        row.peer += 1
        at = (f.path, key(f.path, f.row))
        if any((*at, code) in reported for code in lc):
            row.also += 1
        else:
            missed.append(f)
    return [rows[c] for c in sorted(rows)], missed


def render_recall(rows: Sequence[RecallRow]) -> str:
    lines = ["| ruff code | logcheck code | ruff findings | also reported by logcheck | recall |",
             "|---|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r.peer_code} | {'/'.join(r.lc_codes) or '-'} | {r.peer} | {r.also} | {percent(r.recall)} |")
    for label, prefixes in (("all G", ("G",)), ("all LOG", ("LOG",)), ("all G and LOG", ("G", "LOG"))):
        picked = [r for r in rows if r.peer_code.startswith(prefixes)]
        peer, also = sum(r.peer for r in picked), sum(r.also for r in picked)
        lines.append(f"| **{label}** | | {peer} | {also} | {percent(also / peer if peer else None)} |")
    return "\n".join(lines)


def ruff_recall(round_: Round, cache: Path, code: Path, misses_file: Optional[Path]) -> int:
    """Ruff (pinned by compare_peers.py, in a virtualenv in the corpus cache) and logcheck with
    every rule enabled, on every project of the round; per ruff code, how many of its findings
    logcheck reports at the same statement."""
    peers = load_compare_peers()
    env = peers.peers_venv(cache)
    os.environ["PYTHONPATH"] = checkout_env(code)["PYTHONPATH"]  # the subprocesses run this checkout
    check_imports_checkout(code)
    spans = peers.Spans()
    flags = ["--preview"] if any(preview_codes(code)) else []
    ruff, mine = [], []
    for name, root in project_roots(cache, round_.projects).items():
        files = peers.py_files(root)
        found, _ = peers.cached_peer_run("ruff", peers.run_ruff, env, files, root, cache / "peer-results", False)
        ruff += found
        mine += peers.run_logcheck(files, root, flags)[0]
    rows, missed = ruff_recall_rows(ruff, mine, spans.key, peers.GROUPS)
    print(f"Round `{round_.name}`; ruff {peers.PEER_PINS['ruff']} (`--select {peers.RUFF_SELECT} --preview`), "
          f"logcheck at `{code_revision(code)}` with `--select ALL{' --preview' if flags else ''}`; a ruff finding "
          "counts as also reported "
          "when logcheck reports a mapped code in the same statement.\n")
    print(render_recall(rows))
    if misses_file is not None:
        misses_file.write_text(json.dumps([{"code": f.code, "path": str(f.path), "row": f.row, "message": f.message,
                                            "line": spans.line(f.path, f.row)} for f in missed], indent=1),
                               encoding="utf-8")
        print(f"\n{len(missed)} ruff finding(s) logcheck does not report: {misses_file}")
    return 0


# -- modes ---------------------------------------------------------------------------------

def show_sample(sample: Mapping[str, List[Finding]], verdicts: Mapping[str, Verdict], roots: Mapping[str, Path],
                rules: Mapping[str, Rule]) -> int:
    pending = [f for group in sample.values() for f in group if f.key not in verdicts]
    for f in pending:
        rule = rules.get(f.code)
        print(f"=== {f.short_id}  {f.code} {rule.name if rule else ''}  (page rules/{f.code}.md)")
        print(f"    {f.project}-{f.version}/{f.path}:{f.row}")
        print(f"    {f.message}")
        lines = source_lines(roots[f.project] / f.path)
        first, last = max(1, f.row - CONTEXT_BEFORE), min(len(lines), max(f.end_row, f.row) + CONTEXT_AFTER)
        for n in range(first, last + 1):
            mark = ">" if f.row <= n <= max(f.end_row, f.row) else " "
            print(f"  {mark}{n:6} | {lines[n - 1]}")
        print()
    print(f"{len(pending)} sampled finding(s) without a verdict; record them with --add-verdicts FILE "
          f"(lines: ID true|false|debatable one-line reason)")
    return 0


def add_verdicts(source: Path, findings: Sequence[Finding], verdicts_file: Path) -> int:
    by_id = {f.short_id: f for f in findings}
    entries = json.loads(verdicts_file.read_text(encoding="utf-8")) if verdicts_file.exists() else []
    index = {entry_key(e): i for i, e in enumerate(entries)}
    problems = 0
    for n, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split(None, 2)
        if len(parts) < 3 or parts[1] not in VERDICTS or parts[0] not in by_id:
            print(f"{source}:{n}: not `ID true|false|debatable reason` with a reported finding's ID: {raw}",
                  file=sys.stderr)
            problems += 1
            continue
        finding = by_id[parts[0]]
        entry = verdict_entry(finding, parts[1], parts[2].strip())
        if finding.key in index:
            entries[index[finding.key]] = entry
        else:
            index[finding.key] = len(entries)
            entries.append(entry)
    save_verdicts(verdicts_file, entries)
    print(f"{verdicts_file}: {len(entries)} verdict(s)")
    return 1 if problems else 0


def write_report(findings: Sequence[Finding], sample: Mapping[str, List[Finding]], verdicts: Mapping[str, Verdict],
                 rules: Mapping[str, Rule], code: Path, doc: Optional[Path], round_: Round = ROUNDS[FIRST_ROUND],
                 all_rules: bool = False, errors: Sequence[str] = ()) -> int:
    round_verdicts = verdicts_of_run(verdicts, round_, rules, all_rules)
    not_run = sum(1 for v in verdicts_of_run(verdicts, round_, {}, all_rules).values() if v.key not in round_verdicts)
    rows, gone = tabulate(findings, sample, round_verdicts, rules, round_.group_of)
    per_project = Counter(f.project for f in findings)
    outside = sum(1 for f in findings if f.key in round_verdicts) - sum(
        1 for group in sample.values() for f in group if f.key in round_verdicts)
    per_rule = round_.off_per_rule if all_rules else round_.per_rule
    listed = {row.rule.code for row in rows}
    if all_rules:
        coverage = ["Run with every rule enabled (`--select ALL`); only the off-by-default rules are counted. "
                    "Off-by-default rules with no finding on these projects: "
                    + (", ".join(c for c, r in sorted(rules.items()) if not r.default and c not in listed)
                       or "none") + ".", ""]
    else:
        coverage = ["Default-on and preview rules with no finding on these projects: "
                    + (", ".join(c for c, r in sorted(rules.items()) if r.default and c not in listed)
                       or "none") + ".", "",
                    "Off by default (not run with the default settings): "
                    + (", ".join(c for c, r in sorted(rules.items()) if not r.default) or "none") + ".", ""]
    per_group = " and group of projects" if round_.groups else ""
    body = [f"Code: logcheck at `{code_revision(code)}`; round `{round_.name}`; seed `{round_.seed}`; "
            f"up to {per_rule} findings per rule{per_group}{'; preview on' if round_.preview else ''}.", "",
            render_table(rows, round_.acceptance), "", *coverage,
            "Findings per project: " + ", ".join(f"{name} {version}: {per_project[name]}"
                                                 for name, version in round_.projects.items()) + ".", ""]
    if errors:
        body += [f"logcheck crashed on {len(errors)} file(s) (their findings are missing from the table):", "",
                 *(f"- {e}" for e in errors), ""]
    if outside:
        body += [f"{outside} stored verdict(s) are on findings still reported but no longer in the sample "
                 "(not counted).", ""]
    if not_run:
        body += [f"{not_run} stored verdict(s) of this round are on rules this run does not run "
                 f"({'on' if all_rules else 'off'} by default; not counted).", ""]
    if gone:
        by_code = Counter(v.code for v in gone)
        body += [f"<details><summary>Gone: {len(gone)} stored verdict(s) whose finding the current code no "
                 "longer reports, not counted (" + ", ".join(f"{c} {n}" for c, n in sorted(by_code.items()))
                 + ")</summary>", ""]
        body += [f"- `{v.key}` ({v.verdict})" for v in gone]
        body += ["", "</details>", ""]
    text = "\n".join(body)
    print(text)
    if doc is not None:
        begin, end = round_.markers(all_rules)
        doc.write_text(replace_between_markers(doc.read_text(encoding="utf-8"), text, begin, end), encoding="utf-8")
        print(f"wrote the table of round {round_.name} into {doc}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--sample", action="store_true", help="print the sampled findings that have no verdict yet")
    mode.add_argument("--add-verdicts", type=Path, metavar="FILE",
                      help="record verdicts from FILE, lines `ID true|false|debatable reason`")
    mode.add_argument("--report", action="store_true", help="per-rule precision; writes the table into the doc")
    p.add_argument("--code", type=Path, default=REPO, help="checkout whose logcheck is run (default: this one)")
    p.add_argument("--cache", type=Path, help="corpus cache folder (default: bench/corpus.py's)")
    p.add_argument("--no-doc", action="store_true", help="with --report, do not write docs/precision.md")
    p.add_argument("--reuse", action="store_true",
                   help="use the findings of the last run if it ran the same committed `logcheck/` package")
    p.add_argument("--round", dest="rounds", action="append", choices=sorted(ROUNDS), metavar="NAME",
                   help=f"the round(s) to run (repeatable; default: every round): {', '.join(ROUNDS)}")
    mode.add_argument("--ruff-recall", action="store_true",
                      help="how many of ruff's G/LOG/T20 findings logcheck reports on the round's projects")
    p.add_argument("--misses", type=Path, metavar="FILE",
                   help="with --ruff-recall, write the ruff findings logcheck misses to FILE (JSON)")
    p.add_argument("--all-rules", action="store_true",
                   help="run with every rule enabled and sample only the off-by-default rules "
                        "(rounds whose protocol samples them)")
    ns = p.parse_args(argv)
    cache = ns.cache or corpus.default_cache()
    rules = load_rules(ns.code)
    verdicts = load_verdicts(VERDICTS_FILE)
    if ns.ruff_recall:
        return max(ruff_recall(r, cache, ns.code, ns.misses) for r in selected_rounds(ns.rounds))
    status, every_finding = 0, []
    for round_ in selected_rounds(ns.rounds, ns.all_rules):
        findings, roots, errors = collect(ns.code, cache, ns.reuse, round_, ns.all_rules)
        if ns.all_rules:
            findings = off_by_default(findings, rules)
        every_finding += findings
        sample = draw_sample(findings, round_.off_per_rule if ns.all_rules else round_.per_rule, round_.seed,
                             round_.group_of)
        if ns.sample:
            print(f"# round {round_.name}{' (off-by-default rules)' if ns.all_rules else ''}")
            status |= show_sample(sample, verdicts, roots, rules)
        elif ns.report:
            status |= write_report(findings, sample, verdicts, rules, ns.code, None if ns.no_doc else DOC_FILE,
                                   round_, ns.all_rules, errors)
    if ns.add_verdicts:  # an ID may be of any selected round
        status |= add_verdicts(ns.add_verdicts, every_finding, VERDICTS_FILE)
    return status


def selected_rounds(names: Optional[Sequence[str]], all_rules: bool = False) -> List[Round]:
    """The rounds named on the command line (every round when none is), in the order of
    ROUNDS; with `all_rules`, only those whose protocol samples the off-by-default rules."""
    wanted = [r for name, r in ROUNDS.items() if not names or name in names]
    if all_rules:
        wanted = [r for r in wanted if r.off_per_rule]
        if not wanted:
            raise SystemExit("--all-rules: none of the selected rounds samples the off-by-default rules")
    return wanted


if __name__ == "__main__":
    sys.exit(main())
