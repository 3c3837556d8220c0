"""scripts/mutation.py: it prints a score only when it has one (issue 26), its groups name
code that exists, and mutmut's work tree gets every repository file the tests read.

The decisions run on canned mutmut outputs; one real mutmut run, on a tiny project whose
only test fails, shows the line a run that cannot start ends with."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from typing import Dict, List, Set

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python < 3.11: the tomli dependency
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "mutation.py"
_spec = importlib.util.spec_from_file_location("mutation_script", SCRIPT)
mutation = importlib.util.module_from_spec(_spec)
sys.modules["mutation_script"] = mutation
_spec.loader.exec_module(mutation)

MUTMUT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]

#: what `mutmut run` prints when the suite fails while it learns which tests reach which
#: function (mutmut 3.8, abbreviated: the traceback is left out)
STATS_FAILED = """\
\u280b Generating mutants\u2819 Generating mutants
    done in 39ms (1 files mutated, 2 ignored, 0 unmodified)
\u2838 Running stats     \u283c Running stats\u2834 Running stats
F
=================================== FAILURES ===================================
  File "/tmp/p/mutants/tests/test_cli.py", line 788, in test_pre_commit_hooks_use_force_exclude
FileNotFoundError: [Errno 2] No such file or directory: '/tmp/p/mutants/.pre-commit-hooks.yaml'
=========================== short test summary info ============================
FAILED tests/test_cli.py::test_pre_commit_hooks_use_force_exclude - FileNotFoundError: [Errno 2] No such file
1 failed, 40 passed in 3.20s
failed to collect stats. runner returned 1

"""

RESULTS = """\
    logcheck.rules.security.x_secret_match__mutmut_1: killed
    logcheck.rules.security.x_secret_match__mutmut_2: survived
    logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_1: timeout
    logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_2: no tests
    logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_3: killed
    logcheck.lint.suppression.x_noqa_codes__mutmut_1: killed
    logcheck.lint.suppression.x_noqa_codes__mutmut_2: suspicious
    logcheck.lint.suppression.xǁSuppressionsǁline__mutmut_1: segfault
    logcheck.lint.check.x_fix_source__mutmut_1: killed
    logcheck.lint.check.x_fix_source_edits__mutmut_1: survived
    logcheck.lint.check.x_check_source__mutmut_1: survived
    logcheck.lint.fixes.xǁReplacerǁon_leave__mutmut_1: killed
