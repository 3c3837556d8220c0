"""Bad input, end to end: every case gives a clear one-line message, the exit status the
spec asks for, no traceback, and the other files of the same run are still checked.

Most cases go through the real command line in a subprocess (`python -m logcheck`), a
whole folder of bad files per run to keep the suite fast; races and permission problems
that a subprocess cannot stage reliably go through the runner and engine in-process.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import logcheck
from logcheck.lint import check as lint_check
from logcheck.lint.check import check_source, fix_source
from logcheck.rules import registry
from logcheck.rules.selection import enabled_codes
from logcheck.source.nesting import MAX_CHAIN, MAX_DEPTH, max_nesting
from logcheck.source.text import SourceText
from logcheck.workspace import runner
from logcheck.workspace.files import WriteError, atomic_write, read_file
from logcheck.workspace.settings_loader import settings_from_table

LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<row>\d+):(?P<col>\d+): (?P<code>LC\d{3})(?: \[\*\])? (?P<msg>.+)$")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

ROOT_CALL = b'import logging\nlogging.info("x")\n'


def run(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


def project(tmp_path: Path, files: Dict[str, bytes]) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.logcheck]\n", encoding="utf-8")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def findings(stdout: str) -> Dict[str, List[Tuple[int, int, str, str]]]:
    out: Dict[str, List[Tuple[int, int, str, str]]] = {}
    for line in stdout.splitlines():
        m = LINE.match(line)
        if m:
            out.setdefault(m["path"], []).append((int(m["row"]), int(m["col"]), m["code"], m["msg"]))
    return out


def no_crash(r: subprocess.CompletedProcess) -> None:
    assert r.returncode >= 0, f"killed by signal {-r.returncode}: {r.stderr[-2000:]}"
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
    assert "internal error" not in r.stderr, r.stderr
    for line in r.stderr.splitlines():  # every message is one self-contained line
        assert line.startswith("logcheck: "), line


def settings():
    return settings_from_table({"preview": True}, Path.cwd(), None)  # preview rules on odd input too


def all_rules():
    return registry.rules_for(enabled_codes(settings()))


# --------------------------------------------------------------------------- one run, many bad files

BAD_FILES: Dict[str, bytes] = {
    "good.py": ROOT_CALL,
    "syntax.py": b"import logging\n\ndef f(:\n    logging.info('x')\n",
    "wrong_cookie.py": b"# -*- coding: ascii -*-\nimport logging\nx = '\xe9'\n",
    "unknown_cookie.py": b"# coding: no-such-codec\nimport logging\n",
    "undecodable.py": b"import logging\nx = '\xff\xfe'\n",
    "nul.py": b"import logging\nx = 1\0\n",
    "empty.py": b"",
    "only_comments.py": b"# logging is configured elsewhere\n# nothing here\n",
    "deep_parens.py": b"import logging\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "deep_unary.py": b"import logging\nx = " + b"-" * 20000 + b"1\n",
    "long_chain.py": b"import logging\nx = 1" + b" + 1" * 50000 + b"\n",
    "deep_brackets.py": b"import logging\nx = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "tabs_ff.py": b"import logging\nif True:\n\tlogging.warn('x')\n\x0c\ndef f():\n\treturn 1\n",
    "crlf.py": b"import logging\r\nlogging.info('x')\r\n",
    "cr_only.py": b"import logging\rlogging.info('x')\r",
    "bom.py": b"\xef\xbb\xbfimport logging\nlogging.info('x')\n",
    "bom_cookie.py": b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport logging\nlogging.info('x')\n",
    "bom_utf8_cookie.py": b"\xef\xbb\xbf# -*- coding: utf-8 -*-\nimport logging\nlogging.info('x')\n",
    "latin1.py": b"# -*- coding: latin-1 -*-\nimport logging\nlogging.info('caf\xe9')\n",
    "notes.txt": b"not python at all (\n",
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("bad"), BAD_FILES)
    start = time.monotonic()
    r = run(".", cwd=root)
    return r, findings(r.stdout), time.monotonic() - start


def test_bad_files_never_crash_the_run(bad_run):
    r, found, _ = bad_run
    no_crash(r)
    assert r.returncode == 1
    # the good file (and every decodable one) is still checked
    assert ("LC101" in [f[2] for f in found["good.py"]])
    assert "notes.txt" not in found  # not a Python file: not scanned from a folder


def test_deep_input_is_reported_quickly(bad_run):
    # libcst's native parser segfaults on these and takes minutes on the long chain
    _, found, seconds = bad_run
    for name in ("deep_parens.py", "deep_unary.py", "long_chain.py", "deep_brackets.py"):
        assert [(f[2], _says_too_deep(f[3])) for f in found[name]] == [("LC000", True)], found[name]
    assert seconds < 60


def test_cpython_refuses_more_than_200_nested_brackets():
    # docs/robustness.md ("Why the nesting guard exists") states this limit
    compile("x = " + "(" * 200 + "1" + ")" * 200, "<200>", "exec", dont_inherit=True)
    with pytest.raises(SyntaxError, match="too many nested parentheses"):
        compile("x = " + "(" * 201 + "1" + ")" * 201, "<201>", "exec", dont_inherit=True)


@pytest.mark.parametrize("name, row, col, text", [
    ("syntax.py", 3, 7, "SyntaxError: invalid syntax"),
    ("wrong_cookie.py", 3, 6, "not valid ascii"),
    ("unknown_cookie.py", 1, 1, "unknown encoding"),
    ("undecodable.py", 2, 6, "not valid UTF-8: byte 0xff"),
    ("nul.py", 2, 6, "NUL byte"),
    # CPython: "encoding problem: iso-8859-1 with BOM"
    ("bom_cookie.py", 1, 1, "cannot decode: a UTF-8 byte order mark and a coding declaration of another encoding"),
])
def test_unreadable_source_is_lc000_with_position(bad_run, name, row, col, text):
    _, found, _ = bad_run
    assert len(found[name]) == 1, found[name]
    got_row, got_col, code, message = found[name][0]
    assert (code, got_row, got_col) == ("LC000", row, col), found[name]
    assert text in message


def test_harmless_odd_files_are_clean_or_checked(bad_run):
    _, found, _ = bad_run
    assert "empty.py" not in found and "only_comments.py" not in found
    expected = {"crlf.py": [(2, "LC101")], "cr_only.py": [(2, "LC101")], "bom.py": [(2, "LC101")],
                "latin1.py": [(3, "LC101")], "bom_utf8_cookie.py": [(3, "LC101")]}
    for name, rows in expected.items():
        assert [(f[0], f[2]) for f in found[name]] == rows, name
    assert {(f[0], f[1], f[2]) for f in found["tabs_ff.py"]} >= {(3, 2, "LC101"), (3, 2, "LC301")}


# --------------------------------------------------------------------------- fixes keep the bytes around them

FIX_CASES: Dict[str, Tuple[bytes, bytes]] = {
    "crlf.py": (b"import logging\r\nlogging.warn('x')\r\n",
                b"import logging\r\n\r\nlogger = logging.getLogger(__name__)\r\n\r\nlogger.warning('x')\r\n"),
    "cr_only.py": (b"import logging\rlogging.warn('x')\r",
                   b"import logging\r\rlogger = logging.getLogger(__name__)\r\rlogger.warning('x')\r"),
    "mixed.py": (b"import logging\r\nlogging.warn('a')\nlogging.warn('b')\r",
                 b"import logging\r\n\r\nlogger = logging.getLogger(__name__)\r\n\r\nlogger.warning('a')\nlogger.warning('b')\r"),
    "bom.py": (b"\xef\xbb\xbfimport logging\nlogging.warn('x')\n",
               b"\xef\xbb\xbfimport logging\n\nlogger = logging.getLogger(__name__)\n\nlogger.warning('x')\n"),
    "latin1.py": (b"# -*- coding: latin-1 -*-\nimport logging\nlogging.warn('caf\xe9')  # \xe9t\xe9\n",
                  b"# -*- coding: latin-1 -*-\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n"
                  b"logger.warning('caf\xe9')  # \xe9t\xe9\n"),
    "tabs_ff.py": (b"import logging\n\x0c\nif True:\n\tlogging.warn('x')  \t# keep\n",
                   b"import logging\n\nlogger = logging.getLogger(__name__)\n\x0c\nif True:\n\tlogger.warning('x')  \t# keep\n"),
    "no_newline.py": (b"import logging\nlogging.warn('x')",
                      b"import logging\n\nlogger = logging.getLogger(__name__)\n\nlogger.warning('x')"),
}


def test_fix_keeps_line_endings_bom_and_encoding(tmp_path):
    root = project(tmp_path, {name: before for name, (before, _) in FIX_CASES.items()})
    r = run("--fix", ".", cwd=root)
    no_crash(r)
    assert r.returncode == 0, r.stdout + r.stderr
    for name, (_, after) in FIX_CASES.items():
        assert (root / name).read_bytes() == after, name
    # and a second run has nothing left to change
    again = run("--fix", ".", cwd=root)
    assert again.returncode == 0
    for name, (_, after) in FIX_CASES.items():
        assert (root / name).read_bytes() == after, name


def test_five_megabyte_generated_file(tmp_path):
    # a generated resource module: a 5 MB embedded blob between ordinary code
    blob = "".join(f"{i:08x}" * 12 + "\n" for i in range(5_000_000 // 97 + 1))
    text = ("import logging\n\nlogging.warn('loading resources')\n\nDATA = b\"\"\"\n" + blob + '"""\n\n'
            "def load():\n    logging.info('loaded %d bytes', len(DATA))\n")
    assert len(text) > 5_000_000
    root = project(tmp_path, {"generated.py": text.encode(), "good.py": ROOT_CALL})
    r = run(".", cwd=root, timeout=300)
    no_crash(r)
    found = findings(r.stdout)
    last = text.count("\n")
    assert sorted((f[0], f[2]) for f in found["generated.py"]) == [(3, "LC101"), (3, "LC301"), (last, "LC101")]
    assert [f[2] for f in found["good.py"]] == ["LC101"]


