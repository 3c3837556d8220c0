"""`[tool.logcheck]` from the nearest `pyproject.toml` (or `--config`), plus command-line
overrides, read once into frozen dataclasses.

Discovery follows ruff: for each file, the closest `pyproject.toml` above it that has a
`[tool.logcheck]` table; without one, the defaults rooted at the working directory.
Unknown keys, unknown codes and wrong types are ConfigErrors (exit 2) naming the file,
the key and the value.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from logcheck.errors import ConfigError
from logcheck.logger_names import DEFAULT_LOGGER_NAMES
from logcheck.policy import Policy, parse_policy, policy_enabled_codes
from logcheck.path_defaults import DEFAULT_ALLOW_PRINT, DEFAULT_APPLICATION_PATHS, DEFAULT_EXAMPLE_PATHS, DEFAULT_TEST_PATHS

DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".env", "env", "build", "dist", "__pycache__",
    "node_modules", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".logcheck_cache",
    "*.egg-info", "site-packages", "__pypackages__", ".eggs",
)
DEFAULT_SECRET_NAMES: Tuple[str, ...] = (
    "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "access_key",
    "private_key", "credential", "auth", "session_id", "cookie",
)
OUTPUT_FORMATS: Tuple[str, ...] = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")

_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "logger-names",
              "allow-print", "extend-allow-print", "test-paths", "extend-test-paths", "application-paths",
              "extend-application-paths", "example-paths", "extend-example-paths", "secret-names", "config-files",
              "logger-factories")
KNOWN_KEYS = frozenset(_LIST_KEYS + ("per-file-ignores", "policy", "output-format", "force-exclude",
                                     "swallowed-exception"))
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
    policy: Policy = field(default_factory=Policy)
    output_format: Optional[str] = None
    #: apply `exclude`/`extend-exclude` to paths named on the command line too (pre-commit)
    force_exclude: bool = False

    @property
    def origin_name(self) -> str:
        return str(self.origin) if self.origin else "command line"

    @property
    def enabled_codes(self) -> FrozenSet[str]:
        return _enabled_codes(self)

    def codes_for(self, path: Path) -> FrozenSet[str]:
        """Enabled codes for one file, after `per-file-ignores`."""
        codes = self.enabled_codes
        if not self.per_file_ignores:
            return codes
        from logcheck import registry

        rel = self.relative(path)
        for pattern, ignored in self.per_file_ignores:
            if glob_match(rel, pattern):
                codes = codes - registry.expand(ignored, self.origin_name)
        return codes

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

    def is_library_path(self, path: Path) -> bool:
        """Neither a test nor an application path (what the path alone says: see
        `logcheck.purpose` for what the code says)."""
        return not (self.is_test_path(path) or self.is_application_path(path))



@lru_cache(maxsize=256)
def _enabled_codes(settings: Settings) -> FrozenSet[str]:
    # imported here: the registry imports every rule (and libcst); a run answered from the
    # cache never needs it (see cache.py and SettingsResolver(validate=False))
    from logcheck import registry

    origin = settings.origin_name
    table = registry.all_rules()
    if settings.select is not None:
        codes = set(registry.expand(settings.select, origin))
    else:
        codes = {c for c, r in table.items() if r.default} | set(policy_enabled_codes(settings.policy))
    codes |= registry.expand(settings.extend_select, origin)
    codes -= registry.expand(settings.ignore, origin)
    return frozenset(codes)


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


# --------------------------------------------------------------------------- reading


def _list(key: str, value: Any, origin: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: `{key}` must be a list of strings, got {value!r}")
    return tuple(value)


def settings_from_table(table: Mapping[str, Any], root: Path, origin: Optional[Path],
                        validate: bool = True) -> Settings:
    """Settings from a `[tool.logcheck]` table. Keys and types are always checked; rule
    codes too unless `validate` is false (then `validate_codes` must run before use)."""
    where = str(origin) if origin else "command line"
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` in [tool.logcheck]")
    values: Dict[str, Any] = {"root": root, "origin": origin}
    for key in _LIST_KEYS:
        if key in table:
            values[key.replace("-", "_")] = _list(key, table[key], where)
    if "per-file-ignores" in table:
        pfi = table["per-file-ignores"]
        if not isinstance(pfi, Mapping):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes], got {pfi!r}")
        values["per_file_ignores"] = tuple(
            (glob, _list(f"per-file-ignores.{glob}", codes, where)) for glob, codes in pfi.items())
    if "policy" in table:
        values["policy"] = parse_policy(table["policy"], where)
    if "swallowed-exception" in table:
        mode = table["swallowed-exception"]
        if mode not in SWALLOWED_EXCEPTION_MODES:
            raise ConfigError(f"{where}: `swallowed-exception` has unknown value {mode!r} (expected one of: "
                              f"{', '.join(SWALLOWED_EXCEPTION_MODES)})")
        values["swallowed_exception"] = mode
    if "output-format" in table:
        fmt = table["output-format"]
        if fmt not in OUTPUT_FORMATS:
            raise ConfigError(f"{where}: `output-format` has unknown value {fmt!r} (expected one of: {', '.join(OUTPUT_FORMATS)})")
        values["output_format"] = fmt
    if "force-exclude" in table:
        if not isinstance(table["force-exclude"], bool):
            raise ConfigError(f"{where}: `force-exclude` must be true or false, got {table['force-exclude']!r}")
        values["force_exclude"] = table["force-exclude"]
    settings = Settings(**values)
    if validate:
        # validate every code now, so a typo is an error even if no file is checked
        validate_codes(settings)
    return settings


def validate_codes(settings: Settings) -> None:
    """ConfigError naming the settings' origin for any unknown code or prefix."""
    from logcheck import registry

    _enabled_codes(settings)
    for _, codes in settings.per_file_ignores:
        registry.expand(codes, settings.origin_name)


