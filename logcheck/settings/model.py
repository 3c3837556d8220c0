"""logcheck's own settings: one frozen `Settings` per configuration, and the path globs its
fields are matched with. Read once (`workspace/settings_loader.py`), never changed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

from logcheck.config_model.policy import Policy
from logcheck.semantics.logger_names import DEFAULT_LOGGER_NAMES
from logcheck.settings.path_defaults import (DEFAULT_ALLOW_PRINT, DEFAULT_APPLICATION_PATHS, DEFAULT_EXAMPLE_PATHS,
                                             DEFAULT_TEST_PATHS)

DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", "env", "build", "dist", "__pycache__",
    "node_modules", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".logcheck_cache",
    "*.egg-info", "site-packages", "__pypackages__", ".eggs",
)


DEFAULT_SECRET_NAMES: Tuple[str, ...] = (
    "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "access_key",
    "private_key", "credential", "auth", "session_id", "cookie",
)


OUTPUT_FORMATS: Tuple[str, ...] = ("text", "concise", "full", "json", "sarif", "github", "gitlab", "junit")


LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "logger-names",
              "allow-print", "extend-allow-print", "test-paths", "extend-test-paths", "application-paths",
              "extend-application-paths", "example-paths", "extend-example-paths", "secret-names", "config-files",
              "logger-factories", "lambda-paths")


KNOWN_KEYS = frozenset(LIST_KEYS + ("per-file-ignores", "policy", "output-format", "force-exclude",
                                     "swallowed-exception", "rule-url", "preview"))


#: LC307: "default" accepts the signs of a deliberate swallow (a comment, an optional
#: import, cleanup, tests); "strict" reports every broad handler that does nothing
SWALLOWED_EXCEPTION_MODES: Tuple[str, ...] = ("default", "strict")


@dataclass(frozen=True)
class Settings:
    #: folder that relative globs are matched against (the pyproject's folder)
    root: Path
    #: the pyproject.toml the settings came from, if any
    origin: Optional[Path] = None
    select: Optional[Tuple[str, ...]] = None
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    logger_names: Tuple[str, ...] = DEFAULT_LOGGER_NAMES
    #: globs of files where print() is fine (LC401-LC403); `extend-allow-print` adds to them
    allow_print: Tuple[str, ...] = DEFAULT_ALLOW_PRINT
    extend_allow_print: Tuple[str, ...] = ()
    #: globs of test files (LC307 is silent there)
    test_paths: Tuple[str, ...] = DEFAULT_TEST_PATHS
    extend_test_paths: Tuple[str, ...] = ()
    #: globs of files that are programs, not importable library code (LC504/LC507)
    application_paths: Tuple[str, ...] = DEFAULT_APPLICATION_PATHS
    extend_application_paths: Tuple[str, ...] = ()
    #: globs of examples, demos and documentation: code that shows how, never deployed
    #: (the deployment-policy rules are silent there, as in tests)
    example_paths: Tuple[str, ...] = DEFAULT_EXAMPLE_PATHS
    extend_example_paths: Tuple[str, ...] = ()
    secret_names: Tuple[str, ...] = DEFAULT_SECRET_NAMES
    swallowed_exception: str = "default"
    config_files: Tuple[str, ...] = ()
    #: dotted names of callables outside the checked files that return a stdlib logger
    #: (`myapp.log.get_logger`): their results are proven loggers
    logger_factories: Tuple[str, ...] = ()
    #: globs of modules that are AWS Lambda entry points where no deployment file names
    #: the handler: their module-level `(event, context)` functions are handlers (LC802-LC805)
    lambda_paths: Tuple[str, ...] = ()
    policy: Policy = field(default_factory=Policy)
    output_format: Optional[str] = None
    #: where reports link a rule's page: a URL with `{code}` (default: the page file that
    #: ships with logcheck; see rules.pages.rule_url)
    rule_url: Optional[str] = None
    #: apply `exclude`/`extend-exclude` to paths named on the command line too (pre-commit)
    force_exclude: bool = False
    #: run the rules of the preview group (`rules/preview.py`); off: they never run
    preview: bool = False

    @property
    def origin_name(self) -> str:
        return str(self.origin) if self.origin else "command line"

    def relative(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.resolved_root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    @property
    def resolved_root(self) -> Path:
        return _resolved(self.root)

    @property
    def exclusions(self) -> "PathPatterns":
        """`exclude` + `extend-exclude`, compiled."""
        return path_patterns(self.exclude + self.extend_exclude)

    def _matches(self, path: Path, patterns: Tuple[str, ...]) -> bool:
        return path_patterns(patterns).matches(self.relative(path))

    def print_allowed(self, path: Path) -> bool:
        return self._matches(path, self.allow_print + self.extend_allow_print)

    def is_test_path(self, path: Path) -> bool:
        return self._matches(path, self.test_paths + self.extend_test_paths)

    def is_application_path(self, path: Path) -> bool:
        return self._matches(path, self.application_paths + self.extend_application_paths)

    def is_deployed_path(self, path: Path) -> bool:
        """Code that may run where the logging policy applies: neither a test nor an
        example (what the path says)."""
        return not (self.is_test_path(path)
                    or self._matches(path, self.example_paths + self.extend_example_paths))

    def is_lambda_path(self, path: Path) -> bool:
        return bool(self.lambda_paths) and self._matches(path, self.lambda_paths)

    def is_library_path(self, path: Path) -> bool:
        """Neither a test nor an application path (what the path alone says: see
        `logcheck.purpose` for what the code says)."""
        return not (self.is_test_path(path) or self.is_application_path(path))


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    # a settings root is resolved once per run, not once per file discovery asks about
    return root.resolve()


@dataclass(frozen=True)
class PathPatterns:
    """A list of globs compiled into two regular expressions, with glob_match's meaning:
    the slashless patterns test each component of a path, the others the whole path."""

    #: the slashless patterns, one alternation (None: there are none)
    names: Optional["re.Pattern"]
    #: the patterns with a slash, one alternation
    paths: Optional["re.Pattern"]

    def component(self, part: str) -> bool:
        """One path component matches a slashless pattern."""
        return self.names is not None and self.names.match(part) is not None

    def whole(self, rel_path: str) -> bool:
        """The path matches a pattern with a slash."""
        return self.paths is not None and self.paths.match(rel_path) is not None

    def matches(self, rel_path: str) -> bool:
        """What `any(glob_match(rel_path, p) for p in patterns)` says."""
        return self.whole(rel_path) or any(self.component(part) for part in rel_path.split("/") if part)


@lru_cache(maxsize=512)
def path_patterns(patterns: Tuple[str, ...]) -> PathPatterns:
    names = [_name_regex(p.rstrip("/")) for p in patterns if "/" not in p.rstrip("/")]
    paths = [_glob_regex(p) for p in patterns if "/" in p.rstrip("/")]

    def one(parts: List[str]):
        return re.compile("|".join(f"(?:{part})" for part in parts)) if parts else None

    return PathPatterns(one(names), one(paths))


def glob_match(rel_path: str, pattern: str) -> bool:
    """gitignore-style matching of a path relative to the settings root: `**` spans folders;
    a pattern without a slash matches the file name at any depth."""
    return path_patterns((pattern,)).matches(rel_path)


def _name_regex(pattern: str) -> str:
    """The regular expression of a slashless pattern, matched against one component."""
    import fnmatch

    return fnmatch.translate(pattern)


def _glob_regex(pattern: str) -> str:
    """The regular expression of a pattern with a slash, matched against the whole path."""
    pattern = pattern.lstrip("/")
    out = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out += "(?:/.*)?"
            i += 3
            continue
        if pattern.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        else:
            out += re.escape(c)
        i += 1
    return out + "$"
