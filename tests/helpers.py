"""Shared helpers for rule tests: check or fix a source string in a temporary project."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from logcheck.diagnostics import Diagnostic
from logcheck.lint.check import check_source, fix_source
from logcheck.rules import registry
from logcheck.rules.selection import codes_for
from logcheck.settings.model import Settings
from logcheck.source.text import SourceText
from logcheck.workspace.settings_loader import settings_from_table

#: multiplies the example counts of the property tests: `LOGCHECK_PROPERTY_SCALE=20` (see
#: scripts/long_properties.sh) for the long run; the default fits the CI time
PROPERTY_SCALE = float(os.environ.get("LOGCHECK_PROPERTY_SCALE", "1"))


def examples(count: int) -> int:
    """`count` hypothesis examples, scaled by LOGCHECK_PROPERTY_SCALE."""
    return max(1, round(count * PROPERTY_SCALE))


def plain_id(text: str) -> str:
    """`text` as a test id that pytest shows as it is: whitespace runs become one space, other
    characters outside printable ASCII (and `\\`) become `?`. pytest escapes the others, and
    escapes the ids of a parametrize mark with `ids=` once more when it collects the tests
    again in the same process, as mutmut does: it then finds no test of the id it collected."""
    return "".join(c if " " <= c <= "~" and c != "\\" else "?" for c in " ".join(text.split()))


REPO = Path(__file__).resolve().parent.parent


def checkout_env(**extra: str) -> Dict[str, str]:
    """The environment of a `python -m logcheck` child that must run this checkout's code:
    the repository first on PYTHONPATH. Without mutmut's MUTANT_UNDER_TEST: under a mutation
    run, a mutated module in a child whose working folder is elsewhere cannot find mutmut's
    configuration and fails, so the child runs the code as written, as every other
    command-line test does (scripts/mutation.py; docs/testing.md)."""
    env = {k: v for k, v in os.environ.items() if k != "MUTANT_UNDER_TEST"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.update(extra)
    return env


def make_settings(table: Optional[Dict[str, Any]] = None, root: Optional[Path] = None) -> Settings:
    """Settings for tests of what rules do: preview on (`rules/preview.py`), so that a rule
    in preview is tested as its page describes it; the CLI tests run the real defaults."""
    return settings_from_table({"preview": True, **(table or {})}, root or Path.cwd(), None)


#: the project a source string is checked in: an empty folder of its own (its `.git` marks
#: the root), so that no project-wide question (every assignment to an attribute, the
#: modules of the project, the call graph) is answered from this repository's files
SNIPPET_PROJECT = Path(tempfile.mkdtemp(prefix="logcheck-snippets-"))
(SNIPPET_PROJECT / ".git").mkdir()
atexit.register(shutil.rmtree, SNIPPET_PROJECT, True)


def snippet_path(path: str) -> str:
    """`path` as a file of the snippet project (an absolute path is kept)."""
    return path if os.path.isabs(path) else str(SNIPPET_PROJECT / path)


def _rules(settings: Settings, path: str, select: Optional[Iterable[str]]):
    codes = registry.expand(select, "test") if select is not None else codes_for(settings, Path(path))
    return registry.rules_for(codes)


def check(source: str, select: Optional[Iterable[str]] = None, *, path: str = "example.py",
          settings: Optional[Dict[str, Any]] = None, dedent: bool = True) -> List[Diagnostic]:
    """Diagnostics for `source` (dedented) with the given rule selection."""
    if dedent:
        source = textwrap.dedent(source)
    s = make_settings(settings, SNIPPET_PROJECT)
    path = snippet_path(path)
    text = SourceText(source, "utf-8", False)
    return check_source(path, text, _rules(s, path, select), s).diagnostics


def codes(source: str, select: Optional[Iterable[str]] = None, **kw) -> List[str]:
    return [d.code for d in check(source, select, **kw)]


def offered(diagnostic: Diagnostic):
    """The fix a diagnostic offers, as (applicability, title), or None."""
    return None if diagnostic.fix is None else (diagnostic.fix.applicability, diagnostic.fix.message)


def fix(source: str, select: Optional[Iterable[str]] = None, *, unsafe: bool = False, path: str = "example.py",
        settings: Optional[Dict[str, Any]] = None, dedent: bool = True) -> str:
    """The source after `--fix` (with `--unsafe-fixes` when unsafe)."""
    if dedent:
        source = textwrap.dedent(source)
    s = make_settings(settings, SNIPPET_PROJECT)
    path = snippet_path(path)
    text = SourceText(source, "utf-8", False)
    outcome = fix_source(path, text, _rules(s, path, select), s, unsafe=unsafe)
    assert not outcome.failed, outcome.failed
    return outcome.text


def project_files(tmp_path: Path, files: Dict[str, str]) -> Path:
    """A project in `tmp_path` (a pyproject.toml and the dedented `files`)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n", encoding="utf-8")
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def check_project_file(root: Path, rel: str, select, table=None):
    """check_source's result for the project file `rel` (its imports resolve in `root`)."""
    settings = make_settings(table, root)
    path = root / rel
    text = SourceText(path.read_text(encoding="utf-8"), "utf-8", False)
    return check_source(str(path), text, registry.rules_for(registry.expand(select, "test")), settings)


def fix_project_file(root: Path, rel: str, select, unsafe: bool = False) -> str:
    """The text of the project file `rel` after `--fix` (imports resolve in `root`)."""
    settings = make_settings(None, root)
    path = root / rel
    text = SourceText(path.read_text(encoding="utf-8"), "utf-8", False)
    outcome = fix_source(str(path), text, registry.rules_for(registry.expand(select, "test")), settings,
                         unsafe=unsafe)
    assert not outcome.failed, outcome.failed
    return outcome.text


def package_project(root: Path, package: str, files: Dict[str, str]) -> Path:
    """A project at `root` (a `pyproject.toml`) with one package of `files` (dedented)."""
    (root / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n")
    (root / package).mkdir()
    (root / package / "__init__.py").write_text("")
    for name, text in files.items():
        (root / package / name).write_text(textwrap.dedent(text))
    return root
