"""Schedules files over worker processes and collects their outcomes in a stable order.

Each worker handles one file end to end (read, pre-check, parse, check, fix, write), so the
parent never holds a syntax tree and only small picklable outcomes cross processes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

# `engine` and `registry` (and with them libcst and every rule) are imported only when a
# file is actually checked, so a run answered entirely from the cache starts cheaply.
from logcheck.diagnostics import PARSE_ERROR_CODE, PARSE_ERROR_NAME, Diagnostic
from logcheck.rules.selection import codes_for
from logcheck.settings.model import Settings
from logcheck.workspace.files import ReadResult, WriteError, atomic_write, named_config, read_file
from logcheck.workspace.schedule import ProjectQueue, project_keys

CHECK, FIX, DIFF = "check", "fix", "diff"


@dataclass(frozen=True)
class Job:
    path: Path
    display: str
    settings: Settings
    explicit: bool = False
    #: why the path cannot be read, known before reading it (files.Target.problem)
    problem: Optional[str] = None


@dataclass(frozen=True)
class Options:
    mode: str = CHECK
    unsafe_fixes: bool = False
    #: compute each fix's text edits (JSON/SARIF/editor output)
    want_edits: bool = False
    #: record the content digest of each file checked (for the result cache)
    want_digest: bool = False


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
    #: the file could not be read: its only diagnostic is an LC000 "cannot read"
    unreadable: bool = False
    #: lines analysed
    lines: int = 0
    #: the fixed file's bytes, when fixing source that has no file to write to (stdin)
    fixed_bytes: Optional[bytes] = None
    #: digest of the bytes that were checked (Options.want_digest), the cache key's content part
    digest: bytes = b""
    #: project files the findings depend on (see `cache.Entry.dependencies`)
    dependencies: Tuple[str, ...] = ()
    #: the file's stat when the checked bytes were read (Options.want_digest): the result
    #: cache's stat index records it, so an unchanged file is not read next time
    stamp: Optional[Tuple[int, int]] = None
    #: answered from the result cache (for --verbose)
    from_cache: bool = False


def _cannot_read(outcome: FileOutcome, reason: str) -> FileOutcome:
    """A file that was to be checked and cannot be: a finding, never a silent pass."""
    outcome.diagnostics = [Diagnostic(outcome.display, PARSE_ERROR_CODE, PARSE_ERROR_NAME, f"cannot read: {reason}",
                                      1, 1, 1, 1)]
    outcome.unreadable = True
    return outcome


def check_file(job: Job, options: Options) -> FileOutcome:
    outcome = FileOutcome(job.display)
    if job.problem is not None:
        return _cannot_read(outcome, job.problem)
    try:
        read = read_file(job.path)
    except OSError as exc:
        return _cannot_read(outcome, exc.strerror or str(exc))
    if options.want_digest:
        from logcheck.workspace.cache import content_digest

        outcome.digest = content_digest(read.data)
        outcome.stamp = read.stamp
    if job.path.suffix not in (".py", ".pyi") and not _looks_like_python(job.path, read.data):
        from logcheck.workspace.config_files import check_config_file

        outcome.diagnostics, messages = check_config_file(job.display, read.data, job.settings,
                                                          named=named_config(job.path, job.settings))
        outcome.errors.extend(messages)
        return outcome
    from logcheck.rules import registry

    codes = codes_for(job.settings, job.path)
    rules = registry.rules_for(codes)
    return run_source(job.display, read, rules, job.settings, options, write_to=job.path, outcome=outcome)


def _looks_like_python(path: Path, data: bytes) -> bool:
    """Extension-less scripts with a python shebang are Python too."""
    return path.suffix == "" and data.startswith(b"#!") and b"python" in data.split(b"\n", 1)[0]


def run_source(display: str, read: ReadResult, rules, settings: Settings, options: Options,
               write_to: Optional[Path] = None, outcome: Optional[FileOutcome] = None) -> FileOutcome:
    """Check (and in FIX/DIFF mode fix) one file's bytes."""
    # here: a run answered from the cache never needs them (nor libcst, nor the rules)
    from logcheck.lint import check as lint
    from logcheck.lint.suppression import disable_file_directives
    from logcheck.semantics.root_exports import root_exports_for
    from logcheck.source.astfacts import facts_of
    from logcheck.source.parse import parse_error
    from logcheck.source.precheck import precheck_for
    from logcheck.source.text import DecodeError, decode_source

    outcome = outcome or FileOutcome(display)
    outcome.lines = read.data.count(b"\n") + 1
    check = precheck_for(rules, settings.logger_names)
    if not check.may_match(read.data) and not _has_bad_bytes(read.data) and _interpreter_accepts(read.data, display):
        # no rule can report here; the interpreter's own parser (~10x cheaper than libcst)
        # still makes sure a syntax error is reported (LC000) rather than skipped
        return outcome
    gate_dependencies: Tuple[str, ...] = ()
    tree = None
    if check.gated_only(read.data) and not _has_bad_bytes(read.data):
        tree = _interpreter_ast(read.data, display)
        if tree is not None:
            # what the project's modules export, for a gate that follows an import
            exports = root_exports_for(Path(display), settings) if display != "-" else None
            facts = facts_of(tree, exports, Path(display) if display != "-" else None)
            may_report = _rules_gates_admit(rules, facts, settings)  # one ast pass for every gate
            consulted = set(facts.dependencies) | (exports.consulted if exports is not None else set())
            gate_dependencies = tuple(str(p) for p in sorted(consulted))
            if not may_report:
                outcome.dependencies = gate_dependencies
                return outcome
            if options.mode == CHECK:
                # the others certainly report nothing here; a fix changes the source, and
                # what it makes is checked by every rule
                rules = may_report
    try:
        source = decode_source(read.data)
    except DecodeError as exc:
        outcome.diagnostics.append(parse_error(display, f"cannot decode: {exc}",
                                                      getattr(exc, "row", 1), getattr(exc, "col", 1)))
        return outcome
    if "disable-file" in source.text:
        for row in disable_file_directives(source.text)[1]:
            outcome.errors.append(f"{display}:{row}: `# logcheck: disable-file` below the first statement is ignored; "
                                  "put it in the file's header (comments, docstring, imports)")
    if options.mode == CHECK:
        result = lint.check_source(display, source, rules, settings, tree=tree)
        outcome.diagnostics = lint.with_fix_edits(result) if options.want_edits else result.diagnostics
        outcome.dependencies = tuple(dict.fromkeys(result.dependencies + gate_dependencies))
        return outcome
    fixed = lint.fix_source(display, source, rules, settings, unsafe=options.unsafe_fixes)
    outcome.errors.extend(f"{display}:{msg} [{code}]" for code, msg in fixed.failed)
    remaining = fixed.result
    outcome.diagnostics = lint.with_fix_edits(remaining) if options.want_edits else remaining.diagnostics
    if fixed.text == source.text:
        return outcome
    outcome.fixed = fixed.applied
    if options.mode == DIFF:
        import difflib

        outcome.diff = "".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), fixed.text.splitlines(keepends=True),
            fromfile=_diff_name("a", display), tofile=_diff_name("b", display)))
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
        result = lint.check_source(display, source, rules, settings)
        outcome.diagnostics = result.diagnostics
    return outcome


