"""Command line: argument parsing only. Builds Settings and Options, calls the runner,
hands the diagnostics to a writer, and turns the outcome into an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from logcheck import __version__
from logcheck.errors import ConfigError
from logcheck.rules.selection import codes_for, enabled_codes

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SUBCOMMANDS = ("rule", "rules", "policy", "server")
#: formats meant for programs: no progress bar, no --statistics
TEXT_FORMATS = ("text", "concise")
NOTHING_FOUND = "No Python files found under the given path(s)"


def _codes(value: str) -> List[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def _per_file_ignore(value: str) -> Tuple[str, Tuple[str, ...]]:
    pattern, sep, codes = value.rpartition(":")
    if not sep or not pattern or not _codes(codes):
        raise argparse.ArgumentTypeError(f"expected PATTERN:CODES (e.g. 'tests/*:LC401'), got {value!r}")
    return pattern, tuple(_codes(codes))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="logcheck",
        description="Lint and fix logging design in Python code and logging configuration.",
        usage="logcheck [check] [PATH ...] [options]",
        epilog="`logcheck check [PATH ...]` is the same as `logcheck [PATH ...]`. Subcommands: "
               "`logcheck rule LCnnn` (or a peer code such as G004) prints a rule's page; `logcheck rules` lists "
               "all rules and the peer codes they stand for; `logcheck policy [PATH]` prints the effective logging "
               "policy. Exit status: 0 clean, 1 findings, 2 usage, configuration or internal error.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check (default: .); - reads stdin (also when only --stdin-filename is given)")
    p.add_argument("--fix", action="store_true", help="apply safe fixes")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff, apply unsafe fixes too; in a check, mark them [*] as available")
    p.add_argument("--diff", action="store_true", help="print the diff --fix would make; write nothing")
    p.add_argument("--select", type=_codes, metavar="CODES",
                   help="comma-separated codes or prefixes to enable (replaces the config); peer codes such as G004 "
                        "stand for their LC rule")
    p.add_argument("--ignore", type=_codes, metavar="CODES", help="comma-separated codes or prefixes to disable")
    p.add_argument("--extend-select", type=_codes, default=[], metavar="CODES", help="codes to enable in addition")
    p.add_argument("--per-file-ignores", type=_per_file_ignore, action="append", metavar="PATTERN:CODES",
                   help="disable CODES in files matching PATTERN (repeatable; replaces the config's table)")
    p.add_argument("--exclude", type=_codes, metavar="GLOBS", help="paths not to check (replaces the config and defaults)")
    p.add_argument("--extend-exclude", type=_codes, default=[], metavar="GLOBS",
                   help="paths not to check, in addition to `exclude`")
    p.add_argument("--force-exclude", action="store_true",
                   help="apply the excludes to paths named on the command line too (for pre-commit)")
    p.add_argument("--extend-allow-print", type=_codes, default=[], metavar="GLOBS",
                   help="files where print() is fine, in addition to `allow-print`")
    p.add_argument("--preset", metavar="NAME", help="policy preset for the logging configuration checks")
    p.add_argument("--config", type=Path, metavar="FILE", help="use this pyproject.toml (or TOML file) for every file")
    p.add_argument("--output-format", choices=("text", "concise", "json", "sarif", "github", "gitlab", "junit"))
    p.add_argument("--output-file", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when problems are found")
    p.add_argument("--statistics", action="store_true",
                   help="print counts per rule instead of each finding (text output only)")
    p.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    p.add_argument("--show-fixes", action="store_true", help="with --fix, list the files fixed and how many fixes each got")
    p.add_argument("--show-files", action="store_true", help="print the files that would be checked, and stop")
    p.add_argument("--show-settings", action="store_true",
                   help="print the settings in effect for the first PATH (default: .), and stop")
    p.add_argument("--stdin-filename", metavar="NAME",
                   help="name of the file read from stdin (for config and messages); without PATH, stdin is read")
    p.add_argument("--add-noqa", action="store_true",
                   help="add `# noqa: CODE` comments to every line with a finding (in INI files `; noqa` after the "
                        "section header; JSON has no comments)")
    p.add_argument("--write-baseline", type=Path, metavar="FILE", help="record the current findings in FILE (JSON) and exit 0")
    p.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings that are not recorded in FILE")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    p.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help="result cache folder (default: .logcheck_cache next to the nearest pyproject.toml)")
    p.add_argument("--version", action="version", version=f"logcheck {__version__}")
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["check"]:  # as `ruff check`; a folder named check is still `./check`
        argv = argv[1:]
    try:
        if argv and argv[0] in SUBCOMMANDS:
            return _subcommand(argv[0], argv[1:])
        return _check(build_parser().parse_args(argv))
    except ConfigError as exc:
        print(f"logcheck: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_CLEAN


def _subcommand(name: str, args: List[str]) -> int:
    from logcheck.lint import peers
    from logcheck.rules import registry
    from logcheck.rules.pages import page_text

    if name == "server":
        from logcheck.interfaces.server import main as server_main

        return server_main(args)
    if name == "rules":
        table = registry.all_rules()
        print(f"{'code':7} {'name':34} {'default':8} {'fix':7} families")
        for code, rule in table.items():
            covered = ", ".join(registry.covered_families(rule)) or "-"
            print(f"{code:7} {rule.name:34} {'on' if rule.default else 'off':8} {rule.fix:7} {covered}")
        print()
        print("Peer codes (accepted in `# noqa`, `# pylint: disable`, --select, --ignore and `logcheck rule`):")
        for code, label, lc, note in peers.table_rows():
            print(f"{code:7} {lc:27} {label}{f'; {note}' if note else ''}")
        return EXIT_CLEAN
    if name == "rule":
        if len(args) != 1:
            print("logcheck: error: usage: logcheck rule LCnnn", file=sys.stderr)
            return EXIT_ERROR
        entry = peers.peer(args[0])
        codes = list(entry.lc) if entry is not None else [args[0].upper()]
        if any(code not in registry.all_rules() for code in codes):
            print(f"logcheck: error: unknown rule code `{args[0]}`", file=sys.stderr)
            return EXIT_ERROR
        if entry is not None:
            print(f"logcheck: note: {peers.note(args[0])}", file=sys.stderr)
        sys.stdout.write("\n".join(page_text(code) for code in codes))
        return EXIT_CLEAN
    # policy
    from logcheck.workspace.settings_loader import Overrides, SettingsResolver

    parser = argparse.ArgumentParser(prog="logcheck policy")
    parser.add_argument("path", nargs="?", default=".")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--preset")
    ns = parser.parse_args(args)
    if not Path(ns.path).exists():
        print(f"logcheck: error: {ns.path}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    resolver = SettingsResolver(ns.config, Overrides(policy_preset=ns.preset))
    settings = resolver.for_path(Path(ns.path))
    sources = [str(settings.origin)] if settings.origin else []
    if ns.preset:
        sources.append(f"--preset {ns.preset}")
    print(f"# effective policy for {ns.path} ({'from ' + ' and '.join(sources) if sources else 'defaults'})")
    print("[tool.logcheck.policy]")
    for key, value in settings.policy.to_table().items():
        print(f"{key} = {_toml_value(value)}")
    return EXIT_CLEAN


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


def _usage_problem(ns: argparse.Namespace, fmt: str) -> Optional[str]:
    """The first combination of options that cannot work together (each would otherwise
    be silently ignored)."""
    if ns.fix and ns.diff:
        return "--fix and --diff cannot be used together"
    if ns.jobs < 0:
        return "--jobs must be 0 (all cores) or more"
    if (ns.add_noqa or ns.write_baseline) and (ns.fix or ns.diff):
        return "--add-noqa and --write-baseline cannot be combined with --fix or --diff"
    if (ns.add_noqa or ns.show_files) and _reads_stdin(ns):
        return f"{'--add-noqa' if ns.add_noqa else '--show-files'} needs files, not stdin"
    if ns.show_fixes and not ns.fix:
        return "--show-fixes lists what --fix changed; use it with --fix"
    if ns.statistics and (fmt != "text" or ns.diff):
        other = "--diff" if ns.diff else f"--output-format {fmt}"
        return f"--statistics prints a text table; it cannot be used with {other}"
    if (ns.show_files or ns.show_settings) and (ns.fix or ns.diff or ns.add_noqa or ns.write_baseline or ns.baseline):
        return "--show-files and --show-settings only print; they cannot be combined with --fix, --diff, " \
               "--add-noqa or the baseline options"
    if ns.output_file is not None and ns.diff:
        return "--diff prints the diff to stdout; it cannot be used with --output-file"
    if ns.output_file is not None:
        target = Path(ns.output_file)
        if target.is_dir():
            return f"--output-file {target}: is a folder"
        if not target.parent.is_dir():
            return f"--output-file {target}: folder {target.parent} does not exist"
    return None


def _collect_cycles_less_often() -> None:
    """Before the command line checks files (and forks its workers): the syntax trees it
    builds are large and freed by reference counting, but at the default thresholds (a
    young collection every 700 allocations) the cyclic collector scans and promotes them
    over and over while they are built, about a fifth of a cold run's CPU. The modules
    imported so far are moved out of its way (`gc.freeze`), young objects are collected
    every 50,000 allocations and the rest as before, relatively (every 10th and 10th)."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 10, 10)