def _says_too_deep(message: str) -> bool:
    """An LC000 message that names the reason: nested too deeply, a chain too long, or the
    interpreter's own parser refusing it too."""
    return any(reason in message for reason in (
        "too deeply nested", "too long to parse", "too many nested parentheses", "the interpreter refuses it too"))


def test_adjacent_string_literals_count_as_nesting():
    assert max_nesting("x = " + " ".join(['"a"'] * 5000)) >= 5000
    # Python accepts 5,000 implicitly concatenated literals; libcst 1.9's parser gives up
    # (3,000 parse): LC000 that says it is libcst's limit, not the user's syntax error
    diags = check_text("import logging\nx = (" + "\n".join(['"a"'] * 5000) + ")\n")
    assert [d.code for d in diags] == ["LC000"] and diags[0].message.startswith("libcst cannot parse this (Python can)")
    diags = check_text("import logging\nlogging.warn('x')\nx = (" + "\n".join(['"a"'] * 3000) + ")\n")
    assert sorted(d.code for d in diags) == ["LC101", "LC301"]


@pytest.mark.parametrize("terms", [400, 800])
def test_long_flat_chains_are_checked_and_fixed(terms):
    # a flat `a + b + ... + z` is no nesting: CPython compiles it, libcst parses it (0.04 s
    # for 400 terms, 0.2 s for 800); the file is checked and fixed as any other
    chain = " + ".join(f"a{i}" for i in range(terms))
    text = f"import logging\nlogging.warn('x')\nx = {chain}\nlogging.info(f'{{x}}')\n"
    assert max_nesting(text) > MAX_DEPTH  # the cheap estimate alone would have refused it
    assert sorted(d.code for d in check_text(text)) == ["LC101", "LC101", "LC201", "LC301"]
    out = fix_source("m.py", SourceText(text, "utf-8", False), all_rules(), settings())
    assert not out.failed and "logger.warning('x')" in out.text and f"x = {chain}\n" in out.text
    compile(out.text, "m.py", "exec")


