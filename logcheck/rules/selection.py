"""Which rules a Settings turns on: `select`, `extend-select`, `ignore`, the policy's
presets and `per-file-ignores`, resolved against the rule registry."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Tuple

from logcheck.config_model.policy import policy_enabled_codes
from logcheck.settings.model import Settings, glob_match


@lru_cache(maxsize=256)
def enabled_codes(settings: Settings) -> FrozenSet[str]:
    # imported here: the registry imports every rule (and libcst); a run answered from the
    # cache never needs it (see workspace/cache.py and SettingsResolver(validate=False))
    from logcheck.rules import registry
    from logcheck.rules.preview import PREVIEW

    origin = settings.origin_name
    table = registry.all_rules()
    if settings.select is not None:
        codes = set(registry.expand(settings.select, origin))
    else:
        codes = {c for c, r in table.items() if r.default} | set(policy_enabled_codes(settings.policy))
    codes |= registry.expand(settings.extend_select, origin)
    codes -= registry.expand(settings.ignore, origin)
    if not settings.preview:
        codes -= PREVIEW.keys()
    return frozenset(codes)


def preview_selected_without_preview(settings: Settings) -> Tuple[str, ...]:
    """Preview rules the settings select by their exact code while preview is off: the
    selection has no effect (as in ruff), and the command line says so."""
    named = [*(settings.select or ()), *settings.extend_select]
    if settings.preview or not named:
        return ()
    from logcheck.rules.preview import PREVIEW  # here: a warm run without selections imports no rule module

    return tuple(code for code in dict.fromkeys(named) if code in PREVIEW)


def codes_for(settings: Settings, path: Path) -> FrozenSet[str]:
    """Enabled codes for one file, after `per-file-ignores`."""
    codes = enabled_codes(settings)
    if not settings.per_file_ignores:
        return codes
    from logcheck.rules import registry

    rel = settings.relative(path)
    for pattern, ignored in settings.per_file_ignores:
        if glob_match(rel, pattern):
            codes = codes - registry.expand(ignored, settings.origin_name)
    return codes


def validate_codes(settings: Settings) -> None:
    """ConfigError naming the settings' origin for any unknown code or prefix."""
    from logcheck.rules import registry

    enabled_codes(settings)
    for _, codes in settings.per_file_ignores:
        registry.expand(codes, settings.origin_name)
