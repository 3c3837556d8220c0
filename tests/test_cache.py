"""The result cache: identical to fresh results, invalidated by content, config and version,
safe under concurrent writers, bounded, and cheap (no libcst) when every file is a hit."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from logcheck.diagnostics import Diagnostic, Edit, FixInfo
from logcheck.interfaces import cli
from logcheck.workspace import cache as cache_mod
from logcheck.workspace import runner
from logcheck.workspace.cache import Entry, ResultCache

FILES = {
    "app/main.py": """\
        import logging

        logging.info("started")
        logging.warn("deprecated")
    """,
    "app/clean.py": """\
        import logging

        logger = logging.getLogger(__name__)
        logger.info("fine")
    """,
    "app/nothing.py": "x = 1\n",
    "app/broken.py": "def f(:\n    logging.info('x')\n",
    "app/noqa.py": """\
        import logging
        logging.warn("x")  # noqa: LC301
    """,
}


def make_project(root: Path, table: str = "") -> Path:
    (root / "pyproject.toml").write_text(f"[project]\nname = 'demo'\n{table}", encoding="utf-8")
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_cli(root: Path, *args: str, monkeypatch, capsys) -> dict:
    monkeypatch.chdir(root)
    code = cli.main(["app", "--output-format", "json", "-j", "1", *args])
    out = capsys.readouterr().out
    return {"code": code, "diagnostics": json.loads(out)}


@pytest.fixture
def counted(monkeypatch):
    """Counts the files that are really checked (not answered from the cache)."""
    seen = []
    real = runner._guarded

    def guarded(job, options):
        seen.append(job.display)
        return real(job, options)

    monkeypatch.setattr(runner, "_guarded", guarded)
    return seen


def test_cached_results_identical_to_fresh(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    fresh = run_cli(tmp_path, "--no-cache", monkeypatch=monkeypatch, capsys=capsys)
    assert not (tmp_path / ".logcheck_cache").exists(), "--no-cache wrote a cache"
    assert fresh["diagnostics"], "the project has findings"
    assert {d["code"] for d in fresh["diagnostics"]} >= {"LC101", "LC301", "LC000"}
    cold = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    counted.clear()
    warm = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert counted == [], "a warm run re-checked files"
    assert fresh == cold == warm
    # text output too (includes fix markers and the summary)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["app", "--no-cache", "-j", "1"]) == 1
    text_fresh = capsys.readouterr().out
    assert cli.main(["app", "-j", "1"]) == 1
    assert capsys.readouterr().out == text_fresh


def test_cache_folder_next_to_pyproject_with_gitignore(tmp_path, monkeypatch, capsys):
    make_project(tmp_path)
    sub = tmp_path / "app"
    monkeypatch.chdir(sub)
    cli.main(["."])
    capsys.readouterr()
    folder = tmp_path / ".logcheck_cache"
    assert folder.is_dir() and not (sub / ".logcheck_cache").exists()
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (folder / cache_mod.PACK_NAME).is_file()
    assert cache_mod.find_cache_dir(sub) == folder


def test_cache_dir_option(tmp_path, monkeypatch, capsys):
    make_project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    run_cli(tmp_path, "--cache-dir", str(elsewhere), monkeypatch=monkeypatch, capsys=capsys)
    assert (elsewhere / cache_mod.PACK_NAME).is_file()
    assert not (tmp_path / ".logcheck_cache").exists()


def test_content_change_is_a_miss(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    (tmp_path / "app/nothing.py").write_text("import logging\nlogging.error('now')\n")
    counted.clear()
    after = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert counted == ["app/nothing.py"]
    assert "nothing.py" in json.dumps(after["diagnostics"])


def test_config_change_invalidates(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    before = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert "LC301" in json.dumps(before["diagnostics"])
    (tmp_path / "pyproject.toml").write_text("[tool.logcheck]\nignore = ['LC301']\n")
    counted.clear()
    after = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert len(counted) == len(FILES)
    assert "LC301" not in json.dumps(after["diagnostics"])
    # command-line overrides are part of the key too
    counted.clear()
    again = run_cli(tmp_path, "--ignore", "LC101", monkeypatch=monkeypatch, capsys=capsys)
    assert len(counted) == len(FILES)
    assert "LC101" not in json.dumps(again["diagnostics"]) and "LC101" in json.dumps(after["diagnostics"])


def test_config_typo_is_an_error_even_when_everything_is_cached(tmp_path, monkeypatch, capsys):
    make_project(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    (tmp_path / "pyproject.toml").write_text("[tool.logcheck]\nselect = ['LC9x']\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["app"]) == cli.EXIT_ERROR
    assert "LC9x" in capsys.readouterr().err
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    assert cli.main(["app", "--select", "NOPE"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert "NOPE" in err and "command line" in err


def test_version_change_invalidates(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    counted.clear()
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert counted == []
    monkeypatch.setattr(cache_mod, "__version__", "999.0")
    monkeypatch.setattr(cache_mod, "_FINGERPRINT", None)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert len(counted) == len(FILES)


def test_code_change_invalidates(tmp_path, monkeypatch):
    """Editing a logcheck module (same version number) changes the fingerprint."""
    monkeypatch.setattr(cache_mod, "_FINGERPRINT", None)
    first = cache_mod.code_fingerprint()
    rule_file = Path(cache_mod.__file__).parent.parent / "rules" / "levels.py"
    st = os.stat(rule_file)
    try:
        os.utime(rule_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        monkeypatch.setattr(cache_mod, "_FINGERPRINT", None)
        assert cache_mod.code_fingerprint() != first
    finally:
        os.utime(rule_file, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_settings_key_is_stable_across_processes(tmp_path):
    code = ("from pathlib import Path; from logcheck.workspace.settings_loader import settings_from_table; "
            "from logcheck.workspace.cache import settings_key; "
            f"print(settings_key(settings_from_table({{}}, Path({str(tmp_path)!r}), None)).hex())")
    keys = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(keys) == 1 and len(next(iter(keys)).strip()) == 32


def test_fix_mode_uses_clean_entries_and_fixes_the_rest(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    cli.main(["app", "-j", "1"])
    counted.clear()
    cli.main(["app", "--fix", "-j", "1"])
    capsys.readouterr()
    assert "app/clean.py" not in counted and "app/nothing.py" not in counted
    assert "app/main.py" in counted
    assert "warning(" in (tmp_path / "app/main.py").read_text()


def _diag(i: int) -> Diagnostic:
    edit = Edit("x", 1, 2, 3, 4)
    return Diagnostic("p.py", "LC101", "root-logger-call", f"m{i}", i, 1, i, 5,
                      FixInfo("safe", "fix it", (edit,)), i)


def test_entry_round_trip(tmp_path):
    c = ResultCache(tmp_path / "c")
    entry = Entry((_diag(1), _diag(2)), ("an error",), 42)
    c.put(b"k" * 16, entry)
    c.save()
    assert ResultCache(tmp_path / "c").get(b"k" * 16) == entry


def test_nothing_written_when_nothing_new(tmp_path):
    c = ResultCache(tmp_path / "c")
    c.save()
    assert not (tmp_path / "c").exists()


def test_bounded(tmp_path):
    folder = tmp_path / "c"
    for round_ in range(5):
        c = ResultCache(folder, max_entries=10)
        c._now = float(round_)
        for i in range(5):
            c.put(bytes([round_, i]) * 8, Entry((), (), i))
        c.save()
    final = ResultCache(folder, max_entries=10)
    assert len(final) == 10
    # the newest entries survive
    assert final.get(bytes([4, 0]) * 8) is not None and final.get(bytes([0, 0]) * 8) is None
    # and a byte bound
    c = ResultCache(folder, max_bytes=2000)
    for i in range(200):
        c.put(i.to_bytes(16, "big"), Entry((_diag(i),), (), i))
    c.save()
    assert (folder / cache_mod.PACK_NAME).stat().st_size <= 2000
    assert 0 < len(ResultCache(folder)) < 200


def test_damaged_pack_is_ignored_and_replaced(tmp_path, monkeypatch, capsys):
    make_project(tmp_path)
    folder = tmp_path / ".logcheck_cache"
    folder.mkdir()
    (folder / cache_mod.PACK_NAME).write_bytes(b"\x00garbage" * 10)
    fresh = run_cli(tmp_path, "--no-cache", monkeypatch=monkeypatch, capsys=capsys)
    assert run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys) == fresh
    assert len(ResultCache(folder)) == len(FILES)
    assert run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys) == fresh


def _writer(args):
    folder, worker, count = args
    c = ResultCache(Path(folder))
    for i in range(count):
        c.put(bytes([worker]) + i.to_bytes(15, "big"), Entry((_diag(i),), (), worker))
        if i % 25 == 24:  # several saves per writer, interleaved with the others'
            c.save()
    c.save()
    return worker


def test_concurrent_writers_lose_nothing(tmp_path):
    folder = tmp_path / "shared"
    writers, count = 6, 100
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(writers) as pool:
        assert sorted(pool.map(_writer, [(str(folder), w, count) for w in range(writers)])) == list(range(writers))
    final = ResultCache(folder)
    assert len(final) == writers * count
    for w in range(writers):
        for i in (0, count - 1):
            entry = final.get(bytes([w]) + i.to_bytes(15, "big"))
            assert entry is not None and entry.lines == w
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_warm_run_does_not_import_libcst_rules_or_the_checking_modules(tmp_path):
    make_project(tmp_path)
    _age(tmp_path)  # stats old enough to be trusted: the warm run reads no file
    probe = textwrap.dedent("""\
        import sys
        from logcheck.interfaces.cli import main
        code = main(["app", "-q"])
        heavy = sorted(m for m in sys.modules if m == "libcst" or m.startswith(("logcheck.lint", "logcheck.rules."))
                       and m != "logcheck.rules.selection"
                       or m in ("logcheck.semantics.purpose", "logcheck.source.astfacts", "logcheck.source.precheck"))
        print("HEAVY", heavy, file=sys.stderr)
        import gc
        print("GC", gc.get_threshold()[0], file=sys.stderr)  # tuned only where files are checked
        sys.exit(code)
    """)
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
            for _ in range(2)]
    cold, warm = runs
    assert cold.returncode == warm.returncode == 1, cold.stderr
    assert "'libcst'" in cold.stderr
    assert "HEAVY []" in warm.stderr, warm.stderr
    assert "GC 50000" in cold.stderr and "GC 700" in warm.stderr
    assert cold.stdout == warm.stdout


# --- the stat index: unchanged files are not read ------------------------------------------


def _age(root: Path, seconds: int = 100) -> None:
    """Give every file a modification time in the past, so its stat is trusted (a stat
    taken within the timestamp tick of a change is not: git's racy rule)."""
    past = os.stat(root).st_mtime - seconds
    for path in root.rglob("*.py"):
        os.utime(path, (past, past))


@pytest.fixture
def hashed(monkeypatch):
    """Counts the files whose content the cache lookup reads and hashes."""
    seen = []
    real = cache_mod.content_digest

    def digest(data):
        seen.append(len(data))
        return real(data)

    monkeypatch.setattr(cache_mod, "content_digest", digest)
    return seen


def test_unchanged_files_are_answered_by_their_stat(tmp_path, monkeypatch, capsys, counted, hashed):
    make_project(tmp_path)
    _age(tmp_path)
    cold = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)  # records trusted stats
    counted.clear()
    hashed.clear()
    warm = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert warm == cold
    # nothing checked, and of the files only the project's manifest is read, once for the
    # whole run: the entry points it declares are a dependency of every result
    assert counted == [] and hashed == [len((tmp_path / "pyproject.toml").read_bytes())]