def test_a_chain_longer_than_libcst_parses_in_time_is_lc000_saying_why():
    chain = " + ".join(f"a{i}" for i in range(5000))
    start = time.monotonic()
    diags = check_text(f"import logging\nlogging.warn('x')\nx = {chain}\n")
    assert time.monotonic() - start < 5  # libcst would take about 25 s
    assert [(d.code, d.row) for d in diags] == [("LC000", 1)]
    assert diags[0].message.startswith(f"too long to parse: a chain of 4999 operators at one level (line 3;")
    assert f"more than {MAX_CHAIN}" in diags[0].message and "square of their length" in diags[0].message


def test_real_nesting_is_measured_not_chains():
    import ast

    from logcheck.source.nesting import measure

    # Module > Assign > expression > Name > Load: depth 4 whatever the chain's length
    assert measure(ast.parse("x = " + " + ".join(["a"] * 800))) == (4, 799, 1)
    assert measure(ast.parse("x = a" + ".b" * 500 + "()" * 10)) == (4, 510, 1)
    assert measure(ast.parse("\nx = " + " or ".join(["a"] * 600))) == (4, 599, 2)
    # what truly nests: each level counts, and a chain inside starts afresh
    assert measure(ast.parse("x = " + "-" * 250 + "(a + b + c)")) == (254, 2, 1)
    assert measure(ast.parse("x = " + "2 ** " * 250 + "2")) == (252, 1, 1)