"""


# ----------------------------------------------------------------------------- decisions


def test_a_failed_stats_run_is_one_line_naming_mutmuts_cause_and_the_failing_test():
    assert mutation.run_failure(1, STATS_FAILED) == (
        "mutmut run failed (exit 1): failed to collect stats. runner returned 1; first failing test: "
        "tests/test_cli.py::test_pre_commit_hooks_use_force_exclude - FileNotFoundError: [Errno 2] No such file")


def test_a_failed_clean_run_and_a_silent_crash_are_named_too():
    assert mutation.run_failure(1, "Running clean tests\nF\n1 failed\nFailed to run clean test\n") == \
        "mutmut run failed (exit 1): Failed to run clean test"
    assert mutation.run_failure(-9, "") == "mutmut run failed (exit -9): no output"
    crash = ("Traceback (most recent call last):\n  File \"harness.py\", line 136, in execute_pytest\n"
             "mutmut.runners.harness.BadTestExecutionCommandsException: Failed to run pytest with args: "
             + repr(["-q", "--rootdir=."] + [f"tests/test_messages.py::test_detection[LC201-{n}]" for n in range(900)])
             + ". If your config sets debug=true, the original pytest error should be above.\n")
    assert mutation.run_failure(1, crash) == (
        "mutmut run failed (exit 1): mutmut.runners.harness.BadTestExecutionCommandsException: Failed to run pytest "
        "with args: ['-q', '--rootdir=.', 'tests/test_messages.py::test_detection[LC201-0]', "
        "'tests/test_messages.py::test_detecti ...")


def test_results_are_read_per_mutant():
    results = mutation.parse_results(RESULTS + "some other line\n")
    assert len(results) == 12
    assert results["logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_2"] == "no tests"


def test_a_score_counts_timeouts_as_killed_and_untested_mutants_as_surviving():
    results = mutation.parse_results(RESULTS)
    security = mutation.score("security", results, set())
    assert security[:5] == ("security", 5, 3, 2, 0)
    assert security.percent == pytest.approx(60.0)
    assert security.survivors == ("logcheck.rules.security.x_secret_match__mutmut_2: survived",
                                  "logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_2: no tests")
    equivalent = {"logcheck.rules.security.x_secret_match__mutmut_2"}
    assert mutation.score("security", results, equivalent)[:5] == ("security", 5, 3, 1, 1)


def test_a_group_takes_its_functions_and_no_function_whose_name_only_starts_alike():
    fixloop = mutation.score("fixloop", mutation.parse_results(RESULTS), set())
    # fix_source and Replacer.on_leave, not fix_source_edits or check_source
    assert fixloop[:5] == ("fixloop", 2, 2, 0, 0)
    assert mutation.score("suppression", mutation.parse_results(RESULTS), set())[:5] == ("suppression", 3, 2, 1, 0)
    # the globs mutmut is given take every mutant of the group (and, as mutmut matches them
    # against its test map too, those of a function whose name starts alike: not scored)
    names = list(mutation.parse_results(RESULTS))
    for group in ("security", "suppression", "fixloop"):
        globs = mutation.mutant_globs(mutation.GROUPS[group], REPO)
        for name in names:
            if any(mutation.in_target(name, t) for t in mutation.GROUPS[group]):
                assert any(fnmatch(name, g) for g in globs), (group, name)
                # the key of its function in mutmut's test map: the clean run runs its tests
                assert any(fnmatch(name.partition("__mutmut_")[0], g) for g in globs), (group, name)


@pytest.mark.parametrize("results, message", [
    ("", "group 'security' has no mutants in mutmut's results (logcheck/rules/security.py); no score"),
    (RESULTS.replace("_1: killed", "_1: not checked"),
     "group 'security': 1 of 5 mutants were not tested (e.g. logcheck.rules.security.x_secret_match__mutmut_1); "
     "no score"),
    (RESULTS.replace("timeout", "caught by type check"),
     "group 'security': mutant logcheck.rules.security.xǁSecretInLogǁcheck__mutmut_1 is 'caught by type check', "
     "which the score does not count"),
], ids=["no-mutants", "not-checked", "unknown-status"])
def test_no_score_is_an_error(results, message):
    with pytest.raises(mutation.MutationError) as exc:
        mutation.score("security", mutation.parse_results(results), set())
    assert str(exc.value) == message


def test_only_equivalent_mutants_is_no_score():
    results = mutation.parse_results(RESULTS)
    security = {name for name in results if name.startswith("logcheck.rules.security.")}
    with pytest.raises(mutation.MutationError, match="all 5 mutants are listed as equivalent; no score"):
        mutation.score("security", results, security)


def _copy_of_the_repository(root: Path) -> Path:
    """pyproject.toml and the modules of the security and suppression groups: enough for
    main() to check those groups (a run makes `mutants/` in its root, never in REPO)."""
    for name in ("pyproject.toml", "logcheck/rules/security.py", "logcheck/lint/suppression.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes((REPO / name).read_bytes())
    return root


def _main(monkeypatch, capsys, tmp_path, argv, outputs):
    """main() with mutmut's answers canned: `outputs` maps a mutmut command to its output,
    or to the MutationError run_mutmut raises for it."""
    calls = []

    def fake_run_mutmut(args, root, modules, env=None, echo=False):
        calls.append(args[0])
        answer = outputs[args[0]]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(mutation, "run_mutmut", fake_run_mutmut)
    code = mutation.main(argv, root=_copy_of_the_repository(tmp_path))
    out, err = capsys.readouterr()
    return code, out, err, calls


def test_main_fails_with_one_line_when_mutmut_cannot_start(monkeypatch, capsys, tmp_path):
    failure = mutation.MutationError(mutation.run_failure(1, STATS_FAILED))
    code, out, err, calls = _main(monkeypatch, capsys, tmp_path, ["security"], {"run": failure})
    assert (code, out, calls) == (1, "", ["run"])
    assert err == ("mutation.py: error: mutmut run failed (exit 1): failed to collect stats. runner returned 1; "
                   "first failing test: tests/test_cli.py::test_pre_commit_hooks_use_force_exclude - "
                   "FileNotFoundError: [Errno 2] No such file\n")


def test_main_fails_when_a_requested_group_has_no_mutants(monkeypatch, capsys, tmp_path):
    security_only = "".join(line + "\n" for line in RESULTS.splitlines() if ".security." in line)
    code, out, err, calls = _main(monkeypatch, capsys, tmp_path, ["--report-only", "security", "suppression"],
                                  {"results": security_only})
    assert (code, out, calls) == (1, "", ["results"])
    assert err == ("mutation.py: error: group 'suppression' has no mutants in mutmut's results "
                   "(logcheck/lint/suppression.py); no score\n")


def test_main_prints_the_table_when_every_group_has_a_score(monkeypatch, capsys, tmp_path):
    code, out, err, calls = _main(monkeypatch, capsys, tmp_path, ["security", "suppression"],
                                  {"run": "", "results": RESULTS})
    assert (code, err, calls) == (0, "", ["run", "results"])
    assert (tmp_path / "mutants" / ".git").is_dir()  # its own root for logcheck's .gitignore walk
    assert out.splitlines()[:3] == [
        "group        mutants killed survived equivalent  score",
        "security           5      3        2          0  60.0%",
        "suppression        3      2        1          0  66.7%",
    ]


def test_fail_under_prints_the_table_then_fails_naming_the_groups_below(monkeypatch, capsys, tmp_path):
    argv = ["--fail-under", "65", "security", "suppression"]
    code, out, err, _ = _main(monkeypatch, capsys, tmp_path, argv, {"run": "", "results": RESULTS})
    assert code == 1 and out.splitlines()[1].startswith("security           5      3        2")
    assert err == "mutation.py: error: below 65%: security 60.0% (2 surviving)\n"
    code, out, err, _ = _main(monkeypatch, capsys, tmp_path, ["--fail-under", "60"] + argv[2:],
                              {"run": "", "results": RESULTS})
    assert (code, err) == (0, "")


# ----------------------------------------------------------------------------- the groups


def test_a_group_naming_a_missing_module_or_function_is_refused(tmp_path):
    (tmp_path / "logcheck" / "lint").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nonly_mutate = ["logcheck/lint/*"]\n')
    with pytest.raises(mutation.MutationError) as exc:
        mutation.check_groups(["fixloop"], tmp_path)
    assert str(exc.value) == ("group 'fixloop' names logcheck/lint/check.py, which does not exist "
                              "(update GROUPS in scripts/mutation.py)")
    (tmp_path / "logcheck" / "lint" / "check.py").write_text("def fix_source():\n    pass\n")
    (tmp_path / "logcheck" / "lint" / "fixes.py").write_text("def apply_fixes():\n    pass\n\n\n"
                                                             "class Replacer:\n    pass\n")
    with pytest.raises(mutation.MutationError) as exc:
        mutation.check_groups(["fixloop"], tmp_path)
    assert str(exc.value) == ("group 'fixloop': logcheck/lint/fixes.py defines no non_overlapping, is_valid_python, "
                              "drops_comments, module_code (update GROUPS in scripts/mutation.py)")
    (tmp_path / "pyproject.toml").write_text('[tool.mutmut]\nonly_mutate = ["logcheck/rules/*"]\n')
    with pytest.raises(mutation.MutationError) as exc:
        mutation.check_groups(["fixloop"], tmp_path)
    assert str(exc.value) == ("group 'fixloop' names logcheck/lint/check.py, which [tool.mutmut] only_mutate "
                              "of pyproject.toml leaves out (add it there)")


def test_every_group_names_code_that_exists_and_only_mutate_matches_the_groups_modules():
    mutation.check_groups(list(mutation.GROUPS), REPO)
    modules = {t.module for targets in mutation.GROUPS.values() for t in targets}
    unused = [p for p in MUTMUT["only_mutate"] if not any(fnmatch(m, p) for m in modules)]
    assert unused == [], "only_mutate patterns no group uses (they only slow every mutmut run down)"


#: modules of logcheck/rules/ that decide no finding and rewrite nothing: the catalogue of
#: rules (which exist, which a Settings turns on, preview, the pages)
_RULE_CATALOGUE = {"registry.py", "selection.py", "preview.py", "pages.py"}


def test_every_module_that_decides_or_rewrites_is_in_a_group():
    """Issue 25: every rule module, the semantic modules that prove a logger call or place
    the module logger, and the configuration model have a mutation score; a new module
    there without a group would silently have none."""
    grouped = {t.module for t in mutation.GROUPS["all"]}
    deciding = [p.relative_to(REPO).as_posix() for folder in ("logcheck/rules", "logcheck/config_model")
                for p in sorted((REPO / folder).rglob("*.py"))
                if p.name not in _RULE_CATALOGUE and p.name != "__init__.py"]
    deciding += [f"logcheck/semantics/{name}.py" for name in ("scopes", "provenance", "project", "module_logger")]
    deciding += ["logcheck/lint/suppression.py", "logcheck/lint/check.py", "logcheck/lint/fixes.py"]
    assert [m for m in deciding if m not in grouped] == []
    assert set(mutation.GROUPS["rules"]) | set(mutation.GROUPS["semantics"]) <= set(mutation.GROUPS["all"])


def test_the_tests_mutmut_deselects_exist():
    """A `--deselect` of a renamed test deselects nothing (and the run fails on it)."""
    args = MUTMUT["pytest_add_cli_args"]
    for node in (args[i + 1] for i, a in enumerate(args) if a == "--deselect"):
        path, _, name = node.partition("::")
        assert f"def {name}(" in (REPO / path).read_text(encoding="utf-8"), node


# ----------------------------------------------------------------------------- a real run


def test_a_real_run_whose_suite_fails_ends_with_the_one_line(tmp_path):
    """mutmut itself, on a project of one module and one failing test: the script exits 1
    and its last line names mutmut's cause and the test (about 2 s)."""
    for name, text in {
        "pyproject.toml": '[tool.mutmut]\nsource_paths = ["logcheck"]\nonly_mutate = ["logcheck/rules/*"]\n',
        "logcheck/__init__.py": "",
        "logcheck/rules/__init__.py": "",
        "logcheck/rules/security.py": "def double(x):\n    return x * 2\n",
        "tests/test_double.py": "from logcheck.rules.security import double\n\n\n"
                                "def test_double():\n    assert double(2) == 5\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "mutation.py").write_bytes(SCRIPT.read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MUTANT_UNDER_TEST", "PY_IGNORE"))}
    proc = subprocess.run([sys.executable, "scripts/mutation.py", "security"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr == ("mutation.py: error: mutmut run failed (exit 1): failed to collect stats. runner returned "
                           "1; first failing test: tests/test_double.py::test_double - assert 4 == 5\n")


# ----------------------------------------------------------------------------- mutmut's copy


#: a string that may be a path relative to the repository root (`examples/config`, `README.md`)
_RELATIVE_PATH = re.compile(r"(?!\.\.?(/|$))[\w.-]+(/[\w.-]+)*/?")


def _is_repo_root(node: ast.AST) -> bool:
    """`Path(__file__)`, maybe `.resolve()`d, two folders up (`.parent.parent`, `.parents[1]`):
    from tests/x.py that is the repository root."""
    levels = 0
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("resolve", "absolute"):
            node = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr == "parent":
            levels, node = levels + 1, node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and \
                node.value.attr == "parents" and isinstance(node.slice, ast.Constant):
            levels, node = levels + node.slice.value + 1, node.value.value
        else:
            break
    return levels == 2 and isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Path" and \
        [getattr(a, "id", "") for a in node.args] == ["__file__"]


def _repo_path(node: ast.AST, anchors: Dict[str, str]):
    """The repository-relative path `node` builds from the root (`ROOT / "a" / "b"` -> "a/b",
    as far as its parts are string literals), or None when it is not built from the root."""
    parts: List[str] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.insert(0, node.right.value if isinstance(node.right, ast.Constant) and
                     isinstance(node.right.value, str) else None)
        node = node.left
    if isinstance(node, ast.Name) and node.id in anchors:
        prefix = anchors[node.id]
    elif _is_repo_root(node):
        prefix = ""
    else:
        return None
    literal = parts[:parts.index(None)] if None in parts else parts
    return "/".join(p for p in [prefix] + literal if p)


def _imported_repo_paths(source: str) -> Set[str]:
    """Top-level folders/modules of the repository a script imports (`from bench import corpus`)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if (REPO / n).is_dir()} | {f"{n}.py" for n in names if (REPO / f"{n}.py").is_file()}


def repository_paths_read_by_tests() -> Dict[str, str]:
    """Repository paths the offline suite reads, each with the test module that reads it.

    Derived from the test sources, not listed by hand:
    1. in every tests/*.py module (those marked `network` are left out: the mutation runs
       deselect them), a name bound to `Path(__file__)` two folders up is the repository
       root, and a name bound to `<root> / "literal"...` is that path;
    2. every `<root or such name> / "a" / "b"` expression (its leading string literals) and
       every use of such a name is a path the module reads;
    3. a module that runs commands with `cwd=<root>` also reads the string literals it holds
       that name an existing top-level entry (`"examples/config"` given to `logcheck`);
    4. a Python file found that way is read for its imports of repository packages
       (scripts/precision.py imports `bench`), transitively.
    An audit of the whole suite with an `open`/`os.listdir` audit hook (December 2026)
    found the same entries outside tests/ and logcheck/, plus files logcheck itself looks
    for when run in the repository (.gitignore, flake8's config files), which change nothing
    in mutmut's work tree."""
    found: Dict[str, str] = {}
    for test in sorted((REPO / "tests").glob("*.py")):
        tree = ast.parse(test.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.Assign) and [getattr(t, "id", "") for t in n.targets] == ["pytestmark"]
               and "network" in ast.unparse(n.value) for n in tree.body):
            continue
        anchors: Dict[str, str] = {}
        for _ in range(3):  # names bound from names bound from the root
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    path = _repo_path(node.value, anchors)
                    if path is not None:
                        anchors[node.targets[0].id] = path
        runs_in_root = False
        for node in ast.walk(tree):
            path = _repo_path(node, anchors) if isinstance(node, (ast.BinOp, ast.Name)) else None
            if path:
                found.setdefault(path, test.name)
            if isinstance(node, ast.keyword) and node.arg == "cwd" and _repo_path(node.value, anchors) == "":
                runs_in_root = True
            if isinstance(node, ast.arguments):
                named = node.args[len(node.args) - len(node.defaults):] + node.kwonlyargs
                defaults = list(node.defaults) + list(node.kw_defaults)
                runs_in_root |= any(a.arg == "cwd" and d is not None and _repo_path(d, anchors) == ""
                                    for a, d in zip(named, defaults))
        if runs_in_root:
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                        _RELATIVE_PATH.fullmatch(node.value) and (REPO / node.value.split("/")[0]).exists():
                    found.setdefault(node.value, test.name)
    scripts = [p for p in found if p.endswith(".py")]
    while scripts:
        script = scripts.pop()
        for path in _imported_repo_paths((REPO / script).read_text(encoding="utf-8")) - set(found):
            found[path] = script
            modules = sorted((REPO / path).rglob("*.py")) if (REPO / path).is_dir() else [REPO / path]
            scripts.extend(m.relative_to(REPO).as_posix() for m in modules)
    return found


def not_copied(paths: Dict[str, str], also_copy: List[str]) -> Dict[str, str]:
    """The paths mutmut's work tree lacks: mutmut copies the source paths, `tests/`,
    `pyproject.toml`, `setup.cfg` and the `also_copy` entries (a folder with its contents)."""
    copied = list(also_copy) + [p.rstrip("/") + "/" for p in MUTMUT["source_paths"]] + \
        ["tests/", "pyproject.toml", "setup.cfg"]
    return {path: reader for path, reader in paths.items()
            if not any(path == c.rstrip("/") or (c.endswith("/") and path.startswith(c)) for c in copied)}


def test_the_derivation_finds_what_the_tests_read():
    paths = repository_paths_read_by_tests()
    for path in [".pre-commit-hooks.yaml", "README.md", "docs/ci.md", "examples/config", "rules",
                 "scripts/precision.py"]:
        assert path in paths, path
    assert paths["bench"] == "scripts/precision.py"  # imported by a script a test loads
    assert ".git" not in paths  # only test_precommit.py (network) looks for it


def test_mutmuts_copy_has_every_repository_file_the_tests_read():
    paths = repository_paths_read_by_tests()
    assert not_copied(paths, MUTMUT["also_copy"]) == {}
    assert [e for e in MUTMUT["also_copy"] if not (REPO / e).exists()] == []
    for entry in MUTMUT["also_copy"]:  # each entry is needed: without it, something is missing
        assert not_copied(paths, [e for e in MUTMUT["also_copy"] if e != entry]), entry


def _two_module_project(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mutmut]\nsource_paths = ["pkg"]\nonly_mutate = ["pkg/*"]\n'
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n', encoding="utf-8")
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "a.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    (tmp_path / "pkg" / "b.py").write_text("def sub(a, b):\n    return a - b\n", encoding="utf-8")
    (tmp_path / "tests" / "test_x.py").write_text(
        "from pkg.a import add\nfrom pkg.b import sub\n\n"
        "def test_add():\n    assert add(1, 2) == 3\n\ndef test_sub():\n    assert sub(3, 2) == 1\n",
        encoding="utf-8")


def test_a_run_mutates_only_the_modules_of_its_groups(tmp_path):
    """pyproject's `only_mutate` names every module of every group; a run for one group
    mutates (and traces) that group's modules only. A real mutmut run on a two-module project."""
    _two_module_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("MUTANT_UNDER_TEST", "PYTEST_ADDOPTS")}
    mutation.run_mutmut(["run"], tmp_path, ["pkg/a.py"], env)
    results = mutation.parse_results(mutation.run_mutmut(["results", "--all", "true"], tmp_path, ["pkg/a.py"]))
    assert results == {"pkg.a.x_add__mutmut_1": "killed"}
    assert (tmp_path / "mutants" / "pkg" / "a.py.meta").is_file()
    assert not (tmp_path / "mutants" / "pkg" / "b.py.meta").exists()
    assert (tmp_path / "mutants" / "pkg" / "b.py").read_text(encoding="utf-8") == "def sub(a, b):\n    return a - b\n"


def test_the_map_of_tests_is_forgotten_when_its_run_traced_other_modules(tmp_path):
    (tmp_path / "mutants").mkdir()
    stats = tmp_path / "mutants" / "mutmut-stats.json"
    stats.write_text("{}", encoding="utf-8")
    mutation.forget_what_other_runs_left(["a.py"], tmp_path)          # no record: who knows what it traced
    assert not stats.exists()
    stats.write_text("{}", encoding="utf-8")
    mutation.forget_what_other_runs_left(["a.py"], tmp_path)          # traced a.py: kept
    assert stats.exists()
    mutation.forget_what_other_runs_left(["b.py"], tmp_path)          # b.py was not traced
    assert not stats.exists()
    stats.write_text("{}", encoding="utf-8")
    mutation.forget_what_other_runs_left(["b.py"], tmp_path)
    assert stats.exists()
    stats.unlink()
    mutation.forget_what_other_runs_left(["b.py"], tmp_path)          # no map: the record follows the new run
    stats.write_text("{}", encoding="utf-8")
    mutation.forget_what_other_runs_left(["a.py"], tmp_path)
    assert not stats.exists()


def test_a_plain_copy_an_earlier_run_left_is_not_taken_for_a_mutant_file(tmp_path):
    (tmp_path / "mutants" / "pkg").mkdir(parents=True)
    for name, text in (("a.py", "def f():\n    return 1\n"), ("b.py", "def g():\n    return 2\n")):
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / name).write_text(text, encoding="utf-8")
    (tmp_path / "mutants" / "pkg" / "a.py").write_text("def f():\n    return 1\n", encoding="utf-8")   # plain
    (tmp_path / "mutants" / "pkg" / "a.py.meta").write_text("{}", encoding="utf-8")
    (tmp_path / "mutants" / "pkg" / "b.py").write_text("# mutated\n", encoding="utf-8")
    mutation.forget_what_other_runs_left(["pkg/a.py", "pkg/b.py"], tmp_path)
    assert not (tmp_path / "mutants" / "pkg" / "a.py").exists()
    assert not (tmp_path / "mutants" / "pkg" / "a.py.meta").exists()
    assert (tmp_path / "mutants" / "pkg" / "b.py").read_text(encoding="utf-8") == "# mutated\n"


def test_a_second_run_for_another_group_in_the_same_clone_mutates_and_traces_it(tmp_path):
    """The real mutmut, twice in one work tree: first `a.py`, then `b.py` (whose copy the
    first run left plain, and whose functions its map of tests does not know)."""
    _two_module_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("MUTANT_UNDER_TEST", "PYTEST_ADDOPTS")}
    for module, expected in (("pkg/a.py", {"pkg.a.x_add__mutmut_1": "killed"}),
                             ("pkg/b.py", {"pkg.b.x_sub__mutmut_1": "killed"})):
        mutation.forget_what_other_runs_left([module], tmp_path)
        mutation.run_mutmut(["run"], tmp_path, [module], env)
        results = mutation.parse_results(mutation.run_mutmut(["results", "--all", "true"], tmp_path, [module]))
        assert {k: v for k, v in results.items() if k.startswith(mutation.dotted(module))} == expected