def _toml_error(path: Path, exc: Exception) -> str:
    """`file:line:col: invalid TOML: message` from tomllib's `... (at line L, column C)`."""
    text = str(exc)
    m = re.search(r" \(at line (\d+), column (\d+)\)$", text)
    if m is None:
        m = re.search(r" \(at end of document\)$", text)
        return f"{path}: invalid TOML{' at end of file' if m else ''}: {text[:m.start()] if m else text}"
    return f"{path}:{m.group(1)}:{m.group(2)}: invalid TOML: {text[:m.start()]}"


def _load_toml(path: Path) -> Dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def read_pyproject(path: Path) -> Optional[Dict[str, Any]]:
    """The `[tool.logcheck]` table of a pyproject.toml (None when it has none)."""
    data = _load_toml(path)
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "logcheck" not in tool:
        return None
    table = tool["logcheck"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.logcheck] must be a table")
    return table


@dataclass(frozen=True)
class Overrides:
    """Command-line settings that replace or extend what pyproject.toml says."""

    select: Optional[Tuple[str, ...]] = None
    ignore: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    policy_preset: Optional[str] = None
    exclude: Optional[Tuple[str, ...]] = None
    extend_exclude: Tuple[str, ...] = ()
    #: replaces the configuration's table, as ruff's `--per-file-ignores`
    per_file_ignores: Optional[Tuple[Tuple[str, Tuple[str, ...]], ...]] = None
    extend_allow_print: Tuple[str, ...] = ()
    force_exclude: bool = False

    def apply(self, settings: Settings, validate: bool = True) -> Settings:
        changes: Dict[str, Any] = {}
        if self.exclude is not None:
            changes["exclude"] = self.exclude
        if self.extend_exclude:
            changes["extend_exclude"] = settings.extend_exclude + self.extend_exclude
        if self.per_file_ignores is not None:
            changes["per_file_ignores"] = self.per_file_ignores
        if self.extend_allow_print:
            changes["extend_allow_print"] = settings.extend_allow_print + self.extend_allow_print
        if self.force_exclude:
            changes["force_exclude"] = True
        if self.select is not None:
            changes["select"] = self.select
        if self.ignore is not None:
            changes["ignore"] = self.ignore
        if self.extend_select:
            changes["extend_select"] = settings.extend_select + self.extend_select
        if self.policy_preset is not None:
            changes["policy"] = parse_policy({"preset": self.policy_preset}, "--preset")
        if not changes:
            return settings
        new = replace(settings, **changes)
        if validate:
            validate_codes(replace(new, origin=None))  # validate CLI codes, naming the command line
        return new


class SettingsResolver:
    """Finds and caches the Settings for each folder.

    With `validate=False` rule codes are not checked as settings are read (that needs the
    rule registry, hence libcst); `validate_codes()` checks them all later, with the same
    messages, and must run before any file is checked. A run answered entirely from the
    cache can skip it: its settings were validated by the run that filled the cache (the
    cache key holds the raw settings and the version of logcheck's code)."""

    def __init__(self, config: Optional[Path] = None, overrides: Overrides = Overrides(),
                 cwd: Optional[Path] = None, validate: bool = True) -> None:
        self.overrides = overrides
        self.validate = validate
        #: settings read from tables but not validated yet (validate=False)
        self._unvalidated: List[Settings] = []
        self.cwd = (cwd or Path.cwd()).resolve()
        self._by_dir: Dict[Path, Settings] = {}
        self._resolved: Dict[Path, Path] = {}
        self._fixed: Optional[Settings] = None
        if config is not None:
            config = Path(config)
            if not config.is_file():
                raise ConfigError(f"{config}: configuration file not found")
            table = read_pyproject(config) if config.name == "pyproject.toml" else _read_logcheck_toml(config)
            self._fixed = self._make(table or {}, config.resolve().parent, config)

    def _make(self, table: Mapping[str, Any], root: Path, origin: Optional[Path]) -> Settings:
        raw = settings_from_table(table, root, origin, validate=self.validate)
        if not self.validate:
            self._unvalidated.append(raw)
        return self.overrides.apply(raw, validate=self.validate)

    def validate_codes(self) -> None:
        """Check the rule codes of every settings read so far (see the class doc)."""
        while self._unvalidated:
            raw = self._unvalidated[0]
            validate_codes(raw)
            self.overrides.apply(raw)
            self._unvalidated.pop(0)

    @property
    def default(self) -> Settings:
        return self.for_dir(self.cwd)

    def for_path(self, path: Path) -> Settings:
        path = Path(path)
        folder = path if path.is_dir() else path.parent
        # resolving is a syscall per path component: once per folder, not once per file
        resolved = self._resolved.get(folder)
        if resolved is None:
            resolved = self._resolved[folder] = folder.resolve() if str(folder) else self.cwd
        return self.for_dir(resolved)

    def for_dir(self, folder: Path) -> Settings:
        if self._fixed is not None:
            return self._fixed
        cached = self._by_dir.get(folder)
        if cached is not None:
            return cached
        settings = None
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = read_pyproject(candidate)
            if table is not None:
                settings = self._make(table, folder, candidate)
        if settings is None:
            parent = folder.parent
            if parent != folder:
                settings = self.for_dir(parent)
            else:
                settings = self._make({}, self.cwd, None)
        self._by_dir[folder] = settings
        return settings


def _read_logcheck_toml(path: Path) -> Dict[str, Any]:
    """`--config` may name a pyproject.toml or a TOML file whose top level is the
    `[tool.logcheck]` table (or has one)."""
    data = _load_toml(path)
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("logcheck"), dict):
        return tool["logcheck"]
    return data