# --------------------------------------------------------------------------- paths

def test_missing_path_is_a_finding_and_the_others_are_checked(tmp_path):
    # as ruff (E902): the missing path is reported, the run goes on
    root = project(tmp_path, {"good.py": ROOT_CALL})
    r = run("good.py", "nope/missing.py", cwd=root)
    no_crash(r)
    assert r.returncode == 1 and r.stderr == ""
    assert "nope/missing.py:1:1: LC000 cannot read: no such file or directory" in r.stdout.splitlines()
    assert any(line.startswith("good.py:") for line in r.stdout.splitlines())


def test_only_missing_paths_is_exit_2_naming_them(tmp_path):
    # nothing could be read at all: an error, not a report (as a lone broken link)
    root = project(tmp_path, {"good.py": ROOT_CALL})
    r = run("nope/missing.py", cwd=root)
    assert r.returncode == 2
    assert r.stderr == "logcheck: error: nope/missing.py: cannot read: no such file or directory\n"


def test_dangling_symlink_in_a_folder_is_a_finding(tmp_path):
    root = project(tmp_path, {"pkg/good.py": ROOT_CALL})
    os.symlink("gone.py", root / "pkg" / "broken.py")
    os.symlink("gone.txt", root / "pkg" / "notes.txt")  # not a Python file: not ours to report
    r = run("pkg", cwd=root)
    no_crash(r)
    assert r.returncode == 1
    assert "pkg/broken.py:1:1: LC000 cannot read: broken symbolic link (or a symlink loop)" in r.stdout.splitlines()
    assert "notes.txt" not in r.stdout and any(line.startswith("pkg/good.py:") for line in r.stdout.splitlines())


def test_folder_without_python_files(tmp_path):
    root = project(tmp_path, {"docs/readme.txt": b"hello\n", "data/x.csv": b"a,b\n"})
    r = run("docs", "data", cwd=root)
    no_crash(r)
    # nothing was checked: said so (as ruff), not "All checks passed!"
    assert r.returncode == 0 and r.stderr == "logcheck: warning: No Python files found under the given path(s)\n"
    assert r.stdout == ""


def test_non_python_file_named_explicitly(tmp_path):
    root = project(tmp_path, {"notes.txt": b"def (:\n", "image.png": b"\x89PNG\r\n\x1a\n\0\0", "good.py": ROOT_CALL})
    r = run("notes.txt", "image.png", "good.py", cwd=root)
    no_crash(r)
    assert r.returncode == 1
    assert [f[2] for f in findings(r.stdout)["good.py"]] == ["LC101"]
    assert "notes.txt" in r.stderr and "image.png" in r.stderr
    alone = run("notes.txt", cwd=root)
    no_crash(alone)
    assert alone.returncode == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loops_terminate(tmp_path):
    root = project(tmp_path, {"pkg/mod.py": ROOT_CALL})
    os.symlink("..", root / "pkg" / "up")                 # folder loop
    os.symlink("self", root / "self")                      # a link to itself
    os.symlink("b_link", root / "a_link")                  # two links in a circle
    os.symlink("a_link", root / "b_link")
    os.symlink("missing.py", root / "dangling.py")         # broken link
    r = run(".", cwd=root, timeout=60)
    no_crash(r)
    assert r.returncode == 1
    assert [f[2] for f in findings(r.stdout)["pkg/mod.py"]] == ["LC101"]
    named = run("self", "dangling.py", "pkg", cwd=root, timeout=60)
    no_crash(named)
    assert named.returncode == 1
    # a path named on the command line that cannot be read is a finding, not a pass
    assert "self:1:1: LC000 cannot read: broken symbolic link" in named.stdout
    assert "dangling.py:1:1: LC000 cannot read: broken symbolic link" in named.stdout


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not stop root from reading "
                                    "(covered in-process by test_unreadable_file_in_process)")
