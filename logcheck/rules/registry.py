"""All rules, discovered from the modules of `logcheck.rules`, and code selection."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Tuple, Type

from logcheck.errors import ConfigError
from logcheck.lint.rule import Rule


@lru_cache(maxsize=None)
def all_rules() -> Dict[str, Type[Rule]]:
    import logcheck.rules as package

    found: Dict[str, Type[Rule]] = {}
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and getattr(value, "code", None) \
                    and value.__module__ == module.__name__:
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"two rules with code {value.code}")
                found[value.code] = value
    from logcheck.rules.preview import PREVIEW_FAMILIES

    for code, families in PREVIEW_FAMILIES.items():
        found[code].preview_families = frozenset(families)
    return dict(sorted(found.items()))


def expand(selectors: Iterable[str], origin: str) -> FrozenSet[str]:
    """Codes matched by selectors (codes or prefixes such as `LC2`, `ALL`, or a peer
    linter's code or family such as `G004`, `G`, `PLE12`, see logcheck.lint.peers). An
    unknown selector is a ConfigError naming it."""
    from logcheck.lint.peers import family

    codes = all_rules().keys()
    out = set()
    for selector in selectors:
        sel = selector.strip().upper()
        if sel == "ALL":
            out.update(codes)
            continue
        members = family(selector)
        if members:
            out.update(c for entry in members for c in entry.lc if c in codes)
            continue
        matched = [c for c in codes if c.startswith(sel)] if sel.startswith("LC") and len(sel) >= 2 else []
        if not matched:
            raise ConfigError(f"{origin}: unknown rule code or prefix `{selector}`")
        out.update(matched)
    return frozenset(out)


def rules_for(codes: Iterable[str]) -> Tuple[Type[Rule], ...]:
    table = all_rules()
    return tuple(table[c] for c in sorted(codes) if c in table)


def covered_families(rule: Type[Rule]) -> Tuple[str, ...]:
    """The logger families whose calls the rule judges (rules.md, "Logger families"); empty
    for a rule that is not about logger calls (configuration, print)."""
    from logcheck.semantics.families import FAMILIES

    if not rule.uses_logger_calls and rule.covers.__func__ is Rule.covers.__func__:  # type: ignore[attr-defined]
        return ()
    return tuple(f.name for f in FAMILIES if not f.silent and rule.covers(f))
