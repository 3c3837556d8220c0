"""Differential fix testing: run a program and its `logcheck --fix`ed copy, compare behaviour.

The oracle is execution, never logcheck's own code. For every case (a folder of generated
modules, `app.py` being the program):

1. the case is written twice, `original/<case>` and `fixed/<case>`, and one
   `python -m logcheck --fix --no-cache fixed/` (safe fixes only, a real subprocess, every
   case of the batch in one run) rewrites the second copy;
2. each copy runs in its own interpreter (`RUNNER`): a capturing handler is added to the
   root logger (level DEBUG) *before* `app` is imported, `logging.lastResort` is left as it
   is, an exception escaping the import is caught and recorded (type and text, not the
   traceback, whose line numbers a fix may move);
3. `compare()` checks, record by record, logger name, level, `getMessage()` (or the error
   it raised), the exception's type and text, `exc_info` when it is not a tuple (`0`,
   `False`, `None`), then stdout and stderr bytes and the exit
   status. A difference passes only when it is an `Announced` one, i.e. a rule page says a
   safe fix makes it (the page text is quoted, and tests check the quote is on the page).

Paths of the two copies differ, so the case folder's path is replaced by `<case>` in all
output before comparing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

#: the program a case runs in: argv = case folder, module name, result file
RUNNER = r'''
import json, logging, sys

case_dir, module, result_path = sys.argv[1:4]
records = []


class Capture(logging.Handler):
    def emit(self, record):
        try:
            message, message_error = record.getMessage(), None
        except Exception as exc:
            message, message_error = None, f"{type(exc).__name__}: {exc}"
        exc = record.exc_info[1] if record.exc_info else None
        records.append({
            "name": record.name, "level": record.levelname, "message": message,
            "message_error": message_error,
            "exception": None if exc is None else f"{type(exc).__name__}: {exc}",
            "exc_info_value": None if isinstance(record.exc_info, tuple) else repr(record.exc_info),
        })


root = logging.getLogger()
root.addHandler(Capture())
root.setLevel(logging.DEBUG)


def exception_text(exc):
    return None if exc is None else f"{type(exc).__name__}: {exc}"


libraries = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else []
if "loguru" in libraries:
    # every record captured by a patcher (it runs for each record whatever the program does
    # with its sinks); loguru's default sink made deterministic by LOGURU_FORMAT (run_program)
    from loguru import logger as loguru_logger

    def loguru_capture(r):
        exc = r["exception"]
        records.append({"name": r["name"], "level": r["level"].name, "message": r["message"], "message_error": None,
                        "exception": exception_text(exc.value if exc is not None else None),
                        "extra": json.dumps(r["extra"], sort_keys=True, default=repr)})

    loguru_logger.configure(patcher=loguru_capture)
if "structlog" in libraries:
    import structlog

    def structlog_capture(logger, method, event_dict):
        data = dict(event_dict)
        exc = data.pop("exc_info", None)
        if isinstance(exc, tuple):
            exc = exc[1]
        elif not isinstance(exc, BaseException):  # structlog: any other true value is the current one
            exc = sys.exc_info()[1] if exc else None
        records.append({"name": "structlog", "level": method, "message": str(data.pop("event", None)),
                        "message_error": None,
                        "exception": exception_text(exc if isinstance(exc, BaseException) else None),
                        "extra": json.dumps(data, default=repr)})  # in the call's order
        # the record is compared field by field; a renderer's line would only repeat it
        raise structlog.DropEvent

    structlog.configure(processors=[structlog_capture], logger_factory=structlog.PrintLoggerFactory(sys.stdout))
sys.path.insert(0, case_dir)
uncaught = None
try:
    __import__(module)
except Exception as exc:
    uncaught = f"{type(exc).__name__}: {exc}"
sys.stdout.flush()
sys.stderr.flush()
with open(result_path, "w", encoding="utf-8") as out:
    json.dump({"records": records, "uncaught": uncaught}, out)
sys.exit(3 if uncaught else 0)
'''

#: the program module of every case
PROGRAM = "app"
#: how the lines of loguru's default stderr sink start (its format set by LOGURU_FORMAT)
LOGURU_DEFAULT_SINK = "DEFAULT-SINK"


class HarnessError(Exception):
    """The harness itself could not do its job (a generated original that does not run,
    logcheck failing as a whole): never an expected failure."""


class BehaviourDiffers(AssertionError):
    """A fixed program behaves differently from its original."""


# ---------------------------------------------------------------------------- cases


Slot = Union[str, Tuple[str, ...]]


@dataclass(frozen=True)
class Family:
    """A template of generated programs: files whose `$slot`s are filled from `slots`.

    A slot key may be a tuple of names whose values are drawn together (a tuple per choice).
    `expect_fix`: logcheck must rewrite at least one case, else the family proves nothing
    about fixes (False where the exact answer may be no fix at all)."""

    name: str
    files: Mapping[str, str]
    slots: Mapping[Slot, Sequence[Union[str, Tuple[str, ...]]]] = field(default_factory=dict)
    encoding: str = "utf-8"
    newline: str = "\n"
    expect_fix: bool = True
    #: installed logging libraries the programs use (`loguru`, `structlog`): the runner then
    #: runs with site-packages and captures their records (level, message, extra, exception)
    libraries: Tuple[str, ...] = ()

    def generate(self, index: int, seed: int) -> "Case":
        """Case `index`: each slot walks through its choices in an order shuffled by `seed`, so
        that the first cases cover every choice of each slot (combinations vary)."""
        values: Dict[str, str] = {}
        for key, choices in self.slots.items():
            order = Random(f"{seed}:{self.name}:{key}").sample(list(choices), len(choices))
            choice = order[index % len(order)]
            if isinstance(key, tuple):
                values.update(zip(key, choice))
            else:
                values[key] = choice
        files = {}
        for rel, text in self.files.items():
            body = string.Template(_dedent(text)).substitute(values)
            files[rel] = body.replace("\n", self.newline).encode(self.encoding)
        return Case(self, files)


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@dataclass(frozen=True)
class Case:
    family: Family
    files: Mapping[str, bytes]

    def write(self, folder: Path) -> None:
        for rel, data in self.files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # each case is a project of its own: imports resolve inside it, not across cases
        (folder / "pyproject.toml").write_text(f'[project]\nname = "{folder.name}"\nversion = "0"\n')


def generate(families: Sequence[Family], per_family: int, seed: int) -> List[Case]:
    """`per_family` cases of each family; the same seed always gives the same cases."""
    return [family.generate(index, seed) for family in families for index in range(per_family)]


# ---------------------------------------------------------------------------- behaviour


@dataclass(frozen=True)
class Behaviour:
    records: Tuple[Mapping[str, Optional[str]], ...]
    uncaught: Optional[str]
    stdout: bytes
    stderr: bytes
    status: int


def run_program(case_dir: Path, timeout: float = 30.0, libraries: Sequence[str] = ()) -> Behaviour:
    """Run the case's program in a fresh interpreter and record what it did (without
    site-packages unless the program uses installed `libraries`)."""
    result = case_dir.parent / f"{case_dir.name}.result.json"
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
           "PYTHONDONTWRITEBYTECODE": "1", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
    site = [] if libraries else ["-S"]
    if "loguru" in libraries:
        # the default sink (level DEBUG) without a time stamp, its lines recognisable
        env.update(LOGURU_FORMAT=f"{LOGURU_DEFAULT_SINK} | {{level}} | {{message}}")
    proc = subprocess.run([sys.executable, *site, "-c", RUNNER, str(case_dir), PROGRAM, str(result),
                           ",".join(libraries)], cwd=case_dir, env=env, capture_output=True, timeout=timeout)
    try:
        data = json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"records": [], "uncaught": "the program ended before the runner wrote its result"}
    prefix = str(case_dir)

    def norm(text):
        return text.replace(prefix, "<case>") if isinstance(text, str) else text

    records = tuple({k: norm(v) for k, v in r.items()} for r in data["records"])
    return Behaviour(records, norm(data["uncaught"]), proc.stdout.replace(prefix.encode(), b"<case>"),
                     proc.stderr.replace(prefix.encode(), b"<case>"), proc.returncode)


# ---------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Announced:
    """A difference a rule page announces for its safe fix (`quote` is text of that page)."""

    page: str
    quote: str
    field: str
    allows: Callable[[Optional[str], Optional[str]], bool]


RECORD_FIELDS = ("name", "level", "message", "message_error", "exception", "extra", "exc_info_value")
#: an announced difference of the whole record (its `allows` gets both records): the fields
#: it may change
RECORD = "record"
RECORD_FIELDS_ANNOUNCED = ("message", "extra", "exception")


def compare(before: Behaviour, after: Behaviour, announced: Sequence[Announced]) -> List[str]:
    """Every difference between two runs that no announced difference allows (empty: same)."""
    problems = []
    if len(before.records) != len(after.records):
        problems.append(f"{len(before.records)} records before, {len(after.records)} after")
    for index, (old, new) in enumerate(zip(before.records, after.records)):
        whole = any(x.field == RECORD and x.allows(old, new) for x in announced)
        for name in RECORD_FIELDS:
            if whole and name in RECORD_FIELDS_ANNOUNCED:
                continue
            a, b = old.get(name), new.get(name)
            if a != b and not any(x.field == name and x.allows(a, b) for x in announced):
                problems.append(f"record {index} {name}: {a!r} before, {b!r} after")
    for name in ("uncaught", "stdout", "stderr", "status"):
        a, b = getattr(before, name), getattr(after, name)
        if a != b and not any(x.field == name and x.allows(a, b) for x in announced):
            problems.append(f"{name}: {a!r} before, {b!r} after")
    return problems


# ---------------------------------------------------------------------------- fixing


def logcheck_fix(root: Path, timeout: float = 600.0) -> Dict[str, str]:
    """`logcheck --fix` (safe fixes only) over every case under `root` in one run; returns the
    per-case errors logcheck printed (`logcheck: <case>/<file>: ...`). Raises HarnessError
    when logcheck fails in a way no case explains."""
    proc = subprocess.run([sys.executable, "-m", "logcheck", "--fix", "--preview", "--no-cache", "--quiet", str(root)],
                          cwd=root, capture_output=True, text=True, timeout=timeout)
    errors: Dict[str, str] = {}
    unexplained = []
    for line in proc.stderr.splitlines():
        match = re.match(r"logcheck: (.+?): (.*)$", line)
        path = Path(match.group(1)) if match else None
        if path is not None and (root / path).resolve().is_relative_to(root.resolve()):
            rel = (root / path).resolve().relative_to(root.resolve())
            errors[rel.parts[0]] = f"{Path(*rel.parts[1:])}: {match.group(2)}"
        elif line.strip():
            unexplained.append(line)
    if (proc.returncode not in (0, 1) and not errors) or unexplained:
        raise HarnessError(f"logcheck --fix exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return errors


@dataclass
class Outcome:
    case: Case
    folder: str
    fixed_files: Mapping[str, bytes]
    before: Behaviour
    after: Behaviour
    differences: List[str]

    @property
    def changed(self) -> bool:
        return dict(self.fixed_files) != dict(self.case.files)

    def reproducer(self) -> str:
        """The minimal story of this case: sources before and after the fix, and what differs."""
        out = [f"case {self.folder} ({self.case.family.name})"]
        for rel, data in self.case.files.items():
            fixed = self.fixed_files.get(rel, b"")
            if fixed == data and rel != f"{PROGRAM}.py":
                continue
            out.append(f"--- {rel} before:\n{data.decode(self.case.family.encoding)}")
            if fixed != data:
                out.append(f"--- {rel} after --fix:\n{fixed.decode(self.case.family.encoding, 'replace')}")
        out.append("--- behaviour differences:\n" + "\n".join(self.differences))
        return "\n".join(out)


def run_cases(cases: Sequence[Case], work: Path, announced: Sequence[Announced], jobs: int = 2) -> List[Outcome]:
    """Write, fix (one logcheck run), execute and compare every case."""
    original, fixed = work / "original", work / "fixed"
    for root in (original, fixed):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    names = [f"case_{i:04d}" for i in range(len(cases))]
    for name, case in zip(names, cases):
        case.write(original / name)
        case.write(fixed / name)
    errors = logcheck_fix(fixed)

    def one(item: Tuple[str, Case]) -> Outcome:
        name, case = item
        before = run_program(original / name, libraries=case.family.libraries)
        if before.status != 0 or before.uncaught or not (before.records or before.stdout or before.stderr):
            raise HarnessError(f"generated original {name} ({case.family.name}) does not run cleanly: "
                               f"{before.uncaught or before.stderr.decode(errors='replace')[-2000:]}\n"
                               + case.files[f"{PROGRAM}.py"].decode(case.family.encoding))
        after = run_program(fixed / name, libraries=case.family.libraries)
        fixed_files = {rel: (fixed / name / rel).read_bytes() for rel in case.files}
        differences = compare(before, after, announced)
        if name in errors:
            differences.insert(0, f"logcheck error: {errors[name]}")
        return Outcome(case, name, fixed_files, before, after, differences)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, zip(names, cases)))
