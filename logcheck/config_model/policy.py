"""The logging-configuration policy: `[tool.logcheck.policy]`, its presets, and validation.

A preset sets every key; keys written next to it override the preset one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Dict, FrozenSet, Mapping, Tuple

from logcheck.errors import ConfigError

DESTINATION_KINDS: Tuple[str, ...] = (
    "stdout", "stderr", "file", "cloudwatch", "syslog", "socket", "http", "smtp", "queue", "null", "other",
)
ROTATION_MODES: Tuple[str, ...] = ("required", "external", "none")
LEVEL_NAMES: Tuple[str, ...] = ("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LEVEL_VALUES: Dict[str, int] = {"NOTSET": 0, "DEBUG": 10, "INFO": 20, "WARNING": 30, "WARN": 30,
                                "ERROR": 40, "CRITICAL": 50, "FATAL": 50}
DEFAULT_JSON_FORMATTERS: Tuple[str, ...] = (
    "pythonjsonlogger.*", "python_json_logger.*", "structlog.stdlib.ProcessorFormatter",
    "logging_json.*", "ecs_logging.*",
)
PRESETS: Tuple[str, ...] = ("default", "server", "container", "aws-lambda", "cloudwatch", "library")


@dataclass(frozen=True)
class Policy:
    preset: str = "default"
    required_fields: Tuple[str, ...] = ("asctime", "levelname", "name")
    rotation: str = "required"
    max_bytes: int = 10485760
    backup_count: int = 5
    destinations: FrozenSet[str] = frozenset(DESTINATION_KINDS)
    minimum_level: str = "DEBUG"
    structured: bool = False
    json_formatters: Tuple[str, ...] = DEFAULT_JSON_FORMATTERS
    #: format fields that carry trace or correlation context, besides the built-in ones
    #: (LC806 reports them, not LC508, when nothing supplies them)
    context_fields: Tuple[str, ...] = ()

    def allows(self, destination: str) -> bool:
        return destination in self.destinations

    def for_application(self) -> "Policy":
        """The policy application code is judged by: the `library` preset restricts what a
        library may configure (nothing), not what the programs shipped with it (entry
        points, examples, scripts) do, so there every destination is allowed."""
        if self.preset != "library":
            return self
        return replace(self, destinations=frozenset(DESTINATION_KINDS))

    @property
    def minimum_level_value(self) -> int:
        return LEVEL_VALUES[self.minimum_level]

    def to_table(self) -> Dict[str, Any]:
        """The policy as TOML-style keys (what `logcheck policy` prints)."""
        out: Dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, frozenset):
                value = [d for d in DESTINATION_KINDS if d in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name.replace("_", "-")] = value
        return out


_ALWAYS = frozenset({"null", "queue"})  # queue handlers are followed to their listener's handlers

PRESET_POLICIES: Dict[str, Policy] = {
    "default": Policy(),
    "server": Policy(preset="server", required_fields=("asctime", "levelname", "name", "process")),
    "container": Policy(preset="container", required_fields=("levelname", "name"), rotation="none",
                        destinations=frozenset({"stdout", "stderr"}) | _ALWAYS, structured=True),
    "aws-lambda": Policy(preset="aws-lambda", required_fields=("levelname", "name"), rotation="none",
                         destinations=frozenset({"stdout", "stderr"}) | _ALWAYS, minimum_level="INFO"),
    "cloudwatch": Policy(preset="cloudwatch", required_fields=("levelname", "name"),
                         destinations=frozenset({"cloudwatch", "stdout", "stderr"}) | _ALWAYS),
    "library": Policy(preset="library", destinations=frozenset({"null"})),
}

#: presets that say where the code runs: their format and level requirements are checked
RUNTIME_PRESETS = frozenset({"server", "container", "aws-lambda", "cloudwatch"})


#: the rules that hold a configuration against where it is deployed (format fields,
#: rotation, destinations, levels, structure): silent in tests and examples, which are not
#: deployed (`Settings.is_deployed_path`)
DEPLOYMENT_CODES = frozenset({"LC501", "LC502", "LC503", "LC504", "LC505", "LC512"})


def policy_enabled_codes(policy: Policy) -> FrozenSet[str]:
    codes = set()
    if policy.preset in RUNTIME_PRESETS:
        codes.update(("LC501", "LC505"))
    if policy.preset == "library":
        codes.add("LC507")
    if policy.preset == "aws-lambda":
        codes.add("LC510")
    if policy.structured:
        codes.add("LC512")
    return frozenset(codes)


def _strings(key: str, value: Any, origin: str, allowed: Tuple[str, ...] = ()) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: policy key `{key}` must be a list of strings, got {value!r}")
    for v in value:
        if allowed and v not in allowed:
            raise ConfigError(f"{origin}: policy key `{key}` has unknown value {v!r} (expected one of: {', '.join(allowed)})")
    return tuple(value)


def parse_policy(table: Mapping[str, Any], origin: str) -> Policy:
    """Build a Policy from a `[tool.logcheck.policy]` table; ConfigError names the key."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{origin}: `policy` must be a table, got {table!r}")
    preset = table.get("preset", "default")
    if preset not in PRESET_POLICIES:
        raise ConfigError(f"{origin}: policy key `preset` has unknown value {preset!r} (expected one of: {', '.join(PRESETS)})")
    policy = PRESET_POLICIES[preset]
    changes: Dict[str, Any] = {}
    for key, value in table.items():
        if key == "preset":
            continue
        if key == "required-fields":
            changes["required_fields"] = _strings(key, value, origin)
        elif key == "rotation":
            if value not in ROTATION_MODES:
                raise ConfigError(f"{origin}: policy key `rotation` has unknown value {value!r} (expected one of: {', '.join(ROTATION_MODES)})")
            changes["rotation"] = value
        elif key in ("max-bytes", "backup-count"):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{origin}: policy key `{key}` must be a positive integer, got {value!r}")
            changes[key.replace("-", "_")] = value
        elif key == "destinations":
            changes["destinations"] = frozenset(_strings(key, value, origin, DESTINATION_KINDS))
        elif key == "minimum-level":
            if value not in LEVEL_NAMES:
                raise ConfigError(f"{origin}: policy key `minimum-level` has unknown value {value!r} (expected one of: {', '.join(LEVEL_NAMES)})")
            changes["minimum_level"] = value
        elif key == "structured":
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: policy key `structured` must be true or false, got {value!r}")
            changes["structured"] = value
        elif key == "json-formatters":
            changes["json_formatters"] = _strings(key, value, origin)
        elif key == "context-fields":
            changes["context_fields"] = _strings(key, value, origin)
        else:
            raise ConfigError(f"{origin}: unknown policy key `{key}`")
    return replace(policy, **changes)