def test_unreadable_file_through_cli(tmp_path):  # pragma: no cover - only as a normal user
    root = project(tmp_path, {"secret.py": ROOT_CALL, "good.py": ROOT_CALL})
    (root / "secret.py").chmod(0)
    try:
        r = run(".", cwd=root)
    finally:
        (root / "secret.py").chmod(0o644)
    no_crash(r)
    assert r.returncode == 1
    assert "secret.py:1:1: LC000 cannot read: Permission denied" in r.stdout
    assert [f[2] for f in findings(r.stdout)["good.py"]] == ["LC101"]


def _jobs(root: Path, names: List[str]) -> List[runner.Job]:
    s = settings_from_table({}, root, None)
    return [runner.Job(root / n, n, s) for n in names]


def test_unreadable_file_in_process(tmp_path, monkeypatch):
    root = project(tmp_path, {"secret.py": ROOT_CALL, "good.py": ROOT_CALL})
    real_read = runner.read_file

    def read(path):
        if Path(path).name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(runner, "read_file", read)
    outcomes = runner.run(_jobs(root, ["secret.py", "good.py"]), runner.Options(), workers=1)
    assert outcomes[0].unreadable and outcomes[0].fixed == 0
    assert [(d.code, d.message) for d in outcomes[0].diagnostics] == [("LC000", "cannot read: Permission denied")]
    assert [d.code for d in outcomes[1].diagnostics] == ["LC101"]


def test_read_only_file_under_fix(tmp_path):
    root = project(tmp_path, {"locked.py": ROOT_CALL, "open.py": ROOT_CALL})
    (root / "locked.py").chmod(0o444)
    try:
        r = run("--fix", ".", cwd=root)
    finally:
        (root / "locked.py").chmod(0o644)
    no_crash(r)
    assert r.returncode == 1  # the read-only file's finding remains
    assert "locked.py: file is read-only; not fixed" in r.stderr
    assert (root / "locked.py").read_bytes() == ROOT_CALL
    assert b"logger.info" in (root / "open.py").read_bytes()
    assert [f[2] for f in findings(r.stdout)["locked.py"]] == ["LC101"]
    assert "open.py" not in findings(r.stdout)


def test_file_changed_between_read_and_write_is_not_overwritten(tmp_path, monkeypatch):
    root = project(tmp_path, {"busy.py": ROOT_CALL, "calm.py": ROOT_CALL})
    edited = b'import logging\nlogging.info("x")\nprint("the user typed this meanwhile")\n'
    real_fix = fix_source

    def fix_while_someone_edits(path, *args, **kwargs):
        out = real_fix(path, *args, **kwargs)
        if path == "busy.py":  # an editor saves the file while logcheck is fixing it
            (root / "busy.py").write_bytes(edited)
        return out

    monkeypatch.setattr(lint_check, "fix_source", fix_while_someone_edits)
    outcomes = runner.run(_jobs(root, ["busy.py", "calm.py"]), runner.Options(mode=runner.FIX), workers=1)
    assert (root / "busy.py").read_bytes() == edited
    assert outcomes[0].errors == ["busy.py: file changed while it was being checked; not overwritten"]
    assert outcomes[0].fixed == 0 and [d.code for d in outcomes[0].diagnostics] == ["LC101"]
    assert b"logger.info" in (root / "calm.py").read_bytes() and outcomes[1].fixed == 1