def _rules_gates_admit(rules, facts, settings) -> Tuple:
    """The rules whose `ast_gate` says they may report on the file with these facts (a
    file that is `gated_only` holds no needle of a rule without a gate). Rules sharing a
    gate (the LC5xx rules) ask it once."""
    verdicts: Dict[object, bool] = {}
    admitted = []
    for rule in rules:
        gate = rule.ast_gate
        if gate is None:
            continue
        if gate not in verdicts:
            verdicts[gate] = bool(gate(facts, settings))
        if verdicts[gate]:
            admitted.append(rule)
    return tuple(admitted)


def _interpreter_accepts(data: bytes, display: str) -> bool:
    """Whether the running interpreter parses the file. Its symbol table is built from the
    parser's tree without making Python objects of it (the ast's cost; about 0.55 of
    `_interpreter_ast` on the corpus). False (a syntax error, or one of the few errors
    the symbol table adds, such as a module-level `nonlocal`) sends the file down the full
    path, where libcst decides whether it is an LC000."""
    import symtable

    try:
        symtable.symtable(data, display, "exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def _interpreter_ast(data: bytes, display: str):
    """The running interpreter's ast of the file, or None when it does not parse it: None
    sends the file down the full path, where libcst (which also knows newer syntax)
    decides whether it is an LC000."""
    import ast

    try:
        return compile(data, display, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _diff_name(side: str, display: str) -> str:
    """git-style `a/path` for relative paths; absolute paths are shown as they are."""
    return display if display.startswith("/") else f"{side}/{display}"


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


def run(jobs: Sequence[Job], options: Options, workers: int = 0, cache=None,
        before_work: Optional[Callable[[], None]] = None,
        progress: Optional[Callable[[int], None]] = None) -> List[FileOutcome]:
    """Check every job; results in the order of `jobs`.

    With a `cache` (logcheck.workspace.cache.ResultCache), files whose key is in the cache are
    answered from it without parsing, and the others' results are stored (check mode
    only; in fix/diff mode a cached clean result still skips the file: nothing to fix).
    `before_work` runs once before the first file is actually checked (or when there is
    no file at all): the CLI validates the configuration's codes there, which needs the
    rule registry, so a fully cached run never imports it. `progress(done)` is called as
    files finish (cached ones count as done from the start)."""
    results: List[Optional[FileOutcome]] = [None] * len(jobs)
    if cache is not None:
        from logcheck.workspace.cache import content_digest, entry_key, stat_locator

        options = replace(options, want_digest=True)
        digests: Dict[str, Optional[bytes]] = {}
        # an empty cache (a first run) answers nothing: its files are not read here
        for i, job in enumerate(jobs if len(cache) else ()):
            # a file whose size and modification time are those its last result was
            # stored under is not read at all; otherwise its content decides (a `touch` or
            # a fresh checkout still hits)
            try:
                st = os.stat(job.path)
            except OSError:
                continue  # the worker reports it
            stat = (st.st_size, st.st_mtime_ns)
            locator = stat_locator(job.settings, job.path, job.display, options.want_edits)
            key = cache.key_for_stat(locator, stat)
            entry = cache.get(key) if key is not None else None
            if entry is None:
                try:
                    with open(job.path, "rb") as handle:
                        data = handle.read()
                except OSError:
                    continue
                key = entry_key(job.settings, job.path, job.display, content_digest(data), options.want_edits)
                entry = cache.get(key)
                if entry is not None:
                    cache.record_stat(locator, stat, key)
            if entry is None or (options.mode != CHECK and (entry.diagnostics or entry.errors)) \
                    or not entry.dependencies_unchanged(digests):
                continue
            results[i] = FileOutcome(job.display, list(entry.diagnostics), errors=list(entry.errors), lines=entry.lines,
                                     from_cache=True)
    todo = [i for i, r in enumerate(results) if r is None]
    if before_work is not None and (todo or not jobs):
        before_work()
    cached = len(jobs) - len(todo)
    report = (lambda n: progress(cached + n)) if progress is not None else None
    # outcomes are stored as they arrive, while the workers go on with the rest
    for n, outcome in enumerate(_run_jobs([jobs[i] for i in todo], options, workers, report)):
        i = todo[n]
        results[i] = outcome
        if cache is not None and options.mode == CHECK and outcome.fixed == 0 and outcome.digest:
            from logcheck.semantics.purpose import manifest_files
            from logcheck.workspace.cache import Entry, dependency_digests, entry_key, stat_locator

            job = jobs[i]
            key = entry_key(job.settings, job.path, job.display, outcome.digest, options.want_edits)
            depends = tuple(outcome.dependencies) + manifest_files(job.path)  # the entry points too
            cache.put(key, Entry(tuple(outcome.diagnostics), tuple(outcome.errors), outcome.lines,
                                 dependency_digests(depends, digests)))
            if outcome.stamp is not None:
                cache.record_stat(stat_locator(job.settings, job.path, job.display, options.want_edits),
                                  outcome.stamp, key)
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def _run_jobs(jobs: Sequence[Job], options: Options, workers: int = 0,
              progress: Optional[Callable[[int], None]] = None) -> Iterator[FileOutcome]:
    """The outcomes of `jobs`, in their order, each as soon as it and those before it are
    done."""
    workers = workers or os.cpu_count() or 1
    done = 0
    if workers <= 1 or len(jobs) < 8:
        for job in jobs:
            yield _guarded(job, options)
            done += 1
            if progress is not None:
                progress(done)
        return
    # batches: few enough to keep inter-process traffic low, many enough to balance load;
    # each worker stays with a project while it has batches (`schedule.py`)
    size = max(1, min(64, len(jobs) // (workers * 8)))
    queue = ProjectQueue(project_keys([job.path for job in jobs], _project_of), size)
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # multiprocessing is slow to import

    finished: Dict[int, List[FileOutcome]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # one batch in flight per worker: the worker a batch ends on is the one idle, and
        # takes the batch submitted next (the same project's)
        running = {}
        for _ in range(workers):
            batch = queue.take()
            if batch is not None:
                running[pool.submit(_check_chunk, (jobs[batch.start:batch.stop], options))] = batch
        while running:
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in ended:
                batch = running.pop(future)
                finished[batch.start] = future.result()
                following = queue.take(batch)
                if following is not None:
                    running[pool.submit(_check_chunk, (jobs[following.start:following.stop], options))] = following
            # outcomes in the order of `jobs`, as soon as those before them are in
            while done in finished:
                outcomes = finished.pop(done)
                yield from outcomes
                done += len(outcomes)
                if progress is not None:
                    progress(done)


def _project_of(path: Path) -> Path:
    """The project a file's call graph and project index belong to (`callgraph.graph_for`)."""
    from logcheck.semantics.callgraph import project_root
    from logcheck.semantics.modules import package_root

    return project_root(package_root(path)[0])
