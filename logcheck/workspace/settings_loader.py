"""Reading settings: `[tool.logcheck]` in the nearest pyproject.toml (or `--config`), the
command line's overrides on top, each folder's Settings resolved once."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

from logcheck.config_model.policy import parse_policy
from logcheck.errors import ConfigError
from logcheck.rules.selection import validate_codes
from logcheck.settings.model import KNOWN_KEYS, LIST_KEYS, OUTPUT_FORMATS, SWALLOWED_EXCEPTION_MODES, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


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
    for key in LIST_KEYS:
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
    if "rule-url" in table:
        url = table["rule-url"]
        if not isinstance(url, str) or "{code}" not in url:
            raise ConfigError(f"{where}: `rule-url` must be a string with `{{code}}` in it "
                              f"(e.g. \"https://git.example.com/logcheck/blob/main/rules/{{code}}.md\"), got {url!r}")
        values["rule_url"] = url
    for key in ("force-exclude", "preview"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where}: `{key}` must be true or false, got {table[key]!r}")
            values[key.replace("-", "_")] = table[key]
    settings = Settings(**values)
    if validate:
        # validate every code now, so a typo is an error even if no file is checked
        validate_codes(settings)
    return settings


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
    #: `--preview`: turns preview on (it cannot turn off what the configuration turns on)
    preview: bool = False

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
        if self.preview:
            changes["preview"] = True
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
                 cwd: Optional[Path] = None, validate: bool = True, isolated: bool = False) -> None:
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
        elif isolated:  # --isolated: no configuration file anywhere, the defaults for every file
            self._fixed = self._make({}, self.cwd, None)

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
