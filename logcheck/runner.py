"""Schedules files over worker processes and collects their outcomes in a stable order.

Each worker handles one file end to end (read, pre-check, parse, check, fix, write), so the
parent never holds a syntax tree and only small picklable outcomes cross processes.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from logcheck import engine, registry
from logcheck.diagnostics import Diagnostic
from logcheck.files import ReadResult, Target, WriteError, atomic_write, read_file
from logcheck.settings import Settings

CHECK, FIX, DIFF = "check", "fix", "diff"


@dataclass(frozen=True)
class Job:
    path: Path
    display: str
    settings: Settings
    explicit: bool = False


@dataclass(frozen=True)
class Options:
    mode: str = CHECK
    unsafe_fixes: bool = False
    #: compute each fix's text edits (JSON/SARIF/editor output)
    want_edits: bool = False


@dataclass
class FileOutcome:
    display: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    #: number of fixes applied (FIX) or that would be applied (DIFF)
    fixed: int = 0
    #: unified diff of the fix (DIFF mode)
    diff: str = ""
    #: one-line messages for problems that are not findings (unwritable file, skipped file,
    #: a fix dropped because its output did not compile)
    errors: List[str] = field(default_factory=list)
    #: lines analysed
    lines: int = 0
    #: the fixed file's bytes, when fixing source that has no file to write to (stdin)
    fixed_bytes: Optional[bytes] = None


def check_file(job: Job, options: Options) -> FileOutcome:
    outcome = FileOutcome(job.display)
    try:
        read = read_file(job.path)
    except OSError as exc:
        outcome.errors.append(f"{job.display}: cannot read: {exc.strerror or exc}")
        return outcome
    if job.path.suffix not in (".py", ".pyi") and not _looks_like_python(job.path, read.data):
        from logcheck.config_files import check_config_file

        outcome.diagnostics, messages = check_config_file(job.display, read.data, job.settings)
        outcome.errors.extend(messages)
        return outcome
    codes = job.settings.codes_for(job.path)
    rules = registry.rules_for(codes)
    return run_source(job.display, read, rules, job.settings, options, write_to=job.path, outcome=outcome)


def _looks_like_python(path: Path, data: bytes) -> bool:
    """Extension-less scripts with a python shebang are Python too."""
    return path.suffix == "" and data.startswith(b"#!") and b"python" in data.split(b"\n", 1)[0]


def run_source(display: str, read: ReadResult, rules, settings: Settings, options: Options,
               write_to: Optional[Path] = None, outcome: Optional[FileOutcome] = None) -> FileOutcome:
    """Check (and in FIX/DIFF mode fix) one file's bytes."""
    outcome = outcome or FileOutcome(display)
    outcome.lines = read.data.count(b"\n") + 1
    needles = engine.needles_for(rules, settings.logger_names)
    if not engine.may_match(read.data, needles) and not _has_bad_bytes(read.data):
        return outcome
    try:
        source = engine.decode_source(read.data)
    except engine.DecodeError as exc:
        outcome.diagnostics.append(engine.parse_error(display, f"cannot decode: {exc}"))
        return outcome
    if options.mode == CHECK:
        result = engine.check_source(display, source, rules, settings)
        outcome.diagnostics = engine.with_fix_edits(result) if options.want_edits else result.diagnostics
        return outcome
    fixed = engine.fix_source(display, source, rules, settings, unsafe=options.unsafe_fixes)
    outcome.errors.extend(f"{display}:{msg} [{code}]" for code, msg in fixed.failed)
    remaining = fixed.result
    outcome.diagnostics = engine.with_fix_edits(remaining) if options.want_edits else remaining.diagnostics
    if fixed.text == source.text:
        return outcome
    outcome.fixed = fixed.applied
    if options.mode == DIFF:
        import difflib

        outcome.diff = "".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), fixed.text.splitlines(keepends=True),
            fromfile=f"a/{display}", tofile=f"b/{display}"))
        return outcome
    new_bytes = source.encode(fixed.text)
    if write_to is None:
        outcome.fixed_bytes = new_bytes  # stdin: the caller prints the fixed source
        return outcome
    try:
        atomic_write(write_to, new_bytes, expected=read)
    except WriteError as exc:
        outcome.errors.append(f"{display}: {exc}")
        outcome.fixed = 0
        # report what is still there, as in the original
        result = engine.check_source(display, source, rules, settings)
        outcome.diagnostics = result.diagnostics
    return outcome


def _has_bad_bytes(data: bytes) -> bool:
    """Files that fail to decode must be reported even when no rule could match them."""
    if b"\0" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _check_chunk(args: Tuple[Sequence[Job], Options]) -> List[FileOutcome]:
    jobs, options = args
    return [_guarded(job, options) for job in jobs]


def _guarded(job: Job, options: Options) -> FileOutcome:
    try:
        return check_file(job, options)
    except Exception as exc:  # a bug in logcheck must not stop the run
        import traceback

        out = FileOutcome(job.display)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        out.errors.append(f"{job.display}: internal error: {type(exc).__name__}: {exc} "
                          f"(at {Path(where.filename).name}:{where.lineno}); please report it")
        out.diagnostics = []
        out.fixed = -1
        return out


def run(jobs: Sequence[Job], options: Options, workers: int = 0) -> List[FileOutcome]:
    """Check every job; results in the order of `jobs`."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 8:
        return [_guarded(job, options) for job in jobs]
    # batches: few enough to keep inter-process traffic low, many enough to balance load
    size = max(1, min(64, len(jobs) // (workers * 8)))
    chunks = [(jobs[i:i + size], options) for i in range(0, len(jobs), size)]
    out: List[FileOutcome] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for outcomes in pool.map(_check_chunk, chunks):
            out.extend(outcomes)
    return out