def test_same_size_same_mtime_change_is_detected(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\n")
    read = read_file(path)
    st = path.stat()
    path.write_bytes(b"x = 2\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: content decides
    with pytest.raises(WriteError, match="changed"):
        atomic_write(path, b"y = 1\n", expected=read)
    assert path.read_bytes() == b"x = 2\n"


def test_atomic_write_leaves_no_temporary_file_and_keeps_mode(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\n")
    path.chmod(0o640)
    atomic_write(path, b"x = 2\n", expected=read_file(path))
    assert path.read_bytes() == b"x = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]


# --------------------------------------------------------------------------- configuration errors

def test_broken_pyproject_is_exit_2_with_file_and_line(tmp_path):
    root = project(tmp_path, {"good.py": ROOT_CALL})
    (root / "pyproject.toml").write_text('[tool.logcheck]\nselect = ["LC1"\nignore = 3\n', encoding="utf-8")
    r = run(".", cwd=root)
    assert r.returncode == 2
    assert re.search(r"pyproject\.toml:3:1: invalid TOML: ", r.stderr), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("config, args, named", [
    ('select = ["LC101", "LC999"]', (), "LC999"),
    ('ignore = ["XY1"]', (), "XY1"),
    ('per-file-ignores = {"a.py" = ["LC55"]}', (), "LC55"),
    ("", ("--select", "LC101,LC777"), "LC777"),
    ("", ("--ignore", "NOPE"), "NOPE"),
    ("", ("--extend-select", "LC9"), "LC9"),
])
def test_unknown_rule_code_is_exit_2_naming_it(tmp_path, config, args, named):
    root = project(tmp_path, {"good.py": ROOT_CALL})
    (root / "pyproject.toml").write_text(f"[tool.logcheck]\n{config}\n", encoding="utf-8")
    r = run(*args, ".", cwd=root)
    assert r.returncode == 2
    assert f"`{named}`" in r.stderr and "unknown rule code" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- engine level

def check_text(text: str, path: str = "m.py"):
    return check_source(path, SourceText(text, "utf-8", False), all_rules(), settings()).diagnostics


@pytest.mark.parametrize("name, build", [
    ("parens", lambda n: "(" * n + "1" + ")" * n),
    ("unary", lambda n: "-" * n + "1"),
    ("not", lambda n: "not " * n + "x"),
    ("power", lambda n: "**".join(["2"] * n)),
    ("sum", lambda n: "+".join(["1"] * n)),
    ("attributes", lambda n: "a" + ".b" * n),
    ("calls", lambda n: "f" + "()" * n),
    ("ternary", lambda n: " if c else ".join(["1"] * n)),
    ("lambdas", lambda n: "lambda: " * n + "1"),
    ("or", lambda n: " or ".join(["a"] * n)),
    ("subscripts", lambda n: "a" + "[0]" * n),
    ("dicts", lambda n: "{'k': " * n + "1" + "}" * n),
])
def test_too_deep_is_lc000_not_a_crash(name, build):
    text = "import logging\nlogging.info(%s)\n" % build(5000)
    start = time.monotonic()
    diags = check_text(text)
    assert [d.code for d in diags] == ["LC000"] and _says_too_deep(diags[0].message), diags[0].message
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("build", [
    lambda n: "(" * n + "1" + ")" * n,
    lambda n: "+".join(["x"] * n),
    lambda n: "a" + ".b" * n,
    lambda n: "not " * n + "x",
])
def test_moderately_deep_code_is_still_checked_and_fixed(build):
    text = "import logging\nlogging.warn(%s)\n" % build(150)
    assert sorted(d.code for d in check_text(text)) == ["LC101", "LC301"]
    out = fix_source("m.py", SourceText(text, "utf-8", False), all_rules(), settings())
    assert "logger.warning(" in out.text and not out.failed


def test_nesting_estimate_is_an_upper_bound():
    import ast

    def depth(node, d=0):
        return max([d] + [depth(c, d + 1) for c in ast.iter_child_nodes(node)])

    samples = [
        "x = a + b * c - d / e ** f",
        "x = f(a, g(b, h(c, [d, {e: (f, g)}])))",
        "x = not a or b and not c if d else lambda y: y + 1",
        "x = a.b.c.d[e][f](g)(h).i",
        "x = [i for i in range(10) if i % 2]",
        "x = '(((' + \"[[[\" + '''{{{''' # ((((\n",
        "def f(a, *, b=-1, **k) -> int:\n    return -a - -b\n",
    ]
    for text in samples:
        tree = ast.parse(text)
        expr_depth = max(depth(stmt) for stmt in tree.body)
        assert max_nesting(text) >= expr_depth - 2, (text, max_nesting(text), expr_depth)


def test_nesting_estimate_of_logcheck_itself_is_far_below_the_limit():
    src = Path(logcheck.__file__).parent
    worst = max(max_nesting(p.read_text(encoding="utf-8")) for p in src.rglob("*.py"))
    assert worst < MAX_DEPTH // 5


@pytest.mark.parametrize("text, row, col, message", [
    ("import logging\ndef f(:\n    pass\n", 2, 7, "SyntaxError: invalid syntax"),
    ("import logging\nx = (1,\n", 2, 5, "SyntaxError: '(' was never closed"),
    ("import logging\nprint 'x'\n", 2, 1, "SyntaxError: Missing parentheses"),
    ("import logging\nif x:\n    a\n  b\n", 4, 4, "IndentationError: unindent does not match"),
    ("import logging\nx = 'abc\n", 2, 5, "SyntaxError: unterminated string literal"),
])
def test_syntax_error_names_line_and_column(text, row, col, message):
    diags = check_text(text)
    assert [(d.code, d.row, d.col) for d in diags] == [("LC000", row, col)]
    assert diags[0].message.startswith(message)


@pytest.mark.parametrize("text", [
    "import logging\nmatch x:\n    case [1, *rest]:\n        logging.info('x')\n",
    "import logging\ntry:\n    pass\nexcept* ValueError:\n    logging.info('x')\n",
    "import logging\nasync def f():\n    async with a as b, c as d:\n        logging.info('x')\n",
    "import logging\ntype Alias = list[int]\ndef f[T](x: T) -> T:\n    logging.info('x')\n",
    "import logging\nlogging.info(f'{x!r:>{width}} {y=}')\n",
])
def test_newer_syntax_that_libcst_supports_is_not_lc000(text):
    found = [d.code for d in check_text(text)]
    assert "LC000" not in found and "LC101" in found


def test_internal_error_in_a_rule_is_isolated(tmp_path, monkeypatch):
    root = project(tmp_path, {"a.py": ROOT_CALL, "b.py": ROOT_CALL})
    rule = registry.all_rules()["LC101"]

    def boom(self, node):
        if self.ctx.path == "a.py":
            raise ValueError("simulated bug")

    monkeypatch.setattr(rule, "visit_Call", boom)
    outcomes = runner.run(_jobs(root, ["a.py", "b.py"]), runner.Options(), workers=1)
    assert outcomes[0].fixed < 0 and "a.py: internal error: ValueError: simulated bug" in outcomes[0].errors[0]
    assert len(outcomes[0].errors[0].splitlines()) == 1
    assert outcomes[1].errors == []


# --------------------------------------------------------------------------- false positives seen on real code

def test_lc304_silent_in_a_wrapper_that_forwards_its_args():
    # gunicorn/glogging.py: `def exception(self, msg, *args, **kwargs):
    #     self.error_log.exception(msg, *args, **kwargs)`. A public method or function may be
    # called from a handler outside the project: the call graph cannot show that no
    # exception is in flight, so nothing is reported; a private helper that nothing calls
    # from a handler is
    text = (
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "class Logger:\n"
        "    def exception(self, msg, *args, **kwargs):\n"
        "        log.exception(msg, *args, **kwargs)\n"
        "    def error(self, msg, *a, **kw):\n"
        "        log.error(msg, *a, exc_info=True, **kw)\n"
        "def f(*a):\n"
        "    log.exception('boom %s', *a)\n"
        "def _helper():\n"
        "    log.exception('boom')\n"
        "try:\n"
        "    pass\n"
        "except Exception:\n"
        "    log.exception('in a handler %s', *args)\n"
    )
    assert [(d.code, d.row) for d in check_text(text) if d.code == "LC304"] == [("LC304", 11)]