def _reads_stdin(ns: argparse.Namespace) -> bool:
    """`-`, or --stdin-filename without a path (as ruff)."""
    return ns.paths == ["-"] or (not ns.paths and ns.stdin_filename is not None)


def _peer_notes(ns: argparse.Namespace) -> None:
    """One line per peer code given on the command line, naming the LC code it stands for."""
    given = [*(ns.select or ()), *(ns.ignore or ()), *ns.extend_select,
             *(c for _, codes in ns.per_file_ignores or () for c in codes)]
    if not given:
        return
    from logcheck.lint.peers import note

    for selector in dict.fromkeys(given):
        line = note(selector)
        if line is not None:
            print(f"logcheck: note: {line}", file=sys.stderr)


def _check(ns: argparse.Namespace) -> int:
    from logcheck.interfaces.output import writer_for
    from logcheck.interfaces.output.report import Report
    from logcheck.workspace import runner
    from logcheck.workspace.files import PathError, discover, display_path
    from logcheck.workspace.settings_loader import Overrides, SettingsResolver

    overrides = Overrides(
        select=tuple(ns.select) if ns.select is not None else None,
        ignore=tuple(ns.ignore) if ns.ignore is not None else None,
        extend_select=tuple(ns.extend_select),
        policy_preset=ns.preset,
        exclude=tuple(ns.exclude) if ns.exclude is not None else None,
        extend_exclude=tuple(ns.extend_exclude),
        per_file_ignores=tuple(ns.per_file_ignores) if ns.per_file_ignores is not None else None,
        extend_allow_print=tuple(ns.extend_allow_print),
        force_exclude=ns.force_exclude,
    )
    # rule codes are validated just before the first file is checked (see runner.run): a run
    # answered entirely from the cache then never imports the rules
    resolver = SettingsResolver(ns.config, overrides, validate=False)
    fmt = ns.output_format or resolver.default.output_format or "text"
    problem = _usage_problem(ns, fmt)
    if problem is not None:
        print(f"logcheck: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    _peer_notes(ns)
    mode = runner.FIX if ns.fix else runner.DIFF if ns.diff else runner.CHECK
    options = runner.Options(mode=mode, unsafe_fixes=ns.unsafe_fixes, want_edits=fmt in ("json", "sarif"))
    paths = ns.paths or ["."]
    errors: List[str] = []
    stdin = _reads_stdin(ns)

    if ns.show_settings:
        resolver.validate_codes()
        return _show_settings(resolver, Path(paths[0] if not stdin else ns.stdin_filename or "."))
    if stdin:
        stdin_data = sys.stdin.buffer.read()
        resolver.validate_codes()
        outcomes = [_check_stdin(ns, resolver, options, stdin_data)]
        files = 1
    else:
        if "-" in paths:
            print("logcheck: error: `-` (stdin) cannot be combined with other paths", file=sys.stderr)
            return EXIT_ERROR
        from logcheck.workspace.config_files import looks_like_logging_config

        cache = None
        if not ns.no_cache:
            from logcheck.workspace.cache import open_cache

            cache = open_cache(ns.cache_dir)
        # whether a .json/.yaml/.ini file found in a folder is a logging configuration is
        # a question about its content: the cache remembers the answer per size and mtime
        wants_config = cache.remembering(looks_like_logging_config) if cache is not None \
            else looks_like_logging_config
        try:
            targets, warnings = discover([Path(p) for p in paths], resolver, wants_config)
        except PathError as exc:
            print(f"logcheck: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        errors.extend(warnings)
        cwd = Path.cwd()
        jobs = [runner.Job(t.path, display_path(t.path, cwd), t.settings, t.explicit, t.problem) for t in targets]
        if ns.show_files:
            for message in errors:
                print(f"logcheck: {message}", file=sys.stderr)
            for job in jobs:
                print(job.display)
            if not jobs:
                print(f"logcheck: warning: {NOTHING_FOUND}", file=sys.stderr)
            return EXIT_CLEAN

        def validate() -> None:  # every settings object (and its codes), before any work
            resolver.validate_codes()
            for job in jobs:
                enabled_codes(job.settings)
            _collect_cycles_less_often()

        progress = None
        if fmt in TEXT_FORMATS and not ns.quiet and sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
            from logcheck.interfaces.output.progress import Progress

            progress = Progress(len(jobs), sys.stderr)
        try:
            outcomes = runner.run(jobs, options, ns.jobs, cache=cache, before_work=validate,
                                  progress=progress.update if progress else None)
        finally:
            if progress is not None:
                progress.close()
        files = len(jobs)
        if not jobs:
            print(f"logcheck: warning: {NOTHING_FOUND}", file=sys.stderr)
            if not ns.write_baseline:  # an empty baseline is still written
                for message in errors:
                    print(f"logcheck: {message}", file=sys.stderr)
                return EXIT_CLEAN
        elif all(o.unreadable for o in outcomes):
            for message in errors:
                print(f"logcheck: {message}", file=sys.stderr)
            for o in outcomes:
                for d in o.diagnostics:
                    print(f"logcheck: error: {d.path}: {d.message}", file=sys.stderr)
            return EXIT_ERROR

    diagnostics = [d for o in outcomes for d in o.diagnostics]
    for o in outcomes:
        errors.extend(o.errors)
    internal_error = any(o.fixed < 0 for o in outcomes)
    fixed = sum(o.fixed for o in outcomes if o.fixed > 0)
    if ns.write_baseline or ns.baseline or ns.add_noqa:
        adopted = _adopt(ns, outcomes, diagnostics, errors, stdin_data if stdin else None)
        if isinstance(adopted, int):
            return EXIT_ERROR if internal_error else adopted
        diagnostics = adopted
    report = Report(
        diagnostics=diagnostics, fixed=fixed if mode == runner.FIX else 0, files=files,
        unsafe_fixes=ns.unsafe_fixes, fix_mode=mode == runner.FIX, show_fixes=ns.show_fixes,
        statistics=ns.statistics, quiet=ns.quiet, root=Path.cwd(),
        fixed_by_file={o.display: o.fixed for o in outcomes if o.fixed > 0},
        checked=[o.display for o in outcomes],
    )
    for message in errors:
        print(f"logcheck: {message}", file=sys.stderr)

    if stdin and mode == runner.FIX:
        fixed_bytes = outcomes[0].fixed_bytes
        sys.stdout.buffer.write(fixed_bytes if fixed_bytes is not None else stdin_data)
        sys.stdout.flush()
        for d in diagnostics:
            print(f"{d.path}:{d.row}:{d.col}: {d.code} {d.message}", file=sys.stderr)
    elif mode == runner.DIFF:
        for o in outcomes:
            sys.stdout.write(o.diff)
        if not ns.quiet:
            n = sum(o.fixed for o in outcomes)
            print(f"Would fix {n} problem{'s' if n != 1 else ''}.", file=sys.stderr)
    else:
        write = writer_for(fmt)
        if ns.output_file:
            report.color = False
            try:
                with open(ns.output_file, "w", encoding="utf-8") as out:
                    write(report, out)
            except OSError as exc:
                print(f"logcheck: error: --output-file {ns.output_file}: {exc.strerror or exc}", file=sys.stderr)
                return EXIT_ERROR
        else:
            report.color = fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
            write(report, sys.stdout)

    if internal_error:
        return EXIT_ERROR
    if mode == runner.DIFF:
        changed = any(o.diff for o in outcomes)
        return EXIT_FINDINGS if changed and not ns.exit_zero else EXIT_CLEAN
    if diagnostics and not ns.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _show_settings(resolver, path: Path) -> int:
    """`--show-settings`: what applies to `path`, as a `[tool.logcheck]` table."""
    if not path.exists() and not path.is_symlink():
        print(f"logcheck: error: {path}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    settings = resolver.for_path(path)
    print(f"# settings for {path} (from {settings.origin or 'defaults'}; relative globs from {settings.root})")
    print("[tool.logcheck]")
    print(f"enabled = {_toml_value(sorted(codes_for(settings, path) if path.is_file() else enabled_codes(settings)))}")
    for key in ("select", "ignore", "extend_select", "exclude", "extend_exclude", "force_exclude", "logger_names",
                "allow_print", "extend_allow_print", "secret_names", "config_files", "lambda_paths", "output_format"):
        value = getattr(settings, key)
        if value is not None:
            print(f"{key.replace('_', '-')} = {_toml_value(value)}")
    table = ", ".join(f'"{glob}" = {_toml_value(codes)}' for glob, codes in settings.per_file_ignores)
    print(f"per-file-ignores = {{ {table} }}" if table else "per-file-ignores = {}")
    print("\n[tool.logcheck.policy]")
    for key, value in settings.policy.to_table().items():
        print(f"{key} = {_toml_value(value)}")
    return EXIT_CLEAN


def _adopt(ns, outcomes, diagnostics, errors: List[str], stdin_data: Optional[bytes]):
    """Baselines and --add-noqa. Returns the diagnostics to report (after --baseline), or
    an exit status when the run ends here (--write-baseline, --add-noqa)."""
    from logcheck.workspace.baseline import SourceLines, filter_baseline, write_baseline

    texts = {}
    if stdin_data is not None and outcomes:
        from logcheck.source.text import DecodeError, decode_source

        try:
            texts[outcomes[0].display] = decode_source(stdin_data).text
        except DecodeError:
            pass
    lines = SourceLines(Path.cwd(), texts)
    if ns.write_baseline:
        for message in errors:
            print(f"logcheck: {message}", file=sys.stderr)
        n = write_baseline(ns.write_baseline, diagnostics, lines)
        print(f"logcheck: wrote {n} finding{'s' if n != 1 else ''} to baseline {ns.write_baseline}", file=sys.stderr)
        return EXIT_CLEAN
    if ns.baseline:
        diagnostics, _known = filter_baseline(ns.baseline, diagnostics, lines)
    if ns.add_noqa:
        from logcheck.workspace.add_noqa import add_noqa

        for message in errors:
            print(f"logcheck: {message}", file=sys.stderr)
        result = add_noqa(diagnostics)
        for message in result.errors:
            print(f"logcheck: {message}", file=sys.stderr)
        n = result.total
        print(f"Added {n} noqa directive{'s' if n != 1 else ''}.")
        return EXIT_CLEAN
    return diagnostics


def _check_stdin(ns, resolver, options, data: bytes):
    from logcheck.rules import registry
    from logcheck.workspace import runner
    from logcheck.workspace.files import ReadResult

    name = ns.stdin_filename or "-"
    path = Path(ns.stdin_filename) if ns.stdin_filename else Path.cwd() / "stdin.py"
    settings = resolver.for_path(path)
    rules = registry.rules_for(codes_for(settings, path))
    return runner.run_source(name, ReadResult(data, (len(data), 0)), rules, settings, options)