def test_a_changed_file_is_read_again_even_with_the_same_size(tmp_path, monkeypatch, capsys, counted):
    make_project(tmp_path)
    _age(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    main = tmp_path / "app" / "main.py"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace('logging.warn("deprecated")', 'logging.warn("DEPRECATED")'), encoding="utf-8")
    counted.clear()
    found = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert counted == [str(Path("app") / "main.py")]
    assert any(d["code"] == "LC301" and d["filename"].endswith("main.py") for d in found["diagnostics"])


def test_a_touched_file_hits_by_content(tmp_path, monkeypatch, capsys, counted, hashed):
    make_project(tmp_path)
    _age(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    _age(tmp_path, 50)  # new timestamps, same content (a checkout, a `touch`)
    counted.clear()
    hashed.clear()
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert counted == [] and len(hashed) == len(FILES) + 1  # and the manifest, a dependency


def test_a_first_run_does_not_read_its_files_for_an_empty_cache(tmp_path, monkeypatch, capsys, counted, hashed):
    make_project(tmp_path)
    run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    # each file read and hashed once, where it is checked; the manifest once, as a dependency
    assert len(counted) == len(FILES) and len(hashed) == len(FILES) + 1
    (tmp_path / "app" / "new.py").write_text("import logging\nlogging.warn('x')\n", encoding="utf-8")
    _age(tmp_path, 50)
    counted.clear()
    hashed.clear()
    found = run_cli(tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    # a cache with entries is asked by content (all six files), and the new one is checked;
    # the manifest is read once, as a dependency
    assert len(hashed) == len(FILES) + 3
    assert counted == [str(Path("app") / "new.py")]
    assert any(d["filename"].endswith("new.py") for d in found["diagnostics"])


# --- discovery's content question is remembered per size and mtime ---------------------------


def test_config_question_memo_through_the_cli(tmp_path, monkeypatch, capsys):
    """A folder scan asks of each .json file whether it is a logging configuration; the
    next run answers from the stat index, and a changed file is asked again."""
    from logcheck.workspace import config_files

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '0'\n")
    (tmp_path / "log.json").write_text('{"version": 1, "handlers": {"h": {"class": "logging.FileHandler",'
                                       ' "filename": "a.log"}}, "root": {"level": "INFO", "handlers": ["h"]}}')
    (tmp_path / "model.json").write_text('{"version": "1.0", "shapes": {"filters": {"type": "list"}}}')
    (tmp_path / "app.py").write_text("x = 1\n")
    past = os.stat(tmp_path).st_mtime - 100
    for path in tmp_path.iterdir():
        os.utime(path, (past, past))
    asked = []
    real = config_files.looks_like_logging_config

    def counting(path):
        asked.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(config_files, "looks_like_logging_config", counting)
    monkeypatch.chdir(tmp_path)

    def run():
        asked.clear()
        capsys.readouterr()
        code = cli.main([".", "-q", "--exit-zero", "--output-format", "concise", "--preview", "--select", "LC502"])
        assert code == 0
        return sorted(asked), capsys.readouterr().out.count("LC502")

    assert run() == (["log.json", "model.json", "pyproject.toml"], 1)
    assert run() == ([], 1)  # answered by their stat: the same files checked
    log = tmp_path / "log.json"
    log.write_text(log.read_text().replace("FileHandler", "StreamHandler").replace(', "filename": "a.log"', ""))
    os.utime(log, (past + 10, past + 10))
    assert run() == (["log.json"], 0)
