"""The pre-commit hooks, verified with the real pre-commit.

pre-commit installs the hook from this repository's committed HEAD into its own virtualenv
(which needs PyPI), so these tests are marked `network`: they run in the plain
`python -m pytest` (and CI); offline, deselect them with `-m "not network"`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")

pytestmark = pytest.mark.network

REPO = Path(__file__).resolve().parents[1]
BAD = textwrap.dedent('''\
    import logging

    log = logging.getLogger(__name__)


    def charge(order):
        log.warn("charging %s", order)
''')
FIXED = BAD.replace("log.warn(", "log.warning(")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def head() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip(f"{REPO} is not a git checkout (pre-commit installs hooks from a git repository)")
    return _git(REPO, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    # one hook environment for the module: built once from HEAD, reused by every test
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def user_repo(tmp_path) -> Path:
    repo = tmp_path / "user"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "app.py").write_text(BAD)
    (repo / "notes.txt").write_text("log.warn is not Python here\n")
    _git(repo, "add", "app.py", "notes.txt")
    _git(repo, "commit", "-q", "-m", "bad logging")
    return repo


def _pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=900)


def test_try_repo_fail_fix_pass(head, pre_commit_home, user_repo):
    def try_repo(hook: str) -> subprocess.CompletedProcess:
        return _pre_commit(user_repo, pre_commit_home, "try-repo", str(REPO), hook, "--ref", head,
                           "--all-files", "--verbose")

    check = try_repo("logcheck")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "app.py:7:5: LC301" in check.stdout
    assert "notes.txt" not in check.stdout  # types_or: only Python files are passed

    fix = try_repo("logcheck-fix")
    assert fix.returncode == 1, fix.stdout + fix.stderr  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in fix.stdout
    assert (user_repo / "app.py").read_text() == FIXED

    again = try_repo("logcheck")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout


def test_one_hook_run_prints_one_summary(head, pre_commit_home, user_repo):
    # pre-commit splits the files of a hook that is not `require_serial` into one batch per
    # core and runs them in parallel: each batch printed its own "Found N problems"
    for i in range(12):
        (user_repo / f"mod{i}.py").write_text(BAD)
    _git(user_repo, "add", ".")
    _git(user_repo, "commit", "-q", "-m", "more")
    check = _pre_commit(user_repo, pre_commit_home, "try-repo", str(REPO), "logcheck", "--ref", head,
                        "--all-files", "--verbose")
    assert check.returncode == 1, check.stdout + check.stderr
    summaries = [line for line in check.stdout.splitlines() if line.startswith(("Found ", "All checks passed"))]
    assert summaries == ["Found 13 problems (13 fixable with --fix)."], check.stdout


def _readme_snippet() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.DOTALL)
    assert m, "README.md has no `# .pre-commit-config.yaml` yaml block"
    return m.group(1)


def test_readme_pre_commit_config(head, pre_commit_home, user_repo):
    """The README's .pre-commit-config.yaml, pointed at this checkout, works as shown."""
    snippet = _readme_snippet()
    assert re.search(r"id: logcheck-fix\b", snippet) and re.search(r"id: logcheck(?![\w-])", snippet)
    config = re.sub(r"repo: \S+", f"repo: {REPO}", snippet, count=1)
    config = re.sub(r"rev: \S+", f"rev: {head}", config, count=1)
    (user_repo / ".pre-commit-config.yaml").write_text(config)
    _git(user_repo, "add", ".pre-commit-config.yaml")
    first = _pre_commit(user_repo, pre_commit_home, "run", "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    assert (user_repo / "app.py").read_text() == FIXED
    assert "files were modified by this hook" in first.stdout
    second = _pre_commit(user_repo, pre_commit_home, "run", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    # every hook of the snippet passes (logcheck-config reads .pre-commit-config.yaml and passes it over)
    assert second.stdout.count("Passed") == len(re.findall(r"- id: ", snippet)) == 3


LOGGING_INI = textwrap.dedent('''\
    [loggers]
    keys=root

    [handlers]
    keys=file

    [formatters]
    keys=plain

    [logger_root]
    level=INFO
    handlers=file

    [handler_file]
    class=FileHandler
    formatter=plain
    args=('app.log',)

    [formatter_plain]
    format=%(asctime)s %(levelname)s %(name)s %(message)s
''')


def test_hooks_respect_excludes_and_check_logging_config_files(head, pre_commit_home, user_repo):
    """pre-commit names every file: the hooks leave out what `exclude` leaves out
    (--force-exclude), and logcheck-config checks logging configs, silently passing over
    the other configuration files."""
    (user_repo / "pyproject.toml").write_text('[project]\nname = "user"\n\n[tool.logcheck]\nextend-exclude = ["generated"]\n'
                                               'preview = true\n')  # LC502 is in preview
    (user_repo / "generated").mkdir()
    (user_repo / "generated" / "api.py").write_text(BAD)
    (user_repo / "logging.ini").write_text(LOGGING_INI)
    (user_repo / "package.json").write_text('{"name": "user"}\n')
    _git(user_repo, "add", ".")
    _git(user_repo, "commit", "-q", "-m", "more files")

    def try_repo(hook: str) -> subprocess.CompletedProcess:
        return _pre_commit(user_repo, pre_commit_home, "try-repo", str(REPO), hook, "--ref", head,
                           "--all-files", "--verbose")

    check = try_repo("logcheck")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "app.py:7:5: LC301" in check.stdout and "generated/api.py" not in check.stdout

    config = try_repo("logcheck-config")
    assert config.returncode == 1, config.stdout + config.stderr
    assert "logging.ini:15:7: LC502" in config.stdout
    assert "package.json" not in config.stdout and "pyproject.toml" not in config.stdout
